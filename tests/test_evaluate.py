"""The quality meter: the Frechet distance against scipy's matrix square root, its own properties, and the
classifier."""
import pytest
import torch
from scipy import linalg

from diffusion_lab.data import load_dataset
from diffusion_lab.evaluate import (
    Classifier,
    frechet_distance,
    load_classifier,
    look,
    per_class_accuracy,
    save_classifier,
)
from diffusion_lab.messages import DiffusionLabError


def scipy_frechet(a, b):
    """The textbook formula, with scipy's general matrix square root (as FID implementations do)."""
    a, b = a.double().numpy(), b.double().numpy()
    cov_a, cov_b = torch.cov(torch.from_numpy(a).T).numpy(), torch.cov(torch.from_numpy(b).T).numpy()
    root = linalg.sqrtm(cov_a @ cov_b).real
    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + (cov_a + cov_b - 2 * root).trace())


def features(n, d=16, seed=0, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    mixing = torch.randn(d, d, generator=g) * scale
    return torch.randn(n, d, generator=g) @ mixing + torch.randn(d, generator=g)


def test_frechet_distance_matches_scipy():
    a, b = features(500, seed=0), features(400, seed=1, scale=0.5)
    assert frechet_distance(a, b) == pytest.approx(scipy_frechet(a, b), rel=1e-6)


def test_frechet_distance_properties():
    a, b = features(300, seed=2), features(300, seed=3)
    assert abs(frechet_distance(a, a)) < 1e-6                                           # same set: 0
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(b, a), rel=1e-6)    # symmetric
    shift = torch.full((16,), 0.5)
    assert frechet_distance(a, a + shift) == pytest.approx(16 * 0.25, rel=1e-6)         # same shape, moved: |shift|^2
    assert frechet_distance(a + shift, b + shift) == pytest.approx(frechet_distance(a, b), rel=1e-6)
    assert frechet_distance(a, 2 * a) > frechet_distance(a, 1.1 * a) > 0               # further apart, larger


def test_per_class_accuracy_counts_only_the_images_asked_for_each_class():
    wanted = torch.tensor([0, 0, 0, 0, 1, 1])
    predicted = torch.tensor([0, 0, 1, 0, 1, 0])
    assert per_class_accuracy(predicted, wanted, ["cat", "tree", "car"]) == {"cat": 0.75, "tree": 0.5}


def test_the_classifier_gives_features_and_classes_and_survives_a_half_precision_round_trip(tmp_path):
    torch.manual_seed(0)
    model = Classifier(["cat", "tree", "car"]).eval()
    images = torch.randint(0, 256, (5, 3, 32, 32), dtype=torch.uint8)
    feats, predicted = look(model, images)
    assert feats.shape == (5, 128) and predicted.shape == (5,) and predicted.max() < 3
    loaded = load_classifier(save_classifier(model, tmp_path / "c.pt"))
    assert loaded.classes == ["cat", "tree", "car"]
    assert torch.allclose(look(loaded, images)[0], feats, atol=0.05 * feats.abs().max().item())


def test_a_file_that_is_not_a_classifier_is_refused(tmp_path):
    torch.save({"weights": {}}, tmp_path / "other.pt")
    with pytest.raises(DiffusionLabError, match="not a diffusion-lab"):
        load_classifier(tmp_path / "other.pt")
    with pytest.raises(DiffusionLabError, match="No checkpoint"):
        load_classifier(tmp_path / "missing.pt")


def test_diversity_is_zero_for_copies_and_grows_with_spread():
    from diffusion_lab.evaluate import diversity
    labels = torch.tensor([0, 0, 0, 1, 1, 1])
    copies = torch.zeros(6, 3, 4, 4)
    assert diversity(copies, labels) == 0
    spread = torch.randn(6, 3, 4, 4, generator=torch.Generator().manual_seed(0))
    assert diversity(0.5 * spread, labels) == pytest.approx(diversity(spread, labels) / 2, rel=1e-5)
    assert diversity(spread, labels) > 0


def test_extra_heads_read_attributes_and_alignment_counts_what_was_asked(tmp_path):
    from diffusion_lab.evaluate import alignment, attribute_targets, read
    torch.manual_seed(0)
    vocabulary = {"colour": ["red", "blue"]}
    model = Classifier(["cat", "car"], attributes=vocabulary).eval()
    with torch.no_grad():  # make the heads answer by a rule we know: category from the bias, colour from the bias
        model.head.weight.zero_(), model.head.bias.copy_(torch.tensor([0.0, 1.0]))           # always "car"
        model.extra["colour"].weight.zero_(), model.extra["colour"].bias.copy_(torch.tensor([1.0, 0.0]))  # always "red"
    images = torch.zeros(4, 3, 32, 32)
    assert read(model, images) == {"category": ["car"] * 4, "colour": ["red"] * 4}
    asked = [{"category": "car", "colour": "red"}, {"category": "car", "colour": "blue"},
             {"category": "cat"}, {"category": "car", "background": "pink"}]  # background: no head, skipped
    assert alignment(model, images, asked) == {"category": 0.75, "colour": 0.5}
    loaded = load_classifier(save_classifier(model, tmp_path / "c.pt"))
    assert loaded.attributes == vocabulary and read(loaded, images) == read(model, images)
    assert attribute_targets([{"colour": "blue"}, {"colour": "red"}], vocabulary)["colour"].tolist() == [1, 0]


def test_a_model_of_the_smaller_world_is_held_against_real_portraits():
    from diffusion_lab.evaluate import real_pictures_like
    from diffusion_lab.presets import preset
    faces, labels = real_pictures_like(preset("latent-cats").changed(dataset="cat-faces"), 16)
    assert torch.equal(faces, load_dataset("cat-faces", 32, 16, seed=1)) and set(labels.tolist()) == {0}
    everything, labels = real_pictures_like(preset("cats"), 70)
    assert len(set(labels.tolist())) == 7  # every category, as before
