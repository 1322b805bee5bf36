"""diffusion-lab: see and do how image generators such as Stable Diffusion work, on a laptop CPU."""
from .checkpoint import Run, load_checkpoint, load_model, load_run, save_checkpoint
from .hardware import get_device, resolve_precision
from .messages import DiffusionLabError, set_language
from .notebook_hook import explain_missing_names
from .sample import Step, ddim_sampler, ddpm_sampler, denoise, sample
from .schedule import NoiseSchedule, timesteps
from .train import PRESETS, diffusion_loss, make_run, train, training_data
from .unet import UNet, UNetConfig

__version__ = "0.1.0"

__all__ = [
    "DiffusionLabError", "NoiseSchedule", "PRESETS", "Run", "Step", "UNet", "UNetConfig",
    "ddim_sampler", "ddpm_sampler", "denoise", "diffusion_loss", "explain_missing_names", "training_data", "get_device", "load_checkpoint", "load_model",
    "load_run", "make_run", "resolve_precision", "sample", "save_checkpoint", "set_language", "timesteps", "train",
]
