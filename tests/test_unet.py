import pytest
import torch

from diffusion_lab import DiffusionLabError, UNet, UNetConfig
from diffusion_lab.unet import timestep_embedding


@pytest.mark.parametrize("config", [
    dict(size=32), dict(size=64), dict(size=32, patch=2, base=48), dict(size=64, mults=(1, 2, 2, 2)),
    dict(size=32, blocks=2, attention=False), dict(size=32, cond_dim=10), dict(size=32, cond_dim=10, cond_map="mlp"),
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


@pytest.mark.parametrize("cond_map, linear", [("linear", True), ("mlp", False)])
def test_one_condition_layer_is_linear_two_are_not(cond_map, linear):
    """f(a + b) - f(0) = (f(a) - f(0)) + (f(b) - f(0)) holds for a linear map only: a sentence needs the non-linear
    one."""
    f = UNet(size=16, base=16, mults=(1, 2), cond_dim=4, cond_map=cond_map).cond_proj
    a, b, zero = torch.randn(1, 4), torch.randn(1, 4), torch.zeros(1, 4)
    with torch.no_grad():
        assert torch.allclose(f(a + b) - f(zero), f(a) - f(zero) + f(b) - f(zero), atol=1e-5) == linear


def test_cond_map_must_be_one_of_its_choices():
    with pytest.raises(DiffusionLabError, match="cond_map.*'linear', 'mlp', 'none'"):
        UNetConfig(cond_dim=4, cond_map="cubic")


@pytest.mark.parametrize("config, name", [
    (dict(size=0), "size"),
    (dict(base=2.5), "base"),
    (dict(mults=()), "mults"),
    (dict(cond_dim=-1), "cond_dim"),
    (dict(cross_attention_levels=4, cond_dim=4), "cross_attention_levels"),
    (dict(prediction="noise"), "prediction"),
    (dict(groups=5), "groups"),
])
def test_every_bad_setting_is_refused_by_name(config, name):
    with pytest.raises(DiffusionLabError, match=f"^{name} "):
        UNetConfig(**config)


def test_old_checkpoint_configs_still_read():
    """Checkpoints written before the Literal settings said cond_layers 0/1/2 and cross_attention."""
    assert UNetConfig.from_dict({"cond_dim": 4, "cond_layers": 0, "cross_attention": 2}) == UNetConfig(
        cond_dim=4, cond_map="none", cross_attention_levels=2)
    assert UNetConfig.from_dict({"cond_dim": 4, "cond_layers": 2}).cond_map == "mlp"
    with pytest.raises(DiffusionLabError, match="model"):
        UNetConfig.from_dict({"wings": 2})


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


# ---- cross-attention: the pixels look at the prompt's words ----

def reads_words():
    """A tiny U-Net whose condition is (B, 1 + L, 4): a sentence's vector, then L word vectors (zeros: no word)."""
    torch.manual_seed(0)
    return UNet(size=16, base=16, mults=(1, 2), cond_dim=4, cond_map="mlp", cross_attention_levels=1).eval()


def test_padding_with_no_words_changes_nothing():
    """A prompt gives the same guess alone or padded to the length of a longer prompt in the same batch."""
    model, x, t = reads_words(), torch.randn(1, 3, 16, 16), torch.tensor([500])
    cond = torch.randn(1, 3, 4)
    padded = torch.cat([cond, torch.zeros(1, 5, 4)], dim=1)
    with torch.no_grad():
        assert torch.allclose(model(x, t, cond), model(x, t, padded), atol=1e-5)


def test_the_words_matter_not_only_the_sentence_vector():
    model, x, t = reads_words(), torch.randn(1, 3, 16, 16), torch.tensor([500])
    cond = torch.randn(1, 3, 4)
    other_words = torch.cat([cond[:, :1], torch.randn(1, 2, 4)], dim=1)  # the same sentence vector, other words
    with torch.no_grad():
        assert not torch.allclose(model(x, t, cond), model(x, t, other_words), atol=1e-4)


def test_attention_is_a_weighted_average_so_the_order_of_the_words_does_not_matter():
    """Cross-attention has no notion of order: the encoder's word vectors already carry where each word stands."""
    model, x, t = reads_words(), torch.randn(2, 3, 16, 16), torch.tensor([10, 900])
    cond = torch.randn(2, 4, 4)
    shuffled = torch.cat([cond[:, :1], cond[:, [3, 1, 2]]], dim=1)
    with torch.no_grad():
        assert torch.allclose(model(x, t, cond), model(x, t, shuffled), atol=1e-5)


def test_no_condition_is_a_sentence_of_zeros_with_no_words():
    model, x, t = reads_words(), torch.randn(2, 3, 16, 16), torch.tensor([10, 900])
    with torch.no_grad():
        none = model(x, t)
        assert torch.allclose(none, model(x, t, torch.zeros(1, 1, 4)), atol=1e-6)
        assert torch.allclose(none, model(x, t, torch.zeros(2, 7, 4)), atol=1e-6)


def test_a_model_can_read_the_words_alone_at_several_resolutions():
    """cond_map "none": the sentence's own vector (row 0) is ignored; cross_attention_levels=2: the two lowest
    resolutions read the words."""
    torch.manual_seed(0)
    model = UNet(size=16, base=16, mults=(1, 2), cond_dim=4, cond_map="none", cross_attention_levels=2).eval()
    readers = [layer for layer in model.modules() if type(layer).__name__ == "CrossAttention"]
    assert model.cond_proj is None and len(readers) == 1 + 2 + 2  # the middle, then 2 blocks at 8x8 and 2 at 16x16
    x, t, cond = torch.randn(1, 3, 16, 16), torch.tensor([500]), torch.randn(1, 3, 4)
    other_sentence = torch.cat([torch.randn(1, 1, 4), cond[:, 1:]], dim=1)
    with torch.no_grad():
        assert torch.allclose(model(x, t, cond), model(x, t, other_sentence))
        assert not torch.allclose(model(x, t, cond), model(x, t, torch.zeros(1, 1, 4)), atol=1e-4)
    with pytest.raises(DiffusionLabError, match="cond_map"):
        UNetConfig(cond_dim=4, cond_map="none")  # neither the sentence nor its words: nothing would be read


def test_a_model_that_reads_words_refuses_a_sentence_vector_alone():
    with pytest.raises(DiffusionLabError, match=r"\(1 \+ words\) x 4"):
        reads_words()(torch.randn(1, 3, 16, 16), torch.tensor([0]), torch.randn(1, 4))
    with pytest.raises(DiffusionLabError, match="cross_attention_levels"):
        UNetConfig(cross_attention_levels=1)


def test_the_attention_weights_are_what_the_layer_uses():
    """forward() = x + out(weights @ v): the weights shown to students are the ones the network really uses."""
    layer = reads_words().mid_words
    x, words = torch.randn(2, 32, 4, 4), torch.randn(2, 3, 4)
    mask = torch.tensor([[True, True, False], [True, True, True]])
    with torch.no_grad():
        w = layer.weights(x, words, mask)  # (2, heads, 16, 4)
        assert torch.allclose(w.sum(-1), torch.ones(2, 4, 16)) and (w[0, ..., 3] == 0).all()  # padding gets nothing
        _, _, v = layer._qkv(x, words, mask)
        by_hand = x + layer.out((w @ v).transpose(2, 3).reshape(2, 32, 4, 4))
        assert torch.allclose(layer(x, words, mask), by_hand, atol=1e-5)
