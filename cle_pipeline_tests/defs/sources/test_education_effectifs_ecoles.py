"""The enrolment cut: schools placed by UAI through the directory, never by postal code."""

from pathlib import Path

import pandas as pd
import pytest

from cle_pipeline.defs.sources import education_annuaire
from cle_pipeline.defs.sources.education_effectifs_ecoles import (
    SOURCE,
    commune_uais,
    cut_commune,
)
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.defs.sources.test_education_annuaire import (
    DIRECTORY,
    REAL,
    REAL_DIRECTORY,
    RENNES,
    with_field_names,
    without_column,
)

FOLDER = PROJECT_ROOT / "data" / "sources" / "education_effectifs_ecoles"
CURRENT = FOLDER / SOURCE.snapshot
OLDER = FOLDER / "fr-en-ecoles-effectifs-nb_classes-export-2023.csv"
CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
SAINT_PIERRE = Commune("76640", "Saint-Pierre-lès-Elbeuf", "76", "28")
SAINT_DENIS = Commune("97411", "Saint-Denis", "974", "04")


def enrolments(commune: Commune, table: Path = CURRENT) -> pd.DataFrame:
    directory = education_annuaire.cut_commune(DIRECTORY, commune, "annuaire")
    return cut_commune(table, directory, commune, str(table))


def test_the_export_column_code_commune_insee_holds_a_postal_code_and_is_ignored():
    rows = enrolments(CAUDEBEC)
    # Every Caudebec row says 76320 where an INSEE code is announced, and is still placed.
    assert set(rows["code_commune_insee"]) == {"76320"}
    by_uai = rows[rows["place_par"] == "annuaire"]
    assert sorted(by_uai["numero_ecole"].unique()) == [
        "0761587M",
        "0761588N",
        "0761589P",
        "0761590R",
    ]
    # The repeated directory row does not repeat the school's enrolments.
    assert len(by_uai) == 4 * 5


def test_a_saint_pierre_school_with_postal_code_76320_stays_out_of_caudebec():
    raw = pd.read_csv(CURRENT, sep=";", dtype=str, encoding="utf-8-sig")
    jules_verne = raw[raw["numero_ecole"] == "0761720G"]
    assert set(jules_verne["code_commune_insee"]) == {"76320"}
    assert "0761720G" not in set(enrolments(CAUDEBEC)["numero_ecole"])
    assert "0761720G" in set(enrolments(SAINT_PIERRE)["numero_ecole"])


def test_a_closed_school_absent_from_the_directory_is_placed_by_its_commune_name():
    rows = enrolments(CAUDEBEC)
    closed = rows[rows["place_par"] == "nom_commune"]
    assert closed["numero_ecole"].unique().tolist() == ["0761591S"]
    assert sorted(closed["rentree_scolaire"]) == ["2019", "2020"]
    # Saint-Pierre's closed school (written ST PIERRE LES ELBEUF) goes to Saint-Pierre only.
    saint_pierre = enrolments(SAINT_PIERRE)
    assert saint_pierre.loc[
        saint_pierre["place_par"] == "nom_commune", "numero_ecole"
    ].tolist() == ["0761722J"]


def test_a_closed_school_of_a_homonym_in_another_department_stays_out():
    rows = enrolments(SAINT_DENIS)
    # Saint-Denis (93)'s closed school also says SAINT-DENIS, but its UAI is numbered in 93.
    assert rows["numero_ecole"].unique().tolist() == ["9740321F"]
    assert set(rows["place_par"]) == {"annuaire"}


def test_the_older_export_reads_the_same_for_the_years_it_has():
    current = enrolments(CAUDEBEC)
    older = enrolments(CAUDEBEC, OLDER)
    assert "code_commune_insee" not in older.columns
    assert set(older["code_postal"]) == {"76320"}
    columns = ["rentree_scolaire", "numero_ecole", "nombre_total_eleves", "place_par"]
    keys = ["rentree_scolaire", "numero_ecole"]
    assert (
        older[columns]
        .sort_values(keys)
        .reset_index(drop=True)
        .equals(
            current.loc[current["rentree_scolaire"] <= "2022", columns]
            .sort_values(keys)
            .reset_index(drop=True)
        )
    )


def test_a_missing_column_names_the_file_and_the_column(tmp_path: Path):
    broken = without_column(
        CURRENT, "nombre_eleves_cm2_hors_ulis", tmp_path / "fr-en-ecoles-effectifs-nb_classes.csv"
    )
    directory = education_annuaire.cut_commune(DIRECTORY, CAUDEBEC, "annuaire")
    with pytest.raises(
        SourceFormatError, match=r"fr-en-ecoles-effectifs-nb_classes\.csv.*nombre_eleves_cm2"
    ):
        cut_commune(broken, directory, CAUDEBEC, str(broken))


def test_a_uai_placed_in_two_communes_by_the_directory_is_an_error():
    directory = pd.DataFrame(
        {
            "identifiant_de_l_etablissement": ["0761587M", "0761587M", "0761588N"],
            "dans_la_commune": [True, False, True],
        }
    )
    with pytest.raises(SourceFormatError, match="0761587M"):
        commune_uais(directory)
    assert commune_uais(directory.iloc[1:]) == ["0761588N"]


def test_a_multi_line_establishment_of_the_real_directory_is_the_communes_too():
    # Lycée Assomption (Rennes) and its annex in Retiers share UAI 0350778F; the directory
    # marks both lines (`etablissement_multi_lignes` = 1): not a contradiction.
    directory = education_annuaire.cut_commune(REAL_DIRECTORY, RENNES, "annuaire")
    assumption = directory[directory["identifiant_de_l_etablissement"] == "0350778F"]
    assert assumption[["code_commune", "multi_uai"]].values.tolist() == [
        ["35238", "1"],
        ["35239", "1"],
    ]
    assert "0350778F" in commune_uais(directory)
    unmarked = directory.assign(multi_uai="0")
    with pytest.raises(SourceFormatError, match="UAI 0350778F placed both"):
        commune_uais(unmarked)


# -- the portal's web export, as a user downloads it: labels as header, BOM, CRLF ------------

# A verbatim copy of Ille-et-Vilaine's enrolments, rentrées 2019-2022 (2,704 rows).
REAL_ENROLMENTS = REAL / "fr-en-ecoles-effectifs-nb_classes.csv"


def rennes_enrolments(table: Path = REAL_ENROLMENTS) -> pd.DataFrame:
    directory = education_annuaire.cut_commune(REAL_DIRECTORY, RENNES, "annuaire")
    return cut_commune(table, directory, RENNES, str(table))


def test_the_web_export_with_labels_gives_rennes_schools_placed_by_uai():
    assert REAL_ENROLMENTS.read_bytes().startswith(b"\xef\xbb\xbfRentr\xc3\xa9e scolaire;")
    rows = rennes_enrolments()
    assert set(rows["place_par"]) == {"annuaire"}
    assert rows.groupby("rentree_scolaire").size().to_dict() == {
        "2019": 94,
        "2020": 94,
        "2021": 94,
        "2022": 95,
    }
    lotte = rows[(rows["numero_ecole"] == "0350592D") & (rows["rentree_scolaire"] == "2022")]
    assert lotte[
        ["patronyme", "secteur", "nombre_total_classes", "nombre_total_eleves", "code_postal"]
    ].values.tolist() == [["JOSEPH LOTTE", "PUBLIC", "9", "179", "35000"]]


def test_labels_and_field_names_read_the_same(tmp_path: Path):
    from cle_pipeline.defs.sources.education_effectifs_ecoles import LABELS

    renamed = with_field_names(REAL_ENROLMENTS, LABELS, tmp_path / "api.csv")
    assert rennes_enrolments(renamed).equals(rennes_enrolments())


def test_a_header_of_neither_names_the_file_and_the_columns_found(tmp_path: Path):
    path = tmp_path / "effectifs.csv"
    path.write_text("Année;UAI;Élèves\r\n2022;0350592D;179\r\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as raised:
        rennes_enrolments(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: neither field names nor labels as header: ")
    assert "missing column(s) rentree_scolaire, commune, numero_ecole," in message
    assert "or label(s) Rentrée scolaire, Commune, Numéro de l'école," in message
    assert message.endswith("columns found: Année;UAI;Élèves")
