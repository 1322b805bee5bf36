"""Training the denoiser: the loss of Ho et al. 2020 (Algorithm 1) and a plain training loop."""
import copy
import math
import time
from pathlib import Path

import torch
from torch.nn import functional as F

from . import distributed
from .categories import CATEGORIES
from .checkpoint import Run, kind_of, make_optimizer, save_checkpoint
from .conditioning import drop, one_hot
from .hardware import autocast, resolve_precision
from .messages import DiffusionLabError, message
from .schedule import NoiseSchedule
from .unet import UNet, UNetConfig, prediction_of
from .viz import progress_bar

# A preset is a tested set of knobs. "cats" is sized for a 2-core laptop: a 60-second lesson run makes ~1100 steps,
# and 16 cats come out of 50 denoising steps in under a second. (Width 32 learnt more in 60 s than 40 or 48: more steps.)
CATS = {
    "model": {"size": 32, "base": 32, "mults": (1, 2, 2), "blocks": 1, "attention": True, "patch": 2, "prediction": "x0"},
    "schedule": {"T": 1000, "kind": "cosine"},
    "dataset": "cats", "n_images": 20000,
    "batch_size": 32, "lr": 2e-3, "ema_decay": 0.999, "warmup": 50,
}


def with_condition(preset: dict, cond_dim: int, model: dict = None, **settings) -> dict:
    """The same network and training as `preset`, plus a condition of cond_dim numbers added to the time embedding,
    dropped 10% of the time during training (so the network also draws without one), and guidance 3 when sampling.
    model: changes to the network, e.g. {"base": 48} for a wider one."""
    model = {**preset["model"], **(model or {}), "cond_dim": cond_dim}
    return {**preset, "model": model, "cond_dropout": 0.1, "guidance": 3.0, **settings}


PRESETS = {
    "cats": CATS,
    # One network for every category (1.5 times wider than the cats one): the class, as a one-hot vector.
    "categories": with_condition(CATS, len(CATEGORIES), {"base": 48}, condition="class", classes=CATEGORIES,
                                 dataset="categories", n_images=21000),
    # A sentence takes the class's place: the frozen sentence encoder (text.py) gives 384 numbers for each of its words,
    # and the pixels of the two lowest resolutions look at them (cross-attention, as in Stable Diffusion); the average
    # of the words, the sentence's own vector, is not used (cond_layers=0). No mirroring: "going left" would go right.
    # A quarter of its cats wear a picture-book coat (red, yellow, green, blue, purple or pink; categories.make_images),
    # so that a cat's colour word paints its coat as it paints a car.
    "text": with_condition(CATS, 384, {"base": 48, "cond_layers": 0, "cross_attention": 2}, condition="text", encoder=None,
                           captions_per_image=6, dataset="categories", n_images=21000, flip=False, toy_coats=0.25),
    # Real photos at 64x64, sized for one GPU: a wider and deeper U-Net (4 levels, 2 blocks each, 16M parameters)
    # that predicts the noise, as in Ho et al. 2020. Learns from CIFAR-10's cats (32x32, upscaled) or a folder (--images).
    # batch_size is the whole batch of one step: with torchrun, each of the N processes takes batch_size / N of it.
    "photos": {
        "model": {"size": 64, "base": 64, "mults": (1, 2, 2, 4), "blocks": 2, "attention": True, "prediction": "eps"},
        "schedule": {"T": 1000, "kind": "cosine"},
        "dataset": "cifar10-cats", "n_images": 5000, "device": "auto",
        "batch_size": 64, "lr": 2e-4, "ema_decay": 0.9995, "warmup": 500,
    },
}


def make_run(preset: str = "cats", **overrides) -> Run:
    """A fresh Run (U-Net, EMA copy, optimizer, schedule) from a preset; keyword arguments override its settings."""
    if preset not in PRESETS:
        raise DiffusionLabError("unknown_preset", name=preset, choices=", ".join(PRESETS))
    settings = copy.deepcopy(PRESETS[preset])
    settings["model"].update(overrides.pop("model", {}))
    settings.update(overrides, preset=preset)
    model = UNet(UNetConfig(**settings["model"]))
    ema = copy.deepcopy(model).eval().requires_grad_(False)
    optimizer = make_optimizer(model, settings["lr"])
    model.settings = ema.settings = settings  # what the model is conditioned on travels with it
    return Run(model, ema, optimizer, NoiseSchedule(**settings["schedule"]), settings)


def training_data(settings: dict, dataset: str = None, folder=None):
    """What a preset learns from: images, uint8 (N, 3, H, W), and for a conditional preset their conditions (else None)."""
    from .data import load_dataset, procedural_categories  # data.py uses this module too: import when needed
    size, n = settings["model"]["size"], settings.get("n_images", 8000)
    if kind_of(settings) == "class":  # each image's category, as a one-hot vector
        images, labels, _ = procedural_categories(n, size)
        return images, one_hot(labels, settings["model"]["cond_dim"])
    if kind_of(settings) == "text":  # each image's captions, as sentence embeddings
        from .text import caption_embeddings
        return caption_embeddings(settings, n, size)
    return load_dataset(dataset or settings["dataset"], size, n, folder), None


def diffusion_loss(model, schedule: NoiseSchedule, x0: torch.Tensor, cond=None, prediction: str = None) -> torch.Tensor:
    """The simple loss, Ho et al. 2020, Algorithm 1: predict the noise that was added (or, with prediction="x0", the clean image)."""
    prediction = prediction or prediction_of(model)
    t = torch.randint(0, schedule.T, (x0.shape[0],), device=x0.device)  # 1. a random timestep for each image
    eps = torch.randn_like(x0)                                          # 2. fresh Gaussian noise
    xt = schedule.add_noise(x0, t, eps)                                 # 3. jump straight to x_t (eq. 4)
    guess = model(xt, t, cond).float()                                  # 4. the network's guess of eps (or x0)
    return F.mse_loss(guess, eps if prediction == "eps" else x0)        # 5. || eps - eps_pred ||^2


@torch.no_grad()
def update_ema(ema: UNet, model: UNet, decay: float, step: int):
    """ema <- decay * ema + (1 - decay) * model, with a short warm-up so that early EMA weights are not stuck at init."""
    decay = min(decay, (1 + step) / (10 + step))
    torch._foreach_lerp_(list(ema.parameters()), [p.detach() for p in model.parameters()], 1 - decay)  # all at once


def to_model_range(images: torch.Tensor) -> torch.Tensor:
    """uint8 pixels 0..255 -> floats in [-1, 1], the range the diffusion maths assumes."""
    return images.float() / 127.5 - 1 if images.dtype == torch.uint8 else images.float()


def random_batch(images: torch.Tensor, batch_size: int, flip: bool = True, conds=None):
    """A random batch of images in [-1, 1], mirrored left-right half of the time (a cat mirrored is still a cat).

    With conds (one condition per image, (N, D), or several per image, (N, K, D), such as K captions), returns
    (images, their conditions): one of the K is picked at random for each image.
    """
    index = torch.randint(0, images.shape[0], (batch_size,))
    x0 = to_model_range(images[index])  # (B, C, H, W)
    if flip:
        mirror = torch.rand(batch_size) < 0.5
        x0[mirror] = x0[mirror].flip(-1)
    if conds is None:
        return x0
    if len(conds.shape) == 2:  # one condition per image
        return x0, conds[index].float()
    k = torch.randint(0, conds.shape[1], (batch_size,))  # (N, K, ...): one of each image's K conditions (K captions)
    return x0, conds[index, k].float()


def train(run: Run, images: torch.Tensor, steps: int = None, minutes: float = None, checkpoint=None,
          on_step=None, every: int = 100, precision: str = "auto", progress: bool = True, half: bool = False, conds=None) -> Run:
    """Train run.model on `images` (N, C, H, W) for `steps` more steps and/or `minutes` of wall-clock time.

    conds: for a conditional model, each image's condition (N, D) or conditions (N, K, D); they are replaced by the
    null condition with probability settings["cond_dropout"], so that the model also learns to draw without one.

    on_step(run) is called every `every` steps and at the end (a notebook uses it for a live loss plot or samples).
    Ctrl-C stops cleanly: the checkpoint is saved and the run is returned with run.interrupted = True.
    half=True writes the final checkpoint small: EMA weights only, in float16 (for sharing, not for resuming).
    A NaN or infinite loss stops the run before it spoils the weights, and raises an error that says what to try.
    Under torchrun (see distributed.py) each process trains on its own shard of the images with batch_size / N images
    per step, and only process 0 writes the checkpoint, the progress bar and calls on_step.
    """
    if steps is None and minutes is None:
        raise DiffusionLabError("need_budget")
    model, schedule = run.model.train(), run.schedule
    device = next(model.parameters()).device
    precision = resolve_precision(precision, device)
    scaler = torch.amp.GradScaler(device.type, enabled=precision == "fp16")  # fp16 gradients can underflow: scale them up
    # Several processes (torchrun): each takes its shard of the images and its share of the batch, and DDP averages gradients.
    images, conds = distributed.shard(images, conds, run.settings["batch_size"])
    batch_size = run.settings["batch_size"] // distributed.world_size()
    model, main = distributed.wrap(model, run.ema, device), distributed.is_main()
    lr, warmup = run.settings["lr"], run.settings.get("warmup", 0)
    checkpoint = Path(checkpoint) if checkpoint else None
    first_step, start = run.step, time.perf_counter()
    seconds_before = run.seconds
    bar = progress_bar(total=steps, disable=not (progress and main), unit="step")
    run.interrupted = False
    try:
        while (steps is None or run.step - first_step < steps) and (minutes is None or time.perf_counter() - start < minutes * 60):
            x0, cond = _batch(run, images, conds, batch_size)
            x0 = x0.to(device, memory_format=torch.channels_last)
            with autocast(precision, device):
                loss = diffusion_loss(model, schedule, x0, cond.to(device) if cond is not None else None, prediction_of(run.model))
            value = distributed.mean(loss).item()  # the loss of the whole batch: every process sees the same number
            if not math.isfinite(value):  # so that every process stops here together
                path = checkpoint or Path("runs") / "diverged.pt"
                if main:
                    save_checkpoint(run, path)
                raise DiffusionLabError("diverged", value=value, step=run.step, path=path, lr_hint=f"{lr / 4:.0e}")
            for group in run.optimizer.param_groups:  # linear warm-up of the learning rate: big first steps can diverge
                group["lr"] = lr * min(1.0, (run.step + 1) / max(warmup, 1))
            run.optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()   # with fp32 or bf16 the scaler does nothing: plain loss.backward()
            scaler.unscale_(run.optimizer)  # clip the true gradients, not the scaled ones
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, foreach=True)
            scaler.step(run.optimizer)      # skips the step if fp16 overflowed
            scaler.update()
            update_ema(run.ema, run.model, run.settings["ema_decay"], run.step)  # the same weights, so the same EMA, everywhere
            run.step += 1
            run.losses.append(value)
            run.seconds = seconds_before + time.perf_counter() - start
            _update_bar(bar, run, first_step, start, steps, minutes)
            if main and on_step is not None and run.step % every == 0:
                on_step(run)
    except KeyboardInterrupt:
        run.interrupted = True
        bar.close()
        if main:
            path = save_checkpoint(run, checkpoint or Path("runs") / "interrupted.pt")
            print(message("interrupted", step=run.step, path=path))
        return run
    bar.close()
    if main and on_step is not None and run.step % every != 0:
        on_step(run)
    if main and checkpoint:
        save_checkpoint(run, checkpoint, half=half)
    return run


def _batch(run: Run, images, conds, batch_size: int):
    """A training batch and its conditions (with label dropout), or no conditions for an unconditional model."""
    if conds is None:
        if run.model.config.cond_dim:
            raise DiffusionLabError("need_conds")
        return random_batch(images, batch_size), None
    if not run.model.config.cond_dim:
        raise DiffusionLabError("not_conditional", kind="unconditional", wanted="categories or text")
    x0, cond = random_batch(images, batch_size, run.settings.get("flip", True), conds)
    return x0, drop(cond, run.settings.get("cond_dropout", 0.1))


def _update_bar(bar, run: Run, first_step: int, start: float, steps, minutes):
    """Advance the progress bar; with only a time budget, estimate the total number of steps so the bar shows an ETA."""
    done, elapsed = run.step - first_step, time.perf_counter() - start
    if minutes is not None:
        by_time = int(minutes * 60 / elapsed * done) if elapsed > 0 else done
        bar.total = min(steps, by_time) if steps else by_time
    bar.update(1)
    if done % 10 == 0:
        bar.set_postfix(loss=f"{sum(run.losses[-50:]) / len(run.losses[-50:]):.4f}", refresh=False)
