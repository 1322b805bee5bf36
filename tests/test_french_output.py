"""The reader of what a French notebook shows (french_output.py) finds English; a cell run too early explains itself."""
from french_output import english_in
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook, new_output


def executed(cells):
    """A notebook as nbclient leaves it: code cells (source, printed text)."""
    nb = new_notebook()
    for source, printed in cells:
        cell = new_code_cell(source)
        cell.outputs = [new_output("stream", name="stdout", text=printed)]
        nb.cells.append(cell)
    return nb


def test_an_english_print_is_found():
    found = english_in(executed([('print("noise std, step by step:", 0.5)', "noise std, step by step: 0.5\n")]))
    assert found and "step" in found[0][1]


def test_french_prints_and_data_pass():
    assert not english_in(executed([
        ('print(message("nb00_new"))', "nouveau\n"),
        ('PROMPT = "a black cat on a yellow background"\nprint(PROMPT)', "a black cat on a yellow background\n"),
        ("print(model)", "UNet(\n  (time_mlp): Sequential(in_features=32, out_features=128, bias=True)\n)\n"),
    ]))


def test_a_cell_run_too_early_says_what_to_run_first_in_french(tmp_path):
    folder = tmp_path / "fr"
    folder.mkdir()
    nb = new_notebook(cells=[
        new_code_cell('from pathlib import Path\nfrom diffusion_lab import explain_missing_names, set_language\n'
                      'set_language("fr" if Path.cwd().name == "fr" else "en")\nexplain_missing_names()'),
        new_code_cell("model.config"),  # as if the cell that loads the model had been skipped
    ])
    NotebookClient(nb, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    shown = "".join(output.get("text", str(output)) for output in nb.cells[1].outputs)
    assert "«\u202fmodel\u202f» n'existe pas encore" in shown and "au-dessus" in shown
    assert "Traceback" not in shown and "NameError" not in shown


def test_printed_source_code_is_code_not_prose():
    source = 'def loss(x):\n    """The simple loss: predict the noise."""\n    return x\n'
    assert not english_in(executed([("print(inspect.getsource(loss))", source)]))
