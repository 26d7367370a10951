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
IDLE_SECONDS = 15


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


def test_link_docstring_examples_run():
    import doctest

    assert doctest.testmod(link, optionflags=doctest.ELLIPSIS).failed == 0


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


# --- three learners on the hub ------------------------------------------------------------------

def _need_hub():
    for module, package in [("jupyterhub", "jupyterhub"), ("nbgitpuller", "nbgitpuller"),
                            ("jupyterhub_idle_culler", "jupyterhub-idle-culler"),
                            ("websocket", "websocket-client"), ("psutil", "psutil"),
                            ("requests", "requests")]:
        if importlib.util.find_spec(module) is None:
            _missing(f"{package} is not installed: pip install -r requirements-test.txt")
    if shutil.which("git") is None:
        _missing("git not found: nbgitpuller needs it (apt-get install git)")
    if not (ROOT / ".git").exists():
        _missing("the course is not a git checkout: the test hands out a clone of it")
    from classroom.simulate import ClassroomError, ensure_proxy

    try:
        ensure_proxy()
    except ClassroomError as error:
        _missing(str(error))


class Room:
    """The hub, its learners, the teacher's repository and the link, as the tests share them.
    Each test that uses it also passes alone, or on a worker of its own (pytest-xdist), where
    the fixture starts a hub for it."""


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A hub from the shipped config with three learners logged in, each with a running server.
    The idle culler's limit is IDLE_SECONDS, servers report activity every second."""
    _need_hub()
    from classroom.simulate import Hub, Learner, pull_link

    work = tmp_path_factory.mktemp("classroom")
    teacher = work / "pooling-from-scratch"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(teacher)], check=True)
    # the link pulls main, whatever branch (or detached commit) the checkout is on
    subprocess.run(["git", "-C", str(teacher), "checkout", "-q", "-B", "main"], check=True)
    hub = Hub(work / "hub", idle_seconds=IDLE_SECONDS, activity_seconds=1, poll_seconds=2,
              server_args=["--LabApp.expose_app_in_browser=True", "--LabApp.news_url="])
    (work / "hub").mkdir()
    room = Room()
    room.hub, room.teacher, room.times = hub, teacher, {}
    room.link = pull_link(hub.url, str(teacher), NOTEBOOK)
    room.path = f"pooling-from-scratch/{NOTEBOOK}"
    try:
        room.times["hub start"] = hub.start()
        names = [f"learner-{i:02d}" for i in range(LEARNERS)]
        created = hub.api("POST", "users", json={"usernames": names})
        assert created.status_code == 201, created.text
        room.learners = [Learner(hub, name) for name in names]
        for learner in room.learners:
            assert learner.log_in(hub.password), f"{learner.name} could not log in"
            learner.get_token()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(LEARNERS) as pool:
            list(pool.map(lambda learner: learner.start_server(), room.learners))
        room.times["servers start"] = time.perf_counter() - started
        yield room
    finally:
        hub.stop()
        print("\nclassroom times (s):", json.dumps({k: round(v, 1) for k, v in room.times.items()}))


def _note(name):
    return f"My notes, {name}: the stride decides how far the window jumps."


@pytest.mark.classroom
def test_three_learners_at_once(room):
    """The link pulls the course into each home; 04 runs top to bottom in each learner's kernel
    and the explorer redraws on each of 20 stride moves, all learners at once; a wrong password is
    refused; no learner opens another's server; edits survive the teacher's next change; a server
    killed mid-notebook comes back on the next visit with the learner's saved work."""
    from classroom.simulate import Learner, lesson

    hub, learners = room.hub, room.learners
    # a wrong class password is refused, and leaves no login behind
    stranger = Learner(hub, "learner-00")
    assert not stranger.log_in("not-the-class-password")
    assert "jupyterhub-session-id" not in stranger.browser.cookies

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(LEARNERS) as pool:
        lessons = list(pool.map(lambda learner: lesson(learner, room.link, room.path, MOVES),
                                learners))
    room.times["lessons (at once)"] = time.perf_counter() - started
    # kernel websockets the proxy refused (503) and that were tried again, as JupyterLab does
    room.times["kernel reconnects"] = sum(result["kernel"].reconnects for result in lessons)
    room.times["link to ready, slowest"] = max(result["ready"] for result in lessons)
    room.times["notebook run, slowest"] = max(result["run"] for result in lessons)
    latencies = sorted(move[1] for result in lessons for move in result["moves"])
    room.times["slider p95"] = latencies[int(0.95 * (len(latencies) - 1))]
    for learner, result in zip(learners, lessons):
        assert any("Cloning into" in line for line in result["pull"]), result["pull"]
        assert result["errors"] == [], f"{learner.name}: {result['errors']}"
        assert len(result["moves"]) == MOVES
        for (stride, seconds, caption, size), side in zip(result["moves"], result["expected"]):
            assert size and size > 1000, f"{learner.name}: stride {stride} drew no picture"
            assert f"output {side}×{side}" in (caption or ""), (learner.name, stride, caption)
        home = hub.homes / learner.name / "pooling-from-scratch"
        assert (home / NOTEBOOK).exists() and (home / ".git").exists()

    # no learner opens another's server: not with their token, not with their browser's login
    for learner, other in zip(learners, learners[1:] + learners[:1]):
        answer = learner.server_api("GET", f"contents/{room.path}", token=learner.token)
        assert answer.status_code == 200
        foreign = other.server_api("GET", f"contents/{room.path}", token=learner.token)
        assert foreign.status_code == 403, (learner.name, other.name, foreign.status_code)
        page = learner.browser.get(f"{hub.url}/user/{other.name}/lab", timeout=60)
        assert page.status_code == 403, (learner.name, other.name, page.status_code, page.url)

    # each learner edits 04 and saves it; the teacher changes the course; the next click merges:
    # the learner's note stays, no one else's appears, the teacher's change arrives
    for learner in learners:
        notebook = learner.read_notebook(room.path)
        cell = copy.deepcopy(next(c for c in notebook["cells"] if c["cell_type"] == "markdown"))
        cell.update(id=f"note-{learner.name}", source=_note(learner.name), attachments={})
        notebook["cells"].append(cell)
        learner.save_notebook(room.path, notebook)
    room.edited = True
    teacher = room.teacher
    course = json.loads((teacher / NOTEBOOK).read_text(encoding="utf-8"))
    title = course["cells"][0]["source"]
    title = title if isinstance(title, str) else "".join(title)
    (teacher / "notebooks" / "FROM_THE_TEACHER.md").write_text("Read 05 before Tuesday.\n")
    subprocess.run(["git", "-C", str(teacher), "add", "notebooks/FROM_THE_TEACHER.md"],
                   check=True)
    subprocess.run(["git", "-C", str(teacher), "-c", "user.name=Teacher", "-c",
                    "user.email=teacher@example.edu", "commit", "-q", "-m", "A note for the class"],
                   check=True)
    with concurrent.futures.ThreadPoolExecutor(LEARNERS) as pool:
        pulls = list(pool.map(lambda learner: learner.follow_link(room.link), learners))
    for learner, pull in zip(learners, pulls):
        home = hub.homes / learner.name / "pooling-from-scratch"
        assert (home / "notebooks" / "FROM_THE_TEACHER.md").exists(), (learner.name, pull)
        text = (home / NOTEBOOK).read_text(encoding="utf-8")
        assert _note(learner.name) in text, f"{learner.name}'s edit was lost: {pull}"
        assert title.splitlines()[0] in text
        for other in learners:
            if other is not learner:
                assert _note(other.name) not in text

    # a server killed while a cell runs comes back on the next visit with the saved notebook
    victim, kernel = learners[0], lessons[0]["kernel"]
    kernel.execute("import time\ntime.sleep(60)", wait=False)
    time.sleep(0.5)
    os.killpg(victim.server_pid(), signal.SIGKILL)
    for result in lessons:
        result["kernel"].close()
    started = time.perf_counter()
    first, spawned, pull = victim.revisit(room.link)
    room.times["back after a kill"] = time.perf_counter() - started
    assert first in (503, 424), f"the link to a dead server answered {first}"
    assert spawned in (200, 302), f"the hub's spawn page answered {spawned}"
    notebook = victim.read_notebook(room.path)
    assert _note(victim.name) in json.dumps(notebook, ensure_ascii=False)
    kernel = victim.open_kernel(room.path)
    status, errors, _ = kernel.execute("import pooling_helpers as ph\nph.pool2d([[1, 2], [3, 4]], 2)")
    kernel.close()
    assert status == "ok" and not errors, errors


@pytest.mark.classroom
@pytest.mark.browser
def test_jupyterlab_through_the_hub_in_chromium(room):
    """A learner logs in to the hub in Chromium, follows the link (nbgitpuller's page pulls and
    opens 04 in JupyterLab), runs the notebook, and the cat explorer redraws on a slider drag."""
    import test_browser

    if not Path(test_browser.CHROMIUM).exists() or importlib.util.find_spec("playwright") is None:
        _missing("chromium or playwright not found: apt-get install chromium; "
                 "pip install -r requirements-test.txt")
    from playwright.sync_api import sync_playwright

    learner = room.learners[0]
    # as the browser test does: every cell rendered (so an error anywhere is on the page), no
    # news toast; JupyterLab reads these from the learner's home
    settings = room.hub.homes / learner.name / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}')
    (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false"}')
    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=test_browser.CHROMIUM, headless=True,
                                             args=test_browser.CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport=test_browser.PROJECTOR)
            page.goto(f"{room.hub.url}/hub/login")
            page.fill("#username_input", learner.name)
            page.fill("#password_input", room.hub.password)
            page.click("#login_submit")
            # in: on to their server (running) or the hub's spawn page
            page.wait_for_url(lambda url: "/hub/login" not in url, timeout=30_000)
            page.goto(room.link)  # nbgitpuller's page: pull, then on to the notebook
            page.wait_for_url(f"**/user/{learner.name}/lab/tree/{room.path}", timeout=60_000)
            page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')",
                                   timeout=60_000)
            page.wait_for_function("""() => {
                const kernel = window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel;
                return kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
            }""", timeout=60_000)
            page.wait_for_timeout(1000)
            page.evaluate("""async () => {
                const notebook = window.jupyterapp.shell.currentWidget;
                await notebook.sessionContext.ready;
                await window.jupyterapp.commands.execute('notebook:run-all-cells');
            }""")
            page.wait_for_function("""() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""", timeout=120_000)
            page.wait_for_selector(".widget-slider", timeout=30_000)
            assert "Error displaying widget" not in page.inner_text(".jp-Notebook")
            assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0
            if getattr(room, "edited", False):  # the test above ran on this hub: their edit
                assert _note(learner.name) in page.inner_text(".jp-Notebook")
            explorer = test_browser.Explorer(page, 0)  # the grey cat, pool 3, stride 2
            assert explorer.caption().startswith("Input 224×224 → output 111×111")
            assert explorer.drag("stride", 4).startswith("Input 224×224 → output 56×56")
            test_browser.ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(test_browser.ARTIFACTS / "classroom_hub_lab.png"))
        finally:
            browser.close()
    room.times["browser"] = time.perf_counter() - started


@pytest.mark.classroom
def test_readme_hub_command_starts_the_hub(tmp_path):
    """The README's hub command, as written (less the venv's creation, which the test command
    has done), starts a hub that takes the password typed at its prompt, and only that one."""
    _need_hub()
    import readme_commands
    from classroom.simulate import Learner, free_port

    command = readme_commands.command("hub")
    for part in ("requirements-classroom.txt", "configurable-http-proxy@5", "CLASSROOM_PASSWORD",
                 "-f classroom/jupyterhub_config.py"):
        assert part in command, f"the README's hub command lacks {part}"
    command = command.replace("python3 -m venv .venv && ", "")
    command = command.replace(".venv/bin/", f"{Path(sys.executable).parent}/")
    password, port = "a-class-password", free_port()
    env = dict(os.environ, CLASSROOM_DIR=str(tmp_path / "state"), CLASSROOM_IP="127.0.0.1",
               CLASSROOM_PORT=str(port), CLASSROOM_HUB_PORT=str(free_port()),
               CLASSROOM_PROXY_API_PORT=str(free_port()), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("CLASSROOM_PASSWORD", None)
    log = tmp_path / "hub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env,
                                   stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        process.stdin.write(f"{password}\n".encode())
        process.stdin.close()
        hub = type("HubAddress", (), {"url": f"http://127.0.0.1:{port}"})()
        deadline = time.perf_counter() + 180
        import requests

        while time.perf_counter() < deadline:
            assert process.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                if requests.get(f"{hub.url}/hub/api", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail("the README's hub command did not start a hub within 180 s:\n"
                        + log.read_text(errors="replace")[-3000:])
        assert Learner(hub, "ann").log_in(password)
        assert not Learner(hub, "bob").log_in("not-the-password")
        assert password not in log.read_text(errors="replace")
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.classroom
def test_idle_servers_are_culled(room):
    """Left alone, every learner's server is stopped by the idle culler after the idle limit, and
    no server or kernel process is left. (Last in the file: the README's hub command runs while
    the servers sit idle.)"""
    started = time.perf_counter()
    deadline = started + IDLE_SECONDS + 60
    waiting = list(room.learners)
    while waiting and time.perf_counter() < deadline:
        waiting = [learner for learner in waiting if learner.server_state() is not None]
        time.sleep(0.5)
    room.times["culled within"] = time.perf_counter() - started
    assert not waiting, ("not culled: " + ", ".join(learner.name for learner in waiting)
                         + "\n" + room.hub.log_tail())
    log = room.hub.log_text()
    for learner in room.learners:
        assert f"Culling server {learner.name}" in log, f"{learner.name} stopped, not culled"
    time.sleep(1)
    left = [" ".join(p.cmdline()) for p in room.hub.processes()
            if any(word in " ".join(p.cmdline()) for word in ("singleuser", "ipykernel"))]
    assert not left, f"still running after the cull: {left}"

