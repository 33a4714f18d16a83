"""The legal populations' cut: INSEE codes from `CODDEP` + `CODCOM`, Paris as its
arrondissements, and what happens when the commune or a column is missing."""

from __future__ import annotations

import zipfile

import pytest

from cle_pipeline.defs.sources.insee_populations_legales import cut_commune, units_of
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.tabular import extract_member
from cle_pipeline.snapshots.insee_populations_legales import PARIS_ARRONDISSEMENTS

ARCHIVE = PROJECT_ROOT / "data" / "sources" / "insee_populations_legales" / "ensemble.zip"


@pytest.fixture
def communes(tmp_path):
    return extract_member(ARCHIVE, r"^donnees_communes\.csv$", tmp_path)


@pytest.mark.parametrize(
    ("code", "name", "pmun"),
    [
        ("76165", "Caudebec-lès-Elbeuf", "10153"),
        ("76231", "Elbeuf", "16208"),
        ("01001", "L'Abergement-Clémenciat", "859"),
        ("2A004", "Ajaccio", "73717"),
        ("97411", "Saint-Denis", "153810"),  # CODDEP 974, CODCOM 411
    ],
)
def test_one_row_per_commune_with_its_population_as_text(communes, code, name, pmun):
    rows = cut_commune(communes, code, "snapshot")
    assert rows[["code_insee", "COM", "PMUN"]].values.tolist() == [[code, name, pmun]]


def test_paris_is_its_twenty_arrondissements(communes):
    rows = cut_commune(communes, "75056", "snapshot")
    assert rows["code_insee"].tolist() == units_of("75056")
    assert rows["code_insee"].tolist()[:2] == ["75101", "75102"]
    assert sum(int(value) for value in rows["PMUN"]) == sum(PARIS_ARRONDISSEMENTS)


def test_a_commune_absent_from_the_file_gives_no_row(communes):
    assert cut_commune(communes, "97611", "snapshot").empty  # Mayotte has its own census


def test_a_missing_column_names_the_file_and_the_column(tmp_path):
    path = tmp_path / "donnees_communes.csv"
    path.write_text("CODREG;REG;CODDEP;CODCOM;COM;PCAP;PTOT\n28;Normandie;76;165;X;1;2\n")
    with pytest.raises(SourceFormatError, match=r"donnees_communes\.csv: missing column\(s\) PMUN"):
        cut_commune(path, "76165", str(path))


def test_the_archive_holds_other_levels_that_are_not_read():
    with zipfile.ZipFile(ARCHIVE) as archive:
        assert sorted(archive.namelist()) == [
            "donnees_communes.csv",
            "donnees_departements.csv",
            "donnees_regions.csv",
        ]
