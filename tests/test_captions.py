"""Captions: French grammar, determinism, a word for every attribute, and reading prompts back."""
import re

import numpy as np
import pytest

from diffusion_lab.pictures import captions as C
from diffusion_lab.pictures.categories import (
    BACKGROUNDS,
    CATEGORIES,
    CATEGORY_CHOICES,
    COLOUR_OF_FUR,
    COLOURS,
    MIN_THING_CONTRAST,
    plain,
)

NOT_SAID = {"tail_side"}  # attributes a caption never mentions (which way a cat's tail goes)


def random_attrs(rng, category):
    """An attribute dict with a random value for every attribute of the category."""
    attrs = {key: values[rng.integers(len(values))] for key, values in CATEGORY_CHOICES[category].items()}
    if category == "cat":
        attrs["colour"] = COLOUR_OF_FUR[attrs["fur"]]  # a cat's colour is its coat's
    return attrs


def many_attrs(n=1400, seed=0):
    rng = np.random.default_rng(seed)
    return [random_attrs(rng, CATEGORIES[i % len(CATEGORIES)]) for i in range(n)]


@pytest.fixture
def say_everything(monkeypatch):
    """Name every attribute, so that a caption's noun phrase is known in advance."""
    for name in ("P_COLOUR", "P_SIZE", "P_DETAIL", "P_BACKGROUND"):
        monkeypatch.setattr(C, name, 1.0)


@pytest.mark.parametrize("attrs, phrase", [
    ({"category": "car", "colour": "red", "size": "small", "background": "yellow"}, r"une petite (voiture|auto) rouge"),
    ({"category": "house", "colour": "white", "size": "big", "background": "light blue"}, r"une (grande|grosse) maison "
                                                                                          r"blanche"),
    ({"category": "tree", "colour": "green", "size": "small", "background": "red"}, r"un petit arbre vert"),
    ({"category": "flower", "colour": "purple", "size": "small", "background": "yellow"}, r"une petite fleur violette"),
    ({"category": "fish", "colour": "yellow", "size": "small", "pattern": "stripes", "background": "red"},
     r"un petit poisson jaune à rayures"),
    ({"category": "cat", "colour": "orange", "fur": "ginger", "size": "small", "eye_colour": "green",
      "background": "blue"},
     r"un petit (chat|minou) roux aux yeux verts"),
    ({"category": "cat", "colour": "blue", "fur": "blue", "size": "big", "eye_colour": "yellow", "background": "pink"},
     r"un (gros|grand) (chat|minou) bleu aux yeux jaunes"),  # a toy coat is said with its colour word
    ({"category": "house", "colour": "yellow", "size": "big", "roof": "black", "background": "light blue"},
     r"une (grande|grosse) maison jaune au toit noir"),
    ({"category": "car", "colour": "green", "size": "big", "kind": "van", "background": "orange"},
     r"une (grande|grosse) camionnette verte"),
    ({"category": "boat", "colour": "white", "size": "small", "kind": "sailboat", "background": "orange"},
     r"un petit voilier blanc"),
])
def test_french_adjectives_agree_with_the_noun(say_everything, attrs, phrase):
    for seed in range(20):  # every template and synonym
        text = C.caption(attrs, "fr", seed)
        assert re.search(phrase, text), text


def test_french_background_and_elision(say_everything):
    attrs = {"category": "tree", "colour": "green", "size": "small", "background": "light blue"}
    texts = [C.caption(attrs, "fr", seed) for seed in range(60)]
    assert all(re.search(r"fond (bleu clair|bleu ciel)$", t) for t in texts), texts  # "fond" is masculine
    assert any("d'un petit arbre" in t for t in texts)  # "de un" -> "d'un"
    assert not any(re.search(r"\bde une?\b", t) for t in texts)


def test_english_a_and_an(say_everything):
    texts = [C.caption({"category": "fish", "colour": "orange", "size": "big", "background": "orange"}, "en", s)
             for s in range(40)]
    assert any(t.startswith("a big orange "
                            "fish") or t.endswith("of a big orange fish on an orange background") for t in texts)
    assert not any(re.search(r"\ba [aeiou]", t) for t in texts), texts


def test_captions_are_deterministic_different_and_half_french():
    attrs = many_attrs(7)[0]
    first = C.captions(attrs, 6, seed=3)
    assert first == C.captions(attrs, 6, seed=3)
    assert first != C.captions(attrs, 6, seed=4)
    assert len(set(first)) == 6
    french = [t for t in first if t.startswith(("un ", "une "))]  # every French caption starts so, no English one does
    assert len(french) == 3, first


def test_every_attribute_value_has_words_in_both_languages():
    tables = {"colour": C.COLOUR_WORDS, "background": C.BACKGROUND_WORDS, "size": C.SIZE_WORDS, "fur": C.FUR_WORDS,
              **C.DETAIL_WORDS}
    for category in CATEGORIES:
        assert C.NOUNS[category]["en"] and C.NOUNS[category]["fr"] and C.NOUNS[category]["gender"] in ("m", "f")
        for key, values in CATEGORY_CHOICES[category].items():
            if key in NOT_SAID or key == "category":
                continue
            table = C.KINDS[category] if key == "kind" else tables[key]
            for value in values:
                assert table[value]["en"] and table[value]["fr"], (category, key, value)


def test_every_attribute_gets_said_sometimes():
    said, rng = {}, np.random.default_rng(0)
    for attrs in many_attrs(700):
        for key in C.describe(attrs, "en", rng)[1]:
            said[key] = said.get(key, 0) + 1
    assert set(said) >= {"category", "colour", "background", "size", "fur", "kind", "eye_colour", "roof", "pattern"}
    assert said["colour"] > 0.7 * said["category"] and said["background"] > 0.3 * said["category"]


def test_parse_prompt_reads_back_what_a_caption_says():
    rng = np.random.default_rng(1)
    for attrs in many_attrs():
        for language in ("en", "fr"):
            text, named = C.describe(attrs, language, rng)
            assert C.parse_prompt(text) == named, (text, named)


def test_parse_prompt_is_forgiving_and_finds_only_what_is_there():
    assert C.parse_prompt("Un CHAT tigre 😺 sur fond bleu clair !") == {
        "category": "cat", "fur": "tabby", "colour": "brown", "background": "light blue"}
    assert C.parse_prompt("two red cars") == {"category": "car", "colour": "red"}
    assert C.parse_prompt("une image d'un grand sapin") == {"category": "tree", "kind": "pine", "size": "big"}
    assert C.parse_prompt("a cat with green "
                          "eyes") == {"category": "cat", "eye_colour": "green"}  # green is not its colour
    assert C.parse_prompt("a unicorn") == {} and C.parse_prompt("") == {}


def test_held_out_combinations_are_real_pictures_one_per_category():
    assert sorted(category for category, _ in C.HELD_OUT_COMBINATIONS) == sorted(CATEGORIES)
    for category, colour in C.HELD_OUT_COMBINATIONS:
        assert colour in CATEGORY_CHOICES[category]["colour"]
        # the word is learnt elsewhere
        assert sum(colour in CATEGORY_CHOICES[other]["colour"] for other in CATEGORIES if other != category) >= 1
    assert C.is_held_out({"category": "car", "colour": "blue", "background": "yellow"})
    assert (not C.is_held_out({"category": "car", "colour": "red"})
            and not C.is_held_out({"category": "fish", "colour": "blue"}))


def test_held_out_paraphrases_are_never_produced_by_the_templates():
    vocabulary, produced = set(), set()
    for i, attrs in enumerate(many_attrs(3000, seed=2)):
        for text in C.captions(attrs, 4, seed=i):
            produced.add(text)
            vocabulary.update(re.findall(r"[a-z]+", plain(text)))
    for language, pairs in C.HELD_OUT_PARAPHRASES.items():
        assert len(pairs) >= 8
        for prompt, attrs in pairs:
            assert prompt not in produced
            new_words = set(re.findall(r"[a-z]+", plain(prompt))) - vocabulary
            assert new_words, f"{prompt!r} only uses template words"
            # and it asks for a picture training has: a known pair, a background the object stands out on
            assert not C.is_held_out(attrs) and attrs["colour"] in CATEGORY_CHOICES[attrs["category"]]["colour"], prompt
            if "background" in attrs:
                distance = np.linalg.norm(np.subtract(COLOURS[attrs["colour"]], BACKGROUNDS[attrs["background"]]))
                assert distance >= MIN_THING_CONTRAST, prompt


def test_bad_language_is_refused():
    with pytest.raises(ValueError, match="'en' or 'fr'"):
        C.caption({"category": "car", "colour": "red", "background": "yellow"}, "de")
