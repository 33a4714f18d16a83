"""One pass per national file: the cuts read back per commune are those of a cut of the file."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.defs.sources import irve
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import FetchedFile, SourceFetcher, checksum_of
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune, read_outline
from cle_pipeline.lib.national import (
    CommuneCuts,
    CutWriter,
    commune_rows,
    cut_csv_in_one_pass,
    department_sql,
    folder_of,
    rows_summary,
)
from cle_pipeline.lib.partitions import PartitionedPickleIOManager
from cle_pipeline.lib.tabular import SOURCE_LOCATION, CsvFormat

SNAPSHOTS = PROJECT_ROOT / "data" / "sources"
IRVE = SNAPSHOTS / "irve" / irve.SOURCE.snapshot


def place(code: str, name: str) -> Commune:
    outline = read_outline(SNAPSHOTS / "commune_contours" / f"{code}.geojson", code)
    return Commune(code, name, "76", "28", outline)


def fetched(path: Path) -> FetchedFile:
    return FetchedFile(path, str(path), path.stat().st_size, checksum_of(path, "sha256"), None)


def cuts_of(path: Path, folder: Path, codes: list[str]) -> CommuneCuts:
    label, _ = irve.cut_every_commune(fetched(path), SourceFetcher(), codes, folder)
    return CommuneCuts("irve", str(folder), frozenset(codes), fetched(path), label)


@pytest.mark.parametrize(
    ("code", "name"),
    [("76165", "Caudebec-lès-Elbeuf"), ("76231", "Elbeuf"), ("76640", "Saint-Pierre-lès-Elbeuf")],
)
def test_irve_cut_from_the_one_pass_is_the_cut_of_the_national_file(tmp_path, code, name):
    commune = place(code, name)
    cuts = cuts_of(IRVE, tmp_path / "cuts", ["76165", "76231", "76640"])
    from_pass = irve.cut_from_pass(cuts, commune)
    pd.testing.assert_frame_equal(from_pass, irve.cut_commune(IRVE, commune, str(IRVE)))
    assert from_pass.attrs[SOURCE_LOCATION] == str(IRVE)


def test_a_commune_without_rows_gets_the_columns_of_the_file(tmp_path):
    cuts = cuts_of(IRVE, tmp_path / "cuts", ["76165", "13055"])
    rows = cuts.read(["13055"])
    assert rows.empty
    assert list(rows.columns) == list(irve.cut_commune(IRVE, place("76165", "C"), "x").columns)


def test_the_pass_keeps_the_rows_of_listed_communes_and_buckets_only(tmp_path):
    table = tmp_path / "points.csv"
    table.write_text("code,valeur\n76165,a\n76231,b\n,c\n76165,d\n2A004,e\n97411,f\n")
    folder = tmp_path / "cuts"
    written = cut_csv_in_one_pass(
        table,
        CsvFormat(","),
        folder,
        required=["code", "valeur"],
        key="CASE WHEN code IS NULL THEN '_sans_code' ELSE code END",
        codes=["76165", "2A004", "97411"],
        buckets=["_sans_code"],
    )
    assert written == 5
    assert sorted(path.name for path in folder.iterdir()) == [
        "__departement=2A",
        "__departement=76",
        "__departement=974",
        "__departement=_sans_code",
        "_colonnes.parquet",
    ]
    cuts = CommuneCuts("test", str(folder), frozenset(["76165"]), fetched(table), "points.csv")
    assert cuts.read(["76165"], line_column="ligne").to_dict("list") == {
        "ligne": [2, 5],
        "code": ["76165", "76165"],
        "valeur": ["a", "d"],
    }
    assert cuts.read(["76165", "_sans_code"])["valeur"].tolist() == ["a", "c", "d"]
    assert cuts.read(["97411"])["valeur"].tolist() == ["f"]


def test_a_broken_file_fails_the_pass_naming_it(tmp_path):
    table = tmp_path / "broken.csv"
    table.write_text("id_pdc_itinerance,nom_station\nX,Y\n")
    with pytest.raises(SourceFormatError, match=r"broken.csv: missing column"):
        cuts_of(table, tmp_path / "cuts", ["76165"])


@pytest.mark.parametrize(
    ("key", "folder"),
    [("76165", "76"), ("2A004", "2A"), ("97411", "974"), ("98735", "98"), ("_sans_code", None)],
)
def test_a_key_is_kept_under_its_department(key, folder):
    assert folder_of(key) == (folder or key)
    import duckdb

    sql = department_sql("k")
    assert duckdb.sql(f"SELECT {sql} FROM (SELECT '{key}' AS k)").fetchall()[0][0] == (
        folder or key
    )


def test_a_streaming_pass_writes_its_rows_in_batches_read_back_in_file_order(tmp_path):
    writer = CutWriter(tmp_path / "cuts", ["Nom", "Voix"], flush_rows=2)
    writer.add(5, "76165", ["B", "7"])
    writer.add(2, "76231", ["A", "3"])
    writer.add(3, "76165", ["A", "1"])
    writer.flush()
    assert writer.rows == 3
    assert writer.parts == 2
    cuts = CommuneCuts("x", str(tmp_path / "cuts"), frozenset(["76165"]), fetched(IRVE), "x")
    assert cuts.read(["76165"]).to_dict("list") == {"Nom": ["A", "B"], "Voix": ["1", "7"]}
    assert cuts.read(["76640"]).columns.tolist() == ["Nom", "Voix"]


def test_an_empty_streaming_pass_still_gives_the_columns(tmp_path):
    writer = CutWriter(tmp_path / "cuts", ["Nom"])
    writer.flush()
    cuts = CommuneCuts("x", str(tmp_path / "cuts"), frozenset(["76165"]), fetched(IRVE), "x")
    assert cuts.read(["76165"]).columns.tolist() == ["Nom"]


def test_a_commune_missing_from_the_pass_or_a_newer_file_is_cut_from_the_file(tmp_path):
    cuts = cuts_of(IRVE, tmp_path / "cuts", ["76231"])
    fetcher = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    newer = tmp_path / "newer.csv"
    newer.write_bytes(IRVE.read_bytes() + IRVE.read_bytes().splitlines(keepends=True)[1])
    other_file = SourceFetcher(cache_dir=str(tmp_path / "cache"), overrides={"irve": str(newer)})
    used = []

    def from_cuts(found: CommuneCuts) -> str:
        used.append("cuts")
        return "pass"

    def from_file(file: FetchedFile) -> str:
        used.append(Path(file.location).name)
        return "file"

    def rows(national, code, sources=fetcher):
        return commune_rows(national, code, irve.SOURCE, sources, from_cuts, from_file)[1]

    assert rows(cuts, "76231") == "pass"
    assert rows(cuts, "76165") == "file"  # registered after the pass
    assert rows(None, "76165") == "file"  # no pass yet
    assert rows(cuts, "76231", other_file) == "file"  # the source serves another file now
    assert used == ["cuts", IRVE.name, IRVE.name, "newer.csv"]


@pytest.mark.parametrize(
    ("counts", "text"),
    [([], "none"), ([3], "min 3, median 3, max 3"), ([0, 9, 2], "min 0, median 2, max 9")],
)
def test_rows_per_commune_summary(counts, text):
    assert rows_summary(counts) == text


def test_the_national_pass_is_an_optional_input(tmp_path):
    manager = PartitionedPickleIOManager(base_dir=str(tmp_path))
    optional = dg.build_input_context(
        asset_key=dg.AssetKey(["national", "irve"]), definition_metadata={"optional": True}
    )
    assert manager.load_input(optional) is None
    required = dg.build_input_context(asset_key=dg.AssetKey(["national", "irve"]))
    with pytest.raises(FileNotFoundError, match="national/irve: no value stored"):
        manager.load_input(required)
