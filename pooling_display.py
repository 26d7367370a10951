"""Drawing and widgets of the pooling course: part three of ``pooling_helpers``.

The notebooks reach everything here through ``pooling_helpers`` (``ph.plot_image``,
``ph.pool_explorer``), which imports this module the first time one of its names is used. It
reads in two sections:

1. Drawing: ``plot_image``, ``plot_two_images``, ``plot_matrix``, ``value_range`` for a value
   scale shared by the panels of a figure, ``window_boxes`` and ``uncovered_cells`` for the
   windows drawn on a matrix, and ``plot_padding`` for one pooling under several paddings.
2. Widgets: ``pool_explorer``, ``image_upload_explorer``, ``pool_stepper``, ``stride_explorer``,
   ``output_size_explorer`` (and ``plot_output_size``, its static drawing), ``adaptive_explorer``
   (and ``plot_adaptive_windows``, its static drawing), ``dilation_explorer`` (and
   ``plot_dilation``, its static drawing: dilation, padding and an average's divisor). Each explorer holds its ipywidgets box in ``.widget`` and displays as it in a
   notebook.
3. Reading code: ``show_source``, a function's code with its docstring cut to one line.

Matplotlib and ipywidgets are imported inside the functions that use them, so importing this
module costs little; every figure is drawn outside pyplot unless a function returns it to the
caller. The computing, the window geometry and the argument checks are ``pooling_helpers``'.
"""

from __future__ import annotations

import html
import io
import numbers
import time

import numpy as np

from pooling_helpers import (MODES, PADDING_NAMES, adaptive_windows, axis_windows, check_array,
                             check_pair, check_positive_int, get_pools, pool2d)


# ------------------------------------------------------------------------------------------------
# 1. Drawing
# ------------------------------------------------------------------------------------------------
# Photos are drawn in grey or in their own colours, matrices with the colour-blind-safe viridis
# map, and axes count pixels so that sizes can be compared. Every function returns its figure.
# Panels that are compared share one value scale, and all text is big enough for a projector.

#: Smallest text in the course's figures, in points (``projector_mode`` enlarges it).
FONT_SIZE = 11
TITLE_SIZE = 12
#: Pixels per inch of a widget's picture at the normal size.
WIDGET_DPI = 100
#: Largest figure a drawing function makes, in inches. At 1024×768 JupyterLab's figure column
#: is 844 pixels wide and about 620 of the screen's height are left for a figure; the inline
#: backend stores at 100 dpi and adds a 0.1-inch margin each side, so 8.2 inches are stored
#: as at most about 840 pixels and 6 inches as at most about 620.
FIGURE_WIDTH = 8.2
FIGURE_HEIGHT = 6.0
#: Widest widget picture, in inches: stored as it is (no margin added), 840 pixels.
WIDGET_WIDTH = 8.4
#: How much ``projector_mode`` enlarges text and pictures unless told otherwise.
PROJECTOR_SCALE = 1.3
# The scale in use, read by every drawing: 1 until projector_mode changes it.
_scale = 1.0
# Matplotlib's own settings before projector_mode first changed them, to go back to.
_normal_rc = None
_SCALED_RC = ("font.size", "figure.dpi")


def projector_mode(on=True, scale=PROJECTOR_SCALE):
    """Switch the course's figures and widget pictures to a size a projected room can read.

    Every text the course draws (cell numbers, ticks, titles) is ``scale`` times larger, and so is
    Matplotlib's own text (``font.size``) for the figures a notebook draws itself. Figures are
    drawn at ``scale`` times the resolution, so a figure narrower than the notebook grows on the
    screen and a wider one, which the browser shrinks to the notebook's width, stays sharp. Call it
    once at the top of a notebook, after the imports: figures and widgets made after the call are
    larger; ``projector_mode(False)`` goes back to the normal size.

    Parameters
    ----------
    on : bool, default True
        True for the projector size, False for the normal one.
    scale : float, default 1.3
        How much larger, from 1 to 2. 1.3 turns 11-point cell numbers into 14.3-point ones, still
        small enough for the numbers of a 6×8 matrix to fit their cells in the course's figures.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``on`` is not True or False, or ``scale`` is not a number.
    ValueError
        If ``scale`` is outside 1 to 2.

    Examples
    --------
    >>> projector_mode()
    >>> plot_matrix([[1, 2], [3, 4]]).axes[0].texts[0].get_fontsize()
    14.3
    >>> projector_mode(False)
    >>> plot_matrix([[1, 2], [3, 4]]).axes[0].texts[0].get_fontsize()
    11.0
    """
    global FONT_SIZE, TITLE_SIZE, _scale, _normal_rc
    import matplotlib as mpl

    on = _check_flag(on, "on")
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, numbers.Real):
        raise TypeError(f"scale must be a number from 1 to 2; got {scale!r}")
    if not 1 <= scale <= 2:
        raise ValueError(f"scale must be from 1 to 2 (how much larger); got {scale}")
    if _normal_rc is None:
        _normal_rc = {key: mpl.rcParams[key] for key in _SCALED_RC}
    _scale = float(scale) if on else 1.0
    # rounded so that a size reads as a plain number in a test or a tooltip: 14.3, not 14.30001
    FONT_SIZE, TITLE_SIZE = round(11 * _scale, 1), round(12 * _scale, 1)
    mpl.rcParams.update({key: round(value * _scale, 1) for key, value in _normal_rc.items()})


def _new_figure(width, height, layout="constrained"):
    """A figure outside pyplot, so that a widget owns it and nothing is shown twice."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=WIDGET_DPI * _scale, layout=layout)
    FigureCanvasAgg(figure)
    return figure


def _subplots(ncols, width, height):
    """A figure for a notebook to show: one larger than ``FIGURE_WIDTH`` × ``FIGURE_HEIGHT`` is
    shrunk, keeping its shape, so that it fits the projected column whole."""
    import matplotlib.pyplot as plt

    shrink = min(1.0, FIGURE_WIDTH / width, FIGURE_HEIGHT / height)
    fig, axes = plt.subplots(1, ncols, figsize=(width * shrink, height * shrink),
                             layout="constrained")
    return fig, np.atleast_1d(axes)


def value_range(*arrays):
    """The smallest and largest value over all the given arrays, for one shared colour scale.

    NaN and infinite values (padding) are left out. When every value is the same, the range is
    widened to ``(value, value + 1)`` so that it can still be passed as a ``value_range``.

    Parameters
    ----------
    *arrays : array_like
        One or more arrays of real numbers, of any shapes.

    Returns
    -------
    (float or int, float or int)
        ``(low, high)`` with ``low < high``.

    Raises
    ------
    ValueError
        If no array is given, or none holds a finite value.

    Examples
    --------
    >>> value_range([[1, 5], [2, 3]], [[0.5, np.nan]])
    (0.5, 5.0)
    """
    if not arrays:
        raise ValueError("value_range needs at least one array; got none")
    finite = [a[np.isfinite(a)] for a in (check_array(x, "value_range's array") for x in arrays)]
    finite = np.concatenate([a.ravel() for a in finite]).astype(np.result_type(*finite, np.uint8))
    if finite.size == 0:
        raise ValueError("value_range found no finite value (only NaN or infinity) in the arrays")
    low, high = finite.min().item(), finite.max().item()
    return (low, high) if high > low else (low, high + 1)


def _photo_range(img):
    """The scale a photo is drawn on by default: its type's whole range for 8- and 16-bit
    integers (a dark photo stays dark), its own range for wider integers and floats."""
    if img.dtype == np.bool_:
        return (0, 1)
    if img.dtype.kind in "iu" and img.dtype.itemsize <= 2:
        info = np.iinfo(img.dtype)
        return (int(info.min), int(info.max))
    return value_range(img)


def _photo_pixels(img, scale):
    """What imshow is given: grey stays as it is (the norm scales it); colour is scaled to 0..1
    by hand, since imshow ignores vmin and vmax for RGB."""
    if img.ndim == 2:
        return img
    low, high = scale
    if img.dtype == np.uint8 and (low, high) == (0, 255):
        return img
    return np.clip((img.astype(np.float32) - low) / (high - low), 0, 1)


def _show_photo(ax, img, title=None, scale=None, unit="pixels"):
    img = np.asarray(img)
    scale = _photo_range(img) if scale is None else scale
    shown = ax.imshow(_photo_pixels(img, scale), cmap="gray" if img.ndim == 2 else None,
                      interpolation="nearest", vmin=scale[0], vmax=scale[1])
    ax.set_xlabel(f"x ({unit})")
    ax.set_ylabel(f"y ({unit})")
    _whole_ticks(ax)
    if title:
        ax.set_title(title)
    _readable(ax)
    return shown


def _whole_ticks(ax):
    """Ticks on whole pixels only: a 14×14 photo is not numbered 0.0, 2.5, 5.0, ..."""
    from matplotlib.ticker import MaxNLocator

    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], integer=True))


def _readable(ax):
    """Projector-sized text: ticks and labels at 11 pt, titles at 12 pt."""
    ax.tick_params(labelsize=FONT_SIZE)
    ax.xaxis.label.set_size(FONT_SIZE)
    ax.yaxis.label.set_size(FONT_SIZE)
    ax.title.set_size(TITLE_SIZE)


def plot_image(img, title=None, ax=None, value_range=None, frame=None, unit="pixels"):
    """Draw one photo in grey (one channel) or its own colours, axes in pixels.

    Parameters
    ----------
    img : array_like, shape (H, W) or (H, W, 3)
    title : str, optional
    ax : matplotlib Axes, optional
    value_range : (number, number), optional
        The values drawn black and white (or no and full colour). By default the type's whole
        range for 8- and 16-bit integer photos (0–255 for uint8), else the photo's own min and max.
        Give the same range to every panel that should be compared.
    frame : (int, int), optional
        ``(height, width)`` of a larger frame to draw the photo in at its true relative size,
        at the top left, for instance the input's shape beside a pooled photo. The photo is
        outlined and the rest of the frame hatched, so that it is not mistaken for white pixels.
    unit : str, default "pixels"
        What the axes count, in their labels: "outputs" for a pooled map whose cells are not
        the photo's pixels.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If ``img`` is not a grey or colour photo (a file name, say: read it with ``load_image``
        first), ``ax`` is not Matplotlib Axes, ``value_range`` is not a pair of numbers with
        low < high, ``frame`` is not a pair of positive whole numbers, or ``unit`` is not a str.

    Examples
    --------
    >>> fig = plot_image(np.zeros((4, 6), dtype=np.uint8), title="black")
    >>> fig.axes[0].get_title(), fig.axes[0].images[0].get_array().shape
    ('black', (4, 6))
    >>> fig = plot_image(np.zeros((2, 3), dtype=np.uint8), frame=(4, 6))
    >>> [float(x) for x in fig.axes[0].get_xlim() + fig.axes[0].get_ylim()]
    [-0.5, 5.5, 3.5, -0.5]
    """
    img = _check_photo(img, "img")
    scale = None if value_range is None else _check_value_range(value_range)
    frame = None if frame is None else check_pair(frame, "frame", "(height, width)")
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a str such as 'pixels' or 'outputs', got {unit!r}")
    _check_axes(ax)
    if ax is None:
        fig, (ax,) = _subplots(1, 5, 5)
    _show_photo(ax, img, title, scale, unit)
    if frame is not None:
        _same_scale((ax,), frame)
        _mark_picture(ax, img.shape, frame)
    return ax.figure


def plot_two_images(img1, img2, title1=None, title2=None, true_size=False):
    """Draw a before/after pair side by side, both on the first image's value scale.

    A float average pool of a uint8 photo is thus drawn on 0–255, like the photo, and does not
    look brighter than it is.

    Parameters
    ----------
    img1, img2 : array_like, shape (H, W) or (H, W, 3)
    title1, title2 : str, optional
        By default each image's shape.
        The first panel's axes count pixels, the second's outputs (its cells).
    true_size : bool, default False
        Draw both at the same scale, so that the smaller one looks smaller.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If an image is not a grey or colour photo, or ``true_size`` is not True or False.

    Examples
    --------
    >>> cat = np.arange(64, dtype=np.uint8).reshape(8, 8)
    >>> fig = plot_two_images(cat, pool2d(cat, 2))
    >>> [ax.get_title() for ax in fig.axes]
    ['8×8', '4×4']
    """
    img1, img2 = _check_photo(img1, "img1"), _check_photo(img2, "img2")
    if not isinstance(true_size, (bool, np.bool_)):
        raise TypeError(f"true_size must be True or False; got {true_size!r}")
    scale = _photo_range(img1)
    fig, axes = _subplots(2, FIGURE_WIDTH, 4.0)  # the notebook's column at 1024×768
    # the pooled panel's axes count output cells, not the photo's pixels
    for ax, img, title, unit in zip(axes, (img1, img2), (title1, title2), ("pixels", "outputs")):
        _show_photo(ax, img, title or "{}×{}".format(*img.shape[:2]), scale, unit)
    if true_size:
        _same_scale(axes, img1.shape[:2])
        for ax, img in zip(axes, (img1, img2)):
            _mark_picture(ax, img.shape, img1.shape)
    return fig


#: Where a gradient lands (viridis's yellow), the zoom's box, and the pooling blocks' lines
#: (light blue: seen on dark and light fur alike, and unlike the yellow).
ROUTE_COLOUR, ZOOM_EDGE, BLOCK_LINE = "#FDE725", "#E69F00", "#56B4E9"


def plot_gradient_routes(img, grad, zoom, pool_size, title=None):
    """A grey photo whole, beside a zoom on a square of it where the pixels that receive a
    gradient are yellow over the photo and the pooling blocks are outlined.

    Parameters
    ----------
    img : array_like, shape (H, W)
        The grey photo that was pooled.
    grad : array_like, shape (H, W)
        The gradient of every pixel, for instance from ``pool2d_backward``: a pixel whose
        gradient is not 0 is drawn yellow; the others keep the photo's grey.
    zoom : (int, int, int)
        ``(top, left, side)`` of the square to enlarge, in pixels; boxed on the whole photo.
    pool_size : int
        The side of the pooling blocks (stride = pool, from pixel 0), drawn as light-blue lines
        on the zoom.
    title : str, optional
        The zoomed panel's title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If ``img`` is not a grey photo, ``grad`` does not have its shape, ``zoom`` is not three
        whole numbers inside the photo, or ``pool_size`` is not a positive whole number.

    Examples
    --------
    >>> img = np.arange(64, dtype=np.uint8).reshape(8, 8)
    >>> grad = np.zeros((8, 8))
    >>> grad[1::2, 1::2] = 1  # where 2×2 max pooling sends a gradient of 1 on this photo
    >>> fig = plot_gradient_routes(img, grad, (0, 0, 4), 2)
    >>> [text.get_text() for text in fig.legends[0].texts][0]
    'receives a gradient'
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    img = _check_photo(img, "img")
    if img.ndim != 2:
        raise ValueError(f"img must be a grey photo (H, W); got shape {img.shape}")
    grad = check_array(grad, "grad")
    if grad.shape != img.shape:
        raise ValueError(f"grad must have img's shape {img.shape}; got {grad.shape}")
    if (not isinstance(zoom, (tuple, list)) or len(zoom) != 3
            or not all(isinstance(v, numbers.Integral) for v in zoom)):
        raise TypeError(f"zoom must be three whole numbers (top, left, side); got {zoom!r:.60}")
    top, left, side = (int(v) for v in zoom)
    if min(top, left) < 0 or side < 1 or top + side > img.shape[0] or left + side > img.shape[1]:
        raise ValueError(f"zoom {zoom} must be a square inside the {img.shape[0]}×"
                         f"{img.shape[1]} photo")
    pool_size = check_positive_int(pool_size, "pool_size")
    fig, axes = _subplots(2, FIGURE_WIDTH, 4.6)
    _show_photo(axes[0], img, "{}×{}, box: the zoom".format(*img.shape))
    axes[0].add_patch(Rectangle((left - 0.5, top - 0.5), side, side, fill=False,
                                edgecolor=ZOOM_EDGE, linewidth=3))
    _show_photo(axes[1], img, title)
    # a gradient of 0 leaves the photo's grey; any other is drawn in one colour
    axes[1].imshow(np.ma.masked_equal(grad, 0), cmap=ListedColormap([ROUTE_COLOUR]),
                   interpolation="nearest")
    axes[1].set_xlim(left - 0.5, left + side - 0.5)
    axes[1].set_ylim(top + side - 0.5, top - 0.5)
    for axis, start in ((axes[1].xaxis, left), (axes[1].yaxis, top)):
        first = start + (-start) % pool_size  # the first block edge inside the zoom
        axis.set_ticks(np.arange(first, start + side, pool_size) - 0.5, minor=True)
    axes[1].grid(which="minor", color=BLOCK_LINE, linewidth=1.2)
    key = [Patch(color=ROUTE_COLOUR, label="receives a gradient"),
           Patch(color="0.55", label="receives nothing (0): the photo's grey"),
           Line2D([], [], color=BLOCK_LINE, linewidth=1.2,
                  label=f"{pool_size}×{pool_size} blocks")]
    fig.legend(handles=key, loc="outside lower center", ncols=3, fontsize=FONT_SIZE)
    return fig


def _same_scale(axes, shape):
    for ax in axes:
        ax.set_xlim(-0.5, shape[1] - 0.5)
        ax.set_ylim(shape[0] - 0.5, -0.5)


#: The outline round a picture drawn smaller than its frame (Okabe-Ito blue: no grey level).
PICTURE_EDGE = "#0072B2"


def _mark_picture(ax, picture_shape, frame_shape):
    """Where a picture drawn at true relative size ends: the rest of its frame hatched and the
    picture outlined. A plain white rest would read as pixels of value 255. Returns the two
    artists (none when the picture fills the frame), for a widget to remove at its next draw."""
    from matplotlib.patches import Rectangle

    (height, width), (frame_h, frame_w) = picture_shape[:2], frame_shape[:2]
    if height >= frame_h and width >= frame_w:
        return []
    # drawn under the picture (zorder below the image's 0), so only the unused rest shows
    rest = Rectangle((-0.5, -0.5), frame_w, frame_h, facecolor="white", edgecolor="#9A9A9A",
                     hatch="//", linewidth=0, zorder=-1)
    edge = Rectangle((-0.5, -0.5), width, height, fill=False, edgecolor=PICTURE_EDGE,
                     linewidth=2, zorder=3)
    ax.add_patch(rest)
    ax.add_patch(edge)
    return [rest, edge]


def plot_matrix(matrix, ax=None, title=None, windows=(), highlight=None, dropped=None,
                value_range=None, cmap="viridis", window_colours=None):
    """Draw a small matrix with every number readable, and windows outlined.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
    ax : matplotlib Axes, optional
    title : str, optional
    windows : sequence of (top, left, height, width), optional
        Windows to outline thinly. Each frame's colour is picked to stand out on the cells under
        it (and from its neighbours' where it can): see ``frame_colours``.
    highlight : (top, left, height, width), optional
        One window to outline boldly.
    dropped : ndarray of bool, shape (H, W), optional
        Cells no window covers, hatched.
    value_range : (number, number), optional
        The values at the two ends of the colour map; by default the matrix's own finite min and
        max. Pass one range (for instance ``value_range(matrix, pooled)``) to every matrix of a
        figure so that one colour means one value.
    cmap : str, default 'viridis'
    window_colours : sequence of colours, optional
        One Matplotlib colour per window, instead of the colours picked for this matrix alone:
        ``frame_colours`` picks colours that stand out on two panels at once, so that a window
        and the output cell it gives can be framed alike.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If ``matrix`` is not a 2-D array of numbers, ``dropped`` does not have its shape, ``ax``
        is not Matplotlib Axes, ``value_range`` is not a pair of numbers with low < high, or
        ``window_colours`` does not hold one colour per window.

    Examples
    --------
    >>> fig = plot_matrix([[1, 2], [3, 4]], highlight=(0, 0, 2, 2))
    >>> sorted(text.get_text() for text in fig.axes[0].texts)
    ['1', '2', '3', '4']
    """
    matrix = check_array(matrix, "matrix")
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be 2-D (rows, columns); got shape {matrix.shape}. "
                         "For a photo use plot_image; for one channel, matrix[..., 0]")
    if dropped is not None and np.shape(dropped) != matrix.shape:
        raise ValueError(f"dropped must be a mask of the matrix's shape {matrix.shape}; "
                         f"got shape {np.shape(dropped)}")
    scale = None if value_range is None else _check_value_range(value_range)
    _check_axes(ax)
    if window_colours is not None:
        window_colours = _check_colours(window_colours, len(windows))
    if ax is None:
        fig, (ax,) = _subplots(1, 0.6 * matrix.shape[1] + 1.2, 0.6 * matrix.shape[0] + 0.8)
    _draw_matrix(ax, matrix, title, windows, highlight, dropped, cmap, scale,
                 window_colours=window_colours)
    return ax.figure


def frame_colours(panels, value_range=None, cmap="viridis"):
    """Frame colours for windows drawn on several matrices, each readable on all of them.

    ``plot_matrix`` picks each frame's colour to stand out on the cells under it (a WCAG
    contrast of at least 3, from the colour-blind-safe Okabe-Ito colours, then yellow, white,
    dark blue and black). When window i of one panel goes with window i of another (a window
    and the output cell it gives), this picks one colour for both, readable on both; pass it
    to each ``plot_matrix`` as ``window_colours``.

    Parameters
    ----------
    panels : sequence of (matrix, windows)
        Each matrix (H, W) with its windows, (top, left, height, width) each; every panel has
        the same number of windows.
    value_range : (number, number), or a sequence of them, optional
        As given to ``plot_matrix``; by default each matrix's own range, as there. Panels drawn
        on different scales take one range (or None) each, in the order of ``panels``.
    cmap : str, or a sequence of str, default 'viridis'
        As given to ``plot_matrix``: one for all panels, or one per panel.

    Returns
    -------
    list of str
        One colour per window, as '#RRGGBB'.

    Raises
    ------
    TypeError, ValueError
        If a panel is not a 2-D matrix with its windows, or the panels differ in their number
        of windows.

    Examples
    --------
    >>> big = np.arange(81).reshape(9, 9)
    >>> out = pool2d(big, 3, 1)
    >>> picked = [(0, 0, 3, 3), (6, 6, 3, 3)]
    >>> frame_colours([(big, picked), (out, [(0, 0, 1, 1), (6, 6, 1, 1)])])
    ['#E69F00', '#004488']
    """
    panels = list(panels)
    # one range per panel when every entry is a range (or None), else one range for all
    per_panel = (value_range is not None and not isinstance(value_range, str)
                 and len(value_range) == len(panels)
                 and all(r is None or np.ndim(r) == 1 for r in value_range))
    ranges = list(value_range) if per_panel else [value_range] * len(panels)
    scales = [None if r is None else _check_value_range(r) for r in ranges]
    cmaps = [cmap] * len(panels) if isinstance(cmap, str) else list(cmap)
    if len(cmaps) != len(panels):
        raise ValueError(f"cmap must be one colour map name, or one per panel ({len(panels)}); "
                         f"got {cmap!r:.60}")
    shades, windows = [], []
    for number, panel in enumerate(panels):
        if isinstance(panel, (str, bytes)) or not hasattr(panel, "__len__") or len(panel) != 2:
            raise TypeError(f"each of panels must be a pair (matrix, windows); panel {number} "
                            f"is {panel!r:.60}")
        matrix = _check_matrix(panel[0], f"panels[{number}]'s matrix")
        shades.append(_cell_shades(matrix, cmaps[number], scales[number])[1])
        windows.append([tuple(box) for box in panel[1]])
    if len({len(boxes) for boxes in windows}) > 1:
        raise ValueError("every panel must have as many windows as the others (window i of each "
                         f"is framed alike); got {[len(boxes) for boxes in windows]}")
    return _window_colours(shades, windows)


def _check_colours(colours, count):
    """One Matplotlib colour per window."""
    from matplotlib.colors import is_color_like

    colours = list(colours) if not isinstance(colours, str) else [colours]
    if len(colours) != count or not all(map(is_color_like, colours)):
        raise ValueError(f"window_colours must hold one Matplotlib colour per window ({count}); "
                         f"got {colours!r:.80}")
    return colours


def _matrix_range(matrix):
    finite = matrix[np.isfinite(matrix)]
    return value_range(finite) if finite.size else (0, 1)


def _cell_shades(matrix, cmap="viridis", scale=None, dropped=None):
    """The colour scale's norm, and the colour (H, W, 4) each cell is drawn in: its value's,
    white for padding (NaN), veiled in light grey where ``dropped``."""
    import matplotlib
    from matplotlib.colors import Normalize

    norm = Normalize(*(_matrix_range(matrix) if scale is None else scale), clip=True)
    shades = matplotlib.colormaps.get_cmap(cmap)(norm(matrix))
    shades[~np.isfinite(matrix)] = (1, 1, 1, 1)  # padding is drawn white
    if dropped is not None:
        dropped = np.asarray(dropped, dtype=bool)
        shades[dropped] = SKIPPED_ALPHA * np.array(SKIPPED_FACE) + (1 - SKIPPED_ALPHA) * shades[dropped]
    return norm, shades


def _draw_matrix(ax, matrix, title=None, windows=(), highlight=None, dropped=None,
                 cmap="viridis", scale=None, canvas=None, window_colours=None,
                 highlight_colour=None, highlight_width=4):
    """``canvas``, a (rows, columns) at least the matrix's, lays the matrix at the top left of
    a grid that large: drawn beside that grid, it has the same cell size. Frame colours not
    given are chosen by contrast with the cells under each frame; window frames are 2 points
    wide, the highlight ``highlight_width``."""
    norm, shades = _cell_shades(matrix, cmap, scale, dropped)
    ax.imshow(matrix, cmap=cmap, norm=norm)
    canvas = matrix.shape if canvas is None else canvas
    cell = _cell_points(ax, canvas)
    if dropped is not None:
        _draw_skipped(ax, np.asarray(dropped, dtype=bool))
    labels = _cell_labels(matrix)
    # a number that does not fit its cell at a readable size is left out, never shrunk
    if matrix.size <= 400 and max(map(len, labels.flat)) * CHAR_WIDTH * FONT_SIZE <= 0.9 * cell:
        # each number is inside its cell, so inside the axes: the layout need not measure it
        for (row, col), label in np.ndenumerate(labels):
            ax.text(col, row, label, ha="center", va="center", fontsize=FONT_SIZE,
                    color=_ink(shades[row, col]), in_layout=False)
    step_in = 0.07 if _overlap(matrix.shape, windows) else 0.0
    if window_colours is None:
        window_colours = _window_colours([shades], [windows])
    for index, (box, colour) in enumerate(zip(windows, window_colours)):
        # overlapping windows are stepped inwards by turns, so that each stays visible
        _draw_frame(ax, box, colour, 2, cell, extra=step_in * (index % 3))
    if highlight is not None:
        if highlight_colour is None:
            highlight_colour = _frame_colour(_ring(shades, highlight), HIGHLIGHT_INDEX)
        _draw_frame(ax, highlight, highlight_colour, highlight_width, cell)
    ax.set_xticks(range(matrix.shape[1]) if matrix.shape[1] <= 16 else ax.get_xticks())
    ax.set_yticks(range(matrix.shape[0]) if matrix.shape[0] <= 16 else ax.get_yticks())
    ax.set_xlim(-0.5, canvas[1] - 0.5)
    ax.set_ylim(canvas[0] - 0.5, -0.5)
    ax.tick_params(length=0)
    if tuple(canvas) == matrix.shape:
        if title:
            ax.set_title(title)
    else:
        # the empty rest of a larger canvas is no part of the matrix: no frame around it, and
        # the column numbers and title next to the matrix, not across the empty rest
        ax.spines[:].set_visible(False)
        ax.xaxis.tick_top()
        if title:
            ax.set_title(title, loc="left", fontsize=TITLE_SIZE)
    _readable(ax)


#: Okabe-Ito colours that stand out on viridis (its yellow is left out: viridis ends in yellow).
WINDOW_COLOURS = ("#E69F00", "#56B4E9", "#CC79A7", "#D55E00", "#009E73", "#0072B2")
#: The bold window's preferred colour (vermillion), one of ``WINDOW_COLOURS``.
HIGHLIGHT_COLOUR = "#D55E00"
HIGHLIGHT_INDEX = WINDOW_COLOURS.index(HIGHLIGHT_COLOUR)
#: Width in points of the stride explorer's bold frame: three times a window frame's 2, so
#: that "framed in bold" is plain at a glance even on 1×1 windows.
BOLD_WIDTH = 6
#: Tried when no window colour stands out on the cells: Okabe-Ito yellow and white for dark
#: cells, Paul Tol's dark blue and black for light ones (two of each, so neighbours can differ).
FRAME_FALLBACKS = ("#F0E442", "#FFFFFF", "#004488", "#000000")
#: Smallest WCAG contrast between a frame and each cell under it (3 is WCAG's for graphics).
FRAME_CONTRAST = 3.0
#: Skipped cells are veiled in light grey, so that their numbers are drawn in black.
SKIPPED_FACE = (0.93, 0.93, 0.93, 1.0)
SKIPPED_ALPHA = 0.8
#: Width of a character of DejaVu Sans, in ems, generously: digits are 0.64, most letters less.
CHAR_WIDTH = 0.66


def _overlap(shape, windows):
    seen = np.zeros(shape, dtype=int)
    for top, left, h, w in windows:
        seen[top:top + h, left:left + w] += 1
    return seen.size > 0 and seen.max() > 1


def _cell_labels(matrix):
    if matrix.dtype.kind == "f":
        labels = [f"{value:g}" for value in matrix.flat]
    else:
        labels = [str(value) for value in matrix.flat]
    labels = ["pad" if label == "nan" else label for label in labels]
    return np.array(labels, dtype=object).reshape(matrix.shape)


def _cell_points(ax, shape):
    """About how many points a matrix cell spans when drawn in ``ax`` (square cells; a
    constrained layout takes a little room for the ticks and title)."""
    box = ax.get_position()
    width, height = ax.figure.get_size_inches() * 72 * (box.width, box.height)
    return 0.85 * min(width / shape[1], height / shape[0])


def _luminance(rgb):
    """WCAG relative luminance of colours (..., 3 or 4), 0 for black to 1 for white."""
    rgb = np.asarray(rgb, dtype=float)[..., :3]
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ (0.2126, 0.7152, 0.0722)


def _contrast(luminance, other):
    """WCAG contrast ratio, 1 (same) to 21 (black on white), of luminances, elementwise."""
    return (np.maximum(luminance, other) + 0.05) / (np.minimum(luminance, other) + 0.05)


def _ink(rgba):
    """Black or white, whichever contrasts more with the colour (WCAG relative luminance)."""
    luminance = _luminance(rgba)
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def _touch(box, other):
    """Whether two (top, left, h, w) windows overlap or share (part of) a side; windows that
    meet only at a corner do not touch."""
    (top, left, h, w), (top2, left2, h2, w2) = box, other
    rows_cross, cols_cross = top < top2 + h2 and top2 < top + h, left < left2 + w2 and left2 < left + w
    rows_meet, cols_meet = top <= top2 + h2 and top2 <= top + h, left <= left2 + w2 and left2 <= left + w
    return (rows_cross and cols_meet) or (cols_cross and rows_meet)


def _ring(shades, box):
    """Luminances of the cells a window's frame crosses: its edge cells. ``shades`` holds the
    cells' drawn colours, (H, W, 4)."""
    top, left, h, w = box
    rows = np.clip([top, top + h - 1], 0, shades.shape[0] - 1)
    cols = np.clip([left, left + w - 1], 0, shades.shape[1] - 1)
    ring = np.zeros(shades.shape[:2], dtype=bool)
    ring[rows[0]:rows[1] + 1, cols] = True
    ring[rows, cols[0]:cols[1] + 1] = True
    return _luminance(shades[ring])


def _window_colours(shades, windows, avoid=()):
    """One frame colour per window, for windows drawn on several panels at once: ``windows``
    holds a list per panel (window i of each is framed in colour i), ``shades`` each panel's
    cell colours. Each colour is readable on all its frames, and unlike the colours of the
    windows it touches on any panel, and unlike those in ``avoid``, where contrast allows."""
    colours = []
    for index, boxes in enumerate(zip(*windows)):
        under = np.concatenate([_ring(panel, box) for panel, box in zip(shades, boxes)])
        near = set(avoid) | {
            colours[other] for other in range(index)
            if any(_touch(box, panel[other]) for box, panel in zip(boxes, windows))}
        colours.append(_frame_colour(under, index, avoid=near))
    return colours


def _frame_colour(under, index, avoid=()):
    """The colour of a window's frame, readable on every cell its line crosses.

    The window's own colour in the cycle of ``WINDOW_COLOURS`` if it contrasts at least
    ``FRAME_CONTRAST`` with each of those cells (their luminances ``under``), else the next that
    does, then those of ``FRAME_FALLBACKS``, passing over the colours in ``avoid`` (its
    neighbours') while another one contrasts enough; if none does (a window over both very dark
    and very light cells), the one that contrasts most."""
    from matplotlib.colors import to_rgb

    start = index % len(WINDOW_COLOURS)
    candidates = WINDOW_COLOURS[start:] + WINDOW_COLOURS[:start] + FRAME_FALLBACKS
    worst = [_contrast(_luminance(to_rgb(colour)), under).min() for colour in candidates]
    passing = [colour for colour, ratio in zip(candidates, worst) if ratio >= FRAME_CONTRAST]
    unlike = [colour for colour in passing if colour not in avoid]
    return (unlike or passing or [candidates[int(np.argmax(worst))]])[0]


def _draw_skipped(ax, dropped):
    from matplotlib.patches import Rectangle

    for row, col in zip(*np.nonzero(dropped)):
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=SKIPPED_FACE,
                               alpha=SKIPPED_ALPHA, hatch="//", edgecolor="#9A9A9A", linewidth=0))


def _draw_frame(ax, box, colour, linewidth, cell, extra=0.0):
    """A window frame inside its cells: inset by more than half its line, with its halo, so that
    no part of it hides under the axes' spine. The halo is black or white, whichever sets the
    frame's colour off more (``_frame_colour`` has made the colour itself stand out)."""
    from matplotlib import patheffects
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    top, left, h, w = box
    halo = linewidth + 1.2
    inset = max(0.04, (halo / 2 + 1) / cell) + extra
    edge = _ink(np.array(to_rgba(colour)))
    ax.add_patch(Rectangle((left - 0.5 + inset, top - 0.5 + inset), w - 2 * inset, h - 2 * inset,
                           fill=False, linewidth=linewidth, edgecolor=colour,
                           path_effects=[patheffects.Stroke(linewidth=halo, foreground=edge),
                                         patheffects.Normal()]))


def window_boxes(shape, pool_size=2, stride=None):
    """The (top, left, height, width) of every 'valid' window over a 2-D shape, row-major.

    Parameters
    ----------
    shape : (int, int)
        ``(height, width)`` of the matrix.
    pool_size : int or (int, int), default 2
    stride : int or (int, int), optional
        By default the pool size.

    Returns
    -------
    list of (int, int, int, int)
        One box per window, in the order of ``get_pools``' grid read row by row.

    Raises
    ------
    ValueError, TypeError
        If ``shape`` is not a pair of positive whole numbers, a size is not one, or the pool does
        not fit.

    Examples
    --------
    >>> window_boxes((3, 5), 2)
    [(0, 0, 2, 2), (0, 2, 2, 2)]
    """
    rows, cols = _shape_windows(shape, pool_size, stride)
    return [(top, left, rows.pool, cols.pool)
            for top in rows.starts.tolist() for left in cols.starts.tolist()]


def _shape_windows(shape, pool_size, stride):
    """The checked 'valid' ``Windows`` down and across a matrix of ``shape``."""
    height, width = check_pair(shape, "shape", "(height, width)")
    pool = check_pair(pool_size, "pool_size")
    step = pool if stride is None else check_pair(stride, "stride")
    return (axis_windows(height, pool[0], step[0], axis="height"),
            axis_windows(width, pool[1], step[1], axis="width"))


def uncovered_cells(shape, pool_size=2, stride=None):
    """Boolean mask of the cells no 'valid' window touches: the dropped border, skipped pixels.

    Parameters
    ----------
    shape, pool_size, stride
        As for ``window_boxes``.

    Returns
    -------
    ndarray of bool, shape ``shape``

    Raises
    ------
    ValueError, TypeError
        As ``window_boxes``.

    Examples
    --------
    >>> uncovered_cells((1, 5), 1, 2).astype(int)
    array([[0, 1, 0, 1, 0]])
    """
    boxes = window_boxes(shape, pool_size, stride)
    covered = np.zeros(tuple(shape), dtype=bool)
    for top, left, h, w in boxes:
        covered[top:top + h, left:left + w] = True
    return ~covered


def plot_padding(matrix, pool_size=2, stride=None, paddings=("valid", "same", 1)):
    """Draw one pooling of a matrix under several paddings, side by side, each on its padded grid.

    Each panel shows the matrix inside its padding (padded cells blank, labelled "pad"), the
    windows framed (neighbours in different colours) and the input cells no window covers
    hatched. Rows and columns keep the input's numbers, from 0: padding before the input is
    row or column −1. Panels are as wide as their grids, so that every cell has one size, and
    one colour means one value in all of them.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
        Numbers small enough to be written in the cells (a few digits).
    pool_size : int or (int, int), default 2
    stride : int or (int, int), optional
        By default the pool size.
    paddings : sequence of {'valid', 'same'} or int, default ('valid', 'same', 1)
        One panel each, as for ``pool2d`` (an int is PyTorch's padding on every side).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If ``matrix`` is not a 2-D array of numbers, ``paddings`` is empty, or a padding is not
        one ``pool2d`` accepts with this pool and stride (the message says why).

    Examples
    --------
    >>> fig = plot_padding(np.arange(1, 26).reshape(5, 5))
    >>> [ax.get_title() for ax in fig.axes]  # doctest: +NORMALIZE_WHITESPACE
    ["'valid' → 2×2\\nlast row and column dropped", "'same' → 3×3\\npadded bottom, right",
     'padding=1 → 3×3\\npadded all round']
    """
    import matplotlib.pyplot as plt

    matrix = check_array(matrix, "matrix")
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be 2-D (rows, columns); got shape {matrix.shape}")
    if isinstance(paddings, (str, numbers.Number)) or not len(paddings):
        raise ValueError("paddings must be a sequence of paddings, one per panel, such as "
                         f"('valid', 'same', 1); got {paddings!r}")
    pool = check_pair(pool_size, "pool_size")
    step = pool if stride is None else check_pair(stride, "stride")
    # every panel's windows first: a padding pool2d refuses is refused before anything is drawn
    layouts = [[axis_windows(n, k, s, padding, axis=axis)
                for n, k, s, axis in zip(matrix.shape, pool, step, ("height", "width"))]
               for padding in paddings]
    grids = [tuple(n + w.pad_before + w.pad_after for n, w in zip(matrix.shape, layout))
             for layout in layouts]
    fig, axes = plt.subplots(1, len(paddings), figsize=(FIGURE_WIDTH, 4.0),
                             layout="constrained", width_ratios=[cols + 0.5 for _, cols in grids],
                             squeeze=False)
    panels = []
    for ax, padding, (rows, cols), grid in zip(axes[0], paddings, layouts, grids):
        padded = np.full(grid, np.nan)  # a padded cell: drawn blank and labelled "pad"
        padded[rows.pad_before:rows.pad_before + matrix.shape[0],
               cols.pad_before:cols.pad_before + matrix.shape[1]] = matrix
        boxes = [(top + rows.pad_before, left + cols.pad_before, rows.pool, cols.pool)
                 for top in rows.starts.tolist() for left in cols.starts.tolist()]
        covered = np.zeros(grid, dtype=bool)
        for top, left, h, w in boxes:
            covered[top:top + h, left:left + w] = True
        dropped = ~covered & np.isfinite(padded)  # input cells only: padding is not dropped
        name = repr(padding) if isinstance(padding, str) else f"padding={padding}"
        title = f"{name} → {rows.count}×{cols.count}\n{_padding_note(rows, cols, dropped)}"
        panels.append((padded, boxes, dropped if dropped.any() else None, title))
        # the final limits, ticks and title before the layout, which leaves them their room
        ax.set(xlim=(-0.5, grid[1] - 0.5), ylim=(grid[0] - 0.5, -0.5), aspect="equal",
               title=title)
        # number the cells as the input's: the first padded row before it is −1
        ax.set_xticks(range(grid[1]), labels=range(-cols.pad_before, grid[1] - cols.pad_before))
        ax.set_yticks(range(grid[0]), labels=range(-rows.pad_before, grid[0] - rows.pad_before))
        ax.tick_params(length=0)
    # lay the panels out first: a number is written only where its cell has room for it
    fig.get_layout_engine().set(w_pad=2 / 72, wspace=0.01)
    fig.get_layout_engine().execute(fig)
    scale = value_range(matrix)  # one colour means one value in every panel
    for ax, (padded, boxes, dropped, title) in zip(axes[0], panels):
        labels = [tick.get_text() for tick in ax.get_xticklabels()], \
                 [tick.get_text() for tick in ax.get_yticklabels()]
        colours = _padding_colours(_cell_shades(padded, "viridis", scale, dropped)[1], boxes)
        _draw_matrix(ax, padded, title, boxes, dropped=dropped, scale=scale,
                     window_colours=colours)
        ax.set_xticks(range(len(labels[0])), labels=labels[0])  # _draw_matrix numbered from 0
        ax.set_yticks(range(len(labels[1])), labels=labels[1])
    return fig


def _padding_colours(shades, boxes):
    """Frame colours for ``plot_padding``, where the caption promises neighbours in different
    colours: each window's colour is picked by contrast as in ``plot_matrix``, but never of the
    same hue family as a window it touches (two blues, or two blacks, look alike on a
    projector). Where no such colour reaches ``FRAME_CONTRAST`` on its cells, the one that
    contrasts most is taken: its black or white halo keeps it readable."""
    import colorsys

    from matplotlib.colors import to_rgb

    def family(colour):
        hue, light, sat = colorsys.rgb_to_hls(*to_rgb(colour))
        # black and white by lightness; a saturated colour by its hue, in 30-degree steps
        return ("grey", round(light)) if sat < 0.2 or light < 0.15 else round(hue * 12) % 12

    colours = []
    for index, box in enumerate(boxes):
        under = _ring(shades, box)
        near = {family(colours[other]) for other in range(index) if _touch(box, boxes[other])}
        start = index % len(WINDOW_COLOURS)
        candidates = [colour for colour in
                      WINDOW_COLOURS[start:] + WINDOW_COLOURS[:start] + FRAME_FALLBACKS
                      if family(colour) not in near]
        worst = [_contrast(_luminance(to_rgb(colour)), under).min() for colour in candidates]
        passing = [colour for colour, ratio in zip(candidates, worst) if ratio >= FRAME_CONTRAST]
        colours.append((passing or [candidates[int(np.argmax(worst))]])[0])
    return colours


def _padding_note(rows, cols, dropped):
    """The second line of a ``plot_padding`` title: what this padding does to the border."""
    sides = [side for side, cells in (("top", rows.pad_before), ("bottom", rows.pad_after),
                                      ("left", cols.pad_before), ("right", cols.pad_after))
             if cells]
    if len(sides) == 4:
        return "padded all round"
    if sides:
        return "padded " + ", ".join(sides)
    if not dropped.any():
        return "no cell dropped"
    parts = []
    for lost, noun in ((dropped.all(axis=1), "row"), (dropped.all(axis=0), "column")):
        count = int(lost.sum())
        # "last" only for a border; a stride larger than the pool skips rows inside too
        last = "last " if count and lost[-count:].all() else ""
        if count:
            parts.append(f"{last}{noun}" if count == 1 else f"{last}{count} {noun}s")
    if parts == ["last row", "last column"]:
        return "last row and column dropped"
    return (" and ".join(parts) if parts else f"{int(dropped.sum())} cells") + " dropped"


# ------------------------------------------------------------------------------------------------
# 2. Widgets
# ------------------------------------------------------------------------------------------------
# Each widget draws into a Matplotlib figure it owns and shows it as a PNG in an ``Image`` widget.
# Swapping the PNG redraws in place, without the flicker and page jumps of clearing an ``Output``,
# and works the same in a kernel, under nbclient and in tests. The last results are kept as
# attributes, so a test can set the sliders and read what the widget computed.
#
# An explorer is a plain object that holds its ipywidgets box (``.widget``) rather than being one:
# building the classes needs no ipywidgets, and a notebook shows the box through
# ``_repr_mimebundle_``.


class _Explorer:
    """Shows as its ``.widget`` in a notebook, with ipywidgets 8 and 7 (Colab) alike."""

    widget = None

    def _repr_mimebundle_(self, **kwargs):
        show = getattr(self.widget, "_repr_mimebundle_", None)
        if show is not None:  # ipywidgets 8
            return show(**kwargs)
        # ipywidgets 7 displays through _ipython_display_; its view is the same bundle
        return {"text/plain": repr(self.widget),
                "application/vnd.jupyter.widget-view+json": {
                    "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}}


class _FigureWidget(_Explorer):
    """Shared machinery: controls, pictures, a caption, and a redraw on every change."""

    #: The Play button and its pace slider, for the explorers that animate a slider.
    play = speed_slider = None
    _drawing = False

    def _build(self, rows, figure, static_figure=None):
        """``rows`` are the rows of controls, each narrow enough for a notebook at 1024 pixels."""
        import ipywidgets as widgets

        self.figure, self.static_figure = figure, static_figure
        share = 1 if static_figure is None else 1 / 2
        # the live figure is still empty: update(), below, draws it and fills its picture
        pictures = [_picture(figure, share, drawn=False)]
        if static_figure is not None:
            pictures.insert(0, _picture(static_figure, share))
        self.picture = pictures[-1]
        self.caption = widgets.HTML()
        self.last_update_seconds = None
        for row in rows:
            for control in row:
                # Play drives a slider, which redraws; its pace changes no picture
                if control is not self.play and control is not self.speed_slider:
                    control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox(row) for row in rows]
                                   + [widgets.HBox(pictures), self.caption])
        # A drawing sizes its frames and numbers by the cells' size on the page, which the
        # layout settles only once the figure holds its drawing: draw, lay out, then draw for
        # the picture, so that the first picture is the one the same setting gives later.
        self._drawing = True
        try:
            self._compute_and_draw()
            if figure.get_layout_engine() is not None:
                figure.get_layout_engine().execute(figure)
        except ValueError:  # a starting setting the pooling rejects: update() says why
            pass
        finally:
            self._drawing = False
        self.update()

    def _add_player(self, slider):
        """A Play button that moves ``slider`` one step per tick, and a pace slider; both are
        linked in the kernel, which works in every front end (Colab's ipywidgets 7 too)."""
        import ipywidgets as widgets

        self.play = widgets.Play(value=slider.value, min=slider.min, max=slider.max,
                                 interval=PLAY_INTERVAL, description=f"play {slider.description}",
                                 layout=widgets.Layout(width="auto"))
        if self.play.has_trait("tooltip"):  # ipywidgets 8: its buttons carry no words
            self.play.tooltip = f"play or pause: {slider.description}, one step at a time"
        # the range first: a value beyond the old range would be clipped
        for name in ("min", "max", "value"):
            widgets.link((slider, name), (self.play, name))
        self.speed_slider = widgets.IntSlider(
            value=PLAY_INTERVAL, min=300, max=2000, step=100, description="ms per step",
            continuous_update=False, style={"description_width": "initial"},
            layout=widgets.Layout(width=PACE_WIDTH))
        widgets.link((self.speed_slider, "value"), (self.play, "interval"))
        return [self.play, self.speed_slider]

    def _on_change(self, change):
        # a control set during a draw (a range that follows the stride) is read by that draw
        if not self._drawing:
            self.update()

    def update(self):
        """Recompute and redraw from the current control values."""
        started = time.perf_counter()
        self._drawing = True
        try:
            self._compute_and_draw()
        except ValueError as error:  # a combination the pooling rejects: say why, keep going
            # the previous result would look like the answer to the new setting: blank it
            self._clear_result()
            self.caption.value = f"<b>Not possible:</b> {html.escape(str(error))}"
        finally:
            self._drawing = False
        self.picture.value = figure_png(self.figure)
        self.last_update_seconds = time.perf_counter() - started

    def _clear_result(self):
        for ax in self.figure.axes:
            ax.clear()
            ax.set_axis_off()


def _picture(fig, share=1.0, drawn=True):
    """An Image widget of the figure's size, or narrower, keeping its shape, where the notebook
    is narrower (a projector's 1024 pixels): ``share`` is its part of the notebook's width. Every
    redraw has the same size, so the page never moves. Not yet ``drawn``, the picture is left
    empty, for the first redraw to fill."""
    import ipywidgets as widgets

    width = int(round(fig.get_figwidth() * fig.dpi))
    # less the 2-pixel margin ipywidgets puts on each side of a widget
    layout = widgets.Layout(width=f"{width}px", max_width=f"calc({100 * share:.4g}% - 4px)",
                            height="auto", object_fit="contain")
    return widgets.Image(value=figure_png(fig) if drawn else b"", format="png", layout=layout)


def figure_png(fig):
    """A figure as PNG bytes, for a widget's picture: the size is the figure's own, so that the
    picture never changes size; the lowest compression is the quickest.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes

    Raises
    ------
    TypeError
        If ``fig`` is not a Matplotlib figure.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> png = figure_png(Figure(figsize=(2, 1), dpi=100, layout="constrained"))
    >>> png[1:4]
    b'PNG'
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a Matplotlib Figure; got {type(fig).__name__}")
    buffer = io.BytesIO()
    engine = fig.get_layout_engine()
    if engine is None:
        fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
        return buffer.getvalue()
    # Given a layout engine, savefig walks the whole figure once only to lay it out, then again
    # to draw it; laid out here, it is walked once, with the same pixels (the stride explorer's
    # redraw took 10% less)
    engine.execute(fig)
    fig.set_layout_engine(None)  # None, not "none": "none" keeps a placeholder engine
    try:
        fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    finally:
        fig.set_layout_engine(engine)
    return buffer.getvalue()


# Widths of the controls: two sliders, or a Play button and its pace, fit side by side in the
# narrowest notebook the course is shown in, JupyterLab at 1024 pixels with its file browser open
# (590 pixels for a cell's output).
SLIDER_WIDTH = "280px"
PACE_WIDTH = "230px"
BUTTON_WIDTH = "52px"
#: Milliseconds between two steps of a Play button: slow enough for a class to follow.
PLAY_INTERVAL = 900


def _slider(description, value, low, high):
    import ipywidgets as widgets

    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False, style={"description_width": "initial"},
                             layout=widgets.Layout(width=SLIDER_WIDTH))


def _buttons(options, value, description):
    """Toggle buttons narrow enough to stay on one row."""
    import ipywidgets as widgets

    return widgets.ToggleButtons(options=list(options), value=value, description=description,
                                 style={"description_width": "initial",
                                        "button_width": BUTTON_WIDTH})


def _check_choice(value, name, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {tuple(allowed)}; got {value!r}")
    return value


def _check_flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def _check_slider(value, name, low, high, why):
    """A whole number a slider can show, from ``low`` to ``high``."""
    value = check_positive_int(value, name)
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high} ({why}); got {value}")
    return value


def _shrink(img, max_side):
    """A photo shrunk by a whole factor so that its longer side is at most ``max_side``: every
    f×f block averaged (average pooling itself), in the photo's own dtype. Returns it and f."""
    factor = -(-max(img.shape[:2]) // max_side)
    if factor == 1:
        return img, 1
    small = pool2d(img, factor, padding="same", mode="avg")
    if img.dtype.kind in "biu":
        small = np.rint(small)
    return small.astype(img.dtype), factor


class PoolExplorer(_FigureWidget):
    """Before and after a pooling of a photo, with sliders. Build it with ``pool_explorer``."""

    def __init__(self, img, pool_size=2, stride=2, mode="max", show_padding=False, max_pool=8,
                 max_side=800):
        import ipywidgets as widgets

        original = _check_photo(img, "img")
        max_side = check_positive_int(max_side, "max_side")
        pool_size = check_positive_int(pool_size, "pool_size")
        stride = check_positive_int(stride, "stride")
        mode = _check_choice(mode, "mode", MODES)
        show_padding = _check_flag(show_padding, "show_padding")
        # a photo larger than the screen is drawn at screen size anyway: pool what is seen
        self.image, self.shrink_factor = _shrink(original, max_side)
        self.original_shape = original.shape
        height, width = self.image.shape[:2]
        for n, name in ((height, "height"), (width, "width")):
            axis_windows(n, pool_size, stride, axis=name)  # the starting pool must fit
        self.scale = _photo_range(self.image)
        top = max(max_pool, pool_size, stride)  # the slider reaches the starting values
        self.pool_size_slider = _slider("pool size", pool_size, 1, top)
        self.stride_slider = _slider("stride", stride, 1, top)
        self.mode_buttons = _buttons(MODES, mode, "mode")
        # padding is taught in notebook 05: before that, a toggle would only raise questions
        self.padding_buttons = _buttons(PADDING_NAMES, "valid", "padding") if show_padding else None
        self.true_size_box = widgets.Checkbox(value=False, description="true relative size",
                                              indent=False, layout=widgets.Layout(width="auto"))
        self.pooled = None
        # Two figures: the "before" one is drawn once, so an update redraws only half the text.
        # Side by side they are WIDGET_WIDTH wide, less the widgets' margins.
        before = _new_figure(WIDGET_WIDTH / 2 - 0.1, 4.2, layout=None)
        before_axes = before.subplots()
        _photo_axes(before_axes, self.image, "before: {}×{}".format(height, width), self.scale)
        self.figure = _new_figure(WIDGET_WIDTH / 2 - 0.1, 4.2, layout=None)
        self.after_axes = self.figure.subplots()
        self.after_image = _photo_axes(self.after_axes, self.image, "", self.scale, "outputs")
        self.picture_marks = []  # at true relative size: the outline and the hatched rest
        buttons = [self.mode_buttons] + ([self.padding_buttons] if show_padding else [])
        self._build([[self.pool_size_slider, self.stride_slider], buttons, [self.true_size_box]],
                    self.figure, before)

    @property
    def kept_share(self):
        """Output values per input pixel, per channel: out_h·out_w / (H·W). With overlapping
        windows this is not a share of pixels kept: a pixel can feed several outputs."""
        return self.pooled.shape[0] * self.pooled.shape[1] / (self.image.shape[0] * self.image.shape[1])

    def _clear_result(self):
        self.pooled = None
        self.after_image.set_visible(False)
        self._remove_marks()
        self.after_axes.set_title("")
        self.after_axes.set_axis_off()

    def _remove_marks(self):
        for mark in self.picture_marks:
            mark.remove()
        self.picture_marks = []

    @property
    def padding(self):
        """The padding in use: 'valid' unless the padding control is shown and says otherwise."""
        return "valid" if self.padding_buttons is None else self.padding_buttons.value

    def _compute_and_draw(self):
        pool, step = self.pool_size_slider.value, self.stride_slider.value
        mode = self.mode_buttons.value
        height, width = self.image.shape[:2]
        self.pooled = pool2d(self.image, pool, step, self.padding, mode)
        out_h, out_w = self.pooled.shape[:2]
        self.after_image.set_data(_photo_pixels(self.pooled, self.scale))
        self.after_image.set_extent((-0.5, out_w - 0.5, out_h - 0.5, -0.5))
        self.after_image.set_visible(True)
        self.after_axes.set_axis_on()
        limits = self.image.shape[:2] if self.true_size_box.value else (out_h, out_w)
        _same_scale((self.after_axes,), limits)
        self._remove_marks()
        self.picture_marks = _mark_picture(self.after_axes, (out_h, out_w), limits)
        self.after_axes.set_title(f"{mode} pool {pool}, stride {step}: {out_h}×{out_w}")
        shrunk = "" if self.shrink_factor == 1 else (
            " The photo is {}×{}; it is shown and pooled at {}×{}, each {f}×{f} block averaged "
            "into one pixel, so that the explorer stays quick.".format(
                *self.original_shape[:2], height, width, f=self.shrink_factor))
        self.caption.value = _size_caption((height, width), (out_h, out_w),
                                           self.image.ndim == 3) + shrunk


def _size_caption(shape, out_shape, colour):
    """How many values the output has against the input's pixels, true for every setting.

    Overlapping windows use a pixel more than once, so the output does not "keep" a share of
    the pixels: it has so many values for so many pixels. The "one for every n" aside is given
    only where n is at least 2, where it reads as a ratio and not as "one for every 1.0". A
    colour photo's counts are totals over its three channels on both sides, so that like is
    compared with like, with the count per channel beside them.
    """
    (height, width), (out_h, out_w) = shape, out_shape
    values, pixels = out_h * out_w, height * width
    ratio = pixels / values
    aside = f", about one for every {ratio:.{1 if ratio < 10 else 0}f}" if ratio >= 2 else ""
    if colour:
        return (f"Input {height}×{width}×3 → output {out_h}×{out_w}×3: "
                f"{_count(3 * values, 'value')} ({values:,} per colour channel), "
                f"{values / pixels:.1%} as many as the input's {3 * pixels:,} values "
                f"({pixels:,} pixels × 3 channels){aside}.")
    return (f"Input {height}×{width} → output {out_h}×{out_w}: {_count(values, 'value')}, "
            f"{values / pixels:.1%} as many as the input's {_count(pixels, 'pixel')}{aside}.")


def _photo_axes(ax, img, title, scale, unit="pixels"):
    """A photo in fixed-size axes with few ticks: quick to redraw, and the page never jumps."""
    from matplotlib.ticker import MaxNLocator

    # fixed margins redraw quicker than a layout engine; larger text (projector_mode) needs more
    ax.figure.subplots_adjust(left=0.16 * _scale, right=0.96, bottom=0.12 * _scale,
                              top=1 - 0.08 * _scale)
    shown = _show_photo(ax, img, title, scale, unit)
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    return shown


def pool_explorer(img, pool_size=2, stride=2, mode="max", show_padding=False, max_side=800):
    """A widget to pool a photo with sliders for pool size and stride, before and after side by side.

    Both pictures are drawn on the input's value scale (0–255 for a uint8 photo), so an average
    pool does not look brighter than a max pool.

    Parameters
    ----------
    img : array_like, shape (H, W) or (H, W, 3)
    pool_size, stride : int, default 2
        Starting slider values. The sliders reach 8, or further if a starting value does.
    mode : {'max', 'avg', 'min'}, default 'max'
    show_padding : bool, default False
        Offer a 'valid'/'same' padding toggle (notebook 05 explains padding). Without it the
        padding is 'valid'.
    max_side : int, default 800
        A larger photo is first shrunk by a whole factor (each block averaged) so that its
        longer side is at most this, as the upload explorer does; the caption says so. A phone
        photo of 4032×3024 would otherwise take seconds to draw.

    Returns
    -------
    PoolExplorer
        Displays as the widget (``.widget``); ``.pooled`` is the last output (None when the
        setting cannot be pooled), ``.pool_size_slider``, ``.stride_slider``, ``.mode_buttons``
        the controls, ``.padding_buttons`` the padding toggle (None unless ``show_padding``),
        ``.caption`` the sentence under the pictures.

    Raises
    ------
    ValueError, TypeError
        If ``img`` is not a photo, a size is not a positive whole number, the starting pool does
        not fit the photo, or ``mode`` is not one of the three.

    Examples
    --------
    >>> explorer = pool_explorer(np.zeros((8, 8), dtype=np.uint8), pool_size=2, stride=2)
    >>> explorer.pooled.shape
    (4, 4)
    >>> explorer.stride_slider.value = 1
    >>> explorer.pooled.shape
    (7, 7)
    """
    return PoolExplorer(img, pool_size, stride, mode, show_padding, max_side=max_side)


class ImageUploadExplorer(_Explorer):
    """An upload button and, once a photo is chosen, a ``PoolExplorer`` of it."""

    def __init__(self, max_side=800):
        import ipywidgets as widgets

        self.max_side = check_positive_int(max_side, "max_side")
        self.upload = widgets.FileUpload(accept="image/*", multiple=False, description="image")
        self.message = widgets.HTML("Choose an image file to pool it.")
        self.explorer = None
        self.upload.observe(self._on_upload, names="value")
        self.widget = widgets.VBox([self.upload, self.message])

    def _on_upload(self, change):
        files = _uploaded_files(change["new"])
        if files:
            self.show_file(*files[0])

    def show_file(self, name, content):
        """Load ``content`` (the bytes of file ``name``) and show its explorer, or say why not."""
        from pooling_helpers import load_image

        # .explorer always belongs to the last file: None when that one could not be shown, so
        # that it never holds an earlier photo's explorer the picture no longer shows
        self.explorer = None
        try:
            img = load_image(content, max_side=self.max_side)
        except ValueError:
            self.message.value = (f"<b>{html.escape(name)}</b> is not an image this course can "
                                  "read. Try a JPEG or PNG photo.")
            self.widget.children = [self.upload, self.message]
            return
        try:
            self.explorer = PoolExplorer(img, max_side=self.max_side)
        except ValueError:  # the starting 2×2 pool does not fit a 1-pixel-high or -wide image
            self.message.value = (f"<b>{html.escape(name)}</b> is {img.shape[0]}×{img.shape[1]} "
                                  "pixels: too small for the explorer's starting 2×2 pool. Try "
                                  "an image at least 2 pixels high and wide.")
            self.widget.children = [self.upload, self.message]
            return
        self.message.value = (f"<b>{html.escape(name)}</b>: {img.shape[0]}×{img.shape[1]} pixels "
                              f"(at most {self.max_side} on the longer side).")
        self.widget.children = [self.upload, self.message, self.explorer.widget]


def _uploaded_files(value):
    """The (name, content) pairs of a ``FileUpload`` value.

    ipywidgets 8 gives a tuple of dicts with "name" and "content"; ipywidgets 7, which Colab
    still runs, gives a dict from name to a dict with "content".
    """
    if isinstance(value, dict):
        return [(name, item["content"]) for name, item in value.items()]
    return [(item["name"], item["content"]) for item in value]


def image_upload_explorer(max_side=800):
    """A widget to upload a photo and explore its pooling.

    Parameters
    ----------
    max_side : int, default 800
        Larger photos are shrunk to this longer side first, keeping their aspect.

    Returns
    -------
    ImageUploadExplorer
        ``.show_file(name, content)`` does what an upload does; ``.explorer`` is the
        ``PoolExplorer`` of the last file, or None before any file and whenever the last file
        could not be shown (not an image, or too small to pool): it never holds an earlier
        photo's explorer. ``.message`` says what was read, or why not.

    Raises
    ------
    ValueError, TypeError
        If ``max_side`` is not a positive whole number.

    Examples
    --------
    >>> uploader = image_upload_explorer(max_side=100)
    >>> uploader.show_file("notes.txt", b"just some text")
    >>> uploader.explorer is None, "not an image" in uploader.message.value
    (True, True)
    """
    return ImageUploadExplorer(max_side)


class PoolStepper(_FigureWidget):
    """Steps through the pools of a small matrix one by one. Build it with ``pool_stepper``."""

    def __init__(self, matrix, pool_size=2, stride=2):
        self.pools = get_pools(matrix, pool_size, stride)  # checks every argument
        self.matrix = np.asarray(matrix)
        self.boxes = window_boxes(self.matrix.shape, pool_size, stride)
        self.pool_slider = _slider("pool number", 0, 0, len(self.boxes) - 1)
        figure = _new_figure(8, 3.6)
        self.axes = figure.subplots(1, 2, width_ratios=[self.matrix.shape[1], 3])
        self._build([[self.pool_slider], self._add_player(self.pool_slider)], figure)

    def _compute_and_draw(self):
        index = self.pool_slider.value
        out_w = self.pools.shape[1]
        row, col = divmod(index, out_w)
        top, left, h, w = self.boxes[index]
        self.current_pool = self.pools[row, col]
        for ax in self.axes:
            ax.clear()
        scale = _matrix_range(self.matrix)
        _draw_matrix(self.axes[0], self.matrix, f"pool {index}: {_where(self.boxes[index])}",
                     highlight=self.boxes[index], scale=scale)
        # every cell holding the maximum is framed: the caption names it, the picture shows it
        self.maximum_cells = [(int(r), int(c)) for r, c in
                              np.argwhere(self.current_pool == self.current_pool.max())]
        maxima = [(r, c, 1, 1) for r, c in self.maximum_cells]
        # tied maxima are equals: one colour, readable on all since they share one value
        colour = frame_colours([(self.current_pool, maxima[:1])], value_range=scale)
        _draw_matrix(self.axes[1], self.current_pool,
                     f"pools[{row}, {col}]\n= matrix[{top}:{top + h}, {left}:{left + w}]",
                     windows=maxima, scale=scale, window_colours=colour * len(maxima))
        # the pool's cells are numbered as the matrix's, as on the left
        self.axes[1].set_xticks(range(w), [str(left + c) for c in range(w)])
        self.axes[1].set_yticks(range(h), [str(top + r) for r in range(h)])
        where = " and ".join(f"matrix[{top + r}, {left + c}]" for r, c in self.maximum_cells)
        pools = ("the only pool" if len(self.boxes) == 1
                 else f"of pools 0 to {len(self.boxes) - 1}")
        self.caption.value = (f"Pool {index} ({pools}) goes to output row {row}, column {col}; "
                              f"its maximum is {self.current_pool.max()}, framed on the right "
                              f"(at {where}).")


def pool_stepper(matrix, pool_size=2, stride=2):
    """A widget whose slider steps through the pools of a matrix, the current one highlighted.

    Its Play button moves the slider one pool per step, in the order the pools are read (row by
    row), every 900 ms by default: slow enough for a class to read the pool before the next.
    Pause stops on the current pool; the "ms per step" slider sets the pace.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
    pool_size, stride : int or (int, int), default 2

    Returns
    -------
    PoolStepper
        ``.pool_slider`` the control, ``.current_pool`` the pool shown (its rows and columns
        numbered as the matrix's), ``.maximum_cells`` the (row, column) in the pool of each cell
        holding its maximum, framed in the picture, ``.caption`` its sentence, ``.play`` the Play
        button (an ``ipywidgets.Play`` linked to the slider) and ``.speed_slider`` its interval
        in milliseconds.

    Raises
    ------
    ValueError, TypeError
        As ``get_pools``.

    Examples
    --------
    >>> stepper = pool_stepper([[1, 2, 3, 4], [5, 6, 7, 8]])
    >>> stepper.pool_slider.value = 1
    >>> stepper.current_pool
    array([[3, 4],
           [7, 8]])
    >>> stepper.play.value = 0  # what a tick of the Play button does
    >>> stepper.pool_slider.value, stepper.current_pool.tolist()
    (0, [[1, 2], [5, 6]])
    """
    return PoolStepper(matrix, pool_size, stride)


class StrideExplorer(_FigureWidget):
    """Windows drawn on a grid and the output beside it. Build it with ``stride_explorer``."""

    def __init__(self, matrix, pool_size=2, stride=2, mode="max"):
        self.matrix = _check_matrix(matrix, "matrix")
        limit = min(self.matrix.shape)
        why = f"the sliders' range: the {self.matrix.shape[0]}×{self.matrix.shape[1]} matrix's shorter side"
        pool_size = _check_slider(pool_size, "pool_size", 1, limit, why)
        stride = _check_slider(stride, "stride", 1, limit, why)
        self.mode = _check_choice(mode, "mode", MODES)
        self.pooled = None
        self.pool_size_slider = _slider("pool size", pool_size, 1, limit)
        self.stride_slider = _slider("stride", stride, 1, limit)
        # the highlighted window; its range follows the number of windows
        self.window_slider = _slider("window", 0, 0, 0)
        figure = _new_figure(WIDGET_WIDTH, 4)
        self.axes = figure.subplots(1, 2)
        self._build([[self.pool_size_slider, self.stride_slider], [self.window_slider],
                     self._add_player(self.window_slider)], figure)

    def _clear_result(self):
        self.pooled = None
        super()._clear_result()

    @staticmethod
    def framed_windows(boxes, index, out_w):
        """The windows framed thinly around bold window ``index`` of ``boxes`` (row-major,
        ``out_w`` to a row): all of them when they do not overlap; when they do, only the one
        before and the one after it in its row (in its column for a one-column output), as the
        static figures do, since two dozen overlapping frames would hide the numbers."""
        if not _overlap(np.add(boxes[-1][:2], boxes[-1][2:]), boxes):
            return boxes
        row, col = divmod(index, out_w)
        out_h = len(boxes) // out_w
        near = [(row, col - 1), (row, col + 1)] if out_w > 1 else [(row - 1, col), (row + 1, col)]
        return [boxes[r * out_w + c] for r, c in near if 0 <= r < out_h and 0 <= c < out_w]

    def _compute_and_draw(self):
        pool, step = self.pool_size_slider.value, self.stride_slider.value
        self.pooled = pool2d(self.matrix, pool, step, mode=self.mode)
        boxes = window_boxes(self.matrix.shape, pool, step)
        dropped = uncovered_cells(self.matrix.shape, pool, step)
        self.window_slider.max = len(boxes) - 1  # brings the window back in range if need be
        index = self.window_slider.value
        out_h, out_w = self.pooled.shape
        row, col = divmod(index, out_w)
        for ax in self.axes:
            ax.clear()
        scale = _matrix_range(self.matrix)
        # the bold window and its output cell in one colour, readable on both
        under = np.concatenate([
            _ring(_cell_shades(self.matrix, scale=scale, dropped=dropped)[1], boxes[index]),
            _ring(_cell_shades(self.pooled, scale=scale)[1], (row, col, 1, 1))])
        self.bold_colour = _frame_colour(under, HIGHLIGHT_INDEX)
        framed = self.framed_windows(boxes, index, out_w)
        # the bold window is told apart by its width and by a colour no thin frame has; no
        # thin frame is drawn round it
        thin = [box for box in framed if box != boxes[index]]
        shades = _cell_shades(self.matrix, scale=scale, dropped=dropped)[1]
        self.thin_colours = _window_colours([shades], [thin], avoid={self.bold_colour})
        near = {colour for box, colour in zip(thin, self.thin_colours)
                if _touch(box, boxes[index])}
        if self.bold_colour in near:  # its colour was a neighbour's only readable one
            self.bold_colour = _frame_colour(under, HIGHLIGHT_INDEX, avoid=near)
        if self.bold_colour in near:
            # none other contrasts enough: the bold frame, three times as wide and haloed in
            # black or white, takes the most contrasting colour no neighbour has
            self.bold_colour = _most_contrast(under, avoid=near)
        _draw_matrix(self.axes[0], self.matrix, f"input {self.matrix.shape[0]}×"
                     f"{self.matrix.shape[1]}: {_count(len(boxes), 'window')}",
                     windows=thin, window_colours=self.thin_colours, highlight=boxes[index],
                     dropped=dropped, scale=scale, highlight_colour=self.bold_colour,
                     highlight_width=BOLD_WIDTH)
        # at the input's cell size: a 1×1 output is one cell, not a square larger than the input
        _draw_matrix(self.axes[1], self.pooled, f"{self.mode} pooling → {out_h}×{out_w}",
                     highlight=(row, col, 1, 1), scale=scale, canvas=self.matrix.shape,
                     highlight_colour=self.bold_colour, highlight_width=BOLD_WIDTH)
        self.caption.value = _stride_caption(
            _shape_windows(self.matrix.shape, pool, step), int(dropped.sum())) + (
            f" Window {index} ({_where(boxes[index])}, framed in bold) gives output "
            f"[{row}, {col}] = {self.pooled[row, col]:g}.")
        if len(framed) < len(boxes) - 1:  # overlapping windows: say where the others went
            where = "row" if out_w > 1 else "column"
            # true for 3 windows as for 24: never "all 3 frames would hide the numbers"
            self.caption.value += (f" Thin frames mark only its neighbours in its {where}, "
                                   f"not all {len(boxes)} windows, so that overlapping frames "
                                   "do not hide the numbers.")


def _most_contrast(under, avoid):
    """Of the frame colours not in ``avoid``, the one whose lowest contrast with the cells
    under it (their luminances ``under``) is highest."""
    from matplotlib.colors import to_rgb

    candidates = [colour for colour in WINDOW_COLOURS + FRAME_FALLBACKS if colour not in avoid]
    return max(candidates, key=lambda colour: _contrast(_luminance(to_rgb(colour)), under).min())


def _count(number, noun):
    """'1 row', '2 rows', '1,024 pixels'."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def _span(first, last, noun):
    """'row 0' for one, 'rows 0–2' for several: where a window lies along one axis."""
    return f"{noun} {first}" if first == last else f"{noun}s {first}–{last}"


def _where(box):
    """'rows 0–1, columns 2–3' or 'row 0, column 0': the cells of a (top, left, h, w) window."""
    top, left, height, width = box
    return (f"{_span(top, top + height - 1, 'row')}, "
            f"{_span(left, left + width - 1, 'column')}")


def _stride_caption(windows, never_seen):
    """What the windows of a square pool do on a matrix, true for every pool, stride and shape;
    ``windows`` are its ``Windows`` down and across."""
    rows, cols = windows
    pool, step = rows.pool, rows.step
    sentences = [f"A {pool}×{pool} pool with stride {step} gives an output of "
                 f"{_count(rows.count, 'row')} and {_count(cols.count, 'column')}."]
    if rows.count == cols.count == 1:
        sentences.append("There is a single window, so the stride changes nothing here.")
    elif step < pool:
        sentences.append(f"The windows overlap (stride {step} < pool size {pool}): "
                         "some cells are looked at more than once.")
    elif step > pool:
        sentences.append(f"The windows leave gaps of {_count(step - pool, 'cell')} between them "
                         f"(stride {step} > pool size {pool}).")
    else:
        sentences.append("The windows sit side by side, with no overlap and no gap "
                         "(stride = pool size).")
    if never_seen == 0:
        sentences.append("Every cell is looked at" + (
            ": the windows tile the input exactly." if step == pool else "."))
        return " ".join(sentences)
    border = " and ".join(
        ("the last " + (noun if left == 1 else _count(left, noun)))
        for left, noun in ((rows.length - rows.end, "row"), (cols.length - cols.end, "column"))
        if left)
    unseen = f"{_count(never_seen, 'cell')} {'is' if never_seen == 1 else 'are'} never looked at"
    if rows.count == cols.count == 1:
        # a single window sits at the top left: all it leaves is a border, and no gap
        sentences.append(f"{unseen} (hatched): those outside the window, in {border}.")
        return " ".join(sentences)
    where = ["in the gaps between windows"] if step > pool else []
    where += [f"in {border}, which no window reaches"] if border else []
    sentences.append(f"{unseen} (hatched): those {' and those '.join(where)}.")
    return " ".join(sentences)


def stride_explorer(matrix, pool_size=2, stride=2, mode="max"):
    """A widget to pick pool size and stride on a matrix: the windows drawn, the output beside.

    One window is framed in bold, with the output cell it gives; the "window" slider picks it,
    and its Play button moves it across the input, one window per step (every 900 ms by default,
    the "ms per step" slider sets the pace), in the order the output is filled. Play animates the
    window's position rather than the stride because that is what a stride is: a class watches
    the window jump by the stride, overlap its last place or skip cells, and fill one output cell
    per jump. Stepping the stride instead would swap the whole picture at each tick, which is
    harder to follow; the stride slider does that at the teacher's pace.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
    pool_size, stride : int, default 2
        Starting slider values, from 1 to the matrix's shorter side (the sliders' range).
    mode : {'max', 'avg', 'min'}, default 'max'

    Returns
    -------
    StrideExplorer
        ``.pooled`` holds the last output (None when the setting cannot be pooled),
        ``.caption`` the sentence under the pictures; ``.pool_size_slider``,
        ``.stride_slider``, ``.window_slider`` the controls, ``.play`` the Play button linked to
        the window slider and ``.speed_slider`` its interval in milliseconds.
        ``.bold_colour`` is the bold frame's colour, ``.thin_colours`` those of the thin
        frames; no thin frame touching the bold one shares its colour.

    Raises
    ------
    ValueError, TypeError
        If ``matrix`` is not 2-D, a starting value is outside the sliders' range, or ``mode`` is
        not one of the three.

    Examples
    --------
    >>> explorer = stride_explorer(np.arange(16).reshape(4, 4), stride=1)
    >>> explorer.pooled.shape, explorer.play.max
    ((3, 3), 8)
    >>> explorer.play.value = 4  # a tick of the Play button: the middle window
    >>> explorer.caption.value.split(". ")[-2]
    'Window 4 (rows 1–2, columns 1–2, framed in bold) gives output [1, 1] = 10'
    """
    return StrideExplorer(matrix, pool_size, stride, mode)


#: Width of the output-size drawings, in inches: within a projected notebook (FIGURE_WIDTH).
OUTPUT_SIZE_WIDTH = FIGURE_WIDTH


class OutputSizeExplorer(_FigureWidget):
    """One axis, its padding and its windows. Build it with ``output_size_explorer``."""

    #: The sliders' ranges: six lanes of windows (pool 6, stride 1) fill the figure.
    LIMITS = {"n": 32, "pool_size": 6, "stride": 6}

    def __init__(self, n=7, pool_size=2, stride=2):
        import ipywidgets as widgets

        values = {name: _check_slider(value, name, 1, self.LIMITS[name],
                                      "the slider's range")
                  for name, value in (("n", n), ("pool_size", pool_size),
                                      ("stride", stride))}
        self.output = self.dropped = None
        self.n_slider = _slider("input size", values["n"], 1, self.LIMITS["n"])
        self.pool_size_slider = _slider("pool size", values["pool_size"], 1,
                                        self.LIMITS["pool_size"])
        self.stride_slider = _slider("stride", values["stride"], 1,
                                     self.LIMITS["stride"])
        self.padding_dropdown = widgets.Dropdown(
            options=["valid", "same", 0, 1, 2, 3], value="valid",
            description="padding", style={"description_width": "initial"},
            layout=widgets.Layout(width="160px"))
        # ceil mode is PyTorch's and needs a number of padding: greyed out
        # while the padding is 'valid' or 'same' (see _compute_and_draw)
        self.ceil_box = widgets.Checkbox(
            value=False, description="ceil mode (PyTorch)", indent=False,
            disabled=True, layout=widgets.Layout(width="auto"))
        # room for six lanes (pool 6, stride 1) at every setting: the page
        # never jumps
        figure = _new_figure(OUTPUT_SIZE_WIDTH, 3.8)
        self.axes = figure.subplots()
        self._build([[self.n_slider, self.pool_size_slider],
                     [self.stride_slider, self.padding_dropdown],
                     [self.ceil_box], self._add_player(self.n_slider)], figure)

    def _compute_and_draw(self):
        padding = self.padding_dropdown.value
        notes = []
        named = isinstance(padding, str)
        if named and self.ceil_box.value:
            # read during a draw, so unticking it does not redraw twice
            self.ceil_box.value = False
            notes.append("Ceil mode was unticked: it is PyTorch's, and "
                         "needs a number for the padding (0 to 3).")
        self.ceil_box.disabled = named
        drawn = _draw_output_size(
            self.axes, self.n_slider.value, self.pool_size_slider.value,
            self.stride_slider.value, padding, self.ceil_box.value,
            self.LIMITS["pool_size"])
        windows, self.dropped, formula, rule, fits = drawn
        self.output = windows.count
        if rule:
            notes.append(rule)
        if not fits:
            notes.append("Numbers are written only where they fit.")
        self.caption.value = (f"Output size: <b>{self.output}</b> &nbsp; "
                              f"({formula} = {self.output}). "
                              + " ".join(notes))

    def _clear_result(self):
        self.output = self.dropped = None
        super()._clear_result()


def plot_output_size(n, pool_size, stride=None, padding="valid",
                     ceil_mode=False, ax=None):
    """Draw the windows of a pooling along one axis: the static picture of
    ``output_size_explorer``, drawn by the same code.

    The input's cells are numbered from 0; padding cells (dashed, "pad") lie
    before cell 0 and after the last. Covered cells are orange, dropped ones
    grey and hatched, and each window is a blue bar above the cells, windows
    that overlap in separate lanes. The title gives the output-size formula
    with its numbers; "− 1" at its end means PyTorch's ceil mode took a last
    window off (it would start after the input's last cell), and that window is
    not drawn.

    Parameters
    ----------
    n : int
        Input cells along the axis, 1 to 32 (beyond that a cell is too thin
        to read).
    pool_size : int
        Window length, 1 to 6.
    stride : int, optional
        Step, 1 to 6; by default the pool size.
    padding : {'valid', 'same'} or int, default 'valid'
        As for ``output_size``.
    ceil_mode : bool, default False
        PyTorch's ceil mode, with an integer padding only.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError, TypeError
        On a value out of range, or a setting the pooling rejects (the
        message says why).

    Examples
    --------
    >>> fig = plot_output_size(7, 2, 2, padding=1, ceil_mode=True)
    >>> fig.axes[0].get_title()
    '⌈(7 + 2·1 − 2) / 2⌉ + 1 − 1 = 4 outputs; 0 input cells dropped'
    """
    n = _check_slider(n, "n", 1, 32, "a cell must stay wide enough to read")
    pool = _check_slider(pool_size, "pool_size", 1, 6, "one lane per window")
    step = pool if stride is None else _check_slider(stride, "stride", 1, 6,
                                                     "as the explorer's")
    _check_axes(ax)
    count = axis_windows(n, pool, step, padding, ceil_mode).count  # or raises
    # overlapping windows take turns in ceil(pool / stride) lanes; fewer
    # windows than that need only one lane each
    lanes = min(-(-pool // step), count)
    if ax is None:
        # as tall as its lanes need: no empty band above the windows
        height = 0.75 + 0.3 * (lanes + 2.4)
        fig, (ax,) = _subplots(1, OUTPUT_SIZE_WIDTH, height)
    _draw_output_size(ax, n, pool, step, padding, ceil_mode, lanes)
    return ax.figure


def _draw_output_size(ax, n, pool, step, padding, ceil_mode, lanes):
    """Cells, padding and windows of one axis, with ``lanes`` lanes of room.

    Returns the ``Windows``, the dropped input cells, the formula, a sentence
    when PyTorch takes a window off, and True when every label fitted.
    """
    windows = axis_windows(n, pool, step, padding, ceil_mode)
    before, after = windows.pad_before, windows.pad_after
    # a ceil-mode window may hang past the right padding: there it reads
    # nothing, so those places get no cell at all
    end = max(n + after, windows.end)
    covered = np.zeros(end + before, dtype=bool)
    for start in windows.starts.tolist():
        covered[start + before:start + before + pool] = True
    dropped = int(n - covered[before:before + n].sum())
    ax.clear()
    ax.set_axis_on()
    ax.set_xlim(-before - 0.6, end - 0.4)
    ax.set_ylim(-0.15, 1.1 + 0.45 * lanes)
    engine = ax.figure.get_layout_engine()
    if engine is not None:
        engine.execute(ax.figure)  # the cells' width decides which labels fit
    width = ax.get_position().width * ax.figure.get_figwidth() * 72
    cell = width / (end + before + 0.2)
    shown = _draw_axis_cells(ax, n, before, after, covered, cell)
    overlapping = -(-pool // step)  # overlapping windows: different lanes
    numbered = _draw_axis_windows(ax, windows.starts.tolist(), pool,
                                  overlapping, cell)
    ax.set_yticks([])
    ax.set_xticks([])
    legend = "orange: covered, grey hatched: dropped, dashed: padding"
    if end > n + after:
        legend += ", nothing: past the end"
    ax.set_xlabel(f"input cells from 0 ({legend})")
    formula, rule = _formula(windows, padding, ceil_mode)
    ax.set_title(f"{formula} = {_count(windows.count, 'output')}; "
                 f"{_count(dropped, 'input cell')} dropped")
    _readable(ax)
    return windows, dropped, formula, rule, shown and numbered


def _formula(windows, padding, ceil_mode):
    """The output-size formula of this setting as a learner writes it, and a sentence when
    PyTorch's rule takes a window off."""
    n, pool, step = windows.length, windows.pool, windows.step
    if padding == "valid":
        return f"⌊({n} − {pool}) / {step}⌋ + 1", ""
    if padding == "same":
        return f"⌈{n} / {step}⌉", ""
    opening, closing = ("⌈", "⌉") if ceil_mode else ("⌊", "⌋")
    formula = f"{opening}({n} + 2·{padding} − {pool}) / {step}{closing} + 1"
    if windows.trimmed:
        # with padding 0 and a pool smaller than the stride too (32, 1, 6): not a padding rule
        return formula + " − 1", ("PyTorch takes one window off: the last one would start "
                                  f"after the input's last cell, cell {n - 1}.")
    return formula, ""


def _draw_axis_cells(ax, n, before, after, covered, cell):
    """The input cells and its padding in a row; True when every label could be written."""
    from matplotlib.patches import Rectangle

    index_fits = len(str(n - 1)) * CHAR_WIDTH * FONT_SIZE <= 0.85 * cell
    pad_fits = 3 * CHAR_WIDTH * FONT_SIZE <= 0.85 * cell
    for place in range(-before, n + after):
        real = 0 <= place < n
        hit = covered[place + before]
        ax.add_patch(Rectangle((place - 0.45, 0), 0.9, 0.9,
                               facecolor=("#E69F00" if hit else "#DDDDDD") if real else "white",
                               edgecolor="black" if real else "#555555",
                               linestyle="-" if real else "--",
                               hatch="//" if real and not hit else None))
        # without room for every index, every fifth still tells where one is
        label = str(place) if real and (index_fits or place % 5 == 0) else (
            "pad" if not real and pad_fits else "")
        if label:
            ax.text(place, 0.45, label, ha="center", va="center", fontsize=FONT_SIZE,
                    color="black")
    return index_fits and (pad_fits or before + after == 0)


def _draw_axis_windows(ax, starts, pool, lanes, cell):
    """One bar per window, overlapping ones in separate lanes; True when all are numbered.
    ``pool`` is the windows' length, or a list of one length per window (adaptive pooling)."""
    from matplotlib.patches import Rectangle

    sizes = [pool] * len(starts) if isinstance(pool, numbers.Integral) else list(pool)
    rooms = [(size - 0.1) * cell - 4 for size in sizes]

    def fits(text, room):
        return len(text) * CHAR_WIDTH * FONT_SIZE <= room

    # one form of label for every bar: "window 3" on all if it fits on all, else "3" on all
    form = "window {}" if all(fits(f"window {i}", room) for i, room in enumerate(rooms)) else "{}"
    all_numbered = True
    for index, (start, size, room) in enumerate(zip(starts, sizes, rooms)):
        bottom = 1.1 + 0.45 * (index % lanes)
        ax.add_patch(Rectangle((start - 0.45, bottom), size - 0.1, 0.36, color="#0072B2"))
        label = form.format(index) if fits(form.format(index), room) else ""
        all_numbered &= bool(label)
        if label:
            ax.text(start + size / 2 - 0.5, bottom + 0.18, label, ha="center", va="center",
                    color="white", fontsize=FONT_SIZE)
    return all_numbered


def output_size_explorer(n=7, pool_size=2, stride=2):
    """A widget for one axis: input size, pool size, stride, padding and
    ceil mode; ``plot_output_size`` draws the same picture without controls.

    Its Play button grows the input one cell per step (every 900 ms by
    default, the "ms per step" slider sets the pace) up to 32, at the pool,
    stride and padding chosen. The input size is what it animates because
    the formula is about it: the class sees a window added once every
    ``stride`` cells, and cells dropped at the end in between, which is the
    floor in ⌊(n − k) / s⌋ + 1, or the ceiling when ceil mode is ticked.
    Ceil mode is PyTorch's and needs a number for the padding: its box is
    greyed out (and unticked) while the padding is 'valid' or 'same'.

    Parameters
    ----------
    n : int, default 7
        Starting input size, from 1 to 32 (the slider's range).
    pool_size, stride : int, default 2
        Starting values, from 1 to 6 (the sliders' range).

    Returns
    -------
    OutputSizeExplorer
        ``.output`` holds the last output size and ``.dropped`` the input
        cells no window covers (both None when the setting is not
        possible); ``.caption`` gives the formula; ``.play`` is the Play
        button linked to the input-size slider ``.n_slider``, and
        ``.speed_slider`` its interval in milliseconds.

    Raises
    ------
    ValueError, TypeError
        If a starting value is not a whole number in its slider's range.

    Examples
    --------
    >>> explorer = output_size_explorer(n=25, pool_size=2, stride=2)
    >>> explorer.output, explorer.dropped
    (12, 1)
    >>> explorer.play.value = 26  # a Play tick: one cell and one window more
    >>> explorer.output, explorer.dropped
    (13, 0)
    >>> explorer.ceil_box.disabled  # padding 'valid': no ceil mode
    True
    """
    return OutputSizeExplorer(n, pool_size, stride)


# --- adaptive pooling's windows ----------------------------------------------------------------
# The output size is given and the windows follow: one lane per window, window 0 nearest the
# cells, so that the staircase of starts ⌊i·n/m⌋ and the overlaps can be read off.


def plot_adaptive_windows(n, output_size, ax=None, title=None):
    """Draw the windows adaptive pooling picks along one axis of ``n`` cells.

    Parameters
    ----------
    n : int
        Number of cells along the axis, 1 to 40 (beyond that a cell is too
        thin to read).
    output_size : int
        Number of outputs ``m``, 1 to 16; each window gets a lane of its own.
    ax : matplotlib Axes, optional
    title : str, optional
        By default the sizes of the windows, and which cells are in how many
        windows.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        If ``n`` or ``output_size`` is not a whole number in its range, or
        ``ax`` is not Axes.

    Examples
    --------
    >>> fig = plot_adaptive_windows(10, 4)
    >>> fig.axes[0].get_title()
    '10 cells → 4 outputs: 4 windows of 3 cells; cells 2, 7 are in two'
    """
    n = _check_slider(n, "n", 1, 40, "a cell must stay wide enough to read")
    m = _check_slider(output_size, "output_size", 1, 16, "one lane per window")
    _check_axes(ax)
    if ax is None:
        # one lane per window and no more: no empty band above them
        fig, (ax,) = _subplots(1, OUTPUT_SIZE_WIDTH, 0.75 + 0.3 * (m + 2.4))
    _draw_adaptive_windows(ax, n, m, m, title)
    return ax.figure


def _draw_adaptive_windows(ax, n, m, lanes, title=None):
    """The cells and a bar per window in ``lanes`` lanes; True when every label was written."""
    windows = adaptive_windows(n, m)
    ax.clear()
    ax.set_axis_on()
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(-0.15, 1.1 + 0.45 * lanes)
    engine = ax.figure.get_layout_engine()
    if engine is not None:
        engine.execute(ax.figure)  # the cells' width decides which labels fit
    cell = ax.get_position().width * ax.figure.get_figwidth() * 72 / (n + 0.2)
    shown = _draw_axis_cells(ax, n, 0, 0, np.ones(n, dtype=bool), cell)
    starts = [start for start, _ in windows]
    numbered = _draw_axis_windows(ax, starts, [stop - start for start, stop in windows],
                                  lanes, cell)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("cells along the axis; above them, window 0 at the bottom")
    ax.set_title(title if title is not None else _adaptive_title(n, m, windows))
    _readable(ax)
    return shown and numbered


_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _in_windows(count, m):
    """'two', 'three' ... or 'all 12': how many windows hold a cell."""
    if count == m:
        return f"all {m}" if m > 2 else "both"
    return _NUMBER_WORDS.get(count, str(count))


def _cells_text(cells):
    """'cell 1' or 'cells 0, 2'."""
    return (f"cell{'s' * (len(cells) > 1)} "
            f"{', '.join(str(cell) for cell in cells)}")


def _adaptive_title(n, m, windows):
    """Sizes of the windows, and which cells are in how many of them."""
    sizes = [stop - start for start, stop in windows]
    shared = _shared_cells(n, windows)
    if m == 1:
        size_text = f"one window of {_count(sizes[0], 'cell')}"
    elif len(set(sizes)) == 1:
        size_text = f"{m} windows of {_count(sizes[0], 'cell')}"
    elif m <= 6:
        size_text = f"windows of {', '.join(map(str, sizes))} cells"
    else:
        size_text = f"windows of {min(sizes)} to {max(sizes)} cells"
    if m == 1:
        overlap = "every cell"
    elif not shared:
        overlap = "side by side"
    elif len(shared) <= 4:
        # one phrase per count: 'cells 0, 2 are in two, cell 1 in three'
        groups = {}
        for cell, count in shared.items():
            groups.setdefault(count, []).append(cell)
        phrases = []
        for count, cells in sorted(groups.items()):
            verb = ("are " if len(cells) > 1 else "is ") if not phrases else ""
            phrases.append(f"{_cells_text(cells)} {verb}in "
                           f"{_in_windows(count, m)}")
        overlap = ", ".join(phrases)
    else:
        overlap = f"{len(shared)} cells in more than one"
    return (f"{_count(n, 'cell')} → {_count(m, 'output')}: {size_text}; "
            f"{overlap}")


def _adaptive_notes(n, m, windows):
    """Sentences true of this setting: why windows overlap, whether they
    are equal and evenly spaced, and when that is plain ``pool2d``."""
    sizes = [stop - start for start, stop in windows]
    starts = [start for start, _ in windows]
    gaps = {b - a for a, b in zip(starts, starts[1:])}
    shared = sorted(_shared_cells(n, windows))
    if n % m == 0:
        return [f"{m} divides {n}: equal windows side by side, pool2d with "
                f"pool and stride {n // m}."]
    notes = []
    if m > n:
        notes.append("More outputs than cells: windows repeat cells, and the "
                     "output is larger than the input.")
    else:
        notes.append(f"{n} / {m} is not whole: where a boundary i·{n}/{m} "
                     "falls inside a cell, the two neighbours both take that "
                     f"cell (here {_cells_text(shared)}).")
    if len(set(sizes)) > 1:
        notes.append(f"Sizes differ: {', '.join(map(str, sizes))} cells.")
    elif 0 in gaps:
        notes.append(f"Here every window holds {_count(sizes[0], 'cell')}, "
                     "but some start at the same cell, which no stride (at "
                     "least 1) does.")
    elif len(gaps) == 1:
        step = gaps.pop()
        every = "cell" if step == 1 else f"{step} cells"
        notes.append(f"Here every window holds {_count(sizes[0], 'cell')} and "
                     f"they start every {every}: the same windows as pool2d "
                     f"with pool {sizes[0]} and stride {step}.")
    else:
        notes.append(f"Here every window holds {_count(sizes[0], 'cell')}, "
                     "but they start at "
                     f"{', '.join(map(str, starts))}: not evenly spaced, so "
                     "no single pool and stride give them.")
    return notes


def _shared_cells(n, windows):
    """{cell: number of windows} for the cells in more than one window."""
    counts = np.zeros(n, dtype=int)
    for start, stop in windows:
        counts[start:stop] += 1
    return {int(cell): int(counts[cell]) for cell in np.flatnonzero(counts > 1)}


class AdaptiveExplorer(_FigureWidget):
    """The windows of adaptive pooling along one axis. Build it with
    ``adaptive_explorer``."""

    #: The sliders' ranges; the figure has a lane for every window of the
    #: largest output size.
    LIMITS = {"n": 20, "output_size": 12}

    def __init__(self, n=10, output_size=4):
        values = {name: _check_slider(value, name, 1, self.LIMITS[name],
                                      "the slider's range")
                  for name, value in (("n", n), ("output_size", output_size))}
        self.windows = None
        self.n_slider = _slider("input size", values["n"], 1, self.LIMITS["n"])
        self.output_slider = _slider("output size", values["output_size"], 1,
                                     self.LIMITS["output_size"])
        # every lane at every setting: the page never jumps
        figure = _new_figure(OUTPUT_SIZE_WIDTH, 4.9)
        self.axes = figure.subplots()
        self._build([[self.n_slider, self.output_slider]], figure)

    def _compute_and_draw(self):
        n, m = self.n_slider.value, self.output_slider.value
        self.windows = adaptive_windows(n, m)
        fits = _draw_adaptive_windows(self.axes, n, m,
                                      self.LIMITS["output_size"])
        rule = ", ".join(f"({start}, {stop})" for start, stop in self.windows)
        notes = _adaptive_notes(n, m, self.windows)
        if not fits:
            notes.append("Numbers are written only where they fit.")
        self.caption.value = (f"Window i runs from ⌊i·{n}/{m}⌋ to "
                              f"⌈(i+1)·{n}/{m}⌉ (stop excluded): "
                              f"<b>{rule}</b>. " + " ".join(notes))

    def _clear_result(self):
        self.windows = None
        super()._clear_result()


def adaptive_explorer(n=10, output_size=4):
    """A widget for adaptive pooling along one axis: input size and output size sliders, and
    the windows drawn in lanes.

    Parameters
    ----------
    n : int, default 10
        Starting input size, from 1 to 20 (the slider's range).
    output_size : int, default 4
        Starting output size, from 1 to 12 (the slider's range).

    Returns
    -------
    AdaptiveExplorer
        ``.windows`` holds the last windows as (start, stop) pairs; ``.caption`` gives the rule.

    Raises
    ------
    ValueError, TypeError
        If a starting value is not a whole number in its slider's range.

    Examples
    --------
    >>> explorer = adaptive_explorer(n=7, output_size=3)
    >>> explorer.windows
    [(0, 3), (2, 5), (4, 7)]
    """
    return AdaptiveExplorer(n, output_size)


#: The three divisors an average with padding can use, as the dilation explorer names them:
#: every cell of the window, padding included (PyTorch's default), the real cells only
#: (``count_include_pad=False``, TensorFlow's 'same'), or 1 (``divisor_override=1``: sums).
DIVISORS = ("all cells", "real cells", "1 (sum)")


def _divisor_arguments(divisor):
    """``pool2d``'s keywords for one of ``DIVISORS``."""
    return {"all cells": {"count_padding": True}, "real cells": {"count_padding": False},
            "1 (sum)": {"divisor": 1}}[divisor]


def _draw_dilation(axes, matrix, pool, step, gap, pad, divisor, window, canvas=None):
    """Draw one window of a dilated, padded average pooling on the padded grid (left) and the
    output (right); return (output, window index used, caption sentences)."""
    rows, cols = (axis_windows(n, pool, step, pad, dilation=gap, axis=axis)
                  for n, axis in zip(matrix.shape, ("height", "width")))
    out = pool2d(matrix, pool, step, pad, "avg", dilation=gap, **_divisor_arguments(divisor))
    grid = (matrix.shape[0] + 2 * pad, matrix.shape[1] + 2 * pad)
    canvas = grid if canvas is None else canvas
    padded = np.full(grid, np.nan)  # a padded cell: drawn blank and labelled "pad"
    padded[pad:pad + matrix.shape[0], pad:pad + matrix.shape[1]] = matrix
    window = min(window, out.size - 1)
    row, col = divmod(window, out.shape[1])
    top, left = int(rows.starts[row]), int(cols.starts[col])
    taps_r = [top + gap * i for i in range(pool)]
    taps_c = [left + gap * j for j in range(pool)]
    boxes = [(r + pad, c + pad, 1, 1) for r in taps_r for c in taps_c]
    values = [padded[r + pad, c + pad] for r in taps_r for c in taps_c]
    real = [v for v in values if np.isfinite(v)]
    # one scale for both panels that holds the outputs too: sums run past the input's largest
    # cell (37, 39 and 43 would all be the input's 18-yellow) and padding pulls averages below
    scale = _matrix_range(np.concatenate([matrix.ravel(), out.ravel()]).astype(float))
    shown = np.round(out, 2)  # as the prose writes it (2.75); the caption gives the division
    under = np.concatenate([_ring(_cell_shades(padded, scale=scale)[1], box) for box in boxes]
                           + [_ring(_cell_shades(shown, scale=scale)[1], (row, col, 1, 1))])
    colour = _frame_colour(under, HIGHLIGHT_INDEX)
    named = {"all cells": "average over all cells", "real cells": "average over real cells",
             "1 (sum)": "sum (divisor 1)"}[divisor]

    def draw():
        for ax in axes:
            ax.clear()
        _draw_matrix(axes[0], padded, f"padding {pad}, dilation {gap}: window {window}",
                     windows=boxes, window_colours=[colour] * len(boxes), scale=scale)
        # number the cells as the input's: a padded row before it is −1
        axes[0].set_xticks(range(grid[1]), labels=range(-pad, grid[1] - pad))
        axes[0].set_yticks(range(grid[0]), labels=range(-pad, grid[0] - pad))
        # at its own size: its cells are larger than the padded grid's, room for two decimals
        _draw_matrix(axes[1], shown, f"{named} → {out.shape[0]}×{out.shape[1]}",
                     highlight=(row, col, 1, 1), scale=scale, highlight_colour=colour)

    # drawn, laid out, drawn again: a number is written only where its laid-out cell has room
    draw()
    axes[0].figure.get_layout_engine().execute(axes[0].figure)
    draw()
    span = rows.span
    count = pool * pool
    by, rule = {"all cells": (count, "every cell, padding included"),
                "real cells": (len(real), "the real cells only"),
                "1 (sum)": (1, "a fixed divisor: the sum itself")}[divisor]
    total = sum(real)
    if pool == 1:  # one cell: no gaps to spread, whatever the dilation
        spread = "Each window takes 1 cell, so dilation has nothing to spread, spanning 1 row "
        spread += "and column; "
    else:
        spread = (f"Each window takes {pool}×{pool} cells {gap} apart, spanning "
                  f"{gap} × ({pool} − 1) + 1 = {span} rows and columns; ")
    sentences = [
        spread + f"⌊({matrix.shape[0]} + 2·{pad} − {span}) / {step}⌋ + 1 = "
        f"{_count(rows.count, 'output')} down, {cols.count} across.",
        f"Window {window} takes {'row' if pool == 1 else 'rows'} {', '.join(map(str, taps_r))} "
        f"and {'column' if pool == 1 else 'columns'} "
        f"{', '.join(map(str, taps_c))}: {_count(len(real), 'real cell')} and "
        f"{_count(count - len(real), 'padded cell')}, summing to {total:g}; divided by "
        f"{by} ({rule}), output [{row}, {col}] = {out[row, col]:.4g}."]
    return out, window, sentences


def plot_dilation(matrix, pool_size=2, stride=1, dilation=2, padding=0, divisor="all cells",
                  window=0):
    """Draw one window of a dilated, padded average pooling and the output it gives: the static
    picture of ``dilation_explorer``, drawn by the same code.

    Left, the matrix inside its padding (padded cells blank, "pad"; rows and columns keep the
    input's numbers, so padding before it is −1) with the chosen window's cells framed: ``k``
    by ``k`` cells, ``dilation`` apart. Right, the average-pooled output, the window's cell
    framed in the same colour, rounded to two decimals.

    PyTorch's ``avg_pool2d`` has no dilation. TensorFlow's ``tf.nn.pool`` takes a dilation with
    an explicit padding (stride 1 only), fills the padding with zeros and counts them: the
    'all cells' divisor. The 'real cells' and fixed divisors with dilation are in neither;
    ``pool2d`` computes all three from the windows.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
        Numbers small enough to be written in the cells.
    pool_size, stride, dilation : int
        As for ``pool2d``.
    padding : int, default 0
        PyTorch's padding on every side, at most half the pool.
    divisor : {'all cells', 'real cells', '1 (sum)'}, default 'all cells'
        What each window's sum is divided by: ``pool2d``'s ``count_padding=True``,
        ``count_padding=False`` or ``divisor=1``.
    window : int, default 0
        Which window to frame, in row-major order (the last one if there are fewer).

    Returns
    -------
    matplotlib.figure.Figure
        Its ``.caption`` attribute holds the sentences ``dilation_explorer`` shows: the output
        size and the chosen window's sum and divisor.

    Raises
    ------
    TypeError, ValueError
        If ``matrix`` is not 2-D, ``divisor`` is not one of the three, or ``pool2d`` refuses
        the setting (the message says why).

    Examples
    --------
    >>> m = [[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]]
    >>> fig = plot_dilation(m, 2, 1, dilation=2, padding=1, divisor="real cells")
    >>> fig.caption[1]
    'Window 0 takes rows -1, 1 and columns -1, 1: 1 real cell and 3 padded cells, summing to 11; divided by 1 (the real cells only), output [0, 0] = 11.'
    """
    import matplotlib.pyplot as plt

    matrix = _check_matrix(matrix, "matrix")
    _check_choice(divisor, "divisor", DIVISORS)
    window = _check_whole(window, "window", 0, None)
    pad = _check_whole(padding, "padding", 0, None)
    fig, axes = plt.subplots(1, 2, figsize=(FIGURE_WIDTH, DILATION_HEIGHT), layout="constrained")
    fig.caption = _draw_dilation(axes, matrix, pool_size, stride, dilation, pad, divisor,
                                 window)[2]
    return fig


def _check_whole(value, name, low, high):
    """A whole number from ``low`` to ``high`` (no upper limit when ``high`` is None)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number; got {value!r}")
    if value < low or (high is not None and value > high):
        allowed = f"{low} or more" if high is None else f"from {low} to {high}"
        raise ValueError(f"{name} must be {allowed}; got {value}")
    return int(value)


#: Height in inches of the dilation pictures: with three rows of controls and the caption, the
#: widget stays under 620 pixels, a projected JupyterLab's height; the padded cells' "pad" fits.
DILATION_HEIGHT = 3.8


def _largest_dilation(shape, pool, padding):
    """The dilation slider's largest value: the largest whose span d (k - 1) + 1 still fits
    the padded shorter side, at most that side (1 for a pool of 1: one cell has no gaps)."""
    side = min(shape)
    if pool == 1:
        return 1
    return max(1, min(side, (side + 2 * padding - 1) // (pool - 1)))


class DilationExplorer(_FigureWidget):
    """Dilation, padding and the divisor of an average. Build it with ``dilation_explorer``."""

    def __init__(self, matrix, pool_size=2, stride=1, dilation=2, padding=0,
                 divisor="all cells"):
        self.matrix = _check_matrix(matrix, "matrix")
        limit = min(self.matrix.shape)
        why = "the sliders' range: the matrix's shorter side"
        values = {name: _check_slider(value, name, 1, limit, why) for name, value in
                  (("pool_size", pool_size), ("stride", stride), ("dilation", dilation))}
        padding = _check_whole(padding, "padding", 0, min(2, values["pool_size"] // 2))
        _check_choice(divisor, "divisor", DIVISORS)
        self.output = None
        self.pool_size_slider = _slider("pool size", values["pool_size"], 1, limit)
        self.stride_slider = _slider("stride", values["stride"], 1, limit)
        self.dilation_slider = _slider("dilation", values["dilation"], 1, limit)
        self.padding_slider = _slider("padding", padding, 0, 2)
        self.divisor_buttons = _buttons(DIVISORS, divisor, "divide by")
        self.divisor_buttons.style.button_width = "80px"
        self.window_slider = _slider("window", 0, 0, 0)
        # beside the three buttons in one row, at 590 pixels (the file browser open)
        self.window_slider.layout.width = "250px"
        self.canvas = (self.matrix.shape[0] + 4, self.matrix.shape[1] + 4)
        figure = _new_figure(WIDGET_WIDTH, DILATION_HEIGHT)
        self.axes = figure.subplots(1, 2)
        self._build([[self.pool_size_slider, self.stride_slider],
                     [self.dilation_slider, self.padding_slider],
                     [self.divisor_buttons, self.window_slider]], figure)

    def _compute_and_draw(self):
        # the ranges follow the pool, so that the sliders rarely reach a refused setting
        self.padding_slider.max = self.pool_size_slider.value // 2  # PyTorch's limit
        self.dilation_slider.max = _largest_dilation(
            self.matrix.shape, self.pool_size_slider.value, self.padding_slider.value)
        self.output, window, sentences = _draw_dilation(
            self.axes, self.matrix, self.pool_size_slider.value, self.stride_slider.value,
            self.dilation_slider.value, self.padding_slider.value, self.divisor_buttons.value,
            self.window_slider.value, self.canvas)
        self.window_slider.max = self.output.size - 1
        self.caption.value = " ".join(html.escape(s) for s in sentences)

    def _clear_result(self):
        self.output = None
        super()._clear_result()


def dilation_explorer(matrix, pool_size=2, stride=1, dilation=2, padding=0,
                      divisor="all cells"):
    """A widget for dilated, padded average pooling on a matrix: pool size, stride, dilation
    and padding sliders, the divisor's three choices, and one window framed with its output.

    Parameters
    ----------
    matrix : array_like, shape (H, W)
    pool_size, stride, dilation : int
        Starting values, from 1 to the matrix's shorter side (the sliders' range).
    padding : int, default 0
        Starting padding, 0 to 2 and at most half the pool (PyTorch's limit): the padding
        slider stops there, and the dilation slider where the window's span still fits the
        padded side, so that few settings are refused (a refused one is said in the caption).
    divisor : {'all cells', 'real cells', '1 (sum)'}, default 'all cells'

    Returns
    -------
    DilationExplorer
        ``.output`` holds the last output (None when the setting cannot be pooled),
        ``.caption`` the sentences under the pictures; the controls are
        ``.pool_size_slider``, ``.stride_slider``, ``.dilation_slider``, ``.padding_slider``,
        ``.divisor_buttons`` and ``.window_slider``.

    Raises
    ------
    ValueError, TypeError
        If ``matrix`` is not 2-D, a starting value is outside its range, or ``divisor`` is not
        one of the three.

    Examples
    --------
    >>> m = [[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]]
    >>> explorer = dilation_explorer(m, 2, 1, dilation=2)
    >>> explorer.output.tolist()
    [[10.75, 9.75], [3.5, 9.25]]
    >>> explorer.divisor_buttons.value = "1 (sum)"
    >>> explorer.output.tolist()
    [[43.0, 39.0], [14.0, 37.0]]
    """
    return DilationExplorer(matrix, pool_size, stride, dilation, padding, divisor)


# ------------------------------------------------------------------------------------------------
# 3. Reading code
# ------------------------------------------------------------------------------------------------
# A notebook that shows learners a function wants its signature and loop, not thirty lines of
# numpydoc they have not been taught to read: show_source keeps the docstring's first line and
# says where the rest is.

#: How the notebooks import the course's modules, to name a function as a learner would type it.
_MODULE_ALIASES = {"pooling_helpers": "ph", "pooling_display": "ph", "pooling_network": "pn"}
#: Longest line show_source writes itself, so the text fits a projected notebook cell.
SOURCE_WIDTH = 79


class Source(str):
    """Source code as text that a notebook shows as it is: monospace, no quotes, no ``\\n``."""

    def __repr__(self):
        return str(self)

    def _repr_pretty_(self, printer, cycle):
        # IPython would otherwise print a str subclass as a quoted one-line literal.
        printer.text(str(self))


def show_source(function):
    """The source of a function with its docstring cut to its first line, to read in a notebook.

    The signature and the body are shown as written; the docstring keeps only its summary line,
    and a last comment line says how to read the full docstring (``help(ph.max_pooling)``).

    Parameters
    ----------
    function : function, method or class
        Anything ``inspect.getsource`` can read, for example ``ph.max_pooling`` or
        ``pn.Network.forward``.

    Returns
    -------
    Source
        A ``str`` whose notebook display is the code itself, in monospace; ``print`` it or leave
        it as a cell's last line. The lines it adds are at most 79 characters long.

    Raises
    ------
    TypeError
        If ``function`` is not something with Python source (a number, a built-in).

    Examples
    --------
    >>> import pooling_helpers as ph
    >>> print(show_source(ph.max_pooling).splitlines()[-1])
    # full docstring: help(ph.max_pooling)
    """
    import ast
    import inspect
    import textwrap

    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (TypeError, OSError) as error:
        raise TypeError(f"function must be a function, method or class written in Python; got "
                        f"{type(function).__name__} ({error})") from None
    lines = source.splitlines()
    node = ast.parse(source).body[0]
    body = getattr(node, "body", [])
    docstring = ast.get_docstring(node) if body else None
    if docstring:
        first = body[0]
        indent = lines[first.lineno - 1][:first.col_offset]
        # The summary is the first paragraph, which may run over two lines.
        summary = " ".join(docstring.strip().split("\n\n")[0].split()).replace('"""', "'''")
        room = SOURCE_WIDTH - len(indent) - 6
        summary = textwrap.shorten(summary, max(room, 20), placeholder=" ...")
        lines[first.lineno - 1:first.end_lineno] = [f'{indent}"""{summary}"""']
    module = getattr(function, "__module__", None) or ""
    alias = _MODULE_ALIASES.get(module, module)
    name = getattr(function, "__qualname__", getattr(function, "__name__", "?"))
    lines.append(f"# full docstring: help({alias + '.' if alias else ''}{name})")
    return Source("\n".join(lines))


# ------------------------------------------------------------------------------------------------
# 4. Checking what is drawn
# ------------------------------------------------------------------------------------------------


def _check_photo(img, name):
    """A grey (H, W) or colour (H, W, 3) photo, as an array."""
    img = check_array(img, name)
    if not (img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 3)):
        raise ValueError(f"{name} must be a photo: (H, W) grey or (H, W, 3) colour; got shape "
                         f"{img.shape}. For a batch pick one image (x[0]); for one channel, "
                         "x[..., 0]")
    return img


def _check_matrix(matrix, name):
    matrix = check_array(matrix, name)
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows, columns); got shape {matrix.shape}")
    return matrix


def _check_axes(ax):
    if ax is not None and not hasattr(ax, "imshow"):
        raise TypeError(f"ax must be Matplotlib Axes (from plt.subplots) or None; "
                        f"got {type(ax).__name__}")


def _check_value_range(value_range):
    """A (low, high) pair of finite real numbers with low < high."""
    allowed = "a pair (low, high) of real numbers with low < high, or None"
    if isinstance(value_range, (str, bytes)) or not hasattr(value_range, "__len__"):
        raise TypeError(f"value_range must be {allowed}; got {value_range!r}")
    if len(value_range) != 2:
        raise ValueError(f"value_range must be {allowed}; got {value_range!r} with "
                         f"{len(value_range)} values")
    for value in value_range:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"value_range must be {allowed}; got {value_range!r}")
    low, high = (float(value) for value in value_range)
    if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
        raise ValueError(f"value_range must be {allowed} (both finite); got {value_range!r}")
    return low, high
