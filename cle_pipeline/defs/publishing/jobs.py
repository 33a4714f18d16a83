"""The publication job: the sensor's runs and `make publish` both go through it."""

import dagster as dg

from cle_pipeline.defs.publishing.assets import GROUP
from cle_pipeline.lib.partitions import COMMUNES

publish_datagouv = dg.define_asset_job(
    "publish_datagouv",
    selection=dg.AssetSelection.groups(GROUP),
    partitions_def=COMMUNES,
    description="Publie sur data.gouv.fr les jeux dont les contrôles ont passé, pour une commune "
    "(la partition) (DATAGOUV_API_URL, DATAGOUV_ORGANIZATION, DATAGOUV_API_KEY). Le capteur le "
    "lance pour un jeu à la fois ; `make publish` pour chaque jeu dont le fichier est contrôlé.",
)
