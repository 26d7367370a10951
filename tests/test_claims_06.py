"""Notebook 06 (verification and speed): what its prose says about data, recomputed.

Timings change from run to run, so the prose states none; its qualitative claims about them
(which version is fastest, which line is higher) are checked against the times the stored run
printed, and the printed ratios against the printed times.
"""

import ast
import re
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import pooling_helpers as ph
from claims import cells, does_not_say, printed, prints, prose, says

NB = "06_verification_and_speed"
ROOT = Path(__file__).resolve().parents[1]


def _cell(cell_id):
    return next(c for c in cells(NB) if c.get("id") == cell_id)


def _source(cell_id):
    return "".join(_cell(cell_id)["source"])


def _stdout(cell_id):
    return "".join("".join(o["text"]) for o in _cell(cell_id)["outputs"]
                   if o["output_type"] == "stream" and o["name"] == "stdout")


CAT, RANDOM, FRAMEWORKS, TORCH, TF = "5d2cff60", "79ab76fd", "460999d3", "965ff70e", "9b1d8526"
TIMING, CHART = "9e48713f", "79005f0e"


def test_loops_equal_pool2d_on_the_cat():
    cat = ph.load_image(ROOT / "data" / "cat.png", grayscale=True, size=(224, 224))
    pairs = [(2, 2), (3, 2), (3, 1), (2, 3)]
    assert f"for pool, stride in {pairs}:" in _source(CAT)
    for pool, stride in pairs:
        loops = ph.max_pooling(ph.get_pools(cat, pool, stride))
        assert np.array_equal(loops, ph.pool2d(cat, pool, stride))
        prints(NB, f"pool {pool}, stride {stride}: equal = True")
    says(NB, f"on the cat with {['one', 'two', 'three', 'four'][len(pairs) - 1]} pool and "
             "stride pairs")


def test_loops_equal_pool2d_on_random_inputs():
    # the notebook's recipe, recomputed here
    for line in ["rng = np.random.default_rng(0)", "for _ in range(200):",
                 "h, w, c = rng.integers(3, 20, size=3)",
                 "pool, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))",
                 "x = rng.normal(size=(h, w, c))"]:
        assert line in _source(RANDOM)
    rng = np.random.default_rng(0)
    checked, sizes, steps = 0, [], []
    for _ in range(200):
        h, w, c = rng.integers(3, 20, size=3)
        pool, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        x = rng.normal(size=(h, w, c))
        sizes += [h, w, c]
        steps += [pool, stride]
        fast = ph.pool2d(x, pool, stride)
        for channel in range(c):
            loops = ph.max_pooling(ph.get_pools(x[..., channel], pool, stride))
            assert np.array_equal(fast[..., channel], loops)
            checked += 1
    assert (min(sizes), max(sizes), min(steps), max(steps)) == (3, 19, 1, 3)
    says(NB, "Then 200 random inputs: height, width and channel count each drawn from 3 to 19, "
             "pool and stride from 1 to 3.")
    prints(NB, f"{checked} channels: all equal")
    says(NB, f"on 200 random inputs ({checked} channels)")


def test_the_course_needs_no_framework_and_ci_installs_both():
    says(NB, "The course does not need PyTorch or TensorFlow, and the install it asks of you "
             "(`requirements.txt`) has neither.")
    learner = (ROOT / "requirements.txt").read_text() + (ROOT / "pyproject.toml").read_text()
    assert not re.search(r"^\s*\"?(torch|tensorflow)", learner, re.M | re.I)
    frameworks = (ROOT / "requirements-frameworks.txt").read_text()
    assert re.search(r"^torch==", frameworks, re.M)
    assert re.search(r"^tensorflow-cpu==2\.21\.", frameworks, re.M)
    says(NB, "Handed a NumPy float64 array, TensorFlow 2.21's `tf.nn.max_pool2d`")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip\" install -q -r requirements-frameworks.txt" in ci
    assert "tests/check_against_frameworks.py --require torch,tensorflow" in ci
    assert "06_verification_and_speed" in ci and "MISMATCH" in ci and "skipped" in ci
    says(NB, "builds a separate environment from `requirements-frameworks.txt`, with PyTorch and "
             "TensorFlow (both CPU-only)")
    says(NB, "fails if a line below says False or MISMATCH, or if a framework cell skipped")


def test_the_framework_script_runs_2000_cases():
    script = (ROOT / "tests" / "check_against_frameworks.py").read_text()
    cases = int(re.search(r'"--cases", type=int, default=(\d+)', script).group(1))
    says(NB, f"with each framework on {cases:,} random cases")
    assert "rtol=1e-12, atol=1e-12" in script


def test_the_batch_the_frameworks_see():
    assert "batch = rng.normal(size=(2, 11, 8, 3))" in _source(FRAMEWORKS)
    says(NB, "a random batch of 2 images of 11×8 pixels with 3 channels")
    assert "tf.constant(batch)" in _source(TF)
    says(NB, "TensorFlow gets `tf.constant(batch)`")


def _notebook_functions():
    """agree and verdict, as the notebook defines them."""
    tree = ast.parse(_source(FRAMEWORKS))
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    namespace = {"np": np}
    exec(compile(ast.Module(functions, []), NB, "exec"), namespace)
    return namespace["agree"], namespace["verdict"]


def test_the_notebooks_agreement_check_can_fail(capsys):
    """What the prose calls agreeing is what the cells test: a check that can say False."""
    agree, verdict = _notebook_functions()
    x = np.random.default_rng(1).normal(size=(2, 3, 3, 1))
    assert agree("t", x, x.copy(), "max") and agree("t", x, x + 1e-14, "avg")
    assert not agree("t", x, x.astype(np.float32), "max")      # the TensorFlow quirk
    whole = np.round(x)  # equal values in float32: only the dtype tells them apart
    assert not agree("t", whole, whole.astype(np.float32), "max")
    assert not agree("t", x, x.astype(np.float32), "avg")
    assert not agree("t", x, np.nextafter(x, np.inf), "max")    # exactly equal means exactly
    assert not agree("t", x, x + 1e-9, "avg")                   # rounding is within 1e-12
    assert not agree("t", x, x[:, :2], "max")
    says(NB, "values **equal to rounding** (within 1e-12)")
    says(NB, "the same shape and dtype, and **exactly equal** values (`np.array_equal`)")
    assert verdict([True] * 6) == "all 6 comparisons agree"
    assert verdict([True, False]).startswith("MISMATCH")
    says(NB, "then a verdict: `all N comparisons agree`, or `MISMATCH`")
    capsys.readouterr()


def test_the_stored_run_had_no_framework():
    prints(NB, "PyTorch installed: False | TensorFlow installed: False")
    prints(NB, "PyTorch is not installed: skipped")
    prints(NB, "TensorFlow is not installed: skipped")
    prints(NB, "PyTorch is not installed: not timed.")
    says(NB, "The stored run had neither framework, so those cells skipped")
    says(NB, "PyTorch has a line only where it is installed, which it was not for the stored run")
    assert "MISMATCH" not in printed(NB)
    assert re.findall(r"\bFalse\b", printed(NB)) == ["False", "False"]  # "installed: False" × 2


def test_over_a_million_windows():
    windows = ph.output_size(1024, 3, 1) ** 2
    assert 1_000_000 < windows < 1_100_000
    says(NB, "a 1024×1024 image with a 3×3 pool and stride 1 has over a million windows")


def test_max_pooling_with_a_view_in_two_lines():
    tree = ast.parse(_source("1e2449ed"))
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    assert function.name == "view_max_pool" and len(function.body) == 2
    says(NB, "that is max pooling in two lines")


def test_windows_are_a_view():
    small = np.arange(20).reshape(4, 5)
    windows = np.lib.stride_tricks.sliding_window_view(small, (2, 2))
    assert np.shares_memory(windows, small) and windows.shape == (3, 4, 2, 2)
    prints(NB, "(3, 4, 2, 2) shares memory with the input: True")


def test_pool2d_keeps_a_few_copies_at_most():
    says(NB, "never more than a few copies of the image in memory")
    img = np.random.default_rng(0).random((512, 512))
    for pool, stride in [(2, 2), (3, 1), (5, 1)]:
        tracemalloc.start()
        ph.pool2d(img, pool, stride)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak <= 4 * img.nbytes, (pool, stride, peak / img.nbytes)


def _stored_timings():
    """The table the timing cell printed: {version: {side: ms or None}}."""
    lines = _stdout(TIMING).splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["side"])
    names = lines[start].split()[1:]
    table = {name: {} for name in names}
    for line in lines[start + 1:]:
        side, *values = line.split()
        for name, value in zip(names, values):
            table[name][int(side)] = None if value == "—" else float(value)
    return table


def test_every_version_was_timed_on_the_same_float64_input():
    source = _source(TIMING)
    assert source.count("img = rng.random((side, side))") == 1  # one input per side, for all
    assert "torch.rand" not in source and "float32" not in source
    assert "as_torch = torch.from_numpy(img).reshape(1, 1, side, side)" in source
    assert "def best_of(function, repeats=5):" in source and ", 1)" not in source
    says(NB, "every contender gets the same input: one random float64 image, built before the "
             "clock starts. Each version keeps the best of five runs.")
    table = _stored_timings()
    assert list(table) == ["loops", "sliding_window_view", "pool2d"]
    assert [side for side, ms in table["loops"].items() if ms is not None] == [64, 128, 256]
    says(NB, "The loops run on the smaller sides only")


def test_what_the_chart_shows_holds_on_the_stored_times():
    table = _stored_timings()
    sides = list(table["pool2d"])
    for name, times in table.items():
        ran = [ms for ms in times.values() if ms is not None]
        assert ran[-1] > ran[0], name
    says(NB, "every line ends higher than it starts")
    for side in sides:
        ran = {name: times[side] for name, times in table.items() if times[side] is not None}
        assert min(ran, key=ran.get) == "pool2d", side
        if "loops" in ran:
            assert max(ran, key=ran.get) == "loops", side
    says(NB, "`pool2d`'s line is the lowest at every side, and the loops' line the highest at "
             "every side where the loops ran")
    says(NB, "`pool2d` was the fastest NumPy version at every side, and the loops the slowest "
             "wherever they ran")
    gap = {side: table["loops"][side] / table["pool2d"][side] for side in (64, 256)}
    assert gap[256] > gap[64]
    says(NB, "the gap between the loops and `pool2d` is wider at side 256 than at side 64")
    # four times the pixels for each doubling of the side
    assert all(b == 2 * a for a, b in zip(sides, sides[1:]))
    says(NB, "which is multiplied by four each time the side doubles")


def test_printed_ratios_and_cost_per_window_match_the_printed_times():
    table = _stored_timings()
    out = _stdout(CHART)
    labels = {"loops": "loops (get_pools + max_pooling)",
              "sliding_window_view": "sliding_window_view"}
    for name, label in labels.items():
        line = next(line for line in out.splitlines() if line.startswith(f"{label} ÷ pool2d"))
        shown = dict(re.findall(r"(\d+): ([\d.]+)×", line.split("by side:")[1]))
        expected = {str(side): ms / table["pool2d"][side]
                    for side, ms in table[name].items() if ms is not None}
        assert shown.keys() == expected.keys()
        for side, ratio in expected.items():
            # both printed from unrounded times: allow for the table's rounding to 3 decimals
            assert float(shown[side]) == pytest.approx(ratio, rel=0.05, abs=0.06), (name, side)
    windows = ph.output_size(256, 3, 2) ** 2
    found = re.search(rf"loops at side 256: {windows} windows, ([\d.]+) µs per window", out)
    assert found, "the cost per window is not printed"
    assert float(found.group(1)) == pytest.approx(table["loops"][256] * 1e3 / windows, rel=0.05)
    assert 1 <= float(found.group(1)) < 1000  # microseconds, as the prose says
    says(NB, "each costs microseconds of interpreter work (the timing section below prints the "
             "cost per window)")
    says(NB, "is what the cell above printed (\"÷ pool2d\"), with the loops' cost per window")


def test_no_measured_number_in_the_prose():
    does_not_say(NB, "hundreds of times higher")
    text = prose(NB)
    assert not re.search(r"\d(\.\d+)?\s*(ms|µs|milliseconds|microseconds)\b", text)
    assert not re.search(r"\d+(\.\d+)?×(?!\d)", text), "a ratio stated in the prose"


def test_code_lines_fit_79_characters():
    code = [c for c in cells(NB) if c["cell_type"] == "code"]
    colab = code[0]  # the Colab cell, the same in every notebook (tests/test_hosted.py)
    assert "google.colab" in "".join(colab["source"])
    lines = [line for c in code[1:] for line in "".join(c["source"]).splitlines()]
    for c in cells(NB):
        if c["cell_type"] == "markdown":
            lines += [line for block in re.findall(r"```python\n(.*?)```", "".join(c["source"]),
                                                   re.S) for line in block.splitlines()]
    assert [line for line in lines if len(line) > 79] == []
