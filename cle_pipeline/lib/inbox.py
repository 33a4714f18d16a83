"""Files the commune supplies itself (`data/inbox/<commune>/`): found, read as text, never changed.

A commune sends tables as its office software writes them: CSV in UTF-8 (with or without a
BOM), Windows-1252 ("latin-1" with `€` as byte 0x80) or UTF-16 ("Unicode text"), `;` or `,` or
tab separated, CRLF line ends, values with line breaks inside quotes, empty rows at the end,
sometimes a title above the header; or an XLSX workbook with typed cells (dates, numbers).

`newest_file` picks the file to read; `read_table` turns it into a frame of text whose index is
the line of each row in the commune's file (`ligne_source`: the header is line 1 when it is on
the first line; in a workbook, the sheet's row number), so that a check can tell the commune
which line to fix. Files are opened for reading only: the pipeline never rewrites, moves or
deletes what the commune sent.

Structural problems (empty file, no recognisable header, a row with more values than the
header, an encrypted or corrupt workbook) raise `SourceFormatError` naming the file and line;
bad values are left for the dataset's checks.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from email.utils import formatdate
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from cle_pipeline.lib.cadence import WHEN_SENT, Cadence
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.normalise import blank_to_none

LINE = "ligne_source"
# `frame.attrs` key: the row a spreadsheet shows for each `ligne_source` (checks name both).
SPREADSHEET_ROWS = "ligne_tableur"
SEPARATORS = (";", ",", "\t")
# A header may sit below a title and a blank line or two; further down is not a header.
MAX_PREAMBLE_ROWS = 10
# An encrypted (password-protected) Office file is an OLE2 compound document, not a zip;
# so is an old .xls renamed .xlsx.
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


@dataclass(frozen=True)
class CommuneFileKind:
    """A kind of file the commune sends: its name (`pattern`, a regex on the name without its
    extension, case-insensitive), the extensions read, and `check`, which reads a file the way
    its source's asset will and raises SourceError when it cannot."""

    pattern: str
    suffixes: tuple[str, ...]
    check: Callable[[Path], object]

    def matches(self, path: Path) -> bool:
        """Whether `path` is named like this kind of file."""
        return re.fullmatch(self.pattern, path.stem, re.IGNORECASE) is not None

    def sent_in(self, folder: Path) -> bool:
        """Whether the commune sent a file of this kind to `folder`, readable or not (a
        `commerces.ods` is then refused by `newest_file`, naming it, rather than taken for no
        file): what an optional file's asset asks before reading it."""
        return folder.is_dir() and any(
            path.is_file() and self.matches(path) for path in folder.iterdir()
        )


@dataclass(frozen=True)
class InboxSource:
    """A source the commune supplies in its inbox (no national file): its id (the asset that
    reads it) and the kinds of files it reads, declared in its module like a national
    `Source`. It is read when the commune sends a file (the inbox sensor), never on a clock."""

    id: str
    files: tuple[CommuneFileKind, ...]
    cadence: Cadence = WHEN_SENT


@dataclass(frozen=True)
class InboxFile:
    """The commune's file chosen for a run, with what the asset metadata shows about it."""

    path: Path
    sha256: str
    size: int
    modified: str
    ignored: tuple[str, ...] = ()

    def metadata(self) -> dict[str, Any]:
        """What the source asset shows about the file chosen."""
        return {
            "location": dg.MetadataValue.path(str(self.path)),
            "file_name": self.path.name,
            "size_bytes": self.size,
            "sha256": self.sha256,
            "last_modified": self.modified,
            "other_files_ignored": ", ".join(self.ignored) or "none",
        }


def newest_file(
    folder: Path, pattern: str, suffixes: tuple[str, ...] = (".csv", ".xlsx")
) -> InboxFile:
    """The most recently modified file of `folder` whose name matches `pattern` (a regex on the
    stem, case-insensitive) and ends with one of `suffixes`; ties go to the last name."""
    if not folder.is_dir():
        raise SourceError(f"no inbox folder {folder} (set CLE_INBOX_DIR, or create it)")
    named = [
        path
        for path in folder.iterdir()
        if path.is_file() and re.fullmatch(pattern, path.stem, re.IGNORECASE)
    ]
    readable = [path for path in named if path.suffix.lower() in suffixes]
    if not readable:
        others = ", ".join(sorted(path.name for path in named))
        raise SourceError(
            f"{folder}: no file named like {pattern!r} ending in {' or '.join(suffixes)}"
            + (f" (found {others}: save it as {' or '.join(suffixes)})" if others else "")
        )
    chosen = max(readable, key=lambda path: (path.stat().st_mtime_ns, path.name))
    stat = chosen.stat()
    return InboxFile(
        chosen,
        checksum_of(chosen, "sha256"),
        stat.st_size,
        formatdate(stat.st_mtime, usegmt=True),
        tuple(sorted(path.name for path in named if path != chosen)),
    )


@dataclass(frozen=True)
class InboxTable:
    """A commune's table as text: columns named as in its header, index `ligne_source`."""

    frame: pd.DataFrame
    header_line: int
    blank_lines: tuple[int, ...]
    encoding: str | None = None  # CSV only
    separator: str | None = None  # CSV only
    sheet: str | None = None  # XLSX only

    def metadata(self) -> dict[str, Any]:
        """What the source asset shows about how the table was read."""
        read_as = (
            {"sheet": self.sheet}
            if self.sheet is not None
            else {"encoding": self.encoding, "separator": repr(self.separator)}
        )
        return {
            **read_as,
            "header_line": self.header_line,
            "rows": len(self.frame),
            "blank_lines_skipped": ", ".join(map(str, self.blank_lines)) or "none",
        }


Record = tuple[int, list[str | None]]  # (line in the file, cells)
HeaderScore = Callable[[list[str]], int]


def read_table(path: Path, header_score: HeaderScore, label: str | None = None) -> InboxTable:
    """The table of a `.csv` or `.xlsx` file. `header_score(cells)` says how many cells of a
    row are column names the caller knows: the best row of the first ten is the header."""
    label = label or str(path)
    if path.suffix.lower() == ".xlsx":
        sheet, records = _xlsx_records(path, header_score, label)
        return _table(records, header_score, label, sheet=sheet)
    text, encoding = _decoded_text(path, label)
    # The separator is the one that makes a header of known column names appear.
    parsed: list[tuple[int, list[Record], str]] = []
    errors: dict[str, SourceFormatError] = {}
    for separator in SEPARATORS:
        try:
            records = _csv_records(text, separator, label)
        except SourceFormatError as error:
            errors[separator] = error
            continue
        parsed.append((_best_header(records, header_score)[1], records, separator))
    best = max(parsed, key=lambda candidate: candidate[0], default=None)
    if best is None or best[0] == 0:
        if SEPARATORS[0] in errors:
            raise errors[SEPARATORS[0]]
        if best is None:
            raise next(iter(errors.values()))
    _, records, separator = best
    return _table(records, header_score, label, encoding=encoding, separator=separator)


def _decoded_text(path: Path, label: str) -> tuple[str, str]:
    content = path.read_bytes()
    if not content.strip():
        raise SourceFormatError(f"{label}: empty file (no header, no row)")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    if content.startswith(b"\xef\xbb\xbf"):
        return content.decode("utf-8-sig"), "utf-8 (BOM)"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # "latin-1" from Excel is Windows-1252, whose byte 0x80 is the euro sign; a byte that
    # Windows-1252 leaves undefined means true ISO 8859-1.
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "latin-1"


def _csv_records(text: str, separator: str, label: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[Record] = []
    last_line = 0
    try:
        for cells in reader:
            # A quoted value may hold line breaks: a record starts on the line after the
            # previous record's last line.
            records.append((last_line + 1, [blank_to_none(cell) for cell in cells]))
            last_line = reader.line_num
    except csv.Error as error:
        raise SourceFormatError(
            f"{label}: line {last_line + 1}: not readable as CSV ({error}); an unclosed quote?"
        ) from error
    return records


def _xlsx_records(path: Path, header_score: HeaderScore, label: str) -> tuple[str, list[Record]]:
    with path.open("rb") as stream:
        signature = stream.read(8)
    if signature == OLE2_SIGNATURE:
        raise SourceFormatError(
            f"{label}: the workbook is password-protected (encrypted), or is an old .xls "
            "renamed .xlsx; ask the commune for the file without a password, as .xlsx or .csv"
        )
    # Imported here: only XLSX files need openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise SourceFormatError(
            f"{label}: not a readable .xlsx workbook (corrupt or truncated: {error})"
        ) from error
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            # Some writers declare a wrong sheet size (`A1`), which would cut the rows short.
            worksheet.reset_dimensions()
            rows = worksheet.iter_rows(min_row=1, values_only=True)
            records = [
                (number, [_cell_text(value) for value in row])
                for number, row in enumerate(rows, start=1)
            ]
            sheets.append((_best_header(records, header_score)[1], worksheet.title, records))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SourceFormatError(
            f"{label}: not a readable .xlsx workbook (corrupt or truncated: {error})"
        ) from error
    finally:
        workbook.close()
    if not sheets:
        raise SourceFormatError(f"{label}: the workbook has no worksheet")
    # The sheet that holds the table: the one whose header has most known columns.
    _, title, records = max(sheets, key=lambda sheet: sheet[0])
    return title, records


def _cell_text(value: object) -> str | None:
    """A typed cell as the text a CSV export would hold, in the schemas' own formats."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel stores every number as a float: 1500.0 is the integer 1500.
        return str(int(value)) if value.is_integer() else repr(value)
    return blank_to_none(str(value))  # type: ignore[return-value]


def _best_header(records: list[Record], header_score: HeaderScore) -> tuple[int, int]:
    """(position in `records`, score) of the likeliest header among the first rows."""
    best = (0, 0)
    for position, (_, cells) in enumerate(records[:MAX_PREAMBLE_ROWS]):
        score = header_score([cell or "" for cell in cells])
        if score > best[1]:
            best = (position, score)
    return best


def _table(
    records: list[Record],
    header_score: HeaderScore,
    label: str,
    *,
    encoding: str | None = None,
    separator: str | None = None,
    sheet: str | None = None,
) -> InboxTable:
    if not any(any(cells) for _, cells in records):
        raise SourceFormatError(f"{label}: empty file (no header, no row)")
    position, score = _best_header(records, header_score)
    if score == 0:
        first = next(cells for _, cells in records if any(cells))
        raise SourceFormatError(
            f"{label}: no header line with known column names in the first "
            f"{MAX_PREAMBLE_ROWS} lines (first line read: {[c for c in first if c][:6]})"
        )
    header_line, header_cells = records[position]
    if sheet is not None:
        # In a sheet, a value right of the header is a cell of its own (a note), not a
        # shifted value: it gets an unnamed column, which the caller lists as unknown.
        width = max(len(cells) for _, cells in records[position:])
        header_cells = header_cells + [None] * (width - len(header_cells))
    header = _column_names(header_cells, label)
    lines: list[int] = []
    # A spreadsheet shows one row per record: past a value spanning two lines of the text
    # file, its row number is less than the line's (a workbook's rows are both).
    spreadsheet_rows: dict[int, int] = {}
    rows: list[list[str | None]] = []
    blank: list[int] = []
    # Some exporters end data rows with extra empty separators: harmless. But when other rows
    # have exactly the header's width, a longer row holds a separator inside a value, even if
    # its extra cells are empty (`…;Mo-Sa 06:30-19:30; Su 07:00-12:30;`): its values shifted.
    fitting = any(len(cells) == len(header) for _, cells in records[position + 1 :] if any(cells))
    for ordinal, (line, cells) in enumerate(records[position + 1 :], start=position + 2):
        if not any(cells):
            blank.append(line)  # an empty row (Excel exports formatted ones as ";;;;")
            continue
        extra = cells[len(header) :]
        if extra and (any(extra) or (sheet is None and fitting)):
            raise SourceFormatError(
                f"{label}: line {line} has {len(cells)} values for {len(header)} columns "
                "(a separator inside a value without quotes?)"
            )
        lines.append(line)
        spreadsheet_rows[line] = line if sheet is not None else ordinal
        rows.append((cells + [None] * len(header))[: len(header)])
    if not rows:
        raise SourceFormatError(f"{label}: no data row below the header (line {header_line})")
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name=LINE), dtype=object)
    frame.attrs[SPREADSHEET_ROWS] = spreadsheet_rows
    # Columns without a name and without a value are the spreadsheet's empty margin.
    unnamed_empty = [
        name for name in header if name.startswith("(colonne ") and frame[name].isna().all()
    ]
    return InboxTable(
        frame.drop(columns=unnamed_empty),
        header_line,
        tuple(blank),
        encoding=encoding,
        separator=separator,
        sheet=sheet,
    )


def _column_names(cells: list[str | None], label: str) -> list[str]:
    names = [
        (cell or "").strip() or f"(colonne {number})" for number, cell in enumerate(cells, start=1)
    ]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise SourceFormatError(f"{label}: duplicated column(s) {', '.join(duplicated)}")
    return names
