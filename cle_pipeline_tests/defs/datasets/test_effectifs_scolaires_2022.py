"""`effectifs_scolaires_2022` from the snapshots and from the real files of Ille-et-Vilaine:
exact rows, and the checks that guard them."""

import json
import zipfile

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.defs.datasets.effectifs_scolaires_2022.schema import EffectifsScolaires2022
from cle_pipeline.defs.datasets.school_enrolments import (
    LEVELS_SUM_TO_TOTAL,
    ONE_ROW_PER_SCHOOL_AND_YEAR,
    counts,
    of_school_year,
    school_rows,
    school_year,
)
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import check_outcomes, published_csv
from cle_pipeline_tests.defs.sources.test_education_annuaire import REAL, REAL_DIRECTORY
from cle_pipeline_tests.defs.sources.test_education_effectifs_ecoles import REAL_ENROLMENTS

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
CHECKS = {
    "effectifs_scolaires_2022:schema": True,
    "effectifs_scolaires_2022:rows_belong_to_commune": True,
    "effectifs_scolaires_2022:levels_sum_to_total": True,
    "effectifs_scolaires_2022:one_row_per_school_and_year": True,
    "effectifs_scolaires_2022:rows_against_last_release": True,
}
RULES = [LEVELS_SUM_TO_TOTAL, ONE_ROW_PER_SCHOOL_AND_YEAR]


@pytest.fixture
def rennes_from_real_files(tmp_path) -> dict[str, str]:
    """Rennes (35238) as a user would run it: INSEE's real COG 2024 zipped as INSEE ships it,
    a SAMPLE outline (a box around the city, not IGN's geometry: no school is placed by its
    position), and the school files as the portal's web page gives them."""
    cog = tmp_path / "cog_ensemble_2024_csv.zip"
    with zipfile.ZipFile(cog, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(REAL / "v_commune_2024.csv", "v_commune_2024.csv")
    outline = tmp_path / "35238.geojson"
    box = [[-1.75, 48.07], [-1.62, 48.07], [-1.62, 48.15], [-1.75, 48.15], [-1.75, 48.07]]
    outline.write_text(json.dumps({"type": "Polygon", "coordinates": [box]}))
    return {
        "cog_communes": str(cog),
        "commune_contours": str(outline),
        "education_annuaire": str(REAL_DIRECTORY),
        "education_effectifs_ecoles": str(REAL_ENROLMENTS),
    }


def test_rennes_schools_at_rentree_2022_from_the_portals_web_export(
    materialize, tmp_path, rennes_from_real_files
):
    result = materialize(
        "effectifs_scolaires_2022", commune="35238", overrides=rennes_from_real_files
    )
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "35238", "effectifs_scolaires_2022")
    assert len(published) == 95
    assert set(published["nom_commune"]) == {"Rennes"}
    assert set(published["rentree_scolaire"]) == {"2022"}
    assert published["nombre_total_eleves"].astype(int).sum() == 18_803
    assert published["secteur"].value_counts().to_dict() == {"public": 77, "privé": 18}
    assert (published["rep"] == "true").sum() == 18
    assert (published["rep_plus"] == "true").sum() == 5
    # Empty: the web export of rentrée 2022 has no UEEA column.
    assert published.iloc[0].tolist() == [
        "2022", "35238", "Rennes", "0350592D", "ECOLE ELEMENTAIRE PUBLIQUE", "JOSEPH LOTTE",
        "public", "false", "false", "9", "179", "0", "170", "9", "", "48", "31", "32", "26", "33",
    ]  # fmt: skip
    directory = result.asset_materializations_for_node("education_annuaire")[0].metadata
    assert directory["rows_for_commune"] == dg.IntMetadataValue(193)
    assert directory["schools_in_commune"] == dg.IntMetadataValue(97)
    metadata = result.asset_materializations_for_node("effectifs_scolaires_2022")[0].metadata
    assert metadata["pupils"] == dg.IntMetadataValue(18_803)


def test_caudebec_schools_at_rentree_2022(materialize, tmp_path):
    result = materialize("effectifs_scolaires_2022")
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "76165", "effectifs_scolaires_2022")
    assert list(published.columns) == [
        "rentree_scolaire",
        "code_commune_insee",
        "nom_commune",
        "numero_ecole",
        "denomination_principale",
        "patronyme",
        "secteur",
        "rep",
        "rep_plus",
        "nombre_total_classes",
        "nombre_total_eleves",
        "nombre_eleves_preelementaire_hors_ulis",
        "nombre_eleves_elementaire_hors_ulis",
        "nombre_eleves_ulis",
        "nombre_eleves_ueea",
        "nombre_eleves_cp_hors_ulis",
        "nombre_eleves_ce1_hors_ulis",
        "nombre_eleves_ce2_hors_ulis",
        "nombre_eleves_cm1_hors_ulis",
        "nombre_eleves_cm2_hors_ulis",
    ]
    # Four schools: three public, one private; the maternelle closed in 2021 is not there.
    assert published["numero_ecole"].tolist() == ["0761587M", "0761588N", "0761589P", "0761590R"]
    assert published["patronyme"].tolist() == [
        "GEORGE SAND",
        "JEAN JAURES",
        "VICTOR HUGO",
        "SAINT JOSEPH",
    ]
    assert published["secteur"].tolist() == ["public", "public", "public", "privé"]
    assert set(published["rentree_scolaire"]) == {"2022"}
    assert set(published["code_commune_insee"]) == {"76165"}
    assert set(published["nom_commune"]) == {"Caudebec-lès-Elbeuf"}
    assert published["nombre_total_eleves"].tolist() == ["101", "211", "201", "120"]
    jean_jaures = published.set_index("numero_ecole").loc["0761588N"]
    assert jean_jaures.loc["nombre_total_classes":"nombre_eleves_cm2_hors_ulis"].tolist() == [
        "10",  # classes
        "211",  # total
        "0",  # préélémentaire
        "199",  # élémentaire
        "12",  # ULIS
        "",  # UEEA: counted apart only from rentrée 2024
        "37",
        "41",
        "38",
        "40",
        "43",
    ]
    assert published["rep"].tolist() == ["false"] * 4


def test_elbeuf_passes_every_check(materialize, tmp_path):
    result = materialize("effectifs_scolaires_2022", commune="76231")
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "76231", "effectifs_scolaires_2022")
    assert published["patronyme"].tolist() == ["ALPHONSE DAUDET", "GEORGES BRASSENS", "CONDORCET"]
    assert published["rep"].tolist() == ["true", "true", "false"]


def test_levels_that_do_not_add_up_fail_the_check_naming_the_school():
    raw = pd.DataFrame(
        {
            "rentree_scolaire": ["2022", "2022"],
            "commune": ["CAUDEBEC-LES-ELBEUF"] * 2,
            "numero_ecole": ["0761588N", "0761589P"],
            "denomination_principale": ["ECOLE ELEMENTAIRE PUBLIQUE", "ECOLE PRIMAIRE PUBLIQUE"],
            "patronyme": ["JEAN JAURES", "VICTOR HUGO"],
            "secteur": ["PUBLIC", "PUBLIC"],
            "rep": ["0", "0"],
            "rep_plus": ["0", "0"],
            "nombre_total_classes": ["10", "8"],
            # Victor Hugo: 78 + 123 + 0 = 201, but the row says 210.
            "nombre_total_eleves": ["211", "210"],
            "nombre_eleves_preelementaire_hors_ulis": ["0", "78"],
            "nombre_eleves_elementaire_hors_ulis": ["199", "123"],
            "nombre_eleves_ulis": ["12", "0"],
            "nombre_eleves_cp_hors_ulis": ["37", "23"],
            "nombre_eleves_ce1_hors_ulis": ["41", "26"],
            "nombre_eleves_ce2_hors_ulis": ["38", "23"],
            "nombre_eleves_cm1_hors_ulis": ["40", "25"],
            "nombre_eleves_cm2_hors_ulis": ["43", "26"],
        }
    )
    table = of_school_year(school_rows(raw, CAUDEBEC), 2022)
    outcomes = {o.name: o for o in evaluate(table, EffectifsScolaires2022, RULES, CAUDEBEC)}
    assert outcomes["schema"].passed
    failures = outcomes["levels_sum_to_total"].failures
    assert failures[["numero_ecole", "patronyme", "ligne"]].values.tolist() == [
        ["0761589P", "VICTOR HUGO", 2]
    ]
    assert failures.loc[0, "valeur_publiee"] == 210
    assert failures.loc[0, "somme_des_niveaux"] == 201


def test_ueea_pupils_count_in_the_total_when_the_file_gives_them():
    raw = pd.DataFrame(
        {
            "rentree_scolaire": ["2024"],
            "commune": ["CAUDEBEC-LES-ELBEUF"],
            "numero_ecole": ["0761589P"],
            "denomination_principale": ["ECOLE PRIMAIRE PUBLIQUE"],
            "patronyme": ["VICTOR HUGO"],
            "secteur": ["PUBLIC"],
            "rep": ["0"],
            "rep_plus": ["0"],
            "nombre_total_classes": ["9"],
            "nombre_total_eleves": ["207.0"],
            "nombre_eleves_preelementaire_hors_ulis": ["78"],
            "nombre_eleves_elementaire_hors_ulis": ["123"],
            "nombre_eleves_ulis": ["0"],
            "nombre_eleves_ueea": ["6"],
            "nombre_eleves_cp_hors_ulis": ["23"],
            "nombre_eleves_ce1_hors_ulis": ["26"],
            "nombre_eleves_ce2_hors_ulis": ["23"],
            "nombre_eleves_cm1_hors_ulis": ["25"],
            "nombre_eleves_cm2_hors_ulis": ["26"],
        }
    )
    table = school_rows(raw, CAUDEBEC)
    assert table.loc[0, "nombre_total_eleves"] == 207
    assert LEVELS_SUM_TO_TOTAL.failing_rows(table).empty


def test_a_school_listed_twice_in_a_year_fails_naming_it():
    table = pd.DataFrame(
        {
            "rentree_scolaire": [2022, 2022, 2022],
            "numero_ecole": ["0761587M", "0761588N", "0761587M"],
        }
    )
    failures = ONE_ROW_PER_SCHOOL_AND_YEAR.failing_rows(table)
    assert failures[["numero_ecole", "ligne"]].values.tolist() == [["0761587M", 1], ["0761587M", 3]]


def test_an_unreadable_school_year_is_kept_for_the_check_to_name():
    rows = pd.DataFrame({"rentree_scolaire": pd.array([2021, 2022, None], dtype="Int64")})
    assert of_school_year(rows, 2022)["rentree_scolaire"].tolist() == [2022, pd.NA]


@pytest.mark.parametrize(
    ("written", "year"),
    [("2022", 2022), (" 2022 ", 2022), ("2022-2023", 2022), ("22", None), ("", None), (None, None)],
)
def test_school_year(written, year):
    assert school_year(written) == year


def test_counts_accept_integers_written_as_decimals_and_reject_the_rest():
    read = counts(pd.Series(["125", "125.0", "", "12,5", "-3", None]))
    assert read.tolist() == [125, 125, pd.NA, pd.NA, -3, pd.NA]
