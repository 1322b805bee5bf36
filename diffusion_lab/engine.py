"""How one training step runs on this machine, so that train.py can read like the lesson.

The machinery lives here: the device and the precision (bf16 autocast where the CPU has it, fp32 otherwise; fp16 and its
gradient scaler on a GPU), the memory layout (channels_last), several processes (torchrun and DDP, see distributed.py),
the learning rate's warm-up and gradient clipping, and the progress bar.
"""
import math
import os
import sys

import torch

from . import distributed
from .conditioning import drop
from .data import random_batch
from .hardware import autocast, resolve_precision
from .messages import DiffusionLabError


class Engine:
    """The run's network ready to train here: engine.batch(), `with engine.precision():`, engine.step(loss)."""

    def __init__(self, run, images: torch.Tensor, conds=None, precision: str = "auto"):
        self.run = run
        self.device = next(run.model.parameters()).device
        self.precision = resolve_precision(precision, self.device)
        # fp16 gradients can underflow, so the scaler scales them up; with fp32 or bf16 it does nothing.
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=self.precision == "fp16")
        # Several processes (torchrun): each takes its shard of the images and its share of the batch;
        # DDP averages gradients.
        self.images, self.conds = distributed.shard(images, conds, run.settings.batch_size)
        self.batch_size = run.settings.batch_size // distributed.world_size()
        self.network = distributed.wrap(run.model.train(), run.ema, self.device)
        self.main = distributed.is_main()  # only process 0 writes files, prints and calls on_step
        _check_conditions(run, conds)

    def batch(self):
        """A random batch of clean pictures x0 in [-1, 1], and their conditions (None for an unconditional model).

        A condition is replaced by the null one with probability cond_dropout, so that the model also learns to draw
        without one.
        """
        settings = self.run.settings
        flip = settings.flip and not getattr(settings, "latent", False)  # latents: their mirrors were encoded too
        if self.conds is None:
            x0, cond = random_batch(self.images, self.batch_size, flip), None
        else:
            x0, cond = random_batch(self.images, self.batch_size, flip, self.conds)
            cond = drop(cond, settings.cond_dropout).to(self.device)
        # channels_last: faster convolutions on a CPU
        return x0.to(self.device, memory_format=torch.channels_last), cond

    def precision_context(self):
        """Inside it, the layers compute in bf16 or fp16 where chosen (nothing changes for fp32)."""
        return autocast(self.precision, self.device)

    def loss_value(self, loss: torch.Tensor) -> float:
        """The loss as a number (the whole batch's, over all processes); a NaN or infinite loss stops every process
        here."""
        value = distributed.mean(loss).item()
        if not math.isfinite(value):
            raise NonFiniteLoss(value)
        return value

    def step(self, loss: torch.Tensor):
        """One step of the optimiser: the learning rate's linear warm-up, the gradients, clipped at norm 1,
        and AdamW."""
        settings, optimizer = self.run.settings, self.run.optimizer
        for group in optimizer.param_groups:  # big first steps can diverge: the learning rate grows over `warmup` steps
            group["lr"] = settings.lr * min(1.0, (self.run.step + 1) / max(settings.warmup, 1))
        optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones
        torch.nn.utils.clip_grad_norm_(self.network.parameters(), 1.0, foreach=True)
        self.scaler.step(optimizer)      # skips the step if fp16 overflowed
        self.scaler.update()


class NonFiniteLoss(Exception):
    """The loss became NaN or infinite: the weights are still the last good ones."""

    def __init__(self, value: float):
        super().__init__(value)
        self.value = value


def _check_conditions(run, conds):
    """A conditional model needs each picture's condition, and an unconditional one must not get any."""
    cond_dim = getattr(run.model.config, "cond_dim", 0)  # an autoencoder has no condition
    if conds is None and cond_dim:
        raise DiffusionLabError("need_conds")
    if conds is not None and not cond_dim:
        raise DiffusionLabError("not_conditional", kind="unconditional", wanted="categories or text")


def progress_bar(total=None, disable: bool = False, **kwargs):
    """A tqdm bar that is a widget in notebooks and text in terminals, quiet in CI logs, and off with TQDM_DISABLE=1.

    tqdm.notebook ignores the TQDM_DISABLE variable, hence this wrapper.
    """
    from tqdm.auto import tqdm

    disable = disable or os.environ.get("TQDM_DISABLE", "").lower() in ("1", "true", "yes")
    quiet = os.environ.get("CI") and not sys.stderr.isatty()
    return tqdm(total=total, disable=disable, mininterval=30 if quiet else 0.2, dynamic_ncols=True, **kwargs)
