"""The README's two commands, read in one place.

The README marks each command with an HTML comment on the line before its code block:
``<!-- open-command -->`` (set up and open the course in JupyterLab),
``<!-- open-command-notebook -->`` (open it in Notebook 7), ``<!-- test-command -->`` (set up
and run every test) and ``<!-- hub-command -->`` (start a JupyterHub for a class). CI runs the
test command as written; the browser test runs the open ones, the classroom test the hub one.

    python tests/readme_commands.py test     # prints the test command
"""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
MARKERS = {"open": "<!-- open-command -->", "open-notebook": "<!-- open-command-notebook -->",
           "test": "<!-- test-command -->", "hub": "<!-- hub-command -->"}


def command(name, readme=README):
    """The one-line command in the code block right after the README's marker for ``name``."""
    lines = Path(readme).read_text(encoding="utf-8").splitlines()
    marker = MARKERS[name]
    for index, line in enumerate(lines):
        if line.strip() == marker:
            fence, found = lines[index + 1].strip(), lines[index + 2].strip()
            if fence.startswith("```") and found and not found.startswith("```"):
                return found
            break
    raise ValueError(f"README.md has no one-line command in a code block after {marker}")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in MARKERS:
        sys.exit(f"usage: python {sys.argv[0]} {{{'|'.join(MARKERS)}}}")
    try:
        print(command(sys.argv[1]))
    except ValueError as error:
        sys.exit(str(error))
