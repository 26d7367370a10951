"""Unit, property and gradient tests of the pooling functions of pooling_helpers."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import pooling_helpers as ph

ARTICLE_MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
ARTICLE_STRIDE_2 = [[12, 9], [18, 7]]
ARTICLE_STRIDE_1 = [[12, 12, 9], [18, 13, 9], [18, 15, 7]]


# --- a slow reference, written straight from the definitions, independent of the module -------

def window_starts(n, k, s, pad, ceil_mode):
    """Where the windows along one axis start, in input coordinates, and the cells the average
    divides by past the input's far edge; derived from each framework's definition by walking the
    starts, not from an output-size formula.

    'valid': every start whose window lies inside the input. 'same' (TensorFlow): ceil(n / s)
    windows, the total padding they need split with the smaller half before. An integer (PyTorch):
    the padded input; every window that fits, and in ceil mode, when those leave cells at the end
    uncovered, one more, partial, window if it starts inside the input or the left padding.
    """
    if pad == "valid":
        starts = list(range(0, n - k + 1, s))
        return starts, 0
    if pad == "same":
        count = 0
        while count * s < n:
            count += 1
        total = max((count - 1) * s + k - n, 0)
        return [i * s - total // 2 for i in range(count)], 0
    padded = n + 2 * pad
    starts = list(range(0, padded - k + 1, s))
    uncovered = not starts or starts[-1] + k < padded
    following = starts[-1] + s if starts else 0
    if ceil_mode and uncovered and following < n + pad:
        starts.append(following)
    return [start - pad for start in starts], pad


def reference_pool(x, pool, stride, padding, mode, ceil_mode=False):
    """One channel (H, W); every window cell by cell, padding handled by index tests."""
    (kh, kw), (sh, sw) = pool, stride
    height, width = x.shape
    pad_h, pad_w = (padding, padding) if isinstance(padding, str) else padding
    rows, extra_h = window_starts(height, kh, sh, pad_h, ceil_mode)
    cols, extra_w = window_starts(width, kw, sw, pad_w, ceil_mode)
    counts_padding = not isinstance(padding, str)  # PyTorch's count_include_pad
    result = np.zeros((len(rows), len(cols)))
    for i, top in enumerate(rows):
        for j, left in enumerate(cols):
            values, divisor = [], 0
            for r in range(top, top + kh):
                for c in range(left, left + kw):
                    real = 0 <= r < height and 0 <= c < width
                    if real:
                        values.append(x[r, c])
                    if counts_padding:  # padding cells count, cells beyond the padding do not
                        divisor += (r < height + extra_h) and (c < width + extra_w)
                    else:
                        divisor += real
            if mode == "max":
                result[i, j] = max(values)
            elif mode == "min":
                result[i, j] = min(values)
            else:
                result[i, j] = sum(values) / divisor
    return result


# --- the article's example -------------------------------------------------------------------

@pytest.mark.parametrize("stride, expected", [(2, ARTICLE_STRIDE_2), (1, ARTICLE_STRIDE_1)])
def test_article_example_through_teaching_loops(stride, expected):
    pools = ph.get_pools(ARTICLE_MATRIX, pool_size=2, stride=stride)
    assert pools.shape == (len(expected), len(expected), 2, 2)
    np.testing.assert_array_equal(ph.max_pooling(pools), expected)


@pytest.mark.parametrize("stride, expected", [(2, ARTICLE_STRIDE_2), (1, ARTICLE_STRIDE_1)])
def test_article_example_through_pool2d(stride, expected):
    np.testing.assert_array_equal(ph.pool2d(ARTICLE_MATRIX, 2, stride), expected)


def test_article_loops_reproduce_the_article_on_its_square_matrix():
    pools = ph.article_get_pools(ARTICLE_MATRIX, 2, 2)
    np.testing.assert_array_equal(ph.article_max_pooling(pools), ARTICLE_STRIDE_2)


def test_article_loops_break_on_a_non_square_matrix():
    wide = np.arange(24).reshape(4, 6)
    # both loops run over the rows, so the two right columns are silently dropped
    assert ph.article_max_pooling(ph.article_get_pools(wide, 2, 2)).shape == (2, 2)
    with pytest.raises(ValueError):  # 6 pools cannot be reshaped into a 2x2 square
        ph.article_max_pooling(ph.article_get_pools(wide.T, 2, 2))
    np.testing.assert_array_equal(ph.max_pooling(ph.get_pools(wide)), [[7, 9, 11], [19, 21, 23]])


def test_d2l_three_by_three_example():
    x = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(ph.pool2d(x, 2, 1), [[4, 5], [7, 8]])
    np.testing.assert_array_equal(ph.pool2d(x, 2, 1, mode="avg"), [[2, 3], [5, 6]])


def test_get_pools_on_a_non_square_matrix_is_row_major():
    x = np.arange(15).reshape(3, 5)
    pools = ph.get_pools(x, pool_size=(2, 3), stride=(1, 2))
    assert pools.shape == (2, 2, 2, 3)
    np.testing.assert_array_equal(pools[1, 0], [[5, 6, 7], [10, 11, 12]])
    np.testing.assert_array_equal(ph.avg_pooling(pools), [[3.5, 5.5], [8.5, 10.5]])
    np.testing.assert_array_equal(ph.min_pooling(pools), [[0, 2], [5, 7]])


# --- conventions of the frameworks, hand-worked ----------------------------------------------

def test_same_padding_pads_bottom_right_and_ignores_padding_in_average():
    x = np.arange(1.0, 26.0).reshape(5, 5)
    assert ph.pool2d(x, 2, padding="same").shape == (3, 3)
    # the last window of each row covers the last column alone: TensorFlow divides by 2, not 4
    assert ph.pool2d(x, 2, padding="same", mode="avg")[0, 2] == (5 + 10) / 2
    assert ph.pool2d(x, 2, padding="same", mode="avg")[2, 2] == 25
    # pool 3, stride 1, 'same': one cell of padding on each side
    assert ph.pool2d(x, 3, 1, padding="same")[0, 0] == 7


def test_torch_padding_counts_zeros_in_average_and_never_wins_max():
    x = -np.ones((2, 2))
    np.testing.assert_array_equal(ph.pool2d(x, 2, 2, padding=1), -np.ones((2, 2)))
    np.testing.assert_array_equal(ph.pool2d(x, 2, 2, padding=1, mode="avg"), -0.25 * np.ones((2, 2)))


def test_ceil_mode_keeps_the_border_row():
    x = np.zeros((25, 25))
    assert ph.pool2d(x, 2).shape == (12, 12)
    assert ph.pool2d(x, 2, padding=0, ceil_mode=True).shape == (13, 13)
    assert ph.output_size(25, 2) == 12 and ph.output_size(25, 2, padding=0, ceil_mode=True) == 13


def test_ceil_mode_window_overhanging_the_input_averages_over_what_it_covers():
    x = np.arange(1.0, 6.0)[None, :]  # 1x5
    np.testing.assert_array_equal(ph.pool2d(x, (1, 2), padding=0, ceil_mode=True, mode="avg"),
                                  [[1.5, 3.5, 5.0]])


def test_default_stride_is_the_pool_size():
    x = np.arange(36).reshape(6, 6)
    np.testing.assert_array_equal(ph.pool2d(x, 3), ph.pool2d(x, 3, 3))


def test_stride_larger_than_pool_skips_pixels():
    x = np.arange(25).reshape(5, 5)
    np.testing.assert_array_equal(ph.pool2d(x, 1, 2), x[::2, ::2])


# --- dtypes, NaN, layouts --------------------------------------------------------------------

def test_dtypes():
    img = np.full((4, 4), 255, dtype=np.uint8)
    assert ph.pool2d(img, 2).dtype == np.uint8
    avg = ph.pool2d(img, 4, mode="avg")
    assert avg.dtype == np.float64 and avg[0, 0] == 255.0  # no overflow of the uint8 sum
    assert ph.pool2d(img.astype(np.float32), 2, mode="avg").dtype == np.float32
    assert ph.pool2d(img.astype(np.int16), 2, padding=1).dtype == np.int16
    flags = np.array([[True, False], [False, False]])
    assert ph.pool2d(flags, 2)[0, 0] and not ph.pool2d(flags, 2, mode="min")[0, 0]


def test_nan_propagates_through_max_and_min():
    x = np.ones((4, 4))
    x[0, 1] = np.nan
    for mode in ("max", "min"):
        out = ph.pool2d(x, 2, mode=mode)
        assert np.isnan(out[0, 0]) and not np.isnan(out[1, 1])


def test_lists_views_and_one_by_one_pools_work():
    assert ph.pool2d([[1, 2], [3, 4]], 1).tolist() == [[1, 2], [3, 4]]
    x = np.arange(64).reshape(8, 8)
    view = x[::2, ::-1]
    np.testing.assert_array_equal(ph.pool2d(view, 2), ph.pool2d(view.copy(), 2))


def test_channels_and_batches_pool_each_plane_separately():
    rng = np.random.default_rng(0)
    batch = rng.normal(size=(2, 7, 5, 3))
    out = ph.pool2d(batch, 3, 2, padding="same", mode="avg")
    for n, c in itertools.product(range(2), range(3)):
        np.testing.assert_allclose(out[n, :, :, c], ph.pool2d(batch[n, :, :, c], 3, 2, "same", "avg"))
    assert ph.pool2d(batch[0], 2).shape == (3, 2, 3)


# --- properties ------------------------------------------------------------------------------

small_images = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=9),
                          elements=st.integers(-5, 5).map(float))


@settings(max_examples=150, deadline=None)
@given(img=small_images, pool=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       stride=st.tuples(st.integers(1, 4), st.integers(1, 4)))
def test_pool2d_equals_the_teaching_loops(img, pool, stride):
    if pool[0] > img.shape[0] or pool[1] > img.shape[1]:
        with pytest.raises(ValueError, match="does not fit"):
            ph.pool2d(img, pool, stride)
        return
    pools = ph.get_pools(img, pool, stride)
    np.testing.assert_array_equal(ph.pool2d(img, pool, stride), ph.max_pooling(pools))
    np.testing.assert_allclose(ph.pool2d(img, pool, stride, mode="avg"), ph.avg_pooling(pools))
    np.testing.assert_array_equal(ph.pool2d(img, pool, stride, mode="min"), ph.min_pooling(pools))


@st.composite
def pooling_cases(draw):
    pool = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    padding = draw(st.one_of(st.sampled_from(["valid", "same"]),
                             st.tuples(st.integers(0, pool[0] // 2), st.integers(0, pool[1] // 2))))
    ceil_mode = not isinstance(padding, str) and draw(st.booleans())
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 9)), draw(st.integers(1, 9)),
             draw(st.integers(1, 3)))
    x = draw(hnp.arrays(np.float64, shape, elements=st.integers(-4, 4).map(float)))
    return x, pool, stride, padding, ceil_mode


@settings(max_examples=300, deadline=None)
@given(case=pooling_cases(), mode=st.sampled_from(ph.MODES))
def test_pool2d_equals_the_reference_with_padding_and_ceil_mode(case, mode):
    x, pool, stride, padding, ceil_mode = case
    try:
        out = ph.pool2d(x, pool, stride, padding, mode, ceil_mode)
    except ValueError as error:
        assert "does not fit" in str(error)
        return
    for n, c in itertools.product(range(x.shape[0]), range(x.shape[3])):
        expected = reference_pool(x[n, :, :, c], pool, stride, padding, mode, ceil_mode)
        # the shape comes from the walked windows, so a wrong output-size rule fails here
        assert out.shape[1:3] == expected.shape
        np.testing.assert_allclose(out[n, :, :, c], expected, rtol=1e-12)
    for axis in (0, 1):
        pad = padding if isinstance(padding, str) else padding[axis]
        starts, _ = window_starts(x.shape[1 + axis], pool[axis], stride[axis], pad, ceil_mode)
        assert ph.output_size(x.shape[1 + axis], pool[axis], stride[axis], pad,
                              ceil_mode) == len(starts)


def test_pytorch_ceil_rule_from_the_definition():
    """n=7, k=2, s=2, p=1: the ceil formula says 5, but the fifth window would start in the right
    padding, so PyTorch keeps 4."""
    starts, _ = window_starts(7, 2, 2, 1, ceil_mode=True)
    assert starts == [-1, 1, 3, 5]
    assert ph.output_size(7, 2, 2, padding=1, ceil_mode=True) == 4


# --- the backward pass -----------------------------------------------------------------------

def numerical_gradient(x, weights, **kwargs):
    """d/dx of sum(weights * pool2d(x)), by central differences."""
    grad = np.zeros_like(x)
    step = 1e-6
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += step
        minus[index] -= step
        grad[index] = np.sum(weights * (ph.pool2d(plus, **kwargs) - ph.pool2d(minus, **kwargs))) / (2 * step)
    return grad


@pytest.mark.parametrize("kwargs", [
    dict(pool_size=3, stride=1),
    dict(pool_size=3, stride=2, padding="same"),
    dict(pool_size=(3, 2), stride=(2, 1), padding=(1, 1), ceil_mode=True),
    dict(pool_size=2, stride=1, padding=1),
])
@pytest.mark.parametrize("mode", ph.MODES)
def test_backward_matches_numerical_gradient_on_overlapping_windows(kwargs, mode):
    rng = np.random.default_rng(3)
    x = rng.permutation(7 * 6 * 2).reshape(7, 6, 2) / 10.0  # distinct values: max is differentiable
    weights = rng.normal(size=ph.pool2d(x, mode=mode, **kwargs).shape)
    analytic = ph.pool2d_backward(weights, x, mode=mode, **kwargs)
    numeric = numerical_gradient(x, weights, mode=mode, **kwargs)
    np.testing.assert_allclose(analytic, numeric, atol=1e-6)
    if mode == "max":  # where windows overlap, one cell must collect several gradients
        counts = ph.pool2d_backward(np.ones_like(weights), x, mode=mode, **kwargs)
        assert counts.max() > 1


def test_backward_sends_ties_to_the_first_maximum_in_row_major_order():
    x = np.array([[1.0, 5.0], [5.0, 5.0]])
    np.testing.assert_array_equal(ph.pool2d_backward([[2.0]], x), [[0, 2], [0, 0]])


def test_backward_of_average_spreads_over_counted_cells():
    x = np.zeros((3, 3))
    grad = ph.pool2d_backward(np.ones((2, 2)), x, 2, padding="same", mode="avg")
    np.testing.assert_allclose(grad, [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5], [0.5, 0.5, 1.0]])
    assert grad.sum() == pytest.approx(4.0)


# --- memory ----------------------------------------------------------------------------------

def test_pool2d_never_copies_the_windows():
    import tracemalloc

    photo = np.zeros((1200, 800, 3), dtype=np.uint8)
    tracemalloc.start()
    ph.pool2d(photo, 3, 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 * photo.nbytes, f"peak {peak / photo.nbytes:.1f}x the input"
