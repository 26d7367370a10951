"""Compare pool2d and pool2d_backward with PyTorch and TensorFlow, whichever is installed, and
adaptive_pool2d and adaptive_pool2d_backward with PyTorch.

    python tests/check_against_frameworks.py [--cases 2000] [--require torch,tensorflow]

Not part of the test suite (the suite must not need a framework). CI runs it, with --require
torch,tensorflow, in a venv of its own built from requirements-frameworks.txt (see .ci/run); run
it by hand after changing the pooling code, in an environment with PyTorch's CPU build
(``pip install torch --index-url https://download.pytorch.org/whl/cpu``) or
``pip install tensorflow-cpu``.

Random shapes, channels, batches, pool sizes, strides, paddings and ceil mode, with ties; max must
be equal with the same dtype, average and gradients within 1e-12; a case one side refuses the
other must refuse too. Exits 1 on any mismatch, 2 when a framework named in --require is missing.

Adaptive pooling, against PyTorch only (TensorFlow has none): random non-square inputs, output
sizes from 1×1 (global pooling) to larger than the input, max, average and min (PyTorch's min as
-max(-x)), float64 and float32; max and min equal with the same dtype, average and gradients
within 1e-12 (1e-5 on float32).

The pooling zoo of notebook 09 (--zoo-cases random cases per check, 400 by default): against
PyTorch, dilation with return_indices and max_unpool2d, count_include_pad and divisor_override,
lp_pool2d, pool1d/pool3d (with indices), adaptive output sizes with None and
fractional_max_pool2d given PyTorch's _random_samples (values, indices and gradients equal);
against TensorFlow, explicit asymmetric padding, pool1d/pool3d ('valid', 'same') and
tf.nn.pool's dilations (stride 1, as TensorFlow requires; 'valid' or an explicit list, which
TensorFlow fills with zeros and counts: pool2d of the zero-padded input). Where a
dilated window holds padding only, values alone are compared: PyTorch names a cell outside the
image and its backward pass writes outside its memory. About 25 s for everything on 2 cores.
"""

import argparse
import importlib
import importlib.util
import os
import sys

import numpy as np

import pooling_helpers as ph

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def random_case(rng, paddings):
    shape = (int(rng.integers(1, 3)), int(rng.integers(1, 12)), int(rng.integers(1, 12)),
             int(rng.integers(1, 4)))
    pool = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    stride = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    padding = paddings(rng, pool)
    x = rng.normal(size=shape)
    if rng.random() < 0.3:
        x = np.round(x)  # ties
    return x, pool, stride, padding


def torch_pooling(x, pool, stride, padding, mode):
    import torch
    import torch.nn.functional as F

    padding, ceil_mode = padding
    tensor = torch.tensor(x.transpose(0, 3, 1, 2), requires_grad=True)
    function = F.max_pool2d if mode == "max" else F.avg_pool2d
    out = function(tensor, pool, stride, padding, ceil_mode=ceil_mode)

    def backward(grad):
        out.backward(torch.tensor(grad.transpose(0, 3, 1, 2)))
        return tensor.grad.numpy().transpose(0, 2, 3, 1)

    return out.detach().numpy().transpose(0, 2, 3, 1), backward


def tensorflow_pooling(x, pool, stride, padding, mode):
    import tensorflow as tf

    variable = tf.Variable(x)
    with tf.GradientTape(persistent=True) as tape:
        function = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
        out = function(variable, pool, stride, padding[0].upper())
    if out.shape.num_elements() == 0:
        raise ValueError("empty output")

    def backward(grad):
        return tape.gradient(out, variable, output_gradients=tf.constant(grad)).numpy()

    return out.numpy(), backward


FRAMEWORKS = {
    "torch": (torch_pooling, lambda rng, pool: (
        (int(rng.integers(0, pool[0] // 2 + 1)), int(rng.integers(0, pool[1] // 2 + 1))),
        bool(rng.integers(0, 2)))),
    "tensorflow": (tensorflow_pooling, lambda rng, pool: (
        "same" if rng.random() < 0.6 else "valid", False)),
}


SHOWN = 10  # mismatching cases printed per framework


def compare(name, cases, rng):
    """Return (comparisons made, comparisons both sides refused, mismatches)."""
    pooling, paddings = FRAMEWORKS[name]
    compared = refused = mismatches = 0
    for _ in range(cases):
        x, pool, stride, (padding, ceil_mode) = random_case(rng, paddings)
        for mode in ("max", "avg"):
            try:
                ours = ph.pool2d(x, pool, stride, padding, mode, ceil_mode)
            except ValueError:
                ours = None
            try:
                theirs, backward = pooling(x, pool, stride, (padding, ceil_mode), mode)
            except Exception:  # each framework refuses in its own way
                theirs = None
            if ours is None or theirs is None:
                if (ours is None) != (theirs is None):
                    mismatches += 1
                    if mismatches <= SHOWN:
                        print(f"{name}: only one side refused {x.shape} {pool} {stride} "
                              f"{padding}")
                else:
                    refused += 1
                continue
            compared += 1
            same = (ours.shape == theirs.shape and ours.dtype == theirs.dtype and
                    (np.array_equal(ours, theirs) if mode == "max"
                     else np.allclose(ours, theirs, rtol=1e-12, atol=1e-12)))
            grad = rng.normal(size=theirs.shape)
            if same:
                same = np.allclose(backward(grad), ph.pool2d_backward(
                    grad, x, pool, stride, padding, mode, ceil_mode), rtol=1e-12, atol=1e-12)
            if not same:
                mismatches += 1
                if mismatches <= SHOWN:
                    print(f"{name}: mismatch {mode} {x.shape} {pool} {stride} {padding} "
                          f"{ceil_mode}")
    if mismatches > SHOWN:
        print(f"{name}: ... {mismatches - SHOWN} more mismatches not shown")
    return compared, refused, mismatches


# --- adaptive pooling (PyTorch only: TensorFlow has no adaptive pooling layer) -----------------

def torch_adaptive(x, output_size, mode):
    """PyTorch's adaptive pooling of channels-last ``x``; min as -max(-x), PyTorch has no min."""
    import torch
    import torch.nn.functional as F

    tensor = torch.tensor(x.transpose(0, 3, 1, 2), requires_grad=True)
    if mode == "avg":
        out = F.adaptive_avg_pool2d(tensor, output_size)
    elif mode == "max":
        out = F.adaptive_max_pool2d(tensor, output_size)
    else:
        out = -F.adaptive_max_pool2d(-tensor, output_size)

    def backward(grad):
        out.backward(torch.tensor(grad.transpose(0, 3, 1, 2)))
        return tensor.grad.numpy().transpose(0, 2, 3, 1)

    return out.detach().numpy().transpose(0, 2, 3, 1), backward


def random_adaptive_case(rng):
    """Random (N, H, W, C) input and output size: non-square, sometimes 1×1 (global pooling),
    often larger than the input along an axis (windows repeat cells), ties in 30%, float32 in
    25% (max and min must then keep float32, as PyTorch does)."""
    shape = (int(rng.integers(1, 3)), int(rng.integers(1, 17)), int(rng.integers(1, 17)),
             int(rng.integers(1, 4)))
    output_size = (1, 1) if rng.random() < 0.1 else (
        int(rng.integers(1, 21)), int(rng.integers(1, 21)))
    x = rng.normal(size=shape)
    if rng.random() < 0.3:
        x = np.round(x)
    if rng.random() < 0.25:
        x = x.astype(np.float32)
    return x, output_size


def compare_adaptive(cases, rng):
    """adaptive_pool2d and its backward against PyTorch: (comparisons made, mismatches).

    Max and min must be equal, with the same dtype; average within rounding (1e-12 on float64,
    1e-5 on float32: the sums are added in another order); gradients within 1e-12 (float64
    gradients; max routes to the same cell or it is far off)."""
    compared = mismatches = 0
    for _ in range(cases):
        x, output_size = random_adaptive_case(rng)
        for mode in ("max", "avg", "min"):
            ours = ph.adaptive_pool2d(x, output_size, mode)
            theirs, backward = torch_adaptive(x, output_size, mode)
            compared += 1
            tolerance = 1e-12 if x.dtype == np.float64 else 1e-5
            same = ours.shape == theirs.shape and ours.dtype == theirs.dtype and (
                np.allclose(ours, theirs, rtol=tolerance, atol=tolerance) if mode == "avg"
                else np.array_equal(ours, theirs))
            if same:
                grad = rng.normal(size=theirs.shape)
                same = np.allclose(
                    backward(grad.astype(x.dtype)),
                    ph.adaptive_pool2d_backward(grad.astype(x.dtype), x, output_size, mode),
                    rtol=tolerance, atol=tolerance)
            if not same:
                mismatches += 1
                if mismatches <= SHOWN:
                    print(f"torch adaptive: mismatch {mode} {x.shape} {x.dtype} {output_size}")
    if mismatches > SHOWN:
        print(f"torch adaptive: ... {mismatches - SHOWN} more mismatches not shown")
    return compared, mismatches


# --- the pooling zoo (notebook 09): each case one random draw, forward and backward -------------

def _nchw(x):
    return x.transpose(0, 3, 1, 2)


def _nhwc(t):
    return t.detach().numpy().transpose(0, 2, 3, 1)


def _image(rng, low=1, high=12, dtype=np.float64):
    shape = (int(rng.integers(1, 3)), int(rng.integers(low, high)), int(rng.integers(low, high)),
             int(rng.integers(1, 4)))
    x = rng.normal(size=shape)
    if rng.random() < 0.3:
        x = np.round(x)  # ties
    return x.astype(dtype)


def _pair(rng, low, high):
    return int(rng.integers(low, high)), int(rng.integers(low, high))


def _same(a, b, exact, tolerance=1e-12):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    return np.array_equal(a, b) if exact else np.allclose(a, b, rtol=tolerance, atol=tolerance)


def _torch_grad(x, forward):
    """PyTorch's output and a function giving its gradient: ``forward`` takes the NCHW tensor."""
    import torch

    tensor = torch.tensor(_nchw(x), requires_grad=True)
    out = forward(tensor)

    def backward(grad):
        out.backward(torch.tensor(_nchw(grad)))
        return tensor.grad.numpy().transpose(0, 2, 3, 1)

    return out, backward


def zoo_dilation_and_indices(rng):
    """max_pool2d with dilation, padding, ceil mode and return_indices; max_unpool2d back."""
    import torch
    import torch.nn.functional as F

    x = _image(rng)
    pool, stride, dilation = _pair(rng, 1, 5), _pair(rng, 1, 4), _pair(rng, 1, 4)
    padding = (int(rng.integers(0, pool[0] // 2 + 1)), int(rng.integers(0, pool[1] // 2 + 1)))
    ceil_mode = bool(rng.integers(0, 2))
    mode = "max" if rng.random() < 0.7 else "min"
    sign = 1 if mode == "max" else -1
    args = (pool, stride, padding, mode, ceil_mode, dilation)
    try:
        ours, where = ph.pool2d(x, *args, return_indices=True)
    except ValueError:
        ours = None
    try:
        out, backward = _torch_grad(x, lambda t: sign * F.max_pool2d(
            sign * t, pool, stride, padding, dilation, ceil_mode, return_indices=True)[0])
        _, theirs_where = F.max_pool2d(torch.tensor(_nchw(sign * x)), pool, stride, padding,
                                       dilation, ceil_mode, return_indices=True)
    except RuntimeError:
        return ours is None, f"only PyTorch refused {x.shape} {args}"
    if ours is None:
        return False, f"only we refused {x.shape} {args}"
    theirs = _nhwc(out)
    ok = (_same(ours, theirs, True) and ours.dtype == theirs.dtype
          and _same(ph.pool2d(x, *args), ours, True))
    if (where < 0).any():
        # A window whose dilated cells all fall in the padding gives -inf in both; we give it
        # index -1 and no gradient, PyTorch an index outside the image, and its backward pass
        # then writes outside the gradient's memory (a crash): values only.
        return ok, f"{mode} {x.shape} {args}"
    grad = rng.normal(size=theirs.shape)
    ok = (ok and _same(where, _nhwc(theirs_where), True)
          and _same(ph.pool2d_backward(grad, x, *args), backward(grad), False))
    if ok and mode == "max":  # unpool to the input's size, forward and backward
        size = x.shape[1:3]
        try:
            unpooled = ph.max_unpool2d(ours, where, pool, stride, padding, output_size=size)
        except ValueError:  # PyTorch's rule: output_size within stride - 1 of its own size
            unpooled = None
        values = torch.tensor(_nchw(ours), requires_grad=True)
        try:
            theirs_up = F.max_unpool2d(values, theirs_where, pool, stride, padding, size)
        except (RuntimeError, ValueError):
            return unpooled is None, f"only PyTorch refused to unpool {x.shape} {args}"
        if unpooled is None:
            return False, f"only we refused to unpool {x.shape} {args}"
        grad_up = rng.normal(size=unpooled.shape)
        theirs_up.backward(torch.tensor(_nchw(grad_up)))
        ok = (_same(unpooled, _nhwc(theirs_up), True)
              and _same(ph.max_unpool2d_backward(grad_up, where),
                        values.grad.numpy().transpose(0, 2, 3, 1), True))
    return ok, f"{mode} {x.shape} {args}"


def zoo_divisors(rng):
    """avg_pool2d with count_include_pad and divisor_override."""
    import torch.nn.functional as F

    x = _image(rng)
    pool, stride = _pair(rng, 1, 5), _pair(rng, 1, 4)
    padding = (int(rng.integers(0, pool[0] // 2 + 1)), int(rng.integers(0, pool[1] // 2 + 1)))
    ceil_mode = bool(rng.integers(0, 2))
    count_padding = bool(rng.integers(0, 2))
    divisor = int(rng.integers(1, 10)) if rng.random() < 0.3 else None
    args = (pool, stride, padding, "avg", ceil_mode)
    kwargs = dict(count_padding=count_padding, divisor=divisor)
    try:
        ours = ph.pool2d(x, *args, **kwargs)
    except ValueError:
        ours = None
    try:
        out, backward = _torch_grad(x, lambda t: F.avg_pool2d(
            t, pool, stride, padding, ceil_mode, count_padding, divisor))
    except RuntimeError:
        return ours is None, f"only PyTorch refused {x.shape} {args} {kwargs}"
    if ours is None:
        return False, f"only we refused {x.shape} {args} {kwargs}"
    theirs = _nhwc(out)
    grad = rng.normal(size=theirs.shape)
    ok = (_same(ours, theirs, False) and
          _same(ph.pool2d_backward(grad, x, *args, **kwargs), backward(grad), False))
    return ok, f"{x.shape} {args} {kwargs}"


def zoo_explicit_padding(rng):
    """TensorFlow's max_pool2d with explicit, asymmetric padding."""
    import tensorflow as tf

    x = _image(rng)
    pool, stride = _pair(rng, 1, 5), _pair(rng, 1, 4)
    padding = tuple((int(rng.integers(0, k + 1)), int(rng.integers(0, k + 1))) for k in pool)
    try:
        ours = ph.pool2d(x, pool, stride, padding)
    except ValueError:
        ours = None
    variable = tf.Variable(x)
    try:
        with tf.GradientTape() as tape:
            out = tf.nn.max_pool2d(variable, pool, stride, [[0, 0], *map(list, padding), [0, 0]])
        if out.shape.num_elements() == 0:
            raise ValueError("empty output")
    except (tf.errors.InvalidArgumentError, ValueError):
        return ours is None, f"only TensorFlow refused {x.shape} {pool} {stride} {padding}"
    if ours is None:
        return False, f"only we refused {x.shape} {pool} {stride} {padding}"
    grad = rng.normal(size=out.shape)
    theirs_grad = tape.gradient(out, variable, output_gradients=tf.constant(grad)).numpy()
    ok = (_same(ours, out.numpy(), True) and
          _same(ph.pool2d_backward(grad, x, pool, stride, padding), theirs_grad, False))
    return ok, f"{x.shape} {pool} {stride} {padding}"


def zoo_lp(rng):
    """lp_pool2d: p from 1 (sum) to 6, ceil mode, positive input (negative sums are NaN)."""
    import torch.nn.functional as F

    x = np.abs(_image(rng)) + 0.1
    p = float(rng.choice([1, 2, 3, 1.5, 6]))
    pool, stride = _pair(rng, 1, 4), _pair(rng, 1, 4)
    ceil_mode = bool(rng.integers(0, 2))
    try:
        ours = ph.lp_pool2d(x, p, pool, stride, ceil_mode)
    except ValueError:
        ours = None
    try:
        out, backward = _torch_grad(x, lambda t: F.lp_pool2d(t, p, pool, stride, ceil_mode))
    except RuntimeError:
        return ours is None, f"only PyTorch refused {x.shape} {p} {pool} {stride} {ceil_mode}"
    if ours is None:
        return False, f"only we refused {x.shape} {p} {pool} {stride} {ceil_mode}"
    grad = rng.normal(size=ours.shape)
    ok = (_same(ours, _nhwc(out), False, 1e-10) and
          _same(ph.lp_pool2d_backward(grad, x, p, pool, stride, ceil_mode), backward(grad),
                False, 1e-10))
    return ok, f"{x.shape} p={p} {pool} {stride} {ceil_mode}"


def zoo_1d_3d(rng):
    """pool1d and pool3d (max or average, PyTorch padding, ceil mode, dilation for max)."""
    import torch
    import torch.nn.functional as F

    three = rng.random() < 0.5
    axes = 3 if three else 1
    shape = (int(rng.integers(1, 3)), *(int(v) for v in rng.integers(1, 8 if three else 20, axes)),
             int(rng.integers(1, 3)))
    x = rng.normal(size=shape)
    if rng.random() < 0.3:
        x = np.round(x)
    pool = tuple(int(v) for v in rng.integers(1, 4, axes))
    stride = tuple(int(v) for v in rng.integers(1, 4, axes))
    padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in pool)
    ceil_mode = bool(rng.integers(0, 2))
    mode = "max" if rng.random() < 0.5 else "avg"
    dilation = tuple(int(v) for v in rng.integers(1, 3, axes)) if mode == "max" else (1,) * axes
    extra = dict(count_padding=bool(rng.integers(0, 2))) if mode == "avg" else {}
    ours_f, back_f = (ph.pool3d, ph.pool3d_backward) if three else (ph.pool1d, ph.pool1d_backward)
    one = (lambda v: v) if three else (lambda v: v[0])
    args = (one(pool), one(stride), one(padding), mode, ceil_mode, one(dilation))
    what = f"{'3d' if three else '1d'} {shape} {args} {extra}"
    try:
        ours = ours_f(x, *args, **extra)
    except ValueError:
        ours = None
    order = (0, axes + 1, *range(1, axes + 1))
    tensor = torch.tensor(x.transpose(order), requires_grad=True)
    try:
        if mode == "max":
            function = F.max_pool3d if three else F.max_pool1d
            out = function(tensor, pool, stride, padding, dilation, ceil_mode)
        else:
            function = F.avg_pool3d if three else F.avg_pool1d
            out = function(tensor, pool, stride, padding, ceil_mode, extra["count_padding"])
    except RuntimeError:
        return ours is None, f"only PyTorch refused {what}"
    if ours is None:
        return False, f"only we refused {what}"
    back_order = (0, *range(2, axes + 2), 1)
    theirs = out.detach().numpy().transpose(back_order)
    ok = _same(ours, theirs, mode == "max")
    if mode == "max":
        _, where = ours_f(x, *args, return_indices=True)
        if (where < 0).any():  # windows of padding only: values only (see the 2-D check)
            return ok, what
        _, theirs_where = function(torch.tensor(x.transpose(order)), pool, stride, padding,
                                   dilation, ceil_mode, return_indices=True)
        ok = ok and _same(where, theirs_where.numpy().transpose(back_order), True)
    grad = rng.normal(size=theirs.shape)
    out.backward(torch.tensor(grad.transpose(order)))
    ok = ok and _same(back_f(grad, x, *args, **extra), tensor.grad.numpy().transpose(back_order),
                      False)
    return ok, what


def zoo_tf_1d_3d(rng):
    """TensorFlow's max/avg_pool1d and max/avg_pool3d, 'valid' and 'same'."""
    import tensorflow as tf

    three = rng.random() < 0.5
    axes = 3 if three else 1
    shape = (int(rng.integers(1, 3)), *(int(v) for v in rng.integers(1, 8 if three else 20, axes)),
             int(rng.integers(1, 3)))
    # TensorFlow's CPU kernels of 3-D pooling take float32 only
    x = rng.normal(size=shape).astype(np.float32 if three else np.float64)
    pool = tuple(int(v) for v in rng.integers(1, 4, axes))
    if three:  # a 3-D pool larger than the input crashes TensorFlow's oneDNN kernel (SIGFPE)
        pool = tuple(min(k, n) for k, n in zip(pool, shape[1:4]))
    stride = tuple(int(v) for v in rng.integers(1, 4, axes))
    padding = "same" if rng.random() < 0.6 else "valid"
    mode = "max" if rng.random() < 0.5 else "avg"
    ours_f, back_f = (ph.pool3d, ph.pool3d_backward) if three else (ph.pool1d, ph.pool1d_backward)
    one = (lambda v: v) if three else (lambda v: v[0])
    args = (one(pool), one(stride), padding, mode)
    try:
        ours = ours_f(x, *args)
    except ValueError:
        ours = None
    variable = tf.Variable(x)
    name = f"{mode}_pool{3 if three else 1}d"
    try:
        with tf.GradientTape() as tape:
            out = getattr(tf.nn, name)(variable, list(pool), list(stride), padding.upper())
        if out.shape.num_elements() == 0:
            raise ValueError("empty output")
    except tf.errors.AbortedError:  # its oneDNN kernel fails on some shapes: nothing to compare
        return None, f"TensorFlow's oneDNN failed on {name} {shape} {args}"
    except (tf.errors.InvalidArgumentError, ValueError):
        return ours is None, f"only TensorFlow refused {name} {shape} {args}"
    if ours is None:
        return False, f"only we refused {name} {shape} {args}"
    grad = rng.normal(size=out.shape).astype(x.dtype)
    theirs_grad = tape.gradient(out, variable, output_gradients=tf.constant(grad)).numpy()
    tolerance = 1e-12 if x.dtype == np.float64 else 1e-5
    ok = (_same(ours, out.numpy(), mode == "max", tolerance) and ours.dtype == out.dtype
          and _same(back_f(grad, x, *args), theirs_grad, False, tolerance))
    return ok, f"{name} {shape} {args}"


def zoo_adaptive_none(rng):
    """adaptive_pool2d with None keeping a side."""
    import torch.nn.functional as F

    x = _image(rng, 1, 15)
    size = [int(rng.integers(1, 15)), None]
    if rng.random() < 0.5:
        size.reverse()
    mode = "max" if rng.random() < 0.5 else "avg"
    function = F.adaptive_max_pool2d if mode == "max" else F.adaptive_avg_pool2d
    out, backward = _torch_grad(x, lambda t: function(t, tuple(size)))
    ours = ph.adaptive_pool2d(x, tuple(size), mode)
    grad = rng.normal(size=ours.shape)
    ok = (_same(ours, _nhwc(out), mode == "max") and
          _same(ph.adaptive_pool2d_backward(grad, x, tuple(size), mode), backward(grad), False))
    return ok, f"{mode} {x.shape} {size}"


def zoo_fractional(rng):
    """fractional_max_pool2d given PyTorch's _random_samples: values, indices, gradients."""
    import torch
    import torch.nn.functional as F

    dtype = np.float32 if rng.random() < 0.3 else np.float64
    x = _image(rng, 2, 20, dtype)
    pool = (int(rng.integers(1, min(4, x.shape[1]) + 1)), int(rng.integers(1, min(4, x.shape[2]) + 1)))
    size = tuple(int(rng.integers(1, n - k + 2)) for n, k in zip(x.shape[1:3], pool))
    samples = rng.random((x.shape[0], x.shape[3], 2)).astype(dtype)
    ours, where = ph.fractional_max_pool2d(x, size, pool, samples, return_indices=True)
    tensor = torch.tensor(_nchw(x), requires_grad=True)
    out, theirs_where = F.fractional_max_pool2d(tensor, pool, size, return_indices=True,
                                                _random_samples=torch.tensor(samples))
    grad = rng.normal(size=ours.shape).astype(dtype)
    out.backward(torch.tensor(_nchw(grad)))
    ok = (_same(ours, _nhwc(out), True) and ours.dtype == x.dtype
          and _same(where, _nhwc(theirs_where), True)
          and _same(ph.fractional_max_pool2d_backward(grad, x, size, pool, samples),
                    tensor.grad.numpy().transpose(0, 2, 3, 1), True))
    return ok, f"{x.shape} {x.dtype} {size} {pool}"


def zoo_tf_dilation(rng):
    """TensorFlow's tf.nn.pool with dilations (stride 1, as TensorFlow requires): padding 'VALID'
    or, half the time, an explicit list, which it fills with zeros that count, for max and
    average alike (notebook 09): compared with pool2d on the zero-padded input, and an average
    whose sides are under the pool with pool2d's own padding (the 'all cells' divisor)."""
    import tensorflow as tf

    x = _image(rng)
    pool, dilation = _pair(rng, 1, 4), _pair(rng, 1, 4)
    mode = "max" if rng.random() < 0.5 else "avg"
    explicit = max(dilation) > 1 and rng.random() < 0.5  # a list needs a dilation above 1
    padding = (tuple((int(rng.integers(0, 4)), int(rng.integers(0, 4))) for _ in range(2))
               if explicit else ((0, 0), (0, 0)))
    padded = np.pad(x, ((0, 0), *padding, (0, 0)))  # zeros
    try:
        ours = ph.pool2d(padded, pool, 1, "valid", mode, dilation=dilation)
    except ValueError:
        ours = None
    variable = tf.Variable(x)
    try:
        with tf.GradientTape() as tape:
            out = tf.nn.pool(variable, pool, mode.upper(), strides=(1, 1),
                             padding=[[0, 0], *map(list, padding), [0, 0]] if explicit
                             else "VALID", dilations=dilation)
        if out.shape.num_elements() == 0:
            raise ValueError("empty output")
    except (tf.errors.InvalidArgumentError, ValueError):
        return ours is None, f"only TensorFlow refused {x.shape} {pool} {dilation} {padding}"
    if ours is None:
        return False, f"only we refused {x.shape} {pool} {dilation} {padding}"
    grad = rng.normal(size=out.shape)
    theirs_grad = tape.gradient(out, variable, output_gradients=tf.constant(grad)).numpy()
    ours_grad = ph.pool2d_backward(grad, padded, pool, 1, "valid", mode, dilation=dilation)
    (top, bottom), (left, right) = padding
    ours_grad = ours_grad[:, top:top + x.shape[1], left:left + x.shape[2]]
    ok = _same(ours, out.numpy(), mode == "max") and _same(ours_grad, theirs_grad, False)
    if ok and explicit and mode == "avg" and all(side < k for side, k in
                                                zip(np.ravel(padding), np.repeat(pool, 2))):
        ok = _same(ph.pool2d(x, pool, 1, padding, "avg", dilation=dilation), out.numpy(), False)
    return ok, f"{mode} {x.shape} {pool} {dilation} {padding}"


ZOO = {
    "torch": [("dilation, indices, unpool", zoo_dilation_and_indices),
              ("count_padding, divisor", zoo_divisors),
              ("lp_pool2d", zoo_lp),
              ("pool1d, pool3d", zoo_1d_3d),
              ("adaptive None", zoo_adaptive_none),
              ("fractional_max_pool2d", zoo_fractional)],
    "tensorflow": [("explicit padding", zoo_explicit_padding),
                   ("pool1d, pool3d", zoo_tf_1d_3d),
                   ("tf.nn.pool dilations, 'valid' or zero padding", zoo_tf_dilation)],
}


def compare_zoo(name, cases, rng):
    """Every zoo check of one framework: [(label, cases compared, mismatches)]; a case the
    framework fails to compute (ok is None) is not counted."""
    results = []
    for label, check in ZOO[name]:
        mismatches = compared = 0
        for _ in range(cases):
            ok, what = check(rng)
            if ok is None:
                continue
            compared += 1
            if not ok:
                mismatches += 1
                if mismatches <= SHOWN:
                    print(f"{name} {label}: mismatch {what}")
        results.append((label, compared, mismatches))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="random cases per framework")
    parser.add_argument("--zoo-cases", type=int, default=400,
                        help="random cases per check of the pooling zoo")
    parser.add_argument("--require", default="", metavar="NAMES",
                        help="frameworks that must be installed: torch,tensorflow")
    args = parser.parse_args()
    required = [name for name in args.require.split(",") if name]
    unknown = [name for name in required if name not in FRAMEWORKS]
    if unknown:
        parser.error(f"--require: unknown {unknown}; known: {', '.join(FRAMEWORKS)}")
    installed = [name for name in FRAMEWORKS if importlib.util.find_spec(name)]
    missing = [name for name in required if name not in installed]
    if missing:
        print(f"MISSING: {', '.join(missing)} required but not installed in {sys.prefix}")
        return 2
    if not installed:
        print("Neither PyTorch nor TensorFlow is installed: see the top of this file.")
        return 1
    print(f"checking {ph.__file__} against {', '.join(installed)}")
    failed = 0
    for name in installed:
        version = importlib.import_module(name).__version__
        compared, refused, mismatches = compare(name, args.cases, np.random.default_rng(0))
        print(f"{name} {version}: {args.cases} cases × (max, avg): {compared} compared forward "
              f"and backward, {refused} refused by both, {mismatches} mismatches")
        failed += mismatches
    for name in installed:
        for label, cases, mismatches in compare_zoo(name, args.zoo_cases,
                                                    np.random.default_rng(2)):
            print(f"{name} zoo, {label}: {cases} cases forward and backward, "
                  f"{mismatches} mismatches")
            failed += mismatches
    if "torch" in installed:
        compared, mismatches = compare_adaptive(args.cases, np.random.default_rng(1))
        print(f"torch adaptive: {args.cases} cases × (max, avg, min): {compared} compared "
              f"forward and backward, {mismatches} mismatches")
        failed += mismatches
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
