"""The module as a learner and a program meet it: computing without the display stack, every
public function documented with an example that runs (pytest runs the examples themselves with
--doctest-modules; see pyproject.toml), and one window geometry."""

import ast
import inspect
import json
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
        assert "Raises\n------" in doc or "check_" in inspect.getsource(function) or \
            "axis_windows" in inspect.getsource(function), f"{name} says nothing of bad input"


def test_one_window_geometry_for_loops_pool2d_and_drawings():
    windows = ph.axis_windows(7, 3, 2)
    assert isinstance(windows, ph.Windows) and windows.count == 3
    assert windows.starts.tolist() == [0, 2, 4] and windows.end == 7
    assert ph.get_pools(np.zeros((7, 7)), 3, 2).shape[:2] == (3, 3)
    assert [box[:2] for box in ph.window_boxes((7, 1), (3, 1), (2, 1))] == [(0, 0), (2, 0), (4, 0)]
    # PyTorch's ceil mode, with the window it drops (it would start past the input and its padding)
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


COURSE_MODULES = sorted(path.stem for path in ROOT.glob("*.py"))


def _sources():
    """Every Python source of the course that may import its modules: the modules, the tests
    and the code cells of the notebooks (their IPython magics and shell lines read as ``pass``)."""
    for path in sorted([*ROOT.glob("*.py"), *ROOT.glob("tests/*.py")]):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    for path in sorted(ROOT.glob("notebooks/*.ipynb")):
        for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                code = "\n".join(  # a magic becomes a pass: the blocks around it stay whole
                    line[:len(line) - len(line.lstrip())] + "pass"
                    if line.lstrip().startswith(("%", "!")) else line for line in lines)
                yield f"{path.name} cell {number}", code


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_uses(code):
    """The private names of the course's modules that ``code`` takes: ``from m import _x`` and
    ``alias._x`` where ``alias`` is a course module it imported."""
    tree = ast.parse(code)
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in COURSE_MODULES:
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module in COURSE_MODULES:
            for alias in node.names:
                if _private(alias.name):
                    yield f"from {node.module} import {alias.name}"
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and _private(node.attr)):
            yield f"{aliases[node.value.id]}.{node.attr}"


def test_the_private_import_check_catches_both_forms():
    code = "import pooling_helpers as ph\nfrom pooling_display import _x, plot_image\nph._windows(1)"
    assert sorted(_private_uses(code)) == ["from pooling_display import _x",
                                           "pooling_helpers._windows"]
    assert list(_private_uses("import pooling_helpers as ph\nph.__file__, ph.pool2d")) == []
    assert [_owner(use) for use in sorted(_private_uses(code))] == ["pooling_display",
                                                                    "pooling_helpers"]


def test_no_module_uses_a_private_name_of_another():
    """Issue 19 §7: what one module shares with another is public and documented (the
    validators check_array, check_pair, check_positive_int and the geometry axis_windows). The
    modules and the notebooks use no private name of another module; the tests none of the
    helpers and the display (a test may look inside the one module it tests, as
    test_exercises reads Exercise 1's table of cases)."""
    found = {}
    for where, code in _sources():
        uses = set(_private_uses(code))
        if where.startswith("tests/"):
            uses = {use for use in uses if _owner(use) in SEAM}
        if uses:
            found[where] = sorted(uses)
    assert found == {}


SEAM = ("pooling_helpers", "pooling_display")


def _owner(use):
    """The module whose private name a use of ``_private_uses`` takes."""
    return use.split()[1] if use.startswith("from ") else use.split(".")[0]


def test_the_shared_validators_are_public_and_say_what_they_refuse():
    assert ph.check_positive_int(np.int64(3), "n") == 3 and ph.check_pair(4, "k") == (4, 4)
    with pytest.raises(TypeError, match="stride must be a positive whole number; got 1.5"):
        ph.check_positive_int(1.5, "stride")
    with pytest.raises(ValueError, match=r"pool_size must be .* 1 or more; got 0"):
        ph.check_pair(0, "pool_size")
    with pytest.raises(ValueError, match="matrix is empty"):
        ph.check_array([], "matrix")
    with pytest.raises(ValueError, match="pool_size 5 does not fit the input height 3"):
        ph.axis_windows(3, 5, axis="height")
