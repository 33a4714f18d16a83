"""One publication asset per published dataset: its checked CSV and sheet sent to data.gouv.fr.

The assets are made by `publication_asset` for every folder of `cle_pipeline/defs/datasets/`,
so a new dataset is published with no line to add here. Each one depends on its dataset and
reads what the dataset's checks released (`lib/release.py`): only a file whose checks passed
can be published. Group `publication`, keys `datagouv/<dataset_id>`; `build_commune` (and so
`make demo`) never selects them.
"""

from collections.abc import Iterator

import dagster as dg

from cle_pipeline.defs.publishing.sheets import dataset_ids, load_sheet
from cle_pipeline.lib.datagouv import DataGouvPublisher
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import COMMUNES, commune_of
from cle_pipeline.lib.release import read_release
from cle_pipeline.lib.settings import CommuneSettings

GROUP = "publication"


def publication_key(dataset_id: str) -> dg.AssetKey:
    """The key of the asset that publishes `dataset_id`: `datagouv/<dataset_id>`."""
    return dg.AssetKey(["datagouv", dataset_id])


def publication_asset(dataset_id: str) -> dg.AssetsDefinition:
    """The asset that publishes `dataset_id` with the sheet declared beside its model."""
    sheet = load_sheet(dataset_id)
    key = publication_key(dataset_id)
    shown = {
        "title": sheet.title,
        "licence": sheet.licence,
        "frequency": sheet.frequency,
        "tags": ", ".join(sheet.tags),
        "schema": " ".join(sheet.schema) if sheet.schema else "none",
    }

    @dg.asset(
        key=key,
        group_name=GROUP,
        partitions_def=COMMUNES,
        deps=[dg.AssetKey(dataset_id)],
        owners=OWNERS,
        kinds={"csv"},
        tags={"dataset": dataset_id},
        description=f"Publishes « {sheet.title} » ({dataset_id}.csv, once its checks passed) "
        "and its descriptive sheet to data.gouv.fr (DATAGOUV_API_URL, demo by default): "
        "creates the dataset if needed, uploads the file only when its checksum changed.",
        metadata=shown,
        # A dry run (DATAGOUV_DRY_RUN) records an observation, not a materialization.
        output_required=False,
    )
    def _publish(
        context: dg.AssetExecutionContext, settings: CommuneSettings, datagouv: DataGouvPublisher
    ) -> Iterator[dg.MaterializeResult]:
        release = read_release(settings.published_folder(commune_of(context)), dataset_id)
        publication = datagouv.publish(release, sheet, context.log)
        metadata = {
            **publication.metadata(),
            "sheet": dg.MetadataValue.md(release.sheet_path.read_text(encoding="utf-8")),
        }
        if datagouv.dry_run:
            context.log_event(dg.AssetObservation(asset_key=key, metadata=metadata))
            return
        yield dg.MaterializeResult(metadata=metadata)

    return _publish


@dg.definitions
def publication_assets() -> dg.Definitions:
    """One publication asset per published dataset."""
    return dg.Definitions(assets=[publication_asset(dataset_id) for dataset_id in dataset_ids()])
