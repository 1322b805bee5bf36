"""Saving a lesson notebook from Jupyter keeps it as build.py wrote it; other notebooks keep their outputs."""
import re
import shutil
from pathlib import Path

import nbformat
from jupyter_server.services.contents.filemanager import FileContentsManager

from diffusion_lab.notebook_hook import clear_lesson_outputs

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "fr" / "01_bruiter_des_chats.ipynb"


def saved_by_jupyter(root: Path, path: str) -> dict:
    """Open `path` as JupyterLab does, run it (fake outputs, run counts, kernel metadata), save it with the hook."""
    manager = FileContentsManager(root_dir=str(root), pre_save_hook=clear_lesson_outputs)
    model = manager.get(path)
    for cell in model["content"]["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [nbformat.v4.new_output("stream", text="un chat\n")]
            cell["execution_count"] = 7
    model["content"]["metadata"]["language_info"]["version"] = "3.11.7"
    manager.save({"type": "notebook", "format": "json", "content": model["content"]}, path)
    return manager.get(path)["content"]


def test_a_lesson_saved_from_jupyter_is_unchanged(tmp_path):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("html"))
    saved_by_jupyter(tmp_path, "notebooks/fr/01_bruiter_des_chats.ipynb")
    assert (tmp_path / "notebooks/fr/01_bruiter_des_chats.ipynb").read_bytes() == LESSON.read_bytes()


def test_a_notebook_elsewhere_keeps_its_outputs(tmp_path):
    (tmp_path / "fr").mkdir()  # an fr/ folder, but with no build.py beside it: a student's own copy
    shutil.copy(LESSON, tmp_path / "fr" / "copie.ipynb")
    saved = saved_by_jupyter(tmp_path, "fr/copie.ipynb")
    assert any(cell.get("outputs") for cell in saved["cells"])


def test_the_readme_opens_jupyter_with_the_hook():
    config = ROOT / ".jupyter" / "jupyter_server_config.py"
    assert "diffusion_lab.notebook_hook.clear_lesson_outputs" in config.read_text()
    commands = re.findall(r"^pip install .*$", (ROOT / "README.md").read_text(), re.M)
    assert any("--config .jupyter/jupyter_server_config.py" in command for command in commands)
