"""Pooling from scratch: the helpers of the pooling course.

Every notebook of the course computes through this module. It is in three parts.

**Part one, what a learner reads**, in the order the course teaches it:

1. ``article_get_pools``, ``article_max_pooling``: the article's algorithm, kept to show where it
   breaks.
2. The teaching loops: ``get_pools``, ``max_pooling``, ``avg_pooling``, ``min_pooling``,
   and the two checkers they call first, ``check_pool_arguments`` and ``check_pools``.
3. Where the windows lie along one side: ``output_size`` and ``axis_windows``.
4. The fast, general version: ``pool2d``, exact against TensorFlow and PyTorch.
   ``pool2d``'s further arguments are the frameworks' others: ``dilation`` (gaps in a window),
   ``count_padding`` and ``divisor`` (what an average divides by), explicit padding
   ``((top, bottom), (left, right))``, and ``return_indices`` (where each maximum came from).
5. The backward pass: ``pool2d_backward``; then the rest of the pooling zoo, each with its
   backward pass: ``max_unpool2d`` (each maximum put back where it came from); adaptive
   pooling, where the output size is given and the windows follow from it:
   ``adaptive_windows``, ``adaptive_pool2d``, ``adaptive_pool2d_backward``; LP pooling,
   ``lp_pool2d``; fractional max pooling, ``fractional_max_pool2d``; and pooling along one or
   three axes (a sound, a video): ``pool1d``, ``pool3d``. A size beyond ``MAX_SIZE`` or an
   output beyond the computer's memory is refused at once, naming the argument.
6. Images: ``load_image``.

**Part two, the machinery**: how the windows are laid out, the strided reductions (and the
window bands of adaptive pooling), reading images, checking arguments. A learner may stop reading
where it begins. Its three public validators, ``check_array``, ``check_pair`` and
``check_positive_int``, are shared with part three; the window geometry that part three draws is
the public ``axis_windows`` of part one. No module uses another's private (underscored) names.

**Part three, drawing and widgets**, lives in ``pooling_display.py``: ``plot_image``,
``plot_two_images``, ``plot_matrix``, ``value_range``, ``window_boxes``, ``uncovered_cells`` and
the explorers (``pool_explorer``, ``image_upload_explorer``, ``pool_stepper``,
``stride_explorer``, ``output_size_explorer`` with its static ``plot_output_size``; for
adaptive pooling ``plot_adaptive_windows``
and ``adaptive_explorer``). They are reached through this module
(``ph.plot_image``) and loaded on first use, so computing needs NumPy alone: importing this
module loads neither Matplotlib, nor Pillow, nor ipywidgets.

Images are held channels last, as Pillow, Matplotlib and Keras hold them: ``(H, W)`` for a grey
image, ``(H, W, C)`` for a colour one and ``(N, H, W, C)`` for a batch.
"""

from __future__ import annotations

import importlib
import io
import numbers
import os
from pathlib import Path
from typing import NamedTuple

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


# =============================================================================
# PART ONE: what a learner reads
# =============================================================================

# -----------------------------------------------------------------------------
# 1. The article's algorithm
# -----------------------------------------------------------------------------
# The article pools with two functions. These follow its algorithm step for
# step, in the course's own code: both loops run over the image's height, the
# pools go into a flat list, and the output is assumed to be square. So they
# work on square, single-channel images only, which notebook 01 shows. They
# check nothing, on purpose: how they fail is the lesson.


def article_get_pools(img, pool_size, stride):
    """The article's pool extraction: for square, one-channel images only.

    Parameters
    ----------
    img : ndarray, shape (H, W)
    pool_size, stride : int

    Returns
    -------
    ndarray, shape (n_pools, pool_size, pool_size)
        A flat list of pools: which row each came from is lost.

    Examples
    --------
    >>> article_get_pools(np.arange(16).reshape(4, 4), 2, 2).shape
    (4, 2, 2)
    """
    height = img.shape[0]
    pools = []
    for top in range(0, height, stride):
        for left in range(0, height, stride):  # the flaw: height, not width
            pool = img[top:top + pool_size, left:left + pool_size]
            if pool.shape == (pool_size, pool_size):  # skip cut-short ones
                pools.append(pool)
    return np.array(pools)


def article_max_pooling(pools):
    """The article's max pooling: each pool's maximum, laid out as a square.

    Parameters
    ----------
    pools : ndarray, shape (n_pools, pool_size, pool_size)

    Returns
    -------
    ndarray, shape (side, side), with ``side = int(sqrt(n_pools))``

    Examples
    --------
    >>> article_max_pooling(article_get_pools(np.arange(16).reshape(4, 4),
    ...                                       2, 2))
    array([[ 5,  7],
           [13, 15]])
    """
    side = int(np.sqrt(len(pools)))  # the article's guess: a square
    maxima = [pool.max() for pool in pools]
    return np.array(maxima).reshape(side, side)


# -----------------------------------------------------------------------------
# 2. The teaching loops
# -----------------------------------------------------------------------------
# Each loop first hands its arguments to one public checker, so that what
# follows reads as plain loops. The checkers use the validators of part two.


def check_pool_arguments(img, pool_size, stride):
    """Check the arguments of ``get_pools`` and give them back ready to use.

    Parameters
    ----------
    img : array_like, shape (H, W)
        One channel: a grey image or a matrix, of real numbers.
    pool_size, stride : int or (int, int)
        Positive whole numbers, or ``(rows, columns)`` pairs of them.

    Returns
    -------
    img : ndarray, shape (H, W)
    pool : (int, int)
        ``(pool_h, pool_w)``.
    step : (int, int)
        ``(stride_h, stride_w)``.

    Raises
    ------
    ValueError, TypeError
        If ``img`` is not 2-D (``pool2d`` takes colour and batches), a size
        is not a positive whole number, or the pool does not fit; the
        message names the argument, what it got and what is allowed.

    Examples
    --------
    >>> check_pool_arguments([[1, 2, 3]], 1, (1, 2))
    (array([[1, 2, 3]]), (1, 1), (1, 2))
    """
    img = check_array(img, "img")
    if img.ndim != 2:
        raise ValueError(
            f"img must be 2-D (height, width); got shape {img.shape}. The "
            "teaching loops work on one channel: for colour images and "
            "batches use pool2d(x, pool_size, stride).")
    pool = check_pair(pool_size, "pool_size")
    step = check_pair(stride, "stride")
    for n, k, s, name in zip(img.shape, pool, step, ("height", "width")):
        axis_windows(n, k, s, axis=name)  # raises if the pool does not fit
    return img, pool, step


def check_pools(pools):
    """Check that ``pools`` is a grid of pools, as ``get_pools`` returns.

    Parameters
    ----------
    pools : array_like, shape (out_h, out_w, pool_h, pool_w)

    Returns
    -------
    ndarray, shape (out_h, out_w, pool_h, pool_w)

    Raises
    ------
    ValueError, TypeError
        If ``pools`` does not have 4 dimensions or holds no real numbers.

    Examples
    --------
    >>> check_pools([[[[1, 2], [3, 4]]]]).shape
    (1, 1, 2, 2)
    """
    pools = check_array(pools, "pools")
    if pools.ndim != 4:
        raise ValueError(
            "pools must have 4 dimensions (out_h, out_w, pool_h, pool_w), as "
            f"get_pools returns; got shape {pools.shape}")
    return pools


def get_pools(img, pool_size=2, stride=2):
    """Cut a 2-D array into its pools (windows), with two loops.

    Parameters
    ----------
    img : array_like, shape (H, W)
        One channel; it need not be square.
    pool_size, stride : int or (int, int), default 2
        Window size and step, down and across.

    Returns
    -------
    ndarray, shape (out_h, out_w, pool_h, pool_w)
        ``pools[i, j]`` is the pool of output row ``i``, column ``j``.

    Raises
    ------
    ValueError, TypeError
        On a bad argument, from ``check_pool_arguments``.

    Examples
    --------
    >>> get_pools(np.arange(12).reshape(3, 4)).shape
    (1, 2, 2, 2)
    """
    img, (pool_h, pool_w), (stride_h, stride_w) = check_pool_arguments(
        img, pool_size, stride)
    out_h = output_size(img.shape[0], pool_h, stride_h)  # from the height
    out_w = output_size(img.shape[1], pool_w, stride_w)  # from the width
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
        As ``get_pools`` returns them.

    Returns
    -------
    ndarray, shape (out_h, out_w), of the dtype of ``pools``

    Raises
    ------
    ValueError, TypeError
        On a bad argument, from ``check_pools``.

    Examples
    --------
    >>> max_pooling(get_pools([[1, 2], [3, 4]]))
    array([[4]])
    """
    pools = check_pools(pools)
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
        As ``get_pools`` returns them.

    Returns
    -------
    ndarray of float64, shape (out_h, out_w)
        Floats: the mean of whole numbers need not be whole.

    Raises
    ------
    ValueError, TypeError
        On a bad argument, from ``check_pools``.

    Examples
    --------
    >>> avg_pooling(get_pools([[1, 2], [3, 4]]))
    array([[2.5]])
    """
    pools = check_pools(pools)
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
        As ``get_pools`` returns them.

    Returns
    -------
    ndarray, shape (out_h, out_w), of the dtype of ``pools``

    Raises
    ------
    ValueError, TypeError
        On a bad argument, from ``check_pools``.

    Examples
    --------
    >>> min_pooling(get_pools([[1, 2], [3, 4]]))
    array([[1]])
    """
    pools = check_pools(pools)
    out_h, out_w = pools.shape[:2]
    pooled = np.empty((out_h, out_w), dtype=pools.dtype)
    for row in range(out_h):
        for col in range(out_w):
            pooled[row, col] = pools[row, col].min()
    return pooled


# ------------------------------------------------------------------------------------------------
# 3. Where the windows lie along one side
# ------------------------------------------------------------------------------------------------


def output_size(n, pool_size, stride=None, padding="valid", ceil_mode=False, dilation=1):
    """Number of outputs along one axis of length ``n``: always what ``pool2d`` produces.

    Without padding it is ``floor((n - k) / s) + 1``; TensorFlow's 'same' gives ``ceil(n / s)``;
    PyTorch's padding ``p`` gives ``floor((n + 2p - k) / s) + 1`` (``ceil`` in ceil mode, minus
    one when the last window would start after the input's last cell); padding ``(before, after)`` gives
    ``floor((n + before + after - k) / s) + 1``. With dilation ``d`` a window of ``k`` cells has
    gaps of ``d - 1`` cells between them and spans ``d (k - 1) + 1`` cells: put that span for
    ``k`` in the formulas.

    Parameters
    ----------
    n : int
        Input length (height or width), at least 1.
    pool_size : int
        Window length ``k``.
    stride : int, optional
        Step ``s``; by default the pool size, as in Keras and PyTorch.
    padding : {'valid', 'same'}, int or (int, int), default 'valid'
        An int pads both ends (PyTorch, at most half the pool); a pair ``(before, after)`` pads
        each end on its own (TensorFlow's explicit padding, each less than the pool).
    ceil_mode : bool, default False
        PyTorch's ceil mode; only with an integer padding.
    dilation : int, default 1
        Take every ``d``-th cell: PyTorch's ``dilation``.

    Returns
    -------
    int

    Raises
    ------
    ValueError, TypeError
        On a bad argument, or a pool that does not fit; the message names the argument.

    Examples
    --------
    >>> output_size(25, 2)
    12
    >>> output_size(25, 2, padding=0, ceil_mode=True)
    13
    >>> output_size(7, 3, 1, dilation=2)  # each window spans 2 * (3 - 1) + 1 = 5 cells
    3
    """
    return axis_windows(n, pool_size, stride, padding, ceil_mode, dilation).count


class Windows(NamedTuple):
    """Where the windows of a pooling lie along one axis (the height or the width).

    Positions count input cells: 0 is the first cell of the input, and a negative start lies in
    the padding before it. ``axis_windows`` builds it; ``pool2d``, ``pool2d_backward``,
    ``output_size``, the teaching loops' checks and every drawing of windows read it.
    """

    length: int
    """Input cells along the axis, ``n``."""
    pool: int
    """Window length, ``k``."""
    step: int
    """Stride, ``s``."""
    count: int
    """Number of windows: the output length."""
    pad_before: int
    """Padding cells before the input."""
    pad_after: int
    """Padding cells after the input: PyTorch's ``p``, or what 'same' adds at the end."""
    trimmed: bool
    """True when PyTorch's ceil mode dropped a last window that would start in the padding."""
    divisors: np.ndarray
    """For every window, how many cells its average divides by."""
    dilation: int = 1
    """Distance between the cells of a window, ``d``: 1 for side by side."""

    @property
    def span(self):
        """Cells from a window's first to its last, both included: ``d (k - 1) + 1``."""
        return self.dilation * (self.pool - 1) + 1

    @property
    def starts(self):
        """ndarray of int, shape (count,): the first cell of every window."""
        return np.arange(self.count) * self.step - self.pad_before

    @property
    def end(self):
        """One past the last cell the last window covers (in the padding, or past it)."""
        return (self.count - 1) * self.step + self.span - self.pad_before

    @property
    def padded_length(self):
        """Cells the padded input needs so that every window is whole."""
        return self.pad_before + max(self.length, self.end)


def axis_windows(n, pool_size, stride=None, padding="valid", ceil_mode=False, dilation=1,
                 count_padding=None, *, axis="length"):
    """Where the windows of a pooling lie along one axis of length ``n``.

    The one window geometry of the course: the teaching loops, ``pool2d`` and the drawings of
    ``pooling_display`` all lay their windows out with it.

    Parameters
    ----------
    n, pool_size, stride, padding, ceil_mode, dilation
        As for ``output_size``.
    count_padding : bool, optional
        Whether ``.divisors`` count the padding cells a window covers, as for ``pool2d``.
    axis : str, default 'length'
        What the messages call the axis ('height', 'width').

    Returns
    -------
    Windows
        ``.count`` windows (the output size) starting at ``.starts``, with ``.pad_before`` and
        ``.pad_after`` padding cells and ``.divisors`` for the averages.

    Raises
    ------
    ValueError, TypeError
        As ``output_size``.

    Examples
    --------
    >>> windows = axis_windows(7, 2, 2, padding=1, ceil_mode=True)
    >>> windows.count, windows.starts.tolist(), windows.divisors.tolist()
    (4, [-1, 1, 3, 5], [2, 2, 2, 2])
    >>> same = axis_windows(6, 3, 2, padding="same")  # TensorFlow pads the odd cell at the end
    >>> same.pad_before, same.pad_after
    (0, 1)
    >>> gaps = axis_windows(7, 3, 2, dilation=2)  # cells 0, 2, 4 and 2, 4, 6
    >>> gaps.count, gaps.span, gaps.starts.tolist()
    (2, 5, [0, 2])
    """
    n = check_positive_int(n, "n")
    pool = check_positive_int(pool_size, "pool_size")
    step = pool if stride is None else check_positive_int(stride, "stride")
    dilation = check_positive_int(dilation, "dilation")
    pad = _check_padding(padding, 1)[0]
    ceil_mode = _check_ceil_mode(ceil_mode, pad)
    count_padding = _check_count_padding(count_padding)
    return _windows(n, pool, step, pad, ceil_mode, axis, dilation, count_padding)


# ------------------------------------------------------------------------------------------------
# 4. The fast, general version
# ------------------------------------------------------------------------------------------------


def pool2d(x, pool_size=2, stride=None, padding="valid", mode="max", ceil_mode=False,
           dilation=1, count_padding=None, divisor=None, return_indices=False):
    """Max, average or min pooling of images, exact against TensorFlow and PyTorch.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Channels last. Numbers or booleans.
    pool_size : int or (int, int), default 2
    stride : int or (int, int), optional
        By default the pool size, as in Keras and PyTorch (``tf.nn.max_pool2d`` has no default).
    padding : {'valid', 'same'}, int, (int, int) or ((int, int), (int, int)), default 'valid'
        'valid' and 'same' as TensorFlow's ``tf.nn.max_pool2d`` / ``avg_pool2d``: 'same' gives
        ``ceil(n / s)`` outputs, pads mostly at the bottom and right, and padded cells never win a
        max nor count in an average. An int or pair pads both sides, as PyTorch's
        ``F.max_pool2d`` / ``F.avg_pool2d``: max pads with -inf, the average counts the zeros; at
        most half the pool (PyTorch's limit). ``((top, bottom), (left, right))`` pads each side
        on its own, as TensorFlow's explicit padding (``tf.nn.max_pool2d`` only; PyTorch has
        none): each side less than the pool (TensorFlow's limit).
    mode : {'max', 'avg', 'min'}, default 'max'
    ceil_mode : bool, default False
        PyTorch's ceil mode (with an integer padding only).
    dilation : int or (int, int), default 1
        PyTorch's ``dilation``: a window takes every ``d``-th cell, ``k`` cells spread over
        ``d (k - 1) + 1``; the gaps are skipped. ``output_size`` counts the windows. Not with
        'same', which TensorFlow's ``tf.nn.pool(dilations=)`` does not define either.
    count_padding : bool, optional
        Average only: whether the padding cells a window covers count in its divisor (PyTorch's
        ``count_include_pad``). By default each convention's own rule: counted with an integer or
        explicit padding (PyTorch's default ``True``), not with 'same' (TensorFlow). A window
        of padding cells only (dilation with padding can give one) is refused with ``False``:
        its average would be 0 / 0.
    divisor : int, optional
        Average only: divide every window's sum by this instead (PyTorch's
        ``divisor_override``); ``divisor=1`` gives sum pooling.
    return_indices : bool, default False
        Max and min only: also return where each result came from (PyTorch's
        ``return_indices``), for ``max_unpool2d``.

    Returns
    -------
    ndarray, shape like ``x`` with H and W replaced by ``output_size`` along each axis
        Max and min keep the input dtype; average gives float64 for integer input and the input's
        float dtype otherwise. NaN propagates through max and min, as in PyTorch; TensorFlow's
        max pooling skips some NaNs, so on NaN input the two frameworks disagree.
    indices : ndarray of int64, the shape of the result; only with ``return_indices=True``
        The input cell of each window's first maximum (minimum) in row-major order, as
        ``row * W + col`` within its own image and channel, as PyTorch numbers it (its
        ``max_pool2d`` picks the same cell, except where a window holds NaN: it takes the last
        NaN, this module the first). TensorFlow's ``tf.nn.max_pool_with_argmax`` numbers the
        cells of the whole channels-last image instead, ``(row * W + col) * C + channel`` (plus
        ``image * H * W * C`` with ``include_batch_in_index=True``).

    Raises
    ------
    ValueError, TypeError
        On any bad argument; the message names it and says what is allowed. A size beyond
        ``MAX_SIZE`` (2**62) or an output larger than the computer's memory is refused at once;
        any other size is pooled in time bounded by the input and the output, however large the
        pool or the padding.

    Examples
    --------
    >>> pool2d([[1, 2, 3, 4], [5, 6, 7, 8]])
    array([[6, 8]])
    >>> pool2d(np.ones((5, 5)), 2, padding="same", mode="avg").shape
    (3, 3)

    The zoo's running example, a 4×4 matrix:

    >>> m = np.array([[1, 5, 2, 0], [3, 4, 8, 6], [7, 0, 1, 2], [2, 9, 4, 3]])
    >>> pool2d(m, 2, 1, dilation=2)  # windows of rows and columns (0, 2), (1, 3)
    array([[7, 5],
           [8, 9]])
    >>> pool2d(m, 2, 2, padding=1, mode="avg")  # the corner window: 1 / 4, padding counted
    array([[0.25, 1.75, 0.  ],
           [2.5 , 3.25, 2.  ],
           [0.5 , 3.25, 0.75]])
    >>> pool2d(m, 2, 2, padding=1, mode="avg", count_padding=False)[0, 0]  # 1 / 1
    np.float64(1.0)
    >>> pool2d(m, 2, 2, padding=1, mode="avg", divisor=2)[0, 0]  # 1 / 2
    np.float64(0.5)
    >>> pool2d(m, 2, 2, padding=((1, 0), (1, 0)))  # pad only the top and the left
    array([[1, 5],
           [7, 8]])
    >>> values, where = pool2d(m, 2, return_indices=True)
    >>> where  # row * 4 + column of each maximum
    array([[ 1,  6],
           [13, 14]])
    """
    x4, restore = _check_images(x, "x")
    plan = _plan(x4.shape, pool_size, stride, padding, mode, ceil_mode, dilation, count_padding,
                 divisor)
    return _pooled(x4, restore, plan, return_indices)


# ------------------------------------------------------------------------------------------------
# 5. The backward pass
# ------------------------------------------------------------------------------------------------


def pool2d_backward(grad_out, x, pool_size=2, stride=None, padding="valid", mode="max",
                    ceil_mode=False, dilation=1, count_padding=None, divisor=None):
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
    pool_size, stride, padding, mode, ceil_mode, dilation, count_padding, divisor
        As for ``pool2d``.

    Returns
    -------
    ndarray, shape of ``x``
        float64, or ``grad_out``'s float dtype.

    Raises
    ------
    ValueError, TypeError
        On any bad argument, as ``pool2d``, or a ``grad_out`` of another shape than the output.

    Examples
    --------
    >>> pool2d_backward([[1.0]], [[1, 5], [3, 2]])
    array([[0., 1.],
           [0., 0.]])
    >>> pool2d_backward([[1.0]], [[1, 5], [3, 2]], mode="avg", divisor=1)  # sum pooling
    array([[1., 1.],
           [1., 1.]])
    """
    x4, restore = _check_images(x, "x")
    plan = _plan(x4.shape, pool_size, stride, padding, mode, ceil_mode, dilation, count_padding,
                 divisor)
    return _pool_gradient(grad_out, x4, restore, plan)


def _pool_gradient(grad_out, x4, restore, plan):
    """``pool2d_backward`` from checked images (N, H, W, C) and their plan."""
    rows, cols = plan.rows, plan.cols
    batch, height, width, channels = x4.shape

    grad = check_array(grad_out, "grad_out")
    expected = restore(np.empty((batch, rows.count, cols.count, channels), dtype=bool)).shape
    if grad.shape != expected:
        raise ValueError(
            f"grad_out must have the shape of the pooled output, {expected}; got {grad.shape}"
        )
    grad4 = grad.reshape(batch, rows.count, cols.count, channels)
    dtype = grad.dtype if np.issubdtype(grad.dtype, np.floating) else np.float64
    # Max (min): each window's gradient goes to the first maximum (minimum) of its window;
    # average: a share to every cell it counted. Part two finds them, one axis at a time.
    if not _strided_ok(plan):
        return restore(_gather_backward(grad4, x4, plan, dtype))
    grad_padded = _pool_backward(grad4, x4, plan, dtype)
    grad_x = grad_padded[:, rows.pad_before:rows.pad_before + height,
                         cols.pad_before:cols.pad_before + width, :]
    return restore(grad_x)


# ------------------------------------------------------------------------------------------------
# 5a. Putting each maximum back: unpooling
# ------------------------------------------------------------------------------------------------
# pool2d(..., return_indices=True) says where each maximum came from; max_unpool2d puts it back
# there, zeros elsewhere, as the decoders of segmentation networks (SegNet) do to bring a pooled
# feature map back to its size with the details where they were.


def max_unpool2d(x, indices, pool_size=2, stride=None, padding=0, output_size=None):
    """Put every value back at the input cell its index names, zeros elsewhere: PyTorch's
    ``F.max_unpool2d`` / ``nn.MaxUnpool2d``, channels last.

    Parameters
    ----------
    x : array_like, shape (h, w), (h, w, C) or (N, h, w, C)
        Pooled values, as ``pool2d`` returns them.
    indices : array_like of int, the shape of ``x``
        ``row * W + col`` within each image and channel, as ``pool2d(..., return_indices=True)``
        returns them.
    pool_size, stride : int or (int, int)
        Of the pooling being undone: the output is ``(h - 1) * stride - 2 * padding +
        pool_size`` along each axis, as PyTorch computes it.
    padding : int or (int, int), default 0
    output_size : (int, int), optional
        ``(H, W)`` instead, e.g. the input's size when the pooling dropped its last rows; as in
        PyTorch, each within ``stride - 1`` of the size computed.

    Returns
    -------
    ndarray, shape like ``x`` with h, w replaced by H, W
        The dtype of ``x``. A cell named by several indices (overlapping windows with the same
        maximum) holds the value once.

    Raises
    ------
    ValueError, TypeError
        On a bad argument, an index outside ``0`` to ``H * W - 1`` (as PyTorch), or shapes that
        differ.

    Examples
    --------
    >>> m = np.array([[1, 5, 2, 0], [3, 4, 8, 6], [7, 0, 1, 2], [2, 9, 4, 3]])
    >>> values, where = pool2d(m, 2, return_indices=True)
    >>> max_unpool2d(values, where, 2)
    array([[0, 5, 0, 0],
           [0, 0, 8, 0],
           [0, 0, 0, 0],
           [0, 9, 4, 0]])
    """
    x4, restore = _check_images(x, "x")
    index4, size = _check_unpool(indices, x4.shape, pool_size, stride, padding, output_size)
    batch, _, _, channels = x4.shape
    out = np.zeros((batch, size[0] * size[1], channels), dtype=x4.dtype)
    images = np.arange(batch)[:, None, None, None]
    planes = np.arange(channels)[None, None, None, :]
    out[images, index4, planes] = x4
    return restore(out.reshape(batch, *size, channels))


def max_unpool2d_backward(grad_out, indices):
    """Gradient of ``max_unpool2d`` with respect to its ``x``: each value's gradient is the one
    of the cell it was put in.

    Parameters
    ----------
    grad_out : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Gradient of the loss with respect to the unpooled output.
    indices : array_like of int, shape (h, w), (h, w, C) or (N, h, w, C)
        As given to ``max_unpool2d``.

    Returns
    -------
    ndarray, the shape of ``indices``
        float64, or ``grad_out``'s float dtype.

    Raises
    ------
    ValueError, TypeError
        On a bad argument or an index outside ``0`` to ``H * W - 1``.

    Examples
    --------
    >>> max_unpool2d_backward(np.arange(16.0).reshape(4, 4), [[1, 6], [13, 14]])
    array([[ 1.,  6.],
           [13., 14.]])
    """
    grad4, _ = _check_images(grad_out, "grad_out")
    batch, height, width, channels = grad4.shape
    index = check_array(indices, "indices")
    if index.ndim != np.ndim(grad_out):
        raise ValueError(f"indices must have as many dimensions as grad_out, {np.ndim(grad_out)}; "
                         f"got shape {index.shape}")
    index4, _ = _check_images(index, "indices")
    if index4.shape[0] != batch or index4.shape[3] != channels:
        raise ValueError(f"indices must have grad_out's images and channels, "
                         f"{(batch, channels)}; got shape {index.shape}")
    index4, _ = _check_unpool(index, index4.shape, 1, 1, 0, (height, width), near=False)
    dtype = grad4.dtype if np.issubdtype(grad4.dtype, np.floating) else np.float64
    flat = grad4.reshape(batch, height * width, channels)
    grad = flat[np.arange(batch)[:, None, None, None], index4,
                np.arange(channels)[None, None, None, :]]
    return grad.astype(dtype, copy=False).reshape(index.shape)


def _check_unpool(indices, shape, pool_size, stride, padding, output_size, near=True):
    """Indices as (N, h, w, C) ints and the unpooled size (H, W), checked; with ``near``, a
    given ``output_size`` must lie within ``stride - 1`` of the computed one, as in PyTorch."""
    index = check_array(indices, "indices")
    if index.dtype.kind not in "iu":
        raise TypeError(f"indices must be whole numbers, as pool2d returns them; got dtype "
                        f"{index.dtype}")
    if index.size != int(np.prod(shape)):
        raise ValueError(f"indices must have the shape of x; got {index.shape} for "
                         f"{shape[0]} image(s) of {shape[1:]}")
    index4 = index.reshape(shape)
    pool = check_pair(pool_size, "pool_size")
    step = pool if stride is None else check_pair(stride, "stride")
    pads = _check_padding(padding, 2)
    if not all(_is_whole(pad) for pad in pads):
        raise ValueError(f"padding must be a whole number or a (rows, cols) pair of them, as "
                         f"PyTorch's max_unpool2d takes; got {padding!r}")
    size = tuple((n - 1) * s - 2 * p + k for n, s, p, k in zip(shape[1:3], step, pads, pool))
    if output_size is not None:
        given = check_pair(output_size, "output_size", "(height, width)")
        if near and any(abs(g - n) >= s for g, n, s in zip(given, size, step)):
            raise ValueError(
                f"output_size must be within stride - 1 of {size}, the size pool_size, stride and "
                f"padding give (as in PyTorch); got {given}")
        size = given
    if min(size) < 1:
        raise ValueError(f"pool_size, stride and padding give an output of {size}; its sides "
                         "must be at least 1")
    _check_fits(shape[0] * size[0] * size[1] * shape[3], 8, "output_size",
                f"an output of shape {(shape[0], *size, shape[3])}")
    cells = size[0] * size[1]
    if index.size and (index.min() < 0 or index.max() >= cells):
        bad = index4[(index4 < 0) | (index4 >= cells)].flat[0]
        raise ValueError(f"indices must lie from 0 to {cells - 1} (row * {size[1]} + col in an "
                         f"output of {size}); got {bad}")
    return index4.astype(np.intp, copy=False), size


# ------------------------------------------------------------------------------------------------
# 5b. Adaptive pooling
# ------------------------------------------------------------------------------------------------
# Adaptive pooling is given the output size and chooses the windows: along an axis of n cells with
# m outputs, window i runs from floor(i·n/m) to ceil((i+1)·n/m), end excluded, as PyTorch's
# AdaptiveMaxPool2d and AdaptiveAvgPool2d define it. Windows may differ in size and may overlap.
# How it is computed fast is in part two (8b).


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
    n = check_positive_int(n, "n")
    m = check_positive_int(output_size, "output_size")
    # a list holds about 128 bytes per window: refuse one memory could not hold, before building
    _check_fits(m, 128, "output_size", f"a list of {m:,} windows")
    return _adaptive_bounds(n, m)


def _check_adaptive_size(output_size, shape):
    """``output_size`` of adaptive pooling for images of ``shape`` (N, H, W, C), None read as
    the input's side; refused if the output could not be held in memory."""
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2 and None in output_size:
        output_size = tuple(n if m is None else m for n, m in zip(shape[1:3], output_size))
    out_h, out_w = check_pair(output_size, "output_size")
    _check_fits(shape[0] * out_h * out_w * shape[3], 8, "output_size",
                f"an output of shape {(shape[0], out_h, out_w, shape[3])}")
    return out_h, out_w


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
    output_size : int or (int or None, int or None)
        ``(out_h, out_w)``, or one int for both; each at least 1, and may exceed the input size
        (windows then repeat cells). ``None`` keeps that side as it is, as PyTorch allows:
        ``(7, None)`` pools the height to 7 and leaves the width.
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
    >>> adaptive_pool2d(np.ones((300, 451, 3)), (7, None)).shape
    (7, 451, 3)
    """
    x4, restore = _check_images(x, "x")
    out_h, out_w = _check_adaptive_size(output_size, x4.shape)
    _check_mode(mode)
    return restore(_adaptive_forward(x4, out_h, out_w, mode))


def adaptive_pool2d_backward(grad_out, x, output_size, mode="max"):
    """Gradient of ``adaptive_pool2d`` with respect to its input.

    Max (min) sends each output's gradient to the first maximum (minimum) of its window in
    row-major order; average spreads it evenly over the window's cells. Where windows overlap,
    the gradients add up. PyTorch 2.13's ``adaptive_max_pool2d`` breaks ties the same way: its
    indices named the first maximum in row-major order in all 5,538 tied windows of a random
    test, in both memory layouts. A window whose result is NaN sends its gradient to its first
    NaN; PyTorch picks the last one instead.

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
    out_h, out_w = _check_adaptive_size(output_size, x4.shape)
    _check_mode(mode)
    batch, height, width, channels = x4.shape
    grad = check_array(grad_out, "grad_out")
    expected = restore(np.empty((batch, out_h, out_w, channels), dtype=bool)).shape
    if grad.shape != expected:
        raise ValueError(f"grad_out must have the shape of the pooled output, {expected}; "
                         f"got {grad.shape}")
    grad4 = grad.reshape(batch, out_h, out_w, channels)
    dtype = grad.dtype if np.issubdtype(grad.dtype, np.floating) else np.float64
    if mode == "avg":
        # Average pooling is linear: window sums are R @ x @ C.T per channel, with R and C the
        # 0/1 window memberships of the rows and columns. Its gradient is the transposed
        # product: each output's share goes to every cell of its window, and where windows
        # overlap the products add the shares up.
        sizes = np.multiply.outer(*(np.subtract(*_adaptive_edges(n, m)[::-1])
                                    for n, m in ((height, out_h), (width, out_w))))
        share = grad4 / sizes[None, :, :, None]
        if max(height * out_h, width * out_w) > _ADAPTIVE_LOOP**2:
            # the membership matrices would be huge: spread with running sums instead
            grad_x = _adaptive_spread(_adaptive_spread(share, 2, width), 1, height)
        else:
            rows, cols = _membership(height, out_h), _membership(width, out_w)
            wide = np.matmul(cols.T, share)  # (N, out_h, W, C)
            grad_x = np.matmul(rows.T, wide.reshape(batch, out_h, width * channels))
            grad_x = grad_x.reshape(x4.shape)
    else:
        if max(out_h, out_w) > _ADAPTIVE_LOOP:  # the winners gather; no list of windows
            bounds_h, bounds_w = range(out_h), range(out_w)
        else:
            bounds_h, bounds_w = _adaptive_bounds(height, out_h), _adaptive_bounds(width, out_w)
        rows, cols = _adaptive_winners(x4, bounds_h, bounds_w, mode)
        # one flat index per output; bincount adds where overlapping windows pick the same cell
        n_index = np.arange(batch)[:, None, None, None]
        c_index = np.arange(channels)[None, None, None, :]
        flat = ((n_index * height + rows) * width + cols) * channels + c_index
        grad_x = np.bincount(flat.ravel(), weights=grad4.astype(np.float64).ravel(),
                             minlength=x4.size).reshape(x4.shape)
    return restore(grad_x.astype(dtype, copy=False))


# ------------------------------------------------------------------------------------------------
# 5c. LP pooling: between the average and the maximum
# ------------------------------------------------------------------------------------------------
# (sum of x^p over a window)^(1/p): p = 1 sums the window, and as p grows the largest value
# takes over, so that p -> infinity is max pooling (of the absolute values for even p).


def lp_pool2d(x, p, pool_size=2, stride=None, ceil_mode=False):
    """LP pooling: ``(sum of x ** p over each window) ** (1 / p)``, PyTorch's ``F.lp_pool2d`` /
    ``nn.LPPool2d``, channels last.

    As PyTorch computes it: the average of ``x ** p`` (no padding), times the pool's area, to the
    power ``1 / p``. So in ceil mode a window cut short by the input's edge is scaled up to a
    whole pool's area, as in PyTorch. Negative sums give NaN for most ``p``, as there.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
    p : float
        The power, positive: 1 is sum pooling, 2 the Euclidean length of each window.
    pool_size, stride, ceil_mode
        As for ``pool2d``.

    Returns
    -------
    ndarray, shape of ``pool2d(x, pool_size, stride)``
        The input's float dtype, or float64.

    Raises
    ------
    ValueError, TypeError
        On a bad argument; the message names it.

    Examples
    --------
    >>> m = np.array([[1, 5, 2, 0], [3, 4, 8, 6], [7, 0, 1, 2], [2, 9, 4, 3]])
    >>> lp_pool2d(m, 1)  # sum pooling
    array([[13., 16.],
           [18., 10.]])
    >>> lp_pool2d([[3, 4]], 2, (1, 2))  # the length of (3, 4)
    array([[5.]])
    >>> lp_pool2d([[1, 2]], 50, (1, 2)).round(3)  # near the maximum
    array([[2.]])
    """
    x4, restore, p, plan = _lp_plan(x, p, pool_size, stride, ceil_mode)
    with np.errstate(invalid="ignore", divide="ignore"):  # NaN where PyTorch gives NaN
        return restore(_lp_forward(x4, p, plan)[0])


def lp_pool2d_backward(grad_out, x, p, pool_size=2, stride=None, ceil_mode=False):
    """Gradient of ``lp_pool2d`` with respect to its input.

    Each cell gets ``grad * out ** (1 - p) * x ** (p - 1)`` from every window holding it (with
    PyTorch's scaling of cut-short windows in ceil mode); where a window sums to 0 the gradient
    is NaN, as PyTorch's.

    Parameters
    ----------
    grad_out : array_like, shape of ``lp_pool2d(x, p, ...)``
    x, p, pool_size, stride, ceil_mode
        As for ``lp_pool2d``.

    Returns
    -------
    ndarray, shape of ``x``
        The float dtype of ``grad_out``, or float64.

    Raises
    ------
    ValueError, TypeError
        On a bad argument, or a ``grad_out`` of another shape than the output.

    Examples
    --------
    >>> lp_pool2d_backward([[1.0]], [[3, 4]], 2, (1, 2))  # x / |x|
    array([[0.6, 0.8]])
    """
    x4, restore, p, plan = _lp_plan(x, p, pool_size, stride, ceil_mode)
    with np.errstate(invalid="ignore", divide="ignore"):
        out, mean, powers = _lp_forward(x4, p, plan)
        # out = (area * mean) ** (1 / p): d out / d mean = out / (p * mean), and the mean's
        # gradient goes to each cell times d (x ** p) / dx = p * x ** (p - 1)
        grad = check_array(grad_out, "grad_out")
        if grad.shape != restore(out).shape:
            raise ValueError(f"grad_out must have the shape of the pooled output, "
                             f"{restore(out).shape}; got {grad.shape}")
        grad4 = grad.reshape(out.shape).astype(np.float64)
        share = _pool_gradient(grad4 * out / mean, powers, lambda a: a, plan)
        work = x4.astype(np.float64)
        result = share * work ** (p - 1)
    dtype = grad.dtype if np.issubdtype(grad.dtype, np.floating) else np.float64
    return restore(result.astype(dtype, copy=False))


def _lp_plan(x, p, pool_size, stride, ceil_mode):
    x4, restore = _check_images(x, "x")
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real) or not (
            0 < p < np.inf):
        raise ValueError(f"p must be a positive number (1 sums, larger tends to the maximum); "
                         f"got {p!r}")
    plan = _plan(x4.shape, pool_size, stride, 0, "avg", ceil_mode)
    return x4, restore, float(p), plan


def _lp_forward(x4, p, plan):
    """LP pooling of (N, H, W, C): the output, the windows' means of x ** p, and x ** p."""
    dtype = x4.dtype if np.issubdtype(x4.dtype, np.floating) else np.float64
    powers = x4.astype(dtype) ** dtype.type(p) if dtype != np.float64 else \
        x4.astype(np.float64) ** p
    mean = _pooled(powers, lambda a: a, plan, False)
    area = plan.rows.pool * plan.cols.pool
    return (mean * area) ** (1 / p), mean, powers


# ------------------------------------------------------------------------------------------------
# 5d. Fractional max pooling
# ------------------------------------------------------------------------------------------------
# Graham (2014): shrink by a factor between 1 and 2, say 1.4, with windows whose starts step by 1
# or 2 in a random but increasing sequence, a new one for every image and channel. The random
# numbers are explicit here, so that a result can be repeated and compared with PyTorch's.


def fractional_max_pool2d(x, output_size, pool_size=2, samples=None, seed=None,
                          return_indices=False):
    """Fractional max pooling (Graham 2014), as PyTorch's ``F.fractional_max_pool2d`` /
    ``nn.FractionalMaxPool2d``, channels last.

    Along an axis of ``n`` cells with ``m`` outputs and pool ``k``, each image and channel draws
    one number ``u`` from [0, 1); with ``alpha = (n - k) / (m - 1)``, window ``i`` starts at
    ``int((i + u) * alpha) - int(u * alpha)`` and the last at ``n - k``, computed in the
    input's float precision as PyTorch's kernel does. So the starts step by ``floor(alpha)`` or
    ``ceil(alpha)``, in an order ``u`` decides. Given PyTorch's ``_random_samples`` the result is
    PyTorch's, exactly.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
    output_size : int or (int, int)
        ``(out_h, out_w)``; ``out + pool - 1`` may be at most the input's side.
    pool_size : int or (int, int), default 2
    samples : array_like, shape (N, C, 2), optional
        The random numbers in [0, 1), in PyTorch's ``_random_samples`` layout:
        ``samples[n, c, 0]`` places the windows across the width, ``samples[n, c, 1]`` down the
        height. By default drawn from ``np.random.default_rng(seed)``.
    seed : int, optional
        Seed for the samples when none are given: the same seed, the same windows.
    return_indices : bool, default False
        Also return ``row * W + col`` of each maximum (the first in row-major order).

    Returns
    -------
    ndarray, shape like ``x`` with H, W replaced by ``out_h``, ``out_w``
        The input's dtype (max pooling picks values).

    Raises
    ------
    ValueError, TypeError
        On a bad argument; the message names it.

    Examples
    --------
    >>> x = np.arange(25).reshape(5, 5)
    >>> fractional_max_pool2d(x, 3, samples=[[[0.5, 0.5]]])  # alpha 1.5: starts 0, 2, 3
    array([[ 6,  8,  9],
           [16, 18, 19],
           [21, 23, 24]])
    >>> fractional_max_pool2d(np.ones((300, 451, 3)), (212, 318), seed=0).shape
    (212, 318, 3)
    """
    x4, restore, rows, cols = _fractional_windows(x, output_size, pool_size, samples, seed)
    values, flat = _fractional_forward(x4, rows, cols)
    if not isinstance(return_indices, (bool, np.bool_)):
        raise TypeError(f"return_indices must be True or False; got {return_indices!r}")
    if return_indices:
        return restore(values), restore(flat)
    return restore(values)


def fractional_max_pool2d_backward(grad_out, x, output_size, pool_size=2, samples=None,
                                   seed=None):
    """Gradient of ``fractional_max_pool2d``: each output's gradient goes to its maximum.

    Parameters
    ----------
    grad_out : array_like, shape of ``fractional_max_pool2d(x, output_size, ...)``
    x, output_size, pool_size, samples, seed
        As for the forward pass, and the same: give the same ``samples`` or ``seed``, or the
        windows differ.

    Returns
    -------
    ndarray, shape of ``x``
        float64, or ``grad_out``'s float dtype.

    Raises
    ------
    ValueError, TypeError
        On a bad argument, or a ``grad_out`` of another shape than the output.

    Examples
    --------
    >>> fractional_max_pool2d_backward([[1.0]], [[1, 5], [3, 2]], 1)
    array([[0., 1.],
           [0., 0.]])
    """
    x4, restore, rows, cols = _fractional_windows(x, output_size, pool_size, samples, seed)
    batch, height, width, channels = x4.shape
    _, flat = _fractional_forward(x4, rows, cols)
    grad = check_array(grad_out, "grad_out")
    if grad.shape != restore(flat).shape:
        raise ValueError(f"grad_out must have the shape of the pooled output, "
                         f"{restore(flat).shape}; got {grad.shape}")
    dtype = grad.dtype if np.issubdtype(grad.dtype, np.floating) else np.float64
    index = (np.arange(batch)[:, None, None, None] * height * width + flat) * channels + \
        np.arange(channels)
    # added in the gradient's own precision, in row-major order of the outputs, as PyTorch does:
    # float32 sums then round as PyTorch's
    result = np.zeros(x4.size, dtype=dtype)
    np.add.at(result, index.ravel(), grad.astype(dtype, copy=False).ravel())
    return restore(result.reshape(x4.shape))


def _fractional_windows(x, output_size, pool_size, samples, seed):
    """Checked images and the window starts (N, C, out) down the rows and across the columns."""
    x4, restore = _check_images(x, "x")
    batch, height, width, channels = x4.shape
    out = check_pair(output_size, "output_size")
    pool = check_pair(pool_size, "pool_size")
    for n, m, k, name in zip((height, width), out, pool, ("height", "width")):
        if m + k - 1 > n:
            raise ValueError(f"output_size {m} with pool_size {k} needs a {name} of at least "
                             f"{m + k - 1} (output + pool - 1, as PyTorch); got {n}")
    # PyTorch computes the starts in the input's float type; integers in float64
    real = x4.dtype.type if x4.dtype in (np.float32, np.float64) else np.float64
    if samples is None:
        if seed is not None and not _is_whole(seed):
            raise TypeError(f"seed must be a whole number or None; got {seed!r}")
        samples = np.random.default_rng(seed).random((batch, channels, 2))
    u = check_array(samples, "samples").astype(real)
    if u.shape != (batch, channels, 2):
        raise ValueError(f"samples must have shape (N, C, 2) = {(batch, channels, 2)}, as "
                         f"PyTorch's _random_samples; got {u.shape}")
    if not ((u >= 0) & (u < 1)).all():
        raise ValueError("samples must lie in [0, 1)")
    rows = _fractional_starts(u[..., 1], height, out[0], pool[0], real)
    cols = _fractional_starts(u[..., 0], width, out[1], pool[1], real)
    return x4, restore, (rows, pool[0]), (cols, pool[1])


def _fractional_starts(u, n, m, k, real):
    """(N, C, m) starts from samples u (N, C), as PyTorch's generate_intervals."""
    starts = np.empty(u.shape + (m,), dtype=np.int64)
    if m > 1:
        alpha = real(n - k) / real(m - 1)
        i = np.arange(m - 1, dtype=real)
        starts[..., :-1] = (((i + u[..., None]) * alpha).astype(np.int64)
                            - (u * alpha).astype(np.int64)[..., None])
    starts[..., -1] = n - k
    return starts


def _fractional_forward(x4, rows, cols):
    """Each window's maximum (N, out_h, out_w, C) and its flat index ``row * W + col``."""
    (row_starts, kh), (col_starts, kw) = rows, cols
    batch, _, width, channels = x4.shape
    row = row_starts[..., None] + np.arange(kh)  # (N, C, out_h, kh)
    col = col_starts[..., None] + np.arange(kw)  # (N, C, out_w, kw)
    cells = x4[np.arange(batch)[:, None, None, None, None, None],
               row[:, :, :, None, :, None], col[:, :, None, :, None, :],
               np.arange(channels)[None, :, None, None, None, None]]
    cells = cells.reshape(cells.shape[:4] + (kh * kw,))  # (N, C, out_h, out_w, kh * kw)
    best = np.argmax(cells, axis=4)[..., None]
    values = np.take_along_axis(cells, best, axis=4)[..., 0]
    best = best[..., 0]
    flat = (np.take_along_axis(row[:, :, :, None, :], (best // kw)[..., None], axis=4)[..., 0]
            * width
            + np.take_along_axis(col[:, :, None, :, :], (best % kw)[..., None], axis=4)[..., 0])
    return values.transpose(0, 2, 3, 1), flat.transpose(0, 2, 3, 1).astype(np.int64)


# ------------------------------------------------------------------------------------------------
# 5e. Pooling along one axis, and along three
# ------------------------------------------------------------------------------------------------
# A sound is one axis of samples, a video three (time, height, width). Pooling them is pool2d's
# windows along other axes: a sound is an image one row high, and a video is pooled over the
# height and width of every frame, then over time (max of maxima, sum of sums).


def pool1d(x, pool_size=2, stride=None, padding="valid", mode="max", ceil_mode=False,
           dilation=1, count_padding=None, divisor=None, return_indices=False):
    """Pooling along one axis, exact against PyTorch's ``max_pool1d`` / ``avg_pool1d`` and
    TensorFlow's ``max_pool1d`` / ``avg_pool1d``.

    Parameters
    ----------
    x : array_like, shape (L,), (L, C) or (N, L, C)
        Channels last, as Keras holds sounds.
    pool_size, stride, dilation, divisor : int
    padding : {'valid', 'same'}, int or (int, int)
        An int pads both ends (PyTorch), ``(before, after)`` each end (TensorFlow's explicit).
    mode, ceil_mode, count_padding, return_indices
        As for ``pool2d``.

    Returns
    -------
    ndarray, shape like ``x`` with L replaced by ``output_size(L, ...)``
        With ``return_indices=True`` also the index along L of each result, as PyTorch's.

    Raises
    ------
    ValueError, TypeError
        On any bad argument; the message names it.

    Examples
    --------
    >>> wave = np.array([0, 3, 1, -2, 5, 4, 0])
    >>> pool1d(wave, 2)
    array([3, 1, 5])
    >>> pool1d(wave, 3, 2, padding=1, mode="avg", count_padding=False)
    array([1.5       , 0.66666667, 2.33333333, 2.        ])
    """
    x4, restore, plan = _plan1d(x, pool_size, stride, padding, mode, ceil_mode, dilation,
                                count_padding, divisor)
    return _pooled(x4, restore, plan, return_indices)


def pool1d_backward(grad_out, x, pool_size=2, stride=None, padding="valid", mode="max",
                    ceil_mode=False, dilation=1, count_padding=None, divisor=None):
    """Gradient of ``pool1d`` with respect to its input, routed as ``pool2d_backward``.

    Parameters
    ----------
    grad_out : array_like, shape of ``pool1d(x, ...)``
    x, pool_size, stride, padding, mode, ceil_mode, dilation, count_padding, divisor
        As for ``pool1d``.

    Returns
    -------
    ndarray, shape of ``x``

    Raises
    ------
    ValueError, TypeError
        On a bad argument, or a ``grad_out`` of another shape than the output.

    Examples
    --------
    >>> pool1d_backward([1.0, 1.0], [0, 3, 1, -2], 2)
    array([0., 1., 1., 0.])
    """
    x4, restore, plan = _plan1d(x, pool_size, stride, padding, mode, ceil_mode, dilation,
                                count_padding, divisor)
    return _pool_gradient(grad_out, x4, restore, plan)


def _plan1d(x, pool_size, stride, padding, mode, ceil_mode, dilation, count_padding, divisor):
    """A signal as images one row high, (N, 1, L, C), and the plan of its pooling."""
    array = check_array(x, "x")
    if array.ndim == 1:
        x4, restore = array[None, None, :, None], lambda a: a[0, 0, :, 0]
    elif array.ndim == 2:
        x4, restore = array[None, None], lambda a: a[0, 0]
    elif array.ndim == 3:
        x4, restore = array[:, None], lambda a: a[:, 0]
    else:
        raise ValueError(f"x must have 1 (L,), 2 (L, C) or 3 (N, L, C) dimensions; got "
                         f"{array.ndim}, shape {array.shape}")
    pool = check_positive_int(pool_size, "pool_size")
    step = pool if stride is None else check_positive_int(stride, "stride")
    gap = check_positive_int(dilation, "dilation")
    pad = _check_padding(padding, 1)[0]
    pads = pad if isinstance(pad, str) else ((0, 0), pad) if isinstance(pad, tuple) else (0, pad)
    plan = _plan(x4.shape, (1, pool), (1, step), pads, mode, ceil_mode, (1, gap), count_padding,
                 divisor, ("length", "length"))
    return x4, restore, plan


def pool3d(x, pool_size=2, stride=None, padding="valid", mode="max", ceil_mode=False,
           dilation=1, count_padding=None, divisor=None, return_indices=False):
    """Pooling over time (or depth), height and width, exact against PyTorch's ``max_pool3d`` /
    ``avg_pool3d`` and TensorFlow's ``max_pool3d`` / ``avg_pool3d``.

    Each frame is pooled over its height and width, then the frames over time: the maximum of
    maxima is the window's maximum (the first in (time, row, column) order, as PyTorch's), the
    average of averages its average (within rounding).

    Parameters
    ----------
    x : array_like, shape (D, H, W), (D, H, W, C) or (N, D, H, W, C)
        Channels last, as Keras holds videos: D frames of H × W.
    pool_size, stride, dilation : int or (int, int, int)
        ``(time, rows, cols)``, or one int for all three.
    padding : {'valid', 'same'}, int, (int, int, int) or three (before, after) pairs
        As for ``pool2d``, for each of the three axes.
    mode, ceil_mode, count_padding, divisor, return_indices
        As for ``pool2d``; the indices are ``(frame * H + row) * W + col``, as PyTorch's.

    Returns
    -------
    ndarray, shape like ``x`` with D, H, W replaced by their output sizes

    Raises
    ------
    ValueError, TypeError
        On any bad argument; the message names it.

    Examples
    --------
    >>> clip = np.arange(2 * 4 * 4).reshape(2, 4, 4)  # two frames of 4 × 4
    >>> pool3d(clip, 2)
    array([[[21, 23],
            [29, 31]]])
    >>> pool3d(clip, 2, mode="avg")
    array([[[10.5, 12.5],
            [18.5, 20.5]]])
    """
    x5, restore, stages = _plan3d(x, pool_size, stride, padding, mode, ceil_mode, dilation,
                                  count_padding, divisor)
    (frames, plan_hw, to_time, plan_time, back) = stages
    if return_indices:
        across, where_hw = _pooled(frames, lambda a: a, plan_hw, True)
        pooled, where_t = _pooled(to_time(across), lambda a: a, plan_time, True)
        # the frame the maximum came from, then the cell within it that frame's window chose
        frame = np.where(where_t >= 0, where_t // to_time(across).shape[2], -1)
        cell = np.take_along_axis(to_time(where_hw), np.maximum(frame, 0), axis=1)
        height, width = x5.shape[2:4]
        index = np.where((frame >= 0) & (cell >= 0), frame * height * width + cell, -1)
        return restore(back(pooled)), restore(back(index))
    across = _pooled(frames, lambda a: a, plan_hw, False)
    return restore(back(_pooled(to_time(across), lambda a: a, plan_time, False)))


def pool3d_backward(grad_out, x, pool_size=2, stride=None, padding="valid", mode="max",
                    ceil_mode=False, dilation=1, count_padding=None, divisor=None):
    """Gradient of ``pool3d`` with respect to its input: back over time, then over each frame.

    Parameters
    ----------
    grad_out : array_like, shape of ``pool3d(x, ...)``
    x, pool_size, stride, padding, mode, ceil_mode, dilation, count_padding, divisor
        As for ``pool3d``.

    Returns
    -------
    ndarray, shape of ``x``

    Raises
    ------
    ValueError, TypeError
        On a bad argument, or a ``grad_out`` of another shape than the output.

    Examples
    --------
    >>> pool3d_backward(np.ones((1, 1, 1)), np.arange(8).reshape(2, 2, 2))[1]
    array([[0., 0.],
           [0., 1.]])
    """
    x5, restore, stages = _plan3d(x, pool_size, stride, padding, mode, ceil_mode, dilation,
                                  count_padding, divisor)
    (frames, plan_hw, to_time, plan_time, back) = stages
    across = _pooled(frames, lambda a: a, plan_hw, False)
    pooled_shape = restore(back(np.empty((len(x5), plan_time.rows.count,
                                          plan_time.cols.count, x5.shape[4]), dtype=bool))).shape
    grad = check_array(grad_out, "grad_out")
    if grad.shape != pooled_shape:
        raise ValueError(f"grad_out must have the shape of the pooled output, {pooled_shape}; "
                         f"got {grad.shape}")
    batch, _, height, width, channels = x5.shape
    out_h, out_w = plan_hw.rows.count, plan_hw.cols.count
    grad_t = grad.reshape(batch, plan_time.rows.count, out_h * out_w, channels)
    grad_across = _pool_gradient(grad_t, to_time(across), lambda a: a, plan_time)
    grad_frames = grad_across.reshape(-1, out_h, out_w, channels)
    grad_x = _pool_gradient(grad_frames, frames, lambda a: a, plan_hw)
    return restore(grad_x.reshape(x5.shape))


def _plan3d(x, pool_size, stride, padding, mode, ceil_mode, dilation, count_padding, divisor):
    """A video as frames (N*D, H, W, C) and the two stages of its pooling: over each frame, then
    over time, with the reshapes between them."""
    array = check_array(x, "x")
    if array.ndim == 3:
        x5, restore = array[None, :, :, :, None], lambda a: a[0, :, :, :, 0]
    elif array.ndim == 4:
        x5, restore = array[None], lambda a: a[0]
    elif array.ndim == 5:
        x5, restore = array, lambda a: a
    else:
        raise ValueError(f"x must have 3 (D, H, W), 4 (D, H, W, C) or 5 (N, D, H, W, C) "
                         f"dimensions; got {array.ndim}, shape {array.shape}")
    pool = _check_three(pool_size, "pool_size")
    step = pool if stride is None else _check_three(stride, "stride")
    gaps = _check_three(dilation, "dilation")
    if isinstance(padding, str):
        pads = (padding,) * 3
    elif isinstance(padding, (tuple, list)):
        if len(padding) != 3:
            raise ValueError(f"padding must be 'valid', 'same', a whole number, three of them "
                             f"(time, rows, cols) or three (before, after) pairs; got {padding!r}")
        pads = tuple(_check_padding(entry, 1)[0] for entry in padding)
    else:
        pads = _check_padding(padding, 1) * 3
    if len({isinstance(pad, tuple) for pad in pads}) > 1:
        raise ValueError(f"padding must be whole numbers or (before, after) pairs for all three "
                         f"axes, not a mix; got {padding!r}")
    batch, depth, height, width, channels = x5.shape
    if divisor is not None:
        divisor = check_positive_int(divisor, "divisor")
    if mode == "avg" and all(_is_whole(pad) for pad in pads) and any(
            n < k for n, k in zip((depth, height, width), pool)):
        raise ValueError(f"pool_size {pool} is larger than the input {(depth, height, width)} "
                         f"along an axis: with an integer padding, PyTorch's avg_pool3d refuses "
                         f"that, and so does pool3d")
    # over each frame first: with the maximum of each frame's window found first, the first
    # frame holding the window's maximum then gives the first in (time, row, column) order
    frames = x5.reshape(batch * depth, height, width, channels)
    plan_hw = _plan(frames.shape, pool[1:], step[1:],
                    pads[1] if isinstance(pads[1], str) else pads[1:], mode, ceil_mode, gaps[1:],
                    count_padding, 1 if divisor is not None else None)
    out_h, out_w = plan_hw.rows.count, plan_hw.cols.count
    time_pad = pads[0] if isinstance(pads[0], str) else (pads[0], (0, 0)) if isinstance(
        pads[0], tuple) else (pads[0], 0)
    time_shape = (batch, depth, out_h * out_w, channels)
    plan_time = _plan(time_shape, (pool[0], 1), (step[0], 1), time_pad, mode, ceil_mode,
                      (gaps[0], 1), count_padding, divisor, ("time", "time"))

    def to_time(a):
        return a.reshape(batch, depth, out_h * out_w, channels)

    def back(a):
        return a.reshape(batch, plan_time.rows.count, out_h, out_w, channels)

    return x5, restore, (frames, plan_hw, to_time, plan_time, back)


def _check_three(value, name):
    """A positive int, or three of them (time, rows, cols), as a tuple of three ints."""
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) != 3:
            raise ValueError(f"{name} must be a positive whole number or three (time, rows, "
                             f"cols); got {value!r}")
        return tuple(check_positive_int(v, name) for v in value)
    return (check_positive_int(value, name),) * 3


# ------------------------------------------------------------------------------------------------
# 6. Images
# ------------------------------------------------------------------------------------------------


def load_image(source, grayscale=False, size=None, max_side=None):
    """Read an image file, or the bytes of an uploaded one, into a uint8 array.

    Any image Pillow reads works: transparent images are laid on white, palette, 16-bit grey and
    CMYK images are converted, and phone photos are turned upright as their EXIF data says.
    Floating-point images (a float TIFF, say) with values from 0 to 1 are scaled to 0–255; other
    float and 32-bit images are scaled from 0–65535 when they go past 255, else kept.

    Parameters
    ----------
    source : str, os.PathLike, bytes, bytearray or memoryview
        A path, or the content of a file (as an upload widget gives it).
    grayscale : bool, default False
        Convert to one channel of luminance.
    size : int or (int, int), optional
        ``(width, height)`` to resize to, as Pillow orders it (the article uses ``(224, 224)``);
        one int resizes to a square of that side.
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
    TypeError
        If ``source`` is neither a path nor bytes, or a size is not whole numbers.

    Examples
    --------
    >>> load_image(CAT_PATH).shape
    (300, 451, 3)
    >>> load_image(CAT_PATH, grayscale=True, size=(224, 112)).shape
    (112, 224)
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not isinstance(grayscale, (bool, np.bool_)):
        raise TypeError(f"grayscale must be True or False; got {grayscale!r}")
    if size is not None:
        size = check_pair(size, "size", "(width, height)")
        if max(size) >= 2**31:
            raise ValueError(f"size must be at most 2**31 - 1 pixels a side (Pillow's limit); "
                             f"got {size}")
        # Pillow holds 4 bytes a pixel, the array 3 more
        _check_fits(size[0] * size[1], 7, "size", f"an image of {size[0]} × {size[1]} pixels")
    if max_side is not None:
        max_side = check_positive_int(max_side, "max_side")
    if isinstance(source, (bytes, bytearray, memoryview)):
        what, stream = "these bytes are", io.BytesIO(bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"no image file at {str(path)!r} (working folder: {os.getcwd()})")
        what, stream = f"the file {str(path)!r} is", path
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
        raise ValueError(f"source: {what} not an image that Pillow can read") from error
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(f"source: {what} not a readable image ({error})") from error

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


# ================================================================================================
# PART TWO: the machinery
# ================================================================================================
# What makes part one fast and safe. A learner may stop reading here: nothing below changes what
# the functions above compute, only how.

# ------------------------------------------------------------------------------------------------
# 7. Window geometry: the one place the windows are laid out
# ------------------------------------------------------------------------------------------------


def _windows(n, pool, step, padding="valid", ceil_mode=False, axis="length", dilation=1,
             count_padding=None):
    """The ``Windows`` along one axis, from checked arguments; ``axis`` names it in messages.

    ``padding`` is 'valid', 'same', an int (both ends) or a ``(before, after)`` pair; all the
    arithmetic is on Python ints, so no size overflows, and nothing as long as the padding or the
    pool is built here: only one entry per window, after checking that they fit in memory."""
    span = dilation * (pool - 1) + 1
    trimmed = False
    # one axis needs no name; pool2d names the height or the width
    where = "" if axis == "length" else f" along the {axis}"
    if padding == "valid":
        count, before, after = (n - span) // step + 1, 0, 0
    elif padding == "same":
        if dilation > 1:
            raise ValueError(f"padding 'same' with dilation {dilation}{where}: TensorFlow, whose "
                             f"'same' it is, does not define it; use an integer padding (PyTorch) "
                             f"or 'valid'")
        count = -(-n // step)
        total = max((count - 1) * step + span - n, 0)
        before, after = total // 2, total - total // 2  # TensorFlow: the odd cell goes at the end
    elif isinstance(padding, tuple):  # TensorFlow's explicit padding: each side below the pool
        before, after = padding
        if max(before, after) >= pool:
            raise ValueError(
                f"padding {padding}{where} must have each side less than the pool size {pool} "
                f"(as in TensorFlow); allowed: 0 to {pool - 1}")
        count = (n + before + after - span) // step + 1
    else:
        if 2 * padding > pool:
            raise ValueError(
                f"padding {padding}{where} is more than half the pool size {pool}; "
                f"allowed: 0 to {pool // 2} (as in PyTorch)"
            )
        room = n + 2 * padding - span
        count = (-(-room // step) if ceil_mode else room // step) + 1
        # PyTorch: in ceil mode the last window must start inside the input or its left padding
        trimmed = ceil_mode and (count - 1) * step >= n + padding
        count -= trimmed
        before = after = padding
    if count < 1:
        padded = "" if padding == "valid" else f" with padding {padding} (padded {axis} {n + before + after})"
        if dilation == 1:
            raise ValueError(f"pool_size {pool} does not fit the input {axis} {n}{padded}; "
                             f"use a pool of at most {n + before + after}")
        raise ValueError(f"pool_size {pool} with dilation {dilation} spans {span} cells and does "
                         f"not fit the input {axis} {n}{padded}; the span d (k - 1) + 1 may be at "
                         f"most {n + before + after}")
    _check_fits(count, 16, f"pool_size, stride and padding{where}", f"{count:,} windows")
    if count_padding is None:  # each framework's own rule: TensorFlow's 'same' counts real cells
        count_padding = padding != "same"
    low, high = (-before, n + after) if count_padding else (0, n)
    # PyTorch counts the padding, but not a ceil-mode window's overhang beyond it
    first, stop = _taps(np.arange(count) * step - before, pool, dilation, low, high)
    return Windows(n, pool, step, int(count), before, after, bool(trimmed), stop - first,
                   dilation)


def _taps(starts, pool, dilation, low, high):
    """For windows starting at ``starts``, the offsets ``first <= o < stop`` whose cells
    ``start + o * dilation`` lie in ``[low, high)``: arrays like ``starts``."""
    first = np.maximum(0, -((starts - low) // dilation))  # ceil((low - start) / d), at least 0
    stop = np.minimum(pool, -((starts - high) // dilation))
    return first, np.maximum(stop, first)


def _check_fits(values, itemsize, names, what):
    """Refuse, naming the arguments, an array of ``values`` items that memory could not hold."""
    memory = _memory_bytes()
    if values * itemsize > memory:
        raise ValueError(f"{names} would give {what}: {values * itemsize / 2**30:,.3g} GiB, more than "
                         f"this computer's memory ({memory / 2**30:,.3g} GiB); make "
                         f"{'them' if ' and ' in names else 'it'} smaller")


def _memory_bytes():
    """The computer's memory in bytes (1 TiB where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return 1 << 40


# ------------------------------------------------------------------------------------------------
# 8. The strided reductions behind pool2d and pool2d_backward
# ------------------------------------------------------------------------------------------------
# A window maximum is a maximum over rows of a maximum over columns, so pooling is done one axis
# at a time: for each of the k offsets inside a window, one strided slice is combined into the
# result. Three tricks keep it near the speed of memory, with scratch memory of a few bands:
# - Bands of rows. A large image is pooled one band of whole rows at a time, about half a
#   megabyte of input, so that the strided slices of a band all read it from the CPU's cache: the
#   image comes from memory once, not once per offset. A small image is a band of its own.
# - Few channels, one at a time across the columns. With 1 to 7 channels, a strided slice across
#   the columns gives NumPy an inner loop over just those few numbers; one channel at a time, the
#   inner loop runs along the row instead, two to three times faster.
# - The backward pass finds each window's first maximum with the same slices, one axis at a time:
#   across the columns, the first offset equal to the row's maximum; down the rows, the first row
#   whose maximum is the window's. That cell is the first maximum in row-major order.

_BAND_BYTES = 1 << 19  # half a megabyte: the 1-2 MB cache next to a core holds it and its scratch
_FEW_CHANNELS = 8


class _Pooling(NamedTuple):
    """A checked pooling: its mode, and its windows down the height and across the width."""

    mode: str
    rows: Windows
    cols: Windows
    divisor: int | None = None
    """PyTorch's ``divisor_override``: every average divides by it."""


def _pooled(x4, restore, plan, return_indices):
    """``pool2d`` from checked images (N, H, W, C) and their plan."""
    if not isinstance(return_indices, (bool, np.bool_)):
        raise TypeError(f"return_indices must be True or False; got {return_indices!r}")
    if return_indices:
        if plan.mode == "avg":
            raise ValueError("return_indices=True is for mode='max' or 'min': an average comes "
                             "from every cell of its window")
        pooled, indices = _gather_forward(x4, plan, want_index=True)
        return restore(pooled), restore(indices.astype(np.int64, copy=False))
    if _strided_ok(plan):
        return restore(_pool_forward(x4, plan))
    return restore(_gather_forward(x4, plan))


def _plan(shape, pool_size, stride, padding, mode, ceil_mode, dilation=1, count_padding=None,
          divisor=None, names=("height", "width")):
    """Check the arguments of ``pool2d`` (or its backward pass) for images of ``shape``;
    ``names`` are the axes' names in messages."""
    pool = check_pair(pool_size, "pool_size")
    step = pool if stride is None else check_pair(stride, "stride")
    _check_mode(mode)
    gaps = check_pair(dilation, "dilation")
    pads = _check_padding(padding, 2)
    ceil_mode = _check_ceil_mode(ceil_mode, pads[0])
    count_padding = _check_count_padding(count_padding)
    if divisor is not None:
        divisor = check_positive_int(divisor, "divisor")
    if mode != "avg" and (count_padding is not None or divisor is not None):
        raise ValueError(f"count_padding and divisor are for mode='avg' only; got mode={mode!r}")
    rows, cols = (_windows(n, k, s, p, ceil_mode, name, d, count_padding)
                  for n, k, s, p, name, d in zip(shape[1:3], pool, step, pads, names, gaps))
    if mode == "avg" and divisor is None:
        # a window of padding only, not counted, would divide 0 by 0: refuse rather than NaN
        for windows, name, p in zip((rows, cols), names, pads):
            empty = np.flatnonzero(windows.divisors == 0)
            if empty.size:
                raise ValueError(
                    f"pool_size {windows.pool}, dilation {windows.dilation} and padding {p} "
                    f"along the {name} give window {empty[0]} padding cells only; with "
                    f"count_padding=False its average would be 0 / 0. Use less padding or "
                    f"dilation, count_padding=True, or a divisor")
    _check_fits(shape[0] * rows.count * cols.count * shape[3], 8,
                "pool_size, stride and padding", f"an output of shape "
                f"{(shape[0], rows.count, cols.count, shape[3])}")
    return _Pooling(mode, rows, cols, divisor)


def _divisor_grid(plan):
    """What each average divides by, float64 (out_h, out_w)."""
    if plan.divisor is not None:
        return np.full((plan.rows.count, plan.cols.count), float(plan.divisor))
    # in floats: a product of two huge divisors would wrap around in 64-bit integers
    return np.multiply.outer(plan.rows.divisors.astype(np.float64),
                             plan.cols.divisors.astype(np.float64))


def _strided_ok(plan):
    """Whether the strided reductions suit the plan: side by side cells, and padding no longer
    than the input (a pool of 2**31 on one pixel, with 'same', would pad 2**31 cells)."""
    return all(w.dilation == 1 and w.padded_length <= 2 * w.length + 64
               for w in (plan.rows, plan.cols))


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
    for axis in (plan.rows, plan.cols):
        widths.append((axis.pad_before, axis.padded_length - axis.pad_before - axis.length))
    widths.append((0, 0))
    if all(w == (0, 0) for w in widths):
        return x4
    return np.pad(x4, widths, mode="constant", constant_values=fill)


def _strided(a, axis, offset, step, count):
    index = [slice(None)] * a.ndim
    index[axis] = slice(offset, offset + step * (count - 1) + 1, step)
    return a[tuple(index)]


def _reduce_axis(a, axis, pool, step, count, combine, dtype, out=None):
    """Combine the ``pool`` cells of every window along one axis into one (into ``out``, if
    given)."""
    first = _strided(a, axis, 0, step, count)
    if pool == 1:
        if out is None:
            return first.astype(dtype, copy=True)
        out[...] = first
        return out
    result = combine(first, _strided(a, axis, 1, step, count), out=out, dtype=dtype)
    for offset in range(2, pool):
        combine(result, _strided(a, axis, offset, step, count), out=result)
    return result


def _bands(padded, rows):
    """Cut padded images (N, H, W, C) into bands: slices of (images, output rows, input rows).

    Whole images go together while they fit in ``_BAND_BYTES``; a larger image is cut into bands
    of output rows, each with the input rows its windows cover (neighbours share a row or two when
    windows overlap)."""
    batch, height = padded.shape[:2]
    row_bytes = padded[0, 0].nbytes
    if height * row_bytes <= _BAND_BYTES:
        per = max(1, _BAND_BYTES // (height * row_bytes))
        for start in range(0, batch, per):
            yield slice(start, start + per), slice(0, rows.count), slice(0, height)
        return
    per = max(1, (_BAND_BYTES // row_bytes - rows.pool) // rows.step + 1)
    for image in range(batch):
        for first in range(0, rows.count, per):
            last = min(first + per, rows.count)
            yield (slice(image, image + 1), slice(first, last),
                   slice(first * rows.step, (last - 1) * rows.step + rows.pool))


def _planes(channels, cols):
    """The channel slices the steps across the columns take: all channels at once, or one by one
    when they are few and the columns strided (with stride 1 the inner loop is long anyway)."""
    if channels >= _FEW_CHANNELS or cols.step == 1:
        return [slice(None)]
    return [slice(channel, channel + 1) for channel in range(channels)]


def _reduce_columns(a, cols, combine, dtype, out):
    """``_reduce_axis`` across the columns of (N, H, W, C) ``a``, into ``out``."""
    for plane in _planes(a.shape[3], cols):
        _reduce_axis(a[..., plane], 2, cols.pool, cols.step, cols.count, combine, dtype,
                     out[..., plane])
    return out


def _pool_forward(x4, plan):
    mode, rows, cols = plan[:3]
    padded = _pad_images(x4, plan, _fill_value(x4.dtype, mode))
    if mode == "avg":
        combine = np.add
        dtype = x4.dtype if np.issubdtype(x4.dtype, np.floating) else np.float64
        work_dtype = np.float64
        divisor = _divisor_grid(plan)[:, :, None]
    else:
        combine = np.maximum if mode == "max" else np.minimum
        dtype = work_dtype = x4.dtype
    pooled = np.empty((len(x4), rows.count, cols.count, x4.shape[3]), dtype=dtype)
    for images, out_rows, in_rows in _bands(padded, rows):
        # Rows first: a strided slice of whole rows keeps the inner loop long and contiguous.
        down = _reduce_axis(padded[images, in_rows], 1, rows.pool, rows.step,
                            out_rows.stop - out_rows.start, combine, work_dtype)
        if mode == "avg":  # divide in float64, then round once to the output's dtype
            band = _reduce_columns(down, cols, combine, work_dtype,
                                   np.empty(down.shape[:2] + pooled.shape[2:], work_dtype))
            band /= divisor[out_rows]
            pooled[images, out_rows] = band
        else:
            _reduce_columns(down, cols, combine, work_dtype, pooled[images, out_rows])
    return pooled


def _pool_backward(grad4, x4, plan, dtype):
    """The gradient of the padded images, from checked arguments; ``grad4`` is (N, out_h, out_w,
    C). Average: spread over the rows, then over the columns. Max and min: see ``_route``."""
    mode, rows, cols = plan[:3]
    padded = _pad_images(x4, plan, _fill_value(x4.dtype, mode))
    grad = np.zeros(padded.shape, dtype=dtype)
    if mode == "avg":
        share = grad4 / _divisor_grid(plan)[None, :, :, None]
        for images, out_rows, in_rows in _bands(padded, rows):
            band = grad[images, in_rows]
            down = np.zeros(band.shape[:2] + (cols.count, band.shape[3]), dtype=share.dtype)
            for offset in range(rows.pool):
                target = _strided(down, 1, offset, rows.step, out_rows.stop - out_rows.start)
                target += share[images, out_rows]
            for offset in range(cols.pool):
                target = _strided(band, 2, offset, cols.step, cols.count)
                target += down
        return grad

    grad4 = grad4.astype(dtype, copy=False)
    combine = np.maximum if mode == "max" else np.minimum
    may_be_nan = np.issubdtype(x4.dtype, np.floating)
    in_padding = [[(windows.starts + offset < 0) | (windows.starts + offset >= n)
                   for offset in range(windows.pool)]
                  for windows, n in ((rows, x4.shape[1]), (cols, x4.shape[2]))]
    carried = None
    for images, out_rows, in_rows in _bands(padded, rows):
        count = out_rows.stop - out_rows.start
        band = padded[images, in_rows]
        # The rows this band shares with the next one wait there for their whole gradient.
        last = out_rows.stop == rows.count
        own = band.shape[1] if last else min(count * rows.step, band.shape[1])
        shape = band.shape[:2] + (cols.count, band.shape[3])
        across = _reduce_columns(band, cols, combine, band.dtype, np.empty(shape, band.dtype))
        pooled = _reduce_axis(across, 1, rows.pool, rows.step, count, combine, band.dtype)
        nan = may_be_nan and bool(np.isnan(pooled).any())
        grad_across = np.zeros(shape, dtype=dtype)  # the gradient of ``across``
        _route(grad4[images, out_rows], across, pooled, 1, rows, count,
               [mask[out_rows] for mask in in_padding[0]], nan, grad_across)
        if carried is not None:
            grad_across[:, :len(carried[0])] += carried
        for plane in _planes(band.shape[3], cols):
            _route(grad_across[:, :own, :, plane], band[:, :own, :, plane],
                   across[:, :own, :, plane], 2, cols, cols.count, in_padding[1], nan,
                   grad[images, in_rows.start:in_rows.start + own, :, plane])
        carried = None if last else grad_across[:, own:].copy()
    return grad


def _route(grad, cells, best, axis, windows, count, padding, nan, target):
    """Send each window's ``grad`` to the first offset along ``axis`` whose cell equals the
    window's ``best``. ``cells`` and ``target`` hold the cells, ``grad`` and ``best`` a value per
    window; ``padding[offset]`` says which windows have that offset in the padding."""
    taken = None
    for offset in range(windows.pool):
        if offset == windows.pool - 1:  # the last offset wins wherever no earlier one did
            first = np.ones(best.shape, dtype=bool) if taken is None else ~taken
        else:
            values = _strided(cells, axis, offset, windows.step, count)
            first = values == best
            if nan:  # a window whose best is NaN sends its gradient to its first NaN
                first |= np.isnan(values)
            if padding[offset].any():  # padding never wins
                first[(slice(None),) * axis + (padding[offset],)] = False
            if taken is None:
                taken = first.copy()
            else:
                np.greater(first, taken, out=first)  # equal, and no earlier offset won
                taken |= first
        place = _strided(target, axis, offset, windows.step, count)
        if offset < windows.step:  # no other window has a cell here yet: write
            _keep(grad, first, place)
        else:  # overlapping windows: add
            place += _keep(grad, first, np.empty_like(grad))


def _keep(values, mask, out):
    """``values`` where ``mask`` is true, +0.0 elsewhere, into ``out``: an AND of the bits with
    all ones or all zeros. Exact for every value, and it never branches (``np.where`` does, and is
    ten times slower on random masks) nor makes -0.0 (multiplying by the mask would)."""
    if values.itemsize not in (2, 4, 8):  # long double: no integer of its size
        out[...] = np.where(mask, values, 0)
        return out
    bits = np.dtype(f"i{values.itemsize}")
    ones = np.negative(mask.view(np.int8))  # -1, all bits set, which NumPy widens to ``bits``
    np.bitwise_and(values.view(bits), ones, out=out.view(bits))
    return out


# ------------------------------------------------------------------------------------------------
# 8a. Gathering the windows' cells: dilation, where each maximum came from, absurd sizes
# ------------------------------------------------------------------------------------------------
# The strided reductions need the padded input in memory and step through every offset of a
# window. With gaps between a window's cells (dilation), for the position of each maximum, or
# when the padding is far longer than the input, pooling gathers instead: along each axis, an
# index array (windows, cells) holds the input cells of every window (those in the padding left
# out, a padding cell never wins nor adds anything), and one reduction over the gathered axis
# pools them. Memory and time are bounded by the input and the output, whatever the pool size.


def _cell_index(windows):
    """(count, width) int array: the input cells of each window, in order, then ``length`` (a
    padding cell) for the rest of the row; width is the most input cells any window has."""
    starts = windows.starts
    first, stop = _taps(starts, windows.pool, windows.dilation, 0, windows.length)
    width = max(int((stop - first).max()), 1)
    _check_fits(windows.count * width, 8, "pool_size, stride and padding",
                f"{windows.count * width:,} window cells")
    offsets = first[:, None] + np.arange(width)
    cells = starts[:, None] + offsets * windows.dilation
    return np.where(offsets < stop[:, None], cells, windows.length)


def _gather(a, axis, index, fill):
    """``a`` with ``axis`` replaced by the (count, width) cells of ``index``; index ``n`` (one
    past the end) reads ``fill``."""
    widths = [(0, 0)] * a.ndim
    widths[axis] = (0, 1)
    return np.take(np.pad(a, widths, constant_values=fill), index, axis=axis)


def _gather_forward(x4, plan, want_index=False):
    """Pool (N, H, W, C) by gathering; with ``want_index`` also the flat index ``row * W + col``
    of each window's first maximum (minimum) in row-major order, -1 where a window holds only
    padding."""
    mode, rows, cols = plan[:3]
    row_index, col_index = _cell_index(rows), _cell_index(cols)
    if mode == "avg":
        dtype = x4.dtype if np.issubdtype(x4.dtype, np.floating) else np.float64
        across = _gather(x4, 2, col_index, 0).sum(axis=3, dtype=np.float64)
        sums = _gather(across, 1, row_index, 0).sum(axis=2)
        with np.errstate(invalid="ignore"):  # _plan refuses 0 / 0; inf / inf is NaN as in NumPy
            return (sums / _divisor_grid(plan)[None, :, :, None]).astype(dtype, copy=False)
    fill = _fill_value(x4.dtype, mode)
    pick = np.argmax if mode == "max" else np.argmin
    # across the columns first: the first best cell of each row of each window
    cells = _gather(x4, 2, col_index, fill)  # (N, H, out_w, width, C)
    best_col = pick(cells, axis=3)[:, :, :, None]
    across = np.take_along_axis(cells, best_col, axis=3)[:, :, :, 0]
    # then down the rows: the first row whose best is the window's best
    cells = _gather(across, 1, row_index, fill)  # (N, out_h, height, out_w, C)
    best_row = pick(cells, axis=2)[:, :, None]
    pooled = np.take_along_axis(cells, best_row, axis=2)[:, :, 0]
    if not want_index:
        return pooled
    row = row_index[np.arange(rows.count)[None, :, None, None], best_row[:, :, 0]]
    col_of_row = np.pad(np.take_along_axis(col_index[None, None, :, :, None],
                                           best_col, axis=3)[:, :, :, 0],
                        [(0, 0), (0, 1), (0, 0), (0, 0)], constant_values=cols.length)
    col = np.take_along_axis(col_of_row, row, axis=1)
    flat = row * cols.length + col
    flat[(row == rows.length) | (col == cols.length)] = -1
    return pooled, flat


def _gather_backward(grad4, x4, plan, dtype):
    """The gradient of (N, H, W, C) ``x4`` by gathering, from checked arguments."""
    mode, rows, cols = plan[:3]
    batch, height, width, channels = x4.shape
    if mode == "avg":
        with np.errstate(divide="ignore", invalid="ignore"):  # as in the forward pass
            share = grad4 / _divisor_grid(plan)[None, :, :, None]
        # each cell gets the shares of the windows holding it: a product with the (cells,
        # windows) count of memberships along each axis
        down = np.einsum("hi,nijc->nhjc", _members(rows), share)
        return np.einsum("wj,nhjc->nhwc", _members(cols), down).astype(dtype, copy=False)
    _, flat = _gather_forward(x4, plan, want_index=True)
    plane = height * width
    index = (np.arange(batch)[:, None, None, None] * plane + flat) * channels + \
        np.arange(channels)
    keep = flat >= 0
    grad = np.bincount(index[keep], weights=grad4.astype(np.float64)[keep],
                       minlength=x4.size).reshape(x4.shape)
    return grad.astype(dtype, copy=False)


def _members(windows):
    """(length, count) float: how many of window j's cells are input cell i (0 or 1)."""
    index = _cell_index(windows)
    members = np.zeros((windows.length + 1, windows.count))
    np.add.at(members, (index, np.arange(windows.count)[:, None]), 1.0)
    return members[:windows.length]


# ------------------------------------------------------------------------------------------------
# 8b. The window bands behind adaptive pooling
# ------------------------------------------------------------------------------------------------
# Like pool2d, adaptive pooling pools one axis at a time. When m divides n the windows are equal
# and side by side, and one reshape pools them all; otherwise each window band along an axis is
# reduced in one vectorised step: out_h + out_w steps in all, never a loop over pixels or output
# cells.


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
        sizes = np.multiply.outer(*(np.subtract(*_adaptive_edges(n, m)[::-1])
                                    for n, m in zip(x4.shape[1:3], (out_h, out_w))))
        pooled /= sizes[None, :, :, None].astype(work_dtype)
    return pooled.astype(dtype, copy=False)


def _membership(n, m):
    """The (m, n) matrix whose row i is 1 on the cells of window i and 0 elsewhere."""
    cells = np.arange(n)
    starts, stops = _adaptive_edges(n, m)
    return ((cells >= starts[:, None]) & (cells < stops[:, None])).astype(np.float64)


#: Beyond this many windows along an axis, adaptive pooling gathers the cells of all windows at
#: once instead of reducing one window at a time (a Python loop over millions of windows).
_ADAPTIVE_LOOP = 4096


def _adaptive_edges(n, m):
    """Arrays ``starts``, ``stops`` of ``_adaptive_bounds``, without a Python loop: with
    ``n = q m + r``, ``floor(i n / m) = i q + floor(i r / m)``, and ``i r < m * m`` fits 64 bits."""
    i = np.arange(m, dtype=np.int64)
    q, r = divmod(n, m)
    return i * q + (i * r) // m, (i + 1) * q - (-((i + 1) * r) // m)


def _adaptive_cells(n, m, repeat):
    """(m, width) index of each window's cells; past its end, its last cell again (``repeat``,
    for max and min) or ``n``, a cell to be filled with 0 (for sums)."""
    starts, stops = _adaptive_edges(n, m)
    index = starts[:, None] + np.arange(int((stops - starts).max()))
    past = index >= stops[:, None]
    return np.where(past, stops[:, None] - 1 if repeat else n, index)


def _adaptive_spread(values, axis, n):
    """Give each of the ``n`` cells along ``axis`` the sum of the ``values`` of the adaptive
    windows holding it: +value where a window starts, -value where it stops, then running sums,
    in time and memory bounded by the input and the output."""
    m = values.shape[axis]
    starts, stops = _adaptive_edges(n, m)
    moved = np.moveaxis(values, axis, 0).astype(np.float64)
    steps = np.zeros((n + 1,) + moved.shape[1:])
    np.add.at(steps, starts, moved)
    np.add.at(steps, stops, -moved)
    return np.moveaxis(np.cumsum(steps[:n], axis=0), 0, axis)


def _adaptive_reduce(a, axis, m, reduce, dtype):
    """Reduce every adaptive window along ``axis`` of ``a`` to one cell: ``m`` cells out."""
    n = a.shape[axis]
    if n % m == 0:  # equal windows side by side: split the axis in (m, n // m) and reduce
        split = a.shape[:axis] + (m, n // m) + a.shape[axis + 1:]
        return reduce(a.reshape(split), axis=axis + 1, dtype=dtype)
    if m > _ADAPTIVE_LOOP:
        summing = reduce == np.add.reduce
        cells = _adaptive_cells(n, m, repeat=not summing)
        if summing:
            cells = _gather(a, axis, cells, 0)
        else:
            cells = np.take(a, cells, axis=axis)
        return reduce(cells, axis=axis + 1, dtype=dtype)
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


def _adaptive_winners(x4, bounds_h, bounds_w, mode):
    """Row and column of the first extreme in row-major order of every window, each
    (N, out_h, out_w, C). argmax/argmin return the first extreme (or the first NaN): first, per
    row, the first best column of each column band; then the first row whose best is the
    window's best. That row and its column are the first extreme in row-major order."""
    pick = np.argmax if mode == "max" else np.argmin
    batch, height, width, channels = x4.shape
    if max(len(bounds_h), len(bounds_w)) > _ADAPTIVE_LOOP:
        # all windows at once; a window's last cell repeated never comes first
        index_w = _adaptive_cells(width, len(bounds_w), repeat=True)
        cells = np.take(x4, index_w, axis=2)  # (N, H, out_w, width, C)
        arg = pick(cells, axis=3)[:, :, :, None]
        best = np.take_along_axis(cells, arg, axis=3)[:, :, :, 0]
        best_col = index_w[np.arange(len(bounds_w))[None, None, :, None], arg[:, :, :, 0]]
        index_h = _adaptive_cells(height, len(bounds_h), repeat=True)
        cells = np.take(best, index_h, axis=1)  # (N, out_h, height, out_w, C)
        arg = pick(cells, axis=2)
        rows = index_h[np.arange(len(bounds_h))[None, :, None, None], arg]
        cols = np.take_along_axis(best_col, rows, axis=1)
        return rows, cols
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
# 9. Reading images
# ------------------------------------------------------------------------------------------------


def _to_rgb_or_grey(image):
    """A Pillow image as 8-bit grey ('L') or colour ('RGB'), whatever its mode."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        finite = values[np.isfinite(values)]
        top = finite.max() if finite.size else 0.0
        if image.mode == "F" and finite.size and finite.min() >= 0 and top <= 1:
            full = 1.0  # a float image of fractions: 1.0 is white
        elif image.mode.startswith("I;16") or top > 255:
            full = 65535.0
        else:
            full = 255.0
        scaled = np.nan_to_num(values / full * 255.0 + 0.5, nan=0.0, posinf=255.0, neginf=0.0)
        return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8))
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
# 10. Checking arguments
# ------------------------------------------------------------------------------------------------
# Only the public functions check; the inner helpers trust them. Every message names the
# argument, the value received and what is allowed. Three validators are public, shared with
# pooling_display: check_array, check_pair and check_positive_int.


def _is_whole(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _check_mode(mode):
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}")


def check_positive_int(value, name):
    """Check that ``value`` is a positive whole number and give it back as an int.

    One of the shared validators: ``pooling_helpers`` and ``pooling_display`` check sizes with it.

    Parameters
    ----------
    value : int
        Any whole number type (``int``, ``np.int64``, ...); not a bool nor a float.
    name : str
        The argument's name, for the message.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``value`` is not a whole number.
    ValueError
        If it is less than 1.

    Examples
    --------
    >>> check_positive_int(np.int64(3), "stride")
    3
    """
    if not _is_whole(value):
        raise TypeError(f"{name} must be a positive whole number; got {value!r} "
                        f"({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive whole number (1 or more); got {value!r}")
    return _below_limit(int(value), name)


def check_pair(value, name, order="(rows, cols)"):
    """Check a size given as one positive whole number or a pair of them; give back the pair.

    One of the shared validators, for pool sizes, strides and shapes.

    Parameters
    ----------
    value : int or (int, int)
        One int is used for both.
    name : str
        The argument's name, for the message.
    order : str, default '(rows, cols)'
        How the message names the pair's order.

    Returns
    -------
    (int, int)

    Raises
    ------
    TypeError
        If a value is not a whole number.
    ValueError
        If a value is less than 1, or a sequence does not hold two values.

    Examples
    --------
    >>> check_pair(2, "pool_size"), check_pair([3, 1], "stride")
    ((2, 2), (3, 1))
    """
    allowed = f"a positive whole number or a pair {order} of them"
    if isinstance(value, (tuple, list, np.ndarray)):
        if len(value) != 2:
            raise ValueError(f"{name} must be {allowed}; got {value!r} with {len(value)} values")
        if not all(_is_whole(v) for v in value):
            raise TypeError(f"{name} must be {allowed}; got {value!r}")
        if min(value) < 1:
            raise ValueError(f"{name} must be {allowed}, each 1 or more; got {value!r}")
        return _below_limit(int(value[0]), name), _below_limit(int(value[1]), name)
    if not _is_whole(value):
        raise TypeError(f"{name} must be {allowed}; got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be {allowed}, 1 or more; got {value!r}")
    return (_below_limit(int(value), name),) * 2


#: The largest size, padding or count any argument may have: no array has 2**62 cells along an
#: axis, and below it every position and window end still fits NumPy's 64-bit integers.
MAX_SIZE = 2**62


def _below_limit(value, name):
    if value > MAX_SIZE:
        raise ValueError(f"{name} must be at most 2**62 (no array is that long); got {value!r}")
    return value


def _check_padding(padding, count):
    """'valid', 'same', or ``count`` non-negative ints or ``(before, after)`` pairs of them, as a
    tuple of length ``count``."""
    if count == 1:
        allowed = "'valid', 'same', a whole number or a (before, after) pair of them"
    else:
        allowed = ("'valid', 'same', a whole number, a (rows, cols) pair of them or "
                   "((top, bottom), (left, right))")
    if isinstance(padding, str):
        if padding not in PADDING_NAMES:
            raise ValueError(f"padding must be {allowed}; got {padding!r}")
        return (padding,) * count
    pairs = (padding,) if count == 1 else padding
    if (count == 2 and isinstance(padding, (tuple, list)) and len(padding) == 2
            and all(isinstance(pair, (tuple, list)) for pair in pairs)):
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError(f"padding must be {allowed}; got {padding!r}")
        return tuple(_check_padding(pair, 1)[0] for pair in pairs)
    if isinstance(padding, (tuple, list)) and len(padding) != 2:
        raise ValueError(f"padding must be {allowed}; got {padding!r}")
    values = padding if isinstance(padding, (tuple, list)) else (padding,)
    if not all(_is_whole(value) for value in values):
        raise TypeError(f"padding must be {allowed}; got {padding!r}")
    if min(values) < 0:
        raise ValueError(f"padding must be {allowed}, not negative; got {padding!r}")
    for value in values:
        _below_limit(int(value), "padding")
    if count == 1 and isinstance(padding, (tuple, list)):
        return (tuple(int(value) for value in values),)
    return tuple(int(value) for value in values) * (count // len(values))


def _check_ceil_mode(ceil_mode, padding):
    if not isinstance(ceil_mode, (bool, np.bool_)):
        raise TypeError(f"ceil_mode must be True or False; got {ceil_mode!r}")
    if ceil_mode and not _is_whole(padding):
        raise ValueError(f"ceil_mode=True is PyTorch's and needs an integer padding (0 for none); "
                         f"got padding={padding!r}")
    return bool(ceil_mode)


def _check_count_padding(count_padding):
    if count_padding is not None and not isinstance(count_padding, (bool, np.bool_)):
        raise TypeError(f"count_padding must be True, False or None (the padding's own rule); "
                        f"got {count_padding!r}")
    return None if count_padding is None else bool(count_padding)


def check_array(value, name):
    """Check that ``value`` is a non-empty array of real numbers or booleans; give it as NumPy's.

    One of the shared validators: every public function that takes an array starts with it.

    Parameters
    ----------
    value : array_like, any shape
    name : str
        The argument's name, for the message.

    Returns
    -------
    ndarray, the shape of ``value``
        No copy when ``value`` already is an ndarray.

    Raises
    ------
    TypeError
        If ``value`` is a string or path (a file to read first), or holds no real numbers.
    ValueError
        If it is ragged or empty.

    Examples
    --------
    >>> check_array([[1, 2], [3, 4]], "img").shape
    (2, 2)
    """
    if isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError(f"{name} must be an array of numbers; got {type(value).__name__} "
                        f"{value!r}. For an image file, read it first: load_image({value!r})")
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
    array = check_array(value, name)
    if array.ndim == 2:
        return array[None, :, :, None], lambda a: a[0, :, :, 0]
    if array.ndim == 3:
        return array[None], lambda a: a[0]
    if array.ndim == 4:
        return array, lambda a: a
    raise ValueError(f"{name} must have 2 (H, W), 3 (H, W, C) or 4 (N, H, W, C) dimensions; "
                     f"got {array.ndim}, shape {array.shape}")




# ================================================================================================
# PART THREE: drawing and widgets, in pooling_display.py
# ================================================================================================
# They need Matplotlib, Pillow and ipywidgets; computing does not. So they live in a module of
# their own, imported the first time one of them is asked for (``ph.plot_image``), and a program
# that only pools never loads the display stack.

#: The names ``pooling_display`` provides through this module.
DISPLAY_NAMES = (
    "value_range", "plot_image", "plot_two_images", "plot_matrix", "window_boxes",
    "uncovered_cells", "pool_explorer", "image_upload_explorer", "pool_stepper", "stride_explorer",
    "output_size_explorer", "PoolExplorer", "ImageUploadExplorer", "PoolStepper", "StrideExplorer",
    "OutputSizeExplorer", "FONT_SIZE", "TITLE_SIZE", "WINDOW_COLOURS",
    "plot_adaptive_windows", "adaptive_explorer", "AdaptiveExplorer", "projector_mode",
    "plot_output_size", "show_source", "plot_padding", "frame_colours",
    "plot_dilation", "dilation_explorer", "DilationExplorer", "plot_gradient_routes",
)


def __getattr__(name):
    if name in DISPLAY_NAMES:
        return getattr(importlib.import_module("pooling_display"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(DISPLAY_NAMES))
