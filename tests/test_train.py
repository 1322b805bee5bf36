import importlib
import os
import signal
import time

import pytest
import torch

from diffusion_lab import DiffusionLabError, NoiseSchedule, diffusion_loss, load_run, make_run, train
from diffusion_lab.train import update_ema

train_module = importlib.import_module("diffusion_lab.train")  # the module (diffusion_lab.train is also the function)

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
    train(run, torch.zeros(4, 3, 16, 16, dtype=torch.uint8), steps=7, on_step=lambda r: seen.append(r.step), every=3,
          progress=False)
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
    train(run, torch.zeros(4, 3, 16, 16, dtype=torch.uint8), steps=50, on_step=press_ctrl_c, every=4,
          checkpoint=tmp_path / "c.pt", progress=False)
    assert run.interrupted and run.step == 4
    assert (tmp_path / "c.pt").is_file() and str(tmp_path / "c.pt") in capsys.readouterr().out


def test_no_budget_is_an_error():
    with pytest.raises(DiffusionLabError, match="steps or a time"):
        train(make_run("cats", **TINY), torch.zeros(4, 3, 16, 16))


def test_unknown_preset():
    with pytest.raises(DiffusionLabError, match="cats"):
        make_run("dogs")


def test_any_error_during_training_still_saves_what_was_trained(tmp_path, capsys):
    """A bad monitor, a broken data source, a full disk...: the steps already made are not lost (review B13)."""
    def broken_monitor(run):
        raise RuntimeError("the monitor broke")

    run = make_run("cats", **TINY)
    with pytest.raises(RuntimeError, match="monitor broke"):
        train(run, torch.zeros(4, 3, 16, 16, dtype=torch.uint8), steps=50, on_step=broken_monitor, every=4,
              checkpoint=tmp_path / "m.pt", progress=False)
    assert load_run(tmp_path / "m.pt").step == 4 and "step 4" in capsys.readouterr().out


def test_a_kill_saves_like_ctrl_c(tmp_path):
    """SIGTERM (kill, timeout) and SIGHUP (a closed terminal) stop training and save, as Ctrl-C does (review B5)."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        before = signal.getsignal(signum)
        run = make_run("cats", **TINY)
        train(run, torch.zeros(4, 3, 16, 16, dtype=torch.uint8), steps=50, every=3, progress=False,
              on_step=lambda r: os.kill(os.getpid(), signum), checkpoint=tmp_path / "k.pt")
        assert run.interrupted and load_run(tmp_path / "k.pt").step == 3
        assert signal.getsignal(signum) == before  # the handler was only borrowed for the training


def test_a_long_run_is_saved_every_few_minutes(tmp_path, monkeypatch):
    """save_every (minutes): a power cut or kill -9 loses minutes, not the run. Here time is sped up."""
    saved = []
    monkeypatch.setattr(train_module, "save_checkpoint", lambda run, path, half=False: saved.append(run.step) or path)
    clock = iter(range(0, 10**6, 50))  # every call to the clock moves 50 s on
    monkeypatch.setattr(train_module.time, "perf_counter", lambda: next(clock))
    train(make_run("cats", **TINY), torch.zeros(4, 3, 16, 16, dtype=torch.uint8), steps=6, save_every=2,
          checkpoint=tmp_path / "p.pt", progress=False)
    assert len(saved) >= 3 and saved[-1] == 6  # saved during the run, then at the end


@pytest.mark.parametrize("budget", [dict(steps=-1), dict(steps=2.5), dict(minutes=-1.0), dict(minutes=float("nan"))])
def test_a_nonsense_budget_is_refused_before_anything_is_written(budget, tmp_path):
    with pytest.raises(DiffusionLabError):
        train(make_run("cats", **TINY), torch.zeros(4, 3, 16, 16), checkpoint=tmp_path / "x.pt", progress=False,
              **budget)
    assert not (tmp_path / "x.pt").exists()


def test_min_snr_weighs_each_picture_by_min_snr_gamma():
    """Hang et al. 2023: in x0 terms the weight is min(SNR_t, gamma); in eps terms min(SNR_t, gamma) / SNR_t, which
    is 1 (the plain loss) when gamma is above every SNR."""
    schedule = NoiseSchedule()
    x0 = torch.rand(64, 3, 4, 4) * 2 - 1
    zero = lambda xt, t, cond=None: torch.zeros_like(xt)  # its x0 error is x0 itself
    torch.manual_seed(0)
    weighted = diffusion_loss(zero, schedule, x0, prediction="x0", min_snr=5.0)
    torch.manual_seed(0)
    t = torch.randint(0, schedule.T, (64,))  # the steps the loss drew
    by_hand = (schedule.snr(t).clamp(max=5.0) * x0.square().flatten(1).mean(1)).mean()
    assert torch.allclose(weighted, by_hand)
    torch.manual_seed(1)
    plain = diffusion_loss(zero, schedule, x0, prediction="eps")
    torch.manual_seed(1)
    assert torch.allclose(diffusion_loss(zero, schedule, x0, prediction="eps", min_snr=1e9), plain)


def test_encoding_the_pictures_is_not_training_time(monkeypatch):
    """A latent run given pictures encodes them first (the first time, most of a minute in a lesson): the time budget
    starts after that, or a one-minute live run would train for a few seconds."""
    run = make_run("latent-cats", n_images=16, batch_size=4)
    c = run.settings.model

    def slow_latents(autoencoder, images, mirrors):
        time.sleep(1.5)  # longer than the whole budget below
        return torch.randn(len(images), c.channels, c.size, c.size)

    monkeypatch.setattr(train_module, "latents_of", slow_latents)
    train(run, torch.zeros(8, 3, 32, 32, dtype=torch.uint8), minutes=0.01, progress=False)
    assert run.step > 0 and run.seconds < 1.5
