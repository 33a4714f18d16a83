"""Descriptive sheet of `horaires_services`."""

from cle_pipeline.defs.datasets.horaires_services.schema import SCHEMA_NAME, SCHEMA_VERSION
from cle_pipeline.defs.sources import annuaire_service_public
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="horaires_services",
    title="Horaires d'ouverture des services municipaux",
    content="Une ligne par service municipal recensé dans l'annuaire de l'administration "
    "(mairie, centre communal d'action sociale, police municipale), aux 21 colonnes du schéma "
    "national des équipements collectifs publics : nomenclature, adresse, coordonnées, "
    "téléphone, courriel, site web et jours et horaires d'ouverture au format opening_hours "
    "d'OpenStreetMap (par exemple « Mo-Fr 08:30-12:00,13:30-17:30; Sa 08:30-12:00 »).",
    collection="Extrait de l'API de l'annuaire de l'administration (DILA, service-public.gouv.fr), "
    "fiches dont le code INSEE est celui de la commune. Les services de l'État ou des "
    "organismes sociaux installés dans la commune (commissariat, CAF…) ne sont pas repris. Les "
    "plages d'ouverture (jour de début, jour de fin, deux plages horaires et un commentaire) "
    "sont réécrites jour par jour au format OpenStreetMap, les jours aux horaires identiques "
    "regroupés, le commentaire conservé entre guillemets ; chaque valeur est vérifiée par un "
    "analyseur de ce format. Téléphones au format international (+33), SIRET de la commune "
    "repris de la fiche de la mairie. Les codes d'équipement (EQUIP_CODE) du CCAS (04010101) "
    "et de la police municipale (01030101) sont provisoires : seul celui de la mairie "
    "(01010401) est l'exemple du schéma ; ils restent à confirmer dans la nomenclature.",
    purpose="Donner des horaires à jour, lisibles par les applications (cartes, assistants, "
    "OpenStreetMap), de l'accueil des services municipaux.",
    sources=(
        SourceLink(annuaire_service_public.SOURCE.title, annuaire_service_public.SOURCE.page),
    ),
    personal_data="Aucune donnée personnelle : les contacts sont ceux des services. Les noms des "
    "responsables que l'annuaire peut citer ne sont ni lus ni republiés.",
    uses="Affichage des horaires sur le site de la commune et les cartes, calcul des services "
    "ouverts à une heure donnée, mise à jour d'OpenStreetMap.",
    frequency="daily",
    temporal_coverage=None,
    tags=("horaires", "services-publics", "mairie", "equipements", "opening-hours"),
    schema=(SCHEMA_NAME, SCHEMA_VERSION),
    key=("EQUIP_UID",),
    coordinates=("EQUIP_LONG", "EQUIP_LAT"),
)
