"""Presidential 2022, round 2: `resultats-par-niveau-burvot-t2-france-entiere.txt`.

Same format and polling stations as round 1 (see `presidentielle_2022_t1`), two candidates per
row (real names, panel numbers 1 and 2). Every count is a SAMPLE, not an official result.
"""

from __future__ import annotations

from pathlib import Path

from cle_pipeline.defs.sources.election_results import PRESIDENTIAL
from devtools.snapshots.presidentielle_2022_t1 import (
    STATIONS,
    Candidate,
    Turnout,
    station_row,
    write_results,
)

CANDIDATES = (
    Candidate(1, "M", "MACRON", "Emmanuel", 52.0),
    Candidate(2, "F", "LE PEN", "Marine", 48.0),
)
# More blank and null ballots in a two-candidate round.
TURNOUT = Turnout(voting=0.70, blank=0.062, null=0.022)
FILE_NAME = "resultats-par-niveau-burvot-t2-france-entiere.txt"


def write(folder: Path) -> list[Path]:
    rows = [station_row(station, CANDIDATES, TURNOUT, "P22T2") for station in STATIONS]
    return [write_results(folder, FILE_NAME, PRESIDENTIAL, rows)]
