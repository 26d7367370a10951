"""The facts notebook 00 states, recomputed: what one 2×2 pooling keeps, how robust it is."""

from pathlib import Path

import numpy as np

import pooling_helpers as ph
from claims import _flat, cells, does_not_say, notebook_function, printed_above, says

NB = "00_start_here"
# 00 quotes what notebook 03 measures, with 03's own shift (no wrap-around)
SHIFT_RIGHT = notebook_function("03_max_and_average_pooling", "shift_right")
CAT = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))


def test_one_pooling_keeps_a_quarter_of_the_pixels():
    pooled = ph.pool2d(CAT, 2, 2)
    assert pooled.size * 4 == CAT.size
    printed_above(NB, "so the output keeps a quarter of the pixels", f"{CAT.shape} → {pooled.shape}")
    says(NB, f"Each side went from {CAT.shape[0]} to {pooled.shape[0]}, so the output keeps a "
             "quarter of the pixels")
    says(NB, "A 2×2 pool with stride 2 keeps one value in four")


def test_values_kept_worked_solution():
    side = ph.pool2d(CAT, 2, 2).shape[0]
    kept = ph.pool2d(CAT, 2, 2).size
    says(NB, f"values_kept = {side} * {side}   # {kept}")
    says(NB, f"{side} windows down and {side} across, so {side} × {side} = {kept} values")
    says(NB, f"a quarter of the {CAT.shape[0]} × {CAT.shape[1]} = {CAT.size} pixels")


def test_halvings_worked_solution():
    sides = [CAT.shape[0]]
    while sides[-1] > 14:
        sides.append(ph.pool2d(np.zeros((sides[-1], sides[-1])), 2, 2).shape[0])
    says(NB, f"halvings = {len(sides) - 1}")
    says(NB, " → ".join(map(str, sides)))
    says(NB, f"divide the side by {2 ** (len(sides) - 1)}")


def test_robustness_is_partial_not_often_unchanged():
    share = np.mean(ph.pool2d(CAT, 2) != ph.pool2d(SHIFT_RIGHT(CAT), 2))
    assert share > 0.5  # "most"
    says(NB, "a one-pixel shift of the cat changes most of the max-pooled values")
    does_not_say(NB, "often stays in the same window, so the pooled value does not change")


def test_explorer_section_does_not_mention_padding():
    notebook = cells(NB)
    start = next(i for i, c in enumerate(notebook) if "## Try it" in "".join(c["source"]))
    explorer = next(i for i, c in enumerate(notebook) if "pool_explorer(" in "".join(c["source"]))
    text = " ".join("".join(c["source"]) for c in notebook[start:explorer + 1]).lower()
    assert "padding" not in text and "'same'" not in text
    assert ph.pool_explorer(CAT).padding_buttons is None  # nor does the widget show it


def test_exercise_2_asks_what_00_teaches():
    sources = ["".join(c["source"]) for c in cells(NB)]
    assert not any("check_default_stride_shape" in s for s in sources), "moved to notebook 02"
    assert "values_kept = None  # your answer, a whole number" in sources
    assert "from pooling_exercises import check_values_kept\ncheck_values_kept(values_kept)" in sources
    does_not_say(NB, "what does the default stride do?")


def test_widget_fallback_text_is_what_a_front_end_without_widgets_shows():
    """Where widgets do not run, the explorer's text/plain is shown: it must start as 00 and the
    README say, or a learner looks for text that never appears."""
    shown = ph.pool_explorer(CAT, pool_size=2, stride=2)._repr_mimebundle_()["text/plain"]
    assert shown.startswith("VBox(children=")
    says(NB, "If you see a line of text starting with `VBox(children=…` where the sliders belong")
    does_not_say(NB, "PoolExplorer(...)")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "starting with `VBox(children=…`" in _flat(readme)
    assert "PoolExplorer(...)" not in readme


def test_the_article_is_named_with_what_the_course_keeps_and_corrects():
    says(NB, "*TensorFlow for Computer Vision — How to Implement Pooling From Scratch in Python*, "
             "by Dario Radečić")
    says(NB, "It keeps the article's examples")
    # the wide matrix of notebook 01: the article's loops drop its last column of pools
    wide = np.arange(24).reshape(4, 6)
    article = ph.article_max_pooling(ph.article_get_pools(wide, 2, 2))
    assert article.shape[1] < ph.pool2d(wide, 2, 2).shape[1]
    says(NB, "on a wide one silently drop columns (notebook 01)")


def test_frameworks_are_said_what_they_are_where_first_named():
    text = " ".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "markdown")
    first = min(text.index(name) for name in ("TensorFlow", "PyTorch", "Keras"))
    explained = text.index("TensorFlow is a *deep-learning framework*")
    # the article's title names TensorFlow first; the paragraph right after explains all three
    assert text.index("TensorFlow for Computer Vision") == first
    assert explained - first < 600
    says(NB, "**Keras** is TensorFlow's high-level layer API")


def test_the_squashed_cat_is_said_with_the_printed_numbers():
    photo = ph.load_image(ph.CAT_PATH)
    width, height = CAT.shape[1] / photo.shape[1], CAT.shape[0] / photo.shape[0]
    assert width < height  # squashed more across than down: the cat looks narrower
    numbers = f"width × {width:.3f}, height × {height:.3f}"
    printed_above(NB, "its width × ", f"photo: {photo.shape[:2]} → grey cat: {CAT.shape} {numbers}")
    says(NB, f"The {photo.shape[0]}×{photo.shape[1]} photo became {CAT.shape[0]}×{CAT.shape[1]}: "
             f"its width × {width:.3f} and its height × {height:.3f}, so the grey cat looks "
             "narrower")


def test_a_window_max_stays_only_if_nothing_larger_moves_in():
    says(NB, "stays inside the window, and nothing larger moves in, the max of that window does "
             "not change")
    does_not_say(NB, "stays inside its window, the max of that window does not change")


def test_a_max_crossing_a_border_changes_the_outputs_unless_equals_stay():
    """Review 00-03: 'if it crosses into the next window, the output changes' had no condition."""
    # 9 crosses from the first window into the second: both change, unless an equal value stays
    # behind and the second already held one as large
    moved = lambda row: ph.pool2d(np.array([row, [0] * 4]), 2)[0].tolist()
    assert moved([1, 9, 2, 3]) == [9, 3] and moved([0, 1, 9, 3]) == [1, 9]
    assert moved([9, 9, 9, 3]) == [9, 9] and moved([0, 9, 9, 9]) == [9, 9]
    says(NB, "If it crosses into the next window, both outputs usually change: the first stays "
             "only if an equal value is left behind, the next only if it already held one as "
             "large.")
    does_not_say(NB, "if it crosses into the next window, the output changes")
    says(NB, "A convolutional network is a chain of steps called *layers*")


def test_the_framework_comparisons_are_all_named():
    for stem in ("05_padding_and_output_size", "06_verification_and_speed", "09_the_pooling_zoo"):
        text = " ".join("".join(c["source"]) for c in cells(stem))
        assert "PyTorch" in text and "TensorFlow" in text, stem
    says(NB, "it only compares its results with the frameworks' (notebooks 05, 06 and 09)")
