"""Descriptive sheet of `associations`."""

from cle_pipeline.defs.sources import rna_waldec
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="associations",
    title="Associations ayant leur siège dans la commune",
    content="Une ligne par association active (position A du RNA) dont le siège est dans la "
    "commune : numéro RNA, SIRET, dates de création, de déclaration et de publication, nom, "
    "sigle, objet, codes d'objet social, adresse du siège, site web. Les codes d'une lettre du "
    "RNA sont suivis de leur libellé en clair : nature (nature_libelle : D déclarée, R "
    "reconnue d'utilité publique, A assistance, B bienfaisance, G intérêt général, M "
    "recherche médicale, S recherche scientifique, U cultuelle, I indéterminée), groupement "
    "(groupement_libelle : S simple, U union, F fédération) et position (position_libelle : "
    "A active). Le ministère ne publie pas de liste de ces codes avec le fichier : les "
    "libellés sont ceux qu'en donnent ses réutilisateurs ; un code inconnu est publié sans "
    "libellé et signalé par un avertissement.",
    collection="Extrait de l'extraction Waldec du Répertoire national des associations : fichier "
    "du département de la commune, lignes dont le code INSEE du siège (adrs_codeinsee) est celui "
    "de la commune ; associations dissoutes (D) et supprimées (S) écartées ; date 0001-01-01 "
    "(date inconnue au RNA) laissée vide.",
    purpose="Donner une liste à jour des associations de la commune, utile aux habitants, aux "
    "services municipaux (subventions, salles) et aux associations elles-mêmes.",
    sources=(SourceLink(rna_waldec.SOURCE.title, rna_waldec.SOURCE.page),),
    personal_data="L'adresse de gestion (bloc adrg_*) et la civilité du dirigeant, souvent "
    "l'adresse privée d'un bénévole, ne sont ni lues ni republiées ; le champ observation, texte "
    "libre, n'est pas repris. Seule l'adresse du siège, publique, est publiée.",
    uses="Annuaire associatif, carte des associations, suivi des créations, rapprochement avec "
    "les subventions versées par la commune.",
    frequency="monthly",
    temporal_coverage=None,
    tags=("associations", "rna", "vie-associative"),
    key=("id",),
)
