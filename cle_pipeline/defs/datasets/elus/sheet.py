"""Descriptive sheet of `elus`."""

from cle_pipeline.defs.sources import insee_populations_legales, rne_conseillers_municipaux
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="elus",
    title="Élus du conseil municipal",
    content="Une ligne par élu et par fonction : nom, prénom, sexe, fonction (Maire, adjoints "
    "dans l'ordre du tableau, « Conseiller municipal » pour un élu sans fonction), date de début "
    "du mandat et date de début de la fonction. Un élu qui exerce deux fonctions (un adjoint "
    "également maire délégué) a une ligne par fonction, comme dans le répertoire national. "
    "La colonne fonction reprend le libellé officiel du répertoire, qui écrit toutes les "
    "fonctions au masculin ; la colonne fonction_feminin donne, pour une élue, ce libellé au "
    "féminin (« Conseillère municipale », « 1re adjointe au maire », « 2e adjointe au maire », "
    "« Maire déléguée », « Maire ») et reste vide pour un élu.",
    collection="Extrait du Répertoire national des élus (fichier des conseillers municipaux, "
    "tenu par les préfectures et publié chaque trimestre par le ministère de l'Intérieur) : les "
    "lignes dont le code de la commune est celui de la commune. Dates converties au format "
    "AAAA-MM-JJ (le fichier les a publiées en JJ/MM/AAAA puis en AAAA-MM-JJ). L'effectif du "
    "conseil est contrôlé contre l'effectif légal (CGCT, art. L. 2121-2) calculé sur la "
    "population municipale authentifiée avant le dernier renouvellement général (populations "
    "légales de l'INSEE).",
    purpose="Savoir qui siège au conseil municipal et qui exerce quelle fonction, et à qui "
    "s'adresser en mairie.",
    sources=(
        SourceLink(rne_conseillers_municipaux.SOURCE.title, rne_conseillers_municipaux.SOURCE.page),
        SourceLink(insee_populations_legales.SOURCE.title, insee_populations_legales.SOURCE.page),
    ),
    personal_data="Sont publiés les nom, prénom, sexe, fonctions et dates de mandat : la "
    "composition du conseil municipal et le tableau de ses membres sont publics (CGCT, "
    "art. L. 2121-1 et R. 2121-2) et le répertoire national les diffuse déjà. Ne sont pas "
    "repris, et ne sont même pas lus dans le fichier national : la date de naissance, la "
    "catégorie socio-professionnelle (déclarative) et le code de nationalité. La nationalité "
    "n'est pas nécessaire pour savoir qui siège ; elle ne figure pas au tableau du conseil et "
    "révélerait l'origine des élus ressortissants d'un autre État de l'Union, qui peuvent être "
    "conseillers municipaux (mais ni maire ni adjoint) : la minimisation des données l'exclut. "
    "Les rectifications se demandent à la préfecture, qui tient le répertoire.",
    uses="Annuaire des élus sur le site de la commune, parité du conseil et des adjoints, suivi "
    "des changements en cours de mandat (démissions, remplacements).",
    frequency="quarterly",
    temporal_coverage=None,
    tags=("elus", "conseil-municipal", "repertoire-national-des-elus", "mandats"),
    key=("nom", "prenom", "fonction"),
)
