"""The facts notebook 02 states, recomputed: windows per stride, which value wins how many
windows, skipped cells, the output-size table, the default stride and the explorer's captions."""

import re

import numpy as np

import pooling_helpers as ph
from claims import _flat, cells, does_not_say, printed_above, says

NB = "02_stride"
MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
BIG = np.arange(81).reshape(9, 9)
WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 9: "nine"}


def test_windows_per_stride():
    counts = {}
    for stride in (1, 2, 3):
        out = ph.pool2d(MATRIX, 2, stride)
        counts[stride] = out.size
        printed_above(NB, "**Stride 1**", f"stride {stride}: windows {out.size}, output {out.tolist()}")
    says(NB, f"**Stride 1**: {WORDS[counts[1]]} windows that overlap")
    says(NB, f"**Stride 2**: {WORDS[counts[2]]} windows that tile the matrix exactly")
    assert not ph.uncovered_cells(MATRIX.shape, 2, 2).any()
    assert counts[3] == 1 and ph.uncovered_cells(MATRIX.shape, 2, 3).any()
    says(NB, "**Stride 3**: only one window fits; the hatched rest of the matrix is never looked at")


def test_how_many_windows_the_18_wins():
    out = ph.pool2d(MATRIX, 2, 1)
    wins = int(np.sum(out == 18))
    # the same count from the backward pass: the gradient each cell receives counts its wins
    routed = ph.pool2d_backward(np.ones(out.shape), MATRIX, 2, 1)
    assert routed[MATRIX == 18].item() == wins
    containing = sum(top <= 2 < top + 2 and left <= 0 < left + 2
                     for top, left, _, _ in ph.window_boxes(MATRIX.shape, 2, 1))
    assert containing == wins
    says(NB, f"The 18 appears {'twice' if wins == 2 else wins} in the output: it is the largest "
             f"value of {WORDS[wins]} windows, the {WORDS[wins]} that contain it")
    does_not_say(NB, "the 18 wins three")


def test_overlap_and_skipped_cells_on_9_by_9():
    lines = []
    for pool, stride in [(3, 2), (2, 3)]:
        windows = len(ph.window_boxes(BIG.shape, pool, stride))
        skipped = int(ph.uncovered_cells(BIG.shape, pool, stride).sum())
        lines.append(f"pool {pool}, stride {stride}: {windows} windows, {skipped} cells never looked at")
    overlap_windows = len(ph.window_boxes(BIG.shape, 3, 2))
    skip_windows = len(ph.window_boxes(BIG.shape, 2, 3))
    skipped = int(ph.uncovered_cells(BIG.shape, 2, 3).sum())
    assert not ph.uncovered_cells(BIG.shape, 3, 2).any()
    printed_above(NB, "and every cell is looked at", " ".join(lines))
    says(NB, f"{skipped} of the {BIG.size} cells never influence the output")
    says(NB, f"only three of the {overlap_windows} windows are framed")
    says(NB, f"On the right all {skip_windows} windows are framed")
    # the three drawn: the first window, its right neighbour and the one below it
    boxes = ph.window_boxes(BIG.shape, 3, 2)
    source = next("".join(c["source"]) for c in cells(NB) if "overlapping = [" in "".join(c["source"]))
    per_row = (BIG.shape[1] - 3) // 2 + 1
    assert str([boxes[0], boxes[1], boxes[per_row]]) in source


def test_output_size_table():
    lines = []
    for n, k, s in [(4, 2, 1), (4, 2, 2), (4, 2, 3), (9, 2, 3), (224, 2, 2), (25, 2, 2)]:
        formula, size = (n - k) // s + 1, ph.output_size(n, k, s)
        real = ph.pool2d(np.zeros((n, n)), k, s).shape[0]
        assert formula == size == real
        lines.append(f"n={n:3}, k={k}, s={s}: formula {formula:3}, output_size {size:3}, pool2d {real:3}")
    printed_above(NB, "The three agree on every line, including the 25 → 12", "\n".join(lines))


def test_the_default_stride():
    x = np.arange(36).reshape(6, 6)
    default, three, one = (ph.pool2d(x, 3).shape, ph.pool2d(x, 3, stride=3).shape,
                           ph.pool2d(x, 3, stride=1).shape)
    assert default == three
    printed_above(NB, "Without a stride the result is",
                  f"no stride: {default} stride 3: {three} stride 1: {one}")
    says(NB, f"Without a stride the result is {default}, the same as with stride 3: "
             f"(6 − 3) // 3 + 1 = {default[0]} windows along each side")
    says(NB, f"would give {one}")
    says(NB, "TensorFlow's lower-level `tf.nn.max_pool2d` has no default")
    does_not_say(NB, "both frameworks")


def test_the_static_explorer_view():
    boxes = ph.window_boxes(BIG.shape, 3, 1)
    out = ph.pool2d(BIG, 3, 1)
    picked = [boxes[0], boxes[len(boxes) // 2], boxes[-1]]
    corners = [box[:2] for box in picked]
    for top, left in corners:  # each maximum lands in the output cell of the same coordinates
        assert out[top, left] == BIG[top:top + 3, left:left + 3].max()
    printed_above(NB, f"{len(boxes)} windows, so the output is {out.shape[0]}×{out.shape[1]}",
                  f"{len(boxes)} windows → output {out.shape} their top-left corners: {corners}")
    says(NB, "with top-left corners " + ", ".join(map(str, corners[:-1])) + f" and {corners[-1]}")


def test_what_the_prose_says_to_try_in_the_explorer():
    matrix = np.arange(48).reshape(6, 8) % 17
    source = next("".join(c["source"]) for c in cells(NB) if "stride_explorer(" in "".join(c["source"]))
    assert "np.arange(48).reshape(6, 8) % 17" in source
    says(NB, "to try other pool sizes and strides on a 6×8 matrix")
    explorer = ph.stride_explorer(matrix)
    tries = {(3, 1): "stride 1 with pool 3 (heavy overlap)",
             (2, 3): "stride 3 with pool 2 (skipped pixels)",
             (4, 4): "pool 4 with stride 4 on 6 rows (a dropped border)"}
    for (pool, stride), phrase in tries.items():
        says(NB, phrase)
        explorer.pool_size_slider.value, explorer.stride_slider.value = pool, stride
        never = ph.uncovered_cells(matrix.shape, pool, stride)
        out = ph.pool2d(matrix, pool, stride)
        caption = explorer.caption.value  # the explorer's own sentence must agree
        assert f"{out.shape[0]} row" in caption and f"{out.shape[1]} column" in caption, caption
        if never.any():
            assert re.search(rf"\b{never.sum()} cells are never looked at", caption), caption
        else:
            assert "Every cell is looked at" in caption, caption
    # the dropped border: pool 4, stride 4 leaves the last two rows and no column
    never = ph.uncovered_cells(matrix.shape, 4, 4)
    assert never[4:].all() and not never[:4].any()
    assert ph.window_boxes(matrix.shape, 2, 3)[1][1] - 2 == 1  # a one-cell gap between windows


def test_exercise_worked_solutions():
    rows, cols = ph.pool2d(np.zeros((9, 12)), 3).shape
    says(NB, f"default_stride_shape = ({rows}, {cols})")
    says(NB, f"(9 − 3) // 3 + 1 = {rows} rows and (12 − 3) // 3 + 1 = {cols} columns")
    never = int(ph.uncovered_cells((8, 8), 2, 3).sum())
    starts = sorted({top for top, _, _, _ in ph.window_boxes((8, 8), 2, 3)})
    covered = 64 - never
    says(NB, f"# {never}")
    says(NB, "Windows start at " + ", ".join(map(str, starts[:-1])) + f" and {starts[-1]}")
    says(NB, f"six rows and six columns, {covered} cells. The other 64 − {covered} = {never} are never seen")


def test_the_strides_figure_frames_three_of_nine_windows():
    boxes = ph.window_boxes(MATRIX.shape, 2, 1)
    per_row = ph.pool2d(MATRIX, 2, 1).shape[1]
    source = next("".join(c["source"]) for c in cells(NB) if "three_of_nine = [" in "".join(c["source"]))
    # the three framed: the first window, its right neighbour and the one below it
    assert str([boxes[0], boxes[1], boxes[per_row]]) in source
    assert "figsize=(8.3," in source  # 8.3 inches at 100 dpi: within the projected column, 844 px
    says(NB, f"so only three of the {WORDS[len(boxes)]} windows are framed, in three colours: the "
             "first (white), its right neighbour (orange) and the one below it (black)")
    # three overlapping frames in three colours, as the prose names them, not two alike
    assert 'three_colours = ["white", "#E69F00", "black"]' in source
    assert "(three_of_nine, three_colours) if stride == 1" in source
    says(NB, f"With stride 1 the {WORDS[len(boxes)]} windows overlap")
    # the titles count every window of each stride, as the loop computes them
    assert 'windows = "1 window" if len(boxes) == 1 else f"{len(boxes)} windows"' in source
    assert [len(ph.window_boxes(MATRIX.shape, 2, s)) for s in (1, 2, 3)] == [9, 4, 1]


def test_pool2d_is_recalled_at_its_first_use():
    first = next(i for i, c in enumerate(cells(NB))
                 if c["cell_type"] == "code" and "ph.pool2d(" in "".join(c["source"]))
    above = _flat(" ".join("".join(c["source"]) for c in cells(NB)[:first]
                           if c["cell_type"] == "markdown"))
    assert "met at the end of notebook 01" in above
    assert "`max_pooling(get_pools(...))`" in above
    np.testing.assert_array_equal(ph.pool2d(MATRIX, 2, 2), ph.max_pooling(ph.get_pools(MATRIX, 2, 2)))


def test_frameworks_are_said_what_they_are_where_keras_is_first_named():
    notebook = _flat(" ".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "markdown"))
    first = min(notebook.index(name) for name in ("TensorFlow", "Keras", "PyTorch"))
    assert notebook.index("*deep-learning framework*") < first
    # named and pointed to notebook 00, where they are explained, not explained again
    says(NB, "*deep-learning framework* (notebook 00): TensorFlow, with Keras, its high-level "
             "layer API, or PyTorch")
    does_not_say(NB, "Most code does not give a stride at all")


def test_each_maximum_is_framed_in_its_windows_colour():
    """'framed in the same colour': window i and output cell i get one colour, from
    frame_colours, and no two of the three pairs share one."""
    says(NB, "The largest value of each lands in the output cell with the same coordinates, "
             "framed in the same colour")
    source = next("".join(c["source"]) for c in cells(NB)
                  if "their maxima framed" in "".join(c["source"]))
    assert "colours = ph.frame_colours([(big, picked), (out, outputs)], value_range=scale)" in source
    assert source.count("window_colours=colours") == 2
    boxes = ph.window_boxes(BIG.shape, 3, 1)
    picked = [boxes[0], boxes[len(boxes) // 2], boxes[-1]]
    out = ph.pool2d(BIG, 3, 1)
    colours = ph.frame_colours([(BIG, picked), (out, [(t, l, 1, 1) for t, l, _, _ in picked])],
                               value_range=ph.value_range(BIG, out))
    assert len(set(colours)) == 3


def test_the_default_stride_sentence_reads():
    says(NB, "for `ph.pool2d`, for Keras's `MaxPooling2D` layer and for PyTorch's `max_pool2d`")
    does_not_say(NB, "and of PyTorch's")
