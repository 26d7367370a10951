"""Notebook 05 (padding and output size): what its prose says about data, recomputed."""

import math

import numpy as np

import pooling_helpers as ph
from claims import does_not_say, printed_above, prints, says

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
    try:
        ph.output_size(7, pool_size=2, stride=2, padding=2)
    except ValueError as error:
        prints(NB, str(error))
    else:
        raise AssertionError("padding 2 on a pool of 2 should be refused")
    assert ph.output_size(7, 2, 2, padding=1) == 4


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
    says(NB, "the 13th window starts at row 24, inside the input")
    prints(NB, "default : (12, 12)")
    prints(NB, "ceil mode: (13, 13)")


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
    prints(NB, f"pad with -inf (right): {right.tolist()}")
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
    # TensorFlow's bottom-right window holds one real 4 and three padded cells: 4 / 1
    padded_ones = np.pad(np.ones((3, 3)), ((0, 1), (0, 1)))
    assert padded_ones[2:4, 2:4].sum() == 1
    says(NB, "even the bottom-right one, whose window holds one real 4 and three padded cells "
             "(4 / 1)")
    says(NB, "The answer 4.0 therefore says nothing about *where* TensorFlow pads")
    does_not_say(NB, "TensorFlow pads only at the bottom and right, so its first window is four real")


def test_default_stride():
    nine = np.zeros((9, 9))
    assert ph.pool2d(nine, 3).shape == ph.pool2d(nine, 3, 3).shape == (3, 3)
    assert ph.pool2d(nine, 3, 1).shape == (7, 7)
    prints(NB, "stride left out: (3, 3)")
    prints(NB, "stride 1: (7, 7)")
    says(NB, "TensorFlow's lower-level `tf.nn.max_pool2d` has no default: its stride must be given")
    does_not_say(NB, "the default stride is the pool size in both frameworks")


def test_explorer_static_example_is_the_ceil_case():
    assert ph.output_size(7, 2, 2, padding=1, ceil_mode=True) == 4
    says(NB, "(7 cells, pool 2, stride 2, padding 1, ceil mode)")


def test_same_padding_side_exercise():
    x_row = np.array([[7, 1, 3, 5]])
    out = ph.output_size(4, 4, 1, padding="same")
    total = (out - 1) * 1 + 4 - 4
    assert (out, total, total // 2, total - total // 2) == (4, 3, 1, 2)
    says(NB, "There are 4 outputs, and the total padding along the width is 3 cells: 1 on the "
             "left, 2 on the right")
    assert ph.pool2d(x_row, (1, 4), 1, padding="same")[0].tolist() == [7, 7, 5, 5]
    heavy_left = np.pad(x_row.astype(float), ((0, 0), (2, 1)), constant_values=-np.inf)
    assert ph.pool2d(heavy_left, (1, 4), 1)[0].tolist() == [7, 7, 7, 5]
    says(NB, "(pad, 7, 1, 3) → 7, (7, 1, 3, 5) → 7, (1, 3, 5, pad) → 5 and (3, 5, pad, pad) → 5")
    says(NB, "(pad, pad, 7, 1) → 7, (pad, 7, 1, 3) → 7, (7, 1, 3, 5) → 7 and (1, 3, 5, pad) → 5: "
             "7, 7, 7, 5")


def test_summary_states_the_ceil_rule():
    says(NB, "minus one if that last window would start in the right padding")
    says(NB, "so an odd extra cell goes at the bottom or right")
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
    says(NB, "**Adaptive pooling does not use equal windows**")


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
    printed_above(NB, "Each output of the full photo averages a window of 43 or 44 rows by 65 or "
                      "66 columns; of the half-size photo, 22 or 23 rows by 33 columns",
                  "(300, 451) → (7, 7) windows of [43, 44] rows × [65, 66] columns "
                  "(150, 225) → (7, 7) windows of [22, 23] rows × [33] columns")


def test_adaptive_explorer_static_example():
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
