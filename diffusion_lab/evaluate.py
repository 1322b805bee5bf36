"""An honest quality meter: is a generated "car" really a car, and do the generated pictures look like the real ones?

Two numbers, both measured with a small classifier that we train ourselves on the procedural pictures:
- per-class accuracy: the classifier names the category of each generated image; we count how often it names the
  one we asked for;
- a Frechet distance (the idea of FID, Heusel et al. 2017): describe every picture by the classifier's 128 features,
  fit a Gaussian to the real pictures and one to the generated pictures, and measure how far apart the two are.
  0 means "same statistics"; two sets of real pictures are not at 0 either, which gives the floor to compare with.
FID proper uses an Inception network trained on photos; its weights cannot be downloaded here, and it knows
nothing about cartoon cars, so our meter looks through a classifier of our own domain.
"""
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F
from torchvision.transforms.functional import gaussian_blur

from .autoencoder import decode, encode
from .checkpoint import autoencoder_of, safe_load
from .data import to_model_range
from .files import write_atomically
from .messages import DiffusionLabError

FORMAT = "diffusion-lab classifier"


def conv_block(c_in: int, c_out: int) -> nn.Sequential:
    """Two 3x3 convolutions, then halve the resolution."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2))


class Classifier(nn.Module):
    """A small CNN: image (B, 3, 32, 32) in [-1, 1] -> 128 features -> one score per class.

    Optional extra heads read other attributes from the same features, e.g. {"colour": ["red", ...],
    "background": ["blue", ...]}: the prompt-alignment meter uses them to check the colours a sentence asked for.
    """

    def __init__(self, classes, width: int = 32, attributes: dict = None):
        super().__init__()
        self.classes = list(classes)
        self.width = width
        self.attributes = {name: list(values) for name, values in (attributes or {}).items()}
        self.body = nn.Sequential(conv_block(3, width), conv_block(width, 2 * width), conv_block(2 * width, 4 * width),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(4 * width, len(self.classes))
        self.extra = nn.ModuleDict({name: nn.Linear(4 * width, len(values))
                                    for name, values in self.attributes.items()})

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def roughen(x: torch.Tensor) -> torch.Tensor:
    """Training-time changes that keep the category: mirror, a little blur, a little noise.
    They teach the classifier to judge shapes, not the exact crispness of our drawings."""
    mirror = torch.rand(x.shape[0]) < 0.5
    x[mirror] = x[mirror].flip(-1)
    blur = torch.rand(x.shape[0]) < 0.3
    if blur.any():
        x[blur] = gaussian_blur(x[blur], kernel_size=3, sigma=0.8)
    return x + 0.1 * torch.rand(x.shape[0], 1, 1, 1) * torch.randn_like(x)


def train_classifier(images: torch.Tensor, labels: torch.Tensor, classes, steps: int = 1500, batch_size: int = 64,
                     lr: float = 2e-3, progress: bool = True, attributes: dict = None,
                     targets: dict = None) -> Classifier:
    """Train the meter's classifier on real pictures (uint8 (N, 3, H, W)) and their class numbers.

    attributes {name: possible values} and targets {name: (N,) value numbers} add heads for other attributes."""
    from .engine import progress_bar
    model = Classifier(classes, attributes=attributes).train()
    targets = targets or {}
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    bar = progress_bar(total=steps, disable=not progress, unit="step")
    for _ in range(steps):
        index = torch.randint(0, len(images), (batch_size,))
        features = model.features(roughen(to_model_range(images[index])))
        loss = F.cross_entropy(model.head(features), labels[index])
        for name, head in model.extra.items():  # one more guessing game per attribute, on the same features
            loss = loss + F.cross_entropy(head(features), targets[name][index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        bar.update(1)
    bar.close()
    return model.eval()


def attribute_targets(attributes: list, vocabulary: dict) -> dict:
    """{name: (N,) numbers}: each picture's value of each attribute, as its position in vocabulary[name]."""
    return {name: torch.tensor([values.index(a[name]) for a in attributes]) for name, values in vocabulary.items()}


def save_classifier(model: Classifier, path, metrics: dict = None) -> Path:
    """Write the classifier to `path` in float16, in one step (files.write_atomically): never half a file."""
    path = Path(path)
    state = {"format": FORMAT, "classes": model.classes, "width": model.width, "attributes": model.attributes,
             "weights": {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()},
             "metrics": metrics or {}}
    write_atomically(path, lambda temp: torch.save(state, temp))
    return path


def load_classifier(path=None) -> Classifier:
    """The shipped classifier (data/classifier.pt) or another one, loaded safely."""
    from .data import data_dir
    path = Path(path) if path else data_dir() / "classifier.pt"
    state = safe_load(path)
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise DiffusionLabError("checkpoint_foreign", path=path, missing="format")
    model = Classifier(state["classes"], state["width"], state.get("attributes"))
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state["weights"].items()})
    return model.eval()


@torch.no_grad()
def look(model: Classifier, images: torch.Tensor, batch_size: int = 256):
    """The classifier's features (N, 128) and predicted class numbers (N,) for images in [-1, 1] or uint8."""
    feats, predicted = [], []
    device = next(model.parameters()).device
    for chunk in torch.split(images, batch_size):
        f = model.features(to_model_range(chunk.to(device)))
        feats.append(f.double().cpu())
        predicted.append(model.head(f).argmax(1).cpu())
    return torch.cat(feats), torch.cat(predicted)


def per_class_accuracy(predicted: torch.Tensor, wanted: torch.Tensor, classes) -> dict:
    """{class name: fraction of the images asked to be that class that the classifier recognises as it}."""
    return {name: (predicted[wanted == k] == k).float().mean().item()
            for k, name in enumerate(classes) if (wanted == k).any()}


@torch.no_grad()
def read(model: Classifier, images: torch.Tensor, batch_size: int = 256) -> dict:
    """What the classifier reads in each picture: {"category": [...], "colour": [...], ...}, as names."""
    names = {"category": [], **{name: [] for name in model.attributes}}
    for chunk in torch.split(images, batch_size):
        f = model.features(to_model_range(chunk))
        names["category"] += [model.classes[k] for k in model.head(f).argmax(1).tolist()]
        for name, head in model.extra.items():
            names[name] += [model.attributes[name][k] for k in head(f).argmax(1).tolist()]
    return names


def alignment(model: Classifier, images: torch.Tensor, asked: list) -> dict:
    """Prompt alignment: for each attribute a prompt asked for (asked[i] = {"category": "car", "colour": "red"}),
    the fraction of pictures in which the classifier reads that value. Attributes it cannot read are skipped."""
    seen = read(model, images)
    hits = {}
    for i, wanted in enumerate(asked):
        for name, value in wanted.items():
            if name in seen:
                hits.setdefault(name, []).append(seen[name][i] == value)
    return {name: sum(h) / len(h) for name, h in hits.items()}


def diversity(images: torch.Tensor, labels: torch.Tensor) -> float:
    """How different the pictures of one class are from each other: the mean pixel distance between two pictures
    of the same class (images in [-1, 1] or uint8), averaged over the classes. Copies of one picture give 0."""
    spreads = []
    for k in labels.unique():
        x = to_model_range(images[labels == k]).flatten(1)
        if len(x) > 1:
            distances = torch.cdist(x, x)
            spreads.append(distances.sum() / (len(x) * (len(x) - 1)))  # the diagonal (a picture with itself) is 0
    return torch.stack(spreads).mean().item()


def frechet_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Frechet distance between Gaussians fitted to two sets of feature vectors (N, D):
        |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))
    The trace of the matrix square root is the sum of the square roots of the eigenvalues of S_a^(1/2) S_b S_a^(1/2)."""
    a, b = a.double(), b.double()
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = torch.cov(a.T), torch.cov(b.T)
    values, vectors = torch.linalg.eigh(cov_a)
    root_a = vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T  # S_a^(1/2)
    trace_root = torch.linalg.eigvalsh(root_a @ cov_b @ root_a).clamp(min=0).sqrt().sum()
    return ((mu_a - mu_b).square().sum() + cov_a.trace() + cov_b.trace() - 2 * trace_root).item()


def generate(model, schedule, labels: torch.Tensor, guidance: float = None, steps: int = 50, seed: int = 0,
             batch_size: int = 64) -> torch.Tensor:
    """Samples asked to be classes `labels` (all ignored by an unconditional model), in batches, in [-1, 1]."""
    from .conditioning import one_hot
    from .sample import sample
    settings = model_settings(model)
    if guidance is None:
        guidance = settings.guidance if settings else 1.0
    images = []
    for i, chunk in enumerate(torch.split(labels, batch_size)):
        cond = one_hot(chunk, model.config.cond_dim) if settings and settings.condition == "class" else None
        images.append(sample(model, schedule, len(chunk), steps, seed=seed + i, cond=cond,
                             guidance=guidance if cond is not None else 1.0))
    return torch.cat(images)


def model_settings(model):
    """A model's settings (presets.Settings), or None for a bare unconditional network; a conditional one needs them."""
    settings = getattr(model, "settings", None)
    if settings is None and model.config.cond_dim:
        raise ValueError("a conditional model needs its settings (model.settings); load it with load_model or load_run")
    return settings


def real_pictures(n: int, size: int = 32, seed: int = 1):
    """Real procedural pictures of every category (uint8), their labels and attributes; seed 1 is never used for
    training."""
    from .data import procedural_categories
    return procedural_categories(n, size, seed=seed)


def real_pictures_like(settings, n: int, size: int = 32):
    """Real pictures (uint8) and labels to hold a model's samples against: of every category, or, for a model that
    learnt a smaller world (the "cat-faces" dataset: portraits only), n pictures of that world. Seed 1: unseen."""
    if settings is not None and settings.dataset == "cat-faces":
        from .data import load_dataset
        from .pictures.categories import CATEGORIES
        return load_dataset("cat-faces", size, n, seed=1), torch.full((n,), CATEGORIES.index("cat"))
    return real_pictures(n, size)[:2]


def picture_size(model) -> int:
    """The height and width of the pictures a model draws (a latent model's: its decoder's)."""
    autoencoder = autoencoder_of(model)
    return model.config.size if autoencoder is None else autoencoder.config.size


@torch.no_grad()
def measure_reconstructions(autoencoder, classifier: Classifier, n_per_class: int = 128) -> dict:
    """The meter on the autoencoder alone: for each category, the Frechet distance between real pictures squeezed and
    redrawn (encode, then decode) and other real pictures, beside the real-vs-real floor; and the mean absolute
    error per pixel (in [-1, 1] units)."""
    real, labels, _ = real_pictures(2 * n_per_class * len(classifier.classes), autoencoder.config.size)
    reading = {}
    for k, name in enumerate(classifier.classes):
        pictures = real[labels == k]
        half = len(pictures) // 2
        redrawn = decode(autoencoder, encode(autoencoder, pictures[:half]))
        feats_redrawn, feats_first = look(classifier, redrawn)[0], look(classifier, pictures[:half])[0]
        feats_other = look(classifier, pictures[half:])[0]
        reading[name] = {"frechet": frechet_distance(feats_redrawn, feats_other),
                         "floor": frechet_distance(feats_first, feats_other),
                         "error": (redrawn - to_model_range(pictures[:half])).abs().mean().item()}
    return reading


def measure(model, schedule, classifier: Classifier, n_per_class: int = 32, guidance: float = None, classes=None,
            steps: int = 50, seed: int = 0) -> dict:
    """The meter's reading for a model: generate n_per_class images of each class it knows (a cats model: cats),
    then per-class accuracy, the Frechet distance to real pictures of the same classes, and the real-vs-real floor."""
    settings = model_settings(model)
    classes = classes or (settings and settings.classes) or ["cat"]
    wanted = torch.tensor([classifier.classes.index(c) for c in classes]).repeat_interleave(n_per_class)
    real, real_labels = real_pictures_like(settings, 2 * n_per_class * len(classifier.classes), picture_size(model))
    keep = torch.isin(real_labels, wanted.unique())
    real, real_labels = real[keep], real_labels[keep]
    half = len(real) // 2
    if guidance is None:
        guidance = settings.guidance if settings and settings.conditional else 1.0
    generated = generate(model, schedule, wanted, guidance, steps, seed)
    feats_gen, predicted = look(classifier, generated)
    feats_real, feats_other_real = look(classifier, real[:half])[0], look(classifier, real[half:])[0]
    accuracy = per_class_accuracy(predicted, wanted, classifier.classes)
    return {"accuracy": accuracy, "mean_accuracy": sum(accuracy.values()) / len(accuracy), "n": len(generated),
            "frechet": frechet_distance(feats_gen, feats_real), "floor": frechet_distance(feats_other_real, feats_real),
            "diversity": diversity(generated, wanted), "real_diversity": diversity(real[:half], real_labels[:half]),
            "guidance": guidance, "samples": generated}
