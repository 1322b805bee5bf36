"""Training with several processes at once (several GPUs, or CPU processes): PyTorch's DistributedDataParallel.

`torchrun --nproc_per_node=N -m diffusion_lab train ...` starts N copies of the same program, one per GPU. torchrun
tells each copy who it is through environment variables: RANK (0 .. N-1), WORLD_SIZE (N) and LOCAL_RANK (its GPU on this
machine). Each process trains on its own shard of the images; at every backward() DistributedDataParallel averages the
gradients of all processes, so every copy takes the same optimizer step and the weights stay identical everywhere.
Process 0, the "main" one, is the only one that writes checkpoints, logs and progress bars.

Without torchrun every function here is a no-op: rank 0 of a world of 1.
"""
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from .messages import DiffusionLabError, message


def launched_by_torchrun() -> bool:
    """True when torchrun (or another launcher with the same variables) started this process."""
    return "RANK" in os.environ and "WORLD_SIZE" in os.environ


def setup(device: torch.device) -> torch.device:
    """Join the other processes torchrun started, and return the device this process should use.

    The backend is the library that moves the gradients between processes: NCCL between NVIDIA GPUs, gloo on the CPU.
    """
    if not launched_by_torchrun() or dist.is_initialized():
        return device
    if device.type == "cuda":  # one GPU per process: process LOCAL_RANK takes GPU number LOCAL_RANK
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
        torch.cuda.set_device(device)
    # reads MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return device


def cleanup():
    """Leave the group of processes (at the end of training, or after an error)."""
    if dist.is_initialized():
        dist.destroy_process_group()


def rank() -> int:
    return dist.get_rank() if dist.is_initialized() else 0


def world_size() -> int:
    return dist.get_world_size() if dist.is_initialized() else 1


def is_main() -> bool:
    """Only process 0 writes files and talks: N processes printing the same line N times helps no one."""
    return rank() == 0


def shard(images: torch.Tensor, conds, batch_size: int):
    """This process's share of the data: images rank, rank + N, rank + 2N, ... (and their conditions).

    Every process needs at least one image of its own and one image per batch: N larger than that is an error.
    Process 0 says how the data is shared.
    """
    n = world_size()
    if n > len(images) or n > batch_size:
        raise DiffusionLabError("too_many_ranks", world=n, images=len(images), batch=batch_size,
                                most=min(len(images), batch_size))
    if n > 1 and is_main():
        print(message("distributed", world=n, backend=dist.get_backend(), shard=len(images) // n,
                      per_rank=batch_size // n, batch=batch_size // n * n))
    return images[rank()::n], (conds[rank()::n] if conds is not None else None)


def wrap(model: torch.nn.Module, ema: torch.nn.Module, device: torch.device) -> torch.nn.Module:
    """The model wrapped in DistributedDataParallel, which averages gradients across processes during backward().

    DDP copies process 0's weights to every process when it wraps the model; the EMA copy is not part of the
    model, so we copy process 0's EMA ourselves. From then on every process updates its EMA from the same weights.
    """
    if world_size() == 1:
        return model
    for tensor in ema.state_dict().values():
        dist.broadcast(tensor, src=0)
    # like the images: DDP wants weights and gradients laid out alike
    model = model.to(memory_format=torch.channels_last)
    return DistributedDataParallel(model, device_ids=[device] if device.type == "cuda" else None)


def mean(value: torch.Tensor) -> torch.Tensor:
    """The average of a number over all processes (each process holds the loss of its own shard)."""
    if world_size() == 1:
        return value
    value = value.detach().clone()
    dist.all_reduce(value, op=dist.ReduceOp.SUM)
    return value / world_size()
