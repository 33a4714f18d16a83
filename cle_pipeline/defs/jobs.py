"""Jobs a data engineer launches by hand (the UI's Launchpad, `make demo`)."""

import dagster as dg

from cle_pipeline.lib.partitions import COMMUNES

build_commune = dg.define_asset_job(
    "build_commune",
    selection=dg.AssetSelection.groups("commune_reference", "sources", "published", "valorisation"),
    partitions_def=COMMUNES,
    description="Pour une commune (la partition : son code INSEE), découpe la commune dans chaque "
    "source nationale, construit chaque jeu publié et lance ses contrôles ; le CSV d'un jeu est "
    "écrit dans data/published/<commune>/ quand ses contrôles passent ; dessine ensuite les "
    "graphiques, la carte et le site de la commune (groupe valorisation). Ne publie rien sur "
    "data.gouv.fr.",
)

cut_national_files = dg.define_asset_job(
    "cut_national_files",
    selection=dg.AssetSelection.groups("national"),
    description="Lit une fois chaque fichier national (groupe national) et y découpe en une "
    "passe chaque commune enregistrée (partitions `commune`) ; la source de chaque commune lit "
    "ensuite ses lignes dans cette découpe. `cle-pipeline demo` le lance avant une liste de "
    "communes.",
)
