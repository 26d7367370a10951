"""The pooling zoo of issue 18: dilation, the average's divisors, explicit padding, where each
maximum came from and unpooling, LP pooling, fractional max pooling, 1-D and 3-D pooling, adaptive
pooling keeping a side; and absurd sizes answered or refused at once. Each forward is checked on
hand-worked cases and against a plain loop over the windows, each backward numerically; the
frameworks themselves are checked in tests/check_against_frameworks.py."""

import time

import numpy as np
import pytest

import pooling_helpers as ph

M = np.array([[1, 5, 2, 0], [3, 4, 8, 6], [7, 0, 1, 2], [2, 9, 4, 3]])


def reference(x, pool, stride, padding, mode, ceil_mode=False, dilation=(1, 1),
              count_padding=None, divisor=None):
    """pool2d of one (H, W) channel by a loop over the windows and the cells of each, with the
    windows' starts from axis_windows (checked against the frameworks on their own)."""
    axes = [ph.axis_windows(n, k, s, p, ceil_mode, d, count_padding)
            for n, k, s, p, d in zip(x.shape, pool, stride, padding, dilation)]
    out = np.empty((axes[0].count, axes[1].count))
    for i, top in enumerate(axes[0].starts):
        for j, left in enumerate(axes[1].starts):
            cells = [x[r, c] for r in top + dilation[0] * np.arange(pool[0])
                     for c in left + dilation[1] * np.arange(pool[1])
                     if 0 <= r < x.shape[0] and 0 <= c < x.shape[1]]
            if mode == "avg":
                size = divisor or axes[0].divisors[i] * axes[1].divisors[j]
                out[i, j] = sum(cells) / size if size else np.nan
            else:
                out[i, j] = (max if mode == "max" else min)(cells, default=np.nan)
    return out


def random_case(rng):
    x = rng.normal(size=(int(rng.integers(1, 10)), int(rng.integers(1, 10))))
    if rng.random() < 0.3:
        x = np.round(x)
    pool = tuple(int(k) for k in rng.integers(1, 5, 2))
    stride = tuple(int(s) for s in rng.integers(1, 4, 2))
    dilation = tuple(int(d) for d in rng.integers(1, 4, 2))
    kind = rng.integers(0, 3)
    if kind == 0:
        padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in pool)
    elif kind == 1:
        padding = tuple((int(rng.integers(0, k)), int(rng.integers(0, k))) for k in pool)
    else:
        padding = ("valid", "same")[int(rng.integers(0, 2))]
    ceil_mode = kind == 0 and bool(rng.integers(0, 2))
    return x, pool, stride, padding, ceil_mode, dilation


def numeric_gradient(f, x, grad, eps=1e-6):
    out = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        out[index] = np.sum((f(x + step) - f(x - step)) * grad) / (2 * eps)
    return out


# --- dilation, divisors, explicit padding -----------------------------------------------------

def test_the_running_example_by_hand():
    assert ph.pool2d(M, 2, 1, dilation=2).tolist() == [[7, 5], [8, 9]]
    assert ph.output_size(4, 2, 1, dilation=2) == 2 and ph.output_size(7, 3, 1, dilation=2) == 3
    # the corner window of padding 1 holds one real cell, 1, and three padding cells
    corner = [ph.pool2d(M, 2, 2, padding=1, mode="avg", **kwargs)[0, 0] for kwargs in
              (dict(), dict(count_padding=True), dict(count_padding=False), dict(divisor=2))]
    assert corner == [0.25, 0.25, 1.0, 0.5]
    assert ph.pool2d(M, 2, 2, padding="same", mode="avg", count_padding=True).shape == (2, 2)
    assert ph.pool2d(M, 2, 2, padding=((1, 0), (1, 0))).tolist() == [[1, 5], [7, 8]]
    assert ph.pool2d(M, 2, 2, padding=((0, 1), (0, 0)), mode="avg").tolist() == [
        [3.25, 4.0], [4.5, 2.5]]


@pytest.mark.parametrize("seed", range(6))
def test_pool2d_is_the_loop_over_the_windows(seed):
    rng = np.random.default_rng(seed)
    for _ in range(40):
        x, pool, stride, padding, ceil_mode, dilation = random_case(rng)
        for mode in ("max", "min", "avg"):
            extra = {}
            if mode == "avg":
                extra = dict(count_padding=[None, True, False][int(rng.integers(0, 3))],
                             divisor=int(rng.integers(1, 5)) if rng.random() < 0.3 else None)
            try:
                ours = ph.pool2d(x, pool, stride, padding, mode, ceil_mode, dilation, **extra)
            except ValueError:
                continue
            pads = padding if not isinstance(padding, str) else (padding, padding)
            expected = reference(x, pool, stride, pads, mode, ceil_mode, dilation, **extra)
            # a window of padding only: -inf (max), inf (min); an average not counting it is
            # refused (test_an_average_of_padding_only_is_refused), so it never gets here
            real = ~np.isnan(expected)
            assert np.allclose(ours[real], expected[real], rtol=1e-12, atol=1e-12)
            assert (np.isnan if mode == "avg" else np.isinf)(ours[~real]).all()


def test_an_average_of_padding_only_is_refused():
    # rows -1 and 4 of a 4×4 input padded by 1: no real cell, so not counting the padding
    # would divide 0 by 0; PyTorch's max pooling gives -inf there, and it has no dilated average
    x = np.arange(16.0).reshape(4, 4)
    with pytest.raises(ValueError, match=r"pool_size 2, dilation 5 and padding 1 along the "
                                         r"height give window 0 padding cells only; with "
                                         r"count_padding=False its average would be 0 / 0"):
        ph.pool2d(x, 2, 1, padding=1, mode="avg", dilation=5, count_padding=False)
    with pytest.raises(ValueError, match="along the width give window 0 padding cells only"):
        ph.pool2d(np.ones((6, 4)), (2, 2), 1, padding=1, mode="avg", dilation=(1, 5),
                  count_padding=False)
    assert ph.pool2d(x, 2, 1, padding=1, mode="avg", dilation=5).tolist() == [[0.0]]
    assert ph.pool2d(x, 2, 1, padding=1, mode="avg", dilation=5, divisor=1).tolist() == [[0.0]]
    assert ph.pool2d(x, 2, 1, padding=1, dilation=5).tolist() == [[-np.inf]]


def test_the_frameworks_limits_on_padding_are_enforced():
    with pytest.raises(ValueError, match=r"padding 2 along the height is more than half the pool "
                                         r"size 3; allowed: 0 to 1 \(as in PyTorch\)"):
        ph.pool2d(np.ones((5, 5)), 3, padding=2, dilation=2)
    with pytest.raises(ValueError, match=r"padding \(3, 0\) along the height must have each side "
                                         r"less than the pool size 3 \(as in TensorFlow\)"):
        ph.pool2d(np.ones((5, 5)), 3, padding=((3, 0), (0, 0)))
    with pytest.raises(ValueError, match="ceil_mode=True is PyTorch's and needs an integer"):
        ph.pool2d(np.ones((5, 5)), 3, padding=((1, 0), (0, 0)), ceil_mode=True)
    with pytest.raises(ValueError, match=r"with dilation 3 spans 7 cells and does not fit"):
        ph.pool2d(np.ones((5, 5)), 3, dilation=3)
    with pytest.raises(ValueError, match="padding 'same' with dilation 2 along the width: "
                                         "TensorFlow, whose 'same' it is, does not define it"):
        ph.pool2d(np.ones((5, 5)), 2, 1, "same", dilation=(1, 2))
    with pytest.raises(ValueError, match="count_padding and divisor are for mode='avg' only"):
        ph.pool2d(M, 2, divisor=2)
    with pytest.raises(TypeError, match="count_padding must be True, False or None"):
        ph.pool2d(M, 2, mode="avg", count_padding="yes")
    with pytest.raises(ValueError, match="divisor must be a positive whole number"):
        ph.pool2d(M, 2, mode="avg", divisor=0)
    with pytest.raises(ValueError, match=r"\(\(top, bottom\), \(left, right\)\)"):
        ph.pool2d(M, 2, padding=((1, 0), (1, 0, 0)))


@pytest.mark.parametrize("seed", range(4))
def test_backward_passes_are_the_numeric_gradients(seed):
    rng = np.random.default_rng(seed)
    checked = 0
    while checked < 12:
        x, pool, stride, padding, ceil_mode, dilation = random_case(rng)
        x = rng.permutation(x.size).reshape(x.shape) + rng.random(x.shape) * 0.5  # no ties
        mode = ("max", "min", "avg")[checked % 3]
        extra = dict(count_padding=bool(rng.integers(0, 2))) if mode == "avg" else {}
        args = (pool, stride, padding, mode, ceil_mode, dilation)
        try:
            out = ph.pool2d(x, *args, **extra)
        except ValueError:
            continue
        if not np.isfinite(out).all():
            continue
        grad = rng.normal(size=out.shape)
        assert np.allclose(ph.pool2d_backward(grad, x, *args, **extra),
                           numeric_gradient(lambda v: ph.pool2d(v, *args, **extra), x, grad),
                           atol=1e-6)
        checked += 1


# --- where each maximum came from, and back ---------------------------------------------------

def test_indices_name_the_first_maximum_and_unpooling_puts_it_back():
    values, where = ph.pool2d(M, 2, return_indices=True)
    assert where.dtype == np.int64 and where.tolist() == [[1, 6], [13, 14]]
    assert (M.ravel()[where] == values).all()
    assert ph.max_unpool2d(values, where, 2).tolist() == [
        [0, 5, 0, 0], [0, 0, 8, 0], [0, 0, 0, 0], [0, 9, 4, 0]]
    # a tie: the first maximum in row-major order, as PyTorch
    _, tied = ph.pool2d([[3, 3], [3, 3]], 2, return_indices=True)
    assert tied.tolist() == [[0]]
    # overlapping windows that share their maximum put it back once
    values, where = ph.pool2d([[1, 9, 1]], (1, 2), 1, return_indices=True)
    assert where.tolist() == [[1, 1]]
    assert ph.max_unpool2d(values, where, (1, 2), 1).tolist() == [[0, 9, 0]]
    # colour and batches: indices count within each image and channel
    x = np.random.default_rng(0).normal(size=(2, 6, 5, 3))
    values, where = ph.pool2d(x, 2, return_indices=True)
    assert where.shape == values.shape == (2, 3, 2, 3) and where.max() < 30
    flat = x.reshape(2, 30, 3)
    assert (np.take_along_axis(flat, where.reshape(2, 6, 3), axis=1) == values.reshape(2, 6, 3)).all()


@pytest.mark.parametrize("seed", range(4))
def test_indices_agree_with_the_values_of_the_fast_path(seed):
    rng = np.random.default_rng(seed)
    for _ in range(30):
        x, pool, stride, padding, ceil_mode, _ = random_case(rng)
        for mode in ("max", "min"):
            try:
                fast = ph.pool2d(x, pool, stride, padding, mode, ceil_mode)
            except ValueError:
                continue
            values, where = ph.pool2d(x, pool, stride, padding, mode, ceil_mode,
                                      return_indices=True)
            assert np.array_equal(values, fast)
            assert np.array_equal(x.ravel()[where], values)


def test_unpooling_backward_is_its_transpose_and_its_checks():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 7, 6, 3))
    values, where = ph.pool2d(x, 3, 3, return_indices=True)
    up = ph.max_unpool2d(values, where, 3, 3, output_size=(7, 6))
    assert up.shape == x.shape
    grad = rng.normal(size=up.shape)
    # without overlap unpooling is linear: <unpool(v), g> == <v, unpool_backward(g)>
    assert np.isclose(np.sum(up * grad),
                      np.sum(values * ph.max_unpool2d_backward(grad, where)))
    # overlapping windows naming one cell each take its gradient, as in PyTorch
    values, where = ph.pool2d(x, 3, 2, return_indices=True)
    back = ph.max_unpool2d_backward(grad, where)
    assert np.array_equal(back, np.take_along_axis(grad.reshape(2, 42, 3),
                                                   where.reshape(2, -1, 3), 1).reshape(where.shape))
    with pytest.raises(ValueError, match=r"output_size must be within stride - 1 of \(7, 5\)"):
        ph.max_unpool2d(values, where, 3, 2, output_size=(7, 8))
    with pytest.raises(ValueError, match="indices must lie from 0 to 3"):
        ph.max_unpool2d([[1.0]], [[4]], 2)
    with pytest.raises(ValueError, match="indices must have the shape of x"):
        ph.max_unpool2d([[1.0, 2.0]], [[0]], 2)
    with pytest.raises(TypeError, match="indices must be whole numbers"):
        ph.max_unpool2d([[1.0]], [[0.0]], 2)
    with pytest.raises(ValueError, match="return_indices=True is for mode='max' or 'min'"):
        ph.pool2d(M, 2, mode="avg", return_indices=True)


# --- absurd sizes: answered or refused at once (issue 18 section 2) -----------------------------

def quickly(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    assert time.perf_counter() - start < 1.0
    return result


def test_a_huge_pool_on_one_pixel_is_answered_at_once():
    one = np.ones((1, 1, 1, 1))
    assert quickly(ph.pool2d, one, (2**31 - 1, 1), 1, "same").tolist() == [[[[1.0]]]]
    assert quickly(ph.pool2d, one, (2**31 - 1, 1), 1, "same", "avg").tolist() == [[[[1.0]]]]
    assert quickly(ph.pool2d, one, (2**31 - 1, 1), 1, "same", return_indices=True)[1] == 0
    assert quickly(ph.pool2d_backward, one, one, (2**31 - 1, 1), 1, "same").tolist() == [[[[1.0]]]]
    assert quickly(ph.pool2d_backward, one, one, (2**31 - 1, 1), 1, "same", "avg") == 1.0
    assert quickly(ph.output_size, 1, 2**31 - 1, 1, "same") == 1
    # PyTorch's padding: n + 2p - k + 1 = 2 windows each way, each counting 2**40 cells
    assert (quickly(ph.pool2d, one, 2**40, 1, 2**39, mode="avg") == 2.0**-80).sum() == 4
    assert quickly(ph.pool2d, np.ones((3, 3)), 2**62, padding="same").shape == (1, 1)


@pytest.mark.parametrize("call, name", [
    (lambda: ph.pool2d(np.ones((1, 1)), 2**63 - 1), "pool_size"),
    (lambda: ph.pool2d(np.ones((1, 1)), 2**63 - 1, padding="same"), "pool_size"),
    (lambda: ph.pool2d(np.ones((1, 1)), 2, 2**63 - 1), "stride"),
    (lambda: ph.pool2d(np.ones((1, 1)), 2, dilation=2**63 - 1), "dilation"),
    (lambda: ph.pool2d_backward(np.ones((1, 1)), np.ones((1, 1)), 2**63 - 1), "pool_size"),
    (lambda: ph.output_size(2**63 - 1, 2), "n"),
    (lambda: ph.adaptive_pool2d(np.ones((1, 1)), 2**62), "output_size"),
    (lambda: ph.adaptive_pool2d(np.ones((1, 1)), (2**62, None)), "output_size"),
    (lambda: ph.adaptive_pool2d_backward(np.ones((1, 1)), np.ones((1, 1)), 2**62),
     "output_size"),
    (lambda: ph.adaptive_windows(2, 2**62), "output_size"),
    (lambda: ph.max_unpool2d(np.ones((1, 1)), np.zeros((1, 1), int), 2**62), "output_size"),
    (lambda: ph.load_image(ph.CAT_PATH, size=(2**31, 1)), "size"),
    (lambda: ph.load_image(ph.CAT_PATH, size=(2**30, 2**30)), "size"),
    (lambda: ph.pool1d(np.ones(3), 2**63), "pool_size"),
    (lambda: ph.pool3d(np.ones((2, 2, 2)), (2, 2, 2**63)), "pool_size"),
    (lambda: ph.lp_pool2d(np.ones((2, 2)), 2, 2**63), "pool_size"),
    (lambda: ph.fractional_max_pool2d(np.ones((2, 2)), 2**63), "output_size"),
])
def test_absurd_sizes_are_refused_at_once_naming_the_argument(call, name):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=rf"^{name} "):
        call()
    assert time.perf_counter() - start < 1.0


# --- adaptive pooling keeping a side ------------------------------------------------------------

def test_adaptive_none_keeps_that_side():
    x = np.arange(12.0).reshape(3, 4)
    assert ph.adaptive_pool2d(x, (None, 2)).tolist() == [[1, 3], [5, 7], [9, 11]]
    assert np.array_equal(ph.adaptive_pool2d(x, (1, None), "avg"), x.mean(axis=0, keepdims=True))
    assert np.array_equal(ph.adaptive_pool2d(x, (None, None)), x)
    grad = np.ones((3, 2))
    assert ph.adaptive_pool2d_backward(grad, x, (None, 2)).tolist() == [[0, 1, 0, 1]] * 3


# --- LP pooling ---------------------------------------------------------------------------------

def test_lp_pooling_runs_from_the_sum_to_the_maximum():
    x = np.abs(np.random.default_rng(0).normal(size=(6, 8))) + 0.1
    assert np.allclose(ph.lp_pool2d(x, 1), ph.pool2d(x, 2, mode="avg") * 4)
    assert np.allclose(ph.lp_pool2d(x, 2), np.sqrt(ph.pool2d(x**2, 2, mode="avg") * 4))
    gaps = [np.abs(ph.lp_pool2d(x, p) - ph.pool2d(x, 2)).max() for p in (1, 4, 16, 64)]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 0.05 * x.max()
    with pytest.raises(ValueError, match="p must be a positive number"):
        ph.lp_pool2d(x, 0)
    with pytest.raises(ValueError, match="p must be a positive number"):
        ph.lp_pool2d(x, np.inf)


@pytest.mark.parametrize("p, ceil_mode", [(1, False), (2, True), (3.5, False)])
def test_lp_backward_is_the_numeric_gradient(p, ceil_mode):
    rng = np.random.default_rng(1)
    x = np.abs(rng.normal(size=(5, 7))) + 0.5
    grad = rng.normal(size=ph.lp_pool2d(x, p, 2, 2, ceil_mode).shape)
    assert np.allclose(ph.lp_pool2d_backward(grad, x, p, 2, 2, ceil_mode),
                       numeric_gradient(lambda v: ph.lp_pool2d(v, p, 2, 2, ceil_mode), x, grad),
                       atol=1e-6)


# --- 1-D and 3-D pooling --------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(3))
def test_pool1d_is_pool2d_one_row_high(seed):
    rng = np.random.default_rng(seed)
    for _ in range(30):
        signal = rng.normal(size=int(rng.integers(1, 30)))
        k, s, d = (int(v) for v in rng.integers(1, 5, 3))
        padding = [int(rng.integers(0, k // 2 + 1)), "same", "valid",
                   (int(rng.integers(0, k)), int(rng.integers(0, k)))][int(rng.integers(0, 4))]
        pads2d = padding if isinstance(padding, str) else (
            ((0, 0), padding) if isinstance(padding, tuple) else (0, padding))
        for mode in ("max", "avg"):
            try:
                ours = ph.pool1d(signal, k, s, padding, mode, dilation=d)
            except ValueError:
                continue
            assert np.array_equal(ours, ph.pool2d(signal[None], (1, k), (1, s), pads2d, mode,
                                                  dilation=(1, d))[0], equal_nan=True)
            if not np.isfinite(ours).all():  # a window of padding only
                continue
            grad = rng.normal(size=ours.shape)
            assert np.allclose(ph.pool1d_backward(grad, signal, k, s, padding, mode, dilation=d),
                               numeric_gradient(lambda v: ph.pool1d(v, k, s, padding, mode,
                                                                    dilation=d), signal, grad),
                               atol=1e-6) or mode == "max"


def reference3d(x, pool, stride, mode):
    out = ph.pool2d(x[0], pool[1:], stride[1:], mode=mode)  # shape of one pooled frame
    frames = ph.output_size(x.shape[0], pool[0], stride[0])
    result = np.empty((frames, *out.shape))
    for f in range(frames):
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                block = x[f * stride[0]:f * stride[0] + pool[0],
                          i * stride[1]:i * stride[1] + pool[1],
                          j * stride[2]:j * stride[2] + pool[2]]
                result[f, i, j] = block.max() if mode == "max" else block.mean()
    return result


def test_pool3d_is_the_loop_over_its_blocks_and_its_indices_name_the_first_maximum():
    rng = np.random.default_rng(4)
    clip = np.round(rng.normal(size=(5, 6, 7)))  # ties
    for pool, stride in [((2, 2, 2), (2, 2, 2)), ((3, 2, 1), (1, 2, 3)), ((1, 3, 2), (2, 1, 1))]:
        for mode in ("max", "avg"):
            assert np.allclose(ph.pool3d(clip, pool, stride, mode=mode),
                               reference3d(clip, pool, stride, mode), rtol=1e-12, atol=1e-12)
        values, where = ph.pool3d(clip, pool, stride, return_indices=True)
        assert np.array_equal(clip.ravel()[where], values)
        for index in np.ndindex(values.shape):  # the first maximum in (time, row, col) order
            f, i, j = (a * s for a, s in zip(index, stride))
            block = clip[f:f + pool[0], i:i + pool[1], j:j + pool[2]]
            first = np.unravel_index(np.argmax(block), block.shape)
            assert where[index] == np.ravel_multi_index(
                (f + first[0], i + first[1], j + first[2]), clip.shape)


def test_pool3d_backward_is_the_numeric_gradient():
    rng = np.random.default_rng(5)
    clip = rng.permutation(4 * 5 * 6).reshape(4, 5, 6) + rng.random((4, 5, 6)) * 0.5
    for args in [(2, 2, 1, "max"), ((2, 3, 2), 1, "same", "avg"), (3, 2, 1, "avg", True)]:
        grad = rng.normal(size=ph.pool3d(clip, *args).shape)
        assert np.allclose(ph.pool3d_backward(grad, clip, *args),
                           numeric_gradient(lambda v: ph.pool3d(v, *args), clip, grad),
                           atol=1e-6)
    with pytest.raises(ValueError, match="pool_size must be a positive whole number or three"):
        ph.pool3d(clip, (2, 2))
    with pytest.raises(ValueError, match=r"x must have 3 \(D, H, W\)"):
        ph.pool3d(np.ones((3, 3)))
    with pytest.raises(ValueError, match="PyTorch's avg_pool3d refuses"):
        ph.pool3d(clip, 5, padding=0, mode="avg")
    with pytest.raises(ValueError, match="pool_size 9 does not fit the input time 4"):
        ph.pool3d(clip, (9, 1, 1))


# --- fractional max pooling -----------------------------------------------------------------------

def test_fractional_windows_step_by_floor_or_ceil_alpha_and_the_result_is_their_maxima():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 25, 19, 3))
    out, where = ph.fractional_max_pool2d(x, (17, 13), 2, seed=1, return_indices=True)
    assert out.shape == (2, 17, 13, 3)
    assert np.array_equal(out, ph.fractional_max_pool2d(x, (17, 13), 2, seed=1))  # repeatable
    assert np.array_equal(np.take_along_axis(x.reshape(2, -1, 3), where.reshape(2, -1, 3), 1),
                          out.reshape(2, -1, 3))
    samples = rng.random((2, 3, 2))
    _, where = ph.fractional_max_pool2d(x, (17, 13), (1, 1), samples, return_indices=True)
    rows, cols = where // 19, where % 19  # a 1x1 pool: the windows' starts themselves
    for n, m, starts in ((25, 17, rows[:, :, 0]), (19, 13, cols[:, 0])):
        steps = np.diff(starts, axis=1)
        alpha = (n - 1) / (m - 1)
        assert set(np.unique(steps)) <= {np.floor(alpha), np.ceil(alpha)}
        assert (starts[:, 0] == 0).all() and (starts[:, -1] == n - 1).all()


def test_fractional_backward_is_the_numeric_gradient_and_bad_input_is_refused():
    rng = np.random.default_rng(7)
    x = rng.permutation(9 * 8).reshape(9, 8) + rng.random((9, 8)) * 0.5
    samples = rng.random((1, 1, 2))
    grad = rng.normal(size=(5, 4))
    assert np.allclose(ph.fractional_max_pool2d_backward(grad, x, (5, 4), 3, samples),
                       numeric_gradient(lambda v: ph.fractional_max_pool2d(v, (5, 4), 3, samples),
                                        x, grad), atol=1e-6)
    with pytest.raises(ValueError, match="output_size 8 with pool_size 3 needs a height of at "
                                         "least 10"):
        ph.fractional_max_pool2d(x, (8, 4), 3)
    with pytest.raises(ValueError, match=r"samples must have shape \(N, C, 2\) = \(1, 1, 2\)"):
        ph.fractional_max_pool2d(x, 4, samples=[0.5, 0.5])
    with pytest.raises(ValueError, match=r"samples must lie in \[0, 1\)"):
        ph.fractional_max_pool2d(x, 4, samples=[[[1.0, 0.5]]])


def test_adaptive_pooling_to_many_windows_gathers_them_and_stays_exact():
    """Past 4096 windows along an axis adaptive pooling gathers all windows at once (no loop over
    them); the result is still each window's maximum, mean and first maximum."""
    rng = np.random.default_rng(8)
    x = np.round(rng.normal(size=(1, 7, 3)))
    m = 5000
    windows = ph.adaptive_windows(7, m)
    expected = np.array([[x[0, a:b].max(axis=0) for a, b in windows]])
    assert np.array_equal(quickly(ph.adaptive_pool2d, x, (1, m)), expected)
    means = np.array([[x[0, a:b].mean(axis=0) for a, b in windows]])
    assert np.allclose(ph.adaptive_pool2d(x, (1, m), "avg"), means, rtol=1e-12, atol=1e-12)
    grad = rng.normal(size=(1, m, 3))
    routed = np.zeros_like(x)
    for (a, b), g in zip(windows, grad[0]):
        for c in range(3):
            routed[0, a + int(np.argmax(x[0, a:b, c])), c] += g[c]
    assert np.allclose(quickly(ph.adaptive_pool2d_backward, grad, x, (1, m)), routed)
    spread = np.zeros_like(x)
    for (a, b), g in zip(windows, grad[0]):
        spread[0, a:b] += g / (b - a)
    assert np.allclose(ph.adaptive_pool2d_backward(grad, x, (1, m), "avg"), spread)
    # a long input to many windows: the gradient is spread with running sums, not a matrix
    long = rng.normal(size=(1, 5000))
    windows = ph.adaptive_windows(5000, 4097)
    grad = rng.normal(size=(1, 4097))
    spread = np.zeros_like(long)
    for (a, b), g in zip(windows, grad[0]):
        spread[0, a:b] += g / (b - a)
    assert np.allclose(quickly(ph.adaptive_pool2d_backward, grad, long, (1, 4097), "avg"), spread,
                       rtol=1e-10, atol=1e-10)
