"""How fast is pool2d? One run prints its tables, with the machine it ran on.

    python benchmarks/bench_pooling.py            # everything
    python benchmarks/bench_pooling.py --quick    # fewer repeats, loops on a crop

Compares ``pool2d`` with the article's two loops (``article_get_pools`` + ``article_max_pooling``)
and, when PyTorch is installed, with its CPU ``max_pool2d`` given its own faster layout (N, C, H, W,
contiguous, prepared before the clock starts). The loops handle one square channel, so on colour
images and feature maps they run once per channel; on the large cases they are timed on one
channel and multiplied by the number of channels, as the table says (their cost is linear in the
number of windows). A second table times ``adaptive_pool2d`` on a 512×512×64 feature map, to
7×7 and to 1×1, against PyTorch's ``adaptive_max_pool2d`` / ``adaptive_avg_pool2d`` in whichever
of its two layouts is faster. It also measures one update of the cat explorer (pooling and
drawing) and the peak memory of pooling a 6000×4000 photo at stride 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc

import numpy as np

import pooling_helpers as ph

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None


def best_time(function, repeats):
    """Best wall time of ``repeats`` calls, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def article_loops(channel, pool, stride):
    return ph.article_max_pooling(ph.article_get_pools(channel, pool, stride))


def machine_line():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    parts = [f"{os.cpu_count()} cores", cpu, f"Python {platform.python_version()}",
             f"NumPy {np.__version__}"]
    if torch is not None:
        parts.append(f"PyTorch {torch.__version__} ({torch.get_num_threads()} threads)")
    return ", ".join(parts)


def adaptive_table(features, repeats):
    """adaptive_pool2d against PyTorch's adaptive pooling, to 7×7 (the end of a torchvision
    classifier) and to 1×1 (global pooling). PyTorch is timed in both layouts, each prepared
    before the clock starts, and credited with the faster one."""
    print()
    print("| adaptive pooling, 512×512×64 float32 | adaptive_pool2d | PyTorch, faster layout "
          "| adaptive_pool2d ÷ PyTorch |")
    print("|---|---:|---:|---:|")
    if torch is not None:
        batch = torch.from_numpy(np.ascontiguousarray(features))[None]  # (1, H, W, C)
        layouts = {"N, C, H, W": batch.permute(0, 3, 1, 2).contiguous(),
                   "channels last": batch.permute(0, 3, 1, 2).contiguous(
                       memory_format=torch.channels_last)}
        functions = {"max": F.adaptive_max_pool2d, "avg": F.adaptive_avg_pool2d}
    for size in (7, 1):
        for mode in ("max", "avg"):
            ours = best_time(lambda: ph.adaptive_pool2d(features, size, mode), repeats)
            if torch is None:
                theirs, ratio = "not installed", "–"
            else:
                with torch.no_grad():
                    times = {name: best_time(lambda: functions[mode](tensor, size), repeats)
                             for name, tensor in layouts.items()}
                layout = min(times, key=times.get)
                theirs = f"{times[layout] * 1e3:.2f} ms ({layout})"
                ratio = f"{ours / times[layout]:.2f}"
            print(f"| {mode} to {size}×{size} | {ours * 1e3:.2f} ms | {theirs} | {ratio} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    repeats = 3 if args.quick else 15
    rng = np.random.default_rng(0)

    cat = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
    image = rng.random((1024, 1024, 3), dtype=np.float32)
    features = rng.random((512, 512, 64), dtype=np.float32)
    cases = [("cat 224×224 grey", cat, 2, 2)]
    cases += [("1024×1024×3 float32", image, p, s) for p, s in ((2, 2), (3, 2), (3, 1))]
    cases += [("512×512×64 float32", features, p, s) for p, s in ((2, 2), (3, 2))]

    print(f"Machine: {machine_line()}")
    print()
    header = ("| case | pool / stride | article loops | pool2d | PyTorch max_pool2d "
              "| loops ÷ pool2d | pool2d ÷ PyTorch |")
    print(header)
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, data, pool, stride in cases:
        channels = 1 if data.ndim == 2 else data.shape[2]
        channel = data if data.ndim == 2 else np.ascontiguousarray(data[..., 0])
        if args.quick and channel.shape[0] > 256:
            channel = channel[:256, :256]
        scale = channels * (data.shape[0] * data.shape[1]) / channel.size
        loops = best_time(lambda: article_loops(channel, pool, stride), 1) * scale
        note = "" if scale == 1 else f" (1 channel{' crop' if args.quick else ''} × {scale:g})"
        fast = best_time(lambda: ph.pool2d(data, pool, stride), repeats)
        if torch is not None:
            tensor = torch.from_numpy(np.ascontiguousarray(
                data.reshape(data.shape[0], data.shape[1], -1).transpose(2, 0, 1)))[None]
            with torch.no_grad():
                framework = best_time(lambda: F.max_pool2d(tensor, pool, stride), repeats)
            framework_cells = (f"{framework * 1e3:.2f} ms", f"{fast / framework:.2f}")
        else:
            framework_cells = ("not installed", "–")
        print(f"| {name} | {pool} / {stride} | {loops * 1e3:,.0f} ms{note} | {fast * 1e3:.2f} ms "
              f"| {framework_cells[0]} | {loops / fast:,.0f}× | {framework_cells[1]} |")

    adaptive_table(features, repeats)

    explorer = ph.pool_explorer(cat)
    durations = []
    for step in [1, 2, 3, 4] * (3 if args.quick else 10):
        explorer.stride_slider.value = step
        durations.append(explorer.last_update_seconds)
    colour = ph.load_image(ph.CAT_PATH)
    colour_explorer = ph.pool_explorer(colour)
    colour_durations = []
    for step in [1, 2, 3, 4] * (3 if args.quick else 10):
        colour_explorer.stride_slider.value = step
        colour_durations.append(colour_explorer.last_update_seconds)
    print()
    print(f"Cat explorer, one update (pool2d + drawing + PNG), median of {len(durations)}: "
          f"{statistics.median(durations) * 1e3:.0f} ms on the 224×224 grey cat, "
          f"{statistics.median(colour_durations) * 1e3:.0f} ms on the 451×300 colour cat")

    photo = rng.integers(0, 256, size=(4000, 6000, 3), dtype=np.uint8)
    tracemalloc.start()
    ph.pool2d(photo, 3, 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"6000×4000×3 uint8 photo, max pool 3 / stride 1: input {photo.nbytes / 2**20:.0f} MiB, "
          f"peak extra memory {peak / 2**20:.0f} MiB ({peak / photo.nbytes:.1f}× the input; "
          f"a 3×3-fold copy of the windows would be {9 * photo.nbytes / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
