import pytest
import torch

from diffusion_lab import DiffusionLabError, UNet, UNetConfig
from diffusion_lab.unet import timestep_embedding


@pytest.mark.parametrize("config", [
    dict(size=32), dict(size=64), dict(size=32, patch=2, base=48), dict(size=64, mults=(1, 2, 2, 2)),
    dict(size=32, blocks=2, attention=False), dict(size=32, cond_dim=10), dict(size=32, cond_dim=10, cond_layers=2),
])
def test_output_has_the_shape_of_the_input(config):
    model = UNet(**config)
    x = torch.randn(2, 3, config["size"], config["size"])
    cond = torch.randn(2, config["cond_dim"]) if config.get("cond_dim") else None
    assert model(x, torch.tensor([0, 999]), cond).shape == x.shape


def test_condition_changes_the_output():
    model = UNet(size=16, base=16, mults=(1, 2), cond_dim=4)
    x, t = torch.randn(1, 3, 16, 16), torch.tensor([10])
    assert not torch.allclose(model(x, t, torch.zeros(1, 4)), model(x, t, torch.ones(1, 4)))


@pytest.mark.parametrize("layers, linear", [(1, True), (2, False)])
def test_one_condition_layer_is_linear_two_are_not(layers, linear):
    """f(a + b) - f(0) = (f(a) - f(0)) + (f(b) - f(0)) holds for a linear map only: a sentence needs the non-linear one."""
    f = UNet(size=16, base=16, mults=(1, 2), cond_dim=4, cond_layers=layers).cond_proj
    a, b, zero = torch.randn(1, 4), torch.randn(1, 4), torch.zeros(1, 4)
    with torch.no_grad():
        assert torch.allclose(f(a + b) - f(zero), f(a) - f(zero) + f(b) - f(zero), atol=1e-5) == linear


def test_cond_layers_must_be_one_or_two():
    with pytest.raises(ValueError, match="cond_layers"):
        UNetConfig(cond_dim=4, cond_layers=3)


def test_time_changes_the_output(tiny_unet):
    x = torch.randn(1, 3, 16, 16)
    assert not torch.allclose(tiny_unet(x, torch.tensor([0])), tiny_unet(x, torch.tensor([900])))


def test_timestep_embedding_is_sinusoidal():
    emb = timestep_embedding(torch.tensor([0, 5]), 8)
    assert emb.shape == (2, 8)
    torch.testing.assert_close(emb[0], torch.tensor([1.0] * 4 + [0.0] * 4))
    assert torch.allclose(emb[1].pow(2)[:4] + emb[1].pow(2)[4:], torch.ones(4))  # cos^2 + sin^2 = 1


@pytest.mark.parametrize("size", [30, 2, 33])
def test_a_size_the_unet_cannot_take(size):
    with pytest.raises(DiffusionLabError, match="multiple of 4"):
        UNetConfig(size=size)


def test_wrong_image_size_at_call_time(tiny_unet):
    with pytest.raises(DiffusionLabError, match="16x16"):
        tiny_unet(torch.randn(1, 3, 32, 32), torch.tensor([0]))


def test_repr_gives_the_parameter_count():
    model = UNet()
    assert f"{model.num_parameters() / 1e6:.2f}M parameters" in repr(model)
    assert model.num_parameters() == sum(p.numel() for p in model.parameters())
