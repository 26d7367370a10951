"""Notebook 04 (the cat image): what its prose says about data, recomputed."""

import numpy as np

import pooling_helpers as ph
from claims import cells, does_not_say, prints, says

NB = "04_cat_image"
CAT = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
COLOUR = ph.load_image(ph.CAT_PATH)


def test_article_pipeline_224_to_112():
    pools = ph.get_pools(CAT, pool_size=2, stride=2)
    pooled = ph.max_pooling(pools)
    assert CAT.shape == (224, 224) and pools.shape == (112, 112, 2, 2)
    assert pooled.shape == (112, 112)
    assert np.array_equal(pooled, ph.pool2d(CAT, 2, 2))
    prints(NB, "((224, 224), dtype('uint8'))")
    prints(NB, "((112, 112, 2, 2), (112, 112))")
    says(NB, "pool to 112×112")
    says(NB, "224×224 → 112×112, the same as `pool2d(cat, 2, 2)`")
    # at true relative size, 112² of 224² pixels: a quarter of the area
    assert (112 * 112) / (224 * 224) == 0.25
    says(NB, "the pooled cat is a quarter of the area")


def test_article_tensorflow_check_points_to_06():
    """Notebook 06 never pools the cat in a framework: it checks pool2d against them on a random
    batch, when one is installed (review 04-06). Pool2d gives the article's array (cell
    '38eec319' prints True), so that is what 04 says."""
    says(NB, "notebook 06 makes that kind of check for `pool2d`, which gives this same array, on "
             "random inputs")
    says(NB, "notebook 06 then checks `pool2d` against TensorFlow and PyTorch (the other most "
             "used framework) on random inputs, when one is installed")
    says(NB, "the same as `pool2d(cat, 2, 2)`, which notebook 06 checks against TensorFlow and "
             "PyTorch on random inputs")
    does_not_say(NB, "is in notebook 06")
    does_not_say(NB, "notebook 06 makes that check,")
    six = (ph.CAT_PATH.parents[1] / "notebooks" / "06_verification_and_speed.ipynb").read_text()
    assert "batch = rng.normal(size=(2, 11, 8, 3))" in six and "tf.constant(batch)" in six
    assert "tf.constant(cat" not in six and "torch.from_numpy(cat" not in six


def test_explorer_has_no_padding_toggle():
    explorer = ph.pool_explorer(CAT, pool_size=3, stride=2)
    assert explorer.padding_buttons is None
    says(NB, "Pick pool size, stride and mode;")
    does_not_say(NB, "Pick pool size, stride, mode and padding")
    does_not_say(NB, "mode and padding on the photo")
    assert ph.pool2d(CAT, 3, 2).shape == (111, 111)
    says(NB, "(pool 3, stride 2)")


def test_repeated_pooling_224_to_14():
    stages = [CAT]
    while stages[-1].shape[0] > 14:
        stages.append(ph.pool2d(stages[-1], 2))
    sides = [s.shape[0] for s in stages]
    assert sides == [224, 112, 56, 28, 14] and len(stages) - 1 == 4
    assert all(s.dtype == np.uint8 for s in stages)  # all drawn on the same 0–255 scale
    prints(NB, "224×224 → 112×112 → 56×56 → 28×28 → 14×14")
    says(NB, "Four poolings leave 14×14")
    says(NB, "224 → 14 in four steps")
    says(NB, "the 28×28 and 14×14 stages are specks")
    says(NB, "same grey scale, 0 (black) to 255 (white)")


def test_colour_photo_is_300_by_451():
    assert COLOUR.shape == (300, 451, 3)
    pooled = ph.pool2d(COLOUR, 3, 3)
    assert pooled.shape == (100, 150, 3)
    prints(NB, "((300, 451, 3), (100, 150, 3))")
    says(NB, "The photo is 300×451 (height × width) with 3 colour channels")
    says(NB, "gives 100×150, still with 3 channels")
    does_not_say(NB, "451×300")


def test_exercise_answers():
    assert ph.pool2d(CAT, 3, 3).shape == (74, 74) and 3 * 74 == 222
    says(NB, "cat_shape = (74, 74)")
    says(NB, "⌊(224 − 3) / 3⌋ + 1 = 74. Since 3 × 74 = 222, the last two rows and columns")
    # exercise 2 asks about a photo no explorer of the notebook shows, so no caption prints it
    import pooling_exercises as ex
    height, width = ex.KEPT_SHAPE
    pool, stride = ex.KEPT_POOL, ex.KEPT_STRIDE
    rows, cols = ph.pool2d(np.zeros(ex.KEPT_SHAPE), pool, stride).shape
    kept = rows * cols / (height * width)
    assert kept < 1 / stride ** 2
    says(NB, f"A photo of {height}×{width} pixels (height × width) is max-pooled with a "
             f"{pool}×{pool} pool and stride {stride}")
    says(NB, "the check accepts any answer within 0.001")
    assert ex.KEPT_TOLERANCE == 0.001
    says(NB, f"rows = ph.output_size({height}, {pool}, {stride})    # ⌊({height} − {pool}) / "
             f"{stride}⌋ + 1 = {rows}")
    says(NB, f"cols = ph.output_size({width}, {pool}, {stride})   # ⌊({width} − {pool}) / "
             f"{stride}⌋ + 1 = {cols}")
    says(NB, f"kept = rows * cols / ({height} * {width})    # {rows * cols} / {height * width} "
             f"≈ {kept:.3f}")
    says(NB, f"fits {rows} times down the {height} rows and {cols} times across the {width} "
             f"columns, not {height // stride} and {width // stride}")
    does_not_say(NB, "the explorer's caption can help")
    # neither explorer of the notebook is on a photo of that size
    assert ex.KEPT_SHAPE not in {CAT.shape, COLOUR.shape[:2]}


def test_explorer_caption_is_true_with_overlapping_windows():
    explorer = ph.pool_explorer(CAT, pool_size=3, stride=2)
    values, pixels = 111 * 111, 224 * 224
    assert f"{values:,} values, {values / pixels:.1%} as many as the input's {pixels:,} pixels" \
        in explorer.caption.value
    says(NB, "The caption gives the shapes, and how many values the output has against the "
             "input's pixels")
    does_not_say(NB, "the share of pixels kept")


def test_titles_spell_out_pool_and_stride():
    code = " ".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "2/2" not in code and "3/3" not in code
    assert '"after max pool 2, stride 2: 112×112"' in code
    assert '"max pool 3, stride 3: 100×150×3"' in code


def test_upload_message_promise_holds_for_a_too_small_image():
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((1, 30), dtype=np.uint8)).save(buffer, format="PNG")
    uploader = ph.image_upload_explorer()
    uploader.show_file("line.png", buffer.getvalue())  # a message, not a ValueError
    assert uploader.explorer is None and "too small" in uploader.message.value
    says(NB, "a file that is not an image, or an image too small for the explorer's 2×2 pool, "
             "gets a message instead of an error")


def test_repeated_pooling_figures_fit_the_projector_with_their_code():
    """Each of the two figures and its 7-line cell fit a projected screen (figures at most
    520 px tall, so the code does not scroll away), and the true-scale one marks where each
    picture ends as the true-size figure above does: outlined, the rest hatched (frame=)."""
    import base64
    import struct

    sources = ["".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code"]
    true_scale = next(s for s in sources if "true scale: each stage" in s)
    assert 'plot_stages("true scale: each stage in the 224×224 frame", frame=cat.shape)' \
        in true_scale and "set_xlim" not in true_scale
    # one loop draws both figures (review 04-06: the same 7 lines were there twice)
    assert sum(s.count("for ax, stage in zip(axes.ravel(), stages)") for s in sources) == 1
    assert sum(s.count("plot_stages(") for s in sources) == 3
    says(NB, "`plot_stages` draws the five stages in two rows of three panels")
    says(NB, "It is outlined in blue, and the rest of the 224×224 frame is hatched")
    says(NB, "each in the input's 224×224 frame (outlined and hatched as above)")
    checked = 0
    for cell in cells(NB):
        if "plot_stages(\"" not in "".join(cell["source"]):
            continue
        assert len(cell["source"]) <= 12
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                png = base64.b64decode(output["data"]["image/png"])
                width, height = struct.unpack(">II", png[16:24])
                assert width <= 844 and height <= 520, (width, height)
                checked += 1
    assert checked == 2


def test_pixel_axes_are_numbered_in_whole_pixels():
    import matplotlib

    matplotlib.use("Agg")
    fig = ph.plot_image(np.zeros((14, 14), dtype=np.uint8))
    fig.canvas.draw()
    shown = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert shown and not [text for text in shown if "." in text], shown


def test_the_colour_explorer_is_introduced():
    code = [c for c in cells(NB) if "pool_explorer(colour" in "".join(c["source"])]
    assert len(code) == 1 and "pool_size=4, stride=4" in "".join(code[0]["source"])
    says(NB, "The explorer on the colour photo. It starts at pool 4, stride 4, one step past the "
             "figure above")
    assert "ph.pool2d(colour, 3, 3)" in " ".join("".join(c["source"]) for c in cells(NB))


def test_the_colour_explorer_compares_like_with_like():
    explorer = ph.pool_explorer(COLOUR, pool_size=4, stride=4)
    out_h, out_w = ph.pool2d(COLOUR, 4, 4).shape[:2]
    per, pixels = out_h * out_w, COLOUR.shape[0] * COLOUR.shape[1]
    assert (f"output {out_h}×{out_w}×3: {3 * per:,} values ({per:,} per colour channel), "
            f"{per / pixels:.1%} as many as the input's {3 * pixels:,} values "
            f"({pixels:,} pixels × 3 channels)") in explorer.caption.value


def test_the_colour_photo_sentence_reads():
    says(NB, "The photo itself is in colour and not square: 300×451. The grey cat above is this "
             "photo squashed to 224×224.")
    does_not_say(NB, "is it squashed")


def test_the_squashed_cat_is_said_with_notebook_00s_numbers():
    """04 reminds the learner of 00's numbers in one sentence, not a second computation
    (review 04-06); the numbers are these, and 00 prints them."""
    width, height = CAT.shape[1] / COLOUR.shape[1], CAT.shape[0] / COLOUR.shape[0]
    assert width < height  # squashed more across: the grey cat is narrower
    says(NB, f"The grey cat is the {COLOUR.shape[0]}×{COLOUR.shape[1]} photo squashed to "
             f"224×224, its width × {width:.3f} and its height × {height:.3f}, as [notebook "
             "00](00_start_here.ipynb) measured: it is narrower")
    prints("00_start_here", f"width × {width:.3f}, height × {height:.3f}")
    code = " ".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "cat.shape[1] / photo.shape[1]" not in code


def test_what_the_articles_loops_do_on_the_photo_as_notebook_01_prints_it():
    grey = ph.load_image(ph.CAT_PATH, grayscale=True)
    on_colour = ph.article_max_pooling(ph.article_get_pools(COLOUR, 3, 3))
    on_grey = ph.article_max_pooling(ph.article_get_pools(grey, 3, 3))
    fixed = ph.pool2d(grey, 3, 3)
    says(NB, f"notebook 01 runs them on this photo, and with a 3×3 pool they return an empty "
             f"{on_colour.shape} array in colour, and in grey {on_grey.shape[0]}×{on_grey.shape[1]} "
             f"instead of {fixed.shape[0]}×{fixed.shape[1]}, the last "
             f"{grey.shape[1] - grey.shape[0]} columns dropped")
    does_not_say(NB, "(notebook 01 shows why)")


def test_exercise_2_does_not_say_the_explorer_shows_only_the_cat():
    # cell "image_upload_explorer" pools any photo a learner uploads
    assert any("image_upload_explorer(" in "".join(c["source"]) for c in cells(NB))
    does_not_say(NB, "The explorer shows only the cat")


def test_tensorflow_is_said_what_it_is_where_first_named():
    says(NB, "TensorFlow, a deep-learning framework, that is, a library for building and training "
             "networks")
    says(NB, "PyTorch (the other most used framework)")
