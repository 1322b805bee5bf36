"""Presets: the tested settings of each kind of run, one frozen dataclass whose every value is checked once.

A run's settings travel with its checkpoint (as a plain dict) and come back as `Settings` when it is loaded, so a value
read from a file is checked like a value typed by a student.
"""
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Literal

from .conditioning import MAX_GUIDANCE
from .messages import DiffusionLabError, bad_value, one_of, real_number, whole_number
from .pictures.categories import CATEGORIES
from .unet import UNetConfig

Condition = Literal["unconditional", "class", "text"]  # what the network is told: nothing, a category, a sentence
Dataset = Literal["cats", "cat-faces", "categories", "cifar10-cats"]
Device = Literal["cpu", "auto", "cuda", "mps"]
ScheduleKind = Literal["cosine", "linear"]


@dataclass(frozen=True)
class Settings:
    """Everything a run needs besides its weights: the network, the noise, the pictures, the optimiser."""
    preset: str = "cats"
    model: UNetConfig = field(default_factory=UNetConfig)
    T: int = 1000                    # noise steps
    schedule: ScheduleKind = "cosine"
    dataset: Dataset = "cats"
    n_images: int = 20000            # pictures drawn to learn from
    batch_size: int = 32             # pictures per training step (with torchrun: all processes together)
    lr: float = 2e-3                 # learning rate, reached after `warmup` steps
    warmup: int = 50
    ema_decay: float = 0.999         # the sampling weights follow the trained ones slowly (update_ema)
    min_snr: float = 0.0             # > 0: the loss weighs each step by min(SNR, min_snr) (train.diffusion_loss)
    device: Device = "cpu"
    flip: bool = True                # mirror half the pictures (a cat mirrored is still a cat)
    condition: Condition = "unconditional"
    classes: tuple = ()              # with condition "class": the category names, in the one-hot vector's order
    cond_dropout: float = 0.1        # with a condition: how often it is dropped, so the model also draws without one
    guidance: float = 3.0            # with a condition: the classifier-free guidance scale when sampling
    encoder: str = None              # with condition "text": the sentence encoder's name (None: text.DEFAULT_ENCODER)
    captions_per_image: int = 6      # with condition "text"
    toy_coats: float = 0.0           # share of cats in picture-book coats (red, blue...), so colour words reach cats
    autoencoder: str = None          # a latent model: the file in data/ whose encoder made its latents and whose
                                     # decoder draws its pictures (None: the model denoises pixels)

    def __post_init__(self):
        object.__setattr__(self, "classes", tuple(self.classes))
        if not isinstance(self.model, UNetConfig):
            raise bad_value("model", self.model, "a UNetConfig", "un UNetConfig")
        whole_number("T", self.T, 2, 10_000)
        one_of("schedule", self.schedule, ScheduleKind)
        one_of("dataset", self.dataset, Dataset)
        whole_number("n_images", self.n_images, 1, 1_000_000)
        whole_number("batch_size", self.batch_size, 1, 4096)
        real_number("lr", self.lr, 1e-8, 1.0)
        whole_number("warmup", self.warmup, 0, 1_000_000)
        real_number("ema_decay", self.ema_decay, 0.0, 1.0)
        real_number("min_snr", self.min_snr, 0.0, 1e6)
        one_of("device", self.device, Device)
        one_of("flip", self.flip, (True, False))
        one_of("condition", self.condition, Condition)
        real_number("cond_dropout", self.cond_dropout, 0.0, 1.0)
        real_number("guidance", self.guidance, 0.0, MAX_GUIDANCE)
        whole_number("captions_per_image", self.captions_per_image, 1, 64)
        real_number("toy_coats", self.toy_coats, 0.0, 1.0)
        named = isinstance(self.autoencoder, str) and self.autoencoder.endswith(".pt")
        if self.autoencoder is not None and not named:
            raise bad_value("autoencoder", self.autoencoder, "a file name in data/ such as autoencoder.pt",
                            "un nom de fichier de data/ comme autoencoder.pt")
        self._check_condition()

    def _check_condition(self):
        """The condition and the network must agree: a class needs one input per class, a sentence its words."""
        dim = self.model.cond_dim
        if self.condition == "unconditional" and dim:
            raise bad_value("model.cond_dim", dim, "0 for an unconditional model", "0 pour un modèle sans condition")
        if self.condition == "class" and (not self.classes or dim != len(self.classes)):
            raise bad_value("classes", self.classes, f"{dim} category names (one per input of the network)",
                            f"{dim} noms de catégories (un par entrée du réseau)")
        if self.condition == "class" and any(name not in CATEGORIES for name in self.classes):
            raise bad_value("classes", self.classes, "names among "
                                                     f"{', '.join(CATEGORIES)}", "des noms parmi "
                                                                                 f"{', '.join(CATEGORIES)}")
        if self.condition == "text" and not dim:
            raise bad_value("model.cond_dim", dim, "the length of the encoder's "
                                                   "vectors", "la longueur des vecteurs de l'encodeur")

    @property
    def conditional(self) -> bool:
        return self.condition != "unconditional"

    @property
    def latent(self) -> bool:
        return self.autoencoder is not None

    def changed(self, model: dict = None, **changes) -> "Settings":
        """A copy with some settings changed; `model` changes the network's, e.g. {"base": 48}.
        Checked like the original."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise DiffusionLabError("unknown_setting", names=", ".join(sorted(unknown)),
                                    choices=", ".join(f.name for f in fields(self)))
        return replace(self, model=replace(self.model, **(model or {})), **changes)

    def as_dict(self) -> dict:
        """Plain numbers, strings and tuples, as a checkpoint stores them
        (torch.load(weights_only=True) reads them back)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, settings: dict, model_config: dict = None) -> "Settings":
        """Settings read from a checkpoint, checked. Older checkpoints nest the schedule as {"T": ..., "kind": ...}.

        model_config, the network the weights fit, wins over the copy in the settings.
        """
        settings = dict(settings)
        schedule = settings.pop("schedule", None)
        if isinstance(schedule, dict):  # the checkpoint format of 2026, before this class
            settings.setdefault("T", schedule.get("T", 1000))
            schedule = schedule.get("kind", "cosine")
        if schedule is not None:
            settings["schedule"] = schedule
        model = model_config if model_config is not None else settings.get("model", {})
        settings["model"] = model if isinstance(model, UNetConfig) else UNetConfig.from_dict(model)
        unknown = set(settings) - {f.name for f in fields(cls)}
        if unknown:
            raise DiffusionLabError("unknown_setting", names=", ".join(sorted(unknown)),
                                    choices=", ".join(f.name for f in fields(cls)))
        return cls(**settings)


# "cats" is sized for a 2-core laptop: a 60-second lesson run makes ~1100 steps, and 16 cats come out of 50 denoising
# steps in under a second. (Width 32 learnt more in 60 s than 40 or 48: more steps.) It predicts the clean picture x0:
# on these cats that gives coherent pictures much sooner than predicting the noise.
CATS = Settings(preset="cats", model=UNetConfig(size=32, base=32, mults=(1, 2, 2), blocks=1, attention=True, patch=2,
                                                prediction="x0"))

# Latent diffusion, as Stable Diffusion does it: the frozen autoencoder (autoencoder.py, data/autoencoder.pt) turns each
# 32x32 cat into 4 x 8 x 8 numbers; this small U-Net learns to denoise those, and the decoder draws the pictures.
# The lesson's one-minute live run is this preset on cat portraits (dataset="cat-faces"). Its recipe won, in 60 s,
# against narrower (base 32), larger batches and the plain loss (data/live-run.md). The min-SNR weight (gamma 5):
# the very noisy steps, where the best guess is a blur anyway, count less in the loss than the clearer ones.
LATENT_CATS = CATS.changed(preset="latent-cats", autoencoder="autoencoder.pt", batch_size=64, min_snr=5.0,
                           model={"size": 8, "channels": 4, "base": 48, "mults": (1, 2), "patch": 1})

PRESETS = {
    "cats": CATS,
    "latent-cats": LATENT_CATS,
    # One network for every category (1.5 times wider than the cats one): the class, as a one-hot vector.
    "categories": CATS.changed(preset="categories", model={"base": 48, "cond_dim": len(CATEGORIES)}, condition="class",
                               classes=CATEGORIES, dataset="categories", n_images=21000),
    # A sentence takes the class's place: the frozen multilingual sentence encoder (text.py) gives 512 numbers per
    # word, French or English alike, and the pixels of the two lowest resolutions look at them (cross-attention, as in
    # Stable Diffusion); the sentence's own vector is not used (cond_map "none"). No mirroring: "going left" would go
    # right.
    # A quarter of its cats wear a picture-book coat, so that a cat's colour word paints its coat as it paints a car.
    "text": CATS.changed(preset="text",
                         model={"base": 48, "cond_dim": 512, "cond_map": "none", "cross_attention_levels": 2},
                         condition="text", captions_per_image=6, dataset="categories", n_images=21000, flip=False,
                         toy_coats=0.25),
    # Real photos at 64x64, sized for one GPU: a wider and deeper U-Net (4 levels, 2 blocks each, 16M parameters)
    # that predicts the noise, as in Ho et al. 2020.
    # Learns from CIFAR-10's cats (32x32, upscaled) or a folder (--images).
    "photos": Settings(preset="photos",
                       model=UNetConfig(size=64, base=64, mults=(1, 2, 2, 4), blocks=2, prediction="eps"),
                       dataset="cifar10-cats", n_images=5000, device="auto", batch_size=64, lr=2e-4, ema_decay=0.9995,
                       warmup=500),
}


def preset(name: str) -> Settings:
    """The settings of a preset by name, with a clear sentence for an unknown one."""
    if name not in PRESETS:
        raise DiffusionLabError("unknown_preset", name=name, choices=", ".join(PRESETS))
    return PRESETS[name]
