"""The command line on a table of bad inputs (../shared/reviews/reliability-2026-12.md): each one ends with a non-zero
exit and one sentence on stderr, never a traceback, and nothing trained is replaced."""
import os

import pytest

from diffusion_lab import PRESETS, make_run, save_checkpoint
from diffusion_lab.cli import main

BIG = "99999999999999999999999"

# (the words after `diffusion-lab`, a piece of the sentence expected on stderr)
BAD = [
    (["sample", "--n", "0"], "--n"), (["sample", "--n", "-3"], "--n"), (["sample", "--n", "100000"], "--n"),
    (["sample", "--seed", BIG], "--seed"), (["noise", "--seed", "-1"], "--seed"),
    (["animate", "--seed", BIG], "--seed"),
    (["sample", "--scale", "100000"], "--scale"), (["sample", "--guidance", "nan"], "--guidance"),
    (["sample", "--eta", "2"], "--eta"), (["sample", "--steps", "0"], "--steps"),
    (["sample", "--guidance", "3"], "--guidance has no effect"),  # the cats model has no condition
    (["sample", "--class", "car"], "without a condition"),
    (["evaluate", "--n", "0"], "--n"), (["evaluate", "--n", "1"], "--n"), (["evaluate", "--n", "-3"], "--n"),
    (["evaluate", "--train-classifier", "--images", "70", "--classifier-steps", "0"], "--classifier-steps"),
    (["evaluate", "--train-classifier", "--images", "0"], "--images"),
    (["noise", "--size", "0"], "--size"), (["noise", "--size", "-3"], "--size"),
    (["noise", "--size", "100000"], "--size"),
    (["noise", "--index", "-1"], "--index"), (["noise", "--t", "1000"], "t must be"), (["noise", "--T", "1"], "--T"),
    (["train", "--steps", "-1"], "--steps"), (["train", "--minutes", "-1"], "--minutes"),
    (["train", "--minutes", "nan"], "--minutes"), (["train", "--steps", "0"], "--resume"),
    (["train", "--lr", "0"], "--lr"), (["train", "--batch-size", "0"], "--batch-size"),
    (["train", "--preset", "categories", "--steps", "1", "--images", "."], "--images does not apply"),
    (["train", "--preset", "text", "--steps", "1", "--dataset", "cats"], "--dataset does not apply"),
    (["train", "--resume", "data/text.pt", "--preset", "cats", "--steps", "1"], "--preset cats"),
    (["sample", "--checkpoint", "nowhere.pt"], "No checkpoint at"),
    (["train", "--preset", "autoencoder", "--resume", "data/cats.pt", "--steps", "1"], "--resume does not apply"),
    (["train", "--preset", "autoencoder", "--images", ".", "--steps", "1"], "--images does not apply"),
    (["train", "--preset", "autoencoder", "--steps", "0"], "--resume"),
    (["sample", "--checkpoint", "data/autoencoder.pt"], "is an autoencoder, not a denoiser"),
]


def one_sentence_and_exit(argv, capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main(["--lang", "en", *argv])
    assert stop.value.code not in (0, None), f"{argv} exited with {stop.value.code}"
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("diffusion-lab: ") and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("argv, expected", BAD, ids=[" ".join(argv) for argv, _ in BAD])
def test_a_bad_value_gets_one_sentence(argv, expected, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # data/text.pt, as typed in class
    outputs = {"train": ["--out", str(tmp_path / "run.pt")], "sample": ["--out", str(tmp_path / "g.png")],
               "noise": ["--out", str(tmp_path / "s.png")], "animate": ["--out", str(tmp_path / "a.gif")]}
    argv = [*argv, *outputs.get(argv[0], [])] if "--out" not in argv else argv
    assert expected in one_sentence_and_exit(argv, capsys)
    assert not (tmp_path / "run.pt").exists()


@pytest.mark.parametrize("out, expected", [("g", "must end in"), ("strip.xyz", "must end in"), ("folder.png", "folder"),
                                           ("folder", "folder")])
def test_an_output_path_is_checked_before_the_work(out, expected, tmp_path, capsys):
    (tmp_path / "folder.png").mkdir()
    (tmp_path / "folder").mkdir()
    for command in (["sample", "--n", "1", "--steps", "1"], ["noise"], ["animate", "--steps", "1"]):
        err = one_sentence_and_exit([*command, "--out", str(tmp_path / out)], capsys)
        assert expected in err.lower(), err
        assert not any(path.name.endswith(".tmp") for path in tmp_path.rglob("*"))


def test_a_missing_output_folder_is_created(tmp_path, capsys):
    main(["sample", "--n", "1", "--steps", "1", "--out", str(tmp_path / "new" / "sub" / "g.png")])
    assert (tmp_path / "new" / "sub" / "g.png").is_file()


@pytest.fixture
def trained(tmp_path, monkeypatch):
    """A checkpoint someone trained: step 7."""
    monkeypatch.setitem(PRESETS, "cats", PRESETS["cats"].changed(n_images=16, batch_size=4))
    run = make_run("cats")
    run.step = 7
    return save_checkpoint(run, tmp_path / "mine.pt")


def test_training_never_silently_replaces_a_trained_checkpoint(trained, capsys):
    before = trained.read_bytes()
    err = one_sentence_and_exit(["train", "--steps", "2", "--out", str(trained)], capsys)
    assert "--resume" in err and "step 7" in err and trained.read_bytes() == before
    main(["train", "--steps", "1", "--out", str(trained), "--resume", str(trained)])  # continuing it is fine
    main(["train", "--steps", "1", "--out", str(trained), "--overwrite"])               # and replacing it, when asked


def test_a_directory_as_the_checkpoint_is_refused_before_training(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(PRESETS, "cats", PRESETS["cats"].changed(n_images=16, batch_size=4))
    (tmp_path / "emptydir").mkdir()
    err = one_sentence_and_exit(["train", "--steps", "2", "--out", str(tmp_path / "emptydir")], capsys)
    assert "folder" in err.lower() and not list(tmp_path.glob("*.tmp"))
