"""INSEE "bases communales": one row per commune (`CODGEO`), one column per year (`NAISD21`)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.tabular import CsvFormat, query_csv, read_header

# `;`, UTF-8 or plain ASCII; CODGEO read as text (leading zeros, `2A004`).
INSEE_BASE_FORMAT = CsvFormat(separator=";", encoding="utf-8")


def yearly_counts(table: Path, code: str, prefix: str, label: str) -> pd.DataFrame:
    """The commune's counts per year from the columns `<prefix>YY`: columns `annee`, `valeur`
    (text as in the file; the dataset decides how to read it)."""
    header = read_header(table, INSEE_BASE_FORMAT, label)
    year_columns = [name for name in header if re.fullmatch(rf"{prefix}\d\d", name)]
    if not year_columns:
        raise SourceFormatError(f"{label}: no column {prefix}YY (e.g. {prefix}21) in the header")
    rows = query_csv(
        table,
        INSEE_BASE_FORMAT,
        required=["CODGEO", *year_columns],
        where="CODGEO = ?",
        parameters=[code],
        label=label,
    )
    if rows.empty:
        raise SourceFormatError(f"{label}: commune {code} has no row (CODGEO)")
    if len(rows) > 1:
        raise SourceFormatError(f"{label}: commune {code} has {len(rows)} rows (CODGEO)")
    return pd.DataFrame(
        {
            "annee": [2000 + int(name[len(prefix) :]) for name in year_columns],
            "valeur": [rows.iloc[0][name] for name in year_columns],
        }
    )
