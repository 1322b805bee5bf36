"""A compact U-Net that predicts the noise eps in x_t (Ronneberger et al. 2015, as used by Ho et al. 2020, appendix B).

The network knows nothing about beta or the schedule: it sees an image x_t and a timestep t (and optionally a
conditioning vector) and returns a tensor of the same shape as x_t.
"""
import math
from dataclasses import asdict, dataclass, fields
from typing import Literal

import torch
from torch import nn
from torch.nn import functional as F

from .messages import DiffusionLabError, bad_value, one_of, whole_number

CondMap = Literal["linear", "mlp", "none"]  # how the condition's vector joins the time embedding
Prediction = Literal["eps", "x0"]           # what the network's output means


@dataclass(frozen=True)
class UNetConfig:
    size: int = 32            # image height and width, in pixels
    channels: int = 3         # colour channels of the image
    base: int = 32            # feature channels at full resolution
    mults: tuple = (1, 2, 2)  # channels per level = base * mult; each level after the first halves the resolution
    blocks: int = 1           # residual blocks per level on the way down (the way up has one more, for the skips)
    attention: bool = True    # self-attention at the lowest resolution
    cond_dim: int = 0         # length of the optional conditioning vector (0: unconditional)
    cond_map: CondMap = "linear"  # "linear": enough for a class; "mlp": a small MLP (for a sentence's vector);
                                  # "none": the sentence's vector is not used, only its words (needs cross-attention)
    cross_attention_levels: int = 0  # how many of the lowest resolutions (with the middle) look at the words of a
                                     # sentence; the condition is then (B, 1 + L, cond_dim): its vector, then its words'
    groups: int = 8           # GroupNorm groups
    patch: int = 1            # 2 folds each 2x2 block of pixels into channels: 4x less work
                              # (a rearrangement, not a latent)
    prediction: Prediction = "eps"  # the noise "eps" (Ho et al. 2020) or the clean image "x0"

    def __post_init__(self):
        object.__setattr__(self, "mults", tuple(self.mults))  # frozen: set once, here
        for name in ("size", "channels", "base", "blocks", "groups", "patch"):
            whole_number(name, getattr(self, name), 1, 4096)
        whole_number("cond_dim", self.cond_dim, 0, 4096)
        whole_number("cross_attention_levels", self.cross_attention_levels, 0, len(self.mults))
        if not self.mults or not all(isinstance(m, int) and 1 <= m <= 64 for m in self.mults):
            raise bad_value("mults", self.mults, "a list of whole numbers from 1 to "
                                                 "64", "une liste d'entiers de 1 à 64")
        factor = self.patch * 2 ** (len(self.mults) - 1)
        if self.size < factor or self.size % factor:
            raise DiffusionLabError("bad_unet_size", halvings=len(self.mults) - 1, factor=factor, size=self.size)
        one_of("prediction", self.prediction, Prediction)
        one_of("cond_map", self.cond_map, CondMap)
        if self.cond_map == "none" and self.cond_dim and not self.cross_attention_levels:
            raise bad_value("cond_map", self.cond_map, "'linear' or 'mlp' without cross-attention (else nothing reads "
                                                       "the condition)",
                            "« linear » ou « mlp » sans attention croisée (sinon rien ne lit la condition)")
        if self.cross_attention_levels and not self.cond_dim:
            raise bad_value("cross_attention_levels", self.cross_attention_levels, "0 without a condition (cond_dim = "
                                                                                   "0)",
                            "0 sans condition (cond_dim = 0)")
        if self.base % self.groups:
            raise bad_value("groups", self.groups, "a divisor of base "
                                                   f"({self.base})", f"un diviseur de base ({self.base})")

    @classmethod
    def from_dict(cls, config: dict) -> "UNetConfig":
        """A config as a checkpoint stores it; older checkpoints said cond_layers 0/1/2 and cross_attention."""
        config = dict(config)
        if "cond_layers" in config:
            config["cond_map"] = {0: "none", 1: "linear", 2: "mlp"}.get(config.pop("cond_layers"), "?")
        if "cross_attention" in config:
            config["cross_attention_levels"] = int(config.pop("cross_attention"))
        unknown = set(config) - {f.name for f in fields(cls)}
        if unknown:
            raise bad_value("model", ", ".join(sorted(unknown)), "U-Net settings this version "
                                                                 "knows", "des réglages de U-Net connus")
        return cls(**config)


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding of the timestep (Vaswani et al. 2017, section 3.5; used for t by Ho et al. 2020)."""
    half = dim // 2
    # (half,)
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    angles = t.float()[:, None] * freqs[None, :]  # (B, half)
    return torch.cat([torch.cos(angles), torch.sin(angles)], dim=1)  # (B, dim)


class GroupNorm(nn.GroupNorm):
    """nn.GroupNorm, always computed in float32 (Wu & He 2018): statistics over groups of channels of each image.

    Under bf16 autocast torch would run it in bf16, and its CPU kernel for bf16 channels_last tensors is ~10x slower
    than in float32 (it was a third of a training step). Float32 is also the more accurate choice for a mean and a
    variance.
    """

    def forward(self, x):
        return super().forward(x.float()).to(x.dtype)


class ResBlock(nn.Module):
    """Two 3x3 convolutions with GroupNorm and SiLU, plus the time (and condition) embedding, plus a shortcut."""

    def __init__(self, c_in: int, c_out: int, emb_dim: int, groups: int):
        super().__init__()
        self.norm1 = GroupNorm(groups, c_in)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.emb = nn.Linear(emb_dim, c_out)
        self.norm2 = GroupNorm(groups, c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.shortcut = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(emb)[:, :, None, None]  # (B, C_out, 1, 1): the same shift at every pixel
        h = self.conv2(F.silu(self.norm2(h)))
        return self.shortcut(x) + h


class SelfAttention(nn.Module):
    """Every pixel looks at every other pixel (used only at the lowest resolution, where it is cheap)."""

    def __init__(self, c: int, groups: int, heads: int = 4):
        super().__init__()
        self.heads = heads
        self.norm = GroupNorm(groups, c)
        self.qkv = nn.Conv2d(c, 3 * c, 1)
        self.out = nn.Conv2d(c, c, 1)

    def forward(self, x):
        B, C, H, W = x.shape
        # each (B, heads, C/heads, HW)
        q, k, v = self.qkv(self.norm(x)).reshape(B, 3, self.heads, C // self.heads, H * W).unbind(1)
        # (B, heads, HW, C/heads)
        h = F.scaled_dot_product_attention(q.transpose(2, 3), k.transpose(2, 3), v.transpose(2, 3))
        h = h.transpose(2, 3).reshape(B, C, H, W)
        return x + self.out(h)


class CrossAttention(nn.Module):
    """Every pixel looks at the words of the prompt (Rombach et al. 2022, the "cross-attention" of Stable Diffusion).

    The pixels ask (queries), the words answer (keys and values): a pixel of the cat's fur can listen to "grey" in
    "a grey cat on a yellow background" while a pixel of the background listens to "yellow". A sentence squeezed into
    one vector mixes its words up; the words, one vector each, keep who is what. A learnt "no word" is always there
    to look at, so that a prompt with no words (the null condition) works too.
    """

    def __init__(self, c: int, word_dim: int, groups: int, heads: int = 4):
        super().__init__()
        self.heads = heads
        self.norm = GroupNorm(groups, c)
        self.q = nn.Conv2d(c, c, 1)
        self.kv = nn.Linear(word_dim, 2 * c)
        self.no_word = nn.Parameter(torch.zeros(1, 1, word_dim))
        self.out = nn.Conv2d(c, c, 1)

    def forward(self, x, words, mask):
        """x (B, C, H, W); words (B, L, word_dim); mask (B, L): True for a word, False for padding."""
        B, C, H, W = x.shape
        q, k, v = self._qkv(x, words, mask)
        h = F.scaled_dot_product_attention(q, k, v, attn_mask=self._mask(mask))  # (B, heads, HW, C/heads)
        h = h.transpose(2, 3).reshape(B, C, H, W)
        return x + self.out(h)

    def weights(self, x, words, mask) -> torch.Tensor:
        """How much each place of the picture looks at each word, (B, heads, H*W, 1 + L), each row summing to 1:
        softmax(q k^T / sqrt(d)). Column 0 is the learnt "no word"."""
        q, k, _ = self._qkv(x, words, mask)
        scores = q @ k.transpose(2, 3) / q.shape[-1] ** 0.5
        return scores.masked_fill(~self._mask(mask), float("-inf")).softmax(-1)

    def _qkv(self, x, words, mask):
        B, C, H, W = x.shape
        words = torch.cat([self.no_word.expand(B, -1, -1).to(words.dtype), words], dim=1)  # (B, 1 + L, word_dim)
        # (B, heads, HW, C/heads)
        q = self.q(self.norm(x)).reshape(B, self.heads, C // self.heads, H * W).transpose(2, 3)
        # each (B, heads, 1 + L, C/heads)
        k, v = self.kv(words).reshape(B, -1, 2, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        return q, k.to(q.dtype), v.to(q.dtype)

    @staticmethod
    def _mask(mask):
        """(B, L) -> (B, 1, 1, 1 + L): the "no word" and the words take part, the padding does not."""
        return torch.cat([mask.new_ones(mask.shape[0], 1), mask], dim=1)[:, None, None, :]


class UNet(nn.Module):
    """UNet(x_t, t, cond) -> eps_pred (or x0_pred): down path, middle, up path with skip connections."""

    def __init__(self, config: UNetConfig = None, **kwargs):
        super().__init__()
        config = config or UNetConfig(**kwargs)
        self.config = c = config
        emb_dim = 4 * c.base
        self.time_mlp = nn.Sequential(nn.Linear(c.base, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        # The conditioning vector (a class or a sentence, later lessons) is added to the time embedding.
        # A class needs one linear layer (one learnt vector per class). A sentence vector mixes its words: telling
        # "a black cat on yellow" from "a yellow cat on black" takes a non-linear map, like time_mlp.
        self.cond_proj = None
        if c.cond_dim and c.cond_map == "linear":
            self.cond_proj = nn.Linear(c.cond_dim, emb_dim)
        elif c.cond_dim and c.cond_map == "mlp":
            self.cond_proj = nn.Sequential(nn.Linear(c.cond_dim, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        widths = [c.base * m for m in c.mults]

        # (B, C, H, W) -> (B, C * patch^2, H / patch, W / patch): each patch of pixels becomes one position
        # with more channels
        self.stem = nn.Sequential(nn.PixelUnshuffle(c.patch), nn.Conv2d(c.channels * c.patch**2, c.base, 3, padding=1))
        self.down = nn.ModuleList()
        skip_widths, ch = [c.base], c.base
        for level, width in enumerate(widths):
            for _ in range(c.blocks):
                self.down.append(ResBlock(ch, width, emb_dim, c.groups))
                ch = width
                skip_widths.append(ch)
            if level < len(widths) - 1:
                self.down.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))  # halve the resolution
                skip_widths.append(ch)

        self.mid1 = ResBlock(ch, ch, emb_dim, c.groups)
        self.mid_attn = SelfAttention(ch, c.groups) if c.attention else nn.Identity()
        self.mid_words = CrossAttention(ch, c.cond_dim, c.groups) if c.cross_attention_levels else None
        self.mid2 = ResBlock(ch, ch, emb_dim, c.groups)

        self.up = nn.ModuleList()
        for level, width in reversed(list(enumerate(widths))):
            for _ in range(c.blocks + 1):
                self.up.append(ResBlock(ch + skip_widths.pop(), width, emb_dim, c.groups))
                ch = width
                if level >= len(widths) - c.cross_attention_levels:  # the words again, at the lowest resolutions
                    self.up.append(CrossAttention(ch, c.cond_dim, c.groups))
            if level > 0:
                # the next ResBlock's convolutions smooth it
                self.up.append(nn.Upsample(scale_factor=2, mode="nearest"))

        self.out = nn.Sequential(GroupNorm(c.groups, ch), nn.SiLU(),
                                 nn.Conv2d(ch, c.channels * c.patch**2, 3, padding=1),
                                 nn.PixelShuffle(c.patch))  # back to (B, C, H, W)

    def forward(self, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor = None) -> torch.Tensor:
        self._check_size(x)
        t = t.expand(x.shape[0]) if t.dim() == 0 else t
        emb = self.time_mlp(timestep_embedding(t, self.config.base))  # (B, emb_dim): what step t it is
        cond, words = self._split_condition(cond, x)  # words: only for a model that reads a sentence's words (lesson 5)
        if self.cond_proj is not None:
            emb = emb + self.cond_proj(cond)  # the condition (a class, lesson 4) joins the time: every block hears both

        h = self.stem(x)
        skips = [h]
        for layer in self.down:  # down: each level sees a coarser picture
            h = self._layer(layer, h, emb, words)
            skips.append(h)
        h = self.mid1(h, emb)
        h = self.mid_attn(h)
        h = self._layer(self.mid_words, h, emb, words)
        h = self.mid2(h, emb)
        for layer in self.up:  # up: back to full size, each ResBlock also given the skip from the same level down
            if isinstance(layer, ResBlock):
                h = torch.cat([h, skips.pop()], dim=1)  # (B, C + C_skip, H, W)
            h = self._layer(layer, h, emb, words)
        return self.out(h)

    @staticmethod
    def _layer(layer, h, emb, words):
        """One layer of the down or up path: a ResBlock hears the time (and class), a CrossAttention reads the words."""
        if isinstance(layer, ResBlock):
            return layer(h, emb)
        if isinstance(layer, CrossAttention):
            return layer(h, *words)
        return h if layer is None else layer(h)

    def _check_size(self, x):
        if x.shape[-1] != self.config.size or x.shape[-2] != self.config.size:
            raise DiffusionLabError("bad_size", expected=self.config.size, got="x".join(map(str, x.shape[-2:])),
                                    got_size=x.shape[-1])

    def _split_condition(self, cond, x):
        """(the condition's vector or None, (words, mask) or None).
        No condition for a conditional model: the null one."""
        if not self.config.cond_dim:
            if cond is not None:
                raise DiffusionLabError("not_conditional", kind="unconditional", wanted="categories or text")
            return None, None
        cond = self._check_cond(cond, x)
        if not self.config.cross_attention_levels:
            return cond, None
        words = cond[:, 1:]  # (B, 1 + L, D): the sentence's vector, then its words' (zeros: no word)
        return cond[:, 0], (words, words.abs().sum(-1) > 0)  # mask (B, L): the real words

    def _check_cond(self, cond, x):
        """The condition vectors (B, cond_dim), or (B, 1 + L, cond_dim) with cross-attention;
        None becomes the null condition (zeros)."""
        c = self.config
        if cond is None:
            return x.new_zeros(x.shape[0], *([1] if c.cross_attention_levels else []), c.cond_dim)
        if (cond.dim() != 2 + bool(c.cross_attention_levels) or cond.shape[-1] != c.cond_dim
                or cond.shape[0] not in (1, x.shape[0])):
            expected = f"(1 + words) x {c.cond_dim}" if c.cross_attention_levels else c.cond_dim
            raise DiffusionLabError("bad_cond", expected=expected, shape=tuple(cond.shape))
        return cond.to(x.dtype).expand(x.shape[0], *cond.shape[1:])

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def __repr__(self):
        c = self.config
        widths = "/".join(str(c.base * m) for m in c.mults)
        cond = f", cond_dim={c.cond_dim}" if c.cond_dim else ""
        cond += " with cross-attention to the words" if c.cross_attention_levels else ""
        patch = f", {c.patch}x{c.patch} patches" if c.patch > 1 else ""
        return (f"UNet({c.size}x{c.size}x{c.channels}{patch}, channels {widths}, {c.blocks} block(s) per level, "
                f"attention={'yes' if c.attention else 'no'}{cond}, predicts {c.prediction}, "
                f"{self.num_parameters() / 1e6:.2f}M parameters)")

    def config_dict(self) -> dict:
        return asdict(self.config)
