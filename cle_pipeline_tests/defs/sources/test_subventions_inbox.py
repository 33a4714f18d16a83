"""The commune's subsidy table: its headers recognised, its lines numbered, its SIRET described."""

import json

import pytest

from cle_pipeline.defs.resources import resources_from
from cle_pipeline.defs.sources.subventions_inbox import field_of, read_attribuant, read_subsidies
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune
from devtools.snapshots.subventions_inbox import CAUDEBEC_HEADER, CAUDEBEC_ROWS, csv_bytes

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
SAMPLE = PROJECT_ROOT / "data" / "inbox" / "76165" / "subventions_2022.csv"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nom du bénéficiaire", "nomBeneficiaire"),
        ("NOM DU BENEFICIAIRE", "nomBeneficiaire"),
        ("N° RNA", "rnaBeneficiaire"),
        ("N°RNA", "rnaBeneficiaire"),
        ("Numéro RNA", "rnaBeneficiaire"),
        ("SIRET", "idBeneficiaire"),
        ("n° siret", "idBeneficiaire"),
        ("Montant (€)", "montant"),
        ("Montant en euros", "montant"),
        ("Date de la convention", "dateConvention"),
        ("Date(s) de versement", "datesPeriodeVersement"),
        ("Notification UE", "notificationUE"),
        ("Conditions de versement", "conditionsVersement"),
        ("montant", "montant"),
        ("nomBeneficiaire", "nomBeneficiaire"),  # the schema's own names
        ("Observations", None),
    ],
)
def test_french_headers_are_recognised(header, field):
    assert field_of(header) == field


def test_the_sample_file_is_read_with_the_lines_of_the_commune_file():
    rows, table, mapping = read_subsidies(SAMPLE, "sample")
    assert table.encoding == "utf-8 (BOM)"
    assert table.separator == ";"
    assert mapping["N° RNA"] == "rnaBeneficiaire"
    # Line 5 holds a value on two lines, so the next row starts on line 7; line 15 is `;;;`.
    assert rows.index.tolist() == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14]
    assert table.blank_lines == (15,)
    assert rows.loc[2, "montant"] == "24\u202f500,00\u00a0€"
    assert rows.loc[5, "objet"] == "Sorties et goûters des adhérents\n(programme 2022)"
    assert rows.loc[3, "idBeneficiaire"] == "N/A"


def test_a_missing_required_column_names_the_file_and_the_column(tmp_path):
    header = [name for name in CAUDEBEC_HEADER if name != "Montant"]
    rows = [row[:4] + row[5:] for row in CAUDEBEC_ROWS]
    path = tmp_path / "subventions_2022.csv"
    path.write_bytes(csv_bytes(header, rows, "utf-8", "\n"))
    with pytest.raises(SourceFormatError) as raised:
        read_subsidies(path, str(path))
    assert str(path) in str(raised.value)
    assert "missing column(s) montant (Montant / Montant (€) / Montant en euros)" in str(
        raised.value
    )


def test_two_columns_for_one_field_are_refused(tmp_path):
    path = tmp_path / "subventions_2022.csv"
    path.write_bytes(
        csv_bytes(
            [*CAUDEBEC_HEADER, "N° SIRET"], [[*row, ""] for row in CAUDEBEC_ROWS], "utf-8", "\n"
        )
    )
    with pytest.raises(
        SourceFormatError, match="'SIRET', 'N° SIRET' are all read as idBeneficiaire"
    ):
        read_subsidies(path, str(path))


def test_the_granting_commune_comes_from_commune_json(tmp_path):
    with pytest.raises(SourceError, match=r"commune\.json: missing"):
        read_attribuant(tmp_path, CAUDEBEC)
    (tmp_path / "commune.json").write_text(json.dumps({"idAttribuant": "217 601 657 00018"}))
    assert read_attribuant(tmp_path, CAUDEBEC) == {
        "nomAttribuant": "Caudebec-lès-Elbeuf",  # the official name when none is given
        "idAttribuant": "21760165700018",
    }
    (tmp_path / "commune.json").write_text(json.dumps({"idAttribuant": "21760165700017"}))
    with pytest.raises(SourceFormatError, match="'21760165700017' is not a SIRET"):
        read_attribuant(tmp_path, CAUDEBEC)
    (tmp_path / "commune.json").write_text("idAttribuant = 21760165700018")
    with pytest.raises(SourceFormatError, match="not a JSON document"):
        read_attribuant(tmp_path, CAUDEBEC)


def test_cle_inbox_dir_moves_the_inbox(monkeypatch, tmp_path):
    assert (
        resources_from({})["settings"].inbox_folder("76165")
        == PROJECT_ROOT / "data" / "inbox" / "76165"
    )
    environment = {"CLE_INBOX_DIR": str(tmp_path)}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)  # where Dagster resolves the EnvVars, at run start
    settings = resources_from(environment)["settings"].process_config_and_initialize()
    assert settings.inbox_folder("76231") == tmp_path / "76231"
