"""Images to learn from: procedural cats, your own photos, CIFAR-10's cats, and the real cat Chelsea.

Every loader returns uint8 tensors (N, 3, H, W); to_model_range() maps them to [-1, 1], the range the diffusion maths
assumes, and random_batch() draws a training batch from them.
"""
import hashlib
import os
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError
from torchvision.datasets.folder import IMG_EXTENSIONS
from torchvision.transforms import functional as TF

from .files import write_atomically
from .messages import DiffusionLabError, message
from .pictures.categories import CATEGORIES, english_name, make_images
from .pictures.categories import VERSION as CATEGORIES_VERSION
from .pictures.cats import VERSION as CATS_VERSION
from .pictures.cats import make_cats


def to_model_range(images: torch.Tensor) -> torch.Tensor:
    """uint8 pixels 0..255 -> floats in [-1, 1], the range the diffusion maths assumes."""
    return images.float() / 127.5 - 1 if images.dtype == torch.uint8 else images.float()


def from_model_range(images: torch.Tensor) -> torch.Tensor:
    """Floats in [-1, 1] -> uint8 pixels 0..255 (values outside are clipped), on the CPU."""
    return ((images.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)


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


def data_dir() -> Path:
    """The repository's data/ folder (shipped weights, the Chelsea photo); DIFFUSION_LAB_DATA overrides it."""
    return Path(os.environ.get("DIFFUSION_LAB_DATA") or Path(__file__).resolve().parent.parent / "data")


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "diffusion-lab"


def cached(path: Path, draw) -> dict:
    """The dict of tensors saved at `path`, or, the first time, the dict that draw() returns, saved there for next
    time."""
    if path.is_file():
        try:
            return torch.load(path, weights_only=True)
        except Exception:  # a broken cache file is simply drawn again
            pass
    saved = draw()
    try:
        write_atomically(path, lambda temp: torch.save(saved, temp))  # a temp name of its own: two first runs never mix
    except DiffusionLabError:
        pass  # a read-only or full home: no cache, just slower next time (and no temp file left behind)
    return saved


def channels_first(pixels: np.ndarray) -> torch.Tensor:
    """numpy pictures (n, H, W, 3), as numpy and PIL store them, to a tensor (n, 3, H, W), as PyTorch wants them."""
    return torch.from_numpy(pixels).permute(0, 3, 1, 2).contiguous()  # (n, H, W, 3) -> (n, 3, H, W)


@lru_cache(maxsize=4)
def procedural_cats(n: int = 8000, size: int = 32, seed: int = 0, pose: str = None):
    """n procedural cats as uint8 (n, 3, size, size) and their attribute dicts, cached on disk after the first call.
    pose="face" draws only portraits (the "cat-faces" dataset: a smaller world, learnt faster)."""
    overrides, world = ({}, "") if pose is None else ({"pose": pose}, f"-{pose}")
    # a new drawing version, or another pose, never reads this cache
    path = cache_dir() / f"cats-v{CATS_VERSION}-{n}-{size}-{seed}{world}.pt"

    def draw():
        pixels, attributes = make_cats(n, size, seed, **overrides)
        return {"images": channels_first(pixels), "attributes": attributes}

    saved = cached(path, draw)
    return saved["images"], saved["attributes"]


def procedural_categories(n: int = 7000, size: int = 32, seed: int = 0, categories=None, weights=None,
                          toy_coats: float = 0.0):
    """n pictures of cats, trees, cars, houses, fish, flowers and boats (see pictures/categories.py), cached on disk.

    Returns images uint8 (n, 3, size, size), labels (n,) (categories.CATEGORIES.index of each) and attribute dicts.
    `categories` (English or French names), `weights` and `toy_coats` choose the mix, as in categories.make_images.
    """
    names = tuple(english_name(name)
                  for name in ([categories] if isinstance(categories, str) else categories or CATEGORIES))
    odds = None if weights is None else tuple(float(w) for w in weights)
    # tuples: lru_cache needs hashable arguments
    return _procedural_categories(n, size, seed, names, odds, float(toy_coats))


@lru_cache(maxsize=4)
def _procedural_categories(n, size, seed, names, odds, toy_coats=0.0):
    """procedural_categories once the mix is spelled as tuples of English names and numbers."""
    # The mix is in the file name, shortened to a fingerprint: another mix never reads this cache.
    mix = "all" if names == CATEGORIES and odds is None else hashlib.sha1(repr((names, odds)).encode()).hexdigest()[:10]
    toys = f"-toys{toy_coats:g}" if toy_coats else ""
    path = cache_dir() / f"categories-v{CATEGORIES_VERSION}-cats-v{CATS_VERSION}-{n}-{size}-{seed}-{mix}{toys}.pt"

    def draw():
        pixels, attributes = make_images(n, size, seed, names, odds, toy_coats)
        labels = torch.tensor([CATEGORIES.index(a["category"]) for a in attributes], dtype=torch.long)
        return {"images": channels_first(pixels), "labels": labels, "attributes": attributes}

    saved = cached(path, draw)
    return saved["images"], saved["labels"], saved["attributes"]


# forget the answers kept in memory, like procedural_cats
procedural_categories.cache_clear = _procedural_categories.cache_clear


def open_rgb(path):
    """An image file as an RGB PIL image, with its mode and its (width, height) before the conversion.

    Pillow refuses a picture of more than 2 * Image.MAX_IMAGE_PIXELS pixels (a DecompressionBombError: a small
    file could fill the memory) and warns, in English and about a "DOS attack", above MAX_IMAGE_PIXELS. That
    warning is silenced here: the callers say it in the student's language (is_huge).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            return image.convert("RGB"), image.mode, image.size


def is_huge(width_height) -> bool:
    """True for a picture Pillow opens but warns about: more than Image.MAX_IMAGE_PIXELS pixels (89 million)."""
    width, height = width_height
    return bool(Image.MAX_IMAGE_PIXELS) and width * height > Image.MAX_IMAGE_PIXELS


def load_image(path, size: int = None) -> torch.Tensor:
    """One image file as uint8 (3, H, W), converted to RGB; with `size`, resized and centre-cropped to size x size."""
    try:
        image, _, width_height = open_rgb(path)
    except Image.DecompressionBombError:  # not an OSError: Pillow refuses to open it at all
        raise DiffusionLabError("image_too_big", path=path, most=round(2 * Image.MAX_IMAGE_PIXELS / 1e6)) from None
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise DiffusionLabError("image_unreadable", path=path,
                                reason=str(error).splitlines()[0] if str(error) else type(error).__name__) from None
    if is_huge(width_height):
        print(message("image_huge", path=path, megapixels=round(width_height[0] * width_height[1] / 1e6)))
    if size:
        image = TF.center_crop(TF.resize(image, size, antialias=True), size)
    return TF.pil_to_tensor(image)


def chelsea(size: int = None) -> torch.Tensor:
    """Chelsea the cat, a real photo (CC0, by Stefan van der Walt, from scikit-image), as uint8 (3, H, W)."""
    return load_image(data_dir() / "chelsea.png", size)


def image_folder(path, size: int = 32) -> torch.Tensor:
    """Every image in a folder (and its subfolders), resized and centre-cropped to size x size:
    uint8 (N, 3, size, size).

    Files that are not images are skipped and counted; grayscale or transparent images are converted to RGB and counted,
    and so are the images of another size (resized so that the short side is `size`, then centre-cropped).
    """
    path = Path(path)
    if not path.is_dir():
        raise DiffusionLabError("folder_missing", path=path)
    files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in IMG_EXTENSIONS)
    if not files:
        raise DiffusionLabError("folder_empty", path=path, extensions=" ".join(IMG_EXTENSIONS))
    images, skipped, huge, converted, resized = [], [], [], 0, 0
    for file in files:
        try:
            image, mode, width_height = open_rgb(file)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):  # too big: skipped too
            skipped.append(file)
            continue
        huge += [file] if is_huge(width_height) else []
        converted += mode != "RGB"
        resized += width_height != (size, size)
        images.append(TF.pil_to_tensor(TF.center_crop(TF.resize(image, size, antialias=True), size)))
    if not images:
        raise DiffusionLabError("folder_unreadable", path=path, count=len(files), example=skipped[0].name)
    if skipped:
        print(message("folder_skipped", count=len(skipped), example=skipped[0].name))
    if huge:
        print(message("folder_huge", count=len(huge), most=round(Image.MAX_IMAGE_PIXELS / 1e6), example=huge[0].name))
    if converted:
        print(message("folder_converted", count=converted))
    if resized:
        print(message("folder_resized", count=resized, size=size))
    return torch.stack(images)


def cifar10_cats(root=None, size: int = 32, download: bool = True) -> torch.Tensor:
    """The 5000 cat photos of CIFAR-10's training set (class 3), downloaded by torchvision on first use."""
    from torchvision.datasets import CIFAR10

    root = Path(root or cache_dir() / "cifar10")
    try:
        dataset = CIFAR10(root, train=True, download=download)
    # URLError is an OSError; torchvision raises RuntimeError when files are missing
    except (OSError, RuntimeError) as error:
        raise DiffusionLabError("cifar_offline", reason=str(error).splitlines()[0][:120]) from None
    # (5000, 3, 32, 32)
    cats = torch.from_numpy(np.asarray(dataset.data)[np.asarray(dataset.targets) == 3]).permute(0, 3, 1, 2)
    if size != 32:
        cats = TF.resize(cats, size, antialias=True)
    return cats.contiguous()


def load_dataset(name: str = "cats", size: int = 32, n: int = 8000, images=None, seed: int = 0) -> torch.Tensor:
    """The training images by name: 'cats' (procedural), 'cat-faces' (procedural portraits only), 'cifar10-cats',
    or a folder given as `images`."""
    if images:
        return image_folder(images, size)
    if name == "cats":
        return procedural_cats(n, size, seed)[0]
    if name == "cat-faces":
        return procedural_cats(n, size, seed, pose="face")[0]
    if name == "cifar10-cats":
        return cifar10_cats(size=size)
    raise DiffusionLabError("unknown_dataset", name=name, choices="cats, cat-faces, cifar10-cats")


def nearest_neighbours(samples: torch.Tensor, images: torch.Tensor, k: int = 3, chunk: int = 4096):
    """The k training images closest to each sample, by pixel distance: ("This cat does not exist").

    samples: (n, C, H, W) in [-1, 1]; images: uint8 (N, C, H, W).
    Returns (distances, indices), each (n, k), closest first.
    A model that copied its training set would have a neighbour at distance about 0.
    """
    flat = samples.detach().float().cpu().flatten(1)  # (n, C*H*W)
    # The exact distance, not cdist's faster |a|^2 + |b|^2 - 2ab: that shortcut rounds, and a copy must read 0,
    # not 0.002.
    distances = torch.cat([torch.cdist(flat, to_model_range(images[i:i + chunk]).flatten(1),
                                       compute_mode="donot_use_mm_for_euclid_dist")  # (n, chunk), in [-1, 1] units
                           for i in range(0, len(images), chunk)], dim=1)  # (n, N)
    return distances.topk(k, dim=1, largest=False)
