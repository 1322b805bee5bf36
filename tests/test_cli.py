"""The command line, run in-process as a student would type it."""
import subprocess
import sys

import pytest
import torch
from PIL import Image

from diffusion_lab.cli import main

TINY = ["--preset", "cats", "--steps", "2", "--batch-size", "4"]


@pytest.fixture
def checkpoint(tmp_path, monkeypatch):
    """A tiny run trained for 2 steps (the U-Net of the preset, 2 images per batch)."""
    presets = __import__("diffusion_lab").PRESETS
    monkeypatch.setitem(presets, "cats", presets["cats"].changed(n_images=16))
    path = tmp_path / "run.pt"
    main(["train", *TINY, "--out", str(path)])
    return path


def test_noise_a_photo_and_a_procedural_cat(tmp_path):
    main(["noise", "--image", "data/chelsea.png", "--t", "0", "500", "999", "--out", str(tmp_path / "strip.png")])
    main(["noise", "--dataset", "cats", "--index", "3", "--out", str(tmp_path / "cats.png")])
    strip = Image.open(tmp_path / "strip.png")
    assert strip.width > 3 * strip.height / 2  # three panels side by side
    assert (tmp_path / "cats.png").is_file()


def test_train_sample_animate_and_resume(checkpoint, tmp_path, capsys):
    main(["sample", "--checkpoint", str(checkpoint), "--n", "4", "--steps", "3", "--out", str(tmp_path / "grid.png")])
    main(["animate", "--checkpoint", str(checkpoint), "--steps", "3", "--out", str(tmp_path / "denoise.gif")])
    gif = Image.open(tmp_path / "denoise.gif")
    assert gif.n_frames == 3
    main(["train", "--resume", str(checkpoint), "--steps", "1", "--out", str(tmp_path / "more.pt")])
    assert torch.load(tmp_path / "more.pt", weights_only=True)["step"] == 3
    assert "Resumed" in capsys.readouterr().out


def test_half_checkpoint_is_small(checkpoint, tmp_path):
    main(["train", "--resume", str(checkpoint), "--steps", "0", "--half", "--out", str(tmp_path / "small.pt")])
    assert (tmp_path / "small.pt").stat().st_size < 0.5 * checkpoint.stat().st_size
    main(["sample", "--checkpoint", str(tmp_path / "small.pt"), "--n", "1", "--steps", "2",
          "--out", str(tmp_path / "g.png")])


@pytest.mark.parametrize("argv, expected", [
    (["sample", "--steps", "5000", "--checkpoint", "CHECKPOINT"], "1000 or fewer"),
    (["sample", "--checkpoint", "nowhere.pt"], "No checkpoint at nowhere.pt"),
    (["noise", "--image", "README.md"], "Cannot read the image"),
    (["noise", "--t", "1000"], "between 0 and 999"),
    (["train", "--images", "no_such_folder", "--steps", "1"], "does not exist"),
])
def test_bad_input_is_one_clear_line(argv, expected, capsys, tmp_path, checkpoint):
    argv = [str(checkpoint) if arg == "CHECKPOINT" else arg for arg in argv]
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(argv + ["--out", str(tmp_path / "x.png")] if argv[0] != "train"
             else argv + ["--out", str(tmp_path / "x.pt")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_french_messages(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "sample", "--checkpoint", "nowhere.pt"])
    assert "Aucun fichier de poids" in capsys.readouterr().err
    from diffusion_lab import set_language
    set_language("en")


def test_python_dash_m_and_help():
    out = subprocess.run([sys.executable, "-m", "diffusion_lab", "--help"],
                         capture_output=True, text=True, check=True).stdout
    for command in ("noise", "train", "sample", "animate"):
        assert command in out


def test_missing_shipped_weights_say_how_to_get_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIFFUSION_LAB_DATA", str(tmp_path))  # a data/ folder without cats.pt
    with pytest.raises(SystemExit):
        main(["sample", "--out", str(tmp_path / "g.png")])
    assert "shipped weights" in capsys.readouterr().err


@pytest.fixture
def categories_checkpoint(tmp_path):
    """A categories model (untrained, tiny) saved like the shipped one."""
    from diffusion_lab import make_run, save_checkpoint
    tiny = {"size": 16, "base": 16, "mults": (1,), "attention": False, "groups": 8, "patch": 1, "cond_dim": 7}
    return save_checkpoint(make_run("categories", model=tiny), tmp_path / "categories.pt", half=True)


def test_sample_a_category_by_its_french_or_english_name(categories_checkpoint, tmp_path, capsys):
    for name in ("voiture", "Car", "ARBRE"):
        main(["sample", "--checkpoint", str(categories_checkpoint), "--class", name, "--guidance", "3", "--n", "2",
              "--steps", "2", "--out", str(tmp_path / f"{name}.png")])
        assert Image.open(tmp_path / f"{name}.png").width > 0
    main(["sample", "--checkpoint", str(categories_checkpoint), "--n", "7", "--steps", "2",
          "--out", str(tmp_path / "all.png")])


@pytest.mark.parametrize("argv, expected", [
    (["--class", "dragon"], "cat/chat, tree/arbre, car/voiture, house/maison, fish/poisson, flower/fleur, boat/bateau"),
    (["--class", "car", "--guidance", "-1"], "--guidance: '-1' is not a number from 0 to 20"),
    (["--class", "car", "--guidance", "500"], "--guidance: '500' is not a number from 0 to 20"),
    (["--preset", "cats"], "is a 'class' model, but a 'unconditional' model is needed"),
    (["--prompt", "a red car"], "tell it what to draw with --class"),
])
def test_categories_bad_input_is_one_clear_line(argv, expected, categories_checkpoint, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "en", "sample", "--checkpoint", str(categories_checkpoint), "--n", "2", "--steps", "2", *argv,
              "--out", str(tmp_path / "x.png")])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and len(err.splitlines()) == 1


def test_a_class_for_the_cats_model_is_refused(checkpoint, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "en", "sample", "--checkpoint", str(checkpoint), "--class", "car",
              "--out", str(tmp_path / "x.png")])
    assert "trained without a condition" in capsys.readouterr().err
