"""`naissances_deces` from the INSEE snapshots (the current series, 2008–2024): exact rows, a
value INSEE declares missing published empty, the wide files still read, and the checks."""

import zipfile

import pandas as pd

from cle_pipeline.defs.datasets.naissances_deces.assets import births_and_deaths, missing_years
from cle_pipeline.defs.datasets.naissances_deces.schema import NaissancesDeces
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import check_outcomes, failure_messages, published_csv

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
# The SAMPLE counts of the snapshots for 76165, 2008 to 2024.
BIRTHS_76165 = [
    str(n)
    for n in (131, 127, 135, 124, 129, 122, 121, 118, 126, 109, 115, 112, 104, 110, 106, 101, 97)
]
DEATHS_76165 = [
    str(n) for n in (92, 96, 89, 101, 94, 97, 98, 104, 95, 107, 101, 99, 118, 112, 116, 109, 113)
]


def test_caudebec_births_and_deaths_for_every_year_of_the_series(materialize, tmp_path):
    result = materialize("naissances_deces")
    assert check_outcomes(result) == {
        "naissances_deces:schema": True,
        "naissances_deces:rows_belong_to_commune": True,
        "naissances_deces:every_year_present_once": True,
        "naissances_deces:rows_against_last_release": True,
    }
    published = published_csv(tmp_path, "76165", "naissances_deces")
    assert list(published.columns) == [
        "code_commune_insee",
        "nom_commune",
        "annee",
        "naissances",
        "deces",
    ]
    assert published["annee"].tolist() == [str(year) for year in range(2008, 2025)]
    assert published["naissances"].tolist() == BIRTHS_76165
    assert published["deces"].tolist() == DEATHS_76165
    assert set(published["nom_commune"]) == {"Caudebec-lès-Elbeuf"}
    assert set(published["code_commune_insee"]) == {"76165"}


def test_a_second_commune_gets_its_own_rows(materialize, tmp_path):
    materialize("naissances_deces", commune="76231")
    published = published_csv(tmp_path, "76231", "naissances_deces")
    assert published.iloc[0].tolist() == ["76231", "Elbeuf", "2008", "291", "195"]
    assert published.iloc[-1].tolist() == ["76231", "Elbeuf", "2024", "219", "218"]


def test_a_value_insee_declares_missing_is_published_empty_not_zero(materialize, tmp_path):
    # Saint-Pierre-lès-Elbeuf's deaths of 2013 have status M in the deaths snapshot.
    result = materialize("naissances_deces", commune="76640")
    assert all(check_outcomes(result).values())
    lines = (tmp_path / "published" / "76640" / "naissances_deces.csv").read_text().splitlines()
    assert "76640,Saint-Pierre-lès-Elbeuf,2013,96," in lines
    assert "76640,Saint-Pierre-lès-Elbeuf,2012,102,65" in lines
    assert len(lines) == 1 + 17


def test_paris_is_its_commune_row_not_its_arrondissements_added(materialize, tmp_path):
    materialize("naissances_deces", commune="75056")
    published = published_csv(tmp_path, "75056", "naissances_deces")
    assert published.iloc[0].tolist() == ["75056", "Paris", "2008", "31712", "14420"]


def test_the_wide_files_of_2021_are_still_read(materialize, tmp_path):
    overrides = {}
    for source_id, base, prefix, values in (
        ("insee_naissances", "base_naissances_2021", "NAISD", BIRTHS_76165[6:14]),
        ("insee_deces", "base_deces_2021", "DECESD", DEATHS_76165[6:14]),
    ):
        header = ";".join(["CODGEO", *(f"{prefix}{year}" for year in range(14, 22))])
        text = f"{header}\n76231;1;2;3;4;5;6;7;8\n76165;{';'.join(values)}\n"
        archive = tmp_path / f"{base}_csv.zip"
        with zipfile.ZipFile(archive, "w") as opened:
            opened.writestr(f"{base}.csv", text)
        overrides[source_id] = str(archive)
    result = materialize("naissances_deces", overrides=overrides)
    assert all(check_outcomes(result).values())
    published = published_csv(tmp_path, "76165", "naissances_deces")
    assert published["annee"].tolist() == [str(year) for year in range(2014, 2022)]
    assert published["naissances"].tolist() == BIRTHS_76165[6:14]
    assert published["deces"].tolist() == DEATHS_76165[6:14]


def test_a_count_that_is_not_a_number_stops_the_source_with_file_column_and_line(
    materialize, tmp_path
):
    broken = tmp_path / "naissances.csv.zip"
    with zipfile.ZipFile(broken, "w") as opened:
        opened.writestr(
            "DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv",
            "EC_MEASURE;FREQ;GEO;GEO_OBJECT;OBS_STATUS;TIME_PERIOD;OBS_VALUE\n"
            "LVB;A;76165;COM;A;2008;131\nLVB;A;76165;COM;A;2009;x\n",
        )
    result = materialize(
        "naissances_deces", raise_on_error=False, overrides={"insee_naissances": str(broken)}
    )
    assert not result.success
    message = failure_messages(result)["insee_naissances"].strip()
    assert message.endswith(
        f"{broken}: line 3, column OBS_VALUE: 'x' is not a count (OBS_STATUS A)"
    )


def frame(years, values):
    return pd.DataFrame({"annee": years, "valeur": pd.array(values, dtype="Int64")})


def test_a_year_missing_from_one_source_and_a_gap_fail_the_rule_not_the_schema():
    births = frame([2014, 2015, 2017], [1, 2, None])
    deaths = frame([2014, 2015], [4, 5])
    table = births_and_deaths(births, deaths, CAUDEBEC)
    outcomes = {o.name: o for o in evaluate(table, NaissancesDeces, [], CAUDEBEC)}
    # Empty values are allowed by the schema (INSEE's missing values)...
    assert outcomes["schema"].passed
    assert table["naissances"].isna().tolist() == [False, False, True]
    # ...so the rule tells a year one source lacks from a value declared missing.
    assert missing_years(table, births, deaths).to_dict("records") == [
        {"annee": 2016, "absente_de": "naissances, décès"},
        {"annee": 2017, "absente_de": "décès"},
    ]


def test_a_negative_count_fails_the_schema():
    table = births_and_deaths(frame([2014], [-1]), frame([2014], [3]), CAUDEBEC)
    failures = evaluate(table, NaissancesDeces, [], CAUDEBEC)[0].failures
    assert failures[["row", "column", "value"]].values.tolist() == [[1, "naissances", "-1"]]


def test_a_wide_births_file_beside_the_current_deaths_fails_the_rule(materialize, tmp_path):
    # 2014–2021 births against 2008–2024 deaths: the years births lack are not published as
    # if INSEE had declared them missing; the blocking rule names them.
    archive = tmp_path / "base_naissances_2021_csv.zip"
    header = ";".join(["CODGEO", *(f"NAISD{year}" for year in range(14, 22))])
    with zipfile.ZipFile(archive, "w") as opened:
        opened.writestr(
            "base_naissances_2021.csv", f"{header}\n76165;{';'.join(BIRTHS_76165[6:14])}\n"
        )
    result = materialize(
        "naissances_deces", raise_on_error=False, overrides={"insee_naissances": str(archive)}
    )
    assert check_outcomes(result) == {
        "naissances_deces:schema": True,
        "naissances_deces:rows_belong_to_commune": True,
        "naissances_deces:every_year_present_once": False,
        "naissances_deces:rows_against_last_release": True,
    }
    [evaluation] = [
        e for e in result.get_asset_check_evaluations() if e.check_name == "every_year_present_once"
    ]
    assert evaluation.metadata["failing_rows"].value == 9  # 2008–2013 and 2022–2024
    assert not (tmp_path / "published" / "76165" / "naissances_deces.csv").exists()
