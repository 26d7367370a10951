"""The nbgitpuller link that hands the course out on a JupyterHub.

A learner who follows it logs in to the hub (their server starts if it is not running), and
nbgitpuller, installed in the single-user environment, clones the repository into their home the
first time, or, on later clicks, fetches the teacher's new commits and merges them, keeping the
learner's own edits; then the notebook opens in JupyterLab.

    python -m classroom.link --hub https://hub.example.edu \\
        --repo https://github.com/pooling-course/pooling-from-scratch --branch main \\
        --open notebooks/00_start_here.ipynb

prints the link. ``--check`` also asks git whether the repository has that branch.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import urllib.parse
from pathlib import PurePosixPath

#: how a git repository may be named: web and git addresses, ssh's user@host:path, a local path
_REPO_SCHEMES = ("https", "http", "git", "ssh", "file")
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:[^/].*")
#: what git allows in a branch name, roughly: no spaces, no control characters, none of ~^:?*[\
_BRANCH = re.compile(r"^(?!/)(?!.*(\.\.|//|@\{))[^\s~^:?*\[\\\x00-\x1f\x7f]+(?<![/.])$")


def check_hub(hub):
    """The hub's base address without a trailing slash. Accepts ``https://host``, with a path
    prefix if the hub has one, and forgives a trailing ``/hub/...`` copied from the address bar.

    Raises
    ------
    ValueError
        If ``hub`` is not an http(s) address with a host name, or has a query or fragment.
    """
    hub = str(hub).strip()
    parts = urllib.parse.urlsplit(hub)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"--hub must be the hub's web address, starting with https:// (or "
                         f"http:// on a closed network), e.g. https://hub.example.edu; got {hub!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"--hub must be the hub's address alone, without ?... or #...; "
                         f"got {hub!r}")
    try:
        parts.port  # a port that is not a number raises here
    except ValueError:
        raise ValueError(f"--hub has a port that is not a number: {parts.netloc!r}") from None
    if not parts.hostname or not re.fullmatch(r"[A-Za-z0-9.\-]+|[0-9a-fA-F:]+", parts.hostname):
        raise ValueError(f"--hub has a host name that is not one: {parts.netloc!r} "
                         "(letters, digits, dots and hyphens, then :port if any)")
    path = parts.path.rstrip("/")
    # an address copied from the browser: https://host/hub/home, https://host/user/ann/lab...
    path = re.sub(r"/(hub|user)(/.*)?$", "", path)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def check_repo(repo):
    """The repository's address as git takes it, and the folder nbgitpuller clones it into.

    Raises
    ------
    ValueError
        If ``repo`` is not a git address (https://, git://, ssh://, file://, user@host:path, or an
        absolute path on the hub's machine), or is a page inside a repository on GitHub or
        GitLab (``.../tree/main/...``) rather than the repository itself.
    """
    repo = str(repo).strip()
    parts = urllib.parse.urlsplit(repo)
    if parts.scheme in _REPO_SCHEMES:
        if parts.scheme != "file" and not parts.netloc:
            raise ValueError(f"--repo {repo!r} has no host name")
        if parts.query or parts.fragment:
            raise ValueError(f"--repo must be the repository's address alone, without ?... or "
                             f"#...; got {repo!r}")
        segments = [s for s in parts.path.split("/") if s]
        if parts.scheme in ("https", "http") and len(segments) > 2 \
                and segments[2] in ("tree", "blob", "-"):
            root = urllib.parse.urlunsplit((parts.scheme, parts.netloc,
                                            "/" + "/".join(segments[:2]), "", ""))
            raise ValueError(f"--repo {repo!r} is a page inside a repository; give the "
                             f"repository itself, e.g. {root}, and the notebook with --open")
    elif not (_SCP_LIKE.match(repo) or repo.startswith("/")):
        raise ValueError(f"--repo must be a git repository's address: https://..., git://..., "
                         f"ssh://..., file://..., user@host:path or an absolute path on the hub's "
                         f"machine; got {repo!r}")
    folder = repo.rstrip("/").split("/")[-1].split(":")[-1]
    folder = folder[:-4] if folder.endswith(".git") else folder
    if not folder or folder in (".", ".."):
        raise ValueError(f"--repo {repo!r} does not end in a repository's name")
    return repo, folder


def check_branch(branch):
    branch = str(branch).strip()
    if not _BRANCH.match(branch):
        raise ValueError(f"--branch must be a git branch name such as main, without spaces or "
                         f"any of ~^:?*[\\; got {branch!r}")
    return branch


def check_open(path):
    """The notebook (or folder) to open, relative to the repository's top folder."""
    text = str(path).strip()
    pure = PurePosixPath(text)
    if not text or pure.is_absolute() or ".." in pure.parts or "\\" in text:
        raise ValueError(f"--open must be a path inside the repository with / between folders, "
                         f"such as notebooks/00_start_here.ipynb; got {path!r}")
    return str(pure)


def make_link(hub, repo, branch, open_path, app="lab", folder=None):
    """The nbgitpuller link for ``repo`` at ``branch`` on ``hub``, opening ``open_path``.

    Parameters
    ----------
    hub : str
        The hub's address, e.g. ``https://hub.example.edu``.
    repo : str
        The repository's git address.
    branch : str
        The branch to pull.
    open_path : str
        What to open, relative to the repository's top folder.
    app : {'lab', 'notebook'}
        JupyterLab, or Notebook 7's one-notebook page.
    folder : str, optional
        The folder in the learner's home to clone into; by default the repository's name.

    Returns
    -------
    str
        ``<hub>/hub/user-redirect/git-pull?repo=...&branch=...&urlpath=...``

    Raises
    ------
    ValueError
        If any of them is not what it should be (the message names the option).

    Examples
    --------
    >>> make_link("https://hub.example.edu", "https://github.com/o/course", "main",
    ...           "notebooks/00_start_here.ipynb")  # doctest: +ELLIPSIS
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fcourse&branch=main&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00_start_here.ipynb'
    """
    hub = check_hub(hub)
    repo, default_folder = check_repo(repo)
    branch = check_branch(branch)
    open_path = check_open(open_path)
    if app not in ("lab", "notebook"):
        raise ValueError(f"--app must be 'lab' or 'notebook', got {app!r}")
    folder = default_folder if folder is None else check_open(folder)
    target = f"{folder}/{open_path}"
    urlpath = f"lab/tree/{target}" if app == "lab" else f"notebooks/{target}"
    query = {"repo": repo, "branch": branch, "urlpath": urlpath}
    # nbgitpuller names the folder after the address's last part, '.git' included: say it when
    # that is not the folder the urlpath opens
    if folder != repo.rstrip("/").split("/")[-1]:
        query["targetpath"] = folder
    return f"{hub}/hub/user-redirect/git-pull?{urllib.parse.urlencode(query)}"


def check_remote(repo, branch, timeout=30):
    """Ask git whether ``repo`` can be read and has ``branch``; raises ValueError saying which."""
    try:
        done = subprocess.run(["git", "ls-remote", "--heads", "--", repo, branch],
                              capture_output=True, text=True, timeout=timeout,
                              env={"GIT_TERMINAL_PROMPT": "0", "PATH": "/usr/bin:/bin"})
    except FileNotFoundError:
        raise ValueError("--check needs git on this machine") from None
    except subprocess.TimeoutExpired:
        raise ValueError(f"--repo {repo!r}: git had no answer within {timeout} s") from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        reason = next((line for line in lines if line.startswith("fatal:")),
                      lines[0] if lines else "no reason given")
        raise ValueError(f"--repo {repo!r} cannot be read by git: {reason}")
    if not done.stdout.strip():
        raise ValueError(f"--branch {branch!r} is not a branch of {repo}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m classroom.link",
        description="Print the nbgitpuller link that pulls the course into each learner's home "
                    "on a JupyterHub and opens a notebook.")
    parser.add_argument("--hub", required=True, help="the hub's address, https://...")
    parser.add_argument("--repo", default="https://github.com/pooling-course/pooling-from-scratch",
                        help="the repository's git address (default: the course's)")
    parser.add_argument("--branch", default="main", help="the branch to pull (default: main)")
    parser.add_argument("--open", default="notebooks/00_start_here.ipynb", dest="open_path",
                        help="what to open, inside the repository "
                             "(default: notebooks/00_start_here.ipynb)")
    parser.add_argument("--app", default="lab", choices=("lab", "notebook"),
                        help="JupyterLab (default) or Notebook 7")
    parser.add_argument("--check", action="store_true",
                        help="also ask git that the repository and branch exist")
    options = parser.parse_args(argv)
    try:
        link = make_link(options.hub, options.repo, options.branch, options.open_path,
                         options.app)
        if options.check:
            check_remote(options.repo.strip(), options.branch.strip())
    except ValueError as error:
        parser.exit(2, f"classroom.link: {error}\n")
    print(link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
