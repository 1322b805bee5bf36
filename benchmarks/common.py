"""Helpers shared by the benchmark scripts (measurements, not tests)."""
import os
import resource
import subprocess
import sys
import time


def peak_rss_mb_of(code: str) -> float:
    """Run Python `code` in a fresh process and return its peak resident memory in MB (Linux ru_maxrss is in KB)."""
    child = f"{code}\nimport resource; print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    env = dict(os.environ, TQDM_DISABLE="1")
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, check=True).stdout
    return int(out.split("PEAK_RSS_KB")[-1].split()[0]) / 1024


def timed(fn, repeat: int = 5, warmup: int = 1):
    """Median wall-clock seconds of fn() over `repeat` runs after `warmup` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def machine() -> str:
    import torch

    from diffusion_lab.hardware import cpu_has_native_bf16
    return (f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, "
            f"native bf16: {cpu_has_native_bf16()}, self RSS now "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
