"""Every wrong argument gets a ValueError or TypeError naming the parameter and what is allowed."""

import numpy as np
import pytest

import pooling_helpers as ph

IMG = np.arange(36.0).reshape(6, 6)


@pytest.mark.parametrize("name", ["pool_size", "stride"])
@pytest.mark.parametrize("value, error", [
    (0, ValueError), (-2, ValueError), (1.5, TypeError), (2.0, TypeError), (True, TypeError),
    ("2", TypeError), ((2, 2, 2), ValueError), ((2,), ValueError), ((2, 0), ValueError),
    (None, TypeError),
])
def test_bad_pool_size_and_stride(name, value, error):
    if name == "stride" and value is None:  # None is the default stride: the pool size
        np.testing.assert_array_equal(ph.pool2d(IMG, stride=None), ph.pool2d(IMG, 2, 2))
        return
    with pytest.raises(error, match=name) as info:
        ph.pool2d(IMG, **{name: value})
    assert repr(value) in str(info.value) or str(value) in str(info.value) or "values" in str(info.value)
    with pytest.raises(error, match=name):
        ph.get_pools(IMG, **{name: value})


@pytest.mark.parametrize("padding, error, words", [
    ("full", ValueError, "'valid', 'same'"), ("SAME", ValueError, "'valid', 'same'"),
    (-1, ValueError, "negative"), (2, ValueError, "more than half"), ((1, 2), ValueError, "half"),
    (1.0, TypeError, "whole number"), (True, TypeError, "whole number"), ((1, 1, 1), ValueError, "pair"),
    (None, TypeError, "whole number"),
])
def test_bad_padding(padding, error, words):
    with pytest.raises(error, match="padding") as info:
        ph.pool2d(IMG, pool_size=(2, 3), padding=padding)
    assert words in str(info.value)


def test_bad_mode_and_ceil_mode():
    with pytest.raises(ValueError, match=r"mode must be one of \('max', 'avg', 'min'\); got 'mean'"):
        ph.pool2d(IMG, mode="mean")
    with pytest.raises(ValueError, match="ceil_mode.*integer padding"):
        ph.pool2d(IMG, ceil_mode=True)
    with pytest.raises(TypeError, match="ceil_mode"):
        ph.pool2d(IMG, padding=0, ceil_mode="yes")


@pytest.mark.parametrize("x, error, words", [
    (np.zeros(5), ValueError, "2 (H, W), 3 (H, W, C) or 4 (N, H, W, C)"),
    (np.zeros((1, 2, 2, 2, 1)), ValueError, "got 5"),
    (np.zeros((0, 4)), ValueError, "empty"),
    (np.array([["a", "b"], ["c", "d"]]), TypeError, "real numbers"),
    (np.array([[1, None], [2, 3]], dtype=object), TypeError, "dtype object"),
    (np.ones((2, 2), dtype=complex), TypeError, "complex"),
    ([[1, 2], [3]], ValueError, "rectangular"),
])
def test_bad_arrays(x, error, words):
    with pytest.raises(error, match="x") as info:
        ph.pool2d(x, 1)
    assert words in str(info.value)


def test_pool_that_does_not_fit():
    with pytest.raises(ValueError, match="pool_size 7 does not fit the input height 6"):
        ph.pool2d(IMG, 7)
    with pytest.raises(ValueError, match="does not fit"):
        ph.get_pools(np.zeros((3, 8)), 4)
    assert ph.pool2d(IMG, 7, padding="same").shape == (1, 1)


def test_teaching_functions_reject_what_they_cannot_do():
    with pytest.raises(ValueError, match="pool2d"):
        ph.get_pools(np.zeros((6, 6, 3)))
    with pytest.raises(ValueError, match="pools must have 4 dimensions"):
        ph.max_pooling(np.zeros((4, 2, 2)))
    with pytest.raises(TypeError, match="pools"):
        ph.avg_pooling(np.array([["a"]]))


def test_backward_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"grad_out must have the shape of the pooled output, \(3, 3\); got \(2, 2\)"):
        ph.pool2d_backward(np.ones((2, 2)), IMG)
    with pytest.raises(TypeError, match="grad_out"):
        ph.pool2d_backward(np.array([["a"] * 3] * 3), IMG)


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(n=0, pool_size=2), ValueError, "n"), (dict(n=5.0, pool_size=2), TypeError, "n"),
    (dict(n=5, pool_size=0), ValueError, "pool_size"), (dict(n=5, pool_size=2, stride=-1), ValueError, "stride"),
    (dict(n=5, pool_size=2, padding="half"), ValueError, "padding"),
    (dict(n=5, pool_size=2, padding=(1, 1)), ValueError, "padding"),
    (dict(n=1, pool_size=2), ValueError, "pool_size"),
    (dict(n=9, pool_size=2, padding=2), ValueError, "more than half"),
])
def test_bad_output_size_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        ph.output_size(**kwargs)
