"""`datagouv/site`: the commune's site declared on data.gouv.fr as a reuse (visualisation).

Only when `CLE_SITE_URL` says where `data/published/<commune>/site/` is hosted: the reuse
points there and is linked to every dataset published to the same organization. Group
`publication`, so `make publish` and the publication job run it after the datasets.
"""

from collections.abc import Iterator

import dagster as dg

from cle_pipeline.defs.publishing.assets import publication_key
from cle_pipeline.defs.publishing.sheets import dataset_ids
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.datagouv import DataGouvPublisher
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.release import read_release
from cle_pipeline.lib.settings import CommuneSettings, SiteSettings


@commune_asset(
    key=dg.AssetKey(["datagouv", "site"]),
    group_name="publication",
    deps=["site", *[publication_key(dataset_id) for dataset_id in dataset_ids()]],
    owners=OWNERS,
    kinds={"html"},
    description="Déclare le site de la commune (CLE_SITE_URL) comme réutilisation de type "
    "visualisation sur data.gouv.fr, liée à chaque jeu publié ; rien sans CLE_SITE_URL.",
    output_required=False,
)
def datagouv_site(
    context: dg.AssetExecutionContext,
    settings: CommuneSettings,
    site: SiteSettings,
    datagouv: DataGouvPublisher,
) -> Iterator[dg.MaterializeResult]:
    """Creates or updates the reuse pointing at the hosted site."""
    if not site.site_url.strip():
        context.log.info("CLE_SITE_URL is not set: the site is not declared as a reuse")
        return
    folder = settings.published_folder(commune_of(context))
    commune_name = read_release(folder, dataset_ids()[0]).commune_name
    reuse = datagouv.publish_reuse(folder, commune_name, site.site_url.strip(), context.log)
    yield dg.MaterializeResult(
        metadata={
            "reuse_id": reuse["id"],
            "site_url": dg.MetadataValue.url(site.site_url.strip()),
            "datasets": len(reuse.get("datasets") or []),
        }
    )
