"""Every notebook runs top to bottom in a fresh kernel, and is stored as a learner should meet it."""

import base64
import json
import re
import struct
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager

from notebook_runner import WIDGET_VIEW

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
NAMES = ["00_start_here", "01_pool_extraction", "02_stride", "03_max_and_average_pooling",
         "04_cat_image", "05_padding_and_output_size", "06_verification_and_speed",
         "07_backpropagation", "08_pooling_in_a_network", "09_the_pooling_zoo"]


def test_all_course_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == NAMES


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, executed_notebook):
    """The stored cells run in order without an error. The run is shared with
    tests/test_exercises.py's worked-solution check (tests/conftest.py): the worked solutions run
    in added cells, and each exercise's placeholder answer runs again after its solution, so the
    stored cells see what a learner who skips the exercises has."""
    run = executed_notebook(path)
    found = run.errors(run.plain.values())
    assert not found, "\n".join(found)
    # A cell that sits out most of its 60-s timeout would still pass; the clock shows it. The
    # whole run may take twice as long as alone: the README's command runs two tests at a time.
    # (08's longest cell, its training, takes about 14 s alone)
    slowest, cell = run.slowest(run.plain.values())
    stored = {executed: index for index, executed in run.plain.items()}.get(cell)
    assert slowest < 40, f"cell {stored} took suspiciously long: {slowest:.0f} s"
    seconds = run.seconds
    assert seconds < 120, f"the notebook took suspiciously long: {seconds:.0f} s"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_is_clean(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    kernelspec = notebook["metadata"]["kernelspec"]
    assert kernelspec["name"] == "python3"
    # JupyterLab marks a notebook changed on opening, and autosaves it, when these differ
    assert kernelspec["display_name"] == KernelSpecManager().get_kernel_spec("python3").display_name
    assert "widgets" not in notebook["metadata"], "saved widget state"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "outputs are not from one clean run"
    for cell in code:
        for output in cell["outputs"]:
            assert output["output_type"] != "error"
            assert WIDGET_VIEW not in output.get("data", {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_template(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    assert markdown[0].startswith("# ") and "index" in markdown[0] and "index" in markdown[-1]
    assert "You will learn" in markdown[0]
    text = "\n".join(markdown)
    assert "## Summary" in text
    assert text.count("<details>") >= 2 and text.count("### Exercise") >= 2
    first_code = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "google.colab" in first_code
    # a static figure (a stored image) comes before every widget
    seen_image = False
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if re.search(r"ph\.\w+_(explorer|stepper)\(", source) and "= ph." not in source:
            assert seen_image, f"widget without a static figure before it: {source[:60]}"
        if any("image/png" in o.get("data", {}) for o in cell["outputs"]):
            seen_image = True


def test_every_notebook_has_its_claims_checked():
    """Every number the prose states about data is recomputed in tests/test_claims_NN.py."""
    tests = Path(__file__).resolve().parent
    missing = [p.stem for p in NOTEBOOKS if not (tests / f"test_claims_{p.stem[:2]}.py").exists()]
    assert not missing, f"no claims test for {missing}"


#: The widest code line a projected notebook shows whole: JupyterLab at 1024×768, its default
#: 13-pixel code font, the file browser closed (PEP 8's limit, as it happens).
MAX_LINE = 79


def _long_lines(text):
    return [f"{len(line)}: {line}" for line in text.splitlines() if len(line) > MAX_LINE]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_line_is_cut_off_on_a_projector(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    long = [f"cell {index}, {line}" for index, cell in enumerate(cells)
            if cell["cell_type"] == "code" for line in _long_lines("".join(cell["source"]))]
    assert not long, f"code lines over {MAX_LINE} characters:\n" + "\n".join(long)


def _shown_text(output):
    """The text an output shows: a stream's, or a result's or display's plain text."""
    if output["output_type"] == "stream":
        return "".join(output["text"])
    return "".join(output.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_printed_source_line_is_cut_off_on_a_projector(path):
    """Functions a notebook shows with ``ph.show_source`` (a cell's last line or printed) or
    prints with ``inspect.getsource`` are code on the screen too."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    long = [f"cell {index}, {line}" for index, cell in enumerate(cells)
            if cell["cell_type"] == "code"
            and re.search(r"getsource|show_source", "".join(cell["source"]))
            for output in cell["outputs"] for line in _long_lines(_shown_text(output))]
    assert not long, f"printed source lines over {MAX_LINE} characters:\n" + "\n".join(long)


#: JupyterLab at 1024×768, the file browser closed: the width of a notebook's figure column and
#: the height of the screen a figure may fill with a line of its cell above it (about 647 px of
#: notebook area). A PNG wider than the column is shown shrunk to its width, text and all.
COLUMN_WIDTH = 844
SCREEN_HEIGHT = 620


def _figures(path):
    """(cell index, width, height) of every stored PNG, from its header."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                width, height = struct.unpack(">II", base64.b64decode(png)[16:24])
                yield index, width, height


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_stored_figure_fits_the_column_at_projector_size(path):
    """JupyterLab at 1024×768 shrinks a picture wider than its column (844 px with the file
    browser closed), and its text with it: 8.4 inches at the notebooks' 100 dpi."""
    too_wide = [f"cell {index}: {width}×{height} px" for index, width, height in _figures(path)
                if width > COLUMN_WIDTH]
    assert not too_wide, f"figures wider than a projected column ({COLUMN_WIDTH} px): {too_wide}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_stored_figure_fits_the_screen_at_projector_size(path):
    """A figure taller than the projected screen never shows its panels at once: at most
    ~620 px tall as displayed in the column (6.2 inches at 100 dpi), where a PNG wider than the
    column is shown at h × 844 / w."""
    too_tall = [f"cell {index}: {width}×{height} px, shown {shown:.0f} px tall"
                for index, width, height in _figures(path)
                for shown in [height * min(1, COLUMN_WIDTH / width)] if shown > SCREEN_HEIGHT]
    assert not too_tall, f"figures taller than a projected screen ({SCREEN_HEIGHT} px): {too_tall}"
