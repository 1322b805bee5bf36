"""The categories issue's numbers: the meter's classifier on real pictures, the shipped categories model at several
guidance scales (per-class accuracy, Frechet distance and its real-vs-real floor), the cats model, and sampling time.

    python benchmarks/categories.py [--n 32] [--guidance 0 1 3 5] [--out artifacts/categories]
"""
import argparse
from pathlib import Path

import torch
from common import machine, timed

from diffusion_lab import load_model, sample, shipped_checkpoint
from diffusion_lab.conditioning import one_hot
from diffusion_lab.evaluate import load_classifier, look, measure, per_class_accuracy, real_pictures
from diffusion_lab.viz import grid

parser = argparse.ArgumentParser()
parser.add_argument("--checkpoint", default=str(shipped_checkpoint("categories")))
parser.add_argument("--n", type=int, default=32, help="samples per class")
parser.add_argument("--guidance", type=float, nargs="+", default=[0, 1, 3, 5])
parser.add_argument("--real", type=int, default=7000, help="real pictures to test the classifier on")
parser.add_argument("--out", default="artifacts/categories")
args = parser.parse_args()
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)

print(machine())
classifier = load_classifier()
images, labels, _ = real_pictures(args.real, seed=1)  # never used for training the classifier (seed 0) or the denoisers
accuracy = per_class_accuracy(look(classifier, images)[1], labels, classifier.classes)
print(f"classifier on {len(images)} real pictures: " + ", ".join(f"{k} {100 * v:.2f}%" for k, v in accuracy.items())
      + f"; lowest {100 * min(accuracy.values()):.2f}% (target >= 99%)")


def report(name, reading):
    per_class = ", ".join(f"{k} {100 * v:.0f}%" for k, v in reading["accuracy"].items())
    print(f"{name} guidance {reading['guidance']:g}: {per_class}; mean {100 * reading['mean_accuracy']:.1f}%, "
          f"lowest {100 * min(reading['accuracy'].values()):.1f}%; Frechet {reading['frechet']:.2f} (real vs real "
          f"{reading['floor']:.2f})")


model, schedule = load_model(args.checkpoint, kind="class")
for guidance in args.guidance:
    reading = measure(model, schedule, classifier, args.n, guidance)
    report("categories", reading)
    grid(reading["samples"], nrow=args.n, scale=2).save(out / f"guidance-{guidance:g}.png")

cats, cat_schedule = load_model(shipped_checkpoint("cats"), kind="unconditional")
report("cats (unconditional)", measure(cats, cat_schedule, classifier, 7 * args.n // 2))

cond = one_hot(torch.tensor([2] * 16), model.config.cond_dim)  # 16 cars
for precision in ("fp32", "auto"):
    seconds = timed(lambda: sample(model, schedule, 16, 50, seed=0, cond=cond, guidance=3.0, precision=precision),
                    repeat=5)
    print(f"16 images of one class, DDIM 50, guidance 3 (a batch of 32), {precision}: {seconds:.2f} s (median of 5; "
          "target <= 2.5 s)")
print(f"sample grids in {out}/")
