"""INSEE état civil: `base_naissances_2021_csv.zip` → `base_naissances_2021.csv` (`;`)."""

from __future__ import annotations

from pathlib import Path

from cle_pipeline.snapshots.common import write_insee_base

# SAMPLE counts, plausible for each commune's size; not INSEE's figures.
BIRTHS = {
    "01001": [8, 9, 7, 10, 6, 8, 9, 7],
    "2A004": [820, 805, 790, 812, 776, 760, 741, 755],
    "75056": [28267, 27802, 27093, 26211, 25403, 24672, 23142, 23359],
    "76165": [121, 118, 126, 109, 115, 112, 104, 110],
    "76231": [270, 262, 255, 259, 248, 244, 236, 240],
    "76640": [95, 101, 92, 97, 88, 90, 86, 91],
    "97411": [2210, 2190, 2175, 2160, 2140, 2105, 2080, 2095],
}


def write() -> list[Path]:
    return [write_insee_base("insee_naissances", "base_naissances_2021", "NAISD", BIRTHS)]
