"""Time to cats: train the default preset from scratch for a fixed time, then sample a grid to look at,
and read 128 samples with the meter (evaluate.py): how many it sees as cats, and their Frechet distance to real cats.

    python benchmarks/time_to_cats.py --seconds 60 --out artifacts/cats-60s.png
"""
import argparse
from pathlib import Path

import torch
from common import machine

from diffusion_lab import make_run, sample, save_checkpoint, train
from diffusion_lab.data import procedural_cats
from diffusion_lab.evaluate import load_classifier, measure
from diffusion_lab.hardware import keep_freed_memory, resolve_precision
from diffusion_lab.viz import grid

parser = argparse.ArgumentParser()
parser.add_argument("--seconds", type=float, default=60)
parser.add_argument("--precision", default="auto")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--out", default="artifacts/cats-60s.png")
args = parser.parse_args()

print(machine())
keep_freed_memory()
torch.manual_seed(args.seed)
run = make_run("cats")
# drawn (or read from cache) before the clock starts
images, _ = procedural_cats(run.settings.n_images, run.settings.model.size)
train(run, images, minutes=args.seconds / 60, precision=args.precision, progress=False)
rate = run.step * run.settings.batch_size / run.seconds
loss = sum(run.losses[-100:]) / len(run.losses[-100:])
print(f"{run.model}\n{resolve_precision(args.precision)}: {run.step} steps ({run.step * run.settings.batch_size} "
      "images) "
      f"in {run.seconds:.1f} s = {rate:.0f} img/s, loss (last 100 steps) {loss:.4f}")
Path(args.out).parent.mkdir(parents=True, exist_ok=True)
grid(sample(run.ema, run.schedule, 16, 50, seed=0), nrow=4, scale=4).save(args.out)
save_checkpoint(run, Path(args.out).with_suffix(".pt"))
print(f"samples (DDIM 50, seed 0) in {args.out}")
reading = measure(run.ema, run.schedule, load_classifier(), n_per_class=128)
print(f"the meter, 128 samples: {100 * reading['mean_accuracy']:.0f}% read as cats, Frechet distance "
      f"{reading['frechet']:.1f} "
      f"(real vs real: {reading['floor']:.1f}; the shipped checkpoint: see data/cats.md)")
