"""`naissances_deces` from the INSEE snapshots: exact rows, and the checks that guard them."""

import pandas as pd

from cle_pipeline.defs.datasets.naissances_deces.assets import births_and_deaths, missing_years
from cle_pipeline.defs.datasets.naissances_deces.schema import NaissancesDeces
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import check_outcomes, published_csv

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")


def test_caudebec_births_and_deaths_per_year(materialize, tmp_path):
    result = materialize("naissances_deces")
    assert check_outcomes(result) == {
        "naissances_deces:schema": True,
        "naissances_deces:every_year_present_once": True,
    }
    published = published_csv(tmp_path, "76165", "naissances_deces")
    assert list(published.columns) == [
        "code_commune_insee",
        "nom_commune",
        "annee",
        "naissances",
        "deces",
    ]
    assert published["annee"].tolist() == [str(year) for year in range(2014, 2022)]
    assert published["naissances"].tolist() == [
        "121",
        "118",
        "126",
        "109",
        "115",
        "112",
        "104",
        "110",
    ]
    assert published["deces"].tolist() == ["98", "104", "95", "107", "101", "99", "118", "112"]
    assert set(published["nom_commune"]) == {"Caudebec-lès-Elbeuf"}


def test_a_second_commune_gets_its_own_rows(materialize, tmp_path):
    materialize("naissances_deces", commune="76231")
    published = published_csv(tmp_path, "76231", "naissances_deces")
    assert published.iloc[0].tolist() == ["76231", "Elbeuf", "2014", "270", "201"]


def test_a_year_missing_from_one_file_fails_the_schema_and_a_gap_fails_the_rule():
    births = pd.DataFrame({"annee": [2014, 2015, 2017], "valeur": ["1", "2", "3"]})
    deaths = pd.DataFrame({"annee": [2014, 2015], "valeur": ["4", "x"]})
    table = births_and_deaths(births, deaths, CAUDEBEC)
    outcomes = {o.name: o for o in evaluate(table, NaissancesDeces, [], CAUDEBEC)}
    failures = outcomes["schema"].failures
    # 2015 has a non-numeric death count, 2017 has none: both rows are named.
    assert sorted(failures.loc[failures["column"] == "deces", "row"].tolist()) == [2, 3]
    assert missing_years(table, CAUDEBEC)["annee_manquante"].tolist() == [2016]
