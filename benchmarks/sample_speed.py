"""Sampling speed: 16 cats with DDIM in 50 steps from the shipped checkpoint (target: at most 1 s on 2 cores).

    python benchmarks/sample_speed.py [--checkpoint data/cats.pt] [--n 16] [--steps 50]
"""
import argparse

from common import machine, timed

from diffusion_lab import load_model, sample, shipped_checkpoint
from diffusion_lab.hardware import resolve_precision

parser = argparse.ArgumentParser()
parser.add_argument("--checkpoint", default=str(shipped_checkpoint()))
parser.add_argument("--n", type=int, default=16)
parser.add_argument("--steps", type=int, default=50)
args = parser.parse_args()

print(machine())
model, schedule = load_model(args.checkpoint)
print(model)
precisions = ["fp32"] + (["bf16"] if resolve_precision("auto") == "bf16" else [])
for precision in precisions:
    seconds = timed(lambda: sample(model, schedule, args.n, args.steps, "ddim", seed=0, precision=precision), repeat=5)
    print(f"{precision}: {args.n} images, DDIM {args.steps} steps: {seconds:.3f} s (median of 5)")
print(f"default precision on this machine: {resolve_precision('auto')}")
