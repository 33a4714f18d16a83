"""Descriptive sheet of `naissances_deces`."""

from cle_pipeline.defs.sources import insee_deces, insee_naissances
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="naissances_deces",
    title="Naissances et décès par année",
    content="Une ligne par année civile, de 2008 à la dernière année publiée par l'INSEE : "
    "nombre de naissances vivantes et de décès de personnes domiciliées dans la commune, selon "
    "l'état civil. Une case vide signifie que l'INSEE publie la valeur comme manquante "
    "(statut M) : elle est inconnue, ce n'est pas zéro.",
    collection="Extrait des séries communales de l'état civil publiées par l'INSEE "
    "(DS_ETAT_CIVIL_NAIS_COMMUNES et DS_ETAT_CIVIL_DECES_COMMUNES) : lignes de la commune "
    "(GEO_OBJECT COM, mesures LVB et DTH), une par année. Pour Paris, Lyon et Marseille, c'est "
    "la ligne de la commune entière ; les arrondissements ne sont pas ajoutés. Les anciens "
    "fichiers (colonnes NAISDaa et DECESDaa, jusqu'en 2021) sont encore lus si on les fournit.",
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
    temporal_coverage=("2008-01-01", "2024-12-31"),
    tags=("etat-civil", "naissances", "deces", "demographie"),
    key=("annee",),
)
