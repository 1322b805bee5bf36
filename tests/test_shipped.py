"""The shipped weights: present, small, loadable with weights_only=True, matching the preset, and documented."""
import torch

from diffusion_lab import PRESETS, load_checkpoint, load_model, sample
from diffusion_lab.cli import default_checkpoint


def test_shipped_checkpoint_is_small_and_matches_the_cats_preset():
    path = default_checkpoint()
    assert path.stat().st_size < 8e6
    state = load_checkpoint(path)
    assert "optimizer" not in state and all(v.dtype == torch.float16 for v in state["ema"].values() if v.is_floating_point())
    assert {k: (tuple(v) if isinstance(v, list) else v) for k, v in state["model_config"].items() if k in PRESETS["cats"]["model"]} \
        == dict(PRESETS["cats"]["model"])
    assert state["step"] > 0 and (path.parent / "cats.md").is_file()


def test_shipped_checkpoint_samples_images():
    model, schedule = load_model(default_checkpoint())
    images = sample(model, schedule, 2, 5, seed=0)
    assert images.shape == (2, 3, 32, 32) and images.std() > 0.1  # not a flat or empty picture
