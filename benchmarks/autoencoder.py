"""The autoencoder alone: two unseen pictures of each category beside their reconstructions (encode, then decode),
and the meter on reconstructions (Frechet distance to other real pictures, per category, beside the real-vs-real floor).

    python benchmarks/autoencoder.py --checkpoint data/autoencoder.pt --out artifacts/autoencoder.png
"""
import argparse
from pathlib import Path

import torch

from diffusion_lab.autoencoder import decode, encode
from diffusion_lab.checkpoint import load_autoencoder
from diffusion_lab.data import to_model_range
from diffusion_lab.evaluate import load_classifier, measure_reconstructions, real_pictures
from diffusion_lab.pictures.categories import CATEGORIES
from diffusion_lab.viz import grid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default="data/autoencoder.pt")
    parser.add_argument("--out", default="artifacts/autoencoder.png")
    args = parser.parse_args()
    autoencoder = load_autoencoder(args.checkpoint)
    real, labels, _ = real_pictures(700, autoencoder.config.size)  # seed 1: never used for training
    pick = torch.cat([torch.nonzero(labels == k)[:2, 0] for k in range(len(CATEGORIES))])
    pictures = real[pick]
    redrawn = decode(autoencoder, encode(autoencoder, pictures))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    grid(torch.cat([to_model_range(pictures), redrawn]), nrow=len(pick), scale=4).save(args.out)
    print(f"top row: real pictures, bottom row: reconstructions -> {args.out}")
    for name, reading in measure_reconstructions(autoencoder, load_classifier()).items():
        print(f"{name}: Frechet {reading['frechet']:.1f} (floor {reading['floor']:.1f}), "
              f"mean error per pixel {reading['error']:.3f}")


if __name__ == "__main__":
    main()
