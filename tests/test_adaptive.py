"""Adaptive pooling: adaptive_windows, adaptive_pool2d and adaptive_pool2d_backward against a slow
reference written from the definition, pool2d, a numerical gradient, and every bad input.

PyTorch itself is compared in tests/check_against_frameworks.py (the suite needs no framework).
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import pooling_helpers as ph


# --- a slow reference, straight from the definition --------------------------------------------

def reference_windows(n, m):
    """Window i of m over n cells runs from ⌊i·n/m⌋ to ⌈(i+1)·n/m⌉, the end excluded (exact
    fractions, so no float rounding can move an end)."""
    return [(math.floor(Fraction(i * n, m)), math.ceil(Fraction((i + 1) * n, m)))
            for i in range(m)]


def reference_pool(x, out_h, out_w, mode):
    """One channel (H, W): every output cell from its window, value by value."""
    rows, cols = reference_windows(x.shape[0], out_h), reference_windows(x.shape[1], out_w)
    result = np.zeros((out_h, out_w))
    for i, (top, bottom) in enumerate(rows):
        for j, (left, right) in enumerate(cols):
            values = [float(x[r, c]) for r in range(top, bottom) for c in range(left, right)]
            if mode == "max":
                result[i, j] = max(values)
            elif mode == "min":
                result[i, j] = min(values)
            else:
                result[i, j] = sum(values) / len(values)
    return result


def reference_backward(grad_out, x, out_h, out_w, mode):
    """One channel: each output's gradient to the first extreme of its window in row-major
    order (strictly better replaces), or spread evenly; overlapping windows add up."""
    rows, cols = reference_windows(x.shape[0], out_h), reference_windows(x.shape[1], out_w)
    grad = np.zeros(x.shape)
    for i, (top, bottom) in enumerate(rows):
        for j, (left, right) in enumerate(cols):
            cells = [(r, c) for r in range(top, bottom) for c in range(left, right)]
            if mode == "avg":
                for cell in cells:
                    grad[cell] += grad_out[i, j] / len(cells)
                continue
            best = cells[0]
            for cell in cells[1:]:
                better = x[cell] > x[best] if mode == "max" else x[cell] < x[best]
                if better:
                    best = cell
            grad[best] += grad_out[i, j]
    return grad


def as4(x):
    """(H, W), (H, W, C) or (N, H, W, C) as (N, H, W, C)."""
    x = np.asarray(x)
    return {2: x[None, :, :, None], 3: x[None], 4: x}[x.ndim]


def reference_pool4(x, out_h, out_w, mode):
    x4 = as4(x)
    result = np.zeros((x4.shape[0], out_h, out_w, x4.shape[3]))
    for n in range(x4.shape[0]):
        for c in range(x4.shape[3]):
            result[n, :, :, c] = reference_pool(x4[n, :, :, c], out_h, out_w, mode)
    return result.reshape(result.shape[:1] * (x.ndim == 4) + (out_h, out_w)
                          + result.shape[3:] * (x.ndim >= 3))


def reference_backward4(grad_out, x, out_h, out_w, mode):
    x4, g4 = as4(x), as4(grad_out)
    result = np.zeros(x4.shape)
    for n in range(x4.shape[0]):
        for c in range(x4.shape[3]):
            result[n, :, :, c] = reference_backward(g4[n, :, :, c], x4[n, :, :, c],
                                                    out_h, out_w, mode)
    return result.reshape(np.shape(x))


# --- hand-worked examples ----------------------------------------------------------------------

@pytest.mark.parametrize("n, m, windows", [
    (10, 4, [(0, 3), (2, 5), (5, 8), (7, 10)]),   # overlaps at cells 2 and 7, steps 2, 3, 2
    (7, 3, [(0, 3), (2, 5), (4, 7)]),             # each window overlaps the next
    (8, 3, [(0, 3), (2, 6), (5, 8)]),             # sizes 3, 4, 3
    (7, 4, [(0, 2), (1, 4), (3, 6), (5, 7)]),     # the exercise of notebook 05
    (6, 3, [(0, 2), (2, 4), (4, 6)]),             # m divides n: pool2d's windows
    (2, 3, [(0, 1), (0, 2), (1, 2)]),             # more outputs than cells: cells repeat
    (5, 1, [(0, 5)]),                             # global pooling: one window, everything
])
def test_windows_by_hand(n, m, windows):
    assert ph.adaptive_windows(n, m) == windows == reference_windows(n, m)


def test_a_row_of_ten_to_four():
    row = np.arange(10)[None, :]
    assert ph.adaptive_pool2d(row, (1, 4)).tolist() == [[2, 4, 7, 9]]
    assert ph.adaptive_pool2d(row, (1, 4), mode="min").tolist() == [[0, 2, 5, 7]]
    assert ph.adaptive_pool2d(row, (1, 4), mode="avg").tolist() == [[1.0, 3.0, 6.0, 8.0]]


def test_one_by_one_is_global_pooling():
    x = np.random.default_rng(3).normal(size=(2, 9, 13, 4))
    np.testing.assert_allclose(ph.adaptive_pool2d(x, 1, "avg")[:, 0, 0], x.mean(axis=(1, 2)),
                               rtol=1e-12)
    np.testing.assert_array_equal(ph.adaptive_pool2d(x, 1)[:, 0, 0], x.max(axis=(1, 2)))


def test_any_input_size_gives_the_asked_output_shape():
    for shape in [(224, 224, 3), (300, 451, 3), (150, 225, 3), (5, 3, 3)]:
        assert ph.adaptive_pool2d(np.zeros(shape), 7, "avg").shape == (7, 7, 3)
    assert ph.adaptive_pool2d(np.zeros((4, 6)), (3, 2)).shape == (3, 2)


def test_dtypes_as_pool2d():
    x = np.random.default_rng(4).integers(0, 255, size=(9, 7, 2)).astype(np.uint8)
    assert ph.adaptive_pool2d(x, 3).dtype == np.uint8
    assert ph.adaptive_pool2d(x, 3, "avg").dtype == np.float64
    assert ph.adaptive_pool2d(x.astype(np.float32), 3, "avg").dtype == np.float32
    assert ph.adaptive_pool2d(x.astype(np.float16), 3, "avg").dtype == np.float16
    assert ph.adaptive_pool2d(x > 100, 3).dtype == np.bool_
    assert ph.adaptive_pool2d(x > 100, 3, "avg").dtype == np.float64


def test_nan_propagates_and_its_gradient_goes_to_the_first_nan():
    x = np.array([[1.0, np.nan], [np.nan, 9.0]])
    assert np.isnan(ph.adaptive_pool2d(x, 1)).all()
    np.testing.assert_array_equal(ph.adaptive_pool2d_backward([[1.0]], x, 1),
                                  [[0.0, 1.0], [0.0, 0.0]])


# --- the sweep: random shapes against the reference --------------------------------------------

@st.composite
def adaptive_cases(draw):
    ndim = draw(st.sampled_from([2, 3, 4]))
    height, width = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    shape = {2: (height, width), 3: (height, width, draw(st.integers(1, 3))),
             4: (draw(st.integers(1, 2)), height, width, draw(st.integers(1, 3)))}[ndim]
    # up to twice the input and more: windows of one or two cells that repeat
    out = draw(st.one_of(st.just((1, 1)),
                         st.tuples(st.integers(1, 2 * height + 2), st.integers(1, 2 * width + 2))))
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.uint8]))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=shape) if draw(st.booleans()) else rng.normal(size=shape) * 50
    if np.issubdtype(dtype, np.integer):
        x = np.abs(x)
    return x.astype(dtype), out, rng


@settings(max_examples=300, deadline=None)
@given(case=adaptive_cases(), mode=st.sampled_from(ph.MODES))
def test_forward_equals_the_reference(case, mode):
    x, (out_h, out_w), _ = case
    ours = ph.adaptive_pool2d(x, (out_h, out_w), mode)
    expected = reference_pool4(x, out_h, out_w, mode)
    assert ours.shape == expected.shape
    if mode == "avg":
        tolerance = 1e-5 if x.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(ours, expected, rtol=tolerance, atol=tolerance)
    else:
        assert ours.dtype == x.dtype
        np.testing.assert_array_equal(ours, expected.astype(x.dtype))


@settings(max_examples=300, deadline=None)
@given(case=adaptive_cases(), mode=st.sampled_from(ph.MODES))
def test_backward_equals_the_reference(case, mode):
    x, (out_h, out_w), rng = case
    pooled_shape = ph.adaptive_pool2d(x, (out_h, out_w), mode).shape
    grad_out = rng.normal(size=pooled_shape)
    ours = ph.adaptive_pool2d_backward(grad_out, x, (out_h, out_w), mode)
    assert ours.shape == x.shape and ours.dtype == np.float64
    np.testing.assert_allclose(ours, reference_backward4(grad_out, x, out_h, out_w, mode),
                               rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(out=st.tuples(st.integers(1, 5), st.integers(1, 5)),
       pool=st.tuples(st.integers(1, 4), st.integers(1, 4)), channels=st.integers(1, 3),
       mode=st.sampled_from(ph.MODES), seed=st.integers(0, 2 ** 32 - 1))
def test_equals_pool2d_when_the_output_divides_the_input(out, pool, channels, mode, seed):
    """n = m·k: adaptive pooling's windows are pool2d's with pool and stride k."""
    shape = (out[0] * pool[0], out[1] * pool[1], channels)
    x = np.random.default_rng(seed).normal(size=shape)
    ours, theirs = ph.adaptive_pool2d(x, out, mode), ph.pool2d(x, pool, pool, mode=mode)
    if mode == "avg":
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_array_equal(ours, theirs)
    grad = np.random.default_rng(seed + 1).normal(size=ours.shape)
    np.testing.assert_allclose(ph.adaptive_pool2d_backward(grad, x, out, mode),
                               ph.pool2d_backward(grad, x, pool, pool, mode=mode),
                               rtol=1e-12, atol=1e-12)


# --- the gradient, numerically, where windows overlap ------------------------------------------

@pytest.mark.parametrize("shape, out", [
    ((7, 10), (3, 4)), ((10, 7, 2), (4, 3)), ((3, 2), (5, 3)), ((2, 5, 6, 2), (4, 4)),
])
@pytest.mark.parametrize("mode", ph.MODES)
def test_backward_equals_a_numerical_gradient_on_overlapping_windows(shape, out, mode):
    rng = np.random.default_rng(7)
    # distinct values, far apart: a step of 1e-6 never changes which cell is the maximum
    x = rng.permutation(np.prod(shape)).reshape(shape) * 0.1
    pooled = ph.adaptive_pool2d(x, out, mode)
    grad_out = rng.normal(size=pooled.shape)
    step = 1e-6
    numerical = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[index] += step
        down[index] -= step
        change = ph.adaptive_pool2d(up, out, mode) - ph.adaptive_pool2d(down, out, mode)
        numerical[index] = (change * grad_out).sum() / (2 * step)
    analytic = ph.adaptive_pool2d_backward(grad_out, x, out, mode)
    np.testing.assert_allclose(analytic, numerical, rtol=1e-6, atol=1e-6)
    assert (np.abs(analytic) > 0).sum() > 0


def test_overlapping_windows_add_their_gradients():
    # windows (0, 2) and (1, 3): the 5 is the maximum of both, so it gets both gradients
    grad = ph.adaptive_pool2d_backward([[1.0, 1.0]], [[1, 5, 3]], (1, 2))
    np.testing.assert_array_equal(grad, [[0.0, 2.0, 0.0]])
    # average, 7 → 3: cells 2 and 4 are in two windows of three cells each
    spread = ph.adaptive_pool2d_backward(np.ones((1, 3)), np.zeros((1, 7)), (1, 3), "avg")
    np.testing.assert_allclose(spread, [[1 / 3, 1 / 3, 2 / 3, 1 / 3, 2 / 3, 1 / 3, 1 / 3]])


def test_ties_send_the_gradient_to_the_first_maximum_in_row_major_order():
    window = np.array([[3.0, 7.0], [7.0, 1.0]])
    np.testing.assert_array_equal(ph.adaptive_pool2d_backward([[1.0]], window, 1),
                                  [[0.0, 1.0], [0.0, 0.0]])
    # a tie across rows: the earlier row wins even when its column is later
    window = np.array([[0.0, 0.0, 7.0], [7.0, 0.0, 0.0]])
    np.testing.assert_array_equal(ph.adaptive_pool2d_backward([[1.0]], window, 1),
                                  [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(ph.adaptive_pool2d_backward([[1.0]], -window, 1, "min"),
                                  [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])


# --- bad input, as for pool2d -----------------------------------------------------------------

IMG = np.arange(30.0).reshape(5, 6)


@pytest.mark.parametrize("value, error", [
    (0, ValueError), (-2, ValueError), ((3, 0), ValueError), (2.5, TypeError), (2.0, TypeError),
    (True, TypeError), ("2", TypeError), (None, TypeError), ((2, 2, 2), ValueError),
    ((2,), ValueError), ((2.0, 3), TypeError),
])
def test_bad_output_size(value, error):
    for function in (lambda: ph.adaptive_pool2d(IMG, value),
                     lambda: ph.adaptive_pool2d_backward(np.ones((2, 2)), IMG, value)):
        with pytest.raises(error, match="output_size") as info:
            function()
        message = str(info.value)
        assert repr(value) in message or "values" in message or "(rows, cols)" in message


@pytest.mark.parametrize("x, error, words", [
    ("abc", TypeError, "numbers"), (None, TypeError, "numbers"),
    ([[1, 2], [3]], ValueError, "rectangular"), (np.zeros((0, 3)), ValueError, "empty"),
    (np.zeros(5), ValueError, "2 (H, W)"), (np.zeros((1, 2, 3, 4, 5)), ValueError, "dimensions"),
    (np.array([[1 + 1j]]), TypeError, "numbers"),
])
def test_bad_input_array(x, error, words):
    with pytest.raises(error, match="x") as info:
        ph.adaptive_pool2d(x, 2)
    assert words in str(info.value)


@pytest.mark.parametrize("mode", ["median", "MAX", None, 1, ["max"]])
def test_bad_mode(mode):
    with pytest.raises(ValueError, match="mode must be one of"):
        ph.adaptive_pool2d(IMG, 2, mode)
    with pytest.raises(ValueError, match="mode must be one of"):
        ph.adaptive_pool2d_backward(np.ones((2, 2)), IMG, 2, mode)


def test_backward_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"grad_out must have the shape .*\(2, 3\)"):
        ph.adaptive_pool2d_backward(np.ones((3, 2)), IMG, (2, 3))
    with pytest.raises(TypeError, match="grad_out"):
        ph.adaptive_pool2d_backward("ones", IMG, (2, 3))


@pytest.mark.parametrize("n, m, error, name", [
    (0, 3, ValueError, "n"), (7.0, 3, TypeError, "n"), (7, 0, ValueError, "output_size"),
    (7, (3, 3), TypeError, "output_size"), (7, -1, ValueError, "output_size"),
])
def test_bad_windows_arguments(n, m, error, name):
    with pytest.raises(error, match=name):
        ph.adaptive_windows(n, m)


# --- the drawing and the explorer (pooling_display) ---------------------------------------------

def test_plot_adaptive_windows_draws_one_bar_per_window():
    fig = ph.plot_adaptive_windows(8, 3)
    ax = fig.axes[0]
    assert ax.get_title() == "8 cells → 3 outputs: windows of 3, 4, 3 cells; cells 2, 5 are in two"
    bars = [p for p in ax.patches if p.get_y() > 1]  # the cells sit at y = 0
    assert [(round(p.get_x() + 0.45), round(p.get_x() + 0.45 + p.get_width() + 0.1))
            for p in bars] == ph.adaptive_windows(8, 3)
    assert len({p.get_y() for p in bars}) == 3  # a lane each
    assert ph.plot_adaptive_windows(12, 4).axes[0].get_title().endswith("side by side")


@pytest.mark.parametrize("n, m, title", [
    # only cell 1 is in three windows; cells 0 and 2 in two
    (3, 5, "3 cells → 5 outputs: windows of 1, 2, 1, 2, 1 cells; cells 0, 2 are in two, "
           "cell 1 in three"),
    (1, 12, "1 cell → 12 outputs: 12 windows of 1 cell; cell 0 is in all 12"),
    (1, 1, "1 cell → 1 output: one window of 1 cell; every cell"),
    (10, 4, "10 cells → 4 outputs: 4 windows of 3 cells; cells 2, 7 are in two"),
])
def test_adaptive_titles_say_how_many_windows_hold_each_cell(n, m, title):
    assert ph.plot_adaptive_windows(n, m).axes[0].get_title() == title


def test_static_adaptive_figure_fits_the_column_and_its_lanes():
    fig = ph.plot_adaptive_windows(3, 5)
    assert fig.get_figwidth() <= 9
    ax = fig.axes[0]
    top = max(p.get_y() + p.get_height() for p in ax.patches)
    assert ax.get_ylim()[1] - top < 0.45  # no empty lane above the last window


def _caption_checks(n, m):
    """What the explorer's caption must say for n → m, recomputed from the windows."""
    windows = ph.adaptive_windows(n, m)
    sizes = [b - a for a, b in windows]
    starts = [a for a, _ in windows]
    gaps = {b - a for a, b in zip(starts, starts[1:])}
    equal, even = len(set(sizes)) == 1, len(gaps) <= 1 and 0 not in gaps
    return windows, sizes, equal, even


def test_adaptive_caption_is_true_for_every_setting(few_pictures):
    explorer = ph.adaptive_explorer()
    for n in range(1, 21):
        for m in range(1, 13):
            explorer.n_slider.value, explorer.output_slider.value = n, m
            caption = explorer.caption.value
            windows, sizes, equal, even = _caption_checks(n, m)
            assert "different sizes" not in caption, (n, m)
            assert ("Sizes differ" in caption) == (not equal), (n, m, caption)
            if equal and even and m > 1 and n % m:
                step = windows[1][0] - windows[0][0]
                claim = f"pool2d with pool {sizes[0]} and stride {step}"
                assert claim in caption, (n, m, caption)
                # and it is true: pool2d's windows are these
                assert ph.axis_windows(n, sizes[0], step).starts.tolist() == [
                    a for a, _ in windows] and ph.output_size(n, sizes[0], step) == m
            if "pool2d with pool" in caption and n % m:
                assert equal and even, (n, m, caption)
    assert len(few_pictures) >= 240  # every setting redrawn


def test_adaptive_caption_for_the_cases_of_the_notebook():
    explorer = ph.adaptive_explorer()  # 10 → 4: equal windows, not evenly spaced
    assert "every window holds 3 cells, but they start at 0, 2, 5, 7" in explorer.caption.value
    assert "(here cells 2, 7)" in explorer.caption.value
    explorer.n_slider.value, explorer.output_slider.value = 7, 3
    assert "the same windows as pool2d with pool 3 and stride 2" in explorer.caption.value
    explorer.n_slider.value, explorer.output_slider.value = 8, 3
    assert "Sizes differ: 3, 4, 3 cells" in explorer.caption.value


def test_adaptive_explorer_follows_its_sliders():
    explorer = ph.adaptive_explorer()
    assert explorer.windows == [(0, 3), (2, 5), (5, 8), (7, 10)]
    first_picture = explorer.picture.value
    explorer.n_slider.value = 7
    explorer.output_slider.value = 3
    assert explorer.windows == [(0, 3), (2, 5), (4, 7)]
    assert "(0, 3), (2, 5), (4, 7)" in explorer.caption.value
    assert explorer.picture.value != first_picture
    explorer.n_slider.value, explorer.output_slider.value = 12, 4
    assert "pool2d with pool and stride 3" in explorer.caption.value
    explorer.n_slider.value, explorer.output_slider.value = 3, 5
    assert "windows repeat cells" in explorer.caption.value


@pytest.mark.parametrize("function, kwargs, error, name", [
    (ph.adaptive_explorer, {"n": 0}, ValueError, "n"),
    (ph.adaptive_explorer, {"n": 21}, ValueError, "n"),
    (ph.adaptive_explorer, {"n": 2.5}, TypeError, "n"),
    (ph.adaptive_explorer, {"output_size": 13}, ValueError, "output_size"),
    (ph.adaptive_explorer, {"output_size": "4"}, TypeError, "output_size"),
    (ph.plot_adaptive_windows, {"n": 41, "output_size": 4}, ValueError, "n"),
    (ph.plot_adaptive_windows, {"n": 10, "output_size": 0}, ValueError, "output_size"),
    (ph.plot_adaptive_windows, {"n": 10, "output_size": (2, 2)}, TypeError, "output_size"),
    (ph.plot_adaptive_windows, {"n": 10, "output_size": 4, "ax": "axes"}, TypeError, "ax"),
])
def test_adaptive_drawing_rejects_what_it_cannot_show(function, kwargs, error, name):
    with pytest.raises(error, match=name):
        function(**kwargs)
