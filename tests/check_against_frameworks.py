"""Compare pool2d and pool2d_backward with PyTorch and TensorFlow, whichever is installed.

    python tests/check_against_frameworks.py [--cases 2000]

Not part of the test suite (the suite must not need a framework): run it by hand after changing
the pooling code, in an environment with ``pip install torch`` or ``pip install tensorflow-cpu``.
Random shapes, channels, batches, pool sizes, strides, paddings and ceil mode, with ties; max must
be equal, average and gradients within 1e-12; a case one side refuses the other must refuse too.
"""

import argparse
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


def compare(name, cases, rng):
    pooling, paddings = FRAMEWORKS[name]
    mismatches = 0
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
                    print(f"{name}: only one side refused {x.shape} {pool} {stride} {padding}")
                continue
            same = (ours.shape == theirs.shape and
                    (np.array_equal(ours, theirs) if mode == "max"
                     else np.allclose(ours, theirs, rtol=1e-12, atol=1e-12)))
            grad = rng.normal(size=theirs.shape)
            if same:
                same = np.allclose(backward(grad), ph.pool2d_backward(
                    grad, x, pool, stride, padding, mode, ceil_mode), rtol=1e-12, atol=1e-12)
            if not same:
                mismatches += 1
                print(f"{name}: mismatch {mode} {x.shape} {pool} {stride} {padding} {ceil_mode}")
    return mismatches


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="random cases per framework")
    args = parser.parse_args()
    installed = [name for name in FRAMEWORKS if importlib.util.find_spec(name)]
    if not installed:
        print("Neither PyTorch nor TensorFlow is installed: pip install torch (or tensorflow-cpu).")
        return 1
    failed = 0
    for name in installed:
        mismatches = compare(name, args.cases, np.random.default_rng(0))
        print(f"{name}: {args.cases} cases × (max, avg), forward and backward: "
              f"{mismatches} mismatches")
        failed += mismatches
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
