"""The lesson notebooks in Jupyter: saved as build.py wrote them, and a cell run too early says what to run first.

JupyterLab saves (and autosaves) a notebook with its outputs. For the lessons in notebooks/en and notebooks/fr that
would change files of the repository, and the tests would then fail. The README's `jupyter lab --config
.jupyter/jupyter_server_config.py notebooks/` reads a setting that calls clear_lesson_outputs before each save.
Only the lesson notebooks are cleaned; a notebook saved anywhere else keeps its outputs.
"""
import warnings
from pathlib import Path

LESSON_METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


def is_lesson_notebook(path) -> bool:
    """A notebook in notebooks/en or notebooks/fr, beside the build.py that writes them."""
    path = Path(path).resolve()
    return path.suffix == ".ipynb" and path.parent.name in ("en", "fr") and (path.parent.parent / "build.py").is_file()


def clear_outputs(notebook: dict) -> dict:
    """The notebook (nbformat's JSON dict) as build.py writes it: no outputs, no run counts, no metadata added by
    Jupyter."""
    notebook["metadata"] = dict(LESSON_METADATA)
    for cell in notebook["cells"]:
        cell["metadata"] = {}
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def clear_lesson_outputs(model, path, contents_manager, **kwargs):
    """Jupyter's pre_save_hook: clear a lesson notebook's outputs just before it is written to disk."""
    if model.get("type") == "notebook" and is_lesson_notebook(Path(contents_manager.root_dir) / path):
        clear_outputs(model["content"])


def explain_missing_names(shell=None):
    """A cell that uses a name no earlier cell has made yet says, in the notebook's language, to run the cells above.

    IPython's custom exception handler replaces the NameError traceback with that one sentence.
    """
    from IPython import get_ipython

    from .messages import message

    def handler(shell, kind, error, traceback, tb_offset=None):
        missing = getattr(error, "name", None) or str(error).split("'")[1:2] or ["?"]
        print(message("cell_too_early", name=missing if isinstance(missing, str) else missing[0]))

    shell = shell or get_ipython()
    if shell is not None:  # None outside IPython, e.g. in a plain script: nothing to do
        shell.set_custom_exc((NameError,), handler)
        # trio (imported later by some libraries) then warns that it will not install its own handler: harmless here,
        # and a warning in red would scare a student
        warnings.filterwarnings("ignore", message="IPython detected, but you already have a custom exception handler")
