"""Checkpoints: round trip, resume, and every kind of bad file gets a clear one-line error."""
import os

import pytest
import torch

from diffusion_lab import DiffusionLabError, load_model, load_run, make_run, sample, save_checkpoint, train

TINY = {"model": {"size": 16, "base": 16, "mults": (1, 2)}, "batch_size": 4, "warmup": 1}
IMAGES = (torch.rand(8, 3, 16, 16) * 255).to(torch.uint8)


@pytest.fixture
def trained(tmp_path):
    run = make_run("cats", **TINY)
    train(run, IMAGES, steps=3, checkpoint=tmp_path / "run.pt", progress=False)
    return run, tmp_path / "run.pt"


def test_round_trip_gives_the_same_samples(trained):
    run, path = trained
    model, schedule = load_model(path)
    assert torch.equal(sample(model, schedule, 2, 4, seed=0), sample(run.ema.eval(), run.schedule, 2, 4, seed=0))


def test_half_precision_file_is_small_and_close(trained, tmp_path):
    run, path = trained
    small = save_checkpoint(run, tmp_path / "small.pt", half=True)
    assert small.stat().st_size < 0.6 * path.stat().st_size
    model, schedule = load_model(small)
    assert (sample(model, schedule, 2, 4, seed=0)
            - sample(run.ema.eval(), run.schedule, 2, 4, seed=0)).abs().max() < 0.05


def test_resume_continues_the_step_count_and_optimizer(trained):
    run, path = trained
    resumed = load_run(path)
    assert resumed.step == 3 and resumed.settings == run.settings
    assert resumed.optimizer.state_dict()["state"]  # Adam's moments came back
    for a, b in zip(resumed.model.parameters(), run.model.parameters()):
        assert torch.equal(a, b)
    train(resumed, IMAGES, steps=2, progress=False)
    assert resumed.step == 5


def test_missing_file(tmp_path):
    with pytest.raises(DiffusionLabError, match="No checkpoint at"):
        load_model(tmp_path / "nope.pt")


def test_truncated_file(trained, tmp_path):
    _, path = trained
    cut = tmp_path / "cut.pt"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DiffusionLabError, match="not a readable checkpoint"):
        load_model(cut)


def test_garbage_file(tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(os.urandom(2000))
    with pytest.raises(DiffusionLabError, match="not a readable checkpoint"):
        load_model(junk)


@pytest.mark.parametrize("seed", range(40))
def test_any_garbage_gets_the_same_clear_message(tmp_path, seed):
    """Random bytes fail in many places inside torch's unpickler (KeyError, IndexError, ...): always one clear
    sentence."""
    junk = tmp_path / "junk.pt"
    junk.write_bytes(torch.randint(0, 256, (2000,), generator=torch.Generator().manual_seed(seed),
                                   dtype=torch.uint8).numpy().tobytes())
    with pytest.raises(DiffusionLabError, match="not a readable checkpoint"):
        load_model(junk)


def test_not_a_checkpoint(tmp_path):
    torch.save({"weights": torch.zeros(3)}, tmp_path / "other.pt")
    with pytest.raises(DiffusionLabError, match="not a diffusion-lab checkpoint"):
        load_model(tmp_path / "other.pt")


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > evil.txt",))


def test_a_pickle_that_would_run_code_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    torch.save({"format": "diffusion-lab checkpoint", "payload": Evil()}, "evil.pt")
    with pytest.raises(DiffusionLabError, match="could run code"):
        load_model("evil.pt")
    assert not (tmp_path / "evil.txt").exists()


def test_another_architecture(trained, tmp_path):
    _, path = trained
    state = torch.load(path, weights_only=True)
    state["model_config"]["base"] = 32  # the weights are for base 16
    torch.save(state, tmp_path / "other_arch.pt")
    with pytest.raises(DiffusionLabError, match="does not fit this U-Net"):
        load_model(tmp_path / "other_arch.pt")
