"""Descriptive sheet of `commerces`."""

from cle_pipeline.defs.sources import osm_commerces, sirene_etablissements
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="commerces",
    title="Commerces, cafés-restaurants et services de proximité",
    content="Une ligne par établissement actif de la commune dont l'activité principale est un "
    "commerce de détail en magasin, une boulangerie, pâtisserie ou charcuterie artisanale, un "
    "café ou un restaurant, une réparation de biens personnels ou un service à la personne "
    "(coiffure, soins de beauté, pressing) : SIRET, nom, activité NAF et son libellé, adresse, "
    "position et horaires d'ouverture quand ils sont connus.",
    collection="La liste vient du stock des établissements du répertoire Sirene (INSEE) : "
    "établissements de la commune à l'état administratif actif (A), en diffusion intégrale, "
    "dont le code NAF rév. 2 figure dans la liste documentée du jeu de données (commerce de "
    "détail en magasin, hors marchés et vente à distance ; 10.13B, 10.71C, 10.71D ; 56.10A/B/C "
    "et 56.30Z ; 95.21Z à 95.29Z ; 96.01B, 96.02A, 96.02B, 96.04Z). Chaque établissement est "
    "rapproché d'au plus un commerce d'OpenStreetMap (requête Overpass sur le contour "
    "administratif de la commune) : noms comparables sans accents ni ponctuation, puis même "
    "adresse (numéro et voie), ou position à moins de 150 m de l'adresse géocodée par l'INSEE, "
    "ou, à défaut de position, même nom porté par un seul commerce de chaque côté. La position "
    "et les horaires (syntaxe opening_hours d'OpenStreetMap) viennent du commerce rapproché ; "
    "le fichier des commerces fourni par la commune, quand il existe, fixe les horaires des "
    "SIRET qu'il liste. La colonne source_horaires dit d'où viennent les horaires : osm "
    "(OpenStreetMap), commune (fichier de la commune) ou aucune (horaires inconnus).",
    purpose="Offrir aux habitants un annuaire à jour des commerces de la commune avec leurs "
    "horaires, et à la commune un suivi de son tissu commercial.",
    sources=(
        SourceLink(sirene_etablissements.SOURCE.title, sirene_etablissements.SOURCE.page),
        SourceLink(osm_commerces.SOURCE.title, "https://www.openstreetmap.org/copyright"),
    ),
    personal_data="Les entrepreneurs individuels qui ont demandé la diffusion partielle de "
    "leurs données au répertoire Sirene (statutDiffusionEtablissement = P, article R123-232-1 "
    "du code de commerce) ne doivent voir leurs informations personnelles ni rediffusées "
    "entièrement ni utilisées à des fins de prospection ; l'INSEE remplace leurs champs "
    "protégés (adresse, enseigne, coordonnées) par [ND]. Ces établissements ne sont pas "
    "publiés du tout, pas même leurs champs restés publics (activité, commune) : une ligne "
    "« coiffure » sans nom ni adresse n'apprendrait rien d'utile et, dans une petite commune, "
    "pourrait suffire à désigner la personne qui a demandé à ne pas l'être ; leur nombre "
    "figure dans les métadonnées du jeu. Les nom et prénom des entrepreneurs individuels (fichier "
    "des unités légales) ne sont jamais lus : le nom publié est l'enseigne ou le nom usuel de "
    "l'établissement, ou le nom du commerce dans OpenStreetMap.",
    uses="Annuaire et carte des commerces, horaires d'ouverture, suivi de la vacance "
    "commerciale et des ouvertures, application « commerces de proximité ».",
    frequency="monthly",
    temporal_coverage=None,
    tags=("commerces", "sirene", "openstreetmap", "horaires", "economie"),
    # OpenStreetMap's positions and hours make the whole a derived database of OSM: ODbL, with
    # the attribution "© les contributeurs d'OpenStreetMap" (Sirene is under Licence Ouverte,
    # which allows it).
    licence="odc-odbl",
    key=("siret",),
    coordinates=("longitude", "latitude"),
)
