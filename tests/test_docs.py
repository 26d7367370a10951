"""The teacher's guide, docs/teaching.md, agrees with the learning path it serves.

The learning-path table in notebook 00 is the source of each notebook's minutes. The README's table
and the guide's "**Time:**" lines must carry the same minutes; each notebook has a section in the
guide; the two lesson plans add up to their 50 and 90 minutes; README and 00 link to the guide.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
GUIDE_PATH = ROOT / "docs" / "teaching.md"

# a row of a learning-path table: a link to a notebook, ..., "| 25 min |" at the end
ROW = re.compile(r"^\|.*\((?:notebooks/)?(\d\d_\w+)\.ipynb\).*\|\s*(\d+) min\s*\|\s*$", re.M)
TIME = re.compile(r"^\*\*Time:\*\* (\d+) min \((\d+) teaching, (\d+) exercises\)\s*$", re.M)
PLAN_ROW = re.compile(r"^\| (\d+)–(\d+) \| (\d+) min \|", re.M)


def section(text, heading):
    """The text under a markdown heading (whose line starts with ``heading``), up to the next
    heading of the same or a higher level."""
    level = heading.split(" ")[0]
    match = re.search(rf"^{re.escape(heading)}.*$", text, re.M)
    assert match, f"no heading starting with {heading!r}"
    rest = text[match.end():]
    end = re.search(rf"^#{{1,{len(level)}}} ", rest, re.M)
    return rest[:end.start()] if end else rest


def learning_path_cell():
    cells = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in cells["cells"] if c["cell_type"] == "markdown"]
    return next(s for s in sources if "## The learning path" in s)


def table_minutes(text):
    """{notebook stem: minutes} from the first learning-path table in ``text``."""
    return {stem: int(minutes) for stem, minutes in ROW.findall(section(text, "## The learning path"))}


def notebook_00_minutes():
    return table_minutes(learning_path_cell())


def readme_minutes():
    return table_minutes((ROOT / "README.md").read_text(encoding="utf-8"))


def guide():
    return GUIDE_PATH.read_text(encoding="utf-8")


def guide_sections():
    """{two-digit number: section text} for every "## NN ..." heading of the guide."""
    text = guide()
    return {number: section(text, f"## {number} ")
            for number in re.findall(r"^## (\d\d) ", text, re.M)}


def guide_times():
    """{two-digit number: (total, teaching, exercises)} from each section's **Time:** line."""
    times = {}
    for number, text in guide_sections().items():
        found = TIME.findall(text)
        assert len(found) == 1, f"the guide's section {number} needs one '**Time:** N min (T " \
                                f"teaching, E exercises)' line; found {len(found)}"
        times[number] = tuple(int(value) for value in found[0])
    return times


def test_the_tables_can_be_read():
    # a table the parser no longer understands would make every comparison below vacuous
    assert "00_start_here" in notebook_00_minutes() and len(notebook_00_minutes()) >= 8
    assert notebook_00_minutes().keys() <= set(NOTEBOOKS), "00's table links a missing notebook"


def test_readme_table_has_the_minutes_of_00s_table():
    assert readme_minutes() == notebook_00_minutes()


def test_guide_times_are_those_of_00s_table():
    times = guide_times()
    for stem, minutes in notebook_00_minutes().items():
        assert stem[:2] in times, f"no section for {stem} in docs/teaching.md"
        assert times[stem[:2]][0] == minutes, (
            f"docs/teaching.md gives {stem} {times[stem[:2]][0]} min; 00's table {minutes}")


def test_guide_teaching_and_exercise_minutes_add_up():
    for number, (total, teaching, exercises) in guide_times().items():
        assert teaching + exercises == total, f"section {number}: {teaching} + {exercises} != {total}"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_every_notebook_has_a_section_in_the_guide(stem):
    assert stem[:2] in guide_sections(), f"docs/teaching.md has no '## {stem[:2]} ...' section"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_every_notebook_is_in_00s_table(stem):
    assert stem in notebook_00_minutes(), f"{stem} has no row in 00's learning-path table"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_states_the_minutes_of_00s_table(stem):
    if stem not in notebook_00_minutes():
        pytest.skip(f"{stem} is not in 00's table yet (see test_every_notebook_is_in_00s_table)")
    cells = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    first = "".join(cells["cells"][0]["source"])
    stated = re.search(r"\*\*You will learn\*\* \((\d+) minutes\)", first)
    assert stated, f"{stem}'s first cell should say '**You will learn** (N minutes)'"
    assert int(stated.group(1)) == notebook_00_minutes()[stem], (
        f"{stem} says {stated.group(1)} minutes; 00's table {notebook_00_minutes()[stem]}")


@pytest.mark.parametrize("heading, length", [
    ("## Lesson plan: a 50-minute class on 00–03", 50),
    ("## Lesson plan: a 90-minute class through 05", 90),
])
def test_lesson_plan_adds_up(heading, length):
    assert re.search(rf"^{re.escape(heading)}$", guide(), re.M), f"no heading {heading!r}"
    rows = [tuple(int(value) for value in row) for row in PLAN_ROW.findall(section(guide(), heading))]
    assert len(rows) >= 5, "a lesson plan is a table of minute lines"
    assert sum(minutes for _, _, minutes in rows) == length
    clock = 0
    for start, end, minutes in rows:
        assert start == clock and end - start == minutes, f"the line {start}–{end} ({minutes} min)"
        clock = end
    assert clock == length


def test_readme_and_00_link_to_the_guide():
    assert GUIDE_PATH.exists()
    classroom = section((ROOT / "README.md").read_text(encoding="utf-8"), "## In a classroom")
    assert "(docs/teaching.md)" in classroom, "README's 'In a classroom' should link the guide"
    assert "(../docs/teaching.md)" in learning_path_cell(), "00's learning path should link the guide"
