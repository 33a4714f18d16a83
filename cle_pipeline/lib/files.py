"""Where the project lives on disk, and the one way files are written: atomically."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

# The checkout the package sits in, when it runs from one (`make demo`, an editable install):
# the folder of `pyproject.toml` and `data/`. Paths never depend on the working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def runs_from_checkout(checkout: Path = PROJECT_ROOT) -> bool:
    """Whether the package sits in a checkout (its `pyproject.toml` two levels up), rather than
    installed in a Python environment."""
    return (checkout / "pyproject.toml").is_file()


def default_data_dir(subfolder: str, setting: str, checkout: Path = PROJECT_ROOT) -> Path:
    """`data/<subfolder>` of the checkout: where a folder setting left empty points.

    An installed package has no checkout around it (no `pyproject.toml` two levels up), so it
    has no default folders: the error names the `setting` to give instead.
    """
    if not runs_from_checkout(checkout):
        raise FileNotFoundError(
            f"{setting} is not set and cle_pipeline does not run from a checkout (no "
            f"pyproject.toml in {checkout}): set {setting} to the folder to use for {subfolder}"
        )
    return checkout / "data" / subfolder


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


def partial_path(target: Path) -> Path:
    """Where a download or an extraction of `target` is written before it is renamed into place:
    a name of its own per writer, so that two processes (two runs, two pods on a shared volume)
    fetching the same file never write into one partial file."""
    return target.with_name(f"{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")
