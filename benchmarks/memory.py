"""Peak memory while training the default preset, minus a bare `import torch, torchvision` in the same environment.

    python benchmarks/memory.py [--steps 100]
"""
import argparse

from common import peak_rss_mb_of

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=100)
args = parser.parse_args()

bare = peak_rss_mb_of("import torch, torchvision")
training = peak_rss_mb_of(f"""
import torch
from diffusion_lab import make_run, train
from diffusion_lab.data import procedural_cats
from diffusion_lab.hardware import keep_freed_memory
keep_freed_memory()  # as the CLI does
run = make_run('cats')
images, _ = procedural_cats(run.settings.n_images, run.settings.model.size)
train(run, images, steps={args.steps}, progress=False)
""")
print(f"bare import torch, torchvision: {bare:.0f} MB peak RSS")
print(f"training the 'cats' preset for {args.steps} steps: {training:.0f} MB peak RSS")
print(f"difference: {training - bare:.0f} MB (target: at most 700 MB)")
