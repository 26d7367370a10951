"""JupyterLab and Notebook 7 in headless Chromium: the README's open commands land on the start
notebook; in both front ends the widgets of notebooks 01, 02 and 04 render, and moving a slider or
pressing a mode button changes what the learner sees: the caption with the output size, and the
picture. Sliders are dragged with the mouse, because arrow keys on a slider handle stay with
Notebook 7's own shortcuts there.

All of it at a projector's 1024×768, as a teacher shows the course: every control fits the cell
(JupyterLab's file browser open, the narrowest case), button groups stay on one row, a code line
of 79 characters is seen whole (the file browser closed), and the Play buttons of 01 and 02 move
the picture on their own until Pause. Notebook 08, which trains its networks in the kernel, runs
cleanly in JupyterLab, and its digit slider redraws in both front ends (in Notebook 7 the cells up
to that explorer run: see the test). Screenshots of 01 and 02 at that size go to
tests/artifacts/; the README's copies in docs/ are refreshed from there by hand, so a test run
never rewrites a tracked file.

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

import readme_commands

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
#: The common projector resolution, at which a teacher shows the course.
PROJECTOR = {"width": 1024, "height": 768}
#: The code lines tests/test_notebooks.py allows.
MAX_LINE = 79
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


def _stop(process):
    """Stop a Jupyter server. Now and then, on a busy machine, one answers SIGTERM by never
    finishing its shutdown (seen with two servers at once under pytest -n 2, the event loop idle,
    a second SIGTERM ignored too): after 20 s it is killed, so no server outlives the tests."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


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


#: How each front end is started, and where it opens a notebook.
FRONT_ENDS = {
    "lab": (["lab", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url="], "lab/tree/notebooks"),
    "notebook7": (["notebook", "--JupyterNotebookApp.expose_app_in_browser=True"], "notebooks/notebooks"),
}


@pytest.fixture(scope="module", params=list(FRONT_ENDS))
def server(request, tmp_path_factory):
    """JupyterLab or Notebook 7 on a copy of the course: (front end, base URL, token)."""
    _need_browser()
    front_end = request.param
    arguments, _ = FRONT_ENDS[front_end]
    root = tmp_path_factory.mktemp(f"course_{front_end}")
    env = _course_copy(root)
    port, token = _free_port(), uuid.uuid4().hex
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", *arguments, "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--ServerApp.allow_root=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"jupyter {arguments[0]} did not start within 60 s")
    yield front_end, base, token
    _stop(process)


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


#: One JupyterLab page per server, kept from one notebook to the next (base URL → page).
_LAB_PAGES = {}


def _open_page(browser, server, name, viewport):
    """A page showing notebook ``name``. Notebook 7 shows one notebook a page, so each gets a new
    page. JupyterLab is one page that a learner keeps: the notebook open before is closed, its
    kernel shut down, the file browser opened again (the narrowest notebook, as on a new page),
    and the next notebook opened in it; that saves loading JupyterLab again for every notebook."""
    front_end, base, token = server
    page = _LAB_PAGES.get(base) if front_end == "lab" else None
    if page is not None and not page.is_closed() and page.viewport_size == viewport:
        page.evaluate("""async path => {
            const app = window.jupyterapp;
            for (const widget of [...app.shell.widgets('main')]) {
                if (widget.sessionContext) await widget.sessionContext.shutdown();
                if (widget.context) widget.context.model.dirty = false;
                widget.dispose();
            }
            app.shell.expandLeft();
            app.shell.activateById('filebrowser');
            await app.commands.execute('docmanager:open', {path});
        }""", f"notebooks/{name}")
        page.wait_for_function(
            "name => window.jupyterapp.shell.currentWidget?.context?.path?.endsWith(name)",
            arg=name, timeout=60_000, polling=100)
        return page
    page = browser.new_page(viewport=viewport)
    page.goto(f"{base}/{FRONT_ENDS[front_end][1]}/{name}?token={token}")
    if front_end == "lab":
        _LAB_PAGES[base] = page
    return page


def _leave(page, server):
    """Done with a notebook's page: Notebook 7's is closed, JupyterLab's kept for the next."""
    if server[0] != "lab":
        page.close()


def run_notebook(browser, server, name, viewport=PROJECTOR, through=None):
    """Open notebook ``name`` and run all its cells (or the cells up to and including the cell
    at index ``through``) as a learner does; fail on an error output or a broken widget."""
    page = _open_page(browser, server, name, viewport)
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')",
                           timeout=60_000, polling=100)
    # the front end may replace the first kernel as the session settles: wait until the same
    # kernel has been idle and connected for a second
    page.wait_for_function(
        """() => {
            const kernel = window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel;
            const ready = kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
            const now = performance.now();
            if (!ready || window.settlingKernel?.id !== kernel.id) {
                window.settlingKernel = ready ? {id: kernel.id, since: now} : null;
                return false;
            }
            return now - window.settlingKernel.since >= 1000;
        }""", timeout=60_000, polling=100)
    page.evaluate("""async through => {
        const notebook = window.jupyterapp.shell.currentWidget;
        await notebook.sessionContext.ready;
        if (through === null) {
            await window.jupyterapp.commands.execute('notebook:run-all-cells');
        } else {  // the cells above the one after ``through``
            notebook.content.activeCellIndex = through + 1;
            await window.jupyterapp.commands.execute('notebook:run-all-above');
        }
    }""", through)
    # done when every code cell run has a number and none shows [*]
    page.wait_for_function(
        """through => {
            // the open notebook's own cells (JupyterLab may restore others in hidden tabs)
            const notebook = window.jupyterapp.shell.currentWidget.content.node;
            const prompts = [...notebook.querySelectorAll('.jp-Cell')]
                .filter((cell, index) => through === null || index <= through)
                .filter(cell => cell.classList.contains('jp-CodeCell'))
                .map(cell => cell.querySelector('.jp-InputPrompt'));
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", arg=through, timeout=120_000, polling=100)
    page.wait_for_selector(".widget-slider", timeout=30_000)
    # every widget output drawn (or showing its error), not just the first slider
    page.wait_for_function(
        """() => [...document.querySelectorAll(
                '.jp-Notebook [data-mime-type="application/vnd.jupyter.widget-view+json"]')]
            .every(output => output.querySelector('.jupyter-widgets, .widget-slider, img')
                   || output.textContent.includes('Error displaying widget'))""",
        timeout=30_000, polling=100)
    text = page.inner_text(".jp-Notebook")
    assert "Error displaying widget" not in text
    assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0, "a cell erred"
    return page


class Explorer:
    """One explorer on the page, as the learner sees it: its sliders, buttons, picture, caption.
    It is found by a slider it has (``slider``)."""

    def __init__(self, page, index, slider="stride"):
        self.page = page
        first = page.locator(".widget-slider", has_text=slider).nth(index)
        first.scroll_into_view_if_needed()
        self.box = first.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
        self.picture = self.box.locator("img").last

    def caption(self):
        """The caption's text; empty for an explorer without one (08's digit explorer)."""
        captions = self.box.locator(".widget-html")
        return captions.last.inner_text() if captions.count() else ""

    def _changed(self, act):
        """Do ``act`` and wait until the picture is redrawn; return the caption then."""
        before = self.picture.get_attribute("src")
        act()
        self.page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                                    arg=[self.picture.element_handle(), before], timeout=20_000,
                                    polling=100)
        # the caption needs no wait: the kernel sends it before the picture, and the front end
        # applies a kernel's messages in the order they came
        return self.caption()

    def drag(self, name, value):
        """Drag the handle of slider ``name`` to ``value``; return the caption after the redraw."""
        slider = self.box.locator(".widget-slider", has_text=name)
        handle = slider.locator(".noUi-handle")
        low, high = (float(handle.get_attribute(a)) for a in ("aria-valuemin", "aria-valuemax"))
        track, grip = slider.locator(".noUi-target").bounding_box(), handle.bounding_box()
        y = grip["y"] + grip["height"] / 2

        def act():
            self.page.mouse.move(grip["x"] + grip["width"] / 2, y)
            self.page.mouse.down()
            self.page.mouse.move(track["x"] + track["width"] * (value - low) / (high - low), y, steps=8)
            self.page.mouse.up()

        caption = self._changed(act)
        assert slider.locator(".widget-readout").inner_text().strip() == str(value)
        return caption

    def press(self, button):
        return self._changed(lambda: self.box.locator("button", has_text=button).first.click())

    def assert_fits(self):
        """No control, picture or caption reaches past the right edge of the cell's output, and
        the buttons of a group share one row."""
        found = self.page.evaluate("""box => {
            const area = box.closest('.jp-OutputArea-output').getBoundingClientRect();
            const parts = [...box.querySelectorAll(
                '.widget-slider, .widget-toggle-buttons, .widget-dropdown, .widget-checkbox, '
                + '.widget-play, .widget-image, .widget-html')];
            const past = parts.filter(part => part.getBoundingClientRect().right > area.right + 0.5)
                .map(part => `${part.className}: right edge ${part.getBoundingClientRect().right}`);
            const rows = [...box.querySelectorAll('.widget-toggle-buttons, .widget-play')].map(
                group => new Set([...group.querySelectorAll('button')].filter(
                    button => button.offsetParent !== null).map(
                    button => Math.round(button.getBoundingClientRect().top))).size);
            return {right: area.right, past, rows, parts: parts.length};
        }""", self.box.element_handle())
        assert found["parts"] >= 3 and not found["past"], found
        assert set(found["rows"]) == {1}, f"a button group wraps: {found}"

    def play_button(self):
        return self.box.locator(".widget-play button").first

    def assert_plays_until_paused(self, changes=3):
        """Press Play: the picture changes ``changes`` times on its own; press Pause: it stays."""
        handle = self.picture.element_handle()
        self.page.evaluate("""img => {
            window.pictureChanges = 0;
            new MutationObserver(() => { window.pictureChanges += 1; }).observe(
                img, {attributes: true, attributeFilter: ['src']});
        }""", handle)
        self.play_button().click()
        # 900 ms a step, and a redraw in the kernel after each: three steps in about 3 s
        self.page.wait_for_function(f"window.pictureChanges >= {changes}", timeout=10_000,
                                    polling=100)
        self.play_button().click()  # the same button is Pause while playing
        # a step already sent to the kernel may still draw: wait until no redraw came for 1.2 s
        # (a step is 900 ms), then watch 1.2 s more; a picture still playing changes in that time
        self.page.evaluate("""() => new Promise(done => {
            let seen = window.pictureChanges, since = performance.now();
            const look = setInterval(() => {
                if (window.pictureChanges !== seen) { seen = window.pictureChanges; since = performance.now(); }
                else if (performance.now() - since >= 1200) { clearInterval(look); done(); }
            }, 100);
        })""")
        paused = self.picture.get_attribute("src")
        self.page.wait_for_timeout(1200)
        assert self.picture.get_attribute("src") == paused, "the picture moved after Pause"


def _screenshot(target, front_end, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if front_end == "lab" else f"_{front_end}"
    target.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"))


def _next_frames(page, frames=3):
    """Wait until the browser has drawn ``frames`` frames: a change of layout (a panel closed, a
    scroll) is laid out and painted by then."""
    page.evaluate("""frames => new Promise(done => {
        const next = left => left ? requestAnimationFrame(() => next(left - 1)) : done();
        next(frames);
    })""", frames)


def _show_code_whole(page, front_end, explorer):
    """Close JupyterLab's file browser, as a teacher does to project (Ctrl+B); then a line of
    79 characters fits the explorer's code cell, and no code cell but the first scrolls sideways
    (the first, the Colab cell, is left to tests/test_notebooks.py's line test)."""
    if front_end == "lab":
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        _next_frames(page)
    found = page.evaluate("""box => {
        // cells off screen are not laid out (content-visibility: auto): lay them all out
        const all = [...document.querySelectorAll('.jp-Cell')];
        all.forEach(cell => { cell.style.contentVisibility = 'visible'; });
        const cells = [...document.querySelectorAll('.jp-CodeCell .cm-scroller')];
        const editor = box.closest('.jp-CodeCell').querySelector('.cm-scroller');
        const line = editor.querySelector('.cm-line');
        const pen = document.createElement('canvas').getContext('2d');
        pen.font = getComputedStyle(line).font;
        const room = editor.clientWidth - (line.getBoundingClientRect().left
            - editor.getBoundingClientRect().left) - parseFloat(getComputedStyle(line).paddingRight);
        const found = {characters: Math.floor(room / pen.measureText('x').width),
                       sideways: cells.slice(1).filter(c => c.scrollWidth > c.clientWidth + 1)
                           .map(c => c.textContent.slice(0, 60))};
        all.forEach(cell => { cell.style.contentVisibility = ''; });
        return found;
    }""", explorer.box.element_handle())
    assert found["characters"] >= MAX_LINE and not found["sideways"], found


def _projector_screenshot(page, explorer, front_end, name):
    """The page as the projector shows it, the widget's caption at the bottom of the screen and
    the code above it, saved in tests/artifacts/."""
    explorer.box.evaluate("box => box.scrollIntoView({block: 'end'})")
    _next_frames(page)
    _screenshot(page, front_end, name)


def test_pool_stepper_plays_at_projector_size(browser, server):
    page = run_notebook(browser, server, "01_pool_extraction.ipynb")
    stepper = Explorer(page, 0, slider="pool number")  # the 4×4 matrix's four pools
    stepper.assert_fits()
    _show_code_whole(page, server[0], stepper)
    # four pools are three steps: the repeat button keeps it going round until Pause
    stepper.box.locator(".widget-play button").last.click()
    stepper.assert_plays_until_paused()
    assert stepper.caption().startswith("Pool ")
    _projector_screenshot(page, stepper, server[0], "projector_01")
    _leave(page, server)


def test_stride_explorer_shows_the_output_size_after_each_move(browser, server):
    page = run_notebook(browser, server, "02_stride.ipynb")
    explorer = Explorer(page, 0)  # a 6×8 matrix, pool 2, stride 2
    explorer.assert_fits()
    assert explorer.caption().startswith("A 2×2 pool with stride 2 gives an output of 3 rows and 4 columns.")
    # hand-worked: (6 − 2) // 3 + 1 = 2 rows, (8 − 2) // 3 + 1 = 3 columns
    assert explorer.drag("stride", 3).startswith(
        "A 2×2 pool with stride 3 gives an output of 2 rows and 3 columns. The windows leave gaps")
    # (6 − 3) // 3 + 1 = 2 rows, (8 − 3) // 3 + 1 = 2 columns; 8 − 6 = 2 columns unread
    caption = explorer.drag("pool size", 3)
    assert caption.startswith("A 3×3 pool with stride 3 gives an output of 2 rows and 2 columns.")
    assert "the last 2 columns" in caption
    _screenshot(page, server[0], "stride_explorer")
    # back to pool 2, stride 3: 2 rows of 3 windows with gaps, five steps for Play to show
    assert explorer.drag("pool size", 2).startswith(
        "A 2×2 pool with stride 3 gives an output of 2 rows and 3 columns.")
    _show_code_whole(page, server[0], explorer)
    explorer.assert_plays_until_paused()
    assert "Window " in explorer.caption()
    _projector_screenshot(page, explorer, server[0], "projector_02")
    _leave(page, server)


def test_cat_explorer_shows_the_output_size_after_each_move(browser, server):
    page = run_notebook(browser, server, "04_cat_image.ipynb")
    explorer = Explorer(page, 0)  # the 224×224 grey cat, pool 3, stride 2
    explorer.assert_fits()  # the mode buttons on one row
    assert explorer.caption().startswith("Input 224×224 → output 111×111")
    # hand-worked: (224 − 3) // 3 + 1 = 74, then (224 − 2) // 3 + 1 = 75
    assert explorer.drag("stride", 3).startswith("Input 224×224 → output 74×74")
    assert explorer.drag("pool size", 2).startswith("Input 224×224 → output 75×75")
    # press() waits for the picture to be redrawn (a timeout fails the test); the size stays
    assert explorer.press("avg").startswith("Input 224×224 → output 75×75")
    _screenshot(explorer.box, server[0], "cat_explorer")
    _leave(page, server)


#: Notebook 08's first explorer (digit and filter), before any network is trained.
FIRST_NETWORK_EXPLORER = 14


def test_network_notebook_runs_cleanly_and_its_digit_slider_redraws(browser, server):
    """In JupyterLab, notebook 08 trains its networks in the browser's kernel, shows no error and
    no broken widget, and its first explorer (digit and filter) redraws when the digit changes.

    In Notebook 7 the cells up to that explorer run, and it redraws: the half minute of training
    after it is the kernel's work, the same in any front end (run whole here in JupyterLab, and by
    tests/test_notebooks.py); Notebook 7 shows widgets and outputs with JupyterLab's own
    components, which the explorers of 01, 02 and 04 exercise there."""
    whole = server[0] == "lab"
    page = run_notebook(browser, server, "08_pooling_in_a_network.ipynb",
                        through=None if whole else FIRST_NETWORK_EXPLORER)
    assert "feature_map_explorer" in page.evaluate(
        "index => window.jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel"
        ".getSource()", FIRST_NETWORK_EXPLORER)
    explorer = Explorer(page, 0, slider="digit")
    explorer.assert_fits()
    # the far end of the track: a slider of 597 digits cannot be hit exactly in between
    explorer.drag("digit", 596)  # waits for the picture to change (a timeout fails the test)
    _leave(page, server)


@pytest.mark.parametrize("marker, landing", [
    ("open", "/lab/tree/00_start_here.ipynb"),
    ("open-notebook", "/notebooks/00_start_here.ipynb"),
])
def test_readme_open_command_opens_the_start_notebook(browser, tmp_path, marker, landing):
    """An open command's last step, as written, with .venv/bin/ standing for this environment's:
    JupyterLab (or Notebook 7) starts, calls the learner's browser, and that lands on the start
    notebook."""
    command = readme_commands.command(marker).split(" && ")
    if marker == "open":
        assert command[:2] == ["python3 -m venv .venv", ".venv/bin/pip install -r requirements.txt"]
    program, *arguments = shlex.split(command[-1].replace(".venv/bin/", f"{Path(sys.executable).parent}/"))
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
        assert page.url.split("?")[0].endswith(landing)
        if marker == "open":
            assert page.locator(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabLabel").filter(
                has_text="00_start_here.ipynb").count() == 1
        page.close()
    finally:
        _stop(server)
