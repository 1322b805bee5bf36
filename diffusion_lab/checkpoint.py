"""Saving and loading training runs: weights, EMA weights, optimizer, step, and the configs that rebuild them.

Files are read with torch.load(weights_only=True): a file that would run code when unpickled is refused.
"""
import pickle
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import torch

from .autoencoder import Autoencoder, AutoencoderConfig
from .data import data_dir
from .files import write_atomically
from .messages import DiffusionLabError
from .presets import Settings, preset
from .schedule import NoiseSchedule
from .unet import UNet

FORMAT = "diffusion-lab checkpoint"
AUTOENCODER_FORMAT = "diffusion-lab autoencoder"
VERSION = 1
REQUIRED = ("format", "model_config", "schedule", "ema", "step")


@dataclass
class Run:
    """Everything a training run needs to continue: the model, its EMA copy, the optimizer, the schedule and
    the step."""
    model: UNet
    ema: UNet                      # exponential moving average of the weights; used for sampling
    optimizer: torch.optim.Optimizer
    schedule: NoiseSchedule
    settings: Settings             # preset, batch size, learning rate, EMA decay, dataset... (presets.py)
    step: int = 0
    losses: list = field(default_factory=list)
    seconds: float = 0.0           # training time so far
    interrupted: bool = False
    metrics: dict = field(default_factory=dict)


def save_checkpoint(run: Run, path, half: bool = False, with_optimizer: bool = True) -> Path:
    """Write the run to `path` atomically (a crash or Ctrl-C mid-write never leaves a broken file).

    half=True stores only the EMA weights in float16: the small file we ship for sampling.
    A unique temporary file is written, flushed to the disk, then renamed over `path` (files.write_atomically): two
    trainings saving the same file never mix, and a full or read-only disk raises one sentence and leaves no temp file.
    """
    path = Path(path)

    def weights(model):
        return {k: (v.half() if half and v.is_floating_point() else v).detach().cpu().clone()
                for k, v in model.state_dict().items()}

    state = {
        "format": FORMAT, "version": VERSION,
        "model_config": run.model.config_dict(), "schedule": run.schedule.as_dict(),
        "ema": weights(run.ema), "step": run.step, "seconds": run.seconds,
        "settings": run.settings.as_dict(), "metrics": dict(run.metrics),
        "losses": [float(x) for x in run.losses[-20000:]],
    }
    if not half:
        state["model"] = weights(run.model)
    if with_optimizer and not half:
        state["optimizer"] = run.optimizer.state_dict()
    write_atomically(path, lambda temp: torch.save(state, temp))
    return path


def shipped_checkpoint(name: str = "cats") -> Path:
    """The pretrained weights shipped for a preset (cats, categories, text), in the repository's data/ folder."""
    path = data_dir() / f"{preset(name).preset}.pt"
    if not path.is_file():
        raise DiffusionLabError("shipped_missing", path=path)
    return path


def safe_load(path) -> dict:
    """torch.load(weights_only=True) with one clear sentence for a missing, unreadable or code-running file."""
    path = Path(path)
    if not path.is_file():
        raise DiffusionLabError("checkpoint_missing", path=path)
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if "GLOBAL" in str(error):  # the file names a Python function or class to call while loading
            raise DiffusionLabError("checkpoint_unsafe", path=path) from None
        raise DiffusionLabError("checkpoint_unreadable", path=path, reason=_reason(error)) from None
    # random bytes can fail anywhere in the unpickler (KeyError, IndexError, ...): all mean "unreadable"
    except Exception as error:
        raise DiffusionLabError("checkpoint_unreadable", path=path, reason=_reason(error)) from None


def load_checkpoint(path) -> dict:
    """Read a checkpoint file safely and check that it is one of ours; raises DiffusionLabError with a clear
    sentence."""
    state = safe_load(path)
    if isinstance(state, dict) and state.get("format") == AUTOENCODER_FORMAT:
        raise DiffusionLabError("autoencoder_not_denoiser", path=path)
    missing = [key for key in REQUIRED if not isinstance(state, dict) or key not in state]
    if missing or state["format"] != FORMAT:
        raise DiffusionLabError("checkpoint_foreign", path=path, missing=", ".join(missing) or "format")
    return state


def settings_of(state: dict, path="checkpoint") -> Settings:
    """The run's settings stored in a checkpoint, checked like any input before anything is built from them."""
    try:
        return Settings.from_dict(state.get("settings") or {"preset": "cats"}, state["model_config"])
    except DiffusionLabError as error:
        raise DiffusionLabError("checkpoint_settings", path=path, reason=str(error)) from None
    except (TypeError, AttributeError, ValueError) as error:
        raise DiffusionLabError("checkpoint_settings", path=path, reason=_reason(error)) from None


def build_model(state: dict, settings: Settings, weights: str = "ema", path="checkpoint") -> UNet:
    """Rebuild the U-Net described in a checkpoint and load its weights ('ema' or 'model')."""
    try:
        model = UNet(settings.model)
        model.load_state_dict(state[weights])
    except (TypeError, RuntimeError, KeyError, ValueError) as error:
        raise DiffusionLabError("checkpoint_mismatch", path=path, reason=_reason(error)) from None
    model.settings = settings  # the class names or text encoder that go with the weights
    return model.float()


def schedule_of(state: dict, path="checkpoint") -> NoiseSchedule:
    try:
        return NoiseSchedule(**state["schedule"])
    except (TypeError, ValueError) as error:
        raise DiffusionLabError("checkpoint_settings", path=path, reason=_reason(error)) from None


def load_model(path, kind: str = None):
    """The EMA model (in eval mode) and the schedule from a checkpoint, ready for sampling.

    kind ('unconditional', 'class' or 'text'), when given, must match the checkpoint's: a categories model
    where a cats model is expected (or the reverse) gets a clear message.
    """
    state = load_checkpoint(path)
    settings = settings_of(state, path)
    if kind is not None and settings.condition != kind:
        raise DiffusionLabError("wrong_kind", path=path, kind=settings.condition, wanted=kind)
    model = build_model(state, settings, "ema", path).eval()
    autoencoder_of(model)  # a latent model's decoder: checked now, not at the first picture
    return model, schedule_of(state, path)


def save_autoencoder(run: Run, path, half: bool = False) -> Path:
    """Write a trained autoencoder (its EMA weights, with `scale` fitted) atomically; half=True in float16."""
    model = run.ema
    state = {"format": AUTOENCODER_FORMAT, "config": asdict(model.config), "step": run.step, "seconds": run.seconds,
             "settings": {key: value for key, value in run.settings.as_dict().items() if key != "model"},
             "metrics": dict(run.metrics), "losses": [float(x) for x in run.losses[-20000:]],
             "weights": {k: (v.half() if half and v.is_floating_point() and k != "scale" else v).detach().cpu().clone()
                         for k, v in model.state_dict().items()}}
    write_atomically(Path(path), lambda temp: torch.save(state, temp))
    return Path(path)


def load_autoencoder(path=None) -> Autoencoder:
    """The frozen autoencoder (data/autoencoder.pt by default), in eval mode; a missing, foreign or mismatched file
    gets one sentence naming it."""
    path = Path(path) if path is not None else data_dir() / "autoencoder.pt"
    if not path.is_file():
        raise DiffusionLabError("autoencoder_missing", path=path)
    state = safe_load(path)
    if not isinstance(state, dict) or state.get("format") != AUTOENCODER_FORMAT:
        raise DiffusionLabError("autoencoder_foreign", path=path)
    try:
        model = Autoencoder(AutoencoderConfig(**state["config"]))
        model.load_state_dict(state["weights"])
    except (TypeError, RuntimeError, KeyError, ValueError) as error:
        raise DiffusionLabError("checkpoint_mismatch", path=path, reason=_reason(error)) from None
    model.metrics, model.path = state.get("metrics", {}), path
    return model.float().eval().requires_grad_(False)


@lru_cache(maxsize=4)
def _cached_autoencoder(path: Path, modified: float) -> Autoencoder:
    return load_autoencoder(path)


def autoencoder_of(model):
    """The frozen autoencoder a latent model's pictures are decoded with (None for a model that denoises pixels)."""
    return autoencoder_for(getattr(model, "settings", None))


def autoencoder_for(settings: Settings):
    """The frozen autoencoder of a latent preset's settings (None for pixels): read once from data/ (again if the
    file changes), and checked against the denoiser's latent shape."""
    if settings is None or not settings.latent:
        return None
    path = data_dir() / settings.autoencoder
    if not path.is_file():
        raise DiffusionLabError("autoencoder_missing", path=path)
    autoencoder = _cached_autoencoder(path, path.stat().st_mtime)
    a, c = autoencoder.config, settings.model
    if (a.latent_channels, a.latent_size) != (c.channels, c.size):
        raise DiffusionLabError("latent_mismatch", path=path, latent=f"{a.latent_channels}x{a.latent_size}x"
                                f"{a.latent_size}", shape=f"{c.channels}x{c.size}x{c.size}")
    return autoencoder


def make_optimizer(model, lr: float) -> torch.optim.Optimizer:
    """AdamW without weight decay. fused=True updates all the weights in one go: 5x faster than one tensor at a time on
    a CPU (CPUs and Apple GPUs got fused AdamW in 2024, by torch 2.5: hence torch>=2.5 in pyproject.toml)."""
    return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0, fused=True)


def load_run(path, lr: float = None) -> Run:
    """A Run restored from a full checkpoint, to continue training where it stopped."""
    state = load_checkpoint(path)
    settings = settings_of(state, path)
    if lr is not None:
        settings = settings.changed(lr=lr)
    if "model" not in state:  # a shipped fp16 file: continue from the EMA weights with a fresh optimizer
        state["model"] = state["ema"]
    model = build_model(state, settings, "model", path).train()
    ema = build_model(state, settings, "ema", path).eval().requires_grad_(False)
    optimizer = make_optimizer(model, settings.lr)
    if "optimizer" in state and lr is None:
        optimizer.load_state_dict(state["optimizer"])
    return Run(model, ema, optimizer, schedule_of(state, path), settings, step=int(state["step"]),
               losses=list(state.get("losses", [])), seconds=float(state.get("seconds", 0.0)),
               metrics=dict(state.get("metrics", {})))


def _reason(error) -> str:
    """The most telling line of a long PyTorch error message."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    telling = [line for line in lines
               if "error" in line.lower() or "unsupported" in line.lower() or "size mismatch" in line]
    return ((telling or lines)[-1] if telling else lines[0])[:200] if lines else type(error).__name__
