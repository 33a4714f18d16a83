"""The commune's completion of its defibrillators, from its inbox (`data/inbox/<commune>/`).

Géo'DAE's open data withholds six fields that the DAE schema requires (`tel1`, `fab_rais`,
`modele`, `num_serie`, `expt_tel1`, `expt_email`: the arrêté du 29 octobre 2019 keeps them out of
the free export). The commune operates its own devices and knows them: it may send
`defibrillateurs*.csv` or `defibrillateurs*.xlsx` (see `lib/inbox.py` for encodings, separators
and line numbers), one row per device, keyed by its Géo'DAE id (`c_gid`, which the operator
sees in its Géo'DAE account) or, failing that, by its position (latitude and longitude, matched
within `POSITION_TOLERANCE_METRES` of the register's):

    Identifiant Géo'DAE;Latitude;Longitude;Téléphone sur site;Fabricant;Modèle;N° de série;…
    30412;;;02 35 81 00 00;Fabricant;DAE 300;EX-2019-000412;02 35 81 00 00;mairie@…

Columns are recognised by name (the schema's field names or French labels; accents, case and
punctuation ignored); other columns (a remark, the device's name) are for the commune's own use
and ignored. The operator's contacts (`expt_tel1`, `expt_email`) must be the service's, never a
person's: the dataset's blocking check refuses what looks like a person's (a mobile number, a
personal mailbox). Other contact columns (`tel2`, `site_email`, `expt_tel2`) are never read.

The file is optional: without it the frame is empty and the six fields stay empty (a WARN check
of the dataset lists them). The folder is `CLE_INBOX_DIR/<commune>` (default
`data/inbox/<commune>`). Files are read, never modified.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.inbox import (
    LINE,
    CommuneFileKind,
    InboxSource,
    InboxTable,
    newest_file,
    read_table,
)
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.normalise import name_key
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline.lib.source_cut import SourceCut

FILE_PATTERN = r"defibrillateurs.*"
SUFFIXES = (".csv", ".xlsx")
# What the inbox sensor watches for this source: the completion table.
COMPLETION_FILE = CommuneFileKind(
    FILE_PATTERN, SUFFIXES, check=lambda path: read_completion(path, path.name)
)
SOURCE = InboxSource(id="defibrillateurs_inbox", files=(COMPLETION_FILE,))
# How far (in metres) a position given by the commune may be from the register's: the same
# device, its coordinates rounded or read off a map.
POSITION_TOLERANCE_METRES = 15.0

# The six fields the commune completes, in the schema's order.
COMPLETED_FIELDS = ("tel1", "fab_rais", "modele", "num_serie", "expt_tel1", "expt_email")
KEYS = ("c_gid", "lat_coor1", "long_coor1")
# Column of the frame → the headers communes write for it (the schema's name comes first).
HEADERS: dict[str, tuple[str, ...]] = {
    "c_gid": ("c_gid", "gid", "Identifiant Géo'DAE", "Id Géo'DAE", "N° Géo'DAE", "Géo'DAE"),
    "lat_coor1": ("lat_coor1", "Latitude", "lat"),
    "long_coor1": ("long_coor1", "Longitude", "lon", "long"),
    "tel1": ("tel1", "Téléphone sur site", "Téléphone du site", "Téléphone site"),
    "fab_rais": ("fab_rais", "Fabricant", "Raison sociale du fabricant"),
    "modele": ("modele", "Modèle", "Modèle du DAE"),
    "num_serie": ("num_serie", "Numéro de série", "N° de série", "Numéro de série du DAE"),
    "expt_tel1": ("expt_tel1", "Téléphone de l'exploitant", "Téléphone exploitant"),
    "expt_email": (
        "expt_email",
        "Courriel de l'exploitant",
        "Adresse électronique de l'exploitant",
        "Email de l'exploitant",
        "E-mail exploitant",
        "Courriel exploitant",
    ),
}
FIELD_OF_KEY = {name_key(spelling): field for field, names in HEADERS.items() for spelling in names}
COLUMNS = [*KEYS, *COMPLETED_FIELDS]


def field_of(header: str) -> str | None:
    """The column a commune's header stands for, if any."""
    return FIELD_OF_KEY.get(name_key(header) or "")


def header_score(cells: list[str]) -> int:
    """How many cells of a row are known column headers (finds the header row)."""
    return len({field_of(cell) for cell in cells} - {None})


def columns_to_fields(table: InboxTable, label: str) -> dict[str, str]:
    """{commune's header: column}; raises when no key or no completed field has a column, or
    two columns claim one field."""
    claimed: dict[str, list[str]] = {}
    for header in table.frame.columns:
        if (field := field_of(header)) is not None:
            claimed.setdefault(field, []).append(header)
    for field, headers in claimed.items():
        if len(headers) > 1:
            raise SourceFormatError(
                f"{label}: columns {', '.join(map(repr, headers))} are all read as {field}: "
                "keep one"
            )
    read = f"(headers read: {', '.join(map(repr, table.frame.columns))})"
    if "c_gid" not in claimed and not {"lat_coor1", "long_coor1"} <= set(claimed):
        raise SourceFormatError(
            f"{label}: no column says which device a row completes: give the Géo'DAE id "
            f"(c_gid, « Identifiant Géo'DAE ») or both latitude and longitude {read}"
        )
    if not set(COMPLETED_FIELDS) & set(claimed):
        raise SourceFormatError(
            f"{label}: none of the columns {', '.join(COMPLETED_FIELDS)} (or their French "
            f"labels, e.g. « Numéro de série ») {read}"
        )
    return {headers[0]: field for field, headers in claimed.items()}


def coordinate(value: object) -> float | None:
    """A decimal degree written with a point or a comma; None when blank."""
    if value is None:
        return None
    return float(str(value).strip().replace(",", "."))


def rows_without_key(rows: pd.DataFrame) -> list[int]:
    """Lines whose device is named neither by its Géo'DAE id nor by both coordinates."""
    by_id = rows["c_gid"].notna()
    by_position = rows["lat_coor1"].notna() & rows["long_coor1"].notna()
    return [int(line) for line in rows.index[~(by_id | by_position)]]


def read_completion(path: Path, label: str) -> tuple[pd.DataFrame, InboxTable]:
    """The commune's rows: `c_gid`, `lat_coor1`, `long_coor1` (the key) and the six completed
    fields, as text (None when blank or absent), index `ligne_source` (the line in the commune's
    file). A row that names no device, unreadable coordinates, or a device named twice is an
    error naming the lines."""
    table = read_table(path, header_score, label)
    mapping = columns_to_fields(table, label)
    given = table.frame[list(mapping)].rename(columns=mapping)
    # Absent columns and blank cells are None (object columns: pandas' text dtype would turn
    # them into NaN).
    rows = pd.DataFrame(
        {
            column: [
                None if pd.isna(value) else str(value).strip()
                for value in (given[column] if column in given else [None] * len(given))
            ]
            for column in COLUMNS
        },
        index=given.index,
        dtype=object,
    )
    if missing := rows_without_key(rows):
        raise SourceFormatError(
            f"{label}: line(s) {', '.join(map(str, missing))}: no Géo'DAE id nor latitude and "
            "longitude: which device does the row complete?"
        )
    for column in ("lat_coor1", "long_coor1"):
        for line, value in rows[column].items():
            try:
                coordinate(value)
            except ValueError as error:
                raise SourceFormatError(
                    f"{label}: line {line}, column {column}: {value!r} is not a number of "
                    "degrees (e.g. 49.28352)"
                ) from error
    twice = rows["c_gid"].dropna().duplicated(keep=False)
    if twice.any():
        lines = ", ".join(map(str, twice[twice].index))
        raise SourceFormatError(f"{label}: lines {lines} complete the same Géo'DAE id")
    return rows, table


def no_completion() -> pd.DataFrame:
    """The frame of a commune that sent no completion file."""
    return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name=LINE), dtype=object)


# A warning: the commune's file is optional.
CUT = SourceCut(
    "defibrillateurs_inbox",
    required=False,
    why="le fichier est facultatif : sans lui, les six champs que Géo'DAE ne diffuse pas restent "
    "vides.",
    descriptions={
        "c_gid": "Identifiant Géo'DAE de l'appareil, qui le relie au registre",
        "lat_coor1": "Latitude de l'appareil, quand la ligne n'a pas d'identifiant Géo'DAE",
        "long_coor1": "Longitude de l'appareil, quand la ligne n'a pas d'identifiant Géo'DAE",
        "tel1": "Téléphone sur site (non diffusé par Géo'DAE)",
        "fab_rais": "Fabricant de l'appareil (non diffusé par Géo'DAE)",
        "modele": "Modèle de l'appareil (non diffusé par Géo'DAE)",
        "num_serie": "Numéro de série de l'appareil (non diffusé par Géo'DAE)",
        "expt_tel1": "Téléphone de l'exploitant : celui du service, jamais d'une personne",
        "expt_email": "Courriel de l'exploitant : celui du service, jamais d'une personne",
    },
)


@commune_asset(
    group_name="sources",
    kinds={"csv", "excel"},
    owners=OWNERS,
    metadata={
        "source_id": "defibrillateurs_inbox",
        "publisher": "la commune",
        "official_location": "data/inbox/<commune>/defibrillateurs*.csv|xlsx (optional)",
        "override": "CLE_INBOX_DIR",
    },
    check_specs=CUT.check_specs(),
)
def defibrillateurs_inbox(context, settings: CommuneSettings):
    """Les champs que Géo'DAE ne diffuse pas (téléphone sur site, fabricant, modèle, numéro de
    série, téléphone et courriel de l'exploitant), fournis par la commune exploitante : le plus
    récent `defibrillateurs*.csv|xlsx` de son dépôt (inbox), une ligne par appareil désigné par
    son identifiant Géo'DAE ou sa position, en texte, index = la ligne dans le fichier de la
    commune (`ligne_source`). Fichier facultatif (pas de fichier : aucune ligne), jamais
    modifié."""
    folder = settings.inbox_folder(commune_of(context))
    if not COMPLETION_FILE.sent_in(folder):
        return CUT.result(
            no_completion(),
            {
                "file_name": "none",
                "note": f"no defibrillateurs*.csv|xlsx in {folder}: the six fields Géo'DAE "
                "withholds stay empty (the commune's file is optional)",
            },
        )
    chosen = newest_file(folder, FILE_PATTERN, SUFFIXES)
    rows, table = read_completion(chosen.path, str(chosen.path))
    ignored = [header for header in table.frame.columns if field_of(header) is None]
    return CUT.result(
        rows,
        {
            **chosen.metadata(),
            **table.metadata(),
            "columns_ignored": ", ".join(ignored) or "none",
        },
    )
