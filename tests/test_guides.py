"""The teacher guides agree with what ships: the notebooks they list, and the shipped models' sizes (read from the
checkpoints)."""
import re
from pathlib import Path

import pytest

from diffusion_lab.checkpoint import safe_load

ROOT = Path(__file__).resolve().parent.parent
GUIDES = {"fr": ROOT / "docs" / "guide-enseignant.md", "en": ROOT / "docs" / "teacher-guide.md"}
# "0,99 million de paramètres", "2.23 million parameters", "(`data/text.pt`: 2.69 million"
MILLIONS = {"fr": re.compile(r"(\d+,\d\d) millions? de\s+paramètres|\.pt`\s?\u202f?: (\d+,\d\d) million"),
            "en": re.compile(r"(\d+\.\d\d) million\s+parameters|\.pt`: (\d+\.\d\d) million")}


def millions(name: str, language: str) -> str:
    """The shipped model's parameter count in millions, written as the guide of `language` writes it."""
    count = sum(v.numel() for v in safe_load(ROOT / "data" / f"{name}.pt")["ema"].values() if v.is_floating_point())
    written = f"{count / 1e6:.2f}"
    return written.replace(".", ",") if language == "fr" else written


@pytest.mark.parametrize("language", GUIDES)
def test_the_guides_give_the_shipped_models_sizes(language):
    guide = GUIDES[language].read_text(encoding="utf-8")
    stated = {a or b for a, b in MILLIONS[language].findall(guide)}
    shipped = {millions(name, language) for name in ("cats", "categories", "text")}
    assert stated, "the guide states no model size"
    assert stated <= shipped, (f"{GUIDES[language].name} states {sorted(stated - shipped)} million parameters; "
                               f"shipped: {sorted(shipped)}")


@pytest.mark.parametrize("language", GUIDES)
def test_the_guides_list_every_notebook(language):
    guide = GUIDES[language].read_text(encoding="utf-8")
    listed = set(re.findall(r"`(\d\d_\w+)\.ipynb`", guide))
    notebooks = {path.stem for path in (ROOT / "notebooks" / language).glob("*.ipynb")}
    assert listed == notebooks, (f"{GUIDES[language].name}: missing {sorted(notebooks - listed)}, "
                                 f"unknown {sorted(listed - notebooks)}")


def test_the_guides_count_the_cats_the_model_learnt_from():
    n = safe_load(ROOT / "data" / "cats.pt")["settings"]["n_images"]
    assert f"{n:,}".replace(",", "\u202f") in GUIDES["fr"].read_text(encoding="utf-8")
    assert f"{n:,}" in GUIDES["en"].read_text(encoding="utf-8")
