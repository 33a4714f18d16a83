"""`elections_presidentielle_2022` from the snapshots: exact rows and the checks guarding them."""

import pandas as pd
import pytest

from cle_pipeline.defs.datasets.elections import stations_in_every_round
from cle_pipeline.defs.datasets.elections_presidentielle_2022.assets import (
    presidential_results,
)
from cle_pipeline.defs.datasets.elections_presidentielle_2022.schema import (
    ElectionsPresidentielle2022,
)
from cle_pipeline.defs.sources import presidentielle_2022_t1, presidentielle_2022_t2
from cle_pipeline.lib.checks import evaluate
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.geo import Commune
from cle_pipeline_tests.conftest import check_outcomes, published_csv

DATASET = "elections_presidentielle_2022"
CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")
SOURCES = PROJECT_ROOT / "data" / "sources"
CHECKS = [
    "schema",
    "rows_belong_to_commune",
    "votes_sum_to_exprimes",
    "votants_equal_blancs_nuls_exprimes",
    "inscrits_equal_abstentions_votants",
    "percentages_match_counts",
    "stations_in_every_round",
    "rows_against_last_release",
]


def _snapshot_table(commune: Commune = CAUDEBEC) -> pd.DataFrame:
    rounds = [
        module.cut_commune(SOURCES / module.SOURCE.id / module.SOURCE.snapshot, commune.code, "")
        for module in (presidentielle_2022_t1, presidentielle_2022_t2)
    ]
    return presidential_results(*rounds, commune)


def test_caudebec_rows_per_round_station_and_candidate(materialize, tmp_path):
    result = materialize(DATASET)
    assert check_outcomes(result) == {f"{DATASET}:{name}": True for name in CHECKS}
    published = published_csv(tmp_path, "76165", DATASET)
    assert list(published.columns) == [
        "tour",
        "code_commune_insee",
        "nom_commune",
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
        "voix",
        "pct_voix_inscrits",
        "pct_voix_exprimes",
    ]
    # 7 stations × 12 candidates in round 1, 7 × 2 in round 2.
    assert len(published) == 7 * 12 + 7 * 2
    assert published.groupby("tour").size().to_dict() == {"1": 84, "2": 14}
    assert set(published["code_commune_insee"]) == {"76165"}
    assert set(published["nom_commune"]) == {"Caudebec-lès-Elbeuf"}
    assert published.iloc[0].tolist() == [
        "1",
        "76165",
        "Caudebec-lès-Elbeuf",
        "0001",
        "1034",
        "268",
        "766",
        "17",
        "7",
        "742",
        "1",
        "F",
        "ARTHAUD",
        "Nathalie",
        "7",
        "0.68",
        "0.94",
    ]
    # The last candidate of a ragged row is there with its own votes.
    last = published[(published["tour"] == "1") & (published["code_bureau"] == "0007")].iloc[-1]
    assert last[["numero_panneau", "nom", "prenom", "voix", "pct_voix_exprimes"]].tolist() == [
        "12",
        "DUPONT-AIGNAN",
        "Nicolas",
        "17",
        "2.24",
    ]
    round_2 = published[published["tour"] == "2"]
    assert round_2.iloc[0:2][["code_bureau", "nom", "voix", "pct_voix_inscrits"]].to_dict(
        "records"
    ) == [
        {"code_bureau": "0001", "nom": "MACRON", "voix": "303", "pct_voix_inscrits": "29.3"},
        {"code_bureau": "0001", "nom": "LE PEN", "voix": "377", "pct_voix_inscrits": "36.46"},
    ]


def test_caudebec_totals_over_the_commune():
    table = _snapshot_table()
    votes = table.groupby(["tour", "nom"])["voix"].sum()
    assert votes[1].to_dict() == {
        "ARTHAUD": 48,
        "DUPONT-AIGNAN": 101,
        "HIDALGO": 76,
        "JADOT": 174,
        "LASSALLE": 137,
        "LE PEN": 1422,
        "MACRON": 1182,
        "MÉLENCHON": 1227,
        "POUTOU": 50,
        "PÉCRESSE": 165,
        "ROUSSEL": 146,
        "ZEMMOUR": 309,
    }
    assert votes[2].to_dict() == {"LE PEN": 2171, "MACRON": 2223}
    stations = table.drop_duplicates(["tour", "code_bureau"])
    assert stations.groupby("tour")["inscrits"].sum().to_dict() == {1: 7070, 2: 7070}
    assert stations.groupby("tour")["exprimes"].sum().to_dict() == {1: 5037, 2: 4394}


def test_elbeuf_gets_its_own_stations_and_passes(materialize, tmp_path):
    result = materialize(DATASET, commune="76231")
    assert all(check_outcomes(result).values())
    published = published_csv(tmp_path, "76231", DATASET)
    assert len(published) == 5 * 12 + 5 * 2
    assert sorted(set(published["code_bureau"])) == ["0001", "0002", "0003", "0004", "0005"]
    assert set(published["nom_commune"]) == {"Elbeuf"}


@pytest.mark.parametrize(("code", "name"), [("2A004", "Ajaccio"), ("97411", "Saint-Denis")])
def test_corsican_and_overseas_communes_get_their_insee_code(materialize, tmp_path, code, name):
    result = materialize(DATASET, commune=code)
    assert all(check_outcomes(result).values())
    published = published_csv(tmp_path, code, DATASET)
    assert len(published) == 2 * 12 + 2 * 2
    assert set(published["code_commune_insee"]) == {code}
    assert set(published["nom_commune"]) == {name}


def test_a_station_whose_votes_do_not_add_up_fails_and_is_not_published(materialize, tmp_path):
    """MACRON gets 10 more votes in station 0003 while its totals stay: the check names it."""
    original = SOURCES / "presidentielle_2022_t1" / presidentielle_2022_t1.SOURCE.snapshot
    lines = original.read_bytes().decode("latin-1").split("\r\n")
    [index] = [
        i
        for i, line in enumerate(lines)
        if line.startswith("76;") and ";165;" in line and ";0003;" in line
    ]
    fields = lines[index].split(";")
    macron = 21 + 2 * 7 + 4  # third candidate block, Voix
    fields[macron] = str(int(fields[macron]) + 10)
    lines[index] = ";".join(fields)
    tampered = tmp_path / "t1.txt"
    tampered.write_bytes("\r\n".join(lines).encode("latin-1"))
    result = materialize(
        DATASET, raise_on_error=False, overrides={"presidentielle_2022_t1": str(tampered)}
    )
    outcomes = check_outcomes(result)
    assert outcomes[f"{DATASET}:votes_sum_to_exprimes"] is False
    assert outcomes[f"{DATASET}:schema"] is True
    [evaluation] = [
        e for e in result.get_asset_check_evaluations() if e.check_name == "votes_sum_to_exprimes"
    ]
    assert evaluation.metadata["failing_rows"].value == 1
    sample = evaluation.metadata["failure_sample"].value
    assert "0003" in sample and "797" in sample and "807" in sample
    assert not (tmp_path / "published" / "76165" / f"{DATASET}.csv").exists()


def test_the_schema_refuses_an_unknown_sex_and_a_duplicated_candidate():
    table = _snapshot_table()
    table.loc[0, "sexe"] = "X"
    table = pd.concat([table, table.iloc[[5]]], ignore_index=True)
    outcomes = {o.name: o for o in evaluate(table, ElectionsPresidentielle2022, [], CAUDEBEC)}
    failures = outcomes["schema"].failures
    assert failures.loc[failures["column"] == "sexe", "row"].tolist() == [1]
    assert "unique" in " ".join(failures["rule"].str.lower())


def test_a_missing_second_round_fails_for_every_station():
    table = _snapshot_table()
    missing = stations_in_every_round(table[table["tour"] == 1])
    assert missing.to_dict("list") == {
        "code_bureau": [f"000{n}" for n in range(1, 8)],
        "tour_manquant": [2] * 7,
    }
