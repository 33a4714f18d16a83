"""One publication asset per published dataset: its checked CSV and sheet sent to data.gouv.fr.

The assets are made by `publication_asset` for every folder of `cle_pipeline/defs/datasets/`,
so a new dataset is published with no line to add here. Each one depends on the dataset's
release asset (`release/<dataset_id>`) and reads its latest materialization for the commune:
the path and sha256 of the file written once the checks passed, which must still be the file
on disk (`lib/release.py`). Only a released file can be published. Group `publication`, keys
`datagouv/publication_<dataset_id>`; `build_commune` (and so `make demo`) never selects them.
"""

from collections.abc import Iterator

import dagster as dg

from cle_pipeline.defs.publishing.sheets import dataset_ids, load_sheet
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.datagouv import DataGouvPublisher
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.release import Release, ReleaseError, read_release
from cle_pipeline.lib.release_asset import latest_materialization, release_key
from cle_pipeline.lib.settings import CommuneSettings

GROUP = "publication"


def publication_key(dataset_id: str) -> dg.AssetKey:
    """The key of the asset that publishes `dataset_id`: `datagouv/publication_<dataset_id>`, so
    that its label in the graph says what it is (not a second node named like the dataset)."""
    return dg.AssetKey(["datagouv", f"publication_{dataset_id}"])


def released_file(
    context: dg.AssetExecutionContext, settings: CommuneSettings, dataset_id: str
) -> Release:
    """The commune's published file of `dataset_id`, when it is the one the latest
    materialization of `release/<dataset_id>` wrote (its sha256); an error otherwise: never
    released, or replaced since."""
    commune = commune_of(context)
    record = latest_materialization(context.instance, release_key(dataset_id), commune)
    materialization = record.asset_materialization if record else None
    if materialization is None or "sha256" not in materialization.metadata:
        raise ReleaseError(
            f"{dataset_id}: release/{dataset_id} was never materialized for commune {commune} "
            "(no checked file to publish: build it first, e.g. `make demo`)"
        )
    release = read_release(settings.published_folder(commune), dataset_id)
    released = str(materialization.metadata["sha256"].value)
    if release.sha256 != released:
        raise ReleaseError(
            f"{dataset_id}: {release.csv_path} is not the file release/{dataset_id} wrote last "
            f"(sha256 {release.sha256}, released {released}); release it again"
        )
    return release


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

    described = (
        f"Publie « {sheet.title} » ({dataset_id}.csv, tel que release/{dataset_id} l'a "
        "écrit une fois ses contrôles passés) et sa fiche sur data.gouv.fr (DATAGOUV_API_URL, "
        "demo.data.gouv.fr par défaut) : "
        "crée le jeu si besoin, n'envoie le fichier que si sa somme de contrôle a changé.\n\n"
        "**Pour publier** : rien n'est publié tant que ce n'est pas configuré, et cet actif reste "
        "alors « jamais matérialisé ». Définir DATAGOUV_API_KEY (clé d'API d'un compte membre de "
        "l'organisation) et DATAGOUV_ORGANIZATION, puis `make publish`, ou démarrer le capteur "
        "`publish_checked_datasets` (démarré d'office quand la clé est définie), qui publie "
        "chaque nouveau contenu contrôlé d'une commune. DATAGOUV_DRY_RUN=1 montre ce qui serait "
        "envoyé sans rien envoyer."
    )

    @commune_asset(
        key=key,
        group_name=GROUP,
        deps=[release_key(dataset_id)],
        owners=OWNERS,
        kinds={"csv"},
        tags={"dataset": dataset_id},
        description=described,
        metadata=shown,
        # A dry run (DATAGOUV_DRY_RUN) records an observation, not a materialization.
        output_required=False,
    )
    def _publish(
        context: dg.AssetExecutionContext, settings: CommuneSettings, datagouv: DataGouvPublisher
    ) -> Iterator[dg.MaterializeResult]:
        release = released_file(context, settings, dataset_id)
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
