import warnings

import pytest
import torch
from PIL import Image

from diffusion_lab import DiffusionLabError
from diffusion_lab.data import chelsea, image_folder, load_dataset, load_image, procedural_cats


def test_procedural_cats_are_deterministic_and_cached():
    a, attrs = procedural_cats(12, 32, seed=3)
    procedural_cats.cache_clear()
    b, _ = procedural_cats(12, 32, seed=3)  # this time from the disk cache
    assert a.dtype == torch.uint8 and a.shape == (12, 3, 32, 32)
    assert torch.equal(a, b) and len(attrs) == 12
    assert not torch.equal(a, procedural_cats(12, 32, seed=4)[0])


def test_chelsea_is_shipped():
    cat = chelsea(64)
    assert cat.shape == (3, 64, 64) and cat.dtype == torch.uint8 and cat.float().std() > 10


def test_image_folder_resizes_and_converts(tmp_path, capsys):
    Image.new("RGB", (50, 40), "red").save(tmp_path / "a.png")
    Image.new("L", (20, 30), 128).save(tmp_path / "b.jpg")
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "broken.png").write_bytes(b"not really a png")
    images = image_folder(tmp_path, 16)
    assert images.shape == (2, 3, 16, 16)
    out = capsys.readouterr().out
    assert "Skipped 1" in out and "broken.png" in out and "Converted 1" in out


def test_a_decompression_bomb_gets_one_sentence_and_is_skipped_in_a_folder(tmp_path, monkeypatch, capsys):
    """Pillow refuses pictures of more than 2 * MAX_IMAGE_PIXELS pixels: made small here, rather than a huge file."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    Image.new("1", (50, 50)).save(tmp_path / "huge.png")  # 2500 pixels: more than 2 * 1000
    Image.new("RGB", (20, 20), "red").save(tmp_path / "good.png")
    with pytest.raises(DiffusionLabError) as refused:
        load_image(tmp_path / "huge.png")
    said = str(refused.value)
    assert refused.value.key == "image_too_big" and "huge.png" in said and "smaller copy" in said
    images = image_folder(tmp_path, 16)  # the good picture still trains
    assert images.shape == (1, 3, 16, 16)
    out = capsys.readouterr().out
    assert "Skipped 1" in out and "huge.png" in out


def test_a_very_large_image_gets_our_sentence_not_pillows_warning(tmp_path, monkeypatch, capsys):
    """Between MAX_IMAGE_PIXELS and twice that, Pillow warns about a "DOS attack" with a path into site-packages."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    Image.new("RGB", (40, 40), "blue").save(tmp_path / "big.png")  # 1600 pixels: opened, but with a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning that gets out fails the test
        assert load_image(tmp_path / "big.png", 16).shape == (3, 16, 16)
        assert "very large" in capsys.readouterr().out
        image_folder(tmp_path, 16)
    out = capsys.readouterr().out
    assert "1 very large image(s)" in out and "big.png" in out and "DOS" not in out


def test_empty_folder(tmp_path):
    with pytest.raises(DiffusionLabError, match="No images found"):
        image_folder(tmp_path)


def test_folder_of_non_images(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"\x00" * 100)
    with pytest.raises(DiffusionLabError, match="could be opened"):
        image_folder(tmp_path)


def test_missing_folder(tmp_path):
    with pytest.raises(DiffusionLabError, match="does not exist"):
        image_folder(tmp_path / "nowhere")


def test_unknown_dataset():
    with pytest.raises(DiffusionLabError, match="cifar10-cats"):
        load_dataset("dogs")


def test_cifar10_without_the_files_says_what_to_do(tmp_path):
    from diffusion_lab.data import cifar10_cats
    with pytest.raises(DiffusionLabError, match="--dataset cats"):
        cifar10_cats(root=tmp_path, download=False)  # nothing downloaded: the offline case


def test_nearest_neighbours_finds_the_copy():
    from diffusion_lab.data import nearest_neighbours
    images = (torch.rand(50, 3, 8, 8) * 255).to(torch.uint8)
    queries = images[[7, 30]].float() / 127.5 - 1  # two training images, as a sampler would return them
    distances, indices = nearest_neighbours(queries, images, k=2)
    # a copy reads exactly 0, on any CPU
    assert indices[:, 0].tolist() == [7, 30] and distances[:, 0].tolist() == [0.0, 0.0]
    assert (distances[:, 1] > distances[:, 0]).all()
    exact = ((queries[:, None] - (images[None].float() / 127.5 - 1)) ** 2).flatten(2).sum(2).sqrt()  # (2, 50), by hand
    assert torch.allclose(distances, exact.sort(dim=1).values[:, :2], atol=1e-5)


def test_the_smaller_world_draws_portraits_only_with_the_same_coats():
    faces, attributes = procedural_cats(40, 32, seed=5, pose="face")
    assert faces.shape == (40, 3, 32, 32) and {a["pose"] for a in attributes} == {"face"}
    everything = procedural_cats(40, 32, seed=5)[1]
    assert len({a["pose"] for a in everything}) > 1
    # forcing the pose keeps every other random choice: the same coats and eyes, cat by cat
    assert [a["fur"] for a in attributes] == [a["fur"] for a in everything]
    assert torch.equal(load_dataset("cat-faces", 32, 40, seed=5), faces)
