"""The Ministry of the Interior's election results by polling station: the file format and
its reader, shared by the four election sources (`presidentielle_2022_t1` … `legislatives_2022_t2`).

The national files (`resultats-par-niveau-burvot-t<n>-france-entiere.txt`, about 36 MB and
69,700 polling-station rows) are `;`-separated latin-1 text with CRLF line ends and no quoting.
Their header names 21 fixed fields (the polling station and its totals) and ONE candidate block,
but each data row repeats the block once per candidate until the row ends (12 candidates in the
2022 presidential round 1, 2 in round 2, a varying number per constituency in the legislative).
A CSV reader that trusts the header keeps the first candidate only (pandas even shifts the
ragged rows into its index), so the file is read here line by line (csv's rules where a line
holds a quote): the fixed fields by name, then blocks of the header's block length until the
row ends. Only the commune's rows are kept; the file is never loaded whole.

`Code de la commune` is the 3-digit code inside the department, and the department codes of
overseas territories are letters: `insee_code` turns both into the INSEE commune code.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import FetchedFile, SourceFetcher
from cle_pipeline.lib.national import (
    COMMUNE,
    LINE,
    CommuneCuts,
    CutAll,
    CutWriter,
    PassDone,
    write_cuts,
)
from cle_pipeline.lib.tabular import duckdb_connection, numbered, sql_string

FIXED_COLUMNS = (
    "Code du département",
    "Libellé du département",
    "Code de la circonscription",
    "Libellé de la circonscription",
    "Code de la commune",
    "Libellé de la commune",
    "Code du b.vote",
    "Inscrits",
    "Abstentions",
    "% Abs/Ins",
    "Votants",
    "% Vot/Ins",
    "Blancs",
    "% Blancs/Ins",
    "% Blancs/Vot",
    "Nuls",
    "% Nuls/Ins",
    "% Nuls/Vot",
    "Exprimés",
    "% Exp/Ins",
    "% Exp/Vot",
)


@dataclass(frozen=True)
class ResultsFormat:
    """How a results file is written: its candidate block (the columns repeated once per
    candidate on every data row), separator and encoding."""

    candidate_columns: tuple[str, ...]
    separator: str = ";"
    encoding: str = "latin-1"


PRESIDENTIAL = ResultsFormat(
    ("N°Panneau", "Sexe", "Nom", "Prénom", "Voix", "% Voix/Ins", "% Voix/Exp")
)
# The legislative block adds the candidate's political `Nuance` (ENS, NUP, RN, LR…).
LEGISLATIVE = ResultsFormat(
    ("N°Panneau", "Sexe", "Nom", "Prénom", "Nuance", "Voix", "% Voix/Ins", "% Voix/Exp")
)
# The columns of a cut as the UI describes them: one row per polling station and candidate, the
# station's figures repeated on each.
COLUMN_DESCRIPTIONS = {
    "Code du département": "Code du département (lettres outre-mer : ZA Guadeloupe, ZD Réunion…)",
    "Code de la circonscription": "Numéro de la circonscription législative dans le département",
    "Code de la commune": (
        "Code de la commune dans son département (`165`) : le code INSEE est le département suivi "
        "de ce code"
    ),
    "Code du b.vote": "Numéro du bureau de vote dans la commune (`0001`)",
    "Inscrits": "Électeurs inscrits dans le bureau",
    "Abstentions": "Inscrits qui n'ont pas voté",
    "Votants": "Électeurs qui ont voté (bulletins blancs et nuls compris)",
    "Blancs": "Bulletins blancs",
    "Nuls": "Bulletins nuls",
    "Exprimés": "Suffrages exprimés : votants moins blancs et nuls",
    "N°Panneau": "Numéro du panneau d'affichage du candidat",
    "Sexe": "Sexe du candidat (M, F)",
    "Nom": "Nom du candidat",
    "Prénom": "Prénom du candidat",
    "Nuance": "Nuance politique du candidat selon le ministère (ENS, NUP, RN, LR…), législatives",
    "Voix": "Voix du candidat dans le bureau",
    "% Voix/Ins": "Voix du candidat en pourcentage des inscrits (virgule décimale)",
    "% Voix/Exp": "Voix du candidat en pourcentage des exprimés (virgule décimale)",
}


def column_descriptions(results: ResultsFormat) -> dict[str, str]:
    """The French descriptions of the columns a cut of `results` has (`SourceCut.descriptions`)."""
    columns = (*FIXED_COLUMNS, *results.candidate_columns)
    return {name: text for name, text in COLUMN_DESCRIPTIONS.items() if name in columns}


# The Ministry's letter codes for territories outside mainland France and Corsica, and the INSEE
# "departments" (first three characters of the INSEE code) each may hold. The 3-digit commune
# code of these rows already starts with the territory's last digit (ZD + `411` is 97411 Saint-
# Denis), so the INSEE code is `97`/`98` + the commune code; ZX (Saint-Barthélemy 977, Saint-
# Martin 978) is told apart by that first digit. French people abroad (ZZ) vote in consular
# offices, which are no commune: their rows never get an INSEE code.
OVERSEAS_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "ZA": ("971",),  # Guadeloupe
    "ZB": ("972",),  # Martinique
    "ZC": ("973",),  # Guyane
    "ZD": ("974",),  # La Réunion
    "ZS": ("975",),  # Saint-Pierre-et-Miquelon
    "ZM": ("976",),  # Mayotte
    "ZX": ("977", "978"),  # Saint-Barthélemy, Saint-Martin
    "ZW": ("986",),  # Wallis-et-Futuna
    "ZP": ("987",),  # Polynésie française
    "ZN": ("988",),  # Nouvelle-Calédonie
    "ZZ": (),  # Français établis hors de France: no commune
}
# The departments of mainland France and Corsica as the files write them, whose communes' INSEE
# codes are the department's code then the commune's 3 digits (`insee_code`).
MAINLAND_DEPARTMENTS = frozenset(
    [f"{number:02d}" for number in range(100) if number not in (97, 98)] + ["2A", "2B"]
)
# The one column of the one pass's cuts: a line as it is, or its fields as JSON.
LINE_FIELDS = "champs"
_INSEE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")


def insee_code(department: str, commune: str) -> str | None:
    """INSEE commune code of a row's `Code du département` and `Code de la commune`.

    `76` + `165` → `76165`, `2A` + `004` → `2A004`, `ZD` + `411` → `97411`, `ZX` + `801` →
    `97801`; None for French people abroad (`ZZ`) and for codes that name no commune. A
    department or commune code whose leading zeros were lost (`1`, `5`) is padded back.
    """
    if commune.isdigit() and len(commune) == 3 and department in MAINLAND_DEPARTMENTS:
        return department + commune  # most rows: what the rules below give, 10 times faster
    department = department.strip().upper()
    commune = commune.strip()
    if commune.isdigit():
        commune = commune.zfill(3)
    if len(commune) != 3 or not commune.isdigit():
        return None
    territories = OVERSEAS_DEPARTMENTS.get(department)
    if territories is None and re.fullmatch(r"9[78]\d", department):
        territories = (department,)  # a file that writes 974 instead of ZD
    if territories is not None:
        code = territories[0][:2] + commune if territories else ""
        return code if code[:3] in territories else None
    if department.isdigit():
        department = department.zfill(2)
    code = department + commune
    return code if _INSEE.match(code) and not code.startswith(("97", "98")) else None


@dataclass(frozen=True)
class _Layout:
    fixed: dict[str, int]  # fixed column → position in the row
    block: dict[str, int]  # candidate column → position inside a block

    @property
    def block_size(self) -> int:
        return len(self.block)


def _layout(header: list[str], results: ResultsFormat, label: str) -> _Layout:
    """Where each fixed and candidate field sits: the candidate block starts at the header's
    first candidate column; both parts are mapped by name, never by position alone."""
    header = [name.strip() for name in header]
    in_block = set(results.candidate_columns)
    start = next((i for i, name in enumerate(header) if name in in_block), len(header))
    fixed, block = header[:start], header[start:]
    missing = [name for name in FIXED_COLUMNS if name not in fixed]
    missing += [name for name in results.candidate_columns if name not in block]
    if missing:
        if len(header) == 1:
            raise SourceFormatError(
                f"{label}: the header has a single column {header[0][:80]!r}: the separator is "
                f"not {results.separator!r} as documented"
            )
        hint = " (is the file UTF-8 rather than latin-1?)" if "Ã" in "".join(header) else ""
        raise SourceFormatError(f"{label}: missing column(s) {', '.join(missing)}{hint}")
    unexpected = [name for name in block if name not in in_block]
    if unexpected:
        # The block length is what cuts the ragged rows: an unknown column in it would shift
        # every candidate after the first.
        raise SourceFormatError(
            f"{label}: unexpected column(s) {', '.join(map(repr, unexpected))} in the candidate "
            f"block (expected exactly {', '.join(results.candidate_columns)})"
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise SourceFormatError(f"{label}: duplicated column(s) {', '.join(duplicated)}")
    return _Layout(
        fixed={name: i for i, name in enumerate(fixed)},
        block={name: i for i, name in enumerate(block)},
    )


def read_commune_results(
    path: Path, results: ResultsFormat, code: str, label: str | None = None
) -> pd.DataFrame:
    """The commune's rows of a results file, one row per polling station × candidate: the
    fixed columns, then the candidate block's columns, every value as text.

    Streams the file line by line (`scan_results`). Every line's candidate part must be a
    whole number of blocks (else `SourceFormatError` naming the file and line), so that a
    format change anywhere in the file is noticed, not only on the commune's lines.

    Splitting all 69,700 lines of 100 fields costs 0.4 s (csv module or `str.split` alike),
    twice a DuckDB pass over the file: a line without a quote is only counted (its separators)
    and split up to the commune code; only the commune's lines are split whole.
    """
    # What `Code de la commune` holds on the commune's lines, whatever leading zeros it lost
    # (`insee_code` ends with it): a cheap test that leaves `insee_code` few lines to place.
    number = code[-3:].lstrip("0") or "0"

    def commune_of(department: str, commune: str) -> str | None:
        if number not in commune or insee_code(department, commune) != code:
            return None
        return code

    records: list[list[str]] = []
    columns = scan_results(
        path, results, label or str(path), commune_of, lambda _, rows: records.extend(rows)
    )
    return pd.DataFrame(records, columns=columns, dtype=str)


def cut_every_commune_results(
    path: Path, results: ResultsFormat, codes: list[str], folder: Path, label: str
) -> dict[str, Any]:
    """The one pass for every commune (`lib/national.py`): each line of the communes of
    `codes`, written out as the file is read (one value per line, so that a commune's rows
    are split into candidates only when it reads them, `read_results_cut`). Returns what
    reading them back needs: the columns, the fixed fields' count, and the separator when
    the lines are kept as they are (else each holds its fields as JSON).

    DuckDB reads the lines when the file is plain text (no quote, which would need csv's
    rules, no NUL byte, bytes its latin-1 reads) and every line holds whole candidate blocks:
    splitting and encoding them in Python cost 20 times a commune's cut. Else the lines are
    read in Python (`scan_results`), which reads what csv reads and names the first line out
    of format."""
    columns = results_columns(path, results, label)
    details: dict[str, Any] = {
        "columns": columns,
        "width": len(columns) - len(results.candidate_columns),
    }
    try:
        if not plain_text(path):
            raise IrregularFile(f"{label}: quotes or NUL bytes")
        cut_lines_with_duckdb(path, results, columns, set(codes), folder)
        return {**details, "separator": results.separator}
    except (IrregularFile, duckdb.Error):
        shutil.rmtree(folder, ignore_errors=True)
        cut_lines_with_python(path, results, set(codes), folder, label)
        return details


class IrregularFile(Exception):
    """A results file the DuckDB pass leaves to the Python one (`scan_results`)."""


def plain_text(path: Path) -> bool:
    """Whether the file holds no double quote and no NUL byte (a 0.1 s scan of 36 MB)."""
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            if b'"' in block or b"\0" in block:
                return False
    return True


def cut_lines_with_duckdb(
    path: Path, results: ResultsFormat, columns: list[str], wanted: set[str], folder: Path
) -> None:
    """The lines of the `wanted` communes, read by DuckDB as one text each and kept as they
    are; `IrregularFile` when a line does not hold whole candidate blocks, or a commune's line
    has no candidate. The INSEE code of each (department, commune) pair of the file is
    `insee_code`'s, asked once per pair."""
    separator, size = results.separator, len(results.candidate_columns)
    width = len(columns) - size
    relation = (
        f"read_csv({sql_string(str(path))}, columns={{'line': 'VARCHAR'}}, delim='\\x01', "
        f"quote='', escape='', header=true, encoding={sql_string(results.encoding)}, "
        # Small read buffers, as `lib.tabular.read_csv_relation`'s: a lower peak.
        f"auto_detect=false, buffer_size={4 * 1024 * 1024})"
    )

    def field(name: str) -> str:
        # A regular expression, faster than `split_part` on lines of 100 fields.
        pattern = nth_field(columns.index(name), separator)
        return f"regexp_extract(line, {sql_string(pattern)}, 1)"

    pair = f"{field('Code du département')} AS dep, {field('Code de la commune')} AS com"
    sep = sql_string(separator)
    fields = f"strlen(line) - strlen(replace(line, {sep}, '')) + 1"
    with duckdb_connection() as connection:
        connection.execute(
            "SET threads = 1"
        )  # as `write_cuts`: a second thread only doubled the memory
        pairs = connection.execute(
            f"SELECT dep, com, bool_or(fields < {width} OR (fields - {width}) % {size} <> 0), "
            f"bool_or(fields = {width}) FROM (SELECT {pair}, {fields} AS fields FROM {relation} "
            "WHERE line <> '') GROUP BY ALL"
        ).fetchall()
        places = {(dep, com): insee_code(dep, com) for dep, com, _, _ in pairs}
        if any(
            malformed or (without and places[dep, com] in wanted)
            for dep, com, malformed, without in pairs
        ):
            raise IrregularFile(str(path))
        mapping = [(dep, com, code) for (dep, com), code in places.items() if code in wanted]
        connection.execute(
            "CREATE TEMP TABLE places AS SELECT unnest($deps) AS dep, unnest($coms) AS com, "
            "unnest($codes) AS code",
            {
                "deps": [dep for dep, _, _ in mapping],
                "coms": [com for _, com, _ in mapping],
                "codes": [code for _, _, code in mapping],
            },
        )
        keyed = (
            f"SELECT lines.{LINE}, places.code AS {COMMUNE}, lines.line AS {LINE_FIELDS} "
            f"FROM (SELECT {LINE}, line, {pair} FROM {numbered(relation, LINE)}) AS lines "
            "JOIN places ON lines.dep = places.dep AND lines.com = places.com"
        )
        write_cuts(connection, keyed, sorted(wanted), folder)


def nth_field(position: int, separator: str) -> str:
    """A regular expression whose group 1 is the field at `position` (from 0) of a line."""
    other = f"[^{re.escape(separator)}]*"
    return f"^(?:{other}{re.escape(separator)}){{{position}}}({other})"


def cut_lines_with_python(
    path: Path, results: ResultsFormat, wanted: set[str], folder: Path, label: str
) -> None:
    """The lines of the `wanted` communes, read line by line (`scan_results`)."""
    width = len(results_columns(path, results, label)) - len(results.candidate_columns)
    writer = CutWriter(folder, [LINE_FIELDS])

    def commune_of(department: str, commune: str) -> str | None:
        found = insee_code(department, commune)
        return found if found in wanted else None

    def keep(found: str, rows: list[list[str]]) -> None:
        line = rows[0][:width] + [value for row in rows for value in row[width:]]
        writer.add(writer.rows, found, [json.dumps(line, ensure_ascii=False)])

    try:
        scan_results(path, results, label, commune_of, keep)
    finally:
        writer.close()


def results_pass(results: ResultsFormat) -> CutAll:
    """The one pass of a results source (`national_file_asset`'s `cut_all`): every commune's
    lines of a file in the `results` format, in one streaming read (`cut_every_commune_results`)."""

    def cut_every_commune(
        fetched: FetchedFile, sources: SourceFetcher, codes: list[str], folder: Path
    ) -> PassDone:
        details = cut_every_commune_results(fetched.path, results, codes, folder, fetched.location)
        return PassDone(fetched.location, details=details)

    return cut_every_commune


def results_columns(path: Path, results: ResultsFormat, label: str) -> list[str]:
    """The columns of the rows read: the fixed ones, then the candidate block's."""
    with path.open("r", encoding=results.encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=results.separator, quotechar='"', strict=True)
        layout = _layout(_header(reader, label), results, label)
    return [*layout.fixed, *layout.block]


def _header(reader: Any, label: str) -> list[str]:
    try:
        return next(reader)
    except StopIteration:
        raise SourceFormatError(f"{label}: empty file (no header line)") from None
    except csv.Error as error:
        raise SourceFormatError(f"{label}: line 1 is not valid CSV ({error})") from error


def scan_results(
    path: Path,
    results: ResultsFormat,
    label: str,
    commune_of: Callable[[str, str], str | None],
    keep: Callable[[str, list[list[str]]], None],
) -> list[str]:
    """Reads a results file line by line: `commune_of(department code, commune code)` says
    whose line it is (None: nobody asked), and `keep(commune, rows)` gets its rows, one per
    candidate. Returns the columns of the rows. A line with a quote (never seen in these
    files) is parsed by csv, with the lines a quoted field spans."""
    separator = results.separator
    with path.open("r", encoding=results.encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=separator, quotechar='"', strict=True)
        layout = _layout(_header(reader, label), results, label)
        width, size = len(layout.fixed), layout.block_size
        department = layout.fixed["Code du département"]
        commune = layout.fixed["Code de la commune"]
        split_at = max(department, commune) + 1
        line_num = reader.line_num
        for line in stream:
            line_num += 1
            row: list[str] | None = None
            if '"' in line:
                # csv reads the record, and the next lines if a quoted field spans them.
                quoted = csv.reader(
                    itertools.chain([line], stream), delimiter=separator, strict=True
                )
                try:
                    row = next(quoted)
                except csv.Error as error:
                    raise SourceFormatError(f"{label}: line {line_num}: {error}") from error
                line_num += quoted.line_num - 1
                text, fields = "", len(row)
            else:
                text = line.rstrip("\r\n")
                if not text:
                    continue  # a blank line, e.g. at the end of the file
                fields = text.count(separator) + 1
            _check_blocks(fields, width, size, label, line_num)
            head = row or text.split(separator, split_at)
            found = commune_of(head[department], head[commune])
            if found is None:
                continue
            row = row or text.split(separator)
            if fields == width:
                raise SourceFormatError(
                    f"{label}: line {line_num}: polling station "
                    f"{row[layout.fixed['Code du b.vote']]} has no candidate"
                )
            station = row[:width]
            keep(
                found,
                [station + row[start : start + size] for start in range(width, len(row), size)],
            )
    return [*layout.fixed, *layout.block]


def _check_blocks(fields: int, width: int, size: int, label: str, line_num: int) -> None:
    candidates = fields - width
    if candidates < 0:
        raise SourceFormatError(
            f"{label}: line {line_num} has {fields} fields, fewer than "
            f"the {width} fixed fields of the header"
        )
    if candidates % size:
        raise SourceFormatError(
            f"{label}: line {line_num} has {fields} fields: {width} fixed "
            f"fields then blocks of {size} fields per candidate expected, and "
            f"{candidates} is not a multiple of {size}"
        )


def read_results_cut(cuts: CommuneCuts, code: str) -> pd.DataFrame:
    """The commune's rows from the one pass, as `read_commune_results` returns them."""
    columns, width = cuts.details["columns"], cuts.details["width"]
    size = len(columns) - width
    records = []
    separator = cuts.details.get("separator")
    for fields in cuts.read([code])[LINE_FIELDS]:
        line = fields.split(separator) if separator else json.loads(fields)
        station = line[:width]
        records.extend(
            station + line[start : start + size] for start in range(width, len(line), size)
        )
    return pd.DataFrame(records, columns=columns, dtype=str)


def results_metadata(rows: pd.DataFrame) -> dict[str, Any]:
    """What a results source asset shows in the UI beside its rows (`lib/source_cut.py`):
    polling stations, candidates."""
    per_station = rows.groupby("Code du b.vote").size() if not rows.empty else pd.Series()
    return {
        "polling_stations": int(rows["Code du b.vote"].nunique()),
        "candidates_per_station": ", ".join(str(n) for n in sorted(set(per_station.tolist())))
        or "none",
    }
