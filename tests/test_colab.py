"""The notebooks' first cell: in Colab it fetches the course and installs the helpers; elsewhere it
does nothing. And one public address serves the Colab cell, the Binder link and the Colab link.

Colab can't be reached from here, so a simulated Colab stands in for it:
- a kernel in which ``google.colab`` is already imported at start, as in Colab;
- Colab's ipywidgets 7.7.1, installed over this test environment (Colab renders no other version);
- git, told to fetch the course's public address from a snapshot of this checkout;
- a home directory of its own, so the clone never lands in the real one.
"""

import json
import os
import re
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from notebook_runner import execute

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB_IPYWIDGETS = "7.7.1"

pytestmark = pytest.mark.colab


def _course_address():
    found = re.search(r'^Source = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert found, "pyproject.toml has no [project.urls] Source: the course's public address"
    return found.group(1)


def _first_code_cell(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_every_notebook_starts_with_the_same_colab_cell_cloning_the_course_address():
    cells = {path.name: _first_code_cell(path) for path in NOTEBOOKS}
    assert len(set(cells.values())) == 1, f"the first cells differ: {sorted(cells)}"
    cell = cells[NOTEBOOKS[0].name]
    assert f"git clone -q --depth 1 {_course_address()} " in cell, (
        "the Colab cell does not clone the address in pyproject.toml")


def test_readme_links_binder_and_colab_to_the_course_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    repository = _course_address().removeprefix("https://github.com/")
    assert (f"https://mybinder.org/v2/gh/{repository}/HEAD?labpath=notebooks/00_start_here.ipynb"
            in readme)
    assert (f"https://colab.research.google.com/github/{repository}/blob/main/notebooks/"
            "00_start_here.ipynb" in readme)
    others = set(re.findall(r"github\.com/([\w.-]+/[\w.-]+)", readme)) - {repository}
    assert not others, f"README.md names another repository: {others}"


def test_outside_colab_the_first_cell_does_nothing(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(_first_code_cell(NOTEBOOKS[0])),
        nbformat.v4.new_code_cell("print(os.getcwd(), 'course_dir' in globals())"),
    ])
    path = tmp_path / "first_cell.ipynb"
    nbformat.write(notebook, path)
    first, check = execute(path, timeout=60).cells
    assert first.outputs == []
    assert check.outputs[0].text.split() == [str(tmp_path), "False"]


def _run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _snapshot_of_this_checkout(origin):
    """A one-commit git repository of the checkout's tracked files as they are on disk now."""
    tracked = _run(["git", "ls-files", "-z"], cwd=ROOT).split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (origin / name).parent.mkdir(parents=True, exist_ok=True)
            (origin / name).write_bytes((ROOT / name).read_bytes())
    _run(["git", "init", "-q", "-b", "main"], cwd=origin)
    _run(["git", "add", "-A"], cwd=origin)
    _run(["git", "-c", "user.name=course test", "-c", "user.email=test@example.invalid",
          "commit", "-q", "-m", "snapshot"], cwd=origin)


def _colab_like_runtime(runtime):
    """A virtual environment that sees this test environment's packages, with Colab's ipywidgets
    installed in front of them."""
    _run([sys.executable, "-m", "venv", str(runtime)])
    python = runtime / "bin" / "python"
    own = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip()
    # a .pth entry goes after the runtime's own site-packages, so its ipywidgets 7 comes first
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(own, "zz_test_environment.pth").write_text("\n".join(sorted(shared)) + "\n")
    _run([python, "-m", "pip", "install", "-q", "--no-deps", f"ipywidgets=={COLAB_IPYWIDGETS}",
          "ipython_genutils==0.2.0"])
    return python


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """Runs notebook 04 in the simulated Colab; yields its clone's path, the runtime's python, and
    what the kernel reported at the end."""
    if not (ROOT / ".git").exists():
        pytest.fail("the Colab test needs a git checkout of the course (it clones a snapshot of it)")
    work = tmp_path_factory.mktemp("colab")
    origin, home, content = work / "origin", work / "home", work / "content"
    for folder in (origin, home, content):
        folder.mkdir()
    _snapshot_of_this_checkout(origin)
    python = _colab_like_runtime(work / "runtime")

    startup = home / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text(
        "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n")
    kernels = work / "jupyter" / "kernels" / "simulated-colab"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "simulated Colab", "language": "python"}))
    (work / "gitconfig").write_text(f'[url "file://{origin}"]\n\tinsteadOf = {_course_address()}\n')

    real_home = Path.home()
    notebook = nbformat.read(ROOT / "notebooks" / "04_cat_image.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import importlib.metadata, json, os, ipywidgets, pooling_helpers\n"
        "print(json.dumps({'cwd': os.getcwd(), 'helpers': pooling_helpers.__file__,\n"
        "                  'imported_ipywidgets': ipywidgets.__version__,\n"
        "                  'installed_ipywidgets': importlib.metadata.version('ipywidgets')}))"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("IPYTHONDIR", str(home / ".ipython"))
        patch.setenv("JUPYTER_PATH", str(work / "jupyter"))
        patch.setenv("GIT_CONFIG_GLOBAL", str(work / "gitconfig"))
        # pip keeps this machine's index settings and cache despite the new home
        patch.setenv("XDG_CONFIG_HOME", os.environ.get("XDG_CONFIG_HOME", str(real_home / ".config")))
        patch.setenv("XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME", str(real_home / ".cache")))
        started = time.perf_counter()
        NotebookClient(notebook, timeout=300, kernel_name="simulated-colab",
                       resources={"metadata": {"path": str(content)}},
                       store_widget_state=False).execute()
        seconds = time.perf_counter() - started
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, "\n".join(e.ename + ": " + e.evalue for e in errors)
    report = json.loads(notebook.cells[-1].outputs[-1].text)
    yield {"clone": home / "pooling-from-scratch", "python": python, "report": report,
           "first_cell": notebook.cells[[c.cell_type for c in notebook.cells].index("code")],
           "seconds": seconds}


def test_in_colab_the_first_cell_clones_installs_and_moves_into_the_notebooks(colab):
    clone, report = colab["clone"], colab["report"]
    assert (clone / "pooling_helpers.py").is_file()
    assert Path(report["cwd"]) == clone / "notebooks"
    assert Path(report["helpers"]) == clone / "pooling_helpers.py"
    assert not [o for o in colab["first_cell"].outputs if o.get("name") == "stderr"
                and "ERROR" in o.text], "pip reported an error"


def test_in_colab_installing_the_helpers_keeps_colabs_ipywidgets(colab):
    report = colab["report"]
    assert report["imported_ipywidgets"] == COLAB_IPYWIDGETS
    assert report["installed_ipywidgets"] == COLAB_IPYWIDGETS, (
        "the install upgraded ipywidgets: Colab would stop showing the widgets")


def test_in_colab_the_widgets_work_with_ipywidgets_7(colab):
    """The widget tests, run by the Colab runtime on its clone of the course."""
    clone = colab["clone"]
    output = _run([colab["python"], "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                   "tests/test_widgets.py"], cwd=clone)
    assert re.search(r"\b\d+ passed\b", output) and "failed" not in output, output
