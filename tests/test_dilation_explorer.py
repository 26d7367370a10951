"""Notebook 09's dilation explorer and its static figure: what the controls change, what they
refuse, and that the picture keeps its size."""

import struct

import numpy as np
import pytest

import pooling_helpers as ph

MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])


def png_size(data):
    return struct.unpack(">II", data[16:24])


def test_the_sliders_change_the_windows_and_the_output():
    explorer = ph.dilation_explorer(MATRIX, pool_size=2, stride=1, dilation=2, padding=1)
    sizes = []
    for dilation in (1, 2, 3):
        explorer.dilation_slider.value = dilation
        sizes.append(explorer.output.shape)
        expected = ph.pool2d(MATRIX, 2, 1, 1, "avg", dilation=dilation)
        assert np.allclose(explorer.output, expected)
        assert explorer.window_slider.max == expected.size - 1
        assert f"= {ph.output_size(4, 2, 1, 1, dilation=dilation)} outputs down" in \
            explorer.caption.value
    assert sizes == [(5, 5), (4, 4), (3, 3)]


def test_the_three_divisors_of_the_corner_window():
    explorer = ph.dilation_explorer(MATRIX, pool_size=3, stride=2, dilation=1, padding=1)
    corner = {}
    for divisor in ("all cells", "real cells", "1 (sum)"):
        explorer.divisor_buttons.value = divisor
        corner[divisor] = explorer.output[0, 0]
    assert np.allclose(list(corner.values()), [37 / 9, 37 / 4, 37])
    assert "summing to 37; divided by 1" in explorer.caption.value
    # the sums (37 to 71 here) get colours of their own, not all the input's 18-yellow, on the
    # scale the input panel shares
    shown = [ax.images[0] for ax in explorer.axes]
    assert shown[0].norm.vmax == shown[1].norm.vmax == 71
    colours = shown[1].cmap(shown[1].norm(explorer.output.ravel()))
    assert len({tuple(c) for c in colours}) == 4


def test_the_ranges_follow_the_pool_so_that_no_setting_is_refused():
    explorer = ph.dilation_explorer(MATRIX, pool_size=2, stride=1, dilation=2, padding=1)
    before = png_size(explorer.picture.value)
    assert explorer.padding_slider.max == 1  # half the pool: PyTorch's limit
    assert explorer.dilation_slider.max == 4  # span 5 fits the padded side of 6; the side is 4
    explorer.pool_size_slider.value = 4
    assert (explorer.padding_slider.max, explorer.dilation_slider.max) == (2, 1)
    explorer.pool_size_slider.value = 3
    assert (explorer.padding_slider.max, explorer.dilation_slider.max) == (1, 2)
    explorer.divisor_buttons.value = "real cells"  # the one divisor that could refuse (0 / 0)
    refused = 0
    for pool in range(1, 5):
        explorer.pool_size_slider.value = pool
        for padding in range(explorer.padding_slider.max + 1):
            explorer.padding_slider.value = padding
            for dilation in range(1, explorer.dilation_slider.max + 1):
                explorer.dilation_slider.value = dilation
                refused += explorer.output is None
                if explorer.output.shape == (1, 1):  # no "1 outputs down"
                    assert "= 1 output down, 1 across" in explorer.caption.value
        if pool == 1:  # one cell has no gaps: the dilation slider does not move
            assert explorer.dilation_slider.max == 1
            assert "takes 1 cell, so dilation has nothing to spread, spanning 1 row and " \
                   "column" in explorer.caption.value
            assert "takes row 0 and column 0" in explorer.caption.value
    assert refused == 0
    assert png_size(explorer.picture.value) == before  # the page never jumps


def test_the_widget_fits_a_projected_notebook():
    # controls in three rows (about 38 px each), the picture, a caption of about three lines:
    # under the 620 px of a notebook at 1024×768
    explorer = ph.dilation_explorer(MATRIX, pool_size=2, stride=1, dilation=2, padding=1)
    rows = explorer.widget.children[:-2]
    width, height = png_size(explorer.picture.value)
    assert len(rows) == 3 and width <= 844
    assert 3 * 38 + height + 3 * 20 <= 620


def test_the_window_slider_frames_the_chosen_window():
    explorer = ph.dilation_explorer(MATRIX, pool_size=2, stride=1, dilation=2, padding=0)
    explorer.window_slider.value = 3  # the last of four: rows 1, 3 and columns 1, 3
    assert "Window 3 takes rows 1, 3 and columns 1, 3" in explorer.caption.value
    assert f"output [1, 1] = {(11 + 9 + 15 + 2) / 4:.4g}" in explorer.caption.value


def test_the_static_figure_is_the_widgets_drawing_and_fits_a_projector():
    fig = ph.plot_dilation(MATRIX, 2, 1, dilation=2, padding=1)
    explorer = ph.dilation_explorer(MATRIX, 2, 1, dilation=2, padding=1)
    assert " ".join(fig.caption) == explorer.caption.value
    width, height = fig.get_size_inches() * fig.dpi
    assert width <= 844 and height <= 620
    assert png_size(explorer.picture.value)[0] <= 844


@pytest.mark.parametrize("arguments, words", [
    ({"divisor": "all"}, ["divisor must be one of", "'real cells'"]),
    ({"window": -1}, ["window must be 0 or more"]),
    ({"padding": 1.5}, ["padding must be a whole number"]),
    ({"dilation": 0}, ["dilation"]),
])
def test_plot_dilation_names_a_bad_argument(arguments, words):
    with pytest.raises((ValueError, TypeError)) as error:
        ph.plot_dilation(MATRIX, **arguments)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("arguments, words", [
    ({"padding": 3}, ["padding must be from 0 to 1"]),
    ({"pool_size": 4, "padding": 3}, ["padding must be from 0 to 2"]),
    ({"divisor": "sum"}, ["divisor must be one of"]),
    ({"dilation": 5}, ["dilation must be from 1 to 4"]),
])
def test_dilation_explorer_names_a_bad_starting_value(arguments, words):
    with pytest.raises((ValueError, TypeError)) as error:
        ph.dilation_explorer(MATRIX, **arguments)
    for word in words:
        assert word in str(error.value)
