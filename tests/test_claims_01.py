"""The facts notebook 01 states, recomputed: the pools of the article's matrix, where the
article's loop breaks, and the teaching functions it prints whole."""

import ast
import inspect
import textwrap

import numpy as np
import pytest

import pooling_helpers as ph
from claims import _flat, cells, does_not_say, printed, printed_above, prints, says

NB = "01_pool_extraction"
MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
WIDE = np.arange(24).reshape(4, 6)
WORDS = {2: "two", 3: "three", 4: "four"}


def test_the_pools_and_their_maxima():
    pools = ph.get_pools(MATRIX, 2, 2)
    prints(NB, str(pools.shape))
    np.testing.assert_array_equal(pools[1, 0], MATRIX[2:4, 0:2])  # the comment's rows 2–3, cols 0–1
    pooled = ph.max_pooling(pools).tolist()
    printed_above(NB, f"That is `{pooled}`, the article's max-pooled matrix", str(pooled))


def test_the_wide_matrix():
    article = ph.article_max_pooling(ph.article_get_pools(WIDE, 2, 2))
    fixed = ph.max_pooling(ph.get_pools(WIDE, 2, 2))
    dropped = WIDE.shape[1] - 2 * article.shape[1]
    phrase = (f"The matrix has {fixed.shape[0]} rows of {fixed.shape[1]} pools, and the fixed "
              f"version returns all {WORDS[fixed.shape[1]]} columns. The article's returns only "
              f"{WORDS[article.shape[1]]}: both of its loops run over the {WIDE.shape[0]} rows, so "
              f"the last {WORDS[dropped]} columns of the matrix are silently left out.")
    printed_above(NB, phrase, f"article: {article.tolist()} fixed: {fixed.tolist()}")


def test_the_tall_matrix():
    pools = ph.article_get_pools(WIDE.T, 2, 2)
    assert int(np.sqrt(len(pools))) ** 2 != len(pools)
    printed_above(NB, f"Its {len(pools)} pools cannot be reshaped into a square", f"{len(pools)} pools")
    prints(NB, f"ValueError: cannot reshape array of size {len(pools)}")


def test_exercise_1_worked_solution():
    rows, cols = ph.get_pools(np.zeros((5, 7)), 2, 2).shape[:2]
    says(NB, f"(5 − 2) // 2 + 1 = {rows} rows and (7 − 2) // 2 + 1 = {cols} columns")
    says(NB, f"# ({rows}, {cols})")


def _statements(function):
    """The statements of a function's body after its docstring."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return tree.body[0].body[1:]


def _calls(node):
    return [n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]


def test_the_teaching_functions_are_shown_as_they_are_with_a_one_line_docstring():
    functions = (ph.get_pools, ph.max_pooling, ph.avg_pooling, ph.min_pooling,
                 ph.article_get_pools, ph.article_max_pooling)
    for function in functions:
        shown = str(ph.show_source(function))
        prints(NB, shown)  # the def line, the docstring's first line and the body, as they are now
        assert "Parameters" not in shown and "help(ph." in shown
    sources = " ".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "getsource" not in sources, "whole docstrings are for help(), not the screen"
    does_not_say(NB, "the docstring and the argument checks come before this part")


def test_docstring_and_numpydoc_are_explained_where_they_are_met():
    """The docstring before the first code shown; numpydoc after it, where help() is met, so
    that the cell before the first 12-line function stays short."""
    notebook = cells(NB)
    first = next(i for i, c in enumerate(notebook)
                 if c["cell_type"] == "code" and "show_source" in "".join(c["source"]))
    above = _flat("".join(notebook[first - 1]["source"]))
    assert "*docstring*" in above and "numpydoc" not in above
    assert len(above.split()) <= 80, "the cell before get_pools' code is short"
    assert "help(ph.get_pools)" in str(ph.show_source(ph.get_pools)).splitlines()[-1]
    after = [_flat("".join(c["source"])) for c in notebook[first + 1:] if c["cell_type"] == "markdown"]
    numpydoc = next(text for text in after if "*numpydoc*" in text)
    assert "`help(ph.get_pools)`" in numpydoc
    assert "Parameters, Returns, Raises and Examples" in numpydoc


def test_pairs_are_explained_where_the_code_unpacks_them():
    """The code shown unpacks (pool_h, pool_w): the pairs are said right after it; notebook 03
    explains a pool that is not square where it uses one."""
    assert "(pool_h, pool_w), (stride_h, stride_w)" in str(ph.show_source(ph.get_pools))
    notebook = cells(NB)
    first = next(i for i, c in enumerate(notebook)
                 if c["cell_type"] == "code" and "show_source" in "".join(c["source"]))
    assert "gives the pool size and the stride back as pairs" in _flat(
        "".join(notebook[first + 1]["source"]))
    does_not_say(NB, "in this course both are the same")
    does_not_say(NB, "notebook 03 pools with one window")
    says("03_max_and_average_pooling", "The pool size can also be a pair (rows, columns) for a "
                                       "window that is not square")


def test_the_article_on_the_cat_photo():
    colour = ph.load_image(ph.CAT_PATH)
    grey = ph.load_image(ph.CAT_PATH, grayscale=True)
    on_colour = ph.article_max_pooling(ph.article_get_pools(colour, 3, 3))
    on_grey = ph.article_max_pooling(ph.article_get_pools(grey, 3, 3))
    fixed = ph.max_pooling(ph.get_pools(grey, 3, 3))
    assert on_colour.shape == (0, 0)
    dropped = grey.shape[1] - grey.shape[0]  # its loops stop at the height
    assert on_grey.shape[1] * 3 == grey.shape[0]
    printed_above(NB, "On it the article's version returns an empty",
                  f"colour {colour.shape} → article: {on_colour.shape} grey {grey.shape} → "
                  f"article: {on_grey.shape} grey, fixed: {fixed.shape}")
    says(NB, f"returns an empty {on_colour.shape} array, without an error: each of its pools is "
             "3×3×3")
    # channels are said before the 3×3×3 pools need them, with the shape printed above
    says(NB, f"so its shape has a third number: {colour.shape}. On it the article's version")
    says(NB, f"On the grey photo it returns {on_grey.shape[0]}×{on_grey.shape[1]} instead of "
             f"{fixed.shape[0]}×{fixed.shape[1]}: both of its loops stop at the height, "
             f"{grey.shape[0]}, so the last {dropped} of the photo's {grey.shape[1]} columns are "
             "silently dropped")
    # the fix leaves out the remainder that no 3-wide pool fills
    left_over = grey.shape[1] - 3 * fixed.shape[1]
    assert left_over == 1 and grey.shape[1] == 3 * fixed.shape[1] + left_over
    says(NB, f"The fixed version drops one column too, the last: {grey.shape[1]} = 3 × "
             f"{fixed.shape[1]} + 1, and a 3-wide pool does not fit in it")


def test_one_checking_call_then_visible_loops():
    checks = {ph.get_pools: "check_pool_arguments", ph.max_pooling: "check_pools",
              ph.avg_pooling: "check_pools", ph.min_pooling: "check_pools"}
    for function, check in checks.items():
        first, *rest = _statements(function)
        assert _calls(first) == [check], f"{function.__name__} should start with one {check} call"
        assert not [name for node in rest for name in _calls(node) if name.startswith("_")]
        assert sum(isinstance(node, ast.For) for node in rest) == 1  # the loop over rows
    says(NB, "The first line of code hands the arguments to one checking function, "
             "`check_pool_arguments`")
    says(NB, "Its first line of code is again one checking call, `check_pools`")


def test_no_private_helper_is_printed():
    """What 01 prints is public: every name a printed function calls is documented."""
    for function in (ph.get_pools, ph.max_pooling, ph.avg_pooling, ph.min_pooling):
        for name in _calls(ast.parse(textwrap.dedent(inspect.getsource(function)))):
            assert not name.startswith("_"), f"{function.__name__} calls {name}"
            called = getattr(ph, name, None)
            assert called is None or called.__doc__, f"{name} has no docstring"
    assert "_check" not in printed(NB)


def test_the_checkers_keep_their_messages():
    for call, words in [(lambda: ph.check_pool_arguments(np.zeros((2, 2, 3)), 2, 2), "pool2d"),
                        (lambda: ph.check_pool_arguments(np.zeros((3, 8)), 4, 2), "does not fit"),
                        (lambda: ph.check_pools(np.zeros((4, 2, 2))), "pools must have 4 dimensions")]:
        with pytest.raises(ValueError, match=words):
            call()


def test_output_size_is_named_as_the_formula():
    assert all(ph.output_size(n, k, s) == (n - k) // s + 1
               for n in range(2, 12) for k in range(1, n + 1) for s in range(1, 5))
    says(NB, "use `output_size`, the module's function for the formula `(n - k) // s + 1` above")
    does_not_say(NB, "with `output_size`, the formula above")


def test_the_box_format_is_explained_before_it_is_used():
    notebook = cells(NB)
    first_use = next(i for i, c in enumerate(notebook)
                     if c["cell_type"] == "code" and "box[:2]" in "".join(c["source"]))
    above = " ".join("".join(c["source"]) for c in notebook[:first_use] if c["cell_type"] == "markdown")
    assert "`(top, left, height, width)`" in above and "`box[:2]` is the top-left corner" in above
    top, left, height, width = ph.window_boxes(MATRIX.shape, 2, 2)[1]
    assert (top, left, height, width) == (0, 2, 2, 2)  # the second pool: row 0, column 2, 2×2


def test_the_stepper_caption_is_announced():
    stepper = ph.pool_stepper(MATRIX)
    assert f"its maximum is {MATRIX[:2, :2].max()}" in stepper.caption.value
    assert "output row 0, column 0" in stepper.caption.value
    says(NB, "The caption names the output cell each pool goes to, and the pool's maximum")
    # the caption's words, defined before the stepper
    notebook = cells(NB)
    stepper_cell = next(i for i, c in enumerate(notebook) if "pool_stepper(" in "".join(c["source"]))
    above = _flat(" ".join("".join(c["source"]) for c in notebook[:stepper_cell]))
    assert "the *output*, is a 2×2 matrix" in above and "keeps each pool's *maximum*" in above


def test_pool2d_gives_what_the_loops_give():
    loops = ph.max_pooling(ph.get_pools(MATRIX, 2, 2))
    assert np.array_equal(loops, ph.pool2d(MATRIX, 2, 2))
    prints(NB, f"{loops}\n{ph.pool2d(MATRIX, 2, 2)}\nthe same: True")
    prints(NB, f"{ph.pool2d(MATRIX, 2, 2, mode='avg')}\n{ph.pool2d(MATRIX, 2, 2, mode='min')}")
    np.testing.assert_array_equal(ph.pool2d(MATRIX, 2, 2, mode="avg"),
                                  ph.avg_pooling(ph.get_pools(MATRIX, 2, 2)))
    says(NB, "it gives the same result as `max_pooling(get_pools(...))`")


def test_frame_colours_are_said_to_mean_nothing_but_contrast():
    """The four pools' frames differ in colour, chosen by contrast with the cells under them:
    the text says so before the first figure where they change."""
    says(NB, "a frame's colour is picked only to stand out against the cells under it, so it "
             "changes from panel to panel and means nothing else; the same holds for the frames "
             "of later figures, unless a figure says otherwise")
