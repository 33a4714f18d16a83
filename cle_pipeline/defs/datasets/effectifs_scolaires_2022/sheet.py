"""Descriptive sheet of `effectifs_scolaires_2022`."""

from cle_pipeline.defs.sources import education_annuaire, education_effectifs_ecoles
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="effectifs_scolaires_2022",
    title="Effectifs des écoles à la rentrée 2022",
    content="Une ligne par école maternelle, élémentaire ou primaire (publique ou privée) de la "
    "commune à la rentrée 2022 (année scolaire 2022-2023) : numéro UAI, dénomination, "
    "patronyme, secteur (public ou privé), appartenance à un réseau d'éducation prioritaire "
    "(REP, REP+), nombre de classes, nombre total d'élèves et élèves par niveau : "
    "préélémentaire, élémentaire (et le détail CP, CE1, CE2, CM1, CM2), ULIS, UEEA. Les "
    "colonnes gardent les noms du fichier national.",
    collection="Extrait du fichier « Effectifs d'élèves par niveau et nombre de classes par "
    "école » (DEPP), lignes de la rentrée 2022. Ce fichier ne donne pas le code INSEE des "
    "communes (sa colonne code_commune_insee contient en réalité le code postal, commun à "
    "plusieurs communes) : chaque école est rattachée à la commune par son numéro UAI dans "
    "l'Annuaire de l'éducation. Une école fermée depuis, absente de l'annuaire, est rattachée "
    "par le nom de commune inscrit sur ses propres lignes. Contrôles bloquants : les niveaux "
    "s'additionnent au total, les numéros UAI sont bien formés, une seule ligne par école.",
    purpose="Connaître la taille et la composition des écoles de la commune : préparer la "
    "carte scolaire, les travaux, la restauration et le périscolaire.",
    sources=(
        SourceLink(education_effectifs_ecoles.SOURCE.title, education_effectifs_ecoles.SOURCE.page),
        SourceLink(education_annuaire.SOURCE.title, education_annuaire.SOURCE.page),
    ),
    personal_data="Uniquement des effectifs agrégés par école et par niveau, tels que publiés "
    "par le ministère : aucune donnée sur un élève ou un enseignant.",
    uses="Effectifs par classe, comparaison public/privé, part de l'éducation prioritaire, "
    "cartographie des écoles (avec l'annuaire), suivi des ouvertures et fermetures de classes.",
    frequency="punctual",
    temporal_coverage=("2022-09-01", "2023-08-31"),
    tags=("education", "ecoles", "effectifs-scolaires", "premier-degre"),
    key=("rentree_scolaire", "numero_ecole"),
)
