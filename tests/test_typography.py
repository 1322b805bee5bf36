"""French typography: a narrow no-break space (U+202F) before ; : ! ? and %, inside « », and in 20 000."""
import re
from pathlib import Path

import nbformat
import pytest

from diffusion_lab.messages import MESSAGES, french_typography, message, set_language

ROOT = Path(__file__).resolve().parent.parent
FRENCH_NOTEBOOKS = sorted((ROOT / "notebooks" / "fr").glob("*.ipynb"))
FRENCH_DOCS = [path for path in (ROOT / "docs" / "guide-enseignant.md", ROOT / "docs" / "fiche-eleve.md")
               if path.is_file()]
CODE = re.compile(r"```.*?```|`[^`\n]*`|\$[^$\n]*\$|<[^>\n]*>|https?://\S+|\]\([^)\s]*\)", re.S)
ORDINARY_SPACE_WHERE_FRENCH_WANTS_A_NARROW_ONE = re.compile(r" [;:?%]| !(?!\[)|« | »|\d \d{3}(?!\d)")


def faults(text: str):
    """Ordinary spaces where French typography wants a narrow no-break one, code and addresses left out."""
    return [match.group() for match in ORDINARY_SPACE_WHERE_FRENCH_WANTS_A_NARROW_ONE.finditer(CODE.sub(" ", text))]


def test_french_spacing_in_prose():
    assert french_typography("Étape 1 : « bruiter » 20 000 chats ; 28 % ! Prêts ?") == (
        "Étape 1\u202f: «\u202fbruiter\u202f» 20\u202f000 chats\u202f; 28\u202f%\u202f! Prêts\u202f?")
    assert french_typography("«plongement»") == "«\u202fplongement\u202f»"


def test_code_addresses_times_and_pictures_are_left_alone():
    untouched = "`t : int` $a : b$ https://www.youtube.com/watch?v=tdelUss-5hY&t=920 à 15:20 ![chat](chat.png) {x:.2f}"
    assert french_typography(untouched) == untouched
    assert french_typography("```python\nprint(a ; b)\n```") == "```python\nprint(a ; b)\n```"


def test_typesetting_twice_changes_nothing():
    once = french_typography("Oui : « non » ; 1 000 000 !")
    assert french_typography(once) == once and not faults(once)


@pytest.mark.parametrize("path", FRENCH_NOTEBOOKS + FRENCH_DOCS, ids=lambda p: p.name)
def test_french_notebooks_and_guides_are_typeset(path):
    if path.suffix == ".ipynb":
        texts = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown"]
    else:
        texts = [path.read_text(encoding="utf-8")]
    found = [fault for text in texts for fault in faults(text)]
    assert not found, f"{path.name}: ordinary spaces in {found[:5]}: run `python notebooks/build.py`"


def test_every_french_message_is_typeset():
    """What the package prints and shows in French (CLI, widgets, errors) gets French spacing too."""
    set_language("fr")
    try:
        for key, (_, french) in MESSAGES.items():
            shown = message(key, **{name: 0 for name in re.findall(r"\{(\w+)", french)})
            assert not faults(shown), f"{key}: {shown}"
    finally:
        set_language("en")


def test_large_whole_numbers_in_french_messages_are_grouped():
    """nb00_shipped says how many pictures the model learnt from: 20 000, not 20000; a decimal point stays a comma's
    job."""
    set_language("fr")
    try:
        shown = message("checkpoint_saved", path="runs/cats_20000.pt", step=20000)
        assert "20\u202f000)" in shown and "cats_20000.pt" in shown
        assert message("checkpoint_saved", path="p", step=True).endswith("True).")   # a bool is not a number here
    finally:
        set_language("en")
    assert "20000)" in message("checkpoint_saved", path="p", step=20000)
