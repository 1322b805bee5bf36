"""The lesson notebooks: they run top to bottom (FAST mode), French and English share their code, and they stay
clean."""
import os
import re
import runpy
import shutil
import statistics
import time
from pathlib import Path

import french_output
import nbformat
import pytest

from diffusion_lab.data import data_dir

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[ef][nr]/*.ipynb"))
# trained by the repository's commands
SHIPPED_FILES = {"00": ("cats.pt", "categories.pt", "text.pt"), "02": ("cats.pt", "autoencoder.pt"),
                 "04": ("categories.pt", "classifier.pt"),
                 "05": ("text.pt", "classifier.pt"), "06": ("text.pt", "classifier.pt")}
SECONDS_PER_NOTEBOOK = 180  # FAST mode runs in well under a minute; this is a guard against a hang, not a benchmark


def code_cells(path):
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def pairs():
    """(English, French) notebook paths, matched by their number prefix."""
    by_prefix = {}
    for path in PATHS:
        by_prefix.setdefault(path.name[:2], {})[path.parent.name] = path
    return [(found.get("en"), found.get("fr")) for _, found in sorted(by_prefix.items())]


def is_colab_cell(source: str) -> bool:
    return '"google.colab" in sys.modules' in source


def test_every_lesson_is_there_in_both_languages():
    assert [(en.name, fr.name) for en, fr in pairs() if en and fr] == [
        ("00_the_activity_in_one_hour.ipynb", "00_activite_en_une_heure.ipynb"),
        ("01_noising_cats.ipynb", "01_bruiter_des_chats.ipynb"),
        ("02_training_a_denoiser.ipynb", "02_entrainer_un_debruiteur.ipynb"),
        ("03_hallucinating_cats.ipynb", "03_halluciner_des_chats.ipynb"),
        ("04_several_categories.ipynb", "04_plusieurs_categories.ipynb"),
        ("05_from_words_to_images.ipynb", "05_des_mots_aux_images.ipynb"),
        ("06_limits_and_biases.ipynb", "06_limites_et_biais.ipynb"),
    ]


@pytest.mark.parametrize("en, fr", pairs(), ids=lambda p: p.name[:2] if p else "missing")
def test_french_and_english_share_their_code_cells(en, fr):
    assert en and fr, "every lesson needs an English and a French notebook"
    assert code_cells(en) == code_cells(fr)
    cell_types = [[cell.cell_type for cell in nbformat.read(path, as_version=4).cells] for path in (en, fr)]
    assert cell_types[0] == cell_types[1]  # the prose sits in the same places


def test_the_notebooks_are_what_build_py_writes(tmp_path):
    """Edit notebooks/src/NN.py and run `python notebooks/build.py`, never the .ipynb files by hand."""
    build = runpy.run_path(str(NOTEBOOKS / "build.py"))["build"]
    for written in build(tmp_path):
        committed = NOTEBOOKS / written.relative_to(tmp_path)
        assert committed.read_text(encoding="utf-8") == written.read_text(encoding="utf-8"), (
            f"{committed} is not what notebooks/build.py writes. If you changed notebooks/src, run `python "
            "notebooks/build.py`; "
            f"if Jupyter saved the notebook, `git checkout -- {committed.relative_to(NOTEBOOKS.parent)}` restores it")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebooks_are_saved_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name} was saved with its outputs (in: {cell.source[:40]!r}). `git checkout -- "
                f"{path.relative_to(NOTEBOOKS.parent)}` restores it; open JupyterLab with the README's command to keep "
                "it clean")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_no_star_imports_and_pip_only_in_the_colab_cell(path):
    sources = code_cells(path)
    assert sum(is_colab_cell(source) for source in sources) == 1
    for source in sources:
        assert not re.search(r"^\s*from\s+\S+\s+import\s+\*", source, re.M), source
        if not is_colab_cell(source):
            assert not re.search(r"^\s*[%!]\s*pip|pip install", source, re.M), source


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_code_cells_are_short(path):
    lengths = [len(source.splitlines()) for source in code_cells(path)]
    assert statistics.median(lengths) <= 8
    assert max(lengths) <= 20


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_every_notebook_has_one_settings_cell_with_the_fast_switch(path):
    settings = [source for source in code_cells(path) if 'os.environ.get("DIFFUSION_LAB_FAST")' in source]
    assert len(settings) == 1


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom_in_fast_mode(path, tmp_path, monkeypatch):
    """Executed from a copy in a folder named like the original (en/ or fr/), so files it writes stay out of the
    repository."""
    from nbclient import NotebookClient

    missing = [name for name in SHIPPED_FILES.get(path.name[:2], ()) if not (data_dir() / name).is_file()]
    if missing and not os.environ.get("CI"):  # a developer training new weights; in CI the shipped files must be there
        pytest.skip(f"notebook {path.name[:2]} loads shipped files missing in {data_dir()}: {', '.join(missing)}")
    folder = tmp_path / path.parent.name
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    monkeypatch.setenv("DIFFUSION_LAB_FAST", "1")
    monkeypatch.setenv("TQDM_DISABLE", "1")
    nb = nbformat.read(folder / path.name, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(french_output.RECORDER))  # keeps the texts drawn into pictures
    nb.cells.append(nbformat.v4.new_code_cell(french_output.REPORT))
    deadline = time.monotonic() + SECONDS_PER_NOTEBOOK
    client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                            # one budget per notebook
                            timeout_func=lambda cell: max(1, int(deadline - time.monotonic())))
    client.execute()
    english = french_output.english_in(nb)
    if path.parent.name == "fr":  # everything a French student reads is French: prints, titles, legends, labels
        assert not english, f"English in the French notebook {path.name}: {english[:5]}"
    else:  # the same reader finds English in the English notebook: it can fail
        assert english
    outputs = str([cell.get("outputs", []) for cell in nb.cells])
    if path.name.startswith("01"):  # the language comes from the folder: the slider's caption says so
        assert ("reste du chat" in outputs) == (path.parent.name == "fr")
    if path.name.startswith("04"):  # the category names too: the menu and the captions are in the notebook's language
        assert ("voiture" in outputs) == (path.parent.name == "fr")
    if path.name.startswith("05"):  # the package's own message about the empty prompt, in the notebook's language
        assert ("La phrase est vide" in outputs) == (path.parent.name == "fr")


def test_the_exported_page_needs_no_internet():
    """`python notebooks/build.py --export html` writes pages for a room without internet: no script or style from a
    CDN, and the formulas drawn into the page (no MathJax)."""
    build = runpy.run_path(str(NOTEBOOKS / "build.py"))
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Eq. 4: $$x_t = \\sqrt{\\bar\\alpha_t}\\, x_0$$ and $\\text{guess}$ inline."),
        nbformat.v4.new_markdown_cell("1. A question?\n\n<details><summary>Answer</summary>\n\nThe **answer**.\n\n"
                                      "Its second paragraph.\n</details>\n\n2. Another question?"),
        nbformat.v4.new_code_cell("1 + 1", outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "2"})])])
    page = build["offline_page"](nb)
    assert not re.findall(r'(?:src|href)="https?:', page)
    assert "mathjax" not in page.lower() and "$x_t" not in page
    assert page.count("<img alt=") == 2  # the two formulas, as pictures
    folded = page[page.index("<details>"):page.index("</details>")]  # the answer stays folded
    assert "<strong>answer</strong>" in folded and "second paragraph" in folded
