"""Conditioning: telling the denoiser *what* to draw, and classifier-free guidance.

A condition is a vector c, one per image, that the U-Net adds to its time embedding:
- a class ("car") becomes a one-hot vector: [0, 0, 1, 0, 0, 0, 0];
- a sentence becomes its embedding from a sentence encoder (a later lesson).

The *null condition* is the zero vector: "draw anything". During training the condition is replaced by the null
condition now and then (label dropout, Ho & Salimans 2022), so that one network learns both
    guess(x_t, t, c)      what an image of c looks like, and
    guess(x_t, t, null)   what any image looks like.
Classifier-free guidance then pushes the sample away from "any image" towards "an image of c":
    guess = guess_null + w * (guess_c - guess_null)
w = 0 is the unconditional model, w = 1 the plain conditional one, and w > 1 exaggerates what makes c special.
"""
import torch

from .messages import DiffusionLabError

MAX_GUIDANCE = 20.0  # beyond this the pictures burn out: almost surely a typo


def one_hot(labels: torch.Tensor, n_classes: int) -> torch.Tensor:
    """Class numbers (B,) -> condition vectors (B, n_classes): a 1 in the class's position, 0 elsewhere.
    A label of -1 gives the null condition (all zeros)."""
    labels = torch.as_tensor(labels, dtype=torch.long).reshape(-1)
    vectors = torch.zeros(len(labels), n_classes)
    known = labels >= 0
    vectors[known, labels[known]] = 1.0
    return vectors


def null_like(cond: torch.Tensor) -> torch.Tensor:
    """The null condition, "draw anything", for every row of cond."""
    return torch.zeros_like(cond)


def drop(cond: torch.Tensor, p: float) -> torch.Tensor:
    """Label (or caption) dropout: replace each image's condition by the null condition with probability p."""
    keep = (torch.rand(cond.shape[0], device=cond.device) >= p).to(cond.dtype)
    return cond * keep.view(-1, *[1] * (cond.dim() - 1))  # (B, 1, ...): the same choice for all of an image's numbers


def guide(guess_cond: torch.Tensor, guess_null: torch.Tensor, w: float) -> torch.Tensor:
    """Classifier-free guidance (Ho & Salimans 2022): move from the unconditional guess towards the conditional one,
    w times."""
    return guess_null + w * (guess_cond - guess_null)


def check_guidance(w) -> float:
    """A guidance scale must be a number from 0 to MAX_GUIDANCE."""
    if isinstance(w, bool) or not isinstance(w, (int, float)) or not 0 <= w <= MAX_GUIDANCE:
        raise DiffusionLabError("bad_guidance", value=w, most=MAX_GUIDANCE)
    return float(w)
