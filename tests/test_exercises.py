"""The checkers accept the notebooks' worked solutions and reject the typical wrong answers."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import pooling_exercises as ex
import pooling_helpers as ph

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def worked_solutions(path):
    """(solution code, check code, setup code) for every exercise of a notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    setup = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"
                      and re.match(r"(import|from) ", "".join(c["source"])))
    found = []
    for index, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "<details>" in source:
            solution = re.search(r"```python\n(.*?)```", source, re.S).group(1)
            check = "".join(cells[index - 1]["source"])
            found.append((solution, check, setup))
    return found


CASES = [(p.stem, *case) for p in NOTEBOOKS for case in worked_solutions(p)]


@pytest.mark.parametrize("notebook, solution, check, setup", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_worked_solution_passes_its_check(notebook, solution, check, setup):
    namespace = {}
    exec("import numpy as np\nimport pooling_helpers as ph\n"
         "from numpy.lib.stride_tricks import sliding_window_view\n", namespace)
    matrix_line = "matrix = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])"
    exec(matrix_line, namespace)
    exec(solution, namespace)
    lines = check.strip().splitlines()
    exec("\n".join(lines[:-1]), namespace)
    verdict = eval(lines[-1], namespace)
    assert verdict.ok, verdict.message


def test_every_notebook_has_checked_exercises():
    counts = {stem: sum(1 for c in CASES if c[0] == stem) for stem in {c[0] for c in CASES}}
    assert len(counts) == len(NOTEBOOKS) and min(counts.values()) >= 2


def test_placeholders_get_a_friendly_prompt():
    verdict = ex.check_pool_grid(None)
    assert not verdict and "placeholder" in verdict.message
    assert "Not yet" in repr(verdict) and "Not yet" in verdict._repr_html_()


def square_only_get_pools(img, pool_size, stride):
    n = (img.shape[0] - pool_size) // stride + 1
    return np.array([[img[r * stride:r * stride + pool_size, c * stride:c * stride + pool_size]
                      for c in range(n)] for r in range(n)])


def stride_ignored_get_pools(img, pool_size, stride):
    return ph.get_pools(img, pool_size, 1)


def flat_get_pools(img, pool_size, stride):
    return ph.get_pools(img, pool_size, stride).reshape(-1, pool_size, pool_size)


@pytest.mark.parametrize("wrong, words", [
    (square_only_get_pools, "img.shape[1]"), (stride_ignored_get_pools, "stride is ignored"),
    (flat_get_pools, "flat list"), (lambda img, p, s: 1 / 0, "ZeroDivisionError"),
])
def test_get_pools_check_names_the_mistake(wrong, words):
    verdict = ex.check_get_pools(wrong)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda n, k, s: (n - k) / s + 1, "float"), (lambda n, k, s: -(-(n - k) // s) + 1, "Round down"),
    (lambda n, k, s: (n - k) // s, "Add 1"), (lambda n, k, s: n - k + 1, "stride is missing"),
    (lambda n, k, s: n // s, "ignores the window"),
])
def test_output_size_check_names_the_mistake(wrong, words):
    verdict = ex.check_output_size_formula(wrong)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("check, args, words", [
    (ex.check_pool_grid, [(2, 2)], "img.shape[0]"), (ex.check_pool_grid, [(3, 4)], "fit"),
    (ex.check_skipped_cells, [0], "stepped over"),
    (ex.check_average_pool, [[[12, 9], [18, 7]]], "maxima"),
    (ex.check_default_stride_shape, [(7, 10)], "stride 1"),
    (ex.check_cat_pooled_shape, [(75, 75)], "rounded down"),
    (ex.check_kept_share, [1 / 9], "stride"), (ex.check_halvings, [16], "halv"),
    (ex.check_25_by_25, [13, 13], "round down"), (ex.check_25_by_25, [12, 12], "rounds up"),
    (ex.check_padded_average, [4.0, 4.0], "counts the padding"),
    (ex.check_padded_average, [1.0, 1.0], "bottom and right"),
    (ex.check_window_count, [1024 ** 2], "does not fit"),
    (ex.check_tie_cell, [(1, 0)], "top row first"),
])
def test_answer_checks_name_the_mistake(check, args, words):
    verdict = check(*args)
    assert not verdict and words in verdict.message


def test_function_checks_catch_the_classic_bugs():
    zero_padded = lambda x: ph.pool2d(np.pad(x, 1), 2, 2)
    assert "zeros" in ex.check_padded_max(zero_padded).message
    windows = np.lib.stride_tricks.sliding_window_view
    assert "[::stride" in ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p)).max(axis=(2, 3))).message
    assert "That is max pooling" in ex.check_view_pooling(
        lambda img, p, s: windows(img, (p, p))[::s, ::s].max(axis=(2, 3)), mode="avg").message
    assert ex.check_view_pooling(lambda img, p, s: windows(img, (p, p))[::s, ::s].max(axis=(2, 3)))
    assert "over channels" not in ex.check_global_pooling(lambda f: f.mean(axis=2)).message
    assert "channels" in ex.check_global_pooling(lambda f: f.mean(axis=2)).message

    def assigning_backward(grad_out, x, pool, stride):  # '=' instead of '+='
        grad_x = np.zeros_like(x, dtype=float)
        for r in range(grad_out.shape[0]):
            for c in range(grad_out.shape[1]):
                window = x[r * stride:r * stride + pool, c * stride:c * stride + pool]
                i, j = np.unravel_index(np.argmax(window), window.shape)
                grad_x[r * stride + i, c * stride + j] = grad_out[r, c]
        return grad_x

    assert "+=" in ex.check_max_backward(assigning_backward).message

    def all_ties_backward(grad_out, x, pool, stride):
        grad_x = np.zeros_like(x, dtype=float)
        for r in range(grad_out.shape[0]):
            for c in range(grad_out.shape[1]):
                window = x[r * stride:r * stride + pool, c * stride:c * stride + pool]
                grad_x[r * stride:r * stride + pool, c * stride:c * stride + pool] += (
                    (window == window.max()) * grad_out[r, c])
        return grad_x

    assert "ties" in ex.check_max_backward(all_ties_backward).message
