"""Setting the sliders in Python changes what the explorers compute (no browser needed)."""

import datetime
import io

import ipywidgets
import numpy as np
import pytest
from PIL import Image

import pooling_helpers as ph

CAT = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))


def png_size(data):
    return Image.open(io.BytesIO(data)).size


def test_pool_explorer_follows_its_sliders():
    explorer = ph.pool_explorer(CAT, show_padding=True)
    assert explorer.pooled.shape == (112, 112) and explorer.kept_share == 0.25
    first_picture = explorer.picture.value
    explorer.stride_slider.value = 1
    explorer.pool_size_slider.value = 3
    assert explorer.pooled.shape == (222, 222)
    np.testing.assert_array_equal(explorer.pooled, ph.pool2d(CAT, 3, 1))
    assert explorer.kept_share == pytest.approx(222 ** 2 / 224 ** 2)
    assert "222×222" in explorer.caption.value
    assert explorer.picture.value != first_picture
    explorer.mode_buttons.value = "avg"
    explorer.padding_buttons.value = "same"
    np.testing.assert_array_equal(explorer.pooled, ph.pool2d(CAT, 3, 1, "same", "avg"))
    size = png_size(explorer.picture.value)
    explorer.true_size_box.value = True
    assert png_size(explorer.picture.value) == size  # the picture keeps its size: no page jump


def test_pool_explorer_on_colour_and_impossible_settings():
    colour = ph.load_image(ph.CAT_PATH, max_side=120)
    explorer = ph.pool_explorer(colour)
    assert explorer.pooled.shape == (40, 60, 3)
    tiny = ph.pool_explorer(np.zeros((5, 5), dtype=np.uint8))
    tiny.pool_size_slider.value = 7
    assert "Not possible" in tiny.caption.value and "does not fit" in tiny.caption.value


def test_pool_stepper_highlights_each_pool_in_turn():
    matrix = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
    stepper = ph.pool_stepper(matrix)
    stepper.pool_slider.value = 2
    np.testing.assert_array_equal(stepper.current_pool, [[18, 13], [3, 15]])
    assert "maximum is 18" in stepper.caption.value
    assert stepper.pool_slider.max == 3


def test_stride_explorer_reports_shape_and_skipped_cells():
    explorer = ph.stride_explorer(np.arange(64).reshape(8, 8))
    explorer.stride_slider.value = 3
    assert explorer.pooled.shape == (3, 3)
    assert "3 rows and 3 columns" in explorer.caption.value and "28 cells" in explorer.caption.value
    explorer.stride_slider.value = 1
    assert "overlap" in explorer.caption.value


def window_bars(explorer):
    """The windows the output-size explorer draws: its filled blue bars."""
    return [p for p in explorer.axes.patches if p.get_facecolor()[:3] == (0.0, 0.4470588235294118, 0.6980392156862745)]


def test_output_size_explorer_gives_the_hand_worked_sizes():
    # known values, worked by hand: 25 cells, pool 2, stride 2 keep 12 windows and drop the last
    # cell; PyTorch's ceil mode keeps a 13th window over that cell
    explorer = ph.output_size_explorer(n=25, pool_size=2, stride=2)
    assert explorer.output == 12 and explorer.dropped == 1 and len(window_bars(explorer)) == 12
    assert "⌊(25 − 2) / 2⌋ + 1 = 12" in explorer.caption.value
    explorer.padding_dropdown.value = 0
    explorer.ceil_box.value = True
    assert explorer.output == 13 and explorer.dropped == 0 and len(window_bars(explorer)) == 13
    assert "⌈(25 + 2·0 − 2) / 2⌉ + 1 = 13" in explorer.caption.value
    explorer.n_slider.value, explorer.pool_size_slider.value = 5, 2
    explorer.padding_dropdown.value = 1
    explorer.stride_slider.value = 4  # ceil gives 3 windows, but the third would start in padding
    assert explorer.output == 2 and len(window_bars(explorer)) == 2
    assert "⌈(5 + 2·1 − 2) / 4⌉ + 1 − 1 = 2" in explorer.caption.value
    # ceil mode needs a number of padding: 'same' unticks and greys out the box, and says so,
    # instead of blanking the picture
    explorer.padding_dropdown.value = "same"
    assert not explorer.ceil_box.value and explorer.ceil_box.disabled
    assert "Not possible" not in explorer.caption.value
    assert "Ceil mode was unticked" in explorer.caption.value
    assert explorer.output == 2 and "⌈5 / 4⌉ = 2" in explorer.caption.value  # ceil(5 / 4)
    explorer.padding_dropdown.value = 1
    assert not explorer.ceil_box.disabled and "unticked" not in explorer.caption.value


def test_output_size_explorer_greys_out_ceil_mode_until_the_padding_is_a_number():
    explorer = ph.output_size_explorer()  # starts at 'valid'
    assert explorer.ceil_box.disabled and not explorer.ceil_box.value
    explorer.ceil_box.value = True  # as a click that got through would
    assert not explorer.ceil_box.value and explorer.output == 3
    assert explorer.axes.patches  # the picture is drawn, not blanked
    explorer.padding_dropdown.value = 0
    assert not explorer.ceil_box.disabled
    explorer.ceil_box.value = True
    assert explorer.ceil_box.value and explorer.output == 4  # ⌈(7 − 2) / 2⌉ + 1


def test_upload_explorer_pools_an_upload_and_refuses_text():
    uploader = ph.image_upload_explorer(max_side=100)
    uploader.show_file("notes.txt", b"just some text")
    assert "not an image" in uploader.message.value and uploader.explorer is None
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), "red").save(buffer, format="JPEG")
    uploader.show_file("big.jpg", memoryview(buffer.getvalue()))
    assert uploader.explorer.image.shape == (50, 100, 3)
    assert uploader.explorer.widget in uploader.widget.children


def test_an_upload_reaches_the_explorer_in_the_installed_ipywidgets_format():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), "blue").save(buffer, format="PNG")
    content = buffer.getvalue()
    uploader = ph.image_upload_explorer()
    # what the browser's side of the widget sends when a file is chosen
    if int(ipywidgets.__version__.split(".")[0]) >= 8:
        uploader.upload.value = ({"name": "blue.png", "type": "image/png", "size": len(content),
                                  "content": memoryview(content),
                                  "last_modified": datetime.datetime.now(datetime.timezone.utc)},)
    else:  # ipywidgets 7, as in Colab
        uploader.upload.metadata = [{"name": "blue.png", "type": "image/png", "size": len(content)}]
        uploader.upload.data = [content]
        uploader.upload._counter += 1
    assert uploader.explorer is not None and uploader.explorer.image.shape == (30, 60, 3)
    assert "blue.png" in uploader.message.value


@pytest.mark.parametrize("shape", [(1, 40), (40, 1), (1, 1, 3)])
def test_upload_explorer_answers_an_image_too_small_for_the_pool_with_a_message(shape):
    buffer = io.BytesIO()
    Image.fromarray(np.zeros(shape, dtype=np.uint8)).save(buffer, format="PNG")
    uploader = ph.image_upload_explorer()
    uploader.show_file("thin.png", buffer.getvalue())  # no ValueError out of the handler
    assert uploader.explorer is None and "too small" in uploader.message.value
    assert "{}×{}".format(*shape[:2]) in uploader.message.value
    assert uploader.widget.children == (uploader.upload, uploader.message)


def test_pool_explorer_caption_counts_values_not_pixels_kept():
    explorer = ph.pool_explorer(CAT, pool_size=8, stride=1)  # overlapping windows
    assert "47,089 values, 93.8% as many as the input's 50,176 pixels." in explorer.caption.value
    assert "keeps" not in explorer.caption.value and "one for every" not in explorer.caption.value
    explorer.stride_slider.value = 8
    assert "about one for every 64." in explorer.caption.value
    colour = ph.pool_explorer(ph.load_image(ph.CAT_PATH), pool_size=8, stride=1)
    # totals against totals, the count per channel beside (a learner's review of 04)
    assert ("293×444×3: 390,276 values (130,092 per colour channel), 96.2% as many as the "
            "input's 405,900 values (135,300 pixels × 3 channels).") in colour.caption.value
    assert "every 1.0" not in colour.caption.value


# --- Play: the three sweeps animate ---------------------------------------------------------------
# The Play button's front end only changes ``play.value`` once per interval; everything else
# happens in the kernel, so setting ``play.value`` here is exactly one tick of the button.


def test_play_steps_the_pool_stepper_through_the_pools():
    matrix = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
    stepper = ph.pool_stepper(matrix)
    assert (stepper.play.min, stepper.play.max) == (0, 3)
    assert 700 <= stepper.play.interval <= 1200  # a pace a class can follow
    first_picture = stepper.picture.value
    stepper.play.value = 3  # hand-worked: pool 3 is rows 2–3, columns 2–3
    assert stepper.pool_slider.value == 3
    np.testing.assert_array_equal(stepper.current_pool, [[7, 7], [2, 2]])
    assert stepper.picture.value != first_picture and "maximum is 7" in stepper.caption.value
    stepper.pool_slider.value = 1  # dragging the slider moves the Play button's place too
    assert stepper.play.value == 1


def test_the_pace_slider_sets_the_play_interval():
    for explorer in (ph.pool_stepper(np.arange(16).reshape(4, 4)),
                     ph.stride_explorer(np.arange(16).reshape(4, 4)), ph.output_size_explorer()):
        picture = explorer.picture.value
        explorer.speed_slider.value = 500
        assert explorer.play.interval == 500
        assert explorer.picture.value == picture  # the pace redraws nothing


def test_play_moves_the_stride_explorers_window_across_the_input():
    matrix = np.arange(48).reshape(6, 8) % 17
    explorer = ph.stride_explorer(matrix)  # pool 2, stride 2: 3 rows of 4 windows
    assert explorer.play.max == 11 and explorer.window_slider.max == 11
    first_picture = explorer.picture.value
    explorer.play.value = 5  # hand-worked: the second row's second window, rows 2–3, cols 2–3
    assert explorer.window_slider.value == 5
    assert matrix[2:4, 2:4].tolist() == [[1, 2], [9, 10]]
    assert explorer.caption.value.endswith(
        "Window 5 (rows 2–3, columns 2–3, framed in bold) gives output [1, 1] = 10.")
    assert explorer.picture.value != first_picture
    # stride 3: 2 rows of 3 windows; the window and the Play button's range follow
    explorer.stride_slider.value = 3
    assert explorer.window_slider.max == explorer.play.max == 5
    assert explorer.window_slider.value == explorer.play.value == 5
    assert "Window 5 (rows 3–4, columns 6–7" in explorer.caption.value
    explorer.stride_slider.value = 1  # 5 × 7 windows: the window keeps its number
    assert explorer.play.max == 34 and "Window 5 (rows 0–1, columns 5–6" in explorer.caption.value


def test_play_grows_the_output_size_explorers_input():
    explorer = ph.output_size_explorer(n=7, pool_size=2, stride=3)
    assert (explorer.play.min, explorer.play.max, explorer.play.value) == (1, 32, 7)
    # hand-worked: ⌊(n − 2) / 3⌋ + 1 steps up once every 3 cells, at n = 8 and n = 11
    sizes = {}
    for n in (8, 9, 10, 11, 12):
        picture = explorer.picture.value
        explorer.play.value = n
        assert explorer.n_slider.value == n and explorer.picture.value != picture
        sizes[n] = explorer.output
    assert sizes == {8: 3, 9: 3, 10: 3, 11: 4, 12: 4}


# --- projector mode -------------------------------------------------------------------------------


@pytest.fixture
def projector():
    """Projector mode for one test, and the normal size back afterwards, whatever happens."""
    ph.projector_mode(True)
    yield
    ph.projector_mode(False)


def _smallest_text(figure):
    figure.canvas.draw()
    return min(text.get_fontsize() for text in figure.findobj(
        lambda artist: hasattr(artist, "get_fontsize") and artist.get_visible()
        and getattr(artist, "get_text", lambda: "")()))


def _drawn():
    """A static matrix figure and a widget's picture, in pixels, with their smallest text."""
    matrix = np.arange(48).reshape(6, 8) % 17
    fig = ph.plot_matrix(matrix)
    stepper = ph.pool_stepper(matrix)
    cell_numbers = {text.get_fontsize() for text in fig.axes[0].texts}
    return (cell_numbers, _smallest_text(stepper.figure), png_size(stepper.picture.value),
            png_size(ph.output_size_explorer().picture.value))


def test_projector_mode_enlarges_text_and_pictures(request):
    normal = _drawn()
    assert normal[0] == {11}  # every cell number at 11 pt
    ph.projector_mode(True, scale=1.5)
    request.addfinalizer(lambda: ph.projector_mode(False))
    large = _drawn()
    assert large[0] == {16.5} and large[1] == 1.5 * normal[1]
    for before, after in zip(normal[2:], large[2:]):
        assert after == (round(1.5 * before[0]), round(1.5 * before[1]))
    ph.projector_mode(False)
    assert _drawn() == normal


def test_projector_mode_keeps_every_cell_number_and_changes_matplotlibs_own_text(projector):
    import matplotlib.pyplot as plt

    assert plt.rcParams["font.size"] == pytest.approx(1.3 * 10)
    # the 6×8 matrix of notebook 02's explorer still has room for all its numbers
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8) % 17)
    assert len(explorer.axes[0].texts) == 48 and len(explorer.axes[1].texts) == 12


@pytest.mark.parametrize("arguments, error, words", [
    (("yes",), TypeError, "on must be True or False"),
    ((True, "big"), TypeError, "scale must be a number"),
    ((True, 3), ValueError, "scale must be from 1 to 2"),
    ((True, 0.5), ValueError, "got 0.5"),
])
def test_projector_mode_names_a_bad_argument(arguments, error, words):
    with pytest.raises(error, match=words):
        ph.projector_mode(*arguments)
    assert ph.FONT_SIZE == 11  # a refused call changes nothing


# --- issue 19, section 5: the widgets' rough edges ----------------------------------------------


def _thin_frames(ax):
    """The thin window frames on a matrix (2 points; a bold one is 4, the stride explorer's 6)."""
    from matplotlib.patches import Rectangle

    return [p for p in ax.patches
            if isinstance(p, Rectangle) and not p.get_fill() and p.get_linewidth() < 4]


def test_the_stride_explorer_frames_few_windows_when_they_overlap():
    """At pool 3, stride 1 (what 02 asks learners to try) 24 overlapping frames hid the numbers:
    the bold window and the windows before and after it in its row are framed."""
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8), pool_size=3, stride=1)
    explorer.window_slider.value = 9  # row 1, column 3 of the 4×6 output
    boxes = ph.window_boxes((6, 8), 3, 1)
    frames = _thin_frames(explorer.axes[0])
    assert len(frames) == 2
    corners = sorted((round(f.get_x() + 0.5), round(f.get_y() + 0.5)) for f in frames)
    assert corners == [(boxes[8][1], boxes[8][0]), (boxes[10][1], boxes[10][0])]
    explorer.window_slider.value = 0  # the first window has only a right neighbour
    assert len(_thin_frames(explorer.axes[0])) == 1
    assert "so that overlapping frames do not hide the numbers" in explorer.caption.value
    # with 3 windows (pool 6, stride 1) the caption gives the reason, not "all 3 frames would
    # hide the numbers"
    explorer.pool_size_slider.value, explorer.stride_slider.value = 6, 1
    assert "frames would hide" not in explorer.caption.value
    explorer.pool_size_slider.value = 3
    explorer.stride_slider.value = 3  # windows that do not overlap are all framed, the bold
    # one in bold only
    assert len(_thin_frames(explorer.axes[0])) == len(ph.window_boxes((6, 8), 3, 3)) - 1 == 3


def test_the_bold_frame_is_thicker_and_unlike_its_neighbours(few_pictures):
    """A learner's review of 02: at pool 1, stride 4 the bold frame looked as thin as the
    others, and at pool 3, stride 1 it was black beside a black neighbour. In those settings,
    at every window, it is three times as wide as a thin frame and no window touching
    it has its colour."""
    from matplotlib.colors import to_hex

    matrix = np.arange(48).reshape(6, 8) % 17  # notebook 02's
    explorer = ph.stride_explorer(matrix)
    # the reviewer's two settings and the starting one
    for pool, stride in [(1, 4), (3, 1), (2, 2)]:
        explorer.pool_size_slider.value, explorer.stride_slider.value = pool, stride
        boxes = ph.window_boxes(matrix.shape, pool, stride)
        for window in range(len(boxes)):
            explorer.window_slider.value = window
            top, left, height, width = boxes[window]
            bold = [p for p in explorer.axes[0].patches if p.get_linewidth() >= 4]
            thin = _thin_frames(explorer.axes[0])
            assert len(bold) == 1 and bold[0].get_linewidth() >= 3 * max(
                [f.get_linewidth() for f in thin], default=2)
            colour = to_hex(bold[0].get_edgecolor()).upper()
            assert colour == explorer.bold_colour.upper()
            for frame in thin:  # a neighbour overlaps it or shares a side
                t, l = round(frame.get_y() + 0.5), round(frame.get_x() + 0.5)
                rows = t <= top + height and top <= t + pool
                cols = l <= left + width and left <= l + pool
                crossing = ((t < top + height and top < t + pool)
                            or (l < left + width and left < l + pool))
                if rows and cols and crossing:
                    assert to_hex(frame.get_edgecolor()).upper() != colour, (pool, stride, window)


def test_captions_speak_of_one_value_and_one_row_in_the_singular():
    tiny = ph.pool_explorer(np.zeros((2, 2), dtype=np.uint8))
    assert "1 value," in tiny.caption.value and "1 values" not in tiny.caption.value
    assert "4 pixels" in tiny.caption.value
    stride = ph.stride_explorer(np.arange(12).reshape(3, 4), pool_size=1, stride=1)
    assert "(row 0, column 0, framed in bold)" in stride.caption.value
    assert "0–0" not in stride.caption.value
    stepper = ph.pool_stepper([[1, 2], [3, 4]], pool_size=1)
    assert stepper.axes[0].get_title() == "pool 0: row 0, column 0"
    whole = ph.pool_stepper([[1, 2], [3, 4]])
    assert "(the only pool)" in whole.caption.value


def test_the_pool_stepper_numbers_the_pool_as_the_matrix_and_frames_its_maximum():
    matrix = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
    stepper = ph.pool_stepper(matrix)
    stepper.pool_slider.value = 2  # pools[1, 0]: rows 2-3, columns 0-1
    right = stepper.axes[1]
    assert [t.get_text() for t in right.get_yticklabels()] == ["2", "3"]
    assert [t.get_text() for t in right.get_xticklabels()] == ["0", "1"]
    assert "pools[1, 0]" in right.get_title() and "matrix[2:4, 0:2]" in right.get_title()
    # the maximum the caption names, 18 at matrix[2, 0], is framed on the right
    assert "maximum is 18" in stepper.caption.value and "matrix[2, 0]" in stepper.caption.value
    framed = [(round(f.get_y() + 0.5), round(f.get_x() + 0.5)) for f in _thin_frames(right)]
    assert framed == [(0, 0)] and stepper.current_pool[0, 0] == 18
    stepper.pool_slider.value = 3  # a tie: 7 twice, both framed, alike (equals, not two kinds)
    assert len(_thin_frames(stepper.axes[1])) == 2
    assert len({f.get_edgecolor() for f in _thin_frames(stepper.axes[1])}) == 1
    assert "matrix[2, 2] and matrix[2, 3]" in stepper.caption.value


@pytest.mark.parametrize("n, m", [(20, 12), (10, 4), (13, 11), (7, 3)])
def test_the_adaptive_explorer_labels_every_window_bar_the_same_way(n, m):
    explorer = ph.adaptive_explorer(n, m)
    labels = [t.get_text() for t in explorer.axes.texts if t.get_color() == "white"]
    assert labels, (n, m)
    words = {label.startswith("window ") for label in labels}
    assert len(words) == 1, labels  # all "window 3" or all "3"
    numbers = [label.removeprefix("window ") for label in labels]
    assert all(number.isdigit() for number in numbers)


def test_the_upload_explorer_holds_the_explorer_of_the_last_file_or_none():
    """.explorer belongs to the last file: None after an unreadable or a too-small one, never
    the explorer of an earlier photo that the widget no longer shows."""
    def png(shape):
        buffer = io.BytesIO()
        Image.fromarray(np.zeros(shape, dtype=np.uint8)).save(buffer, format="PNG")
        return buffer.getvalue()

    uploader = ph.image_upload_explorer()
    assert uploader.explorer is None
    for name, content in [("notes.txt", b"just some text"), ("thin.png", png((1, 40)))]:
        uploader.show_file("photo.png", png((40, 60)))
        assert uploader.explorer is not None
        assert uploader.widget.children[-1] is uploader.explorer.widget
        uploader.show_file(name, content)
        assert uploader.explorer is None, name
        assert uploader.widget.children == (uploader.upload, uploader.message)


def test_the_stride_explorer_says_why_few_windows_are_framed():
    explorer = ph.stride_explorer(np.arange(48).reshape(6, 8), pool_size=3, stride=1)
    assert "only its neighbours in its row, not all 24 windows" in explorer.caption.value
    explorer.stride_slider.value = 3
    assert "neighbours" not in explorer.caption.value


def test_network_explorer_marks_a_wrong_answer_and_says_how_far_the_digit_moved():
    """Review of 07–08: the answer bar was green even when the answer was wrong, the right
    label unmarked, and the digit panel said "the digit" when it had been moved."""
    import matplotlib.colors as mcolors

    import pooling_network as pn
    images, labels = pn.load_digits()
    network = pn.Network("max", seed=0)  # untrained: a cheap network with some wrong answers
    answers = network.predict(pn.shift_images(images[:20], -2, 0))
    n = int(np.flatnonzero(answers != labels[:20])[0])
    explorer = pn.network_explorer({("max", 2): network}, images[:20], labels[:20])
    explorer.digit.value, explorer.shift.value = n, -2
    fig = explorer.fig
    digit_ax, bars_ax = fig.subfigs[0].axes[:2]
    assert digit_ax.get_title() == "the digit, moved 2 px left"
    colours = [mcolors.to_hex(bar.get_facecolor()) for bar in bars_ax.patches]
    assert explorer.prediction == answers[n]
    assert colours[answers[n]] == "#d55e00" and colours.count("#1a7f37") == 0
    right = bars_ax.get_yticklabels()[labels[n]]
    assert mcolors.to_hex(right.get_color()) == "#1a7f37" and right.get_fontweight() == "bold"
    assert any("the right answer" in t.get_text() for t in bars_ax.texts)
    explorer.shift.value = 0
    assert fig.subfigs[0].axes[0].get_title() == "the digit"
