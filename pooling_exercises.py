"""Checkers for the exercises of the pooling course.

Each checker takes the learner's answer (a number, a shape, an array or a function), compares it
with what ``pooling_helpers`` computes, and returns a ``Verdict``: shown in a notebook, it says
"correct" or names what is wrong, with a hint. The checks look for the mistakes learners really
make: the square-only loop, the stride ignored, the default stride, the dropped border, zero
padding under max, where 'same' puts its padding, the divisor of a padded average, partial shift
invariance, ``=`` instead of ``+=`` in the backward pass, and ties.

Whatever a learner types, a checker answers with a verdict, never a traceback. The answer is
first read by one of a few shared readers (``_whole_number``, ``_number``, ``_pair``,
``_array``); a learner's function is run by ``_call``. When an answer cannot be judged (text in
quotes, a list where one number belongs, NaN, a function that raises or returns nothing) the
reader raises ``_Reject`` with the verdict to show, and the ``@_checker`` decorator hands that
verdict back.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import html
import inspect
import io
import math
import numbers
import re
import warnings

import numpy as np

import pooling_helpers as ph


class Verdict:
    """The outcome of a check: ``ok`` and a friendly ``message``; displays itself in a notebook."""

    def __init__(self, ok, message):
        self.ok = bool(ok)
        self.message = message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("✅ Correct! " if self.ok else "❌ Not yet. ") + self.message

    def _repr_html_(self):
        colour = "#1a7f37" if self.ok else "#b35900"
        head = "✅ Correct!" if self.ok else "❌ Not yet."
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px">'
                f"<b>{head}</b> {html.escape(self.message)}</div>")


def _right(message):
    return Verdict(True, message)


def _wrong(message):
    return Verdict(False, message)


# --- reading an answer -----------------------------------------------------------------------

PLACEHOLDER = "Replace the placeholder with your answer, run that cell, then run this one."

# A checker that trips over an answer nobody foresaw still answers with a verdict; the tests
# look for this opening to find such gaps.
UNFORESEEN = "The checker could not read this answer"


class _Reject(Exception):
    """An answer that cannot be judged; ``verdict`` says why, and what to write instead."""

    def __init__(self, message):
        super().__init__(message)
        self.verdict = _wrong(message)


def _checker(check):
    """Make ``check`` answer every input with a verdict: a ``_Reject`` becomes its verdict."""
    signature = inspect.signature(check)

    @functools.wraps(check)
    def checked(*args, **kwargs):
        try:  # called with no answer, or too many: say how to call it
            signature.bind(*args, **kwargs)
        except TypeError:
            names = ", ".join(signature.parameters)
            return _wrong(f"Call it with your answer: {check.__name__}({names}).")
        try:
            return check(*args, **kwargs)
        except _Reject as reject:
            return reject.verdict
        except Exception as error:  # a gap in the checker: still no traceback for the learner
            return _wrong(f"{UNFORESEEN} ({type(error).__name__}: {_clip(str(error))}). Check "
                          "that it is the kind of value the exercise asks for.")
    return checked


def _clip(text, width=60):
    """``text`` cut to ``width`` characters: a learner's long answer stays readable."""
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def _count(count, noun):
    """'1 value', '3 values'."""
    return f"{count} {noun}{'s' * (count != 1)}"


def _num(value):
    """A number as a learner would write it: 9.25, 12, nan."""
    return f"{float(value):g}"


def _describe(value):
    """A short name for what the learner gave, for messages: 'a dict', 'a list of 3 values'."""
    if value is None:
        return "None"
    if isinstance(value, (str, bytes)):
        text = value if isinstance(value, str) else value.decode(errors="replace")
        return f'the text "{_clip(text)}"'
    if isinstance(value, (bool, np.bool_)):
        return f"{value}, a truth value"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {_count(len(value), 'value')}"
    if callable(value):
        return "a function"
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        return f"the complex number {_clip(value)}"
    if isinstance(value, numbers.Number):
        return f"the number {_clip(value)}"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiouAEIOU' else 'a'} {name}"


def _require_answer(answer):
    """Refuse the notebooks' placeholders, ``None`` and ``...``, with a prompt to answer."""
    if answer is None or answer is Ellipsis:
        raise _Reject(PLACEHOLDER)


def _reject_text(text, who, what, example, reader):
    """Refuse a quoted answer; when it reads as a valid answer without quotes, say just that."""
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    if not text.strip():
        raise _Reject(f'{who} is an empty text, "". Write {what} without quotes, for example '
                      f"{example}.")
    try:
        reader(ast.literal_eval(text.strip()))
        fix = f"Drop the quotes: {text.strip()}"
    except Exception:  # not a valid answer even without quotes: show what one looks like
        fix = f"Write {what} without quotes, for example {example}"
    raise _Reject(f'{who} is the text "{_clip(text)}": in quotes, Python keeps it as letters, '
                  f"not {what}. {fix}.")


def _scalar(answer, who="Your answer", what="a number", example="0.5"):
    """One finite real number: an exact ``int`` for whole types, else a ``float``."""
    _require_answer(answer)
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()  # np.int64(4) and np.array(4) are numbers too
    if isinstance(answer, (bool, np.bool_)):
        raise _Reject(f"{who} is {answer}, a truth value, not {what}. Write {what}, for example "
                      f"{example}.")
    if isinstance(answer, (str, bytes)):
        _reject_text(answer, who, what, example, lambda v: _scalar(v, who, what, example))
    if isinstance(answer, (list, tuple)) and len(answer) == 1 or (
            isinstance(answer, np.ndarray) and answer.size == 1):
        raise _Reject(f"{who} holds one value in brackets: write the value itself, without "
                      "brackets.")
    if not isinstance(answer, numbers.Real):
        raise _Reject(f"{who} is {_describe(answer)}, not {what}. Write {what}, for example "
                      f"{example}.")
    if isinstance(answer, numbers.Integral):
        return int(answer)
    try:
        value = float(answer)
    except OverflowError:
        raise _Reject(f"{who} is far too large. Write {what}, for example {example}.") from None
    if math.isnan(value):
        raise _Reject(f"{who} is NaN, 'not a number'. Write {what}, for example {example}.")
    if math.isinf(value):
        raise _Reject(f"{who} is infinite. Write {what}, for example {example}.")
    return value


def _number(answer, who="Your answer", what="a number", example="0.5"):
    """One finite number, as a ``float``."""
    value = _scalar(answer, who, what, example)
    try:
        return float(value)
    except OverflowError:
        raise _Reject(f"{who} has {len(str(value))} digits, far too large for this question. "
                      f"Write {what}, for example {example}.") from None


def _whole_number(answer, who="Your answer", why="a count has no fractional part", example="4"):
    """One whole number, as an exact ``int``; 4.0 counts as 4, 3.7 is refused with ``why``."""
    value = _scalar(answer, who, "a whole number", example)
    if isinstance(value, float):
        if not value.is_integer():
            # %g would print 3.0000001 as "3", which reads as whole: show every digit then
            shown = _num(value) if float(_num(value)) == value else repr(value)
            raise _Reject(f"{who} is {shown}, not a whole number: {why}.")
        value = int(value)
    return value


def _pair(answer, who="Your answer", what="a pair (rows, columns)", example="(1, 1)"):
    """Two whole numbers, such as a shape or a (row, column) position, as a tuple of ints."""
    _require_answer(answer)
    if isinstance(answer, (str, bytes)):
        _reject_text(answer, who, what, example, lambda v: _pair(v, who, what, example))
    if isinstance(answer, (set, frozenset)):
        raise _Reject(f"{who} is a set, in curly braces: a set has no order, so rows and columns "
                      f"could swap. Use round brackets: {example}.")
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        items = list(answer)
    elif isinstance(answer, (list, tuple)):
        items = list(answer)
    elif isinstance(answer, numbers.Number) and not isinstance(answer, (bool, np.bool_)):
        raise _Reject(f"{who} is one number, {_clip(answer)}: {what} has two numbers, for "
                      f"example {example}.")
    else:
        raise _Reject(f"{who} is {_describe(answer)}, not {what}. Write it like {example}.")
    if any(item is None for item in items):
        raise _Reject(f"{who} still holds None (a placeholder?): {what} has two whole numbers, "
                      f"for example {example}.")
    if len(items) != 2:
        raise _Reject(f"{who} has {_count(len(items), 'value')}; {what} has "
                      f"exactly two, for example {example}.")
    return tuple(_whole_number(item, f"The {place} number of your pair",
                               "rows, columns and positions are counted in whole cells")
                 for place, item in zip(("first", "second"), items))


def _holds_truth_value(items, depth=0):
    """Whether nested lists or tuples hold a bool (arrays inside them are left to NumPy)."""
    return depth < 8 and any(
        isinstance(item, (bool, np.bool_))
        or isinstance(item, (list, tuple)) and _holds_truth_value(item, depth + 1)
        for item in items)


def _array(answer, who="Your answer", example="[[0, 0], [0, 0]]"):
    """An array of real numbers, of any shape, as floats; text, truth values and None refused."""
    _require_answer(answer)
    if isinstance(answer, (str, bytes)):
        _reject_text(answer, who, "numbers", example, lambda v: _array(v, who, example))
    if isinstance(answer, (dict, set, frozenset)) or callable(answer):
        raise _Reject(f"{who} is {_describe(answer)}, not an array of numbers. Write it as a "
                      f"nested list, for example {example}.")
    if isinstance(answer, (list, tuple)) and _holds_truth_value(answer):
        # NumPy would read [[True, False], [1, 2]] as [[1, 0], [1, 2]] without a word
        raise _Reject(f"{who} holds True/False values where numbers belong. Write numbers, "
                      f"for example {example}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(answer)
    except Exception:  # ragged rows, or an object NumPy cannot hold
        raise _Reject(f"{who} cannot be read as a grid of numbers: do all rows have the same "
                      f"length? Write it like {example}.") from None
    kind = array.dtype.kind
    if kind in "US":
        raise _Reject(f"{who} holds text, in quotes, where numbers belong. Write the numbers "
                      f"without quotes, for example {example}.")
    if kind == "b":
        raise _Reject(f"{who} holds True/False values, not numbers.")
    if kind == "O":
        for value in array.flat:
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
                hint = " (a placeholder left in?)" if value is None else ""
                raise _Reject(f"{who} holds {_describe(value)}{hint} where a number belongs.")
    elif kind not in "iuf":
        raise _Reject(f"{who} holds {array.dtype} values; it should hold real numbers.")
    try:
        return array.astype(float)
    except (OverflowError, TypeError, ValueError):
        raise _Reject(f"{who} holds numbers far too large to be an answer here.") from None


def _difference(got, expected, rtol=1e-7, atol=1e-9):
    """``None`` when ``got`` equals ``expected``; else a phrase saying where they differ."""
    if got.shape != expected.shape:
        return f"the expected shape is {expected.shape}, yours is {got.shape}"
    close = np.isclose(got, expected, rtol=rtol, atol=atol)
    if close.all():
        return None
    where = [int(i) for i in np.argwhere(~close)[0]]
    return (f"the shape is right, but {int((~close).sum())} of {close.size} values differ; the "
            f"first is at {where}: you have {_num(got[tuple(where)])} where "
            f"{_num(expected[tuple(where)])} belongs")


def _judge_pair(answer, expected, right, mistakes, hint):
    """Verdict on a pair: ``mistakes`` maps a typical wrong pair to its hint, ``hint`` the rest."""
    pair = _pair(answer)
    if pair == tuple(expected):
        return _right(right)
    return _wrong(mistakes.get(pair, hint))


def _call(function, args, names, case, advice=None):
    """Run the learner's ``function`` on copies of ``args`` and return what it returns.

    ``names`` are the parameter names the exercise asks for; ``case`` says which input this is
    ("for n=4, k=2, s=2"); ``advice(error)`` may give a hint for an exception the exercise
    expects, or a whole ``_Reject`` to raise in place of the quoted error. Not a function, the wrong number of parameters, an exception, or ``None`` returned
    (with or without printing) end in a ``_Reject`` that says which.
    """
    _require_answer(function)
    if not callable(function):
        raise _Reject("Pass your function itself, without calling it or quoting it: "
                      f"check(your_function). You passed {_describe(function)}.")
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # some built-ins have no signature: calling them will tell
        signature = None
    try:
        if signature is not None:
            signature.bind(*args)
    except TypeError:
        raise _Reject(f"Your function must take {_count(len(names), 'argument')}, "
                      f"({', '.join(names)}); "
                      f"yours takes {signature}.") from None
    printed = io.StringIO()
    copies = [np.copy(a) if isinstance(a, np.ndarray) else a for a in args]
    try:
        with contextlib.redirect_stdout(printed), warnings.catch_warnings(), \
                np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = function(*copies)
    except (Exception, SystemExit) as error:  # learners' code may fail in any way
        hint = (advice and advice(error)) or "Run it on that input to see where."
        if isinstance(hint, _Reject):  # the advice names the slip: NumPy's words would bury it
            raise hint from None
        raise _Reject(f"Your function raised {type(error).__name__} {case}: "
                      f"{_clip(error, 120)}. {hint}") from None
    shown = printed.getvalue().strip()
    if result is None and shown:
        # quote a short line; a printed array spans lines, and clipped it says nothing
        lines = shown.splitlines()
        what = f'"{shown}"' if len(shown) <= 60 and len(lines) == 1 else _count(len(lines), "line")
        raise _Reject(f"Your function printed {what} {case} instead of returning it: it returned "
                      "nothing (None), and the check reads only what it returns. Replace "
                      "print(...) with return ...")
    if result is None:
        raise _Reject(f"Your function returned nothing (None) {case}: did you forget `return`? "
                      "(A body that is still `...` returns None too.)")
    return result


def _refuse_text(result, case, what):
    """A function that returns text, e.g. ``str(pools)`` or an f-string, is told so: the advice
    for a typed answer ("write numbers without quotes") does not fit a function."""
    if isinstance(result, (str, bytes)):
        raise _Reject(f"Your function returned text (a string) {case}, not numbers: return "
                      f"{what} itself, not str(...), repr(...) or an f-string.")


def _call_for_array(function, args, names, case, advice=None):
    """``_call``, then read the result as an array of numbers."""
    return _array(_call(function, args, names, case, advice),
                  f"What your function returned {case}")


# --- 00 start here ---------------------------------------------------------------------------

@_checker
def check_values_kept(answer):
    """How many values the 224×224 cat keeps after one 2×2 max pooling with stride 2.

    Answer with one whole number, the count of values in the pooled image.
    """
    side = ph.output_size(224, 2, 2)
    expected = side * side
    with contextlib.suppress(_Reject):
        if _pair(answer) == (side, side):
            return _wrong(f"({side}, {side}) is the shape of the pooled cat. How many values "
                          "does an image of that shape hold?")
    value = _number(answer, example="100")
    if math.isclose(value, 0.25):
        return _wrong("0.25 is the share of values kept, a quarter. The question asks for the "
                      "count: how many values is a quarter of 224 × 224?")
    count = _whole_number(answer, example="100")
    if count == expected:
        return _right(f"{side} × {side} = {expected:,} values, a quarter of the 50,176 pixels: "
                      "each side is halved, so the count is divided by 4.")
    mistakes = {
        224 * 224 // 2: "That halves the count, but pooling halves each side: both the rows and "
                        "the columns, so the count is divided by 2 × 2 = 4.",
        side: f"{side} is the length of one side after pooling. Count the values: rows × columns.",
        224 * 224: "50,176 = 224 × 224 is the count before pooling. Pooling keeps one value per "
                   "2×2 window.",
        (side // 2) ** 2: f"{(side // 2) ** 2:,} = {side // 2} × {side // 2} is the count after "
                          "pooling twice. The exercise pools once: each side is halved once.",
        4: "4 is how many pixels share one kept value: one for every 2×2 window. The question "
           "asks how many values are kept in all.",
    }
    if count in mistakes:
        return _wrong(mistakes[count])
    return _wrong("Stride 2 puts the 2×2 windows side by side, so each side becomes 224 / 2 = "
                  f"{side} after pooling; the count of values is rows × columns.")


@_checker
def check_halvings(answer):
    """How many 2×2 poolings (stride 2) take the 224×224 cat down to 14×14: a whole number."""
    size, count = 224, 0
    while size > 14:
        size, count = ph.output_size(size, 2), count + 1
    answer = _whole_number(answer, why="poolings are counted one by one")
    if answer == count:
        return _right(f"{count} poolings: 224 → 112 → 56 → 28 → 14; each keeps a quarter of the "
                      "pixels.")
    if answer == 224 // 14:
        return _wrong("224 / 14 = 16 is the ratio of the sides, but each pooling halves the "
                      "side: how many halvings make 16?")
    if answer == count + 1:
        return _wrong(f"{answer} counts the sizes, 224, 112, 56, 28 and 14, but a pooling is a "
                      "step from one size to the next: there is one step fewer than sizes. "
                      "Count the arrows in 224 → 112 → …")
    return _wrong("Halve 224 until you reach 14, and count the steps.")


# --- 01 pool extraction ----------------------------------------------------------------------

@_checker
def check_pool_grid(answer):
    """How many pools, as (rows, columns), a 5×7 matrix has with pool 2 and stride 2."""
    expected = ph.get_pools(np.zeros((5, 7)), 2, 2).shape[:2]
    mistakes = {
        (2, 2): "That is what the article's loop gives: it runs over img.shape[0] twice. Count "
                "the columns with the width, img.shape[1].",
        (3, 4): "A pool must fit entirely inside the matrix: the last row and column are too "
                "thin for a 2×2 pool.",
        expected[::-1]: "Rows come first, then columns: (rows, columns).",
        (5, 7): "(5, 7) is the matrix's own shape, one per cell. Count the pools: along a side "
                "of n cells, (n − 2) // 2 + 1 of them fit.",
    }
    return _judge_pair(
        answer, expected,
        f"{expected[0]} rows of {expected[1]} pools: the last row and column of the matrix do "
        "not fill a whole pool, so they are left out.",
        mistakes,
        "Count the top-left corners: rows 0, 2, … while a pool still fits below, columns 0, 2, "
        "… while it still fits to the right.")


def _pools_past_the_edge(function, img, pool, case):
    """``advice`` for ``_call``: a window cut short by the edge makes NumPy refuse to assemble
    the pools; the verdict names the slip instead of quoting NumPy."""
    def advice(error):
        text = str(error)
        if not isinstance(error, ValueError) or not (
                "broadcast" in text or "inhomogeneous" in text or "sequence" in text):
            return None
        return _Reject(f"Your function raised ValueError {case}: NumPy cannot stack pools of "
                       "different sizes. " + _past_the_edge(function, img, pool))
    return advice


def _past_the_edge(function, img, pool):
    """Why a window came out smaller than the pool: loops that start windows up to n instead of
    n − pool, or a loop along the wrong side. Only the first cuts pools short on a square
    matrix too, so ``function`` is tried on one."""
    square = np.arange(25).reshape(5, 5)
    try:
        got = _array(_call(function, (square, 2, 2), ("img", "pool_size", "stride"),
                           "on a 5×5 matrix"))
        runs_to_the_end = got.shape != (2, 2, 2, 2)
    except _Reject:
        runs_to_the_end = True
    text = _PAST_THE_END if runs_to_the_end else _WRONG_SIDE
    return text.format(h=img.shape[0], w=img.shape[1], pool=pool)


_PAST_THE_END = ("Some window came out smaller than {pool}×{pool}: your loops start windows "
                 "too close to the end of the {h}×{w} matrix. A window starting at p fits only "
                 "if p + pool ≤ n, so the last start is n − pool, not n − 1: loop over "
                 "range(0, n - pool + 1, stride), or count the windows along each side with "
                 "(n - pool) // stride + 1.")
_WRONG_SIDE = ("Some window came out smaller than {pool}×{pool}: it ran past the edge of "
               "the {h}×{w} matrix. Does a loop count along the wrong side? The rows run "
               "down the height, img.shape[0] ({h}); the columns run across the width, "
               "img.shape[1] ({w}).")


@_checker
def check_get_pools(my_get_pools):
    """A learner's ``get_pools(img, pool_size, stride)`` for 2-D images of any shape."""
    cases = [(np.arange(28).reshape(4, 7), 2, 2), (np.arange(42).reshape(7, 6), 3, 2),
             (np.arange(30).reshape(5, 6), 2, 1), (np.arange(12).reshape(2, 6), 2, 3)]
    for img, pool, stride in cases:
        case = f"on a {img.shape[0]}×{img.shape[1]} matrix with pool {pool} and stride {stride}"
        result = _call(my_get_pools, (img, pool, stride), ("img", "pool_size", "stride"), case,
                       _pools_past_the_edge(my_get_pools, img, pool, case))
        _refuse_text(result, case, "the array of pools")
        try:
            got = _array(result, f"What your function returned {case}")
        except _Reject:
            if isinstance(result, (list, tuple)):  # ragged: some pools cut short by the edge
                return _wrong(f"{case.capitalize()}, your pools do not all have the same "
                              "shape. " + _past_the_edge(my_get_pools, img, pool))
            raise
        expected = ph.get_pools(img, pool, stride)
        problem = _difference(got, expected)
        if problem is None:
            continue
        flat = (got.ndim == 3 and got.shape[1:] == (pool, pool))
        if flat and got.shape[0] == expected.size // pool ** 2 and np.array_equal(
                got, expected.reshape(got.shape)):
            return _wrong("The pools are right but in a flat list: keep the grid, shape "
                          "(out_h, out_w, pool, pool), so that the output shape is not lost.")
        # the article's loop: both loops over the height, and a flat list
        side = min(img.shape)
        square = ph.get_pools(img[:side, :side], pool, stride).reshape(-1, pool, pool)
        if flat and got.shape == square.shape and np.array_equal(got, square):
            return _wrong(f"{case.capitalize()}, you return {got.shape[0]} pools in a flat "
                          f"list, all from the top-left {side}×{side} square: the article's "
                          "two slips. Loop over the height, img.shape[0], for the rows and "
                          "over the width, img.shape[1], for the columns, and keep the grid, "
                          "shape (out_h, out_w, pool, pool).")
        if got.shape == expected.shape[1::-1] + (pool, pool) != expected.shape:
            how = (" The pools are right, but each sits at [column, row]: the outer loop "
                   "should count the rows." if np.array_equal(got, expected.transpose(1, 0, 2, 3))
                   else "")
            return _wrong(f"{case.capitalize()}, your grid has {got.shape[0]} rows and "
                          f"{got.shape[1]} columns of pools; it should have {expected.shape[0]} "
                          f"and {expected.shape[1]}: rows and columns are swapped. Rows count "
                          "down the height, img.shape[0]; columns across the width, "
                          "img.shape[1]." + how)
        if got.ndim == 4 and got.shape[0] == got.shape[1] != expected.shape[1]:
            return _wrong(f"On a {img.shape[0]}×{img.shape[1]} image you return "
                          f"{got.shape[0]}×{got.shape[1]} pools: does a loop use img.shape[0] "
                          "for the columns? The width is img.shape[1].")
        if got.shape[:2] == ph.get_pools(img, pool, 1).shape[:2] and stride > 1:
            return _wrong("You return one pool per pixel: the stride is ignored. Step the loops "
                          "by `stride`.")
        if got.shape == expected.shape:
            row, col = np.argwhere(~np.isclose(got, expected).all(axis=(2, 3)))[0]
            return _wrong(f"{case.capitalize()}, the grid has the right shape but pool "
                          f"[{row}, {col}] holds other cells: it should be the {pool}×{pool} "
                          f"block whose top-left corner is img[{row * stride}, {col * stride}] "
                          "(row × stride, column × stride).")
        return _wrong(f"{case.capitalize()}, {problem}. Count the pools with "
                      "(n − pool) // stride + 1 along each side.")
    return _right("Your loops work on non-square matrices, with any stride.")


# --- 02 stride -------------------------------------------------------------------------------

_SIZE_CASES = [(4, 2, 2), (25, 2, 2), (7, 3, 2), (10, 3, 1), (224, 3, 3), (9, 2, 4), (5, 5, 1),
               (11, 2, 3), (10, 3, 3)]  # (10, 3, 3): 7 / 3 = 2.33 tells round() from rounding up

# The usual wrong formulas, each with what it gets wrong; _SIZE_CASES tell every one apart.
_SIZE_SLIPS = [
    (lambda n, k, s: -(-(n - k) // s) + 1,
     "You round up: the last, incomplete window does not count. Round down, with //."),
    (lambda n, k, s: round((n - k) / s) + 1,
     "round() rounds to the nearest whole number: for n=25, k=2, s=2 it turns 23 / 2 = 11.5 into "
     "12, as if half a step still made room for a window. Only full steps count: round down, "
     "with //."),
    (lambda n, k, s: (n - k) // s,
     "Off by one: the first window sits at position 0 before any step. Add 1."),
    (lambda n, k, s: (n - k) // s + 2,
     "One window too many: the + 1 already counts the first window, at position 0. Add 1, not 2."),
    (lambda n, k, s: n - k + 1,
     "The stride is missing: windows start every s cells, so divide the free room n − k by s."),
    (lambda n, k, s: n - k,
     "The stride and the first window are missing: windows start at 0, s, 2s, … up to n − k."),
    (lambda n, k, s: n // s,
     "n // s ignores the window size: a window needs k cells, so only the starts up to n − k "
     "count."),
    (lambda n, k, s: n // k,
     "n // k counts the windows only when they tile the input (stride = pool size). Windows "
     "start every s cells, not every k: use s in the division and k in what must fit."),
    (lambda n, k, s: -(-n // s),
     "⌈n / s⌉ is the size with TensorFlow's 'same' padding. Without padding a window must fit "
     "entirely inside the input."),
]


@_checker
def check_output_size_formula(my_output_size):
    """A learner's ``my_output_size(n, k, s)`` for 'valid' pooling (no padding)."""
    results = []
    for n, k, s in _SIZE_CASES:
        case = f"for n={n}, k={k}, s={s}"
        result = _call(my_output_size, (n, k, s), ("n", "k", "s"), case)
        _refuse_text(result, case, "the number")
        if (isinstance(result, (list, tuple)) and len(result) == 1
                or isinstance(result, np.ndarray) and result.ndim > 0 and result.size == 1):
            return _wrong(f"Your function returned {_describe(result)} {case}: return the "
                          "number itself, return (n - k) // s + 1, not [...] or np.array(...).")
        value = _scalar(result, f"What your function returned {case}", "a whole number", "2")
        if isinstance(value, float) and not value.is_integer():
            return _wrong(f"{case.capitalize()} you return {_num(value)}, a fraction: a size is "
                          "a whole number of windows. Use // (floor division), not /.")
        results.append(int(value))
    expected = [ph.output_size(n, k, s) for n, k, s in _SIZE_CASES]
    if results == expected:
        return _right("⌊(n − k) / s⌋ + 1: the first window, plus one for every full step that "
                      "still fits.")
    for formula, hint in _SIZE_SLIPS:
        if results == [formula(*case) for case in _SIZE_CASES]:
            return _wrong(hint)
    index = next(i for i, (a, b) in enumerate(zip(results, expected)) if a != b)
    n, k, s = _SIZE_CASES[index]
    starts = ", ".join(str(p) for p in range(0, n - k + 1, s)[:5])
    more = ", …" if expected[index] > 5 else ""
    return _wrong(f"For n={n}, k={k}, s={s} you return {_clip(results[index])}, but windows "
                  f"start at {starts}{more}: {expected[index]} fit.")


@_checker
def check_default_stride_shape(answer):
    """The shape of ``pool2d(x, 3)`` for a 9×12 image: the stride defaults to the pool size."""
    expected = ph.pool2d(np.zeros((9, 12)), 3).shape
    return _judge_pair(
        answer, expected,
        "With no stride given, the stride is the pool size (as in Keras and PyTorch): the "
        "windows tile the image.",
        {ph.pool2d(np.zeros((9, 12)), 3, 1).shape:
            "That is stride 1. In pool2d, Keras and PyTorch the default stride is the pool "
            "size, not 1.",
         expected[::-1]: "Rows come first, then columns: the image has 9 rows and 12 columns.",
         (9, 12): "(9, 12) is the input's shape: pooling keeps one value per window, so the "
                  "output is smaller. How many 3×3 windows fit down and across?"},
        "Leaving the stride out means stride = pool size. Use ⌊(n − k) / s⌋ + 1 on each side, "
        "with s = k = 3.")


@_checker
def check_skipped_cells(answer):
    """How many cells of an 8×8 input a 2×2 pool with stride 3 never looks at: a whole number."""
    uncovered = ph.uncovered_cells((8, 8), 2, 3)
    expected = int(uncovered.sum())
    skipped_rows = int(uncovered.all(axis=1).sum())
    answer = _whole_number(answer, why="cells are counted one by one")
    if answer == expected:
        return _right(f"{expected} of 64 cells: windows start at 0, 3 and 6, so rows and "
                      "columns 2 and 5 fall between them. A stride larger than the pool throws "
                      "pixels away unseen.")
    mistakes = {
        0: "With a stride of 3 and a pool of 2, one row in three is stepped over: a stride larger "
           "than the pool skips pixels.",
        64 - expected: "That is the number of cells the windows do cover. The question asks "
                       "for the cells no window looks at.",
        2 * skipped_rows * 8: "The cells where a skipped row crosses a skipped column are counted "
                              "twice: count them once.",
        skipped_rows * 8: "Columns are skipped too, not only rows.",
    }
    # the count the notebook prints for its 9×9 matrix with the same pool and stride
    nine = int(ph.uncovered_cells((9, 9), 2, 3).sum())
    mistakes.setdefault(nine, f"{nine} is the count for the 9×9 matrix printed above (81 cells). "
                              "Here the input is 8×8: where do the windows start, and which "
                              "rows and columns do they miss?")
    return _wrong(mistakes.get(answer, "Draw it: windows start at 0, 3 and 6? Check that a "
                  "window at 6 fits in 8. Then count the rows (and columns) no window touches: "
                  "covered = rows × cols."))


# --- 03 max and average pooling --------------------------------------------------------------

_MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])


def _grid_of_numbers(value):
    """``value`` read as a 2-D grid of numbers; a ``_Reject`` when it is anything else."""
    grid = _array(value)
    if grid.ndim != 2:
        raise _Reject("not a grid")
    return grid


@_checker
def check_average_pool(answer):
    """2×2 average pooling, stride 2, of the article's 4×4 matrix, as a 2×2 grid of numbers."""
    expected = ph.pool2d(_MATRIX, 2, mode="avg")
    if isinstance(answer, (str, bytes)):  # "Drop the quotes" only if a grid is inside them
        _reject_text(answer, "Your answer", "a grid of numbers", "[[0, 0], [0, 0]]",
                     _grid_of_numbers)
    got = _array(answer, example="[[0, 0], [0, 0]]")
    if got.shape == expected.shape and np.allclose(got, expected):
        return _right("Each output is the mean of its four cells: averaging keeps the overall "
                      "brightness, max keeps the strongest response.")
    if got.shape == (3, 3):
        return _wrong("That is stride 1. The exercise asks for stride 2.")
    if got.ndim == 0:
        if math.isclose(float(got), _MATRIX.mean()):
            return _wrong(f"{_num(got)} is the mean of the whole matrix. Average pooling takes "
                          "the mean of each 2×2 window: four means, written as a 2×2 grid, "
                          "[[a, b], [c, d]].")
        return _wrong("You gave one number. Four windows fit, in 2 rows of 2, and each gives "
                      "its own mean: write the four as a 2×2 grid, [[a, b], [c, d]].")
    if got.shape != expected.shape:
        layout = (" as a 2×2 grid, [[a, b], [c, d]]" if got.size == 4
                  else f", as [[a, b], [c, d]]; yours has {_count(got.size, 'number')}")
        return _wrong(f"Four windows fit, in 2 rows of 2: give the four means{layout}.")
    named = {"maxima": ph.pool2d(_MATRIX, 2), "minima": ph.pool2d(_MATRIX, 2, mode="min"),
             "sums": 4 * expected}
    for name, values in named.items():
        if np.allclose(got, values):
            return _wrong(f"Those are the {name}. Average pooling adds the four cells and "
                          "divides by 4.")
    if np.allclose(got, expected.T):
        return _wrong("Rows and columns are swapped: the output's row 0 holds the two top "
                      f"windows, {_num(expected[0, 0])} then {_num(expected[0, 1])}. Write the "
                      "means as the windows lie, row by row.")
    # 4.5 tells the roundings apart: //, int() and round() give 4 (Python's round() takes a
    # half to the even neighbour), rounding half up gives 5, rounding up 5 and 13
    if np.allclose(got, np.floor(expected)):
        return _wrong("You rounded the means to whole numbers: 37 / 4 is 9.25, not 9. With // "
                      "or int() every mean is rounded down; with round() too here, and 4.5 "
                      "becomes 4 because Python's round() takes a half to the even neighbour "
                      "(banker's rounding). A mean need not be whole: keep the decimals.")
    if np.allclose(got, np.floor(expected + 0.5)):
        return _wrong("You rounded the means to the nearest whole number, halves up (4.5 → 5), "
                      "as taught at school. A mean need not be whole: keep the decimals, "
                      "37 / 4 = 9.25.")
    if np.allclose(got, np.ceil(expected)):
        return _wrong("You rounded the means up: 37 / 4 is 9.25, not 10. A mean need not be "
                      "whole: keep the decimals.")
    row, col = np.argwhere(~np.isclose(got, expected))[0]
    cells = ", ".join(str(v) for v in _MATRIX[2 * row:2 * row + 2, 2 * col:2 * col + 2].ravel())
    return _wrong(f"The output at row {row}, column {col} is {_num(got[row, col])}: is that the "
                  f"mean of its window {cells}?")


@_checker
def check_shift_changes(answer):
    """How many of the three max-pooled outputs of the strip change when it shifts one pixel.

    The strip ``[[1, 9, 2, 3, 8, 4], [0, 0, 0, 0, 0, 0]]`` is max-pooled 2×2 with stride 2, then
    shifted one pixel to the right (a column of zeros enters at the left) and pooled again.
    Answer with one whole number.
    """
    strip = np.array([[1, 9, 2, 3, 8, 4], [0, 0, 0, 0, 0, 0]])
    shifted = np.pad(strip, ((0, 0), (1, 0)))[:, :-1]
    before, after = ph.pool2d(strip, 2, 2)[0], ph.pool2d(shifted, 2, 2)[0]
    changed = before != after
    expected = int(changed.sum())
    answer = _whole_number(answer, why="outputs are counted one by one")
    story = ", ".join(f"{b} → {a}" for b, a in zip(before, after))
    if answer == expected:
        return _right(f"{story}: {expected} of {before.size} outputs change. Max pooling is only "
                      f"partly shift invariant: the {before[0]} crossed a window border and "
                      f"changed two outputs, the {before[-1]} stayed inside its window and kept "
                      "its output.")
    if answer == 0:
        return _wrong(f"Max pooling is only partly shift invariant. Pool both strips: the "
                      f"{before[0]} crossed a window border, from the first window to the "
                      "second. Compare the first and the middle outputs before and after.")
    if answer == before.size:
        return _wrong(f"The {before[-1]} moved but stayed inside its window, so the last output "
                      "kept its value. Pool the shifted strip and compare output by output.")
    if answer == 1:  # most likely the 9 leaving the first window, and not where it went
        return _wrong(f"The first output did change: {before[0]} became {after[0]}, as the "
                      f"{before[0]} left the first window. But it did not vanish: look at the "
                      f"middle output, {before[1]} before the shift. Compare output by output.")
    if answer < 0 or answer > before.size:
        return _wrong(f"The strip has {before.size} outputs, so between 0 and {before.size} of "
                      "them can change.")
    return _wrong("Pool both strips with a 2×2 window and stride 2, and compare them output by "
                  "output.")


@_checker
def check_global_pooling(my_global_average):
    """A learner's ``my_global_average(feature_map)``: (H, W, C) → one mean per channel, (C,)."""
    feature_map = np.random.default_rng(2).normal(size=(5, 7, 3))
    case = "on a (5, 7, 3) feature map"
    result = _call(my_global_average, (feature_map,), ("feature_map",), case)
    _refuse_text(result, case, "the array of means")
    got = _array(result, f"What your function returned {case}")
    expected = feature_map.mean(axis=(0, 1))
    problem = _difference(got, expected)
    if problem is None:
        return _right("Global pooling is pooling with one window as large as the map: one value "
                      "per channel, whatever the image size.")
    shapes = {(5, 7): "You averaged over the channels. Average over height and width: "
                      "axis=(0, 1).",
              (): "One number for everything: keep one value per channel, axis=(0, 1).",
              (7, 3): "You averaged over the height only: average over height and width, "
                      "axis=(0, 1).",
              (5, 3): "You averaged over the width only: average over height and width, "
                      "axis=(0, 1).",
              (1, 1, 3): "Right values, but in shape (1, 1, 3): a 1×1 map per channel, as "
                         "pool2d with one window the size of the map returns it (or a mean "
                         "with keepdims=True). Flatten it to one value per channel, shape "
                         "(3,), with .ravel(), as the global pooling cell above does."}
    named = {"maxima": feature_map.max(axis=(0, 1)), "sums": feature_map.sum(axis=(0, 1))}
    for name, values in named.items():
        if got.size == values.size and np.allclose(got.ravel(), values):
            forgot = (" (pool2d keeps the maximum unless told mode=\"avg\".)"
                      if name == "maxima" else "")
            return _wrong(f"Those are the {name} of each channel, not the means.{forgot} Global "
                          "average pooling takes the mean over height and width.")
    if got.shape == (1, 1, 3) and _difference(got.ravel(), expected) is not None:
        return _wrong(f"{case.capitalize()}, your values differ from the means of each channel "
                      "(and come in shape (1, 1, 3), one value per channel is shape (3,)).")
    if got.shape in shapes:
        return _wrong(shapes[got.shape])
    return _wrong(f"{case.capitalize()}, {problem}. Expected one mean per channel.")


# --- 04 the cat ------------------------------------------------------------------------------

@_checker
def check_cat_pooled_shape(answer):
    """The shape of the 224×224 cat after 3×3 max pooling with stride 3, as (rows, columns)."""
    expected = ph.pool2d(np.zeros((224, 224)), 3).shape
    stride_2 = ph.pool2d(np.zeros((224, 224)), 3, 2).shape
    return _judge_pair(
        answer, expected,
        f"{expected[0]}×{expected[1]}: 3 × 74 = 222, so the last 2 rows and columns are dropped.",
        {(75, 75): "224 / 3 = 74.7 is rounded down: a window that does not fit is dropped "
                   "(unless you pad or use ceil mode).",
         (222, 222): "That is stride 1. Here the stride is 3.",
         stride_2: "That is stride 2, the shape in the explorer's static figure (pool 3, "
                   "stride 2). The exercise's stride is 3."},
        "Apply ⌊(224 − 3) / 3⌋ + 1 to each side.")


# Exercise 2 of notebook 04: a photo the notebook's explorers do not show, so that no caption
# prints the answer.
KEPT_SHAPE, KEPT_POOL, KEPT_STRIDE = (80, 120), 3, 2
# 0.2397 cut or rounded to three decimals, or rounded to two, is right; the nearest slip,
# a square photo (39² / 80² = 0.2377), is 0.002 away
KEPT_TOLERANCE = 0.001


def _share(shape, pool, stride):
    """Output values per input pixel of a 'valid' pooling of a ``shape`` photo."""
    rows, cols = (ph.output_size(n, pool, stride) for n in shape)
    return rows * cols / (shape[0] * shape[1])


def _a_share(value):
    """``value`` read as a share from 0 to 1; a ``_Reject`` when it is anything else."""
    share = _number(value)
    if not 0 <= share <= 1:
        raise _Reject("not a share")
    return share


@_checker
def check_kept_share(answer):
    """How many output values per input pixel 3×3 max pooling with stride 2 gives on a photo of
    80×120 pixels (height × width): a number from 0 to 1, right within ±0.001."""
    (height, width), pool, stride = KEPT_SHAPE, KEPT_POOL, KEPT_STRIDE
    rows, cols = (ph.output_size(n, pool, stride) for n in KEPT_SHAPE)
    expected = _share(KEPT_SHAPE, pool, stride)
    if isinstance(answer, (str, bytes)):  # "Drop the quotes" only if a share is inside them
        _reject_text(answer, "Your answer", "a share from 0 to 1", "0.5", _a_share)
    share = _number(answer, example="0.5")
    if abs(share - expected) <= KEPT_TOLERANCE:
        wider = ph.output_size(height, pool - 1, stride)
        return _right(f"{rows} × {cols} = {rows * cols:,} values for {height} × {width} = "
                      f"{height * width:,} pixels: {expected:.4f} (answers within "
                      f"±{KEPT_TOLERANCE} count). The stride sets roughly the share, about "
                      f"1/s² = {1 / stride ** 2:g}; the pool size trims it at the border: a "
                      f"{pool}-wide window fits {rows} times down the {height} rows, a "
                      f"{pool - 1}-wide one would fit {wider}.")
    slips = [
        (1 / stride ** 2, f"Close: about 1/s², but a {pool}-wide window fits {rows} times down "
                          f"and {cols} times across, not {height // stride} and "
                          f"{width // stride}. Use the output-size formula on each side."),
        (_share(KEPT_SHAPE, pool, pool), f"That is stride {pool}, windows side by side. Here "
                                         f"the stride is {stride}: windows start every "
                                         f"{stride} pixels and overlap."),
        (1 / pool ** 2, f"1/{pool ** 2} would be a {pool}×{pool} pool with stride {pool}. The "
                        "stride, not the pool, sets how many windows there are."),
        (_share(KEPT_SHAPE, pool, 1), f"That is stride 1. Here the stride is {stride}."),
        (_share((height, height), pool, stride), f"That is {rows}² / {height}²: the photo is "
                                                 f"{height} high but {width} wide. Count the "
                                                 "windows along each side."),
        (_share((width, width), pool, stride), f"That is {cols}² / {width}²: the photo is "
                                               f"{width} wide but only {height} high. Count "
                                               "the windows along each side."),
        ((rows - 1) * (cols - 1) / (height * width),
         f"Off by one on each side: (n − k) // s counts the steps; the first window, at 0, "
         f"comes before any step, so {rows} fit down and {cols} across."),
    ]
    for value, hint in slips:
        if abs(share - value) <= KEPT_TOLERANCE:
            return _wrong(hint)
    if abs(share - 100 * expected) <= 0.1:
        return _wrong(f"That looks like a percentage. Give the share as a number between 0 and "
                      f"1: {share:g}% is {share / 100:g}.")
    if math.isclose(share, rows * cols):
        return _wrong(f"That is the number of output values. Divide it by the {height} × "
                      f"{width} pixels of the input to get the share.")
    if not 0 <= share <= 1:
        return _wrong("Give a share between 0 and 1, for example 0.5 for half.")
    return _wrong(f"Compute each side of the output with ⌊(n − {pool}) / {stride}⌋ + 1, then "
                  f"(rows × columns) / ({height} × {width}).")


# --- 05 padding ------------------------------------------------------------------------------

def _swapped(answers, expected):
    """True when a pair of answers is the right pair in the wrong order (and the two differ)."""
    def close(a, b):
        try:
            return math.isclose(a, b)
        except OverflowError:  # a whole number too large for a float is no swapped answer
            return False

    first, second = expected
    return not close(first, second) and close(answers[0], second) and close(answers[1], first)


# Exercise 1's setting: a side that a 3-cell pool with stride 3 does not fit
# exactly (26 = 8 × 3 + 2), so the default and ceil mode disagree.
SIDE_CASE = {"n": 26, "pool": 3, "stride": 3}


@_checker
def check_26_by_26(without_ceil, with_ceil):
    """Output side of a 26×26 input with 3×3 pooling, stride 3: default
    (floor) and PyTorch's ceil mode; two whole numbers."""
    n, k, s = SIDE_CASE["n"], SIDE_CASE["pool"], SIDE_CASE["stride"]
    why = "a side is a whole number of windows"
    floor_size = ph.output_size(n, k, s)
    ceil_size = ph.output_size(n, k, s, padding=0, ceil_mode=True)
    left_over = n - floor_size * s  # rows no whole window reaches
    last_start = (ceil_size - 1) * s
    answers = (_whole_number(without_ceil, "Your without_ceil", why,
                             str(floor_size)),
               _whole_number(with_ceil, "Your with_ceil", why, str(floor_size)))
    if answers == (floor_size, ceil_size):
        return _right(f"{floor_size} by default: the last {_count(left_over, 'row')} "
                      f"and columns do not fill a window of {k} and are dropped. "
                      f"Ceil mode keeps a last, partial window starting at row "
                      f"{last_start}: {ceil_size}.")
    if _swapped(answers, (floor_size, ceil_size)):
        return _wrong("The two answers are swapped: rounding down (the default) "
                      "gives the smaller side.")
    if answers[0] == ceil_size:
        return _wrong(f"By default a partial window at the border is dropped: the "
                      f"last {_count(left_over, 'row')} do not fill a window of "
                      f"{k}, so round down.")
    if answers[0] == n - k + 1:
        return _wrong(f"That is the count for stride 1. Here the stride is {s}: "
                      f"⌊({n} − {k}) / {s}⌋ + 1.")
    if answers[0] != floor_size:
        return _wrong(f"Without ceil mode: ⌊({n} − {k}) / {s}⌋ + 1, rounding down.")
    if answers[1] == floor_size:
        return _wrong(f"Ceil mode rounds up, keeping the partial window that "
                      f"starts at row {last_start}.")
    return _wrong(f"With ceil mode: ⌈({n} − {k}) / {s}⌉ + 1, rounding up.")


def _inf_into_int(error):
    """The hint for np.pad(x, 1, constant_values=-np.inf) on an integer x."""
    if isinstance(error, (OverflowError, ValueError)) and "infinity" in str(error):
        return ("np.pad cannot put −∞ into an integer array: make it float first, "
                "np.pad(x.astype(float), 1, constant_values=-np.inf).")
    return None


@_checker
def check_padded_max(my_padded_max):
    """A learner's ``my_padded_max(x)``: 2×2 max pooling, stride 2, padding 1, as PyTorch."""
    rng = np.random.default_rng(5)
    inputs = [-1.0 - rng.random((4, 4)), rng.normal(size=(5, 3)),
              np.arange(1, 26).reshape(5, 5)]  # integers, like the notebook's x
    for x in inputs:
        case = f"on a {x.shape[0]}×{x.shape[1]} {x.dtype.name} input"
        got = _call_for_array(my_padded_max, (x,), ("x",), case, _inf_into_int)
        expected = ph.pool2d(x, 2, 2, padding=1)
        problem = _difference(got, expected)
        if problem is None:
            continue
        if got.shape == expected.shape and np.allclose(got, ph.pool2d(np.pad(x, 1), 2, 2)):
            return _wrong("You padded with zeros: on negative inputs a zero wins the max and "
                          "invents a value that was never there. Pad with −∞ (-np.inf): a "
                          "padded cell then never wins.")
        if got.shape == ph.pool2d(x, 2, 2).shape:
            return _wrong(f"{case.capitalize()} your result has shape {got.shape}, what no "
                          "padding (or padding on one side only) gives. Pad one cell on every "
                          "side: np.pad(x, 1, constant_values=-np.inf).")
        return _wrong(f"{case.capitalize()}, {problem}. Compare with pool2d(x, 2, 2, "
                      "padding=1).")
    if _lets_pool2d_pad(my_padded_max):
        return _right("These are the right outputs: pool2d's padding=1 pads with −∞ for you. "
                      "The exercise asks you to make that padding yourself, though, to see "
                      "what padding=1 does: np.pad with constant_values=-np.inf, then "
                      "pool2d(..., padding='valid'). Try it that way too.")
    return _right("Padding with −∞ means a padded cell never wins: only real values come out.")


def _code_without_comments(function):
    """The source of ``function`` with its comments left out ("# np.pad would do it" is no
    call), or None when it cannot be read (a built-in, or a function made by exec)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    return "\n".join(line.split("#")[0] for line in source.splitlines())


def _lets_pool2d_pad(function):
    """True when ``function``'s code gives pool2d a padding other than 'valid' and pads nothing
    itself (no ``pad(...)`` call); False too when its code cannot be read."""
    code = _code_without_comments(function)
    return (code is not None
            and re.search(r"\bpadding\s*=\s*(?!['\"]valid['\"])", code) is not None
            and re.search(r"\bpad\s*\(", code) is None)


# Exercise 3's setting: a 3×3 image of 9s, 3×3 average pooling, stride 2.
# Both conventions pad one cell before the input here, so the two answers
# differ only by the divisor.
AVERAGE_CASE = {"side": 3, "value": 9.0, "pool": 3, "stride": 2}


@_checker
def check_padded_average(torch_value, tensorflow_value):
    """Top-left output of 3×3 average pooling (stride 2) of a 3×3 image of
    9s, in PyTorch with ``padding=1`` and in TensorFlow with 'same': two
    numbers."""
    case = AVERAGE_CASE
    x = np.full((case["side"],) * 2, case["value"])
    k, s = case["pool"], case["stride"]
    torch_expected = ph.pool2d(x, k, s, padding=1, mode="avg")[0, 0]
    tf_expected = ph.pool2d(x, k, s, padding="same", mode="avg")[0, 0]
    # the real cells of the top-left window: rows and columns 0 to k - 2
    real = (k - 1) ** 2
    value = _num(case["value"])
    torch_got = _number(torch_value, "Your torch_value")
    tf_value = _number(tensorflow_value, "Your tensorflow_value")
    # float32 rounding (a value computed in a framework) is right; a few per cent off is a slip
    torch_ok = math.isclose(torch_got, torch_expected, rel_tol=1e-6)
    tf_ok = math.isclose(tf_value, tf_expected, rel_tol=1e-6)
    if torch_ok and tf_ok:
        return _right(f"PyTorch's top-left window holds {real} real {value}s and "
                      f"{k * k - real} padded zeros and divides by all {k * k} "
                      f"cells (count_include_pad=True): {real} × {value} / "
                      f"{k * k} = {_num(torch_expected)}. "
                      "TensorFlow divides by the real cells only, so an image "
                      f"of {value}s averages to {_num(tf_expected)} in every "
                      "window.")
    if _swapped((torch_got, tf_value), (torch_expected, tf_expected)):
        return _wrong("The two answers are swapped: PyTorch (count_include_pad="
                      f"True) divides by all {k * k} cells of the window, padded "
                      f"zeros included, which gives {_num(torch_expected)}; "
                      f"TensorFlow divides by the {real} real cells only.")
    for name, got, expected, ok in (("torch_value", torch_got, torch_expected, torch_ok),
                                    ("tensorflow_value", tf_value, tf_expected, tf_ok)):
        if not ok and math.isclose(got, expected, rel_tol=0.02):
            return _wrong(f"Your {name}, {got!r}, is close to the answer but not exact: the "
                          "divisor and sum give an exact number here. Work it out as a "
                          "fraction, sum / divisor, with no rounding.")
    if not torch_ok and math.isclose(torch_got, case["value"]):
        return _wrong("PyTorch counts the padding in the divisor by default "
                      f"(count_include_pad=True): the sum of the {real} real "
                      f"{value}s over all {k * k} cells of the window.")
    if not torch_ok:
        return _wrong(f"PyTorch pads one cell on every side, so its top-left "
                      f"window covers rows and columns −1 to {k - 2}: {real} "
                      f"real {value}s and {k * k - real} padded zeros. The "
                      f"divisor is the pool area, {k * k}.")
    if math.isclose(tf_value, torch_expected):
        return _wrong("Your PyTorch value is right. TensorFlow leaves padded "
                      "cells out of the divisor: it averages only the real "
                      "cells a window covers.")
    return _wrong("Your PyTorch value is right. For TensorFlow: which cells of "
                  "the first window are real, and what is their mean? Padded "
                  "cells are not counted.")


@_checker
def check_same_padding_side(answer):
    """The four outputs of TensorFlow-style max pooling of ``[[7, 1, 3, 5]]`` with a 1×4 pool,
    stride 1 and padding 'same'. Answer as a list, e.g. ``[0, 0, 0, 0]``.
    """
    x = np.array([[7, 1, 3, 5]])
    expected = ph.pool2d(x, (1, 4), 1, padding="same")[0]
    total = (expected.size - 1) + 4 - x.shape[1]  # cells of padding along the width
    left, right = total // 2, total - total // 2
    got = _array(answer, example="[0, 0, 0, 0]")
    if got.size != expected.size:
        return _wrong(f"'same' with stride 1 keeps the size: {x.shape[1]} columns in, "
                      f"{expected.size} outputs out. Yours has {got.size}.")
    if got.shape not in (expected.shape, x.shape):
        return _wrong(f"Give the {expected.size} outputs in one row, like [0, 0, 0, 0]; yours "
                      f"has shape {got.shape}.")
    got = got.ravel()
    if np.allclose(got, expected):
        return _right(f"The {total} padding cells go {left} on the left and {right} on the "
                      "right: TensorFlow puts the odd one at the bottom and right, and a padded "
                      "cell never wins a max.")
    heavy_left = np.pad(x.astype(float), ((0, 0), (right, left)), constant_values=-np.inf)
    if np.allclose(got, ph.pool2d(heavy_left, (1, 4), 1)[0]):
        return _wrong("That puts the extra padding cell on the left. TensorFlow puts the odd "
                      f"cell at the bottom and right: {left} on the left, {right} on the right.")
    first = ", ".join(str(v) for v in x[0, :4 - left])
    return _wrong(f"With {left} padding cell on the left, the first window covers columns "
                  f"−{left} to {3 - left}: the padding and {first}. A padded cell never wins the "
                  "max; slide the window one column at a time.")


# --- 05 adaptive pooling ---------------------------------------------------------------------

_WINDOWS_FORM = "[(0, 0), (0, 0), (0, 0), (0, 0)]"


def _windows(answer, count):
    """A list of ``count`` (start, stop) pairs of whole numbers, as a list of tuples of ints."""
    got = _array(answer, example=_WINDOWS_FORM)
    if got.shape == (2, count):
        raise _Reject(f"That looks like a list of starts and a list of stops. Give one (start, "
                      f"stop) pair per window, window 0 first: {_WINDOWS_FORM}.")
    if got.ndim == 1 and got.size == 2 * count:
        raise _Reject(f"Group the numbers in pairs, one (start, stop) per window: "
                      f"{_WINDOWS_FORM}.")
    if got.ndim != 2 or got.shape[1] != 2:
        raise _Reject(f"Give one (start, stop) pair per window, like {_WINDOWS_FORM}; yours has "
                      f"shape {got.shape}.")
    if not np.all(got == np.round(got)):
        raise _Reject("Windows start and stop at whole cells: round ⌊i·n/m⌋ down and "
                      "⌈(i+1)·n/m⌉ up.")
    return [tuple(int(v) for v in pair) for pair in got]


@_checker
def check_adaptive_windows(answer):
    """The windows of adaptive pooling along 7 cells with 4 outputs: four (start, stop) pairs,
    stop excluded, e.g. ``[(0, 1), ...]``."""
    n, m = 7, 4
    expected = ph.adaptive_windows(n, m)
    windows = _windows(answer, m)
    if windows == expected:
        sizes = ", ".join(str(stop - start) for start, stop in expected)
        shared = ", ".join(str(stop - 1) for (_, stop), (start, _) in
                           zip(expected, expected[1:]) if start < stop)
        return _right(f"Windows of {sizes} cells: here unequal, and neighbours "
                      f"share cells {shared}. 7 / 4 = 1.75 is not whole, so "
                      "rounding the start down and the stop up makes the "
                      "windows overlap, and here some longer than others.")
    if [(start, stop - start) for start, stop in expected] == windows:
        return _wrong("These look like (start, size) pairs; give (start, stop), "
                      "the stop excluded: window 1 starts at 1 and holds 3 "
                      "cells, so it is (1, 4).")
    if [(round(i * n / m), round((i + 1) * n / m)) for i in range(m)] == windows:
        return _wrong("That is Python's round(), which goes to the nearest whole "
                      "number (and rounds 2.5 to 2). Adaptive pooling rounds "
                      "outwards instead: the start down, ⌊i·7/4⌋ (math.floor), "
                      "and the stop up, ⌈(i+1)·7/4⌉ (math.ceil).")
    if len(windows) == 3 and windows == ph.adaptive_windows(n, 3):
        return _wrong("Those are the windows for 3 outputs. Here there are 4: i = 0, 1, 2, 3.")
    if len(windows) != m:
        return _wrong(f"4 outputs need 4 windows, one per output; yours has {len(windows)}.")
    if sorted(windows) == expected:
        return _wrong("The right windows, in the wrong order: list them by i, window 0 first.")
    if [(start, stop - 1) for start, stop in expected] == windows:
        return _wrong("Those stops are the windows' last cells, but the stop is excluded, as in "
                      "Python's range and slices: window 0 covers cells 0 and 1, so it is "
                      "(0, 2).")
    if [(start, (i + 1) * n // m) for i, (start, _) in enumerate(expected)] == windows:
        return _wrong("The stop rounds up, not down: ⌈(i+1)·7/4⌉. Rounding both ends down cuts "
                      "the cells into side-by-side windows; rounding the stop up is what makes "
                      "adaptive pooling's windows overlap.")
    if [(-(-i * n // m), stop) for i, (_, stop) in enumerate(expected)] == windows:
        return _wrong("The start rounds down, not up: ⌊i·7/4⌋. Window 1 starts at ⌊1.75⌋ = 1.")
    if any(start < 0 or stop > n for start, stop in windows):
        return _wrong("The cells are numbered 0 to 6: a start is at least 0 and a stop at most "
                      "7.")
    if any(start >= stop for start, stop in windows):
        return _wrong("Every window holds at least one cell: its start is smaller than its stop.")
    if len({stop - start for start, stop in windows}) == 1:
        return _wrong("Here the windows are not all the same size: 7 cells do "
                      "not split into 4 equal parts. Adaptive pooling's windows "
                      "need not be equal nor evenly spaced (sometimes they are: "
                      "7 → 3 gives three windows of 3). Window i runs from "
                      "⌊i·7/4⌋ to ⌈(i+1)·7/4⌉, so here sizes differ and "
                      "neighbours overlap.")
    return _wrong("Work out each window with the rule: from ⌊i·7/4⌋ to ⌈(i+1)·7/4⌉, for "
                  "i = 0, 1, 2, 3; the stop is excluded.")


@_checker
def check_global_head(my_head):
    """A learner's ``my_head(feature_map)``: (H, W, C) of any size → one average per channel,
    (C,), as ``AdaptiveAvgPool2d(1)`` and a flatten give a classifier."""
    rng = np.random.default_rng(13)
    maps = [rng.normal(size=shape) for shape in ((7, 7, 3), (10, 15, 4), (1, 1, 2), (3, 8, 2))]
    for feature_map in maps:
        case = "on a {}×{}×{} feature map".format(*feature_map.shape)
        got = _call_for_array(my_head, (feature_map,), ("feature_map",), case)
        expected = feature_map.mean(axis=(0, 1))
        if _difference(got, expected) is None:
            continue
        channels = feature_map.shape[2]
        if got.shape == (1, 1, channels) and np.allclose(got.ravel(), expected):
            return _wrong("Right values, but still (1, 1, C): a classifier wants one value per "
                          "channel, shape (C,). Take [0, 0] of the pooled map, or reshape it.")
        if got.shape == (channels,) and np.allclose(got, feature_map.max(axis=(0, 1))):
            return _wrong("Those are the maxima of each channel: global average pooling needs "
                          "mode='avg'.")
        if got.ndim >= 2 and got.shape[-1] == channels and got.shape[:2] != (1, 1):
            return _wrong(f"{case.capitalize()} yours has shape {got.shape}: that output size is "
                          "more than one cell. Ask for output size 1: one window, the whole "
                          "map.")
        if feature_map is not maps[0] and got.shape == (channels,):
            return _wrong(f"Right on the first map, wrong {case}: the head must work for any "
                          "height and width. Let adaptive pooling choose the window.")
        return _wrong(f"{case.capitalize()}, {_difference(got, expected)}. Expected the mean of "
                      "each channel.")
    return _right("With one output the rule gives one window, from ⌊0·n/1⌋ = 0 to ⌈1·n/1⌉ = n: "
                  "the whole map, whatever its size. So 1×1 adaptive average pooling is global "
                  "average pooling, and the classifier gets C numbers from any photo.")


# --- 06 verification and speed ---------------------------------------------------------------

def _view_pooling_error(error):
    """A hint for the error a reshape into blocks raises when the pool does not divide a side."""
    if isinstance(error, ValueError) and "reshape" in str(error):
        return ("A reshape into blocks needs sides the pool divides, and gives stride = pool "
                "only: sliding_window_view(img, (pool, pool))[::stride, ::stride] works for "
                "any size and stride.")
    return None


@_checker
def check_view_pooling(my_view_pool, mode="max"):
    """A learner's ``my_view_pool(img, pool, stride)`` built on ``sliding_window_view``.

    ``mode`` is the pooling it should do: 'max', 'avg' or 'min'.
    """
    reductions = {"max": "max", "avg": "mean", "min": "min"}
    if not isinstance(mode, str) or mode not in reductions:
        raise _Reject(f"check_view_pooling's mode must be 'max', 'avg' or 'min', not "
                      f"{_clip(repr(mode))}.")
    reduction = reductions[mode]
    coarse = None  # a float type less precise than the image's, if one came back
    for shape, pool, stride in [((6, 9), 2, 2), ((7, 5), 3, 2), ((5, 8), 2, 1), ((9, 9), 2, 3)]:
        img = np.random.default_rng(sum(shape)).normal(size=shape)
        case = f"on a {shape} image with pool {pool}, stride {stride}"
        result = _call(my_view_pool, (img, pool, stride), ("img", "pool", "stride"), case,
                       _view_pooling_error)
        dtype = getattr(result, "dtype", None)
        got = _array(result, f"What your function returned {case}")
        expected = ph.pool2d(img, pool, stride, mode=mode)
        # float32 keeps about 7 digits: hold its values to what float32 can say, not to 1e-12
        tolerance = 1e-12
        if isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize < 8:
            tolerance = 8 * float(np.finfo(dtype).eps)
        problem = _difference(got, expected, rtol=tolerance, atol=0 if tolerance == 1e-12
                              else tolerance)
        # float16 keeps about 3 digits: a right-looking answer, but most values rounded
        if problem is None and tolerance != 1e-12 and dtype.itemsize < 4:
            return _wrong(f"Your function returns {dtype.name} {case}: about "
                          f"{np.finfo(dtype).precision} significant digits, too few for these "
                          "values (the image is float64, 15 digits), so most of them come out "
                          f"rounded. Leave out the conversion to {dtype.name}: pooling an "
                          "image of floats gives the same floats.")
        if problem is None:
            if tolerance != 1e-12:
                coarse = dtype
            continue
        if (isinstance(dtype, np.dtype) and dtype.kind in "iu" and got.shape == expected.shape
                and np.all(np.abs(got - expected) < 1)):
            return _wrong(f"Your function returned whole numbers ({dtype.name}) {case}: each "
                          "value lost its fraction. Leave out the conversion to int (astype, "
                          "int(...)): pooling an image of floats gives floats.")
        if got.shape == ph.pool2d(img, pool, 1).shape and stride > 1:
            return _wrong("sliding_window_view gives every window at stride 1: keep every "
                          "stride-th one with [::stride, ::stride].")
        if got.shape == (pool, pool) != expected.shape:
            return _wrong(f"You reduced over the first two axes, the grid of windows. Take the "
                          f"{reduction} over the last two, axis=(2, 3).")
        # the sum of each window: the mean times its pool × pool cells (no padding here)
        if got.shape == expected.shape and np.allclose(
                got, ph.pool2d(img, pool, stride, mode="avg") * pool ** 2):
            return _wrong(f"You summed each window {case}. "
                          + ("An average divides that sum by the pool × pool cells: use "
                             ".mean(axis=(2, 3))." if mode == "avg" else
                             f"This exercise wants {mode} pooling: take the {reduction} over "
                             "the last two axes."))
        # side-by-side blocks, as a reshape into blocks gives: right only when stride == pool
        blocks = ph.pool2d(img, pool, pool, mode=mode)
        if stride != pool and got.shape == blocks.shape and np.allclose(got, blocks):
            return _wrong(f"{case.capitalize()}, you pooled side-by-side {pool}×{pool} blocks, "
                          "as a reshape into blocks does: that is stride = pool. Windows start "
                          f"every {stride} cells here: sliding_window_view(img, (pool, pool))"
                          "[::stride, ::stride].")
        # window size and step swapped: windows (stride, stride), kept every pool-th one
        swapped = ph.pool2d(img, stride, pool, mode=mode)
        if stride != pool and got.shape == swapped.shape and np.allclose(got, swapped):
            return _wrong(f"{case.capitalize()}, your windows are {stride}×{stride} and start "
                          f"every {pool} cells: the pool and the stride swapped places. The "
                          "window shape is (pool, pool), and [::stride, ::stride] keeps the "
                          "windows the stride visits.")
        # windows of stride × stride cells: the stride used as the window size
        small = ph.pool2d(img, stride, stride, mode=mode)
        if stride != pool and got.shape == small.shape and np.allclose(got, small):
            return _wrong(f"{case.capitalize()}, your windows are {stride}×{stride}, the "
                          f"stride, not {pool}×{pool}, the pool. The window shape is (pool, "
                          "pool); the stride only says how far apart windows start.")
        if got.shape == expected.shape:
            others = [m for m in ph.MODES if m != mode
                      and np.allclose(got, ph.pool2d(img, pool, stride, mode=m))]
            if others:
                return _wrong(f"That is {others[0]} pooling; this exercise wants {mode}: take "
                              f"the {reduction} over the last two axes.")
        return _wrong(f"{case.capitalize()}, {problem}. Take the {reduction} over the last two "
                      "axes.")
    done = (f"The windows are a view (no copy), and one {reduction} over the last two axes "
            "pools them all.")
    if _calls_pool2d(my_view_pool):
        return _right("These are the right outputs, from pool2d. The exercise asks you to "
                      "build them yourself, though, to see how a view pools: "
                      "sliding_window_view(img, (pool, pool)), keep [::stride, ::stride], "
                      f"then the {reduction} over the last two axes. Try it that way too.")
    if coarse is not None:
        digits = np.finfo(coarse).precision
        return _right(f"{done} One difference: your function returns {coarse.name}, though "
                      f"the image is float64, so each value keeps only about {digits} "
                      "significant digits of float64's 15, and matches pool2d closely but "
                      f"not exactly. Leave out the conversion to {coarse.name} to keep "
                      "them all.")
    return _right(done)


def _calls_pool2d(function):
    """True when ``function``'s code calls pool2d and builds no window view itself; False too
    when its code cannot be read."""
    code = _code_without_comments(function)
    return (code is not None and re.search(r"\bpool2d\s*\(", code) is not None
            and re.search(r"sliding_window_view|as_strided", code) is None)


@_checker
def check_window_count(answer):
    """How many windows the loops visit on a 1024×1024 image with pool 3 and stride 1."""
    side = ph.output_size(1024, 3, 1)
    count = _whole_number(answer, why="windows are counted one by one", example="100")
    if count == side ** 2:
        return _right(f"{side ** 2:,} windows, each a step of Python code: at a microsecond "
                      "or more each, the loops spend over a second on one image.")
    if count == 1024 ** 2:
        return _wrong("A 3×3 window does not fit at the last two rows and columns.")
    if count in ((1024 // 3) ** 2, ph.output_size(1024, 3) ** 2):
        return _wrong("That is stride 3; here the stride is 1, so windows overlap.")
    if count == side:
        return _wrong(f"{side} windows fit along one side. The loops visit rows × columns.")
    if count == (1024 - 3) ** 2:
        return _wrong(f"{1024 - 3} per side is (n − k) // s without the + 1: the window at "
                      f"the top-left corner counts too, so {side} fit along each side.")
    if count == ph.output_size(1024, 3, 2) ** 2:
        return _wrong("That is stride 2: windows two cells apart. Here the stride is 1, so a "
                      "window starts at every cell where a 3×3 window fits.")
    return _wrong("Use the output-size formula on each side and multiply.")


# --- 07 the backward pass --------------------------------------------------------------------

def _routed(grad_out, x, pool, stride, ties, accumulate):
    """Max-pooling backward with a chosen rule for ties ('first', 'last', 'split', 'all') and
    ``+=`` or ``=``: the frameworks' rule and the slips learners make, to tell them apart."""
    grad = np.zeros(x.shape)
    for (row, col), g in np.ndenumerate(grad_out):
        top, left = row * stride, col * stride
        window = x[top:top + pool, left:left + pool]
        if window.size == 0:  # only for a slip: windows stepped past the edge of x
            continue
        winners = np.argwhere(window == window.max())
        winners = {"first": winners[:1], "last": winners[-1:]}.get(ties, winners)
        share = g / len(winners) if ties == "split" else g
        for i, j in winners:
            grad[top + i, left + j] = share + (grad[top + i, left + j] if accumulate else 0)
    return grad


_TIE_SLIPS = {
    "split": "You split a tied gradient evenly between equal maxima. It is not split: the whole "
             "gradient goes to one cell, the first maximum in row-major order (np.argmax).",
    "last": "When a window has two equal maxima you send the gradient to the last one. np.argmax "
            "gives the first maximum in row-major order, as the frameworks do.",
    "all": "With ties, every equal maximum gets the full gradient in your version. Only one "
           "cell gets it: the first maximum in row-major order (np.argmax gives it).",
}
_OVERLAP_SLIP = ("Some gradient went missing where windows overlap: a cell that is the maximum "
                 "of several windows must collect all of their gradients (accumulate with +=, "
                 "not =).")


_ONE_SLIP = ("The gradient lands on the right cells {case}, but each gets 1. A winner "
             "receives its output's gradient, grad_out[row, col], which is not always 1.")
_POOL_STEP_SLIP = ("{case}, your windows start every pool cells. The window of output "
                   "(row, col) starts at (row * stride, col * stride): the stride, not the pool, "
                   "says how far apart windows start.")


def _backward_error(error):
    """A hint when a window came out empty: windows stepped by the pool run off the edge."""
    if isinstance(error, ValueError) and "empty" in str(error):
        return ("One of your windows came out empty, past the edge of x: do your windows step "
                "by the pool? The window of output (row, col) starts at (row * stride, "
                "col * stride).")
    return None


@_checker
def check_max_backward(my_max_backward):
    """A learner's ``my_max_backward(grad_out, x, pool, stride)`` with loops, for 2-D ``x``."""
    rng = np.random.default_rng(7)
    ties = np.array([[1.0, 5.0, 5.0, 0.0], [5.0, 2.0, 0.0, 0.0],
                     [3.0, 3.0, 4.0, 4.0], [3.0, 3.0, 4.0, 4.0]])
    cases = [(rng.permutation(16).reshape(4, 4).astype(float), 2, 2),  # plain routing
             (rng.permutation(25).reshape(5, 5).astype(float), 3, 1),  # overlap, no ties
             (ties, 2, 2),                                            # ties, no overlap
             (ties[:3, :3], 2, 1),                                     # ties and overlap
             (rng.permutation(16).reshape(4, 4), 2, 2)]  # an int x, like a photo's pixels
    for x, pool, stride in cases:
        grad_out = rng.integers(1, 5, size=ph.pool2d(x, pool, stride).shape).astype(float)
        if x.dtype.kind in "iu":  # gradients with fractions: an int grad_x would cut them off
            grad_out = grad_out - 0.75
        case = f"on a {x.shape[0]}×{x.shape[1]} x with pool {pool} and stride {stride}"
        got = _call_for_array(my_max_backward, (grad_out, x, pool, stride),
                              ("grad_out", "x", "pool", "stride"), case, _backward_error)
        expected = ph.pool2d_backward(grad_out, x, pool, stride)
        problem = _difference(got, expected)
        if problem is None:
            continue
        if got.shape == grad_out.shape != x.shape:
            return _wrong(f"That has the shape of grad_out, {grad_out.shape}. The gradient flows "
                          f"back to x, so it has the shape of x, {x.shape}.")
        if got.shape != expected.shape:
            return _wrong(f"The gradient has the shape of x, {x.shape}; yours has shape "
                          f"{got.shape}.")
        if np.allclose(got, np.trunc(expected)):
            return _wrong(f"{case.capitalize()} (an int x, a grad_out with fractions such as "
                          f"{grad_out[0, 0]}), your gradients came back as whole numbers: "
                          "their fractions were cut off. np.zeros_like(x) on an int x makes "
                          "an int array, and += into it drops the fraction. Give the gradient "
                          "a float dtype, np.zeros_like(x, dtype=float), and convert nothing "
                          "to int.")
        for rule in ("first", "split", "last", "all"):
            for accumulate in (True, False):
                if rule == "first" and accumulate:
                    continue
                if np.allclose(got, _routed(grad_out, x, pool, stride, rule, accumulate)):
                    slips = [_TIE_SLIPS.get(rule), None if accumulate else _OVERLAP_SLIP]
                    return _wrong(" Also: ".join(s for s in slips if s))
        for accumulate in (True, False):  # 1 sent to each winner instead of grad_out[row, col]
            if np.allclose(got, _routed(np.ones_like(grad_out), x, pool, stride, "first",
                                        accumulate)):
                slips = [_ONE_SLIP.format(case=case), None if accumulate else _OVERLAP_SLIP]
                return _wrong(" Also: ".join(s for s in slips if s))
        if stride != pool and np.allclose(got, _routed(grad_out, x, pool, pool, "first", True)):
            return _wrong(_POOL_STEP_SLIP.format(case=case.capitalize()))
        return _wrong(f"{case.capitalize()}, {problem}. Each output's gradient goes to its "
                      "window's maximum: np.unravel_index(np.argmax(window), window.shape), "
                      "plus the window's top-left corner.")
    return _right("Gradients go to the first maximum of each window and add up where windows "
                  "overlap, exactly as in TensorFlow and PyTorch.")


# The window of notebook 07's exercise 2: its maximum, 9, at (1, 2) and at (2, 0). Reading
# along the rows, (1, 2) comes first; reading down the columns, (2, 0) would.
TIE_WINDOW = np.array([[2.0, 8.0, 1.0], [5.0, 3.0, 9.0], [9.0, 0.0, 4.0]])


def _grid(answer):
    """``answer`` as a 2-D array of numbers, or ``None`` when it is not one."""
    if not isinstance(answer, (list, tuple, np.ndarray)):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grid = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return grid if grid.ndim == 2 and np.isfinite(grid).all() else None


@_checker
def check_tie_cell(answer):
    """Which cell of ``TIE_WINDOW`` receives the gradient of 3×3 max pooling, as ``(row, col)``."""
    window = TIE_WINDOW
    grad = ph.pool2d_backward([[1.0]], window, window.shape[0])
    expected = tuple(int(i) for i in np.argwhere(grad == 1.0)[0])
    peak = _num(window.max())
    tied = [tuple(int(i) for i in cell) for cell in np.argwhere(window == window.max())]
    grid = _grid(answer)
    if grid is not None and grid.shape == window.shape:  # the routed gradient drawn as a grid
        if np.array_equal(grid, grad):
            return _wrong("That grid is right: the whole gradient goes to one cell. Now give "
                          "the (row, col) of the cell that receives it, for example (0, 0).")
        if np.allclose(grid, (window == window.max()) / len(tied)):
            return _wrong(f"Both {peak}s are maxima, but the gradient is not shared or split: "
                          "one cell gets all of it, the first maximum in row-major order. "
                          "And give that cell as (row, col).")
        return _wrong("That looks like a grid of gradients. Give the (row, col) of the one "
                      "cell that receives the gradient, for example (0, 0).")
    if grid is not None and grid.shape[0] > 1:  # several positions, or a grid of another size
        if grid.shape[1] == 2 and {tuple(row) for row in grid.tolist()} <= set(tied):
            return _wrong(f"Both {peak}s are maxima, but the gradient is not shared or split: "
                          "one cell gets all of it, the first maximum in row-major order.")
        return _wrong(f"Your answer has {grid.shape[0]} rows of numbers. Give one cell, as one "
                      "pair (row, col), for example (0, 0).")
    if isinstance(answer, numbers.Integral) and not isinstance(answer, (bool, np.bool_)) \
            and 0 <= answer < window.size:
        # a flat index, counted along the rows: name the cell it is and what it holds
        cell = tuple(int(i) for i in np.unravel_index(int(answer), window.shape))
        if cell == expected:
            return _wrong(f"{answer} looks like np.argmax's flat index, and it is the right "
                          "cell. Give it as (row, col): np.unravel_index(index, window.shape) "
                          "turns one into the other.")
        if window[cell] == window.max():
            return _wrong(f"Counted along the rows (0, 1, 2 on the top row, then 3, 4, 5), "
                          f"{answer} is cell {cell}: the other {peak}, which row-major order "
                          f"reaches second. Give the cell that gets the gradient as (row, col).")
        return _wrong(f"Counted along the rows (0, 1, 2 on the top row, then 3, 4, 5), {answer} "
                      f"is cell {cell}, which holds {_num(window[cell])}, not the maximum. Give "
                      "the cell that gets the gradient as (row, col).")
    cell = _pair(answer, example="(0, 0)")
    if cell == expected:
        return _right(f"{expected}: both {peak}s are maxima, and the first in row-major order "
                      "(along each row, top row first) takes the whole gradient.")
    if not all(0 <= i < n for i, n in zip(cell, window.shape)):
        return _wrong("The window is 3×3: its rows and columns are numbered 0, 1 and 2.")
    if window[cell] != window.max():
        return _wrong(f"Cell {cell} holds {_num(window[cell])}, not the maximum: only a maximum "
                      "can receive the gradient.")
    return _wrong(f"{cell} is a maximum too, and it would come first reading down the columns. "
                  "Row-major order reads along the rows, top row first: row "
                  f"{expected[0]} comes before row {cell[0]}, and only the first {peak} gets "
                  "the gradient.")


# --- 09 the pooling zoo ----------------------------------------------------------------------
# Notebook 09's exercises: the output size with dilation, the three divisors of a padded corner,
# where max_unpool2d puts a tied maximum, and TensorFlow's 'same' as an explicit padding. Each
# setting is here once; the notebook's worked solutions and tests/test_zoo_exercises.py read it.

#: Exercise 1: a side of 12 cells, pool 3, stride 2, dilation 3 (span 7).
DILATED_CASE = {"n": 12, "pool": 3, "stride": 2, "dilation": 3}
#: Exercise 2: the image whose top-left corner a 3×3 average (stride 2, padding 1) divides.
CORNER_IMAGE = np.array([[6, 2, 9], [4, 8, 1], [3, 5, 7]])
#: Exercise 3: two 2×2 windows, each with its maximum twice.
TIED = np.array([[3, 9, 4, 4], [9, 1, 0, 2]])
#: Exercise 4: TensorFlow's 'same' along a side of 7, pool 6, stride 2 (notebook 05 works
#: n = 5, k = 4, s = 2; this case has its own answer).
SAME_CASE = {"n": 7, "pool": 6, "stride": 2}


@_checker
def check_dilated_size(answer):
    """Outputs along a side of 12 with pool 3, stride 2, dilation 3: a whole number."""
    n, k, s, d = (DILATED_CASE[key] for key in ("n", "pool", "stride", "dilation"))
    expected = ph.output_size(n, k, s, dilation=d)
    span = d * (k - 1) + 1
    count = _whole_number(answer, example="4",
                          why="outputs are counted one by one, so ⌊…⌋ rounds the division "
                              "down before the + 1: a window that does not fit whole is "
                              "not counted")
    if count == expected:
        return _right(f"The window spans {d} × ({k} − 1) + 1 = {span} cells, so "
                      f"⌊({n} − {span}) / {s}⌋ + 1 = {expected}: windows start at cells 0, "
                      f"{s} and {2 * s}, and one starting at {3 * s} would reach past cell "
                      f"{n - 1}.")
    mistakes = {
        (n - k) // s + 1: f"{(n - k) // s + 1} is the count without dilation, as if the "
                          f"window spanned {k} cells. With dilation {d} its {k} cells lie {d} "
                          f"apart: it spans {d} × ({k} − 1) + 1 = {span} cells.",
        (n - k * d) // s + 1: f"That takes the span as {k} × {d} = {k * d} cells, a gap after "
                              f"the last cell too. The span is d (k − 1) + 1 = {span}: "
                              f"{k - 1} gaps of {d} cells, plus the first cell.",
        (n - d * (k - 1)) // s + 1: f"That takes the span as {d} × ({k} − 1) = {d * (k - 1)} "
                                    f"cells: the + 1 for the first cell is missing (or the "
                                    f"division was rounded up). The span is {span}, and "
                                    "⌊…⌋ rounds down.",
        n - span + 1: f"That is the count with stride 1. With stride {s}, divide by it: "
                      f"⌊({n} − {span}) / {s}⌋ + 1.",
    }
    if count in mistakes:
        return _wrong(mistakes[count])
    return _wrong(f"Put the span d (k − 1) + 1 in place of the pool size: "
                  f"⌊(n − span) / s⌋ + 1, with n = {n}, k = {k}, s = {s}, d = {d}.")


def _numbers(answer, count, who="Your answer", example="(1.0, 2.0, 3.0)"):
    """``count`` finite numbers, in a tuple, list or 1-D array, as floats."""
    _require_answer(answer)
    if isinstance(answer, (str, bytes)):
        _reject_text(answer, who, f"{count} numbers", example,
                     lambda v: _numbers(v, count, who, example))
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        items = list(answer)
    elif isinstance(answer, (list, tuple)):
        items = list(answer)
    elif isinstance(answer, numbers.Number) and not isinstance(answer, (bool, np.bool_)):
        raise _Reject(f"{who} is one number, {_clip(answer)}: the exercise asks for {count}, "
                      f"in round brackets, for example {example}.")
    else:
        raise _Reject(f"{who} is {_describe(answer)}, not {count} numbers. Write them like "
                      f"{example}.")
    if any(item is None for item in items):
        raise _Reject(f"{who} still holds None (a placeholder?): write {count} numbers, for "
                      f"example {example}.")
    if len(items) != count:
        raise _Reject(f"{who} has {_count(len(items), 'value')}; the exercise asks for "
                      f"exactly {count}, for example {example}.")
    places = ("first", "second", "third", "fourth")
    return tuple(_number(item, f"The {place} number of your answer")
                 for place, item in zip(places, items))


@_checker
def check_three_divisors(answer):
    """Top-left output of a 3×3 average (stride 2, padding 1) of ``CORNER_IMAGE`` divided by
    all cells, by the real cells and by 2: three numbers ``(all_cells, real_cells, divisor_2)``."""
    x = CORNER_IMAGE
    expected = (ph.pool2d(x, 3, 2, padding=1, mode="avg")[0, 0],
                ph.pool2d(x, 3, 2, padding=1, mode="avg", count_padding=False)[0, 0],
                ph.pool2d(x, 3, 2, padding=1, mode="avg", divisor=2)[0, 0])
    total = int(x[:2, :2].sum())  # the real cells of the corner window: rows, cols 0 and 1
    got = _numbers(answer, 3, example="(1.5, 3.0, 4.5)")

    def near(a, b):  # 2.22 for 20 / 9 is right: the exercise is worked by hand
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.006)

    ok = [near(a, b) for a, b in zip(got, expected)]
    if all(ok):
        return _right(f"The window covers rows and columns −1 to 1: four real cells summing "
                      f"to {total} and five padded ones. {total} / 9 = {expected[0]:.2f} "
                      f"(all cells), {total} / 4 = {_num(expected[1])} (real cells only), "
                      f"{total} / 2 = {_num(expected[2])} (divisor 2).")
    if near(got[0], expected[1]) and near(got[1], expected[0]):
        return _wrong("The first two are swapped: dividing by all cells counts the five "
                      "padded ones too, so it is the smaller number.")
    sums = (got[0] * 9, got[1] * 4, got[2] * 2)
    if all(near(value, sums[0]) for value in sums) and not near(sums[0], total):
        return _wrong(f"The three divisors are right, but your sum is {_num(sums[0])}, not "
                      f"{total}. With padding 1 the corner window covers rows and columns −1 "
                      f"to 1: which of its cells are real?")
    whole = int(x.sum())  # the window placed on the image itself, as if unpadded
    on_whole = [not right and near(value, whole) for right, value in zip(ok, sums)]
    if on_whole[1] or on_whole[2]:
        named = " and ".join(place for place, slip in zip(("first", "second", "third"),
                                                          on_whole) if slip)
        return _wrong(f"Your {named} number{'s' * (named.count(' and ') > 0)} divide"
                      f"{'' if ' and ' in named else 's'} the sum of the whole 3×3 image, "
                      f"{whole}. Padding 1 moves the window up and left by one: it covers "
                      "rows and columns −1 to 1, so only four of its cells are real. "
                      f"Their sum is the one to divide.")
    if not ok[0] and near(got[0], expected[1]):
        return _wrong("Your first number divides by the real cells only. PyTorch's default "
                      "(count_include_pad=True) divides by all 9 cells of the window, the "
                      "padded zeros included.")
    if not ok[1] and near(got[1], expected[0]):
        return _wrong("Your second number divides by all 9 cells. count_include_pad=False "
                      "leaves the padded cells out of the divisor: count the real cells.")
    if not ok[2] and (near(got[2], expected[0] * 2) or near(got[2], expected[1] * 2)
                      or near(got[2], expected[0] / 2) or near(got[2], expected[1] / 2)):
        return _wrong("divisor_override replaces the divisor, it does not scale the average: "
                      "divide the window's sum by 2.")
    places = ("first", "second", "third")
    for place, a, b in zip(places, got, expected):
        if not near(a, b) and a == math.floor(a) and a == total // round(total / b):
            return _wrong(f"Your {place} number, {_num(a)}, is a whole-number division "
                          f"({total} // {_num(round(total / b))}), which drops the remainder. "
                          f"Divide with / instead: {total} / {_num(round(total / b))} = "
                          f"{b:.4g}.")
        if not near(a, b) and abs(a - b) <= 0.05 + 1e-9 and round(a, 1) == a:
            return _wrong(f"Your {place} number, {_num(a)}, is rounded to one decimal: the "
                          f"checker accepts an answer within 0.006, so give two decimals "
                          f"({b:.2f}) or write the division itself, such as {total} / "
                          f"{_num(round(total / b))}.")
    wrong = [place for place, right in zip(places, ok) if not right]
    named = " and ".join([", ".join(wrong[:-1]), wrong[-1]] if len(wrong) > 1 else wrong)
    return _wrong(f"Your {named} number{'s' * (len(wrong) > 1)} "
                  f"{'are' if len(wrong) > 1 else 'is'} not right yet. Add up the real cells "
                  "of the window (rows and columns −1 to 1), then divide that sum by 9, by the "
                  "number of real cells, and by 2.")


@_checker
def check_tied_unpool(answer):
    """``TIED`` max-pooled 2×2 with its indices, then unpooled: the 2×4 array."""
    values, where = ph.pool2d(TIED, 2, return_indices=True)
    expected = ph.max_unpool2d(values, where, 2).astype(float)
    got = _array(answer, example="[[0, 0, 0, 0], [0, 0, 0, 0]]")
    if got.shape == values.shape and np.array_equal(got, values):
        return _wrong(f"That is the pooled output, {values.shape[0]}×{values.shape[1]}. "
                      "max_unpool2d puts each value back into an array of the input's size, "
                      f"{TIED.shape[0]}×{TIED.shape[1]}, at the cell its index names.")
    if got.shape != expected.shape:
        return _wrong(f"The unpooled array has the input's shape, {TIED.shape}; yours has "
                      f"shape {got.shape}.")
    if np.array_equal(got, expected):
        return _right("One index per window, the first maximum in row-major order: the 9 of "
                      "row 0 and the 4 of column 2. Each goes back to its cell; every other "
                      "cell is 0, the tied twins too.")
    if np.array_equal(got, TIED):
        return _wrong("That is the input itself. max_unpool2d keeps only the pooled values, "
                      "one per window, and puts 0 everywhere else.")
    windows = ph.get_pools(TIED, 2, 2)
    every_max = np.zeros(TIED.shape)
    last_max = np.zeros(TIED.shape)
    column_major = np.zeros(TIED.shape)
    for col in range(windows.shape[1]):
        window = windows[0, col]
        cells = np.argwhere(window == window.max())  # in row-major order
        for row, c in cells:
            every_max[row, 2 * col + c] = window.max()
        row, c = cells[-1]
        last_max[row, 2 * col + c] = window.max()
        row, c = min(cells.tolist(), key=lambda rc: (rc[1], rc[0]))
        column_major[row, 2 * col + c] = window.max()
    if np.array_equal(got, every_max):
        return _wrong("Every tied maximum is there, but a window keeps one index only: the "
                      "first maximum in row-major order (along the top row first). Its twin "
                      "is 0 in the unpooled array.")
    if np.array_equal(got, last_max):
        return _wrong("You kept the last maximum of each window. The index is the first "
                      "maximum in row-major order: along the top row first, left to right.")
    if np.array_equal(got, column_major):
        return _wrong("You read each window down its columns. Row-major order reads along "
                      "the rows: in [[3, 9], [9, 1]] the 9 of row 0 comes before the 9 of "
                      "row 1.")
    return _wrong(f"Not quite: {_difference(got, expected)}. Each window keeps one value, at "
                  "its first maximum in row-major order; every other cell is 0.")


@_checker
def check_same_as_explicit(answer):
    """TensorFlow's 'same' on a side of 7 with pool 6 and stride 2, as an explicit padding
    ``((top, bottom), (left, right))``; a padding with the same windows is right too, with a
    note on what 'same' itself adds."""
    n, k, s = SAME_CASE["n"], SAME_CASE["pool"], SAME_CASE["stride"]
    windows = ph.axis_windows(n, k, s, padding="same")
    expected = ((windows.pad_before, windows.pad_after),) * 2
    total = windows.pad_before + windows.pad_after
    m = windows.count
    example = "((0, 0), (0, 0))"
    _require_answer(answer)
    if isinstance(answer, (str, bytes)):
        _reject_text(answer, "Your answer", "a padding", example,
                     lambda v: check_same_as_explicit.__wrapped__(v))
    if isinstance(answer, np.ndarray) and answer.ndim == 0:  # np.array(3): one number
        answer = answer.item()
    items = list(answer) if isinstance(answer, (list, tuple, np.ndarray)) else None
    if items is not None and len(items) == 2 and all(
            isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_))
            for v in items):
        raise _Reject("That is one (before, after) pair. Give one for each axis: "
                      "((top, bottom), (left, right)), for example ((0, 1), (0, 1)).")
    if items is None or len(items) != 2:
        raise _Reject(f"Your answer is {_describe(answer)}; write two pairs, "
                      f"((top, bottom), (left, right)), for example {example}.")
    for axis, item in zip(("first", "second"), items):
        if item is None:
            raise _Reject(f"Your {axis} pair is still None: give both pairs, "
                          f"((top, bottom), (left, right)), for example {example}.")
    got = tuple(_pair(item, f"Your {axis} pair", "a pair (before, after)", "(0, 1)")
                for axis, item in zip(("first", "second"), items))
    if any(side < 0 for pair in got for side in pair):
        return _wrong("A negative number is not a padding: padding adds cells around the "
                      "input, 0 or more on each side. 'same' adds cells, none taken away.")
    why = (f"'same' gives ⌈{n} / {s}⌉ = {m} outputs, which need ({m} − 1) × {s} + {k} − {n} "
           f"= {total} padded cells per axis; TensorFlow puts ⌊{total} / 2⌋ = "
           f"{windows.pad_before} before the input and {windows.pad_after} after it.")
    if got == expected:
        return _right(why)

    def same_windows(pair):  # the windows start alike and as many fit: the same output
        before, after = pair
        return (before == windows.pad_before and after < k
                and (n + before + after - k) // s + 1 == m)

    if all(same_windows(pair) for pair in got):
        return _right(f"Your padding gives the same output as 'same': the extra cell after "
                      f"the input falls in no window. 'same' itself adds only what the last "
                      f"window needs, {expected[0]}: {why}")
    if got == tuple(pair[::-1] for pair in expected):
        return _wrong("The split is the wrong way round: TensorFlow puts the odd extra cell "
                      "after the input, at the bottom and right, not before it.")
    if got == ((expected[0][0], expected[1][0]), (expected[0][1], expected[1][1])):
        return _wrong("Each inner pair is one axis: (top, bottom) first, then (left, right). "
                      "Yours reads as (top, left), (bottom, right).")
    if any(sum(pair) != total for pair in got):
        return _wrong(f"'same' gives ⌈{n} / {s}⌉ = {m} outputs, which need ({m} − 1) × {s} + "
                      f"{k} − {n} = {total} padded cells along each axis: your pairs add up "
                      f"to {got[0][0] + got[0][1]} and {got[1][0] + got[1][1]}.")
    return _wrong(f"The {total} padded cells per axis are right; now split them as 'same' "
                  "does (notebook 05): ⌊total / 2⌋ before the input, the rest after it.")


#: Exercise 5: one 2×2 window, LP-pooled with p = 2.
LP_WINDOW = np.array([[3, 0], [0, 4]])


@_checker
def check_lp_window(answer):
    """``LP_WINDOW`` LP-pooled with p = 2 (one 2×2 window): one number."""
    window = LP_WINDOW
    expected = float(ph.lp_pool2d(window, 2)[0, 0])
    squares = float((window.astype(float) ** 2).sum())
    value = _number(answer, example="2.5")
    if math.isclose(value, expected, rel_tol=1e-6, abs_tol=1e-9):
        return _right(f"√(3² + 0² + 0² + 4²) = √{_num(squares)} = {_num(expected)}: the sum of "
                      "the squares, then its square root, the length of the arrow (3, 4).")
    mistakes = [
        (math.sqrt(squares / window.size), "That is the square root of the mean of the squares. "
         "LP pooling sums the p-th powers, it does not average them: PyTorch's LPPool2d "
         "multiplies its average by the window's size first."),
        (squares, f"{_num(squares)} is the sum of the squares: take its square root (1 / p with "
                  "p = 2)."),
        (float(window.sum()), f"{_num(window.sum())} is the sum of the window: LP pooling with "
                              "p = 1. Here p = 2: square, sum, square root."),
        (float(window.max()), f"{_num(window.max())} is the maximum, what LP pooling tends to as "
                              "p grows large. With p = 2 the 3 counts too."),
        (float(window.mean()), "That is the window's average. LP pooling with p = 2 squares "
                               "each cell, sums, then takes the square root."),
        (squares / window.size, "That is the mean of the squares. LP pooling sums them, and "
                                "then takes the square root."),
    ]
    for wrong, hint in mistakes:
        if math.isclose(value, wrong, rel_tol=1e-6, abs_tol=1e-9):
            return _wrong(hint)
    return _wrong("Square each cell of the window, add the four squares, and take the square "
                  "root of the sum.")
