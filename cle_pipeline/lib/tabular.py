"""Reading national CSV files without loading them whole: header checks, DuckDB cuts, zip members.

National files are large (IRVE 160 MB, RNA over a million rows, Sirene tens of millions), so a
commune is cut out by DuckDB's streaming CSV reader with an explicit format (separator,
encoding, every column as text) and only the commune's rows reach pandas. Whatever does not
look as documented raises `SourceFormatError` naming the file, and the column or line.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import partial_path

DEFAULT_MAX_UNZIPPED_BYTES = 8 * 1024**3  # a zip bomb guard far above any national file
# Deflated CSV files expand 3 to 10 times (Sirene's stock: 3.5×); a bomb of one repeated byte
# about 1,000 times, far under the size guard (5 GiB from 5 MB). Small members are spared the
# ratio: a few kilobytes of repetitive text may compress better than any national file.
MAX_EXPANSION_RATIO = 100
RATIO_FREE_BYTES = 1024**2
# A header line is a few kilobytes; a file without line breaks must not be read whole to find it.
MAX_HEADER_BYTES = 1024**2


T = TypeVar("T")

# `frame.attrs` key of the file a frame of `query_csv` was read from.
SOURCE_LOCATION = "source_location"


@dataclass(frozen=True)
class RaggedLine:
    """A record whose number of fields is not the header's: `number` is its first line in the
    file (the header is line 1), `last` its last (a quoted field may hold line breaks)."""

    number: int
    last: int
    fields: int

    def describe(self) -> str:
        """`line 12 (5 fields)`."""
        return f"line {self.number} ({self.fields} fields)"


class RaggedLinesError(SourceFormatError):
    """Records whose number of fields is not the header's, named by their line numbers."""

    def __init__(self, label: str, lines: list[RaggedLine], expected: int) -> None:
        self.lines = lines
        self.expected = expected
        shown = ", ".join(line.describe() for line in lines[:10])
        more = f" and {len(lines) - 10} more" if len(lines) > 10 else ""
        super().__init__(
            f"{label}: {len(lines)} line(s) do not have the header's {expected} fields: "
            f"{shown}{more}"
        )


@dataclass(frozen=True)
class CsvFormat:
    """How a national CSV is written. `encoding` is `utf-8` (a BOM is tolerated), `latin-1`, or
    `detect` for producers that moved from latin-1 to UTF-8 between years (RNA)."""

    separator: str
    encoding: str = "utf-8"


def encoding_of(path: Path, declared: str) -> str:
    """`utf-8` or `latin-1` for DuckDB; `detect` means UTF-8 when the first 4 MiB decode as
    UTF-8, else latin-1 (a latin-1 file of French text almost never decodes as UTF-8)."""
    if declared != "detect":
        return declared
    with path.open("rb") as stream:
        sample = stream.read(4 * 1024**2)
    try:
        # A multi-byte character may be cut at the end of the sample: decode incrementally.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def read_header(path: Path, csv_format: CsvFormat, label: str | None = None) -> list[str]:
    """The column names of the first line, with a UTF-8 BOM removed."""
    label = label or str(path)
    with path.open("rb") as stream:
        first = stream.readline(MAX_HEADER_BYTES + 1)
    if len(first) > MAX_HEADER_BYTES:
        raise SourceFormatError(
            f"{label}: no line break in the first {MAX_HEADER_BYTES} bytes: not a CSV header"
        )
    if b"\0" in first:
        raise nul_byte_error(path, first.index(b"\0"), label)
    if not first.strip():
        raise SourceFormatError(f"{label}: empty file (no header line)")
    encoding = encoding_of(path, csv_format.encoding)
    try:
        text = first.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        raise SourceFormatError(
            f"{label}: line 1 is not valid {encoding} (byte {error.start}); "
            "is the file in another encoding?"
        ) from error
    return [name.strip().strip('"') for name in text.rstrip("\r\n").split(csv_format.separator)]


def require_text(path: Path, label: str | None = None) -> None:
    """Raises `SourceFormatError` naming the line when the file holds a NUL byte.

    DuckDB reads NUL bytes as text: a header followed by megabytes of them (a zip bomb's
    filling) gives zero rows and no error. A scan for them costs 0.2 s per GB."""
    offset = 0
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            found = block.find(b"\0")
            if found >= 0:
                raise nul_byte_error(path, offset + found, label or str(path))
            offset += len(block)


def nul_byte_error(path: Path, offset: int, label: str) -> SourceFormatError:
    """The error for a NUL byte at `offset` of the file, naming its line (counted only now: a
    good file is never counted)."""
    line, line_start, position = 1, 0, 0
    with path.open("rb") as stream:
        while position < offset:
            block = stream.read(min(1 << 20, offset - position))
            if not block:
                break
            if (breaks := block.count(b"\n")) > 0:
                line += breaks
                line_start = position + block.rindex(b"\n") + 1
            position += len(block)
    return SourceFormatError(
        f"{label}: line {line} holds NUL bytes (byte {offset - line_start}): not a text file, "
        "or not in the documented encoding"
    )


def require_columns(
    path: Path,
    csv_format: CsvFormat,
    required: list[str],
    label: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """The header, after checking that every required column is in it (by name, any order).

    `labels` maps another header a producer writes (the column labels of a portal's web
    export) to the field names: a header that has every required column under its labels is
    returned renamed to field names. Only a header that is neither is an error."""
    label = label or str(path)
    header = read_header(path, csv_format, label)
    missing = [name for name in required if name not in header]
    if missing and labels:
        renamed = [labels.get(name, name) for name in header]
        if all(name in renamed for name in required):
            header, missing = renamed, []
        else:
            missing_labels = [
                name
                for field in required
                if field not in renamed
                for name, target in labels.items()
                if target == field
            ]
            raise SourceFormatError(
                f"{label}: neither field names nor labels as header: missing column(s) "
                f"{', '.join(missing)}, or label(s) {', '.join(missing_labels)}; "
                f"columns found: {';'.join(header)}"
            )
    if len(header) == 1 and missing:
        raise SourceFormatError(
            f"{label}: the header has a single column {header[0][:80]!r}: the separator is not "
            f"{csv_format.separator!r} as documented"
        )
    if missing:
        raise SourceFormatError(f"{label}: missing column(s) {', '.join(missing)}")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise SourceFormatError(f"{label}: duplicated column(s) {', '.join(duplicated)}")
    return header


def sql_string(value: str) -> str:
    """`value` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_name(value: str) -> str:
    """`value` as a quoted SQL identifier."""
    return '"' + value.replace('"', '""') + '"'


def read_csv_relation(
    path: Path | Sequence[Path],
    header: list[str],
    csv_format: CsvFormat,
    names: list[str] | None = None,
) -> str:
    """A DuckDB `read_csv(...)` call reading every column as text, in the file's own format;
    with `names`, its columns are renamed in order (labels → field names). Several files of
    the same format and header are read one after the other, each row with its file's name
    (column `filename`)."""
    columns = ", ".join(f"{sql_string(name)}: 'VARCHAR'" for name in header)
    if isinstance(path, Path):
        files, first = sql_string(str(path)), path
    else:
        listed = ", ".join(sql_string(str(each)) for each in path)
        files, first = f"[{listed}], filename=true", path[0]
    relation = (
        f"read_csv({files}, delim={sql_string(csv_format.separator)}, "
        f"header=true, quote='\"', escape='\"', "
        f"encoding={sql_string(encoding_of(first, csv_format.encoding))}, "
        f"columns={{{columns}}}, auto_detect=false, strict_mode=true, "
        # Smaller read buffers than DuckDB's default lower the peak memory of a national cut
        # (IRVE: about 270 → 215 MiB) at no cost in time; it must stay above the 2 MB line limit.
        f"buffer_size={4 * 1024 * 1024})"
    )
    if names is None or names == header:
        return relation
    renamed = ", ".join(
        f"{sql_name(old)} AS {sql_name(new)}" for old, new in zip(header, names, strict=True)
    )
    return f"(SELECT {renamed}{'' if isinstance(path, Path) else ', filename'} FROM {relation})"


@contextmanager
def duckdb_connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection set up as every cut of a national file needs, closed on exit."""
    connection = duckdb.connect()
    try:
        # Two cores on the target machines; a bounded memory so a cut never swaps.
        connection.execute("SET threads = 2")
        connection.execute("SET memory_limit = '1GB'")
        connection.execute("SET enable_progress_bar = false")  # not on a run's stderr
        yield connection
    finally:
        connection.close()


def query_csv(
    path: Path,
    csv_format: CsvFormat,
    *,
    required: list[str],
    where: str,
    parameters: list[Any] | dict[str, Any] | None = None,
    select: str = "*",
    label: str | None = None,
    line_column: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The rows of a national CSV that satisfy `where` (SQL over the file's column names),
    every value as text. The file is streamed by DuckDB; only the result reaches pandas.

    With `labels` (label → field name), a header of labels is read under the field names.
    `line_column` adds a column of that name holding each row's line in the file (the header
    is line 1), so that an error can point into a national file; it assumes no quoted field
    spans lines, true of the files that use it."""
    label = label or str(path)

    def cut(connection: duckdb.DuckDBPyConnection, relation: str) -> pd.DataFrame:
        if line_column:
            relation = numbered(relation, line_column)
        sql = f"SELECT {select} FROM {relation} WHERE {where}"
        return connection.execute(sql, parameters or []).df()

    frame = run_on_csv(path, csv_format, cut, required=required, label=label, labels=labels)
    # Every value as text; an empty field is missing (NaN, like every pandas reader).
    # The file travels with its rows (pandas keeps `attrs` through filters and pickling), so
    # that a dataset finding a column missing can name it (`require_frame_columns`).
    frame.attrs[SOURCE_LOCATION] = label
    return frame


def numbered(relation: str, line_column: str) -> str:
    """`relation` with a first column `line_column` holding each row's line in the file (the
    header is line 1); `row_number() OVER ()` is DuckDB's streaming window: it numbers rows in
    file order."""
    return f"(SELECT row_number() OVER () + 1 AS {sql_name(line_column)}, * FROM {relation})"


def run_on_csv(
    path: Path,
    csv_format: CsvFormat,
    action: Callable[[duckdb.DuckDBPyConnection, str], T],
    *,
    required: list[str],
    label: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> T:
    """`action(connection, relation)` on a DuckDB `read_csv` relation of the file, once its
    header holds the `required` columns (by field name, or by label with `labels`) and it
    holds no NUL byte; a DuckDB error becomes a `SourceFormatError` naming the file (and the
    ragged lines, if any). The one way a national CSV reaches DuckDB (`query_csv`, and the one
    pass over a national file for every commune, `lib/national.py`)."""
    label = label or str(path)
    # Detect the encoding once: the header check and DuckDB then both use the result.
    csv_format = CsvFormat(csv_format.separator, encoding_of(path, csv_format.encoding))
    header = read_header(path, csv_format, label)
    names = require_columns(path, csv_format, required, label, labels)
    require_text(path, label)
    relation = read_csv_relation(path, header, csv_format, names)
    try:
        with duckdb_connection() as connection:
            return action(connection, relation)
    except duckdb.Error as error:
        if csv_format.encoding == "latin-1" and "not latin-1 encoded" in str(error):
            # DuckDB's latin-1 refuses bytes 0x80-0x9F, which Windows-1252 files use for `’`,
            # `œ`, `€` (and UTF-8 pasted into a latin-1 file for `É`): read a UTF-8 copy.
            with tempfile.TemporaryDirectory() as folder:
                copy = windows_1252_to_utf8(path, Path(folder) / path.name)
                return run_on_csv(
                    copy,
                    CsvFormat(csv_format.separator, "utf-8"),
                    action,
                    required=required,
                    label=label,
                    labels=labels,
                )
        # DuckDB stops on a ragged line without saying which: find them (only on failure, so
        # a good file is read once) and name them.
        ragged = ragged_lines(path, csv_format, len(header))
        if ragged:
            raise RaggedLinesError(label, ragged, len(header)) from error
        raise SourceFormatError(f"{label}: {_first_lines(str(error))}") from error


def require_frame_columns(frame: pd.DataFrame, columns: list[str], expected: str) -> None:
    """A SourceFormatError naming the file the rows were read from (`query_csv`) when a column
    a dataset reads is not in them; `expected` says by which rule the column is needed."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        where = frame.attrs.get(SOURCE_LOCATION, "the source file")
        raise SourceFormatError(f"{where}: missing column(s) {', '.join(missing)} ({expected})")


def ragged_lines(path: Path, csv_format: CsvFormat, expected: int) -> list[RaggedLine]:
    """Every record of the file (after the header) whose number of fields is not `expected`,
    by a streaming scan with csv's quoting rules; blank lines are not records."""
    encoding = encoding_of(path, csv_format.encoding)
    found = []
    with path.open(encoding="utf-8-sig" if encoding == "utf-8" else encoding, errors="replace",
                   newline="") as stream:  # fmt: skip
        reader = csv.reader(stream, delimiter=csv_format.separator, quotechar='"')
        next(reader, None)
        end = reader.line_num
        for record in reader:
            start, end = end + 1, reader.line_num
            if record and len(record) != expected:
                found.append(RaggedLine(start, end, len(record)))
    return found


def windows_1252_to_utf8(path: Path, target: Path) -> Path:
    """A UTF-8 copy of a latin-1 / Windows-1252 file, line by line; the five bytes Windows-1252
    leaves undefined are read as latin-1."""
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        for line in source:
            try:
                out.write(line.decode("cp1252"))
            except UnicodeDecodeError:
                out.write(line.decode("latin-1"))
    return target


def copy_without_lines(path: Path, lines: list[RaggedLine], target: Path) -> Path:
    """A byte-for-byte copy of the file without the given records, for a reader that cannot
    skip them (DuckDB); line numbers of the rest change, so report them from the original."""
    skipped = {number for line in lines for number in range(line.number, line.last + 1)}
    with path.open("rb") as source, target.open("wb") as out:
        for number, line in enumerate(source, start=1):
            if number not in skipped:
                out.write(line)
    return target


def _first_lines(message: str, count: int = 6) -> str:
    return " ".join(line.strip() for line in message.splitlines()[:count] if line.strip())


def extract_member(
    archive: Path,
    member_pattern: str,
    into: Path,
    label: str | None = None,
    max_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
) -> Path:
    """Extracts the one member of a zip whose name matches `member_pattern` into `into`.

    Never trusts the member's path (no traversal: the file is written under a name of ours),
    bounds the uncompressed size (`max_bytes`) and the expansion ratio (`MAX_EXPANSION_RATIO`)
    as announced and as really written, stopping at the first byte over and removing what was
    written, and lets zipfile verify the CRC. The extracted file is keyed by the archive's
    content, so an unchanged archive is not extracted twice.
    """
    label = label or str(archive)
    try:
        with zipfile.ZipFile(archive) as opened:
            names = [info for info in opened.infolist() if not info.is_dir()]
            chosen = [info for info in names if re.search(member_pattern, Path(info.filename).name)]
            if len(chosen) != 1:
                listed = ", ".join(info.filename for info in names[:10])
                raise SourceFormatError(
                    f"{label}: expected one member matching {member_pattern!r}, found "
                    f"{len(chosen)} (members: {listed})"
                )
            member = chosen[0]
            if member.file_size > max_bytes:
                raise SourceFormatError(
                    f"{label}: member {member.filename} announces {member.file_size} bytes, "
                    f"over the {max_bytes} bytes allowed"
                )
            ratio_bound = max(MAX_EXPANSION_RATIO * member.compress_size, RATIO_FREE_BYTES)
            if member.file_size > ratio_bound:
                raise _expansion_error(label, member, member.file_size)
            key = hashlib.sha256(
                f"{archive.resolve()}|{archive.stat().st_size}|{archive.stat().st_mtime_ns}|"
                f"{member.filename}|{member.CRC}".encode()
            ).hexdigest()[:16]
            target = into / f"{key}-{Path(member.filename).name}"
            if target.is_file() and target.stat().st_size == member.file_size:
                return target
            into.mkdir(parents=True, exist_ok=True)
            partial = partial_path(target)
            try:
                _copy_bounded(opened, member, partial, min(max_bytes, ratio_bound), label)
                partial.replace(target)
            finally:
                partial.unlink(missing_ok=True)
            return target
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as error:
        raise SourceFormatError(f"{label}: corrupt or truncated zip archive ({error})") from error


def _expansion_error(label: str, member: zipfile.ZipInfo, size: int) -> SourceFormatError:
    return SourceFormatError(
        f"{label}: member {member.filename} expands to {size} bytes from "
        f"{member.compress_size} compressed, over the {MAX_EXPANSION_RATIO}× expansion "
        "allowed: a zip bomb? Nothing was extracted"
    )


def _copy_bounded(
    opened: zipfile.ZipFile, member: zipfile.ZipInfo, partial: Path, max_bytes: int, label: str
) -> None:
    # The announced size can lie (zipfile stops at it, but other writers' sizes are not ours to
    # trust): count what really comes out, and stop at the first block over the bound.
    written = 0
    with opened.open(member) as source, partial.open("wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            written += len(block)
            if written > max_bytes:
                raise SourceFormatError(
                    f"{label}: member {member.filename} expands beyond {max_bytes} bytes "
                    f"({member.compress_size} compressed); extraction stopped, nothing kept"
                )
            out.write(block)
