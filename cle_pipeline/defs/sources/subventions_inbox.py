"""The commune's own table of subsidies to associations, from its inbox (`data/inbox/<commune>/`).

No national file exists: the commune supplies `subventions*.csv` or `subventions*.xlsx` as its
office software writes it (see `lib/inbox.py` for encodings, separators and line numbers), with
French headers whose spelling varies from one commune, or one year, to the next. Its columns
are recognised by name (accents, case, punctuation and `N°` ignored) and renamed to the fields
of schema scdl/subventions; a required column that is not there stops the run, naming the file
and the column and the spellings accepted.

Who grants (`nomAttribuant`, `idAttribuant`) is not in the commune's table: it is the commune,
described once in `commune.json` beside the files (its SIRET is the mairie's establishment,
SIREN + NIC, which no national file here gives reliably):

    {"idAttribuant": "21760165700018", "nomAttribuant": "Commune de Caudebec-lès-Elbeuf"}

`nomAttribuant` defaults to the commune's official name. The folder is `CLE_INBOX_DIR/<commune>`
(default `data/inbox/<commune>`). Files are read, never modified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.inbox import (
    CommuneFileKind,
    InboxSource,
    InboxTable,
    newest_file,
    read_table,
)
from cle_pipeline.lib.metadata import OWNERS, markdown_table
from cle_pipeline.lib.normalise import name_key, siret_key_valid
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline.lib.source_cut import SourceCut

FILE_PATTERN = r"subventions.*"
SUFFIXES = (".csv", ".xlsx")
ATTRIBUANT_FILE = "commune.json"
# What the inbox sensor watches for this source: the table, and the commune's description.
SOURCE = InboxSource(
    id="subventions_inbox",
    files=(
        CommuneFileKind(FILE_PATTERN, SUFFIXES, check=lambda path: read_subsidies(path, path.name)),
        CommuneFileKind(r"commune", (".json",), check=lambda path: read_json_document(path)),
    ),
)

# Field of scdl/subventions → the headers communes write for it (the schema's own name too).
HEADERS: dict[str, tuple[str, ...]] = {
    "dateConvention": (
        "Date de la convention", "Date convention", "Date de convention",
        "Date de signature de la convention", "Date de signature",
    ),
    "referenceDecision": (
        "Référence de la décision", "Référence décision", "N° de délibération",
        "N° délibération", "Délibération", "Référence délibération", "Référence",
    ),
    "nomBeneficiaire": (
        "Nom du bénéficiaire", "Bénéficiaire", "Nom bénéficiaire", "Nom de l'association",
        "Association", "Raison sociale", "Raison sociale du bénéficiaire",
    ),
    "idBeneficiaire": (
        "SIRET", "N° SIRET", "Numéro SIRET", "SIRET du bénéficiaire", "SIRET bénéficiaire",
        "Identifiant SIRET",
    ),
    "rnaBeneficiaire": (
        "N° RNA", "RNA", "Numéro RNA", "Identifiant RNA", "RNA du bénéficiaire",
        "N° RNA du bénéficiaire", "Numéro d'association", "N° W",
    ),
    "objet": ("Objet", "Objet de la subvention", "Objet de l'aide", "Intitulé", "Libellé"),
    "montant": (
        "Montant", "Montant (€)", "Montant en euros", "Montant en €", "Montant de la subvention",
        "Montant accordé", "Montant attribué", "Montant total", "Montant voté",
    ),
    "nature": ("Nature", "Nature de la subvention", "Nature de l'aide", "Type d'aide"),
    "conditionsVersement": (
        "Conditions de versement", "Condition de versement", "Modalités de versement",
    ),
    "datesPeriodeVersement": (
        "Date(s) de versement", "Dates de versement", "Date de versement",
        "Période de versement", "Date ou période de versement", "Dates ou période de versement",
    ),
    "idRAE": ("idRAE", "Identifiant RAE", "N° RAE", "RAE"),
    "notificationUE": (
        "Notification UE", "Notification à l'UE", "Notifiée UE", "Aide notifiée UE",
        "Aide notifiée à la Commission européenne", "Notification Commission européenne",
    ),
    "pourcentageSubvention": (
        "Pourcentage", "Pourcentage de la subvention", "Pourcentage du montant", "Part (%)",
        "Part du bénéficiaire",
    ),
    "dispositifAide": ("Dispositif d'aide", "Dispositif", "Identifiant du dispositif d'aide"),
}  # fmt: skip
REQUIRED = [
    "nomBeneficiaire",
    "objet",
    "montant",
    "dateConvention",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "notificationUE",
]
FIELD_OF_KEY = {
    name_key(spelling): field
    for field, spellings in HEADERS.items()
    for spelling in (field, *spellings)
}


def field_of(header: str) -> str | None:
    """The schema field a commune's column header stands for, if any."""
    return FIELD_OF_KEY.get(name_key(header) or "")


def header_score(cells: list[str]) -> int:
    """How many cells of a row are known column headers (finds the header row)."""
    return len({field_of(cell) for cell in cells} - {None})


def columns_to_fields(table: InboxTable, label: str) -> dict[str, str]:
    """{commune's header: schema field}; raises when a required field has no column or two
    columns claim one field."""
    mapping = {header: field_of(header) for header in table.frame.columns}
    claimed: dict[str, list[str]] = {}
    for header, field in mapping.items():
        if field is not None:
            claimed.setdefault(field, []).append(header)
    twice = {field: headers for field, headers in claimed.items() if len(headers) > 1}
    if twice:
        field, headers = next(iter(twice.items()))
        raise SourceFormatError(
            f"{label}: columns {', '.join(repr(h) for h in headers)} are all read as {field}: "
            "keep one"
        )
    missing = [field for field in REQUIRED if field not in claimed]
    if missing:
        expected = "; ".join(f"{field} ({' / '.join(HEADERS[field][:3])})" for field in missing)
        raise SourceFormatError(f"{label}: missing column(s) {expected}")
    return {header: field for header, field in mapping.items() if field is not None}


def read_json_document(path: Path) -> Any:
    """A JSON document (the commune's description, `commune.json`), or SourceFormatError."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise SourceFormatError(f"{path}: not a JSON document ({error})") from error


def read_attribuant(folder: Path, commune: Commune) -> dict[str, str]:
    """`idAttribuant` and `nomAttribuant` from the inbox's `commune.json`."""
    path = folder / ATTRIBUANT_FILE
    if not path.is_file():
        raise SourceError(
            f"{path}: missing; write the commune's SIRET there, e.g. "
            '{"idAttribuant": "<14 digits>", "nomAttribuant": "Commune de …"}'
        )
    described = read_json_document(path)
    siret = str(described.get("idAttribuant", "")).replace(" ", "")
    if not siret_key_valid(siret):
        raise SourceFormatError(
            f"{path}: idAttribuant {described.get('idAttribuant')!r} is not a SIRET "
            "(14 digits with a valid check digit)"
        )
    return {
        "nomAttribuant": str(described.get("nomAttribuant") or commune.name),
        "idAttribuant": siret,
    }


def read_subsidies(path: Path, label: str) -> tuple[pd.DataFrame, InboxTable, dict[str, str]]:
    """The commune's rows with their columns renamed to the schema's fields, every value as
    text, index `ligne_source`; columns the schema does not know are left out (and listed)."""
    table = read_table(path, header_score, label)
    mapping = columns_to_fields(table, label)
    rows = table.frame[list(mapping)].rename(columns=mapping)
    return rows, table, mapping


# A warning: a commune that granted no subsidy sends a table without rows.
CUT = SourceCut(
    "subventions_inbox",
    required=False,
    why="une commune qui n'a attribué aucune subvention envoie un tableau sans ligne ; le jeu "
    "`subventions` est alors vide.",
    descriptions={
        "nomBeneficiaire": "Nom de l'association bénéficiaire",
        "idBeneficiaire": "SIRET du bénéficiaire (facultatif quand le numéro RNA est donné)",
        "rnaBeneficiaire": "Numéro RNA du bénéficiaire (`W` + 9 caractères)",
        "objet": "Objet de la subvention",
        "montant": "Montant, tel qu'écrit dans le tableau de la commune (`1 500,00 €`)",
        "dateConvention": "Date de la convention, telle qu'écrite (`jj/mm/aaaa`)",
        "referenceDecision": "Référence de la délibération",
        "nature": "Nature de la subvention (aide en numéraire, en nature)",
        "conditionsVersement": "Conditions de versement (unique, échelonné)",
        "datesPeriodeVersement": "Date ou période de versement",
        "notificationUE": "Subvention notifiée à l'Union européenne (oui, non)",
        "nomAttribuant": "La commune (de `commune.json`, ou son nom officiel)",
        "idAttribuant": "SIRET de la commune (de `commune.json`)",
    },
)


@commune_asset(
    group_name="sources",
    kinds={"csv", "excel"},
    owners=OWNERS,
    metadata={
        "source_id": "subventions_inbox",
        "publisher": "la commune",
        "official_location": "data/inbox/<commune>/subventions*.csv|xlsx, and commune.json",
        "override": "CLE_INBOX_DIR",
    },
    check_specs=CUT.check_specs(),
)
def subventions_inbox(context, commune: Commune, settings: CommuneSettings):
    """Le tableau des subventions fourni par la commune : le plus récent
    `subventions*.csv|xlsx` de son dépôt (inbox), toutes les valeurs en texte, colonnes
    renommées d'après les champs de scdl/subventions, index = la ligne de chaque rangée dans le
    fichier de la commune (`ligne_source`), et la commune attribuante d'après `commune.json`.
    Seules les lignes vides sont écartées ; le fichier n'est jamais modifié."""
    folder = settings.inbox_folder(commune_of(context))
    chosen = newest_file(folder, FILE_PATTERN, SUFFIXES)
    rows, table, mapping = read_subsidies(chosen.path, str(chosen.path))
    attribuant = read_attribuant(folder, commune)
    rows = rows.assign(**attribuant)
    columns = pd.DataFrame({"colonne de la commune": list(table.frame.columns)}).assign(
        champ=lambda frame: frame["colonne de la commune"].map(mapping).fillna("(ignorée)")
    )
    return CUT.result(
        rows,
        {
            **chosen.metadata(),
            **table.metadata(),
            "columns": dg.MetadataValue.md(markdown_table(columns, limit=40)),
            "columns_ignored": ", ".join(h for h in table.frame.columns if h not in mapping)
            or "none",
            "idAttribuant": attribuant["idAttribuant"],
            "nomAttribuant": attribuant["nomAttribuant"],
        },
    )
