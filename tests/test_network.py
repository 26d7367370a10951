"""pooling_network: the layers' gradients, the training (deterministic,
accurate, fast), dead filters, the shift, bad input, the widgets, and the
checkers of notebook 08 given malformed answers."""

import math
import time

import numpy as np
import pytest

import network_exercises as nx
import pooling_network as pn
from test_checker_battery import battery


def numerical_gradient(f, array, eps=1e-6):
    """d f() / d array, one element at a time, by central differences
    (``array`` is nudged in place and restored)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        kept = array[index]
        array[index] = kept + eps
        up = f()
        array[index] = kept - eps
        down = f()
        array[index] = kept
        grad[index] = (up - down) / (2 * eps)
    return grad


@pytest.fixture(scope="module")
def digits():
    return pn.split_digits(*pn.load_digits())


# --- data -----------------------------------------------------------------

def test_digits_are_the_uci_test_set():
    images, labels = pn.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 1
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182,
                                            181, 179, 174, 180]


def test_split_is_fixed_and_disjoint(digits):
    train_images, train_labels, test_images, test_labels = digits
    assert len(train_images) == 1200 and len(test_images) == 597
    again = pn.split_digits(*pn.load_digits())
    assert np.array_equal(again[0], train_images)
    assert np.array_equal(again[3], test_labels)
    train_rows = {image.tobytes() for image in train_images}
    shared = sum(image.tobytes() in train_rows for image in test_images)
    # the data set has a few exact duplicates; the split itself takes no
    # digit twice
    images, _ = pn.load_digits()
    duplicates = len(images) - len({image.tobytes() for image in images})
    assert shared <= duplicates


def test_shift_moves_without_wrap_around():
    image = np.arange(1, 13).reshape(3, 4)
    assert pn.shift_images(image, 1, 0).tolist() == [
        [0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11]]
    assert pn.shift_images(image, -1, 0)[:, -1].tolist() == [0, 0, 0]
    assert pn.shift_images(image, 0, 1)[0].tolist() == [0, 0, 0, 0]
    assert pn.shift_images(image, 0, -2).tolist() == [
        [9, 10, 11, 12], [0] * 4, [0] * 4]
    batch = np.stack([image, image * 2])
    assert np.array_equal(pn.shift_images(batch, 1, 1)[1],
                          pn.shift_images(image * 2, 1, 1))
    assert np.array_equal(pn.shift_images(image, 0, 0), image)


# --- layers and gradients -------------------------------------------------

@pytest.mark.parametrize("stride", [1, 2, 3])
def test_conv_is_the_sum_over_each_patch(stride):
    """conv2d against a plain loop over output pixels and filters."""
    rng = np.random.default_rng(10 + stride)
    images, kernels = rng.normal(size=(2, 7, 6)), rng.normal(size=(3, 3, 4))
    bias = rng.normal(size=4)
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    got = pn.conv2d(images, kernels, bias, stride)
    assert got.shape == (2, math.ceil(7 / stride), math.ceil(6 / stride), 4)
    for n, i, j, f in np.ndindex(got.shape):
        patch = padded[n, i * stride:i * stride + 3, j * stride:j * stride + 3]
        assert math.isclose(got[n, i, j, f],
                             np.sum(patch * kernels[..., f]) + bias[f],
                             abs_tol=1e-12)


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_conv_backward_matches_numerical_gradient(stride):
    rng = np.random.default_rng(stride)
    images, kernels = rng.normal(size=(2, 5, 6)), rng.normal(size=(3, 3, 4))
    bias = rng.normal(size=4)
    probe = rng.normal(size=pn.conv2d(images, kernels, bias, stride).shape)

    def loss():
        return np.sum(probe * pn.conv2d(images, kernels, bias, stride))

    grads = pn.conv2d_backward(probe, images, kernels, stride)
    for analytic, array in zip(grads, [images, kernels, bias]):
        numeric = numerical_gradient(loss, array)
        assert np.abs(analytic - numeric).max() < 1e-6
    # without the image gradient: the same two others, and None for it
    lean = pn.conv2d_backward(probe, images, kernels, stride,
                              image_grad=False)
    assert lean[0] is None
    assert np.array_equal(lean[1], grads[1])
    assert np.array_equal(lean[2], grads[2])


def test_dense_and_softmax_backward_match_numerical_gradient():
    rng = np.random.default_rng(3)
    x, weights = rng.normal(size=(4, 7)), rng.normal(size=(7, 10))
    bias = rng.normal(size=10)
    labels = np.array([3, 0, 9, 3])

    def loss():
        logits = pn.dense(x, weights, bias)
        return pn.softmax_cross_entropy(logits, labels)[0]

    _, grad_logits = pn.softmax_cross_entropy(pn.dense(x, weights, bias),
                                              labels)
    grads = pn.dense_backward(grad_logits, x, weights)
    for analytic, array in zip(grads, [x, weights, bias]):
        numeric = numerical_gradient(loss, array)
        assert np.abs(analytic - numeric).max() < 1e-6


def test_cross_entropy_is_minus_log_of_the_right_probability():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2])
    probabilities = pn.softmax(logits)
    expected = -np.mean(np.log(probabilities[[0, 1], labels]))
    assert math.isclose(pn.softmax_cross_entropy(logits, labels)[0],
                        expected)
    # a blind guess among 10 costs log(10)
    assert math.isclose(pn.softmax_cross_entropy(np.zeros((1, 10)),
                                                 np.array([4]))[0],
                        math.log(10))


@pytest.mark.parametrize("variant", pn.VARIANTS)
@pytest.mark.parametrize("pool_size", [2, 3])
def test_pooling_backward_matches_numerical_gradient(variant, pool_size):
    rng = np.random.default_rng(4)
    maps = rng.permutation(2 * 8 * 8 * 3).reshape(2, 8, 8, 3) / 10.0
    probe = rng.normal(size=pn.pool_forward(variant, maps, pool_size).shape)

    def loss():
        return np.sum(probe * pn.pool_forward(variant, maps, pool_size))

    analytic = pn.pool_backward(variant, probe, maps, pool_size)
    assert np.abs(analytic - numerical_gradient(loss, maps)).max() < 1e-6


@pytest.mark.parametrize("variant", pn.VARIANTS)
def test_whole_network_backward_matches_numerical_gradient(variant):
    network = pn.Network(variant, seed=5)
    # random pixels: real digits have blank windows, whose convolution sits
    # on ReLU's kink (0) and whose pooling has ties, where a numerical
    # gradient is not defined
    images = np.random.default_rng(5).random((3, 8, 8))
    labels = np.array([4, 1, 7])

    def loss():
        logits = network.forward(images)[0]
        return pn.softmax_cross_entropy(logits, labels)[0]

    logits, cache = network.forward(images)
    grads = network.backward(pn.softmax_cross_entropy(logits, labels)[1],
                             cache)
    for name in ["kernels", "conv_bias", "bias"]:
        numeric = numerical_gradient(loss, network.params[name])
        assert np.abs(grads[name] - numeric).max() < 1e-6, name


def test_blur_is_its_own_transpose():
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(1, 5, 7, 2)), rng.normal(size=(1, 5, 7, 2))
    assert math.isclose(np.sum(pn.blur(a) * b), np.sum(a * pn.blur(b)))


def test_antialiased_is_max_with_stride_one_then_blur_then_every_second():
    maps = np.zeros((1, 8, 8, 1))
    maps[0, 3, 3, 0] = 16
    pooled = pn.pool_forward("antialiased", maps)[0, :, :, 0]
    assert pooled.shape == (4, 4)
    # max with stride 1 puts 16 at rows and columns 2-3 of a 7×7 map; the
    # blur at (2, 2) weighs them 4 (centre), 2, 2 (sides) and 1 (corner)
    # sixteenths; (2, 2) is output (1, 1)
    assert pooled[1, 1] == 16 * (4 + 2 + 2 + 1) / 16
    assert (pooled[0, 0], pooled[1, 2], pooled[2, 2], pooled[3, 3]) == (
        0, 3, 1, 0)


# --- training -------------------------------------------------------------

def test_max_pooling_network_learns_fast_and_well(digits):
    train_images, train_labels, test_images, test_labels = digits
    started = time.perf_counter()
    network, history = pn.train("max", seed=0, images=train_images,
                                labels=train_labels)
    assert time.perf_counter() - started < 60, "training took a minute"
    assert pn.accuracy(network, test_images, test_labels) >= 0.95
    assert history["loss"][-1] < history["loss"][0] / 5


def test_training_is_deterministic(digits):
    images, labels = digits[0], digits[1]
    first, _ = pn.train("antialiased", seed=3, epochs=2, images=images,
                        labels=labels)
    second, _ = pn.train("antialiased", seed=3, epochs=2, images=images,
                         labels=labels)
    other, _ = pn.train("antialiased", seed=4, epochs=2, images=images,
                        labels=labels)
    for name in first.params:
        assert np.array_equal(first.params[name], second.params[name])
    assert not np.array_equal(first.params["weights"],
                              other.params["weights"])


def test_a_dead_filter_gets_no_gradient_and_stays_dead(digits):
    """The claim of notebook 08: a filter whose map is 0 on every digit
    gets a zero gradient; only momentum's leftover of earlier steps moves
    it, and that leftover shrinks step by step."""
    images, labels = digits[0][:64], digits[1][:64]
    network = pn.Network("max", seed=0)
    network.params["kernels"][..., 2] = -1.0  # negative on every pixel
    assert pn.dead_filters(network, images).tolist() == [
        f == 2 for f in range(8)]
    logits, cache = network.forward(images)
    grads = network.backward(pn.softmax_cross_entropy(logits, labels)[1],
                             cache)
    assert not grads["kernels"][..., 2].any()
    assert grads["conv_bias"][2] == 0
    assert grads["kernels"][..., 0].any()
    # no leftover: an epoch leaves it where it is
    velocity = {name: np.zeros_like(p) for name, p in network.params.items()}
    before = network.params["kernels"][..., 2].copy()
    pn.train_epoch(network, velocity, images, labels, np.random.default_rng(0),
                   batch_size=16)
    assert np.array_equal(network.params["kernels"][..., 2], before)
    # a leftover step: it moves, by 0.9 + 0.81 + ... of it, and stays dead
    velocity["kernels"][..., 2] = -0.01
    pn.train_epoch(network, velocity, images, labels, np.random.default_rng(0),
                   batch_size=16)
    moved = network.params["kernels"][..., 2] - before
    assert np.allclose(moved, -0.01 * sum(0.9 ** k for k in range(1, 5)))
    assert pn.dead_filters(network, images)[2]


def test_an_epoch_loss_is_the_mean_over_its_mini_batches(digits):
    """history['loss'] is the mean of the mini-batches' losses, each before
    its step and weighted by its size (1,200 = 37 × 32 + 16), and not the
    loss of the network after the epoch."""
    images, labels = digits[0], digits[1]
    assert len(images) == 37 * 32 + 16
    network, history = pn.train("max", seed=0, epochs=1, images=images,
                                labels=labels)
    fresh = pn.Network("max", seed=0)
    velocity = {name: np.zeros_like(p) for name, p in fresh.params.items()}
    order = np.random.default_rng(0).permutation(len(images))
    sizes, losses = [], []
    for start in range(0, len(images), 32):
        batch = order[start:start + 32]
        sizes.append(len(batch))
        losses.append(pn.mean_loss(fresh, images[batch], labels[batch]))
        # one step: an epoch of a single mini-batch
        pn.train_epoch(fresh, velocity, images[batch], labels[batch],
                       np.random.default_rng(0), batch_size=32)
    assert sizes[-1] == 16 and len(sizes) == 38
    mean = np.dot(sizes, losses) / len(images)
    assert history["loss"][0] == pytest.approx(mean)
    for name in network.params:
        assert np.allclose(network.params[name], fresh.params[name])
    after = pn.mean_loss(network, images, labels)
    assert after < history["loss"][0] / 2


@pytest.mark.parametrize("variant, pool_size, count", [
    ("none", 2, 8 * 8 * 8 * 10 + 10 + 80),
    ("max", 2, 4 * 4 * 8 * 10 + 10 + 80),
    ("stride2", 2, 4 * 4 * 8 * 10 + 10 + 80),
    ("global", 2, 8 * 10 + 10 + 80),
    ("antialiased", 2, 4 * 4 * 8 * 10 + 10 + 80),
    ("max", 4, 2 * 2 * 8 * 10 + 10 + 80),
    ("antialiased", 4, 2 * 2 * 8 * 10 + 10 + 80),
    ("max", 3, 2 * 2 * 8 * 10 + 10 + 80)])
def test_parameter_counts(variant, pool_size, count):
    assert pn.Network(variant, pool_size).parameter_count == count


# --- bad input ------------------------------------------------------------

@pytest.mark.parametrize("call, words", [
    (lambda: pn.Network("maximum"), ["variant", "'max'"]),
    (lambda: pn.Network("max", pool_size=0), ["pool_size", "1 to 8"]),
    (lambda: pn.Network("max", pool_size=2.0),
     ["pool_size", "whole number"]),
    (lambda: pn.train("max", epochs=0), ["epochs"]),
    (lambda: pn.train("max", learning_rate=float("nan")), ["learning_rate"]),
    (lambda: pn.train("max", images=np.zeros((4, 8, 8)), labels=[1, 2]),
     ["labels", "4"]),
    (lambda: pn.train("max", seed=-1), ["seed"]),
    (lambda: pn.shift_images(np.zeros((2, 8, 8)), 8, 0), ["dx", "-7 to 7"]),
    (lambda: pn.shift_images(np.zeros((2, 8, 8)), 0, True), ["dy"]),
    (lambda: pn.shift_images(np.zeros(8), 1), ["images", "(N, H, W)"]),
    (lambda: pn.split_digits(np.zeros((5, 8, 8)), np.zeros(4)),
     ["labels", "5"]),
    (lambda: pn.Network().predict("digit"), ["images"]),
    (lambda: pn.pool_image("max", np.zeros((2, 3, 3))), ["image", "(H, W)"]),
    (lambda: pn.dead_filters(pn.Network(), np.zeros(3)), ["images"]),
])
def test_bad_input_is_named(call, words):
    with pytest.raises((TypeError, ValueError)) as error:
        call()
    for word in words:
        assert word in str(error.value)


# --- widgets --------------------------------------------------------------

def test_network_explorer_follows_its_controls(digits):
    _, _, test_images, test_labels = digits
    networks = {(v, 2): pn.Network(v, seed=1)
                for v in ["none", "max", "antialiased"]}
    networks[("max", 4)] = pn.Network("max", 4, seed=1)
    explorer = pn.network_explorer(networks, test_images[:5],
                                   test_labels[:5])
    assert explorer.network() is networks[("max", 2)]
    assert "128 pooled values" in explorer.caption.value
    before = explorer.picture.value
    explorer.digit.value = 3
    assert explorer.picture.value != before
    expected = networks[("max", 2)].predict(test_images[3])[0]
    assert explorer.prediction == expected
    explorer.shift.value = 1
    shifted = pn.shift_images(test_images[3], 1, 0)
    assert explorer.prediction == networks[("max", 2)].predict(shifted)[0]
    explorer.pool_size.value = 4
    assert explorer.network() is networks[("max", 4)]
    explorer.pooling.value = "antialiased"
    assert explorer.prediction is None
    assert "No antialiased network" in explorer.caption.value
    assert explorer.picture.value == b"", "a stale picture stays shown"
    explorer.pooling.value = "none"
    assert explorer.network() is networks[("none", 2)]
    assert explorer.pool_size.disabled
    assert explorer.picture.value != b""
    caption = explorer.caption.value
    assert "512" in caption and "nothing is pooled" in caption
    assert "pooled values" not in caption


def test_network_explorer_starts_on_max_without_none(digits):
    _, _, test_images, test_labels = digits
    networks = {(v, 2): pn.Network(v) for v in ["avg", "max"]}
    explorer = pn.network_explorer(networks, test_images[:3],
                                   test_labels[:3])
    assert explorer.pooling.value == "max"
    only_avg = pn.network_explorer({("avg", 2): pn.Network("avg")},
                                   test_images[:3], test_labels[:3])
    assert only_avg.pooling.value == "avg"


@pytest.mark.parametrize("networks, words", [
    ({("global", 2): pn.Network("global"),
      ("stride2", 2): pn.Network("stride2")},
     ["networks", "'max'", "global"]),
    ({}, ["networks"]),
    ({"max": pn.Network()}, ["networks", "(variant, pool_size)"]),
    ([pn.Network()], ["networks"]),
    ({("max", 2): "a network"}, ["networks", "trained Networks"]),
])
def test_network_explorer_refuses_networks_it_cannot_offer(networks, words,
                                                           digits):
    _, _, test_images, test_labels = digits
    with pytest.raises(ValueError) as error:
        pn.network_explorer(networks, test_images[:3], test_labels[:3])
    for word in words:
        assert word in str(error.value)


def test_feature_map_explorer_redraws():
    images, _ = pn.load_digits()
    explorer = pn.feature_map_explorer(images[:4])
    before = explorer.picture.value
    explorer.filter.value = "top edge"
    assert explorer.picture.value != before


@pytest.mark.parametrize("figure", ["feature maps", "network", "comparison"])
def test_figures_fit_a_projected_notebook_column(figure):
    """At most 8.4 × 6.2 inches (840 × 620 pixels at 100 dpi, a projected
    notebook column), no text under 11 pt, and a colour bar where colours
    carry values."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images, labels = pn.load_digits()
    if figure == "feature maps":
        fig = pn.plot_feature_maps(images[0], pn.HAND_FILTERS["dot"])
    elif figure == "network":
        fig = pn.plot_network(pn.Network(), images[0], labels[0])
    else:
        rows = [{"variant": v, "accuracy": 0.9, "shifted": 0.5,
                 "parameters": 1370, "seconds": 1.0} for v in pn.VARIANTS]
        fig = pn.plot_comparison(rows)
    fig.canvas.draw()
    width, height = fig.get_size_inches()
    assert width <= 8.4 and height <= 6.2, (width, height)
    sizes = [text.get_fontsize() for text in fig.findobj(
        matplotlib.text.Text) if text.get_text().strip()]
    assert sizes and min(sizes) >= 11
    if figure != "comparison":
        assert any(ax.get_label() == "<colorbar>" for ax in fig.get_axes())
    plt.close(fig)


def _inside(inner, outer, slack=0.5):
    return (inner.x0 >= outer.x0 - slack and inner.x1 <= outer.x1 + slack
            and inner.y0 >= outer.y0 - slack and inner.y1 <= outer.y1 + slack)


@pytest.mark.parametrize("variant", ["none", "max", "avg", "antialiased"])
def test_network_figure_row_labels_are_whole_and_apart(variant):
    """The row labels ("anti-aliased max → 4×4", "conv + ReLU 8×8") lie
    inside the figure, each within its own row, so neither is clipped nor
    runs into the other."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    images, labels = pn.load_digits()
    for for_widget in (True, False):
        fig = pn._figure(pn.NETWORK_SIZE, for_widget)
        if for_widget:  # savefig draws it with Agg: so does the test
            FigureCanvasAgg(fig)
        pn.plot_network(pn.Network(variant), images[0], labels[0], fig=fig)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        whole = fig.bbox
        rows = [ax for ax in fig.get_axes() if ax.get_ylabel().strip()
                and ax.get_label() != "<colorbar>"
                and ax.get_ylabel() != "digit"]
        assert len(rows) == 2
        boxes = [ax.yaxis.label.get_window_extent(renderer) for ax in rows]
        for ax, box in zip(rows, boxes):
            assert _inside(box, whole), (ax.get_ylabel(), box, whole)
            # within its row of maps, top to bottom
            assert box.y0 >= ax.bbox.y0 - 1 and box.y1 <= ax.bbox.y1 + 1, (
                ax.get_ylabel(), box, ax.bbox)
        assert not boxes[0].overlaps(boxes[1])
        if not for_widget:
            import matplotlib.pyplot as plt

            plt.close(fig)
        assert isinstance(fig, Figure)


def test_filter_numbers_fit_their_cells():
    """Every weight written on the filter ("-0.25" of the dot filter) stays
    inside its own cell of the 3×3 grid."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images, _ = pn.load_digits()
    for name, kernel in pn.HAND_FILTERS.items():
        fig = pn.plot_feature_maps(images[0], kernel, name=name)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.get_axes()[1]
        texts = [t for t in ax.texts if t.get_text().strip()]
        assert len(texts) == 9
        cell = ax.bbox.width / 3
        for text in texts:
            col, row = text.get_position()
            box = text.get_window_extent(renderer)
            left = ax.bbox.x0 + col * cell
            # a little room on each side, so neighbours do not touch
            assert box.x0 >= left + 2 and box.x1 <= left + cell - 2, (
                name, text.get_text(), box, left, cell)
        plt.close(fig)


def test_comparison_chart_speaks_percent():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [{"variant": "max", "accuracy": 0.98659966, "shifted": 0.584,
             "parameters": 1370, "seconds": 1.0}]
    fig = pn.plot_comparison(rows)
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert "98.7%" in texts and "58.4%" in texts
    assert not any(t.startswith("0.9") for t in texts)
    plt.close(fig)


# --- the checkers of notebook 08, given anything --------------------------

CHECKS = {"check_dense_parameters": nx.check_dense_parameters,
          "check_pool3_parameters": nx.check_pool3_parameters,
          "check_shift_right": nx.check_shift_right}


@pytest.mark.parametrize("name", CHECKS)
def test_checkers_answer_anything_with_a_verdict(name, capsys):
    problems = []
    for label, value in battery() + [("no argument", None)]:
        try:
            verdict = (CHECKS[name]() if label == "no argument"
                       else CHECKS[name](value))
        except Exception as error:
            problems.append(f"{label}: raised {type(error).__name__}")
            continue
        if verdict.ok or not verdict.message.strip():
            problems.append(f"{label}: {verdict!r}")
        elif "could not be checked" in verdict.message:
            problems.append(f"{label}: a gap in the checker: {verdict!r}")
        elif " a int" in verdict.message or " a ndarray" in verdict.message:
            problems.append(f"{label}: grammar: {verdict.message}")
    assert not problems, "\n".join(problems)
    assert capsys.readouterr().out == "", "a learner's print leaked"


@pytest.mark.parametrize("name", CHECKS)
def test_a_forgotten_argument_gets_a_hint(name):
    verdict = CHECKS[name]()
    assert not verdict.ok and f"{name}(" in verdict.message


@pytest.mark.parametrize("answer", [1290, 1290.0, np.int64(1290),
                                    np.array(1290)])
def test_dense_parameters_right_in_every_usual_form(answer):
    assert nx.check_dense_parameters(answer).ok


@pytest.mark.parametrize("answer, words", [
    (1280, "bias"), (170, "8 of them"), (5130, "without pooling"),
    (1370, "whole network"), (128, "receives"), ("1290", "without quotes"),
    (12.5, "fractional"), (999, "Count"), (np.zeros(3), "an ndarray")])
def test_dense_parameters_names_the_mistake(answer, words):
    verdict = nx.check_dense_parameters(answer)
    assert not verdict.ok and words in verdict.message


@pytest.mark.parametrize("answer", [410, 410.0, np.int64(410),
                                    np.array([410])])
def test_pool3_parameters_right_in_every_usual_form(answer):
    assert pn.Network("max", 3).parameter_count == 410
    assert nx.check_pool3_parameters(answer).ok


@pytest.mark.parametrize("answer, words", [
    (810, "rounded up"), (730, "rounded up"), (2970, "stride 1"),
    (330, "whole network"), (320, "weights only"), (402, "8 biases"),
    (400, "10 biases"), (392, "Every bias"), (130, "one feature map"),
    (1370, "2/2"), (5210, "without pooling"), (32, "receives"),
    (7, "(8 − 3) // 3 + 1"), ("410", "without quotes")])
def test_pool3_parameters_names_the_mistake(answer, words):
    verdict = nx.check_pool3_parameters(answer)
    assert not verdict.ok and words in verdict.message, verdict.message


def raises(*args):
    raise RuntimeError("boom")


def test_shift_right_check():
    assert nx.check_shift_right(lambda images: pn.shift_images(images, 1, 0))
    cases = {
        "wraps around": lambda images: np.roll(images, 1, axis=2),
        "move left": lambda images: pn.shift_images(images, -1, 0),
        "move down": lambda images: np.roll(images, 1, axis=1),
        "keeps its size": lambda images: images[:, :, :-1],
        "return": lambda images: None,
        "RuntimeError": raises,
        "changed the images":
            lambda images: images.__setitem__(Ellipsis, 0) or images,
        "Not one pixel": lambda images: images * 2,
        "an int": 3,
        "returns the images unchanged": lambda images: images,
        "returns the images unchanged ": lambda images: images.copy(),
    }
    for words, function in cases.items():
        verdict = nx.check_shift_right(function)
        assert not verdict.ok and words.strip() in verdict.message, (
            words, verdict.message)


def test_shift_right_check_reads_a_print_as_a_missing_return(capsys):
    def prints_the_shift(images):
        print(pn.shift_images(images, 1, 0))

    verdict = nx.check_shift_right(prints_the_shift)
    assert capsys.readouterr().out == "", "the learner's print leaked"
    assert not verdict.ok
    assert "printed 7 lines and returned nothing (None)" in verdict.message
    assert "Replace print(...) with return" in verdict.message
    assert "does it end with" not in verdict.message
