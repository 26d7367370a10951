"""The figures tell the truth and can be read on a projector.

Each test looks at what Matplotlib will draw: the value scale of every panel, where the window
frames lie, the colour of a number against its cell, the size of every piece of text.
"""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

import pooling_helpers as ph  # noqa: E402

CAT = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig):
    """Every piece of text the figure draws (tick labels only for ticks inside the view)."""
    fig.canvas.draw()
    unseen = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low <= tick.get_loc() <= high:
                    unseen |= {tick.label1, tick.label2}
    return [t for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t not in unseen]


def frames(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]


def rendered(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255.0


def luminance(rgb):
    rgb = np.asarray(rgb, dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ (0.2126, 0.7152, 0.0722)


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def widget_figures():
    """Every widget's figures, at settings that stretch them."""
    pool = ph.pool_explorer(CAT)
    yield pool.figure
    yield pool.static_figure
    stepper = ph.pool_stepper(MATRIX)
    yield stepper.figure
    stride = ph.stride_explorer(np.arange(48).reshape(6, 8) % 17)
    stride.stride_slider.value = 3
    yield stride.figure
    size = ph.output_size_explorer(n=32, pool_size=6, stride=1)
    size.padding_dropdown.value = 3
    yield size.figure
    size = ph.output_size_explorer(n=7, pool_size=2, stride=2)
    size.padding_dropdown.value = 1
    size.ceil_box.value = True  # the longest formula
    yield size.figure


# --- one value scale ---------------------------------------------------------------------------


def test_a_uint8_photo_is_drawn_on_0_to_255_and_a_float_one_on_its_own_range():
    fig = ph.plot_image(CAT)
    assert fig.axes[0].images[0].get_clim() == (0, 255)
    dark = (CAT // 4).astype(np.uint8)
    assert ph.plot_image(dark).axes[0].images[0].get_clim() == (0, 255)  # stays dark
    floats = CAT / 255.0 * 0.5
    assert ph.plot_image(floats).axes[0].images[0].get_clim() == pytest.approx(
        (floats.min(), floats.max()))
    given = ph.plot_image(floats, value_range=(0, 1)).axes[0].images[0].get_clim()
    assert given == (0, 1)


def stored_size(fig):
    """(width, height) in pixels of the PNG a notebook stores for the figure: the inline
    backend's 100 dpi, cropped to what is drawn plus its 0.1-inch margin."""
    from IPython.core.pylabtools import print_figure

    return Image.open(io.BytesIO(print_figure(fig, "png", bbox_inches="tight"))).size


def test_plot_two_images_fits_the_notebook_column_at_1024_by_768():
    """No wider than JupyterLab's 844-pixel figure column on a projector (issue 19: the stored
    figures of 04 were 875-911 pixels wide and so shrunk)."""
    colour = ph.load_image(ph.CAT_PATH)
    for fig in (ph.plot_two_images(CAT, ph.pool2d(CAT, 2)),
                ph.plot_two_images(colour, ph.pool2d(colour, 3))):
        width, height = stored_size(fig)
        assert width <= 844 and height <= 620, (width, height)


def test_every_drawing_fits_the_projected_column_and_screen():
    """Every figure a drawing function makes by itself is stored at most 844 pixels wide and 620
    tall, so that it is seen whole at 1024×768, even for its largest arguments."""
    colour = ph.load_image(ph.CAT_PATH)
    figures = {
        "plot_image grey": ph.plot_image(CAT), "plot_image colour": ph.plot_image(colour),
        "plot_matrix 16×16": ph.plot_matrix(np.arange(256).reshape(16, 16)),
        "plot_matrix 4×30": ph.plot_matrix(np.arange(120).reshape(4, 30)),
        "plot_matrix 30×4": ph.plot_matrix(np.arange(120).reshape(30, 4)),
        "plot_output_size": ph.plot_output_size(32, 6, 1, padding=3),
        "plot_adaptive_windows 16": ph.plot_adaptive_windows(32, 16),
        "plot_adaptive_windows 12": ph.plot_adaptive_windows(20, 12),
    }
    if hasattr(ph, "plot_padding"):
        figures["plot_padding"] = ph.plot_padding(np.arange(49).reshape(7, 7), 3, 2)
    for name, fig in figures.items():
        width, height = stored_size(fig)
        assert width <= 844 and height <= 620, (name, width, height)


def test_every_widget_picture_fits_the_projected_column():
    """A widget's pictures side by side are at most 844 pixels wide at the normal size, so the
    browser does not shrink their text below 11 points."""
    pool = ph.pool_explorer(CAT)
    pairs = [(pool.static_figure, pool.figure)]
    pairs += [(fig,) for fig in widget_figures() if fig not in (pool.figure, pool.static_figure)]
    pairs += [(ph.adaptive_explorer(20, 12).figure,)]
    for figures in pairs:
        width = sum(fig.get_figwidth() * fig.dpi for fig in figures)
        height = max(fig.get_figheight() * fig.dpi for fig in figures)
        assert width <= 844 - 4 * len(figures) and height <= 620, (width, height)


def test_plot_two_images_draws_both_panels_on_the_first_ones_scale():
    averaged = ph.pool2d(CAT, 4, mode="avg")
    assert averaged.dtype == np.float64 and averaged.max() < 255
    fig = ph.plot_two_images(CAT, averaged)
    limits = [ax.images[0].get_clim() for ax in fig.axes]
    assert limits == [(0, 255), (0, 255)]


def test_the_pooled_panel_counts_outputs_not_pixels():
    """Review 04-06: the after panel's ticks count output cells (0-111 on the pooled cat), so
    its axes say so, in plot_two_images and in the explorer's after picture alike."""
    fig = ph.plot_two_images(CAT, ph.pool2d(CAT, 2), true_size=True)
    assert [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes] == [
        ("x (pixels)", "y (pixels)"), ("x (outputs)", "y (outputs)")]
    explorer = ph.pool_explorer(CAT, pool_size=3, stride=2)
    assert (explorer.after_axes.get_xlabel(), explorer.after_axes.get_ylabel()) == (
        "x (outputs)", "y (outputs)")


def test_an_average_pool_does_not_look_brighter_than_a_max_pool():
    colour = ph.load_image(ph.CAT_PATH, max_side=120)
    for image in (CAT, colour):
        brightness = {}
        for mode in ("max", "avg"):
            fig = ph.plot_two_images(image, ph.pool2d(image, 4, mode=mode))
            brightness[mode] = fig.axes[1].images[0].to_rgba(
                fig.axes[1].images[0].get_array())[..., :3].mean()
        assert brightness["avg"] < brightness["max"]


def test_plot_matrix_panels_share_a_value_range():
    pooled = ph.pool2d(MATRIX, 2, mode="avg")
    scale = ph.value_range(MATRIX, pooled)
    assert scale == (2, 18)
    fig, axes = plt.subplots(1, 2)
    ph.plot_matrix(MATRIX, ax=axes[0], value_range=scale)
    ph.plot_matrix(pooled, ax=axes[1], value_range=scale)
    assert axes[0].images[0].get_clim() == axes[1].images[0].get_clim() == (2, 18)


def test_value_range_ignores_nan_and_widens_a_constant():
    assert ph.value_range([[1.0, np.nan], [3.0, -np.inf]], [0.5]) == (0.5, 3.0)
    assert ph.value_range(np.full((2, 2), 7)) == (7, 8)
    with pytest.raises(ValueError, match="no finite value"):
        ph.value_range([np.nan])
    with pytest.raises(ValueError, match="at least one array"):
        ph.value_range()


@pytest.mark.parametrize("bad, error", [((5, 1), ValueError), ((3, 3), ValueError),
                                        ((0, 1, 2), ValueError), ("0-255", TypeError),
                                        (255, TypeError), ((0, "255"), TypeError),
                                        ((0, np.nan), ValueError), ((False, True), TypeError)])
def test_a_bad_value_range_is_named_with_what_is_allowed(bad, error):
    for draw in (ph.plot_image, ph.plot_matrix):
        with pytest.raises(error, match=r"value_range must be a pair \(low, high\).*got"):
            draw(MATRIX, value_range=bad)


def test_every_widget_shares_the_inputs_scale():
    explorer = ph.pool_explorer(CAT)
    explorer.mode_buttons.value = "avg"
    before = explorer.static_figure.axes[0].images[0]
    after = explorer.after_image
    assert before.get_clim() == after.get_clim() == (0, 255)
    uploader = ph.image_upload_explorer()
    buffer = io.BytesIO()
    Image.fromarray((CAT // 2).astype(np.uint8)).save(buffer, format="PNG")
    uploader.show_file("dark.png", buffer.getvalue())
    assert uploader.explorer.after_image.get_clim() == (0, 255)
    stepper = ph.pool_stepper(MATRIX)
    stepper.pool_slider.value = 3  # the pool [[7, 7], [2, 2]] alone would span 2..7
    assert [ax.images[0].get_clim() for ax in stepper.axes] == [(2, 18)] * 2
    stride = ph.stride_explorer(MATRIX)
    stride.mode = "avg"
    stride.update()
    assert [ax.images[0].get_clim() for ax in stride.axes] == [(2, 18)] * 2


# --- frames, skipped cells, text ---------------------------------------------------------------


def test_window_frames_lie_inside_the_axes_clear_of_the_spine():
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    ph.plot_matrix(MATRIX, ax=axes[0], windows=ph.window_boxes(MATRIX.shape, 2, 1))
    ph.plot_matrix(MATRIX, ax=axes[1], windows=ph.window_boxes(MATRIX.shape, 2, 2),
                   highlight=(0, 0, 2, 2))
    stepper = ph.pool_stepper(MATRIX)
    axes_to_check = list(axes[:2]) + [stepper.axes[0], ph.stride_explorer(MATRIX).axes[0]]
    fig.canvas.draw()
    for ax in axes_to_check:
        ax.figure.canvas.draw()
        assert frames(ax)
        (x0, x1), (y1, y0) = ax.get_xlim(), ax.get_ylim()
        points_per_unit = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
        points_per_unit *= 72 / ax.figure.dpi
        for frame in frames(ax):
            box = frame.get_bbox()
            gap = min(box.x0 - x0, x1 - box.x1, box.y0 - y0, y1 - box.y1) * points_per_unit
            assert gap > frame.get_linewidth() / 2, (ax.get_title(), box)


def test_numbers_on_skipped_cells_contrast_with_their_background():
    explorer = ph.stride_explorer(MATRIX)
    explorer.stride_slider.value = 3
    ax = explorer.axes[0]
    pixels = rendered(explorer.figure)
    height = pixels.shape[0]
    skipped = ph.uncovered_cells(MATRIX.shape, 2, 3)
    checked = 0
    for text in ax.texts:
        col, row = text.get_position()
        if not skipped[int(row), int(col)]:
            continue
        (left, top), (right, bottom) = ax.transData.transform([(col - 0.45, row - 0.45),
                                                              (col + 0.45, row + 0.45)])
        cell = pixels[int(height - top):int(height - bottom), int(left):int(right)]
        background = np.median(cell.reshape(-1, 3), axis=0)
        ink = matplotlib.colors.to_rgb(text.get_color())
        assert contrast(ink, background) >= 4.5, text.get_text()
        checked += 1
    assert checked == skipped.sum() == 12


def test_every_number_on_a_matrix_contrasts_with_its_cell():
    fig = ph.plot_matrix(np.arange(25).reshape(5, 5), dropped=np.eye(5, dtype=bool))
    ax = fig.axes[0]
    pixels = rendered(fig)
    for text in ax.texts:
        col, row = text.get_position()
        (left, top), (right, bottom) = ax.transData.transform([(col - 0.45, row - 0.45),
                                                              (col + 0.45, row + 0.45)])
        cell = pixels[int(pixels.shape[0] - top):int(pixels.shape[0] - bottom), int(left):int(right)]
        background = np.median(cell.reshape(-1, 3), axis=0)
        assert contrast(matplotlib.colors.to_rgb(text.get_color()), background) >= 4.5


def test_all_text_is_at_least_11_points():
    figures = [ph.plot_image(CAT, "a cat"), ph.plot_two_images(CAT, ph.pool2d(CAT, 2)),
               ph.plot_matrix(np.arange(144).reshape(12, 12), title="12×12", dropped=np.eye(12, dtype=bool),
                              windows=ph.window_boxes((12, 12), 3, 3)),
               *widget_figures()]
    for fig in figures:
        sizes = {t.get_text(): t.get_fontsize() for t in texts(fig)}
        assert sizes and min(sizes.values()) >= 11, sorted(sizes.items(), key=lambda kv: kv[1])[:3]


def test_no_widget_title_or_label_is_clipped():
    for fig in widget_figures():
        bounds = fig.bbox
        for text in texts(fig):
            box = text.get_window_extent()
            assert bounds.x0 <= box.x0 and box.x1 <= bounds.x1, text.get_text()
            assert bounds.y0 <= box.y0 and box.y1 <= bounds.y1, text.get_text()


def test_the_output_size_explorer_never_overlaps_its_labels():
    explorer = ph.output_size_explorer(n=32, pool_size=2, stride=1)
    for pool, padding in [(2, "valid"), (6, 3), (1, "same"), (5, 2)]:
        explorer.pool_size_slider.value = pool
        explorer.padding_dropdown.value = padding
        boxes = [t.get_window_extent() for t in texts(explorer.figure)]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), (pool, padding, a, b)


# --- captions and controls ---------------------------------------------------------------------


@pytest.mark.parametrize("pool", [3, 4, 5, 6])
def test_the_stride_caption_never_contradicts_itself(pool, few_pictures):
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8) % 17)
    explorer.pool_size_slider.value = pool
    for stride in range(1, 7):
        explorer.stride_slider.value = stride
        caption = explorer.caption.value
        never_seen = ph.uncovered_cells((6, 8), pool, stride).sum()
        assert not ("tile" in caption and "never looked at" in caption), caption
        assert ("tile the input exactly" in caption) == (never_seen == 0 and stride == pool)
        assert ("Every cell is looked at" in caption) == (never_seen == 0)
        assert " 1 rows" not in caption and " 1 columns" not in caption
        assert " 1 cells" not in caption and "the last 1 " not in caption


def test_the_stride_caption_says_1_row_in_the_singular():
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8) % 17)
    explorer.pool_size_slider.value = 4
    explorer.stride_slider.value = 4
    assert "1 row and 2 columns" in explorer.caption.value
    assert "16 cells are never looked at" in explorer.caption.value
    explorer.pool_size_slider.value = 6
    assert explorer.axes[0].get_title() == "input 6×8: 1 window"
    assert "those outside the window, in the last 2 columns." in explorer.caption.value


def _single_window(pool, stride, shape=(6, 8)):
    return len(ph.window_boxes(shape, pool, stride)) == 1


@pytest.mark.parametrize("pool, stride", [(p, s) for p in range(1, 7) for s in range(1, 7)])
def test_the_stride_caption_speaks_of_gaps_only_between_two_windows(pool, stride, few_pictures):
    """One window has no gap beside it: the cells it leaves lie outside it, in a border."""
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8) % 17)
    explorer.pool_size_slider.value, explorer.stride_slider.value = pool, stride
    caption = explorer.caption.value
    single = _single_window(pool, stride)
    assert ("There is a single window" in caption) == single, caption
    assert ("gaps" in caption) == (not single and stride > pool), caption
    never_seen = ph.uncovered_cells((6, 8), pool, stride)
    assert ("outside the window" in caption) == (single and never_seen.any()), caption
    if single and never_seen.any():  # the border named is exactly the cells outside the window
        rows, cols = np.nonzero(never_seen.all(axis=1))[0], np.nonzero(never_seen.all(axis=0))[0]
        assert never_seen.sum() == 6 * 8 - pool * pool
        for count, noun in ((len(rows), "row"), (len(cols), "column")):
            if count:
                assert f"the last {noun}" in caption if count == 1 else \
                    f"the last {count} {noun}s" in caption, caption


def _cell_pixels(ax):
    """Width and height in pixels of one cell of the matrix drawn in ``ax``."""
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    return abs(x1 - x0), abs(y1 - y0)


@pytest.mark.parametrize("pool, stride", [(1, 1), (2, 2), (3, 1), (4, 4), (6, 6), (3, 6)])
def test_the_stride_explorers_output_has_the_inputs_cell_size(pool, stride):
    """A 1×1 output is drawn as one cell of the input's size, never larger than the input."""
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8) % 17)
    explorer.pool_size_slider.value, explorer.stride_slider.value = pool, stride
    explorer.figure.canvas.draw()
    source, output = explorer.axes
    assert _cell_pixels(output) == pytest.approx(_cell_pixels(source), rel=0.01)
    # the output's image covers its own cells only, at the top left
    out_h, out_w = explorer.pooled.shape
    assert output.images[0].get_extent() == [-0.5, out_w - 0.5, out_h - 0.5, -0.5]


def test_the_output_size_explorer_labels_no_cell_pad_without_padding():
    explorer = ph.output_size_explorer(n=25, pool_size=2, stride=2)
    explorer.padding_dropdown.value = 0
    explorer.ceil_box.value = True
    assert explorer.output == 13
    assert "pad" not in [t.get_text() for t in explorer.axes.texts]
    assert "dashed" not in [p.get_linestyle() for p in explorer.axes.patches]
    explorer.n_slider.value = 7
    explorer.padding_dropdown.value = 1
    assert [t.get_text() for t in explorer.axes.texts].count("pad") == 2


def test_the_pool_explorer_hides_padding_until_asked():
    explorer = ph.pool_explorer(CAT, pool_size=2, stride=2)
    assert explorer.padding_buttons is None

    def controls(box):
        for child in getattr(box, "children", ()):
            yield child
            yield from controls(child)

    assert not [c for c in controls(explorer.widget) if getattr(c, "description", "") == "padding"]
    shown = ph.pool_explorer(CAT, show_padding=True)
    assert shown.padding_buttons in list(controls(shown.widget))
    shown.padding_buttons.value = "same"
    assert shown.pooled.shape == (112, 112) and shown.padding == "same"


def test_an_impossible_setting_clears_the_after_picture():
    explorer = ph.pool_explorer(np.arange(9, dtype=np.uint8).reshape(3, 3))
    drawn = explorer.picture.value
    explorer.pool_size_slider.value = 5
    assert explorer.pooled is None
    assert not explorer.after_image.get_visible() and explorer.after_axes.get_title() == ""
    assert explorer.picture.value != drawn
    assert "Not possible" in explorer.caption.value and "at most 3" in explorer.caption.value
    assert "same" not in explorer.caption.value  # no hint at a padding the explorer hides
    explorer.pool_size_slider.value = 3
    assert explorer.pooled.shape == (1, 1) and explorer.after_image.get_visible()
    size = ph.output_size_explorer(n=5, pool_size=6, stride=1)
    assert size.output is None and not size.axes.patches and "Not possible" in size.caption.value



# --- plot_output_size: the explorer's static picture ---------------------------------------------


def test_plot_output_size_draws_what_the_explorer_draws():
    """One drawing code path: the same bars, cells, title and labels as the widget."""
    fig = ph.plot_output_size(7, 2, 2, padding=1, ceil_mode=True)
    explorer = ph.output_size_explorer(n=7, pool_size=2, stride=2)
    explorer.padding_dropdown.value = 1
    explorer.ceil_box.value = True
    static, widget = fig.axes[0], explorer.axes
    assert static.get_title() == widget.get_title() == (
        "⌈(7 + 2·1 − 2) / 2⌉ + 1 − 1 = 4 outputs; 0 input cells dropped")
    assert ([(p.get_x(), p.get_width()) for p in static.patches]
            == [(p.get_x(), p.get_width()) for p in widget.patches])
    assert static.get_xlabel() == widget.get_xlabel()


def test_the_window_ceil_mode_takes_off_is_not_said_to_be_in_the_padding():
    """Review 04-06: with padding 0 and a pool smaller than the stride, ceil mode's extra window
    would start past the input (32, pool 1, stride 6: at 36), and PyTorch drops it too; the
    caption said 'in the right padding', where there is none."""
    explorer = ph.output_size_explorer(n=32, pool_size=1, stride=6)
    explorer.padding_dropdown.value = 0
    explorer.ceil_box.value = True
    assert ph.output_size(32, 1, 6, padding=0, ceil_mode=True) == 6
    assert "− 1 = 6)" in explorer.caption.value
    assert "would start after the input's last cell, cell 31." in explorer.caption.value
    assert "padding" not in explorer.caption.value.split("− 1 = 6)")[1]


def test_plot_output_size_fits_the_column_and_has_no_empty_lanes():
    for pool, stride in [(2, 2), (3, 1), (6, 1)]:
        fig = ph.plot_output_size(9, pool, stride)
        assert stored_size(fig)[0] <= 844
        ax = fig.axes[0]
        top = max(p.get_y() + p.get_height() for p in ax.patches)
        assert ax.get_ylim()[1] - top < 0.45, (pool, stride)  # no lane left empty


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n=7, pool_size=2, padding="valid", ceil_mode=True), ValueError, "ceil_mode"),
    (dict(n=7, pool_size=2, padding=2), ValueError, "more than half"),
    (dict(n=33, pool_size=2), ValueError, "n must be from 1 to 32"),
    (dict(n=7, pool_size=2, ax="axes"), TypeError, "ax"),
])
def test_plot_output_size_refuses_what_the_pooling_refuses(kwargs, error, words):
    with pytest.raises(error, match=words):
        ph.plot_output_size(**kwargs)


# ------------------------------------------------------------------------------------------------
# show_source: the code a notebook shows learners
# ------------------------------------------------------------------------------------------------

def test_show_source_keeps_the_code_and_only_the_docstrings_first_line():
    import inspect

    import pooling_network as pn

    for function, name in ((ph.max_pooling, "ph.max_pooling"), (ph.get_pools, "ph.get_pools"),
                           (pn.Network.forward, "pn.Network.forward")):
        shown = ph.show_source(function)
        lines = shown.splitlines()
        assert isinstance(shown, str)
        assert lines[0].lstrip().startswith("def ")
        assert lines[1].strip().startswith('"""') and lines[1].strip().endswith('"""')
        assert lines[-1] == f"# full docstring: help({name})"
        assert "Parameters" not in shown and ">>>" not in shown
        assert max(map(len, lines)) <= 79
        # Every line of code after the docstring is kept, in order.
        code = inspect.getsource(function).splitlines()
        assert lines[-2].strip() == code[-1].strip()
        assert len(lines) <= len(code)


def test_show_source_displays_as_code_not_as_a_quoted_string():
    from IPython.lib.pretty import pretty

    shown = ph.show_source(ph.max_pooling)
    assert repr(shown) == str(shown)
    assert pretty(shown) == str(shown)
    assert "\\n" not in repr(shown)


def test_show_source_names_what_it_cannot_read():
    with pytest.raises(TypeError, match="function must be"):
        ph.show_source(3)


# --- frame colours -------------------------------------------------------------------------------


def _notebook_frame_figures():
    """The figures in which the review found frames the colour of their cells: 02 cells 11 and
    20, 01 cell 35 (built as those cells build them)."""
    big = np.arange(81).reshape(9, 9)
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 4.4), layout="constrained")
    ph.plot_matrix(big, ax=axes[0], windows=[(0, 0, 3, 3), (0, 2, 3, 3), (2, 0, 3, 3)])
    ph.plot_matrix(big, ax=axes[1], windows=ph.window_boxes(big.shape, 2, 3),
                   dropped=ph.uncovered_cells(big.shape, 2, 3))
    yield fig
    out, boxes = ph.pool2d(big, 3, 1), ph.window_boxes(big.shape, 3, 1)
    picked = [boxes[0], boxes[len(boxes) // 2], boxes[-1]]
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 4.2), layout="constrained")
    scale = ph.value_range(big, out)
    ph.plot_matrix(big, ax=axes[0], windows=picked, value_range=scale)
    ph.plot_matrix(out, ax=axes[1], windows=[(t, l, 1, 1) for t, l, _, _ in picked],
                   value_range=scale)
    yield fig
    # the same, each window and its output cell in one colour (02 cell 20 says so)
    outputs = [(t, l, 1, 1) for t, l, _, _ in picked]
    colours = ph.frame_colours([(big, picked), (out, outputs)], scale)
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 4.2), layout="constrained")
    ph.plot_matrix(big, ax=axes[0], windows=picked, value_range=scale, window_colours=colours)
    ph.plot_matrix(out, ax=axes[1], windows=outputs, value_range=scale, window_colours=colours)
    yield fig
    wide = np.arange(24).reshape(4, 6)
    fixed = ph.max_pooling(ph.get_pools(wide, 2, 2))
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 3), layout="constrained", width_ratios=[6, 3])
    scale = ph.value_range(wide, fixed)
    ph.plot_matrix(wide, ax=axes[0], windows=ph.window_boxes(wide.shape, 2, 2), value_range=scale)
    ph.plot_matrix(fixed, ax=axes[1], value_range=scale)
    yield fig
    yield ph.pool_stepper(np.arange(36).reshape(6, 6)).figure
    stride = ph.stride_explorer(np.arange(48).reshape(6, 8))
    stride.window_slider.value = 7
    yield stride.figure


def test_every_frame_contrasts_with_each_cell_under_its_line():
    """A frame the colour of its cells vanishes on a projector: each frame's own colour has a
    WCAG contrast of at least 3 with every cell its line crosses (the window's edge cells)."""
    checked = 0
    for fig in _notebook_frame_figures():
        pixels = rendered(fig)
        height = pixels.shape[0]
        for ax in fig.axes:
            for frame in frames(ax):
                if frame.get_linewidth() >= 6:
                    # the stride explorer's bold frame: it takes a colour none of its touching
                    # neighbours has, at a lower contrast where they hold every readable one
                    # (test_widgets checks it); three times as wide, its halo sets it off
                    continue
                box = frame.get_bbox()
                rows = range(int(round(box.y0)), int(round(box.y1)) + 1)
                cols = range(int(round(box.x0)), int(round(box.x1)) + 1)
                ink = frame.get_edgecolor()[:3]
                for row in rows:
                    for col in cols:
                        if row not in (rows[0], rows[-1]) and col not in (cols[0], cols[-1]):
                            continue
                        (left, top), (right, bottom) = ax.transData.transform(
                            [(col - 0.45, row - 0.45), (col + 0.45, row + 0.45)])
                        cell = pixels[int(height - top):int(height - bottom),
                                      int(left):int(right)]
                        background = np.median(cell.reshape(-1, 3), axis=0)
                        assert contrast(ink, background) >= 3, (ax.get_title(), row, col, ink)
                        checked += 1
    assert checked > 100


# --- true relative size: where the picture ends -----------------------------------------------


def test_a_picture_at_true_relative_size_is_outlined_and_its_unused_frame_is_not_white():
    """The rest of the frame was white, which is also grey level 255 (04 cells 10 and 19, the
    explorers' 'true relative size'): the picture is outlined and the rest hatched."""
    pooled = ph.pool2d(CAT, 4)  # 56×56 in a 224×224 frame
    fig = ph.plot_two_images(CAT, pooled, true_size=True)
    explorer = ph.pool_explorer(CAT, pool_size=4, stride=4)
    explorer.true_size_box.value = True
    framed = ph.plot_image(pooled, value_range=(0, 255), frame=CAT.shape).axes[0]
    for ax in (fig.axes[1], explorer.after_axes, framed):
        outlines = [p for p in frames(ax) if p.get_bbox().bounds == (-0.5, -0.5, 56, 56)]
        assert outlines, ax.get_title()
        assert contrast(outlines[0].get_edgecolor()[:3], (1, 1, 1)) >= 3
        ax.figure.canvas.draw()
        pixels = rendered(ax.figure)
        # a strip of the unused frame, right of the picture: not plain white
        (left, top), (right, bottom) = ax.transData.transform([(100, 20), (200, 40)])
        height = pixels.shape[0]
        strip = pixels[int(height - top):int(height - bottom), int(left):int(right)]
        assert strip.size and (strip < 0.9).any(axis=-1).mean() > 0.05, ax.get_title()
    assert not frames(ph.plot_two_images(CAT, pooled).axes[1])  # the picture fills its frame
    explorer.true_size_box.value = False
    assert not frames(explorer.after_axes)


def test_frame_colours_frame_a_window_and_its_output_cell_alike():
    big = np.arange(81).reshape(9, 9)
    out, boxes = ph.pool2d(big, 3, 1), ph.window_boxes(big.shape, 3, 1)
    picked = [boxes[0], boxes[len(boxes) // 2], boxes[-1]]
    outputs = [(t, l, 1, 1) for t, l, _, _ in picked]
    scale = ph.value_range(big, out)
    colours = ph.frame_colours([(big, picked), (out, outputs)], scale)
    fig, axes = plt.subplots(1, 2)
    ph.plot_matrix(big, ax=axes[0], windows=picked, value_range=scale, window_colours=colours)
    ph.plot_matrix(out, ax=axes[1], windows=outputs, value_range=scale, window_colours=colours)
    drawn = [[matplotlib.colors.to_hex(f.get_edgecolor()) for f in frames(ax)] for ax in axes]
    assert drawn[0] == drawn[1] == [c.lower() for c in colours]
    with pytest.raises(ValueError, match="window_colours must hold one"):
        ph.plot_matrix(big, windows=picked, window_colours=colours[:2])
    with pytest.raises(ValueError, match="as many windows"):
        ph.frame_colours([(big, picked), (out, outputs[:1])])


def test_the_stride_explorer_frames_the_bold_window_and_its_output_cell_alike():
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8) % 17, pool_size=3, stride=1)
    for window in range(0, 24, 5):
        explorer.window_slider.value = window
        bold = [[f.get_edgecolor() for f in frames(ax) if f.get_linewidth() >= 4]
                for ax in explorer.axes]
        assert len(bold[0]) == len(bold[1]) == 1 and bold[0] == bold[1], window
