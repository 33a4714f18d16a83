"""INSEE état civil per commune and year, from either generation of INSEE's files.

- The current series, `DS_ETAT_CIVIL_NAIS_COMMUNES` / `DS_ETAT_CIVIL_DECES_COMMUNES` (2008 to
  the last year published): long format, one row per measure × place × year,
  `EC_MEASURE;FREQ;GEO;GEO_OBJECT;OBS_STATUS;TIME_PERIOD;OBS_VALUE`. The commune is the row
  whose `GEO_OBJECT` is `COM`: Paris, Lyon and Marseille have a `COM` row for the whole commune
  and `ARM` rows for their arrondissements, which are never added to it. `OBS_STATUS` `M`
  (empty `OBS_VALUE`) is a value INSEE declares missing: it stays missing, never 0.
- The older "bases communales" (up to 2021): one row per commune (`CODGEO`), one column per
  year (`NAISD21`); the commune's own `CODGEO` row, as in the current series. An empty cell
  is a missing value too.

Either way the commune's counts come back as `annee` (int) and `valeur` (nullable integer,
missing as `<NA>`). Only the commune's rows are read into pandas and checked: a value that is
not a count, an unknown status, a year given twice is a `SourceFormatError` naming the file,
the column and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import FetchedFile, SourceFetcher
from cle_pipeline.lib.national import CommuneCuts, CutAll, PassDone, cut_csv_in_one_pass
from cle_pipeline.lib.tabular import CsvFormat, query_csv, read_header

# `;`, UTF-8 (plain ASCII in practice); every value read as text (`01001`, `2A004`). Fields
# may or may not be double-quoted: the reader accepts both.
ETAT_CIVIL_FORMAT = CsvFormat(separator=";", encoding="utf-8")
SERIES_COLUMNS = [
    "EC_MEASURE",
    "FREQ",
    "GEO",
    "GEO_OBJECT",
    "OBS_STATUS",
    "TIME_PERIOD",
    "OBS_VALUE",
]
# An integer, which some statistical exports write with a zero decimal part (`110.0`). A sign
# is read so that a negative count reaches the dataset's schema check, which names its row.
COUNT = re.compile(r"^-?\d+(?:\.0*)?$")
YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Measure:
    """What a source counts, under its name in each generation of files."""

    code: str  # `EC_MEASURE` of the current series
    wide_prefix: str  # column prefix of the bases communales (`NAISD` → `NAISD21`)
    label: str


BIRTHS = Measure("LVB", "NAISD", "live births")
DEATHS = Measure("DTH", "DECESD", "deaths")


# The commune of a row of each format, for the one pass over the file (`lib/national.py`).
SERIES_COMMUNE = "CASE WHEN GEO_OBJECT = 'COM' THEN GEO END"
WIDE_COMMUNE = "CODGEO"


def is_wide(header: list[str]) -> bool:
    """Whether the header is a base communale's (`CODGEO`, `<prefix>yy`), not the series'."""
    return "CODGEO" in header and not {"EC_MEASURE", "OBS_VALUE"} & set(header)


def commune_counts(table: Path, code: str, measure: Measure, label: str) -> pd.DataFrame:
    """The commune's counts per year (`annee`, `valeur`), from whichever format `table` is in:
    the current series unless the header is a base communale's (`CODGEO`, `<prefix>yy`)."""
    header = read_header(table, ETAT_CIVIL_FORMAT, label)
    if is_wide(header):
        return wide_counts(table, code, measure, label)
    return series_counts(table, code, measure, label)


def cut_every_commune_counts(
    table: Path, codes: list[str], folder: Path, measure: Measure, label: str
) -> dict[str, Any]:
    """The one pass for every commune (`lib/national.py`): each commune's rows of either
    format; returns what reading a commune back needs (the year columns of a wide file)."""
    header = read_header(table, ETAT_CIVIL_FORMAT, label)
    year_columns = year_columns_of(header, measure, label) if is_wide(header) else None
    cut_csv_in_one_pass(
        table,
        ETAT_CIVIL_FORMAT,
        folder,
        required=SERIES_COLUMNS if year_columns is None else ["CODGEO", *year_columns],
        key=SERIES_COMMUNE if year_columns is None else WIDE_COMMUNE,
        codes=codes,
        label=label,
    )
    return {"year_columns": year_columns}


def civil_registry_pass(member: str, measure: Measure) -> CutAll:
    """The one pass of a civil-registry source (`national_file_asset`'s `cut_all`): every
    commune's rows of the archive's data member (`member`, a pattern of its name)."""

    def cut_every_commune(
        archive: FetchedFile, sources: SourceFetcher, codes: list[str], folder: Path
    ) -> PassDone:
        table = sources.extract(archive, member)
        details = cut_every_commune_counts(table, codes, folder, measure, archive.location)
        return PassDone(archive.location, details=details)

    return cut_every_commune


def counts_from_cuts(cuts: CommuneCuts, code: str, measure: Measure) -> pd.DataFrame:
    """`commune_counts` on the commune's rows of the one pass."""
    rows = cuts.read([code], line_column="line")
    year_columns = cuts.details.get("year_columns")
    if year_columns is not None:
        return wide_rows_counts(rows, code, year_columns, measure, cuts.label)
    return series_rows_counts(rows, code, measure, cuts.label)


def series_counts(table: Path, code: str, measure: Measure, label: str) -> pd.DataFrame:
    """The commune's `COM` rows of the current series for `measure`, one per year."""
    rows = query_csv(
        table,
        ETAT_CIVIL_FORMAT,
        required=SERIES_COLUMNS,
        where="GEO = ? AND GEO_OBJECT = 'COM'",
        parameters=[code],
        label=label,
        line_column="line",
    )
    return series_rows_counts(rows, code, measure, label)


def series_rows_counts(rows: pd.DataFrame, code: str, measure: Measure, label: str) -> pd.DataFrame:
    """The counts of the commune's `COM` rows of the current series, checked."""
    measures = set(rows["EC_MEASURE"].dropna())
    rows = rows[rows["EC_MEASURE"] == measure.code]
    if rows.empty:
        found = f" (it holds EC_MEASURE {', '.join(sorted(measures))})" if measures else ""
        raise SourceFormatError(
            f"{label}: commune {code} has no row with GEO_OBJECT COM and EC_MEASURE "
            f"{measure.code} ({measure.label}){found}"
        )
    for row in rows.itertuples():
        _check_series_row(row, label)
    _refuse_repeated_years(rows["TIME_PERIOD"], rows["line"], label)
    values = [
        None if row.OBS_STATUS == "M" else int(float(row.OBS_VALUE)) for row in rows.itertuples()
    ]
    return _counts(rows["TIME_PERIOD"].astype(int).tolist(), values)


def _check_series_row(row, label: str) -> None:
    where = f"{label}: line {row.line}"
    if row.FREQ != "A":
        raise SourceFormatError(f"{where}, column FREQ: {row.FREQ!r}, expected A (annual)")
    if not isinstance(row.TIME_PERIOD, str) or not YEAR.match(row.TIME_PERIOD):
        raise SourceFormatError(f"{where}, column TIME_PERIOD: {row.TIME_PERIOD!r} is not a year")
    value = row.OBS_VALUE if isinstance(row.OBS_VALUE, str) else ""
    if row.OBS_STATUS == "A":
        if not COUNT.match(value):
            raise SourceFormatError(
                f"{where}, column OBS_VALUE: {value!r} is not a count (OBS_STATUS A)"
            )
    elif row.OBS_STATUS == "M":
        # Missing means no value: a value beside M contradicts the status.
        if value:
            raise SourceFormatError(
                f"{where}, column OBS_VALUE: {value!r} with OBS_STATUS M (missing): "
                "expected an empty value"
            )
    else:
        raise SourceFormatError(
            f"{where}, column OBS_STATUS: unknown status {row.OBS_STATUS!r} "
            "(expected A, a value, or M, missing)"
        )


def wide_counts(table: Path, code: str, measure: Measure, label: str) -> pd.DataFrame:
    """The commune's `CODGEO` row of a base communale, one column `<prefix>yy` per year."""
    year_columns = year_columns_of(read_header(table, ETAT_CIVIL_FORMAT, label), measure, label)
    rows = query_csv(
        table,
        ETAT_CIVIL_FORMAT,
        required=["CODGEO", *year_columns],
        where="CODGEO = ?",
        parameters=[code],
        label=label,
        line_column="line",
    )
    return wide_rows_counts(rows, code, year_columns, measure, label)


def year_columns_of(header: list[str], measure: Measure, label: str) -> list[str]:
    """The `<prefix>yy` columns of a base communale's header."""
    prefix = measure.wide_prefix
    year_columns = [name for name in header if re.fullmatch(rf"{prefix}\d\d", name)]
    if not year_columns:
        raise SourceFormatError(f"{label}: no column {prefix}YY (e.g. {prefix}21) in the header")
    return year_columns


def wide_rows_counts(
    rows: pd.DataFrame, code: str, year_columns: list[str], measure: Measure, label: str
) -> pd.DataFrame:
    """The counts of the commune's `CODGEO` row of a base communale, checked."""
    prefix = measure.wide_prefix
    if rows.empty:
        raise SourceFormatError(f"{label}: commune {code} has no row (CODGEO)")
    if len(rows) > 1:
        lines = ", ".join(map(str, rows["line"]))
        raise SourceFormatError(f"{label}: commune {code} has {len(rows)} rows (lines {lines})")
    row = rows.iloc[0]
    values = []
    for name in year_columns:
        value = row[name] if isinstance(row[name], str) else ""
        if value and not COUNT.match(value):
            raise SourceFormatError(
                f"{label}: line {row['line']}, column {name}: {value!r} is not a count"
            )
        values.append(int(float(value)) if value else None)
    return _counts([2000 + int(name[len(prefix) :]) for name in year_columns], values)


def _refuse_repeated_years(years: pd.Series, lines: pd.Series, label: str) -> None:
    repeated = years[years.duplicated(keep=False)]
    if not repeated.empty:
        year = repeated.iloc[0]
        at = ", ".join(str(line) for line in lines[years == year])
        raise SourceFormatError(
            f"{label}: year {year} is given more than once for the commune (lines {at})"
        )


def _counts(years: list[int], values: list[int | None]) -> pd.DataFrame:
    return (
        pd.DataFrame({"annee": years, "valeur": pd.array(values, dtype="Int64")})
        .sort_values("annee")
        .reset_index(drop=True)
    )
