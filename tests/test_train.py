import pytest
import torch

from diffusion_lab import DiffusionLabError, NoiseSchedule, diffusion_loss, make_run, train
from diffusion_lab.train import update_ema

TINY = {"model": {"size": 16, "base": 16, "mults": (1, 2)}, "batch_size": 8, "lr": 3e-3, "warmup": 1}


def test_loss_of_a_perfect_noise_predictor_is_zero():
    schedule = NoiseSchedule()
    x0 = torch.zeros(4, 3, 8, 8)  # with x0 = 0, x_t = sqrt(1 - alpha_bar) eps, so eps = x_t / sqrt(1 - alpha_bar)
    perfect = lambda xt, t, cond=None: xt / (1 - schedule.alpha_bar[t]).sqrt()[:, None, None, None]
    assert diffusion_loss(perfect, schedule, x0).item() < 1e-8
    assert diffusion_loss(lambda xt, t, cond=None: torch.zeros_like(xt), schedule, x0).item() > 0.5


def test_a_few_steps_of_training_lower_the_loss():
    torch.manual_seed(0)
    run = make_run("cats", **TINY)
    images = (torch.rand(4, 3, 1, 1) * 255).to(torch.uint8).expand(4, 3, 16, 16).contiguous()  # 4 flat colours
    train(run, images, steps=60, progress=False)
    assert run.step == 60 and len(run.losses) == 60
    assert sum(run.losses[-15:]) / 15 < 0.6 * sum(run.losses[:15]) / 15


def test_minutes_budget_stops_training():
    run = make_run("cats", **TINY)
    train(run, torch.zeros(4, 3, 16, 16, dtype=torch.uint8), minutes=0.02, progress=False)
    assert 0 < run.step and 1.0 <= run.seconds < 10


def test_on_step_hook_is_called():
    run, seen = make_run("cats", **TINY), []
    train(run, torch.zeros(4, 3, 16, 16, dtype=torch.uint8), steps=7, on_step=lambda r: seen.append(r.step), every=3, progress=False)
    assert seen == [3, 6, 7]


def test_ema_moves_towards_the_model():
    a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    before = (a.weight - b.weight).abs().sum()
    update_ema(a, b, decay=0.9, step=1000)
    assert torch.allclose((a.weight - b.weight).abs().sum(), 0.9 * before)


def test_nan_loss_stops_with_advice_and_keeps_the_good_weights(tmp_path):
    run = make_run("cats", **TINY)
    good = {k: v.clone() for k, v in run.model.state_dict().items()}
    images = torch.full((4, 3, 16, 16), float("nan"))
    with pytest.raises(DiffusionLabError, match="lower learning rate") as error:
        train(run, images, steps=5, checkpoint=tmp_path / "run.pt", progress=False)
    assert str(tmp_path / "run.pt") in str(error.value) and (tmp_path / "run.pt").is_file()
    assert all(torch.equal(good[k], v) for k, v in run.model.state_dict().items())


def test_ctrl_c_saves_the_checkpoint_and_says_where(tmp_path, capsys):
    def press_ctrl_c(run):
        raise KeyboardInterrupt

    run = make_run("cats", **TINY)
    train(run, torch.zeros(4, 3, 16, 16, dtype=torch.uint8), steps=50, on_step=press_ctrl_c, every=4, checkpoint=tmp_path / "c.pt", progress=False)
    assert run.interrupted and run.step == 4
    assert (tmp_path / "c.pt").is_file() and str(tmp_path / "c.pt") in capsys.readouterr().out


def test_no_budget_is_an_error():
    with pytest.raises(DiffusionLabError, match="steps or a time"):
        train(make_run("cats", **TINY), torch.zeros(4, 3, 16, 16))


def test_unknown_preset():
    with pytest.raises(DiffusionLabError, match="cats"):
        make_run("dogs")
