"""Run course notebooks top to bottom in a fresh kernel started in notebooks/, as Jupyter does.

    python tests/notebook_runner.py notebooks/*.ipynb     # run and store the outputs

Stored notebooks keep the outputs of that one clean run, with kernelspec python3, no saved
widget state, and no widget views (they only show "Error displaying widget" until re-run; the
static figure before each widget stands in for them).
"""

from __future__ import annotations

import pickle
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(path, timeout=120, kernel_name="python3", cwd=None, extra_cells=(), notebook=None,
            allow_errors=False):
    """Execute the notebook at ``path`` (or ``notebook``, already read from there), followed by
    ``extra_cells`` (sources), in a fresh kernel started in ``cwd`` (default: the notebook's
    folder); return the executed notebook. ``allow_errors`` runs on past a cell that raises."""
    path = Path(path)
    if notebook is None:
        notebook = nbformat.read(path, as_version=4)
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in extra_cells)
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(cwd or path.parent)}},
                            store_widget_state=False, allow_errors=allow_errors)
    client.execute()
    return notebook


def exercises(cells):
    """(answer cell index, check cell index, worked solution) for each check cell of a notebook.

    A check cell is a code cell that calls a checker; the learner's answer cell is the code cell
    just before it, and the worked solution is the ```python block of the <details> cell after.
    """
    found = []
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or not re.search(
                r"(pooling|network)_exercises[\s\S]*check_\w+\(", cell.source):
            continue
        after = cells[index + 1] if index + 1 < len(cells) else None
        solution = after is not None and after.cell_type == "markdown" and re.search(
            r"<details>[\s\S]*?```python\n(.*?)```", after.source, re.S)
        assert index > 0 and cells[index - 1].cell_type == "code", \
            f"check cell {index} has no answer cell just before it"
        assert solution, f"check cell {index} has no worked solution in a <details> block after it"
        found.append((index - 1, index, solution.group(1)))
    return found


@dataclass
class Run:
    """One execution of a notebook that serves two tests (tests/conftest.py caches it).

    ``notebook`` is the executed notebook: the stored cells in their order, and after each check
    cell three added cells: the exercise's worked solution, the check cell again, and the
    learner's answer cell again. ``plain`` maps each stored cell's index to its index in
    ``notebook``; ``checks`` lists (stored check cell index, index of its repeat after the worked
    solution). ``seconds`` is the wall time of the whole run. ``variables`` holds the values of
    the names asked for (``keep``), as the kernel had them at the end.
    """
    notebook: object
    plain: dict
    checks: list
    seconds: float
    variables: dict = None

    def errors(self, indices):
        """'cell N: Error: message' for each error output of the executed cells ``indices``."""
        return [f"cell {index}: {output.ename}: {output.evalue}\n"
                + re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output.get("traceback", [])[-3:]))
                for index in indices for output in self.notebook.cells[index].get("outputs", [])
                if output.output_type == "error"]

    def slowest(self, indices):
        """(seconds, index) of the slowest of the executed cells ``indices``, from the times
        nbclient records in each cell's metadata."""
        from datetime import datetime

        def seconds(cell):
            times = cell.get("metadata", {}).get("execution", {})
            try:
                return (datetime.fromisoformat(times["shell.execute_reply"].replace("Z", "+00:00"))
                        - datetime.fromisoformat(
                            times["iopub.execute_input"].replace("Z", "+00:00"))).total_seconds()
            except (KeyError, ValueError):
                return 0.0
        return max(((seconds(self.notebook.cells[index]), index) for index in indices
                    if self.notebook.cells[index].cell_type == "code"), default=(0.0, None))

    def added(self):
        """Indices of the added cells (worked solutions, check repeats, answers again)."""
        return sorted(set(range(len(self.notebook.cells))) - set(self.plain.values()))


def run_with_worked_solutions(path, timeout=60, keep=()):
    """Run a course notebook once for both the plain run and the worked-solution check.

    Each worked solution runs right after its check cell, where the learner's answer would be
    (in the same kernel state the stored answer cell saw, but for the placeholder answer itself,
    which the solution overwrites), and the check cell runs again on it. Then the learner's
    placeholder answer cell runs again, so every later stored cell meets the state a learner who
    skipped the exercise has; a name only a solution defines stays behind, but no stored cell
    uses such a name (it would fail in the plain run of a learner who skips the exercise).
    Errors do not stop the run: the two tests each look at their own cells.

    ``keep`` names variables to bring back from the kernel after the last cell (pickled through
    a temporary file, by a cell added for it and removed again), so that a claims test can read
    what this very run computed instead of computing it again.
    """
    path = Path(path)
    stored = nbformat.read(path, as_version=4)
    found = {check: (answer, solution) for answer, check, solution in exercises(stored.cells)}
    cells, plain, repeats = [], {}, []
    for index, cell in enumerate(stored.cells):
        plain[index] = len(cells)
        cells.append(cell)
        if index in found:
            answer, solution = found[index]
            cells.append(nbformat.v4.new_code_cell(solution))
            repeats.append((index, len(cells)))
            cells.append(nbformat.v4.new_code_cell(cell.source))
            cells.append(nbformat.v4.new_code_cell(stored.cells[answer].source))
    stored.cells = cells
    with tempfile.TemporaryDirectory(prefix="notebook-variables-") as folder:
        kept = Path(folder) / "variables.pickle"
        extra = [f"import pickle as _pickle\nwith open({str(kept)!r}, 'wb') as _file:\n"
                 f"    _pickle.dump({{_name: globals()[_name] for _name in {list(keep)!r}}}, _file)"
                 ] if keep else []
        started = time.perf_counter()
        executed = execute(path, timeout=timeout, notebook=stored, allow_errors=True,
                           extra_cells=extra)
        seconds = time.perf_counter() - started
        variables = None
        if keep:
            exporter = executed.cells.pop()
            failed = [o for o in exporter.outputs if o.output_type == "error"]
            assert not failed, f"could not keep {list(keep)}: {failed[0].ename}: {failed[0].evalue}"
            with open(kept, "rb") as file:
                variables = pickle.load(file)
    return Run(executed, plain, repeats, seconds, variables)


def errors(notebook):
    """The error outputs of an executed notebook."""
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if output.output_type == "error"]


def clean(notebook):
    """Drop widget views and widget state; pin the kernelspec."""
    notebook.metadata.pop("widgets", None)
    # the display name ipykernel installs: any other marks the notebook changed as JupyterLab opens it
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                continue
            kept.append(output)
        cell.outputs = kept
    return notebook


def main(paths):
    for name in paths:
        notebook = clean(execute(name))
        nbformat.write(notebook, name)
        print(f"ran and stored {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
