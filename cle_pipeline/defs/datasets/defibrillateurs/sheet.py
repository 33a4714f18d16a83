"""Descriptive sheet of `defibrillateurs`."""

from cle_pipeline.defs.datasets.defibrillateurs.schema import SCHEMA_NAME, SCHEMA_VERSION
from cle_pipeline.defs.sources import geodae
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="defibrillateurs",
    title="Défibrillateurs automatisés externes (DAE)",
    content="Une ligne par défibrillateur fixe en fonctionnement situé dans la commune, aux 46 "
    "colonnes du schéma national DAE : nom, coordonnées, adresse, accès (intérieur ou "
    "extérieur, libre ou non, étage, complément), jours et heures de disponibilité, photos, "
    "dates d'installation, de maintenance et de péremption, état, exploitant.",
    collection="Extrait de l'export quotidien de Géo'DAE, la base nationale des défibrillateurs "
    "(Ministère de la Santé) : appareils dont le code INSEE est celui de la commune, ou, quand "
    "il n'est pas renseigné, dont les coordonnées tombent dans le contour de la commune (le "
    "code et le nom de la commune sont alors complétés). Sont retenus les appareils en "
    "fonctionnement, dont la déclaration est validée, non mobiles, non signalés comme doublons "
    "et non marqués « A supprimer » ; un appareil dont l'un de ces statuts porte une valeur "
    "inconnue est écarté et signalé. Valeurs remises au format du schéma : booléens oui/non "
    "(l'export écrit t/f), jours et plages de disponibilité en listes séparées par « | » "
    "(l'export écrit des tableaux {lundi,mardi}), dates AAAA-MM-JJ, coordonnées à point "
    "décimal, photos par leur adresse complète (un simple nom de fichier n'est pas repris). "
    "Conformité : six champs obligatoires du schéma (tel1, fab_rais, modele, num_serie, "
    "expt_tel1, expt_email) ne sont pas diffusés par Géo'DAE en open data ; la commune, "
    "exploitante de ses appareils, les complète par son fichier defibrillateurs.csv (ou .xlsx), "
    "une ligne par appareil désigné par son identifiant Géo'DAE ou par sa position (à 15 m "
    "près), téléphones remis au format +33. Avec ce fichier, le jeu respecte entièrement le "
    "schéma ; sans lui, ces six champs restent vides, le fichier n'est pas entièrement conforme "
    "et un contrôle d'avertissement (non bloquant) liste les appareils et les champs "
    "manquants. Tous les autres champs respectent le schéma.",
    purpose="Permettre aux habitants, aux secours et aux applications de trouver le "
    "défibrillateur le plus proche, disponible au moment voulu.",
    sources=(SourceLink(geodae.SOURCE.title, geodae.SOURCE.page),),
    personal_data="L'arrêté du 29 octobre 2019 ne met en accès libre qu'une partie des données "
    "déclarées : les numéros de téléphone du site et de l'exploitant, les adresses "
    "électroniques, le numéro de série, le modèle, le fabricant et le mainteneur ne figurent "
    "pas dans l'export national. La commune publie ici, pour ses propres appareils, le "
    "téléphone du site (tel1), le téléphone et le courriel de l'exploitant (expt_tel1, "
    "expt_email) : ce sont les coordonnées professionnelles d'un service (standard de la "
    "mairie, boîte d'un service), pas celles d'une personne ; le schéma les exige pour que les "
    "secours et le public joignent l'exploitant, et une administration peut diffuser les "
    "coordonnées de ses services. Un contrôle bloquant refuse tout ce qui ressemble au contact "
    "d'une personne : numéro de mobile, messagerie grand public (gmail.com, orange.fr…), "
    "adresse « p.nom@ » (l'exemple du schéma) ; la commune doit alors donner le standard ou la "
    "boîte du service. Limite connue : une adresse prénom.nom@ sur le domaine de la commune ne "
    "se distingue pas d'une adresse de service, la commune en reste responsable. Les autres "
    "contacts (tel2, site_email, expt_tel2) restent toujours vides. L'exploitant est publié "
    "par sa raison sociale et son SIREN, "
    "comme le publie le ministère : collectivités, établissements et entreprises inscrits au "
    "répertoire Sirene ; un exploitant entrepreneur individuel y figure sous le nom inscrit à "
    "Sirene (limite connue). Dans les textes libres (nom, accès, disponibilité), les numéros de "
    "téléphone mobile, le plus souvent ceux d'une personne, sont masqués.",
    uses="Cartes des défibrillateurs, applications de premiers secours, information des "
    "habitants, suivi de l'équipement et de la maintenance des DAE de la commune.",
    frequency="daily",
    temporal_coverage=None,
    tags=("defibrillateurs", "dae", "sante", "premiers-secours", "geodae"),
    schema=(SCHEMA_NAME, SCHEMA_VERSION),
    key=("nom", "lat_coor1", "long_coor1"),
    coordinates=("long_coor1", "lat_coor1"),
)
