"""The publication job: the sensor's runs and `make publish` both go through it."""

import dagster as dg

from cle_pipeline.defs.publishing.assets import GROUP
from cle_pipeline.lib.partitions import COMMUNES

publish_datagouv = dg.define_asset_job(
    "publish_datagouv",
    selection=dg.AssetSelection.groups(GROUP),
    partitions_def=COMMUNES,
    description="Publishes datasets whose checks passed to data.gouv.fr (DATAGOUV_API_URL, "
    "DATAGOUV_ORGANIZATION, DATAGOUV_API_KEY). The sensor runs it for one dataset at a time; "
    "`make publish` for every dataset with a checked file.",
)
