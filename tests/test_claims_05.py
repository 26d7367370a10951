"""Notebook 05 (padding and output size): what its prose says about data, recomputed."""

import base64
import math
import struct

import numpy as np

import pooling_display
import pooling_helpers as ph
from claims import cells, does_not_say, printed, printed_above, prints, says

NB = "05_padding_and_output_size"


def test_three_conventions_on_the_5_by_5_matrix():
    x = np.arange(1, 26).reshape(5, 5)
    valid = ph.pool2d(x, 2, padding="valid")
    same = ph.pool2d(x, 2, padding="same")
    torch = ph.pool2d(x, 2, padding=1)
    assert valid.shape == (2, 2) and same.shape == torch.shape == (3, 3)
    says(NB, "drop it → 2×2")
    says(NB, "⌈5 / 2⌉ = 3 outputs")
    says(NB, "⌊(5 + 2 − 2) / 2⌋ + 1 = 3 outputs")
    for pooled in (valid, same, torch):
        prints(NB, str(pooled.tolist()))
    # 'same' needs one padded cell here, and it goes after the input (bottom and right)
    total = (3 - 1) * 2 + 2 - 5
    assert (total, total // 2, total - total // 2) == (1, 0, 1)
    says(NB, "the one cell of padding this needs goes **at the bottom and right**")
    # PyTorch's padding=1: windows start at -1, 1, 3 and reach padded index 5 of 0..6
    reached = (3 - 1) * 2 + 2
    assert (reached, 5 + 2) == (6, 7)
    says(NB, "three windows with stride 2 reach only 6 of the 7 padded rows and columns")


def test_pytorch_padding_limit():
    says(NB, "p ≤ k / 2 (for a 2×2 pool, at most 1 cell)")
    says(NB, "and checks each axis on its own")
    try:
        ph.output_size(7, pool_size=2, stride=2, padding=2)
    except ValueError as error:
        prints(NB, str(error))
        assert "along the length" not in str(error)
    else:
        raise AssertionError("padding 2 on a pool of 2 should be refused")
    assert "along the length" not in printed(NB)
    assert ph.output_size(7, 2, 2, padding=1) == 4


def test_the_limit_is_per_axis_not_per_window():
    does_not_say(NB, "padding fills at most half of the first window")
    # in 2-D, padding=1 on a 3×3 image: the top-left 2×2 window has 1 real cell of 4
    real = ph.pool2d(np.ones((3, 3)), 2, 2, padding=1, mode="avg")[0, 0] * 4
    assert real == 1
    says(NB, "with `padding=1` on a 3×3 image, below, it is 3 padded cells of 4")
    # along one axis, 1 cell, pool 6, padding 3 (allowed: 3 ≤ 6 / 2): 5 padded of 6
    row = ph.pool2d(np.ones((1, 1)), (1, 6), (1, 6), padding=(0, 3), mode="avg")
    assert row.shape == (1, 1) and row[0, 0] * 6 == 1
    says(NB, "1 cell, pool 6, padding 3: 5 padded cells of 6")


def test_padding_is_defined_before_use():
    says(NB, "**Padding** means adding extra cells around the border of the input")
    says(NB, "*Max pooling pads with −∞, not 0* below says why")
    says(NB, "## Max pooling pads with −∞, not 0")


def test_25_by_25():
    zeros = np.zeros((25, 25))
    assert ph.pool2d(zeros, 2).shape == (12, 12)
    assert ph.pool2d(zeros, 2, padding=0, ceil_mode=True).shape == (13, 13)
    assert ph.pool2d(zeros, 2, padding="same").shape == (13, 13)
    assert (25 - 2) // 2 + 1 == 12 and math.ceil((25 - 2) / 2) + 1 == 13
    says(NB, "⌊(25 − 2) / 2⌋ + 1 = 12")
    says(NB, "⌈(25 − 2) / 2⌉ + 1 = 13")
    # the 13th window starts at row 24, the last row, and holds only it
    assert (13 - 1) * 2 == 24
    says(NB, "it starts at row 24 and holds only that row")
    # why cell 10 passes padding=0: ceil mode without a number is refused
    try:
        ph.pool2d(zeros, 2, ceil_mode=True)
    except ValueError as error:
        assert "ceil_mode" in str(error)
    else:
        raise AssertionError("ceil mode with 'valid' should be refused")
    says(NB, "`pool2d` takes it only with a number for the padding: `padding=0` asks for none")
    prints(NB, "default : (12, 12)")
    prints(NB, "ceil mode: (13, 13)")


def test_cat_corner_cell_says_what_each_step_does():
    source = code_cell("ph.uncovered_cells(cat.shape, 3, 3)")
    for unexplained in ("ListedColormap", "masked_where"):
        assert unexplained not in source
    assert "# per pixel: red, green, blue, opacity" in source
    assert "# bottom first: row numbers grow downwards" in source


def test_cat_border_dropped():
    side = ph.output_size(224, 3, 3)
    assert (side, 3 * side) == (74, 222)
    prints(NB, f"{side} outputs cover {3 * side} of the 224 pixels along each side")
    assert 224 - 3 * side == 2
    says(NB, f"{side} outputs cover {3 * side} pixels, so the last two rows and columns")
    dropped = ph.uncovered_cells((224, 224), 3, 3)
    assert dropped[222:].all() and dropped[:, 222:].all() and not dropped[:222, :222].any()
    says(NB, "The red strip, two pixels wide")
    does_not_say(NB, "hatched red")


def test_ceil_mode_last_window_rule():
    n, k, s, p = 7, 2, 2, 1
    formula = math.ceil((n + 2 * p - k) / s) + 1
    last_start = (formula - 1) * s - p
    kept = ph.output_size(n, k, s, padding=p, ceil_mode=True)
    assert (formula, last_start, kept) == (5, 7, 4)
    assert last_start >= n  # it would start in the right padding
    prints(NB, f"the formula gives {formula} windows; the last would start at cell {last_start}")
    prints(NB, f"keep {kept}")
    says(NB, f"The formula gives {formula}, but the fifth window would start at cell "
             f"{last_start}, in the right padding, so only {kept}")
    says(NB, "the last window must start inside the input or in the left padding")
    row = np.arange(1, n + 1)[None, :]
    pooled = ph.pool2d(row, (1, k), (1, s), padding=(0, p), ceil_mode=True)
    assert pooled.tolist() == [[1, 3, 5, 7]]
    prints(NB, "array([[1, 3, 5, 7]])")
    says(NB, "(n = 7, k = 2, s = 2, p = 1: 4, not 5)")
    # the pair form is said before the cell that first uses it, not mid-argument
    says(NB, "`pool2d` takes each of them as one number for both axes, or as a pair (rows, "
             "columns). `padding=(0, p)` pads the row's two ends")
    does_not_say(NB, "With padding, ceil mode has one more rule")
    does_not_say(NB, "no window may start in the right padding")
    says(NB, "Ceil mode has one more rule, with or without padding.")
    says(NB, "a window that would start after the input's last cell (in the right padding, or "
             "further on) is not kept")
    # without padding too: pool 1, stride 6 on 32 cells; the 7th window would start at 36
    n2, k2, s2 = 32, 1, 6
    assert math.ceil((n2 - k2) / s2) + 1 == 7 and 6 * s2 == 36 >= n2
    assert ph.output_size(n2, k2, s2, padding=0, ceil_mode=True) == 6


def test_a_window_taken_off_leaves_the_round_down_count():
    n, k, s, p = 7, 2, 2, 1
    floor_count = (n + 2 * p - k) // s + 1
    assert floor_count == 7 // 2 + 1 == ph.output_size(n, k, s, padding=p, ceil_mode=True) == 4
    prints(NB, f"rounding down, without ceil mode: {floor_count}")
    printed_above(NB, "exactly the count without ceil mode, ⌊7 / 2⌋ + 1 = 4",
                  "rounding down, without ceil mode: 4")
    # always so, because p ≤ k / 2: every trimmed case falls back to the plain count
    trimmed = 0
    for n in range(1, 30):
        for k in range(1, 7):
            for s in range(1, 7):
                for p in range(0, k // 2 + 1):
                    if n + 2 * p < k:
                        continue
                    windows = ph.axis_windows(n, k, s, padding=p, ceil_mode=True)
                    if windows.trimmed:
                        trimmed += 1
                        assert windows.count == ph.output_size(n, k, s, padding=p), (n, k, s, p)
    assert trimmed > 0
    says(NB, "That is always so. Without ceil mode every window lies whole inside the padded "
             "input, which ends at cell n − 1 + p, so a window of k cells starts at cell "
             "n + p − k or before (here 7 + 1 − 2 = 6).")
    assert 7 + 1 - 2 == 6
    says(NB, "PyTorch allows p ≤ k / 2, less than k, so n + p − k < n")
    # and the case where ceil mode's extra window is kept: 25 cells, pool 2
    kept = ph.axis_windows(25, 2, 2, padding=0, ceil_mode=True)
    assert kept.count == 13 and not kept.trimmed and kept.starts.tolist()[-1] == 24
    assert ph.output_size(25, 2, 2) == 12
    says(NB, "on 25 cells with pool 2, above, the 13th window starts at cell 24, and ceil mode "
             "gives 13, not 12")


def test_same_splits_the_padding():
    n, k, s = 5, 4, 2
    out = ph.output_size(n, k, s, padding="same")
    total = max((out - 1) * s + k - n, 0)
    assert (out, total, total // 2, total - total // 2) == (3, 3, 1, 2)
    prints(NB, "3 outputs; 3 padded cells: 1 before, 2 after")
    says(NB, "3 outputs and 3 padded cells: 1 before, 2 after")
    # padded row: pad, 1, 2, 3, 4, 5, pad, pad; windows start at 0, 2, 4
    pooled = ph.pool2d(np.arange(1, 6)[None, :], (1, k), (1, s), padding="same")
    assert pooled.tolist() == [[3, 5, 5]]
    prints(NB, "array([[3, 5, 5]])")
    says(NB, "the first window is then one padded cell and 1, 2, 3, and the last is 4, 5 and two "
             "padded cells")


def test_minus_infinity_padding():
    negative = -np.arange(1.0, 10.0).reshape(3, 3)
    right = ph.pool2d(negative, 2, 2, padding=1)
    wrong = ph.pool2d(np.pad(negative, 1), 2, 2)
    assert right.tolist() == [[-1.0, -2.0], [-4.0, -5.0]]
    assert wrong.tolist() == [[0.0, 0.0], [0.0, -5.0]] and 0.0 not in negative
    prints(NB, f"pad with -inf (correct): {right.tolist()}")
    assert "(right)" not in printed(NB)
    prints(NB, f"pad with 0 (wrong): {wrong.tolist()}")


def test_padded_average_divisor():
    fours = np.full((3, 3), 4.0)
    torch = ph.pool2d(fours, 2, 2, padding=1, mode="avg")
    tensorflow = ph.pool2d(fours, 2, 2, padding="same", mode="avg")
    assert torch.tolist() == [[1.0, 2.0], [2.0, 4.0]]
    assert (tensorflow == 4.0).all()
    prints(NB, f"PyTorch padding=1: {torch.tolist()}")
    prints(NB, f"TensorFlow 'same': {tensorflow.tolist()}")
    says(NB, "PyTorch's top-left output is 1.0 = (4 + 0 + 0 + 0) / 4 and the two next to it are 2.0")
    says(NB, "TensorFlow's outputs are all 4.0")
    does_not_say(NB, "PyTorch's corners are 1.0")
    does_not_say(NB, "TensorFlow pads only at the bottom and right, so its first window is four real")


def test_default_stride():
    nine = np.zeros((9, 9))
    assert ph.pool2d(nine, 3).shape == ph.pool2d(nine, 3, 3).shape == (3, 3)
    assert ph.pool2d(nine, 3, 1).shape == (7, 7)
    prints(NB, "stride left out: (3, 3)")
    prints(NB, "stride 1: (7, 7)")
    says(NB, "TensorFlow's lower-level `tf.nn.max_pool2d` has no default: its stride must be given")
    does_not_say(NB, "the default stride is the pool size in both frameworks")


def code_cell(text):
    """The source of the one code cell containing ``text``."""
    found = ["".join(c["source"]) for c in cells(NB)
             if c["cell_type"] == "code" and text in "".join(c["source"])]
    assert len(found) == 1, f"{len(found)} code cells contain {text!r}"
    return found[0]


def test_explorer_static_example_is_the_ceil_case():
    assert ph.output_size(7, 2, 2, padding=1, ceil_mode=True) == 4
    says(NB, "(7 cells, pool 2, stride 2, padding 1, ceil mode)")
    code_cell("ph.plot_output_size(7, pool_size=2, stride=2, padding=1, ceil_mode=True)")
    ax = ph.plot_output_size(7, 2, 2, padding=1, ceil_mode=True).axes[0]
    assert ax.get_title().startswith("⌈(7 + 2·1 − 2) / 2⌉ + 1 − 1 = 4 outputs")
    bars = [p for p in ax.patches if p.get_y() > 1]  # the cells sit at y = 0
    assert len(bars) == 4  # the window taken off is not drawn
    says(NB, "Its title gives the formula with \"− 1\" at the end for the window PyTorch takes off; "
             "that window is not drawn, only the 4 kept")
    does_not_say(NB, "its title shows the formula and the one window taken off")
    says(NB, "its box is greyed out while the padding is 'valid' or 'same'")
    # a public function draws it: no widget internals, no mid-notebook import of Image
    everything = " ".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    for internal in ("padding_dropdown", "ceil_box", "picture.value", "IPython.display"):
        assert internal not in everything, internal


def test_figure_one_numbers_cells_as_the_input_and_frames_neighbours_apart():
    source = code_cell("ph.plot_padding(x, ")
    # the drawing is a documented helper's, not Matplotlib machinery in the cell (issue 19)
    assert len(source.splitlines()) <= 3 and "get_layout_engine" not in source
    fig = ph.plot_padding(np.arange(1, 26).reshape(5, 5), pool_size=2,
                          paddings=["valid", "same", 1])
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["'valid' → 2×2\nlast row and column dropped",
                      "'same' → 3×3\npadded bottom, right", "padding=1 → 3×3\npadded all round"]
    # the padded grid's row 0 is the input's row -1
    torch_panel = fig.axes[2]
    assert [t.get_text() for t in torch_panel.get_yticklabels()] == [str(i) for i in range(-1, 6)]
    assert [t.get_text() for t in torch_panel.get_xticklabels()] == [str(i) for i in range(-1, 6)]
    # every cell's number and every "pad" is written: 25, 36 and 49 cells
    assert [len(ax.texts) for ax in fig.axes] == [25, 36, 49]
    says(NB, "padding before the input is row or column −1")
    says(NB, "Drawn on the padded grids by `ph.plot_padding`")
    says(NB, "neighbouring windows in different colours")
    does_not_say(NB, "each window has its own coloured frame")
    # as drawn: two frames side by side or one above the other never share a colour, nor
    # two blues (dark and light blue look alike on a projector; issue of review 05-08)
    from matplotlib.colors import to_hex

    def blue(colour):
        return colour in {"#56b4e9", "#0072b2", "#004488"}

    for ax in fig.axes:
        frames = [(round(p.get_y() + 0.5), round(p.get_x() + 0.5), to_hex(p.get_edgecolor()))
                  for p in ax.patches if not p.get_fill()]
        assert len(frames) in (4, 9)
        for i, (top, left, colour) in enumerate(frames):
            for top2, left2, colour2 in frames[i + 1:]:
                if abs(top - top2) + abs(left - left2) == 2:  # neighbours, pool 2
                    assert colour != colour2 and not (blue(colour) and blue(colour2)), (
                        ax.get_title(), (top, left, colour), (top2, left2, colour2))


def stored_pngs():
    for index, cell in enumerate(cells(NB)):
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if data:
                png = base64.b64decode("".join(data))
                yield index, struct.unpack(">II", png[16:24])


def test_every_stored_figure_fits_a_projected_screen():
    """At most 844 px wide (the notebook's column at 1024×768) and 620 px tall (the screen
    shows about 647): no figure is shrunk, and each is seen whole (issue 19, section 2)."""
    sizes = dict(stored_pngs())
    assert len(sizes) >= 6
    for index, (width, height) in sizes.items():
        assert width <= 844 and height <= 620, (index, width, height)


def test_same_padding_side_exercise():
    x_row = np.array([[7, 1, 3, 5]])
    out = ph.output_size(4, 4, 1, padding="same")
    total = (out - 1) * 1 + 4 - 4
    assert (out, total, total // 2, total - total // 2) == (4, 3, 1, 2)
    # the task gives the total, not the split: the learner applies the rule
    says(NB, "There are 4 outputs, so 'same' pads 3 cells along the width, which do not split "
             "evenly between the two ends")
    does_not_say(NB, "1 on the left, 2 on the right")
    assert ph.pool2d(x_row, (1, 4), 1, padding="same")[0].tolist() == [7, 7, 5, 5]
    heavy_left = np.pad(x_row.astype(float), ((0, 0), (2, 1)), constant_values=-np.inf)
    assert ph.pool2d(heavy_left, (1, 4), 1)[0].tolist() == [7, 7, 7, 5]
    says(NB, "(pad, 7, 1, 3) → 7, (7, 1, 3, 5) → 7, (1, 3, 5, pad) → 5 and (3, 5, pad, pad) → 5")
    says(NB, "(pad, pad, 7, 1) → 7, (pad, 7, 1, 3) → 7, (7, 1, 3, 5) → 7 and (1, 3, 5, pad) → 5: "
             "7, 7, 7, 5")


def test_summary_states_the_ceil_rule():
    says(NB, "minus one if that last window would start after the input's last cell")
    does_not_say(NB, "would start in the right padding")
    says(NB, "an odd padding puts its extra cell at the bottom or right")
    # the average's padded zeros are PyTorch's default, said with its condition
    says(NB, "average counts the padded zeros in its divisor by default (`count_include_pad=True`)")
    does_not_say(NB, "average counts the padded zeros.")
    summary = next("".join(c["source"]) for c in cells(NB)
                   if "".join(c["source"]).startswith("## Summary"))
    assert "## Exercises" not in summary and len(summary.split()) <= 205
    does_not_say(NB, "padded mostly at the bottom/right")


# --- adaptive pooling -------------------------------------------------------------------------

def shared_cells(n, windows):
    return [c for c in range(n) if sum(a <= c < b for a, b in windows) == 2]


def test_adaptive_rule_for_10_to_4():
    windows = ph.adaptive_windows(10, 4)
    assert windows == [(0, 3), (2, 5), (5, 8), (7, 10)]
    assert [(math.floor(i * 2.5), math.ceil((i + 1) * 2.5)) for i in range(4)] == windows
    prints(NB, "window 1: 2.5 to 5, rounded out: 2 to 5")
    prints(NB, "window 3: 7.5 to 10, rounded out: 7 to 10")
    says(NB, "**⌊i·n/m⌋ to ⌈(i+1)·n/m⌉**")
    says(NB, "For 10 cells and 4 outputs, n / m = 2.5")
    assert shared_cells(10, windows) == [2, 7]
    assert {b - a for a, b in windows} == {3} and [a for a, _ in windows] == [0, 2, 5, 7]
    printed_above(NB, "Four windows of 3 cells, (0, 3), (2, 5), (5, 8), (7, 10)",
                  "[(0, 3), (2, 5), (5, 8), (7, 10)] in two windows: [2, 7]")
    says(NB, "they start at 0, 2, 5 and 7, and cells 2 and 7 are each in two windows")
    says(NB, "(10 → 4 shares cells 2 and 7)")


def test_adaptive_figure_cases():
    seven, eight = ph.adaptive_windows(7, 3), ph.adaptive_windows(8, 3)
    assert seven == [(0, 3), (2, 5), (4, 7)] and shared_cells(7, seven) == [2, 4]
    assert [b - a for a, b in eight] == [3, 4, 3]
    printed_above(NB, "7 → 3 gives three windows of 3 cells, and each overlaps the next "
                      "(cells 2 and 4)", "7 → 3: [(0, 3), (2, 5), (4, 7)]")
    printed_above(NB, "8 → 3 gives windows of 3, 4 and 3 cells", "8 → 3: [(0, 3), (2, 6), (5, 8)]")
    # 7 → 3 is plain pooling: pool 3, stride 2 gives the same windows
    assert [(a, a + 3) for a in ph.axis_windows(7, 3, 2).starts.tolist()] == seven
    says(NB, "these are exactly the windows of `pool2d` with pool 3 and stride 2")
    # 10 → 4: equal sizes, uneven starts
    ten = ph.adaptive_windows(10, 4)
    starts = [a for a, _ in ten]
    assert len({b - a for a, b in ten}) == 1
    assert len({b - a for a, b in zip(starts, starts[1:])}) > 1
    says(NB, "10 → 4 also gives windows of equal size, but they start at 0, 2, 5 and 7, not "
             "evenly spaced")
    says(NB, "**adaptive pooling's windows need not be equal nor evenly spaced**")
    does_not_say(NB, "Adaptive pooling does not use equal windows")
    does_not_say(NB, "it is not pooling with one pool size and one stride")


def test_adaptive_equals_pool2d_when_m_divides_n():
    grid = np.random.default_rng(0).integers(0, 100, size=(12, 8))
    for mode in ("max", "avg"):
        assert np.array_equal(ph.adaptive_pool2d(grid, (4, 2), mode),
                              ph.pool2d(grid, (3, 4), mode=mode))
    assert ph.adaptive_windows(12, 4) == [(i * 3, i * 3 + 3) for i in range(4)]
    assert ph.adaptive_windows(8, 2) == [(0, 4), (4, 8)]
    printed_above(NB, "Both print True", "max True avg True")
    says(NB, "A 12×8 matrix pooled to 4×2 (k = 3 down, k = 4 across)")


def test_cat_at_two_sizes_gives_7_by_7():
    cat_full = ph.load_image(ph.CAT_PATH, grayscale=True)
    cat_half = ph.pool2d(cat_full, 2, mode="avg")
    assert cat_full.shape == (300, 451) and cat_half.shape == (150, 225)
    sizes = {}
    for photo in (cat_full, cat_half):
        assert ph.adaptive_pool2d(photo, 7, "avg").shape == (7, 7)
        sizes[photo.shape] = [sorted({b - a for a, b in ph.adaptive_windows(side, 7)})
                              for side in photo.shape]
    assert sizes == {(300, 451): [[43, 44], [65, 66]], (150, 225): [[22, 23], [33]]}
    says(NB, "The grey cat at its own size, 300×451, and at half size")
    says(NB, "a grid of numbers whose size follows the photo's size")
    does_not_say(NB, "the convolutions give a feature map as large as the photo")
    does_not_say(NB, "ResNets end their convolutions")
    printed_above(NB, "Each output of the full photo averages a window of 43 or 44 rows by 65 or "
                      "66 columns; of the half-size photo, 22 or 23 rows by 33 columns",
                  "(300, 451) → (7, 7) windows of [43, 44] rows × [65, 66] columns "
                  "(150, 225) → (7, 7) windows of [22, 23] rows × [33] columns")


def test_the_two_7_by_7_results_are_close_not_identical():
    cat_full = ph.load_image(ph.CAT_PATH, grayscale=True)
    cat_half = ph.pool2d(cat_full, 2, mode="avg")
    gap = np.abs(ph.adaptive_pool2d(cat_full, 7, "avg")
                 - ph.adaptive_pool2d(cat_half, 7, "avg")).max()
    assert 0 < gap and f"{gap:.2f}" == "1.84"
    prints(NB, f"largest difference between the two 7×7 results: {gap:.2f} grey levels")
    printed_above(NB, f"they differ by at most {gap:.2f} grey levels of 255",
                  f"largest difference between the two 7×7 results: {gap:.2f}")
    says(NB, "The two results have the same shape, so the same next layer accepts both")
    does_not_say(NB, "cannot tell which photo it came from")
    # the square 7×7 panels stand for windows about 1.5 times wider than tall
    rows, cols = (ph.adaptive_windows(side, 7) for side in cat_full.shape)
    assert {b - a for a, b in rows} == {43, 44} and {b - a for a, b in cols} == {65, 66}
    says(NB, "about 1.5 times wider than tall (43–44 rows by 65–66 columns)")
    source = code_cell("pooled_half = ph.adaptive_pool2d(")
    assert 'unit = "outputs" if img.shape == (7, 7) else "pixels"' in source
    assert "unit=unit)" in source
    # nearly the same part of the cat, not the same: window 0 of each
    assert rows[0] == (0, 43) and ph.adaptive_windows(cat_half.shape[0], 7)[0] == (0, 22)
    assert cat_half.shape[0] * 2 == cat_full.shape[0]  # half row 21 is full rows 42 and 43
    says(NB, "because each is the mean of nearly the same part of the cat (window 0 holds rows "
             "0–42 of the full photo, and rows 0–21 of the half-size one, made from rows 0–43 of "
             "the full photo)")
    does_not_say(NB, "the cat looks squeezed sideways")
    does_not_say(NB, "the mean of the same part of the cat")


def test_adaptive_explorer_static_example():
    code_cell("ph.plot_adaptive_windows(3, 5)")
    title = ph.plot_adaptive_windows(3, 5).axes[0].get_title()
    assert title.endswith("cells 0, 2 are in two, cell 1 in three")
    windows = ph.adaptive_windows(3, 5)
    assert windows == [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
    assert windows[1] == (0, 2) and windows[2] == (1, 2)
    printed_above(NB, "window 1 is cells 0 and 1, window 2 is cell 1 alone",
                  "[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]")
    says(NB, "3 cells and 5 outputs")


def test_adaptive_exercises():
    windows = ph.adaptive_windows(7, 4)
    assert windows == [(0, 2), (1, 4), (3, 6), (5, 7)]
    assert [i * 7 / 4 for i in range(5)] == [0, 1.75, 3.5, 5.25, 7]
    assert [b - a for a, b in windows] == [2, 3, 3, 2]
    assert shared_cells(7, windows) == [1, 3, 5]
    says(NB, "windows_7_to_4 = [(0, 2), (1, 4), (3, 6), (5, 7)]")
    says(NB, "Their sizes are 2, 3, 3 and 2, and cells 1, 3 and 5 are each in two windows")
    assert ph.adaptive_windows(13, 1) == [(0, 13)]
    says(NB, "from ⌊0·n/1⌋ = 0 to ⌈1·n/1⌉ = n: every cell of the side")


# --- exercises 1 and 3: new numbers, not the worked examples ----------------------------------

def test_exercise_1_is_26_by_26_with_pool_3():
    import pooling_exercises as ex
    assert ex.SIDE_CASE == {"n": 26, "pool": 3, "stride": 3}
    floor_side, ceil_side = ph.output_size(26, 3, 3), ph.output_size(26, 3, 3, 0, True)
    assert (floor_side, ceil_side) == (8, 9)
    assert (26 - 3) // 3 + 1 == 8 and math.ceil((26 - 3) / 3) + 1 == 9
    assert (ceil_side - 1) * 3 == 24 and ph.uncovered_cells((26, 26), 3, 3)[24:].all()
    says(NB, "What output side does 3×3 pooling with stride 3 give on a 26×26 input")
    says(NB, "without_ceil, with_ceil = 8, 9")
    says(NB, "rows 24 and 25 fill no window, so they are dropped")
    says(NB, "the 9th window starts at row 24, inside the input (it holds rows 24 and 25 only)")
    code_cell("check_26_by_26(without_ceil, with_ceil)")
    assert ex.check_26_by_26(8, 9).ok
    does_not_say(NB, "without_ceil, with_ceil = 12, 13")  # not cell 10's worked example


def test_exercise_3_is_a_3_by_3_image_of_9s_with_a_3_by_3_pool():
    import pooling_exercises as ex
    nines = np.full((3, 3), 9.0)
    torch = ph.pool2d(nines, 3, 2, padding=1, mode="avg")[0, 0]
    tensorflow = ph.pool2d(nines, 3, 2, padding="same", mode="avg")[0, 0]
    assert (torch, tensorflow) == (4.0, 9.0) and 4 * 9 / 9 == 4.0 and 4 * 9 / 4 == 9.0
    same = ph.axis_windows(3, 3, 2, padding="same")
    assert (same.count, same.pad_before, same.pad_after) == (2, 1, 1)
    says(NB, "A 3×3 image of 9s, 3×3 average pooling with stride 2")
    says(NB, "torch_value, tensorflow_value = 4.0, 9.0")
    says(NB, "PyTorch divides by all nine cells: 36 / 9 = 4.0")
    says(NB, "pads (2 − 1) · 2 + 3 − 3 = 2 cells, one before and one after")
    says(NB, "it divides by those four real cells only: 36 / 4 = 9.0")
    assert ex.check_padded_average(4.0, 9.0).ok
    does_not_say(NB, "torch_value, tensorflow_value = 1.0, 4.0")  # not cell 26's example


def test_adaptive_pooling_in_two_known_networks_respectively():
    says(NB, "put `AdaptiveAvgPool2d((1, 1))` and `AdaptiveAvgPool2d((7, 7))` respectively")
    says(NB, "ResNet and VGG")


def test_exercise_5_asks_for_the_answer_before_the_explorer():
    explorer = next("".join(c["source"]) for c in cells(NB)
                    if "ph.adaptive_explorer(" in "".join(c["source"]))
    assert "n=10, output_size=4" in explorer  # not the exercise's 7 → 4
    says(NB, "Work them out with the rule (7 / 4 = 1.75) before you run the check; the explorer "
             "above shows them at 7 → 4, so leave it until you have your answer.")
