"""Legislative 2022, round 1: `resultats-par-niveau-burvot-t1-france-entiere.txt`.

The presidential format with `Nuance` in each candidate block (8 fields), so that the number of
blocks varies from one constituency to the next: 9 candidates in 76-04 (Caudebec-lès-Elbeuf,
Elbeuf, Saint-Pierre-lès-Elbeuf), 7 in 27-02, 11 in 75-01, 8 in 2A-01, 13 in La Réunion's
1st, 10 for French people abroad. Same polling stations as the presidential snapshots. Nuance
codes are the Ministry's 2022 grid (NUP, ENS, RN, LR, REC, DVG…). Candidates' names and every
count are SAMPLES, invented: neither the candidates nor the results are the real ones.
"""

from __future__ import annotations

from pathlib import Path

from cle_pipeline.defs.sources.election_results import LEGISLATIVE
from devtools.snapshots.presidentielle_2022_t1 import (
    ABROAD_1,
    CORSE_DU_SUD_1,
    EURE_2,
    PARIS_1,
    REUNION_1,
    SEINE_MARITIME_4,
    STATIONS,
    Candidate,
    Constituency,
    Turnout,
    station_row,
    write_results,
)


def _ballot(*candidates: tuple[str, str, str, str, float]) -> tuple[Candidate, ...]:
    """Candidates in panel order: (sex, last name, first name, nuance, weight)."""
    return tuple(
        Candidate(panel, sex, last, first, weight, nuance)
        for panel, (sex, last, first, nuance, weight) in enumerate(candidates, start=1)
    )


CANDIDATES: dict[Constituency, tuple[Candidate, ...]] = {
    SEINE_MARITIME_4: _ballot(
        ("F", "MARTIN", "Claire", "NUP", 31.0),
        ("M", "LEROY", "Thomas", "ENS", 22.0),
        ("F", "DUBOIS", "Sandrine", "RN", 26.0),
        ("M", "MOREAU", "Philippe", "LR", 6.0),
        ("M", "GIRARD", "Julien", "REC", 4.5),
        ("F", "FONTAINE", "Hélène", "DVG", 3.5),
        ("F", "LAMBERT", "Sophie", "ECO", 3.0),
        ("F", "CARON", "Nadine", "DXG", 1.5),
        ("M", "PETIT", "Alain", "DIV", 2.5),
    ),
    EURE_2: _ballot(
        ("M", "BERNARD", "Luc", "ENS", 28.0),
        ("F", "ROBERT", "Anne", "RN", 30.0),
        ("M", "RICHARD", "Paul", "NUP", 24.0),
        ("F", "DURAND", "Marie", "LR", 9.0),
        ("M", "LEFEBVRE", "Yves", "REC", 5.0),
        ("F", "MICHEL", "Lucie", "DXG", 1.5),
        ("M", "GARCIA", "Hugo", "DSV", 2.5),
    ),
    PARIS_1: _ballot(
        ("M", "THOMAS", "Arnaud", "ENS", 38.0),
        ("F", "PETITJEAN", "Inès", "NUP", 30.0),
        ("M", "ROUX", "Charles", "LR", 9.0),
        ("F", "VINCENT", "Emma", "REC", 6.0),
        ("M", "FOURNIER", "Louis", "RN", 4.5),
        ("F", "MOREL", "Chloé", "ECO", 4.0),
        ("M", "GIRAUD", "Pierre", "DVC", 3.0),
        ("F", "ANDRE", "Camille", "DVG", 2.0),
        ("M", "MERCIER", "Victor", "UDI", 1.5),
        ("F", "BLANC", "Léa", "DXG", 1.0),
        ("M", "GUERIN", "Jules", "DIV", 1.0),
    ),
    CORSE_DU_SUD_1: _ballot(
        ("M", "SANTONI", "Ghjuvan", "REG", 33.0),
        ("M", "CASANOVA", "Marc", "ENS", 21.0),
        ("F", "PIETRI", "Laetitia", "LR", 15.0),
        ("M", "LUCIANI", "Antoine", "RN", 13.0),
        ("F", "ORSINI", "Maria", "NUP", 10.0),
        ("M", "SUSINI", "Ange", "DVD", 4.0),
        ("F", "COLONNA", "Paola", "REC", 2.5),
        ("M", "MATTEI", "Dumè", "DXG", 1.5),
    ),
    REUNION_1: _ballot(
        ("F", "HOARAU", "Josiane", "NUP", 32.0),
        ("M", "PAYET", "Jean-Max", "ENS", 18.0),
        ("M", "GRONDIN", "Patrick", "RN", 14.0),
        ("F", "FONTAINE", "Marie-Claude", "DVG", 8.0),
        ("M", "RIVIERE", "Didier", "DVD", 6.0),
        ("F", "LAURET", "Nadia", "REG", 5.0),
        ("M", "BOYER", "Sébastien", "LR", 4.0),
        ("F", "TECHER", "Sylvie", "ECO", 3.5),
        ("M", "MOUTOUSSAMY", "Éric", "DIV", 3.0),
        ("F", "ROBERT", "Corinne", "REC", 2.5),
        ("M", "SAUTRON", "Michel", "DVC", 2.0),
        ("F", "VIRAPIN", "Lucie", "DXG", 1.0),
        ("M", "ETHEVE", "Gilles", "DSV", 1.0),
    ),
    ABROAD_1: _ballot(
        ("M", "LECLERC", "Antoine", "ENS", 38.0),
        ("F", "NGUYEN", "Hélène", "NUP", 27.0),
        ("M", "DUMONT", "Olivier", "LR", 9.0),
        ("F", "BRUNET", "Agathe", "REC", 7.0),
        ("M", "COLIN", "Rémi", "ECO", 6.0),
        ("F", "BARBIER", "Manon", "RN", 5.0),
        ("M", "ARNAUD", "Félix", "DVC", 3.0),
        ("F", "RENAUD", "Zoé", "DVG", 2.5),
        ("M", "SCHMITT", "Karl", "DIV", 1.5),
        ("F", "LEMAIRE", "Inès", "DXG", 1.0),
    ),
}
TURNOUT = Turnout(voting=0.46, blank=0.017, null=0.007)
FILE_NAME = "resultats-par-niveau-burvot-t1-france-entiere.txt"


def write(folder: Path) -> list[Path]:
    rows = [
        station_row(station, CANDIDATES[station.constituency], TURNOUT, "L22T1")
        for station in STATIONS
    ]
    return [write_results(folder, FILE_NAME, LEGISLATIVE, rows)]
