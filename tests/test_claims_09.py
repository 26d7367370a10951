"""Notebook 09 (the pooling zoo): what its prose says about data, recomputed."""

import math

import numpy as np

import pooling_exercises as ex
import pooling_helpers as ph
from claims import cells, does_not_say, printed_above, prints, says

NB = "09_the_pooling_zoo"
MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])


def _cat():
    return ph.load_image(ph.DATA_DIR / "cat.png", grayscale=True, size=(224, 224))


def test_the_matrix_is_the_articles():
    source = "".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "[10, 12,  8,  7]" in source and "[ 3, 15,  2,  2]" in source
    first = "".join("".join(c["source"]) for c in cells("01_pool_extraction"))
    assert "[10, 12,  8,  7]" in first and "[ 3, 15,  2,  2]" in first  # notebook 01's
    says(NB, "The article's 4×4 matrix from notebooks 01 to 03")
    prints(NB, "(4, 4) (224, 224)")


def test_dilation_on_the_matrix():
    pooled = ph.pool2d(MATRIX, 2, 1, dilation=2)
    assert pooled.tolist() == [[18, 13], [5, 15]]
    prints(NB, "[[18, 13], [ 5, 15]]")
    first = MATRIX[::2, ::2][:2, :2]
    assert sorted(first.ravel().tolist()) == sorted([10, 8, 18, 7]) and first.max() == 18
    says(NB, "the cells 10, 8, 18 and 7, whose maximum is 18")
    assert 2 * (2 - 1) + 1 == 3 and ph.axis_windows(4, 2, 1, dilation=2).starts.tolist() == [0, 1]
    says(NB, "It spans 2 × (2 − 1) + 1 = 3 rows, so along a side of 4 only two windows fit, "
             "starting at 0 and 1")
    says(NB, "**⌊(n + 2p − d (k − 1) − 1) / s⌋ + 1**")
    assert ph.output_size(4, 2, 1, dilation=2) == (4 - 2 * 1 - 1) // 1 + 1 == 2
    prints(NB, "formula: 2 output_size: 2")


def test_dilation_on_the_cat():
    cat = _cat()
    assert ph.pool2d(cat, 2, 2).shape == (112, 112)
    assert ph.pool2d(cat, 2, 2, dilation=8).shape == (108, 108)
    assert 8 * (2 - 1) + 1 == 9
    says(NB, "dilation 1 gives 112×112 as in notebook 04; dilation 8 spans 9 pixels")
    says(NB, "only 108 windows fit along each side")


def test_three_divisors_on_the_matrix_corner():
    corner = MATRIX[:2, :2]
    assert corner.ravel().tolist() == [10, 12, 4, 11] and corner.sum() == 37
    values = [ph.pool2d(MATRIX, 3, 2, padding=1, mode="avg", **options)[0, 0]
              for options in ({}, {"count_padding": False}, {"divisor": 2})]
    shown = [f"{v:.2f}" for v in values]
    assert shown == ["4.11", "9.25", "18.50"]
    assert np.allclose(values, [37 / 9, 37 / 4, 37 / 2])
    printed_above(NB, "The same sum, 37, gives three answers",
                  "real cells: [10, 12, 4, 11] sum: 37 all cells : 4.11 real cells: 9.25 "
                  "divisor 2 : 18.50")
    says(NB, "37 / 9 = 4.11, 37 / 4 = 9.25 and 37 / 2 = 18.50")
    says(NB, "so it holds four real cells, 10, 12, 4 and 11, and five padded ones")
    says(NB, "4.11, 9.25 or 18.50 from the matrix corner's sum, 37")


def test_three_divisors_on_the_cat():
    cat = _cat()
    counted = ph.pool2d(cat, 3, 2, padding=1, mode="avg")
    real = ph.pool2d(cat, 3, 2, padding=1, mode="avg", count_padding=False)
    corner = (f"{counted[0, 0]:.2f}", f"{real[0, 0]:.2f}")
    row = (f"{counted[0].mean():.1f}", f"{real[0].mean():.1f}")
    assert corner == ("55.78", "125.50") and row == ("71.8", "108.1")
    printed_above(NB, "Counting the padding, the corner is 55.78 instead of 125.50",
                  "all cells: 55.78, real cells: 125.50 mean of the first row, all cells: "
                  "71.8, real cells: 108.1")
    says(NB, "less than half: the corner window holds 4 real pixels of 9")
    # a top-row window (rows -1 to 1) away from the corner: 2 real rows of 3 columns
    assert ph.pool2d(np.ones((224, 224)), 3, 2, padding=1, mode="avg")[0, 5] * 9 == 6
    says(NB, "Along the top row each window holds 6 real pixels of 9")
    assert 0.6 < counted[0].mean() / real[0].mean() < 0.7
    says(NB, "about a third darker (71.8 instead of 108.1)")


def test_only_the_top_row_and_left_column_hold_padding():
    windows = ph.axis_windows(224, 3, 2, 1)
    starts = windows.starts.tolist()
    assert starts[:3] == [-1, 1, 3] and starts[-1] == 221 and starts[-1] + 2 == 223
    says(NB, "The windows start at −1, 1, 3, …, 221, so the last one ends at pixel 223, the "
             "input's last")
    cat = _cat()
    counted = ph.pool2d(cat, 3, 2, padding=1, mode="avg")
    real = ph.pool2d(cat, 3, 2, padding=1, mode="avg", count_padding=False)
    assert np.allclose(counted[1:, 1:], real[1:, 1:])
    assert not np.allclose(counted[0], real[0]) and not np.allclose(counted[:, 0], real[:, 0])
    prints(NB, "the same both ways, but for the top row and left column: True")
    says(NB, "all the other outputs come out the same both ways")
    does_not_say(NB, "dark frame")


def test_the_explorers_static_figure():
    fig = ph.plot_dilation(MATRIX, 2, 1, dilation=2, padding=1, divisor="all cells")
    for sentence in fig.caption:
        prints(NB, sentence)
    assert ph.pool2d(MATRIX, 2, 1, 1, "avg", dilation=2)[0, 0] == 11 / 4 == 2.75
    says(NB, "Window 0 takes rows −1 and 1 and columns −1 and 1: one real cell, 11, and three "
             "padded ones, so 11 / 4 = 2.75")
    # the figure writes the outputs to two decimals, as the prose does: 2.75, not 2.8
    assert np.round(ph.pool2d(MATRIX, 2, 1, 1, "avg", dilation=2), 2)[0, 0] == 2.75
    says(NB, "the output (to two decimals)")
    # the padding slider stops at half the pool, the dilation slider where the span fits
    explorer = ph.dilation_explorer(MATRIX, 2, 1, dilation=2, padding=1)
    assert explorer.padding_slider.max == 1 and explorer.dilation_slider.max == 4
    explorer.padding_slider.value = 2  # clipped to 1: never refused
    assert explorer.padding_slider.value == 1 and explorer.output is not None
    says(NB, "The padding slider stops at half the pool, PyTorch's limit, and the dilation "
             "slider where the window still fits the padded matrix")
    # PyTorch's avg_pool2d has no dilation argument; TensorFlow 2.21's tf.nn.pool takes a
    # dilation with an explicit list padding (stride 1 only), zero-filled and counted: the
    # "all cells" average. Checked in a framework venv by tests/check_against_frameworks.py
    # (zoo_tf_dilation, padded cases) and by the notebook's own TensorFlow cell; the suite
    # needs no framework, so here: the sentence and the comparison that backs it are there.
    does_not_say(NB, "takes no padding")
    does_not_say(NB, "No framework offers")
    says(NB, "PyTorch's `avg_pool2d` has no dilation. TensorFlow's\n`tf.nn.pool` takes a "
             "dilation with an explicit padding (stride 1 only): it fills the padding\nwith "
             "zeros and counts them, the \"all cells\" divisor")
    code = "".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert 'agree("dilation 2, padding 1, avg (all cells)",' in code
    assert 'tf.nn.pool(images, [2, 2], "AVG", strides=[1, 1], padding=pads,' in code
    # what that comparison compares: pool2d's default divisor on the zero-padded, dilated windows
    padded = np.pad(MATRIX.astype(float), 1)
    assert np.allclose(ph.pool2d(MATRIX, 2, 1, 1, "avg", dilation=2),
                       ph.pool2d(padded, 2, 1, mode="avg", dilation=2))


def test_padding_one_side():
    assert ph.pool2d(MATRIX, 2, 2, padding=((1, 0), (1, 0))).tolist() == [[10, 12], [18, 13]]
    prints(NB, "[[10, 12], [18, 13]]")
    says(NB, "the first holds three padded cells and the 10, the second the 12 and the 8 below "
             "a padded row")
    same = ph.axis_windows(4, 3, 2, padding="same")
    assert (same.pad_before, same.pad_after) == (0, 1)
    says(NB, "for n = 4, k = 3, s = 2 it needs one cell, and puts it after the input")
    prints(NB, "max: equal avg, padding counted: different avg, padding not counted: equal")
    says(NB, "For max pooling they agree. For the average they agree only with "
             "`count_padding=False`")
    prints(NB, "must have each side less than the pool size 2 (as in TensorFlow)")
    assert ph.pool2d(_cat(), 2, 2, padding=((1, 0), (1, 0))).shape == (112, 112)
    assert (224 + 1 - 2) // 2 + 1 == 112
    says(NB, "⌊(224 + 1 − 2) / 2⌋ + 1 = 112 outputs per side")
    prints(NB, "(112, 112)")


def test_indices_and_unpooling():
    values, where = ph.pool2d(MATRIX, 2, return_indices=True)
    assert values.tolist() == [[12, 9], [18, 7]] and where.tolist() == [[1, 7], [8, 10]]
    prints(NB, "[[12, 9], [18, 7]] [[1, 7], [8, 10]]")
    prints(NB, "[(0, 1), (1, 3), (2, 0), (2, 2)]")
    says(NB, "The 12 came from index 1, row 0, column 1")
    assert MATRIX[2:, 2:].tolist() == [[7, 7], [2, 2]] and divmod(10, 4) == (2, 2)
    says(NB, "The bottom-right window, [[7, 7], [2, 2]], has its maximum twice; its index is "
             "10, row 2, column 2")
    unpooled = ph.max_unpool2d(values, where, 2)
    assert unpooled[unpooled > 0].tolist() == [12, 9, 18, 7]
    prints(NB, "[18, 0, 7, 0]")
    cat = _cat()
    v, w = ph.pool2d(cat, 2, return_indices=True)
    back = ph.max_unpool2d(v, w, 2)
    assert f"{(back > 0).mean():.0%}" == "25%"
    printed_above(NB, "TensorFlow's `tf.nn.max_pool_with_argmax` (the **argmax** is the "
                      "position of the maximum",
                  "(224, 224) 25% of the pixels are not 0")
    says(NB, "a quarter of the pixels come back, each in its own place, the rest are 0")


def test_lp_pooling():
    says(NB, "## LP pooling: from the sum to the maximum")
    assert ph.lp_pool2d(MATRIX, 1).tolist() == [[37.0, 29.0], [49.0, 18.0]]
    prints(NB, "p = 1: [[37.0, 29.0], [49.0, 18.0]]")
    high = ph.lp_pool2d(MATRIX, 64).round(2)
    assert high.tolist() == [[12.0, 9.0], [18.0, 7.08]]
    prints(NB, "p = 64: [[12.0, 9.0], [18.0, 7.08]]")
    says(NB, "p = 64 gives the maxima 12, 9 and 18 to two decimals")
    assert round(7 * 2 ** (1 / 64), 2) == 7.08
    says(NB, "7 × 2^(1/64) ≈ 7.08")
    window = MATRIX[:2, :2]
    at_4 = ph.lp_pool2d(window, 4)[0, 0]
    assert (37 - at_4) / (37 - 12) > 0.8  # most of the fall from the sum to the maximum
    says(NB, "Most of the fall happens between p = 1 and p = 4")
    says(NB, "p = 1 gives the sums (37 for the first window)")


def test_lp_pooling_on_negative_values():
    negative = np.array([[-3, 0], [0, -4]])
    assert ph.lp_pool2d(negative, 2)[0, 0] == 5.0 == ph.lp_pool2d(-negative, 2)[0, 0]
    assert np.isnan(ph.lp_pool2d(negative, 3)[0, 0])
    assert (-27 - 64) == -91  # the sum of the cubes
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.power(-91.0, 1 / 3))  # the root taken as a power: NaN
    assert f"{np.cbrt(-91.0):.2f}" == "-4.50"  # yet -91 has a real cube root
    prints(NB, "p = 2: [[5.0]] | p = 3: [[nan]]")
    says(NB, "p = 2 on [[−3, 0], [0, −4]] gives 5.0, as on [[3, 0], [0, 4]]; with p = 3 the "
             "sum of the cubes is\nnegative, −91, and the root is taken as a power, (−91)^(1/3)")
    says(NB, "although −91 has a real cube root,\n−4.50")
    does_not_say(NB, "no real cube root")
    does_not_say(NB, "LP pooling needs values that are not negative")


def test_fractional_max_pooling():
    says(NB, "## Fractional max pooling: shrinking by 1.4")
    says(NB, "such as 224 → 160, 1.4 times")
    assert 224 / 160 == 1.4
    frac = ph.fractional_max_pool2d(MATRIX, 3, samples=[[[0.5, 0.5]]])
    assert np.array_equal(frac, ph.pool2d(MATRIX, 2, 1)) and (4 - 2) / (3 - 1) == 1
    says(NB, "On the matrix, 4 → 3 gives α = 1: every step is 1, and it is 2×2 max pooling "
             "with stride 1")
    prints(NB, "[[12, 12, 9], [18, 13, 9], [18, 15, 7]] True")
    assert f"{10 / 6:.2f}" == "1.67"
    says(NB, "Along 12 cells with 7 outputs, α = 10 / 6 ≈ 1.67: two steps of 2 for each step "
             "of 1")
    row = np.arange(12)[None, :]
    for u in (0.1, 0.5, 0.9):
        starts = (ph.fractional_max_pool2d(row, (1, 7), (1, 2), samples=[[[u, 0.5]]]) - 1)[0]
        steps = np.diff(starts).tolist()
        assert starts[0] == 0 and starts[-1] == 10 and sorted(steps) == [1, 1, 2, 2, 2, 2]
        prints(NB, f"u = {u}: formula {starts.tolist()}, pooled − 1 {starts.tolist()}")
    says(NB, "always from 0 to 10, two steps of 2 for each step of 1")
    cat = _cat()
    first = ph.fractional_max_pool2d(cat, 160, seed=0)
    second = ph.fractional_max_pool2d(cat, 160, seed=1)
    assert first.shape == (160, 160) and f"{(first != second).mean():.0%}" == "16%"
    printed_above(NB, "The two look alike, yet 16% of their outputs differ",
                  "(160, 160) 16% of the outputs differ")
    says(NB, "**Fractional max pooling** (Graham, 2014")


def test_a_sound():
    says(NB, "## One axis: pooling a sound")
    t = np.linspace(0, 1, 400, endpoint=False)
    wave = np.sin(2 * np.pi * 25 * t) * t
    assert ph.pool1d(wave, 40).shape == (10,)
    prints(NB, "(400,) → (10,)")
    assert 40 / 400 * 25 == 2.5
    says(NB, "each pool of 40 samples holds two and a half waves")
    assert ph.pool1d(MATRIX[0], 2).tolist() == [12, 8]
    prints(NB, "array([12,  8])")
    says(NB, "its first row, 10, 12, 8, 7, is a sound of four samples, and a pool of 2 gives "
             "12 and 8")
    # the step plot draws one step per pooled value: 10 values, 11 edges
    assert len(np.append(t[::40], 1.0)) == 11 and len(ph.pool1d(wave, 40)) == 10
    code = "".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "edges = np.append(t[::40], 1.0)" in code
    assert "ax.step(edges, np.append(loud, loud[-1])" in code
    assert "pool 40 → 10 values" in code
    says(NB, "keeps the largest sample in each tenth of a second")


def test_a_video():
    says(NB, "## Three axes: pooling a video")
    cat = _cat()
    clip = np.stack([np.roll(cat, 8 * f, axis=1) for f in range(8)])
    pooled = ph.pool3d(clip, 2)
    assert pooled.shape == (4, 112, 112)
    prints(NB, "(8, 224, 224) → (4, 112, 112)")
    says(NB, "8 frames of 224×224 become 4 frames of 112×112")
    # output frame 0 is the brighter, at each place, of frames 0 and 1 each pooled 2×2; they
    # are the cat 8 pixels apart, 4 outputs
    first, second = ph.pool2d(clip[0], 2), ph.pool2d(clip[1], 2)
    assert np.array_equal(pooled[0], np.maximum(first, second))
    assert np.array_equal(second, np.roll(first, 4, axis=1)) and 8 // 2 == 4
    says(NB, "the cat has moved 8\npixels, 4 outputs, between them: a bright edge is kept at "
             "both places, 4 outputs apart")
    says(NB, "32×32 outputs: frames 0 and 1, each pooled 2×2 on its own")
    code = "".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "whiskers = (slice(80, 112), slice(12, 44))  # 32×32 outputs" in code
    does_not_say(NB, "smeared")


def test_adaptive_keeps_a_side():
    assert ph.adaptive_pool2d(MATRIX, (1, None)).tolist() == [[18, 15, 8, 9]]
    assert np.array_equal(ph.adaptive_pool2d(MATRIX, (1, None)),
                          ph.adaptive_pool2d(MATRIX, (1, None), mode="max"))
    says(NB, "(max is\n`adaptive_pool2d`'s default mode)")
    # the names table pairs the average with the average
    assert np.allclose(ph.adaptive_pool2d(MATRIX, (1, None), mode="avg"), MATRIX.mean(axis=0))
    says(NB, "| `adaptive_pool2d(x, (7, None), mode='avg')` | `F.adaptive_avg_pool2d(x, (7, None))`")
    prints(NB, "[[18, 15, 8, 9]]")
    says(NB, "The column maxima, 18, 15, 8 and 9")
    assert ph.adaptive_pool2d(_cat(), (7, None), mode="avg").shape == (7, 224)
    prints(NB, "(7, 224)")
    says(NB, "`(7, None)` on the cat gives 7×224")


def test_frameworks_cells_say_when_they_skip():
    prints(NB, "PyTorch is not installed: skipped")
    prints(NB, "TensorFlow is not installed: skipped")


def test_tensorflows_paddings_are_stated_with_their_conditions():
    # TensorFlow 2.21, checked in a framework venv: max_pool2d, max_pool1d and max_pool take a
    # list padding (-inf); avg_pool, avg_pool1d/2d/3d and max_pool3d raise TypeError on one;
    # tf.nn.pool with dilations > 1 takes a list (zeros, counted), refuses 'SAME' (ValueError)
    # and strides > 1. tests/check_against_frameworks.py compares the list-padded tf.nn.pool.
    for old in ("TensorFlow's own explicit padding is for max pooling only",
                "stride 1 and padding 'VALID' only", "stride 1 and padding\n'VALID' only"):
        does_not_say(NB, old)
    says(NB, "`avg_pool`, `avg_pool1d`, `avg_pool2d`, `avg_pool3d` and\n`max_pool3d` refuse one")
    says(NB, "`tf.nn.pool` takes a dilation, for max and average, with stride 1 only, and a "
             "padding that\nis 'VALID' or an explicit list ('SAME' raises an error)")
    says(NB, "padding 'VALID' or an explicit list, filled with zeros and counted; 'SAME' raises "
             "an error")
    # the padded average TensorFlow computes is pool2d's all-cells average; its padded maximum
    # (zeros) is not pool2d's (-inf) on negative values, as the prose says
    negative = -MATRIX.astype(float)
    zero_padded = ph.pool2d(np.pad(negative, 1), 2, 1, dilation=2)
    assert not np.array_equal(zero_padded, ph.pool2d(negative, 2, 1, 1, dilation=2))
    says(NB, "a\nmaximum could pick a padded 0 where `pool2d`'s −∞ never wins")


def test_summary_states_lp_poolings_condition():
    says(NB, "p = 1 is the sum; on values that are not negative it tends to the maximum as p "
             "grows")
    negative = np.array([[-3, -7], [-5, -4]])
    assert abs(ph.lp_pool2d(negative, 64)[0, 0] - negative.max()) > 1  # not the max, -3


def test_exercise_1_dilated_size():
    case = ex.DILATED_CASE
    n, k, s, d = case["n"], case["pool"], case["stride"], case["dilation"]
    assert (n, k, s, d) == (12, 3, 2, 3)
    says(NB, "A side of 12 cells, a pool of 3, stride 2, dilation 3")
    assert ph.output_size(n, k, s, dilation=d) == 3 and d * (k - 1) + 1 == 7
    says(NB, "d (k − 1) + 1 = 3 × 2 + 1 = 7 cells, so ⌊(12 − 7) / 2⌋ + 1 = ⌊2.5⌋ + 1 = 3")
    starts = ph.axis_windows(n, k, s, dilation=d).starts.tolist()
    assert [[a + d * i for i in range(k)] for a in starts] == [[0, 3, 6], [2, 5, 8], [4, 7, 10]]
    says(NB, "windows at cells 0, 3, 6; 2, 5, 8; and 4, 7, 10. A fourth would start at 6 and "
             "reach cell 12")


def test_exercise_2_three_divisors():
    source = "".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "[[6, 2, 9],\n                         [4, 8, 1],\n" in source
    x = ex.CORNER_IMAGE
    assert x[:2, :2].sum() == 20
    says(NB, "the real cells 6, 2, 4 and 8 (sum 20) and five padded ones")
    values = [ph.pool2d(x, 3, 2, padding=1, mode="avg", **o)[0, 0]
              for o in ({}, {"count_padding": False}, {"divisor": 2})]
    assert f"{values[0]:.2f}" == "2.22" and values[1:] == [5.0, 10.0]
    # the tolerance the exercise states is the checker's: 2.22 passes, 2.2 does not
    assert ex.check_three_divisors((2.22, 5, 10)).ok
    assert not ex.check_three_divisors((2.2, 5, 10)).ok
    assert "within 0.006" in ex.check_three_divisors((2.2, 5, 10)).message
    says(NB, "the check accepts each number within 0.006")
    says(NB, "All cells: 20 / 9 ≈ 2.22. Real cells: 20 / 4 = 5.0. Divisor 2: 20 / 2 = 10.0")


def test_exercise_3_tied_unpool():
    assert ex.TIED.tolist() == [[3, 9, 4, 4], [9, 1, 0, 2]]
    values, where = ph.pool2d(ex.TIED, 2, return_indices=True)
    assert where.tolist() == [[1, 2]]
    assert ph.max_unpool2d(values, where, 2).tolist() == [[0, 9, 4, 0], [0, 0, 0, 0]]
    says(NB, "the 9 of row 0 (index 1) comes before the 9 of row 1; in [[4, 4], [0, 2]] the 4 "
             "of column 2 (index 2)")


def test_exercise_4_same_written_out():
    n, k, s = ex.SAME_CASE["n"], ex.SAME_CASE["pool"], ex.SAME_CASE["stride"]
    assert (n, k, s) == (7, 6, 2) and (n, k, s) != (5, 4, 2)  # not notebook 05's worked case
    says(NB, "TensorFlow's 'same' pads a 7×7 input for a 6×6 pool with stride 2")
    windows = ph.axis_windows(n, k, s, padding="same")
    assert windows.count == math.ceil(7 / 2) == 4 and (4 - 1) * 2 + 6 - 7 == 5
    assert (windows.pad_before, windows.pad_after) == (2, 3)
    says(NB, "'same' gives ⌈7 / 2⌉ = 4 outputs, which need (4 − 1) × 2 + 6 − 7 = 5 padded cells")
    says(NB, "TensorFlow puts ⌊5 / 2⌋ = 2 before the input and the other 3 after it")
    x = np.random.default_rng(0).normal(size=(7, 7))
    same = ph.pool2d(x, 6, 2, padding="same")
    assert np.array_equal(ph.pool2d(x, 6, 2, padding=((2, 3), (2, 3))), same)
    # one more cell after the input falls in no window: the same output, and the check says so
    assert np.array_equal(ph.pool2d(x, 6, 2, padding=((2, 4), (2, 4))), same)
    assert not np.array_equal(ph.pool2d(x, 6, 2, padding=((3, 2), (3, 2))), same)
    says(NB, "With\n`((2, 4), (2, 4))` they start where 'same' starts them and as many fit")
    verdict = ex.check_same_as_explicit(((2, 4), (2, 4)))
    assert verdict.ok and "'same' itself adds only" in verdict.message
    says(NB, "the check accepts it\nand says which one 'same' adds")


def test_objectives_and_navigation():
    first = "".join(cells(NB)[0]["source"])
    objectives = [line for line in first.splitlines() if line.startswith("- ")]
    assert 3 <= len(objectives) <= 5  # the template's three to five
    says(NB, "checked against PyTorch and TensorFlow when they are installed")
    for term in ("decoder", "never sees the same windows twice", "loudest sample"):
        does_not_say(NB, term)
    assert "**You will learn** (45 minutes)" in first
    assert "[← 08_pooling_in_a_network](08_pooling_in_a_network.ipynb)" in first
    last = "".join(cells(NB)[-1]["source"])
    assert "[index](00_start_here.ipynb)" in last
    says(NB, "**SegNet** (Badrinarayanan, Kendall and Cipolla, 2015)")


def test_exercise_5_lp_by_hand():
    assert ex.LP_WINDOW.tolist() == [[3, 0], [0, 4]]
    assert ph.lp_pool2d(ex.LP_WINDOW, 2)[0, 0] == 5.0
    squares = (ex.LP_WINDOW ** 2).sum()
    assert squares == 25 and squares / 4 == 6.25 and (squares / 4) ** 0.5 == 2.5
    says(NB, "Square each cell, 9, 0, 0 and 16; add them, 25; take the square root")
    says(NB, "The mean of the squares, 6.25, and its root, 2.5, are what an average would give")
