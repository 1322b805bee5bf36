"""Tests for the seven procedural categories (diffusion_lab/pictures/categories.py) and their cached dataset."""
import hashlib
import json
from collections import Counter

import numpy as np
import pytest
import torch

from diffusion_lab import messages
from diffusion_lab.data import procedural_categories
from diffusion_lab.messages import DiffusionLabError
from diffusion_lab.pictures import categories, cats
from diffusion_lab.pictures.categories import (
    CATEGORIES,
    CATEGORY_CHOICES,
    COLOURS,
    FRENCH,
    draw,
    label_of,
    make_images,
    name_of,
)

REQUIRED = ("category", "colour", "background", "size")


@pytest.fixture(scope="module")
def mix():
    """A few hundred pictures of every category, drawn once for the tests that only look at them."""
    return make_images(7 * 50, 32, seed=11)


def test_labels_never_change():
    # Shipped models learnt these label numbers: reordering the tuple would make them draw the wrong things.
    assert CATEGORIES == ("cat", "tree", "car", "house", "fish", "flower", "boat")
    assert [FRENCH[c] for c in CATEGORIES] == ["chat", "arbre", "voiture", "maison", "poisson", "fleur", "bateau"]


@pytest.mark.parametrize("size", [32, 64])
@pytest.mark.parametrize("category", CATEGORIES)
def test_shapes_dtype_and_range(category, size):
    img, thing = draw(category, np.random.default_rng(2), size)
    assert img.shape == (size, size, 3) and img.dtype == np.float32
    assert 0.0 <= img.min() and img.max() <= 1.0 and np.isfinite(img).all()
    assert thing["category"] == category


def test_make_images_shape_and_dtype():
    for size in (32, 64):
        images, attributes = make_images(7, size, seed=1)
        assert images.shape == (7, size, size, 3) and images.dtype == np.uint8 and len(attributes) == 7


@pytest.mark.parametrize("make", [make_images, cats.make_cats], ids=["categories", "cats"])
def test_same_seed_same_pictures_and_different_seed_differs(make):
    a, attr_a = make(14, seed=3)
    b, attr_b = make(14, seed=3)
    c, _ = make(14, seed=4)
    assert a.tobytes() == b.tobytes() and attr_a == attr_b
    assert all(not np.array_equal(a[i], c[i]) for i in range(14))


def test_picture_i_does_not_depend_on_n():
    small, attr_small = make_images(9, seed=5)
    large, attr_large = make_images(20, seed=5)
    assert np.array_equal(small, large[:9]) and attr_small == attr_large[:9]


def test_attributes_are_documented(mix):
    _, attributes = mix
    for thing in attributes:
        assert set(REQUIRED) <= set(thing)
        allowed = CATEGORY_CHOICES[thing["category"]]
        assert thing["colour"] in COLOURS and thing["background"] in cats.BACKGROUNDS
        for name, value in thing.items():
            if name in allowed:
                assert value in allowed[name], (name, value)
            else:  # only the cats' numbers (head size, tilt, position) are not in CATEGORY_CHOICES
                assert thing["category"] == "cat" and name in cats.NUMBERS, name
        if thing["category"] != "cat":
            assert len(thing) - len(REQUIRED) in (1, 2)  # one or two attributes of its own


def test_attributes_vary(mix):
    _, attributes = mix
    for category in CATEGORIES[1:]:
        things = [t for t in attributes if t["category"] == category]
        for name in ("size", "kind", "pattern", "facing", "roof"):
            if name in CATEGORY_CHOICES[category]:
                assert {t[name] for t in things} == set(CATEGORY_CHOICES[category][name]), (category, name)
        assert len({t["colour"] for t in things}) >= 4 and len({t["background"] for t in things}) >= 5
    trees = Counter(t["colour"] for t in attributes if t["category"] == "tree")
    assert trees.most_common(1)[0][0] == "green" and len(trees) > 1  # mostly green, some autumn colours


def test_pictures_are_not_near_duplicates(mix):
    images, _ = mix
    x = images.reshape(len(images), -1).astype(np.float64) / 255
    sq = (x * x).sum(1)
    d2 = sq[:, None] + sq[None, :] - 2 * x @ x.T
    np.fill_diagonal(d2, np.inf)
    assert np.sqrt(max(d2.min(), 0)) > 2.0


def test_thing_stands_out_from_the_background(mix):
    images, attributes = mix
    for img, thing in zip(images.astype(np.float64) / 255, attributes):
        if thing["category"] == "cat":
            continue  # tested in test_cats.py
        assert categories.stands_out(thing["colour"], thing["background"]), thing
        main = np.array(COLOURS[thing["colour"]])
        corner = img[0, 0]  # things stay clear of the top corners: this is the backdrop (a little shaded)
        assert np.linalg.norm(corner - main) > 0.3, thing
        near_main = np.linalg.norm(img - main, axis=-1) < 0.25  # pixels of the thing's main colour
        # the named colour is really painted (a small tulip has about 10 such pixels)
        assert near_main.sum() >= 6, thing


def test_size_attribute_matches_the_picture():
    widths = {"small": [], "big": []}
    images, attributes = make_images(60, 32, seed=2, categories=["fish"])  # no ground: every change is the fish
    for img, thing in zip(images.astype(np.float64) / 255, attributes):
        changed = np.abs(img - img[0, 0]).sum(-1) > 0.3
        rows, cols = np.nonzero(changed)
        widths[thing["size"]].append(max(np.ptp(rows), np.ptp(cols)) / 32)
    assert np.mean(widths["big"]) > np.mean(widths["small"]) + 0.12


def test_balanced_default_mix():
    _, attributes = make_images(21, seed=0)
    assert [t["category"] for t in attributes] == list(CATEGORIES) * 3


def test_weights_make_a_lopsided_mix():
    _, attributes = make_images(300, seed=1, categories=["chat", "arbre"], weights=[0.9, 0.1])
    counts = Counter(t["category"] for t in attributes)
    assert set(counts) == {"cat", "tree"} and 0.83 < counts["cat"] / 300 < 0.97
    assert make_images(300, seed=1, categories=["cat", "tree"], weights=[9, 1])[1] == attributes  # odds, not sums
    _, attributes = make_images(40, seed=1, weights=[1, 0, 1, 1, 1, 1, 1])
    assert "tree" not in {t["category"] for t in attributes}
    for bad in ([1, 2], [0] * 7, [-1, 1, 1, 1, 1, 1, 1]):
        with pytest.raises(DiffusionLabError):
            make_images(3, weights=bad)


def test_french_names_and_labels():
    _, attributes = make_images(6, categories=["chat", "ARBRE", "Voiture"])
    assert [t["category"] for t in attributes] == ["cat", "tree", "car"] * 2
    assert draw("poisson", 0)[1]["category"] == "fish"
    for label, english in enumerate(CATEGORIES):
        assert label_of(english) == label_of(FRENCH[english].upper()) == label
        assert name_of(label) == english and name_of(label, "fr") == FRENCH[english]
    assert label_of("  Bâteau ") == 6  # accents and spaces are forgiven


@pytest.mark.parametrize("language", ["en", "fr"])
def test_unknown_name_lists_the_names_in_both_languages(language, monkeypatch):
    monkeypatch.setattr(messages, "_language", language)
    for call in (lambda: label_of("chien"), lambda: make_images(2, categories=["cat", "dog"]),
                 lambda: draw("unicorn", 0), lambda: name_of(7)):
        with pytest.raises(DiffusionLabError) as error:
            call()
        assert error.value.key == "unknown_category"
        assert all(f"{english}/{FRENCH[english]}" in str(error.value) for english in CATEGORIES)
    assert ("Catégorie inconnue" in str(error.value)) == (language == "fr")


def test_cats_are_unchanged():
    images, attributes = make_images(14, seed=3)
    cat_images, cat_attributes = cats.make_cats(14, seed=3)
    for i in (0, 7):  # picture i of a balanced mix is a cat drawn with the same generator as cats.make_cats
        assert np.array_equal(images[i], cat_images[i])
        assert {k: v for k, v in attributes[i].items() if k not in ("colour", "size")} == cat_attributes[i]
        assert attributes[i]["colour"] == categories.COLOUR_OF_FUR[cat_attributes[i]["fur"]]
    img, cat = draw("cat", np.random.default_rng([1, 2]), 64)
    assert np.array_equal(img, cats.draw_cat(np.random.default_rng([1, 2]), 64)[0])


def test_toy_coats_dress_the_same_cats_and_nothing_else():
    images, attributes = make_images(140, seed=5)
    toys, toy_attributes = make_images(140, seed=5, toy_coats=1.0)
    for i in range(140):
        before, after = attributes[i], toy_attributes[i]
        if before["category"] != "cat":
            assert np.array_equal(images[i], toys[i]) and before == after  # only cats change
            continue
        assert after["fur"] in cats.TOY_FUR and after["colour"] == after["fur"]  # "a blue cat" wears a blue coat
        assert cats.coat_contrast(after["fur"], after["background"]) >= cats.MIN_COAT_CONTRAST
        same = lambda a: {k: v for k, v in a.items() if k not in ("fur", "colour", "background")}
        assert same(after) == same(before)  # the same cat, in the same place, in another coat
        main = np.asarray(cats.FUR_RGB[after["fur"]][0])  # and the coat is painted: the colour is in the picture
        assert (np.abs(toys[i] / 255 - main).max(-1) < 0.12).mean() > 0.03
    _, some = make_images(1400, seed=5, toy_coats=0.25)
    share = np.mean([a["fur"] in cats.TOY_FUR for a in some if a["category"] == "cat"])
    assert 0.15 < share < 0.35
    assert all(a["fur"] in cats.FUR for a in make_images(140, seed=5)[1] if a["category"] == "cat")  # the lesson's cats


def test_attributes_can_be_forced():
    rng = lambda: np.random.default_rng(8)
    _, free = draw("fish", rng())
    other = next(p for p in CATEGORY_CHOICES["fish"]["pattern"] if p != free["pattern"])
    _, forced = draw("fish", rng(), pattern=other)
    assert forced["pattern"] == other and {k: v for k, v in forced.items() if k != "pattern"} == \
        {k: v for k, v in free.items() if k != "pattern"}  # forcing one attribute leaves the others alone
    _, car = draw("car", rng(), colour="red", kind="van", facing="left", background="light blue")
    assert (car["colour"], car["kind"], car["facing"], car["background"]) == ("red", "van", "left", "light blue")
    assert draw("chat", rng(), colour="orange")[1]["fur"] == "ginger"
    with pytest.raises(ValueError):
        draw("car", rng(), wings=2)
    with pytest.raises(ValueError):
        draw("tree", rng(), kind="palm")


def test_procedural_categories_are_cached_tensors():
    images, labels, attributes = procedural_categories(14, 32, seed=3, categories=["chat", "boat"])
    assert images.dtype == torch.uint8 and images.shape == (14, 3, 32, 32)
    assert labels.dtype == torch.long and labels.tolist() == [0, 6] * 7
    assert [CATEGORIES[i] for i in labels] == [t["category"] for t in attributes]
    procedural_categories.cache_clear()
    again, labels_again, _ = procedural_categories(14, 32, seed=3, categories=("cat", "bateau"))  # from the disk
    assert torch.equal(images, again) and torch.equal(labels, labels_again)
    pixels, _ = make_images(14, 32, seed=3, categories=["cat", "boat"])
    assert torch.equal(images.permute(0, 2, 3, 1), torch.from_numpy(pixels))  # (N, 3, H, W) of the same pictures
    assert not torch.equal(images, procedural_categories(14, 32, seed=4, categories=["cat", "boat"])[0])


# The drawing tables (colours, what each thing may look like) as each drawing VERSION knows them. The fingerprint
# reads the tables' values, not their names: renaming a table changes no picture, so it needs no new VERSION.
TABLES_OF_VERSION = {"categories": (3, "7014bd447639"), "cats": (2, "c04c30b4b950")}


@pytest.mark.parametrize("module", [categories, cats], ids=["categories", "cats"])
def test_changing_a_drawing_table_means_a_new_version(module):
    """Cached datasets are named by VERSION only (data.py): a table changed without bumping VERSION would silently
    train on the old pictures from the cache. If this fails after a deliberate change: bump VERSION, then update
    TABLES_OF_VERSION with the version and the fingerprint this test prints."""
    tables = [getattr(module, name) for name in dir(module) if name.isupper() and name != "VERSION"]
    values = sorted(json.dumps(table, sort_keys=True, default=lambda a: a.tolist()) for table in tables)  # no names
    fingerprint = hashlib.sha1(json.dumps(values).encode()).hexdigest()[:12]
    name = module.__name__.rsplit(".", 1)[1]
    assert (module.VERSION, fingerprint) == TABLES_OF_VERSION[name], f"{name}: bump VERSION; tables now {fingerprint}"
