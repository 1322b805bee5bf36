"""Cartoon cats drawn from simple shapes: the training pictures for the diffusion lesson.

Every cat is a stack of cut-out shapes (ellipses, circles, triangles, rounded sticks) painted one
on top of the other, back to front, like a collage. Each shape is described by its *signed
distance*: how many pixels a point lies outside the shape (negative inside). A pixel that an
edge crosses gets partly painted, which gives smooth, anti-aliased edges at any image size.

Random choices (fur, eyes, ears, pose, background, size, tilt, position...) make every cat
different, so a model has to learn what cats have in common rather than memorise a few.
"""
import numbers

import numpy as np

# The drawing toolbox (Frame, circle, ellipse, triangle, capsule, paint...) lives in shapes.py.
from .shapes import (
    Frame,
    backdrop,
    capsule,
    check_size,
    circle,
    colour_distance,
    ellipse,
    jitter,
    paint,
    paint_outlined,
    triangle,
)

VERSION = 2  # bump whenever the drawings change, so that datasets cached on disk get redrawn
FUR = ("ginger", "black", "white", "grey", "tabby", "calico", "siamese", "black and white")
# Picture-book coats that no real cat has. The lesson's cats (stages 1 to 4) never wear them; only the text model's
# data (stage 5) dresses some of its cats in them, so that a colour word learns to paint a coat ("a blue cat").
TOY_FUR = ("red", "yellow", "green", "blue", "purple", "pink")
EYE_COLOURS = ("green", "yellow", "blue", "orange")
EARS = ("pointy", "rounded", "folded")
POSES = ("face", "sitting", "lying", "standing")
TAIL_SIDES = ("left", "right")  # where the tail (and the body, when lying or standing) goes; mirrors the cat
BACKGROUNDS = {
    "blue": (0.42, 0.64, 0.95), "light blue": (0.70, 0.86, 0.98), "dark blue": (0.16, 0.22, 0.45),
    "yellow": (0.98, 0.86, 0.38), "pink": (0.97, 0.67, 0.80), "green": (0.52, 0.80, 0.46),
    "purple": (0.66, 0.54, 0.88), "orange": (0.98, 0.62, 0.28), "light grey": (0.83, 0.83, 0.85),
    "red": (0.86, 0.28, 0.27),
}
# Fur colours: main coat, markings (stripes, patches, siamese points), muzzle and chest.
FUR_RGB = {
    "ginger": ((0.95, 0.55, 0.18), (0.80, 0.36, 0.08), (1.00, 0.90, 0.76)),
    "black": ((0.13, 0.12, 0.14), (0.05, 0.05, 0.06), (0.24, 0.23, 0.25)),
    "white": ((0.97, 0.97, 0.95), (0.88, 0.88, 0.86), (1.00, 1.00, 1.00)),
    "grey": ((0.55, 0.57, 0.61), (0.40, 0.42, 0.46), (0.80, 0.81, 0.83)),
    "tabby": ((0.70, 0.55, 0.38), (0.30, 0.21, 0.14), (0.93, 0.86, 0.74)),
    "calico": ((0.97, 0.95, 0.90), (0.93, 0.52, 0.16), (1.00, 1.00, 0.98)),
    "siamese": ((0.95, 0.89, 0.77), (0.32, 0.22, 0.17), (0.45, 0.33, 0.27)),
    "black and white": ((0.12, 0.11, 0.13), (0.05, 0.05, 0.06), (0.97, 0.97, 0.96)),
    # The toy coats: plain, like a ginger cat, in the colours of categories.COLOURS.
    "red": ((0.85, 0.15, 0.13), (0.62, 0.08, 0.07), (1.00, 0.78, 0.74)),
    "yellow": ((0.98, 0.84, 0.12), (0.84, 0.66, 0.05), (1.00, 0.96, 0.78)),
    "green": ((0.20, 0.60, 0.18), (0.11, 0.40, 0.10), (0.78, 0.93, 0.72)),
    "blue": ((0.15, 0.35, 0.85), (0.07, 0.20, 0.60), (0.78, 0.86, 1.00)),
    "purple": ((0.50, 0.22, 0.70), (0.33, 0.11, 0.48), (0.88, 0.78, 0.96)),
    "pink": ((0.97, 0.48, 0.70), (0.85, 0.30, 0.54), (1.00, 0.88, 0.94)),
}
EYE_RGB = {"green": (0.40, 0.80, 0.28), "yellow": (0.98, 0.84, 0.18),
           "blue": (0.35, 0.66, 0.98), "orange": (0.98, 0.56, 0.12)}
# Pictures are computed in float32: half the memory traffic of float64, and plenty precise.
PINK, BLACK, WHITE = (np.array(c, np.float32) for c in ((0.96, 0.58, 0.66), (0.05, 0.05, 0.06), (1, 1, 1)))
CALICO_BLACK = np.array((0.16, 0.14, 0.13), np.float32)
WHISKER_LIGHT, WHISKER_DARK = np.array((0.95, 0.95, 0.95), np.float32), np.array((0.35, 0.33, 0.35), np.float32)
MIN_COAT_CONTRAST = 0.42  # smallest colour distance between coat and background: the cat must stand out


# ---------------------------------------------------------------------------------------------
# Choosing what to draw.
# ---------------------------------------------------------------------------------------------
def coat_contrast(fur, background):
    """Colour distance between a coat and a background (0 = same colour)."""
    return colour_distance(FUR_RGB[fur][0], BACKGROUNDS[background])


GOOD_BACKGROUNDS = {fur: [b for b in BACKGROUNDS if coat_contrast(fur, b) >= MIN_COAT_CONTRAST]
                    for fur in FUR + TOY_FUR}
CAT_CHOICES = {"fur": FUR, "eye_colour": EYE_COLOURS, "ears": EARS, "pose": POSES, "tail_side": TAIL_SIDES,
               "background": tuple(BACKGROUNDS), "category": ("cat",)}  # so a whole attribute dict can be passed back
ALLOWED = {**CAT_CHOICES, "fur": FUR + TOY_FUR}  # what may be asked for: CAT_CHOICES, and a toy coat
NUMBERS = {"head_size": (0.05, 0.4), "tilt": (-45, 45), "x": (0, 1), "y": (0, 1)}
HEAD_SIZES = {"face": (0.25, 0.32), "sitting": (0.17, 0.205), "lying": (0.16, 0.19), "standing": (0.155, 0.185)}
# How far each pose reaches from the head centre, in head sizes: (left, right, top, bottom).
POSE_EXTENT = {"face": (1.3, 1.3, 1.55, 1.05), "sitting": (1.25, 1.95, 1.55, 2.6), "lying": (1.25, 3.35, 1.55, 1.6),
               "standing": (1.25, 3.45, 1.55, 2.25)}


def check_cat_overrides(overrides):
    """Refuse unknown attribute names or values with a sentence that lists what is allowed."""
    for name, value in overrides.items():
        if name in ALLOWED:
            if value not in ALLOWED[name]:
                raise ValueError(f"{name}={value!r} is not allowed; choose one of {list(ALLOWED[name])}.")
        elif name in NUMBERS:
            low, high = NUMBERS[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
                raise ValueError(f"{name} must be a number from {low} to {high}, not {value!r}.")
        else:
            raise ValueError(f"Unknown attribute {name!r}; valid attributes are {list(ALLOWED) + list(NUMBERS)}.")


def choose_cat_attributes(rng, overrides):
    """Pick the cat's attributes. Every random number is drawn even when overridden, so that
    forcing, say, the pose does not change the fur, the eyes or the background."""
    check_cat_overrides(overrides)
    pick = lambda name, options: overrides.get(name, str(options[rng.integers(len(options))]))
    forced_bg = overrides.get("background")
    furs = [f for f in FUR if forced_bg is None or forced_bg in GOOD_BACKGROUNDS[f]] or FUR
    cat = {"category": "cat", "fur": pick("fur", furs), "eye_colour": pick("eye_colour", EYE_COLOURS),
           "ears": pick("ears", EARS), "pose": pick("pose", POSES), "tail_side": pick("tail_side", TAIL_SIDES)}
    cat["background"] = pick("background", GOOD_BACKGROUNDS[cat["fur"]])
    r = cat["head_size"] = round(float(overrides.get("head_size", rng.uniform(*HEAD_SIZES[cat["pose"]]))), 4)
    cat["tilt"] = round(float(overrides.get("tilt", rng.uniform(-16, 16))), 2)
    left, right, top, bottom = POSE_EXTENT[cat["pose"]]
    if cat["tail_side"] == "left":
        left, right = right, left  # the cat is drawn mirrored
    for name, low, high in (("x", left, right), ("y", top, bottom)):  # keep the whole cat in view
        lo, hi = 0.03 + low * r, 0.97 - high * r
        value = lo + (hi - lo) * rng.random()
        cat[name] = round(float(overrides.get(name, value)), 4)
    return cat


def choose_cat_look(rng, cat, size):
    """Colours (with a little random jitter) and the small shape details that are not attributes."""
    main, marks, light = FUR_RGB[cat["fur"]]
    u = rng.uniform
    return {
        "main": jitter(rng, main, 0.05), "marks": jitter(rng, marks, 0.05), "light": jitter(rng, light, 0.03),
        "eye": jitter(rng, EYE_RGB[cat["eye_colour"]], 0.06),
        "background": jitter(rng, BACKGROUNDS[cat["background"]], 0.05),
        "gradient": u(-0.15, 0.15), "width": u(1.08, 1.25), "ear_size": u(0.9, 1.12), "ear_spread": u(-0.08, 0.08),
        "eye_size": u(0.22, 0.28), "eye_gap": u(0.4, 0.47), "eye_y": u(-0.06, 0.06), "pupil": u(0.07, 0.15),
        "tail_curl": u(-0.4, 0.4), "tail_up": bool(u() < 0.5), "patches": u(-1, 1, (4, 3)).tolist(),
        "line": max(0.6, size / 50),  # outline width in pixels
    }


# ---------------------------------------------------------------------------------------------
# Drawing the parts of a cat, back to front.
# ---------------------------------------------------------------------------------------------
def draw_shadow(img, f, cx, cy, rx):
    """A soft shadow on the floor, so full-body cats stand on something."""
    paint(img, ellipse(f, cx, cy, rx, 0.22 * rx), img.mean((1, 2)) * 0.75, soft=f.scale * 0.25)


def draw_markings(img, f, d, cat, look, part):
    """Stripes, patches or a dark mask, painted only inside the fur shape d."""
    fur, marks, p = cat["fur"], look["marks"], look["patches"]
    inside = lambda shape: np.maximum(shape, d)  # the overlap of a marking and the fur
    if fur == "tabby" and part == "head":
        both = f.mirrored()
        stripes = [capsule(f, (0, -0.95), (0, -0.55), 0.07), capsule(both, (0.28, -0.95), (0.22, -0.55), 0.07),
                   capsule(both, (1.3, 0.0), (0.85, 0.05), 0.065), capsule(both, (1.3, 0.25), (0.85, 0.3), 0.065)]
        paint(img, inside(np.minimum.reduce(stripes)), marks)  # the "M" on the forehead and cheek stripes
    elif fur == "tabby" and part in ("sitting", "lying", "standing"):
        if part == "sitting":  # stripes down both flanks
            stripes = [capsule(f.mirrored(), (1.0, 1.0 + 0.38 * i), (0.55, 1.15 + 0.38 * i), 0.09) for i in range(4)]
        else:  # stripes across the back
            top = -0.6 if part == "lying" else 0.05
            stripes = [capsule(f, (0.9 + 0.5 * i, top), (1.0 + 0.5 * i, top + 0.9), 0.1) for i in range(4)]
        paint(img, inside(np.minimum.reduce(stripes)), marks)
    elif fur == "calico":  # random ginger and black patches
        for k, (px, py, pr) in enumerate(p[:3] if part == "head" else p[1:]):
            centre = {"head": (0.6 * px, 0.5 * py - 0.3), "sitting": (0.8 * px, 1.5 + 0.6 * py),
                      "lying": (1.4 + 1.2 * px, 0.5 * py), "standing": (1.5 + 1.1 * px, 0.75 + 0.4 * py),
                      "face": (1.2 * px, 1.4)}[part]
            patch = ellipse(f, *centre, 0.45 + 0.15 * pr, 0.4 + 0.1 * pr)
            paint(img, inside(patch), CALICO_BLACK if k % 2 else marks)
    elif fur == "siamese" and part == "head":
        paint(img, inside(ellipse(f, 0, 0.35, 0.8, 0.68)), marks, soft=0.3 * f.scale)  # dark face mask
    if fur not in ("black", "siamese") and part in ("sitting", "face"):  # pale chest (a bib on black and white)
        chest = ellipse(f, 0, 1.15, 0.45, 0.5) if part == "sitting" else ellipse(f, 0, 1.4, 0.55, 0.6)
        paint(img, inside(chest), look["light"])


def draw_tail(img, f, cat, look, points, radius):
    """A tail as a chain of rounded sticks; tabbies get dark rings across it."""
    colour = look["marks"] if cat["fur"] in ("siamese", "calico") else look["main"]
    tail = np.minimum.reduce([capsule(f, a, b, radius) for a, b in zip(points[:-1], points[1:])])
    paint_outlined(img, tail, colour, look["line"])
    if cat["fur"] == "tabby":
        rings = []
        for (ax, ay), (bx, by) in zip(points[:-1], points[1:]):
            mx, my, nx, ny = (ax + bx) / 2, (ay + by) / 2, ay - by, bx - ax  # middle and a sideways direction
            rings.append(capsule(f, (mx - nx, my - ny), (mx + nx, my + ny), 0.07))
        paint(img, np.maximum(np.minimum.reduce(rings), tail), look["marks"])


def paw_colour(cat, look):
    """Siamese have dark paws, black and white and calico cats have white socks."""
    special = {"siamese": look["marks"], "black and white": look["light"], "calico": look["light"]}
    return special.get(cat["fur"], look["main"])


def draw_sitting_body(img, f, cat, look):
    """Body seen from the front: a round body, two haunches, two front legs and a curled-up tail."""
    curl = look["tail_curl"]
    tail = [(0.6, 2.35), (1.25, 2.3), (1.65, 1.85), (1.7 + 0.2 * curl, 1.25), (1.4 + 0.4 * curl, 0.85)]
    draw_tail(img, f, cat, look, tail, 0.17)
    both = f.mirrored()
    body = np.minimum(ellipse(f, 0, 1.45, 0.88, 1.05), circle(both, 0.62, 2.05, 0.45))  # body and haunches
    paint_outlined(img, body, look["main"], look["line"])
    draw_markings(img, f, body, cat, look, "sitting")
    legs = capsule(both, (0.3, 1.75), (0.33, 2.25), 0.19)
    paint_outlined(img, legs, look["marks"] if cat["fur"] == "siamese" else look["main"], look["line"])
    paint_outlined(img, ellipse(both, 0.34, 2.36, 0.25, 0.16), paw_colour(cat, look), look["line"])


def draw_lying_body(img, f, cat, look):
    """A cat loaf seen from the side, its head at the front end, turned to look at us."""
    curl = look["tail_curl"]
    if look["tail_up"]:  # tail raised behind the back
        draw_tail(img, f, cat, look, [(2.6, 0.6), (3.1, 0.3), (3.25, -0.3), (3.0 + 0.2 * curl, -0.75)], 0.17)
    body = np.minimum(ellipse(f, 1.35, 0.55, 1.75, 0.9), circle(f, 2.35, 0.65, 0.8))
    paint_outlined(img, body, look["main"], look["line"])
    draw_markings(img, f, body, cat, look, "lying")
    if not look["tail_up"]:  # tail wrapped along the front of the loaf
        draw_tail(img, f, cat, look, [(2.9, 0.95), (2.6, 1.35), (1.8, 1.5), (1.0 + 0.3 * curl, 1.45)], 0.16)
    paint_outlined(img, ellipse(f.mirrored(), 0.38, 1.28, 0.3, 0.2), paw_colour(cat, look), look["line"])  # front paws


def draw_standing_body(img, f, cat, look):
    """A cat standing side-on on four legs, tail up, head turned to look at us."""
    curl, leg_colour = look["tail_curl"], look["marks"] if cat["fur"] == "siamese" else look["main"]
    draw_tail(img, f, cat, look, [(2.7, 0.5), (3.15, 0.1), (3.3, -0.45), (3.1 + 0.2 * curl, -0.95)], 0.16)
    for near in (False, True):  # the far legs are behind the body and in shadow
        if near:
            body = ellipse(f, 1.45, 0.75, 1.5, 0.62)
            paint_outlined(img, body, look["main"], look["line"])
            draw_markings(img, f, body, cat, look, "standing")
        shade = 1.0 if near else 0.8
        for x in ((0.85, 2.55), (0.5, 2.2))[near]:
            paint_outlined(img, capsule(f, (x, 1.0), (x, 1.95), 0.17), leg_colour * shade, look["line"])
            paint_outlined(img, ellipse(f, x + 0.06, 2.03, 0.23, 0.13), paw_colour(cat, look) * shade, look["line"])


def draw_shoulders(img, f, cat, look):
    """For a close-up portrait: just the top of the body under the head."""
    body = ellipse(f, 0, 1.85, 1.45, 1.0)
    paint_outlined(img, body, look["main"], look["line"])
    draw_markings(img, f, body, cat, look, "face")


def draw_ears(img, f, cat, look):
    """Two triangles with pink insides. Rounded ears have their tips cut off by a circle; folded
    ears are short, with a flap bent forward (drawn by draw_head)."""
    size, folded, both = look["ear_size"], cat["ears"] == "folded", f.mirrored()
    if folded:
        base_out, base_in, tip = (1.0, -0.4), (0.25, -0.9), (0.9, -1.05)
    else:
        base_out, base_in, tip = (1.02, -0.35), (0.12, -0.85), (0.8 + look["ear_spread"], -0.45 - 1.05 * size)
    mid = ((base_out[0] + base_in[0]) / 2, (base_out[1] + base_in[1]) / 2)
    ear = triangle(both, base_out, base_in, tip)
    if cat["ears"] == "rounded":
        ear = np.maximum(ear, circle(both, *mid, 0.85 * size))
    paint_outlined(img, ear, look["marks"] if cat["fur"] == "siamese" else look["main"], look["line"])
    if cat["fur"] == "calico":  # maybe a ginger left ear, maybe a black right ear
        for side, colour, coin in ((-1, look["marks"], look["patches"][3][0]),
                                   (1, CALICO_BLACK, look["patches"][3][1])):
            if coin > 0:
                paint(img, np.maximum(ear, -side * f.x * f.scale), colour)  # only the ear on that side
    if not folded:  # the pink inside: the same triangle, half as big, a little lower
        corners = [(mid[0] + 0.5 * (x - mid[0]), mid[1] + 0.12 + 0.5 * (y - mid[1]))
                   for x, y in (base_out, base_in, tip)]
        inner = triangle(both, *corners)
        if cat["ears"] == "rounded":
            inner = np.maximum(inner, circle(both, mid[0], mid[1] + 0.12, 0.55 * size))
        paint(img, inner, PINK * 0.7 + look["main"] * 0.3)


def draw_head(img, f, cat, look):
    """A wide head (cats have round cheeks) made of two overlapping ellipses."""
    w = look["width"]
    head = np.minimum(ellipse(f, 0, -0.08, 0.95 * w, 0.92), ellipse(f, 0, 0.2, w, 0.75))
    paint_outlined(img, head, look["main"], look["line"])
    draw_markings(img, f, head, cat, look, "head")
    if cat["ears"] == "folded":  # folded ear flaps lie on top of the head
        both = f.mirrored()
        flaps = np.maximum(triangle(both, (0.95, -0.55), (0.2, -0.92), (0.75, -0.3)), circle(both, 0.6, -0.62, 0.42))
        # (a triangle pointing down the side of the head, its corners rounded off by a circle)
        paint_outlined(img, flaps, look["marks"] if cat["fur"] == "siamese" else look["main"], look["line"])


def draw_eyes(img, f, cat, look):
    """Big round eyes: dark rim, coloured iris, tall pupil and a white sparkle."""
    r, gap, y, both = look["eye_size"], look["eye_gap"], look["eye_y"], f.mirrored()
    iris = circle(both, gap, y, r)
    paint(img, iris - 0.05 * f.scale, BLACK)  # a dark rim, slightly bigger than the iris
    paint(img, iris, look["eye"])
    paint(img, ellipse(both, gap, y, look["pupil"], r * 0.85), BLACK)
    paint(img, circle(both, gap + 0.35 * r, y - 0.4 * r, 0.3 * r), WHITE)


def draw_muzzle(img, f, cat, look):
    """Puffy pale cheeks, a pink nose and, when there is room, a mouth and whiskers."""
    both = f.mirrored()
    paint(img, ellipse(both, 0.17, 0.45, 0.24, 0.2), look["light"])
    paint(img, triangle(f, (-0.14, 0.27), (0.14, 0.27), (0, 0.4)), PINK)
    if f.scale < 7:
        return  # this small, a mouth and whiskers would only be noise
    dark_fur = np.mean(look["main"]) < 0.5
    mouth = np.minimum(capsule(f, (0, 0.38), (0, 0.5), 0.025), capsule(both, (0, 0.5), (0.14, 0.55), 0.025))
    paint(img, mouth, BLACK if dark_fur else look["main"] * 0.35)
    whiskers = np.minimum.reduce([capsule(both, (0.42, 0.42 + 0.07 * k), (1.45, 0.25 + 0.2 * k), 0.018)
                                  for k in range(3)])
    paint(img, whiskers, WHISKER_LIGHT if dark_fur else WHISKER_DARK)


def draw_cat(rng: np.random.Generator, size: int = 32, **overrides) -> tuple[np.ndarray, dict]:
    """Draw one cat. Returns (image float32 array (size, size, 3) in [0, 1], attributes dict)."""
    check_size(size)
    rng = np.random.default_rng(rng)  # a Generator is used as it is; a plain number seeds a new one
    cat = choose_cat_attributes(rng, overrides)
    look = choose_cat_look(rng, cat, size)
    img = backdrop(size, look["background"], look["gradient"])
    r, flip = cat["head_size"], cat["tail_side"] == "left"
    body = Frame(size, cat["x"], cat["y"], r, 0.0, flip)
    if cat["pose"] == "sitting":
        draw_shadow(img, body, 0.35, 2.45, 1.6)
        draw_sitting_body(img, body, cat, look)
    elif cat["pose"] == "lying":
        draw_shadow(img, body, 1.3, 1.45, 2.3)
        draw_lying_body(img, body, cat, look)
    elif cat["pose"] == "standing":
        draw_shadow(img, body, 1.5, 2.1, 2.0)
        draw_standing_body(img, body, cat, look)
    else:
        draw_shoulders(img, body, cat, look)
    head = Frame(size, cat["x"], cat["y"], r, cat["tilt"], flip)  # only the head tilts
    draw_ears(img, head, cat, look)
    draw_head(img, head, cat, look)
    draw_eyes(img, head, cat, look)
    draw_muzzle(img, head, cat, look)
    return np.clip(img, 0, 1).transpose(1, 2, 0).astype(np.float32), cat


def make_cats(n: int, size: int = 32, seed: int = 0, **overrides) -> tuple[np.ndarray, list[dict]]:
    """n cats as uint8 (n, size, size, 3) plus their attribute dicts. Image i is drawn with
    np.random.default_rng([seed, i]) so it is deterministic per (seed, i) regardless of n.
    overrides fix attributes for every cat, e.g. pose="face": a smaller world of cat portraits."""
    images = np.empty((n, size, size, 3), dtype=np.uint8)
    attributes = []
    for i in range(n):
        img, cat = draw_cat(np.random.default_rng([seed, i]), size, **overrides)
        images[i] = np.round(img * 255)
        attributes.append(cat)
    return images, attributes
