"""`elections_legislatives_2022` from the snapshots: exact rows, and the checks that guard them."""

import pandas as pd

from cle_pipeline.defs.datasets.elections_legislatives_2022.assets import legislative_results
from cle_pipeline.defs.datasets.elections_legislatives_2022.schema import (
    ElectionsLegislatives2022,
)
from cle_pipeline.defs.sources import legislatives_2022_t1, legislatives_2022_t2
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import check_outcomes, published_csv

DATASET = "elections_legislatives_2022"
CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
SOURCES = PROJECT_ROOT / "data" / "sources"


def _snapshot_table(commune: Commune = CAUDEBEC) -> pd.DataFrame:
    rounds = [
        module.cut_commune(SOURCES / module.SOURCE.id / module.SOURCE.snapshot, commune.code, "")
        for module in (legislatives_2022_t1, legislatives_2022_t2)
    ]
    return legislative_results(*rounds, commune)


def test_caudebec_rows_per_round_station_and_candidate(materialize, tmp_path):
    result = materialize(DATASET)
    outcomes = check_outcomes(result)
    assert len(outcomes) == 8 and all(outcomes.values())
    published = published_csv(tmp_path, "76165", DATASET)
    assert list(published.columns) == [
        "tour",
        "code_commune_insee",
        "nom_commune",
        "code_circonscription",
        "code_bureau",
        "inscrits",
        "abstentions",
        "votants",
        "blancs",
        "nuls",
        "exprimes",
        "numero_panneau",
        "sexe",
        "nom",
        "prenom",
        "nuance",
        "voix",
        "pct_voix_inscrits",
        "pct_voix_exprimes",
    ]
    # 7 stations × 9 candidates of 76-04 in round 1, 7 × 2 in the run-off.
    assert len(published) == 7 * 9 + 7 * 2
    assert set(published["code_circonscription"]) == {"04"}
    assert published.iloc[0].tolist() == [
        "1",
        "76165",
        "Caudebec-lès-Elbeuf",
        "04",
        "0001",
        "1034",
        "560",
        "474",
        "8",
        "4",
        "462",
        "1",
        "F",
        "MARTIN",
        "Claire",
        "NUP",
        "125",
        "12.09",
        "27.06",
    ]
    assert published.loc[published["tour"] == "1", "nuance"].iloc[:9].tolist() == [
        "NUP",
        "ENS",
        "RN",
        "LR",
        "REC",
        "DVG",
        "ECO",
        "DXG",
        "DIV",
    ]


def test_caudebec_totals_over_the_commune():
    table = _snapshot_table()
    votes = table.groupby(["tour", "nuance"])["voix"].sum()
    assert votes[2].to_dict() == {"NUP": 1550, "RN": 1403}
    assert votes[1][["NUP", "RN", "ENS"]].tolist() == [949, 800, 668]
    stations = table.drop_duplicates(["tour", "code_bureau"])
    assert stations.groupby("tour")["votants"].sum().to_dict() == {1: 3192, 2: 3183}


def test_elbeuf_gets_its_own_stations_and_passes(materialize, tmp_path):
    result = materialize(DATASET, commune="76231")
    assert all(check_outcomes(result).values())
    published = published_csv(tmp_path, "76231", DATASET)
    assert len(published) == 5 * 9 + 5 * 2
    assert set(published["nom_commune"]) == {"Elbeuf"}


def test_overseas_constituency_with_thirteen_candidates(materialize, tmp_path):
    result = materialize(DATASET, commune="97411")
    assert all(check_outcomes(result).values())
    published = published_csv(tmp_path, "97411", DATASET)
    assert published.groupby("tour").size().to_dict() == {"1": 2 * 13, "2": 2 * 2}
    assert set(published["code_commune_insee"]) == {"97411"}


def test_an_unknown_nuance_fails_the_schema_on_its_row():
    table = _snapshot_table()
    table.loc[3, "nuance"] = "LREM"  # the 2017 label, not in the 2022 grid
    outcomes = {o.name: o for o in evaluate(table, ElectionsLegislatives2022, [], CAUDEBEC)}
    failures = outcomes["schema"].failures
    assert failures[["row", "column", "value"]].to_dict("records") == [
        {"row": 4, "column": "nuance", "value": "LREM"}
    ]
