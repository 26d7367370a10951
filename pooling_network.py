"""Pooling inside a network: a small convolutional network trained on
handwritten digits.

The capstone of the pooling course (notebook 08). The network is built from
the course's own pieces, and its pooling layer *is* ``pooling_helpers.pool2d``,
with its gradient from ``pooling_helpers.pool2d_backward``. The module reads in
the order the notebook teaches:

1. The data: ``load_digits``, ``split_digits``, ``shift_images``.
2. The layers: ``conv_patches``, ``conv2d`` and ``conv2d_backward``, ``relu``,
   ``dense`` and ``dense_backward``, ``softmax_cross_entropy``.
3. The pooling variants: ``pool_forward`` and ``pool_backward`` (none, max,
   average, anti-aliased max, global average; a stride-2 convolution in place
   of pooling), with ``blur``.
4. The network and its training: ``Network``, ``train`` (one
   ``train_epoch`` after another), ``mean_loss``, ``accuracy``,
   ``dead_filters``, ``compare``.
5. Drawing and widgets: ``plot_feature_maps``, ``feature_map_explorer``,
   ``plot_network``, ``network_explorer``, ``plot_comparison`` (Matplotlib and
   ipywidgets are imported only there).

Images and feature maps are held channels last, as in the rest of the course:
a batch of digits is ``(N, 8, 8)``, a batch of feature maps ``(N, H, W, F)``
with one channel per filter.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import pooling_helpers as ph

#: The digits: 1,797 images of 8×8 pixels (values 0–16) and their labels
#: (see data/README.md).
DIGITS_PATH = ph.DATA_DIR / "digits.npz"
#: The network trains on TRAIN_COUNT digits and is scored on the rest.
TRAIN_COUNT = 1200
#: The seed of the one shuffle that splits the digits.
SPLIT_SEED = 0
#: The pooling variants ``train`` knows, in the order the notebook meets them.
VARIANTS = ("none", "max", "avg", "stride2", "global", "antialiased")
#: How the notebook names them.
VARIANT_NAMES = {"none": "no pooling", "max": "max pool",
                 "avg": "average pool", "stride2": "stride-2 conv",
                 "global": "global average",
                 "antialiased": "anti-aliased max"}


# ---------------------------------------------------------------------------
# 1. The data
# ---------------------------------------------------------------------------

def load_digits(path=None):
    """The handwritten digits, scaled to 0–1.

    Parameters
    ----------
    path : str or Path, optional
        An ``.npz`` file with ``images`` and ``labels``; by default the
        course's ``data/digits.npz``.

    Returns
    -------
    images : ndarray, shape (1797, 8, 8), float64
        Pixel values 0–16 divided by 16.
    labels : ndarray, shape (1797,), int64
        The digit each image shows, 0–9.
    """
    with np.load(DIGITS_PATH if path is None else path) as data:
        return data["images"] / 16.0, data["labels"].astype(np.int64)


def split_digits(images, labels, train_count=TRAIN_COUNT, seed=SPLIT_SEED):
    """Shuffle the digits once, then keep ``train_count`` to train on and the
    rest to test on.

    The stored order is not random (the last few hundred digits are harder
    than the rest), so the digits are shuffled before the split; a fixed
    ``seed`` gives the same split everywhere.

    Parameters
    ----------
    images : ndarray, shape (N, H, W)
    labels : ndarray, shape (N,)
    train_count : int, default TRAIN_COUNT (1200)
    seed : int, default SPLIT_SEED (0)

    Returns
    -------
    (train_images, train_labels, test_images, test_labels)
        Shapes (train_count, H, W), (train_count,), (N - train_count, H, W),
        (N - train_count,).
    """
    if len(images) != len(labels):
        raise ValueError(f"images and labels must be as many; got "
                         f"{len(images)} images and {len(labels)} labels")
    train_count = _check_int(train_count, "train_count", 1, len(images) - 1)
    seed = _check_int(seed, "seed", 0, 2**32 - 1)
    order = np.random.default_rng(seed).permutation(len(images))
    train, test = order[:train_count], order[train_count:]
    return images[train], labels[train], images[test], labels[test]


def shift_images(images, dx=1, dy=0):
    """Move images ``dx`` pixels right and ``dy`` pixels down, filling with 0
    (no wrap-around).

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (H, W)
    dx, dy : int
        Negative values move left and up.

    Returns
    -------
    ndarray, same shape and dtype as ``images``

    Examples
    --------
    >>> shift_images(np.array([[1, 2, 3]]), dx=1)
    array([[0, 1, 2]])
    """
    images = np.asarray(images)
    if images.ndim not in (2, 3):
        raise ValueError(f"images must have shape (H, W) or (N, H, W); got "
                         f"shape {images.shape}")
    height, width = images.shape[-2:]
    dx = _check_int(dx, "dx", -width + 1, width - 1)
    dy = _check_int(dy, "dy", -height + 1, height - 1)
    shifted = np.zeros_like(images)
    # the part of the image that stays in the frame, and where it lands
    source = (...,
              slice(max(-dy, 0), height - max(dy, 0)),
              slice(max(-dx, 0), width - max(dx, 0)))
    target = (...,
              slice(max(dy, 0), height - max(-dy, 0)),
              slice(max(dx, 0), width - max(-dx, 0)))
    shifted[target] = images[source]
    return shifted


# ---------------------------------------------------------------------------
# 2. The layers
# ---------------------------------------------------------------------------
# Each layer is a forward function and a backward function. The backward
# function takes the gradient of the loss with respect to the layer's output
# and returns it with respect to the layer's inputs and parameters: the chain
# rule, one layer at a time.

def conv_patches(images, stride=1):
    """The 3×3 patch around every pixel, as 9 numbers (zero padding of 1).

    Parameters
    ----------
    images : ndarray, shape (N, H, W)
    stride : int, default 1
        Keep the patch of every ``stride``-th pixel along each axis.

    Returns
    -------
    ndarray, shape (N, ceil(H / stride), ceil(W / stride), 9)
    """
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    # windows[n, i, j] is the 3×3 patch centred on pixel (i, j): a view
    windows = sliding_window_view(padded, (3, 3), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]
    return windows.reshape(*windows.shape[:3], 9)


def conv2d(images, kernels, bias, stride=1):
    """3×3 convolution (a correlation, as in every framework), zero padded.

    Parameters
    ----------
    images : ndarray, shape (N, H, W)
    kernels : ndarray, shape (3, 3, F)
        One 3×3 filter per output channel.
    bias : ndarray, shape (F,)
    stride : int, default 1

    Returns
    -------
    ndarray, shape (N, ceil(H / stride), ceil(W / stride), F)
    """
    patches = conv_patches(images, stride)
    # each patch's 9 pixels times each filter's 9 weights, added up
    return patches @ kernels.reshape(9, -1) + bias


def conv2d_backward(grad_out, images, kernels, stride=1, image_grad=True):
    """Gradients of ``conv2d``: (grad_images, grad_kernels, grad_bias).

    Shapes (N, H, W), (3, 3, F) and (F,); ``grad_out`` has the shape of
    ``conv2d(images, kernels, bias, stride)``. With ``image_grad=False``
    the gradient for the images is not computed, and None stands in for it
    (a first layer has nothing before it to hand it to).
    """
    n, height, width = images.shape
    patches = conv_patches(images, stride)
    filters = grad_out.shape[-1]
    # a dense layer applied to every patch: the same three gradients
    grad_kernels = patches.reshape(-1, 9).T @ grad_out.reshape(-1, filters)
    grad_bias = grad_out.sum(axis=(0, 1, 2))
    if not image_grad:
        return None, grad_kernels.reshape(kernels.shape), grad_bias
    grad_patches = grad_out @ kernels.reshape(9, -1).T
    # each patch was copied from 9 pixels: add its gradients back onto them
    grad_padded = np.zeros((n, height + 2, width + 2))
    for k in range(3):
        for l in range(3):
            grad_padded[:, k:k + height:stride, l:l + width:stride] += (
                grad_patches[..., 3 * k + l])
    grad_images = grad_padded[:, 1:-1, 1:-1]
    return grad_images, grad_kernels.reshape(kernels.shape), grad_bias


def relu(x):
    """max(x, 0), element-wise: the map keeps only where a filter responds."""
    return np.maximum(x, 0)


def relu_backward(grad_out, x):
    """The gradient passes where the input was positive, and stops
    elsewhere."""
    return grad_out * (x > 0)


def dense(x, weights, bias):
    """A fully connected layer: every output sees every input.

    Parameters
    ----------
    x : ndarray, shape (N, D)
    weights : ndarray, shape (D, K)
    bias : ndarray, shape (K,)

    Returns
    -------
    ndarray, shape (N, K)
    """
    return x @ weights + bias


def dense_backward(grad_out, x, weights):
    """Gradients of ``dense``: (grad_x, grad_weights, grad_bias).

    Shapes (N, D), (D, K) and (K,); ``grad_out`` has shape (N, K).
    """
    return grad_out @ weights.T, x.T @ grad_out, grad_out.sum(axis=0)


def softmax(logits):
    """Scores (N, K) → probabilities (N, K) that sum to 1 along each row."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))  # no overflow
    return exp / exp.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy loss of the softmax of ``logits``, and its gradient.

    Parameters
    ----------
    logits : ndarray, shape (N, K)
    labels : ndarray of int, shape (N,)

    Returns
    -------
    loss : float
        Mean of ``-log(probability of the right label)``.
    grad_logits : ndarray, shape (N, K)
        ``(probabilities - one_hot(labels)) / N``.
    """
    rows = np.arange(len(labels))
    shifted = logits - logits.max(axis=1, keepdims=True)
    # the log of the softmax, never the log of a probability rounded to 0
    log_probabilities = shifted - np.log(
        np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.mean(log_probabilities[rows, labels])
    grad = np.exp(log_probabilities)
    grad[rows, labels] -= 1
    return float(loss), grad / len(labels)


# ---------------------------------------------------------------------------
# 3. The pooling variants
# ---------------------------------------------------------------------------
# Every variant takes the feature maps (N, H, W, F) and gives smaller ones,
# through the course's pool2d; every backward goes through pool2d_backward.
# "stride2" pools nothing: its convolution already keeps one output in four
# (see Network.forward).

BLUR = np.outer([1, 2, 1], [1, 2, 1]) / 16


def blur(maps):
    """Blur each channel of (N, H, W, F) maps with [1, 2, 1]⊗[1, 2, 1] / 16.

    Zero padded, so the maps keep their size. The kernel is symmetric, so the
    blur is its own transpose: its backward pass is the same blur.
    """
    height, width = maps.shape[1:3]
    padded = np.pad(maps, ((0, 0), (1, 1), (1, 1), (0, 0)))
    blurred = np.zeros(maps.shape)
    # nine shifted copies of the maps, each times its weight in BLUR
    for k in range(3):
        for l in range(3):
            blurred += BLUR[k, l] * padded[:, k:k + height, l:l + width]
    return blurred


def pool_forward(variant, maps, pool_size=2):
    """Pool feature maps (N, H, W, F) as ``variant`` says.

    'antialiased' is max pooling with stride 1, then a blur, then keeping
    every ``pool_size``-th value (Zhang, ICML 2019). 'none' and 'stride2'
    return the maps as they are.
    """
    if variant in ("max", "avg"):
        return ph.pool2d(maps, pool_size, pool_size, mode=variant)
    if variant == "global":
        return ph.pool2d(maps, maps.shape[1:3], mode="avg")
    if variant == "antialiased":
        dense_max = ph.pool2d(maps, pool_size, stride=1)
        return blur(dense_max)[:, ::pool_size, ::pool_size]
    return maps


def pool_backward(variant, grad_out, maps, pool_size=2):
    """Gradient of ``pool_forward`` with respect to ``maps`` (N, H, W, F)."""
    if variant in ("max", "avg"):
        return ph.pool2d_backward(grad_out, maps, pool_size, pool_size,
                                  mode=variant)
    if variant == "global":
        return ph.pool2d_backward(grad_out, maps, maps.shape[1:3],
                                  mode="avg")
    if variant == "antialiased":
        n, height, width, channels = maps.shape
        kept = np.zeros((n, height - pool_size + 1, width - pool_size + 1,
                         channels))
        kept[:, ::pool_size, ::pool_size] = grad_out
        return ph.pool2d_backward(blur(kept), maps, pool_size, stride=1)
    return grad_out


# ---------------------------------------------------------------------------
# 4. The network and its training
# ---------------------------------------------------------------------------

class Network:
    """conv 3×3 → ReLU → pooling → dense → softmax, for 8×8 digits, 10 classes.

    Parameters
    ----------
    variant : {'none', 'max', 'avg', 'stride2', 'global', 'antialiased'}
        Default 'max'.
    pool_size : int, default 2
        Pool size (and stride) of the pooling; the stride of the 'stride2'
        convolution.
    filters : int, default 8
        Number of 3×3 filters, so of feature maps.
    seed : int, default 0
        The random starting weights depend on it only.

    Attributes
    ----------
    params : dict of ndarray
        ``kernels`` (3, 3, F), ``conv_bias`` (F,), ``weights`` (D, 10),
        ``bias`` (10,), where D is the number of pooled values the dense
        layer sees.
    """

    def __init__(self, variant="max", pool_size=2, filters=8, seed=0,
                 image_size=8):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}; got "
                             f"{variant!r}")
        self.variant = variant
        self.pool_size = _check_int(pool_size, "pool_size", 1, image_size)
        self.filters = _check_int(filters, "filters", 1, 256)
        self.stride = self.pool_size if variant == "stride2" else 1
        # the dense layer's input size: pool a map of zeros and count
        maps = np.zeros((1, image_size, image_size, self.filters))
        maps = maps[:, ::self.stride, ::self.stride]
        inputs = pool_forward(variant, maps, self.pool_size).size
        seed = _check_int(seed, "seed", 0, 2**32 - 1)
        rng = np.random.default_rng(seed)
        # He initialisation: variance 2 / fan-in keeps the signal's size
        # through ReLU layers
        self.params = {
            "kernels": rng.normal(0, np.sqrt(2 / 9), (3, 3, self.filters)),
            "conv_bias": np.zeros(self.filters),
            "weights": rng.normal(0, np.sqrt(2 / inputs), (inputs, 10)),
            "bias": np.zeros(10),
        }

    @property
    def parameter_count(self):
        """Number of trained numbers: kernels, biases and dense weights."""
        return sum(p.size for p in self.params.values())

    def feature_maps(self, images):
        """Feature maps before and after pooling:
        ((N, H, W, F), (N, H', W', F))."""
        p = self.params
        conv = conv2d(images, p["kernels"], p["conv_bias"], self.stride)
        maps = relu(conv)
        return maps, pool_forward(self.variant, maps, self.pool_size)

    def forward(self, images):
        """Scores (N, 10) for images (N, 8, 8), and a cache for backward.

        The cache holds the arrays the backward pass needs: the images, the
        maps before and after ReLU and pooling, the flattened pooled maps.
        """
        p = self.params
        conv = conv2d(images, p["kernels"], p["conv_bias"], self.stride)
        maps = relu(conv)
        pooled = pool_forward(self.variant, maps, self.pool_size)
        flat = pooled.reshape(len(images), -1)
        logits = dense(flat, p["weights"], p["bias"])
        return logits, (images, conv, maps, pooled, flat)

    def backward(self, grad_logits, cache):
        """The loss's gradient for every parameter, from the scores'.

        ``grad_logits`` (N, 10) is the gradient of the loss with respect to
        the scores; ``cache`` is what ``forward`` returned with them.
        """
        images, conv, maps, pooled, flat = cache
        p = self.params
        grad_flat, grad_weights, grad_bias = dense_backward(
            grad_logits, flat, p["weights"])
        grad_pooled = grad_flat.reshape(pooled.shape)
        grad_maps = pool_backward(self.variant, grad_pooled, maps,
                                  self.pool_size)
        grad_conv = relu_backward(grad_maps, conv)
        _, grad_kernels, grad_conv_bias = conv2d_backward(
            grad_conv, images, p["kernels"], self.stride, image_grad=False)
        return {"kernels": grad_kernels, "conv_bias": grad_conv_bias,
                "weights": grad_weights, "bias": grad_bias}

    def probabilities(self, images):
        """Probability of each digit, shape (N, 10)."""
        return softmax(self.forward(_check_digits(images))[0])

    def predict(self, images):
        """The most probable digit for each image, shape (N,)."""
        return self.forward(_check_digits(images))[0].argmax(axis=1)


def train(variant="max", seed=0, epochs=20, pool_size=2, filters=8,
          batch_size=32, learning_rate=0.1, momentum=0.9, images=None,
          labels=None):
    """Train a ``Network`` with mini-batch gradient descent (with momentum).

    Parameters
    ----------
    variant, pool_size, filters, seed
        As for ``Network``. The seed also fixes the order of the
        mini-batches, so the same seed gives the same network.
    epochs : int, default 20
        Passes over the training digits.
    batch_size : int, default 32
    learning_rate : float, default 0.1
        How far each step goes along the gradient.
    momentum : float, default 0.9
        Each step keeps this share of the previous one: steadier and faster
        than plain steps.
    images, labels : ndarray, optional
        Training digits (N, 8, 8) and labels (N,); by default the training
        part of ``split_digits``.

    Returns
    -------
    network : Network
    history : dict
        ``loss`` (of each epoch: the mean over its mini-batches, each
        computed before its step, as ``train_epoch`` returns it),
        ``train_accuracy`` (of each epoch, on the mini-batches as they were
        seen) and ``seconds`` (the training time).
    """
    if images is None or labels is None:
        images, labels, _, _ = split_digits(*load_digits())
    images = _check_digits(images)
    labels = np.asarray(labels)
    if (labels.shape != images.shape[:1]
            or not np.issubdtype(labels.dtype, np.integer)):
        raise ValueError(f"labels must be {len(images)} integers 0–9, one "
                         f"per image; got {labels.dtype} array of shape "
                         f"{labels.shape}")
    epochs = _check_int(epochs, "epochs", 1, 1000)
    batch_size = _check_int(batch_size, "batch_size", 1, len(images))
    learning_rate = _check_float(learning_rate, "learning_rate", 0, 10)
    momentum = _check_float(momentum, "momentum", 0, 0.999)

    started = time.perf_counter()
    network = Network(variant, pool_size, filters, seed, images.shape[1])
    rng = np.random.default_rng(seed)
    velocity = {name: np.zeros_like(p)
                for name, p in network.params.items()}
    history = {"loss": [], "train_accuracy": []}
    for _ in range(epochs):
        loss, correct = train_epoch(network, velocity, images, labels, rng,
                                    batch_size, learning_rate, momentum)
        history["loss"].append(loss)
        history["train_accuracy"].append(correct / len(images))
    history["seconds"] = time.perf_counter() - started
    return network, history


def train_epoch(network, velocity, images, labels, rng, batch_size=32,
                learning_rate=0.1, momentum=0.9):
    """One epoch, a step per mini-batch: returns (mean loss, number right).

    Parameters
    ----------
    network : Network
        Its ``params`` are changed in place.
    velocity : dict of ndarray
        The last step of each parameter, as ``network.params``; changed in
        place (zeros before the first epoch).
    images, labels : ndarray, shapes (N, 8, 8) and (N,)
    rng : numpy.random.Generator
        Shuffles the digits before they are cut into mini-batches.
    batch_size, learning_rate, momentum
        As for ``train``.

    Returns
    -------
    loss : float
        The mean loss over the epoch's mini-batches, each as it was computed
        before its step, weighted by its size (the last may be smaller).
    correct : int
        How many digits were read right, each in its mini-batch before the
        step.
    """
    order = rng.permutation(len(images))
    total_loss, correct = 0.0, 0
    for start in range(0, len(images), batch_size):
        batch = order[start:start + batch_size]
        logits, cache = network.forward(images[batch])
        loss, grad_logits = softmax_cross_entropy(logits, labels[batch])
        grads = network.backward(grad_logits, cache)
        for name, grad in grads.items():
            # each step keeps a share (momentum) of the last one
            velocity[name] = (momentum * velocity[name]
                              - learning_rate * grad)
            network.params[name] += velocity[name]
        total_loss += loss * len(batch)
        correct += int(np.sum(logits.argmax(axis=1) == labels[batch]))
    return total_loss / len(images), correct


def mean_loss(network, images, labels):
    """The network's mean cross-entropy loss on ``images`` (N, 8, 8) with
    ``labels`` (N,), as it is now."""
    logits, _ = network.forward(_check_digits(images))
    return softmax_cross_entropy(logits, np.asarray(labels))[0]


def accuracy(network, images, labels):
    """Share of ``images`` (N, 8, 8) whose predicted digit is the label."""
    return float(np.mean(network.predict(images) == np.asarray(labels)))


def dead_filters(network, images):
    """Which filters are dead: their feature map is 0 on every image.

    A dead filter's convolution is negative (or 0) at every pixel of every
    image, so ReLU lets no gradient through to its weights: training can
    never bring it back.

    Parameters
    ----------
    network : Network
    images : array_like, shape (N, 8, 8)

    Returns
    -------
    ndarray of bool, shape (F,)
    """
    maps, _ = network.feature_maps(_check_digits(images))
    return ~np.any(maps > 0, axis=(0, 1, 2))


#: The one-pixel shifts of the robustness test, as (dx, dy): right, left,
#: down, up.
SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def shifted_accuracy(network, images, labels, shifts=SHIFTS):
    """Accuracy on the images moved by one pixel, averaged over ``shifts``
    ((dx, dy) pairs)."""
    return float(np.mean([accuracy(network, shift_images(images, dx, dy),
                                   labels)
                          for dx, dy in shifts]))


def compare(variants=VARIANTS, seed=0, epochs=20, pool_size=2):
    """Train each variant from the same seed on the training digits and
    score it on the held-out ones, as they are and shifted by one pixel.

    Returns
    -------
    rows : list of dict
        One per variant: ``variant``, ``accuracy``, ``shifted`` (mean over
        ``SHIFTS``), ``parameters``, ``seconds`` and the trained ``network``.
    """
    train_images, train_labels, test_images, test_labels = split_digits(
        *load_digits())
    rows = []
    for variant in variants:
        network, history = train(variant, seed, epochs, pool_size,
                                 images=train_images, labels=train_labels)
        rows.append({
            "variant": variant, "network": network,
            "accuracy": accuracy(network, test_images, test_labels),
            "shifted": shifted_accuracy(network, test_images, test_labels),
            "parameters": network.parameter_count,
            "seconds": history["seconds"]})
    return rows


def format_table(rows):
    """The comparison as a plain-text table, one line per variant."""
    lines = [f"{'variant':<18}{'accuracy':>9}{'moved 1 px':>12}"
             f"{'parameters':>12}{'time (s)':>10}"]
    for row in rows:
        lines.append(f"{VARIANT_NAMES[row['variant']]:<18}"
                     f"{row['accuracy']:>9.1%}{row['shifted']:>12.1%}"
                     f"{row['parameters']:>12,}{row['seconds']:>10.1f}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# 5. Drawing and widgets
# ---------------------------------------------------------------------------
# Figures for the notebook come from pyplot, so that they show as a cell's
# result; figures inside a widget are drawn off pyplot and sent as PNG bytes
# to an ipywidgets.Image, which redraws in place (an Output widget stalls
# nbclient on figures, see GUIDE.md). Panels that are compared share one
# value scale with a colour bar, no text is smaller than 11 points, and no
# figure is wider than 8.4 inches nor taller than 6.2: at 100 dpi that is
# 840 × 620 pixels, what a notebook column shows unshrunk on a 1024×768
# projector (about 844 pixels wide, 647 tall).

#: Hand-made 3×3 filters: each responds to one kind of stroke (a
#: correlation, so "left edge" means dark on the left, bright on the right).
HAND_FILTERS = {
    "left edge": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float),
    "top edge": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype=float),
    "diagonal ╲": np.array([[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
                           dtype=float) / 2,
    "dot": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
                    dtype=float) / 4,
}
#: How the widgets name the pooling variants they offer.
WIDGET_POOLINGS = (("none", "none"), ("max", "max"), ("average", "avg"),
                   ("anti-aliased", "antialiased"))
#: Figure sizes in inches (at 100 dpi): at most 8.4 wide and 6.2 tall.
FEATURE_MAP_SIZE = (8.2, 3.1)
NETWORK_SIZE = (8.2, 4.4)  # the explorer's controls fit above it on screen
COMPARISON_SIZE = (8.2, 4.4)


def pool_image(variant, image, pool_size=2):
    """``pool_forward`` for one 2-D image (H, W): a cat, one feature map."""
    image = np.asarray(image, dtype=float)
    if image.ndim != 2:
        raise ValueError(f"image must have shape (H, W); got shape "
                         f"{image.shape}")
    return pool_forward(variant, image[None, :, :, None],
                        pool_size)[0, :, :, 0]


def _label_lines(name):
    """A pooling's name on two lines, for a row label: 'average pool 2/2'
    → ['average', 'pool 2/2']."""
    return name.split(" ", 1)


def _figure(size, for_widget):
    if for_widget:
        from matplotlib.figure import Figure

        return Figure(figsize=size, dpi=100, layout="constrained")
    import matplotlib.pyplot as plt

    return plt.figure(figsize=size, layout="constrained")


def _show_map(ax, values, size, vmax, title, cmap="viridis"):
    """A map drawn over the input's pixel area, so that a pooled map covers
    what it summarises."""
    image = ax.imshow(values, cmap=cmap, vmin=0, vmax=vmax,
                      extent=(-0.5, size - 0.5, size - 0.5, -0.5))
    if title:
        ax.set_title(title, fontsize=12)
    ax.set_xticks(range(0, size, 2))
    ax.set_yticks(range(0, size, 2))
    ax.tick_params(labelsize=11)
    return image


def plot_feature_maps(digit, kernel, pool_size=2, mode="max", name="filter",
                      fig=None):
    """A digit, a 3×3 filter, its feature map after ReLU, and that map
    pooled.

    Parameters
    ----------
    digit : array_like, shape (8, 8)
        Values 0–1.
    kernel : array_like, shape (3, 3)
    pool_size : int, default 2
    mode : {'max', 'avg'}, default 'max'
    name : str
        The filter's name, for the titles.
    fig : matplotlib Figure, optional
        Drawn into (cleared first); by default a new pyplot figure.

    Returns
    -------
    matplotlib Figure
    """
    digit = _check_digits(digit)[0]
    kernel = np.asarray(kernel, dtype=float)
    if kernel.shape != (3, 3):
        raise ValueError(f"kernel must have shape (3, 3); got shape "
                         f"{kernel.shape}")
    fig = _figure(FEATURE_MAP_SIZE, False) if fig is None else fig
    fig.clear()
    # the filter's panel as wide as the others: "-0.25" fits its cell
    axes = fig.subplots(1, 4, width_ratios=[1, 1, 1, 1])
    size = digit.shape[0]
    maps = relu(conv2d(digit[None], kernel[:, :, None], np.zeros(1)))
    maps = maps[0, :, :, 0]
    pooled = ph.pool2d(maps, pool_size, mode=mode)
    _show_map(axes[0], digit, size, 1, f"digit {size}×{size}", cmap="gray")
    limit = np.abs(kernel).max()
    weights = axes[1].imshow(kernel, cmap="PuOr", vmin=-limit, vmax=limit)
    for (row, col), value in np.ndenumerate(kernel):
        # white on the dark ends of the colour map, black in the middle
        colour = "white" if abs(value) > limit / 2 else "black"
        axes[1].text(col, row, f"{value:g}", ha="center", va="center",
                     fontsize=11, color=colour)
    axes[1].set_title(name, fontsize=12)
    axes[1].set_xticks([])
    axes[1].set_yticks([])
    axes[1].set_axis_off()
    # the filter's own key, under it: its purple is a weight of +1, not a 0
    # on the maps' viridis bar
    key = fig.colorbar(weights, ax=axes[1], orientation="horizontal",
                       shrink=0.9, ticks=[-limit, 0, limit])
    key.set_label("filter weight", fontsize=11)
    key.ax.tick_params(labelsize=11)
    # shared: pooling never exceeds the map's maximum
    vmax = max(maps.max(), 1e-9)
    _show_map(axes[2], maps, size, vmax, f"conv + ReLU\n{size}×{size}")
    kind = "max" if mode == "max" else "average"
    image = _show_map(axes[3], pooled, size, vmax,
                      f"{kind} pool {pool_size}/{pool_size}\n"
                      f"→ {pooled.shape[0]}×{pooled.shape[1]}")
    colorbar = fig.colorbar(image, ax=axes[2:], shrink=0.85)
    colorbar.ax.tick_params(labelsize=11)
    return fig


def plot_network(network, digit, label=None, fig=None, title="the digit"):
    """What a trained network does with one digit: every feature map before
    and after its pooling, and the probability of each answer.

    The digit and the answers are on top; below, one column per filter (at
    most 8), its map after ReLU and after pooling, all on one colour scale
    with a colour bar. A map that is 0 everywhere on this digit says so.

    Parameters
    ----------
    network : Network
    digit : array_like, shape (8, 8)
    label : int, optional
        The right answer, named in the title; a wrong answer's bar is then
        vermilion, and the right label is marked in green.
    fig : matplotlib Figure, optional
        Drawn into (cleared first); by default a new pyplot figure.
    title : str, optional
        The digit panel's title (the explorer says how far it moved it).

    Returns
    -------
    matplotlib Figure
    """
    digit = _check_digits(digit)[0]
    maps, pooled = network.feature_maps(digit[None])
    maps, pooled = maps[0], pooled[0]
    probabilities = network.probabilities(digit[None])[0]
    shown = min(network.filters, 8)
    fig = _figure(NETWORK_SIZE, False) if fig is None else fig
    fig.clear()
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.2, 1])
    left, right = top.subplots(1, 2, width_ratios=[1, 1.6])
    size = digit.shape[0]
    _show_map(left, digit, size, 1, title, cmap="gray")
    answer = int(probabilities.argmax())
    wrong = label is not None and answer != int(label)
    # green for a right answer, vermilion for a wrong one (told apart by
    # colour-blind eyes too); the right label is marked whatever its bar
    colours = ["#9e9e9e"] * 10
    colours[answer] = "#D55E00" if wrong else "#1a7f37"
    right.barh(range(10), probabilities, color=colours)
    right.set_yticks(range(10))
    if wrong:
        right.get_yticklabels()[int(label)].set(color="#1a7f37",
                                                fontweight="bold")
        right.text(probabilities[int(label)] + 0.02, int(label),
                   "← the right answer", va="center", fontsize=11,
                   color="#1a7f37")
    right.set_ylabel("digit", fontsize=12)
    right.set_xlim(0, 1)
    right.invert_yaxis()
    right.tick_params(labelsize=11)
    verdict = ""
    if label is not None:
        verdict = " ✓" if answer == int(label) else f" ✗ (is {int(label)})"
    right.set_title(f"answer: {answer} ({probabilities[answer]:.0%})"
                    f"{verdict}", fontsize=12)
    right.set_xlabel("probability", fontsize=12)

    axes = bottom.subplots(2, shown, squeeze=False)
    vmax = max(maps.max(), 1e-9)  # one scale for all maps, before and after
    rows, cols = pooled.shape[:2]
    name = VARIANT_NAMES[network.variant]
    after = (f"{name} {network.pool_size}/{network.pool_size}"
             if network.variant in ("max", "avg") else name)
    for f in range(shown):
        for row, values in [(0, maps[..., f]), (1, pooled[..., f])]:
            ax = axes[row, f]
            image = _show_map(ax, values, maps.shape[0], vmax,
                              f"filter {f + 1}" if row == 0 else None)
            ax.set_xticks([])
            ax.set_yticks([])
            if not values.any():
                ax.text(0.5, 0.5, "all 0", transform=ax.transAxes,
                        ha="center", va="center", fontsize=11,
                        color="white")
    # row labels written across, a word per line: turned upright, a long
    # name ("anti-aliased max") is taller than its row and gets clipped
    for ax, words in [(axes[0, 0], ["conv +", "ReLU",
                                    f"{maps.shape[0]}×{maps.shape[1]}"]),
                      (axes[1, 0], [*_label_lines(after),
                                    f"→ {rows}×{cols}"])]:
        ax.set_ylabel("\n".join(words), fontsize=11, rotation=0,
                      ha="right", va="center")
    colorbar = bottom.colorbar(image, ax=axes, shrink=0.9)
    colorbar.set_label("value (one scale for all)", fontsize=11)
    colorbar.ax.tick_params(labelsize=11)
    return fig


def feature_map_explorer(images, filters=None):
    """A widget: pick a digit and a filter, see its feature map before and
    after max pooling.

    Parameters
    ----------
    images : array_like, shape (N, 8, 8)
    filters : dict of str to (3, 3) array, optional
        By default ``HAND_FILTERS``.

    Returns
    -------
    FeatureMapExplorer (an ipywidgets VBox); ``digit``, ``filter`` and
    ``pool`` are its controls.
    """
    filters = HAND_FILTERS if filters is None else dict(filters)
    return _explorers().FeatureMapExplorer(_check_digits(images), filters)


def network_explorer(networks, images, labels):
    """A widget: pick the pooling, the pool size, a digit and a shift; see
    the trained network's feature maps before and after pooling, and its
    answer.

    Parameters
    ----------
    networks : dict of (variant, pool_size) to Network
        The trained networks to choose from; 'none' under any pool size.
        The widget offers the variants of ``WIDGET_POOLINGS``, so at least
        one network must be 'none', 'max', 'avg' or 'antialiased'.
    images : array_like, shape (N, 8, 8)
    labels : array_like of int, shape (N,)

    Returns
    -------
    NetworkExplorer (an ipywidgets VBox); ``digit``, ``pooling``,
    ``pool_size`` and ``shift`` are its controls, ``prediction`` its last
    answer (None when no network is trained for the controls' choice).
    """
    images = _check_digits(images)
    labels = np.asarray(labels)
    if labels.shape != images.shape[:1]:
        raise ValueError(f"labels must be one per image, shape "
                         f"({len(images)},); got shape {labels.shape}")
    networks = dict(networks) if isinstance(networks, dict) else {}
    if not networks or not all(
            isinstance(key, tuple) and len(key) == 2
            and isinstance(network, Network)
            for key, network in networks.items()):
        raise ValueError("networks must be a dict mapping (variant, "
                         "pool_size) pairs to trained Networks")
    offered = [variant for _, variant in WIDGET_POOLINGS]
    if not any(variant in offered for variant, _ in networks):
        raise ValueError(f"networks must hold at least one network whose "
                         f"variant is one of {offered}; got the pairs "
                         f"{sorted(networks)}")
    return _explorers().NetworkExplorer(networks, images, labels)


def _explorers():
    """The widget classes, defined on first use so that importing this
    module needs no ipywidgets."""
    global _EXPLORERS
    if _EXPLORERS is None:
        import types

        import ipywidgets as widgets

        from pooling_display import figure_png

        class FeatureMapExplorer(widgets.VBox):
            """Digit and filter → feature map → pooled (see
            ``feature_map_explorer``)."""

            def __init__(self, images, filters):
                super().__init__()
                self.images, self.filters = images, filters
                self.digit = widgets.IntSlider(0, 0, len(images) - 1,
                                               description="digit")
                self.filter = widgets.Dropdown(options=list(filters),
                                               description="filter")
                self.pool = widgets.ToggleButtons(
                    options=[("max", "max"), ("average", "avg")],
                    description="pooling")
                self.fig = _figure(FEATURE_MAP_SIZE, True)
                self.picture = widgets.Image(format="png")
                for control in (self.digit, self.filter, self.pool):
                    control.observe(lambda change: self.update(),
                                    names="value")
                self.children = [widgets.HBox([self.digit, self.filter]),
                                 self.pool, self.picture]
                self.update()

            def update(self):
                """Redraw from the controls."""
                plot_feature_maps(self.images[self.digit.value],
                                  self.filters[self.filter.value], 2,
                                  self.pool.value, self.filter.value,
                                  fig=self.fig)
                self.picture.value = figure_png(self.fig)

        class NetworkExplorer(widgets.VBox):
            """Pooling, pool size, digit, shift → maps and answer (see
            ``network_explorer``)."""

            def __init__(self, networks, images, labels):
                super().__init__()
                self.networks, self.images = networks, images
                self.labels = labels
                offered = [(name, v) for name, v in WIDGET_POOLINGS
                           if any(key[0] == v for key in networks)]
                values = [v for _, v in offered]
                sizes = sorted({size for v, size in networks
                                if v != "none"}) or [2]
                self.pooling = widgets.ToggleButtons(
                    options=offered, description="pooling",
                    value="max" if "max" in values else values[0])
                self.pool_size = widgets.ToggleButtons(
                    options=sizes, description="pool size")
                self.digit = widgets.IntSlider(0, 0, len(images) - 1,
                                               description="digit")
                self.shift = widgets.IntSlider(0, -2, 2,
                                               description="shift right")
                self.caption = widgets.HTML()
                self.fig = _figure(NETWORK_SIZE, True)
                self.picture = widgets.Image(format="png")
                self.prediction = None
                for control in (self.pooling, self.pool_size, self.digit,
                                self.shift):
                    control.observe(lambda change: self.update(),
                                    names="value")
                self.children = [self.pooling, self.pool_size,
                                 widgets.HBox([self.digit, self.shift]),
                                 self.caption, self.picture]
                self.update()

            def network(self):
                """The trained network the controls select, or None."""
                variant = self.pooling.value
                if variant == "none":
                    return next(n for (v, _), n in self.networks.items()
                                if v == "none")
                return self.networks.get((variant, self.pool_size.value))

            def update(self):
                """Redraw from the controls."""
                network = self.network()
                self.pool_size.disabled = self.pooling.value == "none"
                if network is None:
                    # no stale picture under a caption that denies it
                    self.prediction = None
                    self.picture.value = b""
                    self.caption.value = (
                        f"No {self.pooling.value} network trained with "
                        f"pool size {self.pool_size.value}.")
                    return
                digit = shift_images(self.images[self.digit.value],
                                     self.shift.value, 0)
                self.prediction = int(network.predict(digit)[0])
                moved = self.shift.value
                title = "the digit" if moved == 0 else (
                    f"the digit, moved {abs(moved)} px "
                    f"{'right' if moved > 0 else 'left'}")
                plot_network(network, digit, self.labels[self.digit.value],
                             fig=self.fig, title=title)
                self.picture.value = figure_png(self.fig)
                inputs = network.params["weights"].shape[0]
                if network.variant == "none":
                    seen = f"all {inputs} values (nothing is pooled)"
                elif network.variant == "stride2":
                    seen = (f"{inputs} values (nothing is pooled: the "
                            "convolution skips positions)")
                else:
                    seen = f"{inputs} pooled values"
                self.caption.value = (
                    f"{network.parameter_count:,} parameters; the dense "
                    f"layer sees {seen}.")

        _EXPLORERS = types.SimpleNamespace(
            FeatureMapExplorer=FeatureMapExplorer,
            NetworkExplorer=NetworkExplorer)
    return _EXPLORERS


_EXPLORERS = None


def plot_comparison(rows, fig=None):
    """The comparison of ``compare`` as a chart: held-out accuracy (as they
    are and moved by one pixel) in percent, number of parameters, training
    time.

    Returns
    -------
    matplotlib Figure
    """
    from matplotlib.ticker import PercentFormatter

    fig = _figure(COMPARISON_SIZE, False) if fig is None else fig
    axes = fig.subplots(1, 3, width_ratios=[2.2, 1, 1], sharey=True)
    names = [VARIANT_NAMES[row["variant"]] for row in rows]
    where = np.arange(len(rows))
    for offset, key, colour, label in [
            (-0.2, "accuracy", "#3b528b", "as they are"),
            (0.2, "shifted", "#5ec962",
             "moved by 1 pixel (mean of 4 directions)")]:
        values = [100 * row[key] for row in rows]
        axes[0].barh(where + offset, values, height=0.4, color=colour,
                     label=label)
        for y, value in zip(where + offset, values):
            axes[0].text(value + 1, y, f"{value:.1f}%", va="center",
                         fontsize=11)
    axes[0].set_xlim(0, 128)
    axes[0].set_xticks([0, 50, 100])
    axes[0].xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    axes[0].set_title("held-out accuracy", fontsize=12)
    fig.legend(*axes[0].get_legend_handles_labels(), fontsize=11,
               loc="outside lower center", ncol=2)
    for ax, key, title, fmt in [
            (axes[1], "parameters", "parameters", "{:,}"),
            (axes[2], "seconds", "training time (s)", "{:.1f}")]:
        values = [row[key] for row in rows]
        ax.barh(where, values, color="#9e9e9e")
        for y, value in zip(where, values):
            ax.text(value, y, " " + fmt.format(value), va="center",
                    fontsize=11)
        ax.set_xlim(0, max(values) * 1.7)
        ax.set_xticks([])
        ax.set_title(title, fontsize=12)
    axes[0].set_yticks(where, names)
    axes[0].invert_yaxis()
    for ax in axes:
        ax.tick_params(labelsize=11)
    return fig


# ---------------------------------------------------------------------------
# Appendix: checking arguments
# ---------------------------------------------------------------------------

def _check_int(value, name, low, high):
    if (isinstance(value, (bool, np.bool_))
            or not isinstance(value, (int, np.integer))):
        raise TypeError(f"{name} must be a whole number from {low} to "
                        f"{high}; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to "
                         f"{high}; got {value!r}")
    return int(value)


def _check_float(value, name, low, high):
    if (isinstance(value, (bool, np.bool_))
            or not isinstance(value, (int, float, np.number))):
        raise TypeError(f"{name} must be a number from {low} to {high}; "
                        f"got {value!r}")
    if not low <= value <= high:  # NaN fails this too
        raise ValueError(f"{name} must be a number from {low} to {high}; "
                         f"got {value!r}")
    return float(value)


def _check_digits(images):
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    if (images.ndim != 3 or images.shape[0] == 0
            or not np.issubdtype(images.dtype, np.number)):
        raise ValueError(f"images must be numbers of shape (N, H, W) or "
                         f"(H, W); got {images.dtype} array of shape "
                         f"{images.shape}")
    return images.astype(np.float64, copy=False)
