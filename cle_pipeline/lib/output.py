"""The published CSV format: UTF-8, comma, header row, empty cells for missing values."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.files import write_atomically


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The published CSV: UTF-8, comma, LF, empty for missing values, no index."""
    return frame.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def write_csv(frame: pd.DataFrame, path: Path) -> str:
    """Writes `frame` to `path` atomically and returns the file's sha256."""
    content = csv_bytes(frame)
    write_atomically(path, content)
    return hashlib.sha256(content).hexdigest()
