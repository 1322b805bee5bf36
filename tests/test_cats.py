"""Tests for the procedural cats (diffusion_lab/pictures/cats.py)."""
import json
import time

import numpy as np
import pytest

from diffusion_lab.pictures import cats
from diffusion_lab.pictures.cats import BACKGROUNDS, EARS, EYE_COLOURS, FUR, POSES, draw_cat, make_cats

CATEGORICAL = {"fur": FUR, "eye_colour": EYE_COLOURS, "ears": EARS, "pose": POSES,
               "background": tuple(BACKGROUNDS), "tail_side": cats.TAIL_SIDES}
# Two cats whose attributes all match and only the small random details differ are about 1.4 to 4
# apart (L2 over all pixels in [0, 1] at 32x32); a real near-duplicate would be closer than this.
NEAR_DUPLICATE = 2.0


def min_pairwise_distance(images):
    """Smallest L2 distance between two different images of a batch (pixels scaled to [0, 1])."""
    x = images.reshape(len(images), -1).astype(np.float64) / 255
    sq = (x * x).sum(1)
    d2 = sq[:, None] + sq[None, :] - 2 * x @ x.T
    np.fill_diagonal(d2, np.inf)
    return float(np.sqrt(max(d2.min(), 0.0)))


@pytest.mark.parametrize("size", [32, 64])
def test_shapes_dtype_and_range(size):
    images, attributes = make_cats(6, size, seed=1)
    assert images.shape == (6, size, size, 3) and images.dtype == np.uint8
    assert len(attributes) == 6
    img, cat = draw_cat(np.random.default_rng(0), size)
    assert img.shape == (size, size, 3) and img.dtype == np.float32
    assert 0.0 <= img.min() and img.max() <= 1.0 and np.isfinite(img).all()


def test_default_size_is_32():
    img, _ = draw_cat(np.random.default_rng(0))
    assert img.shape == (32, 32, 3)
    assert make_cats(2)[0].shape == (2, 32, 32, 3)


def test_draw_cat_is_deterministic_per_generator_state():
    img1, cat1 = draw_cat(np.random.default_rng([9, 9]), 64)
    img2, cat2 = draw_cat(np.random.default_rng([9, 9]), 64)
    assert np.array_equal(img1, img2) and cat1 == cat2


def test_subset_consistency():
    small, attr_small = make_cats(10, seed=5)
    large, attr_large = make_cats(20, seed=5)
    assert np.array_equal(small, large[:10])
    assert attr_small == attr_large[:10]


def test_image_i_uses_rng_seed_i():
    images, attributes = make_cats(5, seed=2)
    img, cat = draw_cat(np.random.default_rng([2, 4]), 32)
    assert np.array_equal(images[4], np.round(img * 255).astype(np.uint8))
    assert cat == attributes[4]


def test_every_attribute_present_valid_and_json_friendly():
    _, attributes = make_cats(300, seed=0)
    for cat in attributes:
        assert cat["category"] == "cat"
        for name, values in CATEGORICAL.items():
            assert type(cat[name]) is str and cat[name] in values, (name, cat[name])
        for name in ("head_size", "tilt", "x", "y"):
            assert type(cat[name]) is float, (name, type(cat[name]))
        assert 0.05 < cat["head_size"] < 0.4
        assert -45 <= cat["tilt"] <= 45
        assert 0.0 <= cat["x"] <= 1.0 and 0.0 <= cat["y"] <= 1.0
        assert json.loads(json.dumps(cat)) == cat


def test_attribute_names_are_simple_lowercase_words():
    for values in CATEGORICAL.values():
        for value in values:
            assert value == value.lower() and all(word.isalpha() for word in value.split(" ")), value


def test_background_always_contrasts_with_the_fur():
    _, attributes = make_cats(400, seed=7)
    for cat in attributes:
        assert cats.coat_contrast(cat["fur"], cat["background"]) >= cats.MIN_COAT_CONTRAST, cat
    assert all(cat["background"] != "dark blue" for cat in attributes if cat["fur"] == "black")
    for fur in FUR:  # every coat still has several backgrounds to choose from
        assert len(cats.GOOD_BACKGROUNDS[fur]) >= 5, fur


def test_forced_background_picks_a_fur_that_stands_out():
    for i in range(40):
        _, cat = draw_cat(np.random.default_rng(i), background="dark blue")
        assert cat["background"] == "dark blue" and cat["fur"] not in ("black", "black and white")


@pytest.mark.parametrize("overrides", [
    {"fur": "black", "background": "yellow", "pose": "face"},
    {"fur": "calico", "eye_colour": "blue", "ears": "folded", "pose": "sitting"},
    {"fur": "siamese", "pose": "lying", "tail_side": "left"},
    {"fur": "tabby", "pose": "standing", "background": "pink", "ears": "rounded"},
    {"head_size": 0.2, "tilt": -10.0, "x": 0.4, "y": 0.35},
])
def test_overrides_are_honoured(overrides):
    for i in range(5):
        _, cat = draw_cat(np.random.default_rng(i), 32, **overrides)
        for name, value in overrides.items():
            assert cat[name] == value, (name, cat[name], value)


def test_attribute_dict_redraws_the_same_cat():
    for i in range(10):
        img, cat = draw_cat(np.random.default_rng([1, i]), 32)
        again, cat_again = draw_cat(np.random.default_rng([1, i]), 32, **cat)
        assert np.array_equal(img, again) and cat == cat_again


def test_every_value_can_be_forced():
    for name, values in CATEGORICAL.items():
        for value in values:
            img, cat = draw_cat(np.random.default_rng(0), 32, **{name: value})
            assert cat[name] == value and img.shape == (32, 32, 3)


def test_forcing_the_pose_keeps_the_other_choices():
    for i in range(20):
        _, free = draw_cat(np.random.default_rng(i))
        for pose in POSES:
            _, forced = draw_cat(np.random.default_rng(i), pose=pose)
            for name in ("fur", "eye_colour", "ears", "background"):
                assert forced[name] == free[name]


def test_overrides_change_the_picture():
    black, _ = draw_cat(np.random.default_rng(1), fur="black", background="yellow", pose="sitting")
    white, _ = draw_cat(np.random.default_rng(1), fur="white", background="yellow", pose="sitting")
    assert np.abs(black - white).sum(-1).max() > 1.5  # somewhere the cat went from black to white
    face, _ = draw_cat(np.random.default_rng(1), fur="black", background="yellow", pose="face")
    assert np.abs(black - face).mean() > 0.1


@pytest.mark.parametrize("overrides, words", [
    ({"fur": "tartan"}, ["fur", "ginger", "tabby"]),
    ({"pose": "flying"}, ["pose", "sitting"]),
    ({"background": "Blue"}, ["background", "blue"]),
    ({"colour": "black"}, ["colour", "fur", "eye_colour"]),
    ({"head_size": 2}, ["head_size"]),
    ({"tilt": "left"}, ["tilt"]),
    ({"x": True}, ["x"]),
])
def test_bad_override_raises_a_clear_value_error(overrides, words):
    with pytest.raises(ValueError) as error:
        draw_cat(np.random.default_rng(0), **overrides)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("size", [0, 4, 32.0, "32"])
def test_bad_size_raises_value_error(size):
    with pytest.raises(ValueError, match="size"):
        draw_cat(np.random.default_rng(0), size)


def test_variety_of_attribute_combinations():
    _, attributes = make_cats(200, seed=11)
    combos = {tuple(cat[k] for k in CATEGORICAL) for cat in attributes}
    assert len(combos) >= 190  # almost every cat has its own combination
    for name, values in CATEGORICAL.items():  # and every value shows up
        assert {cat[name] for cat in attributes} == set(values), name
    for name in ("head_size", "tilt", "x", "y"):
        numbers = [cat[name] for cat in attributes]
        assert len(set(numbers)) >= 150 and np.std(numbers) > 0.01, name  # (values are rounded to 4 decimals)


def test_no_near_duplicates():
    images, _ = make_cats(500, seed=0)
    assert min_pairwise_distance(images) > NEAR_DUPLICATE


def test_near_duplicate_check_can_fail():
    images, _ = make_cats(20, seed=0)
    images[7] = images[3]
    assert min_pairwise_distance(images) < NEAR_DUPLICATE


def test_cat_stands_out_from_the_background():
    images, _ = make_cats(100, seed=3)
    for img in images.astype(np.float64) / 255:
        corner = img[0, 0]  # the top corners are background in every pose
        changed = np.abs(img - corner).sum(-1) > 0.25
        assert 0.08 < changed.mean() < 0.85


def test_edges_are_anti_aliased():
    img = np.zeros((3, 32, 32), np.float32)
    frame = cats.Frame(32, 0.5, 0.5, 1 / 32)  # one unit = one pixel
    cats.paint(img, cats.circle(frame, 0.3, 0.2, 6.0), np.ones(3, np.float32))
    coverage = img[0]
    assert abs(coverage.sum() - np.pi * 36) < 0.5  # the painted area is the circle's area
    assert ((coverage > 0.05) & (coverage < 0.95)).sum() >= 20  # with soft edge pixels
    cat, _ = draw_cat(np.random.default_rng(0), 32)
    assert len(np.unique(np.round(cat * 255).reshape(-1, 3), axis=0)) > 100  # not a handful of flat colours


def test_shape_primitives_signs():
    frame = cats.Frame(16, 0.5, 0.5, 0.25)
    centre = (slice(7, 9), slice(7, 9))
    corner = (0, 0)
    for d in (cats.circle(frame, 0, 0, 1), cats.ellipse(frame, 0, 0, 1, 0.5),
              cats.triangle(frame, (-1, 1), (1, 1), (0, -1)), cats.capsule(frame, (-1, 0), (1, 0), 0.3)):
        assert (d[centre] < 0).all() and d[corner] > 0


def test_speed():
    make_cats(5)
    start = time.perf_counter()
    make_cats(300, 32)
    assert time.perf_counter() - start < 3.0  # about 0.3 s on a 2-core laptop
