"""The course where a class may meet it online: Colab and Binder, simulated here.

Neither service can be reached from the test machine, so each is stood in for by a kernel in a
virtual environment that sees this test environment's packages, on a clone of a snapshot of this
checkout:
- Colab: ``google.colab`` already imported at kernel start, Colab's ipywidgets 7.7.1 in front of
  ours, a home directory of its own, and git told to fetch the course's public address from the
  snapshot. The notebooks' first cell must clone the course, install the helpers without upgrading
  ipywidgets, and move into notebooks/.
- Binder: the two steps that repo2docker's Python buildpack runs for this repository (seen with
  ``repo2docker --no-build --debug``, version 2026.4.0): ``pip install -r requirements.txt``, then,
  because pyproject.toml describes a package, ``pip install .``, which replaces the editable
  install with a copy in site-packages.

Outside Colab the first cell must do nothing, and one public address must serve the Colab cell,
the Binder link and the Colab link.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from notebook_runner import errors, execute

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB_IPYWIDGETS = "7.7.1"
REPORT = ("import importlib.metadata, json, os, ipywidgets, pooling_helpers\n"
          "print(json.dumps({'cwd': os.getcwd(), 'helpers': pooling_helpers.__file__,\n"
          "                  'cat_found': pooling_helpers.CAT_PATH.is_file(),\n"
          "                  'imported_ipywidgets': ipywidgets.__version__,\n"
          "                  'installed_ipywidgets': importlib.metadata.version('ipywidgets')}))")

pytestmark = pytest.mark.hosted


# --- one address, one first cell ------------------------------------------------------------------

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
    assert f'course_url = "{_course_address()}"' in cell, (
        "the Colab cell does not name the address in pyproject.toml")
    assert "git clone -q --depth 1 {course_url} {course_dir}" in cell, (
        "the Colab cell does not clone course_url")


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


# --- the machinery of the simulations -------------------------------------------------------------

def _run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """A one-commit git repository of the checkout's tracked files as they are on disk now."""
    if not (ROOT / ".git").exists():
        pytest.fail("the hosted tests need a git checkout of the course (they clone a snapshot of it)")
    origin = tmp_path_factory.mktemp("origin")
    tracked = _run(["git", "ls-files", "-z"], cwd=ROOT).split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (origin / name).parent.mkdir(parents=True, exist_ok=True)
            (origin / name).write_bytes((ROOT / name).read_bytes())
    _run(["git", "init", "-q", "-b", "main"], cwd=origin)
    _run(["git", "add", "-A"], cwd=origin)
    _run(["git", "-c", "user.name=course test", "-c", "user.email=test@example.invalid",
          "commit", "-q", "-m", "snapshot"], cwd=origin)
    return origin


def _runtime(folder, *pip_args):
    """A virtual environment that sees this test environment's packages, behind its own, with a
    kernelspec named after the folder. Returns its python.

    It is made without a pip of its own (``--without-pip`` saves ensurepip's install, seconds of
    each simulation): its ``python -m pip``, as Colab's ``%pip`` and Binder's steps call it, is
    this environment's pip, the same version, which installs into the runtime it runs in (into
    ``sys.prefix``, the runtime's own site-packages) and never removes a package outside it."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(folder)])
    python = folder / "bin" / "python"
    own = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip()
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(own, "zz_test_environment.pth").write_text("\n".join(sorted(shared)) + "\n")
    if pip_args:
        _run([python, "-m", "pip", "install", "-q", *pip_args])
    kernel = folder / "jupyter" / "kernels" / folder.name
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": folder.name, "language": "python"}))
    return python


def _run_in_runtime(runtime, notebook_name, cwd, **environment):
    """Run a course notebook, plus a cell that reports what the kernel sees, in the runtime's kernel.
    Returns the executed notebook and the report."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(runtime / "jupyter"))
        for name, value in environment.items():
            patch.setenv(name, value)
        notebook = execute(ROOT / "notebooks" / notebook_name, timeout=300, kernel_name=runtime.name,
                           cwd=cwd, extra_cells=[REPORT])
    found = errors(notebook)
    assert not found, "\n".join(f"{e.ename}: {e.evalue}" for e in found)
    return notebook, json.loads(notebook.cells[-1].outputs[-1].text)


# --- Colab ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def colab(tmp_path_factory, snapshot):
    """Notebook 04 run in the simulated Colab, from its first cell on."""
    work = tmp_path_factory.mktemp("colab")
    home, content = work / "home", work / "content"
    content.mkdir()
    startup = home / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text(
        "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n")
    (work / "gitconfig").write_text(f'[url "file://{snapshot}"]\n\tinsteadOf = {_course_address()}\n')
    runtime = work / "colab-runtime"
    python = _runtime(runtime, "--no-deps", f"ipywidgets=={COLAB_IPYWIDGETS}", "ipython_genutils==0.2.0")
    real_home = Path.home()
    notebook, report = _run_in_runtime(
        runtime, "04_cat_image.ipynb", content, HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
        GIT_CONFIG_GLOBAL=str(work / "gitconfig"),
        # pip keeps this machine's index settings and cache despite the new home
        XDG_CONFIG_HOME=os.environ.get("XDG_CONFIG_HOME", str(real_home / ".config")),
        XDG_CACHE_HOME=os.environ.get("XDG_CACHE_HOME", str(real_home / ".cache")))
    first_cell = next(c for c in notebook.cells if c.cell_type == "code")
    return {"clone": home / "pooling-from-scratch", "python": python, "report": report,
            "first_cell": first_cell}


# Colab and Binder run side by side under pytest-xdist, each in one worker: the three Colab tests
# share the one simulated runtime of the colab fixture.
@pytest.mark.xdist_group("hosted-colab")
def test_in_colab_the_first_cell_clones_installs_and_moves_into_the_notebooks(colab):
    clone, report = colab["clone"], colab["report"]
    assert (clone / "pooling_helpers.py").is_file()
    assert Path(report["cwd"]) == clone / "notebooks"
    assert Path(report["helpers"]) == clone / "pooling_helpers.py"
    assert report["cat_found"]
    assert not [o for o in colab["first_cell"].outputs if o.get("name") == "stderr"
                and "ERROR" in o.text], "pip reported an error"


@pytest.mark.xdist_group("hosted-colab")
def test_in_colab_installing_the_helpers_keeps_colabs_ipywidgets(colab):
    report = colab["report"]
    assert report["imported_ipywidgets"] == COLAB_IPYWIDGETS
    assert report["installed_ipywidgets"] == COLAB_IPYWIDGETS, (
        "the install upgraded ipywidgets: Colab would stop showing the widgets")


@pytest.mark.xdist_group("hosted-colab")
def test_in_colab_the_widgets_work_with_ipywidgets_7(colab):
    """The widget tests, run by the Colab runtime on its clone of the course."""
    output = _run([colab["python"], "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                   "tests/test_widgets.py"], cwd=colab["clone"])
    assert re.search(r"\b\d+ passed\b", output) and "failed" not in output, output


# --- Binder ---------------------------------------------------------------------------------------

@pytest.mark.xdist_group("hosted-binder")
def test_on_binder_the_course_installs_from_requirements_and_the_cat_notebook_runs(
        tmp_path, snapshot):
    repository = tmp_path / "repository"
    shutil.copytree(snapshot, repository, ignore=shutil.ignore_patterns(".git"))
    runtime = tmp_path / "binder-runtime"
    python = _runtime(runtime)
    for step in (["-r", "requirements.txt"], ["."]):  # repo2docker's assemble steps, in order
        _run([python, "-m", "pip", "install", "-q", *step], cwd=repository)
    _, report = _run_in_runtime(runtime, "04_cat_image.ipynb", repository / "notebooks")
    # the simulation is faithful only if the helpers really are the site-packages copy
    assert Path(report["helpers"]).is_relative_to(runtime), report["helpers"]
    assert report["cat_found"], "pooling_helpers.CAT_PATH points at no file"
