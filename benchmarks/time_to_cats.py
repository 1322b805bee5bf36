"""Time to cats: train presets from scratch for fixed times, then sample a grid to look at and read 128 samples with the
meter (evaluate.py): how many it sees as cats, and their Frechet distance to real cats. Pixel and latent side by side,
in fp32 and bf16, in one run (bf16 only where the CPU computes it natively):

    python benchmarks/time_to_cats.py --preset cats latent-cats --seconds 60 180 --precision fp32 bf16 --seeds 0 1 2

A recipe is a preset with some settings changed: --dataset cat-faces (the smaller world of portraits) and
--set lr=3e-3 batch_size=128 model.base=48 (any field of presets.Settings; model.* for the U-Net's).
Also reports the training cost: GFLOP per image (forward and backward, counted by torch's FlopCounterMode) and the
GFLOP/s achieved. Grids and checkpoints go to --out (artifacts/time-to-cats/ by default).
"""
import argparse
import ast
import statistics
from pathlib import Path

import torch
from common import machine
from torch.utils.flop_counter import FlopCounterMode

from diffusion_lab import make_run, sample, save_checkpoint, train
from diffusion_lab.evaluate import load_classifier, measure
from diffusion_lab.hardware import cpu_has_native_bf16, keep_freed_memory
from diffusion_lab.presets import preset
from diffusion_lab.train import diffusion_loss, training_data
from diffusion_lab.viz import grid


def training_gflop_per_image(run) -> float:
    """Forward and backward FLOPs of one training step, per image."""
    c = run.settings.model
    x0 = torch.randn(8, c.channels, c.size, c.size)  # the count does not depend on the values
    with FlopCounterMode(display=False) as counter:
        diffusion_loss(run.model, run.schedule, x0, None, run.settings.model.prediction).backward()
    run.model.zero_grad(set_to_none=True)
    return counter.get_total_flops() / 8 / 1e9


def recipe(changes: list) -> dict:
    """["lr=3e-3", "model.base=48"] -> {"lr": 0.003, "model": {"base": 48}}: the keyword arguments of make_run."""
    settings = {}
    for change in changes:
        key, _, value = change.partition("=")
        value = ast.literal_eval(value) if value[:1] in "0123456789-.([" else value
        if key.startswith("model."):
            settings.setdefault("model", {})[key[len("model."):]] = value
        else:
            settings[key] = value
    return settings


def one_run(name, seconds, precision, seed, out: Path, classifier, changes: dict):
    torch.manual_seed(seed)
    run = make_run(name, **changes)
    gflop = training_gflop_per_image(run)
    images, _ = training_data(run.settings)  # drawn, read from cache or encoded before the clock starts
    torch.manual_seed(seed)
    train(run, images, minutes=seconds / 60, precision=precision, progress=False)
    rate = run.step * run.settings.batch_size / run.seconds
    world = "" if run.settings.dataset == preset(name).dataset else f"-{run.settings.dataset}"
    stem = out / f"{name}{world}-{seconds:.0f}s-{precision}-seed{seed}"
    grid(sample(run.ema, run.schedule, 16, 50, seed=0), nrow=4, scale=4).save(stem.with_suffix(".png"))
    save_checkpoint(run, stem.with_suffix(".pt"))
    reading = measure(run.ema, run.schedule, classifier, n_per_class=128)
    row = {"preset": name, "seconds": seconds, "precision": precision, "seed": seed, "steps": run.step,
           "images/s": rate, "GFLOP/img": gflop, "GFLOP/s": gflop * rate,
           "cats %": 100 * reading["mean_accuracy"], "frechet": reading["frechet"], "floor": reading["floor"],
           "grid": stem.with_suffix(".png").name}
    print(" | ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()), flush=True)
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--preset", nargs="+", default=["cats", "latent-cats"])
    parser.add_argument("--seconds", nargs="+", type=float, default=[60])
    parser.add_argument("--precision", nargs="+", default=["fp32", "bf16"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--dataset", help="train on another world, e.g. cat-faces (the meter then uses its pictures)")
    parser.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                        help="settings to change, e.g. lr=3e-3 batch_size=128 model.base=48")
    parser.add_argument("--out", default="artifacts/time-to-cats")
    args = parser.parse_args()
    print(machine())
    keep_freed_memory()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    precisions = [p for p in args.precision if p != "bf16" or cpu_has_native_bf16()]
    if precisions != args.precision:
        print("bf16: not measured, this CPU has no native bf16 (it would be emulated, slower than fp32)")
    classifier = load_classifier()
    changes = recipe(args.set + ([f"dataset={args.dataset}"] if args.dataset else []))
    if changes:
        print(f"recipe: {changes}")
    rows = [one_run(name, seconds, precision, seed, out, classifier, changes)
            for seconds in args.seconds for precision in precisions for name in args.preset for seed in args.seeds]
    print("\n| preset | time | precision | steps | images/s | GFLOP/img | GFLOP/s | % cats | Fréchet (median, seeds) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for seconds in args.seconds:
        for precision in precisions:
            for name in args.preset:
                same = [r for r in rows if (r["preset"], r["seconds"], r["precision"]) == (name, seconds, precision)]
                median = {k: statistics.median(r[k] for r in same)
                          for k in ("steps", "images/s", "GFLOP/img", "GFLOP/s", "cats %", "frechet")}
                each = ", ".join(f"{r['frechet']:.1f}" for r in same)
                print(f"| {name} | {seconds:.0f} s | {precision} | {median['steps']:.0f} | {median['images/s']:.0f} | "
                      f"{median['GFLOP/img']:.3f} | {median['GFLOP/s']:.1f} | {median['cats %']:.0f}% | "
                      f"{median['frechet']:.1f} ({each}) |")
    print(f"real vs real: {rows[0]['floor']:.1f}; grids in {out}/")


if __name__ == "__main__":
    main()
