"""What the test modules share: one run of each notebook, and where each test runs in parallel.

The README's test command runs the suite on both cores with pytest-xdist (``-n 2 --dist
loadgroup``, in pyproject.toml's addopts). Under ``loadgroup`` every test of an ``xdist_group``
runs in one worker process, so a fixture the group shares is set up once; the groups are given
here (``pytest_collection_modifyitems``), and so is the scheduler that keeps them together
(``pytest_xdist_make_scheduler``: xdist 3.8's own marks a group in each test's node id, which
pytest 9.2 no longer lets it change, and then silently spreads a group over the workers):

- a test module with module-scoped fixtures (a JupyterLab, a venv, a trained network) is a
  group of its own, so they are built once, as in a serial run; any other test is free to run
  on either worker, alone;
- except the tests that use ``executed_notebook``: both tests of a notebook (it runs, in
  tests/test_notebooks.py; its worked solutions pass, in tests/test_exercises.py) share one run
  of it, so they are one group per notebook, with the claims tests that read variables of that
  run (``KEPT_VARIABLES``);
- and the browser tests, one group per front end (JupyterLab, Notebook 7), each with its own
  server and browser; the two open-command tests go one to each;
- a module may name groups of its own (tests/test_hosted.py: Colab and Binder apart).

The quick loop, ``pytest -m quick`` (README), is every test but the layers (markers notebook,
browser, hosted, classroom) and the few modules and tests that draw or train for seconds each
(``NOT_QUICK``): the module's computing, its checkers, its claims and its docstrings.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from notebook_runner import run_with_worked_solutions


#: Variables a claims test reads from the notebook's own run (``Run.variables``) instead of
#: computing them again: notebook 08's trained networks, half a minute of training.
KEPT_VARIABLES = {"08_pooling_in_a_network": ("rows", "runs", "trials")}


@pytest.fixture(scope="session")
def executed_notebook():
    """``run(path)``: the notebook at ``path`` run once, with its worked solutions in place
    (notebook_runner.run_with_worked_solutions); later calls for the same notebook return the
    same run, or raise the same error."""
    runs = {}

    def run(path):
        path = Path(path).resolve()
        if path not in runs:
            try:
                runs[path] = run_with_worked_solutions(path, keep=KEPT_VARIABLES.get(path.stem, ()))
            except Exception as error:  # a kernel that died or a cell that timed out
                runs[path] = error
        if isinstance(runs[path], Exception):
            raise runs[path]
        return runs[path]

    return run


@pytest.fixture
def few_pictures(monkeypatch):
    """For a test that drives a widget through many settings and reads its captions and drawn
    shapes, not its pictures: every redraw is laid out and drawn as usual, but only one in eight
    is saved as PNG bytes, the others as none (saving is about two thirds of a redraw;
    tests/test_drawing.py and the browser tests look at the pictures). Returns the list of
    figures redrawn, for the test to count."""
    from matplotlib.figure import Figure

    save, redraws = Figure.savefig, []

    def one_in_eight(fig, target, *args, **kwargs):
        redraws.append(fig)
        if len(redraws) % 8 == 1:
            save(fig, target, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", one_in_eight)
    return redraws


#: Marked tests left out of the quick loop: the layers that start kernels, servers or venvs.
LAYERS = ("notebook", "browser", "hosted", "classroom")
#: Test modules and single tests left out of the quick loop, with what makes them slow.
NOT_QUICK = {
    "test_drawing.py": "draws every figure and widget picture",
    "test_widgets.py": "drives every widget and redraws it",
    "test_network.py": "trains networks and draws their explorers",
    "test_claims_08.py": "runs notebook 08, which trains its networks",
    "test_dilation_explorer.py": "drives the dilation explorer through its ranges",
    "test_adaptive_caption_is_true_for_every_setting": "draws the adaptive explorer 240 times",
}


def _quick(item):
    return not (any(item.get_closest_marker(name) for name in LAYERS)
                or item.path.name in NOT_QUICK or getattr(item, "originalname", "") in NOT_QUICK)


def _group(item):
    """The xdist group of a test, as described at the top."""
    params = getattr(item, "callspec", None)
    params = params.params if params else {}
    if "executed_notebook" in item.fixturenames and "path" in params:
        return f"notebook-{params['path'].stem}"
    if "executed_notebook" in item.fixturenames and hasattr(item.module, "STEM"):
        return f"notebook-{item.module.STEM}"  # a claims test reading the notebook's run
    if item.path.name == "test_browser.py":
        if "server" in params:
            return f"browser-{params['server']}"
        if params.get("marker") == "open":
            return "browser-lab"
        if params.get("marker") == "open-notebook":
            return "browser-notebook7"
    try:
        scopes = {fixture.scope for fixtures in item._fixtureinfo.name2fixturedefs.values()
                  for fixture in fixtures}
    except AttributeError:  # another pytest: keep the module together, to be safe
        scopes = {"module"}
    return f"module-{item.path.name}" if scopes & {"module", "class", "package"} else None


def _start_rank(item):
    """Under xdist, the longest groups start first, so that none is left to run alone at the
    end: servers, hubs and venvs, then the notebooks (08, the longest, first), then the slow
    modules, then the rest (pyproject.toml's --no-loadscope-reorder keeps this order)."""
    if any(item.get_closest_marker(name) for name in ("browser", "classroom", "hosted")):
        return (0, "")
    if item.get_closest_marker("notebook"):
        return (1, "".join(chr(255 - ord(c)) for c in item.nodeid.split("[")[-1]))
    return (2, "") if not _quick(item) else (3, "")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if not item.get_closest_marker("xdist_group") and _group(item):
            item.add_marker(pytest.mark.xdist_group(_group(item)))
        if _quick(item):
            item.add_marker(pytest.mark.quick)
    if hasattr(config, "workerinput"):  # an xdist worker: its order is the schedule's
        items.sort(key=_start_rank)
        groups = config.workerinput.get("pooling_groups")
        if groups:  # for the scheduler: each test's group, written whole or not at all
            found = {item.nodeid: "+".join(sorted(
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group"))) or item.nodeid for item in items}
            temporary = f"{groups}.{config.workerinput['workerid']}"
            Path(temporary).write_text(json.dumps(found))
            os.replace(temporary, groups)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """(xdist, in the controller) Tell each worker where to write the groups it collected."""
    if not hasattr(node.config, "pooling_groups"):
        node.config.pooling_groups = os.path.join(tempfile.mkdtemp(prefix="pytest-groups-"),
                                                  "groups.json")
    node.workerinput["pooling_groups"] = node.config.pooling_groups


def pytest_unconfigure(config):
    if getattr(config, "pooling_groups", None):
        shutil.rmtree(os.path.dirname(config.pooling_groups), ignore_errors=True)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """(xdist, in the controller) Under --dist loadgroup: xdist's scheduling by scope, where a
    test's scope is its group, read from what the workers wrote as they collected (the same
    tests in the same order, as xdist checks)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        groups = None

        def _split_scope(self, nodeid):
            if self.groups is None:
                try:
                    self.groups = json.loads(Path(config.pooling_groups).read_text())
                except (AttributeError, OSError, ValueError):
                    self.groups = {}  # no groups written: every module a group
            return self.groups.get(nodeid) or nodeid.split("::")[0]

    return GroupScheduling(config, log)
