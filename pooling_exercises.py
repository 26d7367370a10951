"""Checkers for the exercises of the pooling course.

Each checker takes the learner's answer (a number, a shape or a function), compares it with what
``pooling_helpers`` computes, and returns a ``Verdict``: shown in a notebook, it says "correct" or
what is wrong with a hint. The checks look for the mistakes learners really make: the square-only
loop, the stride ignored, the default stride, the dropped border, zero padding under max, the
divisor of a padded average, ``=`` instead of ``+=`` in the backward pass, and ties.
"""

from __future__ import annotations

import html

import numpy as np

import pooling_helpers as ph


class Verdict:
    """The outcome of a check: ``ok`` and a friendly ``message``; displays itself in a notebook."""

    def __init__(self, ok, message):
        self.ok = bool(ok)
        self.message = message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("✅ Correct! " if self.ok else "❌ Not yet. ") + self.message

    def _repr_html_(self):
        colour = "#1a7f37" if self.ok else "#b35900"
        head = "✅ Correct!" if self.ok else "❌ Not yet."
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px">'
                f"<b>{head}</b> {html.escape(self.message)}</div>")


def _right(message):
    return Verdict(True, message)


def _wrong(message):
    return Verdict(False, message)


def _missing(*answers):
    if any(answer is None or answer is Ellipsis for answer in answers):
        return _wrong("Replace the placeholder with your answer, run that cell, then run this one.")
    return None


def _shape(answer):
    try:
        return tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return None


def _judge_pair(answer, expected, right, mistakes, hint):
    """Verdict on a (rows, cols) answer: ``mistakes`` maps a typical wrong pair to its hint."""
    if (verdict := _missing(answer)) is not None:
        return verdict
    pair = _shape(answer)
    if pair == tuple(int(v) for v in expected):
        return _right(right)
    if pair in mistakes:
        return _wrong(mistakes[pair])
    if pair is None or len(pair) != 2:
        return _wrong("Answer with a pair of whole numbers, for example (1, 1).")
    return _wrong(hint)


def _run(function, *args):
    """Call the learner's function; a crash becomes a verdict rather than a traceback."""
    try:
        return np.asarray(function(*args)), None
    except Exception as error:  # the learner's code may fail in any way: report it kindly
        return None, _wrong(f"Your function raised {type(error).__name__}: {error}. "
                            "Run it on a small example to see where.")


# --- 01 pool extraction ----------------------------------------------------------------------

def check_pool_grid(answer):
    """How many pools, as (rows, columns), a 5×7 matrix has with pool 2 and stride 2."""
    expected = ph.get_pools(np.zeros((5, 7)), 2, 2).shape[:2]
    return _judge_pair(
        answer, expected,
        f"{expected[0]} rows of {expected[1]} pools: the last row and column of the matrix do "
        "not fill a whole pool, so they are left out.",
        {(2, 2): "That is what the article's loop gives: it runs over img.shape[0] twice. "
                 "Count the columns with the width, img.shape[1].",
         (3, 4): "A pool must fit entirely inside the matrix: the last row and column are too "
                 "thin for a 2×2 pool."},
        "Count the top-left corners: rows 0, 2, … while a pool still fits below, columns 0, 2, "
        "… while it still fits to the right.")


def check_get_pools(my_get_pools):
    """A learner's ``get_pools(img, pool_size, stride)`` for 2-D images of any shape."""
    cases = [(np.arange(28).reshape(4, 7), 2, 2), (np.arange(42).reshape(7, 6), 3, 2),
             (np.arange(30).reshape(5, 6), 2, 1), (np.arange(12).reshape(2, 6), 2, 3)]
    for img, pool, stride in cases:
        got, crash = _run(my_get_pools, img, pool, stride)
        if crash is not None:
            return crash
        expected = ph.get_pools(img, pool, stride)
        if got.shape == expected.shape and np.array_equal(got, expected):
            continue
        flat = expected.reshape(-1, pool, pool)
        if got.shape == flat.shape and np.array_equal(got, flat):
            return _wrong("The pools are right but in a flat list: keep the grid, shape "
                          "(out_h, out_w, pool, pool), so that the output shape is not lost.")
        if got.ndim == 4 and got.shape[0] == got.shape[1] != expected.shape[1]:
            return _wrong(f"On a {img.shape[0]}×{img.shape[1]} image you return "
                          f"{got.shape[0]}×{got.shape[1]} pools: does a loop use img.shape[0] "
                          "for the columns? The width is img.shape[1].")
        if got.ndim == 4 and got.shape[:2] == ph.get_pools(img, pool, 1).shape[:2] and stride > 1:
            return _wrong("You return one pool per pixel: the stride is ignored. Step the loops "
                          "by `stride`.")
        return _wrong(f"On a {img.shape[0]}×{img.shape[1]} matrix with pool {pool} and stride "
                      f"{stride} the expected shape is {expected.shape}; you returned "
                      f"{got.shape}. Compare your first pools with ph.get_pools.")
    return _right("Your loops work on non-square matrices, with any stride.")


# --- 02 stride -------------------------------------------------------------------------------

def check_output_size_formula(my_output_size):
    """A learner's ``my_output_size(n, k, s)`` for 'valid' pooling."""
    for n, k, s in [(4, 2, 2), (25, 2, 2), (7, 3, 2), (10, 3, 1), (224, 3, 3), (9, 2, 4), (5, 5, 1)]:
        expected = ph.output_size(n, k, s)
        try:
            got = my_output_size(n, k, s)
        except Exception as error:  # the learner's code may fail in any way
            return _wrong(f"Your function raised {type(error).__name__}: {error}.")
        if got == expected:
            continue
        if isinstance(got, float):
            return _wrong(f"For n={n}, k={k}, s={s} you return {got}, a float: a size is a whole "
                          "number of windows. Use // (floor division).")
        if got == expected + 1 and (n - k) % s:
            return _wrong(f"For n={n}, k={k}, s={s} you return {got}: the last, incomplete "
                          "window does not count. Round down, not up.")
        if got == (n - k) // s:
            return _wrong("Off by one: the first window sits at position 0 before any step. "
                          "Add 1.")
        if got == n - k + 1:
            return _wrong("The stride is missing: windows start every s cells.")
        if got == n // s:
            return _wrong(f"n // s ignores the window size: for n={n}, k={k}, s={s} only "
                          f"{expected} windows fit.")
        return _wrong(f"For n={n}, k={k}, s={s} the answer is {expected}; you return {got}.")
    return _right("⌊(n − k) / s⌋ + 1: the first window, plus one for every full step that "
                  "still fits.")


def check_skipped_cells(answer):
    """How many cells of an 8×8 input a 2×2 pool with stride 3 never looks at."""
    if (verdict := _missing(answer)) is not None:
        return verdict
    expected = int(ph.uncovered_cells((8, 8), 2, 3).sum())
    if answer == expected:
        return _right(f"{expected} of 64 cells: windows start at 0, 3 and 6, so rows and "
                      "columns 2 and 5 fall between them. A stride larger than the pool throws "
                      "pixels away unseen.")
    if answer == 0:
        return _wrong("With a stride of 3 and a pool of 2, one row in three is stepped over.")
    return _wrong("Draw it: windows start at 0, 3 and 6? Check that a window at 6 fits in 8. "
                  "Then count the rows (and columns) no window touches: covered = rows × cols.")


# --- 03 max and average pooling --------------------------------------------------------------

def check_average_pool(answer):
    """2×2 average pooling, stride 2, of the article's 4×4 matrix."""
    if (verdict := _missing(answer)) is not None:
        return verdict
    matrix = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
    expected = ph.pool2d(matrix, 2, mode="avg")
    got = np.asarray(answer, dtype=float)
    if got.shape == expected.shape and np.allclose(got, expected):
        return _right("Each output is the mean of its four cells: averaging keeps the overall "
                      "brightness, max keeps the strongest response.")
    if got.shape == expected.shape and np.array_equal(got, ph.pool2d(matrix, 2)):
        return _wrong("Those are the maxima. Average pooling adds the four cells and divides by 4.")
    if got.shape == (3, 3):
        return _wrong("That is stride 1. Use stride 2, the default in both frameworks.")
    return _wrong(f"Expected shape {expected.shape}. The top-left window is 10, 12, 4, 11: "
                  "what is its mean?")


def check_default_stride_shape(answer):
    """The shape of ``pool2d(x, 3)`` for a 9×12 image: the stride defaults to the pool size."""
    return _judge_pair(
        answer, ph.pool2d(np.zeros((9, 12)), 3).shape,
        "With no stride given, the stride is the pool size (as in Keras and PyTorch): the "
        "windows tile the image.",
        {ph.pool2d(np.zeros((9, 12)), 3, 1).shape:
            "That is stride 1. In pool2d, Keras and PyTorch the default stride is the pool size."},
        "Use ⌊(n − k) / s⌋ + 1 on each side, with s = k = 3.")


def check_global_pooling(my_global_average):
    """A learner's ``my_global_average(feature_map)``: (H, W, C) → one mean per channel, (C,)."""
    feature_map = np.random.default_rng(2).normal(size=(5, 7, 3))
    got, crash = _run(my_global_average, feature_map)
    if crash:
        return crash
    expected = feature_map.mean(axis=(0, 1))
    if got.shape == expected.shape and np.allclose(got, expected):
        return _right("Global pooling is pooling with one window as large as the map: one value "
                      "per channel, whatever the image size.")
    if got.shape == (5, 7):
        return _wrong("You averaged over the channels. Average over height and width: "
                      "axis=(0, 1).")
    if got.shape == ():
        return _wrong("One number for everything: keep one value per channel, axis=(0, 1).")
    return _wrong(f"Expected one value per channel, shape {expected.shape}; got {got.shape}.")


# --- 04 the cat ------------------------------------------------------------------------------

def check_cat_pooled_shape(answer):
    """The shape of the 224×224 cat after 3×3 max pooling with stride 3."""
    expected = ph.pool2d(np.zeros((224, 224)), 3).shape
    return _judge_pair(
        answer, expected,
        f"{expected[0]}×{expected[1]}: 3 × 74 = 222, so the last 2 rows and columns are dropped.",
        {(75, 75): "224 / 3 = 74.7 is rounded down: a window that does not fit is dropped "
                   "(unless you pad or use ceil mode).",
         (222, 222): "That is stride 1. Here the stride is 3."},
        "Apply ⌊(224 − 3) / 3⌋ + 1 to each side.")


def check_kept_share(answer):
    """Share of the 224×224 cat's pixels that 3×3 max pooling with stride 2 keeps."""
    if (verdict := _missing(answer)) is not None:
        return verdict
    side = ph.output_size(224, 3, 2)
    expected = side * side / 224 ** 2
    if np.isclose(answer, expected, atol=5e-4):
        return _right(f"{side}×{side} of 224×224 is {expected:.1%}: the share depends on the "
                      "stride (about 1/s²), not on the pool size.")
    if np.isclose(answer, 1 / 9, atol=5e-3):
        return _wrong("1/9 would be a 3×3 pool with stride 3. The stride, not the pool, sets "
                      "how many windows there are.")
    if np.isclose(answer, 0.25, atol=5e-4):
        return _wrong(f"Close: about 1/s², but a 3-wide window fits {side} times, not 112. "
                      "Use the output-size formula.")
    if answer > 1:
        return _wrong("Give a share between 0 and 1, for example 0.5 for half.")
    return _wrong("Compute the output side with ⌊(224 − 3) / 2⌋ + 1, then (side / 224)².")


def check_halvings(answer):
    """How many 2×2 poolings take the 224×224 cat down to 14×14."""
    if (verdict := _missing(answer)) is not None:
        return verdict
    size, count = 224, 0
    while size > 14:
        size, count = ph.output_size(size, 2), count + 1
    if answer == count:
        return _right(f"{count} poolings: 224 → 112 → 56 → 28 → 14; each keeps a quarter of the "
                      "pixels.")
    if answer == 16:
        return _wrong("224 / 14 = 16 is the ratio of the sides, but each pooling halves the "
                      "side: how many halvings make 16?")
    return _wrong("Halve 224 until you reach 14, and count the steps.")


# --- 05 padding ------------------------------------------------------------------------------

def check_25_by_25(without_ceil, with_ceil):
    """Output side of a 25×25 input with 2×2 pooling: default (floor) and PyTorch ceil mode."""
    verdict = _missing(without_ceil, with_ceil)
    if verdict is not None:
        return verdict
    floor_size = ph.output_size(25, 2)
    ceil_size = ph.output_size(25, 2, padding=0, ceil_mode=True)
    if (without_ceil, with_ceil) == (floor_size, ceil_size):
        return _right("12 by default: the 25th row and column do not fill a window and are "
                      "dropped. Ceil mode keeps a last, partial window: 13.")
    if without_ceil == 13:
        return _wrong("By default the partial window at the border is dropped: round down.")
    if with_ceil == 12:
        return _wrong("Ceil mode rounds up, keeping the partial window that starts at row 24.")
    return _wrong("Use ⌊(25 − 2) / 2⌋ + 1, then the same with ⌈ ⌉.")


def check_padded_max(my_padded_max):
    """A learner's ``my_padded_max(x)``: 2×2 max pooling, stride 2, padding 1, as PyTorch."""
    rng = np.random.default_rng(5)
    for x in (-1.0 - rng.random((4, 4)), rng.normal(size=(5, 3))):
        got, crash = _run(my_padded_max, x)
        if crash is not None:
            return crash
        expected = ph.pool2d(x, 2, 2, padding=1)
        if got.shape == expected.shape and np.allclose(got, expected):
            continue
        if got.shape == expected.shape and np.allclose(got, ph.pool2d(np.pad(x, 1), 2, 2)):
            return _wrong("You padded with zeros: on negative inputs a zero wins the max and "
                          "invents a value that was never there. Pad with -np.inf.")
        return _wrong(f"On a {x.shape} input expected shape {expected.shape} and values from "
                      f"pool2d(x, 2, 2, padding=1); you returned shape {got.shape}.")
    return _right("Padding with −∞ means a padded cell never wins: only real values come out.")


def check_padded_average(torch_value, tensorflow_value):
    """Top-left output of 2×2 average pooling of a 3×3 image of 4s: PyTorch padding=1 and TF 'same'."""
    verdict = _missing(torch_value, tensorflow_value)
    if verdict is not None:
        return verdict
    x = np.full((3, 3), 4.0)
    torch_expected = ph.pool2d(x, 2, 2, padding=1, mode="avg")[0, 0]
    tf_expected = ph.pool2d(x, 2, 2, padding="same", mode="avg")[0, 0]
    if np.isclose(torch_value, torch_expected) and np.isclose(tensorflow_value, tf_expected):
        return _right("PyTorch's window holds one real 4 and three padded zeros and divides by "
                      "4 (count_include_pad=True): 1.0. TensorFlow's 'same' pads only at the "
                      "bottom and right, so its first window is four real 4s: 4.0.")
    if np.isclose(torch_value, 4.0):
        return _wrong("PyTorch counts the padding in the divisor by default: "
                      "(4 + 0 + 0 + 0) / 4.")
    if np.isclose(tensorflow_value, 1.0) or np.isclose(tensorflow_value, 2.0):
        return _wrong("TensorFlow's 'same' puts the extra padding at the bottom and right: the "
                      "top-left window has no padding at all.")
    return _wrong("Draw the 3×3 image with its padding, and the first 2×2 window on it.")


# --- 06 verification and speed ---------------------------------------------------------------

def check_view_pooling(my_view_pool, mode="max"):
    """A learner's ``my_view_pool(img, pool, stride)`` built on ``sliding_window_view``.

    ``mode`` is the pooling it should do: 'max', 'avg' or 'min'.
    """
    reduction = {"max": "max", "avg": "mean", "min": "min"}[mode]
    for shape, pool, stride in [((6, 9), 2, 2), ((7, 5), 3, 2), ((5, 8), 2, 1), ((9, 9), 2, 3)]:
        img = np.random.default_rng(sum(shape)).normal(size=shape)
        got, crash = _run(my_view_pool, img, pool, stride)
        if crash is not None:
            return crash
        expected = ph.pool2d(img, pool, stride, mode=mode)
        if got.shape == expected.shape and np.allclose(got, expected, rtol=1e-12, atol=0):
            continue
        if got.shape == ph.pool2d(img, pool, 1).shape and stride > 1:
            return _wrong("sliding_window_view gives every window at stride 1: keep every "
                          "stride-th one with [::stride, ::stride].")
        if got.shape == expected.shape:
            others = [m for m in ph.MODES if m != mode
                      and np.allclose(got, ph.pool2d(img, pool, stride, mode=m))]
            if others:
                return _wrong(f"That is {others[0]} pooling; this exercise wants {mode}: take "
                              f"the {reduction} over the last two axes.")
        return _wrong(f"On a {shape} image with pool {pool}, stride {stride}: expected shape "
                      f"{expected.shape}, got {got.shape}. Take the {reduction} over the last "
                      "two axes.")
    return _right(f"The windows are a view (no copy), and one {reduction} over the last two axes "
                  "pools them all.")


def check_window_count(answer):
    """How many windows the loops visit on a 1024×1024 image with pool 3 and stride 1."""
    if (verdict := _missing(answer)) is not None:
        return verdict
    expected = ph.output_size(1024, 3, 1) ** 2
    if answer == expected:
        return _right(f"{expected:,} windows, each a Python-level step: that is why the loops "
                      "take seconds.")
    if answer == 1024 ** 2:
        return _wrong("A 3×3 window does not fit at the last two rows and columns.")
    if answer == (1024 // 3) ** 2 or answer == ph.output_size(1024, 3) ** 2:
        return _wrong("That is stride 3; here the stride is 1, so windows overlap.")
    return _wrong("Use the output-size formula on each side and multiply.")


# --- 07 the backward pass --------------------------------------------------------------------

def check_max_backward(my_max_backward):
    """A learner's ``my_max_backward(grad_out, x, pool, stride)`` with loops, for 2-D ``x``."""
    rng = np.random.default_rng(7)
    cases = [(rng.permutation(16).reshape(4, 4).astype(float), 2, 2),
             (rng.permutation(25).reshape(5, 5).astype(float), 3, 1),
             (np.array([[1.0, 5.0, 5.0], [5.0, 2.0, 0.0], [0.0, 0.0, 0.0]]), 2, 1)]
    for x, pool, stride in cases:
        grad_out = rng.integers(1, 5, size=ph.pool2d(x, pool, stride).shape).astype(float)
        got, crash = _run(my_max_backward, grad_out, x, pool, stride)
        if crash is not None:
            return crash
        expected = ph.pool2d_backward(grad_out, x, pool, stride)
        if got.shape == expected.shape and np.allclose(got, expected):
            continue
        if got.shape != expected.shape:
            return _wrong(f"The gradient has the shape of x, {x.shape}; you returned {got.shape}.")
        if got.sum() < expected.sum() - 1e-9:
            return _wrong("Some gradient went missing where windows overlap: a cell that is the "
                          "maximum of several windows must collect all of their gradients "
                          "(+=, not =).")
        if got.sum() > expected.sum():
            return _wrong("Some windows send their gradient to more than one cell: with ties, "
                          "only the first maximum in row-major order gets it (np.argmax does that).")
        return _wrong("Each output's gradient goes to the position of its window's maximum; "
                      "check how you turn the window's argmax into a row and column of x.")
    return _right("Gradients go to the first maximum of each window and add up where windows "
                  "overlap, exactly as in TensorFlow and PyTorch.")


def check_tie_cell(answer):
    """Which cell of the window [[3, 7], [7, 1]] receives the gradient of max pooling."""
    grad = ph.pool2d_backward([[1.0]], np.array([[3.0, 7.0], [7.0, 1.0]]))
    return _judge_pair(
        answer, np.argwhere(grad == 1.0)[0],
        "(0, 1): both 7s are maxima, and the first in row-major order (along the top row "
        "first) takes the whole gradient.",
        {(1, 0): "Row-major order reads the top row first, left to right."},
        "Only a maximum can receive the gradient, and only one of them.")
