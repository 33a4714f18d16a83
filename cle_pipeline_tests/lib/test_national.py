"""One pass per national file: the cuts read back per commune are those of a cut of the file."""

from __future__ import annotations

import importlib
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.defs.sources import (
    election_results,
    irve,
    rna_waldec,
    rne_conseillers_municipaux,
)
from cle_pipeline.defs.sources.election_results import read_results_cut
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import FetchedFile, SourceFetcher, checksum_of, department_of
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune, read_outline
from cle_pipeline.lib.insee import (
    BIRTHS,
    DEATHS,
    commune_counts,
    counts_from_cuts,
    cut_every_commune_counts,
)
from cle_pipeline.lib.national import (
    CommuneCuts,
    CutWriter,
    commune_rows,
    cut_csv_in_one_pass,
    rows_summary,
)
from cle_pipeline.lib.partitions import PartitionedPickleIOManager
from cle_pipeline.lib.tabular import SOURCE_LOCATION, CsvFormat

SNAPSHOTS = PROJECT_ROOT / "data" / "sources"
IRVE = SNAPSHOTS / "irve" / irve.SOURCE.snapshot
ELECTIONS = [
    "presidentielle_2022_t1",
    "presidentielle_2022_t2",
    "legislatives_2022_t1",
    "legislatives_2022_t2",
]


def place(code: str, name: str) -> Commune:
    outline = read_outline(SNAPSHOTS / "commune_contours" / f"{code}.geojson", code)
    return Commune(code, name, "76", "28", outline)


def fetched(path: Path) -> FetchedFile:
    return FetchedFile(path, str(path), path.stat().st_size, checksum_of(path, "sha256"), None)


def cuts_of(path: Path, folder: Path, codes: list[str]) -> CommuneCuts:
    done = irve.cut_every_commune(fetched(path), SourceFetcher(), codes, folder)
    return CommuneCuts("irve", str(folder), frozenset(codes), fetched(path), done.label)


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
    assert sorted(path.name for path in folder.iterdir()) == ["cuts.parquet"]
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


def test_a_streaming_pass_writes_its_rows_read_back_in_file_order(tmp_path):
    writer = CutWriter(tmp_path / "cuts", ["Nom", "Voix"])
    writer.add(5, "76165", ["B", "7"])
    writer.add(2, "76231", ["A", ""])
    writer.add(3, "76165", ['A, dit "le premier"', "1"])
    writer.close()
    assert writer.rows == 3
    assert not (tmp_path / "cuts" / "_lignes.csv").exists()
    cuts = CommuneCuts("x", str(tmp_path / "cuts"), frozenset(["76165"]), fetched(IRVE), "x")
    assert cuts.read(["76165"]).to_dict("list") == {
        "Nom": ['A, dit "le premier"', "B"],
        "Voix": ["1", "7"],
    }
    assert cuts.read(["76231"]).to_dict("list") == {"Nom": ["A"], "Voix": [""]}
    assert cuts.read(["76640"]).columns.tolist() == ["Nom", "Voix"]


def test_an_empty_streaming_pass_still_gives_the_columns(tmp_path):
    writer = CutWriter(tmp_path / "cuts", ["Nom"])
    writer.close()
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


@pytest.mark.parametrize("source_id", ELECTIONS)
def test_election_cut_from_the_one_pass_is_the_cut_of_the_national_file(tmp_path, source_id):
    module = importlib.import_module(f"cle_pipeline.defs.sources.{source_id}")
    table = SNAPSHOTS / source_id / module.SOURCE.snapshot
    codes = ["76165", "76231", "2A004", "97411", "27165", "13055"]
    done = module.cut_every_commune(fetched(table), SourceFetcher(), codes, tmp_path / "cuts")
    cuts = CommuneCuts(
        source_id,
        str(tmp_path / "cuts"),
        frozenset(codes),
        fetched(table),
        done.label,
        details=done.details,
    )
    for code in codes:
        expected = module.cut_commune(table, code, str(table))
        pd.testing.assert_frame_equal(read_results_cut(cuts, code), expected)
    assert len(read_results_cut(cuts, "76165")) > 0


@pytest.mark.parametrize(
    ("found", "replaced", "reader"),
    [
        # A quoted field: csv's rules, so the lines are read in Python.
        (b";Caudebec-l\xe8s-Elbeuf;", b';"Caudebec-l\xe8s-Elbeuf";', "python"),
        # Windows-1252's apostrophe, a byte DuckDB's latin-1 refuses and Python's reads.
        (b";Caudebec-l\xe8s-Elbeuf;", b";Caudebec\x92l\xe8s-Elbeuf;", "python"),
        # Plain text: DuckDB reads the lines.
        (b"", b"", "duckdb"),
    ],
)
def test_an_election_file_read_by_duckdb_or_python_gives_the_rows_of_the_cut(
    tmp_path, monkeypatch, found, replaced, reader
):
    readers = []
    for name in ("cut_lines_with_duckdb", "cut_lines_with_python"):
        reading = getattr(election_results, name)
        monkeypatch.setattr(
            election_results,
            name,
            lambda *args, name=name, reading=reading: readers.append(name) or reading(*args),
        )
    module = importlib.import_module("cle_pipeline.defs.sources.presidentielle_2022_t1")
    table = tmp_path / "t1.txt"
    original = (SNAPSHOTS / "presidentielle_2022_t1" / module.SOURCE.snapshot).read_bytes()
    table.write_bytes(original.replace(found, replaced) if found else original)
    codes = ["76165", "76231", "2A004"]
    done = module.cut_every_commune(fetched(table), SourceFetcher(), codes, tmp_path / "cuts")
    cuts = CommuneCuts(
        "t1", str(tmp_path / "cuts"), frozenset(codes), fetched(table), "t1", details=done.details
    )
    for code in codes:
        expected = module.cut_commune(table, code, str(table))
        pd.testing.assert_frame_equal(read_results_cut(cuts, code), expected)
    assert len(read_results_cut(cuts, "76165")) == 7 * 12
    assert readers[-1] == f"cut_lines_with_{reader}"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            b"76;Seine-Maritime;01;1\xe8re;165;Caudebec;0009;1;2\r\n",
            r"line 25 has 9 fields, fewer than the 21",
        ),
        (
            b"13;B;01;1\xe8re;055;Marseille;0001" + b";1" * 14 + b";1;F;A;B\r\n",
            r"line 25 has 25 fields: 21 fixed",
        ),
    ],
)
def test_an_election_line_out_of_format_fails_the_pass_naming_it(tmp_path, line, error):
    module = importlib.import_module("cle_pipeline.defs.sources.presidentielle_2022_t1")
    table = tmp_path / "t1.txt"
    table.write_bytes(
        (SNAPSHOTS / "presidentielle_2022_t1" / module.SOURCE.snapshot).read_bytes() + line
    )
    with pytest.raises(SourceFormatError, match=error):
        module.cut_every_commune(fetched(table), SourceFetcher(), ["76165"], tmp_path / "cuts")


def test_rna_cut_from_the_one_pass_reads_only_the_members_asked_for(tmp_path):
    archive = SNAPSHOTS / "rna_waldec" / rna_waldec.SOURCE.snapshot
    fetcher = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    codes = ["76165", "76231", "76640", "2A004", "13055"]
    done = rna_waldec.cut_every_commune(fetched(archive), fetcher, codes, tmp_path / "cuts")
    # The archive has no member for the Bouches-du-Rhône: its commune cuts the archive itself.
    assert done.covered == ["2A004", "76165", "76231", "76640"]
    assert_rna_cuts_are_the_members(archive, fetcher, done, tmp_path / "cuts")


def assert_rna_cuts_are_the_members(archive: Path, fetcher, done, folder: Path) -> None:
    """Each commune the RNA pass covered reads the rows its own cut reads in its member."""
    cuts = CommuneCuts(
        "rna_waldec",
        str(folder),
        frozenset(done.covered),
        fetched(archive),
        "x",
        details=done.details,
    )
    for code in done.covered:
        commune = Commune(code, code, department_of(code), "28")
        from_pass, member = rna_waldec.cut_from_pass(cuts, commune)
        expected, expected_member = rna_waldec.cut_member(fetcher, fetched(archive), commune)
        pd.testing.assert_frame_equal(from_pass, expected)
        assert member == expected_member
        assert len(from_pass) > 0
        assert from_pass.attrs[SOURCE_LOCATION] == expected.attrs[SOURCE_LOCATION]


def rna_archive_with(tmp_path: Path, member: str, change) -> Path:
    """A copy of the RNA snapshot whose `member` (name ending) is `change(bytes)`."""
    import zipfile

    archive = tmp_path / "rna.zip"
    with (
        zipfile.ZipFile(SNAPSHOTS / "rna_waldec" / rna_waldec.SOURCE.snapshot) as source,
        zipfile.ZipFile(archive, "w") as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, change(content) if name.endswith(member) else content)
    return archive


def test_an_rna_member_in_another_format_is_left_to_its_communes(tmp_path):
    # The Corse-du-Sud member with one more column than the others: not in the one query.
    archive = rna_archive_with(
        tmp_path, "_dpt_2A.csv", lambda content: content.replace(b"\n", b";extra\n")
    )
    fetcher = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    codes = ["2A004", "75056", "76165", "76231", "97411"]
    done = rna_waldec.cut_every_commune(fetched(archive), fetcher, codes, tmp_path / "cuts")
    assert done.covered == ["75056", "76165", "76231", "97411"]
    assert list(done.details["members"]) == ["75", "76", "974"]
    assert_rna_cuts_are_the_members(archive, fetcher, done, tmp_path / "cuts")


def test_an_rna_member_duckdb_cannot_read_fails_the_pass_naming_it(tmp_path):
    archive = rna_archive_with(tmp_path, "_dpt_76.csv", lambda content: content + b"a;b\n")
    fetcher = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    with pytest.raises(
        SourceFormatError,
        match=r"rna.zip!.*_dpt_76.csv: 1 line\(s\) do not have the header.s 39 fields: line 14",
    ):
        rna_waldec.cut_every_commune(fetched(archive), fetcher, ["2A004", "76165"], tmp_path / "c")


@pytest.mark.parametrize(
    ("source_id", "measure"), [("insee_deces", DEATHS), ("insee_naissances", BIRTHS)]
)
def test_civil_register_counts_from_the_one_pass_are_those_of_the_file(
    tmp_path, source_id, measure
):
    module = importlib.import_module(f"cle_pipeline.defs.sources.{source_id}")
    archive = SNAPSHOTS / source_id / module.SOURCE.snapshot
    fetcher = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    codes = ["76165", "76231", "76640", "75056"]
    done = module.cut_every_commune(fetched(archive), fetcher, codes, tmp_path / "cuts")
    cuts = CommuneCuts(
        source_id,
        str(tmp_path / "cuts"),
        frozenset(codes),
        fetched(archive),
        done.label,
        details=done.details,
    )
    member = fetcher.extract(fetched(archive), module.MEMBER)
    for code in codes:
        expected = commune_counts(member, code, measure, str(archive))
        pd.testing.assert_frame_equal(counts_from_cuts(cuts, code, measure), expected)


def test_civil_register_counts_of_a_wide_file_from_the_one_pass(tmp_path):
    table = tmp_path / "base_deces_2021.csv"
    table.write_text("CODGEO;DECESD20;DECESD21\n76165;110;\n76231;98;120\n")
    codes = ["76165", "76231"]
    details = cut_every_commune_counts(table, codes, tmp_path / "cuts", DEATHS, "deces")
    assert details == {"year_columns": ["DECESD20", "DECESD21"]}
    cuts = CommuneCuts(
        "insee_deces",
        str(tmp_path / "cuts"),
        frozenset(codes),
        fetched(table),
        "deces",
        details=details,
    )
    for code in codes:
        expected = commune_counts(table, code, DEATHS, "deces")
        pd.testing.assert_frame_equal(counts_from_cuts(cuts, code, DEATHS), expected)


def test_rne_councillors_from_the_one_pass_are_those_of_the_file(tmp_path):
    table = SNAPSHOTS / "rne_conseillers_municipaux" / rne_conseillers_municipaux.SOURCE.snapshot
    codes = ["76165", "76231", "76640", "2A004", "97411"]
    done = rne_conseillers_municipaux.cut_every_commune(
        fetched(table), SourceFetcher(), codes, tmp_path / "cuts"
    )
    assert done.covered is None
    cuts = CommuneCuts("rne", str(tmp_path / "cuts"), frozenset(codes), fetched(table), done.label)
    for code in codes:
        expected = rne_conseillers_municipaux.read_councillors(table, code, str(table))
        found = rne_conseillers_municipaux.councillors_from_pass(cuts, code)
        pd.testing.assert_frame_equal(found.rows, expected.rows)
        assert found.values_repaired == expected.values_repaired
    assert len(rne_conseillers_municipaux.councillors_from_pass(cuts, "76165").rows) > 0


def test_an_rne_file_with_ragged_lines_is_left_to_each_commune(tmp_path):
    table = SNAPSHOTS / "rne_conseillers_municipaux" / rne_conseillers_municipaux.SOURCE.snapshot
    ragged = tmp_path / "ragged.csv"
    ragged.write_bytes(table.read_bytes() + b"a;b\n")
    done = rne_conseillers_municipaux.cut_every_commune(
        fetched(ragged), SourceFetcher(), ["76165"], tmp_path / "cuts"
    )
    assert done.covered == []
