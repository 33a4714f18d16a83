"""INSEE état civil, current series: `DS_ETAT_CIVIL_DECES_COMMUNES` (deaths, `DTH`).

The zip holds `DS_ETAT_CIVIL_DECES_COMMUNES_data.csv` and `…_metadata.csv`. Besides the sample
communes' `COM` rows, the file has what the national one has around them: Paris's
arrondissements (`ARM`, including `751XX`, arrondissement unknown), departments (`DEP`) and
regions (`REG`), an overseas (`97411`) and a Corsican (`2A004`) commune, and a value INSEE
declares missing (`76640` in 2013: status `M`, empty value).
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import EtatCivilPlace, write_etat_civil_series, yearly

# SAMPLE counts, plausible for each place's size; not INSEE's figures. One per year
# 2008–2024; `M` is a value INSEE declares missing.
COMMUNES = {
    "01001": yearly("4 6 3 5 5 7 5 4 6 5 7 4 6 8 5 6 4"),
    "2A004": yearly("590 601 585 607 598 611 612 630 618 641 655 649 702 688 694 671 680"),
    "75056": yearly(
        "14420 14030 14290 13910 14105 14390 14112 14562 14301 "
        "14280 14125 14097 16602 15328 15104 14807 14683"
    ),
    "76165": yearly("92 96 89 101 94 97 98 104 95 107 101 99 118 112 116 109 113"),
    "76231": yearly("195 203 190 199 206 197 201 215 198 207 211 204 229 221 226 214 218"),
    "76640": yearly("63 67 61 70 65 M 70 66 72 69 74 71 80 77 79 73 76"),
    "97411": yearly("790 806 812 829 845 861 880 902 915 921 934 940 978 990 1004 987 1012"),
}
# Never counted for Paris, whose COM row is its total.
ARRONDISSEMENTS = {
    "75101": tuple(160 + 2 * (year % 3) for year in range(17)),
    "75115": tuple(1900 + 10 * (year % 4) for year in range(17)),
    "751XX": tuple(1 + year % 3 for year in range(17)),
}
DEPARTMENTS = {
    "01": tuple(4600 + 45 * year for year in range(17)),
    "2A": tuple(1350 + 14 * year for year in range(17)),
    "75": COMMUNES["75056"],
    "76": tuple(11900 + 80 * year for year in range(17)),
    "974": tuple(4800 + 95 * year for year in range(17)),
}
REGIONS = {
    "04": DEPARTMENTS["974"],
    "11": tuple(71000 + 600 * year for year in range(17)),
    "28": tuple(31000 + 250 * year for year in range(17)),
    "84": tuple(61000 + 800 * year for year in range(17)),
    "94": tuple(2800 + 30 * year for year in range(17)),
}


def places() -> list[EtatCivilPlace]:
    return [
        *(EtatCivilPlace(geo, "COM", counts) for geo, counts in COMMUNES.items()),
        *(EtatCivilPlace(geo, "ARM", counts) for geo, counts in ARRONDISSEMENTS.items()),
        *(EtatCivilPlace(geo, "DEP", counts) for geo, counts in DEPARTMENTS.items()),
        *(EtatCivilPlace(geo, "REG", counts) for geo, counts in REGIONS.items()),
    ]


def write(folder: Path) -> list[Path]:
    return [
        write_etat_civil_series(folder, "DS_ETAT_CIVIL_DECES_COMMUNES", ("DTH", "Décès"), places())
    ]
