"""The module as a learner and a program meet it: computing without the display stack, every
public function documented with an example that runs (pytest runs the examples themselves with
--doctest-modules; see pyproject.toml), and one window geometry."""

import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import pooling_display
import pooling_helpers as ph

ROOT = Path(__file__).resolve().parents[1]
DISPLAY_STACK = ("ipywidgets", "matplotlib", "PIL")


def _run(code):
    """Run ``code`` in a fresh interpreter in the repository's root, isolated (-I) from the
    user's site and environment, with the repository's modules put on its path by the code."""
    result = subprocess.run([sys.executable, "-I", "-c", textwrap.dedent(code)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_helpers_loads_no_display_stack():
    loaded = _run(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import pooling_helpers
        print(sorted(m for m in sys.modules if m.split('.')[0] in {set(DISPLAY_STACK)!r}))
    """)
    assert loaded == "[]"


def test_pooling_works_where_the_display_stack_cannot_be_imported():
    """Not a second virtual environment (which would need a download of NumPy): a fresh
    interpreter whose import system refuses Matplotlib, Pillow and ipywidgets exactly as it
    would if they were not installed (ModuleNotFoundError), and which then pools."""
    out = _run(f"""
        import sys
        from importlib.abc import MetaPathFinder

        class NotInstalled(MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in {DISPLAY_STACK!r}:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)

        sys.meta_path.insert(0, NotInstalled())
        sys.path.insert(0, {str(ROOT)!r})
        import numpy as np
        import pooling_helpers as ph
        x = np.arange(16.0).reshape(4, 4)
        print(ph.pool2d(x).tolist(), ph.pool2d_backward(np.ones((2, 2)), x).sum(),
              ph.output_size(25, 2), ph.max_pooling(ph.get_pools(x)).tolist())
        try:
            import matplotlib
        except ModuleNotFoundError:
            print("no matplotlib")
        try:
            ph.plot_image(x)
        except ModuleNotFoundError as error:
            print("drawing needs", error.name)
    """)
    assert out.splitlines() == ["[[5.0, 7.0], [13.0, 15.0]] 4.0 12 [[5.0, 7.0], [13.0, 15.0]]",
                                "no matplotlib", "drawing needs matplotlib"]


def test_the_display_names_are_reached_through_the_helpers():
    for name in ph.DISPLAY_NAMES:
        assert getattr(ph, name) is getattr(pooling_display, name)
        assert name in dir(ph)
    with pytest.raises(AttributeError, match="no attribute 'plot_images'"):
        ph.plot_images  # noqa: B018


def _public_functions():
    for module in (ph, pooling_display):
        for name, value in vars(module).items():
            if (not name.startswith("_") and inspect.isfunction(value)
                    and value.__module__ == module.__name__):
                yield f"{module.__name__}.{name}", value


@pytest.mark.parametrize("name, function", list(_public_functions()))
def test_every_public_function_has_an_example_and_says_what_it_raises(name, function):
    doc = inspect.getdoc(function)
    assert "Examples\n--------\n>>> " in doc, f"{name} has no example"
    if not name.split(".")[1].startswith("article_"):  # the article's code checks nothing, on purpose
        assert "Raises\n------" in doc or "_check" in inspect.getsource(function) or \
            "axis_windows" in inspect.getsource(function), f"{name} says nothing of bad input"


def test_one_window_geometry_for_loops_pool2d_and_drawings():
    windows = ph.axis_windows(7, 3, 2)
    assert isinstance(windows, ph.Windows) and windows.count == 3
    assert windows.starts.tolist() == [0, 2, 4] and windows.end == 7
    assert ph.get_pools(np.zeros((7, 7)), 3, 2).shape[:2] == (3, 3)
    assert [box[:2] for box in ph.window_boxes((7, 1), (3, 1), (2, 1))] == [(0, 0), (2, 0), (4, 0)]
    # PyTorch's ceil mode, with the window it drops (it would start in the right padding)
    trimmed = ph.axis_windows(5, 2, 4, padding=1, ceil_mode=True)
    assert (trimmed.count, trimmed.trimmed, trimmed.starts.tolist()) == (2, True, [-1, 3])
    same = ph.axis_windows(5, 2, 2, padding="same")
    assert (same.pad_before, same.pad_after, same.divisors.tolist()) == (0, 1, [2, 2, 1])


def test_window_boxes_and_uncovered_cells_on_hand_worked_cases():
    # 5×7, pool 2, stride 2: windows at rows 0, 2 and columns 0, 2, 4; the last row and the last
    # column are never reached
    boxes = ph.window_boxes((5, 7), 2, 2)
    assert boxes == [(0, 0, 2, 2), (0, 2, 2, 2), (0, 4, 2, 2), (2, 0, 2, 2), (2, 2, 2, 2), (2, 4, 2, 2)]
    dropped = ph.uncovered_cells((5, 7), 2, 2)
    assert dropped.shape == (5, 7) and dropped.sum() == 5 * 7 - 6 * 4
    assert dropped[4].all() and dropped[:, 6].all() and not dropped[:4, :6].any()
    # stride 3 > pool 2 leaves a gap column and a gap row between windows
    gaps = ph.uncovered_cells((5, 5), 2, 3)
    assert np.flatnonzero(gaps.all(axis=1)).tolist() == [2] and np.flatnonzero(gaps.all(axis=0)).tolist() == [2]
    # overlapping windows: stride 1 covers every cell; a non-square pool and default stride
    assert not ph.uncovered_cells((4, 4), 3, 1).any()
    assert ph.window_boxes((4, 6), (2, 3)) == [(0, 0, 2, 3), (0, 3, 2, 3), (2, 0, 2, 3), (2, 3, 2, 3)]
