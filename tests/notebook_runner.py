"""Run course notebooks top to bottom in a fresh kernel started in notebooks/, as Jupyter does.

    python tests/notebook_runner.py notebooks/*.ipynb     # run and store the outputs

Stored notebooks keep the outputs of that one clean run, with kernelspec python3, no saved
widget state, and no widget views (they only show "Error displaying widget" until re-run; the
static figure before each widget stands in for them).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(path, timeout=120, kernel_name="python3", cwd=None, extra_cells=()):
    """Execute the notebook at ``path``, followed by ``extra_cells`` (sources), in a fresh kernel
    started in ``cwd`` (default: the notebook's folder); return the executed notebook."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in extra_cells)
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(cwd or path.parent)}},
                            store_widget_state=False)
    client.execute()
    return notebook


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
