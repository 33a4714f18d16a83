"""Sirene stock cut: the commune's active establishments, the needed columns, the traps."""

import zipfile

import pytest

from cle_pipeline.defs.sources.sirene_etablissements import (
    COLUMNS,
    MEMBER,
    SOURCE,
    cut_commune,
    sirene_commune_codes,
)
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import SourceFetcher
from devtools.snapshots.sirene_etablissements import HEADER, rows


@pytest.fixture
def stock(tmp_path):
    fetcher = SourceFetcher(cache_dir=str(tmp_path / "cache"))
    return fetcher.extract(fetcher.fetch(SOURCE, "76165"), MEMBER)


def test_the_snapshot_has_the_real_header():
    assert len(HEADER) == 54
    assert HEADER[:3] == ["siren", "nic", "siret"]
    assert HEADER[-1] == "activitePrincipaleNAF25Etablissement"


def test_caudebec_active_establishments_any_activity_with_their_status(stock):
    cut = cut_commune(stock, "76165", "stock")
    assert list(cut.columns) == COLUMNS
    assert len(cut) == 15  # 16 rows for 76165 in the snapshot, one closed
    assert set(cut["etatAdministratifEtablissement"]) == {"A"}
    assert "BOUCHERIE LEFEVRE" not in set(cut["enseigne1Etablissement"])  # closed in 2021
    # Not shops, but active: the dataset, not the source, leaves them out.
    assert {"CABINET COMPTABLE DE LA SEINE", "CAUDEBEC VENTE EN LIGNE"} <= set(
        cut["enseigne1Etablissement"]
    )
    partial = cut[cut["statutDiffusionEtablissement"] == "P"].iloc[0]
    assert partial["siret"] == "85274196600018"
    assert partial["enseigne1Etablissement"] == "[ND]"
    assert partial["libelleVoieEtablissement"] == "[ND]"
    assert partial["codePostalEtablissement"] == "76320"


def test_every_value_is_text_with_its_leading_zeros(stock):
    cut = cut_commune(stock, "76165", "stock")
    row = cut[cut["siret"] == "41236587600017"].iloc[0]
    assert row["coordonneeLambertAbscisseEtablissement"] == "556218.0"
    assert row["activitePrincipaleEtablissement"] == "10.71C"
    assert row["nomenclatureActivitePrincipaleEtablissement"] == "NAFRev2"


def test_paris_establishments_are_found_by_their_arrondissement(stock):
    assert sirene_commune_codes("75056")[:2] == ["75101", "75102"]
    assert len(sirene_commune_codes("13055")) == 16
    assert sirene_commune_codes("76165") == ["76165"]
    cut = cut_commune(stock, "75056", "stock")
    assert cut[["siret", "codeCommuneEtablissement"]].values.tolist() == [
        ["51234987900019", "75104"]
    ]


def test_a_missing_column_names_the_file_and_the_column(tmp_path):
    header = [name for name in HEADER if name != "codeCommuneEtablissement"]
    index = HEADER.index("codeCommuneEtablissement")
    lines = [",".join(header)] + [",".join(r[:index] + r[index + 1 :]) for r in rows()[:2]]
    table = tmp_path / "StockEtablissement_utf8.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as error:
        cut_commune(table, "76165", "StockEtablissement_utf8.zip!StockEtablissement_utf8.csv")
    message = str(error.value)
    assert "StockEtablissement_utf8.zip!StockEtablissement_utf8.csv" in message
    assert "codeCommuneEtablissement" in message


def test_a_semicolon_file_is_refused_for_its_separator(tmp_path):
    table = tmp_path / "stock.csv"
    table.write_text(";".join(HEADER) + "\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="separator"):
        cut_commune(table, "76165", "stock.csv")


def test_the_zip_holds_one_csv_member_named_as_insee_names_it():
    path = SourceFetcher().location_of(SOURCE, "76165")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["StockEtablissement_utf8.csv"]
