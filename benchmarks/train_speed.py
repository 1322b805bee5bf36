"""Training throughput (images/s) of our U-Net vs diffusers' UNet2DModel at the same parameter count, resolution and
batch.

The two models are timed alternately in the same process, in fp32 and (where the CPU supports it natively) bf16.

    python benchmarks/train_speed.py [--rounds 3] [--steps 10]
"""
import argparse
import time

import torch
from common import machine
from diffusers import UNet2DModel

from diffusion_lab import NoiseSchedule, diffusion_loss, make_run
from diffusion_lab.hardware import autocast, cpu_has_native_bf16, keep_freed_memory

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--steps", type=int, default=10)
args = parser.parse_args()
keep_freed_memory()

run = make_run("cats")
ours = run.model.to(memory_format=torch.channels_last)
batch, size, params = run.settings.batch_size, ours.config.size, ours.num_parameters()


def diffusers_unet(width: int) -> UNet2DModel:
    return UNet2DModel(sample_size=size, in_channels=3, out_channels=3, layers_per_block=1, norm_num_groups=8,
                       block_out_channels=(width, 2 * width, 2 * width),
                       down_block_types=("DownBlock2D", "DownBlock2D", "AttnDownBlock2D"),
                       up_block_types=("AttnUpBlock2D", "UpBlock2D", "UpBlock2D"))


# The diffusers model whose parameter count is closest to ours (block widths w, 2w, 2w, as our preset).
width = min(range(8, 129, 8), key=lambda w: abs(sum(p.numel() for p in diffusers_unet(w).parameters()) - params))
theirs = diffusers_unet(width).to(memory_format=torch.channels_last)


class DiffusersAdapter(torch.nn.Module):
    """diffusers returns an object; our loss wants a tensor."""
    config = ours.config

    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, x, t, cond=None):
        return self.unet(x, t).sample


models = {"diffusion-lab": ours, f"diffusers UNet2DModel ({width}/{2 * width}/{2 * width})": DiffusersAdapter(theirs)}
print(machine())
for name, model in models.items():
    print(f"{name}: {sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters")
schedule = NoiseSchedule()
x0 = (torch.rand(batch, 3, size, size) * 2 - 1).to(memory_format=torch.channels_last)


def images_per_second(model, precision):
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def step():
        with autocast(precision):
            loss = diffusion_loss(model, schedule, x0)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    return args.steps * batch / (time.perf_counter() - start)


for precision in ["fp32"] + (["bf16"] if cpu_has_native_bf16() else []):
    rates = {name: [] for name in models}
    for _ in range(args.rounds):  # alternate, so that both see the same machine conditions
        for name, model in models.items():
            rates[name].append(images_per_second(model, precision))
    best = {name: max(r) for name, r in rates.items()}
    (a, ra), (b, rb) = best.items()
    print(f"{precision}, batch {batch}, {size}x{size}: {a} {ra:.0f} img/s, {b} {rb:.0f} img/s, ratio {ra / rb:.2f}x")
