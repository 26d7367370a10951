"""The checkers accept right answers in every usual form, name the typical mistakes, and the
notebooks' worked solutions pass their checks when run in the notebooks themselves."""

from pathlib import Path

import nbformat
import numpy as np
import pytest

import pooling_exercises as ex
import pooling_helpers as ph
from notebook_runner import exercises

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


# --- the worked solutions, run in their notebooks --------------------------------------------
# exercises(cells) finds (answer cell, check cell, worked solution) in tests/notebook_runner.py


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_checked_exercises(path):
    cells = nbformat.read(path, as_version=4).cells
    found = exercises(cells)
    assert len(found) >= 2
    # a <details> block of another kind ("For the curious") is no worked solution
    solutions = sum(c.source.count("<summary>Worked solution</summary>") for c in cells
                    if c.cell_type == "markdown")
    assert solutions == len(found), "a worked solution without a check cell just before it"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_worked_solutions_pass_their_checks_in_the_notebook(path, executed_notebook):
    """Each worked solution, run in a fresh kernel of its notebook where the learner's answer
    goes, on the notebook's own data, makes its check cell say "Correct". One run serves this
    test and tests/test_notebooks.py's plain run (notebook_runner.run_with_worked_solutions):
    each solution and its check cell run in cells added right after the stored check cell."""
    run = executed_notebook(path)
    found = run.errors(run.added())
    assert not found, "\n".join(found)
    assert len(run.checks) >= 2
    for check, repeat in run.checks:
        shown = " ".join(output.get("data", {}).get("text/plain", "")
                         for output in run.notebook.cells[repeat].outputs)
        assert "Correct" in shown, f"check cell {check}: {shown or 'no output'}"


# --- right answers, in the forms learners write them -----------------------------------------

def worked_get_pools(img, pool_size, stride):
    return ph.get_pools(img, pool_size, stride)


def looped_backward(route, accumulate=True):
    """A max-pooling backward pass with loops, as learners write it: ``route(window)`` gives
    each cell's share of the window's gradient; ``accumulate=False`` is the '=' slip."""
    def backward(grad_out, x, pool, stride):
        grad_x = np.zeros_like(x, dtype=float)
        for row in range(grad_out.shape[0]):
            for col in range(grad_out.shape[1]):
                top, left = row * stride, col * stride
                cells = grad_x[top:top + pool, left:left + pool]  # a view into grad_x
                share = route(x[top:top + pool, left:left + pool]) * grad_out[row, col]
                if accumulate:
                    cells += share
                else:
                    cells[share != 0] = share[share != 0]
        return grad_x
    return backward


def nth_maximum(n):
    """Route to the n-th of a window's tied maxima in row-major order (0 first, -1 last)."""
    def route(window):
        one = np.zeros(window.size)
        one[np.flatnonzero(window == window.max())[n]] = 1
        return one.reshape(window.shape)
    return route


def every_maximum(window):
    return (window == window.max()).astype(float)


worked_max_backward = looped_backward(nth_maximum(0))
windows = np.lib.stride_tricks.sliding_window_view
AVERAGE = [[9.25, 7.25], [12.25, 4.5]]


@pytest.mark.parametrize("check, args", [
    (ex.check_values_kept, [12544]), (ex.check_values_kept, [np.int64(112) ** 2]),
    (ex.check_halvings, [4]), (ex.check_halvings, [4.0]), (ex.check_halvings, [np.array(4)]),
    (ex.check_pool_grid, [(2, 3)]), (ex.check_pool_grid, [[2, 3]]),
    (ex.check_pool_grid, [np.array([2, 3])]),
    (ex.check_pool_grid, [ph.get_pools(np.zeros((5, 7)), 2, 2).shape[:2]]),
    (ex.check_get_pools, [worked_get_pools]),
    (ex.check_output_size_formula, [lambda n, k, s: (n - k) // s + 1]),
    (ex.check_output_size_formula, [lambda n, k, s: np.floor((n - k) / s) + 1]),
    (ex.check_skipped_cells, [28]), (ex.check_default_stride_shape, [(3, 4)]),
    (ex.check_default_stride_shape, [(np.int64(3), 4.0)]),
    (ex.check_average_pool, [AVERAGE]), (ex.check_average_pool, [np.array(AVERAGE)]),
    (ex.check_shift_changes, [2]),
    (ex.check_global_pooling, [lambda f: f.mean(axis=(0, 1))]),
    (ex.check_global_pooling, [lambda f: list(f.mean(axis=(0, 1)))]),
    (ex.check_cat_pooled_shape, [(74, 74)]), (ex.check_kept_share, [39 * 59 / (80 * 120)]),
    (ex.check_kept_share, [0.2397]), (ex.check_kept_share, [0.24]),
    (ex.check_kept_share, [0.239]),  # 0.2397 cut to three decimals
    (ex.check_kept_share, [np.float32(0.2397)]), (ex.check_26_by_26, [8, 9]),
    (ex.check_padded_max, [lambda x: ph.pool2d(x, 2, 2, padding=1)]),
    (ex.check_padded_average, [4, 9]), (ex.check_padded_average, [4.0, np.float32(9)]),
    (ex.check_padded_average, [4.0000001, 9.0]),  # float32 rounding, as a framework gives it
    (ex.check_same_padding_side, [[7, 7, 5, 5]]), (ex.check_same_padding_side, [(7, 7, 5, 5)]),
    (ex.check_same_padding_side, [np.array([[7, 7, 5, 5]])]),
    (ex.check_view_pooling, [lambda img, p, s: windows(img, (p, p))[::s, ::s].max(axis=(2, 3))]),
    (ex.check_window_count, [1022 ** 2]), (ex.check_max_backward, [worked_max_backward]),
    (ex.check_tie_cell, [(1, 2)]), (ex.check_tie_cell, [np.array([1, 2])]),
    (ex.check_tie_cell, [[np.int64(1), 2.0]]),
])
def test_right_answers_are_correct_in_every_usual_form(check, args):
    verdict = check(*args)
    assert verdict.ok, verdict.message


def test_placeholders_get_a_friendly_prompt():
    verdict = ex.check_pool_grid(None)
    assert not verdict and "placeholder" in verdict.message
    assert "Not yet" in repr(verdict) and "Not yet" in verdict._repr_html_()
    assert "placeholder" in ex.check_26_by_26(8, None).message


# --- the misconceptions of shared/GUIDE.md, each named by its checker --------------------------

@pytest.mark.parametrize("check, args, words", [
    # 25 × 25 gives 12, not 13, without ceil mode: the border is dropped (asked
    # on 26 × 26 with pool 3, stride 3: 8, not 9)
    (ex.check_26_by_26, [9, 9], ["dropped", "round down"]),
    (ex.check_26_by_26, [8, 8], ["Ceil mode rounds up", "row 24"]),
    (ex.check_26_by_26, [24, 9], ["stride 1"]),
    # TensorFlow's 'same' pads mostly at the bottom and right
    (ex.check_same_padding_side, [[7, 7, 7, 5]], ["bottom and right"]),
    (ex.check_same_padding_side, [[7, 1, 3, 5]], ["columns −1 to 2", "never wins"]),
    (ex.check_padded_average, [4.0, 4.0], ["out of the divisor", "real cells"]),
    # max pooling pads with −∞, not 0
    (ex.check_padded_max, [lambda x: ph.pool2d(np.pad(x, 1), 2, 2)], ["zeros", "−∞"]),
    # is the padding counted in the divisor of an average?
    (ex.check_padded_average, [9.0, 9.0], ["counts the padding in the divisor",
                                           "all 9 cells"]),
    # the default stride is the pool size, not 1
    (ex.check_default_stride_shape, [(7, 10)], ["default stride is the pool size"]),
    # a stride larger than the pool skips pixels
    (ex.check_skipped_cells, [0], ["stride larger than the pool skips"]),
    # overlapping windows accumulate in the backward pass
    (ex.check_max_backward, [looped_backward(nth_maximum(0), accumulate=False)],
     ["overlap", "+=", "accumulate"]),
    # max pooling is only partly translation invariant
    (ex.check_shift_changes, [0], ["only partly shift invariant", "window border",
                                   "first and the middle outputs"]),
    (ex.check_shift_changes, [3], ["stayed inside its window"]),
    # 1: most likely the 9 seen leaving the first window, its arrival in the middle one missed
    (ex.check_shift_changes, [1], ["first output", "9 became 1", "middle output, 3 before"]),
    # tied maxima: the gradient is not split, it goes to the first in row-major order
    (ex.check_max_backward, [looped_backward(lambda w: every_maximum(w) / every_maximum(w).sum())],
     ["not split", "first maximum in row-major order"]),
    (ex.check_max_backward, [looped_backward(nth_maximum(-1))],
     ["last one", "np.argmax gives the first"]),
    (ex.check_max_backward, [looped_backward(every_maximum)], ["first maximum in row-major order"]),
    (ex.check_tie_cell, [(2, 0)], ["reading down the columns", "Row-major order",
                                   "top row first"]),
    (ex.check_tie_cell, [[(1, 2), (2, 0)]], ["not shared or split"]),
    (ex.check_tie_cell, [[[0, 0, 0], [0, 0, 0.5], [0.5, 0, 0]]], ["not shared or split"]),
    # a stride or a +1 forgotten when counting windows
    (ex.check_window_count, [1021 ** 2], ["without the + 1", "1022 fit"]),
    (ex.check_window_count, [511 ** 2], ["stride 2", "stride is 1"]),
])
def test_each_misconception_is_named(check, args, words):
    verdict = check(*args)
    assert not verdict
    for word in words:
        assert word in verdict.message


# --- the other typical mistakes ---------------------------------------------------------------

def square_only_get_pools(img, pool_size, stride):
    n = (img.shape[0] - pool_size) // stride + 1
    return np.array([[img[r * stride:r * stride + pool_size, c * stride:c * stride + pool_size]
                      for c in range(n)] for r in range(n)])


def pool_stepped_get_pools(img, pool_size, stride):  # steps by the pool instead of the stride
    return ph.get_pools(np.pad(img, ((0, 9), (0, 9))), pool_size, pool_size)[
        :ph.output_size(img.shape[0], pool_size, stride),
        :ph.output_size(img.shape[1], pool_size, stride)]


def width_for_both_get_pools(img, pool_size, stride):  # img.shape[1] for the rows too
    side = (img.shape[1] - pool_size) // stride + 1
    pools = np.empty((side, side, pool_size, pool_size), dtype=img.dtype)
    for row in range(side):
        for col in range(side):
            top, left = row * stride, col * stride
            pools[row, col] = img[top:top + pool_size, left:left + pool_size]
    return pools


def width_for_both_lists(img, pool_size, stride):  # the same slip, with lists
    starts = range(0, img.shape[1] - pool_size + 1, stride)
    return [[img[top:top + pool_size, left:left + pool_size] for left in starts]
            for top in starts]


def starts_to_the_end_lists(img, pool_size, stride):  # range(0, n, stride): windows cut short
    return [[img[top:top + pool_size, left:left + pool_size]
             for left in range(0, img.shape[1], stride)]
            for top in range(0, img.shape[0], stride)]


def swapped_sizes_get_pools(img, pool_size, stride):  # out_h from the width, out_w from the height
    out_h = (img.shape[1] - pool_size) // stride + 1
    out_w = (img.shape[0] - pool_size) // stride + 1
    return np.array([[img[c * stride:c * stride + pool_size, r * stride:r * stride + pool_size]
                      for c in range(out_w)] for r in range(out_h)])


@pytest.mark.parametrize("wrong, words", [
    (square_only_get_pools, "img.shape[1]"),
    (lambda img, p, s: ph.get_pools(img, p, 1), "stride is ignored"),
    (lambda img, p, s: ph.get_pools(img, p, s).reshape(-1, p, p), "flat list"),
    (pool_stepped_get_pools, "top-left corner is img["),
    # the article's loop: a flat list, and the height used for both loops
    (ph.article_get_pools, "flat list, all from the top-left 4×4 square"),
    (lambda img, p, s: ph.get_pools(img, p, s).transpose(1, 0, 2, 3),
     "rows and columns are swapped"),
    (swapped_sizes_get_pools, "rows and columns are swapped"),
    (width_for_both_get_pools, "Some window came out smaller than 2×2"),
    (lambda img, p, s: np.array(width_for_both_lists(img, p, s)), "img.shape[0] (4)"),
    (width_for_both_lists, "your pools do not all have the same shape"),
    # loops whose starts run up to n instead of n − pool: named, without NumPy's message
    (lambda img, p, s: np.array(starts_to_the_end_lists(img, p, s)),
     "range(0, n - pool + 1, stride)"),
    (starts_to_the_end_lists, "the last start is n − pool"),
    (lambda img, p, s: np.array(starts_to_the_end_lists(img, p, s)),
     "NumPy cannot stack pools of different sizes. Some"),
    (lambda img, p, s: 1 / 0, "ZeroDivisionError"),
    (lambda img, p, s: None, "did you forget `return`"),
    (lambda img, p, s: print(ph.get_pools(img, p, s)), "Replace print(...) with return"),
    # a printed array is counted in lines, not quoted clipped; a short line is quoted whole
    (lambda img, p, s: print(ph.get_pools(img, p, s)), "printed 18 lines on a 4×7 matrix"),
    (lambda img, p, s: print("done"), 'printed "done" on a 4×7 matrix'),
    # a function that returns text is told so, not to write numbers without quotes
    (lambda img, p, s: str(ph.get_pools(img, p, s)), "returned text (a string)"),
    (lambda img, p: None, "must take 3 arguments"),
    (worked_get_pools(np.zeros((4, 4)), 2, 2), "function itself"),
])
def test_get_pools_check_names_the_mistake(wrong, words):
    verdict = ex.check_get_pools(wrong)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda n, k, s: (n - k) / s + 1, "Use // (floor division)"),
    (lambda n, k, s: -(-(n - k) // s) + 1, "Round down"),
    (lambda n, k, s: round((n - k) / s) + 1, "round() rounds to the nearest"),
    (lambda n, k, s: (n - k) // s, "Add 1."),
    (lambda n, k, s: (n - k) // s + 2, "Add 1, not 2"),
    (lambda n, k, s: n - k + 1, "stride is missing"),
    (lambda n, k, s: n // s, "ignores the window size"),
    (lambda n, k, s: n // k, "n // k"),
    (lambda n, k, s: -(-n // s), "'same'"),
    (lambda n, k, s: 3, "windows start at"),
    (lambda n, k, s: None, "did you forget `return`"),
    # a function is told what a function does wrong, not to write a typed answer without quotes
    (lambda n, k, s: str((n - k) // s + 1), "returned text (a string)"),
    (lambda n, k, s: np.array([(n - k) // s + 1]), "return the number itself"),
    (lambda n, k, s: [(n - k) // s + 1], "not [...] or np.array(...)"),
])
def test_output_size_check_names_the_mistake(wrong, words):
    verdict = ex.check_output_size_formula(wrong)
    assert not verdict and words in verdict.message


def test_the_size_cases_tell_every_slip_apart():
    vectors = {tuple(formula(*case) for case in ex._SIZE_CASES) for formula, _ in ex._SIZE_SLIPS}
    right = tuple(ph.output_size(*case) for case in ex._SIZE_CASES)
    assert len(vectors) == len(ex._SIZE_SLIPS) and right not in vectors


@pytest.mark.parametrize("check, args, words", [
    (ex.check_values_kept, [25088], "halves each side"),
    (ex.check_values_kept, [112], "one side"), (ex.check_values_kept, [50176], "before pooling"),
    (ex.check_values_kept, [0.25], "share"), (ex.check_values_kept, [(112, 112)], "the shape"),
    (ex.check_values_kept, [np.array([112, 112])], "the shape"),
    (ex.check_halvings, [16], "halv"), (ex.check_halvings, ["4"], "Drop the quotes: 4"),
    (ex.check_halvings, [5], "one step fewer than sizes"),
    (ex.check_halvings, [np.array([4, 4])], "array of shape (2,)"),
    (ex.check_pool_grid, [(2, 2)], "img.shape[0]"), (ex.check_pool_grid, [(3, 4)], "fit"),
    (ex.check_pool_grid, [(3, 2)], "Rows come first"),
    (ex.check_pool_grid, [(5, 7)], "the matrix's own shape"),
    (ex.check_default_stride_shape, [(9, 12)], "the input's shape"),
    (ex.check_average_pool, [[[9.25, 12.25], [7.25, 4.5]]], "Rows and columns are swapped"),
    (ex.check_average_pool, [[[True, False], [1, 2]]], "True/False values"),
    (ex.check_skipped_cells, [36], "do cover"), (ex.check_skipped_cells, [32], "counted twice"),
    (ex.check_default_stride_shape, ["34"], "in quotes"),
    (ex.check_default_stride_shape, [(3.7, 4.2)], "not a whole number"),
    (ex.check_default_stride_shape, [{3, 4}], "no order"),
    (ex.check_average_pool, [[[12, 9], [18, 7]]], "maxima"),
    (ex.check_average_pool, [[[9, 7], [12, 4]]], "round() takes a half to the even"),
    (ex.check_average_pool, [[[9, 7], [12, 5]]], "halves up (4.5 → 5)"),
    (ex.check_average_pool, [[[10, 8], [13, 5]]], "rounded the means up"),
    (ex.check_average_pool, [9.25], "You gave one number"),
    (ex.check_average_pool, [8.3125], "mean of the whole matrix"),
    (ex.check_average_pool, [[[9.25, 7.25], [12.25, 4]]], "row 1, column 1"),
    (ex.check_average_pool, [[9.25, 7.25, 12.25, 4.5]], "as a 2×2 grid"),
    (ex.check_average_pool, [np.zeros((3, 3))], "stride 1"),
    (ex.check_average_pool, ["abc"], "in quotes"),
    (ex.check_cat_pooled_shape, [(75, 75)], "rounded down"),
    (ex.check_cat_pooled_shape, [74], "two numbers"),
    (ex.check_kept_share, [1 / 9], "stride"), (ex.check_kept_share, [23.97], "percentage"),
    (ex.check_kept_share, ["0.24"], "Drop the quotes: 0.24"),
    (ex.check_kept_share, [0.25], "fits 39 times down and 59 times across"),
    (ex.check_kept_share, [0.2377], "80 high but 120 wide"),
    (ex.check_kept_share, [0.2417], "120 wide but only 80 high"),
    (ex.check_kept_share, [0.2296], "Off by one"),
    (ex.check_kept_share, [0.9588], "stride 1"),
    (ex.check_kept_share, [0.1083], "stride 3"),
    (ex.check_kept_share, [2301], "number of output values"),
    (ex.check_kept_share, [float("nan")], "NaN"),
    (ex.check_26_by_26, [9, 8], "swapped"), (ex.check_26_by_26, [8.5, 9], "whole number"),
    (ex.check_padded_average, [4.0, 6.0], "PyTorch value is right"),
    (ex.check_padded_average, [1.0, 9.0], "rows and columns −1 to 1"),
    (ex.check_padded_average, [4.01, 9.0], "close to the answer but not exact"),
    (ex.check_padded_average, [4.0, 8.99], "tensorflow_value, 8.99, is close"),
    (ex.check_same_padding_side, [[7, 5]], "keeps the size"),
    (ex.check_same_padding_side, ["[7, 7, 5, 5]"], "Drop the quotes"),
    (ex.check_window_count, [1024 ** 2], "does not fit"),
    (ex.check_window_count, [1022], "one side"),
    (ex.check_tie_cell, ["12"], "in quotes"), (ex.check_tie_cell, [(1, 1)], "not the maximum"),
    (ex.check_tie_cell, [5], "np.unravel_index"), (ex.check_tie_cell, [(3, 0)], "3×3"),
    # the right routing, drawn as a grid: right, but the question asks for a position
    (ex.check_tie_cell, [[[0, 0, 0], [0, 0, 1], [0, 0, 0]]], "That grid is right"),
    (ex.check_tie_cell, [np.zeros((3, 3))], "grid of gradients"),
    (ex.check_tie_cell, [[[0, 1], [0, 0]]], "one pair (row, col)"),
])
def test_answer_checks_name_the_mistake(check, args, words):
    verdict = check(*args)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("check, answer, words", [
    # a learner's review of 00-04: the hints use what the notebook has taught so far, and
    # answers that come from another of the notebook's own numbers are named as such
    (ex.check_values_kept, 12500, "224 / 2 = 112"),
    (ex.check_values_kept, 3136, "after pooling twice"),
    (ex.check_values_kept, 4.0, "how many pixels share one kept value"),
    (ex.check_skipped_cells, 45, "the count for the 9×9 matrix"),
    (ex.check_cat_pooled_shape, (111, 111), "That is stride 2"),
])
def test_review_hints_of_00_to_04(check, answer, words):
    verdict = check(answer)
    assert not verdict and words in verdict.message
    assert "⌊" not in verdict.message or check is not ex.check_values_kept


def test_function_checks_name_the_mistake():
    assert "[::stride" in ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p)).max(axis=(2, 3))).message
    assert "That is max pooling" in ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p))[::s, ::s].max(axis=(2, 3)), mode="avg").message
    assert "last two, axis=(2, 3)" in ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p))[::s, ::s].max(axis=(0, 1))).message
    assert "mode must be" in ex.check_view_pooling(worked_get_pools, mode="median").message
    global_hints = [
        (lambda f: f.mean(axis=2), "over the channels"), (lambda f: f.mean(), "One number"),
        (lambda f: f.mean(axis=(0, 1), keepdims=True), "keepdims"),
        # cell 21's call without mode="avg", or a max with keepdims: maxima, not right values
        (lambda f: ph.pool2d(f, f.shape[:2]), 'unless told mode="avg"'),
        (lambda f: f.max(axis=(0, 1), keepdims=True), "maxima of each channel"),
        (lambda f: f.sum(axis=(0, 1), keepdims=True), "sums of each channel"),
        (lambda f: f.mean(axis=(0, 1), keepdims=True) + 1, "your values differ"),
        # the method 03 teaches: one window the size of the map, then .ravel()
        (lambda f: ph.pool2d(f, f.shape[:2], mode="avg"), ".ravel()"),
        (lambda f: str(f.mean(axis=(0, 1))), "returned text (a string)"),
        (lambda f: f.max(axis=(0, 1)), "maxima"), (lambda f: f.sum(axis=(0, 1)), "sums"),
        (lambda f: f.mean(axis=(0, 1)) + 1, "values differ"),
        (lambda f: None, "did you forget `return`"), (lambda f: 1 / 0, "ZeroDivisionError"),
    ]
    for function, words in global_hints:
        assert words in ex.check_global_pooling(function).message
    integer_pad = lambda x: ph.pool2d(np.pad(x, 1, constant_values=-np.inf), 2, 2)
    assert "x.astype(float)" in ex.check_padded_max(integer_pad).message
    assert "on every side" in ex.check_padded_max(lambda x: ph.pool2d(x, 2, 2)).message
    assert "shape of grad_out" in ex.check_max_backward(lambda g, x, p, s: g).message
    # windows stepped by the pool: an empty window raises, or (skipped) the routes are off
    assert "row * stride" in ex.check_max_backward(pool_stepped_backward()).message
    skipping = ex.check_max_backward(pool_stepped_backward(skip_empty=True)).message
    assert "start every pool cells" in skipping and "row * stride" in skipping
    assert "grad_out[row, col]" in ex.check_max_backward(sends_one).message


def pool_stepped_backward(skip_empty=False):
    """The slip top = row * pool: windows step by the pool, whatever the stride."""
    def backward(grad_out, x, pool, stride):
        grad_x = np.zeros_like(x, dtype=float)
        for row in range(grad_out.shape[0]):
            for col in range(grad_out.shape[1]):
                top, left = row * pool, col * pool
                window = x[top:top + pool, left:left + pool]
                if skip_empty and window.size == 0:
                    continue
                r, c = np.unravel_index(np.argmax(window), window.shape)
                grad_x[top + r, left + c] += grad_out[row, col]
        return grad_x
    return backward


def sends_one(grad_out, x, pool, stride):
    """The slip += 1: the winner gets 1 instead of its output's gradient."""
    grad_x = np.zeros_like(x, dtype=float)
    for row in range(grad_out.shape[0]):
        for col in range(grad_out.shape[1]):
            top, left = row * stride, col * stride
            window = x[top:top + pool, left:left + pool]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            grad_x[top + r, left + c] += 1
    return grad_x


def blocks_avg(img, pool, stride):
    """A reshape into side-by-side blocks, trimmed to fit: stride = pool, whatever stride is."""
    h, w = img.shape[0] // pool * pool, img.shape[1] // pool * pool
    return img[:h, :w].reshape(h // pool, pool, w // pool, pool).mean(axis=(1, 3))


def untrimmed_blocks_avg(img, pool, stride):
    h, w = img.shape
    return img.reshape(h // pool, pool, w // pool, pool).mean(axis=(1, 3))


@pytest.mark.parametrize("wrong, words", [
    (blocks_avg, ["side-by-side 3×3 blocks", "stride = pool", "[::stride, ::stride]"]),
    (untrimmed_blocks_avg, ["ValueError", "reshape into blocks", "sliding_window_view"]),
    (lambda img, p, s: windows(img, (s, s))[::s, ::s].mean(axis=(2, 3)),
     ["your windows are 2×2, the stride, not 3×3, the pool"]),
    (lambda img, p, s: windows(img, (p, p))[::s, ::s].sum(axis=(2, 3)),
     ["You summed each window", ".mean(axis=(2, 3))"]),
])
def test_view_average_check_names_the_mistake(wrong, words):
    verdict = ex.check_view_pooling(wrong, mode="avg")
    assert not verdict
    for word in words:
        assert word in verdict.message


def pads_by_hand(x):
    floats = np.asarray(x, dtype=float)
    # np.pad makes the padding; pool2d then only pools
    return ph.pool2d(np.pad(floats, 1, constant_values=-np.inf), 2, 2, padding="valid")


def test_issue_19_hints_of_05_and_06_name_the_actual_slip():
    """Answers a learner gave, with the hint each must get (issue 19, section 4)."""
    # 05 exercise 3: both numbers right, in each other's place
    swapped = ex.check_padded_average(9.0, 4.0)
    assert not swapped and "swapped" in swapped.message
    assert "count_include_pad" in swapped.message and "lecture" not in swapped.message
    # 05 exercise 2: pool2d's own padding is right, but not what the exercise asked for
    shortcut = ex.check_padded_max(lambda x: ph.pool2d(x, 2, 2, padding=1))
    assert shortcut.ok
    assert "pool2d's padding=1 pads with −∞ for you" in shortcut.message
    assert "np.pad" in shortcut.message and "padding='valid'" in shortcut.message
    by_hand = ex.check_padded_max(pads_by_hand)
    assert by_hand.ok and "for you" not in by_hand.message
    # 07 exercise 1: an int grad_x (np.zeros_like on an int x) cuts fractions off
    def int_backward(grad_out, x, pool, stride):
        grad_x = np.zeros_like(x)  # int when x is
        for row in range(grad_out.shape[0]):
            for col in range(grad_out.shape[1]):
                window = x[row * stride:row * stride + pool, col * stride:col * stride + pool]
                r, c = np.unravel_index(np.argmax(window), window.shape)
                grad_x[row * stride + r, col * stride + c] += grad_out[row, col]
        return grad_x
    cut = ex.check_max_backward(int_backward)
    assert not cut and "whole numbers" in cut.message and "dtype=float" in cut.message
    # 06 exercise 2: a right average in float32 is right, and its dtype is named; float16
    # (three digits) is refused, its dtype named
    low = ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p))[::s, ::s].mean(axis=(2, 3)).astype(np.float32),
        mode="avg")
    assert low.ok and "returns float32" in low.message, low.message
    assert "side-by-side" not in low.message
    half = ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p))[::s, ::s].mean(axis=(2, 3)).astype(np.float16),
        mode="avg")
    assert not half and "returns float16" in half.message and "too few" in half.message
    assert not ex.check_view_pooling(lambda img, p, s: windows(img, (p, p))[::s, ::s].max(
        axis=(2, 3)).astype(np.float16))
    exact = ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p))[::s, ::s].mean(axis=(2, 3)), mode="avg")
    assert exact.ok and "float32" not in exact.message
    whole = ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p))[::s, ::s].mean(axis=(2, 3)).astype(int),
        mode="avg")
    assert not whole and "whole numbers (int64)" in whole.message
    # float32 is no cover for a real slip: side-by-side blocks are still named
    blocks32 = ex.check_view_pooling(lambda img, p, s: blocks_avg(img, p, s).astype(np.float32),
                                     mode="avg")
    assert not blocks32 and "side-by-side 3×3 blocks" in blocks32.message
    # the window size and the step swapped: named as such, not "take the mean over the last
    # two axes", which the learner already does
    swapped = ex.check_view_pooling(
        lambda img, p, s: windows(img, (s, s))[::p, ::p].mean(axis=(2, 3)), mode="avg")
    assert not swapped and "pool and the stride swapped" in swapped.message, swapped.message
    assert "windows are 2×2 and start every 3 cells" in swapped.message


def test_view_pooling_names_the_pool2d_shortcut():
    """06 exercise 2 asks for sliding_window_view: pool2d's answer is right, and told so, with
    the way the exercise wants (as 05's check_padded_max does for padding=1)."""
    def shortcut(img, pool, stride):
        return ph.pool2d(img, pool, stride, mode="avg")
    verdict = ex.check_view_pooling(shortcut, mode="avg")
    assert verdict.ok and "from pool2d" in verdict.message
    assert "sliding_window_view(img, (pool, pool))" in verdict.message

    def by_view(img, pool, stride):  # the worked solution says nothing of pool2d
        return windows(img, (pool, pool))[::stride, ::stride].mean(axis=(2, 3))
    assert "pool2d" not in ex.check_view_pooling(by_view, mode="avg").message


def test_values_differ_hints_say_where_not_the_same_shape_twice():
    off = ex.check_padded_max(lambda x: ph.pool2d(x, 2, 2, padding=1) + 1).message
    assert "values differ" in off and "at [0, 0]" in off
    off = ex.check_view_pooling(lambda img, p, s: ph.pool2d(img, p, s) * 2).message
    assert "values differ" in off


# --- 05 adaptive pooling ----------------------------------------------------------------------

ADAPTIVE_7_TO_4 = [(0, 2), (1, 4), (3, 6), (5, 7)]


@pytest.mark.parametrize("check, args", [
    (ex.check_adaptive_windows, [ADAPTIVE_7_TO_4]),
    (ex.check_adaptive_windows, [[list(pair) for pair in ADAPTIVE_7_TO_4]]),
    (ex.check_adaptive_windows, [np.array(ADAPTIVE_7_TO_4)]),
    (ex.check_adaptive_windows, [ph.adaptive_windows(7, 4)]),
    (ex.check_adaptive_windows, [[(0.0, 2.0), (1, 4), (3, 6), (np.int64(5), 7)]]),
    (ex.check_global_head, [lambda f: ph.adaptive_pool2d(f, 1, "avg")[0, 0]]),
    (ex.check_global_head, [lambda f: ph.adaptive_pool2d(f, 1, "avg").ravel()]),
    (ex.check_global_head, [lambda f: list(f.mean(axis=(0, 1)))]),
])
def test_adaptive_right_answers_are_correct(check, args):
    verdict = check(*args)
    assert verdict.ok, verdict.message


@pytest.mark.parametrize("answer, words", [
    # equal windows assumed (shared/GUIDE.md's misconception): here they are
    # not, though for other sizes they can be
    ([(0, 4), (1, 5), (2, 6), (3, 7)], ["not all the same size", "need not be equal",
                                        "overlap"]),
    ([(0, 1), (1, 2), (2, 3), (3, 4)], ["need not be equal nor evenly spaced"]),
    # (start, size) pairs instead of (start, stop)
    ([(0, 2), (1, 3), (3, 3), (5, 2)], ["(start, size) pairs", "(start, stop)"]),
    # Python's round() instead of floor and ceiling
    ([(0, 2), (2, 4), (4, 5), (5, 7)], ["Python's round()", "math.floor", "math.ceil"]),
    # forgetting the ceiling: both ends rounded down
    ([(0, 1), (1, 3), (3, 5), (5, 7)], ["rounds up", "⌈(i+1)·7/4⌉"]),
    # inclusive ends
    ([(0, 1), (1, 3), (3, 5), (5, 6)], ["excluded", "(0, 2)"]),
    # the start rounded up
    ([(0, 2), (2, 4), (4, 6), (6, 7)], ["rounds down", "⌊1.75⌋ = 1"]),
    # the drawn case copied instead of 7 → 4
    ([(0, 3), (2, 5), (4, 7)], ["3 outputs"]),
])
def test_adaptive_windows_check_names_the_misconception(answer, words):
    verdict = ex.check_adaptive_windows(answer)
    assert not verdict
    for word in words:
        assert word in verdict.message


@pytest.mark.parametrize("answer, words", [
    ([(1, 4), (0, 2), (3, 6), (5, 7)], "wrong order"),
    ([(0, 2), (1, 4), (3, 6), (5, 8)], "at most 7"),
    ([(0, 2), (4, 4), (3, 6), (5, 7)], "at least one cell"),
    ([[0, 1, 3, 5], [2, 4, 6, 7]], "starts and a list of stops"),
    ([0, 2, 1, 4, 3, 6, 5, 7], "in pairs"),
    ([(0, 1.5), (1, 4), (3, 6), (5, 7)], "whole cells"),
    ([(0, 2), (1, 4)], "4 windows"),
    ("[(0, 2), (1, 4), (3, 6), (5, 7)]", "Drop the quotes"),
])
def test_adaptive_windows_check_names_other_mistakes(answer, words):
    verdict = ex.check_adaptive_windows(answer)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("head, words", [
    (lambda f: ph.adaptive_pool2d(f, 1, "avg"), "(1, 1, C)"),
    (lambda f: ph.adaptive_pool2d(f, 1)[0, 0], "maxima"),
    (lambda f: ph.adaptive_pool2d(f, 7, "avg"), "Ask for output size 1"),
    (lambda f: f[:7, :7].mean(axis=(0, 1)), "any height and width"),
    (lambda f: f.mean(axis=(0, 1)) + 1, "values differ"),
    (lambda f: None, "did you forget `return`"),
])
def test_global_head_check_names_the_mistake(head, words):
    verdict = ex.check_global_head(head)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("check, text, words", [
    # "Drop the quotes" only when what is inside them is an answer of the right kind
    (ex.check_kept_share, "4", "Write a share from 0 to 1 without quotes, for example 0.5"),
    (ex.check_average_pool, "4", "Write a grid of numbers without quotes, for example [[0, 0]"),
    (ex.check_average_pool, "[9.25, 7.25]", "Write a grid of numbers without quotes"),
])
def test_quoted_answers_of_the_wrong_kind_are_not_told_to_drop_the_quotes(check, text, words):
    verdict = check(text)
    assert not verdict and words in verdict.message and "Drop the quotes" not in verdict.message


def test_quoted_grid_is_told_to_drop_the_quotes():
    verdict = ex.check_average_pool("[[9.25, 7.25], [12.25, 4.5]]")
    assert not verdict and "Drop the quotes: [[9.25, 7.25], [12.25, 4.5]]" in verdict.message


def test_padding_checkers_compute_their_answers(monkeypatch):
    """The expected answers of Exercises 1 and 3 come from pooling_helpers, not from the text:
    another setting gives other answers."""
    monkeypatch.setitem(ex.SIDE_CASE, "n", 25)
    monkeypatch.setitem(ex.SIDE_CASE, "pool", 2)
    monkeypatch.setitem(ex.SIDE_CASE, "stride", 2)
    assert ex.check_26_by_26(12, 13).ok and not ex.check_26_by_26(8, 9).ok
    monkeypatch.setitem(ex.AVERAGE_CASE, "value", 4.0)
    monkeypatch.setitem(ex.AVERAGE_CASE, "pool", 2)
    # the old worked example: 3×3 of 4s, 2×2 pool, stride 2
    assert ex.check_padded_average(1.0, 4.0).ok and not ex.check_padded_average(4.0, 9.0).ok


def _keeps_column_0(images):
    shifted = images.copy()  # column 0 keeps the input's first column
    shifted[:, :, 1:] = images[:, :, :-1]
    return shifted


@pytest.mark.parametrize("check, args, words", [
    # review of 07–08: a flat index names the cell it is, and what that cell holds
    (ex.check_tie_cell, [5], "it is the right cell"),
    (ex.check_tie_cell, [6], "is cell (2, 0): the other 9, which row-major order reaches second"),
    (ex.check_tie_cell, [7], "is cell (2, 1), which holds 0, not the maximum"),
    # a checker called with no answer says how to call it
    (ex.check_max_backward, [], "Call it with your answer: check_max_backward(my_max_backward)"),
])
def test_checkers_of_07_name_the_slip(check, args, words):
    verdict = check(*args)
    assert not verdict and words in verdict.message, verdict.message


def test_checkers_of_08_name_the_slip():
    import network_exercises as nex
    verdict = nex.check_pool3_parameters(1290)
    assert not verdict and "exercise 1's answer" in verdict.message
    verdict = nex.check_shift_right(_keeps_column_0)
    assert not verdict and "column 0 must be zeros; yours keeps the input's first column" \
        in verdict.message
