"""Plan files for the importer tests, made in the tests and read through the one entry point."""

from __future__ import annotations

import tempfile
from pathlib import Path

from duban.plans.importers import read_plan_file


def read_text_plan(text: str, name: str, layout: str | None = None, encoding: str = "utf-8"):
    """The plan in `text`, written to a file called `name` and read as any upload is."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(text.encode(encoding))
        return read_plan_file(path, layout=layout)
