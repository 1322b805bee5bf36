"""The autoencoder of latent diffusion (Rombach et al. 2022, the "Stable" in Stable Diffusion).

The encoder squeezes a 32x32 picture (3 x 32 x 32 = 3072 numbers) into a small latent (4 x 8 x 8 = 256 numbers, 12
times fewer); the decoder draws the picture back from it. It is trained once, on pictures of every category, and then
frozen: the denoiser learns and samples in the latent space, where each step costs far less, and the decoder draws the
edges and eyes.

The latents are multiplied by `scale` (Stable Diffusion's "scaling factor", 0.18215 there) so that they have about unit
variance, like the noise the denoiser mixes them with.
"""
import hashlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from .messages import bad_value, real_number, whole_number


@dataclass(frozen=True)
class AutoencoderConfig:
    size: int = 32             # picture height and width, in pixels
    channels: int = 3          # colour channels of the picture
    latent_channels: int = 4   # numbers per latent position
    halvings: int = 2          # each one halves the height and the width: 32 -> 16 -> 8
    width: int = 48            # feature channels at full resolution (twice as many below)

    def __post_init__(self):
        for name in ("size", "channels", "latent_channels", "width"):
            whole_number(name, getattr(self, name), 1, 4096)
        whole_number("halvings", self.halvings, 1, 5)
        if self.size % 2**self.halvings:
            factor = 2**self.halvings
            raise bad_value("size", self.size, f"a multiple of {factor}", f"un multiple de {factor}")

    @property
    def latent_size(self) -> int:
        return self.size // 2**self.halvings

    @property
    def compression(self) -> float:
        """How many times fewer numbers the latent holds than the picture."""
        return (self.channels * self.size**2) / (self.latent_channels * self.latent_size**2)


@dataclass(frozen=True)
class AutoencoderSettings:
    """How the autoencoder is trained (the same training machinery as the denoiser: engine.py)."""
    preset: str = "autoencoder"
    model: AutoencoderConfig = AutoencoderConfig()
    dataset: str = "categories"
    n_images: int = 21000        # pictures of all seven categories, a quarter of the cats in picture-book coats
    toy_coats: float = 0.25
    batch_size: int = 64
    lr: float = 1e-3
    warmup: int = 50
    ema_decay: float = 0.999
    flip: bool = True
    device: str = "cpu"
    condition: str = "unconditional"
    cond_dropout: float = 0.0

    def __post_init__(self):
        whole_number("batch_size", self.batch_size, 1, 4096)
        real_number("lr", self.lr, 1e-8, 1.0)

    @property
    def conditional(self) -> bool:
        return False

    def changed(self, **changes) -> "AutoencoderSettings":
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)


def conv(c_in: int, c_out: int, **kwargs) -> nn.Sequential:
    """A 3x3 convolution (or the given kernel and stride) followed by SiLU."""
    kwargs = {"kernel_size": 3, "padding": 1, **kwargs}
    return nn.Sequential(nn.Conv2d(c_in, c_out, **kwargs), nn.SiLU())


class Autoencoder(nn.Module):
    def __init__(self, config: AutoencoderConfig = None):
        super().__init__()
        self.config = c = config or AutoencoderConfig()
        wide = 2 * c.width  # below full resolution
        self.encoder = nn.Sequential(
            conv(c.channels, c.width), conv(c.width, c.width),
            *[nn.Sequential(conv(c.width if i == 0 else wide, wide, kernel_size=4, stride=2), conv(wide, wide))
              for i in range(c.halvings)],                                # each halves the height and the width
            nn.Conv2d(wide, c.latent_channels, 1), nn.Tanh())             # a few numbers per position, in (-1, 1)
        self.decoder = nn.Sequential(
            conv(c.latent_channels, wide), conv(wide, wide),
            *[nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),  # each doubles the height and the width
                            conv(wide, c.width if i == c.halvings - 1 else wide)) for i in range(c.halvings)],
            conv(c.width, c.width), nn.Conv2d(c.width, c.channels, 3, padding=1))
        self.register_buffer("scale", torch.tensor(1.0))  # set by fit_scale after training

    def encode(self, images: torch.Tensor) -> torch.Tensor:
        """Pictures in [-1, 1], (B, 3, 32, 32) -> latents of about unit variance, (B, 4, 8, 8)."""
        return self.encoder(images) * self.scale

    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        """Latents (B, 4, 8, 8) -> pictures, about [-1, 1] (B, 3, 32, 32)."""
        return self.decoder(latents / self.scale)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """The reconstruction: encode, then decode."""
        return self.decoder(self.encoder(images))

    @property
    def latent_range(self) -> float:
        """The largest value a latent can take: the encoder ends with tanh, so |latent| < scale."""
        return float(self.scale)

    @torch.no_grad()
    def fit_scale(self, images: torch.Tensor, batch_size: int = 512):
        """Set `scale` so that the encoded pictures (in [-1, 1]) have unit standard deviation."""
        latents = torch.cat([self.encoder(x) for x in torch.split(images, batch_size)])
        self.scale.fill_(1.0 / latents.std().clamp(min=1e-6).item())

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def reconstruction_loss(model: Autoencoder, x: torch.Tensor) -> torch.Tensor:
    """Squared error plus absolute error between a picture and its reconstruction (the absolute error keeps edges
    sharp: squared error alone forgives many small blurs)."""
    out = model(x).float()
    return F.mse_loss(out, x) + F.l1_loss(out, x)


@torch.no_grad()
def encode(autoencoder: Autoencoder, images: torch.Tensor, batch_size: int = 512) -> torch.Tensor:
    """Pictures (uint8 or [-1, 1]) -> latents, in batches, on the CPU."""
    from .data import to_model_range
    return torch.cat([autoencoder.encode(to_model_range(x)) for x in torch.split(images, batch_size)])


def latents_of(autoencoder: Autoencoder, images: torch.Tensor, mirrors: bool = True) -> torch.Tensor:
    """The latents a latent denoiser learns from: the pictures' (uint8) and, with mirrors, their mirror images'
    (a mirrored latent is not the latent of the mirrored picture, so both are encoded).

    Cached on disk under the fingerprints of the pictures and of the autoencoder's file: a lesson encodes its
    pictures once, and new pictures or a new autoencoder are encoded afresh.
    """
    from .data import cache_dir, cached

    def draw():
        both = torch.cat([images, images.flip(-1)]) if mirrors else images
        return {"latents": encode(autoencoder, both)}

    if getattr(autoencoder, "path", None) is None:  # an autoencoder that is not a file: nothing to name the cache by
        return draw()["latents"]
    key = hashlib.sha1(images.contiguous().numpy().tobytes())
    key.update(Path(autoencoder.path).read_bytes())
    return cached(cache_dir() / f"latents-{key.hexdigest()[:16]}{'-mirrors' if mirrors else ''}.pt", draw)["latents"]


@torch.no_grad()
def decode(autoencoder: Autoencoder, latents: torch.Tensor, batch_size: int = 512) -> torch.Tensor:
    """Latents -> pictures in [-1, 1], in batches."""
    return torch.cat([autoencoder.decode(z).clamp(-1, 1) for z in torch.split(latents, batch_size)])
