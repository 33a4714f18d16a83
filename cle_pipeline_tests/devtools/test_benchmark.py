"""`make benchmark`'s machinery on tiny files: each national-size builder keeps its snapshot's
format and the commune's rows exactly once, and each cut finds them. No timing is asserted."""

from __future__ import annotations

import zipfile

import pytest

from devtools import benchmark
from devtools.benchmark import ELECTIONS, Files, measure, run_cut, run_reference

TINY = {
    "irve": 300,
    "rna_waldec": 2_020,  # 20 rows in each of the 101 department members
    "elections": 120,
    "rne_conseillers_municipaux": 300,
    "geodae": 200,
    "education_annuaire": 300,
    "education_effectifs_ecoles": 50,
    "sirene_etablissements": 500,
}
# The commune's rows each cut keeps, as on the snapshots (see the sources' own tests).
EXPECTED = {
    "irve": 7,
    "rna_waldec": 9,
    "presidentielle_2022_t1": 7 * 12,
    "presidentielle_2022_t2": 7 * 2,
    "legislatives_2022_t1": 7 * 9,
    "legislatives_2022_t2": 7 * 2,
    "rne_conseillers_municipaux": 34,
    "geodae": 8,
    "education_annuaire": 6,
    "education_effectifs_ecoles": 4 * 5 + 2,  # four schools × 5 years, a closed school's 2
    "sirene_etablissements": 15,
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    built = Files(tmp_path_factory.mktemp("benchmark"))
    built.build(TINY)
    return built


@pytest.mark.parametrize("source", list(EXPECTED))
def test_each_cut_finds_the_communes_rows_once(files: Files, source: str):
    figures = run_cut(source, files.path(source))
    assert figures["rows"] == EXPECTED[source]


def test_the_directory_cut_also_returns_its_departments_establishments(files: Files):
    figures = run_cut("education_annuaire", files.path("education_annuaire"))
    # Seven other establishments of 76 in the snapshot, and the copies numbered in 76.
    copies_in_76 = sum(
        benchmark.department_of_copy(n) == "76" for n in range(TINY["education_annuaire"] - 16)
    )
    assert figures["returned"] == 6 + 7 + copies_in_76


@pytest.mark.parametrize("source", ELECTIONS)
def test_an_election_file_keeps_the_ministrys_format(files: Files, source: str):
    content = files.path(source).read_bytes()
    lines = content.decode("latin-1").split("\r\n")
    assert lines[-1] == "" and len(lines) == TINY["elections"] + 2  # CRLF, header, last end
    assert lines[0].startswith("Code du département;Libellé du département;")
    # Caudebec's seven stations, once; the copies keep the ragged widths of their originals.
    assert sum(line.startswith("76;") and line.split(";")[4] == "165" for line in lines) == 7
    snapshot = benchmark.snapshot_of(source).read_bytes().decode("latin-1").split("\r\n")
    assert {line.count(";") for line in lines[1:-1]} == {line.count(";") for line in snapshot[1:-1]}


def test_the_opendatasoft_exports_keep_their_bom_and_the_rne_has_none(files: Files):
    for source in ("geodae", "education_annuaire", "education_effectifs_ecoles"):
        assert files.path(source).read_bytes().startswith(b"\xef\xbb\xbf"), source
    assert not files.path("rne_conseillers_municipaux").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_zips_keep_their_member_layout(files: Files):
    with zipfile.ZipFile(files.path("rna_waldec")) as archive:
        names = archive.namelist()
    assert len(names) == 101
    assert "rna_waldec_20221101_dpt_2A.csv" in names
    with zipfile.ZipFile(files.path("sirene_etablissements")) as archive:
        assert archive.namelist() == ["StockEtablissement_utf8.csv"]
        lines = archive.read("StockEtablissement_utf8.csv").decode("utf-8").splitlines()
    assert len(lines) == TINY["sirene_etablissements"] + 1
    assert len({line.split(",")[2] for line in lines[1:]}) == TINY["sirene_etablissements"]


def test_the_copies_never_take_the_communes_code():
    codes = {benchmark.commune_of_copy(benchmark.department_of_copy(n), n) for n in range(200_000)}
    assert "76165" not in codes
    assert {len(code) for code in codes} == {5}


@pytest.mark.parametrize(
    ("source", "rows"),
    [("irve", 6), ("rna_waldec", 9), ("presidentielle_2022_t1", 7), ("geodae", 7)],
)
def test_the_reference_reads_the_same_file(files: Files, source: str, rows: int):
    # The reference filters on the code only (IRVE and Géo'DAE place no row by coordinates),
    # and reads the election files one line per station.
    assert run_reference(source, files.path(source))["rows"] == rows


def test_the_sirene_reference_reads_the_columns_of_the_cut(files: Files):
    from cle_pipeline.defs.sources import sirene_etablissements

    assert benchmark.SIRENE_COLUMNS == sirene_etablissements.COLUMNS
    member = benchmark.extracted_sirene(files.path("sirene_etablissements"))
    assert run_reference("sirene_etablissements", member)["rows"] == 15


def test_a_cut_measured_in_a_fresh_process(files: Files):
    figures = measure(
        "--cut", "rne_conseillers_municipaux", files.path("rne_conseillers_municipaux")
    )
    assert figures["rows"] == 34
    assert figures["peak_mib"] > 0 and figures["process_seconds"] >= figures["seconds"]


def test_a_file_is_not_rebuilt_once_built(files: Files):
    path = files.path("geodae")
    before = path.stat().st_mtime_ns
    files.build(TINY, ["geodae"])
    assert path.stat().st_mtime_ns == before
