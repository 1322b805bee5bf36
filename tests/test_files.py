"""Writing files without losing any: bad places are refused before the work, and a failed write leaves the old file."""
import errno
import os
import stat
import tempfile

import pytest
import torch
from PIL import Image

from diffusion_lab import DiffusionLabError, make_run, messages, save_checkpoint
from diffusion_lab.data import cached
from diffusion_lab.evaluate import Classifier, save_classifier
from diffusion_lab.files import check_output, write_atomically
from diffusion_lab.viz import PICTURE_EXTENSIONS, save_gif, save_picture

TINY = {"model": {"size": 16, "base": 16, "mults": (1, 2)}, "batch_size": 4, "warmup": 1}


def leftovers(folder):
    """The temporary files left in a folder: there must never be any."""
    return [name for name in os.listdir(folder) if name.endswith(".tmp")]


def refusal(call, *args) -> DiffusionLabError:
    with pytest.raises(DiffusionLabError) as refused:
        call(*args)
    return refused.value


def writes(text: str):
    """A write(temp) function that writes `text`, as torch.save or PIL's save would write their bytes."""
    def write(temp):
        with open(temp, "w") as file:
            file.write(text)
    return write


def fails_half_way(error: BaseException):
    """A write(temp) that writes part of the file, then fails as a full disk or a Ctrl-C would."""
    def write(temp):
        with open(temp, "w") as file:
            file.write("half a checkpoint")
        raise error
    return write


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "run.pt"
    path.write_text("the trained weights")
    return path


# ---- check_output: refused before the work ----

def test_check_output_creates_the_folders_and_leaves_nothing_behind(tmp_path):
    path = check_output(tmp_path / "runs" / "new" / "cats.pt")
    assert path == (tmp_path / "runs" / "new" / "cats.pt").resolve()
    assert path.parent.is_dir() and os.listdir(path.parent) == []  # the write test left no file


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "d.png").mkdir()
    refused = refusal(check_output, tmp_path / "d.png", PICTURE_EXTENSIONS)
    assert refused.key == "output_is_folder" and "is a folder" in str(refused)
    assert os.listdir(tmp_path / "d.png") == []


def test_a_pipe_is_refused(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(tmp_path / "pipe.pt")
    refused = refusal(write_atomically, tmp_path / "pipe.pt", writes("weights"))
    assert refused.key == "output_special" and "not an ordinary file" in str(refused)
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe.pt").st_mode) and not leftovers(tmp_path)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null on this system")
def test_a_device_is_refused_and_never_written():
    """As root, replacing /dev/null by a file would break the machine until a reboot."""
    def write(temp):
        raise AssertionError("nothing may be written for a device")  # and so os.replace is never reached either

    assert refusal(write_atomically, "/dev/null", write).key == "output_special"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symbolic_link_is_written_through_to_its_target(tmp_path):
    (tmp_path / "target.pt").write_text("step 54")
    (tmp_path / "latest.pt").symlink_to("target.pt")
    write_atomically(tmp_path / "latest.pt", writes("step 55"))
    assert (tmp_path / "latest.pt").is_symlink()  # still a link, not replaced by a file
    assert (tmp_path / "target.pt").read_text() == "step 55" and not leftovers(tmp_path)


def test_an_extension_that_cannot_be_written_is_refused(tmp_path):
    refused = refusal(check_output, tmp_path / "g", PICTURE_EXTENSIONS)
    assert refused.key == "bad_extension" and ".png" in str(refused)
    assert refusal(check_output, tmp_path / "strip.xyz", PICTURE_EXTENSIONS).key == "bad_extension"
    assert refusal(check_output, tmp_path / "denoise.png", {".gif"}).key == "bad_extension"
    assert check_output(tmp_path / "Grid.PNG", PICTURE_EXTENSIONS).name == "Grid.PNG"  # upper case is fine
    (tmp_path / "picture.png").symlink_to("target.bin")  # the file really written is the link's target
    assert refusal(check_output, tmp_path / "picture.png", PICTURE_EXTENSIONS).key == "bad_extension"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write in any folder")
def test_a_folder_we_may_not_write_in_is_refused_before_the_work(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        refused = refusal(check_output, locked / "cats.pt")
    finally:
        locked.chmod(0o700)
    assert refused.key == "output_unwritable" and "not allowed" in str(refused)
    assert "nothing has been computed" in str(refused)


def test_a_full_disk_is_found_before_the_work(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    refused = refusal(check_output, tmp_path / "cats.pt")
    assert refused.key == "output_unwritable" and "the disk is full" in str(refused)


# ---- write_atomically: the old file or the new one, never half of one, never a temp file left ----

def test_a_write_replaces_the_file_and_leaves_no_temp_file(old_file):
    write_atomically(old_file, writes("better weights"))
    assert old_file.read_text() == "better weights" and not leftovers(old_file.parent)


def test_a_full_disk_in_the_middle_keeps_the_old_file_and_removes_the_temp(old_file):
    refused = refusal(write_atomically, old_file, fails_half_way(OSError(errno.ENOSPC, "No space left on device")))
    assert refused.key == "cannot_write" and "the disk is full" in str(refused)
    assert "Nothing was replaced" in str(refused)
    assert old_file.read_text() == "the trained weights" and not leftovers(old_file.parent)


def test_torch_save_on_a_full_or_read_only_disk_gets_one_sentence(old_file):
    """torch.save raises RuntimeError, not OSError, when its writer fails."""
    full = RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 4875008 vs 4874960")
    assert "the disk is full" in str(refusal(write_atomically, old_file, fails_half_way(full)))
    read_only = RuntimeError("[enforce fail at inline_container.cc:747] . open file failed: Read-only file system")
    assert "read-only" in str(refusal(write_atomically, old_file, fails_half_way(read_only)))
    assert old_file.read_text() == "the trained weights" and not leftovers(old_file.parent)


def test_a_disk_that_became_read_only_during_the_work_says_nothing_was_replaced(old_file, monkeypatch):
    """At save time the work is done: the sentence must not say "nothing has been computed yet"."""
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    refused = refusal(write_atomically, old_file, writes("new"))
    assert refused.key == "cannot_write" and "read-only" in str(refused) and "computed" not in str(refused)
    assert old_file.read_text() == "the trained weights"


def test_ctrl_c_during_a_write_removes_the_temp_and_goes_on_stopping(old_file):
    with pytest.raises(KeyboardInterrupt):
        write_atomically(old_file, fails_half_way(KeyboardInterrupt()))
    assert old_file.read_text() == "the trained weights" and not leftovers(old_file.parent)


def test_another_error_is_not_hidden_but_still_cleans_up(old_file):
    with pytest.raises(ZeroDivisionError):
        write_atomically(old_file, fails_half_way(ZeroDivisionError()))
    assert old_file.read_text() == "the trained weights" and not leftovers(old_file.parent)


def test_two_writers_of_one_file_never_share_a_temp_file(old_file):
    """A second save of the same file while the first is still writing (two trainings with one --out)."""
    temps = []

    def second(temp):
        temps.append(temp)
        writes("second")(temp)

    def first(temp):
        temps.append(temp)
        writes("first, still writing... ")(temp)
        write_atomically(old_file, second)  # the other process saves now, in the middle of this write
        with open(temp, "a") as file:
            file.write("done")

    write_atomically(old_file, first)
    assert len(set(temps)) == 2 and all(os.path.dirname(t) == str(old_file.parent.resolve()) for t in temps)
    assert old_file.read_text() == "first, still writing... done"  # whole, not a mix of the two
    assert not leftovers(old_file.parent)


def test_the_file_is_on_the_disk_before_it_replaces_the_old_one(old_file, monkeypatch):
    order = []
    monkeypatch.setattr(os, "fsync", lambda fd: order.append("fsync"))
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (order.append("replace"), real_replace(a, b)))
    write_atomically(old_file, writes("new"))
    assert order == ["fsync", "replace"]


def test_permissions_are_the_usual_ones_not_the_temp_files_private_ones(tmp_path, old_file):
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.pt", writes("new"))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.pt").st_mode) == 0o644  # mkstemp alone would give 0o600
    old_file.chmod(0o640)
    write_atomically(old_file, writes("newer"))
    assert stat.S_IMODE(os.stat(old_file).st_mode) == 0o640  # a file that is replaced keeps its permissions


def test_the_sentence_is_french_in_french(old_file, monkeypatch):
    monkeypatch.setattr(messages, "_language", "fr")
    said = str(refusal(write_atomically, old_file, fails_half_way(OSError(errno.EROFS, "Read-only file system"))))
    assert "Impossible d'écrire" in said and "le disque est en lecture seule" in said and "\u202f:" in said


# ---- the writers of the package use it ----

def test_save_checkpoint_on_a_full_disk_says_so_and_keeps_the_old_checkpoint(old_file, monkeypatch):
    run = make_run("cats", **TINY)

    def full_disk(state, file):
        with open(file, "wb") as out:
            out.write(b"PK half")
        raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 4875008 vs 4874960")

    monkeypatch.setattr(torch, "save", full_disk)
    refused = refusal(save_checkpoint, run, old_file)
    assert refused.key == "cannot_write"
    assert old_file.read_text() == "the trained weights" and not leftovers(old_file.parent)


def test_save_checkpoint_refuses_a_folder_and_writes_a_loadable_file(tmp_path):
    run = make_run("cats", **TINY)
    assert refusal(save_checkpoint, run, tmp_path).key == "output_is_folder"
    save_checkpoint(run, tmp_path / "run.pt")
    assert torch.load(tmp_path / "run.pt", weights_only=True)["step"] == 0 and not leftovers(tmp_path)


def test_save_classifier_is_atomic(old_file, monkeypatch):
    torch.manual_seed(0)
    classifier = Classifier(["cat", "car"])
    monkeypatch.setattr(torch, "save", lambda state, file: fails_half_way(OSError(errno.ENOSPC, "No space"))(file))
    assert refusal(save_classifier, classifier, old_file).key == "cannot_write"
    assert old_file.read_text() == "the trained weights" and not leftovers(old_file.parent)


def test_the_picture_cache_ignores_a_full_disk_and_leaves_no_temp_file(tmp_path, monkeypatch):
    monkeypatch.setattr(torch, "save", lambda state, file: fails_half_way(OSError(errno.ENOSPC, "No space"))(file))
    drawn = cached(tmp_path / "cache" / "cats.pt", lambda: {"images": torch.zeros(2, 3, 4, 4)})
    assert drawn["images"].shape == (2, 3, 4, 4)  # the pictures, even without a cache
    assert os.listdir(tmp_path / "cache") == []


def test_the_picture_cache_writes_under_a_name_of_its_own(tmp_path, monkeypatch):
    temps = []
    real_save = torch.save
    monkeypatch.setattr(torch, "save", lambda state, file: (temps.append(str(file)), real_save(state, file)))
    cached(tmp_path / "a.pt", lambda: {"x": torch.ones(1)})
    cached(tmp_path / "b.pt", lambda: {"x": torch.ones(1)})
    assert len(set(temps)) == 2 and all(t.endswith(".tmp") and os.path.basename(t).startswith(".") for t in temps)
    assert torch.load(tmp_path / "a.pt", weights_only=True)["x"].item() == 1 and not leftovers(tmp_path)


def test_pictures_and_animations_are_written_whole_in_the_format_their_name_says(tmp_path):
    red = Image.new("RGB", (8, 8), "red")
    save_picture(red, tmp_path / "out" / "grid.png")
    save_picture(red, tmp_path / "grid.jpg")
    save_gif([red, Image.new("RGB", (8, 8), "blue")], tmp_path / "denoise.gif")
    assert Image.open(tmp_path / "out" / "grid.png").format == "PNG"
    assert Image.open(tmp_path / "grid.jpg").format == "JPEG"
    assert Image.open(tmp_path / "denoise.gif").n_frames == 2
    assert refusal(save_picture, red, tmp_path / "grid").key == "bad_extension"
    assert refusal(save_gif, [red], tmp_path / "denoise.png").key == "bad_extension"
    assert not leftovers(tmp_path) and not leftovers(tmp_path / "out")
