"""Seven things a child can name, drawn from simple shapes, for a model that draws what it is asked.

cat/chat, tree/arbre, car/voiture, house/maison, fish/poisson, flower/fleur, boat/bateau.

The cats are the ones of cats.py, unchanged. The other six are collages of the same cut-out shapes
(shapes.py), painted back to front. Each picture comes with a dict of attributes a child would say
out loud, such as {"category": "car", "colour": "red", "size": "small", "facing": "left", ...}, so
that a caption can be written for it. CATEGORY_CHOICES lists every value each attribute can take.
"""
import unicodedata

import numpy as np

from ..messages import DiffusionLabError
from . import cats
from .cats import BACKGROUNDS, BLACK, WHITE  # the cats' backdrops (the "background" attribute names one) and paints
from .shapes import (
    Frame,
    above,
    backdrop,
    box,
    capsule,
    check_size,
    circle,
    colour_distance,
    ellipse,
    jitter,
    lens,
    paint,
    paint_outlined,
    polygon,
    triangle,
)

CATEGORIES = ("cat", "tree", "car", "house", "fish", "flower", "boat")  # the position is the label: never reorder
FRENCH = {"cat": "chat", "tree": "arbre", "car": "voiture", "house": "maison", "fish": "poisson", "flower": "fleur",
          "boat": "bateau"}
# bump whenever a drawing changes, so that datasets cached on disk get redrawn (2 was the grey fish, reverted)
VERSION = 3

# The colours a child names. An object's main colour is one of these, with a little jitter.
COLOURS = {
    "red": (0.85, 0.15, 0.13), "orange": (0.97, 0.52, 0.08), "yellow": (0.98, 0.84, 0.12),
    "green": (0.20, 0.60, 0.18), "blue": (0.15, 0.35, 0.85), "purple": (0.50, 0.22, 0.70),
    "pink": (0.97, 0.48, 0.70), "brown": (0.50, 0.30, 0.13), "black": (0.10, 0.10, 0.11),
    "white": (0.96, 0.96, 0.94), "grey": (0.55, 0.56, 0.58),
}
# The smallest colour distance between a thing and its backdrop: like cats.MIN_COAT_CONTRAST (0.42), a little
# stricter, as most of these things are smaller than a cat.
MIN_THING_CONTRAST = 0.45
BIG = 0.75  # a thing at least this wide or tall (fraction of the picture) is "big", else "small"
SIZES = ("small", "big")
FACING = ("left", "right")
COLOUR_OF_FUR = {"ginger": "orange", "black": "black", "white": "white", "grey": "grey", "tabby": "brown",
                 "calico": "white", "siamese": "white", "black and white": "black",  # a cat's colour is its coat's
                 **{toy: toy for toy in cats.TOY_FUR}}  # a toy coat is named by its colour: "a blue cat"

# Main colours each thing may have, and how often: trees are mostly green, cars any colour.
MAIN_COLOURS = {
    "tree": {"green": 8, "orange": 1.5, "yellow": 1, "red": 1},  # not green: an autumn tree
    "car": {"red": 2, "blue": 2, "yellow": 1, "green": 1, "orange": 1, "white": 1, "black": 1, "grey": 1,
            "purple": 0.5, "pink": 0.5},
    "house": {"white": 2, "yellow": 2, "pink": 1, "orange": 1, "red": 1, "brown": 1, "grey": 1, "blue": 0.5},
    "fish": {"orange": 2, "yellow": 1.5, "red": 1, "blue": 1.5, "purple": 1, "pink": 1, "green": 1},
    "flower": {"red": 2, "pink": 2, "yellow": 1.5, "purple": 1.5, "white": 1.5, "orange": 1, "blue": 1},
    "boat": {"red": 2, "white": 1.5, "brown": 1.5, "yellow": 1, "orange": 1, "green": 1, "black": 1},  # the sea is blue
}
ROOFS = {"red": 3, "brown": 2, "grey": 2, "black": 1, "blue": 1}
# The category's own attributes, and how often each value comes.
DETAILS = {
    "tree": {"kind": {"leafy": 2, "pine": 1.5, "fruit": 1}},  # pines and fruit trees are always green
    "car": {"kind": {"sedan": 1, "van": 1, "beetle": 1}, "facing": dict.fromkeys(FACING, 1)},
    "house": {"roof": ROOFS},
    "fish": {"pattern": {"plain": 1, "stripes": 1, "spots": 1}, "facing": dict.fromkeys(FACING, 1)},
    "flower": {"kind": {"daisy": 2, "tulip": 1}},
    "boat": {"kind": {"sailboat": 1, "motorboat": 1}, "facing": dict.fromkeys(FACING, 1)},
}
# Every attribute and its possible values, for each category (so a caption module can enumerate them).
CATEGORY_CHOICES = {"cat": {**cats.CAT_CHOICES, "colour": tuple(dict.fromkeys(COLOUR_OF_FUR[fur] for fur in cats.FUR)),
                            "size": SIZES}}
for _name in CATEGORIES[1:]:
    CATEGORY_CHOICES[_name] = {"category": (_name,), "colour": tuple(MAIN_COLOURS[_name]),
                               "background": tuple(BACKGROUNDS), "size": SIZES,
                               **{key: tuple(values) for key, values in DETAILS[_name].items()}}

# How far each thing reaches from its origin, in its own units, facing right: (left, right, top, bottom).
# The origin is where it stands on the ground (the waterline for the boat, the middle of the fish).
THING_EXTENT = {"tree": (1.0, 1.0, 2.6, 0.0), "car": (1.05, 1.05, 1.2, 0.0), "house": (1.3, 1.3, 2.45, 0.0),
                "fish": (1.6, 1.6, 1.3, 1.15), "flower": (0.95, 0.95, 2.95, 0.0), "boat": (1.25, 1.3, 2.35, 0.2)}
GROUND = {"tree": "grass", "car": "road", "house": "grass", "flower": "grass", "boat": "sea", "fish": None}
TILT = {"tree": 0, "car": 0, "house": 0, "fish": 15, "flower": 8, "boat": 6}  # largest random turn, in degrees
# Colours of the parts that are not attributes, as float32 arrays so that they can be darkened (GRASS * 0.8).
GRASS, ROAD, SEA = np.float32((0.30, 0.60, 0.20)), np.float32((0.30, 0.30, 0.33)), np.float32((0.15, 0.42, 0.78))
TRUNK, STEM, MAST = np.float32((0.45, 0.27, 0.12)), np.float32((0.25, 0.55, 0.18)), np.float32((0.35, 0.24, 0.15))
DOOR, DARK_DOOR, BRICK = np.float32((0.45, 0.25, 0.10)), np.float32((0.12, 0.30, 0.22)), np.float32((0.62, 0.26, 0.18))
GLASS, LAMP, RED_LAMP = np.float32((0.72, 0.87, 0.97)), np.float32((1.0, 0.92, 0.45)), np.float32((0.9, 0.1, 0.1))
TYRE, HUB = np.float32((0.09, 0.09, 0.10)), np.float32((0.75, 0.76, 0.78))


# ---------------------------------------------------------------------------------------------
# Names and labels.
# ---------------------------------------------------------------------------------------------
def plain(name):
    """Lower case without accents, so that 'Arbre', 'arbre' and 'ÂRBRE' read the same."""
    letters = unicodedata.normalize("NFKD", str(name).strip().lower())
    return "".join(c for c in letters if not unicodedata.combining(c))


def english_name(name):
    """The English key of a category given in English or French ('chat' -> 'cat')."""
    key = plain(name)
    for english, french in FRENCH.items():
        if key in (english, french):
            return english
    choices = ", ".join(f"{english}/{french}" for english, french in FRENCH.items())
    raise DiffusionLabError("unknown_category", name=name, choices=choices)


def label_of(name) -> int:
    """The label (a whole number) of a category name in English or French: 'fish' and 'poisson' give 4."""
    return CATEGORIES.index(english_name(name))


def name_of(label: int, language: str = "en") -> str:
    """The name of a label, in English ('en') or French ('fr')."""
    if language not in ("en", "fr"):
        raise ValueError(f"language must be 'en' or 'fr', got {language!r}")
    if not 0 <= int(label) < len(CATEGORIES):
        english_name(label)  # raises the error that lists the categories
    english = CATEGORIES[int(label)]
    return FRENCH[english] if language == "fr" else english


# ---------------------------------------------------------------------------------------------
# Choosing what to draw.
# ---------------------------------------------------------------------------------------------
def stands_out(colour, background):
    """Whether a thing of this colour (a COLOURS key) is easy to see on this background (a BACKGROUNDS key)."""
    return colour_distance(COLOURS[colour], BACKGROUNDS[background]) >= MIN_THING_CONTRAST


def pick(rng, weights, forced=None):
    """One key of `weights`, chosen with those odds. A random number is drawn even when the value is
    forced, so that forcing one attribute does not change the others."""
    u = rng.random() * sum(weights.values())
    for value, weight in weights.items():
        u -= weight
        if u < 0:
            break
    return value if forced is None else forced


def check_thing_overrides(category, overrides):
    """Refuse unknown attribute names or values with a sentence that lists what is allowed."""
    for name, value in overrides.items():
        allowed = CATEGORY_CHOICES[category]
        if name not in allowed:
            raise ValueError(f"Unknown attribute {name!r} for a {category}; valid attributes are {list(allowed)}.")
        if value not in allowed[name]:
            raise ValueError(f"{name}={value!r} is not allowed for a {category}; choose one of {list(allowed[name])}.")


def choose_thing_attributes(category, rng, overrides):
    """Main colour, the category's own attributes, then a backdrop that makes them all stand out."""
    check_thing_overrides(category, overrides)
    forced_bg = overrides.get("background")
    colours = dict(MAIN_COLOURS[category])
    if category == "tree" and overrides.get("kind", "leafy") != "leafy":
        colours = {"green": 1}  # pines and fruit trees stay green
    colours = {c: w for c, w in colours.items() if forced_bg is None or stands_out(c, forced_bg)} or colours
    thing = {"category": category, "colour": pick(rng, colours, overrides.get("colour"))}
    for name, weights in DETAILS[category].items():
        if name == "roof":  # a roof of another colour than the walls
            walls = COLOURS[thing["colour"]]
            weights = {c: w for c, w in weights.items()
                       if colour_distance(COLOURS[c], walls) >= MIN_THING_CONTRAST} or weights
        if category == "tree" and thing["colour"] != "green":
            weights = {"leafy": 1}  # only leafy trees turn orange, yellow or red in autumn
        thing[name] = pick(rng, weights, overrides.get(name))
    shown = [thing["colour"]] + ([thing["roof"]] if category == "house" else [])
    backgrounds = {b: 1 for b in BACKGROUNDS if all(stands_out(c, b) for c in shown)}
    thing["background"] = pick(rng, backgrounds or {b: 1 for b in BACKGROUNDS}, forced_bg)
    return thing


def choose_place(category, rng, thing):
    """Size, position and turn: the whole object stays in view, standing on the ground if it has one.
    Returns (x, y, unit, tilt, flip) for the object's Frame, and sets thing["size"]."""
    left, right, top, bottom = THING_EXTENT[category]
    if thing.get("facing") == "left":
        left, right = right, left  # drawn mirrored
    extent = rng.uniform(0.5, 0.94)  # the object's width or height, whichever is larger, in pictures
    unit = extent / max(left + right, top + bottom)
    thing["size"] = "big" if extent >= BIG else "small"
    x = rng.uniform(0.03 + left * unit, 0.97 - right * unit)
    low, high = 0.03 + top * unit, 0.97 - bottom * unit
    if GROUND[category]:  # leave a strip of ground (or sea) under it
        low, high = max(low, 0.6), max(min(high, 0.9), low)
    y = rng.uniform(low, high)
    tilt = rng.uniform(-1, 1) * TILT[category]
    return x, y, unit, tilt, thing.get("facing") == "left"


def choose_thing_look(rng, thing, size):
    """Colours (with a little random jitter) and the small shape details that are not attributes."""
    u = rng.uniform
    sails = [c for c in ("white", "white", "white", "red", "yellow") if stands_out(c, thing["background"])]
    return {
        "main": jitter(rng, COLOURS[thing["colour"]], 0.06),
        "background": jitter(rng, BACKGROUNDS[thing["background"]], 0.05),
        "roof": jitter(rng, COLOURS[thing.get("roof", "red")], 0.06), "grass": jitter(rng, GRASS, 0.06),
        "road": jitter(rng, ROAD, 0.06), "sea": jitter(rng, SEA, 0.06), "trunk": jitter(rng, TRUNK, 0.08),
        "sail": jitter(rng, COLOURS[sails[rng.integers(len(sails))] if sails else "white"], 0.03),
        "fruit": jitter(rng, COLOURS[("red", "red", "orange", "yellow")[rng.integers(4)]], 0.05),
        "centre": jitter(rng, COLOURS["brown" if thing["colour"] in ("yellow", "orange") else "yellow"], 0.05),
        "gradient": u(-0.15, 0.15), "wide": u(0.85, 1.15), "tall": u(0.85, 1.1), "phase": u(0, 2 * np.pi),
        "petals": int(rng.integers(5, 9)), "side": 1 if u() < 0.5 else -1, "door_x": u(0.35, 0.55),
        "chimney": bool(u() < 0.6), "attic": bool(u() < 0.5), "blobs": u(-0.1, 0.1, (5, 3)).tolist(),
        "line": max(0.6, size / 50),  # outline width in pixels
    }


# ---------------------------------------------------------------------------------------------
# The ground, in picture coordinates: grass, a road or the sea below a line.
# ---------------------------------------------------------------------------------------------
def below(size, level, wave=0.0, phase=0.0):
    """Signed distance in pixels to everything below the line at height `level` (fraction of the
    picture), negative below it. With `wave` (pixels) the line goes up and down like the sea."""
    centres = np.arange(size, dtype=np.float32) + 0.5
    line = level * size + wave * np.sin(centres * (8 * np.pi / size) + phase)  # (size,): one height per column
    return line[None, :] - centres[:, None]  # (size, size): rows minus the line's height


def draw_ground(img, kind, level, look):
    """Grass with a dark edge, a road with white dashes, or the sea with a light line of foam."""
    size, line = img.shape[1], look["line"]
    if kind == "grass":
        paint_outlined(img, below(size, level), look["grass"], line)
    elif kind == "road":
        paint_outlined(img, below(size, level), look["road"], line)
        if (1 - level) * size >= 5:  # white dashes down the middle, when the road is wide enough
            period = size / 6
            dashes = (np.abs((np.arange(size) + 0.5) / period % 1 - 0.5) - 0.25) * period  # (size,): negative on a dash
            # (size, size): a thin line halfway down
            middle = np.abs(below(size, (level + 1) / 2)) - max(0.5, size / 64)
            paint(img, np.maximum(middle, dashes[None, :]), look["road"] * 0.3 + 0.65)
    else:
        d = below(size, level, wave=max(0.4, size / 80), phase=look["phase"])
        paint(img, d, look["sea"])
        paint(img, np.maximum(d, -d - max(0.8, size / 40)), look["sea"] * 0.5 + 0.5)  # foam just under the surface


# ---------------------------------------------------------------------------------------------
# Drawing each thing, in its own Frame: one unit is about half its width, y goes down.
# ---------------------------------------------------------------------------------------------
def draw_tree(img, f, thing, look):
    """A trunk and a round canopy of leafy blobs (maybe with fruits), or a pine of three stacked triangles."""
    wide, tall, line, main = look["wide"], look["tall"], look["line"], look["main"]
    if thing["kind"] == "pine":
        paint_outlined(img, box(f, 0, -0.25, 0.13, 0.3), look["trunk"], line)
        for k in range(3):  # from the bottom tier up, each one overlapping the one below
            base, half = -0.4 - 0.5 * k * tall, (0.95 - 0.22 * k) * wide
            paint_outlined(img, triangle(f, (-half, base), (half, base), (0, base - 0.95 * tall)), main * 0.8, line)
        return
    paint_outlined(img, polygon(f, (-0.17, 0.02), (0.17, 0.02), (0.1, -1.3), (-0.1, -1.3)), look["trunk"], line)
    blobs = [(0, -1.75, 0.62), (-0.5, -1.45, 0.48), (0.5, -1.45, 0.48), (-0.32, -2.05, 0.47), (0.3, -2.1, 0.45)]
    canopy = np.minimum.reduce([circle(f, x * wide + dx, -1.75 + (y + 1.75) * tall + dy, r + dr)
                                for (x, y, r), (dx, dy, dr) in zip(blobs, look["blobs"])])
    paint_outlined(img, canopy, main, line)
    sunny_side = np.maximum(canopy, circle(f, -0.35, -2.0 * tall, 0.35))
    paint(img, sunny_side, np.minimum(main * 1.2, 1), soft=0.3 * f.scale)  # light comes from the top left
    if thing["kind"] == "fruit":
        for x, y in ((-0.5, -1.4), (0.45, -1.55), (0.0, -1.85), (-0.3, -2.15), (0.35, -2.1), (0.05, -1.35)):
            paint_outlined(img, circle(f, x * wide, -1.75 + (y + 1.75) * tall, 0.16), look["fruit"], line)


def draw_car(img, f, thing, look):
    """A body (long, tall or round), windows, lamps and two big dark wheels, facing right."""
    line, main = look["line"], look["main"]
    if thing["kind"] == "sedan":  # a long body with a cabin on top
        cabin = polygon(f, (-0.72, -0.7), (0.5, -0.7), (0.28, -1.12), (-0.52, -1.12))
        body = np.minimum(box(f, 0, -0.5, 1.0, 0.25, 0.12), cabin)
        windows = np.minimum(polygon(f, (-0.6, -0.76), (-0.1, -0.76), (-0.1, -1.04), (-0.45, -1.04)),
                             polygon(f, (0.0, -0.76), (0.41, -0.76), (0.24, -1.04), (0.0, -1.04)))
    elif thing["kind"] == "van":  # a tall box with a sloping nose
        body = polygon(f, (-1.0, -0.26), (1.0, -0.26), (1.0, -0.72), (0.68, -1.18), (-1.0, -1.18))
        windows = np.minimum.reduce([polygon(f, (0.58, -0.76), (0.9, -0.76), (0.64, -1.1), (0.58, -1.1)),
                                     box(f, 0.1, -0.93, 0.36, 0.17), box(f, -0.62, -0.93, 0.26, 0.17)])
    else:  # a beetle: a round dome on a low body
        body = np.minimum(box(f, 0, -0.48, 0.98, 0.23, 0.15), ellipse(f, -0.05, -0.62, 0.78, 0.55))
        windows = np.maximum(ellipse(f, -0.05, -0.66, 0.56, 0.38), above(f, -0.72))  # the top half of an ellipse
        windows = np.maximum(windows, -box(f, -0.05, -0.85, 0.05, 0.3))  # cut in two by a pillar
    paint_outlined(img, body, main, line)
    paint_outlined(img, windows, GLASS, line)
    paint(img, circle(f, 0.93, -0.56, 0.08), LAMP)
    paint(img, circle(f, -0.95, -0.56, 0.07), RED_LAMP)
    for x in (-0.62, 0.62):
        paint(img, np.maximum(circle(f, x, -0.22, 0.3), body), main * 0.45)  # the dark wheel arch
        paint_outlined(img, circle(f, x, -0.23, 0.23), TYRE, line)
        paint(img, circle(f, x, -0.23, 0.1), HUB)


def draw_house(img, f, thing, look):
    """Square walls, a triangle roof (maybe with a chimney and a round attic window), a door and a window."""
    line, wide, walls, side = look["line"], 0.95 * look["wide"], look["main"], look["side"]
    high, pitch = 1.25 * look["tall"], 0.9 * look["tall"]
    if look["chimney"]:  # behind the roof, only its top shows
        paint_outlined(img, box(f, 0.5 * wide * side, -high - 0.55 * pitch, 0.12, 0.4 * pitch), BRICK, line)
    paint_outlined(img, box(f, 0, -high / 2, wide, high / 2), walls, line)
    roof = triangle(f, (-wide - 0.22, -high + 0.03), (wide + 0.22, -high + 0.03), (0, -high - pitch))
    paint_outlined(img, roof, look["roof"], line)
    if look["attic"]:
        paint_outlined(img, circle(f, 0, -high - 0.38 * pitch, 0.16), GLASS, line)
    door_x = -look["door_x"] * wide * side
    door = DARK_DOOR if thing["colour"] in ("brown", "red", "orange") else DOOR
    paint_outlined(img, box(f, door_x, -0.36, 0.2, 0.38, 0.05), door, line)
    paint(img, circle(f, door_x + 0.1 * side, -0.34, 0.045), LAMP)  # the door knob
    window_x, window_y = 0.45 * wide * side, -0.58 * high
    paint_outlined(img, box(f, window_x, window_y, 0.25, 0.23), WHITE, line)
    paint(img, box(f, window_x, window_y, 0.19, 0.17), GLASS)
    if f.scale >= 8:  # the window's cross, when there are pixels enough for it
        cross = np.minimum(box(f, window_x, window_y, 0.03, 0.2), box(f, window_x, window_y, 0.22, 0.03))
        paint(img, cross, WHITE)


def draw_fish(img, f, thing, look):
    """An oval body, a forked tail, two fins, a big eye and a few bubbles, facing right."""
    line, main = look["line"], look["main"]
    fins = main * 0.75
    tail = np.maximum(triangle(f, (-0.75, 0), (-1.55, -0.62), (-1.55, 0.62)), -circle(f, -1.75, 0, 0.35))  # forked
    paint_outlined(img, tail, fins, line)
    paint_outlined(img, np.minimum(triangle(f, (-0.55, -0.4), (0.3, -0.5), (-0.45, -0.98)),
                                   triangle(f, (-0.35, 0.45), (0.05, 0.5), (-0.4, 0.82))), fins, line)
    body = ellipse(f, 0, 0, 1.0, 0.62 * look["tall"])
    paint_outlined(img, body, main, line)
    marks = WHITE * 0.95 if main.mean() < 0.55 else main * 0.45  # light marks on a dark fish, dark on a light one
    if thing["pattern"] == "stripes":
        stripes = np.minimum(capsule(f, (-0.45, -0.8), (-0.45, 0.8), 0.12), capsule(f, (0.15, -0.8), (0.15, 0.8), 0.12))
        paint(img, np.maximum(stripes, body), marks)
    elif thing["pattern"] == "spots":
        centres = ((-0.55, -0.05), (-0.2, -0.3), (-0.2, 0.25), (0.15, 0.0), (0.25, 0.35))
        spots = [circle(f, x, y, 0.12) for x, y in centres]
        paint(img, np.maximum(np.minimum.reduce(spots), body), marks)
    paint(img, circle(f, 0.55, -0.12, 0.2) - line, BLACK)
    paint(img, circle(f, 0.55, -0.12, 0.2), WHITE)
    paint(img, circle(f, 0.6, -0.12, 0.1), BLACK)
    for x, y, r in ((1.3, -0.55, 0.11), (1.45, -0.95, 0.08)):  # bubbles: thin light rings
        paint(img, np.abs(circle(f, x, y, r)) - 0.6 * line, WHITE)


def draw_flower(img, f, thing, look):
    """A stem with a leaf and a head: a daisy of round petals around a centre, or a tulip cup."""
    line, main, side = look["line"], look["main"], look["side"]
    top = -1.9 * look["tall"]  # the middle of the flower head
    stem = np.minimum.reduce([capsule(f, (0, 0.05), (0, top), 0.08),
                              lens(f, (0.03 * side, -0.45), (0.62 * side, -0.95), 0.3),  # a big leaf on one side
                              lens(f, (-0.03 * side, -0.8), (-0.45 * side, -1.15), 0.22)])  # a small one on the other
    paint_outlined(img, stem, STEM, line)
    if thing["kind"] == "daisy":
        n = look["petals"]
        for k in range(n):  # each petal outlined on top of the one before
            angle = 2 * np.pi * k / n + look["phase"]
            tip = (0.55 * np.cos(angle), top + 0.55 * np.sin(angle))
            paint_outlined(img, capsule(f, (0, top), tip, 1.5 / n), main, line)
        paint_outlined(img, circle(f, 0, top, 0.3), look["centre"], line)
    else:  # tulip: a cup of three pointed petals
        cup = np.minimum.reduce([ellipse(f, 0, top + 0.1, 0.48, 0.45),
                                 lens(f, (-0.28, top + 0.25), (-0.48, top - 0.62), 0.45),
                                 lens(f, (0.28, top + 0.25), (0.48, top - 0.62), 0.45)])
        paint_outlined(img, cup, main, line)
        paint_outlined(img, np.maximum(lens(f, (0, top + 0.5), (0, top - 0.7), 0.6), cup), main * 0.85, line)


def draw_boat(img, f, thing, look):
    """A hull with a pointed bow, and either a mast with two sails or a cabin with windows, facing right."""
    line, main = look["line"], look["main"]
    if thing["kind"] == "sailboat":
        paint_outlined(img, capsule(f, (0, -0.3), (0, -2.25), 0.05), MAST, line)
        paint_outlined(img, triangle(f, (0.03, -2.32), (0.03, -2.08), (0.38, -2.2)), RED_LAMP, line)  # a flag
        paint_outlined(img, triangle(f, (-0.1, -0.58), (-0.1, -2.1), (-1.0, -0.58)), look["sail"], line)
        paint_outlined(img, triangle(f, (0.1, -0.62), (0.1, -1.85), (0.88, -0.62)), look["sail"], line)
        hull = polygon(f, (-1.15, -0.4), (1.25, -0.5), (0.8, 0.2), (-0.85, 0.2))
    else:
        paint_outlined(img, capsule(f, (-0.45, -1.0), (-0.45, -1.45), 0.04), MAST, line)  # an aerial
        paint_outlined(img, box(f, -0.3, -0.8, 0.52, 0.34, 0.06), WHITE * 0.95, line)
        windscreen = polygon(f, (-0.2, -0.7), (0.12, -0.7), (0.12, -0.95), (-0.2, -0.95))
        windows = np.minimum(box(f, -0.55, -0.82, 0.16, 0.12), windscreen)
        paint_outlined(img, windows, GLASS * 0.8, line)
        hull = polygon(f, (-1.15, -0.45), (1.25, -0.58), (0.85, 0.2), (-0.95, 0.2))
    paint_outlined(img, hull, main, line)
    stripe = np.maximum(hull, np.maximum(above(f, -0.18), -above(f, -0.28)))  # a band along the side
    paint(img, stripe, BLACK * 2 + 0.2 if thing["colour"] == "white" else WHITE * 0.95)


# ---------------------------------------------------------------------------------------------
# Whole pictures.
# ---------------------------------------------------------------------------------------------
def draw_cat_as_category(rng, size, overrides):
    """A cat of cats.py as one of the seven categories: its pixels untouched, with its colour and size added to its
    attributes, and a colour that may be asked for (it chooses a coat of that colour)."""
    overrides = dict(overrides)
    colour = overrides.pop("colour", None)
    if colour is not None and "fur" not in overrides:  # a fur of that colour
        furs = [fur for fur, name in COLOUR_OF_FUR.items() if name == colour]
        if not furs:
            allowed = list(CATEGORY_CHOICES["cat"]["colour"])
            raise ValueError(f"colour={colour!r} is not allowed for a cat; choose one of {allowed}.")
        overrides["fur"] = furs[rng.integers(len(furs))]
    img, cat = cats.draw_cat(rng, size, **overrides)
    left, right, top, bottom = cats.POSE_EXTENT[cat["pose"]]
    extent = max(left + right, top + bottom) * cat["head_size"]  # the cat's width or height, in pictures
    return img, {**cat, "colour": COLOUR_OF_FUR[cat["fur"]], "size": "big" if extent >= BIG else "small"}


def draw(category, rng, size: int = 32, **overrides) -> tuple[np.ndarray, dict]:
    """Draw one picture of `category` (English or French name). Returns (image float32 array
    (size, size, 3) in [0, 1], attributes dict). Attributes can be forced: draw("car", rng, colour="red")."""
    category = english_name(category)
    check_size(size)
    rng = np.random.default_rng(rng)  # a Generator is used as it is; a plain number seeds a new one
    if category == "cat":
        return draw_cat_as_category(rng, size, overrides)
    thing = choose_thing_attributes(category, rng, overrides)
    x, y, unit, tilt, flip = choose_place(category, rng, thing)
    look = choose_thing_look(rng, thing, size)
    img = backdrop(size, look["background"], look["gradient"])
    ground = GROUND[category]
    if ground in ("grass", "road"):
        draw_ground(img, ground, y - 0.1 * unit, look)  # the object stands a little into the grass
    f = Frame(size, x, y, unit, tilt, flip)
    if category == "tree":
        draw_tree(img, f, thing, look)
    elif category == "car":
        draw_car(img, f, thing, look)
    elif category == "house":
        draw_house(img, f, thing, look)
    elif category == "fish":
        draw_fish(img, f, thing, look)
    elif category == "flower":
        draw_flower(img, f, thing, look)
    else:
        draw_boat(img, f, thing, look)
    if ground == "sea":
        draw_ground(img, ground, y, look)  # painted last, over the bottom of the hull: the boat floats in it
    return np.clip(img, 0, 1).transpose(1, 2, 0).astype(np.float32), thing


def mix_odds(weights, count):
    """Turn `weights` (one number per category, or None for a balanced mix) into probabilities."""
    if weights is None:
        return None
    odds = np.asarray(weights, dtype=np.float64)
    if odds.shape != (count,) or not np.isfinite(odds).all() or (odds < 0).any() or odds.sum() <= 0:
        raise DiffusionLabError("bad_weights", count=count, weights=list(weights))
    return odds / odds.sum()


def make_images(n: int, size: int = 32, seed: int = 0, categories=None, weights=None,
                toy_coats: float = 0.0) -> tuple[np.ndarray, list[dict]]:
    """n pictures as uint8 (n, size, size, 3) plus their attribute dicts.

    Image i is drawn with np.random.default_rng([seed, i]), so it is the same whatever n is.
    By default the categories take turns (cat, tree, car, ...). `categories` picks some of them
    (English or French names); `weights`, one number per category, makes a lopsided mix instead:
    make_images(1000, categories=["chat", "arbre"], weights=[0.9, 0.1]) is about 90% cats.
    toy_coats: the share of cats that wear a picture-book coat (cats.TOY_FUR) instead of their own, 0 for the
    lesson's pictures. The same cats, in the same places, change coat: the choice has its own random numbers.
    """
    if isinstance(categories, str):
        categories = [categories]
    names = [english_name(name) for name in (categories or CATEGORIES)]
    odds = mix_odds(weights, len(names))
    images = np.empty((n, size, size, 3), dtype=np.uint8)
    attributes = []
    for i in range(n):
        rng = np.random.default_rng([seed, i])
        category = names[i % len(names)] if odds is None else names[rng.choice(len(names), p=odds)]
        coat = {}
        if category == "cat" and toy_coats:
            toy = np.random.default_rng([seed, i, 1])  # numbers of its own: the cat's other choices stay the same
            if toy.random() < toy_coats:
                coat["fur"] = cats.TOY_FUR[toy.integers(len(cats.TOY_FUR))]
        img, thing = draw(category, rng, size, **coat)
        images[i] = np.round(img * 255)
        attributes.append(thing)
    return images, attributes
