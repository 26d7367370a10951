"""Checkers for the exercises of notebook 08: pooling inside a network.

Each checker takes the learner's answer (a number, a name or a function) and returns a
``Verdict`` (from ``pooling_exercises``) that says "correct" or what is wrong, with a hint. Any
input gets a verdict, never a traceback: text, None, NaN, a float for a count, an array, a
function that raises. The checks look for the mistakes learners make here: the dense layer's
biases or channels forgotten, the whole network counted instead of one layer, the variant that
loses least taken for the one that stays most accurate, and a shift that wraps around
(``np.roll``).
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

import pooling_network as pn
from pooling_exercises import Verdict

PLACEHOLDER = "Replace the placeholder with your answer, run that cell, then run this one."


class _Reject(Exception):
    """Raised inside a checker: the answer cannot be judged; its message says why."""


def _right(message):
    return Verdict(True, message)


def _wrong(message):
    return Verdict(False, message)


def _checker(check):
    """Every input gets a verdict: a rejection, or a gap in the checker, is reported kindly."""
    @functools.wraps(check)
    def checked(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except _Reject as reject:
            return _wrong(str(reject))
        except Exception as error:  # a gap in the checker: still no traceback for the learner
            return _wrong(f"This answer could not be checked ({type(error).__name__}). Check "
                          "that it is the kind of value the exercise asks for.")
    return checked


def _clip(text, width=40):
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def _whole_number(answer):
    """A count, from an int, an integral float or a one-number array; everything else refused."""
    if answer is None or answer is Ellipsis:
        raise _Reject(PLACEHOLDER)
    if isinstance(answer, (str, bytes)):
        text = answer.decode() if isinstance(answer, bytes) else answer
        if text.strip().replace(",", "").replace("_", "").isdigit():
            raise _Reject(f"Your answer is the text {_clip(text)!r}: write the number without "
                          "quotes.")
        raise _Reject(f"Your answer is the text {_clip(text)!r}; the exercise asks for a whole "
                      "number.")
    if isinstance(answer, (bool, np.bool_)):
        raise _Reject(f"Your answer is {answer}, a truth value; the exercise asks for a count.")
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.item()
    if not isinstance(answer, numbers.Real):
        raise _Reject(f"Your answer is a {type(answer).__name__}; the exercise asks for one "
                      "whole number, for example 100.")
    if isinstance(answer, numbers.Integral):
        return int(answer)
    value = float(answer)
    if math.isnan(value) or math.isinf(value):
        raise _Reject(f"Your answer is {value}, not a count: a count is a whole number.")
    if not value.is_integer():
        raise _Reject(f"Your answer {value:g} has a fractional part; a count of parameters is a "
                      "whole number.")
    return int(value)


# --- Exercise 1: the dense layer after pooling ------------------------------------------------

@_checker
def check_dense_parameters(answer):
    """How many numbers (weights and biases) the dense layer of the max-pooling network holds:
    8 filters on 8×8 digits, max pool 2/2, 10 digits out."""
    network = pn.Network("max", pool_size=2, filters=8)
    inputs = network.params["weights"].shape[0]  # 4 × 4 × 8
    expected = network.params["weights"].size + network.params["bias"].size
    count = _whole_number(answer)
    if count == expected:
        return _right(f"{inputs} pooled values (4 × 4 × 8) each meet 10 weights, plus 10 biases: "
                      f"{inputs} × 10 + 10 = {expected:,}.")
    no_pool = 8 * 8 * 8 * 10
    mistakes = {
        inputs * 10: "Those are the weights; each of the 10 outputs also has a bias.",
        4 * 4 * 10 + 10: "That counts one feature map: there are 8 of them, one per filter, "
                         "each pooled to 4 × 4.",
        4 * 4 * 10: "That counts one feature map and no biases: there are 8 maps of 4 × 4, and "
                    "10 biases.",
        no_pool + 10: "That is the dense layer without pooling (8 × 8 × 8 inputs); max pooling "
                      "2/2 halves each side first.",
        no_pool: "That is the dense layer without pooling, and without its biases.",
        network.parameter_count: "That is the whole network, convolution included; the "
                                 "question asks about the dense layer only.",
        inputs: f"{inputs} is the number of values the dense layer receives; each meets 10 "
                "weights, one per digit.",
    }
    if count in mistakes:
        return _wrong(mistakes[count])
    return _wrong("Count the pooled values (rows × columns × maps after max pooling 2/2 on "
                  "8 × 8 maps), multiply by the 10 outputs, and add one bias per output.")


# --- Exercise 2: which variant stays most accurate under a shift ------------------------------

def _variant(answer):
    """The variant a learner names: 'max', 'max pool', 'Anti-aliased max', ..."""
    if answer is None or answer is Ellipsis:
        raise _Reject(PLACEHOLDER)
    if not isinstance(answer, str):
        raise _Reject(f"Your answer is a {type(answer).__name__}; write the variant's name in "
                      f"quotes, one of {', '.join(repr(v) for v in pn.VARIANTS)}.")
    key = " ".join(answer.lower().replace("_", " ").replace("-", " ").split())
    names = {v: v for v in pn.VARIANTS}
    names.update({" ".join(n.replace("-", " ").split()): v for v, n in pn.VARIANT_NAMES.items()})
    names.update({"average": "avg", "anti aliased": "antialiased", "antialiased max":
                  "antialiased", "global": "global", "stride 2": "stride2", "max pooling": "max",
                  "average pooling": "avg", "no pool": "none", "none": "none"})
    if key not in names:
        raise _Reject(f"{_clip(answer)!r} is not one of the variants: write one of "
                      f"{', '.join(repr(v) for v in pn.VARIANTS)}.")
    return names[key]


def _table(rows):
    try:
        table = {row["variant"]: (float(row["accuracy"]), float(row["shifted"])) for row in rows}
    except Exception:
        table = {}
    if not table or any(math.isnan(a) or math.isnan(s) for a, s in table.values()):
        raise _Reject("Pass the comparison computed above as the second argument: "
                      "check_shift_winner(your_answer, rows).")
    return table


@_checker
def check_shift_winner(answer, rows):
    """Which variant is the most accurate on the shifted held-out digits, in the notebook's
    comparison ``rows`` (from ``pooling_network.compare``)."""
    table = _table(rows)
    variant = _variant(answer)
    if variant not in table:
        raise _Reject(f"The table above has no {variant!r} row.")
    best = max(table, key=lambda v: table[v][1])
    least_drop = min(table, key=lambda v: table[v][0] - table[v][1])
    accuracy, shifted = table[variant]
    if variant == best:
        return _right(f"{pn.VARIANT_NAMES[variant]}: {shifted:.1%} of the shifted digits are "
                      f"still read right (it scored {accuracy:.1%} on them unshifted).")
    if variant == least_drop:
        return _wrong(f"{pn.VARIANT_NAMES[variant]} loses the least ({accuracy - shifted:.1%}), "
                      f"but it reads only {shifted:.1%} of the shifted digits right. Which "
                      "variant reads the most?")
    return _wrong(f"{pn.VARIANT_NAMES[variant]} reads {shifted:.1%} of the shifted digits "
                  "right; another variant does better. Compare the 'shifted 1 px' column.")


# --- Exercise 3: a shift without wrap-around --------------------------------------------------

@_checker
def check_shift_right(your_shift_right):
    """A learner's ``your_shift_right(images)``: images (N, H, W) moved one pixel right, with a
    column of zeros coming in on the left and the last column dropped."""
    if your_shift_right is None or your_shift_right is Ellipsis:
        raise _Reject(PLACEHOLDER)
    if not callable(your_shift_right):
        raise _Reject(f"Pass your function itself (its name, without brackets); this is a "
                      f"{type(your_shift_right).__name__}.")
    images = np.arange(1, 2 * 3 * 5 + 1, dtype=float).reshape(2, 3, 5)
    original = images.copy()
    try:
        got = your_shift_right(images)
    except Exception as error:  # the learner's code may fail in any way
        return _wrong(f"Your function raised {type(error).__name__}: {_clip(error, 60)}. Try "
                      "it on a small example to see where.")
    if got is None:
        return _wrong("Your function returns None: does it end with `return`?")
    if not np.array_equal(images, original):
        return _wrong("Your function changed the images it was given: make a new array (for "
                      "example np.zeros_like(images)) and fill that.")
    try:
        got = np.asarray(got, dtype=float)
    except Exception:
        return _wrong(f"Your function returns {type(got).__name__}, not an array of numbers.")
    expected = pn.shift_images(images, 1, 0)
    if got.shape != expected.shape:
        return _wrong(f"On images of shape {images.shape} your function returns shape "
                      f"{got.shape}: a shifted image keeps its size (one column comes in, one "
                      "goes out).")
    if np.array_equal(got, expected):
        return _right("One pixel right, zeros coming in on the left, nothing wrapping round.")
    if np.array_equal(got, np.roll(images, 1, axis=2)):
        return _wrong("The last column comes back on the left: np.roll wraps around. A real "
                      "shift brings in empty (0) pixels instead.")
    if np.array_equal(got, pn.shift_images(images, -1, 0)):
        return _wrong("Your images move left. Right means column j goes to column j + 1.")
    if np.array_equal(got, pn.shift_images(images, 0, 1)) or np.array_equal(
            got, np.roll(images, 1, axis=1)):
        return _wrong("Your images move down: rows are axis 1, columns (left–right) axis 2.")
    return _wrong("Not one pixel to the right: column j of the result should hold column "
                  "j − 1 of the input, and column 0 zeros.")
