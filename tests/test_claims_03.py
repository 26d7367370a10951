"""The facts notebook 03 states, recomputed: min as −max(−x), brightness of each mode, how much
a one-pixel shift changes, and the strip exercise."""

import numpy as np

import pooling_helpers as ph
from claims import _flat, cells, does_not_say, notebook_function, printed_above, says

NB = "03_max_and_average_pooling"
MATRIX = np.array([[10, 12, 8, 7], [4, 11, 5, 9], [18, 13, 7, 7], [3, 15, 2, 2]])
CAT = ph.load_image(ph.CAT_PATH, grayscale=True, size=(224, 224))
STRIP = np.array([[1, 9, 2, 3, 8, 4], [0, 0, 0, 0, 0, 0]])


def notebook_shift_right():
    """The notebook's own ``shift_right``, so the test measures that one."""
    return notebook_function(NB, "shift_right")


def test_min_is_minus_max_of_minus():
    pools = ph.get_pools(MATRIX, 2, 2)
    mins, via_max = ph.min_pooling(pools).tolist(), (-ph.max_pooling(-pools)).tolist()
    assert mins == via_max
    printed_above(NB, "The same numbers.", f"min pooling: {mins} −max_pooling(−x): {via_max}")
    says(NB, "the min is −max(−x)")
    does_not_say(NB, "max of the negated map does the same")
    assert (-np.array([1], dtype=np.uint8))[0] == 255
    says(NB, "in `uint8`, −1 wraps around to 255")


def test_brightness_of_each_mode_on_the_input_scale():
    means = {mode: ph.pool2d(CAT, 4, 4, mode=mode).mean() for mode in ph.MODES}
    assert means["min"] < CAT.mean() < means["max"]
    assert round(means["avg"], 1) == round(CAT.mean(), 1)
    # the means are in the panels' titles (four printed lines made the output taller than a
    # projected screen): the titles' code, and the figure at most 620 px tall with nothing printed
    notebook = cells(NB)
    cell = next(c for c in notebook if "ph.pool2d(cat, 4, 4" in "".join(c["source"]))
    assert 'f"input 224×224\\nmean grey {cat.mean():.1f}"' in "".join(cell["source"])
    assert '\\nmean grey {pooled.mean():.1f}"' in "".join(cell["source"])
    assert not [o for o in cell["outputs"] if o["output_type"] == "stream"]
    says(NB, "each title gives the picture's mean grey level")
    says(NB, f"Max pooling brightens the picture (mean grey {means['max']:.1f} against the "
             f"input's {CAT.mean():.1f})")
    says(NB, f"min pooling darkens it ({means['min']:.1f})")
    says(NB, f"average pooling keeps the mean brightness ({means['avg']:.1f})")
    # exactly because 4×4 windows tile 224×224; with overlap or a dropped border it drifts
    assert CAT.shape[0] % 4 == 0 and ph.pool2d(CAT, 4, 4, mode="avg").mean() == CAT.mean()
    assert round(ph.pool2d(CAT, 3, 3, mode="avg").mean(), 1) != round(CAT.mean(), 1)
    says(NB, "It keeps the mean exactly here because the 4×4 windows tile the 224×224 cat")
    says(NB, "pooling keeps its mean brightness (exactly when the windows tile the image)")
    source = next("".join(c["source"]) for c in cells(NB) if "ph.pool2d(cat, 4, 4" in "".join(c["source"]))
    assert source.count("value_range=(0, 255)") == 2  # input and every pooled panel on one scale


def test_the_shift_does_not_wrap():
    shift_right = notebook_shift_right()
    shifted = shift_right(CAT)
    assert (shifted[:, 0] == 0).all() and (shifted[:, 1:] == CAT[:, :-1]).all()
    code = " ".join("".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code")
    assert "np.roll(" not in code
    says(NB, "fills the new first column with zeros")


def test_how_much_a_one_pixel_shift_changes():
    shifted = notebook_shift_right()(CAT)
    share = {mode: np.mean(ph.pool2d(CAT, 2, mode=mode) != ph.pool2d(shifted, 2, mode=mode))
             for mode in ("max", "avg")}
    raw = np.mean(CAT != shifted)
    assert share["max"] < raw < share["avg"]
    printed_above(NB, "Max pooling changes", f"max: {share['max']:.0%} of the outputs change "
                  f"avg: {share['avg']:.0%} of the outputs change "
                  f"no pooling: {raw:.0%} of the pixels change")
    says(NB, f"Max pooling changes {share['max']:.0%} of its outputs, fewer than the {raw:.0%} of "
             "raw pixels that change")
    says(NB, f"Average pooling changes {share['avg']:.0%}, more than the raw pixels")
    printed_above(NB, "only *partly* translation invariant",
                  f"changed: {share['max']:.0%}, kept: {1 - share['max']:.0%}")
    says(NB, f"only *partly* translation invariant: {1 - share['max']:.0%} of its outputs keep "
             f"their value")
    says(NB, f"and the other {share['max']:.0%} change")
    says(NB, f"a one-pixel shift changes {share['max']:.0%} of the max-pooled values, against "
             f"{raw:.0%} of the raw pixels. Average pooling changes {share['avg']:.0%}")
    does_not_say(NB, "many outputs keep their value")
    does_not_say(NB, "a one-pixel shift changes fewer pooled values than raw pixels")


def test_exercise_1_worked_solution():
    average = ph.avg_pooling(ph.get_pools(MATRIX, 2, 2))
    says(NB, f"# {average.tolist()}")
    says(NB, f"(10 + 12 + 4 + 11) / 4 = {MATRIX[:2, :2].mean():g}")
    says(NB, f"(8 + 7 + 5 + 9) / 4 = {MATRIX[:2, 2:].mean():g}")


def test_exercise_3_the_strip():
    shift_right = notebook_shift_right()
    source = next("".join(c["source"]) for c in cells(NB) if "x = np.array([[1, 9" in "".join(c["source"]))
    namespace = {"np": np}
    exec(source, namespace)
    np.testing.assert_array_equal(namespace["x"], STRIP)
    before, after = ph.pool2d(STRIP, 2)[0], ph.pool2d(shift_right(STRIP), 2)[0]
    changes = int(np.sum(before != after))
    assert changes == 2
    says(NB, f"before = ph.pool2d(x, 2)               # [{before.tolist()}]")
    says(NB, f"after = ph.pool2d(shift_right(x), 2)   # [{after.tolist()}]")
    says(NB, f"shift_changes = int(np.sum(before != after))   # {changes}")
    says(NB, "before the shift the outputs are " + ", ".join(map(str, before[:-1])) + f" and {before[-1]}")
    says(NB, "the top row reads " + " ".join(map(str, shift_right(STRIP)[0])))
    nine, eight = int(np.argmax(STRIP[0] == 9)), int(np.argmax(STRIP[0] == 8))
    assert nine // 2 != (nine + 1) // 2 and eight // 2 == (eight + 1) // 2  # crosses / stays
    says(NB, f"The 9 moves from column {nine} to column {nine + 1}: it crosses a window border, so "
             f"the first output drops to {after[0]} and the second rises from {before[1]} to {after[1]}")
    says(NB, f"The 8 moves from column {eight} to column {eight + 1} but stays in the third window, "
             f"which still outputs {after[2]}")
    says(NB, "Two of the three outputs change")
    says(NB, "with `shift_right` from above (a zero column enters at the left")


def test_average_moves_with_its_pixels_except_when_changes_cancel():
    shifted = notebook_shift_right()(CAT)
    changed_pixel = ph.pool2d((CAT != shifted).astype(int), 2) == 1
    avg_moved = ph.pool2d(CAT, 2, mode="avg") != ph.pool2d(shifted, 2, mode="avg")
    assert not (avg_moved & ~changed_pixel).any()  # an average never moves on its own
    stays = (changed_pixel & ~avg_moved).mean()
    assert stays > 0  # ... but some windows change and keep their mean
    printed_above(NB, "only {:.1%} of the averages change".format(avg_moved.mean()),
                  f"windows with a changed pixel: {changed_pixel.mean():.1%} "
                  f"averages that change: {avg_moved.mean():.1%} "
                  f"pixels change, average stays: {stays:.1%}")
    says(NB, f"In {changed_pixel.mean():.1%} of the windows a pixel changes, but only "
             f"{avg_moved.mean():.1%} of the averages change: in {stays:.1%} of the windows the "
             "pixels change and their sum stays the same")
    says(NB, "unless their changes happen to cancel out")
    does_not_say(NB, "as soon as any one of its four pixels changes")
    does_not_say(NB, "its outputs move whenever any pixel of their window changes")


def test_terms_and_arguments_are_explained_where_first_used():
    text = _flat(" ".join("".join(c["source"]) for c in cells(NB)))

    def first(phrase):
        assert _flat(phrase) in text, f"notebook {NB} should say {phrase!r}"
        return text.index(_flat(phrase))

    # channel: explained before the first code that pools channels, and before the exercise
    explained = first("Each grid is a *channel*")
    assert explained < first("colour = ph.load_image") < first("an `(H, W, C)` map (height, width, channels)")
    # pool2d, mode= and MODES: said before the first call
    said = first("`ph.pool2d(x, pool_size, stride, mode=...)`: the fast version of the loops of "
                 "notebook 01, with the same results")
    assert said < first("ph.pool2d(cat, 4, 4, mode=mode)")
    assert first("`ph.MODES` is the tuple of those three names") < first("zip(axes[1:], ph.MODES)")
    assert tuple(ph.MODES) == ("max", "avg", "min")
    says(NB, '`mode` picks what each window keeps: `"max"`, `"avg"` (the mean) or `"min"`')
    # a pair as pool size, before the cell that passes colour.shape[:2]
    assert first("The pool size can also be a pair (rows, columns)") < first(
        "ph.pool2d(colour, colour.shape[:2]")
    # translation invariant: defined where first used
    definition = first("A layer is *translation invariant* when moving its input")
    assert definition < first("only *partly* translation invariant")
    assert text.index("translation invariant") > definition  # no use before it
    # min pooling has code of its own; the code negates the pools
    does_not_say(NB, "needs no code of its own")
    says(NB, "`min_pooling` (notebook 01 printed its code)")
    says(NB, "Negate the pools, take the max of each, and negate the result")
    assert "-ph.max_pooling(-pools)" in text
    # the default stride of the shift cells is said
    says(NB, "with the stride left out, `pool2d` uses the pool size")


def test_max_pooling_a_mask_is_explained_before_it_is_used():
    mask = np.array([[0, 0, 1, 0], [0, 0, 0, 0]])
    np.testing.assert_array_equal(ph.pool2d(mask, 2) == 1, [[False, True]])
    notebook = cells(NB)
    use = next(i for i, c in enumerate(notebook) if "!= shifted).astype(int)" in "".join(c["source"]))
    above = _flat("".join(notebook[use - 1]["source"]))
    assert "Max pooling the mask gives 1 for a window that holds at least one changed pixel" in above
    assert "`== 1` keeps the windows with a change" in above


def test_boolean_arrays_are_explained_where_first_used():
    """The mean of a True/False array before the first np.mean(before != after); ~ and & before
    the cell that uses them."""
    notebook = cells(NB)
    first_mean = next(i for i, c in enumerate(notebook) if "np.mean(before != after)" in "".join(c["source"]))
    assert "its mean is the share of True" in _flat("".join(notebook[first_mean - 1]["source"]))
    first_not = next(i for i, c in enumerate(notebook)
                     if c["cell_type"] == "code" and "& ~" in "".join(c["source"]))
    above = _flat("".join(notebook[first_not - 1]["source"]))
    assert "`~` turns True into False and False into True (*not*)" in above
    assert "`a & b` is True only where both are (*and*)" in above
    assert np.mean(np.array([True, False, False, True])) == 0.5


def test_pool2d_equals_the_loops_in_all_three_modes_as_said():
    """03 used to say notebook 06 checks pool2d 'on every kind of input': 04 and 06 check max
    pooling only; the notebook now checks all three modes itself and says so."""
    pools = ph.get_pools(MATRIX, 2, 2)
    loops = [ph.max_pooling, ph.avg_pooling, ph.min_pooling]
    lines = [f"{mode}: loops and pool2d equal = "
             f"{np.array_equal(loop(pools), ph.pool2d(MATRIX, 2, 2, mode=mode))}"
             for mode, loop in zip(ph.MODES, loops)]
    assert all(line.endswith("True") for line in lines)
    printed_above(NB, "The cat, pooled three ways", " ".join(lines))
    says(NB, "for max pooling notebook 04 checks it on the cat and notebook 06 on random inputs "
             "of many shapes; all three modes are checked on the article's matrix just below")
    does_not_say(NB, "notebook 06 on every kind of input")


def test_the_optional_part_and_the_conditions_of_the_rules():
    says(NB, "**Optional: a closer look at average pooling.**")
    says(NB, "Wherever the largest value of a window leaves it (and no equal value is left "
             "behind), or a larger value enters it from the left")


def test_resnet_is_said_to_be_a_network():
    says(NB, "ResNet, a widely used network that recognises what a photo shows")


def test_the_changed_panel_is_not_white_on_the_page():
    source = next("".join(c["source"]) for c in cells(NB) if "changed by a 1-pixel shift" in "".join(c["source"]))
    assert "(orange)" in source and "(white)" not in source
    # a two-colour map, not an RGB array built before channels are explained
    assert 'cmap=ListedColormap(["black", "#E69F00"])' in source and "[..., None]" not in source
    says(NB, "The ones that keep their value (black)")
