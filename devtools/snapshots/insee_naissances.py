"""INSEE état civil, current series: `DS_ETAT_CIVIL_NAIS_COMMUNES` (live births, `LVB`).

The zip holds `DS_ETAT_CIVIL_NAIS_COMMUNES_data.csv` and `…_metadata.csv`. Besides the sample
communes' `COM` rows, the file has what the national one has around them: Paris's
arrondissements (`ARM`, including `751XX`, arrondissement unknown), departments (`DEP`) and
regions (`REG`), an overseas (`97411`) and a Corsican (`2A004`) commune, and a value INSEE
declares missing (`01001` in 2008: status `M`, empty value).
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import EtatCivilPlace, write_etat_civil_series, yearly

# SAMPLE counts, plausible for each place's size; not INSEE's figures. One per year
# 2008–2024; `M` is a value INSEE declares missing.
COMMUNES = {
    "01001": yearly("M 7 9 8 11 6 8 9 7 10 6 8 9 7 6 8 5"),
    "2A004": yearly("845 838 851 829 833 824 820 805 790 812 776 760 741 755 738 726 712"),
    "75056": yearly(
        "31712 31455 31303 30850 30192 29410 28267 27802 27093 "
        "26211 25403 24672 23142 23359 22409 21436 20860"
    ),
    "76165": yearly("131 127 135 124 129 122 121 118 126 109 115 112 104 110 106 101 97"),
    "76231": yearly("291 285 280 276 272 268 270 262 255 259 248 244 236 240 231 225 219"),
    "76640": yearly("104 99 107 98 102 96 95 101 92 97 88 90 86 91 84 87 80"),
    "97411": yearly(
        "2290 2275 2262 2248 2236 2221 2210 2190 2175 2160 2140 2105 2080 2095 2070 2046 2031"
    ),
}
# Never counted for Paris, whose COM row is its total.
ARRONDISSEMENTS = {
    "75101": tuple(190 - 3 * year for year in range(17)),
    "75115": tuple(2710 - 40 * year for year in range(17)),
    "751XX": tuple(3 + year % 2 for year in range(17)),
}
DEPARTMENTS = {
    "01": tuple(8100 - 35 * year for year in range(17)),
    "2A": tuple(1590 - 12 * year for year in range(17)),
    "75": COMMUNES["75056"],
    "76": tuple(15100 - 160 * year for year in range(17)),
    "974": tuple(14300 - 90 * year for year in range(17)),
}
REGIONS = {
    "04": DEPARTMENTS["974"],
    "11": tuple(183000 - 1500 * year for year in range(17)),
    "28": tuple(37500 - 420 * year for year in range(17)),
    "84": tuple(99000 - 1100 * year for year in range(17)),
    "94": tuple(3400 - 25 * year for year in range(17)),
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
        write_etat_civil_series(
            folder,
            "DS_ETAT_CIVIL_NAIS_COMMUNES",
            ("LVB", "Naissances vivantes"),
            places(),
        )
    ]
