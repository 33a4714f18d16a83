"""SAMPLE completion of Caudebec-lès-Elbeuf's defibrillators, for `data/inbox/76165/`.

What a commune that operates its devices sends to fill the six fields Géo'DAE withholds
(`tel1`, `fab_rais`, `modele`, `num_serie`, `expt_tel1`, `expt_email`), as Excel's "CSV UTF-8"
writes it (a BOM, `;`, CRLF), with French headers: the town hall's device named by its Géo'DAE
id, the sports hall's by its position (rounded to four decimals, a few metres from the
register's), the pharmacy's by its id (the commune asked the pharmacy). A column `Nom` and a
`Remarque` are for the commune's own use and are not read.

Every value is a SAMPLE, invented and said so in each row's remark: phone numbers are in the
ranges ARCEP reserves for fiction (02 61 91 xx xx), mailboxes on `exemple.fr`, manufacturers,
models and serial numbers made up. Elbeuf (76231) sends no such file: its six fields stay empty
and the WARN check lists them.
"""

from __future__ import annotations

from pathlib import Path

from devtools.snapshots.subventions_inbox import csv_bytes

HEADER = [
    "Identifiant Géo'DAE",
    "Nom",
    "Latitude",
    "Longitude",
    "Téléphone sur site",
    "Fabricant",
    "Modèle",
    "N° de série",
    "Téléphone de l'exploitant",
    "Courriel de l'exploitant",
    "Remarque",
]
SAMPLE = "ÉCHANTILLON : valeurs inventées"
ROWS = [
    [
        "30412", "Mairie de Caudebec-lès-Elbeuf", "", "", "02 61 91 00 10", "Fabricant Exemple",
        "DAE Exemple 300", "EX19-000412", "02 61 91 00 00",
        "services-techniques@ville-exemple.fr", SAMPLE,
    ],
    [
        "", "Salle des sports Exemple", "49,2881", "1,0262", "02.61.91.00.11",
        "Fabricant Exemple", "DAE Exemple 300", "EX22-001873", "02 61 91 00 00",
        "services-techniques@ville-exemple.fr", f"{SAMPLE} ; repéré par sa position",
    ],
    [
        "121905", "Pharmacie Exemple", "", "", "+33 2 61 91 00 20", "Autre Fabricant Exemple",
        "Modèle Exemple B", "B-2021-55120", "02 61 91 00 20", "contact@pharmacie-exemple.fr",
        f"{SAMPLE} ; contacts donnés par la pharmacie, exploitante",
    ],
]  # fmt: skip


def write(folder: Path) -> list[Path]:
    """The sample completion file: `folder` is the inbox root, one folder per commune inside."""
    target = folder / "76165" / "defibrillateurs.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(csv_bytes(HEADER, ROWS, "utf-8-sig", "\r\n"))
    return [target]
