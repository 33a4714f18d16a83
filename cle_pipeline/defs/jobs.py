"""Jobs a data engineer launches by hand (the UI's Launchpad, `make demo`)."""

import dagster as dg

build_commune = dg.define_asset_job(
    "build_commune",
    selection=dg.AssetSelection.groups("sources", "published", "valorisation"),
    description="Cuts the commune out of every national source, builds every published dataset "
    "and runs their checks; each dataset's CSV is written when its checks pass; then draws the "
    "charts, the map and the site of the commune (group valorisation). Publishes "
    "nothing to data.gouv.fr.",
)
