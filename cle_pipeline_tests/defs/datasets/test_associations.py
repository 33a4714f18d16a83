"""`associations` from the RNA snapshot: active ones only, never the manager's address."""

import re
import zipfile

import pandas as pd
import pytest

from cle_pipeline.defs.datasets.associations.assets import (
    RNA_COLUMNS,
    active_associations,
    associations_checks,
    codes_without_label,
)
from cle_pipeline.defs.datasets.associations.schema import Associations
from cle_pipeline.lib.normalise import RNA_ID
from cle_pipeline_tests.conftest import check_outcomes, failure_messages, published_csv


def test_caudebec_active_associations(materialize, tmp_path):
    result = materialize("associations")
    assert check_outcomes(result) == {
        "associations:schema": True,
        "associations:rows_belong_to_commune": True,
        "associations:seat_in_commune": True,
        "associations:codes_have_a_label": True,
        "associations:rows_against_last_release": True,
    }
    published = published_csv(tmp_path, "76165", "associations")
    # W760000108 (dissolved, D) and W760000109 (deleted, S) are left out.
    assert published["id"].tolist() == [f"W76000010{n}" for n in range(1, 8)]
    first = published.iloc[0]
    assert first[["titre", "titre_court", "siret", "date_creat"]].tolist() == [
        "ASSOCIATION SPORTIVE CAUDEBECAISE",
        "ASC",
        "44306184100013",
        "1975-04-12",
    ]
    # A `;` inside a quoted field of the latin-1 file survives.
    assert first["objet"] == "pratique du football ; formation des jeunes joueurs"
    assert published.loc[1, "titre"] == "COMITÉ DES FÊTES DE CAUDEBEC-LÈS-ELBEUF"
    # Each one-letter code of the RNA is followed by its label.
    coded = ["nature", "nature_libelle", "groupement", "groupement_libelle"]
    assert published[coded].drop_duplicates().values.tolist() == [["D", "Déclarée", "S", "Simple"]]
    assert set(zip(published["position"], published["position_libelle"], strict=True)) == {
        ("A", "Active")
    }
    columns = list(published.columns)
    for code in ("nature", "groupement", "position"):
        assert columns.index(f"{code}_libelle") == columns.index(code) + 1


def test_codes_are_decoded_and_an_unknown_one_is_named_by_the_warning():
    rna = pd.DataFrame(
        {
            **{name: [None, None, None] for name in RNA_COLUMNS},
            "id": ["W760000003", "W760000001", "W760000002"],
            "titre": ["C", "A", "B"],
            "date_creat": ["2001-01-01"] * 3,
            "adrs_codeinsee": ["76165"] * 3,
            "nature": ["R", "D", "X"],
            "groupement": ["F", "U", "S"],
            "position": ["A", "A", "A"],
        }
    )
    table = active_associations(rna)
    assert table[
        ["id", "nature_libelle", "groupement_libelle", "position_libelle"]
    ].values.tolist() == [
        ["W760000001", "Déclarée", "Union", "Active"],
        ["W760000002", None, "Simple", "Active"],
        ["W760000003", "Reconnue d'utilité publique", "Fédération", "Active"],
    ]
    assert codes_without_label(table).to_dict("records") == [
        {"id": "W760000002", "column": "nature", "code": "X"}
    ]
    (spec,) = [s for s in associations_checks.check_specs if s.name == "codes_have_a_label"]
    assert spec.blocking is False


def test_the_manager_address_block_never_reaches_the_output(materialize, tmp_path):
    result = materialize("associations")
    source_columns = set(result.output_for_node("rna_waldec").columns)
    assert not {c for c in source_columns if c.startswith("adrg_")} | (
        {"dir_civilite"} & source_columns
    )
    text = (tmp_path / "published" / "76165" / "associations.csv").read_text(encoding="utf-8")
    assert "rue des Particuliers" not in text and "EXEMPLE DUPONT" not in text


def test_a_second_commune(materialize, tmp_path):
    materialize("associations", commune="76231")
    published = published_csv(tmp_path, "76231", "associations")
    assert published["titre"].tolist() == ["ELBEUF BOXING CLUB", "THÉÂTRE DE L'ELBEUVIEN"]


def test_corsican_and_overseas_ids_read_their_department_member(materialize, tmp_path):
    materialize("associations", commune="2A004")
    assert published_csv(tmp_path, "2A004", "associations")["id"].tolist() == ["W2A0000001"]
    materialize("associations", commune="97411")
    assert published_csv(tmp_path, "97411", "associations")["id"].tolist() == ["W9R0000001"]


def test_a_zip_bomb_never_replaces_the_published_associations(materialize, tmp_path):
    # The scenario, scaled down: the department's member is the RNA header followed by
    # NUL bytes (20 MiB from 20 KB); it was extracted whole and published as an empty file.
    materialize("associations")
    published = tmp_path / "published" / "76165" / "associations.csv"
    good = published.read_bytes()
    bomb = tmp_path / "rna_waldec_20221201.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        header = b"id;titre;objet;position;adrs_codeinsee;date_creat\n"
        archive.writestr("rna_waldec_20221201_dpt_76.csv", header + bytes(20 * 1024**2))
    result = materialize("associations", raise_on_error=False, overrides={"rna_waldec": str(bomb)})
    assert re.fullmatch(
        rf"cle_pipeline\.lib\.errors\.SourceFormatError: {re.escape(str(bomb))}: member "
        r"rna_waldec_20221201_dpt_76\.csv expands to 20971570 bytes from \d+ compressed, over "
        r"the 100× expansion allowed: a zip bomb\? Nothing was extracted",
        failure_messages(result)["rna_waldec"].strip(),
    )
    assert published.read_bytes() == good
    assert list((tmp_path / "cache").glob("extracted/*20221201*")) == []


@pytest.mark.parametrize(
    ("rna_id", "valid"),
    [
        ("W761000101", True),
        ("W2A0000001", True),  # Corsica
        ("W9R0000001", True),  # La Réunion
        ("W9T1000001", True),  # Mayotte (gestion 9T1P)
        ("W76100010", False),
        ("W9T100000A", False),
        ("761000101", False),
        ("w761000101", False),
    ],
)
def test_rna_ids_of_every_department_are_accepted(rna_id, valid):
    assert bool(re.fullmatch(RNA_ID, rna_id)) is valid
    column = Associations.to_schema().columns["id"]
    pattern = {check.name: check.statistics for check in column.checks}["str_matches"]["pattern"]
    assert pattern == RNA_ID
