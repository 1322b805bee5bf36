"""How much a student reads and runs in each notebook: prose words (answers under <details> apart), code cells.

Budgets (issue 19): notebook 00 at most about 1,000 words and 15 code cells a language; 04 about 1,200 words; 05 about
1,500 words. A word is what a reader reads: code spans, formulas and HTML tags are left out.

    python benchmarks/prose.py
"""
import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def prose_words(markdown: str):
    """(words read in the text, words in the answers under <details>) of one markdown cell."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)                  # code blocks
    text = re.sub(r"`[^`]*`|\$[^$]*\$|https?://\S+", " ", text)              # code spans, formulas, addresses
    answers = " ".join(re.findall(r"<details>(.*?)</details>", text, flags=re.S))
    text = re.sub(r"<details>.*?</details>", " ", text, flags=re.S)
    count = lambda part: len(re.findall(r"[^\W\d_][\w'’-]*", re.sub(r"<[^>]+>", " ", part)))  # noqa: E731
    return count(text), count(answers)


def measure(path: Path):
    cells = nbformat.read(path, as_version=4).cells
    words, answers = map(sum, zip(*[prose_words(c.source) for c in cells if c.cell_type == "markdown"]))
    return words, answers, sum(c.cell_type == "code" for c in cells)


def main():
    print(f"{'notebook':48} {'words':>6} {'answers':>8} {'code cells':>11}")
    for path in sorted(NOTEBOOKS.glob("[ef][nr]/*.ipynb"), key=lambda p: (p.name[:2], p.parent.name)):
        words, answers, cells = measure(path)
        print(f"{path.parent.name + '/' + path.name:48} {words:6d} {answers:8d} {cells:11d}")


if __name__ == "__main__":
    main()
