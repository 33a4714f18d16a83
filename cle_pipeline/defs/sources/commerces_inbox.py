"""The commune's own shop file, from its inbox (`data/inbox/<commune>/`): opening hours by SIRET.

No national file exists: a commune that knows its shops' hours better than OpenStreetMap sends
`commerces*.csv` or `commerces*.xlsx` as its office software writes it (see `lib/inbox.py` for
encodings, separators and line numbers). Two columns are read, recognised by name (accents,
case, punctuation and `N°` ignored): the SIRET and the hours in the OSM `opening_hours` syntax;
other columns (the shop's name, a remark) are for the commune's own use and are ignored.

    SIRET;Enseigne;Horaires
    504 321 878 00028;Cordonnerie Minute;"Tu-Sa 09:00-12:00; Mo 14:00-18:00"

The file is optional: without it the frame is empty and the hours come from OpenStreetMap
only. The folder is `CLE_INBOX_DIR/<commune>` (default `data/inbox/<commune>`). Files are read,
never modified.
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
from cle_pipeline.lib.normalise import name_key, siret_text
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline.lib.source_cut import SourceCut

FILE_PATTERN = r"commerces.*"
SUFFIXES = (".csv", ".xlsx")
# What the inbox sensor watches for this source: the shop hours table.
SHOP_FILE = CommuneFileKind(
    FILE_PATTERN, SUFFIXES, check=lambda path: read_shop_hours(path, path.name)
)
SOURCE = InboxSource(id="commerces_inbox", files=(SHOP_FILE,))

# Column of the frame → the headers communes write for it.
HEADERS: dict[str, tuple[str, ...]] = {
    "siret": ("SIRET", "N° SIRET", "Numéro SIRET", "SIRET de l'établissement"),
    "horaires": ("Horaires", "Horaires d'ouverture", "opening_hours", "horaires_osm"),
}
FIELD_OF_KEY = {name_key(spelling): field for field, names in HEADERS.items() for spelling in names}
COLUMNS = list(HEADERS)


def field_of(header: str) -> str | None:
    """The column (`siret` or `horaires`) a commune's header stands for, if any."""
    return FIELD_OF_KEY.get(name_key(header) or "")


def header_score(cells: list[str]) -> int:
    """How many cells of a row are known column headers (finds the header row)."""
    return len({field_of(cell) for cell in cells} - {None})


def read_shop_hours(path: Path, label: str) -> tuple[pd.DataFrame, InboxTable]:
    """The commune's rows: `siret` (spaces and dots removed, `N/A`… → None) and `horaires` (as
    written, surrounding spaces removed; None when blank), index `ligne_source` (the line in
    the commune's file). Only empty rows are dropped: that a row without hours says nothing
    is for the dataset to decide."""
    table = read_table(path, header_score, label)
    claimed = {field: [h for h in table.frame.columns if field_of(h) == field] for field in HEADERS}
    missing = [field for field, headers in claimed.items() if not headers]
    if missing:
        raise SourceFormatError(
            f"{label}: missing column(s) {', '.join(missing)} (headers read: "
            f"{', '.join(map(repr, table.frame.columns))})"
        )
    for field, headers in claimed.items():
        if len(headers) > 1:
            raise SourceFormatError(
                f"{label}: columns {', '.join(map(repr, headers))} are all read as {field}: "
                "keep one"
            )
    siret, hours = (table.frame[headers[0]] for headers in claimed.values())
    rows = pd.DataFrame(
        {
            "siret": [siret_text(value) for value in siret],
            "horaires": [text.strip() if text else None for text in hours],
        },
        index=table.frame.index,
        dtype=object,
    )
    return rows, table


def no_shop_hours() -> pd.DataFrame:
    """The frame of a commune that sent no shop file."""
    return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name=LINE), dtype=object)


# A warning: the commune's file is optional.
CUT = SourceCut(
    "commerces_inbox",
    required=False,
    why="le fichier des horaires est facultatif : sans lui, les horaires des commerces viennent "
    "d'OpenStreetMap seul.",
    descriptions={
        "siret": "SIRET du commerce, tel que la commune l'a écrit",
        "horaires": "Horaires d'ouverture (syntaxe OpenStreetMap `opening_hours`)",
    },
    columns=[("siret", "string"), ("horaires", "string")],
)


@commune_asset(
    group_name="sources",
    kinds={"csv", "excel"},
    owners=OWNERS,
    metadata={
        **CUT.definition_metadata(),
        "source_id": "commerces_inbox",
        "publisher": "la commune",
        "official_location": "data/inbox/<commune>/commerces*.csv|xlsx (optional)",
        "override": "CLE_INBOX_DIR",
    },
    check_specs=CUT.check_specs(),
)
def commerces_inbox(context, settings: CommuneSettings):
    """Les horaires des commerces fournis par la commune : le plus récent `commerces*.csv|xlsx`
    de son dépôt (inbox), SIRET et horaires (syntaxe OpenStreetMap) en texte, index = la ligne
    de chaque rangée dans le fichier de la commune (`ligne_source`). Le fichier est facultatif
    (pas de fichier : aucune ligne) et n'est jamais modifié."""
    folder = settings.inbox_folder(commune_of(context))
    if not SHOP_FILE.sent_in(folder):
        return CUT.result(
            no_shop_hours(),
            {
                "file_name": "none",
                "note": f"no commerces*.csv|xlsx in {folder}: shop hours come from "
                "OpenStreetMap only (the commune's file is optional)",
            },
        )
    chosen = newest_file(folder, FILE_PATTERN, SUFFIXES)
    rows, table = read_shop_hours(chosen.path, str(chosen.path))
    return CUT.result(
        rows,
        {
            **chosen.metadata(),
            **table.metadata(),
            "rows_with_hours": int(rows["horaires"].notna().sum()),
        },
    )
