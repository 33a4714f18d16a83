"""One pass per national file: every registered commune cut out at once, read back per commune.

A national file (IRVE, RNA, the election results, the RNE, the INSEE civil registers…) is
fetched once by an unpartitioned asset of the group `national`, `national/<source id>`
(`national_file_asset`), which cuts every commune registered as a partition of `commune` in ONE
pass over the file: one DuckDB query keeping the rows whose commune is in the list
(`cut_csv_in_one_pass`), or one streaming pass for files DuckDB cannot read (`CutWriter`). The
cuts are written out as they are produced, in row groups of one Parquet file under the storage
folder every worker reaches (`CLE_STORAGE_DIR`, beside the values of the IO manager), never all
held in memory:

    <storage>/_national/national/<source id>/<run id>/cuts.parquet

One file in the national file's order, not one file per department: DuckDB's partitioned
writer keeps a Parquet writer open per department and thread, which nearly doubled the time
of the pass and tripled its memory (IRVE, side by side: 5.5 s and 680 MiB against 3 s and 240
MiB). The national files come grouped by department (but IRVE), so the small row groups' statistics
let a commune's read skip the rest of the file.

Each row keeps its line in the national file (`__ligne`, the header is line 1) and its commune
(`__commune`), so that a commune's rows are read back in the file's order: the per-commune
source asset then reads its own rows (`CommuneCuts.read`, 30 to 60 ms) and does exactly what
it did on the national file (placement by coordinates, checks), so the files published are
byte for byte those of a cut of the national file.

The pass is used only when it is of the file the source serves now (same sha256): a commune
registered after the pass, a run before any pass, or a newer file (the source asset of a
commune keeps its own cadence) make the source asset cut its commune from the file itself, as
a run for one commune always did (`commune_rows`), and say so in its log. Failing instead would
make a commune added in the UI unbuildable until someone reruns every national pass; the cost
is one read of the file, as before this pass. The national assets are not automated: the
command line runs them before a list of communes (`cle-pipeline demo`), or anyone from the UI.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import dagster as dg
import duckdb
import pandas as pd

from cle_pipeline.lib.errors import SourceError
from cle_pipeline.lib.fetch import FetchedFile, Source, SourceFetcher
from cle_pipeline.lib.partitions import COMMUNES, NATIONAL_FOLDER
from cle_pipeline.lib.tabular import (
    SOURCE_LOCATION,
    CsvFormat,
    duckdb_connection,
    encoding_of,
    numbered,
    read_csv_relation,
    read_header,
    require_columns,
    require_text,
    run_on_csv,
    sql_name,
    sql_string,
)

NATIONAL_GROUP = "national"
# Columns the pass adds to each row (never a column name of a national file).
LINE = "__ligne"
COMMUNE = "__commune"
# The pass's one file, in each pass's folder.
CUTS_FILE = "cuts.parquet"
# Rows per Parquet row group: small enough that a commune's read skips the row groups of other
# departments (their statistics), that the writer holds little, and writes fast.
ROW_GROUP_ROWS = 8192
# The type whose values are the commune keys asked for: a key is kept when it casts to it.
WANTED = "wanted_key"
# Cut folders kept per source: the newest, and the one before it for runs still reading it.
KEPT_PASSES = 2
T = TypeVar("T")


@dataclass(frozen=True)
class CommuneCuts:
    """What one pass over a national file wrote: where, for which communes, from which file.

    The value of a `national/<source id>` asset, read by the source asset of each commune."""

    source_id: str
    folder: str
    communes: frozenset[str]
    fetched: FetchedFile
    # Where rows come from, for error messages (the national file, or its zip member).
    label: str
    rows: int = 0
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    def covers(self, code: str) -> bool:
        """Whether the pass cut this commune (it was a registered partition then)."""
        return code in self.communes

    def read(
        self,
        keys: Sequence[str],
        where: str = "",
        parameters: dict[str, Any] | None = None,
        line_column: str | None = None,
        label: str | None = None,
    ) -> pd.DataFrame:
        """The rows of the given commune keys (a code, and buckets such as `_sans_code`), in
        the national file's order, every column as the pass read it; `where` filters them
        further (SQL over the file's columns); `line_column` keeps each row's line."""
        line = f"{LINE} AS {sql_name(line_column)}, " if line_column else ""
        listed = ", ".join(sql_string(key) for key in keys)
        sql = (
            f"SELECT {line}* EXCLUDE ({LINE}, {COMMUNE}) FROM "
            f"read_parquet({cut_files(Path(self.folder))}) "
            f"WHERE {COMMUNE} IN ({listed}){f' AND ({where})' if where else ''} ORDER BY {LINE}"
        )
        with duckdb_connection() as connection:
            frame = connection.execute(sql, parameters or {}).df()
        frame.attrs[SOURCE_LOCATION] = label or self.label
        return frame


def cut_csv_in_one_pass(
    path: Path,
    csv_format: CsvFormat,
    folder: Path,
    *,
    required: list[str],
    key: str,
    codes: Iterable[str],
    buckets: Sequence[str] = (),
    select: str = "*",
    label: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> int:
    """One DuckDB pass over a national CSV: every row whose commune (`key`, SQL over the
    file's columns) is one of `codes`, or one of the `buckets` (rows kept for every commune,
    such as IRVE's points without a code), written to `folder` (`CUTS_FILE`) with its line and
    commune key; returns the number of rows written. The file is checked as every cut checks
    it (`lib.tabular.run_on_csv`; `labels` as there)."""

    def write(connection: duckdb.DuckDBPyConnection, relation: str) -> int:
        columns = f"* EXCLUDE ({LINE})" if select == "*" else select
        keyed = f"SELECT {LINE}, {key} AS {COMMUNE}, {columns} FROM {numbered(relation, LINE)}"
        return write_cuts(connection, keyed, [*codes, *buckets], folder)

    return run_on_csv(path, csv_format, write, required=required, label=label, labels=labels)


def write_cuts(
    connection: duckdb.DuckDBPyConnection,
    keyed: str,
    keys: Iterable[str],
    folder: Path,
    name: str = CUTS_FILE,
) -> int:
    """Writes the rows of `keyed` (a query whose columns start with `LINE` and `COMMUNE`)
    whose commune key is one of `keys` to `folder` (file `name`); returns the rows written
    in the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    # One thread: the row numbering (`numbered`) is a streaming window DuckDB runs in one
    # thread anyway; a second thread only doubled the buffers (IRVE: 390 → 235 MiB).
    connection.execute("SET threads = 1")
    # The keys as an ENUM type, kept by a cast: a lookup per row, where `IN (SELECT …)` is a
    # join that held 150 MiB more on IRVE.
    connection.execute(
        "CREATE TEMP TABLE wanted AS SELECT unnest($keys)::VARCHAR AS key", {"keys": [*keys]}
    )
    connection.execute(
        f"CREATE TYPE {WANTED} AS ENUM (SELECT DISTINCT key FROM wanted WHERE key IS NOT NULL)"
    )
    kept = f"SELECT * FROM ({keyed}) WHERE TRY_CAST({COMMUNE} AS {WANTED}) IS NOT NULL"
    connection.execute(
        f"COPY ({kept}) TO {sql_string(str(folder / name))} "
        f"(FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
    )
    return written_rows(connection, folder)


def written_rows(connection: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """Rows written to `folder` by a pass."""
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return 0
    return int(
        connection.execute(f"SELECT count(*) FROM read_parquet({cut_files(folder)})").fetchone()[0]  # type: ignore[index]
    )


def cut_files(folder: Path) -> str:
    """The Parquet files of a pass's folder, for `read_parquet`: its one file (`CUTS_FILE`),
    or one per part of a file cut on its own (`cut_csvs_in_one_pass`), all of the same
    columns."""
    return sql_string(str(folder / "*.parquet"))


def cut_csvs_in_one_pass(
    tables: Sequence[Path],
    csv_format: CsvFormat,
    folder: Path,
    *,
    required: list[str],
    key: str,
    codes: Iterable[str],
    select: Callable[[list[str]], str],
    label: Callable[[Path], str],
) -> list[Path]:
    """`cut_csv_in_one_pass` over several CSV files of one national file (the members of an
    archive) in ONE DuckDB query, one file after the other; `key` may use `filename`, the file
    a row comes from, and `select(header)` gives the columns kept. Only the files in the
    encoding and header most of them share are read (returned): another is left to its
    communes' own cuts. A query that fails (a byte DuckDB refuses, a ragged line) is done
    again one file at a time, as a commune's cut reads its file, to read it or name the
    error."""
    formats = {
        table: (
            encoding_of(table, csv_format.encoding),
            read_header(table, csv_format, label(table)),
        )
        for table in tables
    }
    if not formats:
        return []
    # The format most files share (the first one's among equals).
    shared = max(formats.values(), key=list(formats.values()).count)
    alike = [table for table in tables if formats[table] == shared]
    encoding, header = shared
    csv_format = CsvFormat(csv_format.separator, encoding)
    names = require_columns(alike[0], csv_format, required, label(alike[0]))
    for table in alike:
        require_text(table, label(table))

    def keyed(relation: str) -> str:
        return f"SELECT {LINE}, {key} AS {COMMUNE}, {select(names)} FROM {numbered(relation, LINE)}"

    try:
        with duckdb_connection() as connection:
            write_cuts(
                connection,
                keyed(read_csv_relation(alike, header, csv_format, names)),
                codes,
                folder,
            )
    except duckdb.Error:
        shutil.rmtree(folder, ignore_errors=True)
        for number, table in enumerate(alike):
            run_on_csv(
                table,
                csv_format,
                lambda connection, relation, table=table, number=number: write_cuts(
                    connection,
                    # `filename` as the query over several files gives it.
                    keyed(f"(SELECT *, {sql_string(str(table))} AS filename FROM {relation})"),
                    codes,
                    folder,
                    f"cuts-{number}.parquet",
                ),
                required=required,
                label=label(table),
            )
    return alike


class CutWriter:
    """The cuts of a streaming pass (files DuckDB cannot read as they are, such as the ragged
    election files): each row is written to a temporary CSV file as the pass finds it, and
    `close()` turns that file into the Parquet cuts in one DuckDB query, so that memory never
    holds the communes' rows (nor a batch of them as Python objects)."""

    def __init__(self, folder: Path, columns: list[str]) -> None:
        self.folder, self.columns = folder, columns
        self.rows = 0
        folder.mkdir(parents=True, exist_ok=True)
        self.text = folder / "_lignes.csv"
        self.stream = self.text.open("w", encoding="utf-8", newline="")
        # Every field quoted: DuckDB then reads an empty field as '' (not NULL), as it was.
        self.writer = csv.writer(self.stream, quoting=csv.QUOTE_ALL)

    def add(self, order: int, commune: str, values: list[str]) -> None:
        """One row: its place in the national file (an order, not necessarily a line), its
        commune and its values, as text."""
        self.writer.writerow([order, commune, *values])
        self.rows += 1

    def close(self) -> None:
        """Writes the cuts (`CUTS_FILE`) and removes the text file."""
        self.stream.close()
        names = [LINE, COMMUNE, *self.columns]
        types = ", ".join(
            f"{sql_string(name)}: {'BIGINT' if name == LINE else 'VARCHAR'}" for name in names
        )
        relation = (
            f"read_csv({sql_string(str(self.text))}, header=false, delim=',', quote='\"', "
            f"escape='\"', columns={{{types}}}, auto_detect=false, allow_quoted_nulls=false)"
        )
        try:
            with duckdb_connection() as connection:
                connection.execute(
                    f"COPY (SELECT * FROM {relation}) TO "
                    f"{sql_string(str(self.folder / CUTS_FILE))} "
                    f"(FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
                )
        finally:
            self.text.unlink(missing_ok=True)


def storage_folder(context: dg.AssetExecutionContext) -> Path:
    """Where the run's steps keep their values (the IO manager's `base_dir`, `CLE_STORAGE_DIR`,
    else the instance's storage folder): a folder every worker reaches."""
    manager = getattr(context.resources, "io_manager", None)
    base = getattr(manager, "base_dir", "") if manager is not None else ""
    return Path(base) if base else Path(context.instance.storage_directory())


def registered_communes(context: dg.AssetExecutionContext) -> list[str]:
    """Every commune registered as a partition of `commune` in the instance, sorted."""
    return sorted(context.instance.get_dynamic_partitions(COMMUNES.name))  # type: ignore[arg-type]


def per_commune_location(source: Source, sources: SourceFetcher) -> bool:
    """Whether the source's location names the commune or its department (an override with
    `{commune}`): then there is no national file to cut in one pass."""
    return sources.location_of(source, "00001") != sources.location_of(source, "00002")


@dataclass(frozen=True)
class PassDone:
    """What a source's one pass reports: the label of what it read (for error messages), the
    communes it cut (None: every code asked; fewer when part of the file is missing, e.g. a
    department's member of the RNA archive) and details its communes' assets read back."""

    label: str
    covered: list[str] | None = None
    details: dict[str, Any] = field(default_factory=dict)


CutAll = Callable[[FetchedFile, SourceFetcher, list[str], Path], PassDone]


def national_file_asset(source: Source, cut_all: CutAll, kinds: set[str]) -> dg.AssetsDefinition:
    """The asset `national/<source id>` (group `national`, unpartitioned): fetches the source's
    national file once, and cuts every registered commune in one pass (`cut_all(fetched,
    sources, codes, folder)` writes the cuts and says what it did, `PassDone`). Its value
    (`CommuneCuts`) is read by each commune's source asset; None when the file could not be
    fetched or read (the error is in its metadata and log, and each commune's step then fails
    with it, naming the file, as a run for one commune does)."""

    @dg.asset(
        name=source.id,
        key_prefix=NATIONAL_GROUP,
        group_name=NATIONAL_GROUP,
        kinds=kinds | {"parquet"},
        metadata=source.definition_metadata(),
        required_resource_keys={"io_manager", "sources"},
        description=f"Le fichier national « {source.title} », téléchargé une fois pour toutes "
        "les communes, et la découpe en UNE passe de chaque commune enregistrée (partitions "
        "`commune`), écrite en Parquet par département dans le dossier des valeurs "
        "(CLE_STORAGE_DIR) ; la source de chaque commune y lit ses lignes.",
    )
    def national_file(context) -> dg.Output[CommuneCuts | None]:
        sources: SourceFetcher = context.resources.sources
        started = time.perf_counter()
        codes = registered_communes(context)
        base = storage_folder(context) / NATIONAL_FOLDER / NATIONAL_GROUP / source.id
        folder = base / context.run.run_id
        try:
            if per_commune_location(source, sources):
                # One file per commune: nothing national to cut; each commune fetches its own.
                return no_pass(context, source, f"{source.env_var} names one file per commune")
            fetched = sources.fetch(source, "")
            shutil.rmtree(folder, ignore_errors=True)
            done = cut_all(fetched, sources, codes, folder)
        except SourceError as error:
            # The pass only saves work: its communes then cut the file themselves, and each
            # fails there with this error, in its own step, as a run for one commune does.
            return no_pass(context, source, str(error))
        forget_old_passes(base, keep=folder)
        return cuts_output(source, fetched, done, codes, folder, started)

    return national_file


def no_pass(context: Any, source: Source, reason: str) -> dg.Output[CommuneCuts | None]:
    """The national asset's value when it cut nothing: None, the reason in its metadata."""
    context.log.warning(f"{source.id}: no national pass: {reason}")
    return dg.Output(None, metadata={"no_pass": reason, "communes_cut": 0})


def cuts_output(
    source: Source,
    fetched: FetchedFile,
    done: PassDone,
    codes: list[str],
    folder: Path,
    started: float,
) -> dg.Output[CommuneCuts]:
    """The national asset's value and metadata: the file (location, size, sha256,
    Last-Modified, origin), the communes cut, the rows written and the time of the pass."""
    per_commune = rows_per_commune(folder)
    covered = codes if done.covered is None else done.covered
    cuts = CommuneCuts(
        source.id,
        str(folder),
        frozenset(covered),
        fetched,
        done.label,
        rows=sum(per_commune.values()),
        seconds=time.perf_counter() - started,
        details=done.details,
    )
    counts = [per_commune.get(code, 0) for code in covered]
    return dg.Output(
        cuts,
        metadata={
            **fetched.metadata(),
            "communes_cut": len(covered),
            "communes_left_to_their_own_cut": len(codes) - len(covered),
            "communes_without_rows": sum(1 for count in counts if count == 0),
            "rows_written": cuts.rows,
            "rows_per_commune": rows_summary(counts),
            "pass_seconds": round(cuts.seconds, 2),
            "cuts_folder": dg.MetadataValue.path(str(folder)),
        },
    )


def rows_per_commune(folder: Path) -> dict[str, int]:
    """Rows written per commune key in a cut folder."""
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return {}
    with duckdb_connection() as connection:
        found = connection.execute(
            f"SELECT {COMMUNE}, count(*) FROM read_parquet({cut_files(folder)}) GROUP BY {COMMUNE}"
        ).fetchall()
    return {str(key): int(count) for key, count in found}


def rows_summary(counts: list[int]) -> str:
    """`min 0, median 4, max 120` rows per commune (or `none`)."""
    if not counts:
        return "none"
    ordered = sorted(counts)
    return f"min {ordered[0]}, median {ordered[len(ordered) // 2]}, max {ordered[-1]}"


def forget_old_passes(base: Path, keep: Path) -> None:
    """Removes the cut folders of older passes but the one before `keep` (a run of another
    commune may still be reading it)."""
    if not base.is_dir():
        return  # the pass wrote nothing (no commune, or no part of the file it could read)
    passes = sorted(
        (path for path in base.iterdir() if path.is_dir() and path != keep),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in passes[KEPT_PASSES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def national_input(source: Source) -> dict[str, dg.AssetIn]:
    """The input `national` of a commune's source asset: the national pass of its source,
    optional (a run for a commune may come before any national pass)."""
    return {
        "national": dg.AssetIn(
            key=dg.AssetKey([NATIONAL_GROUP, source.id]), metadata={"optional": True}
        )
    }


def commune_rows(
    national: CommuneCuts | None,
    code: str,
    source: Source,
    sources: SourceFetcher,
    from_cuts: Callable[[CommuneCuts], T],
    from_file: Callable[[FetchedFile], T],
) -> tuple[FetchedFile, T]:
    """The commune's rows: read from the national pass when it cut the commune from the file
    the source serves now (same sha256), else cut from that file as a run for one commune
    does (no pass yet, a commune registered after it, or a newer file)."""
    fetched = sources.fetch(source, code)
    if national is not None and national.covers(code) and national.fetched.sha256 == fetched.sha256:
        return fetched, from_cuts(national)
    if national is None:
        why = "no national pass yet"
    elif not national.covers(code):
        why = "commune registered after the national pass"
    else:
        why = "the national pass was of another file"
    dg.get_dagster_logger().info(f"{source.id}, commune {code}: {why}; cut from the file itself")
    return fetched, from_file(fetched)
