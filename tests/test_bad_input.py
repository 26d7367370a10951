"""Every wrong argument gets a ValueError or TypeError naming the parameter and what is allowed."""

import numpy as np
import pytest

import pooling_helpers as ph

IMG = np.arange(36.0).reshape(6, 6)


@pytest.mark.parametrize("name", ["pool_size", "stride"])
@pytest.mark.parametrize("value, error", [
    (0, ValueError), (-2, ValueError), (1.5, TypeError), (2.0, TypeError), (True, TypeError),
    ("2", TypeError), ((2, 2, 2), ValueError), ((2,), ValueError), ((2, 0), ValueError),
    (None, TypeError),
])
def test_bad_pool_size_and_stride(name, value, error):
    if name == "stride" and value is None:  # None is the default stride: the pool size
        np.testing.assert_array_equal(ph.pool2d(IMG, stride=None), ph.pool2d(IMG, 2, 2))
        return
    with pytest.raises(error, match=name) as info:
        ph.pool2d(IMG, **{name: value})
    assert repr(value) in str(info.value) or str(value) in str(info.value) or "values" in str(info.value)
    with pytest.raises(error, match=name):
        ph.get_pools(IMG, **{name: value})


@pytest.mark.parametrize("padding, error, words", [
    ("full", ValueError, "'valid', 'same'"), ("SAME", ValueError, "'valid', 'same'"),
    (-1, ValueError, "negative"), (2, ValueError, "more than half"), ((1, 2), ValueError, "half"),
    (1.0, TypeError, "whole number"), (True, TypeError, "whole number"), ((1, 1, 1), ValueError, "pair"),
    (None, TypeError, "whole number"),
])
def test_bad_padding(padding, error, words):
    with pytest.raises(error, match="padding") as info:
        ph.pool2d(IMG, pool_size=(2, 3), padding=padding)
    assert words in str(info.value)


def test_bad_mode_and_ceil_mode():
    with pytest.raises(ValueError, match=r"mode must be one of \('max', 'avg', 'min'\); got 'mean'"):
        ph.pool2d(IMG, mode="mean")
    with pytest.raises(ValueError, match="ceil_mode.*integer padding"):
        ph.pool2d(IMG, ceil_mode=True)
    with pytest.raises(TypeError, match="ceil_mode"):
        ph.pool2d(IMG, padding=0, ceil_mode="yes")


@pytest.mark.parametrize("x, error, words", [
    (np.zeros(5), ValueError, "2 (H, W), 3 (H, W, C) or 4 (N, H, W, C)"),
    (np.zeros((1, 2, 2, 2, 1)), ValueError, "got 5"),
    (np.zeros((0, 4)), ValueError, "empty"),
    (np.array([["a", "b"], ["c", "d"]]), TypeError, "real numbers"),
    (np.array([[1, None], [2, 3]], dtype=object), TypeError, "dtype object"),
    (np.ones((2, 2), dtype=complex), TypeError, "complex"),
    ([[1, 2], [3]], ValueError, "rectangular"),
])
def test_bad_arrays(x, error, words):
    with pytest.raises(error, match="x") as info:
        ph.pool2d(x, 1)
    assert words in str(info.value)


def test_pool_that_does_not_fit():
    with pytest.raises(ValueError, match="pool_size 7 does not fit the input height 6"):
        ph.pool2d(IMG, 7)
    with pytest.raises(ValueError, match="does not fit"):
        ph.get_pools(np.zeros((3, 8)), 4)
    assert ph.pool2d(IMG, 7, padding="same").shape == (1, 1)


def test_teaching_functions_reject_what_they_cannot_do():
    with pytest.raises(ValueError, match="pool2d"):
        ph.get_pools(np.zeros((6, 6, 3)))
    with pytest.raises(ValueError, match="pools must have 4 dimensions"):
        ph.max_pooling(np.zeros((4, 2, 2)))
    with pytest.raises(TypeError, match="pools"):
        ph.avg_pooling(np.array([["a"]]))


def test_backward_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"grad_out must have the shape of the pooled output, \(3, 3\); got \(2, 2\)"):
        ph.pool2d_backward(np.ones((2, 2)), IMG)
    with pytest.raises(TypeError, match="grad_out"):
        ph.pool2d_backward(np.array([["a"] * 3] * 3), IMG)


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(n=0, pool_size=2), ValueError, "n"), (dict(n=5.0, pool_size=2), TypeError, "n"),
    (dict(n=5, pool_size=0), ValueError, "pool_size"), (dict(n=5, pool_size=2, stride=-1), ValueError, "stride"),
    (dict(n=5, pool_size=2, padding="half"), ValueError, "padding"),
    (dict(n=5, pool_size=2, padding=(1, 1, 1)), ValueError, "padding"),
    (dict(n=5, pool_size=2, padding=(2, 0)), ValueError, "less than the pool size 2"),
    (dict(n=5, pool_size=2, padding=(1, 0), ceil_mode=True), ValueError, "integer padding"),
    (dict(n=1, pool_size=2), ValueError, "pool_size"),
    (dict(n=9, pool_size=2, padding=2), ValueError, "more than half"),
])
def test_bad_output_size_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        ph.output_size(**kwargs)


# Issue 10, section 2: every public function, each case named there.

CAT = np.zeros((6, 6), dtype=np.uint8)


def test_explorers_refuse_a_mode_they_do_not_offer():
    with pytest.raises(ValueError, match=r"mode must be one of \('max', 'avg', 'min'\); got 'mean'"):
        ph.pool_explorer(CAT, mode="mean")
    with pytest.raises(ValueError, match=r"mode must be one of \('max', 'avg', 'min'\); got 'mean'"):
        ph.stride_explorer(IMG, mode="mean")


def test_pool_explorer_reaches_a_large_starting_pool_and_refuses_one_that_does_not_fit():
    photo = np.zeros((40, 50), dtype=np.uint8)
    explorer = ph.pool_explorer(photo, pool_size=20, stride=20)
    assert explorer.pool_size_slider.value == 20 and explorer.pooled.shape == (2, 2)
    with pytest.raises(ValueError, match="pool_size 7 does not fit the input height 6; use a pool of at most 6"):
        ph.pool_explorer(CAT, pool_size=7)
    with pytest.raises(TypeError, match=r"stride must be a positive whole number; got 1.5"):
        ph.pool_explorer(CAT, stride=1.5)
    with pytest.raises(TypeError, match="show_padding must be True or False"):
        ph.pool_explorer(CAT, show_padding="yes")


def test_stride_explorer_refuses_what_its_sliders_cannot_show_and_pooled_is_always_there():
    with pytest.raises(ValueError, match=r"pool_size must be from 1 to 3 \(the sliders' range"):
        ph.stride_explorer(np.zeros((3, 3)), pool_size=5)
    with pytest.raises(ValueError, match="matrix must be 2-D"):
        ph.stride_explorer(np.zeros((3, 3, 3)))
    explorer = ph.stride_explorer(np.zeros((3, 3)))
    assert explorer.pooled.shape == (1, 1)


@pytest.mark.parametrize("function", ["window_boxes", "uncovered_cells"])
def test_window_boxes_and_uncovered_cells_check_shape_and_fit(function):
    with pytest.raises(ValueError, match=r"shape must be a positive whole number or a pair \(height, width\) of them; got \(6,\) with 1 values"):
        getattr(ph, function)((6,), 2)
    with pytest.raises(ValueError, match="pool_size 5 does not fit the input height 2; use a pool of at most 2"):
        getattr(ph, function)((2, 2), 5)
    with pytest.raises(TypeError, match="stride"):
        getattr(ph, function)((4, 4), 2, 1.0)


def test_plot_functions_name_what_they_were_given():
    with pytest.raises(ValueError, match=r"matrix must be 2-D \(rows, columns\); got shape \(5,\)"):
        ph.plot_matrix(np.zeros(5))
    with pytest.raises(ValueError, match=r"dropped must be a mask of the matrix's shape \(2, 2\)"):
        ph.plot_matrix(np.zeros((2, 2)), dropped=np.zeros((3, 3), dtype=bool))
    with pytest.raises(TypeError, match=r"img must be an array of numbers; got str 'cat.png'. For an image file, read it first: load_image\('cat.png'\)"):
        ph.plot_image("cat.png")
    with pytest.raises(ValueError, match=r"img must be a photo: \(H, W\) grey or \(H, W, 3\) colour; got shape \(2, 2, 2\)"):
        ph.plot_image(np.zeros((2, 2, 2)))
    with pytest.raises(TypeError, match="ax must be Matplotlib Axes"):
        ph.plot_image(CAT, ax="left")
    with pytest.raises(ValueError, match="img2 must be a photo"):
        ph.plot_two_images(CAT, np.zeros(4))
    with pytest.raises(TypeError, match="true_size must be True or False"):
        ph.plot_two_images(CAT, CAT, true_size="yes")


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(n=5, pool_size=(2, 2)), TypeError, r"pool_size must be a positive whole number; got \(2, 2\) \(tuple\)"),
    (dict(n=5.0, pool_size=2), TypeError, r"n must be a positive whole number; got 5.0 \(float\)"),
    (dict(n=5, pool_size=2, padding=(1, 1, 1)), ValueError,
     r"padding must be 'valid', 'same', a whole number or a \(before, after\) pair of them; "
     r"got \(1, 1, 1\)"),
])
def test_output_size_offers_only_what_it_accepts(kwargs, error, message):
    with pytest.raises(error, match=message) as info:
        ph.output_size(**kwargs)
    assert "(rows, cols)" not in str(info.value)  # one axis: no pair of axes


def test_output_size_explorer_and_upload_explorer_check_their_starting_values():
    with pytest.raises(ValueError, match=r"n must be from 1 to 32 \(the slider's range\); got 40"):
        ph.output_size_explorer(n=40)
    with pytest.raises(TypeError, match="pool_size must be a positive whole number"):
        ph.output_size_explorer(pool_size="2")
    with pytest.raises(ValueError, match="max_side must be a positive whole number"):
        ph.image_upload_explorer(max_side=0)


def test_load_image_sizes_speak_of_width_and_height():
    with pytest.raises(ValueError, match=r"size must be a positive whole number or a pair \(width, height\) of them; got \(224,\) with 1 values"):
        ph.load_image(ph.CAT_PATH, size=(224,))
    assert ph.load_image(ph.CAT_PATH, size=(200, 100)).shape == (100, 200, 3)  # (width, height)
    assert ph.load_image(ph.CAT_PATH, size=64).shape == (64, 64, 3)  # one int: a square
    with pytest.raises(TypeError, match="grayscale must be True or False"):
        ph.load_image(ph.CAT_PATH, grayscale="yes")
    with pytest.raises(ValueError, match="source: these bytes are not an image that Pillow can read"):
        ph.load_image(b"\x00\x01 not an image")


def test_a_float_tiff_of_fractions_keeps_its_values(tmp_path):
    from PIL import Image

    fractions = np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4)
    Image.fromarray(fractions, mode="F").save(tmp_path / "fractions.tif")
    loaded = ph.load_image(tmp_path / "fractions.tif", grayscale=True)
    np.testing.assert_array_equal(loaded, np.floor(fractions * 255 + 0.5).astype(np.uint8))
    assert len(np.unique(loaded)) == 12  # not 0s and 1s


def test_a_phone_sized_photo_is_shown_at_display_size_and_the_caption_says_so():
    photo = np.zeros((3024, 4032, 3), dtype=np.uint8)
    photo[:, 2016:] = 200
    explorer = ph.pool_explorer(photo)
    assert explorer.image.shape == (504, 672, 3) and explorer.image.dtype == np.uint8
    assert explorer.pooled.shape == (252, 336, 3)
    assert explorer.image[0, 335].tolist() == [0, 0, 0] and explorer.image[0, 336].tolist() == [200] * 3
    assert ("The photo is 3024×4032; it is shown and pooled at 504×672, each 6×6 block averaged"
            in explorer.caption.value)
    assert "shown and pooled" not in ph.pool_explorer(CAT).caption.value


def test_the_padding_limit_names_an_axis_only_in_2d():
    """One axis (output_size) has no name to give; pool2d names the height or the width."""
    with pytest.raises(ValueError) as one_axis:
        ph.output_size(7, pool_size=2, stride=2, padding=2)
    assert str(one_axis.value).startswith("padding 2 is more than half the pool size 2")
    assert "along the length" not in str(one_axis.value)
    with pytest.raises(ValueError, match="padding 2 along the width is more than half"):
        ph.pool2d(np.zeros((7, 7)), 2, padding=(0, 2))
