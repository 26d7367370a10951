"""Pooling inside a network: a small convolutional network trained on handwritten digits.

The capstone of the pooling course (notebook 08). The network is built from the course's own
pieces, and its pooling layer *is* ``pooling_helpers.pool2d``, with its gradient from
``pooling_helpers.pool2d_backward``. The module reads in the order the notebook teaches:

1. The data: ``load_digits``, ``split_digits``, ``shift_images``.
2. The layers: ``conv2d`` and ``conv2d_backward``, ``relu``, ``dense`` and ``dense_backward``,
   ``softmax_cross_entropy``.
3. The pooling variants: ``pool_forward`` and ``pool_backward`` (none, max, average, anti-aliased
   max, global average; a stride-2 convolution in place of pooling), with ``blur``.
4. The network and its training: ``Network``, ``train``, ``accuracy``, ``compare``.
5. Drawing and widgets: ``plot_feature_maps``, ``feature_map_explorer``, ``plot_network``,
   ``network_explorer`` (Matplotlib and ipywidgets are imported only there).

Images and feature maps are held channels last, as in the rest of the course: a batch of digits
is ``(N, 8, 8)``, a batch of feature maps ``(N, H, W, F)`` with one channel per filter.
"""

from __future__ import annotations

import io
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import pooling_helpers as ph

#: The digits: 1,797 images of 8×8 pixels (values 0–16) and their labels (see data/README.md).
DIGITS_PATH = ph.DATA_DIR / "digits.npz"
#: The network trains on TRAIN_COUNT digits and is scored on the rest.
TRAIN_COUNT = 1200
#: The seed of the one shuffle that splits the digits.
SPLIT_SEED = 0
#: The pooling variants ``train`` knows, in the order the notebook compares them.
VARIANTS = ("none", "max", "avg", "stride2", "global", "antialiased")
#: How the notebook names them.
VARIANT_NAMES = {"none": "no pooling", "max": "max pool", "avg": "average pool",
                 "stride2": "stride-2 conv", "global": "global average",
                 "antialiased": "anti-aliased max"}


# ------------------------------------------------------------------------------------------------
# 1. The data
# ------------------------------------------------------------------------------------------------

def load_digits(path=None):
    """The handwritten digits, scaled to 0–1.

    Parameters
    ----------
    path : str or Path, optional
        An ``.npz`` file with ``images`` and ``labels``; by default the course's
        ``data/digits.npz``.

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
    """Shuffle the digits once, then keep ``train_count`` to train on and the rest to test on.

    The stored order is not random (the last few hundred digits are harder than the rest), so the
    digits are shuffled before the split; a fixed ``seed`` gives the same split everywhere.

    Parameters
    ----------
    images : ndarray, shape (N, H, W)
    labels : ndarray, shape (N,)
    train_count : int, default TRAIN_COUNT (1200)
    seed : int, default SPLIT_SEED (0)

    Returns
    -------
    (train_images, train_labels, test_images, test_labels)
        Shapes (train_count, H, W), (train_count,), (N - train_count, H, W), (N - train_count,).
    """
    if len(images) != len(labels):
        raise ValueError(f"images and labels must be as many; got {len(images)} images and "
                         f"{len(labels)} labels")
    train_count = _check_int(train_count, "train_count", 1, len(images) - 1)
    order = np.random.default_rng(_check_int(seed, "seed", 0, 2**32 - 1)).permutation(len(images))
    train, test = order[:train_count], order[train_count:]
    return images[train], labels[train], images[test], labels[test]


def shift_images(images, dx=1, dy=0):
    """Move images ``dx`` pixels right and ``dy`` pixels down, filling with 0 (no wrap-around).

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
        raise ValueError(f"images must have shape (H, W) or (N, H, W); got shape {images.shape}")
    height, width = images.shape[-2:]
    dx = _check_int(dx, "dx", -width + 1, width - 1)
    dy = _check_int(dy, "dy", -height + 1, height - 1)
    shifted = np.zeros_like(images)
    # the part of the image that stays in the frame, and where it lands
    source = (..., slice(max(-dy, 0), height - max(dy, 0)), slice(max(-dx, 0), width - max(dx, 0)))
    target = (..., slice(max(dy, 0), height - max(-dy, 0)), slice(max(dx, 0), width - max(-dx, 0)))
    shifted[target] = images[source]
    return shifted


# ------------------------------------------------------------------------------------------------
# 2. The layers
# ------------------------------------------------------------------------------------------------
# Each layer is a forward function and a backward function. The backward function takes the
# gradient of the loss with respect to the layer's output and returns it with respect to the
# layer's inputs and parameters: the chain rule, one layer at a time.

def conv2d(images, kernels, bias, stride=1):
    """3×3 convolution (a correlation, as in every framework) with zero padding of 1.

    Parameters
    ----------
    images : ndarray, shape (N, H, W)
    kernels : ndarray, shape (3, 3, F)
        One 3×3 filter per output channel.
    bias : ndarray, shape (F,)
    stride : int, default 1
        Keep every ``stride``-th output along each axis.

    Returns
    -------
    ndarray, shape (N, ceil(H / stride), ceil(W / stride), F)
    """
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    # windows[n, i, j] is the 3×3 patch centred on pixel (i, j): a view, nothing copied
    windows = sliding_window_view(padded, (3, 3), axis=(1, 2))[:, ::stride, ::stride]
    return np.einsum("nijkl,klf->nijf", windows, kernels) + bias


def conv2d_backward(grad_out, images, kernels, stride=1):
    """Gradients of ``conv2d`` with respect to its inputs, kernels and bias.

    Parameters
    ----------
    grad_out : ndarray, shape of ``conv2d(images, kernels, bias, stride)``
    images, kernels, stride
        As for ``conv2d``.

    Returns
    -------
    grad_images : ndarray, shape (N, H, W)
    grad_kernels : ndarray, shape (3, 3, F)
    grad_bias : ndarray, shape (F,)
    """
    n, height, width = images.shape
    # a strided convolution is the stride-1 one with outputs dropped: put the gradient back on
    # the full grid, with zeros where outputs were dropped
    full = np.zeros((n, height, width, kernels.shape[2]))
    full[:, ::stride, ::stride] = grad_out
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    windows = sliding_window_view(padded, (3, 3), axis=(1, 2))
    grad_kernels = np.einsum("nijkl,nijf->klf", windows, full)
    grad_bias = full.sum(axis=(0, 1, 2))
    # each pixel fed nine outputs, through the kernel turned by 180°
    full_windows = sliding_window_view(np.pad(full, ((0, 0), (1, 1), (1, 1), (0, 0))), (3, 3),
                                       axis=(1, 2))
    grad_images = np.einsum("nijfkl,klf->nij", full_windows, kernels[::-1, ::-1])
    return grad_images, grad_kernels, grad_bias


def relu(x):
    """max(x, 0), element-wise: the feature map keeps only where a filter responds."""
    return np.maximum(x, 0)


def relu_backward(grad_out, x):
    """The gradient passes where the input was positive, and stops elsewhere."""
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
    """Gradients of ``dense``: (grad_x (N, D), grad_weights (D, K), grad_bias (K,))."""
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
    probabilities = softmax(logits)
    rows = np.arange(len(labels))
    loss = -np.mean(np.log(probabilities[rows, labels] + 1e-12))
    grad = probabilities.copy()
    grad[rows, labels] -= 1
    return float(loss), grad / len(labels)


# ------------------------------------------------------------------------------------------------
# 3. The pooling variants
# ------------------------------------------------------------------------------------------------
# Every variant takes the feature maps (N, H, W, F) and gives smaller ones, through the course's
# pool2d; every backward goes through pool2d_backward. "stride2" pools nothing: its convolution
# already keeps one output in four (see Network.forward).

BLUR = np.outer([1, 2, 1], [1, 2, 1]) / 16


def blur(maps):
    """Blur each channel of (N, H, W, F) maps with [1, 2, 1]⊗[1, 2, 1] / 16, zero padded.

    The kernel is symmetric, so this operation is its own transpose: the backward pass of the blur
    is the same blur.
    """
    padded = np.pad(maps, ((0, 0), (1, 1), (1, 1), (0, 0)))
    windows = sliding_window_view(padded, (3, 3), axis=(1, 2))
    return np.einsum("nijfkl,kl->nijf", windows, BLUR)


def pool_forward(variant, maps, pool_size=2):
    """Pool feature maps (N, H, W, F) as ``variant`` says.

    Parameters
    ----------
    variant : {'none', 'max', 'avg', 'stride2', 'global', 'antialiased'}
        'antialiased' is max pooling with stride 1, then a blur, then keeping every
        ``pool_size``-th value (Zhang, ICML 2019). 'none' and 'stride2' return the maps as they
        are.
    maps : ndarray, shape (N, H, W, F)
    pool_size : int, default 2
        Window and stride of 'max' and 'avg'; window and subsampling step of 'antialiased'.

    Returns
    -------
    ndarray, shape (N, H', W', F)
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
    """Gradient of ``pool_forward`` with respect to ``maps``, shape (N, H, W, F)."""
    if variant in ("max", "avg"):
        return ph.pool2d_backward(grad_out, maps, pool_size, pool_size, mode=variant)
    if variant == "global":
        return ph.pool2d_backward(grad_out, maps, maps.shape[1:3], mode="avg")
    if variant == "antialiased":
        n, height, width, channels = maps.shape
        grad_blurred = np.zeros((n, height - pool_size + 1, width - pool_size + 1, channels))
        grad_blurred[:, ::pool_size, ::pool_size] = grad_out
        return ph.pool2d_backward(blur(grad_blurred), maps, pool_size, stride=1)
    return grad_out


# ------------------------------------------------------------------------------------------------
# 4. The network and its training
# ------------------------------------------------------------------------------------------------

class Network:
    """conv 3×3 → ReLU → pooling → dense → softmax, for 8×8 digits and 10 classes.

    Parameters
    ----------
    variant : {'none', 'max', 'avg', 'stride2', 'global', 'antialiased'}, default 'max'
    pool_size : int, default 2
        Pool size (and stride) of the pooling; the stride of the 'stride2' convolution.
    filters : int, default 8
        Number of 3×3 filters, so of feature maps.
    seed : int, default 0
        The random starting weights depend on it only.

    Attributes
    ----------
    params : dict of ndarray
        ``kernels`` (3, 3, F), ``conv_bias`` (F,), ``weights`` (D, 10), ``bias`` (10,), where D is
        the number of pooled values the dense layer sees.
    """

    def __init__(self, variant="max", pool_size=2, filters=8, seed=0, image_size=8):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}")
        self.variant = variant
        self.pool_size = _check_int(pool_size, "pool_size", 1, image_size)
        self.filters = _check_int(filters, "filters", 1, 256)
        self.stride = self.pool_size if variant == "stride2" else 1
        # the dense layer's input size: pool a map of zeros and count
        maps = np.zeros((1, image_size, image_size, self.filters))[:, ::self.stride, ::self.stride]
        inputs = pool_forward(variant, maps, self.pool_size).size
        rng = np.random.default_rng(_check_int(seed, "seed", 0, 2**32 - 1))
        # He initialisation: variance 2 / fan-in keeps the signal's size through ReLU layers
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
        """Feature maps before and after pooling: ((N, H, W, F), (N, H', W', F))."""
        p = self.params
        maps = relu(conv2d(images, p["kernels"], p["conv_bias"], self.stride))
        return maps, pool_forward(self.variant, maps, self.pool_size)

    def forward(self, images):
        """Scores (N, 10) for images (N, 8, 8), and what the backward pass needs."""
        p = self.params
        conv = conv2d(images, p["kernels"], p["conv_bias"], self.stride)
        maps = relu(conv)
        pooled = pool_forward(self.variant, maps, self.pool_size)
        flat = pooled.reshape(len(images), -1)
        logits = dense(flat, p["weights"], p["bias"])
        return logits, (images, conv, maps, pooled, flat)

    def backward(self, grad_logits, cache):
        """Gradient of the loss for every parameter, from the gradient of the scores."""
        images, conv, maps, pooled, flat = cache
        p = self.params
        grad_flat, grad_weights, grad_bias = dense_backward(grad_logits, flat, p["weights"])
        grad_pooled = grad_flat.reshape(pooled.shape)
        grad_maps = pool_backward(self.variant, grad_pooled, maps, self.pool_size)
        grad_conv = relu_backward(grad_maps, conv)
        _, grad_kernels, grad_conv_bias = conv2d_backward(grad_conv, images, p["kernels"],
                                                          self.stride)
        return {"kernels": grad_kernels, "conv_bias": grad_conv_bias,
                "weights": grad_weights, "bias": grad_bias}

    def probabilities(self, images):
        """Probability of each digit, shape (N, 10)."""
        return softmax(self.forward(_check_digits(images))[0])

    def predict(self, images):
        """The most probable digit for each image, shape (N,)."""
        return self.forward(_check_digits(images))[0].argmax(axis=1)


def train(variant="max", seed=0, epochs=20, pool_size=2, filters=8, batch_size=32,
          learning_rate=0.1, momentum=0.9, images=None, labels=None):
    """Train a ``Network`` with mini-batch gradient descent (with momentum).

    Parameters
    ----------
    variant, pool_size, filters, seed
        As for ``Network``. The seed also fixes the order of the mini-batches, so the same seed
        gives the same network.
    epochs : int, default 20
        Passes over the training digits.
    batch_size : int, default 32
    learning_rate : float, default 0.1
    momentum : float, default 0.9
        Each step keeps this share of the previous one: steadier and faster than plain steps.
    images, labels : ndarray, optional
        Training digits (N, 8, 8) and labels (N,); by default the training part of
        ``split_digits``.

    Returns
    -------
    network : Network
    history : dict
        ``loss`` (mean training loss of each epoch), ``train_accuracy`` (of each epoch, on the
        mini-batches as they were seen) and ``seconds`` (the training time).
    """
    if images is None or labels is None:
        images, labels, _, _ = split_digits(*load_digits())
    images = _check_digits(images)
    labels = np.asarray(labels)
    if labels.shape != images.shape[:1] or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be {len(images)} integers 0–9, one per image; got "
                         f"{labels.dtype} array of shape {labels.shape}")
    epochs = _check_int(epochs, "epochs", 1, 1000)
    batch_size = _check_int(batch_size, "batch_size", 1, len(images))
    learning_rate = _check_float(learning_rate, "learning_rate", 0, 10)
    momentum = _check_float(momentum, "momentum", 0, 0.999)

    started = time.perf_counter()
    network = Network(variant, pool_size, filters, seed, image_size=images.shape[1])
    rng = np.random.default_rng(seed)
    velocity = {name: np.zeros_like(p) for name, p in network.params.items()}
    history = {"loss": [], "train_accuracy": []}
    for _ in range(epochs):
        order = rng.permutation(len(images))
        losses, correct = [], 0
        for start in range(0, len(images), batch_size):
            batch = order[start:start + batch_size]
            logits, cache = network.forward(images[batch])
            loss, grad_logits = softmax_cross_entropy(logits, labels[batch])
            grads = network.backward(grad_logits, cache)
            for name, grad in grads.items():
                velocity[name] = momentum * velocity[name] - learning_rate * grad
                network.params[name] += velocity[name]
            losses.append(loss * len(batch))
            correct += int(np.sum(logits.argmax(axis=1) == labels[batch]))
        history["loss"].append(sum(losses) / len(images))
        history["train_accuracy"].append(correct / len(images))
    history["seconds"] = time.perf_counter() - started
    return network, history


def accuracy(network, images, labels):
    """Share of ``images`` (N, 8, 8) whose predicted digit is the label."""
    return float(np.mean(network.predict(images) == np.asarray(labels)))


#: The one-pixel shifts of the robustness test, as (dx, dy): right, left, down, up.
SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def shifted_accuracy(network, images, labels, shifts=SHIFTS):
    """Accuracy on the images moved by one pixel, averaged over ``shifts`` ((dx, dy) pairs)."""
    return float(np.mean([accuracy(network, shift_images(images, dx, dy), labels)
                          for dx, dy in shifts]))


def compare(variants=VARIANTS, seed=0, epochs=20, pool_size=2):
    """Train each variant from the same seed on the training digits and score it on the held-out
    ones, as they are and shifted by one pixel.

    Returns
    -------
    rows : list of dict
        One per variant: ``variant``, ``accuracy``, ``shifted`` (mean over ``SHIFTS``),
        ``parameters``, ``seconds`` and the trained ``network``.
    """
    train_images, train_labels, test_images, test_labels = split_digits(*load_digits())
    rows = []
    for variant in variants:
        network, history = train(variant, seed, epochs, pool_size,
                                 images=train_images, labels=train_labels)
        rows.append({"variant": variant, "network": network,
                     "accuracy": accuracy(network, test_images, test_labels),
                     "shifted": shifted_accuracy(network, test_images, test_labels),
                     "parameters": network.parameter_count, "seconds": history["seconds"]})
    return rows


def format_table(rows):
    """The comparison as a plain-text table, one line per variant."""
    lines = [f"{'variant':<18}{'accuracy':>9}{'shifted 1 px':>14}{'drop':>7}"
             f"{'parameters':>12}{'time (s)':>10}"]
    for row in rows:
        drop = row["accuracy"] - row["shifted"]
        lines.append(f"{VARIANT_NAMES[row['variant']]:<18}{row['accuracy']:>9.3f}"
                     f"{row['shifted']:>14.3f}{drop:>7.3f}{row['parameters']:>12,}"
                     f"{row['seconds']:>10.1f}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# 5. Drawing and widgets
# ------------------------------------------------------------------------------------------------

# ------------------------------------------------------------------------------------------------
# Appendix: checking arguments
# ------------------------------------------------------------------------------------------------

def _check_int(value, name, low, high):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


def _check_float(value, name, low, high):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a number from {low} to {high}; got {value!r}")
    if not low <= value <= high:  # NaN fails this too
        raise ValueError(f"{name} must be a number from {low} to {high}; got {value!r}")
    return float(value)


def _check_digits(images):
    images = np.asarray(images)
    if images.ndim == 2:
        images = images[None]
    if images.ndim != 3 or images.shape[0] == 0 or not np.issubdtype(images.dtype, np.number):
        raise ValueError(f"images must be numbers of shape (N, H, W) or (H, W); got "
                         f"{images.dtype} array of shape {images.shape}")
    return images.astype(np.float64, copy=False)
