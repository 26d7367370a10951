"""JupyterLab in headless Chromium: the README's open command lands on the start notebook; the
widgets render, and moving the stride slider redraws.

Needs Debian's chromium (/usr/bin/chromium), driven by Playwright's Python package. Without it the
test skips with how to install it, except under CI (CI set), where a missing browser fails.
"""

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _need_browser():
    if Path(CHROMIUM).exists():
        return
    message = "chromium not found: install it with `sudo apt-get install chromium` to run the browser test"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _course_copy(root):
    """A copy of the course's notebooks and data, so that nothing JupyterLab saves touches the
    repository; returns the environment for a JupyterLab of its own on it: settings, runtime files
    and workspaces under ``root``, none of the user's."""
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "data", root / "data")
    # render every cell, not only those on screen, so the page can be searched for errors
    settings = root / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    # no "Jupyter news?" toast over the widgets in the screenshots
    apputils = root / ".settings" / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    return dict(os.environ, JUPYTER_CONFIG_DIR=str(root / ".config"),
                JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"),
                JUPYTER_RUNTIME_DIR=str(root / ".runtime"), JUPYTERLAB_WORKSPACES_DIR=str(root / ".ws"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the course."""
    _need_browser()
    root = tmp_path_factory.mktemp("course")
    env = _course_copy(root)
    port, token = _free_port(), uuid.uuid4().hex
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--ServerApp.allow_root=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def run_notebook(browser, lab, name):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/notebooks/{name}?token={token}")
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')",
                           timeout=60_000)
    page.wait_for_function(
        """() => {
            const kernel = window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel;
            return kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
        }""", timeout=60_000)
    page.wait_for_timeout(2000)  # JupyterLab may replace the first kernel as the session settles
    page.evaluate("""async () => {
        const notebook = window.jupyterapp.shell.currentWidget;
        await notebook.sessionContext.ready;
        await window.jupyterapp.commands.execute('notebook:run-all-cells');
    }""")
    # done when every code cell has a number and none shows [*]
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=120_000)
    page.wait_for_selector(".widget-slider", timeout=30_000)
    page.wait_for_timeout(1000)
    text = page.inner_text(".jp-Notebook")
    assert "Error displaying widget" not in text
    assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0, "a cell erred"
    return page


def slide_stride(page, explorer_index):
    """Move the stride slider of one explorer; return its picture before and after."""
    slider = page.locator(".widget-slider", has_text="stride").nth(explorer_index)
    slider.scroll_into_view_if_needed()
    box = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    picture = box.locator("img").last
    before = picture.get_attribute("src")
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                           arg=[picture.element_handle(), before], timeout=20_000)
    return before, picture.get_attribute("src"), box


def test_stride_notebook_widgets_render_and_redraw(browser, lab):
    page = run_notebook(browser, lab, "02_stride.ipynb")
    before, after, _ = slide_stride(page, 0)
    assert before != after
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "stride_explorer.png"))
    page.close()


def test_cat_explorer_renders_and_redraws(browser, lab):
    page = run_notebook(browser, lab, "04_cat_image.ipynb")
    before, after, box = slide_stride(page, 0)
    assert before != after
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(ARTIFACTS / "cat_explorer.png"))
    page.close()


def _readme_command(marker):
    """The command in the code block after ``<!-- marker -->`` in README.md."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return lines[lines.index(f"<!-- {marker} -->") + 2]


def test_readme_open_command_opens_the_start_notebook(browser, tmp_path):
    """The open command's last step, as written, with .venv/bin/ standing for this environment's:
    JupyterLab starts, calls the learner's browser, and that lands on the start notebook."""
    command = _readme_command("open-command").split(" && ")
    assert command[:2] == ["python3 -m venv .venv", ".venv/bin/pip install -r requirements.txt"]
    program, *arguments = shlex.split(command[2].replace(".venv/bin/", f"{Path(sys.executable).parent}/"))
    env = _course_copy(tmp_path)
    opened = tmp_path / "opened.txt"
    recorder = tmp_path / "browser.sh"
    recorder.write_text(f'#!/bin/sh\necho "$1" > "{opened}"\n')
    recorder.chmod(0o755)
    env["BROWSER"] = str(recorder)
    # as root (in CI, in a container) JupyterLab stops unless told; README's troubleshooting says so
    as_root = ["--allow-root"] if os.geteuid() == 0 else []
    server = subprocess.Popen([program, *arguments, "--LabApp.news_url=", *as_root], cwd=tmp_path,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            if opened.exists() and opened.read_text().strip():
                break
            assert server.poll() is None, "JupyterLab stopped"
            time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not call the browser within 60 s")
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(opened.read_text().strip())
        page.wait_for_selector(".jp-NotebookPanel h1", timeout=60_000)
        assert page.locator(".jp-NotebookPanel h1").first.inner_text().startswith("Pooling from scratch")
        assert page.url.split("?")[0].endswith("/lab/tree/00_start_here.ipynb")
        assert page.locator(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabLabel").filter(
            has_text="00_start_here.ipynb").count() == 1
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
