"""Jobs a data engineer launches by hand (the UI's Launchpad, `make demo`)."""

import dagster as dg

build_commune = dg.define_asset_job(
    "build_commune",
    selection=dg.AssetSelection.groups("sources", "published", "valorisation"),
    description="Découpe la commune dans chaque source nationale, construit chaque jeu publié "
    "et lance ses contrôles ; le CSV d'un jeu est écrit quand ses contrôles passent ; dessine "
    "ensuite les graphiques, la carte et le site de la commune (groupe valorisation). Ne publie "
    "rien sur data.gouv.fr.",
)
