"""Each lesson notebook in FULL mode (the classroom settings, FAST unset): run time and peak memory.

Targets, on a 2-core laptop with the shipped weights: notebook 00 (the whole one-hour activity, its 45-second live
training included) at most 3 minutes; every other notebook at most 2 minutes (02's optional TRAIN_FROM_SCRATCH run is
excluded); about 700 MB above a bare `import torch, torchvision`. Notebooks run from a copy, so nothing is written into
the repository. Run one PyTorch job at a time on a small machine.

    python benchmarks/notebooks.py [--lang en|fr|both] [--only 01]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import peak_rss_mb_of

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# Runs in a fresh process: executes one notebook, then reports the kernel's peak memory. The kernel is this process's
# child; once it has been shut down and reaped, RUSAGE_CHILDREN's ru_maxrss is its peak resident memory (in KB).
DRIVER = """
import resource, sys, time
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": sys.argv[2]}}).execute()
print("SECONDS", time.perf_counter() - start)
print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run_notebook(path: Path):
    """(seconds, peak RSS of the kernel in MB) for one notebook, executed from a copy in a folder named like its own."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / path.parent.name  # en/ or fr/: the notebook picks its language from the folder name
        folder.mkdir()
        shutil.copy(path, folder / path.name)
        env = {key: value for key, value in os.environ.items() if key != "DIFFUSION_LAB_FAST"}
        env["TQDM_DISABLE"] = "1"
        result = subprocess.run([sys.executable, "-c", DRIVER, str(folder / path.name), str(folder)],
                                capture_output=True, text=True, env=env)
    if result.returncode:
        raise SystemExit(f"{path.name} failed:\n{result.stderr[-3000:]}")
    seconds = float(result.stdout.split("SECONDS")[-1].split()[0])
    return seconds, int(result.stdout.split("PEAK_RSS_KB")[-1].split()[0]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=["en", "fr", "both"], default="en", help="the code is the same in both "
                                                                                   "languages")
    parser.add_argument("--only", help="a number prefix, e.g. 03")
    args = parser.parse_args()
    languages = ["en", "fr"] if args.lang == "both" else [args.lang]
    paths = [p for lang in languages for p in sorted((NOTEBOOKS / lang).glob(f"{args.only or ''}*.ipynb"))]

    bare = peak_rss_mb_of("import torch, torchvision")
    print(f"bare import torch, torchvision: {bare:.0f} MB peak RSS")
    for path in paths:
        seconds, peak = run_notebook(path)
        target = 180 if path.name.startswith("00") else 120
        print(f"{path.parent.name}/{path.name}: {seconds:.0f} s (target {target}), kernel peak {peak:.0f} MB, "
              f"{peak - bare:+.0f} MB above bare torch (target 700)")


if __name__ == "__main__":
    main()
