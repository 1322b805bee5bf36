"""Turning tensors into pictures: grids, noising strips, denoising animations."""

import torch
from PIL import Image, ImageDraw, ImageFont
from torchvision.utils import make_grid

from .data import from_model_range
from .files import check_output, write_atomically
from .messages import message

# the picture files Pillow can write: .png, .jpg, .gif, .webp...
PICTURE_EXTENSIONS = frozenset(ext for ext, kind in Image.registered_extensions().items() if kind in Image.SAVE)


def to_pil(image: torch.Tensor, scale: int = 1) -> Image.Image:
    """One image in [-1, 1], (C, H, W), as a PIL image enlarged `scale` times (nearest, so pixels stay honest)."""
    pil = Image.fromarray(from_model_range(image).permute(1, 2, 0).numpy())  # (H, W, C)
    return pil.resize((pil.width * scale, pil.height * scale), Image.NEAREST) if scale > 1 else pil


def grid(images: torch.Tensor, nrow: int = None, scale: int = 4, padding: int = 1) -> Image.Image:
    """A grid of images in [-1, 1], (B, C, H, W), as one PIL image."""
    nrow = nrow or max(1, round(len(images) ** 0.5))
    tiles = make_grid(images.detach().float().cpu(), nrow=nrow, padding=padding, pad_value=1.0)  # (C, H', W')
    return to_pil(tiles, scale)


def label(image: Image.Image, text: str, height: int = 28) -> Image.Image:
    """The image with a caption band above it (large, high-contrast text for projection)."""
    out = Image.new("RGB", (image.width, image.height + height), "white")
    out.paste(image, (0, height))
    draw = ImageDraw.Draw(out)
    draw.text((6, 4), text, fill="black", font=font(height - 8))
    return out


def font(size: int):
    """DejaVu Sans, which matplotlib ships: Pillow's own default font has no accented letters
    ("étape" would lose its é)."""
    from matplotlib import font_manager

    try:
        return ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size)
    except OSError:
        return ImageFont.load_default()


def latent_channels(z: torch.Tensor, size: int = 32) -> torch.Tensor:
    """A latent (C, h, w), such as 4 x 8 x 8, as one grey picture (3, size, size): its channels in a square mosaic,
    enlarged so that it sits beside the picture it decodes to."""
    side = int(len(z) ** 0.5 + 0.999)  # 4 channels: 2 x 2
    tiles = make_grid(z.detach().float().cpu()[:, None], nrow=side, padding=0)[0]  # (side * h, side * w), grey
    tiles = torch.nn.functional.interpolate(tiles[None, None], size=(size, size), mode="nearest")[0, 0]
    return tiles.expand(3, -1, -1)


def step_panels(step, index: int):
    """What the class sees of one sampler Step for image `index`: x_t, the noise eps_pred and x0_pred; a latent
    model's x_t and eps_pred as their channels, and its x0_pred as the picture the decoder draws."""
    xt, eps_pred, x0_pred = step.xt[index], step.eps_pred[index], step.x0_pred[index]
    if step.picture is None:
        return xt, eps_pred, x0_pred
    size = step.picture.shape[-1]
    return latent_channels(xt, size), latent_channels(eps_pred, size), step.picture[index]


def side_by_side(images, titles, scale: int = 6, gap: int = 8) -> Image.Image:
    """Single images (C, H, W) in [-1, 1] placed left to right, each with its title."""
    panels = [label(to_pil(img, scale), title) for img, title in zip(images, titles)]
    out = Image.new("RGB", (sum(p.width for p in panels) + gap * (len(panels) - 1), panels[0].height), "white")
    x = 0
    for panel in panels:
        out.paste(panel, (x, 0))
        x += panel.width + gap
    return out


def noise_strip(x0: torch.Tensor, schedule, ts, seed: int = 0, scale: int = 4) -> Image.Image:
    """One image x0 (C, H, W) noised to each t in ts, left to right, with the same noise eps each time."""
    eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(seed))
    xts = [schedule.add_noise(x0[None], t, eps[None])[0] for t in ts]
    return side_by_side(xts, [f"t = {t}" for t in ts], scale=scale)


def denoising_frames(steps, index: int = 0, scale: int = 6, show_noise: bool = False):
    """One frame per sampler Step: x_t beside the predicted clean image x0_pred (and optionally the predicted noise)."""
    frames = []
    for step in steps:
        xt, eps_pred, x0_pred = step_panels(step, index)
        images = [xt, x0_pred]
        titles = [f"{message('widget_xt')}   t = {step.t}", message("widget_x0_pred")]
        if show_noise:
            images.insert(1, eps_pred / 3)  # noise is N(0, 1): divide by 3 to fit most of it in [-1, 1]
            titles.insert(1, message("widget_eps_pred"))
        frames.append(side_by_side(images, titles, scale=scale))
    return frames


def save_gif(frames, path, seconds_per_frame: float = 0.15, hold_last: float = 3.0):
    """Save PIL frames as a looping GIF; the last frame stays on screen longer, for the class to look at the result.

    150 ms a frame or more: slow enough to follow on a projector, and no fast full-screen flicker.
    path: a .gif file name, or a file already open for writing.
    """
    durations = [int(seconds_per_frame * 1000)] * (len(frames) - 1) + [int(hold_last * 1000)]

    def write(file):
        frames[0].save(file, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)

    if hasattr(path, "write"):  # a file already open, such as the widgets' in-memory GIFs
        write(path)
    else:  # a file name: written in one step, never half a GIF (files.write_atomically)
        write_atomically(check_output(path, {".gif"}), write)
    return path


def save_picture(image: Image.Image, path):
    """Save a PIL image in the format its extension names (.png, .jpg...), in one step: never half a picture."""
    out = check_output(path, PICTURE_EXTENSIONS)
    write_atomically(out, lambda temp: image.save(temp, format=Image.registered_extensions()[out.suffix.lower()]))
    return path
