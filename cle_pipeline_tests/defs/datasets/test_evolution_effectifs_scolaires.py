"""`evolution_effectifs_scolaires` from the snapshots: school rows, commune totals, checks."""

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.evolution_effectifs_scolaires.assets import (
    totals_differing_from_schools,
    with_commune_totals,
)
from cle_pipeline.defs.datasets.evolution_effectifs_scolaires.schema import (
    EvolutionEffectifsScolaires,
)
from cle_pipeline.defs.datasets.school_enrolments import school_rows
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import check_outcomes, published_csv
from cle_pipeline_tests.defs.datasets.test_effectifs_scolaires_2022 import (
    rennes_from_real_files,  # noqa: F401 (a fixture)
)

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
CHECKS = {
    "evolution_effectifs_scolaires:schema": True,
    "evolution_effectifs_scolaires:rows_belong_to_commune": True,
    "evolution_effectifs_scolaires:levels_sum_to_total": True,
    "evolution_effectifs_scolaires:one_row_per_school_and_year": True,
    "evolution_effectifs_scolaires:commune_totals_equal_sum_of_schools": True,
    "evolution_effectifs_scolaires:rows_against_last_release": True,
}
OLDER_EXPORT = (
    PROJECT_ROOT
    / "data"
    / "sources"
    / "education_effectifs_ecoles"
    / "fr-en-ecoles-effectifs-nb_classes-export-2023.csv"
)


def test_caudebec_schools_and_totals_per_year(materialize, tmp_path):
    result = materialize("evolution_effectifs_scolaires")
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "76165", "evolution_effectifs_scolaires")
    assert list(published.columns[:12]) == [
        "niveau_agregation",
        "rentree_scolaire",
        "code_commune_insee",
        "nom_commune",
        "numero_ecole",
        "denomination_principale",
        "patronyme",
        "secteur",
        "rep",
        "rep_plus",
        "nombre_ecoles",
        "nombre_total_classes",
    ]
    assert len(published) == 5 + 1 + 5 + 1 + 4 + 1 + 4 + 1 + 4 + 1
    totals = published[published["niveau_agregation"] == "commune"]
    assert totals["rentree_scolaire"].tolist() == ["2019", "2020", "2021", "2022", "2023"]
    assert totals["nombre_total_eleves"].tolist() == ["696", "677", "634", "633", "614"]
    assert totals["nombre_ecoles"].tolist() == ["5", "5", "4", "4", "4"]
    assert totals["nombre_total_classes"].tolist() == ["29", "29", "27", "27", "27"]
    assert totals["nombre_eleves_preelementaire_hors_ulis"].tolist() == [
        "276",
        "264",
        "222",
        "221",
        "212",
    ]
    assert totals["nombre_eleves_cp_hors_ulis"].tolist() == ["78", "73", "82", "74", "71"]
    # A total names no school, and has no UEEA count where no school has one.
    assert set(totals["numero_ecole"]) == {""}
    assert set(totals["secteur"]) == {""}
    assert set(totals["nombre_eleves_ueea"]) == {""}
    # Each year lists its schools first, by UAI, then the commune's total.
    assert published.loc[:5, "numero_ecole"].tolist() == [
        "0761587M",
        "0761588N",
        "0761589P",
        "0761590R",
        "0761591S",
        "",
    ]
    victor_hugo = published[published["numero_ecole"] == "0761589P"]
    assert victor_hugo["nombre_total_eleves"].tolist() == ["196", "193", "196", "201", "194"]
    # The maternelle that closed after rentrée 2020: its two years, then nothing.
    closed = published[published["numero_ecole"] == "0761591S"]
    assert closed["rentree_scolaire"].tolist() == ["2019", "2020"]
    assert closed["nombre_total_eleves"].tolist() == ["48", "44"]
    # Saint-Pierre-lès-Elbeuf's schools share the postal code 76320 and stay out.
    assert not published["numero_ecole"].isin(["0761720G", "0761721H", "0761722J"]).any()

    metadata = {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    placed = metadata["education_effectifs_ecoles"]
    assert placed["rows_placed_by_name"].value == 2
    assert placed["schools_placed_by_name"].value == "0761591S"


def test_elbeuf_passes_every_check(materialize, tmp_path):
    result = materialize("evolution_effectifs_scolaires", commune="76231")
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "76231", "evolution_effectifs_scolaires")
    totals = published[published["niveau_agregation"] == "commune"]
    assert totals["nombre_ecoles"].tolist() == ["3"] * 5


def test_rennes_over_four_rentrees_from_the_portals_web_export(
    materialize,
    tmp_path,
    rennes_from_real_files,  # noqa: F811
):
    result = materialize(
        "evolution_effectifs_scolaires", commune="35238", overrides=rennes_from_real_files
    )
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "35238", "evolution_effectifs_scolaires")
    totals = published[published["niveau_agregation"] == "commune"]
    assert totals[["rentree_scolaire", "nombre_ecoles", "nombre_total_eleves"]].values.tolist() == [
        ["2019", "94", "18942"],
        ["2020", "94", "18931"],
        ["2021", "94", "18717"],
        ["2022", "95", "18803"],
    ]
    lotte = published[published["numero_ecole"] == "0350592D"]
    assert lotte[["rentree_scolaire", "nombre_total_eleves"]].values.tolist() == [
        ["2019", "203"],
        ["2020", "195"],
        ["2021", "192"],
        ["2022", "179"],
    ]


def test_paris_finds_its_school_under_its_arrondissement(materialize, tmp_path):
    result = materialize("evolution_effectifs_scolaires", commune="75056")
    assert check_outcomes(result) == CHECKS
    published = published_csv(tmp_path, "75056", "evolution_effectifs_scolaires")
    assert set(published["numero_ecole"]) == {"0750511Y", ""}


def test_the_older_export_gives_the_same_rows_for_its_years(materialize, tmp_path):
    materialize("evolution_effectifs_scolaires")
    current = published_csv(tmp_path, "76165", "evolution_effectifs_scolaires")
    result = materialize(
        "evolution_effectifs_scolaires", overrides={"education_effectifs_ecoles": str(OLDER_EXPORT)}
    )
    assert check_outcomes(result) == CHECKS
    older = published_csv(tmp_path, "76165", "evolution_effectifs_scolaires")
    assert older.equals(current[current["rentree_scolaire"] <= "2022"].reset_index(drop=True))


def test_a_total_that_is_not_the_sum_of_the_schools_fails():
    schools = pd.DataFrame(
        {
            "rentree_scolaire": pd.array([2022, 2022], dtype="Int64"),
            "code_commune_insee": "76165",
            "nom_commune": "Caudebec-lès-Elbeuf",
            "numero_ecole": ["0761587M", "0761588N"],
            "denomination_principale": ["ECOLE MATERNELLE PUBLIQUE", "ECOLE ELEMENTAIRE PUBLIQUE"],
            "patronyme": ["GEORGE SAND", "JEAN JAURES"],
            "secteur": ["public", "public"],
            "rep": ["false", "false"],
            "rep_plus": ["false", "false"],
            **{
                name: pd.array(values, dtype="Int64")
                for name, values in {
                    "nombre_total_classes": [4, 10],
                    "nombre_total_eleves": [101, 211],
                    "nombre_eleves_preelementaire_hors_ulis": [101, 0],
                    "nombre_eleves_elementaire_hors_ulis": [0, 199],
                    "nombre_eleves_ulis": [0, 12],
                    "nombre_eleves_ueea": [None, None],
                    "nombre_eleves_cp_hors_ulis": [0, 37],
                    "nombre_eleves_ce1_hors_ulis": [0, 41],
                    "nombre_eleves_ce2_hors_ulis": [0, 38],
                    "nombre_eleves_cm1_hors_ulis": [0, 40],
                    "nombre_eleves_cm2_hors_ulis": [0, 43],
                }.items()
            },
        }
    ).astype({name: "str" for name in ("numero_ecole", "secteur", "rep", "rep_plus")})
    table = with_commune_totals(schools, CAUDEBEC)
    assert evaluate(table, EvolutionEffectifsScolaires, [], CAUDEBEC)[0].passed
    assert totals_differing_from_schools(table).empty

    tampered = table.copy()
    tampered.loc[tampered["niveau_agregation"] == "commune", "nombre_total_eleves"] = 300
    failures = totals_differing_from_schools(tampered)
    assert failures.values.tolist() == [[2022, "nombre_total_eleves", 300, 312]]

    without_total = table[table["niveau_agregation"] == "ecole"].reset_index(drop=True)
    assert totals_differing_from_schools(without_total)["colonne"].tolist() == ["(ligne commune)"]


def test_a_total_row_carrying_a_uai_fails_the_schema():
    raw_table = with_commune_totals(
        school_rows(
            pd.DataFrame(
                {
                    "rentree_scolaire": ["2022"],
                    "numero_ecole": ["0761587M"],
                    "denomination_principale": ["ECOLE MATERNELLE PUBLIQUE"],
                    "patronyme": ["GEORGE SAND"],
                    "secteur": ["PUBLIC"],
                    "rep": ["0"],
                    "rep_plus": ["0"],
                    "nombre_total_classes": ["4"],
                    "nombre_total_eleves": ["101"],
                    "nombre_eleves_preelementaire_hors_ulis": ["101"],
                    "nombre_eleves_elementaire_hors_ulis": ["0"],
                    "nombre_eleves_ulis": ["0"],
                    "nombre_eleves_cp_hors_ulis": ["0"],
                    "nombre_eleves_ce1_hors_ulis": ["0"],
                    "nombre_eleves_ce2_hors_ulis": ["0"],
                    "nombre_eleves_cm1_hors_ulis": ["0"],
                    "nombre_eleves_cm2_hors_ulis": ["0"],
                }
            ),
            CAUDEBEC,
        ),
        CAUDEBEC,
    )
    raw_table.loc[1, "numero_ecole"] = "TOTAL"
    failures = evaluate(raw_table, EvolutionEffectifsScolaires, [], CAUDEBEC)[0].failures
    assert set(failures["row"]) == {2}


def test_the_graph_places_enrolments_through_the_directory(definitions):
    graph = definitions.resolve_asset_graph()

    def node(name: str):
        return graph.get(dg.AssetKey(name))

    assert node("education_annuaire").parent_keys == {dg.AssetKey("commune")}
    assert node("education_effectifs_ecoles").parent_keys == {
        dg.AssetKey("commune"),
        dg.AssetKey("education_annuaire"),
    }
    for dataset in ("effectifs_scolaires_2022", "evolution_effectifs_scolaires"):
        assert node(dataset).parent_keys == {
            dg.AssetKey("commune"),
            dg.AssetKey("education_effectifs_ecoles"),
        }
        assert node(dataset).group_name == "published"
    assert {key.name for key in node("evolution_effectifs_scolaires").check_keys} == {
        "schema",
        "rows_belong_to_commune",
        "levels_sum_to_total",
        "one_row_per_school_and_year",
        "commune_totals_equal_sum_of_schools",
        "rows_against_last_release",
    }
