"""The notebook widgets, headless: they build, they redraw, and they leave a still picture for static renderers."""
import base64
import io
import re

import numpy as np
import pytest
import torch
from PIL import Image

from diffusion_lab import DiffusionLabError, NoiseSchedule, Step, make_run, messages
from diffusion_lab.widgets import denoise_player, gif_html, monitor_html, noise_slider, training_monitor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def images_in(html: str, kind: str = "png"):
    """Every picture embedded in an HTML string, as PIL images."""
    found = re.findall(rf"data:image/{kind};base64,([A-Za-z0-9+/=]+)", html)
    return [Image.open(io.BytesIO(base64.b64decode(data))) for data in found]


def shown(out) -> str:
    """The HTML an Output widget currently shows."""
    assert len(out.outputs) == 1
    return out.outputs[0]["data"]["text/html"]


@pytest.fixture
def schedule():
    return NoiseSchedule(T=100)


@pytest.fixture
def english(monkeypatch):
    monkeypatch.setattr(messages, "_language", "en")


def fake_steps(n=5, size=8):
    """Sampler Steps with recognisable content: x_t fades from noise to a flat grey image."""
    x0 = torch.zeros(2, 3, size, size)
    noise = torch.randn(2, 3, size, size)
    return [Step(t, x0 + noise * t / 99, noise, x0) for t in torch.linspace(99, 0, n).round().long().tolist()]


def test_noise_slider_redraws_a_different_picture_with_its_caption(schedule, english):
    cats = torch.randint(0, 256, (2, 3, 8, 8), dtype=torch.uint8)
    slider, out = noise_slider(cats, schedule, seed=0).widget.children
    before = shown(out)
    assert "t = 0 " in before and "1.00 × the picture + 0.03 × the noise" in before  # at t = 0 the cat is all there
    assert "what is left of the cat" in before and "the noise added" in before  # the two terms, side by side
    slider.value = 99
    after = shown(out)
    assert "t = 99" in after
    old, new = images_in(before)[0], images_in(after)[0]
    assert old.size == new.size and old.tobytes() != new.tobytes()


def test_noise_slider_uses_the_same_noise_at_every_t(schedule):
    """Going back to a t gives exactly the same picture: eps is drawn once."""
    slider, out = noise_slider(torch.zeros(3, 8, 8), schedule, seed=3).widget.children
    slider.value = 40
    first = images_in(shown(out))[0].tobytes()
    slider.value = 70
    slider.value = 40
    assert images_in(shown(out))[0].tobytes() == first


def test_noise_slider_refuses_bad_settings_with_the_package_messages(schedule):
    with pytest.raises(DiffusionLabError, match="between 0 and 99"):
        noise_slider(torch.zeros(3, 8, 8), schedule, t=100)
    with pytest.raises(DiffusionLabError, match="seed"):
        noise_slider(torch.zeros(3, 8, 8), schedule, seed="zero")


def test_the_display_bundle_has_a_widget_and_a_static_picture(schedule):
    shown_bundle = noise_slider(torch.zeros(3, 8, 8), schedule)._repr_mimebundle_()
    assert shown_bundle[WIDGET_VIEW]["model_id"]
    assert len(images_in(shown_bundle["text/html"])) == 5  # a strip of stills at five t
    assert Image.open(io.BytesIO(base64.b64decode(shown_bundle["image/png"]))).size[0] > 0
    assert shown_bundle["text/plain"]


def test_denoise_player_steps_through_frames_and_falls_back_to_a_gif(schedule, english):
    steps = fake_steps(n=5)
    player = denoise_player(steps, schedule, scale=2)
    (play, slider), out = player.widget.children[0].children, player.widget.children[1]
    assert play.min == slider.min == 1 and play.max == slider.max == 5  # counted as the caption counts, from 1
    first = shown(out)
    assert "step 1 of 5" in first and "t = 99" in first
    slider.value = 5
    last = shown(out)
    assert "step 5 of 5" in last and "t = 0" in last
    assert re.search(r"noise left: \d%", last)  # at t = 0 only a trace of noise is left
    assert images_in(first)[0].tobytes() != images_in(last)[0].tobytes()
    gif = images_in(player._repr_mimebundle_()["text/html"], "gif")[0]
    assert gif.format == "GIF" and gif.n_frames == 5


def test_denoise_player_accepts_the_sampler_generator(schedule):
    player = denoise_player(iter(fake_steps(n=40)), schedule, scale=1)
    gif = images_in(player.html, "gif")[0]
    assert player.widget.children[0].children[1].max == 40
    assert gif.n_frames <= 30  # long runs are thinned out in the static GIF


def test_gif_html_is_a_valid_base64_gif_with_every_frame():
    frames = [Image.new("RGB", (16, 16), (40 * k, 0, 0)) for k in range(6)]
    html = gif_html(frames, seconds_per_frame=0.05).data
    data = base64.b64decode(re.search(r"data:image/gif;base64,([A-Za-z0-9+/=]+)", html).group(1))
    assert data[:6] == b"GIF89a"
    gif = Image.open(io.BytesIO(data))
    assert gif.n_frames == 6 and gif.info["loop"] == 0


def test_labels_follow_the_language(schedule, monkeypatch):
    monkeypatch.setattr(messages, "_language", "fr")
    html = shown(noise_slider(torch.zeros(3, 8, 8), schedule).widget.children[1])
    assert "reste du chat" in html and "1,00 × l'image + 0,03 × le bruit" in html  # a decimal comma in French
    monkeypatch.setattr(messages, "_language", "en")
    assert "left of the cat" in shown(noise_slider(torch.zeros(3, 8, 8), schedule).widget.children[1])


def test_training_monitor_samples_the_same_noise_each_time_without_touching_training():
    run = make_run("cats", model={"size": 8, "base": 8, "mults": (1, 2), "patch": 1, "attention": False})
    run.model.train()
    monitor = training_monitor(n=2, steps=2, seed=0, scale=1)
    run.losses, run.step = [1.0, 0.5], 2
    monitor(run)
    monitor(run)  # unchanged weights, same seed: the same pictures
    assert [step for step, _ in monitor.snapshots] == [2, 2]
    assert torch.equal(monitor.snapshots[0][1], monitor.snapshots[1][1])
    assert monitor.snapshots[0][1].shape == (2, 3, 8, 8)
    assert run.model.training and not run.ema.training


def test_monitor_page_shows_the_loss_curve_and_spread_out_snapshots():
    snapshots = [(step, torch.zeros(2, 3, 8, 8)) for step in range(0, 100, 10)]
    html = monitor_html([1.0 / (k + 1) for k in range(100)], snapshots, scale=1, rows=3)
    assert len(images_in(html)) == 1 + 3
    assert all(f">{messages.message('widget_after', step=s)}<" in html for s in (0, 90))  # the first and the latest


def test_training_monitor_refuses_a_bad_seed_before_training():
    with pytest.raises(DiffusionLabError, match="seed"):
        training_monitor(seed=1.5)


def test_guided_sampler_redraws_when_the_condition_or_the_guidance_changes(schedule, english):
    import ipywidgets

    from diffusion_lab.conditioning import one_hot
    from diffusion_lab.widgets import guided_sampler
    torch.manual_seed(0)
    model = make_run("categories", model={"size": 8, "base": 8, "mults": (1,), "attention": False, "groups": 4,
                                          "patch": 1, "cond_dim": 3}, classes=("cat", "tree", "car")).ema
    torch.nn.init.normal_(model.cond_proj.weight, std=3.0)  # a fresh model barely listens to its condition: make it
    choice = ipywidgets.Dropdown(options=["cat", "tree", "car"], value="cat")
    asked = []

    def to_cond(name):
        asked.append(name)
        return one_hot(torch.tensor([["cat", "tree", "car"].index(name)]), 3)

    view = guided_sampler(model, schedule, choice, to_cond, n=2, steps=3, guidance=3.0, scale=1)
    out = view.widget.children[-1]
    first = shown(out)
    assert "cat · guidance 3" in first
    choice.value = "car"
    second = shown(out)
    assert "car · guidance 3" in second and images_in(second)[0].tobytes() != images_in(first)[0].tobytes()
    view.widget.children[1].value = 0.0  # guidance 0: the condition is ignored, so any class gives the same picture
    at_zero = torch.tensor(np.array(images_in(shown(out))[0].convert("RGB")), dtype=torch.int32)
    choice.value = "tree"
    now = torch.tensor(np.array(images_in(shown(out))[0].convert("RGB")), dtype=torch.int32)
    assert (now - at_zero).abs().max() <= 1 and "tree · guidance 0" in shown(out)
    assert asked[:2] == ["cat", "car"]
    assert WIDGET_VIEW in view._repr_mimebundle_() and images_in(view.html)


# ---- every argument is checked at the call, with one sentence, before anything is built ----

def test_noise_slider_refuses_zero_images_and_a_bad_width(schedule):
    with pytest.raises(DiffusionLabError) as refused:
        noise_slider(torch.zeros(0, 3, 8, 8), schedule)  # images[:0]: it used to divide by zero
    assert refused.value.key == "no_images" and "(0, 3, 8, 8)" in str(refused.value)
    with pytest.raises(DiffusionLabError, match="width"):
        noise_slider(torch.zeros(3, 8, 8), schedule, width=0)


def test_denoise_player_refuses_no_steps_a_bad_index_and_a_bad_pace(schedule):
    with pytest.raises(DiffusionLabError) as refused:
        denoise_player([], schedule)
    assert refused.value.key == "no_steps" and "only once" in str(refused.value)
    with pytest.raises(DiffusionLabError, match=r"index must be a whole number from 0 to 1, got 5"):
        denoise_player(fake_steps(n=3), schedule, index=5)  # the fake steps hold 2 images
    for pace in (-1, 0, float("nan"), float("inf"), "fast"):
        with pytest.raises(DiffusionLabError, match="seconds_per_frame"):
            denoise_player(fake_steps(n=3), schedule, seconds_per_frame=pace)


def test_denoise_player_checks_the_pace_before_it_reads_the_steps(schedule):
    def steps():
        pytest.fail("the sampler ran although the player was going to refuse")
        yield

    with pytest.raises(DiffusionLabError, match="seconds_per_frame"):
        denoise_player(steps(), schedule, seconds_per_frame=-1)


def test_training_monitor_refuses_bad_n_and_steps_before_training():
    for n in (0, -3, 2.5):
        with pytest.raises(DiffusionLabError, match="n must be a whole number"):
            training_monitor(n=n)
    for steps in (0, -1, 1.5, True):
        with pytest.raises(DiffusionLabError) as refused:
            training_monitor(steps=steps)
        assert refused.value.key == "bad_monitor_steps"


def guided(schedule, **arguments):
    import ipywidgets

    from diffusion_lab.widgets import guided_sampler
    torch.manual_seed(0)
    tiny = {"size": 8, "base": 8, "mults": (1,), "attention": False, "groups": 4, "patch": 1}
    model = make_run("categories", model=tiny).ema
    asked = []
    cat = torch.zeros(1, model.config.cond_dim)
    cat[0, 0] = 1.0  # a one-hot vector for the first class
    view = guided_sampler(model, schedule, ipywidgets.Dropdown(options=["cat"], value="cat"),
                          lambda name: asked.append(name) or cat, **arguments)
    return view, asked


def test_guided_sampler_refuses_bad_arguments_before_it_samples(schedule, english):
    import diffusion_lab.widgets as widgets_module
    for arguments, key, said in [({"n": 0}, "bad_setting", "n must"), ({"scale": 0}, "bad_setting", "scale must"),
                                 ({"steps": 0}, "bad_steps", "got 0"), ({"steps": 101}, "bad_steps", "got 101"),
                                 ({"seed": "zero"}, "bad_seed", "'zero'"), ({"guidance": -5}, "bad_guidance", "got -5"),
                                 ({"guidance": 50}, "bad_guidance", "got 50"),
                                 ({"guidance": float("nan")}, "bad_guidance", "got nan")]:
        with pytest.raises(DiffusionLabError) as refused:
            guided(schedule, **{"n": 1, "steps": 2, **arguments})
        assert refused.value.key == key and said in str(refused.value), arguments
    with pytest.raises(DiffusionLabError, match="from 0 to 10"):  # the slider's range: -5 is refused, not moved to 0
        guided(schedule, n=1, steps=2, guidance=-5)
    assert widgets_module.GUIDANCE_SLIDER_MOST == 10
    view, asked = guided(schedule, n=1, steps=2, guidance=10)  # the ends of the slider are fine
    assert view.widget.children[1].value == 10 and asked == ["cat"]
