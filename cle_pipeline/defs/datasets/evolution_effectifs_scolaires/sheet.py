"""Descriptive sheet of `evolution_effectifs_scolaires`."""

from cle_pipeline.defs.sources import education_annuaire, education_effectifs_ecoles
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="evolution_effectifs_scolaires",
    title="Évolution des effectifs des écoles depuis la rentrée 2019",
    content="Une ligne par école et par rentrée scolaire depuis 2019 (niveau_agregation = "
    "« ecole »), et pour chaque rentrée une ligne de total de la commune (niveau_agregation = "
    "« commune », numéro UAI, dénomination et secteur vides, nombre_ecoles = nombre d'écoles "
    "comptées). Colonnes : rentrée (2022 pour l'année 2022-2023), numéro UAI, dénomination, "
    "patronyme, secteur (public ou privé), REP, REP+, nombre de classes, nombre total "
    "d'élèves et élèves par niveau (préélémentaire, élémentaire dont CP à CM2, ULIS, UEEA). "
    "Pour ne garder que les écoles, ou que les totaux, filtrer la colonne niveau_agregation. "
    "Une école n'apparaît que les années où elle a des élèves.",
    collection="Extrait du fichier « Effectifs d'élèves par niveau et nombre de classes par "
    "école » (DEPP), toutes les rentrées publiées. Les écoles sont rattachées à la commune par "
    "leur numéro UAI dans l'Annuaire de l'éducation, jamais par le code postal (la colonne "
    "code_commune_insee du fichier contient en réalité le code postal, partagé avec une commune "
    "voisine). Une école fermée, absente de l'annuaire qui ne liste que les établissements "
    "ouverts, est rattachée par le nom de commune inscrit sur ses propres lignes, pour que les "
    "totaux des années passées restent complets. Les totaux de la commune sont calculés par "
    "addition des écoles. Contrôles bloquants : niveaux additionnés égaux au total, UAI bien "
    "formés, une ligne par école et par rentrée, totaux égaux à la somme des écoles.",
    purpose="Suivre la démographie scolaire de la commune : baisse ou hausse des effectifs, "
    "ouvertures et fermetures de classes, anticipation des besoins en locaux.",
    sources=(
        SourceLink(education_effectifs_ecoles.SOURCE.title, education_effectifs_ecoles.SOURCE.page),
        SourceLink(education_annuaire.SOURCE.title, education_annuaire.SOURCE.page),
    ),
    personal_data="Uniquement des effectifs agrégés par école, niveau et rentrée, tels que "
    "publiés par le ministère : aucune donnée sur un élève ou un enseignant.",
    uses="Graphiques d'évolution par école ou pour la commune, taux d'encadrement (élèves par "
    "classe), comparaison public/privé, projection avec les naissances de la commune.",
    frequency="annual",
    temporal_coverage=None,
    tags=("education", "ecoles", "effectifs-scolaires", "premier-degre", "evolution"),
    key=("niveau_agregation", "rentree_scolaire", "numero_ecole"),
)
