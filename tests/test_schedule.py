"""The forward process against diffusers (the oracle) and against the maths' own properties."""
import pytest
import torch

from diffusion_lab import DiffusionLabError, NoiseSchedule, timesteps

diffusers = pytest.importorskip("diffusers")

ORACLE_NAMES = {"linear": "linear", "cosine": "squaredcos_cap_v2"}


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_alpha_bar_matches_diffusers(kind):
    ours = NoiseSchedule(1000, kind)
    theirs = diffusers.DDPMScheduler(num_train_timesteps=1000, beta_schedule=ORACLE_NAMES[kind])
    torch.testing.assert_close(ours.beta, theirs.betas, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(ours.alpha_bar, theirs.alphas_cumprod, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_add_noise_matches_diffusers(kind):
    ours = NoiseSchedule(1000, kind)
    theirs = diffusers.DDPMScheduler(num_train_timesteps=1000, beta_schedule=ORACLE_NAMES[kind])
    x0, eps = torch.rand(6, 3, 8, 8) * 2 - 1, torch.randn(6, 3, 8, 8)
    t = torch.tensor([0, 1, 10, 500, 998, 999])
    torch.testing.assert_close(ours.add_noise(x0, t, eps), theirs.add_noise(x0, eps, t), atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_alpha_bar_strictly_decreasing_from_one_to_zero(kind):
    alpha_bar = NoiseSchedule(1000, kind).alpha_bar
    assert (alpha_bar[1:] < alpha_bar[:-1]).all()
    assert alpha_bar[0] > 0.999 and alpha_bar[-1] < 1e-3


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_add_noise_at_t0_gives_x0_and_at_the_end_gives_noise(kind):
    schedule = NoiseSchedule(1000, kind)
    x0, eps = torch.rand(4, 3, 8, 8) * 2 - 1, torch.randn(4, 3, 8, 8)
    assert (schedule.add_noise(x0, 0, eps) - x0).abs().max() < 0.05
    assert torch.equal(schedule.add_noise(x0, 0, torch.zeros_like(eps)), schedule.alpha_bar[0].sqrt() * x0)
    assert (schedule.add_noise(x0, 999, eps) - eps).abs().max() < 0.05


def test_add_noise_keeps_unit_variance():
    """x_t = sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) eps has variance 1 when x0 has variance 1 ("variance
    preserving")."""
    schedule = NoiseSchedule()
    x0, eps = torch.randn(200_000), torch.randn(200_000)
    for t in (0, 300, 700, 999):
        assert abs(schedule.add_noise(x0[:, None, None, None], t, eps[:, None, None, None]).var().item() - 1) < 0.02


def test_snr_decreases():
    snr = NoiseSchedule().snr(torch.arange(1000))
    assert (snr[1:] < snr[:-1]).all()


def test_posterior_is_exact_at_the_last_step_and_matches_eq7():
    schedule = NoiseSchedule(1000, "linear")
    x0, xt = torch.randn(2, 3, 4, 4), torch.randn(2, 3, 4, 4)
    mean, variance = schedule.posterior(x0, xt, 0)
    torch.testing.assert_close(mean, x0)  # from t = 0 the only place to go is x0 itself
    assert variance.item() == 0
    t = 500
    mean, variance = schedule.posterior(x0, xt, t)
    beta, alpha_bar = schedule.beta[t], schedule.alpha_bar[t]
    assert torch.isclose(variance, beta * (1 - schedule.alpha_bar[t - 1]) / (1 - alpha_bar))
    assert variance < beta  # the posterior is narrower than the forward step


@pytest.mark.parametrize("bad", [-1, 1000, 2.5, [0, 1000], "ten"])
def test_t_outside_range_is_a_clear_error(bad):
    with pytest.raises(DiffusionLabError, match="between 0 and 999"):
        NoiseSchedule().add_noise(torch.zeros(1, 3, 4, 4), bad, torch.zeros(1, 3, 4, 4))


def test_timesteps_spacing_and_limits():
    assert timesteps(1000, 4) == [999, 666, 333, 0]
    assert timesteps(1000, 1000) == list(range(999, -1, -1))
    with pytest.raises(DiffusionLabError, match="--steps 1000 or fewer"):
        timesteps(1000, 1001)
    with pytest.raises(DiffusionLabError):
        timesteps(1000, 0)


def test_unknown_kind():
    with pytest.raises(ValueError, match="linear' or 'cosine"):
        NoiseSchedule(kind="quadratic")


def test_repr_teaches():
    assert "alpha_bar" in repr(NoiseSchedule()) and "T=1000" in repr(NoiseSchedule())
