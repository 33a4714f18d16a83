"""Descriptive sheet of `subventions`."""

from cle_pipeline.defs.datasets.subventions.schema import SCHEMA_NAME, SCHEMA_VERSION
from cle_pipeline.defs.sources import rna_waldec
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="subventions",
    title="Subventions attribuées aux associations",
    content="Une ligne par subvention attribuée par la commune (convention ou décision), aux 16 "
    "colonnes du schéma national SCDL Subventions : attribuant, date de la convention, "
    "référence de la décision, bénéficiaire (nom, SIRET et/ou numéro RNA), objet, montant, "
    "nature de l'aide, conditions et dates de versement, notification à l'Union européenne, "
    "part du montant versée au bénéficiaire.",
    collection="Tableau des subventions transmis par la commune (CSV ou XLSX, en-têtes en "
    "français), repris ligne à ligne dans l'ordre de la commune : montants au format "
    "décimal à point (1 500,00 € → 1500.00), dates AAAA-MM-JJ, périodes AAAA-MM-JJ/AAAA-MM-JJ, "
    "oui/non, « N/A » à la place d'un SIRET laissé vide. Une association sans numéro RNA dans "
    "le tableau reçoit celui de l'association active de la commune qui porte exactement le "
    "même nom dans le Répertoire national des associations. L'attribuant (nom et SIRET de la "
    "mairie) est décrit une fois pour toutes par la commune. Aucune ligne n'est écartée : une "
    "ligne incomplète bloque la publication et est signalée par son numéro de ligne.",
    purpose="Publier les données essentielles des conventions de subvention, obligatoires "
    "au-delà de 23 000 € par subvention (loi n° 2000-321, article 10 ; décret n° 2017-779), "
    "et par transparence pour toutes les subventions de la commune.",
    sources=(
        SourceLink(
            "Schéma SCDL Subventions",
            f"https://schema.data.gouv.fr/{SCHEMA_NAME}/{SCHEMA_VERSION}/",
        ),
        SourceLink(rna_waldec.SOURCE.title, rna_waldec.SOURCE.page),
    ),
    personal_data="Les bénéficiaires sont des personnes morales (associations) : leur nom, "
    "SIRET et numéro RNA sont publics. Le tableau de la commune ne doit pas contenir d'aide "
    "attribuée à une personne physique, dont le nom ne serait pas publiable.",
    uses="Suivi de la vie associative et de l'effort financier de la commune, comparaison "
    "entre années et entre communes, agrégation nationale des données de subventions.",
    frequency="annual",
    temporal_coverage=None,
    tags=("subventions", "associations", "scdl", "finances-locales"),
    schema=(SCHEMA_NAME, SCHEMA_VERSION),
    key=("referenceDecision", "nomBeneficiaire"),
)
