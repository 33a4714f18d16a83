"""Legislative 2022, round 2: `resultats-par-niveau-burvot-t2-france-entiere.txt`.

Same format and polling stations as round 1 (see `legislatives_2022_t1`): two candidates per
constituency, three in 27-02 (a three-way run-off). Names and counts are SAMPLES, invented.
"""

from __future__ import annotations

from pathlib import Path

from cle_pipeline.defs.sources.election_results import LEGISLATIVE
from devtools.snapshots import legislatives_2022_t1 as first_round
from devtools.snapshots.presidentielle_2022_t1 import (
    STATIONS,
    Candidate,
    Constituency,
    Turnout,
    station_row,
    write_results,
)


def _run_off(constituency: Constituency, *weights: tuple[str, float]) -> tuple[Candidate, ...]:
    """The round-1 candidates named (by last name) who stand again, with their new weights;
    panel numbers restart at 1 in round 2."""
    by_name = {c.last_name: c for c in first_round.CANDIDATES[constituency]}
    return tuple(
        Candidate(
            panel, by_name[name].sex, name, by_name[name].first_name, weight, by_name[name].nuance
        )
        for panel, (name, weight) in enumerate(weights, start=1)
    )


CANDIDATES: dict[Constituency, tuple[Candidate, ...]] = {
    first_round.SEINE_MARITIME_4: _run_off(
        first_round.SEINE_MARITIME_4, ("MARTIN", 53.0), ("DUBOIS", 47.0)
    ),
    first_round.EURE_2: _run_off(
        first_round.EURE_2, ("BERNARD", 36.0), ("ROBERT", 38.0), ("RICHARD", 26.0)
    ),
    first_round.PARIS_1: _run_off(first_round.PARIS_1, ("THOMAS", 56.0), ("PETITJEAN", 44.0)),
    first_round.CORSE_DU_SUD_1: _run_off(
        first_round.CORSE_DU_SUD_1, ("SANTONI", 58.0), ("CASANOVA", 42.0)
    ),
    first_round.REUNION_1: _run_off(first_round.REUNION_1, ("HOARAU", 61.0), ("PAYET", 39.0)),
    first_round.ABROAD_1: _run_off(first_round.ABROAD_1, ("LECLERC", 57.0), ("NGUYEN", 43.0)),
}
TURNOUT = Turnout(voting=0.44, blank=0.052, null=0.019)
FILE_NAME = "resultats-par-niveau-burvot-t2-france-entiere.txt"


def write(folder: Path) -> list[Path]:
    rows = [
        station_row(station, CANDIDATES[station.constituency], TURNOUT, "L22T2")
        for station in STATIONS
    ]
    return [write_results(folder, FILE_NAME, LEGISLATIVE, rows)]
