"""SAMPLE subsidy tables as communes send them, for `data/inbox/<commune>/` (no national file).

Grants, amounts, decisions and every SIRET are invented SAMPLES (SIRETs with a valid check
digit, NICs of the mairies included: replace `commune.json` with the real SIRET); the
associations are those of the RNA snapshot. The files carry what real commune files carry,
which this module writes byte for byte because most of it cannot be seen in an editor:

- 76165 Caudebec-lès-Elbeuf: Excel's "CSV UTF-8" (a BOM, `;`, CRLF), amounts `24 500,00 €`
  with a narrow no-break space (U+202F) between thousands and a no-break space before `€`,
  `1.500,00 €`, `750,00€`, `5000`; `N/A` and `n/a` in place of a SIRET, a SIRET written with
  spaces, an RNA number in lower case with spaces, rows without RNA number whose association
  is in the RNA under the same name (accents, case and apostrophes differ), a `;` inside a
  quoted value, a value on two lines, dates `11/4/2022` and `19/09/22`, a period
  `du 01/04/2022 au 31/12/2022`, `Non`/`NON`, an empty row `;;;;` at the end, and one grant
  above €23,000.
- 76231 Elbeuf: Windows-1252 ("latin-1": `€` is byte 0x80), other spellings of the headers,
  a column the schema does not know (`Observations`), one grant shared by two beneficiaries
  (`50 %` each), LF line ends.
"""

from __future__ import annotations

import json
from pathlib import Path

NNBSP = "\u202f"  # narrow no-break space: French thousands separator of recent office suites
NBSP = "\u00a0"

CAUDEBEC_HEADER = [
    "Nom du bénéficiaire",
    "SIRET",
    "N° RNA",
    "Objet",
    "Montant",
    "Date de la convention",
    "N° délibération",
    "Nature",
    "Conditions de versement",
    "Date(s) de versement",
    "Notification UE",
]
CAUDEBEC_ROWS = [
    [
        "ASSOCIATION SPORTIVE CAUDEBECAISE", "443 061 841 00013", "W760000101",
        "Fonctionnement de l'école de football ; saison 2022-2023",
        f"24{NNBSP}500,00{NBSP}€", "14/03/2022", "DEL-2022-031", "Aide en numéraire",
        "Echelonné", "du 01/04/2022 au 31/12/2022", "non",
    ],
    [
        "Comité des fêtes de Caudebec-lès-Elbeuf", "N/A", "",
        "Fête communale et feu d'artifice du 14 juillet", f"8{NBSP}000,00{NBSP}€",
        "14/03/2022", "DEL-2022-032", "Numéraire", "unique", "15/06/2022", "Non",
    ],
    [
        "Les Amis de la Bibliothèque", "N/A", "W760000103",
        "Achat de livres pour le prix des lecteurs", "1 200 € ", "14/03/2022",
        "DEL-2022-033", "aide en numéraire", "Unique", "02/05/2022", "non",
    ],
    [
        "Club des Aînés Caudébécais", "n/a", "",
        "Sorties et goûters des adhérents\n(programme 2022)", f"2{NNBSP}350,50 €",
        "11/4/2022", "DEL-2022-045", "aide en numéraire", "unique", "20/05/2022", "NON",
    ],
    [
        "GYMNASTIQUE VOLONTAIRE CAUDEBEC", "", "w 760 000 105",
        "Prêt de tapis et de ballons (matériel municipal)", "650,00 €", "11/04/2022",
        "DEL-2022-046", "Aide en nature", "unique", "11/04/2022", "non",
    ],
    [
        "Parents d’élèves de l’école Jean-Jaurès", "N/A", "",
        "Mise à disposition de la salle des fêtes pour la kermesse", "400 €", "16/05/2022",
        "DEL-2022-058", "en nature", "unique", "25/06/2022", "non",
    ],
    [
        "Jardins partagés du Parc", "N/A", "W760000107",
        "Création de trois bacs potagers et prêt d'outillage", "1.500,00 €", "16/05/2022",
        "DEL-2022-059", "Aide en numéraire et en nature", "échelonné",
        "01/06/2022 - 30/09/2022", "non",
    ],
    [
        "ELBEUF BOXING CLUB", "N/A", "W760000201",
        "Stage de boxe éducative pour les jeunes caudébécais", "750,00€", "16/05/2022",
        "DEL-2022-060", "aide en numéraire", "unique", "01/07/2022", "non",
    ],
    [
        "Amicale du personnel communal de Caudebec-lès-Elbeuf", "78912345200011", "",
        "Arbre de Noël des enfants du personnel", "3 000,00 €", "19/09/22", "DEL-2022-101",
        "aide en numéraire", "unique", "15/11/2022", "non",
    ],
    [
        "Caudebec Solidarité", "520 413 378 00016", "",
        "Colis alimentaires et aide aux familles", "5000", "19/09/2022", "DEL-2022-102",
        "aide en numéraire", "versement unique", "2022-10-01", "non",
    ],
    [
        "Judo Club Caudébécais", "80233671900017", "N/A", "Achat de tatamis", "900",
        "19/09/2022", "DEL-2022-103", "aide en numéraire", "Unique", "17/10/2022", "Non",
    ],
    [
        "ASSOCIATION SPORTIVE CAUDEBECAISE", "44306184100013", "W760000101",
        "Subvention exceptionnelle : tournoi des jeunes U13", "1 500,00 €", "17/10/2022",
        "DEL-2022-118", "aide en numéraire", "unique", "14/11/2022", "non",
    ],
]  # fmt: skip

ELBEUF_HEADER = [
    "Bénéficiaire",
    "N° SIRET",
    "Numéro RNA",
    "Objet de la subvention",
    "Montant en euros",
    "Date convention",
    "Référence délibération",
    "Nature de l'aide",
    "Modalités de versement",
    "Période de versement",
    "Aide notifiée UE",
    "Pourcentage",
    "Observations",
]
ELBEUF_ROWS = [
    [
        "ELBEUF BOXING CLUB", "N/A", "", "Fonctionnement du club, saison 2022",
        f"12{NBSP}000,00{NBSP}€", "07/02/2022", "2022-014", "Aide en numéraire", "Echelonnée",
        "du 01/03/2022 au 30/11/2022", "Non", "100%", "",
    ],
    [
        "Théâtre de l’Elbeuvien", "", "W760000202",
        "Saison culturelle 2022 : six spectacles jeune public", "28 500,00 €", "07/02/2022",
        "2022-015", "aide en numéraire", "échelonné", "01/03/2022 - 31/12/2022", "non",
        "100 %", "Convention pluriannuelle 2022–2024",
    ],
    [
        "Elbeuf Basket Club", "388 014 573 00017", "N/A",
        "Tournoi de printemps : mise à disposition du gymnase", "1 800 €", "14/03/2022",
        "2022-031", "Aide en nature", "Unique", "09/04/2022", "non", "1", "",
    ],
    [
        "Union des commerçants elbeuviens", "49155702100012", "",
        "Animations de Noël du centre-ville", "6 000,00 €", "12/09/2022", "2022-102",
        "aide en numéraire", "unique", "01/12/2022", "non", "50 %",
        "Subvention partagée avec le comité de jumelage",
    ],
    [
        "Comité de jumelage d'Elbeuf", "79043218100010", "",
        "Animations de Noël du centre-ville", "6 000,00 €", "12/09/2022", "2022-102",
        "aide en numéraire", "unique", "01/12/2022", "non", "50 %",
        "Subvention partagée avec l'union des commerçants",
    ],
]  # fmt: skip

ATTRIBUANTS = {
    "76165": {"idAttribuant": "21760165700018", "nomAttribuant": "Commune de Caudebec-lès-Elbeuf"},
    "76231": {"idAttribuant": "21760231700018", "nomAttribuant": "Commune d'Elbeuf"},
}


def csv_line(cells: list[str], separator: str = ";") -> str:
    """One record as a spreadsheet writes it: quotes only where a value needs them."""

    def field(value: str) -> str:
        if any(character in value for character in (separator, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return separator.join(field(value) for value in cells)


def csv_bytes(
    header: list[str], rows: list[list[str]], encoding: str, line_end: str, empty_rows: int = 0
) -> bytes:
    """The table as the commune's software saves it (Excel adds `;;;` rows it saw formatted)."""
    lines = [csv_line(header), *(csv_line(row) for row in rows)]
    lines += [";" * (len(header) - 1)] * empty_rows
    return (line_end.join(lines) + line_end).encode(encoding)


def attribuant_json(commune: str) -> bytes:
    described = {
        **ATTRIBUANTS[commune],
        "_note": "SAMPLE: SIREN of the commune + an invented NIC; put the mairie's real SIRET.",
    }
    return (json.dumps(described, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write(folder: Path) -> list[Path]:
    """The sample inbox: `folder` is the inbox root, one folder per commune inside."""
    inbox = folder
    files = {
        inbox / "76165" / "subventions_2022.csv": csv_bytes(
            CAUDEBEC_HEADER, CAUDEBEC_ROWS, "utf-8-sig", "\r\n", empty_rows=1
        ),
        inbox / "76165" / "commune.json": attribuant_json("76165"),
        inbox / "76231" / "subventions_2022.csv": csv_bytes(
            ELBEUF_HEADER, ELBEUF_ROWS, "cp1252", "\n"
        ),
        inbox / "76231" / "commune.json": attribuant_json("76231"),
    }
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return list(files)
