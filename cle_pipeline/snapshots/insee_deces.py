"""INSEE état civil: `base_deces_2021_csv.zip` → `base_deces_2021.csv` (`;`)."""

from __future__ import annotations

from pathlib import Path

from cle_pipeline.snapshots.common import write_insee_base

# SAMPLE counts, plausible for each commune's size; not INSEE's figures.
DEATHS = {
    "01001": [5, 4, 6, 5, 7, 4, 6, 8],
    "2A004": [612, 630, 618, 641, 655, 649, 702, 688],
    "75056": [14112, 14562, 14301, 14280, 14125, 14097, 16602, 15328],
    "76165": [98, 104, 95, 107, 101, 99, 118, 112],
    "76231": [201, 215, 198, 207, 211, 204, 229, 221],
    "76640": [70, 66, 72, 69, 74, 71, 80, 77],
    "97411": [880, 902, 915, 921, 934, 940, 978, 990],
}


def write() -> list[Path]:
    return [write_insee_base("insee_deces", "base_deces_2021", "DECESD", DEATHS)]
