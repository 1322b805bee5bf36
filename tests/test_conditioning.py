"""Conditioning and classifier-free guidance: one-hot classes, label dropout, the guidance formula, and a model that
obeys."""
import math

import pytest
import torch

from diffusion_lab import make_run, sample, train
from diffusion_lab.checkpoint import load_model, save_checkpoint
from diffusion_lab.conditioning import check_guidance, drop, guide, null_like, one_hot
from diffusion_lab.messages import DiffusionLabError
from diffusion_lab.sample import predict
from diffusion_lab.schedule import NoiseSchedule
from diffusion_lab.unet import UNet

TINY = {"size": 16, "base": 16, "mults": (1, 2), "blocks": 1, "attention": False, "groups": 8, "patch": 1}


def tiny(cond_dim=3, prediction="x0"):
    torch.manual_seed(0)
    return UNet(**TINY, cond_dim=cond_dim, prediction=prediction).eval()


def test_one_hot_puts_a_one_in_the_class_position_and_minus_one_is_the_null_condition():
    vectors = one_hot(torch.tensor([2, 0, -1]), 4)
    assert vectors.tolist() == [[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]]


def test_label_dropout_replaces_whole_rows_by_the_null_condition_with_probability_p():
    cond = torch.ones(10000, 3)
    assert torch.equal(drop(cond, 0.0), cond)
    assert torch.equal(drop(cond, 1.0), null_like(cond))
    dropped = drop(cond, 0.1)
    rows_zero = (dropped == 0).all(1)
    assert ((dropped == 1).all(1) | rows_zero).all()  # a row is kept or dropped whole
    assert 0.08 < rows_zero.float().mean().item() < 0.12


def test_guidance_formula_zero_is_unconditional_one_is_conditional_and_it_extrapolates():
    c, u = torch.tensor([3.0]), torch.tensor([1.0])
    assert guide(c, u, 0).item() == 1.0 and guide(c, u, 1).item() == 3.0 and guide(c, u, 3).item() == 7.0


@pytest.mark.parametrize("bad", [-1, float("nan"), 1000, "3", True, None])
def test_absurd_guidance_gets_a_clear_message(bad):
    with pytest.raises(DiffusionLabError, match="guidance"):
        check_guidance(bad)


def test_a_conditional_unet_reads_no_condition_as_the_null_condition():
    model, x, t = tiny(), torch.randn(2, 3, 16, 16), torch.tensor([10, 500])
    with torch.no_grad():
        assert torch.equal(model(x, t), model(x, t, torch.zeros(2, 3)))
        assert not torch.allclose(model(x, t, one_hot(torch.tensor([0, 1]), 3)), model(x, t))


def test_the_condition_changes_the_output_only_through_the_time_embedding_path():
    """A freshly built conditional U-Net with its cond projection zeroed is exactly the unconditional one."""
    model = tiny()
    torch.nn.init.zeros_(model.cond_proj.weight)
    torch.nn.init.zeros_(model.cond_proj.bias)
    plain = UNet(**TINY).eval()
    plain.load_state_dict({k: v for k, v in model.state_dict().items() if not k.startswith("cond_proj")})
    x, t = torch.randn(2, 3, 16, 16), torch.tensor([3, 900])
    with torch.no_grad():
        assert torch.allclose(model(x, t, one_hot(torch.tensor([1, 2]), 3)), plain(x, t), atol=1e-6)


def test_predict_with_guidance_matches_the_formula_used_by_diffusers_pipelines():
    """diffusers: noise_pred = noise_pred_uncond + guidance_scale * (noise_pred_text - noise_pred_uncond)."""
    model, schedule = tiny(prediction="eps"), NoiseSchedule(1000)
    x, cond = torch.randn(2, 3, 16, 16), one_hot(torch.tensor([1, 2]), 3)
    with torch.no_grad():
        eps_c = model(x, torch.full((2,), 400), cond)
        eps_u = model(x, torch.full((2,), 400), torch.zeros(2, 3))
        eps_pred, _ = predict(model, schedule, x, 400, cond, guidance=2.5)
    assert torch.allclose(eps_pred, eps_u + 2.5 * (eps_c - eps_u), atol=1e-5)


def test_guidance_zero_with_the_null_class_is_the_unconditional_model():
    model, schedule = tiny(), NoiseSchedule(1000)
    null = one_hot(torch.tensor([-1] * 4), 3)
    unconditional = sample(model, schedule, 4, 10, seed=1, precision="fp32")  # no condition at all
    assert torch.equal(sample(model, schedule, 4, 10, seed=1, cond=null, guidance=0, precision="fp32"), unconditional)
    # guidance 0 ignores whatever class was asked for
    cars = one_hot(torch.tensor([2] * 4), 3)
    assert torch.allclose(sample(model, schedule, 4, 10, seed=1, cond=cars, guidance=0, precision="fp32"),
                          unconditional, atol=1e-5)
    assert not torch.allclose(sample(model, schedule, 4, 10, seed=1, cond=cars, guidance=3, precision="fp32"),
                              unconditional, atol=1e-3)


def test_an_unconditional_model_refuses_a_condition_and_a_wrong_length_is_named():
    with pytest.raises(DiffusionLabError, match="without a condition"):
        UNet(**TINY)(torch.randn(1, 3, 16, 16), torch.tensor([0]), torch.zeros(1, 3))
    with pytest.raises(DiffusionLabError, match="3 numbers"):
        tiny()(torch.randn(1, 3, 16, 16), torch.tensor([0]), torch.zeros(1, 5))


def test_a_class_conditioned_model_learns_to_draw_the_class_it_is_asked_for():
    """Two classes: dark pictures (class 0) and light pictures (class 1). After a short training, asking for each
    class gives pictures on the right side; without label dropout the null condition would mean nothing."""
    torch.manual_seed(0)
    run = make_run("categories", model={**TINY, "cond_dim": 2}, classes=("cat", "tree"), lr=3e-3, batch_size=16,
                   cond_dropout=0.2)
    dark, light = (torch.full((32, 3, 16, 16), 40, dtype=torch.uint8),
                   torch.full((32, 3, 16, 16), 215, dtype=torch.uint8))
    labels = torch.tensor([0] * 32 + [1] * 32)
    train(run, torch.cat([dark, light]), steps=150, progress=False, conds=one_hot(labels, 2))
    means = [sample(run.ema, run.schedule, 4, 10, seed=0, cond=one_hot(torch.tensor([k] * 4), 2), guidance=2,
                    precision="fp32").mean().item() for k in (0, 1)]
    assert means[0] < -0.3 and means[1] > 0.3, means


def test_training_a_conditional_model_needs_conditions_and_an_unconditional_one_refuses_them():
    images = torch.zeros(4, 3, 16, 16, dtype=torch.uint8)
    with pytest.raises(DiffusionLabError, match="conditional"):
        train(make_run("categories", model={**TINY, "cond_dim": 2}, classes=("cat", "tree")), images, steps=1,
              progress=False)
    with pytest.raises(DiffusionLabError, match="without a condition"):
        train(make_run("cats", model=TINY), images, steps=1, progress=False, conds=torch.zeros(4, 2))


def test_several_conditions_per_image_pick_one_per_step():
    from diffusion_lab.data import random_batch
    images = torch.zeros(6, 3, 8, 8, dtype=torch.uint8)
    conds = torch.arange(6 * 4 * 2, dtype=torch.float32).reshape(6, 4, 2)  # 6 images, 4 captions each
    _, cond = random_batch(images, 500, conds=conds)
    rows = {tuple(r) for r in cond.tolist()}
    assert len(rows) == 24 and rows <= {tuple(r) for r in conds.reshape(-1, 2).tolist()}


def test_a_categories_checkpoint_where_a_cats_one_is_expected_says_which_is_which(tmp_path):
    run = make_run("categories", model={**TINY, "cond_dim": 2}, classes=("cat", "tree"))
    path = save_checkpoint(run, tmp_path / "categories.pt", half=True)
    with pytest.raises(DiffusionLabError, match="is a .class. model, but a .unconditional. model"):
        load_model(path, kind="unconditional")
    model, _ = load_model(path, kind="class")
    assert model.config.cond_dim == 2 and model.settings.condition == "class"
    cats = save_checkpoint(make_run("cats", model=TINY), tmp_path / "cats.pt", half=True)
    with pytest.raises(DiffusionLabError, match="unconditional.*class"):
        load_model(cats, kind="class")
    assert not math.isnan(load_model(cats, kind="unconditional")[0].num_parameters())


def test_caption_dropout_drops_a_whole_sentence_with_its_words():
    cond = torch.ones(1000, 5, 3)  # 1000 images: a sentence and 4 words each
    kept = drop(cond, 0.3).sum(dim=(1, 2))
    assert set(kept.tolist()) == {0.0, 15.0} and 250 < (kept == 0).sum() < 350


def test_a_bank_of_captions_with_words_gives_each_image_one_of_its_own_captions_padded():
    from diffusion_lab.data import random_batch
    from diffusion_lab.text import CaptionWords
    # 4 distinct captions of 2..5 rows
    per_caption = [torch.full((n, 2), float(m + 1)) for m, n in enumerate([2, 4, 3, 5])]
    bank = CaptionWords.from_list(per_caption, torch.tensor([[0, 1], [2, 3], [1, 1]]))  # 3 images, 2 captions each
    images = torch.arange(3, dtype=torch.uint8).reshape(3, 1, 1, 1).expand(3, 3, 8, 8).contiguous()
    x0, cond = random_batch(images, 300, flip=False, conds=bank)
    assert cond.shape == (300, 5, 2)
    for image, rows in zip(x0[:, 0, 0, 0].tolist(), cond):
        m = int(rows[0, 0]) - 1
        assert m in {0: {0, 1}, 1: {2, 3}, 2: {1}}[round((image + 1) * 127.5)]
        assert (rows[:len(per_caption[m])] == m + 1).all() and (rows[len(per_caption[m]):] == 0).all()
    # a subset of the pictures
    assert len(bank[torch.tensor([2, 0])]) == 2 and bank[1:].caption.tolist() == [[2, 3], [1, 1]]


def test_the_text_preset_never_mirrors_a_picture_since_its_caption_may_say_left_or_right():
    from diffusion_lab.engine import Engine
    run = make_run("text", model={**TINY, "cond_dim": 2, "cross_attention_levels": 1}, batch_size=64)
    image = torch.zeros(1, 3, 16, 16, dtype=torch.uint8)
    image[..., :8] = 255  # white on the left only
    words = torch.ones(1, 1, 3, 2)  # one caption: a sentence and two words
    x0, _ = Engine(run, image, words).batch()
    assert (x0[..., :8] == 1).all() and (x0[..., 8:] == -1).all()
