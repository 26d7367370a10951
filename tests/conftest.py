"""What the test modules share: one run of each notebook, for two tests."""

import pytest

from notebook_runner import run_with_worked_solutions


@pytest.fixture(scope="session")
def executed_notebook():
    """``run(path)``: the notebook at ``path`` run once, with its worked solutions in place
    (notebook_runner.run_with_worked_solutions); later calls for the same notebook return the
    same run, or raise the same error."""
    runs = {}

    def run(path):
        if path not in runs:
            try:
                runs[path] = run_with_worked_solutions(path)
            except Exception as error:  # a kernel that died or a cell that timed out
                runs[path] = error
        if isinstance(runs[path], Exception):
            raise runs[path]
        return runs[path]

    return run

