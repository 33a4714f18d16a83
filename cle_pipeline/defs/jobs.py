"""Jobs a data engineer launches by hand (the UI's Launchpad, `make demo`)."""

import dagster as dg

build_commune = dg.define_asset_job(
    "build_commune",
    selection=dg.AssetSelection.groups("sources", "published"),
    description="Découpe la commune dans chaque source nationale, construit chaque jeu publié "
    "et lance ses contrôles ; le CSV d'un jeu est écrit quand ses contrôles passent. Ne publie "
    "rien sur data.gouv.fr.",
)
