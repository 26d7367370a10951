"""Notebook 07 (backpropagation): what its prose says about data, recomputed."""

import base64
import io
import json
import re

import numpy as np
import matplotlib.pyplot as plt
from matplotlib.colors import to_hex
from PIL import Image

import pooling_exercises as ex
import pooling_helpers as ph
from claims import NOTEBOOK_DIR, cells, does_not_say, prints, prose, says

NB = "07_backpropagation"
GRADIENTS, ZOOM = "176c98f3", "c34312eb"


def _cell(cell_id):
    return next(c for c in cells(NB) if c.get("id") == cell_id)


def _source(cell_id):
    return "".join(_cell(cell_id)["source"])


def _png(cell_id):
    data = next(o["data"]["image/png"] for o in _cell(cell_id)["outputs"]
                if "image/png" in o.get("data", {}))
    return Image.open(io.BytesIO(base64.b64decode(data)))
MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]], dtype=float)


def test_loss_gradient_and_slope_are_explained_before_use():
    says(NB, "A **network** (short for neural network) is a program")
    says(NB, "in a chain of simple steps called **layers**: a pooling layer is one of them")
    # defined before the first use of either word
    text = prose(NB)
    assert text.index("**network**") + 2 == re.search(r"\bnetwork", text, re.I).start()
    assert text.index("**layers**") + 2 == re.search(r"\blayer", text, re.I).start()
    says(NB, "Notebook 08 builds a small one")
    network = json.loads((NOTEBOOK_DIR / "08_pooling_in_a_network.ipynb").read_text())
    assert "network" in "".join(network["cells"][0]["source"]).lower()
    says(NB, "the **loss**")
    says(NB, "its **gradient**")
    says(NB, "the **slope** of the loss")
    says(NB, "These random numbers are called `weights`")


def test_average_spreads_a_quarter():
    grad_out = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad_avg = ph.pool2d_backward(grad_out, MATRIX, 2, 2, mode="avg")
    assert (grad_avg[:2, :2] == 0.25).all()
    says(NB, "the top-left window's gradient 1 becomes 0.25 on each of its four cells")
    grad_max = ph.pool2d_backward(grad_out, MATRIX, 2, 2)
    # one cell per window gets the whole gradient: the maximum
    assert np.count_nonzero(grad_max) == 4 and grad_max.sum() == grad_out.sum()
    assert ph.value_range(grad_out, grad_max, grad_avg) == (0.0, 4.0)
    says(NB, "The three gradients share one colour scale")
    assert _source(GRADIENTS).count("value_range=grads") == 3


def test_the_input_cannot_be_read_on_the_gradients_scale():
    """Issue 19: the input drawn in viridis on its own 2–18 scale beside gradients on 0–4 made
    yellow mean 18 in one panel and 4 in the others. The input is grey now, and said to be."""
    assert ph.value_range(MATRIX) == (2.0, 18.0)
    source = _source(GRADIENTS)
    call = source[source.index("ph.plot_matrix(matrix"):source.index("ph.plot_matrix(grad_out")]
    assert 'cmap="gray"' in call and 'title="input x (grey: its own scale)"' in call
    assert source.count('cmap="gray"') == 1  # the gradients keep the viridis default
    says(NB, "The input is not a gradient: it is drawn in grey, on a scale of its own (2 to 18), "
             "so that none of its colours can be read on the gradients' scale (0 to 4)")


def test_the_tie_in_the_first_figure_is_named_before_ties_are_taught():
    grad_max = ph.pool2d_backward([[1.0, 2.0], [3.0, 4.0]], MATRIX, 2, 2)
    window = MATRIX[2:, 2:]
    assert window.tolist() == [[7, 7], [2, 2]]
    assert grad_max[2, 2] == 4 and grad_max[2, 3] == 0
    text = prose(NB)
    sentence = ("The bottom-right window holds two 7s, a tie: its gradient, 4, goes to the first "
                "of them (row 2, column 2), and the other gets 0. *Ties*, below, says why one of "
                "them must be chosen.")
    says(NB, sentence)
    assert text.index(sentence) < text.index("## Ties")


def test_figures_are_shown_at_their_stored_size_at_1024_by_768():
    """At most 9 inches at 100 dpi: the notebook column at 1024×768 shows them unshrunk, and
    the numbers of the 4×4 matrices keep their 11 pt."""
    pngs = [_png(c["id"]) for c in cells(NB) if any(
        "image/png" in o.get("data", {}) for o in c.get("outputs", []))]
    assert len(pngs) == 3
    for png in pngs:
        # issue 19: at most 844 wide (the column) and 620 tall (the screen), seen whole
        assert png.size[0] <= 844 and png.size[1] <= 620, png.size
    assert "subplots(2, 2, figsize=(6.2, 5.9)" in _source(GRADIENTS)
    # the numbers of every 4×4 panel are written: the layout is made before plot_matrix measures
    assert "fig.get_layout_engine().execute(fig)" in _source(GRADIENTS)


def code_cell_containing(text):
    return next("".join(c["source"]) for c in cells(NB)
                if c["cell_type"] == "code" and text in "".join(c["source"]))


def test_the_overlap_figure_draws_the_input_in_grey_too():
    """Review of 05–08: cell 14 drew x in viridis beside a viridis gradient on another scale."""
    source = code_cell_containing("overlapping = ph.pool2d_backward(")
    call = source[source.index("ph.plot_matrix(matrix"):source.index("ph.plot_matrix(overlapping")]
    assert 'cmap="gray"' in call and 'title="input x (grey: its own scale), 18 boxed"' in call
    assert source.count('cmap="gray"') == 1


def test_cat_gradient_routes():
    cat = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
    routes = ph.pool2d_backward(np.ones((56, 56)), cat, 4, 4)
    count, size = np.count_nonzero(routes), routes.size
    assert (count, size) == (3136, 50176) and count == 56 * 56 and size == 16 * count
    prints(NB, f"{count} of {size} pixels receive a gradient")
    says(NB, f"{count} of {size} pixels: one in each of the 56×56 = {56 * 56:,} blocks of 4×4 "
             "pixels, a sixteenth")
    # "pool 4/4" was never defined: the title spells pool and stride out
    assert '"gradient of max pool 4, stride 4, zoomed"' in code_cell_containing("zoom = (")
    assert "4/4" not in code_cell_containing("zoom = (")
    # each block's gradient sits on its brightest pixel
    blocks = cat.reshape(56, 4, 56, 4).max(axis=(1, 3))
    assert np.array_equal(np.where(routes > 0, cat, 0).reshape(56, 4, 56, 4).max(axis=(1, 3)),
                          blocks)
    # the zoom (55.5 to 115.5) holds the eye on the left of the picture: its dark pupil is
    # inside, and the box's centre is in the picture's left half
    assert cat[56:116, 56:116].min() < 40
    zoom = re.search(r"zoom = \((\d+), (\d+), (\d+)\)  # top, left, side: a (\d+)×(\d+) box "
                     r"around the eye", _source(ZOOM))
    top, left, side, wide, tall = map(int, zoom.groups())
    assert (top, left, side) == (56, 56, 60) and wide == tall == side
    assert left + side / 2 < 224 / 2
    fig = ph.plot_gradient_routes(cat, routes, (top, left, side), 4)
    zoomed = fig.axes[1]
    assert zoomed.get_xlim() == (55.5, 115.5) and zoomed.get_ylim() == (115.5, 55.5)
    plt.close(fig)
    says(NB, "eye on the left of the picture (the box)")
    does_not_say(NB, "cat's left eye")
    does_not_say(NB, "60 pixels each way")


def test_the_zoom_has_a_two_colour_key_for_a_two_valued_gradient_and_visible_blocks():
    cat = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
    routes = ph.pool2d_backward(np.ones((56, 56)), cat, 4, 4)
    assert set(np.unique(routes)) == {0.0, 1.0}  # so two colours in the key say it all
    # review of 07–08: the figure's 22 lines of Matplotlib moved into ph.plot_gradient_routes
    assert "ph.plot_gradient_routes(cat, routes, zoom, 4," in _source(ZOOM)
    assert len(_source(ZOOM).splitlines()) <= 5
    fig = ph.plot_gradient_routes(cat, routes, (56, 56, 60), 4)
    assert len(fig.axes) == 2  # no colour bar
    overlay = fig.axes[1].images[-1]
    assert [to_hex(c) for c in overlay.cmap.colors] == ["#fde725"]
    assert overlay.get_array().mask.tolist() == (routes == 0).tolist()
    assert [t.get_text() for t in fig.legends[0].texts] == [
        "receives a gradient", "receives nothing (0): the photo's grey", "4×4 blocks"]
    # issue 19: 0.6-pt white lines at alpha 0.7 were faint; light blue, 1.2 pt, opaque, in the key
    lines = [tick.gridline for tick in fig.axes[1].xaxis.get_minor_ticks()]
    assert lines and all(line.get_visible() and to_hex(line.get_color()) == "#56b4e9" and line.get_linewidth() == 1.2
                         and line.get_alpha() in (None, 1) for line in lines)
    assert list(fig.axes[1].get_xticks(minor=True)) == list(np.arange(55.5, 115.5, 4))
    plt.close(fig)
    says(NB, "light-blue lines mark the 4×4 blocks")
    does_not_say(NB, "thin white lines")
    says(NB, "the pixels that receive a gradient are coloured yellow over the photo and the "
             "others keep their grey")


def test_the_18_wins_two_windows():
    pooled = ph.pool2d(MATRIX, 2, 1)
    assert pooled.tolist() == [[12, 12, 9], [18, 13, 9], [18, 15, 7]]
    assert np.count_nonzero(pooled == 18) == 2
    prints(NB, "[18., 13., 9.]")
    says(NB, "The 18 is the maximum of two windows (it appears twice)")
    does_not_say(NB, "wins three")
    overlapping = ph.pool2d_backward(np.ones((3, 3)), MATRIX, 2, 1)
    assert overlapping[2, 0] == 2
    says(NB, "it collects 2")
    # review of 07–08: the figure shows the 12 and the 9 collecting 2 as well; the prose names them
    assert np.count_nonzero(pooled == 12) == np.count_nonzero(pooled == 9) == 2
    assert overlapping[0, 1] == overlapping[1, 3] == 2
    assert sorted(MATRIX[overlapping == 2].tolist()) == [9, 12, 18]
    says(NB, "So do the 12 and the 9: each is also the maximum of two windows")
    says(NB, "would give the 18 a gradient of 1 instead of 2")


def test_ties_go_to_the_first_maximum():
    tie = np.array([[3.0, 7.0], [7.0, 1.0]])
    routed = ph.pool2d_backward([[1.0]], tie)
    assert routed.tolist() == [[0.0, 1.0], [0.0, 0.0]]
    says(NB, "The 7 at row 0, column 1 gets it all")


def test_at_a_tie_the_slope_is_not_defined_and_the_routing_is_a_convention():
    """Review of 07–08: "the gradient" at a tie was stated as if measured. Slopes up and down
    differ; the central difference of the numerical check measures their mean, 0.5 per 7."""
    tie = np.array([[3.0, 7.0], [7.0, 1.0]])
    eps = 1e-6
    for cell in [(0, 1), (1, 0)]:
        step = np.zeros_like(tie)
        step[cell] = eps
        up = (ph.pool2d(tie + step, 2)[0, 0] - 7) / eps
        down = (7 - ph.pool2d(tie - step, 2)[0, 0]) / eps
        assert (round(up, 6), round(down, 6)) == (1, 0)
        assert round((up + down) / 2, 6) == 0.5
    says(NB, "Nudge one tied cell up and the output rises with it (slope 1); nudge it down and "
             "the output does not move, because the other cell still holds the maximum (slope 0)")
    says(NB, "it would measure 0.5 for each 7 here")
    says(NB, "This is a convention, not a measurement")
    says(NB, "At a tie there is no single slope: by convention, shared with PyTorch and "
             "TensorFlow, the first maximum gets it all")
    # the first rule is stated with its condition
    says(NB, "the output does not move at all (when no other cell ties with the maximum")
    says(NB, "by the first-maximum rule, nothing is split")
    does_not_say(NB, "with ties, only the first maximum gets the gradient")


def test_each_output_is_framed_in_its_windows_colour():
    """Review of 07–08: the window frames were colour-coded and nothing else used the colours."""
    source = _source(GRADIENTS)
    assert source.count("window_colours=colours") == 2
    grad_out = np.array([[1.0, 2.0], [3.0, 4.0]])
    colours = ph.frame_colours(
        [(MATRIX, ph.window_boxes((4, 4), 2, 2)), (grad_out, ph.window_boxes((2, 2), 1, 1))],
        value_range=[None, (0.0, 4.0)], cmap=["gray", "viridis"])
    assert len(colours) == 4 and len(set(colours)) >= 3  # the two top ones both white here
    says(NB, "Each window is framed in the colour that frames its output in the gradient of "
             "the output")


def test_the_summary_says_what_average_pooling_divides_by():
    says(NB, "Average pooling gives every cell of its window the output's gradient divided by "
             "the window's divisor (4 for 2×2")
    does_not_say(NB, "the cells it counted")


def _exercise_window():
    """The window exercise 2 shows, read from the notebook's text."""
    question = next("".join(c["source"]) for c in cells(NB)
                    if "### Exercise 2: which cell gets it?" in "".join(c["source"]))
    block = question.split("### Exercise 2")[1].split("```")[1]
    return np.array(eval(block), dtype=float)


def test_exercise_2_is_a_tie_the_text_does_not_answer():
    window = _exercise_window()
    assert np.array_equal(window, ex.TIE_WINDOW)  # the checker judges the window shown
    # not the window the section on ties works through
    assert window.shape != (2, 2)
    tied = [tuple(cell) for cell in np.argwhere(window == window.max())]
    assert tied == [(1, 2), (2, 0)] and window.max() == 9
    says(NB, "3×3 max pooling on one window whose maximum, 9, appears twice")
    routed = ph.pool2d_backward([[1.0]], window, 3)
    assert [tuple(cell) for cell in np.argwhere(routed)] == [(1, 2)] and routed.sum() == 1
    # reading down the columns would pick the other one: the exercise tells the orders apart
    assert tuple(np.argwhere(window.T == window.max())[0][::-1]) == (2, 0)
    says(NB, "The 9 at (1, 2) comes first, so it takes the whole gradient, and the one at "
             "(2, 0) gets nothing")
    says(NB, "Reading down the columns instead would reach (2, 0) first")
    assert ex.check_tie_cell((1, 2)) and not ex.check_tie_cell((2, 0))
    assert "tie_cell = (1, 2)" in prose(NB)
    says(NB, "tests/check_against_frameworks.py")
    does_not_say(NB, "both frameworks give the whole gradient to the **first**")


def test_numerical_check():
    rng = np.random.default_rng(0)
    x = rng.permutation(49).reshape(7, 7) / 10
    assert (x.min(), x.max()) == (0.0, 4.8) and np.unique(x).size == 49
    weights = rng.normal(size=ph.pool2d(x, 3, 2, padding=1).shape)

    def loss(values):
        return np.sum(weights * ph.pool2d(values, 3, 2, padding=1))

    analytic = ph.pool2d_backward(weights, x, 3, 2, padding=1)
    numeric = np.zeros_like(x)
    eps = 1e-6
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        numeric[index] = (loss(x + step) - loss(x - step)) / (2 * eps)
    largest = np.abs(analytic - numeric).max()
    assert largest < 1e-8
    prints(NB, f"largest difference: {largest:.2e}")
    says(NB, "The largest difference is below 10⁻⁸")


def test_code_lines_fit_79_characters():
    code = [c for c in cells(NB) if c["cell_type"] == "code"]
    assert "google.colab" in "".join(code[0]["source"])  # the Colab cell, shared by all
    lines = [line for c in code[1:] for line in "".join(c["source"]).splitlines()]
    for c in cells(NB):
        if c["cell_type"] == "markdown":
            lines += [line for block in re.findall(r"```python\n(.*?)```", "".join(c["source"]),
                                                   re.S) for line in block.splitlines()]
    assert len(lines) > 30 and [line for line in lines if len(line) > 79] == []


def test_the_worked_solution_says_why_its_gradient_is_float():
    says(NB, "`dtype=float` matters when `x` holds whole numbers (a photo's pixels often do): "
             "`np.zeros_like(x)` would then make an int array, and `+=` into it would cut the "
             "fractions off every gradient")
    grad_x = np.zeros_like(np.arange(4).reshape(2, 2))
    grad_x[0, 0] += 0.75  # what the sentence warns of
    assert grad_x[0, 0] == 0 and grad_x.dtype.kind == "i"
    assert not ex.check_max_backward(
        lambda g, x, p, s: ph.pool2d_backward(g, x, p, s).astype(int))
