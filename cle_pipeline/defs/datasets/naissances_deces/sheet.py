"""Descriptive sheet of `naissances_deces`."""

from cle_pipeline.defs.sources import insee_deces, insee_naissances
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="naissances_deces",
    title="Naissances et décès par année",
    content="Une ligne par année civile : nombre de naissances et de décès de personnes "
    "domiciliées dans la commune, selon l'état civil.",
    collection="Extrait des fichiers communaux de l'état civil publiés par l'INSEE (colonnes "
    "NAISDaa et DECESDaa de la ligne CODGEO de la commune), une ligne par année.",
    purpose="Suivre la dynamique démographique de la commune sans attendre le recensement.",
    sources=(
        SourceLink(insee_naissances.SOURCE.title, insee_naissances.SOURCE.page),
        SourceLink(insee_deces.SOURCE.title, insee_deces.SOURCE.page),
    ),
    personal_data="Uniquement des effectifs agrégés par année : aucun acte d'état civil "
    "individuel n'est lu ni republié.",
    uses="Indicateurs démographiques, solde naturel, graphiques d'évolution, comparaison avec "
    "les communes voisines.",
    frequency="annual",
    temporal_coverage=("2014-01-01", "2021-12-31"),
    tags=("etat-civil", "naissances", "deces", "demographie"),
)
