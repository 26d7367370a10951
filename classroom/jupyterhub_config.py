"""JupyterHub for one class on one machine, started from the course's folder:

    CLASSROOM_PASSWORD=... .venv/bin/jupyterhub -f classroom/jupyterhub_config.py

(the README's hub command asks for the password instead, so it is never typed on a command line).

Who may log in: anyone who knows the class password, under any name they choose
(``SharedPasswordAuthenticator``, JupyterHub's own). Every learner's JupyterLab runs as the system
user who started the hub, in a home folder of its own under ``$CLASSROOM_DIR/homes``
(``SimpleLocalProcessSpawner``). Learners are kept apart by the hub's own checks (a learner's
login opens only their server), not by the operating system, and the password lets anyone log in
as any learner: this is for a closed room, on a network only the class uses, not for the internet.
The README names what to use otherwise.

Everything is set by environment variables, so nothing secret is stored in the repository:

``CLASSROOM_PASSWORD``      the class password, 8 characters or more (required)
``CLASSROOM_ADMIN_TOKEN``   an API token for the teacher's scripts (and the tests): admin rights
                            on the hub's REST API; none when unset
``CLASSROOM_DIR``           where the hub keeps its database, cookie secret and the learners'
                            homes (default ``~/pooling-classroom``)
``CLASSROOM_IP``            the address to listen on (default: every interface, so the room can
                            reach it; ``127.0.0.1`` to try it alone)
``CLASSROOM_PORT``          the port learners open (default 8000)
``CLASSROOM_HUB_PORT``, ``CLASSROOM_PROXY_API_PORT``  the hub's and the proxy's internal ports, on
                            127.0.0.1 (defaults 8081 and 8001)
``CLASSROOM_IDLE_SECONDS``  a learner's server idle this long is stopped by the idle culler
                            (default 3600); ``0`` turns the culler off
``CLASSROOM_ACTIVITY_SECONDS``  how often servers report activity to the hub (default 60)
``CLASSROOM_SERVER_ARGS``   more command-line options for every learner's server, space-separated
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines get_config when it reads this file)

COURSE = Path(__file__).resolve().parents[1]


def _setting(name, default, kind=str, low=None):
    """The environment variable ``name`` as ``kind``, or ``default``; a bad value stops the hub
    with a message that names the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        sys.exit(f"classroom: {name} must be a whole number, got {raw!r}")
    if low is not None and value < low:
        sys.exit(f"classroom: {name} must be at least {low}, got {value}")
    return value


password = os.environ.get("CLASSROOM_PASSWORD", "")
if len(password) < 8:
    sys.exit("classroom: set the class password in the environment variable CLASSROOM_PASSWORD "
             "(8 characters or more) before starting the hub; it is never stored in a file")

state = Path(_setting("CLASSROOM_DIR", "~/pooling-classroom")).expanduser().resolve()
homes = state / "homes"
homes.mkdir(parents=True, exist_ok=True)

# --- where it listens, and its files -------------------------------------------------------------
c.JupyterHub.ip = _setting("CLASSROOM_IP", "")
c.JupyterHub.port = _setting("CLASSROOM_PORT", 8000, int, low=1)
# the hub's own API and the proxy's control port stay on the loopback address
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = _setting("CLASSROOM_HUB_PORT", 8081, int, low=1)
proxy_api_port = _setting("CLASSROOM_PROXY_API_PORT", 8001, int, low=1)
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
# configurable-http-proxy from npm: the copy the README's command installs in the course's
# .cache/classroom, else one on the PATH
local_proxy = COURSE / ".cache" / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy"
if local_proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(local_proxy)]
elif not shutil.which("configurable-http-proxy"):
    sys.exit("classroom: configurable-http-proxy not found; install it with "
             "`npm install --prefix .cache/classroom configurable-http-proxy@5` "
             "in the course's folder (the README's hub command does)")

# --- who logs in ---------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = password
# a learner types any name and the class password: the hub creates the learner on first login
c.Authenticator.allow_all = True

admin_token = os.environ.get("CLASSROOM_ADMIN_TOKEN", "")
services = []
roles = []
if admin_token:
    services.append({"name": "classroom-admin", "api_token": admin_token})
    roles.append({"name": "admin", "services": ["classroom-admin"]})

# --- the learners' servers -----------------------------------------------------------------------
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
# the single-user server of the environment the hub runs in: the course's requirements, JupyterLab,
# nbgitpuller (requirements-classroom.txt installs all of them in one venv)
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
if hasattr(os, "geteuid") and os.geteuid() == 0:
    # Jupyter refuses to run as root unless told to; a teacher starts the hub as an ordinary user,
    # a container or CI may be root
    c.Spawner.args = ["--ServerApp.allow_root=True"]
# more options for every learner's server, e.g. --LabApp.expose_app_in_browser=True (the tests)
c.Spawner.args = list(c.Spawner.args or []) + os.environ.get("CLASSROOM_SERVER_ARGS", "").split()
activity = _setting("CLASSROOM_ACTIVITY_SECONDS", 60, int, low=1)
c.Spawner.environment = {
    # the server tells the hub it is in use this often; the idle culler reads that
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(activity),
    # nbgitpuller's page opens JupyterLab unless the link says otherwise
    "NBGITPULLER_APP": "lab",
}
c.JupyterHub.last_activity_interval = activity
# thirty servers starting at once on a small machine take longer than the default 60 s
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
# a learner whose server has stopped (idle, or it died) gets it back by following any of their
# links: the page that says "not running" starts it again after a second
c.JupyterHub.implicit_spawn_seconds = 1

# --- the idle culler: stop servers (and their kernels) nobody has used for a while ----------------
idle = _setting("CLASSROOM_IDLE_SECONDS", 3600, int, low=0)
if idle:
    services.append({
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle}",
                    f"--cull-every={max(1, min(60, idle // 3))}"],
    })
    roles.append({"name": "idle-culler", "services": ["idle-culler"],
                  "scopes": ["list:users", "read:users:activity", "read:servers",
                             "delete:servers"]})

c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
