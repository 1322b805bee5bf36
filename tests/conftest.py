import os

import pytest
import torch

os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("DIFFUSION_LAB_LANG", "en")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Procedural datasets are cached under XDG_CACHE_HOME: keep the tests' copies out of the user's home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    torch.manual_seed(0)


@pytest.fixture
def tiny_unet():
    from diffusion_lab import UNet
    return UNet(size=16, base=16, mults=(1, 2), attention=True)
