"""Jobs a data engineer launches by hand (the UI's Launchpad, `make demo`)."""

import dagster as dg

from cle_pipeline.lib.partitions import COMMUNES

build_commune = dg.define_asset_job(
    "build_commune",
    selection=dg.AssetSelection.groups("commune_reference", "sources", "published"),
    partitions_def=COMMUNES,
    description="For one commune (the partition: its INSEE code), cuts the commune out of every "
    "national source, builds every published dataset and runs their checks; each dataset's CSV "
    "is written to data/published/<commune>/ when its checks pass. Publishes nothing to "
    "data.gouv.fr.",
)
