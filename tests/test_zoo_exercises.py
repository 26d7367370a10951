"""Notebook 09's checkers: right answers in every usual form are correct, and each tempting
wrong answer is told its actual slip."""

import numpy as np
import pytest

import pooling_exercises as ex
import pooling_helpers as ph


@pytest.mark.parametrize("check, answer", [
    (ex.check_dilated_size, 3), (ex.check_dilated_size, 3.0),
    (ex.check_dilated_size, np.int64(3)),
    (ex.check_dilated_size, ph.output_size(12, 3, 2, dilation=3)),
    (ex.check_three_divisors, (20 / 9, 20 / 4, 20 / 2)), (ex.check_three_divisors, [2.22, 5, 10]),
    (ex.check_three_divisors, np.array([20 / 9, 5.0, 10.0])),
    (ex.check_three_divisors, tuple(
        ph.pool2d(ex.CORNER_IMAGE, 3, 2, padding=1, mode="avg", **options)[0, 0]
        for options in ({}, {"count_padding": False}, {"divisor": 2}))),
    (ex.check_tied_unpool, [[0, 9, 4, 0], [0, 0, 0, 0]]),
    (ex.check_tied_unpool, np.array([[0, 9, 4, 0], [0, 0, 0, 0]])),
    (ex.check_tied_unpool, ph.max_unpool2d(*ph.pool2d(ex.TIED, 2, return_indices=True), 2)),
    (ex.check_same_as_explicit, ((2, 3), (2, 3))), (ex.check_same_as_explicit, [[2, 3], [2, 3]]),
    (ex.check_same_as_explicit, np.array([[2, 3], [2, 3]])),
    # one more cell after the input falls in no window: the same output, so right (with a note)
    (ex.check_same_as_explicit, ((2, 4), (2, 3))), (ex.check_same_as_explicit, ((2, 4), (2, 4))),
    (ex.check_lp_window, 5), (ex.check_lp_window, 5.0), (ex.check_lp_window, np.float32(5)),
    (ex.check_lp_window, ph.lp_pool2d(ex.LP_WINDOW, 2)[0, 0]),
])
def test_right_answers_are_correct(check, answer):
    verdict = check(answer)
    assert verdict.ok, verdict.message


@pytest.mark.parametrize("check, answer, words", [
    # the dilated output size: dilation ignored, span k·d, span d(k − 1), stride 1
    (ex.check_dilated_size, 5, ["without dilation", "spans 3 × (3 − 1) + 1 = 7"]),
    (ex.check_dilated_size, 2, ["3 × 3 = 9", "d (k − 1) + 1 = 7"]),
    (ex.check_dilated_size, 4, ["+ 1 for the first cell is missing"]),
    (ex.check_dilated_size, 6, ["with stride 1"]),
    (ex.check_dilated_size, 7, ["span d (k − 1) + 1"]),
    # (12 − 7) / 2 + 1 without the floor; a float that only looks whole under %g
    (ex.check_dilated_size, 3.5, ["3.5, not a whole number", "⌊…⌋ rounds the division down"]),
    (ex.check_dilated_size, 3.0000001, ["3.0000001, not a whole number"]),
    # the divisor at a padded corner
    (ex.check_three_divisors, (5, 20 / 9, 10), ["swapped"]),
    (ex.check_three_divisors, (5, 5, 10), ["first number divides by the real cells only",
                                           "all 9 cells"]),
    (ex.check_three_divisors, (20 / 9, 20 / 9, 10), ["second number divides by all 9 cells"]),
    (ex.check_three_divisors, (20 / 9, 5, 20 / 9 * 2), ["replaces the divisor"]),
    (ex.check_three_divisors, (29 / 9, 29 / 4, 29 / 2), ["divisors are right", "not 20"]),
    (ex.check_three_divisors, (1, 2, 3), ["first, second and third numbers"]),
    (ex.check_three_divisors, (20 / 9, 5), ["has 2 values", "exactly 3"]),
    (ex.check_three_divisors, (2.2, 5, 10), ["first number, 2.2, is rounded to one decimal",
                                             "within 0.006", "2.22"]),
    (ex.check_three_divisors, (2, 5, 10), ["whole-number division (20 // 9)", "with / instead"]),
    (ex.check_three_divisors, (2.25, 5, 10), ["first number is not right yet"]),
    # the window put on the unpadded image: the whole image's sum, 45, not the corner's 20
    (ex.check_three_divisors, (5, 5, 22.5), ["first and third numbers divide the sum of the "
                                             "whole 3×3 image, 45", "rows and columns −1 to 1"]),
    # where max_unpool2d puts a tied maximum
    (ex.check_tied_unpool, [[0, 9, 4, 4], [9, 0, 0, 0]], ["one index only", "first maximum"]),
    (ex.check_tied_unpool, [[0, 0, 0, 4], [9, 0, 0, 0]], ["last maximum"]),
    (ex.check_tied_unpool, [[0, 0, 4, 0], [9, 0, 0, 0]], ["down its columns"]),
    (ex.check_tied_unpool, [[9, 4]], ["pooled output", "2×4"]),
    (ex.check_tied_unpool, ex.TIED.tolist(), ["the input itself"]),
    (ex.check_tied_unpool, [[0, 9, 0, 0], [0, 0, 0, 0]], ["values differ", "[0, 2]"]),
    # 'same' as an explicit padding
    (ex.check_same_as_explicit, ((3, 2), (3, 2)), ["wrong way round", "after the input"]),
    (ex.check_same_as_explicit, ((2, 2), (3, 3)), ["Each inner pair is one axis"]),
    (ex.check_same_as_explicit, ((2, 2), (2, 2)), ["5 padded cells", "add up to 4 and 4"]),
    (ex.check_same_as_explicit, ((1, 2), (1, 2)), ["⌈7 / 2⌉ = 4 outputs", "add up to 3 and 3"]),
    (ex.check_same_as_explicit, ((1, 4), (1, 4)), ["split them as 'same' does"]),
    (ex.check_same_as_explicit, (2, 3), ["one (before, after) pair"]),
    (ex.check_same_as_explicit, ((2, 3), None), ["second pair is still None"]),
    (ex.check_same_as_explicit, "((2, 3), (2, 3))", ["Drop the quotes"]),
    (ex.check_same_as_explicit, np.array(3), ["the number 3", "write two pairs"]),
    (ex.check_same_as_explicit, ((-1, 4), (-1, 4)), ["negative number is not a padding"]),
    # LP pooling sums the p-th powers: not their mean, and the root is taken
    (ex.check_lp_window, 2.5, ["mean of the squares", "does not average"]),
    (ex.check_lp_window, 25, ["sum of the squares", "square root"]),
    (ex.check_lp_window, 7, ["p = 1"]), (ex.check_lp_window, 4, ["maximum"]),
    (ex.check_lp_window, 1.75, ["average"]), (ex.check_lp_window, 6.25, ["mean of the squares"]),
    (ex.check_lp_window, 3, ["Square each cell"]),
])
def test_each_slip_is_named(check, answer, words):
    verdict = check(answer)
    assert not verdict.ok
    for word in words:
        assert word in verdict.message, verdict.message


@pytest.mark.parametrize("check", [ex.check_dilated_size, ex.check_three_divisors,
                                   ex.check_tied_unpool, ex.check_same_as_explicit,
                                   ex.check_lp_window])
def test_placeholders_get_a_prompt(check):
    verdict = check(None)
    assert not verdict.ok and "placeholder" in verdict.message


def test_the_settings_are_the_notebooks():
    """The exercises' settings differ from the notebook's own examples, so the text does not
    give the answers away, and each tempting slip gives an answer different from the right one."""
    assert ph.output_size(12, 3, 2, dilation=3) == 3
    assert len({3, (12 - 3) // 2 + 1, (12 - 9) // 2 + 1, (12 - 6) // 2 + 1, 12 - 7 + 1}) == 5
    assert not np.array_equal(ex.CORNER_IMAGE[:2, :2], [[10, 12], [4, 11]])
    values, where = ph.pool2d(ex.TIED, 2, return_indices=True)
    assert (ex.TIED[:, :2] == ex.TIED[:, :2].max()).sum() == 2  # a tie in each window
    assert (ex.TIED[:, 2:] == ex.TIED[:, 2:].max()).sum() == 2
    # the LP window's slips give five different wrong answers, none of them 5
    squares = (ex.LP_WINDOW ** 2).sum()
    slips = {squares ** 0.5 / 2, squares, ex.LP_WINDOW.sum(), ex.LP_WINDOW.max(),
             ex.LP_WINDOW.mean(), squares / 4}
    assert len(slips) == 6 and 5 not in slips
