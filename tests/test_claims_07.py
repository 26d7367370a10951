"""Notebook 07 (backpropagation): what its prose says about data, recomputed."""

import numpy as np

import pooling_helpers as ph
from claims import does_not_say, prints, says

NB = "07_backpropagation"
MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]], dtype=float)


def test_loss_gradient_and_slope_are_explained_before_use():
    says(NB, "the **loss**")
    says(NB, "its **gradient**")
    says(NB, "the **slope** of the loss")
    says(NB, "These random numbers are called `weights`")


def test_average_spreads_a_quarter():
    grad_out = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad_avg = ph.pool2d_backward(grad_out, MATRIX, 2, 2, mode="avg")
    assert (grad_avg[:2, :2] == 0.25).all()
    says(NB, "the top-left window's gradient 1 becomes 0.25 on each of its four cells")
    grad_max = ph.pool2d_backward(grad_out, MATRIX, 2, 2)
    # one cell per window gets the whole gradient: the maximum
    assert np.count_nonzero(grad_max) == 4 and grad_max.sum() == grad_out.sum()
    assert ph.value_range(grad_out, grad_max, grad_avg) == (0.0, 4.0)


def test_cat_gradient_routes():
    cat = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
    routes = ph.pool2d_backward(np.ones((56, 56)), cat, 4, 4)
    count, size = np.count_nonzero(routes), routes.size
    assert (count, size) == (3136, 50176) and count == 56 * 56 and size == 16 * count
    prints(NB, f"{count} of {size} pixels receive a gradient")
    says(NB, f"{count} of {size} pixels: one in each of the 56×56 blocks, a sixteenth")
    # each block's gradient sits on its brightest pixel
    blocks = cat.reshape(56, 4, 56, 4).max(axis=(1, 3))
    assert np.array_equal(np.where(routes > 0, cat, 0).reshape(56, 4, 56, 4).max(axis=(1, 3)),
                          blocks)
    # the zoom (55.5 to 115.5) holds the left eye: its dark pupil is inside
    assert cat[56:116, 56:116].min() < 40


def test_the_18_wins_two_windows():
    pooled = ph.pool2d(MATRIX, 2, 1)
    assert pooled.tolist() == [[12, 12, 9], [18, 13, 9], [18, 15, 7]]
    assert np.count_nonzero(pooled == 18) == 2
    prints(NB, "[18., 13., 9.]")
    says(NB, "The 18 is the maximum of two windows (it appears twice)")
    does_not_say(NB, "wins three")
    overlapping = ph.pool2d_backward(np.ones((3, 3)), MATRIX, 2, 1)
    assert overlapping[2, 0] == 2
    says(NB, "it collects 2")
    says(NB, "would give the 18 a gradient of 1 instead of 2")


def test_ties_go_to_the_first_maximum():
    tie = np.array([[3.0, 7.0], [7.0, 1.0]])
    routed = ph.pool2d_backward([[1.0]], tie)
    assert routed.tolist() == [[0.0, 1.0], [0.0, 0.0]]
    says(NB, "The 7 at row 0, column 1 gets it all")
    says(NB, "tests/check_against_frameworks.py")
    does_not_say(NB, "both frameworks give the whole gradient to the **first**")


def test_numerical_check():
    rng = np.random.default_rng(0)
    x = rng.permutation(49).reshape(7, 7) / 10
    assert (x.min(), x.max()) == (0.0, 4.8) and np.unique(x).size == 49
    weights = rng.normal(size=ph.pool2d(x, 3, 2, padding=1).shape)

    def loss(values):
        return np.sum(weights * ph.pool2d(values, 3, 2, padding=1))

    analytic = ph.pool2d_backward(weights, x, 3, 2, padding=1)
    numeric = np.zeros_like(x)
    eps = 1e-6
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        numeric[index] = (loss(x + step) - loss(x - step)) / (2 * eps)
    largest = np.abs(analytic - numeric).max()
    assert largest < 1e-8
    prints(NB, f"largest difference: {largest:.2e}")
    says(NB, "The largest difference is below 10⁻⁸")
