"""Presidential 2022, round 1: `resultats-par-niveau-burvot-t1-france-entiere.txt`.

The Ministry's format: `;`, latin-1, CRLF, no quoting, the real header naming ONE candidate
block, and ragged data rows repeating the block for each of the 12 candidates (real names and
panel numbers 1–12). Every count is a SAMPLE, generated deterministically and consistent
(votes add up to `Exprimés`, `Votants` = blancs + nuls + exprimés, `Inscrits` = abstentions
+ votants, percentages with 2 decimals and a decimal comma); none is an official result.

The sample polling stations of every 2022 election round, and the writer of the format, live
here; the three other election snapshots import them. Caudebec-lès-Elbeuf has its 7 stations
(0001–0007, constituency 76-04), Elbeuf 5, Saint-Pierre-lès-Elbeuf 3 (a neighbour the cut must
leave out); the traps: a commune `165` of another department (Eure), Ajaccio (`2A` + `004`),
Saint-Denis de La Réunion (`ZD` + `411`) and French people abroad (`ZZ`, whose commune code
`411` must not be taken for Saint-Denis).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from cle_pipeline.defs.sources.election_results import FIXED_COLUMNS, PRESIDENTIAL, ResultsFormat
from devtools.snapshots.common import output_folder


@dataclass(frozen=True)
class Constituency:
    department: str  # the Ministry's code: 76, 2A, ZD, ZZ
    department_name: str
    code: str
    name: str


@dataclass(frozen=True)
class Station:
    constituency: Constituency
    commune: str  # 3-digit code inside the department
    commune_name: str
    code: str  # Code du b.vote
    inscrits: int


@dataclass(frozen=True)
class Candidate:
    panel: int
    sex: str
    last_name: str
    first_name: str
    weight: float  # share of the votes in the samples, before per-station noise
    nuance: str = ""


@dataclass(frozen=True)
class Turnout:
    """Rates of the round, applied with a little noise per station."""

    voting: float
    blank: float  # of votants
    null: float  # of votants


SEINE_MARITIME_4 = Constituency("76", "Seine-Maritime", "04", "4ème circonscription")
EURE_2 = Constituency("27", "Eure", "02", "2ème circonscription")
PARIS_1 = Constituency("75", "Paris", "01", "1ère circonscription")
CORSE_DU_SUD_1 = Constituency("2A", "Corse-du-Sud", "01", "1ère circonscription")
REUNION_1 = Constituency("ZD", "La Réunion", "01", "1ère circonscription")
ABROAD_1 = Constituency("ZZ", "Français établis hors de France", "01", "1ère circonscription")


def _stations(
    constituency: Constituency, commune: str, name: str, inscrits: Sequence[int]
) -> list[Station]:
    return [
        Station(constituency, commune, name, f"{number:04d}", count)
        for number, count in enumerate(inscrits, start=1)
    ]


# In the national file's order: department (2A between 19 and 21, letters last), commune.
STATIONS: tuple[Station, ...] = (
    *_stations(CORSE_DU_SUD_1, "004", "Ajaccio", [1184, 1207]),
    *_stations(EURE_2, "165", "Exemple-sur-Eure", [412]),
    *_stations(PARIS_1, "056", "Paris", [1391, 1288]),
    *_stations(
        SEINE_MARITIME_4, "165", "Caudebec-lès-Elbeuf", [1034, 987, 1102, 956, 1068, 912, 1011]
    ),
    *_stations(SEINE_MARITIME_4, "231", "Elbeuf", [1121, 1045, 998, 1176, 1083]),
    *_stations(SEINE_MARITIME_4, "640", "Saint-Pierre-lès-Elbeuf", [1203, 1150, 1087]),
    *_stations(REUNION_1, "411", "Saint-Denis", [1256, 1198]),
    *_stations(ABROAD_1, "411", "Londres", [2480]),
)

CANDIDATES = (
    Candidate(1, "F", "ARTHAUD", "Nathalie", 0.9),
    Candidate(2, "M", "ROUSSEL", "Fabien", 3.1),
    Candidate(3, "M", "MACRON", "Emmanuel", 24.0),
    Candidate(4, "M", "LASSALLE", "Jean", 2.6),
    Candidate(5, "F", "LE PEN", "Marine", 27.5),
    Candidate(6, "M", "ZEMMOUR", "Éric", 6.3),
    Candidate(7, "M", "MÉLENCHON", "Jean-Luc", 24.5),
    Candidate(8, "F", "HIDALGO", "Anne", 1.6),
    Candidate(9, "M", "JADOT", "Yannick", 3.4),
    Candidate(10, "F", "PÉCRESSE", "Valérie", 3.3),
    Candidate(11, "M", "POUTOU", "Philippe", 0.9),
    Candidate(12, "M", "DUPONT-AIGNAN", "Nicolas", 1.9),
)
TURNOUT = Turnout(voting=0.72, blank=0.016, null=0.007)
FILE_NAME = "resultats-par-niveau-burvot-t1-france-entiere.txt"


def percent(part: int, whole: int) -> str:
    """`25,37`: 2 decimals, half up, decimal comma, as the Ministry writes them."""
    if whole == 0:
        return "0,00"
    value = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(value).replace(".", ",")


def _share(total: int, weights: list[float]) -> list[int]:
    # Largest remainder: the parts add up to the total exactly.
    raw = [total * weight / sum(weights) for weight in weights]
    parts = [int(value) for value in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def station_row(
    station: Station, candidates: Sequence[Candidate], turnout: Turnout, seed: str
) -> list[str]:
    """One ragged data row: the 21 fixed fields, then one block per candidate."""
    draw = random.Random(
        f"{seed}|{station.constituency.department}|{station.commune}|{station.code}"
    )
    inscrits = station.inscrits
    votants = round(inscrits * turnout.voting * draw.uniform(0.9, 1.08))
    blancs = round(votants * turnout.blank * draw.uniform(0.6, 1.4))
    nuls = round(votants * turnout.null * draw.uniform(0.5, 1.5))
    exprimes = votants - blancs - nuls
    abstentions = inscrits - votants
    votes = _share(exprimes, [c.weight * draw.uniform(0.75, 1.25) for c in candidates])
    place = station.constituency
    row = [
        place.department,
        place.department_name,
        place.code,
        place.name,
        station.commune,
        station.commune_name,
        station.code,
        str(inscrits),
        str(abstentions),
        percent(abstentions, inscrits),
        str(votants),
        percent(votants, inscrits),
        str(blancs),
        percent(blancs, inscrits),
        percent(blancs, votants),
        str(nuls),
        percent(nuls, inscrits),
        percent(nuls, votants),
        str(exprimes),
        percent(exprimes, inscrits),
        percent(exprimes, votants),
    ]
    for candidate, count in zip(candidates, votes, strict=True):
        block = [str(candidate.panel), candidate.sex, candidate.last_name, candidate.first_name]
        if candidate.nuance:
            block.append(candidate.nuance)
        row += [*block, str(count), percent(count, inscrits), percent(count, exprimes)]
    return row


def results_text(results: ResultsFormat, rows: list[list[str]]) -> bytes:
    """The whole file: header with one candidate block, ragged rows, CRLF, latin-1."""
    lines = [results.separator.join([*FIXED_COLUMNS, *results.candidate_columns])]
    lines += [results.separator.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(results.encoding)


def write_results(
    folder: Path, file_name: str, results: ResultsFormat, rows: list[list[str]]
) -> Path:
    target = output_folder(folder) / file_name
    target.write_bytes(results_text(results, rows))
    return target


def write(folder: Path) -> list[Path]:
    rows = [station_row(station, CANDIDATES, TURNOUT, "P22T1") for station in STATIONS]
    return [write_results(folder, FILE_NAME, PRESIDENTIAL, rows)]
