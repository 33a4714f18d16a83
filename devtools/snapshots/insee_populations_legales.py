"""INSEE populations légales: `ensemble.zip` → `donnees_communes.csv` and two other levels.

The current generation of the header (`REG;Région;DEP;…;COM;Commune;PMUN;PCAP;PTOT`, `COM` the
INSEE code), `;`, UTF-8, CRLF, one row per commune, Paris as its 20 arrondissements and, last,
a row for Paris itself with only `COM`, `Commune` and `PMUN`, as in the real file. Populations
are SAMPLES of the right size (Caudebec-lès-Elbeuf just above 10,000, Elbeuf about 16,000), not
INSEE's figures. The older generation (`CODREG;REG;CODDEP;…`) is written by `older_communes_csv`
for the tests.
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.common import csv_text, output_folder, write_zip

COMMUNES_HEADER = [
    "REG",
    "Région",
    "DEP",
    "CODARR",
    "CODCAN",
    "CODCOM",
    "COM",
    "Commune",
    "PMUN",
    "PCAP",
    "PTOT",
]
OLDER_COMMUNES_HEADER = [
    "CODREG",
    "REG",
    "CODDEP",
    "CODARR",
    "CODCAN",
    "CODCOM",
    "COM",
    "PMUN",
    "PCAP",
    "PTOT",
]
NORMANDIE = ("28", "Normandie")

# (region, department, arrondissement, canton, number, name, PMUN, PCAP)
COMMUNES = [
    ("84", "Auvergne-Rhône-Alpes", "01", "2", "10", "001", "L'Abergement-Clémenciat", 859, 17),
    (*NORMANDIE, "76", "3", "07", "165", "Caudebec-lès-Elbeuf", 10153, 164),
    (*NORMANDIE, "76", "3", "07", "231", "Elbeuf", 16208, 297),
    (*NORMANDIE, "76", "3", "07", "640", "Saint-Pierre-lès-Elbeuf", 8412, 133),
    ("94", "Corse", "2A", "1", "07", "004", "Ajaccio", 73717, 1411),
    ("04", "La Réunion", "974", "4", "14", "411", "Saint-Denis", 153810, 2208),
    ("02", "Martinique", "972", "2", "90", "209", "Fort-de-France", 74306, 1125),
]
# Paris: the file has the arrondissements only (SAMPLE populations, about 2.1 million in all).
PARIS_ARRONDISSEMENTS = [
    16252, 21384, 32825, 28324, 56841, 40209, 47947, 35418, 58419, 83459,
    141151, 139297, 177833, 135964, 228852, 165523, 164413, 191135, 183211, 193155,
]  # fmt: skip


def _insee_code(department: str, number: str) -> str:
    return department[:2] + number


def older_communes_csv() -> str:
    """`donnees_communes.csv` of an older vintage: `COM` is the name, the code is `CODDEP` +
    `CODCOM`, Paris only as its arrondissements; the same SAMPLE populations."""
    rows = [[*place[:6], *place[7:]] for place in _communes() if place[2]]
    return csv_text(OLDER_COMMUNES_HEADER, rows, ";")


def _communes() -> list[list[str]]:
    """The current generation's rows (the INSEE code in `COM`, sixth field)."""
    communes = [
        [region, name, department, arrondissement, canton, number,
         _insee_code(department, number), commune, str(pmun), str(pcap), str(pmun + pcap)]
        for region, name, department, arrondissement, canton, number, commune, pmun, pcap
        in COMMUNES
    ]  # fmt: skip
    for index, pmun in enumerate(PARIS_ARRONDISSEMENTS, start=1):
        suffix = "er" if index == 1 else "e"
        communes.append(
            [
                "11",
                "Île-de-France",
                "75",
                "1",
                # The real file leaves Paris' canton blank (two spaces).
                "  ",
                f"1{index:02d}",
                f"751{index:02d}",
                f"Paris {index}{suffix} Arrondissement",
                str(pmun),
                str(pmun // 100),
                str(pmun + pmun // 100),
            ]
        )
    # Paris itself, after every commune, with its population municipale only.
    communes.append(
        ["", "", "", "", "", "", "75056", "Paris", str(sum(PARIS_ARRONDISSEMENTS)), "", ""]
    )
    return communes


def write(folder: Path) -> list[Path]:
    communes = _communes()
    departments = [
        ["28", "Normandie", "76", "Seine-Maritime", "34", "69", "708", "1254378", "1271120"],
        ["11", "Île-de-France", "75", "Paris", "1", "17", "1", "2113705", "2136590"],
    ]
    regions = [
        ["28", "Normandie", "5", "3251", "3327077", "3386523"],
        ["11", "Île-de-France", "8", "1265", "12358932", "12537013"],
    ]
    target = output_folder(folder) / "ensemble.zip"
    write_zip(
        target,
        {
            "donnees_regions.csv": csv_text(
                ["CODREG", "REG", "NBARR", "NBCOM", "PMUN", "PTOT"], regions, ";"
            ).encode("utf-8"),
            "donnees_departements.csv": csv_text(
                ["CODREG", "REG", "CODDEP", "DEP", "NBARR", "NBCAN", "NBCOM", "PMUN", "PTOT"],
                departments,
                ";",
            ).encode("utf-8"),
            "donnees_communes.csv": csv_text(COMMUNES_HEADER, communes, ";")
            .replace("\n", "\r\n")
            .encode("utf-8"),
        },
    )
    return [target]
