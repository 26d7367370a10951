"""What the notebooks' prose says about data, recomputed.

A sentence such as "the 18 wins two windows" or "74% of the outputs change" is a claim about data.
Each ``tests/test_claims_NN.py`` recomputes the claims of notebook NN with the module and asserts
that the prose says exactly that, so that a change of data or code fails a test instead of leaving
a stale sentence in front of a class. Claims about what a cell prints are checked against the
stored output of that cell as well.

    says("03_max_and_average_pooling", f"{share:.0%} of the max-pooled outputs change")
"""

from __future__ import annotations

import ast
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def _flat(text):
    """Whitespace-insensitive text: markdown wraps lines anywhere."""
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=None)
def cells(stem):
    """The cells of ``notebooks/<stem>.ipynb`` as stored."""
    path = NOTEBOOK_DIR / f"{stem}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def prose(stem):
    """All markdown of a notebook, whitespace flattened."""
    return _flat(" ".join("".join(c["source"]) for c in cells(stem) if c["cell_type"] == "markdown"))


def printed(stem):
    """All text a notebook's stored outputs print (streams and plain-text results), flattened."""
    parts = []
    for cell in cells(stem):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append("".join(output["text"]))
            elif "text/plain" in output.get("data", {}):
                parts.append("".join(output["data"]["text/plain"]))
    return _flat(" ".join(parts))


def says(stem, phrase):
    """Assert that the prose of notebook ``stem`` contains ``phrase`` (whitespace-insensitive)."""
    assert _flat(phrase) in prose(stem), (
        f"notebook {stem} should say {phrase!r}: the data say so, the prose does not")


def does_not_say(stem, phrase):
    """Assert that a sentence known to be false is gone from the prose."""
    assert _flat(phrase) not in prose(stem), f"notebook {stem} still says {phrase!r}"


def printed_above(stem, phrase, text):
    """Assert that the markdown cell saying ``phrase`` follows a code cell whose stored output
    shows ``text``: a number in the prose is printed right above it."""
    notebook = cells(stem)
    for index, cell in enumerate(notebook):
        if cell["cell_type"] == "markdown" and _flat(phrase) in _flat("".join(cell["source"])):
            above = next(c for c in reversed(notebook[:index]) if c["cell_type"] == "code")
            shown = " ".join("".join(o.get("text", ""))
                             + "".join(o.get("data", {}).get("text/plain", ""))
                             for o in above["outputs"])
            assert _flat(text) in _flat(shown), f"the cell above {phrase!r} should print {text!r}"
            return
    raise AssertionError(f"notebook {stem} should say {phrase!r}")


def prints(stem, text):
    """Assert that a stored output of notebook ``stem`` shows ``text``."""
    assert _flat(text) in printed(stem), f"notebook {stem} should print {text!r}"


def notebook_function(stem, name, namespace=None):
    """The function ``name`` as a notebook's own cell defines it, so a test measures that one
    rather than a copy. Every function that cell defines is run (one may call another), none of
    its other statements; ``namespace`` supplies what they use (NumPy as ``np`` by default)."""
    source = next("".join(c["source"]) for c in cells(stem)
                  if c["cell_type"] == "code" and f"def {name}(" in "".join(c["source"]))
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    namespace = {"np": numpy} if namespace is None else dict(namespace)
    exec(compile(ast.Module(functions, []), stem, "exec"), namespace)
    return namespace[name]
