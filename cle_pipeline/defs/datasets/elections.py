"""What both election datasets (`elections_presidentielle_2022`, `elections_legislatives_2022`)
share: the tidy table built from the rows of `defs/sources/election_results.py` (one row per
round × polling station × candidate, columns named as published), and the rules they check on
it: votes add up per station, totals are consistent, percentages agree with the counts, every
station is in every round.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from cle_pipeline.lib.checks import Rule
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.normalise import number_text

# -- the tidy table -----------------------------------------------------------------------------

STATION = ["tour", "code_bureau"]
TOTALS = ["inscrits", "abstentions", "votants", "blancs", "nuls", "exprimes"]


def _counts(values: pd.Series) -> pd.Series:
    # A count that is not a whole number becomes empty, and fails the schema on its row.
    numbers = pd.to_numeric(values.str.strip(), errors="coerce")
    return numbers.where(numbers == numbers.round()).astype("Int64")


def _percentages(values: pd.Series) -> pd.Series:
    # The Ministry writes percentages with a decimal comma: `25,37`.
    return pd.to_numeric(values.map(number_text), errors="coerce").astype("float64")


def tidy_round(rows: pd.DataFrame, tour: int, commune: Commune) -> pd.DataFrame:
    """One round's rows (as `read_commune_results` returns them) → the published columns:
    the station and its totals, the candidate and their votes, numbers as numbers. The
    legislative `Nuance` and the constituency are kept; each dataset picks its columns."""
    table = pd.DataFrame(
        {
            "tour": pd.array([tour] * len(rows), dtype="Int64"),
            "code_commune_insee": commune.code,
            "nom_commune": commune.name,
            "code_circonscription": rows["Code de la circonscription"].str.strip(),
            "code_bureau": rows["Code du b.vote"].str.strip(),
            "inscrits": _counts(rows["Inscrits"]),
            "abstentions": _counts(rows["Abstentions"]),
            "votants": _counts(rows["Votants"]),
            "blancs": _counts(rows["Blancs"]),
            "nuls": _counts(rows["Nuls"]),
            "exprimes": _counts(rows["Exprimés"]),
            "numero_panneau": _counts(rows["N°Panneau"]),
            "sexe": rows["Sexe"].str.strip(),
            "nom": rows["Nom"].str.strip(),
            "prenom": rows["Prénom"].str.strip(),
        },
        index=rows.index,
    )
    if "Nuance" in rows:
        table["nuance"] = rows["Nuance"].str.strip()
    table["voix"] = _counts(rows["Voix"])
    table["pct_voix_inscrits"] = _percentages(rows["% Voix/Ins"])
    table["pct_voix_exprimes"] = _percentages(rows["% Voix/Exp"])
    return table.reset_index(drop=True)


# -- the rules --------------------------------------------------------------------------------

PERCENT_TOLERANCE = 0.01


def both_rounds(
    round_1: pd.DataFrame, round_2: pd.DataFrame, commune: Commune, columns: list[str]
) -> pd.DataFrame:
    """Both rounds in one long table, one row per round × station × candidate, sorted, with
    the dataset's `columns` in their order."""
    table = pd.concat(
        [tidy_round(round_1, 1, commune), tidy_round(round_2, 2, commune)], ignore_index=True
    )
    table = table.sort_values(["tour", "code_bureau", "numero_panneau"], kind="stable")
    return table[columns].reset_index(drop=True)


def _stations(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop_duplicates(STATION)[[*STATION, *TOTALS]].reset_index(drop=True)


def _differs(left: pd.Series, right: pd.Series) -> pd.Series:
    # A missing count cannot be shown to add up: it fails.
    return (left != right).astype("boolean").fillna(True).astype(bool)


def votes_sum_to_exprimes(frame: pd.DataFrame) -> pd.DataFrame:
    """Stations whose candidates' votes do not add up to the expressed votes (`exprimes`)."""
    sums = (
        frame.groupby(STATION, sort=True)
        .agg(exprimes=("exprimes", "first"), somme_voix=("voix", "sum"))
        .reset_index()
    )
    return sums[_differs(sums["somme_voix"], sums["exprimes"])].reset_index(drop=True)


def votants_equal_blancs_nuls_exprimes(frame: pd.DataFrame) -> pd.DataFrame:
    """Stations where votants ≠ blancs + nuls + exprimes."""
    stations = _stations(frame)
    wrong = _differs(
        stations["votants"], stations["blancs"] + stations["nuls"] + stations["exprimes"]
    )
    return stations.loc[wrong, [*STATION, "votants", "blancs", "nuls", "exprimes"]].reset_index(
        drop=True
    )


def inscrits_equal_abstentions_votants(frame: pd.DataFrame) -> pd.DataFrame:
    """Stations where inscrits ≠ abstentions + votants."""
    stations = _stations(frame)
    wrong = _differs(stations["inscrits"], stations["abstentions"] + stations["votants"])
    return stations.loc[wrong, [*STATION, "inscrits", "abstentions", "votants"]].reset_index(
        drop=True
    )


def percentages_match_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Candidate rows whose published percentages differ by more than 0.01 point from the
    ones recomputed from the counts (the file rounds to 2 decimals)."""
    failures = []
    for column, denominator in (
        ("pct_voix_inscrits", "inscrits"),
        ("pct_voix_exprimes", "exprimes"),
    ):
        total = frame[denominator].astype("float64")
        recomputed = (100 * frame["voix"].astype("float64") / total).where(total > 0, 0.0)
        gap = (frame[column] - recomputed).abs()
        wrong = (gap > PERCENT_TOLERANCE + 1e-9).fillna(True)
        if wrong.any():
            failures.append(
                pd.DataFrame(
                    {
                        "tour": frame.loc[wrong, "tour"],
                        "code_bureau": frame.loc[wrong, "code_bureau"],
                        "numero_panneau": frame.loc[wrong, "numero_panneau"],
                        "nom": frame.loc[wrong, "nom"],
                        "colonne": column,
                        "valeur_publiee": frame.loc[wrong, column],
                        "valeur_recalculee": recomputed[wrong].round(4),
                    }
                )
            )
    if not failures:
        return pd.DataFrame(
            columns=["tour", "code_bureau", "numero_panneau", "nom", "colonne", "valeur_publiee"]
        )
    return pd.concat(failures, ignore_index=True)


def stations_in_every_round(frame: pd.DataFrame, *, by_constituency: bool = False) -> pd.DataFrame:
    """Polling stations missing from a round: the commune has at least one station, and the
    same stations in round 1 and round 2.

    With `by_constituency` (legislative elections), a constituency absent from round 2 is
    accepted: a candidate elected in round 1 means no round 2 there. A station missing from
    round 2 while the rest of its constituency voted is still a failure.
    """
    if frame.empty:
        return pd.DataFrame({"code_bureau": ["(aucun)"], "tour_manquant": [pd.NA]})
    keys = ["code_circonscription", "code_bureau"] if by_constituency else ["code_bureau"]
    first, second = (
        set(frame.loc[frame["tour"] == tour, keys].itertuples(index=False, name=None))
        for tour in (1, 2)
    )
    expected_second = first
    if by_constituency:
        voted_again = {station[0] for station in second}
        expected_second = {station for station in first if station[0] in voted_again}
    missing = [(*station, 1) for station in sorted(second - first)]
    missing += [(*station, 2) for station in sorted(expected_second - second)]
    return pd.DataFrame(missing, columns=[*keys, "tour_manquant"])


def results_rules(*, by_constituency: bool = False) -> list[Rule]:
    """The arithmetic every polling station's results obey, as the dataset's blocking rules
    (`by_constituency` for legislative elections: see `stations_in_every_round`)."""
    stations = (
        "La commune a au moins un bureau de vote, et les mêmes aux deux tours dans chaque "
        "circonscription où il y a eu un second tour (un député élu au premier tour signifie "
        "pas de second tour dans sa circonscription)."
        if by_constituency
        else "La commune a au moins un bureau de vote, et les mêmes aux deux tours."
    )
    return [
        Rule(
            "votes_sum_to_exprimes",
            "Par tour et bureau de vote, les voix des candidats font les suffrages exprimés.",
            votes_sum_to_exprimes,
        ),
        Rule(
            "votants_equal_blancs_nuls_exprimes",
            "Par tour et bureau de vote, votants = blancs + nuls + exprimes.",
            votants_equal_blancs_nuls_exprimes,
        ),
        Rule(
            "inscrits_equal_abstentions_votants",
            "Par tour et bureau de vote, inscrits = abstentions + votants.",
            inscrits_equal_abstentions_votants,
        ),
        Rule(
            "percentages_match_counts",
            "pct_voix_inscrits et pct_voix_exprimes égalent à 0,01 point près les voix divisées "
            "par les inscrits et par les exprimés.",
            percentages_match_counts,
        ),
        Rule(
            "stations_in_every_round",
            stations,
            partial(stations_in_every_round, by_constituency=by_constituency),
        ),
    ]
