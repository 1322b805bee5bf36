"""The code is ruff-clean (pyproject.toml's [tool.ruff]: lines of 120 at most, imports in order, no unused names)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, (f"ruff check . found:\n{done.stdout[-3000:]}{done.stderr[-1000:]}\n"
                                  "(ruff check --fix . mends some)")
