"""Notebook 04 (the cat image): what its prose says about data, recomputed."""

import numpy as np

import pooling_helpers as ph
from claims import does_not_say, prints, says

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
    says(NB, "its last step, the check against TensorFlow, is in notebook 06")
    says(NB, "notebook 06 makes that check")


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
    kept = ph.pool2d(CAT, 3, 2).size / CAT.size
    assert round(kept, 3) == 0.246 and kept < 0.25
    says(NB, "111² / 224² ≈ 0.246")
