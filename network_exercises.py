"""Checkers for the exercises of notebook 08: pooling inside a network.

Each checker takes the learner's answer (a number or a function) and returns
a ``Verdict`` (from ``pooling_exercises``) that says "correct" or what is
wrong, with a hint. Any input gets a verdict, never a traceback: text, None,
NaN, a float for a count, an array, a function that raises, a forgotten
argument. The checks look for the mistakes learners make here: the dense
layer's biases or channels forgotten, the whole network counted instead of
one layer (or one layer instead of the whole network), a pooled size rounded
up when the window does not fit (8 / 3 gives 2 windows, not 3), and a shift
that wraps around (``np.roll``), moves nothing, or is printed instead of
returned.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import math
import numbers
import warnings

import numpy as np

import pooling_network as pn
from pooling_exercises import Verdict

PLACEHOLDER = ("Replace the placeholder with your answer, run that cell, "
               "then run this one.")


class _Reject(Exception):
    """Raised inside a checker: the answer cannot be judged; its message
    says why."""


def _right(message):
    return Verdict(True, message)


def _wrong(message):
    return Verdict(False, message)


def _checker(check):
    """Every input gets a verdict: a wrong call, a rejection, or a gap in
    the checker, is reported kindly."""
    signature = inspect.signature(check)

    @functools.wraps(check)
    def checked(*args, **kwargs):
        try:
            signature.bind(*args, **kwargs)
        except TypeError:
            names = ", ".join(signature.parameters)
            return _wrong(f"Call it with your answer: "
                          f"{check.__name__}({names}).")
        try:
            return check(*args, **kwargs)
        except _Reject as reject:
            return _wrong(str(reject))
        except Exception as error:  # a gap in the checker: still kind
            return _wrong(f"This answer could not be checked "
                          f"({type(error).__name__}). Check that it is the "
                          "kind of value the exercise asks for.")
    return checked


def _clip(text, width=40):
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def _a(noun):
    """The article for a type's name: 'an int', 'an ndarray', 'a float'."""
    return "an" if noun[:1].lower() in "aeio" or noun.startswith("nd") \
        else "a"


def _whole_number(answer):
    """A count, from an int, an integral float or a one-number array;
    everything else refused."""
    if answer is None or answer is Ellipsis:
        raise _Reject(PLACEHOLDER)
    if isinstance(answer, (str, bytes)):
        text = answer.decode(errors="replace") if isinstance(
            answer, bytes) else answer
        if text.strip().replace(",", "").replace("_", "").isdigit():
            raise _Reject(f"Your answer is the text {_clip(text)!r}: write "
                          "the number without quotes.")
        raise _Reject(f"Your answer is the text {_clip(text)!r}; the "
                      "exercise asks for a whole number.")
    if isinstance(answer, (bool, np.bool_)):
        raise _Reject(f"Your answer is {answer}, a truth value; the "
                      "exercise asks for a count.")
    if (isinstance(answer, np.ndarray) and answer.size == 1
            and answer.dtype.kind in "iuf"):
        answer = answer.item()
    if not isinstance(answer, numbers.Real):
        kind = type(answer).__name__
        raise _Reject(f"Your answer is {_a(kind)} {kind}; the exercise asks "
                      "for one whole number, for example 100.")
    if isinstance(answer, numbers.Integral):
        return int(answer)
    value = float(answer)
    if math.isnan(value) or math.isinf(value):
        raise _Reject(f"Your answer is {value}, not a count: a count is a "
                      "whole number.")
    if not value.is_integer():
        raise _Reject(f"Your answer {value:g} has a fractional part; a count "
                      "of parameters is a whole number.")
    return int(value)


# --- Exercise 1: the dense layer after pooling ----------------------------

@_checker
def check_dense_parameters(answer):
    """How many numbers (weights and biases) the dense layer of the
    max-pooling network holds: 8 filters on 8×8 digits, max pool 2/2, 10
    digits out."""
    network = pn.Network("max", pool_size=2, filters=8)
    inputs = network.params["weights"].shape[0]  # 4 × 4 × 8
    expected = network.params["weights"].size + network.params["bias"].size
    count = _whole_number(answer)
    if count == expected:
        return _right(f"{inputs} pooled values (4 × 4 × 8) each meet 10 "
                      f"weights, plus 10 biases: {inputs} × 10 + 10 = "
                      f"{expected:,}.")
    no_pool = 8 * 8 * 8 * 10
    mistakes = {
        inputs * 10: "Those are the weights; each of the 10 outputs also "
                     "has a bias.",
        4 * 4 * 10 + 10: "That counts one feature map: there are 8 of them, "
                         "one per filter, each pooled to 4 × 4.",
        4 * 4 * 10: "That counts one feature map and no biases: there are "
                    "8 maps of 4 × 4, and 10 biases.",
        no_pool + 10: "That is the dense layer without pooling (8 × 8 × 8 "
                      "inputs); max pooling 2/2 halves each side first.",
        no_pool: "That is the dense layer without pooling, and without its "
                 "biases.",
        network.parameter_count: "That is the whole network, convolution "
                                 "included; the question asks about the "
                                 "dense layer only.",
        inputs: f"{inputs} is the number of values the dense layer "
                "receives; each meets 10 weights, one per digit.",
    }
    if count in mistakes:
        return _wrong(mistakes[count])
    return _wrong("Count the pooled values (rows × columns × maps after max "
                  "pooling 2/2 on 8 × 8 maps), multiply by the 10 outputs, "
                  "and add one bias per output.")


# --- Exercise 2: a pool that does not fit the map -------------------------

@_checker
def check_pool3_parameters(answer):
    """How many numbers the whole network holds with max pooling 3/3
    (window 3, stride 3) on its 8 feature maps of 8×8: the convolution's
    8 filters and biases, and the dense layer after pooling."""
    network = pn.Network("max", pool_size=3, filters=8)
    expected = network.parameter_count
    count = _whole_number(answer)
    conv = 8 * 9 + 8

    def dense(side):  # the dense layer after pooled maps of side × side
        return side * side * 8 * 10 + 10

    if count == expected:
        return _right(f"Windows of 3 with stride 3 fit twice along 8 pixels "
                      f"(pixels 0–2 and 3–5; 6 and 7 are never read), so "
                      f"each map pools to 2 × 2: {dense(2):,} numbers in the "
                      f"dense layer, {conv} in the convolution, "
                      f"{expected:,} in all.")
    mistakes = {
        dense(3) + conv: "That pools each map to 3 × 3, as if 8 / 3 rounded "
                         "up. A window needs 3 whole pixels: how many fit "
                         "along 8 with a stride of 3?",
        dense(3): "That pools each map to 3 × 3 (8 / 3 rounded up), and "
                  "leaves out the convolution. How many whole windows of 3 "
                  "fit along 8 pixels?",
        dense(6) + conv: "That is window 3 with stride 1 (6 × 6 maps); here "
                         "the window also moves by 3.",
        dense(2): "That is the dense layer; the question asks for the whole "
                  "network, its 8 filters of 3 × 3 and their 8 biases too.",
        dense(2) - 10: "Those are the dense layer's weights only: add its "
                       "10 biases, and the convolution (8 filters of "
                       "3 × 3, 8 biases).",
        dense(2) + conv - 8: "The convolution's 8 biases are missing: one "
                             "per filter.",
        dense(2) + conv - 10: "The dense layer's 10 biases are missing: one "
                              "per digit.",
        dense(2) + conv - 18: "Every bias is missing: 8 in the convolution, "
                              "10 in the dense layer.",
        2 * 2 * 10 + 10 + conv: "That counts one feature map: each of the 8 "
                                "filters gives a map, pooled to 2 × 2.",
        dense(4) + conv: "That is the network with max pooling 2/2, counted "
                         "in exercise 1; here the window and stride are 3.",
        dense(8) + conv: "That is the network without pooling (8 maps of "
                         "8 × 8 reach the dense layer).",
        dense(4): "1,290 is exercise 1's answer, the dense layer of the "
                  "network with pooling 2/2. Here window and stride are 3, "
                  "and the question asks for the whole network.",
        2 * 2 * 8: "32 is the number of values the dense layer receives "
                   "(2 × 2 × 8); the question asks for the weights and "
                   "biases of both layers.",
    }
    if count in mistakes:
        return _wrong(mistakes[count])
    return _wrong("Work in two steps. Size: along 8 pixels, windows of 3 "
                  "with stride 3 fit (8 − 3) // 3 + 1 times. Count: the "
                  "dense layer has (pooled values) × 10 weights + 10 biases; "
                  "the convolution has 8 filters of 3 × 3 and 8 biases.")


# --- Exercise 3: a shift without wrap-around ------------------------------

@_checker
def check_shift_right(your_shift_right):
    """A learner's ``your_shift_right(images)``: images (N, H, W) moved one
    pixel right, with a column of zeros coming in on the left and the last
    column dropped."""
    if your_shift_right is None or your_shift_right is Ellipsis:
        raise _Reject(PLACEHOLDER)
    if not callable(your_shift_right):
        kind = type(your_shift_right).__name__
        raise _Reject(f"Pass your function itself (its name, without "
                      f"brackets); this is {_a(kind)} {kind}.")
    images = np.arange(1, 2 * 3 * 5 + 1, dtype=float).reshape(2, 3, 5)
    original = images.copy()
    printed = io.StringIO()
    try:
        # what the learner's function prints is read here, not shown
        # beside the verdict
        with contextlib.redirect_stdout(printed), \
                warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            got = your_shift_right(images)
    except Exception as error:  # the learner's code may fail in any way
        return _wrong(f"Your function raised {type(error).__name__}: "
                      f"{_clip(error, 60)}. Try it on a small example to "
                      "see where.")
    if got is None and printed.getvalue().strip():
        lines = len(printed.getvalue().strip().splitlines())
        return _wrong(f"Your function printed {lines} line"
                      f"{'s' if lines != 1 else ''} and returned nothing "
                      "(None): the check reads what it returns. Replace "
                      "print(...) with return ...")
    if got is None:
        return _wrong("Your function returns None: does it end with "
                      "`return`? (A body that is still `...` returns None "
                      "too.)")
    if not np.array_equal(images, original):
        return _wrong("Your function changed the images it was given: make "
                      "a new array (for example np.zeros_like(images)) and "
                      "fill that.")
    try:
        got = np.asarray(got, dtype=float)
    except Exception:
        return _wrong(f"Your function returns {type(got).__name__}, not an "
                      "array of numbers.")
    expected = pn.shift_images(images, 1, 0)
    if got.shape != expected.shape:
        return _wrong(f"On images of shape {images.shape} your function "
                      f"returns shape {got.shape}: a shifted image keeps "
                      "its size (one column comes in, one goes out).")
    if np.array_equal(got, original):
        return _wrong("Your function returns the images unchanged: nothing "
                      "moved. Make an array of zeros of the same shape and "
                      "copy column j − 1 of the input into its column j.")
    if np.array_equal(got, expected):
        return _right("One pixel right, zeros coming in on the left, "
                      "nothing wrapping round.")
    if np.array_equal(got, np.roll(images, 1, axis=2)):
        return _wrong("The last column comes back on the left: np.roll "
                      "wraps around. A real shift brings in empty (0) "
                      "pixels instead.")
    if np.array_equal(got, pn.shift_images(images, -1, 0)):
        return _wrong("Your images move left. Right means column j goes to "
                      "column j + 1.")
    if np.array_equal(got, pn.shift_images(images, 0, 1)) or np.array_equal(
            got, np.roll(images, 1, axis=1)):
        return _wrong("Your images move down: rows are axis 1, columns "
                      "(left–right) axis 2.")
    if np.array_equal(got[:, :, 1:], expected[:, :, 1:]):
        kept = np.array_equal(got[:, :, 0], original[:, :, 0])
        return _wrong("Columns 1 and on are right, but column 0 must be "
                      "zeros" + ("; yours keeps the input's first column (a "
                                 "copy of the images still holds it: start "
                                 "from np.zeros_like(images))." if kept
                                 else "."))
    return _wrong("Not one pixel to the right: column j of the result "
                  "should hold column j − 1 of the input, and column 0 "
                  "zeros.")
