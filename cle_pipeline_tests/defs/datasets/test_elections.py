"""The rules both election datasets check on their tidy table."""

import pandas as pd

from cle_pipeline.defs.datasets.elections import (
    inscrits_equal_abstentions_votants,
    percentages_match_counts,
    stations_in_every_round,
    votants_equal_blancs_nuls_exprimes,
    votes_sum_to_exprimes,
)
from cle_pipeline.lib.geo import Commune

CAUDEBEC = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28")


def _frame(stations: list[tuple[int, str, int, list[int]]], circonscription: str = "04"):
    """A tidy table: (tour, code_bureau, inscrits, votes per candidate), consistent totals."""
    rows = []
    for tour, station, inscrits, votes in stations:
        exprimes = sum(votes)
        votants = exprimes + 3
        for panel, count in enumerate(votes, start=1):
            rows.append(
                {
                    "tour": tour,
                    "code_circonscription": circonscription,
                    "code_bureau": station,
                    "inscrits": inscrits,
                    "abstentions": inscrits - votants,
                    "votants": votants,
                    "blancs": 2,
                    "nuls": 1,
                    "exprimes": exprimes,
                    "numero_panneau": panel,
                    "nom": f"NOM{panel}",
                    "voix": count,
                    "pct_voix_inscrits": round(100 * count / inscrits, 2),
                    "pct_voix_exprimes": round(100 * count / exprimes, 2),
                }
            )
    frame = pd.DataFrame(rows)
    for column in ["tour", "inscrits", "abstentions", "votants", "blancs", "nuls", "exprimes"]:
        frame[column] = frame[column].astype("Int64")
    frame["voix"] = frame["voix"].astype("Int64")
    return frame


def test_consistent_stations_pass_every_rule():
    frame = _frame([(1, "0001", 500, [100, 200, 50]), (2, "0001", 500, [180, 170])])
    for rule in (
        votes_sum_to_exprimes,
        votants_equal_blancs_nuls_exprimes,
        inscrits_equal_abstentions_votants,
        percentages_match_counts,
        stations_in_every_round,
    ):
        assert rule(frame).empty, rule.__name__


def test_a_station_whose_votes_do_not_add_up_is_named():
    frame = _frame([(1, "0001", 500, [100, 200]), (1, "0002", 400, [150, 100])])
    frame.loc[(frame["code_bureau"] == "0002") & (frame["numero_panneau"] == 2), "voix"] = 99
    failures = votes_sum_to_exprimes(frame)
    assert failures.to_dict("records") == [
        {"tour": 1, "code_bureau": "0002", "exprimes": 250, "somme_voix": 249}
    ]


def test_inconsistent_totals_are_named():
    frame = _frame([(1, "0001", 500, [100, 200]), (1, "0002", 400, [150, 100])])
    frame.loc[frame["code_bureau"] == "0001", "nuls"] = 4
    frame.loc[frame["code_bureau"] == "0002", "abstentions"] = 0
    assert votants_equal_blancs_nuls_exprimes(frame)["code_bureau"].tolist() == ["0001"]
    assert inscrits_equal_abstentions_votants(frame)["code_bureau"].tolist() == ["0002"]


def test_a_percentage_off_by_more_than_a_hundredth_fails():
    frame = _frame([(1, "0001", 500, [100, 200])])
    frame.loc[0, "pct_voix_exprimes"] = 33.325  # 33.33 recomputed: within the file's rounding
    frame.loc[1, "pct_voix_inscrits"] = 40.02  # 40.00 recomputed
    failures = percentages_match_counts(frame)
    assert failures[["code_bureau", "numero_panneau", "colonne", "valeur_publiee"]].to_dict(
        "records"
    ) == [
        {
            "code_bureau": "0001",
            "numero_panneau": 2,
            "colonne": "pct_voix_inscrits",
            "valeur_publiee": 40.02,
        }
    ]


def test_a_station_missing_from_a_round_is_named():
    frame = _frame(
        [(1, "0001", 500, [100, 200]), (1, "0002", 400, [1, 2]), (2, "0001", 500, [150, 150])]
    )
    assert stations_in_every_round(frame).to_dict("records") == [
        {"code_bureau": "0002", "tour_manquant": 2}
    ]
    assert stations_in_every_round(frame.iloc[:0])["code_bureau"].tolist() == ["(aucun)"]


def test_a_legislative_constituency_decided_in_round_one_needs_no_round_two():
    round_1 = _frame([(1, "0001", 500, [300, 100]), (1, "0002", 400, [250, 50])])
    assert stations_in_every_round(round_1, by_constituency=True).empty
    # Without the exception (presidential), both stations lack their round 2.
    assert stations_in_every_round(round_1)["tour_manquant"].tolist() == [2, 2]
    # But when the constituency voted again, every one of its stations must be there.
    partial = pd.concat([round_1, _frame([(2, "0001", 500, [200, 180])])], ignore_index=True)
    assert stations_in_every_round(partial, by_constituency=True).to_dict("records") == [
        {"code_circonscription": "04", "code_bureau": "0002", "tour_manquant": 2}
    ]
