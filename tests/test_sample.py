"""Samplers against diffusers' DDPM and DDIM schedulers, and against properties of the maths."""
import pytest
import torch

from diffusion_lab import DiffusionLabError, NoiseSchedule, UNetConfig, ddim_sampler, ddpm_sampler, denoise, sample
from diffusion_lab.sample import Step

diffusers = pytest.importorskip("diffusers")


class DummyModel(torch.nn.Module):
    """A fixed, smooth function of (x_t, t): enough to compare two implementations step by step."""
    config = UNetConfig(prediction="eps")  # a sampler reads what the output means from the model's config

    def forward(self, x, t, cond=None):
        return 0.3 * x + 0.1 * torch.sin(t.float() / 100)[:, None, None, None]


def run_oracle(scheduler, x, generator=None, **step_kwargs):
    model = DummyModel()
    for t in scheduler.timesteps:
        eps = model(x, torch.full((x.shape[0],), int(t)))
        x = scheduler.step(eps, t, x, generator=generator, **step_kwargs).prev_sample
    return x


def last(steps):
    for step in steps:
        pass
    return step


@pytest.mark.parametrize("kind", ["linear", "cosine"])
@pytest.mark.parametrize("eta", [0.0, 0.5, 1.0])
def test_ddim_matches_diffusers(kind, eta):
    scheduler = diffusers.DDIMScheduler(num_train_timesteps=1000,
                                        beta_schedule={"linear": "linear", "cosine": "squaredcos_cap_v2"}[kind],
                                        clip_sample=True, set_alpha_to_one=True)
    scheduler.set_timesteps(20)
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    expected = run_oracle(scheduler, x, generator=torch.Generator().manual_seed(2), eta=eta)
    ours = last(ddim_sampler(DummyModel(), NoiseSchedule(1000, kind), x, scheduler.timesteps.tolist(), eta=eta,
                             generator=torch.Generator().manual_seed(2)))
    torch.testing.assert_close(ours.x0_pred, expected, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("steps", [1000, 25])
def test_ddpm_matches_diffusers(steps):
    scheduler = diffusers.DDPMScheduler(num_train_timesteps=1000, beta_schedule="linear", clip_sample=True,
                                        variance_type="fixed_small")
    scheduler.set_timesteps(steps)
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    expected = run_oracle(scheduler, x, generator=torch.Generator().manual_seed(3))
    ours = last(ddpm_sampler(DummyModel(), NoiseSchedule(1000, "linear"), x, scheduler.timesteps.tolist(),
                             generator=torch.Generator().manual_seed(3)))
    torch.testing.assert_close(ours.x0_pred, expected, atol=1e-4, rtol=1e-4)


def ideal_denoiser(schedule, target):
    """The perfect network for a dataset of one image: it knows exactly which noise turns `target` into x_t."""

    class Ideal(torch.nn.Module):
        config = UNetConfig(prediction="eps")

        def forward(self, x, t, cond=None):
            alpha_bar = schedule.alpha_bar[t][:, None, None, None]  # (B, 1, 1, 1)
            return (x - alpha_bar.sqrt() * target) / (1 - alpha_bar).sqrt()

    return Ideal()


def ideal_x0_predictor(target):
    """The perfect clean-image predictor for a dataset of one image: it always answers `target`."""

    class Ideal(torch.nn.Module):
        config = type("Config", (), {"prediction": "x0"})

        def forward(self, x, t, cond=None):
            return target.expand(x.shape[0], -1, -1, -1)

    return Ideal()


@pytest.mark.parametrize("sampler", ["ddim", "ddpm"])
@pytest.mark.parametrize("prediction", ["eps", "x0"])
def test_an_ideal_denoiser_returns_the_data_point(sampler, prediction):
    schedule = NoiseSchedule()
    target = torch.rand(1, 3, 8, 8) * 2 - 1
    model = ideal_denoiser(schedule, target) if prediction == "eps" else ideal_x0_predictor(target)
    x = torch.randn(3, 3, 8, 8)
    visited = list(range(999, -1, -1)) if sampler == "ddpm" else [999, 700, 400, 100, 0]
    gen = (ddpm_sampler(model, schedule, x, visited) if sampler == "ddpm"
           else ddim_sampler(model, schedule, x, visited, eta=0.5))
    torch.testing.assert_close(last(gen).x0_pred, target.expand(3, -1, -1, -1), atol=1e-4, rtol=0)


def test_samplers_are_generators_that_yield_every_visited_step():
    schedule = NoiseSchedule()
    x = torch.randn(2, 3, 8, 8)
    steps = list(ddim_sampler(DummyModel(), schedule, x, [999, 500, 0]))
    assert [s.t for s in steps] == [999, 500, 0]
    assert all(isinstance(s, Step) and s.xt.shape == s.eps_pred.shape == s.x0_pred.shape == x.shape for s in steps)
    assert torch.equal(steps[0].xt, x)


def test_ddim_eta0_is_deterministic_and_eta1_is_not():
    schedule, x = NoiseSchedule(), torch.randn(2, 3, 8, 8)
    run = lambda eta, seed: last(ddim_sampler(DummyModel(), schedule, x, [999, 500, 0], eta=eta,
                                              generator=torch.Generator().manual_seed(seed)))
    assert torch.equal(run(0.0, 1).x0_pred, run(0.0, 2).x0_pred)
    assert not torch.equal(run(1.0, 1).xt, run(1.0, 2).xt)


def test_seed_reproduces_and_different_seeds_differ(tiny_unet):
    schedule = NoiseSchedule()
    a = sample(tiny_unet, schedule, 2, 5, "ddpm", seed=7)
    b = sample(tiny_unet, schedule, 2, 5, "ddpm", seed=7)
    c = sample(tiny_unet, schedule, 2, 5, "ddpm", seed=8)
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert a.shape == (2, 3, 16, 16) and a.min() >= -1 and a.max() <= 1


def test_bad_sampler_arguments(tiny_unet):
    schedule = NoiseSchedule()
    with pytest.raises(DiffusionLabError, match="ddpm' or 'ddim"):
        denoise(tiny_unet, schedule, sampler="euler")
    with pytest.raises(DiffusionLabError, match="1000 or fewer"):
        denoise(tiny_unet, schedule, steps=5000)
    with pytest.raises(DiffusionLabError, match="whole number"):
        denoise(tiny_unet, schedule, seed="abc")
    with pytest.raises(DiffusionLabError, match="eta"):
        list(ddim_sampler(tiny_unet, schedule, torch.randn(1, 3, 16, 16), [0], eta=2))
