"""DILA's annuaire de l'administration (service-public.gouv.fr): local public offices and hours.

Read through its Opendatasoft API, the v2.1 `records` endpoint of dataset
`api-lannuaire-administration`, filtered on `code_insee_commune`, in pages of at most 100
records (`limit`/`offset`; Opendatasoft refuses `offset + limit` over 10,000). A page is
`{"total_count": N, "results": [record, ...]}`. Every field of a record is text, and the nested
ones are JSON *serialised as text*: `pivot` (`[{"type_service_local": "mairie",
"code_insee_commune": ["76165"]}]`), `adresse` (postal and physical addresses, `latitude` and
`longitude` as text), `telephone` and `site_internet` (`[{"valeur": …}]`), `plage_ouverture`
(`[{"nom_jour_debut": "Lundi", "nom_jour_fin": "Vendredi", "valeur_heure_debut_1": "08:30:00",
…, "commentaire": ""}]`). The national export (`exports/json`, a JSON array of about 94,000
such records, or JSON lines) has the same fields; the DILA's own dump on data.gouv.fr has real
JSON lists where the API has text: both are accepted.

Where the records come from (`CLE_SOURCE_ANNUAIRE_SERVICE_PUBLIC`, else the mode):
- an `http(s)` URL: a `records` endpoint with its `where`, paginated here;
- a folder: API pages saved as JSON files (the snapshot, one folder per commune);
- a file: one API page, or the national export, cut by DuckDB without loading it whole.

The API answers only the commune's records, but the cut filters on `code_insee_commune` all the
same (an export, or a broader `where` in an override, holds every commune). The directory also
names the people heading some offices (`affectation_personne`): that field is never read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pandas as pd

from cle_pipeline.lib.cadence import DAILY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceError, SourceFormatError
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.http import mask_credentials
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import duckdb_connection

# The directory's host since October 2025, when service-public moved to service-public.gouv.fr
# (the former host only redirects here).
API_ROOT = "https://api-lannuaire.service-public.gouv.fr"
RECORDS_ENDPOINT = (
    f"{API_ROOT}/api/explore/v2.1/catalog/datasets/api-lannuaire-administration/records"
)
SOURCE = Source(
    id="annuaire_service_public",
    title="Annuaire de l'administration : base de données locales (API)",
    publisher="DILA (service-public.gouv.fr)",
    page="https://www.data.gouv.fr/fr/dataservices/api-annuaire-de-ladministration-et-des-services-publics/",
    url=RECORDS_ENDPOINT + "?where=code_insee_commune%3D%22{commune}%22",
    snapshot="{commune}",
    cadence=DAILY,
)
PAGE_SIZE = 100  # the API's maximum `limit`
MAX_WINDOW = 10_000  # Opendatasoft's maximum `offset + limit`

# The fields the dataset uses, in this order; the others (people's names among them) are dropped.
COLUMNS = [
    "id",
    "nom",
    "code_insee_commune",
    "pivot",
    "siret",
    "adresse",
    "telephone",
    "adresse_courriel",
    "site_internet",
    "plage_ouverture",
    "date_modification",
    "url_service_public",
]
REQUIRED = ["id", "nom", "code_insee_commune", "pivot", "adresse", "plage_ouverture"]
NESTED = ["pivot", "adresse", "telephone", "site_internet", "plage_ouverture"]


@dataclass(frozen=True)
class DirectoryRecords:
    """Records as read, before the commune cut, and where they came from."""

    records: list[dict[str, Any]]
    location: str
    pages: int
    total_count: int | None

    def metadata(self) -> dict[str, Any]:
        """What the source asset shows: where the records came from, how many, their sha256."""
        canonical = json.dumps(self.records, sort_keys=True, ensure_ascii=False).encode()
        return {
            "location": dg.MetadataValue.url(self.location)
            if self.location.startswith("http")
            else dg.MetadataValue.path(self.location),
            "pages": self.pages,
            "total_count": self.total_count if self.total_count is not None else "n/a",
            "records_read": len(self.records),
            "records_sha256": hashlib.sha256(canonical).hexdigest(),
        }


def page_url(endpoint: str, offset: int, limit: int = PAGE_SIZE) -> str:
    """The URL of one page of the directory's API, `limit` records from `offset`."""
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}limit={limit}&offset={offset}"


def page_content(page: Any, label: str) -> tuple[list[dict[str, Any]], int]:
    """(results, total_count) of one API page, or SourceFormatError naming what is missing."""
    if not isinstance(page, dict):
        raise SourceFormatError(f"{label}: expected an API page (a JSON object), got {page!r:.80}")
    for key in ("total_count", "results"):
        if key not in page:
            raise SourceFormatError(f"{label}: the page has no {key!r} (keys: {sorted(page)})")
    results, total = page["results"], page["total_count"]
    if not isinstance(results, list) or not isinstance(total, int):
        raise SourceFormatError(f"{label}: 'results' is not a list or 'total_count' not a number")
    return results, total


def fetch_pages(
    fetcher: SourceFetcher, endpoint: str, page_size: int | None = None
) -> DirectoryRecords:
    """Every record a `records` endpoint answers, page after page (retries are the fetcher's)."""
    page_size = page_size or PAGE_SIZE
    records: list[dict[str, Any]] = []
    pages, total = 0, 0
    shown = mask_credentials(endpoint)  # what is recorded and quoted: no credentials
    while True:
        url = page_url(endpoint, len(records), page_size)
        results, total = page_content(fetcher.get_json(url), mask_credentials(url))
        pages += 1
        if total > MAX_WINDOW:
            raise SourceError(
                f"{mask_credentials(url)}: {total} records, more than the {MAX_WINDOW} the API "
                "pages through; "
                f"point {SOURCE.env_var} at the national export instead"
            )
        records.extend(results)
        if not results or len(records) >= total:
            break
    ids = {record.get("id") for record in records}
    # Without a stable order, a directory updated between two pages can shift records across
    # them: a record read twice or missed is detected here rather than published.
    if len(records) != total or len(ids) != len(records):
        raise SourceError(
            f"{shown}: {len(records)} records read ({len(ids)} distinct) but total_count is "
            f"{total}: the directory changed while paging; run again"
        )
    return DirectoryRecords(records, shown, pages, total)


def read_page_folder(folder: Path) -> DirectoryRecords:
    """The pages saved in a folder (file names sort in page order), checked against their
    `total_count` so that a missing page is noticed."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise SourceFormatError(f"{folder}: no API page (*.json) in the folder")
    records: list[dict[str, Any]] = []
    totals = set()
    for path in files:
        results, total = page_content(_load_json(path), str(path))
        records.extend(results)
        totals.add(total)
    if len(totals) != 1 or len(records) != totals.pop():
        raise SourceFormatError(
            f"{folder}: {len(files)} page(s) hold {len(records)} records but their total_count "
            "disagree or differ: a page is missing or comes from another query"
        )
    return DirectoryRecords(records, str(folder), len(files), len(records))


def read_export(path: Path, commune_code: str) -> DirectoryRecords:
    """The commune's records of a file: one API page, or the national export (a JSON array or
    JSON lines), which DuckDB streams so that only the commune's records reach Python."""
    if _is_api_page(path):
        results, total = page_content(_load_json(path), str(path))
        return DirectoryRecords(results, str(path), 1, total)
    relation = "read_json_objects(?, format = 'auto')"
    try:
        with duckdb_connection() as connection:
            query = f"SELECT json FROM {relation} LIMIT 1"
            first = connection.execute(query, [str(path)]).fetchall()
            if first:
                missing = [name for name in REQUIRED if name not in json.loads(first[0][0])]
                if missing:
                    raise SourceFormatError(f"{path}: missing field(s) {', '.join(missing)}")
            rows = connection.execute(
                f"SELECT json FROM {relation} WHERE trim(json ->> 'code_insee_commune') = ?",
                [str(path), commune_code],
            ).fetchall()
    except duckdb.Error as error:
        raise SourceFormatError(f"{path}: not a JSON export of the directory ({error})") from error
    return DirectoryRecords([json.loads(row[0]) for row in rows], str(path), 1, None)


def read_records(fetcher: SourceFetcher, location: str, commune_code: str) -> DirectoryRecords:
    """The records at `location` (see the module docstring for the three kinds)."""
    if location.startswith(("http://", "https://")):
        return fetch_pages(fetcher, location)
    path = Path(location.removeprefix("file://"))
    if path.is_dir():
        return read_page_folder(path)
    if path.is_file():
        return read_export(path, commune_code)
    raise SourceError(
        f"source {SOURCE.id}: no folder or file at {path} (set by {SOURCE.env_var} or the "
        "snapshot folder)"
    )


def as_text(value: Any) -> str | None:
    """A field as the API serves it: text, nested lists serialised as JSON text."""
    if value is None:
        return None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def cut_commune(records: list[dict[str, Any]], commune_code: str, label: str) -> pd.DataFrame:
    """The commune's records (by `code_insee_commune`, where the office is), the fields of
    COLUMNS as text; a missing field or a nested field that is not JSON is a format error."""
    rows = []
    for number, record in enumerate(records, start=1):
        name = f"{label}: record {number} ({record.get('id', 'no id')})"
        missing = [field for field in REQUIRED if field not in record]
        if missing:
            raise SourceFormatError(f"{name}: missing field(s) {', '.join(missing)}")
        if str(record["code_insee_commune"] or "").strip() != commune_code:
            continue
        row = {column: as_text(record.get(column)) for column in COLUMNS}
        for column in NESTED:
            if row[column] is not None and not isinstance(_decode(row[column]), list):
                raise SourceFormatError(f"{name}: {column} is not a JSON list: {row[column]:.80}")
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise SourceFormatError(f"{path}: not a JSON document ({error})") from error


def _is_api_page(path: Path) -> bool:
    # An export starts with `[` (array) or holds one record per line (JSON lines); a page is one
    # object with `results`, on one line or pretty-printed.
    with path.open("rb") as stream:
        first_line = stream.readline().strip()
    if first_line.startswith(b"["):
        return False
    try:
        first = json.loads(first_line)
    except ValueError:
        return True  # the first line of a pretty-printed object
    return isinstance(first, dict) and "results" in first


# An error: every commune has a town hall, which the directory lists.
CUT = SourceCut(
    "annuaire_service_public",
    required=True,
    why="toute commune a une mairie, que l'annuaire de l'administration recense ; sans elle, "
    "`horaires_services` n'a pas de mairie à publier.",
    descriptions={
        "id": "Identifiant du service dans l'annuaire de l'administration (DILA)",
        "nom": "Nom du service (la mairie, une annexe, une agence postale…)",
        "code_insee_commune": "Code INSEE de la commune du service (colonne de la découpe)",
        "pivot": "Type de service local, JSON en texte (`type_service_local` : `mairie`…)",
        "siret": "SIRET du service, quand l'annuaire le donne",
        "adresse": "Adresses postale et physique, JSON en texte (latitude et longitude en texte)",
        "telephone": 'Numéros de téléphone, JSON en texte (`[{"valeur": …}]`)',
        "adresse_courriel": "Adresse électronique du service",
        "site_internet": 'Sites internet, JSON en texte (`[{"valeur": …}]`)',
        "plage_ouverture": (
            "Horaires d'ouverture, JSON en texte : jours de début et de fin, jusqu'à quatre "
            "plages horaires, commentaire"
        ),
        "date_modification": "Date de dernière modification de la fiche dans l'annuaire",
        "url_service_public": "Page du service sur service-public.gouv.fr",
    },
)


@commune_asset(
    group_name="sources",
    kinds={"json", "duckdb"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    check_specs=CUT.check_specs(),
)
def annuaire_service_public(commune: Commune, sources: SourceFetcher):
    """Les services publics de la commune dans l'annuaire de l'administration (DILA) : mairie,
    CCAS, police municipale, services de l'État et sociaux…, tels que l'API les sert : une ligne
    par service, champs imbriqués en texte JSON."""
    read = read_records(sources, sources.location_of(SOURCE, commune.code), commune.code)
    offices = cut_commune(read.records, commune.code, read.location)
    return CUT.result(
        offices,
        {
            **read.metadata(),
            "records_of_other_communes": len(read.records) - len(offices),
        },
    )
