"""How much does one sentence vector say about *which* thing has *which* colour?

A probe: a small classifier trained to read the object's main colour from the sentence vectors of the text preset's
training captions, then asked about captions of the held-out pairs (a grey cat, a blue car...;
captions.HELD_OUT_COMBINATIONS) and of pairs it saw. What the probe cannot read from the vector, a denoiser conditioned
on that vector cannot draw either.
A third probe reads the *words*' vectors instead, through one attention layer, as the U-Net's cross-attention does.

    python benchmarks/text_probe.py [--captions 6000] [--steps 3000]
"""
import argparse

import numpy as np
import torch
from common import machine
from torch import nn

from diffusion_lab import PRESETS
from diffusion_lab.data import procedural_categories
from diffusion_lab.pictures.captions import (
    HELD_OUT_COMBINATIONS,
    SEEN_COMBINATIONS,
    captions,
    describe,
    is_held_out,
    parse_prompt,
)
from diffusion_lab.pictures.categories import COLOURS, draw
from diffusion_lab.text import TextEncoder, caption_embeddings

parser = argparse.ArgumentParser()
parser.add_argument("--pictures", type=int, default=6000, help="training pictures whose captions the probe learns from")
parser.add_argument("--steps", type=int, default=3000)
parser.add_argument("--per-pair", type=int, default=30, help="test captions per (category, colour) pair and language")
args = parser.parse_args()
print(machine())
colours = list(COLOURS)

# 1. training captions (their cached vectors) and the colour each one names
settings = PRESETS["text"]
# the text preset's own training data: a CaptionWords bank
_, bank = caption_embeddings(settings, settings.n_images, 32)
_, _, attributes = procedural_categories(settings.n_images, 32)
kept = [i for i, attrs in enumerate(attributes) if not is_held_out(attrs)]
Y, where = [], []
for row in np.random.default_rng(0).choice(len(kept), args.pictures, replace=False):
    i = kept[row]
    for k, text in enumerate(captions(attributes[i], settings.captions_per_image, seed=[0, i])):
        colour = parse_prompt(text).get("colour")
        if colour in colours:
            Y.append(colours.index(colour))
            where.append((row, k))
Y = torch.tensor(Y)
rows, ks = torch.tensor(where).T
W = bank[rows, ks]  # (N, 1 + L, 512): each caption's sentence vector, then its words' vectors
X = W[:, 0]         # (N, 512): the sentence vectors alone
print(f"{len(X)} training captions that name a colour")

# 2. test captions, in the templates' wording
encoder = TextEncoder()


def test_set(pairs, language):
    """args.per_pair captions that name the colour of each (category, colour) pair: their vectors and that colour."""
    texts, wanted = [], []
    for n, (category, colour) in enumerate(pairs):
        rng = np.random.default_rng([n, ord(language[0])])
        found = 0
        while found < args.per_pair:
            _, attrs = draw(category, rng, colour=colour)
            text, named = describe(attrs, language, rng)
            if "colour" in named:
                texts.append(text)
                wanted.append(colours.index(colour))
                found += 1
    words = encoder.encode(texts, words=True)  # (N, 1 + L, 512): row 0 is the sentence vector
    return words[:, 0], words, torch.tensor(wanted)


tests = {f"{name} {language}": test_set(pairs, language)
         for language in ("en", "fr")
         for name, pairs in (("held-out pairs", HELD_OUT_COMBINATIONS), ("seen pairs", SEEN_COMBINATIONS))}

# 3. three probes: one linear layer (as a one-layer condition map sees the vector), an MLP, and attention over the words


class WordProbe(nn.Module):
    """Four learnt questions look at the words (attention, as in the U-Net's CrossAttention); an MLP reads the
    answers."""

    def __init__(self, dim=encoder.dim, width=128, questions=4):
        super().__init__()
        self.questions = nn.Parameter(0.1 * torch.randn(questions, width))
        self.k, self.v = nn.Linear(dim, width), nn.Linear(dim, width)
        self.read = nn.Sequential(nn.Linear(questions * width, 256), nn.SiLU(), nn.Linear(256, len(colours)))

    def forward(self, words):
        words = words[:, 1:]  # the words only, not the sentence vector
        scores = torch.einsum("qw,blw->bql", self.questions, self.k(words)) / self.k.out_features ** 0.5
        scores = scores.masked_fill((words.abs().sum(-1) == 0)[:, None, :], float("-inf"))  # padding: no word
        return self.read(torch.einsum("bql,blw->bqw", scores.softmax(-1), self.v(words)).flatten(1))


probes = (("linear", nn.Linear(encoder.dim, len(colours)), False),
          ("MLP", nn.Sequential(nn.Linear(encoder.dim, 512), nn.SiLU(), nn.Linear(512, 512), nn.SiLU(),
                                nn.Linear(512, len(colours))), False),
          ("attention over the words", WordProbe(), True))
for name, probe, reads_words in probes:
    torch.manual_seed(0)
    inputs = W if reads_words else X
    optimizer = torch.optim.AdamW(probe.parameters(), lr=2e-3)
    for _ in range(args.steps):
        index = torch.randint(0, len(X), (256,))
        loss = nn.functional.cross_entropy(probe(inputs[index]), Y[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        predicted = {test: probe(w if reads_words else x).argmax(1) for test, (x, w, _) in tests.items()}
    scores = {test: (predicted[test] == y).float().mean().item() for test, (_, _, y) in tests.items()}
    print(f"{name} probe, object colour read correctly: "
          "" + ", ".join(f"{test} {100 * s:.0f}%" for test, s in scores.items()))
    # which held-out pairs the words' vectors tell apart (the captions come args.per_pair per pair, in order)
    if reads_words:
        for language in ("en", "fr"):
            read = predicted[f"held-out pairs {language}"].view(len(HELD_OUT_COMBINATIONS), -1)
            said = []
            for (category, colour), answers in zip(HELD_OUT_COMBINATIONS, read):
                right = (answers == colours.index(colour)).float().mean().item()
                most = colours[answers.mode().values.item()]
                said.append(f"{colour} {category} {100 * right:.0f}%" + (f" (mostly {most})" if most != colour else ""))
            print(f"  held-out pairs {language}: " + ", ".join(said))
