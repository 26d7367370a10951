"""A class on one JupyterHub, measured: 1, 10 and 30 learners at once on this machine.

    python benchmarks/bench_classroom.py                 # 1, 10 and 30 learners
    python benchmarks/bench_classroom.py --learners 1 10 # some of them

For each class size, a fresh hub from classroom/jupyterhub_config.py (the idle culler off) hands
out a clone of this repository with the nbgitpuller link, and every learner, in a thread of their
own, does what tests/test_classroom.py does with three (classroom/simulate.py, the same code):
follows the link, opens 04_cat_image.ipynb with a kernel, runs it top to bottom, then moves the
cat explorer's stride slider 20 times; all learners start the slider moves at the same moment.

The table gives, per class size: how long the servers took to start (all asked at once); from the
link to a notebook with a ready kernel (median and slowest learner); the notebook's run; the slider
latency (from the move leaving the "page" to the new picture arriving through the proxy, median
and 95th percentile over every move of every learner); the peak resident memory of the hub, the
proxy, the servers and the kernels together, sampled every half second, and per learner (the
peak less the hub and proxy alone, divided by the learners); the largest server and the largest
kernel; and CPU time: all of it, and per slider move (CPU used by every process while the sliders
moved, divided by the moves). Resident memory counts a library shared between processes in each
of them, so its sum overstates what the machine needs; the proportional set size (PSS, each
shared page split between the processes that share it), read once after the last slider move,
is what the class takes: all of it, and a learner's server and kernel.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classroom.simulate import Hub, Learner, lesson, pull_link  # noqa: E402

NOTEBOOK = "notebooks/04_cat_image.ipynb"
MB = 1024 * 1024


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def kind(process):
    """Which part of the class a process is."""
    try:
        text = " ".join(process.cmdline())
    except Exception:
        return "gone"
    if "jupyterhub.singleuser" in text:
        return "server"
    if "ipykernel" in text:
        return "kernel"
    if "configurable-http-proxy" in text:
        return "proxy"
    return "hub"


class Sampler(threading.Thread):
    """Every half second: the resident memory of each part, keeping the peaks."""

    def __init__(self, hub):
        super().__init__(daemon=True)
        self.hub, self.stopped = hub, threading.Event()
        self.peak_total = 0
        self.peak_each = {"server": 0, "kernel": 0}

    def run(self):
        while not self.stopped.is_set():
            total = 0
            for process in self.hub.processes():
                try:
                    rss = process.memory_info().rss
                except Exception:
                    continue
                total += rss
                part = kind(process)
                if part in self.peak_each:
                    self.peak_each[part] = max(self.peak_each[part], rss)
            self.peak_total = max(self.peak_total, total)
            self.stopped.wait(0.5)


def class_of(size, moves, workdir):
    teacher = workdir / "pooling-from-scratch"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(teacher)], check=True)
    subprocess.run(["git", "-C", str(teacher), "checkout", "-q", "-B", "main"], check=True)
    (workdir / "hub").mkdir()
    hub = Hub(workdir / "hub", idle_seconds=0, activity_seconds=60)
    row = {"learners": size}
    try:
        hub.start()
        time.sleep(2)  # the culler off, the hub and proxy settle
        row["base"] = hub.usage()[0]
        sampler = Sampler(hub)
        sampler.start()
        cpu_start = hub.usage()[1]
        names = [f"learner-{i:02d}" for i in range(size)]
        hub.api("POST", "users", json={"usernames": names}).raise_for_status()
        learners = [Learner(hub, name) for name in names]
        for learner in learners:
            if not learner.log_in(hub.password):
                raise RuntimeError(f"{learner.name} could not log in")
            learner.get_token()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(size) as pool:
            list(pool.map(lambda learner: learner.start_server(timeout=600), learners))
        row["servers"] = time.perf_counter() - started
        link = pull_link(hub.url, str(teacher), NOTEBOOK)
        marks = {}

        def moving():
            marks["cpu"] = hub.usage()[1]
            marks["time"] = time.perf_counter()

        together = threading.Barrier(size, action=moving)
        with concurrent.futures.ThreadPoolExecutor(size) as pool:
            lessons = list(pool.map(
                lambda learner: lesson(learner, link, f"pooling-from-scratch/{NOTEBOOK}", moves,
                                       together), learners))
        row["moving"] = time.perf_counter() - marks["time"]
        memory, cpu_end = hub.usage()
        # proportional set size: a library page shared by n processes counts 1/n in each, so
        # the sum is what the class takes from the machine's memory (read once, it is slow)
        pss = {"all": 0, "servers and kernels": 0}
        for process in hub.processes():
            try:
                value = process.memory_full_info().pss
            except Exception:
                continue
            pss["all"] += value
            if kind(process) in ("server", "kernel"):
                pss["servers and kernels"] += value
        sampler.stopped.set()
        sampler.join()
        errors = [e for result in lessons for e in result["errors"]]
        bad = sum(1 for result in lessons
                  for (stride, seconds, caption, size_png), side
                  in zip(result["moves"], result["expected"])
                  if not size_png or f"output {side}×{side}" not in (caption or ""))
        latencies = [move[1] for result in lessons for move in result["moves"]]
        row.update(
            ready=[r["ready"] for r in lessons], run=[r["run"] for r in lessons],
            latency50=percentile(latencies, 0.5), latency95=percentile(latencies, 0.95),
            moves=len(latencies), errors=len(errors) + bad, peak=sampler.peak_total,
            server=sampler.peak_each["server"], kernel=sampler.peak_each["kernel"],
            pss=pss["all"], pss_learner=pss["servers and kernels"] / size,
            cpu=cpu_end - cpu_start, cpu_move=(cpu_end - marks["cpu"]) / max(1, len(latencies)))
        for result in lessons:
            result["kernel"].close()
    finally:
        hub.stop()
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--moves", type=int, default=20)
    options = parser.parse_args()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    print(f"{time.strftime('%Y-%m-%d %H:%M')} | {platform.machine()}, {os.cpu_count()} cores, "
          f"{memory:.0f} GB | Python {platform.python_version()} | load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()) + " before the first class")
    rows = []
    for size in options.learners:
        with tempfile.TemporaryDirectory(prefix="bench-classroom-") as workdir:
            try:
                rows.append(class_of(size, options.moves, Path(workdir)))
            except Exception as error:  # a class that fails is a row of the table too
                rows.append({"learners": size, "failed": f"{type(error).__name__}: {error}"})
        print(f"  {size} learners done; load average now "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
    print()
    print("| learners | servers up (s) | link → ready notebook, median / slowest (s) "
          "| notebook run, median / slowest (s) | slider latency p50 / p95 (ms) "
          "| peak RSS, all (GB) | per learner (MB) | largest server / kernel (MB) "
          "| PSS at the end, all (GB) | per learner (MB) "
          "| CPU, all (s) | CPU per slider move (ms) | errors or missed redraws |")
    print("|" + "---|" * 13)
    for row in rows:
        if "failed" in row:
            print(f"| {row['learners']} | failed: " + row["failed"].splitlines()[0][:300] + " |")
            continue
        per = (row["peak"] - row["base"]) / row["learners"] / MB
        print(f"| {row['learners']} | {row['servers']:.1f} "
              f"| {statistics.median(row['ready']):.1f} / {max(row['ready']):.1f} "
              f"| {statistics.median(row['run']):.1f} / {max(row['run']):.1f} "
              f"| {1000 * row['latency50']:.0f} / {1000 * row['latency95']:.0f} "
              f"| {row['peak'] / 1024 ** 3:.2f} | {per:.0f} "
              f"| {row['server'] / MB:.0f} / {row['kernel'] / MB:.0f} "
              f"| {row['pss'] / 1024 ** 3:.2f} | {row['pss_learner'] / MB:.0f} "
              f"| {row['cpu']:.0f} | {1000 * row['cpu_move']:.0f} "
              f"| {row['errors']} of {row['moves']} moves |")


if __name__ == "__main__":
    main()
