"""Descriptive sheet of `bornes_recharge`."""

from cle_pipeline.defs.datasets.bornes_recharge.schema import SCHEMA_NAME, SCHEMA_VERSION
from cle_pipeline.defs.sources import irve
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="bornes_recharge",
    title="Bornes de recharge pour véhicules électriques",
    content="Une ligne par point de recharge (PDC) situé dans la commune, aux 40 colonnes du "
    "schéma national IRVE statique : aménageur, opérateur, station, adresse, coordonnées, "
    "puissance, prises, paiement, accessibilité, horaires.",
    collection="Extrait du fichier national consolidé des IRVE (Etalab / transport.data.gouv.fr) : "
    "points dont le code INSEE est celui de la commune, ou, quand l'aménageur ne l'a pas "
    "renseigné, dont les coordonnées tombent dans le contour de la commune (le code INSEE est "
    "alors complété). Un point republié plusieurs fois n'est gardé qu'une fois (sa version la "
    "plus récente). Valeurs remises au format du schéma : booléens true/false (et non oui/non), "
    "dates AAAA-MM-JJ, coordonnées [longitude,latitude].",
    purpose="Donner aux habitants et aux services de mobilité une liste à jour et conforme au "
    "schéma national des bornes de la commune.",
    sources=(SourceLink(irve.SOURCE.title, irve.SOURCE.page),),
    personal_data="Aucune donnée personnelle : les contacts sont les adresses génériques des "
    "aménageurs et opérateurs, publiées par eux.",
    uses="Cartes des bornes, calcul d'itinéraires, suivi du déploiement de la recharge sur la "
    "commune, réutilisation dans les applications de mobilité.",
    frequency="daily",
    temporal_coverage=None,
    tags=("irve", "mobilite", "vehicules-electriques", "recharge"),
    schema=(SCHEMA_NAME, SCHEMA_VERSION),
    key=("id_pdc_itinerance",),
    coordinates=("coordonneesXY",),
)
