"""The legal populations' cut: both generations of the header read by name (the real 2023 file
of INSEE, and the older `CODDEP` + `CODCOM` one), Paris, Lyon and Marseille as their
arrondissements, and what happens when the commune or a column is missing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cle_pipeline.defs.sources.insee_populations_legales import GENERATIONS, cut_commune, units_of
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.tabular import extract_member
from devtools.snapshots.insee_populations_legales import (
    PARIS_ARRONDISSEMENTS,
    older_communes_csv,
)

ARCHIVE = PROJECT_ROOT / "data" / "sources" / "insee_populations_legales" / "ensemble.zip"
# A verbatim copy of the real `donnees_communes.csv` (populations 2023), see ../shared/real.
REAL_COMMUNES = PROJECT_ROOT.parent / "shared" / "real" / "donnees_communes.csv"
MEMBER = r"^donnees_communes\.csv$"


def real_archive(folder: Path) -> Path:
    """The real member zipped as INSEE ships it (`ensemble.zip`), its bytes untouched."""
    archive = folder / "ensemble.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as opened:
        opened.write(REAL_COMMUNES, "donnees_communes.csv")
    return archive


@pytest.fixture
def communes(tmp_path):
    return extract_member(ARCHIVE, MEMBER, tmp_path)


@pytest.fixture
def older_communes(tmp_path):
    path = tmp_path / "older" / "donnees_communes.csv"
    path.parent.mkdir()
    path.write_text(older_communes_csv(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def real_communes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("real")
    return extract_member(real_archive(folder), MEMBER, folder / "extracted")


SAMPLES = [
    ("76165", "Caudebec-lès-Elbeuf", "10153"),
    ("76231", "Elbeuf", "16208"),
    ("01001", "L'Abergement-Clémenciat", "859"),
    ("2A004", "Ajaccio", "73717"),
    ("97411", "Saint-Denis", "153810"),  # older header: CODDEP 974, CODCOM 411
]


@pytest.mark.parametrize(("code", "name", "pmun"), SAMPLES)
def test_one_row_per_commune_with_its_population_as_text(communes, code, name, pmun):
    rows = cut_commune(communes, code, "snapshot")
    assert rows.columns.tolist() == ["code_insee", "nom_commune", "PMUN", "PCAP", "PTOT"]
    assert rows[["code_insee", "nom_commune", "PMUN"]].values.tolist() == [[code, name, pmun]]


@pytest.mark.parametrize(("code", "name", "pmun"), SAMPLES)
def test_the_older_header_gives_the_same_rows(communes, older_communes, code, name, pmun):
    older = cut_commune(older_communes, code, "older")
    assert older.equals(cut_commune(communes, code, "snapshot"))


@pytest.mark.parametrize(
    ("code", "name", "pmun", "pcap", "ptot"),
    [
        ("76165", "Caudebec-lès-Elbeuf", "10135", "69", "10204"),
        ("2A004", "Ajaccio", "73822", "810", "74632"),
        ("97411", "Saint-Denis", "154765", "1517", "156282"),
        ("01001", "L'Abergement-Clémenciat", "832", "16", "848"),
    ],
)
def test_the_real_2023_file_is_read_by_its_current_header(
    real_communes, code, name, pmun, pcap, ptot
):
    assert cut_commune(real_communes, code, "ensemble.zip").values.tolist() == [
        [code, name, pmun, pcap, ptot]
    ]


@pytest.mark.parametrize(
    ("code", "first", "count", "total"),
    [
        ("75056", "Paris 1er Arrondissement", 20, 2_133_111),
        ("69123", "Lyon 1er Arrondissement", 9, 522_250),
        ("13055", "Marseille 1er Arrondissement", 16, 873_076),
    ],
)
def test_the_real_file_sums_plm_arrondissements_to_its_own_commune_row(
    real_communes, code, first, count, total
):
    # The real file also has a last row per commune (`;;;;;;75056;Paris;2133111;;`): the sum of
    # the arrondissements read equals it, and that row is not read twice.
    rows = cut_commune(real_communes, code, "ensemble.zip")
    assert rows["code_insee"].tolist() == units_of(code)
    assert (rows["nom_commune"].iloc[0], len(rows)) == (first, count)
    assert sum(int(value) for value in rows["PMUN"]) == total


def test_paris_is_its_twenty_arrondissements(communes, older_communes):
    for table in (communes, older_communes):
        rows = cut_commune(table, "75056", "snapshot")
        assert rows["code_insee"].tolist() == units_of("75056")
        assert rows["code_insee"].tolist()[:2] == ["75101", "75102"]
        assert sum(int(value) for value in rows["PMUN"]) == sum(PARIS_ARRONDISSEMENTS)


def test_a_commune_absent_from_the_file_gives_no_row(communes, real_communes):
    assert cut_commune(communes, "97611", "snapshot").empty  # Mayotte has its own census
    assert cut_commune(real_communes, "97611", "ensemble.zip").empty


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("REG;Région;DEP;COM;Commune;PCAP;PTOT", "PMUN"),
        ("CODREG;REG;CODDEP;CODCOM;COM;PCAP;PTOT", "PMUN"),
        ("REG;Région;DEP;CODCOM;Commune;PMUN;PCAP;PTOT", "COM"),
    ],
)
def test_a_missing_column_names_the_file_and_the_column(tmp_path, header, missing):
    path = tmp_path / "donnees_communes.csv"
    path.write_text(header + "\n" + ";".join("1" for _ in header.split(";")) + "\n")
    with pytest.raises(
        SourceFormatError, match=rf"donnees_communes\.csv: missing column\(s\) {missing}$"
    ):
        cut_commune(path, "76165", str(path))


def test_a_header_of_neither_generation_names_the_file_and_the_columns_found(tmp_path):
    path = tmp_path / "donnees_communes.csv"
    path.write_text("code;nom;population\r\n76165;Caudebec-lès-Elbeuf;10135\r\n")
    with pytest.raises(SourceFormatError) as raised:
        cut_commune(path, "76165", str(path))
    message = str(raised.value)
    assert message.startswith(f"{path}: not a header of donnees_communes.csv, neither ")
    assert all(generation.name in message for generation in GENERATIONS)
    assert message.endswith("columns found: code;nom;population")


def test_the_archive_holds_other_levels_that_are_not_read():
    with zipfile.ZipFile(ARCHIVE) as archive:
        assert sorted(archive.namelist()) == [
            "donnees_communes.csv",
            "donnees_departements.csv",
            "donnees_regions.csv",
        ]
