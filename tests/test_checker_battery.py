"""Every checker answers every malformed answer with a verdict: never a traceback, never "correct".

The checkers are found by name, so a new ``check_*`` in pooling_exercises is covered as soon as
it exists. Each answer position (each parameter without a default) gets the whole battery, with
the right answer in the other positions where the checker takes two.
"""

import inspect
import re

import numpy as np
import pytest

import pooling_exercises as ex

CHECKERS = sorted((name, check) for name, check in vars(ex).items()
                  if name.startswith("check_") and callable(check))

# For checkers with two answers: the right ones, so that only the malformed one is wrong.
RIGHT = {"check_26_by_26": (8, 9), "check_padded_average": (4.0, 9.0)}


def raises(*args):
    raise ValueError("my bug")


def returns_nothing(*args):
    pass


def prints_and_returns_garbage(*args):
    print("the answer is 4")
    return "four"


def recurses(*args):
    return recurses(*args)


class Opaque:
    """An object no checker knows."""


def battery():
    """(label, value) pairs, built afresh for each call: a generator can be read only once."""
    values = {
        # text, including text that reads as a right answer once the quotes are gone
        "numeric text": "34", "decimal text": "0.246", "pair text": "(3, 4)", "text 01": "01",
        "list text": "[7, 7, 5, 5]", "empty text": "", "words": "abc", "bytes": b"12",
        # arrays of several shapes
        "array (2,)": np.array([4, 4]), "array (2, 2)": np.zeros((2, 2)),
        "array (3, 3, 3)": np.ones((3, 3, 3)), "empty array": np.array([]),
        "text array": np.array(["a", "b"]), "NaN array": np.full((2, 2), np.nan),
        "bool array": np.array([True, False]), "complex array": np.array([1j, 2j]),
        "object array": np.array([None, 1], dtype=object),
        # lists and tuples
        "empty list": [], "list of 3": [1, 2, 3], "ragged list": [[1, 2], [3]],
        "list of None": [None], "grid of None": [[None, None], [None, None]],
        "empty tuple": (), "tuple of 3": (1, 2, 3), "tuple of text": ("3", "4"),
        "tuple of floats": (3.7, 4.2), "tuple with NaN": (np.nan, 1), "nested pairs": [(1, 1), (2, 2)],
        # other containers
        "empty dict": {}, "dict": {"rows": 3, "cols": 4}, "set": {3, 4}, "empty set": set(),
        "range": range(3), "generator": (v for v in range(3)),
        # floats where a whole number belongs, and numbers that are not finite
        "float 3.7": 3.7, "float 12.5": 12.5, "numpy float": np.float64(2.5), "NaN": float("nan"),
        "numpy NaN": np.nan, "inf": float("inf"), "-inf": -float("inf"), "complex": 3 + 4j,
        # huge and negative numbers, truth values
        "huge int": 10 ** 100, "huger int": 10 ** 400, "int64 max": np.iinfo(np.int64).max,
        "negative": -3, "negative float": -0.5, "True": True, "False": False,
        "numpy bool": np.bool_(True),
        # None-like
        "None": None, "Ellipsis": ..., "object": Opaque(),
        # functions that go wrong
        "raises": raises, "returns None": returns_nothing, "prints and returns text":
            prints_and_returns_garbage, "recurses forever": recurses,
        "returns text": lambda *a: "4", "returns a dict": lambda *a: {},
        "returns NaN": lambda *a: float("nan"), "returns a huge int": lambda *a: 10 ** 400,
        "returns a ragged list": lambda *a: [[1, 2], [3]], "returns a generator":
            lambda *a: (v for v in a), "returns zeros (2, 2)": lambda *a: np.zeros((2, 2)),
        "returns an empty array": lambda *a: np.array([]), "returns True": lambda *a: True,
        "takes no argument": lambda: 0, "takes six arguments": lambda a, b, c, d, e, f: 0,
        "returns its arguments": lambda *a: a, "builtin": len,
    }
    return list(values.items())


POSITIONS = [(name, check, position) for name, check in CHECKERS
             for position, parameter in enumerate(inspect.signature(check).parameters.values())
             if parameter.default is inspect.Parameter.empty]


def same_shape_twice(message):
    shapes = re.findall(r"shape (\([\d, ]*\))", message)
    return len(shapes) != len(set(shapes))


@pytest.mark.parametrize("name, check, position", POSITIONS,
                         ids=[f"{name}-{position}" for name, _, position in POSITIONS])
def test_malformed_answers_get_a_verdict_that_is_not_correct(name, check, position, capsys):
    arity = sum(1 for n, _, _ in POSITIONS if n == name)
    problems = []
    for label, value in battery():
        args = list(RIGHT.get(name, (value,) * arity))
        args[position] = value
        try:
            verdict = check(*args)
        except Exception as error:  # the very thing this test forbids: name it and go on
            problems.append(f"{label}: raised {type(error).__name__}: {error}")
            continue
        if not isinstance(verdict, ex.Verdict):
            problems.append(f"{label}: returned {verdict!r}, not a Verdict")
        elif verdict.ok:
            problems.append(f"{label}: judged correct")
        elif not verdict.message.strip():
            problems.append(f"{label}: an empty hint")
        elif verdict.message.startswith(ex.UNFORESEEN):
            problems.append(f"{label}: the checker itself tripped: {verdict.message}")
        elif same_shape_twice(verdict.message):
            problems.append(f"{label}: the same shape twice: {verdict.message}")
        else:
            repr(verdict), verdict._repr_html_()
    assert not problems, f"{name}, answer {position}:\n" + "\n".join(problems)
    assert capsys.readouterr().out == "", "a learner's print leaked into the checker's output"


def test_every_checker_is_in_the_battery():
    assert {name for name, _, _ in POSITIONS} == {name for name, _ in CHECKERS}
    assert len(CHECKERS) >= 20
