"""Training the denoiser: the loss of Ho et al. 2020 (Algorithm 1) and the lesson's training loop.

The machinery of one step on this machine (precision, several processes, memory layout) is in engine.py; keeping a run
safe (saving on Ctrl-C, on kill, on any error, and every few minutes) is in the helpers at the end of this file.
"""
import copy
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import torch
from torch.nn import functional as F

from .autoencoder import Autoencoder, AutoencoderSettings, latents_of, reconstruction_loss
from .checkpoint import Run, autoencoder_for, autoencoder_of, make_optimizer, save_autoencoder, save_checkpoint
from .conditioning import one_hot
from .data import load_dataset, procedural_categories, to_model_range
from .engine import Engine, NonFiniteLoss, progress_bar
from .messages import DiffusionLabError, message, real_number, whole_number
from .presets import PRESETS, Settings, preset
from .schedule import NoiseSchedule
from .unet import UNet

__all__ = ["PRESETS", "diffusion_loss", "make_autoencoder_run", "make_run", "train", "train_autoencoder",
           "training_data", "update_ema"]


def make_run(name: str = "cats", **changes) -> Run:
    """A fresh Run (U-Net, EMA copy, optimizer, schedule) from a preset; keyword arguments change its settings,
    e.g. make_run("cats", lr=1e-3, model={"prediction": "eps"})."""
    settings = preset(name).changed(**changes) if changes else preset(name)
    model = UNet(settings.model)
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    model.settings = ema.settings = settings  # what the model is conditioned on travels with it
    autoencoder_of(model)  # a latent preset: its autoencoder must be there, and fit
    return Run(model, ema, make_optimizer(model, settings.lr), NoiseSchedule(settings.T, settings.schedule), settings)


def training_data(settings: Settings, dataset: str = None, folder=None):
    """What a preset learns from: images, uint8 (N, 3, H, W), and for a conditional preset their conditions (else None).

    dataset and folder (your own pictures) replace an unconditional preset's pictures; a conditional preset needs
    pictures with labels or captions, so they are refused there rather than ignored.
    """
    size, n = settings.model.size, settings.n_images
    if settings.conditional and (dataset or folder):
        raise DiffusionLabError("option_not_for_preset", option="--images" if folder else "--dataset",
                                preset=settings.preset)
    if settings.condition == "class":  # each image's category, as a one-hot vector
        images, labels, _ = procedural_categories(n, size)
        return images, one_hot(labels, settings.model.cond_dim)
    if settings.condition == "text":  # each image's captions, as sentence embeddings
        from .text import caption_embeddings  # loads the sentence encoder: only for a text model
        return caption_embeddings(settings, n, size)
    if settings.latent:  # the autoencoder's latents of the pictures (and of their mirrors), computed once
        autoencoder = autoencoder_for(settings)
        images = load_dataset(dataset or settings.dataset, autoencoder.config.size, n, folder)
        return latents_of(autoencoder, images, settings.flip), None
    return load_dataset(dataset or settings.dataset, size, n, folder), None


def diffusion_loss(model, schedule: NoiseSchedule, x0: torch.Tensor, cond=None,
                   prediction: str = "eps", min_snr: float = 0.0) -> torch.Tensor:
    """The simple loss, Ho et al. 2020, Algorithm 1: predict the noise eps that was added, or, with prediction="x0",
    the clean image x0 itself (what the cats preset does: on these pictures it learns coherent cats sooner).

    min_snr = gamma > 0 weighs each picture's error by min(SNR_t, gamma) in x0 terms (Hang et al. 2023, "min-SNR")."""
    t = torch.randint(0, schedule.T, (x0.shape[0],), device=x0.device)  # 1. a random timestep for each image
    eps = torch.randn_like(x0)                                          # 2. fresh Gaussian noise
    xt = schedule.add_noise(x0, t, eps)                                 # 3. jump straight to x_t (eq. 4)
    guess = model(xt, t, cond).float()                                  # 4. the network's guess of eps (or of x0)
    target = eps if prediction == "eps" else x0
    if not min_snr:
        return F.mse_loss(guess, target)                                # 5. || eps - eps_pred ||^2
                                                                        #    (or || x0 - x0_pred ||^2)
    snr = schedule.snr(t)                                               # (B,)
    weight = snr.clamp(max=min_snr) / (snr if prediction == "eps" else 1)  # || eps ||^2 = SNR || x0 ||^2
    return (weight * (guess - target).square().flatten(1).mean(1)).mean()


@torch.no_grad()
def update_ema(ema: UNet, model: UNet, decay: float, step: int):
    """ema <- decay * ema + (1 - decay) * model, with a short warm-up so that early EMA weights are not stuck
    at init."""
    decay = min(decay, (1 + step) / (10 + step))
    # every tensor at once
    torch._foreach_lerp_(list(ema.parameters()), [p.detach() for p in model.parameters()], 1 - decay)


def train(run: Run, images: torch.Tensor, steps: int = None, minutes: float = None, checkpoint=None, on_step=None,
          every: int = 100, precision: str = "auto", progress: bool = True, half: bool = False, conds=None,
          save_every: float = 5.0) -> Run:
    """Train run.model on `images` (N, C, H, W) for `steps` more steps and/or `minutes` of wall-clock time.

    A latent run takes pictures (encoded here, with their mirrors, the first time) or latents (training_data's).
    conds: for a conditional model, each image's condition (N, D) or conditions (N, K, D).
    on_step(run) is called every `every` steps and at the end (a notebook uses it for a live loss plot or samples).
    checkpoint: where the run is saved at the end, every `save_every` minutes, and whatever stops it: Ctrl-C, a kill
    (SIGTERM, SIGHUP) or any error. Ctrl-C and kills return the run with run.interrupted = True.
    half=True writes the final checkpoint small: EMA weights only, in float16 (for sharing, not for resuming).
    Under torchrun (see distributed.py) each process trains on its own shard; only process 0 writes and talks.
    """
    Budget(steps, minutes)  # a bad budget is refused now, before any encoding
    whole_number("every", every, 1, 10**9)
    c = run.settings.model
    if run.settings.latent and tuple(images.shape[1:]) != (c.channels, c.size, c.size):  # pictures: into latents
        images = latents_of(autoencoder_of(run.model), images, run.settings.flip)   # (once: they are cached)
    engine = Engine(run, images, conds, precision)
    budget = Budget(steps, minutes)  # the clock starts now: encoding the pictures is not training time
    saver = Saver(run, checkpoint, save_every, engine.main)
    bar = progress_bar(total=steps, disable=not (progress and engine.main), unit="step")
    run.interrupted = False
    with saver.on_any_stop(bar):
        while budget.left(run):
            x0, cond = engine.batch()                            # 1. a batch of clean pictures (and their conditions)
            with engine.precision_context():                     # 2. noise them at random steps t, and 3. predict
                loss = diffusion_loss(engine.network, run.schedule, x0, cond, run.settings.model.prediction,
                                      run.settings.min_snr)
            value = engine.loss_value(loss)
            engine.step(loss)                                    # 4. nudge the weights against the loss's gradient
            update_ema(run.ema, run.model, run.settings.ema_decay, run.step)  # 5. the slow average we sample with
            run.step += 1
            run.losses.append(value)
            run.seconds = budget.seconds_before + budget.elapsed()
            budget.show(bar, run)
            if engine.main and on_step is not None and run.step % every == 0:
                on_step(run)
            saver.now_and_then()
    if run.interrupted:
        return run
    if engine.main and on_step is not None and run.step % every != 0:
        on_step(run)
    saver.save(half=half)
    return run


def make_autoencoder_run(settings: AutoencoderSettings = None) -> Run:
    """A fresh Run for the autoencoder (no noise schedule: it only learns to squeeze and redraw pictures)."""
    settings = settings or AutoencoderSettings()
    model = Autoencoder(settings.model)
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    return Run(model, ema, make_optimizer(model, settings.lr), None, settings)


def train_autoencoder(run: Run, images: torch.Tensor, steps: int = None, minutes: float = None, checkpoint=None,
                      precision: str = "auto", progress: bool = True, save_every: float = 5.0) -> Run:
    """Train the autoencoder to redraw `images` (uint8 (N, 3, H, W)) from their latents; saved like a denoiser's
    run (at the end, every few minutes, on Ctrl-C, on a kill and on any error), with its latent scale fitted."""
    budget = Budget(steps, minutes)
    engine = Engine(run, images, None, precision)
    fitting = to_model_range(images[torch.randperm(len(images), generator=torch.Generator().manual_seed(0))[:2048]])

    def write(run, path, half=False):
        run.ema.fit_scale(fitting)  # latents of unit variance, in every file written, so that each one is usable
        return save_autoencoder(run, path, half=half)

    saver = Saver(run, checkpoint, save_every, engine.main, write)
    bar = progress_bar(total=steps, disable=not (progress and engine.main), unit="step")
    run.interrupted = False
    with saver.on_any_stop(bar):
        while budget.left(run):
            x, _ = engine.batch()                                 # 1. a batch of pictures
            with engine.precision_context():
                loss = reconstruction_loss(engine.network, x)     # 2. squeeze, redraw, compare
            value = engine.loss_value(loss)
            engine.step(loss)                                     # 3. nudge the weights
            update_ema(run.ema, run.model, run.settings.ema_decay, run.step)
            run.step += 1
            run.losses.append(value)
            run.seconds = budget.seconds_before + budget.elapsed()
            budget.show(bar, run)
            saver.now_and_then()
    if not run.interrupted:
        saver.save()
    run.ema.fit_scale(fitting)
    return run


class Budget:
    """How long a run trains: a number of steps, a time in minutes, or both (whichever ends first)."""

    def __init__(self, steps=None, minutes=None):
        if steps is None and minutes is None:
            raise DiffusionLabError("need_budget")
        self.steps = None if steps is None else whole_number("steps", steps, 0, 10**9)
        self.minutes = None if minutes is None else real_number("minutes", minutes, 1e-6, 60 * 24 * 365)
        self.start, self.first_step, self.seconds_before = time.perf_counter(), None, None

    def left(self, run: Run) -> bool:
        if self.first_step is None:
            self.first_step, self.seconds_before = run.step, run.seconds
        return ((self.steps is None or run.step - self.first_step < self.steps)
                and (self.minutes is None or self.elapsed() < self.minutes * 60))

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def show(self, bar, run: Run):
        """Advance the bar; with only a time budget, estimate the total number of steps so that the bar shows an ETA."""
        done, elapsed = run.step - self.first_step, self.elapsed()
        if self.minutes is not None:
            by_time = int(self.minutes * 60 / elapsed * done) if elapsed > 0 else done
            bar.total = min(self.steps, by_time) if self.steps else by_time
        bar.update(1)
        if done % 10 == 0:
            recent = run.losses[-50:]
            bar.set_postfix(loss=f"{sum(recent) / len(recent):.4f}", refresh=False)


class Saver:
    """No trained work is lost: the run is saved at the end, every few minutes, and whatever stops it."""

    def __init__(self, run: Run, checkpoint, every_minutes: float, main: bool, write=None):
        self.run, self.main, self.write = run, main, write  # write(run, path, half): save_checkpoint by default
        self.path = Path(checkpoint) if checkpoint else None
        self.every = real_number("save_every", every_minutes, 0.0, 10**6) * 60
        self.last = time.perf_counter()

    def save(self, path=None, half: bool = False):
        path = path or self.path
        if self.main and path is not None:
            return (self.write or save_checkpoint)(self.run, path, half=half)

    def now_and_then(self):
        """Every `every` seconds, a save (a few tenths of a second for our models), so a power cut costs minutes,
        not the run."""
        if self.path is not None and self.every and time.perf_counter() - self.last > self.every:
            self.save()
            self.last = time.perf_counter()

    @contextmanager
    def on_any_stop(self, bar):
        """Ctrl-C or a kill: save and return; a NaN loss or any error: save the last good weights, then raise."""
        try:
            with kills_as_interrupts():
                yield
        except KeyboardInterrupt:
            bar.close()
            self.run.interrupted = True
            path = self.save(self.path or Path("runs") / "interrupted.pt")
            if path:
                print(message("interrupted", step=self.run.step, path=path))
            return
        except NonFiniteLoss as error:  # raised before the optimizer step: the weights are still the last good ones
            bar.close()
            path = self.path or Path("runs") / "diverged.pt"
            self.save(path)
            lr = self.run.settings.lr
            raise DiffusionLabError("diverged", value=error.value, step=self.run.step, path=path,
                                    lr_hint=f"{lr / 4:.0e}") from None
        except BaseException as error:
            bar.close()
            if self.path is not None and self.run.step > 0 and getattr(error, "key", None) != "cannot_write":
                self.save()
                print(message("saved_after_error", step=self.run.step, path=self.path))
            raise
        bar.close()


@contextmanager
def kills_as_interrupts():
    """SIGTERM (kill, timeout, a closing session) and SIGHUP (a closed terminal) stop training as Ctrl-C does."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set signal handlers
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    before = {signum: signal.signal(signum, interrupt) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)

