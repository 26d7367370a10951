"""A class on one JupyterHub: the nbgitpuller link helper, and three learners at once on the hub
started from classroom/jupyterhub_config.py.

The hub runs on free loopback ports in a folder of the test's own, with a random class password
and admin token; the course it hands out is a git clone of this repository made by the test (the
teacher's repository), pulled through the nbgitpuller link into each learner's home. The learners
are driven by classroom/simulate.py, as their browsers would: the hub's login form and REST API,
the link, their servers' REST API and kernel websockets. benchmarks/bench_classroom.py drives the
same code with 1, 10 and 30 learners.

Needs JupyterHub, nbgitpuller and jupyterhub-idle-culler (requirements-classroom.txt, part of the
test requirements), npm (the fixture installs configurable-http-proxy into .cache/classroom) and
git; the browser step needs Debian's chromium as tests/test_browser.py does. Without them the
tests skip saying what is missing, except under CI (CI set), where they fail.
"""

import concurrent.futures
import copy
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from classroom import link  # noqa: E402

LEARNERS = 3
MOVES = 20
NOTEBOOK = "notebooks/04_cat_image.ipynb"
#: the idle culler's limit in the test: short, and longer than any pause of a learner's below
IDLE_SECONDS = 10


def _missing(what):
    message = f"classroom test: {what}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# --- the link helper ----------------------------------------------------------------------------

def test_link_for_the_course():
    made = link.make_link("https://hub.example.edu", "https://github.com/pooling-course/"
                          "pooling-from-scratch", "main", "notebooks/00_start_here.ipynb")
    assert made == ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2F"
                    "github.com%2Fpooling-course%2Fpooling-from-scratch&branch=main&urlpath="
                    "lab%2Ftree%2Fpooling-from-scratch%2Fnotebooks%2F00_start_here.ipynb")


@pytest.mark.parametrize("hub, expected", [
    ("https://hub.example.edu/", "https://hub.example.edu"),
    ("https://hub.example.edu/hub/home", "https://hub.example.edu"),
    ("https://uni.edu/jupyter/user/ann/lab", "https://uni.edu/jupyter"),
    ("http://10.0.0.5:8000", "http://10.0.0.5:8000"),
])
def test_link_takes_the_hub_as_copied(hub, expected):
    assert link.check_hub(hub) == expected


def test_link_options():
    notebook7 = link.make_link("https://h.edu", "git@github.com:o/course.git", "week-2",
                               "notebooks/02_stride.ipynb", app="notebook")
    # nbgitpuller would name the folder course.git: the link says where it goes
    assert "urlpath=notebooks%2Fcourse%2Fnotebooks%2F02_stride.ipynb" in notebook7
    assert "targetpath=course" in notebook7 and "branch=week-2" in notebook7


@pytest.mark.parametrize("kwargs, words", [
    ({"hub": "hub.example.edu"}, "--hub must be the hub's web address"),
    ({"hub": "ftp://hub.example.edu"}, "--hub must be the hub's web address"),
    ({"hub": "https://hub example.edu"}, "host name that is not one"),
    ({"hub": "https://hub.edu:80a"}, "port that is not a number"),
    ({"hub": "https://hub.edu/?next=x"}, "without ?"),
    ({"repo": "github.com/o/course"}, "--repo must be a git repository's address"),
    ({"repo": "https://github.com/o/course/tree/main/notebooks"},
     "give the repository itself, e.g. https://github.com/o/course"),
    ({"repo": "https://"}, "no host name"),
    ({"branch": "my branch"}, "--branch must be a git branch name"),
    ({"open_path": "/home/ann/x.ipynb"}, "--open must be a path inside the repository"),
    ({"open_path": "../x.ipynb"}, "--open must be a path inside the repository"),
    ({"app": "classic"}, "--app must be 'lab' or 'notebook'"),
])
def test_link_bad_input_says_what_to_give(kwargs, words):
    arguments = dict(hub="https://hub.example.edu", repo="https://github.com/o/course",
                     branch="main", open_path="notebooks/00_start_here.ipynb")
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=None) as raised:
        link.make_link(**arguments)
    assert words in str(raised.value)


def test_link_command_line(tmp_path):
    command = [sys.executable, "-m", "classroom.link", "--hub", "https://hub.example.edu"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
    bad = subprocess.run(command[:3] + ["--hub", "hub.example.edu"], cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == ""
    assert "classroom.link: --hub must be the hub's web address" in bad.stderr
    if shutil.which("git") is None:
        _missing("git not found")
    # --check asks git: a repository without that branch, and no repository at all
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path / "course")], check=True)
    subprocess.run(["git", "-C", str(tmp_path / "course"), "-c", "user.name=t", "-c",
                    "user.email=t@example.edu", "commit", "-q", "--allow-empty", "-m", "x"],
                   check=True)
    for repo, branch, words in [(tmp_path / "course", "main", None),
                                (tmp_path / "course", "week-9", "--branch 'week-9' is not a branch"),
                                (tmp_path / "nothing", "main", "cannot be read by git: fatal:")]:
        done = subprocess.run(command + ["--repo", str(repo), "--branch", branch, "--check"],
                              cwd=ROOT, capture_output=True, text=True)
        if words is None:
            assert done.returncode == 0, done.stderr
        else:
            assert done.returncode == 2 and words in done.stderr, done.stderr
