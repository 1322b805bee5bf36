"""Cut-out shapes for drawing pictures: the toolbox shared by the cats and the other categories.

Each shape is described by its *signed distance*: how many pixels a point lies outside the shape
(negative inside). paint() then colours the pixels where the distance is negative. A pixel that an
edge crosses gets partly painted, which gives smooth, anti-aliased edges at any image size.

Shapes combine like sets: np.minimum(a, b) is a or b (union), np.maximum(a, b) is a and b
(overlap), np.maximum(a, -b) is a without b.
"""
import math
import numbers

import numpy as np


def check_size(size):
    """Pictures are square, `size` pixels wide."""
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 8:
        raise ValueError(f"size must be a whole number of pixels, at least 8 (like 32 or 64), not {size!r}.")


class Frame:
    """The image seen from one part of a drawing: origin at (cx, cy) (fractions of the image), one
    unit = `unit` of the image width, turned by `angle` degrees and mirrored if `flip`.
    x goes right and y goes *down*, as in the image."""

    def __init__(self, size, cx, cy, unit, angle=0.0, flip=False):
        centres = np.arange(size, dtype=np.float32) + 0.5  # pixel centres, in pixels
        dx, dy = centres[None, :] - cx * size, centres[:, None] - cy * size
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        self.scale = unit * size  # pixels per unit: turns local distances into pixels
        self.x = (c * dx + s * dy) / self.scale * (-1 if flip else 1)
        self.y = (c * dy - s * dx) / self.scale

    def mirrored(self):
        """The same frame folded along its middle line (x -> |x|). Cats are symmetric, so a shape
        drawn once at x > 0 (an eye, an ear, a paw) appears on both sides: half the work."""
        twin = object.__new__(Frame)
        twin.x, twin.y, twin.scale = np.abs(self.x), self.y, self.scale
        return twin


# ---------------------------------------------------------------------------------------------
# Shape primitives. Each returns the signed distance in pixels (negative inside) for every pixel.
# ---------------------------------------------------------------------------------------------
def circle(f, cx, cy, r):
    """Circle centred at (cx, cy) with radius r."""
    x, y = f.x - cx, f.y - cy
    return (np.sqrt(x * x + y * y) - r) * f.scale


def ellipse(f, cx, cy, rx, ry):
    """Ellipse centred at (cx, cy) with radii rx, ry (a good distance estimate near its edge)."""
    x, y = (f.x - cx) / rx, (f.y - cy) / ry
    k0 = np.sqrt(x * x + y * y)
    k1 = np.sqrt((x / rx) ** 2 + (y / ry) ** 2) + 1e-9
    return k0 * (k0 - 1) / k1 * f.scale


def polygon(f, *corners):
    """A convex polygon (no dents) with these corners in order: a point is inside when it is
    inside every edge. Each edge is a straight line; the distance to the shape is the largest
    distance to one of its edge lines."""
    (ax, ay), (bx, by), (cx, cy) = corners[:3]
    turn = 1 if (bx - ax) * (cy - ay) > (by - ay) * (cx - ax) else -1  # corners go clockwise or not
    d = -np.inf
    for (px, py), (qx, qy) in zip(corners, corners[1:] + corners[:1]):
        length = math.hypot(qx - px, qy - py)
        nx, ny = turn * (qy - py) / length, -turn * (qx - px) / length  # outward normal
        d = np.maximum(d, f.x * nx + f.y * ny - (px * nx + py * ny))
    return d * f.scale


def triangle(f, a, b, c):
    """Triangle with corners a, b, c: a point is inside when it is inside all three edges."""
    return polygon(f, a, b, c)


def box(f, cx, cy, half_width, half_height, r=0.0):
    """Rectangle centred at (cx, cy), with corners rounded to radius r."""
    qx = np.abs(f.x - cx) - half_width + r  # how far past the rounded part, sideways...
    qy = np.abs(f.y - cy) - half_height + r  # ...and up or down
    outside = np.sqrt(np.maximum(qx, 0) ** 2 + np.maximum(qy, 0) ** 2)
    return (outside + np.minimum(np.maximum(qx, qy), 0) - r) * f.scale


def capsule(f, a, b, r):
    """A stick with round ends from a to b, radius r (used for legs, stripes, whiskers, tails)."""
    px, py, bx, by = f.x - a[0], f.y - a[1], b[0] - a[0], b[1] - a[1]
    h = np.minimum(np.maximum((px * bx + py * by) / (bx * bx + by * by), 0.0), 1.0)
    px, py = px - bx * h, py - by * h
    return (np.sqrt(px * px + py * py) - r) * f.scale


def lens(f, a, b, width):
    """A leaf (or petal) shape with pointed ends at a and b, `width` across the middle: the
    overlap of two big circles, one on each side."""
    half = math.hypot(b[0] - a[0], b[1] - a[1]) / 2
    bulge = width / 2
    radius = (half * half + bulge * bulge) / (2 * bulge)  # the circle through both tips and the bulge
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    nx, ny = (a[1] - b[1]) / (2 * half), (b[0] - a[0]) / (2 * half)  # across the leaf
    shift = radius - bulge
    one_side = circle(f, mx + nx * shift, my + ny * shift, radius)
    other_side = circle(f, mx - nx * shift, my - ny * shift, radius)
    return np.maximum(one_side, other_side)


def above(f, y):
    """Everything above the line at height y (the sky side of a horizon)."""
    return (f.y - y) * f.scale


# ---------------------------------------------------------------------------------------------
# Painting.
# ---------------------------------------------------------------------------------------------
def paint(img, d, colour, soft=1.0):
    """Paint colour where the distance d is negative. A pixel that the edge crosses gets partly
    painted: coverage goes from 1 to 0 across one pixel (or `soft` pixels for a fuzzy edge).
    The image is stored channels-first, (3, size, size), because numpy is faster that way."""
    cover = np.minimum(np.maximum(0.5 - (d if soft == 1 else d / soft), 0.0), 1.0)
    img += cover * (np.asarray(colour)[:, None, None] - img)


def paint_outlined(img, d, colour, line):
    """A shape with a darker cartoon outline `line` pixels wide, so it reads at tiny sizes."""
    edge = colour * 0.55 if colour.sum() > 0.75 else colour + 0.13  # a black shape gets a grey edge
    paint(img, d - line, edge)
    paint(img, d, colour)


def jitter(rng, rgb, amount):
    """A colour a little different each time: scale the brightness, and each channel a little
    less, so that black may turn brownish but never green."""
    rgb = np.multiply(rgb, rng.normal(1, amount)) * rng.normal(1, amount / 2, 3)
    return np.clip(rgb, 0, 1).astype(np.float32)


def colour_distance(rgb_a, rgb_b):
    """Colour distance between two colours (0 = same colour, about 1.7 from black to white)."""
    return float(np.linalg.norm(np.subtract(rgb_a, rgb_b)))


def backdrop(size, rgb, gradient):
    """A flat colour with a gentle top-to-bottom shading, as an image (3, size, size)."""
    shade = 1 + gradient * (np.arange(size) / size - 0.5)
    img = rgb[:, None, None] * shade[None, :, None] * np.ones((1, 1, size))
    return np.clip(img, 0, 1).astype(np.float32)
