"""The noise schedule: how much noise the forward process adds at each step t.

Symbols follow Ho et al. 2020 (DDPM): beta_t, alpha_t = 1 - beta_t, alpha_bar_t = prod_{s<=t} alpha_s.
Timesteps are 0-based, t = 0 .. T-1, as in most code (the paper counts 1 .. T).
"""
import math

import torch

from .messages import DiffusionLabError


def linear_betas(T: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    """Linear beta schedule, Ho et al. 2020, section 4 (beta from 1e-4 to 0.02 over T = 1000 steps)."""
    # The paper's values are for T = 1000; rescale so that shorter schedules destroy the image just as fully.
    scale = 1000 / T
    return torch.linspace(beta_start * scale, beta_end * scale, T, dtype=torch.float64)


def cosine_betas(T: int = 1000, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    """Cosine schedule, Nichol & Dhariwal 2021, eq. 17: alpha_bar(t) = f(t) / f(0),
    f(t) = cos^2(((t/T + s) / (1 + s)) * pi / 2)."""

    def f(t):
        return math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2

    # beta_t = 1 - alpha_bar_t / alpha_bar_{t-1}, clipped so the last steps stay finite (eq. 17's remark).
    betas = [min(1 - f(t + 1) / f(t), max_beta) for t in range(T)]
    return torch.tensor(betas, dtype=torch.float64)


def broadcast(values: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Reshape per-image values (B,) so they multiply images x (B, C, H, W): returns (B, 1, 1, 1)."""
    return values.reshape(-1, *([1] * (x.dim() - 1))).to(x.dtype)


class NoiseSchedule:
    """The forward diffusion process q(x_t | x_0): T steps of Gaussian noise with variances beta_t."""

    def __init__(self, T: int = 1000, kind: str = "cosine"):
        if kind == "linear":
            beta = linear_betas(T)
        elif kind == "cosine":
            beta = cosine_betas(T)
        else:
            raise ValueError(f"Unknown schedule kind {kind!r}: choose 'linear' or 'cosine'.")
        self.T = T
        self.kind = kind
        # Computed in float64 so that alpha_bar near t = T-1 keeps its precision, stored in float32.
        self.beta = beta.float()
        self.alpha = (1 - beta).float()
        self.alpha_bar = torch.cumprod(1 - beta, dim=0).float()

    def __repr__(self):
        a = self.alpha_bar
        return (f"NoiseSchedule(kind={self.kind!r}, T={self.T}, "
                f"alpha_bar: {a[0]:.4f} at t=0 -> {a[self.T // 2]:.4f} at t={self.T // 2} -> {a[-1]:.2e} at "
                f"t={self.T - 1})")

    def as_dict(self) -> dict:
        return {"T": self.T, "kind": self.kind}

    def check_t(self, t) -> torch.Tensor:
        """Return t as a long tensor, or raise a clear error if any t is outside [0, T-1]."""
        try:
            t = torch.as_tensor(t)
        except (TypeError, ValueError, RuntimeError):
            raise DiffusionLabError("bad_t", last=self.T - 1, T=self.T, t=t) from None
        if (t.is_floating_point() or t.is_complex() or t.dtype == torch.bool
                or (t.numel() and (t.min() < 0 or t.max() > self.T - 1))):
            raise DiffusionLabError("bad_t", last=self.T - 1, T=self.T, t=t.tolist())
        return t.long()

    def _at(self, values: torch.Tensor, t, x: torch.Tensor) -> torch.Tensor:
        """values[t] for each image of x, shaped to broadcast over x: (B, 1, 1, 1)."""
        t = self.check_t(t)
        if t.dim() == 0:
            t = t.expand(x.shape[0])  # one t for the whole batch
        return broadcast(values[t.cpu()].to(x.device), x)  # (B, 1, 1, 1)

    def add_noise(self, x0: torch.Tensor, t, eps: torch.Tensor) -> torch.Tensor:
        """Sample q(x_t | x_0), Ho et al. 2020, eq. 4: x_t = sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * eps."""
        alpha_bar_t = self._at(self.alpha_bar, t, x0)  # (B, 1, 1, 1)
        return alpha_bar_t.sqrt() * x0 + (1 - alpha_bar_t).sqrt() * eps

    def predict_x0(self, xt: torch.Tensor, t, eps_pred: torch.Tensor) -> torch.Tensor:
        """Invert eq. 4 for x0 given a noise prediction:
        x0 = (x_t - sqrt(1 - alpha_bar_t) * eps) / sqrt(alpha_bar_t)."""
        alpha_bar_t = self._at(self.alpha_bar, t, xt)
        return (xt - (1 - alpha_bar_t).sqrt() * eps_pred) / alpha_bar_t.sqrt()

    def predict_eps(self, xt: torch.Tensor, t, x0_pred: torch.Tensor) -> torch.Tensor:
        """Eq. 4 read for eps given a clean-image prediction:
        eps = (x_t - sqrt(alpha_bar_t) * x0) / sqrt(1 - alpha_bar_t)."""
        alpha_bar_t = self._at(self.alpha_bar, t, xt)
        return (xt - alpha_bar_t.sqrt() * x0_pred) / (1 - alpha_bar_t).sqrt()

    def snr(self, t) -> torch.Tensor:
        """Signal-to-noise ratio alpha_bar_t / (1 - alpha_bar_t), Kingma et al. 2021 (Variational Diffusion Models)."""
        alpha_bar_t = self.alpha_bar[self.check_t(t)]
        return alpha_bar_t / (1 - alpha_bar_t)

    def alpha_bar_at(self, t) -> torch.Tensor:
        """alpha_bar_t, with alpha_bar_{-1} = 1 (no noise at all) so that the last sampling step can land on x0."""
        t = torch.as_tensor(t).long()
        return torch.where(t >= 0, self.alpha_bar[t.clamp(min=0)], torch.ones(()))

    def posterior(self, x0: torch.Tensor, xt: torch.Tensor, t: int, t_prev: int = None):
        """Mean and variance of q(x_{t_prev} | x_t, x_0), Ho et al. 2020, eq. 6 and 7
        (t_prev = t - 1 unless a sampler skips steps).

        When steps are skipped, the jump from t to t_prev acts as one step with
        beta = 1 - alpha_bar_t / alpha_bar_{t_prev}.
        """
        t = int(self.check_t(t))
        t_prev = t - 1 if t_prev is None else t_prev
        alpha_bar_t, alpha_bar_prev = self.alpha_bar_at(t), self.alpha_bar_at(t_prev)
        beta_t = 1 - alpha_bar_t / alpha_bar_prev
        alpha_t = 1 - beta_t
        mean = ((alpha_bar_prev.sqrt() * beta_t / (1 - alpha_bar_t)) * x0
                + (alpha_t.sqrt() * (1 - alpha_bar_prev) / (1 - alpha_bar_t)) * xt)
        variance = (1 - alpha_bar_prev) / (1 - alpha_bar_t) * beta_t
        return mean, variance


def timesteps(T: int, steps: int) -> list:
    """The timesteps a sampler visits, from T-1 down to 0, evenly spaced ("trailing" spacing, Lin et al. 2024)."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= T:
        raise DiffusionLabError("bad_steps", T=T, steps=steps)
    return torch.linspace(T - 1, 0, steps).round().long().tolist()
