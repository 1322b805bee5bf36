"""Sampling speed: 16 cats with DDIM in 50 steps from the shipped checkpoint (target: at most 1 s on 2 cores).

    python benchmarks/sample_speed.py [--checkpoint data/cats.pt] [--precision auto|fp32|bf16]
"""
import argparse

import torch

from common import machine, timed
from diffusion_lab import load_model, sample
from diffusion_lab.cli import default_checkpoint
from diffusion_lab.hardware import autocast, resolve_precision

parser = argparse.ArgumentParser()
parser.add_argument("--checkpoint", default=str(default_checkpoint()))
parser.add_argument("--n", type=int, default=16)
parser.add_argument("--steps", type=int, default=50)
args = parser.parse_args()

print(machine())
model, schedule = load_model(args.checkpoint)
print(model)
for precision in ("fp32", resolve_precision("auto")) if resolve_precision("auto") != "fp32" else ("fp32",):
    def run():
        with torch.inference_mode(), autocast(precision):
            sample(model, schedule, args.n, args.steps, "ddim", seed=0)
    seconds = timed(run, repeat=5)
    print(f"{precision}: {args.n} images, DDIM {args.steps} steps: {seconds:.3f} s (median of 5)")
print(f"default (sample() with precision auto): {timed(lambda: sample(model, schedule, args.n, args.steps, 'ddim', seed=0), repeat=5):.3f} s")
