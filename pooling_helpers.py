"""Pooling from scratch: the helpers of the pooling course.

Every notebook of the course computes and draws through this module. It reads in the order the
course teaches:

1. The article's original loops, kept to show what goes wrong with them.
2. The teaching loops: ``get_pools``, ``max_pooling``, ``avg_pooling``, ``min_pooling``.
3. The output size of a pooling: ``output_size``.
4. The fast, general version: ``pool2d``, exact against TensorFlow and PyTorch.
5. The backward pass: ``pool2d_backward``.
   Adaptive pooling (give the output size, get the windows): ``adaptive_pool2d``,
   ``adaptive_pool2d_backward``, ``adaptive_windows``.
6. Images: ``load_image``.
7. Drawing: ``plot_image``, ``plot_two_images``, ``plot_matrix``, and ``value_range`` for a
   value scale shared by the panels of a figure.
8. Widgets: ``pool_explorer``, ``image_upload_explorer``, ``pool_stepper``, ``stride_explorer``,
   ``output_size_explorer``.
9. Appendix: checking arguments.

Images are held channels last, as Pillow, Matplotlib and Keras hold them: ``(H, W)`` for a grey
image, ``(H, W, C)`` for a colour one and ``(N, H, W, C)`` for a batch.
"""

from __future__ import annotations

import html
import io
import numbers
import os
import time
from pathlib import Path

import ipywidgets as widgets
import numpy as np


def _find_data_dir():
    """The course's data folder: beside this module in the course's folder (and in an editable
    install of it); for a copy of the module in site-packages, as Binder installs it, the data/
    folder of the course that the working directory is in."""
    beside = Path(__file__).resolve().parent / "data"
    for folder in [beside.parent, Path.cwd(), *Path.cwd().parents]:
        if (folder / "data" / "cat.png").is_file():
            return folder / "data"
    return beside  # load_image then names the missing file


#: The folder of the course's data.
DATA_DIR = _find_data_dir()
#: The CC0 photo of Chelsea the cat (451×300 RGB) that the course pools.
CAT_PATH = DATA_DIR / "cat.png"

MODES = ("max", "avg", "min")
PADDING_NAMES = ("valid", "same")


# ------------------------------------------------------------------------------------------------
# 1. The article's original loops
# ------------------------------------------------------------------------------------------------
# Kept word for word (apart from names of arguments) so that notebook 01 can show where they
# break: both loops run over ``img.shape[0]`` and the output shape is guessed from a square root,
# so they only work on square, single-channel images.


def article_get_pools(img, pool_size, stride):
    """The article's pool extraction: correct only for square, single-channel images.

    Parameters
    ----------
    img : ndarray, shape (H, W)
    pool_size, stride : int

    Returns
    -------
    ndarray, shape (n_pools, pool_size, pool_size)
        The pools in a flat list; the grid shape is lost.
    """
    pools = []
    for i in np.arange(img.shape[0], step=stride):
        for j in np.arange(img.shape[0], step=stride):
            mat = img[i:i + pool_size, j:j + pool_size]
            if mat.shape == (pool_size, pool_size):
                pools.append(mat)
    return np.array(pools)


def article_max_pooling(pools):
    """The article's max pooling: guesses a square output from the number of pools.

    Parameters
    ----------
    pools : ndarray, shape (n_pools, pool_size, pool_size)

    Returns
    -------
    ndarray, shape (sqrt(n_pools), sqrt(n_pools))
    """
    num_pools = pools.shape[0]
    tgt_shape = (int(np.sqrt(num_pools)), int(np.sqrt(num_pools)))
    pooled = []
    for pool in pools:
        pooled.append(np.max(pool))
    return np.array(pooled).reshape(tgt_shape)


# ------------------------------------------------------------------------------------------------
# 2. The teaching loops
# ------------------------------------------------------------------------------------------------


def get_pools(img, pool_size=2, stride=2):
    """Cut a 2-D array into its pools (windows), with two readable loops.

    Parameters
    ----------
    img : array_like, shape (H, W)
        One channel: a grey image or a matrix; it need not be square.
    pool_size : int or (int, int), default 2
        Window height and width.
    stride : int or (int, int), default 2
        Step between windows, down and across.

    Returns
    -------
    ndarray, shape (out_h, out_w, pool_h, pool_w)
        ``pools[i, j]`` is the window in output row ``i``, column ``j``.

    Raises
    ------
    ValueError, TypeError
        If ``img`` is not 2-D (use ``pool2d`` for colour and batches),
        the pool does not fit, or a size is not a positive whole number.

    Examples
    --------
    >>> get_pools(np.arange(12).reshape(3, 4)).shape
    (1, 2, 2, 2)
    """
    img, (pool_h, pool_w), (stride_h, stride_w) = _check_teaching_input(
        img, pool_size, stride)
    height, width = img.shape
    out_h = (height - pool_h) // stride_h + 1  # rows of pools: the height
    out_w = (width - pool_w) // stride_w + 1   # columns of pools: the width

    pools = np.empty((out_h, out_w, pool_h, pool_w), dtype=img.dtype)
    for row in range(out_h):
        for col in range(out_w):
            top, left = row * stride_h, col * stride_w
            pools[row, col] = img[top:top + pool_h, left:left + pool_w]
    return pools


def max_pooling(pools):
    """The largest value of every pool.

    Parameters
    ----------
    pools : array_like, shape (out_h, out_w, pool_h, pool_w)
        Pools as ``get_pools`` returns them.

    Returns
    -------
    ndarray, shape (out_h, out_w)
        Same dtype as ``pools``.

    Examples
    --------
    >>> max_pooling(get_pools([[1, 2], [3, 4]]))
    array([[4]])
    """
    pools = _check_pools(pools)
    out_h, out_w = pools.shape[:2]
    pooled = np.empty((out_h, out_w), dtype=pools.dtype)
    for row in range(out_h):
        for col in range(out_w):
            pooled[row, col] = pools[row, col].max()
    return pooled


def avg_pooling(pools):
    """The mean of every pool.

    Parameters
    ----------
    pools : array_like, shape (out_h, out_w, pool_h, pool_w)
        Pools as ``get_pools`` returns them.

    Returns
    -------
    ndarray of float64, shape (out_h, out_w)
        Floats: the mean of whole numbers need not be whole.

    Examples
    --------
    >>> avg_pooling(get_pools([[1, 2], [3, 4]]))
    array([[2.5]])
    """
    pools = _check_pools(pools)
    out_h, out_w = pools.shape[:2]
    pooled = np.empty((out_h, out_w), dtype=np.float64)
    for row in range(out_h):
        for col in range(out_w):
            pooled[row, col] = pools[row, col].mean()
    return pooled


def min_pooling(pools):
    """The smallest value of every pool.

    Parameters
    ----------
    pools : array_like, shape (out_h, out_w, pool_h, pool_w)
        Pools as ``get_pools`` returns them.

    Returns
    -------
    ndarray, shape (out_h, out_w)
        Same dtype as ``pools``.

    Examples
    --------
    >>> min_pooling(get_pools([[1, 2], [3, 4]]))
    array([[1]])
    """
    pools = _check_pools(pools)
    out_h, out_w = pools.shape[:2]
    pooled = np.empty((out_h, out_w), dtype=pools.dtype)
    for row in range(out_h):
        for col in range(out_w):
            pooled[row, col] = pools[row, col].min()
    return pooled


# The teaching loops check their arguments in one call each, so that the
# loops above read as plain code; the checks reuse the appendix's validators.


def _check_teaching_input(img, pool_size, stride):
    """Check the arguments of ``get_pools``.

    Returns ``(img, (pool_h, pool_w), (stride_h, stride_w))``: the image as
    a 2-D NumPy array, and the pool size and stride as pairs of ints.
    """
    img = _check_array(img, "img")
    if img.ndim != 2:
        raise ValueError(
            f"img must be 2-D (height, width); got shape {img.shape}. The teaching loops work on "
            "one channel: for colour images and batches use pool2d(x, pool_size, stride)."
        )
    pool = _check_pair(pool_size, "pool_size")
    step = _check_pair(stride, "stride")
    _check_fits(*img.shape, *pool)
    return img, pool, step


def _check_pools(pools):
    """Check the argument of the reductions: a 4-D grid of pools, as an array."""
    pools = _check_array(pools, "pools")
    if pools.ndim != 4:
        raise ValueError(
            "pools must have 4 dimensions (out_h, out_w, pool_h, pool_w), as get_pools returns; "
            f"got shape {pools.shape}"
        )
    return pools


# ------------------------------------------------------------------------------------------------
# 3. The output size
# ------------------------------------------------------------------------------------------------


def output_size(n, pool_size, stride=None, padding="valid", ceil_mode=False):
    """Number of outputs along one axis of length ``n``: always what ``pool2d`` produces.

    Without padding it is ``floor((n - k) / s) + 1``; TensorFlow's 'same' gives ``ceil(n / s)``;
    PyTorch's padding ``p`` gives ``floor((n + 2p - k) / s) + 1`` (``ceil`` in ceil mode, minus
    one when the last window would start in the right padding).

    Parameters
    ----------
    n : int
        Input length (height or width), at least 1.
    pool_size : int
        Window length ``k``.
    stride : int, optional
        Step ``s``; by default the pool size, as in Keras and PyTorch.
    padding : {'valid', 'same'} or int, default 'valid'
    ceil_mode : bool, default False
        PyTorch's ceil mode; only with an integer padding.

    Returns
    -------
    int

    Examples
    --------
    >>> output_size(25, 2)
    12
    >>> output_size(25, 2, padding=0, ceil_mode=True)
    13
    """
    n = _check_positive_int(n, "n")
    pool = _check_positive_int(pool_size, "pool_size")
    step = pool if stride is None else _check_positive_int(stride, "stride")
    pad = _check_padding(padding, 1)[0]
    ceil_mode = _check_ceil_mode(ceil_mode, pad)
    return _axis_plan(n, pool, step, pad, ceil_mode, "length")[0]


def _axis_plan(n, pool, step, pad, ceil_mode, axis_name):
    """Lay out the windows along one axis.

    Returns ``(out, pad_before, padded_length, counts)``: the number of windows, the padding
    before the input, the padded length the windows need, and for every window the number of
    cells its average divides by.
    """
    if pad == "valid":
        if n < pool:
            raise ValueError(
                f"pool_size {pool} does not fit the input {axis_name} {n} with padding='valid'; "
                f"use a pool of at most {n}, or padding='same'"
            )
        out, pad_before = (n - pool) // step + 1, 0
    elif pad == "same":
        out = -(-n // step)
        pad_before = max((out - 1) * step + pool - n, 0) // 2
    else:
        if 2 * pad > pool:
            raise ValueError(
                f"padding {pad} along the {axis_name} is more than half the pool size {pool}; "
                f"allowed: 0 to {pool // 2} (as in PyTorch)"
            )
        span = n + 2 * pad - pool
        out = (-(-span // step) if ceil_mode else span // step) + 1
        if ceil_mode and (out - 1) * step >= n + pad:
            out -= 1  # PyTorch: the last window must start inside the input or its left padding
        if out < 1:
            raise ValueError(
                f"pool_size {pool} does not fit the input {axis_name} {n} with padding {pad}; "
                f"the padded {axis_name} {n + 2 * pad} must be at least the pool size"
                + ("" if ceil_mode else " (or use ceil_mode=True)")
            )
        pad_before = pad
    starts = np.arange(out) * step - pad_before
    if pad == "valid":
        counts = np.full(out, pool)
    elif pad == "same":  # TensorFlow averages over the real cells only
        counts = np.minimum(starts + pool, n) - np.maximum(starts, 0)
    else:  # PyTorch counts the padding, but not a ceil-mode window's overhang beyond it
        counts = np.minimum(starts + pool, n + pad) - starts
    padded_length = max(pad_before + n, (out - 1) * step + pool)
    return out, pad_before, padded_length, counts


# ------------------------------------------------------------------------------------------------
# 4. The fast, general version
# ------------------------------------------------------------------------------------------------
# A window maximum is a maximum over rows of a maximum over columns, so pooling is done one axis
# at a time: for each of the k offsets inside a window, one strided slice of the whole image is
# combined into the result. That is pool_h + pool_w vectorised steps, whatever the image size,
# and memory stays within a few copies of the input.


def pool2d(x, pool_size=2, stride=None, padding="valid", mode="max", ceil_mode=False):
    """Max, average or min pooling of images, exact against TensorFlow and PyTorch.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Channels last. Numbers or booleans.
    pool_size : int or (int, int), default 2
    stride : int or (int, int), optional
        By default the pool size, as in Keras and PyTorch (``tf.nn.max_pool2d`` has no default).
    padding : {'valid', 'same'}, int or (int, int), default 'valid'
        'valid' and 'same' as TensorFlow's ``tf.nn.max_pool2d`` / ``avg_pool2d``: 'same' gives
        ``ceil(n / s)`` outputs, pads mostly at the bottom and right, and padded cells never win a
        max nor count in an average. An int or pair pads both sides, as PyTorch's
        ``F.max_pool2d`` / ``F.avg_pool2d``: max pads with -inf, the average counts the zeros; at
        most half the pool.
    mode : {'max', 'avg', 'min'}, default 'max'
    ceil_mode : bool, default False
        PyTorch's ceil mode (with an integer padding only).

    Returns
    -------
    ndarray, shape like ``x`` with H and W replaced by ``output_size`` along each axis
        Max and min keep the input dtype; average gives float64 for integer input and the input's
        float dtype otherwise. NaN propagates through max and min, as in PyTorch; TensorFlow's
        max pooling skips some NaNs, so on NaN input the two frameworks disagree.

    Raises
    ------
    ValueError, TypeError
        On any bad argument; the message names it and says what is allowed.

    Examples
    --------
    >>> pool2d([[1, 2, 3, 4], [5, 6, 7, 8]])
    array([[6, 8]])
    >>> pool2d(np.ones((5, 5)), 2, padding="same", mode="avg").shape
    (3, 3)
    """
    x4, restore = _check_images(x, "x")
    plan = _plan(x4.shape, pool_size, stride, padding, mode, ceil_mode)
    return restore(_pool_forward(x4, plan))


def _plan(shape, pool_size, stride, padding, mode, ceil_mode):
    pool = _check_pair(pool_size, "pool_size")
    step = pool if stride is None else _check_pair(stride, "stride")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
    pads = _check_padding(padding, 2)
    ceil_mode = _check_ceil_mode(ceil_mode, pads[0])
    axes = [_axis_plan(n, k, s, p, ceil_mode, name)
            for n, k, s, p, name in zip(shape[1:3], pool, step, pads, ("height", "width"))]
    return {"pool": pool, "step": step, "pads": pads, "mode": mode, "axes": axes}


def _fill_value(dtype, mode):
    """The value padding takes so that it never wins (max, min) and adds nothing (avg)."""
    if mode == "avg":
        return 0
    if dtype == np.bool_:
        return mode == "min"
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return info.min if mode == "max" else info.max
    return -np.inf if mode == "max" else np.inf


def _pad_images(x4, plan, fill):
    """Pad height and width as the plan needs; no copy when nothing is padded."""
    widths = [(0, 0)]
    for n, (_, before, length, _) in zip(x4.shape[1:3], plan["axes"]):
        widths.append((before, max(length - before - n, 0)))
    widths.append((0, 0))
    if all(w == (0, 0) for w in widths):
        return x4
    return np.pad(x4, widths, mode="constant", constant_values=fill)


def _strided(a, axis, offset, step, count):
    index = [slice(None)] * a.ndim
    index[axis] = slice(offset, offset + step * (count - 1) + 1, step)
    return a[tuple(index)]


def _reduce_axis(a, axis, pool, step, count, combine, dtype):
    """Combine the ``pool`` cells of every window along one axis into one."""
    first = _strided(a, axis, 0, step, count)
    if pool == 1:
        return first.astype(dtype, copy=True)
    result = combine(first, _strided(a, axis, 1, step, count), dtype=dtype)
    for offset in range(2, pool):
        combine(result, _strided(a, axis, offset, step, count), out=result)
    return result


def _pool_forward(x4, plan):
    mode = plan["mode"]
    (out_h, _, _, counts_h), (out_w, _, _, counts_w) = plan["axes"]
    (pool_h, pool_w), (step_h, step_w) = plan["pool"], plan["step"]
    padded = _pad_images(x4, plan, _fill_value(x4.dtype, mode))
    if mode == "avg":
        combine = np.add
        dtype = x4.dtype if np.issubdtype(x4.dtype, np.floating) else np.float64
        work_dtype = np.float64
    else:
        combine = np.maximum if mode == "max" else np.minimum
        dtype = work_dtype = x4.dtype
    # Rows first: a strided slice of whole rows keeps the inner loop long and contiguous.
    down = _reduce_axis(padded, 1, pool_h, step_h, out_h, combine, work_dtype)
    pooled = _reduce_axis(down, 2, pool_w, step_w, out_w, combine, work_dtype)
    if mode == "avg":
        divisor = np.multiply.outer(counts_h, counts_w).astype(np.float64)
        pooled /= divisor[None, :, :, None]
    return pooled.astype(dtype, copy=False)


# ------------------------------------------------------------------------------------------------
# 5. The backward pass
# ------------------------------------------------------------------------------------------------


def pool2d_backward(grad_out, x, pool_size=2, stride=None, padding="valid", mode="max",
                    ceil_mode=False):
    """Gradient of ``pool2d`` with respect to its input.

    Max (min) pooling sends each output's gradient to the first maximum (minimum) of its window in
    row-major order, as TensorFlow and PyTorch do; average pooling spreads it evenly over the cells
    it counted. Where windows overlap, the gradients add up. A window whose result is NaN sends
    its gradient to its first NaN; PyTorch 2.13 picks the last one instead.

    Parameters
    ----------
    grad_out : array_like, shape of ``pool2d(x, ...)``
        Gradient of the loss with respect to the pooled output.
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        The input of the forward pass.
    pool_size, stride, padding, mode, ceil_mode
        As for ``pool2d``.

    Returns
    -------
    ndarray, shape of ``x``
        float64, or ``grad_out``'s float dtype.

    Examples
    --------
    >>> pool2d_backward([[1.0]], [[1, 5], [3, 2]])
    array([[0., 1.],
           [0., 0.]])
    """
    x4, restore = _check_images(x, "x")
    plan = _plan(x4.shape, pool_size, stride, padding, mode, ceil_mode)
    (out_h, pad_top, length_h, counts_h), (out_w, pad_left, length_w, counts_w) = plan["axes"]
    (pool_h, pool_w), (step_h, step_w) = plan["pool"], plan["step"]
    batch, height, width, channels = x4.shape

    grad = _check_array(grad_out, "grad_out")
    expected = restore(np.empty((batch, out_h, out_w, channels), dtype=bool)).shape
    if grad.shape != expected:
        raise ValueError(
            f"grad_out must have the shape of the pooled output, {expected}; got {grad.shape}"
        )
    grad4 = grad.reshape(batch, out_h, out_w, channels)
    dtype = grad.dtype if np.issubdtype(grad.dtype, np.floating) else np.float64
    grad_padded = np.zeros((batch, length_h, length_w, channels), dtype=dtype)

    if mode == "avg":
        share = grad4 / np.multiply.outer(counts_h, counts_w)[None, :, :, None]
        for dy in range(pool_h):
            for dx in range(pool_w):
                target = _window_cells(grad_padded, dy, dx, plan)
                target += share
    else:
        padded = _pad_images(x4, plan, _fill_value(x4.dtype, mode))
        pooled = _pool_forward(x4, plan)
        pooled_is_nan = np.isnan(pooled) if np.issubdtype(pooled.dtype, np.floating) else None
        routed = np.zeros(pooled.shape, dtype=bool)
        rows = np.arange(out_h) * step_h - pad_top
        cols = np.arange(out_w) * step_w - pad_left
        for dy in range(pool_h):  # row-major order: the first extreme of a window wins
            real_rows = (rows + dy >= 0) & (rows + dy < height)
            for dx in range(pool_w):
                real_cols = (cols + dx >= 0) & (cols + dx < width)
                values = _window_cells(padded, dy, dx, plan)
                winner = values == pooled
                if pooled_is_nan is not None:
                    winner |= pooled_is_nan & np.isnan(values)
                winner &= ~routed
                winner &= np.logical_and.outer(real_rows, real_cols)[None, :, :, None]
                routed |= winner
                target = _window_cells(grad_padded, dy, dx, plan)
                target += np.where(winner, grad4, 0)
    grad_x = grad_padded[:, pad_top:pad_top + height, pad_left:pad_left + width, :]
    return restore(grad_x)


def _window_cells(a, dy, dx, plan):
    """The view of padded ``a`` holding cell (dy, dx) of every window, shape (N, out_h, out_w, C)."""
    (out_h, *_), (out_w, *_) = plan["axes"]
    (step_h, step_w) = plan["step"]
    return _strided(_strided(a, 1, dy, step_h, out_h), 2, dx, step_w, out_w)


# ------------------------------------------------------------------------------------------------
# 5b. Adaptive pooling
# ------------------------------------------------------------------------------------------------
# Adaptive pooling is given the output size and chooses the windows: along an axis of n cells with
# m outputs, window i runs from floor(i·n/m) to ceil((i+1)·n/m), end excluded, as PyTorch's
# AdaptiveMaxPool2d and AdaptiveAvgPool2d define it. Windows may differ in size and may overlap.
# Like pool2d it pools one axis at a time. When m divides n the windows are equal and side by
# side, and one reshape pools them all; otherwise each window band along an axis is reduced in
# one vectorised step: out_h + out_w steps in all, never a loop over pixels or output cells.


def adaptive_windows(n, output_size):
    """The windows adaptive pooling uses along one axis, as ``(start, stop)`` pairs.

    Window ``i`` runs from ``floor(i * n / m)`` to ``ceil((i + 1) * n / m)``, ``stop`` excluded,
    where ``m`` is the output size: PyTorch's rule. Windows may differ in size and overlap; when
    ``m`` divides ``n`` they are the windows of ``pool2d`` with pool and stride ``n // m``.

    Parameters
    ----------
    n : int
        Input length (height or width), at least 1.
    output_size : int
        Number of outputs ``m`` along this axis, at least 1 (may exceed ``n``).

    Returns
    -------
    list of (int, int)
        ``m`` pairs ``(start, stop)``; window ``i`` covers cells ``start`` to ``stop - 1``.

    Examples
    --------
    >>> adaptive_windows(10, 4)
    [(0, 3), (2, 5), (5, 8), (7, 10)]
    >>> adaptive_windows(2, 3)
    [(0, 1), (0, 2), (1, 2)]
    """
    n = _check_positive_int(n, "n")
    m = _check_positive_int(output_size, "output_size")
    return _adaptive_bounds(n, m)


def _adaptive_bounds(n, m):
    # integer arithmetic, as PyTorch's start_index/end_index: no float rounding for large n
    return [(i * n // m, -(-(i + 1) * n // m)) for i in range(m)]


def adaptive_pool2d(x, output_size, mode="max"):
    """Adaptive max, average or min pooling: say the output size, get the windows.

    Exact against PyTorch's ``F.adaptive_max_pool2d`` and ``F.adaptive_avg_pool2d`` (max equal;
    average within rounding, as the sums are added in another order). The windows along each
    axis are those of ``adaptive_windows``; an output of 1×1 is global pooling.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Channels last, as for ``pool2d``. Numbers or booleans.
    output_size : int or (int, int)
        ``(out_h, out_w)``, or one int for both; each at least 1, and may exceed the input size
        (windows then repeat cells).
    mode : {'max', 'avg', 'min'}, default 'max'

    Returns
    -------
    ndarray, shape like ``x`` with H, W replaced by ``out_h``, ``out_w``
        Max and min keep the input dtype; average gives float64 for integer or boolean input and
        the input's float dtype otherwise. NaN propagates through max and min, as in PyTorch.

    Raises
    ------
    ValueError, TypeError
        On any bad argument; the message names it and says what is allowed.

    Examples
    --------
    >>> adaptive_pool2d(np.arange(10)[None, :], (1, 4))
    array([[2, 4, 7, 9]])
    >>> adaptive_pool2d(np.ones((300, 451, 3)), 7, mode="avg").shape
    (7, 7, 3)
    """
    x4, restore = _check_images(x, "x")
    out_h, out_w = _check_pair(output_size, "output_size")
    _check_mode(mode)
    return restore(_adaptive_forward(x4, out_h, out_w, mode))


def _check_mode(mode):
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}")


def _adaptive_forward(x4, out_h, out_w, mode):
    if mode == "avg":
        reduce = np.add.reduce
        dtype = x4.dtype if np.issubdtype(x4.dtype, np.floating) else np.float64
        # float32 adds in float32, as PyTorch does (and twice as fast as widening every cell);
        # float16, integers and booleans add in float64
        work_dtype = np.float32 if dtype == np.float32 else np.float64
    else:
        reduce = (np.maximum if mode == "max" else np.minimum).reduce
        dtype = work_dtype = x4.dtype
    # Rows first, as in pool2d: a band of whole rows keeps the inner loop long and contiguous.
    down = _adaptive_reduce(x4, 1, out_h, reduce, work_dtype)
    pooled = _adaptive_reduce(down, 2, out_w, reduce, work_dtype)
    if mode == "avg":
        sizes = np.multiply.outer(*(np.diff(_adaptive_bounds(n, m)).ravel()
                                    for n, m in zip(x4.shape[1:3], (out_h, out_w))))
        pooled /= sizes[None, :, :, None].astype(work_dtype)
    return pooled.astype(dtype, copy=False)


def _membership(n, m):
    """The (m, n) matrix whose row i is 1 on the cells of window i and 0 elsewhere."""
    cells = np.arange(n)
    starts, stops = np.array(_adaptive_bounds(n, m)).T
    return ((cells >= starts[:, None]) & (cells < stops[:, None])).astype(np.float64)


def _adaptive_reduce(a, axis, m, reduce, dtype):
    """Reduce every adaptive window along ``axis`` of ``a`` to one cell: ``m`` cells out."""
    n = a.shape[axis]
    if n % m == 0:  # equal windows side by side: split the axis in (m, n // m) and reduce
        split = a.shape[:axis] + (m, n // m) + a.shape[axis + 1:]
        return reduce(a.reshape(split), axis=axis + 1, dtype=dtype)
    shape = list(a.shape)
    shape[axis] = m
    out = np.empty(shape, dtype=dtype)
    band = [slice(None)] * a.ndim
    for index, (start, stop) in enumerate(_adaptive_bounds(n, m)):
        band[axis] = slice(start, stop)
        target = [slice(None)] * a.ndim
        target[axis] = index
        reduce(a[tuple(band)], axis=axis, dtype=dtype, out=out[tuple(target)])
    return out


def adaptive_pool2d_backward(grad_out, x, output_size, mode="max"):
    """Gradient of ``adaptive_pool2d`` with respect to its input.

    Max (min) sends each output's gradient to the first maximum (minimum) of its window in
    row-major order; average spreads it evenly over the window's cells. Where windows overlap,
    the gradients add up. A window whose result is NaN sends its gradient to its first NaN.

    Parameters
    ----------
    grad_out : array_like, shape of ``adaptive_pool2d(x, output_size)``
        Gradient of the loss with respect to the pooled output.
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        The input of the forward pass.
    output_size, mode
        As for ``adaptive_pool2d``.

    Returns
    -------
    ndarray, shape of ``x``
        float64, or ``grad_out``'s float dtype.

    Examples
    --------
    >>> adaptive_pool2d_backward([[1.0, 1.0]], [[1, 5, 3]], (1, 2))
    array([[0., 2., 0.]])
    """
    x4, restore = _check_images(x, "x")
    out_h, out_w = _check_pair(output_size, "output_size")
    _check_mode(mode)
    batch, height, width, channels = x4.shape
    grad = _check_array(grad_out, "grad_out")
    expected = restore(np.empty((batch, out_h, out_w, channels), dtype=bool)).shape
    if grad.shape != expected:
        raise ValueError(f"grad_out must have the shape of the pooled output, {expected}; "
                         f"got {grad.shape}")
    grad4 = grad.reshape(batch, out_h, out_w, channels)
    dtype = grad.dtype if np.issubdtype(grad.dtype, np.floating) else np.float64
    bounds_h, bounds_w = _adaptive_bounds(height, out_h), _adaptive_bounds(width, out_w)
    if mode == "avg":
        # Average pooling is linear: window sums are R @ x @ C.T per channel, with R and C the
        # 0/1 window memberships of the rows and columns. Its gradient is the transposed
        # product: each output's share goes to every cell of its window, and where windows
        # overlap the products add the shares up.
        rows, cols = _membership(height, out_h), _membership(width, out_w)
        sizes = np.multiply.outer(rows.sum(axis=1), cols.sum(axis=1))
        share = grad4 / sizes[None, :, :, None]
        wide = np.matmul(cols.T, share)  # (N, out_h, W, C)
        grad_x = np.matmul(rows.T, wide.reshape(batch, out_h, width * channels))
        grad_x = grad_x.reshape(x4.shape)
    else:
        rows, cols = _adaptive_winners(x4, bounds_h, bounds_w, mode)
        # one flat index per output; bincount adds where overlapping windows pick the same cell
        n_index = np.arange(batch)[:, None, None, None]
        c_index = np.arange(channels)[None, None, None, :]
        flat = ((n_index * height + rows) * width + cols) * channels + c_index
        grad_x = np.bincount(flat.ravel(), weights=grad4.astype(np.float64).ravel(),
                             minlength=x4.size).reshape(x4.shape)
    return restore(grad_x.astype(dtype, copy=False))


def _adaptive_winners(x4, bounds_h, bounds_w, mode):
    """Row and column of the first extreme in row-major order of every window, each
    (N, out_h, out_w, C). argmax/argmin return the first extreme (or the first NaN): first, per
    row, the first best column of each column band; then the first row whose best is the
    window's best. That row and its column are the first extreme in row-major order."""
    pick = np.argmax if mode == "max" else np.argmin
    batch, height, _, channels = x4.shape
    best_col = np.empty((batch, height, len(bounds_w), channels), dtype=np.intp)
    best = np.empty((batch, height, len(bounds_w), channels), dtype=x4.dtype)
    for j, (start, stop) in enumerate(bounds_w):
        band = x4[:, :, start:stop]
        arg = pick(band, axis=2)[:, :, None]
        best_col[:, :, j] = start + arg[:, :, 0]
        best[:, :, j] = np.take_along_axis(band, arg, axis=2)[:, :, 0]
    rows = np.empty((batch, len(bounds_h), len(bounds_w), channels), dtype=np.intp)
    cols = np.empty_like(rows)
    for i, (start, stop) in enumerate(bounds_h):
        arg = pick(best[:, start:stop], axis=1)[:, None]
        rows[:, i] = start + arg[:, 0]
        cols[:, i] = np.take_along_axis(best_col[:, start:stop], arg, axis=1)[:, 0]
    return rows, cols


# ------------------------------------------------------------------------------------------------
# 6. Images
# ------------------------------------------------------------------------------------------------


def load_image(source, grayscale=False, size=None, max_side=None):
    """Read an image file, or the bytes of an uploaded one, into a uint8 array.

    Any image Pillow reads works: transparent images are laid on white, palette, 16-bit grey and
    CMYK images are converted, and phone photos are turned upright as their EXIF data says.

    Parameters
    ----------
    source : str, os.PathLike, bytes, bytearray or memoryview
        A path, or the content of a file (as an upload widget gives it).
    grayscale : bool, default False
        Convert to one channel of luminance.
    size : (int, int), optional
        ``(width, height)`` to resize to, as Pillow orders it (the article uses ``(224, 224)``).
    max_side : int, optional
        Shrink so that the longer side is at most this, keeping the aspect ratio.

    Returns
    -------
    ndarray of uint8, shape (H, W) if grayscale else (H, W, 3)

    Raises
    ------
    FileNotFoundError
        If the path does not exist.
    ValueError
        If the file or bytes are not a readable image, or a size is invalid.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if size is not None:
        size = _check_pair(size, "size")
    if max_side is not None:
        max_side = _check_positive_int(max_side, "max_side")
    if isinstance(source, (bytes, bytearray, memoryview)):
        name, stream = "the uploaded bytes", io.BytesIO(bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"no image file at {str(path)!r} (working folder: {os.getcwd()})")
        name, stream = repr(str(path)), path
    else:
        raise TypeError(
            "source must be a path (str or pathlib.Path) or the bytes of a file; "
            f"got {type(source).__name__}"
        )
    try:
        with Image.open(stream) as opened:
            if max_side is not None and opened.format == "JPEG":
                opened.draft("RGB", (max_side, max_side))  # decode a huge JPEG at reduced scale
            image = ImageOps.exif_transpose(opened)
            image.load()
    except UnidentifiedImageError as error:
        raise ValueError(f"{name} is not an image that Pillow can read") from error
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(f"{name} could not be read as an image: {error}") from error

    image = _to_rgb_or_grey(image)
    if max_side is not None and max(image.size) > max_side:
        scale = max_side / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.Resampling.LANCZOS)
    if size is not None:
        image = image.resize(size, Image.Resampling.LANCZOS)
    if grayscale:
        image = image.convert("L")
    return np.asarray(image, dtype=np.uint8).copy()


def _to_rgb_or_grey(image):
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        return Image.fromarray(np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8))
    if image.mode in ("1", "L"):
        return image.convert("L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


# ------------------------------------------------------------------------------------------------
# 7. Drawing
# ------------------------------------------------------------------------------------------------
# Photos are drawn in grey or in their own colours, matrices with the colour-blind-safe viridis
# map, and axes count pixels so that sizes can be compared. Every function returns its figure.
# Panels that are compared share one value scale, and all text is big enough for a projector.

#: Smallest text in the course's figures, in points.
FONT_SIZE = 11
TITLE_SIZE = 12


def _new_figure(width, height, layout="constrained"):
    """A figure outside pyplot, so that a widget owns it and nothing is shown twice."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout=layout)
    FigureCanvasAgg(figure)
    return figure


def _subplots(ncols, width, height):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    return fig, np.atleast_1d(axes)


def value_range(*arrays):
    """The smallest and largest value over all the given arrays, for one shared colour scale.

    NaN and infinite values (padding) are left out. When every value is the same, the range is
    widened to ``(value, value + 1)`` so that it can still be passed as a ``value_range``.

    Parameters
    ----------
    *arrays : array_like
        One or more arrays of real numbers, of any shapes.

    Returns
    -------
    (float or int, float or int)
        ``(low, high)`` with ``low < high``.

    Raises
    ------
    ValueError
        If no array is given, or none holds a finite value.

    Examples
    --------
    >>> value_range([[1, 5], [2, 3]], [[0.5, np.nan]])
    (0.5, 5.0)
    """
    if not arrays:
        raise ValueError("value_range needs at least one array; got none")
    finite = [a[np.isfinite(a)] for a in (_check_array(x, "value_range's array") for x in arrays)]
    finite = np.concatenate([a.ravel() for a in finite]).astype(np.result_type(*finite, np.uint8))
    if finite.size == 0:
        raise ValueError("value_range found no finite value (only NaN or infinity) in the arrays")
    low, high = finite.min().item(), finite.max().item()
    return (low, high) if high > low else (low, high + 1)


def _photo_range(img):
    """The scale a photo is drawn on by default: its type's whole range for 8- and 16-bit
    integers (a dark photo stays dark), its own range for wider integers and floats."""
    if img.dtype == np.bool_:
        return (0, 1)
    if img.dtype.kind in "iu" and img.dtype.itemsize <= 2:
        info = np.iinfo(img.dtype)
        return (int(info.min), int(info.max))
    return value_range(img)


def _photo_pixels(img, scale):
    """What imshow is given: grey stays as it is (the norm scales it); colour is scaled to 0..1
    by hand, since imshow ignores vmin and vmax for RGB."""
    if img.ndim == 2:
        return img
    low, high = scale
    if img.dtype == np.uint8 and (low, high) == (0, 255):
        return img
    return np.clip((img.astype(np.float32) - low) / (high - low), 0, 1)


def _show_photo(ax, img, title=None, scale=None):
    img = np.asarray(img)
    scale = _photo_range(img) if scale is None else scale
    shown = ax.imshow(_photo_pixels(img, scale), cmap="gray" if img.ndim == 2 else None,
                      interpolation="nearest", vmin=scale[0], vmax=scale[1])
    ax.set_xlabel("x (pixels)")
    ax.set_ylabel("y (pixels)")
    if title:
        ax.set_title(title)
    _readable(ax)
    return shown


def _readable(ax):
    """Projector-sized text: ticks and labels at 11 pt, titles at 12 pt."""
    ax.tick_params(labelsize=FONT_SIZE)
    ax.xaxis.label.set_size(FONT_SIZE)
    ax.yaxis.label.set_size(FONT_SIZE)
    ax.title.set_size(TITLE_SIZE)


def plot_image(img, title=None, ax=None, value_range=None):
    """Draw one photo in grey (one channel) or its own colours, axes in pixels.

    Parameters
    ----------
    img : array_like, shape (H, W) or (H, W, 3)
    title : str, optional
    ax : matplotlib Axes, optional
    value_range : (number, number), optional
        The values drawn black and white (or no and full colour). By default the type's whole
        range for 8- and 16-bit integer photos (0–255 for uint8), else the photo's own min and max.
        Give the same range to every panel that should be compared.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If ``value_range`` is not a pair of numbers with low < high.
    """
    img = _check_array(img, "img")
    scale = None if value_range is None else _check_value_range(value_range)
    if ax is None:
        fig, (ax,) = _subplots(1, 5, 5)
    _show_photo(ax, img, title, scale)
    return ax.figure


def plot_two_images(img1, img2, title1=None, title2=None, true_size=False):
    """Draw a before/after pair side by side, both on the first image's value scale.

    A float average pool of a uint8 photo is thus drawn on 0–255, like the photo, and does not
    look brighter than it is.

    Parameters
    ----------
    img1, img2 : array_like, shape (H, W) or (H, W, 3)
    title1, title2 : str, optional
        By default each image's shape.
    true_size : bool, default False
        Draw both at the same scale, so that the smaller one looks smaller.

    Returns
    -------
    matplotlib.figure.Figure
    """
    img1, img2 = _check_array(img1, "img1"), _check_array(img2, "img2")
    scale = _photo_range(img1)
    fig, axes = _subplots(2, 10, 4.6)
    for ax, img, title in zip(axes, (img1, img2), (title1, title2)):
        _show_photo(ax, img, title or "{}×{}".format(*img.shape[:2]), scale)
    if true_size:
        _same_scale(axes, img1.shape[:2])
    return fig


def _same_scale(axes, shape):
    for ax in axes:
        ax.set_xlim(-0.5, shape[1] - 0.5)
        ax.set_ylim(shape[0] - 0.5, -0.5)


def plot_matrix(matrix, ax=None, title=None, windows=(), highlight=None, dropped=None,
                value_range=None, cmap="viridis"):
    """Draw a small matrix with every number readable, and windows outlined.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
    ax : matplotlib Axes, optional
    title : str, optional
    windows : sequence of (top, left, height, width), optional
        Windows to outline thinly.
    highlight : (top, left, height, width), optional
        One window to outline boldly.
    dropped : ndarray of bool, shape (H, W), optional
        Cells no window covers, hatched.
    value_range : (number, number), optional
        The values at the two ends of the colour map; by default the matrix's own finite min and
        max. Pass one range (for instance ``value_range(matrix, pooled)``) to every matrix of a
        figure so that one colour means one value.
    cmap : str, default 'viridis'

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If ``value_range`` is not a pair of numbers with low < high.
    """
    matrix = np.asarray(matrix)
    scale = None if value_range is None else _check_value_range(value_range)
    if ax is None:
        fig, (ax,) = _subplots(1, 0.6 * matrix.shape[1] + 1.2, 0.6 * matrix.shape[0] + 0.8)
    _draw_matrix(ax, matrix, title, windows, highlight, dropped, cmap, scale)
    return ax.figure


def _matrix_range(matrix):
    finite = matrix[np.isfinite(matrix)]
    return value_range(finite) if finite.size else (0, 1)


def _draw_matrix(ax, matrix, title=None, windows=(), highlight=None, dropped=None,
                 cmap="viridis", scale=None):
    from matplotlib.colors import Normalize

    norm = Normalize(*(_matrix_range(matrix) if scale is None else scale), clip=True)
    ax.imshow(matrix, cmap=cmap, norm=norm)
    cell = _cell_points(ax, matrix.shape)
    shades = ax.images[-1].cmap(norm(matrix))
    shades[~np.isfinite(matrix)] = (1, 1, 1, 1)  # padding is drawn white
    if dropped is not None:
        dropped = np.asarray(dropped, dtype=bool)
        shades[dropped] = SKIPPED_ALPHA * np.array(SKIPPED_FACE) + (1 - SKIPPED_ALPHA) * shades[dropped]
        _draw_skipped(ax, dropped)
    labels = _cell_labels(matrix)
    # a number that does not fit its cell at a readable size is left out, never shrunk
    if matrix.size <= 400 and max(map(len, labels.flat)) * CHAR_WIDTH * FONT_SIZE <= 0.9 * cell:
        for (row, col), label in np.ndenumerate(labels):
            ax.text(col, row, label, ha="center", va="center", fontsize=FONT_SIZE,
                    color=_ink(shades[row, col]))
    step_in = 0.07 if _overlap(matrix.shape, windows) else 0.0
    for index, box in enumerate(windows):
        # overlapping windows are stepped inwards by turns, so that each stays visible
        _draw_frame(ax, box, WINDOW_COLOURS[index % len(WINDOW_COLOURS)], 2, cell,
                    extra=step_in * (index % 3))
    if highlight is not None:
        _draw_frame(ax, highlight, "#D55E00", 4, cell)
    ax.set_xticks(range(matrix.shape[1]) if matrix.shape[1] <= 16 else ax.get_xticks())
    ax.set_yticks(range(matrix.shape[0]) if matrix.shape[0] <= 16 else ax.get_yticks())
    ax.set_xlim(-0.5, matrix.shape[1] - 0.5)
    ax.set_ylim(matrix.shape[0] - 0.5, -0.5)
    ax.tick_params(length=0)
    if title:
        ax.set_title(title)
    _readable(ax)


#: Okabe-Ito colours that stand out on viridis (its yellow is left out: viridis ends in yellow).
WINDOW_COLOURS = ("#E69F00", "#56B4E9", "#CC79A7", "#D55E00", "#009E73", "#0072B2")
#: Skipped cells are veiled in light grey, so that their numbers are drawn in black.
SKIPPED_FACE = (0.93, 0.93, 0.93, 1.0)
SKIPPED_ALPHA = 0.8
#: Width of a character of DejaVu Sans, in ems, generously: digits are 0.64, most letters less.
CHAR_WIDTH = 0.66


def _overlap(shape, windows):
    seen = np.zeros(shape, dtype=int)
    for top, left, h, w in windows:
        seen[top:top + h, left:left + w] += 1
    return seen.size > 0 and seen.max() > 1


def _cell_labels(matrix):
    if matrix.dtype.kind == "f":
        labels = [f"{value:g}" for value in matrix.flat]
    else:
        labels = [str(value) for value in matrix.flat]
    labels = ["pad" if label == "nan" else label for label in labels]
    return np.array(labels, dtype=object).reshape(matrix.shape)


def _cell_points(ax, shape):
    """About how many points a matrix cell spans when drawn in ``ax`` (square cells; a
    constrained layout takes a little room for the ticks and title)."""
    box = ax.get_position()
    width, height = ax.figure.get_size_inches() * 72 * (box.width, box.height)
    return 0.85 * min(width / shape[1], height / shape[0])


def _ink(rgba):
    """Black or white, whichever contrasts more with the colour (WCAG relative luminance)."""
    linear = np.where(rgba[:3] <= 0.04045, rgba[:3] / 12.92, ((rgba[:3] + 0.055) / 1.055) ** 2.4)
    luminance = linear @ (0.2126, 0.7152, 0.0722)
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def _draw_skipped(ax, dropped):
    from matplotlib.patches import Rectangle

    for row, col in zip(*np.nonzero(dropped)):
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=SKIPPED_FACE,
                               alpha=SKIPPED_ALPHA, hatch="//", edgecolor="#9A9A9A", linewidth=0))


def _draw_frame(ax, box, colour, linewidth, cell, extra=0.0):
    """A window frame inside its cells: inset by more than half its line, with its dark halo,
    so that no part of it hides under the axes' spine, and edged in black to show on any colour."""
    from matplotlib import patheffects
    from matplotlib.patches import Rectangle

    top, left, h, w = box
    halo = linewidth + 1.2
    inset = max(0.04, (halo / 2 + 1) / cell) + extra
    ax.add_patch(Rectangle((left - 0.5 + inset, top - 0.5 + inset), w - 2 * inset, h - 2 * inset,
                           fill=False, linewidth=linewidth, edgecolor=colour,
                           path_effects=[patheffects.Stroke(linewidth=halo, foreground="black"),
                                         patheffects.Normal()]))


def window_boxes(shape, pool_size=2, stride=None):
    """The (top, left, height, width) of every 'valid' window over a 2-D shape, row-major.

    Parameters
    ----------
    shape : (int, int)
    pool_size, stride : int or (int, int)

    Returns
    -------
    list of (int, int, int, int)
    """
    pool_h, pool_w = _check_pair(pool_size, "pool_size")
    step_h, step_w = (pool_h, pool_w) if stride is None else _check_pair(stride, "stride")
    height, width = shape
    return [(top, left, pool_h, pool_w)
            for top in range(0, height - pool_h + 1, step_h)
            for left in range(0, width - pool_w + 1, step_w)]


def uncovered_cells(shape, pool_size=2, stride=None):
    """Boolean mask of the cells no 'valid' window touches: the dropped border, skipped pixels.

    Parameters
    ----------
    shape : (int, int)
    pool_size, stride : int or (int, int)

    Returns
    -------
    ndarray of bool, shape ``shape``
    """
    covered = np.zeros(shape, dtype=bool)
    for top, left, h, w in window_boxes(shape, pool_size, stride):
        covered[top:top + h, left:left + w] = True
    return ~covered


# ------------------------------------------------------------------------------------------------
# 8. Widgets
# ------------------------------------------------------------------------------------------------
# Each widget draws into a Matplotlib figure it owns and shows it as a PNG in an ``Image`` widget.
# Swapping the PNG redraws in place, without the flicker and page jumps of clearing an ``Output``,
# and works the same in a kernel, under nbclient and in tests. The last results are kept as
# attributes, so a test can set the sliders and read what the widget computed.


class _FigureWidget(widgets.VBox):
    """Shared machinery: controls, pictures, a caption, and a redraw on every change."""

    def _build(self, controls, figure, static_figure=None):
        self.figure, self.static_figure = figure, static_figure
        pictures = [] if static_figure is None else [_picture(static_figure)]
        self.picture = _picture(figure)
        self.caption = widgets.HTML()
        self.last_update_seconds = None
        for control in controls:
            control.observe(self._on_change, names="value")
        self.children = [widgets.HBox(controls[:3]), widgets.HBox(controls[3:]),
                         widgets.HBox(pictures + [self.picture]), self.caption]
        self.update()

    def _on_change(self, change):
        self.update()

    def update(self):
        """Recompute and redraw from the current control values."""
        started = time.perf_counter()
        try:
            self._compute_and_draw()
        except ValueError as error:  # a combination the pooling rejects: say why, keep going
            # the previous result would look like the answer to the new setting: blank it
            self._clear_result()
            self.caption.value = f"<b>Not possible:</b> {html.escape(str(error))}"
        self.picture.value = _figure_png(self.figure)
        self.last_update_seconds = time.perf_counter() - started

    def _clear_result(self):
        for ax in self.figure.axes:
            ax.clear()
            ax.set_axis_off()


def _picture(fig):
    """An Image widget of the figure's size, so that a redraw never moves the page."""
    width, height = (fig.get_size_inches() * fig.dpi).round().astype(int)
    return widgets.Image(value=_figure_png(fig), format="png",
                         layout=widgets.Layout(width=f"{width}px", height=f"{height}px"))


def _figure_png(fig):
    from PIL import Image

    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _slider(description, value, low, high):
    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False, style={"description_width": "initial"})


class PoolExplorer(_FigureWidget):
    """Before and after a pooling of a photo, with sliders. Build it with ``pool_explorer``."""

    def __init__(self, img, pool_size=2, stride=2, mode="max", show_padding=False, max_pool=8):
        super().__init__()
        self.image = _check_array(img, "img")
        if self.image.ndim not in (2, 3):
            raise ValueError(f"img must be one photo, (H, W) or (H, W, C); got shape {self.image.shape}")
        self.scale = _photo_range(self.image)
        self.pool_size_slider = _slider("pool size", pool_size, 1, max_pool)
        self.stride_slider = _slider("stride", stride, 1, max_pool)
        self.mode_buttons = widgets.ToggleButtons(options=list(MODES), value=mode,
                                                  description="mode")
        # padding is taught in notebook 05: before that, a toggle would only raise questions
        self.padding_buttons = widgets.ToggleButtons(
            options=list(PADDING_NAMES), value="valid", description="padding") if show_padding else None
        self.true_size_box = widgets.Checkbox(value=False, description="true relative size")
        self.pooled = None
        # Two figures: the "before" one is drawn once, so an update redraws only half the text.
        before = _new_figure(4.8, 4.4, layout=None)
        before_axes = before.subplots()
        _photo_axes(before_axes, self.image, "before: {}×{}".format(*self.image.shape[:2]),
                    self.scale)
        self.figure = _new_figure(4.8, 4.4, layout=None)
        self.after_axes = self.figure.subplots()
        self.after_image = _photo_axes(self.after_axes, self.image, "", self.scale)
        controls = [self.pool_size_slider, self.stride_slider, self.mode_buttons,
                    self.padding_buttons, self.true_size_box]
        self._build([control for control in controls if control is not None], self.figure, before)

    @property
    def kept_share(self):
        """Share of the input's pixels the output keeps: output pixels / input pixels."""
        return self.pooled.shape[0] * self.pooled.shape[1] / (self.image.shape[0] * self.image.shape[1])

    def _clear_result(self):
        self.pooled = None
        self.after_image.set_visible(False)
        self.after_axes.set_title("")
        self.after_axes.set_axis_off()

    @property
    def padding(self):
        """The padding in use: 'valid' unless the padding control is shown and says otherwise."""
        return "valid" if self.padding_buttons is None else self.padding_buttons.value

    def _compute_and_draw(self):
        pool, step = self.pool_size_slider.value, self.stride_slider.value
        mode = self.mode_buttons.value
        height, width = self.image.shape[:2]
        if self.padding == "valid" and pool > min(height, width):
            # pool2d's message would suggest a padding this explorer may not offer
            raise ValueError(f"a {pool}×{pool} pool does not fit the {height}×{width} image; "
                             f"pick a pool size of at most {min(height, width)}")
        self.pooled = pool2d(self.image, pool, step, self.padding, mode)
        out_h, out_w = self.pooled.shape[:2]
        self.after_image.set_data(_photo_pixels(self.pooled, self.scale))
        self.after_image.set_extent((-0.5, out_w - 0.5, out_h - 0.5, -0.5))
        self.after_image.set_visible(True)
        self.after_axes.set_axis_on()
        limits = self.image.shape[:2] if self.true_size_box.value else (out_h, out_w)
        _same_scale((self.after_axes,), limits)
        self.after_axes.set_title(f"{mode} pool {pool}, stride {step}: {out_h}×{out_w}")
        self.caption.value = (
            f"Input {height}×{width} → output {out_h}×{out_w}: the output keeps "
            f"{self.kept_share:.1%} of the pixels (one for every {1 / self.kept_share:.1f})."
        )


def _photo_axes(ax, img, title, scale):
    """A photo in fixed-size axes with few ticks: quick to redraw, and the page never jumps."""
    from matplotlib.ticker import MaxNLocator

    ax.figure.subplots_adjust(left=0.16, right=0.96, bottom=0.12, top=0.92)
    shown = _show_photo(ax, img, title, scale)
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    return shown


def pool_explorer(img, pool_size=2, stride=2, mode="max", show_padding=False):
    """A widget to pool a photo with sliders for pool size and stride, before and after side by side.

    Both pictures are drawn on the input's value scale (0–255 for a uint8 photo), so an average
    pool does not look brighter than a max pool.

    Parameters
    ----------
    img : array_like, shape (H, W) or (H, W, C)
    pool_size, stride : int, default 2
        Starting slider values.
    mode : {'max', 'avg', 'min'}, default 'max'
    show_padding : bool, default False
        Offer a 'valid'/'same' padding toggle (notebook 05 explains padding). Without it the
        padding is 'valid'.

    Returns
    -------
    PoolExplorer
        Displays as the widget; ``.pooled`` is the last output (None when the setting cannot be
        pooled), ``.pool_size_slider``, ``.stride_slider``, ``.mode_buttons`` the controls and
        ``.padding_buttons`` the padding toggle (None unless ``show_padding``).
    """
    return PoolExplorer(img, pool_size, stride, mode, show_padding)


class ImageUploadExplorer(widgets.VBox):
    """An upload button and, once a photo is chosen, a ``PoolExplorer`` of it."""

    def __init__(self, max_side=800):
        super().__init__()
        self.max_side = _check_positive_int(max_side, "max_side")
        self.upload = widgets.FileUpload(accept="image/*", multiple=False, description="image")
        self.message = widgets.HTML("Choose an image file to pool it.")
        self.explorer = None
        self.upload.observe(self._on_upload, names="value")
        self.children = [self.upload, self.message]

    def _on_upload(self, change):
        files = _uploaded_files(change["new"])
        if files:
            self.show_file(*files[0])

    def show_file(self, name, content):
        """Load ``content`` (the bytes of file ``name``) and show its explorer, or say why not."""
        try:
            img = load_image(content, max_side=self.max_side)
        except ValueError:
            self.message.value = (f"<b>{html.escape(name)}</b> is not an image this course can "
                                  "read. Try a JPEG or PNG photo.")
            self.children = [self.upload, self.message]
            return
        self.explorer = PoolExplorer(img)
        self.message.value = (f"<b>{html.escape(name)}</b>: {img.shape[0]}×{img.shape[1]} pixels "
                              f"(at most {self.max_side} on the longer side).")
        self.children = [self.upload, self.message, self.explorer]


def _uploaded_files(value):
    """The (name, content) pairs of a ``FileUpload`` value.

    ipywidgets 8 gives a tuple of dicts with "name" and "content"; ipywidgets 7, which Colab
    still runs, gives a dict from name to a dict with "content".
    """
    if isinstance(value, dict):
        return [(name, item["content"]) for name, item in value.items()]
    return [(item["name"], item["content"]) for item in value]


def image_upload_explorer(max_side=800):
    """A widget to upload a photo and explore its pooling.

    Parameters
    ----------
    max_side : int, default 800
        Larger photos are shrunk to this longer side first, keeping their aspect.

    Returns
    -------
    ImageUploadExplorer
        ``.show_file(name, content)`` does what an upload does; ``.explorer`` is the
        ``PoolExplorer`` of the last photo.
    """
    return ImageUploadExplorer(max_side)


class PoolStepper(_FigureWidget):
    """Steps through the pools of a small matrix one by one. Build it with ``pool_stepper``."""

    def __init__(self, matrix, pool_size=2, stride=2):
        super().__init__()
        self.matrix = np.asarray(matrix)
        self.pools = get_pools(self.matrix, pool_size, stride)
        self.boxes = window_boxes(self.matrix.shape, pool_size, stride)
        self.pool_slider = _slider("pool number", 0, 0, len(self.boxes) - 1)
        figure = _new_figure(8, 3.6)
        self.axes = figure.subplots(1, 2, width_ratios=[self.matrix.shape[1], 3])
        self._build([self.pool_slider], figure)

    def _compute_and_draw(self):
        index = self.pool_slider.value
        out_w = self.pools.shape[1]
        row, col = divmod(index, out_w)
        top, left, h, w = self.boxes[index]
        self.current_pool = self.pools[row, col]
        for ax in self.axes:
            ax.clear()
        scale = _matrix_range(self.matrix)
        _draw_matrix(self.axes[0], self.matrix, f"pool {index}: rows {top}–{top + h - 1}, "
                     f"columns {left}–{left + w - 1}", highlight=self.boxes[index], scale=scale)
        _draw_matrix(self.axes[1], self.current_pool, f"pools[{row}, {col}]", scale=scale)
        self.caption.value = (f"Pool {index} (of pools 0 to {len(self.boxes) - 1}) goes to output "
                              f"row {row}, column {col}; its maximum is {self.current_pool.max()}.")


def pool_stepper(matrix, pool_size=2, stride=2):
    """A widget whose slider steps through the pools of a matrix, the current one highlighted.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
    pool_size, stride : int or (int, int), default 2

    Returns
    -------
    PoolStepper
    """
    return PoolStepper(matrix, pool_size, stride)


class StrideExplorer(_FigureWidget):
    """Windows drawn on a grid and the output beside it. Build it with ``stride_explorer``."""

    def __init__(self, matrix, pool_size=2, stride=2, mode="max"):
        super().__init__()
        self.matrix = np.asarray(matrix)
        limit = min(self.matrix.shape)
        self.pool_size_slider = _slider("pool size", pool_size, 1, limit)
        self.stride_slider = _slider("stride", stride, 1, limit)
        self.mode = mode
        figure = _new_figure(9, 4)
        self.axes = figure.subplots(1, 2)
        self._build([self.pool_size_slider, self.stride_slider], figure)

    def _compute_and_draw(self):
        pool, step = self.pool_size_slider.value, self.stride_slider.value
        self.pooled = pool2d(self.matrix, pool, step, mode=self.mode)
        boxes = window_boxes(self.matrix.shape, pool, step)
        dropped = uncovered_cells(self.matrix.shape, pool, step)
        for ax in self.axes:
            ax.clear()
        scale = _matrix_range(self.matrix)
        _draw_matrix(self.axes[0], self.matrix, f"input {self.matrix.shape[0]}×"
                     f"{self.matrix.shape[1]}: {_count(len(boxes), 'window')}", windows=boxes,
                     dropped=dropped, scale=scale)
        out_h, out_w = self.pooled.shape
        _draw_matrix(self.axes[1], self.pooled, f"{self.mode} pooling → {out_h}×{out_w}",
                     scale=scale)
        self.caption.value = _stride_caption(self.matrix.shape, pool, step, int(dropped.sum()))


def _count(number, noun):
    """'1 row', '2 rows'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _stride_caption(shape, pool, step, never_seen):
    """What the windows of a square pool do on a matrix, true for every pool, stride and shape."""
    (out_h, out_w), (height, width) = ((n - pool) // step + 1 for n in shape), shape
    sentences = [f"A {pool}×{pool} pool with stride {step} gives an output of "
                 f"{_count(out_h, 'row')} and {_count(out_w, 'column')}."]
    if out_h == out_w == 1:
        sentences.append("There is a single window, so the stride changes nothing here.")
    elif step < pool:
        sentences.append(f"The windows overlap (stride {step} < pool size {pool}): "
                         "some cells are looked at more than once.")
    elif step > pool:
        sentences.append(f"The windows leave gaps of {_count(step - pool, 'cell')} between them "
                         f"(stride {step} > pool size {pool}).")
    else:
        sentences.append("The windows sit side by side, with no overlap and no gap "
                         "(stride = pool size).")
    if never_seen == 0:
        sentences.append("Every cell is looked at" + (
            ": the windows tile the input exactly." if step == pool else "."))
    else:
        left_rows = height - ((out_h - 1) * step + pool)
        left_cols = width - ((out_w - 1) * step + pool)
        border = " and ".join(("the last " + (noun if left == 1 else _count(left, noun)))
                              for left, noun in ((left_rows, "row"), (left_cols, "column")) if left)
        where = ["in the gaps between windows"] if step > pool else []
        where += [f"in {border}, which no window reaches"] if border else []
        sentences.append(f"{_count(never_seen, 'cell')} {'is' if never_seen == 1 else 'are'} "
                         f"never looked at (hatched): those {' and those '.join(where)}.")
    return " ".join(sentences)


def stride_explorer(matrix, pool_size=2, stride=2, mode="max"):
    """A widget to pick pool size and stride on a matrix: the windows drawn, the output beside.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
    pool_size, stride : int, default 2
    mode : {'max', 'avg', 'min'}, default 'max'

    Returns
    -------
    StrideExplorer
        ``.pooled`` holds the last output.
    """
    return StrideExplorer(matrix, pool_size, stride, mode)


class OutputSizeExplorer(_FigureWidget):
    """One axis, its padding and its windows. Build it with ``output_size_explorer``."""

    def __init__(self, n=7, pool_size=2, stride=2):
        super().__init__()
        self.n_slider = _slider("input size", n, 1, 32)
        self.pool_size_slider = _slider("pool size", pool_size, 1, 6)
        self.stride_slider = _slider("stride", stride, 1, 6)
        self.padding_dropdown = widgets.Dropdown(
            options=["valid", "same", 0, 1, 2, 3], value="valid", description="padding")
        self.ceil_box = widgets.Checkbox(value=False, description="ceil mode (PyTorch)")
        # room for six lanes of windows (pool 6, stride 1) at every setting: the page never jumps
        figure = _new_figure(9.6, 3.8)
        self.axes = figure.subplots()
        figure.get_layout_engine().execute(figure)  # the cells' width decides which labels fit
        self._build([self.n_slider, self.pool_size_slider, self.stride_slider,
                     self.padding_dropdown, self.ceil_box], figure)

    def _compute_and_draw(self):
        n, pool, step = self.n_slider.value, self.pool_size_slider.value, self.stride_slider.value
        padding, ceil_mode = self.padding_dropdown.value, self.ceil_box.value
        self.output = output_size(n, pool, step, padding, ceil_mode)  # checks the combination
        out, before, length, _ = _axis_plan(n, pool, step, padding, ceil_mode, "length")
        # a ceil-mode window may hang past the right padding: there it reads nothing, so those
        # places get no cell at all
        after = (padding if isinstance(padding, int) else length - before - n)
        end = max(n + after, (out - 1) * step + pool - before)
        starts = [index * step - before for index in range(out)]
        covered = np.zeros(end + before, dtype=bool)
        for start in starts:
            covered[start + before:start + before + pool] = True
        self.dropped = int(n - covered[before:before + n].sum())
        ax = self.axes
        ax.clear()
        ax.set_axis_on()
        ax.set_xlim(-before - 0.6, end - 0.4)
        ax.set_ylim(-0.15, 1.1 + 0.45 * 6)
        cell = ax.get_position().width * self.figure.get_figwidth() * 72 / (end + before + 0.2)
        shown = _draw_axis_cells(ax, n, before, after, covered, cell)
        lanes = -(-pool // step)  # windows that overlap go to different lanes
        numbered = _draw_axis_windows(ax, starts, pool, lanes, cell)
        ax.set_yticks([])
        ax.set_xticks([])
        legend = "orange: covered, grey hatched: dropped, dashed: padding"
        if end > n + after:
            legend += ", nothing: past the end"
        ax.set_xlabel(f"cells along the axis ({legend})")
        formula, rule = self._formula(n, pool, step, padding, ceil_mode)
        ax.set_title(f"{formula} = {_count(self.output, 'output')}; "
                     f"{_count(self.dropped, 'input cell')} dropped")
        _readable(ax)
        notes = [rule] if rule else []
        if not (shown and numbered):
            notes.append("Numbers are written only where they fit.")
        self.caption.value = (f"Output size: <b>{self.output}</b> &nbsp; ({formula} = "
                              f"{self.output}). " + " ".join(notes))

    def _clear_result(self):
        self.output = self.dropped = None
        super()._clear_result()

    def _formula(self, n, pool, step, padding, ceil_mode):
        """The output-size formula of this setting, and a sentence when PyTorch's rule applies."""
        if padding == "valid":
            return f"⌊({n} − {pool}) / {step}⌋ + 1", ""
        if padding == "same":
            return f"⌈{n} / {step}⌉", ""
        opening, closing = ("⌈", "⌉") if ceil_mode else ("⌊", "⌋")
        formula = f"{opening}({n} + 2·{padding} − {pool}) / {step}{closing} + 1"
        if ceil_mode and -(-(n + 2 * padding - pool) // step) + 1 != self.output:
            return formula + " − 1", ("PyTorch takes one window off: the last one would start "
                                      "in the right padding.")
        return formula, ""


def _draw_axis_cells(ax, n, before, after, covered, cell):
    """The input cells and its padding in a row; True when every label could be written."""
    from matplotlib.patches import Rectangle

    index_fits = len(str(n - 1)) * CHAR_WIDTH * FONT_SIZE <= 0.85 * cell
    pad_fits = 3 * CHAR_WIDTH * FONT_SIZE <= 0.85 * cell
    for place in range(-before, n + after):
        real = 0 <= place < n
        hit = covered[place + before]
        ax.add_patch(Rectangle((place - 0.45, 0), 0.9, 0.9,
                               facecolor=("#E69F00" if hit else "#DDDDDD") if real else "white",
                               edgecolor="black" if real else "#555555",
                               linestyle="-" if real else "--",
                               hatch="//" if real and not hit else None))
        # without room for every index, every fifth still tells where one is
        label = str(place) if real and (index_fits or place % 5 == 0) else (
            "pad" if not real and pad_fits else "")
        if label:
            ax.text(place, 0.45, label, ha="center", va="center", fontsize=FONT_SIZE,
                    color="black")
    return index_fits and (pad_fits or before + after == 0)


def _draw_axis_windows(ax, starts, pool, lanes, cell):
    """One bar per window, overlapping ones in separate lanes; True when all are numbered."""
    from matplotlib.patches import Rectangle

    all_numbered = True
    for index, start in enumerate(starts):
        bottom = 1.1 + 0.45 * (index % lanes)
        ax.add_patch(Rectangle((start - 0.45, bottom), pool - 0.1, 0.36, color="#0072B2"))
        room = (pool - 0.1) * cell - 4
        label = next((text for text in (f"window {index}", str(index))
                      if len(text) * CHAR_WIDTH * FONT_SIZE <= room), "")
        all_numbered &= bool(label)
        if label:
            ax.text(start + pool / 2 - 0.5, bottom + 0.18, label, ha="center", va="center",
                    color="white", fontsize=FONT_SIZE)
    return all_numbered


def output_size_explorer(n=7, pool_size=2, stride=2):
    """A widget for one axis: input size, pool size, stride, padding and ceil mode.

    Returns
    -------
    OutputSizeExplorer
        ``.output`` holds the last output size, ``.dropped`` the input cells no window covers.
    """
    return OutputSizeExplorer(n, pool_size, stride)


# ------------------------------------------------------------------------------------------------
# 9. Appendix: checking arguments
# ------------------------------------------------------------------------------------------------
# Only the public functions check; the inner helpers trust them.


def _check_positive_int(value, name, whole=None):
    shown = f"{value!r}" if whole is None else f"{whole!r}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive whole number or a pair of them; got {shown} "
                        f"({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive whole number (1 or more); got {shown}")
    return int(value)


def _check_pair(value, name):
    """An int or a (rows, cols) pair of positive ints, as a tuple of two ints."""
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (rows, cols); got {value!r} "
                             f"with {len(value)} values")
        return (_check_positive_int(value[0], name, value), _check_positive_int(value[1], name, value))
    value = _check_positive_int(value, name)
    return (value, value)


def _check_padding(padding, count):
    """'valid', 'same', or ``count`` non-negative ints, as a tuple of length ``count``."""
    if isinstance(padding, str):
        if padding not in PADDING_NAMES:
            raise ValueError(f"padding must be 'valid', 'same', an int or a (rows, cols) pair; "
                             f"got {padding!r}")
        return (padding,) * count
    if isinstance(padding, (tuple, list)) and (count == 1 or len(padding) != 2):
        allowed = "'valid', 'same' or an int" if count == 1 else (
            "'valid', 'same', an int or a (rows, cols) pair")
        raise ValueError(f"padding must be {allowed}; got {padding!r}")
    values = padding if isinstance(padding, (tuple, list)) else (padding,)
    checked = []
    for value in values:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(f"padding must be 'valid', 'same', an int or a (rows, cols) pair "
                            f"of ints; got {padding!r}")
        if value < 0:
            raise ValueError(f"padding must not be negative; got {padding!r}")
        checked.append(int(value))
    return tuple(checked) * (count // len(checked))


def _check_ceil_mode(ceil_mode, padding):
    if not isinstance(ceil_mode, (bool, np.bool_)):
        raise TypeError(f"ceil_mode must be True or False; got {ceil_mode!r}")
    if ceil_mode and isinstance(padding, str):
        raise ValueError(f"ceil_mode=True is PyTorch's and needs an integer padding (0 for none); "
                         f"got padding={padding!r}")
    return bool(ceil_mode)


def _check_value_range(value_range):
    """A (low, high) pair of finite real numbers with low < high."""
    allowed = "a pair (low, high) of real numbers with low < high, or None"
    if isinstance(value_range, (str, bytes)) or not hasattr(value_range, "__len__"):
        raise TypeError(f"value_range must be {allowed}; got {value_range!r}")
    if len(value_range) != 2:
        raise ValueError(f"value_range must be {allowed}; got {value_range!r} with "
                         f"{len(value_range)} values")
    for value in value_range:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"value_range must be {allowed}; got {value_range!r}")
    low, high = (float(value) for value in value_range)
    if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
        raise ValueError(f"value_range must be {allowed} (both finite); got {value_range!r}")
    return low, high


def _check_array(value, name):
    """A non-empty numeric (or boolean) NumPy array."""
    try:
        array = np.asarray(value)
    except ValueError as error:  # a ragged list of lists
        raise ValueError(f"{name} must be a rectangular array of numbers; {error}") from error
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers or booleans; got dtype {array.dtype}")
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); it needs at least one value")
    return array


def _check_images(value, name):
    """Check an image or batch; return it as (N, H, W, C) and a function restoring the shape."""
    array = _check_array(value, name)
    if array.ndim == 2:
        return array[None, :, :, None], lambda a: a[0, :, :, 0]
    if array.ndim == 3:
        return array[None], lambda a: a[0]
    if array.ndim == 4:
        return array, lambda a: a
    raise ValueError(f"{name} must have 2 (H, W), 3 (H, W, C) or 4 (N, H, W, C) dimensions; "
                     f"got {array.ndim}, shape {array.shape}")


def _check_fits(height, width, pool_h, pool_w):
    if pool_h > height or pool_w > width:
        raise ValueError(f"pool_size ({pool_h}, {pool_w}) does not fit the image of height "
                         f"{height} and width {width}; use a pool of at most ({height}, {width})")
