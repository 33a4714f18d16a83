"""The files published beside a release's CSV, written right after it by the release asset.

- `<dataset_id>.changements.csv`: rows added, removed and changed since the previous release
  (`lib/changelog.py`; left as it was when the content did not change);
- `<dataset_id>.qualite.md`: the *bilan de mise en qualité* (`lib/quality.py`), and its short
  summary in the release record, which the data.gouv.fr description ends with;
- `<dataset_id>.schema.json`: the Table Schema generated from the model, for a dataset without
  an official schema (`lib/schema_file.py`);
- `<dataset_id>.geojson`: for a dataset with positions (`lib/geojson.py`).

`write_companions` is the one call the release code makes; it returns the metadata that shows
them on the release in the UI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pandera.pandas as pa

from cle_pipeline.lib.changelog import read_published_csv, record_release
from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.geojson import feature_collection, geojson_bytes
from cle_pipeline.lib.quality import CheckVerdict, quality_report, quality_summary
from cle_pipeline.lib.release import Release, write_record
from cle_pipeline.lib.schema_file import schema_json, table_schema
from cle_pipeline.lib.sheet import DatasetSheet

# Metadata every dataset asset records (lib/metadata.published_metadata): not the transform's.
COMMON_METADATA = {"dagster/row_count", "dagster/column_schema", "preview"}
# Counts and short texts; a path (the IO manager's `path`) says nothing of the transform.
COUNT_VALUES = (dg.IntMetadataValue, dg.FloatMetadataValue, dg.TextMetadataValue)


def changes_path(folder: Path, dataset_id: str) -> Path:
    """The change log beside the CSV."""
    return folder / f"{dataset_id}.changements.csv"


def quality_path(folder: Path, dataset_id: str) -> Path:
    """The quality report beside the CSV."""
    return folder / f"{dataset_id}.qualite.md"


def schema_path(folder: Path, dataset_id: str) -> Path:
    """The Table Schema beside the CSV."""
    return folder / f"{dataset_id}.schema.json"


def geojson_path(folder: Path, dataset_id: str) -> Path:
    """The GeoJSON beside the CSV."""
    return folder / f"{dataset_id}.geojson"


@dataclass(frozen=True)
class CompanionFile:
    """A file published beside the CSV, as a resource of its own on data.gouv.fr."""

    path: Path
    title: str
    description: str
    mime: str
    # The name it is uploaded under, when data.gouv.fr refuses its own extension.
    upload_name: str = ""


def companion_files(folder: Path, sheet: DatasetSheet) -> list[CompanionFile]:
    """The companion files of the dataset's release that exist in `folder`, in the order
    data.gouv.fr lists them after the CSV."""
    dataset_id, title = sheet.dataset_id, sheet.title
    candidates = [
        CompanionFile(
            schema_path(folder, dataset_id),
            f"{title} (schéma)",
            "Schéma du fichier CSV (Table Schema de frictionless), généré à partir du modèle de "
            "contrôle du jeu : colonnes, types, formats, contraintes, descriptions, exemples.",
            "application/json",
        ),
        CompanionFile(
            geojson_path(folder, dataset_id),
            f"{title} (GeoJSON)",
            "Les mêmes lignes, placées par leurs coordonnées (GeoJSON RFC 7946, longitude puis "
            "latitude) ; propriétés : les colonnes du CSV.",
            "application/geo+json",
        ),
        CompanionFile(
            quality_path(folder, dataset_id),
            f"{title} (bilan de mise en qualité)",
            "Chaque contrôle et son verdict, les corrections faites et leur nombre, les lignes "
            "écartées et pourquoi, les changements depuis la publication précédente (texte au "
            "format Markdown).",
            "text/plain",
            # data.gouv.fr accepts no `.md` file (its list of extensions): the same text as .txt.
            upload_name=f"{dataset_id}.qualite.txt",
        ),
        CompanionFile(
            changes_path(folder, dataset_id),
            f"{title} (journal des changements)",
            "Lignes ajoutées, supprimées et modifiées depuis la publication précédente, par la "
            "clé du jeu (une ligne par valeur modifiée, avant et après).",
            "text/csv",
        ),
    ]
    return [companion for companion in candidates if companion.path.is_file()]


def transform_metadata(metadata: dict[str, Any]) -> tuple[dict[str, object], dict[str, str]]:
    """(counts, markdown tables) the dataset asset recorded about its transform."""
    counts: dict[str, object] = {}
    tables: dict[str, str] = {}
    for name, entry in metadata.items():
        if name in COMMON_METADATA:
            continue
        if isinstance(entry, dg.MarkdownMetadataValue):
            tables[name] = str(entry.value)
        elif isinstance(entry, COUNT_VALUES):
            counts[name] = entry.value
        elif isinstance(entry, int | float | str):
            counts[name] = entry
    return counts, tables


def write_companions(
    release: Release,
    sheet: DatasetSheet,
    model: type[pa.DataFrameModel],
    verdicts: Sequence[CheckVerdict],
    dataset_metadata: dict[str, Any],
) -> dict[str, Any]:
    """Writes the change log, the quality report, the schema and the GeoJSON of `release`;
    returns their metadata (paths, the change summary, the report)."""
    folder, dataset_id = release.folder, release.dataset_id
    changelog = record_release(folder, dataset_id, release.sha256, release.checked_at, sheet.key)
    changes = (
        changelog.summary()
        if changelog
        else "Contenu identique à la publication précédente : pas de nouvelle publication, "
        f"le journal `{dataset_id}.changements.csv` reste celui de cette publication."
    )
    published = read_published_csv(release.csv_path)
    metadata: dict[str, Any] = {
        "changes_file": dg.MetadataValue.path(str(changes_path(folder, dataset_id))),
        "changes": changes,
    }
    if sheet.schema is None:
        schema = table_schema(model, sheet, published)
        write_atomically(schema_path(folder, dataset_id), schema_json(schema))
        metadata["schema_file"] = dg.MetadataValue.path(str(schema_path(folder, dataset_id)))
    if sheet.coordinates:
        collection = feature_collection(published, sheet.coordinates)
        write_atomically(geojson_path(folder, dataset_id), geojson_bytes(collection))
        metadata["geojson_file"] = dg.MetadataValue.path(str(geojson_path(folder, dataset_id)))
    counts, tables = transform_metadata(dataset_metadata)
    report = quality_report(
        sheet,
        release.commune_name,
        release.rows,
        release.checked_at,
        verdicts,
        counts,
        tables,
        changes,
    )
    write_atomically(quality_path(folder, dataset_id), report.encode("utf-8"))
    # The short version ends the description on data.gouv.fr: the record carries it there.
    summary = quality_summary(dataset_id, verdicts, counts, changes)
    write_record(dataclasses.replace(release, quality_summary=summary))
    metadata["quality_file"] = dg.MetadataValue.path(str(quality_path(folder, dataset_id)))
    metadata["quality_report"] = dg.MetadataValue.md(report)
    metadata["quality_summary"] = dg.MetadataValue.md(summary)
    return metadata
