"""How fast is pool2d? One run prints its tables, with the machine it ran on.

    python benchmarks/bench_pooling.py            # everything
    python benchmarks/bench_pooling.py --quick    # fewer repeats, loops on a crop

The main table gives every contender the same input, built before any clock starts: the
article's two loops (``article_get_pools`` + ``article_max_pooling``), ``pool2d``,
``pool2d_backward`` and, when PyTorch is installed, its CPU ``max_pool2d`` forward and its
forward and backward through autograd. PyTorch is timed in both of its memory layouts, (N, C, H, W)
contiguous and channels last, each prepared before the clock starts, and credited with the faster
one, which the table names; a second table shows both. ``x.copy()`` is the floor: a pooling
reads its input once and writes its output, and a copy reads and writes the input once.
Each contender keeps its best time; they take turns, three times over, so that a burst of other
work on the machine slows all of them alike.

The loops handle one square channel, so on colour images and feature maps they are timed on one
channel and multiplied by the number of channels (their cost is linear in the number of windows).
Autograd needs floats, so on the cat (uint8) both backward passes run on the cat as float32. A
further table times ``adaptive_pool2d`` on a 512×512×64 feature map, to 7×7 and to 1×1, against
PyTorch's ``adaptive_max_pool2d`` / ``adaptive_avg_pool2d`` in whichever of its two layouts is
faster. Last come one update of the cat explorer (pooling and drawing) and the peak memory of the
forward and backward passes.
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

LAYOUTS = ("N, C, H, W", "channels last")


def best_time(function, repeats):
    """Best wall time of ``repeats`` calls, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def best_times(functions, repeats, rounds=3):
    """Best wall time of each function, in seconds. The functions take turns, ``rounds`` times
    over, so that a burst of other work on the machine slows all of them alike; within a turn a
    function runs several times in a row, so that PyTorch's threads, still busy just after its
    own call, do not slow the next contender."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for name, function in functions.items():
            best[name] = min(best[name], best_time(function, max(1, -(-repeats // rounds))))
    return best


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


def as_batch(data):
    """(H, W), (H, W, C) or (N, H, W, C) as (N, H, W, C), sharing memory."""
    return data[None, :, :, None] if data.ndim == 2 else data[None] if data.ndim == 3 else data


def torch_contenders(data, grad, pool, stride):
    """PyTorch's forward and forward+backward, in each layout, on tensors built beforehand."""
    contenders = {}
    nchw = torch.from_numpy(np.ascontiguousarray(as_batch(data).transpose(0, 3, 1, 2)))
    grad_nchw = torch.from_numpy(np.ascontiguousarray(as_batch(grad).transpose(0, 3, 1, 2)))
    for layout in LAYOUTS:
        form = torch.contiguous_format if layout == LAYOUTS[0] else torch.channels_last
        tensor = nchw.contiguous(memory_format=form)
        leaf = tensor.float().contiguous(memory_format=form).requires_grad_(True)
        grad_out = grad_nchw.contiguous(memory_format=form)

        def forward(tensor=tensor):
            with torch.no_grad():
                F.max_pool2d(tensor, pool, stride)

        def forward_backward(leaf=leaf, grad_out=grad_out):
            torch.autograd.grad(F.max_pool2d(leaf, pool, stride), leaf, grad_out)

        contenders[("torch", layout)] = forward
        contenders[("torch+backward", layout)] = forward_backward
    return contenders


def main_table(cases, repeats, quick):
    """The table of the issue: every contender on the same input, PyTorch in its faster layout."""
    print("| case | pool / stride | article loops | pool2d | pool2d_backward | x.copy() "
          "| PyTorch max_pool2d | PyTorch forward+backward | loops ÷ pool2d | pool2d ÷ PyTorch "
          "| backward ÷ PyTorch | pool2d ÷ copy |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    layouts_seen = []
    for name, data, pool, stride in cases:
        channels = 1 if data.ndim == 2 else data.shape[-1]
        planes = channels * (1 if data.ndim < 4 else len(data))
        channel = data if data.ndim == 2 else np.ascontiguousarray(as_batch(data)[0, :, :, 0])
        if quick and channel.shape[0] > 256:
            channel = channel[:256, :256]
        scale = planes * (as_batch(data).shape[1] * as_batch(data).shape[2]) / channel.size
        loops = best_time(lambda: article_loops(channel, pool, stride), 1) * scale
        note = "" if scale == 1 else f" (1 channel{' crop' if quick else ''} × {scale:g})"

        # Autograd needs floats: both backward passes get the same float input.
        floats = data if np.issubdtype(data.dtype, np.floating) else data.astype(np.float32)
        grad = np.random.default_rng(1).random(ph.pool2d(data, pool, stride).shape,
                                               dtype=np.float32)
        contenders = {
            "pool2d": lambda: ph.pool2d(data, pool, stride),
            "backward": lambda: ph.pool2d_backward(grad, floats, pool, stride),
            "copy": lambda: data.copy(),
        }
        if torch is not None:
            contenders.update(torch_contenders(data, grad, pool, stride))
        times = best_times(contenders, repeats)
        ms = {key: f"{value * 1e3:.2f} ms" for key, value in times.items()}
        cells = ["not installed"] * 2 + ["–"] * 2
        if torch is not None:
            picked = []
            for kind in ("torch", "torch+backward"):
                layout = min(LAYOUTS, key=lambda layout: times[(kind, layout)])
                picked.append(times[(kind, layout)])
                cells[len(picked) - 1] = f"{ms[(kind, layout)]} ({layout})"
            cells[2] = f"{times['pool2d'] / picked[0]:.2f}"
            cells[3] = f"{times['backward'] / picked[1]:.2f}"
            layouts_seen.append((name, pool, stride, ms))
        print(f"| {name} | {pool} / {stride} | {loops * 1e3:,.0f} ms{note} | {ms['pool2d']} "
              f"| {ms['backward']} | {ms['copy']} | {cells[0]} | {cells[1]} "
              f"| {loops / times['pool2d']:,.0f}× | {cells[2]} | {cells[3]} "
              f"| {times['pool2d'] / times['copy']:.2f} |")
    if layouts_seen:
        print()
        print("| PyTorch, both layouts | pool / stride | forward, N, C, H, W "
              "| forward, channels last | forward+backward, N, C, H, W "
              "| forward+backward, channels last |")
        print("|---|---|---:|---:|---:|---:|")
        for name, pool, stride, ms in layouts_seen:
            print(f"| {name} | {pool} / {stride} | " + " | ".join(
                ms[(kind, layout)] for kind in ("torch", "torch+backward") for layout in LAYOUTS)
                + " |")


def peak_memory(function):
    """Peak memory NumPy allocated during ``function()``, output included, in bytes."""
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def memory_lines(features, rng):
    """Peak memory of the forward and backward passes, against the input's size."""
    mib = 2 ** 20
    photo = rng.integers(0, 256, size=(4000, 6000, 3), dtype=np.uint8)
    for name, data, pool, stride in (("512×512×64 float32 map", features, 3, 2),
                                     ("6000×4000×3 uint8 photo", photo, 3, 1)):
        grad = np.ones(ph.pool2d(data, pool, stride).shape, dtype=np.float32)
        forward = peak_memory(lambda: ph.pool2d(data, pool, stride))
        backward = peak_memory(lambda: ph.pool2d_backward(grad, data, pool, stride))
        returned = data.size * 4  # the float32 gradient pool2d_backward returns
        print(f"{name} ({data.nbytes / mib:.0f} MiB), max pool {pool} / stride {stride}: "
              f"peak memory of pool2d {forward / mib:.0f} MiB ({forward / data.nbytes:.2f}× the "
              f"input, its output included); of pool2d_backward with a float32 gradient "
              f"{backward / mib:.0f} MiB, of which {returned / mib:.0f} MiB is the gradient it "
              f"returns: {(backward - returned) / data.nbytes:.2f}× the input besides "
              f"(a {pool}×{pool}-fold copy of the windows would be "
              f"{pool * pool * data.nbytes / mib:.0f} MiB)")


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
    batch = rng.random((32, 56, 56, 256), dtype=np.float32)
    cases = [("cat 224×224 grey", cat, 2, 2)]
    cases += [("1024×1024×3 float32", image, p, s) for p, s in ((2, 2), (3, 2), (3, 1))]
    cases += [("512×512×64 float32", features, p, s) for p, s in ((2, 2), (3, 2))]
    cases += [("batch 32×56×56×256 float32", batch, 2, 2)]

    print(f"Machine: {machine_line()}")
    print()
    main_table(cases, repeats, args.quick)

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
    memory_lines(features, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
