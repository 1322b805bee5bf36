"""Training with several processes (DistributedDataParallel) on the CPU: the gloo backend, 2 processes on this
machine."""
import importlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import torch
import torch.multiprocessing as mp
from PIL import Image
from torch.nn import functional as F

from diffusion_lab import distributed
from diffusion_lab.checkpoint import load_checkpoint, save_checkpoint
from diffusion_lab.engine import Engine
from diffusion_lab.train import make_run, train

TINY = {"model": {"size": 16, "base": 16, "mults": (1,), "attention": False}, "batch_size": 4, "lr": 3e-3, "warmup": 1}
STEPS, WORLD = 3, 2
ROOT = Path(__file__).resolve().parent.parent
train_module = importlib.import_module("diffusion_lab.train")  # the module (diffusion_lab.train is also the function)


def free_port() -> int:
    """A TCP port nobody uses now, so that tests running side by side do not meet on the same one."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replay_fixed_batches(setattr, run, rank: int = 0, world: int = 1):
    """Make train() use fixed global batches; process `rank` takes items rank, rank + world, ... of each.

    train() draws its images, timesteps and noise at random. To compare 2 processes with 1 process on the same
    global batch, both runs must see the same numbers: here they come from a table, indexed by the step.
    """
    g = torch.Generator().manual_seed(1)
    B = TINY["batch_size"]
    x0 = torch.rand(STEPS, B, 3, 16, 16, generator=g) * 2 - 1  # (steps, B, C, H, W) in [-1, 1]
    t = torch.randint(0, 1000, (STEPS, B), generator=g)       # (steps, B)
    eps = torch.randn(STEPS, B, 3, 16, 16, generator=g)       # (steps, B, C, H, W)
    mine = slice(rank, None, world)

    def loss(model, schedule, x0_mine, cond=None, prediction=None, min_snr=0.0):  # Algorithm 1, t and eps as tabled
        t_mine, eps_mine = t[run.step][mine], eps[run.step][mine]
        return F.mse_loss(model(schedule.add_noise(x0_mine, t_mine, eps_mine), t_mine, cond).float(), eps_mine)

    setattr(Engine, "batch", lambda engine: (x0[run.step][mine], None))
    setattr(train_module, "diffusion_loss", loss)


def with_sgd(run):
    """Plain SGD, whose step is proportional to the gradient, so that equal gradients give equal weights.
    (Adam divides each gradient by its own size: a rounding difference in a tiny gradient can become a full step.)"""
    run.optimizer = torch.optim.SGD(run.model.parameters(), lr=0.1)
    return run


def _worker(rank: int, port: int, folder: str):
    """One of the 2 processes: what torchrun would set up, then a short training run; results go to a file."""
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), LOCAL_RANK=str(rank),
                      WORLD_SIZE=str(WORLD))
    torch.set_num_threads(1)
    distributed.setup(torch.device("cpu"))
    result = {"shard": distributed.shard(torch.arange(5), None, batch_size=4)[0]}
    torch.manual_seed(0)
    run = with_sgd(make_run("cats", **TINY))
    replay_fixed_batches(lambda obj, name, value: setattr(obj, name, value), run, rank, WORLD)
    train(run, torch.zeros(8, 3, 16, 16, dtype=torch.uint8), steps=STEPS,
          checkpoint=Path(folder) / f"from-rank-{rank}.pt",
          precision="fp32", progress=False)  # fp32: bf16 rounding would hide what we compare
    result.update(losses=run.losses, model=run.model.state_dict(), ema=run.ema.state_dict())
    try:  # 2 processes, 1 image: one process would have nothing to learn from
        train(make_run("cats", **TINY), torch.zeros(1, 3, 16, 16, dtype=torch.uint8), steps=1, progress=False)
    except ValueError as error:
        result["too_many"] = str(error)
    torch.save(result, Path(folder) / f"rank-{rank}.result")
    distributed.cleanup()


def test_two_processes_train_like_one_process_on_the_whole_batch(tmp_path, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    mp.spawn(_worker, args=(free_port(), str(tmp_path)), nprocs=WORLD)
    ranks = [torch.load(tmp_path / f"rank-{rank}.result") for rank in range(WORLD)]

    torch.manual_seed(0)  # the same run in this single process, on the whole batch of each step
    single = with_sgd(make_run("cats", **TINY))
    replay_fixed_batches(monkeypatch.setattr, single)
    train(single, torch.zeros(8, 3, 16, 16, dtype=torch.uint8), steps=STEPS, precision="fp32", progress=False)

    # each process learnt from its own shard of the data
    assert ranks[0]["shard"].tolist() == [0, 2, 4] and ranks[1]["shard"].tolist() == [1, 3]
    # DDP averaged the gradients: both processes end with the very same weights, and the same EMA
    for key, value in ranks[0]["model"].items():
        assert torch.equal(value, ranks[1]["model"][key]), key
    for key, value in ranks[0]["ema"].items():
        assert torch.equal(value, ranks[1]["ema"][key]), key
    # ... and the same loss and weights as one process on the whole batch (up to rounding: sums in another order)
    assert torch.allclose(torch.tensor(ranks[0]["losses"]), torch.tensor(single.losses), rtol=1e-5)
    for key, value in single.model.state_dict().items():
        assert torch.allclose(ranks[0]["model"][key], value, atol=1e-5), key
    # only process 0 wrote its checkpoint
    assert (tmp_path / "from-rank-0.pt").is_file() and not (tmp_path / "from-rank-1.pt").exists()
    assert load_checkpoint(tmp_path / "from-rank-0.pt")["step"] == STEPS
    # more processes than images: a sentence that says what to do
    assert "torchrun started 2 processes, but there are only 1 image(s)" in ranks[0]["too_many"]
    assert "--nproc_per_node 1 or fewer" in ranks[1]["too_many"]


def test_torchrun_resumes_a_checkpoint_and_only_process_0_talks(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    for i, (mode, size) in enumerate([("RGB", (16, 16)), ("RGB", (40, 24)), ("L", (20, 20)), ("RGB", (16, 16))]):
        Image.new(mode, size, color=60 * i).save(folder / f"{i}.png")
    run = make_run("cats", **TINY)
    run.step = 5
    save_checkpoint(run, tmp_path / "start.pt")
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={WORLD}",
               "-m", "diffusion_lab", "train", "--resume", str(tmp_path / "start.pt"), "--images", str(folder),
               "--steps", "2", "--out", str(tmp_path / "end.pt")]
    env = dict(os.environ, OMP_NUM_THREADS="1", DIFFUSION_LAB_LANG="en", PYTHONPATH=str(ROOT))
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert out.count("Resumed from") == 1 and out.count("Checkpoint saved") == 1, out
    assert "2 processes (DistributedDataParallel, gloo): each trains on 2 images, 2 per step (4 per step in all)" in out
    assert "Converted 1 image(s) to RGB" in out and "Resized and centre-cropped 2 image(s)" in out
    assert load_checkpoint(tmp_path / "end.pt")["step"] == 7
