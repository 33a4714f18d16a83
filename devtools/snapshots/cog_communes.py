"""INSEE COG: `cog_ensemble_2025_csv.zip` holding `v_commune_2025.csv` (comma, UTF-8)."""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import SAMPLE_COMMUNES, csv_text, output_folder, write_zip

HEADER = [
    "TYPECOM",
    "COM",
    "REG",
    "DEP",
    "CTCD",
    "ARR",
    "TNCC",
    "NCC",
    "NCCENR",
    "LIBELLE",
    "CAN",
    "COMPARENT",
]


def _upper_ascii(name: str) -> str:
    table = str.maketrans("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜàâäçéèêëîïôöùûü-'", "AAACEEEEIIOOUUUaaaceeeeiioouuu  ")
    return name.translate(table).upper()


def write(folder: Path) -> list[Path]:
    rows = [
        [
            "COM",
            c.code,
            c.region,
            c.department,
            f"{c.department}D",
            f"{c.department}3",
            "0",
            _upper_ascii(c.name),
            c.name,
            c.name,
            f"{c.department}12",
            "",
        ]
        for c in SAMPLE_COMMUNES
    ]
    # A delegated commune and a Paris arrondissement: same table, other TYPECOM, never matched.
    rows.append(
        [
            "COMD",
            "76165",
            "28",
            "76",
            "76D",
            "763",
            "0",
            "CAUDEBEC ANCIENNE",
            "Caudebec ancienne",
            "Caudebec ancienne",
            "7612",
            "76165",
        ]
    )
    rows.append(
        [
            "ARM",
            "75101",
            "11",
            "75",
            "75C",
            "751",
            "0",
            "PARIS 1ER ARRONDISSEMENT",
            "Paris 1er Arrondissement",
            "Paris 1er Arrondissement",
            "",
            "75056",
        ]
    )
    target = output_folder(folder) / "cog_ensemble_2025_csv.zip"
    write_zip(target, {"v_commune_2025.csv": csv_text(HEADER, rows, ",").encode("utf-8")})
    return [target]
