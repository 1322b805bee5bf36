"""diffusion-lab: see and do how image generators such as Stable Diffusion work, on a laptop CPU."""
from .autoencoder import Autoencoder, AutoencoderConfig
from .checkpoint import (
    Run,
    load_autoencoder,
    load_checkpoint,
    load_model,
    load_run,
    save_checkpoint,
    shipped_checkpoint,
)
from .conditioning import one_hot
from .data import data_dir, from_model_range, random_batch, to_model_range
from .hardware import get_device, resolve_precision
from .messages import DiffusionLabError, set_language
from .notebook_hook import explain_missing_names
from .presets import PRESETS, Settings, preset
from .sample import Step, ddim_sampler, ddpm_sampler, denoise, sample
from .schedule import NoiseSchedule, timesteps
from .train import diffusion_loss, make_run, train, training_data
from .unet import UNet, UNetConfig

__version__ = "0.1.0"

__all__ = [
    "Autoencoder", "AutoencoderConfig", "DiffusionLabError", "NoiseSchedule", "PRESETS", "Run", "Settings", "Step",
    "UNet", "UNetConfig", "data_dir", "ddim_sampler", "ddpm_sampler", "denoise", "diffusion_loss",
    "explain_missing_names", "from_model_range", "get_device", "load_autoencoder", "load_checkpoint", "load_model",
    "load_run", "make_run", "one_hot", "preset", "random_batch", "resolve_precision", "sample", "save_checkpoint",
    "set_language", "shipped_checkpoint", "timesteps", "to_model_range", "train", "training_data",
]
