"""Where the project lives on disk, and the one way files are written: atomically."""

from __future__ import annotations

import os
from pathlib import Path

# The checkout (or installed tree) holding `data/`: paths never depend on the working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def write_atomically(path: Path, content: bytes) -> None:
    """Writes a temporary file beside `path`, then renames it: readers see the old or the new
    file, never half of one, and a failure leaves the previous file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
