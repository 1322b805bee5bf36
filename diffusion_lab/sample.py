"""Samplers: start from pure noise x_T and denoise step by step.

Each sampler is a generator that yields a Step for every timestep it visits, so a loop, an animation or a slider can
watch the image appear. The last Step's x0_pred is the final image: the last update goes to alpha_bar = 1 (no noise
left), where x_{t-1} equals x0_pred exactly.
"""
import time
from typing import NamedTuple

import torch

from .autoencoder import decode
from .checkpoint import autoencoder_of
from .conditioning import check_guidance, guide, null_like
from .hardware import autocast, resolve_precision
from .messages import DiffusionLabError
from .schedule import NoiseSchedule
from .schedule import timesteps as spaced_timesteps


class Step(NamedTuple):
    t: int                   # the timestep the network looked at
    xt: torch.Tensor         # the noisy image at t, (B, C, H, W)
    eps_pred: torch.Tensor   # the noise the network sees in xt
    x0_pred: torch.Tensor    # the clean image that this noise implies
    picture: torch.Tensor = None  # a latent model: the picture the decoder draws from x0_pred, (B, 3, 32, 32)


def make_generator(seed=None, generator=None) -> torch.Generator:
    """A torch.Generator from a seed, so that sampling can be repeated exactly."""
    if generator is not None:
        return generator
    if seed is None:
        seed = torch.seed() % 2**63  # a fresh random seed, in the range manual_seed takes
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise DiffusionLabError("bad_seed", seed=seed)
    return torch.Generator().manual_seed(seed)


def predict(model, schedule: NoiseSchedule, xt, t: int, cond=None, clip: bool = True, precision: str = "fp32",
            guidance: float = 1.0):
    """Ask the network about x_t at timestep t; return its noise guess eps_pred and clean-image guess x0_pred.

    The network predicts one of the two (model.config.prediction); eq. 4 gives the other.
    With a condition and guidance != 1, the network also guesses without it, and classifier-free guidance mixes the two.
    """
    t_batch = torch.full((xt.shape[0],), t, dtype=torch.long, device=xt.device)  # (B,)
    with autocast(precision, xt.device):
        if cond is None or guidance == 1:
            guess = model(xt, t_batch, cond).float()
        else:  # one batch of twice the size: with the condition, then with the null condition
            cond = cond.expand(xt.shape[0], *cond.shape[1:])
            both = model(torch.cat([xt, xt]), torch.cat([t_batch, t_batch]), torch.cat([cond, null_like(cond)])).float()
            guess_cond, guess_null = both.chunk(2)
            guess = guide(guess_cond, guess_null, guidance)
    prediction = model.config.prediction
    if prediction == "eps":
        eps_pred, x0_pred = guess, schedule.predict_x0(xt, t, guess)
    elif prediction == "x0":
        x0_pred = guess
    else:
        raise ValueError(f"prediction must be 'eps' or 'x0', got {prediction!r}.")  # UNetConfig already checks this
    if clip:  # images live in [-1, 1], a latent model's latents within its autoencoder's range
        autoencoder = autoencoder_of(model)
        limit = 1.0 if autoencoder is None else autoencoder.latent_range
        x0_pred = x0_pred.clamp(-limit, limit)  # clipping keeps early guesses sensible
    if prediction == "x0":
        eps_pred = schedule.predict_eps(xt, t, x0_pred)
    return eps_pred, x0_pred



def _pairs(schedule, timesteps):
    """(t, t_prev) for each step, with t_prev = -1 after the last one."""
    for i, t in enumerate(timesteps):
        schedule.check_t(t)
        yield t, (timesteps[i + 1] if i + 1 < len(timesteps) else -1)


@torch.no_grad()
def ddpm_sampler(model, schedule: NoiseSchedule, x, timesteps=None, cond=None, generator=None, clip: bool = True,
                 precision: str = "fp32", guidance: float = 1.0):
    """Ancestral sampling, Ho et al. 2020, Algorithm 2, over any decreasing list of timesteps (all T by default)."""
    timesteps = list(range(schedule.T - 1, -1, -1)) if timesteps is None else list(timesteps)
    for t, t_prev in _pairs(schedule, timesteps):
        # 1. predict the noise, 2. estimate x0
        eps_pred, x0_pred = predict(model, schedule, x, t, cond, clip, precision, guidance)
        yield Step(t, x, eps_pred, x0_pred)
        # 3. step to t_prev: the mean of q(x_{t_prev} | x_t, x0_pred), eq. 7
        mean, variance = schedule.posterior(x0_pred, x, t, t_prev)
        # 4. add fresh noise unless this was the last step: the last step must be deterministic
        noise = torch.randn(x.shape, generator=generator).to(x.device) if t_prev >= 0 else torch.zeros_like(x)
        x = mean + variance.sqrt() * noise


@torch.no_grad()
def ddim_sampler(model, schedule: NoiseSchedule, x, timesteps, eta: float = 0.0, cond=None, generator=None,
                 clip: bool = True, precision: str = "fp32", guidance: float = 1.0):
    """DDIM, Song et al. 2021, eq. 12: eta = 0 is deterministic, eta = 1 is as random as DDPM."""
    if not 0 <= eta <= 1:
        raise DiffusionLabError("bad_eta", eta=eta)
    for t, t_prev in _pairs(schedule, list(timesteps)):
        # 1. predict the noise, 2. estimate x0
        eps_pred, x0_pred = predict(model, schedule, x, t, cond, clip, precision, guidance)
        yield Step(t, x, eps_pred, x0_pred)
        # 3. step to t_prev: keep x0_pred, and point towards the same noise direction, eq. 12
        alpha_bar_t, alpha_bar_prev = schedule.alpha_bar_at(t), schedule.alpha_bar_at(t_prev)
        sigma = eta * ((1 - alpha_bar_prev) / (1 - alpha_bar_t) * (1 - alpha_bar_t / alpha_bar_prev)).sqrt()
        x = alpha_bar_prev.sqrt() * x0_pred + (1 - alpha_bar_prev - sigma**2).sqrt() * eps_pred
        # 4. add fresh noise if eta > 0 (sigma is 0 at the last step)
        if eta > 0:
            x = x + sigma * torch.randn(x.shape, generator=generator).to(x.device)


def denoise(model, schedule: NoiseSchedule, n: int = 16, steps: int = 50, sampler: str = "ddim", eta: float = 0.0,
            seed=None, generator=None, cond=None, guidance: float = 1.0, x=None, precision: str = "auto",
            decoded: bool = True):
    """Start from pure noise and yield every Step of the chosen sampler ('ddim' or 'ddpm').

    For a latent model, each Step also carries the picture its x0_pred decodes to (decoded=False leaves it out).

    cond: condition vectors, one row per image or one row for all (a conditional model only); guidance: the
    classifier-free guidance scale w (0: ignore the condition, 1: plain conditional, more: stronger).
    precision 'auto' runs the network in bfloat16 on CPUs that support it natively (about 2x faster), else in float32.
    """
    guidance = check_guidance(guidance)
    generator = make_generator(seed, generator)
    c = model.config
    device = next(model.parameters()).device
    precision = resolve_precision(precision, device)
    if x is None:
        x = torch.randn((n, c.channels, c.size, c.size), generator=generator).to(device)  # x_T ~ N(0, I)
    if cond is not None:
        cond = cond.to(device).float()
    visited = spaced_timesteps(schedule.T, steps)
    if sampler == "ddim":
        steps = ddim_sampler(model, schedule, x, visited, eta=eta, cond=cond, generator=generator,
                             precision=precision, guidance=guidance)
    elif sampler == "ddpm":
        steps = ddpm_sampler(model, schedule, x, visited, cond=cond, generator=generator, precision=precision,
                             guidance=guidance)
    else:
        raise DiffusionLabError("bad_sampler", name=sampler)
    return steps if autoencoder_of(model) is None or not decoded else with_pictures(model, steps)


def with_pictures(model, steps):
    """A latent model's Steps, each with the picture that its x0_pred decodes to: what the class watches emerge."""
    for step in steps:
        yield step._replace(picture=pictures(model, step.x0_pred))


def pictures(model, x: torch.Tensor) -> torch.Tensor:
    """What a step's x0_pred (or x_t) looks like: itself for a model that denoises pixels; for a latent model, the
    picture its autoencoder's decoder draws from it."""
    autoencoder = autoencoder_of(model)
    return x if autoencoder is None else decode(autoencoder, x.float().cpu()).to(x.device)


def sample(model, schedule: NoiseSchedule, n: int = 16, steps: int = 50, sampler: str = "ddim",
           **kwargs) -> torch.Tensor:
    """Generate n images in [-1, 1], shape (n, 3, H, W): run the sampler to its end and keep the last x0_pred
    (decoded, for a latent model)."""
    was_training = model.training
    model.eval()
    try:
        for step in denoise(model, schedule, n, steps, sampler, decoded=False, **kwargs):
            pass
    finally:
        model.train(was_training)
    return pictures(model, step.x0_pred)


def timed_sample(model, schedule, n=16, steps=50, sampler="ddim", **kwargs):
    """sample(), also returning how many seconds it took."""
    start = time.perf_counter()
    images = sample(model, schedule, n, steps, sampler, **kwargs)
    return images, time.perf_counter() - start
