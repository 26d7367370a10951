"""Learners on the classroom hub, as their browsers would be: used by the classroom test (three
learners) and the classroom benchmark (1, 10 or 30).

``Hub`` starts JupyterHub from ``classroom/jupyterhub_config.py`` on free loopback ports, in a
folder of its own, and stops it and every process it started. ``Learner`` logs in with the class
password, follows the nbgitpuller link, and talks to its own JupyterLab server through the hub's
proxy: the contents and sessions REST API, and a kernel's websocket
(``/user/<name>/api/kernels/<id>/channels``, the path JupyterLab's page uses). ``Kernel`` runs a
notebook's code cells there one after the other and moves a widget's slider the way the page
does, with a ``comm_msg`` that sets the slider's value, then waits for the picture's new PNG.

Nothing here prints; problems raise ``ClassroomError`` with what was expected and what came.
"""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import psutil
import requests
import websocket

COURSE = Path(__file__).resolve().parents[1]
CONFIG = COURSE / "classroom" / "jupyterhub_config.py"
#: where the README's hub command and the tests install configurable-http-proxy (gitignored)
PROXY_PREFIX = COURSE / ".cache" / "classroom"
PROXY_BIN = PROXY_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
PROXY_PACKAGE = "configurable-http-proxy@5"


class ClassroomError(RuntimeError):
    """Something a learner or the teacher would see go wrong."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_proxy():
    """Install configurable-http-proxy with npm into ``.cache/classroom`` unless it is there; return
    its path. Raises ``ClassroomError`` when npm is missing or the install fails."""
    if PROXY_BIN.exists():
        return PROXY_BIN
    npm = shutil.which("npm")
    if npm is None:
        raise ClassroomError("npm not found: install Node.js 20 or newer with npm "
                             "(Debian: `apt-get install nodejs npm`) for configurable-http-proxy")
    PROXY_PREFIX.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--prefix", str(PROXY_PREFIX), "--no-audit", "--no-fund",
                           PROXY_PACKAGE], capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not PROXY_BIN.exists():
        raise ClassroomError(f"npm install {PROXY_PACKAGE} failed:\n{done.stdout}\n{done.stderr}")
    return PROXY_BIN


class Hub:
    """JupyterHub from the shipped config, in ``workdir``: its database, cookie secret, log and the
    learners' homes all go there.

    Parameters
    ----------
    workdir : path
        An empty folder of the caller's (a test's tmp_path).
    idle_seconds : int
        The idle culler's limit (0: no culler).
    activity_seconds : int
        How often servers report activity to the hub.
    poll_seconds : int
        How often the hub checks that every server's process is alive.
    server_args : list of str
        More command-line options for every learner's server.
    """

    def __init__(self, workdir, idle_seconds=0, activity_seconds=60, poll_seconds=30,
                 server_args=()):
        self.workdir = Path(workdir).resolve()
        self.password = "class-" + secrets.token_hex(6)
        self.admin_token = secrets.token_hex(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "hub.log"
        self.homes = self.workdir / "state" / "homes"
        self.idle_seconds = idle_seconds
        self.activity_seconds = activity_seconds
        self.poll_seconds = poll_seconds
        self.server_args = list(server_args)
        self.process = None
        self._seen = {}  # pid -> psutil.Process, every process of the hub's ever seen

    def start(self, timeout=60):
        """Start the hub and wait until its API answers; returns the seconds it took."""
        ensure_proxy()
        env = dict(os.environ, CLASSROOM_PASSWORD=self.password,
                   CLASSROOM_ADMIN_TOKEN=self.admin_token,
                   CLASSROOM_DIR=str(self.workdir / "state"), CLASSROOM_IP="127.0.0.1",
                   CLASSROOM_PORT=str(self.port), CLASSROOM_HUB_PORT=str(free_port()),
                   CLASSROOM_PROXY_API_PORT=str(free_port()),
                   CLASSROOM_IDLE_SECONDS=str(self.idle_seconds),
                   CLASSROOM_ACTIVITY_SECONDS=str(self.activity_seconds),
                   CLASSROOM_SERVER_ARGS=" ".join(self.server_args))
        command = [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG),
                   f"--Spawner.poll_interval={self.poll_seconds}"]
        started = time.perf_counter()
        with open(self.log_path, "ab") as log:
            # a session of its own, so that teardown can end the whole group at once
            self.process = subprocess.Popen(command, cwd=self.workdir, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise ClassroomError(f"the hub exited with {self.process.returncode}:\n"
                                     + self.log_tail())
            try:
                if requests.get(f"{self.url}/hub/api", timeout=2).status_code == 200:
                    self.processes()
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise ClassroomError(f"the hub did not answer /hub/api within {timeout} s:\n"
                             + self.log_tail())

    def log_tail(self, lines=40):
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def api(self, method, path, token=None, **kwargs):
        """A request to the hub's REST API (``/hub/api/<path>``), as the teacher's admin token
        unless ``token`` is given."""
        headers = {"Authorization": f"token {token or self.admin_token}"}
        return requests.request(method, f"{self.url}/hub/api/{path}", headers=headers,
                                timeout=kwargs.pop("timeout", 30), **kwargs)

    def processes(self):
        """Every live process of the hub's: the hub, the proxy, the idle culler, the learners'
        servers and their kernels (which run in sessions of their own, so they are found as the
        hub's descendants and by their files under ``workdir``)."""
        found = {}
        if self.process is not None:
            try:
                root = psutil.Process(self.process.pid)
                for process in [root, *root.children(recursive=True)]:
                    found[process.pid] = process
            except psutil.NoSuchProcess:
                pass
        marker = str(self.workdir)
        for process in psutil.process_iter(["cmdline", "environ"]):
            try:
                text = " ".join(process.info["cmdline"] or [])
                home = (process.info["environ"] or {}).get("HOME", "")
            except (psutil.Error, TypeError):
                continue
            if marker in text or home.startswith(marker):
                found[process.pid] = process
        self._seen.update(found)
        return list(found.values())

    def usage(self):
        """(resident memory in bytes, CPU seconds so far) summed over ``processes()``."""
        memory = cpu = 0.0
        for process in self.processes():
            try:
                memory += process.memory_info().rss
                times = process.cpu_times()
                cpu += times.user + times.system
            except psutil.Error:
                pass
        return memory, cpu

    def stop(self):
        """Stop the hub (it stops the servers it knows), then end every process of its that is
        left, whatever state the run ended in."""
        self.processes()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.processes()
        for process in self._seen.values():
            try:
                process.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(list(self._seen.values()), timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def pull_link(hub_url, repo, notebook, branch="main"):
    """The nbgitpuller link a learner follows, as ``python -m classroom.link`` prints it."""
    from classroom.link import make_link

    return make_link(hub_url, repo, branch, notebook)


class Learner:
    """One learner: a browser's cookies for the hub and their server, and an API token of their own
    for the server's REST API and kernel websockets (as JupyterLab's page has)."""

    def __init__(self, hub, name):
        self.hub = hub
        self.name = name
        self.browser = requests.Session()
        self.token = None
        self.base = f"{hub.url}/user/{name}/"

    # --- the hub ---------------------------------------------------------------------------------
    def log_in(self, password):
        """Fill in the hub's login form; True when the hub lets the learner in."""
        page = self.browser.get(f"{self.hub.url}/hub/login", timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        form = {"username": self.name, "password": password,
                "_xsrf": xsrf.group(1) if xsrf else ""}
        answer = self.browser.post(f"{self.hub.url}/hub/login", data=form, allow_redirects=False,
                                   timeout=30)
        return answer.status_code == 302 and "jupyterhub-session-id" in self.browser.cookies

    def get_token(self):
        """An API token for this learner, made by the teacher's admin token: it can do what the
        learner can, nothing more."""
        answer = self.hub.api("POST", f"users/{self.name}/tokens",
                              json={"note": "classroom test", "expires_in": 3600})
        if answer.status_code != 201:
            raise ClassroomError(f"token for {self.name}: {answer.status_code} {answer.text}")
        self.token = answer.json()["token"]
        return self.token

    def server_state(self):
        """The hub's record of this learner's server, or None when it has none."""
        answer = self.hub.api("GET", f"users/{self.name}")
        answer.raise_for_status()
        return answer.json()["servers"].get("")

    def start_server(self, timeout=180):
        """Ask the hub for the learner's server with their own token; wait until it is ready."""
        answer = self.hub.api("POST", f"users/{self.name}/server", token=self.token)
        if answer.status_code not in (201, 202, 400):
            raise ClassroomError(f"starting {self.name}'s server: {answer.status_code} "
                                 f"{answer.text}")
        self.wait_ready(timeout)

    def wait_ready(self, timeout=180):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            state = self.server_state()
            if state and state["ready"]:
                return state
            time.sleep(0.25)
        raise ClassroomError(f"{self.name}'s server not ready within {timeout} s:\n"
                             + self.hub.log_tail())

    def server_pid(self):
        """The process id of the learner's server (the spawner's state, an admin's to read)."""
        answer = self.hub.api("GET", f"users/{self.name}", params={"include_stopped_servers": 1})
        answer.raise_for_status()
        return answer.json()["servers"][""]["state"]["pid"]

    # --- the link --------------------------------------------------------------------------------
    def follow_link(self, link, timeout=120):
        """Open the nbgitpuller link in the learner's browser session and do what its page does:
        stream the pull from ``git-pull/api`` until it says finished, then open the notebook's
        page. Returns the pull's output lines."""
        page = self.browser.get(link, timeout=60)
        if page.status_code != 200 or f"/user/{self.name}/git-pull" not in page.url:
            raise ClassroomError(f"{self.name}'s link ended at {page.url} ({page.status_code})")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))
        api = {key: query[key] for key in ("repo", "branch", "targetpath") if key in query}
        api.setdefault("targetpath", query["repo"].rstrip("/").split("/")[-1])
        lines, finished = [], False
        with self.browser.get(f"{self.base}git-pull/api", params=api, stream=True,
                              timeout=timeout) as stream:
            for raw in stream.iter_lines(decode_unicode=True):
                if not raw or not raw.startswith("data:"):
                    continue
                event = json.loads(raw[5:])
                if "output" in event:
                    lines.append(event["output"].rstrip())
                if event.get("phase") == "error":
                    raise ClassroomError(f"{self.name}'s pull failed: {event.get('message')}\n"
                                         + "\n".join(lines))
                if event.get("phase") == "finished":
                    finished = True
                    break
        if not finished:
            raise ClassroomError(f"{self.name}'s pull stopped before it finished:\n"
                                 + "\n".join(lines))
        landing = self.browser.get(self.base + query["urlpath"], timeout=60)
        if landing.status_code != 200:
            raise ClassroomError(f"{self.name}'s notebook page: {landing.status_code}")
        return lines

    def revisit(self, link, timeout=180):
        """The learner comes back with the link after their server stopped (it died, or was
        culled): what their browser meets on the way, as (the link's status code, the hub's
        spawn page status code); their server is ready afterwards and the link pulled again."""
        first = self.browser.get(link, timeout=60)
        if first.status_code == 200 and f"/user/{self.name}/git-pull" in first.url:
            spawned = None  # it was running after all
        else:
            # the 503 page's "restart it from the hub": the home page notices the server is gone,
            # the spawn page starts it again
            self.browser.get(f"{self.hub.url}/hub/home", timeout=60)
            spawned = self.browser.get(f"{self.hub.url}/hub/spawn/{self.name}",
                                       allow_redirects=False, timeout=60).status_code
            self.wait_ready(timeout)
        return first.status_code, spawned, self.follow_link(link)

    # --- the server's REST API -------------------------------------------------------------------
    def server_api(self, method, path, token=None, **kwargs):
        headers = {"Authorization": f"token {token or self.token}"}
        return requests.request(method, f"{self.base}api/{path}", headers=headers,
                                timeout=kwargs.pop("timeout", 60), allow_redirects=False,
                                **kwargs)

    def read_notebook(self, path):
        answer = self.server_api("GET", f"contents/{path}", params={"content": 1})
        if answer.status_code != 200:
            raise ClassroomError(f"{self.name} cannot read {path}: {answer.status_code}")
        return answer.json()["content"]

    def save_notebook(self, path, notebook):
        answer = self.server_api("PUT", f"contents/{path}",
                                 json={"type": "notebook", "format": "json", "content": notebook})
        if answer.status_code not in (200, 201):
            raise ClassroomError(f"{self.name} cannot save {path}: {answer.status_code} "
                                 f"{answer.text}")

    def open_kernel(self, notebook_path, timeout=120):
        """Start a kernel for the notebook as JupyterLab does (a session, so the kernel runs in the
        notebook's folder) and connect to its websocket."""
        answer = self.server_api("POST", "sessions", json={
            "path": notebook_path, "name": Path(notebook_path).name, "type": "notebook",
            "kernel": {"name": "python3"}})
        if answer.status_code != 201:
            raise ClassroomError(f"{self.name}'s kernel: {answer.status_code} {answer.text}")
        kernel_id = answer.json()["kernel"]["id"]
        url = (self.base.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
               f"?session_id={uuid.uuid4().hex}")
        kernel = Kernel(url, self.token, kernel_id, self.name)
        kernel.wait_ready(timeout)
        return kernel


def _unpack(frame):
    """A message from jupyter_server's kernel websocket: JSON text, or, when the message carries
    binary buffers (a widget's PNG), a frame of the count, the offsets, the JSON and the buffers."""
    if isinstance(frame, str):
        message = json.loads(frame)
        message["buffers"] = []
        return message
    count = struct.unpack("!I", frame[:4])[0]
    offsets = list(struct.unpack(f"!{count}I", frame[4:4 + 4 * count])) + [len(frame)]
    parts = [frame[offsets[i]:offsets[i + 1]] for i in range(count)]
    message = json.loads(parts[0])
    message["buffers"] = parts[1:]
    return message


class Kernel:
    """A kernel's websocket, as JupyterLab's page holds it: a thread reads every frame as it
    comes (answering the server's pings, as a browser does, so that a learner who waits a few
    minutes for the others keeps the connection) and queues the messages."""

    def __init__(self, url, token, kernel_id, owner):
        self.id = kernel_id
        self.owner = owner
        self.session = uuid.uuid4().hex
        self.reconnects = 0
        # as JupyterLab's kernel connection does, a refused handshake is tried again after a
        # pause: under load the proxy may answer 503 while the server is busy for a moment
        for pause in (0.5, 1, 2, 4, None):
            try:
                self.socket = websocket.create_connection(
                    url, header=[f"Authorization: token {token}"], timeout=None)
                break
            except websocket.WebSocketBadStatusException as refused:
                if refused.status_code != 503 or pause is None:
                    raise
                self.reconnects += 1
                time.sleep(pause)
        self.inbox = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                frame = self.socket.recv()
            except Exception as error:  # closed: by us, or the server died
                self.inbox.put(error)
                return
            if frame:
                self.inbox.put(_unpack(frame))

    def close(self):
        try:
            self.socket.close()
        except Exception:  # a socket whose server is gone is closed already
            pass

    def send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "username": self.owner,
                  "session": self.session, "version": "5.3",
                  "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.socket.send(json.dumps({"header": header, "parent_header": {}, "metadata": {},
                                     "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def receive(self, deadline):
        try:
            message = self.inbox.get(timeout=max(0.05, deadline - time.perf_counter()))
        except queue.Empty:
            raise ClassroomError(f"{self.owner}'s kernel sent nothing in time") from None
        if isinstance(message, Exception):
            self.inbox.put(message)  # every later call says the same
            raise ClassroomError(f"{self.owner}'s kernel connection closed: {message!r}")
        return message

    def wait_ready(self, timeout):
        """Ask for kernel_info until the kernel answers (it may still be starting)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            msg_id = self.send("kernel_info_request", {})
            try:
                step = min(deadline, time.perf_counter() + 5)
                while time.perf_counter() < step:
                    message = self.receive(step)
                    if (message["msg_type"] == "kernel_info_reply"
                            and message["parent_header"].get("msg_id") == msg_id):
                        return
            except ClassroomError:
                continue
        raise ClassroomError(f"{self.owner}'s kernel did not answer within {timeout} s")

    def execute(self, code, timeout=120, wait=True):
        """Run ``code``; return (status, error outputs, iopub messages) once the kernel is idle
        again. With ``wait=False`` only send it."""
        msg_id = self.send("execute_request", {"code": code, "silent": False,
                                               "store_history": True, "user_expressions": {},
                                               "allow_stdin": False, "stop_on_error": True})
        if not wait:
            return msg_id
        return self.collect(msg_id, time.perf_counter() + timeout)

    def collect(self, msg_id, deadline):
        """The messages answering ``msg_id`` until the kernel is idle and the shell reply is in."""
        messages, errors, status, idle = [], [], None, False
        while not (idle and status):
            message = self.receive(deadline)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if message.get("channel") == "shell" and kind.endswith("_reply"):
                status = message["content"].get("status", "ok")
                if status == "error":
                    errors.append(message["content"])
            elif kind == "error":
                errors.append(message["content"])
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif kind != "status":
                messages.append(message)
        return status, errors, messages

    def run_notebook(self, notebook, timeout=120):
        """Run the notebook's code cells in order, as *Run All* does; return the errors, each as
        (cell number, ename, evalue), and the seconds it took."""
        started = time.perf_counter()
        problems = []
        for number, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] != "code":
                continue
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            _, errors, _ = self.execute(source, timeout=timeout)
            problems += [(number, e.get("ename"), e.get("evalue")) for e in errors]
            if errors:
                break
        return problems, time.perf_counter() - started

    def explorer_ids(self, kind="PoolExplorer"):
        """The model ids of the first ``kind`` widget the notebook displayed: its stride slider,
        picture and caption (found in the kernel's output history, as the page shows it)."""
        code = ("import json as _json\n"
                f"_explorer = next(v for v in Out.values() if type(v).__name__ == {kind!r})\n"
                "print(_json.dumps({'slider': _explorer.stride_slider.model_id,"
                " 'picture': _explorer.picture.model_id,"
                " 'caption': _explorer.caption.model_id,"
                " 'stride': _explorer.stride_slider.value,"
                " 'pool': _explorer.pool_size_slider.value,"
                " 'shape': list(_explorer.image.shape[:2])}))")
        status, errors, messages = self.execute(code, timeout=60)
        if errors:
            raise ClassroomError(f"{self.owner}: no {kind} in the kernel: {errors}")
        text = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
        return json.loads(text)

    def move_slider(self, ids, value, timeout=60):
        """Set the slider to ``value`` as the page does when the learner drags it (a comm_msg
        with the new state); return (seconds until the new picture arrived, the caption then,
        the picture's size in bytes)."""
        started = time.perf_counter()
        msg_id = "comm" + uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "comm_msg", "username": self.owner,
                  "session": self.session, "version": "5.3",
                  "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        self.socket.send(json.dumps({
            "header": header, "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"comm_id": ids["slider"], "data": {
                "method": "update", "state": {"value": value}, "buffer_paths": []}},
            "buffers": []}))
        deadline = started + timeout
        caption = picture = None
        arrived = None
        idle = False
        while not (idle and picture is not None):
            message = self.receive(deadline)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "error":
                raise ClassroomError(f"{self.owner}: the slider move raised {content}")
            if kind == "comm_msg":
                state = content["data"].get("state", {})
                if content["comm_id"] == ids["caption"] and "value" in state:
                    caption = state["value"]
                if content["comm_id"] == ids["picture"] and message["buffers"]:
                    picture = len(message["buffers"][0])
                    arrived = time.perf_counter() - started
            if kind == "status" and content["execution_state"] == "idle":
                idle = True
                if picture is None:
                    raise ClassroomError(f"{self.owner}: stride {value} sent no new picture")
        return arrived, caption, picture


def stride_values(moves, start):
    """``moves`` stride settings, from the explorer's 1 to 8 and back, never the same twice in a
    row (setting a slider to its value again changes nothing, so nothing would redraw)."""
    cycle = list(range(1, 9)) + list(range(7, 1, -1))
    values = [v for v in cycle if v != start] * (moves // 13 + 2)
    chosen = []
    for value in values:
        if value != (chosen[-1] if chosen else start):
            chosen.append(value)
        if len(chosen) == moves:
            return chosen
    return chosen


def pooled_side(side, pool, stride):
    """The explorer's output side for a 'valid' pooling: floor((n - k) / s) + 1."""
    return (side - pool) // stride + 1


def lesson(learner, link, notebook_path, moves=20, together=None):
    """One learner's lesson from the link on: the pull, a kernel for the notebook, the notebook
    run top to bottom, then ``moves`` moves of the cat explorer's stride slider.

    Returns
    -------
    dict
        ``ready`` seconds from the link to a notebook with an idle kernel, ``pull`` its output,
        ``run`` seconds and ``errors`` of the notebook's run (none: a cell's error raises
        ``ClassroomError``), ``moves`` a list of (stride,
        seconds until the new picture, caption, PNG bytes), ``expected`` the output side each
        stride should give, and ``kernel``, still open (its ``reconnects``: how many of its
        websocket handshakes the proxy refused with 503 before one was taken).

    ``together``, a ``threading.Barrier``, makes every learner start moving the slider at the
    same moment (the benchmark's "all at once").
    """
    started = time.perf_counter()
    try:
        pull = learner.follow_link(link)
        notebook = learner.read_notebook(notebook_path)
        kernel = learner.open_kernel(notebook_path)
        ready = time.perf_counter() - started
        errors, run = kernel.run_notebook(notebook)
        result = {"ready": ready, "pull": pull, "run": run, "errors": errors, "moves": [],
                  "expected": [], "kernel": kernel}
        if errors:
            raise ClassroomError(f"{learner.name}'s notebook failed: {errors}")
        ids = kernel.explorer_ids()
    except Exception:
        if together is not None:
            together.abort()  # the others stop waiting for this learner
        raise
    if together is not None:
        together.wait(timeout=900)
    for value in stride_values(moves, ids["stride"]):
        seconds, caption, size = kernel.move_slider(ids, value)
        result["moves"].append((value, seconds, caption, size))
        result["expected"].append(pooled_side(ids["shape"][0], ids["pool"], value))
    return result
