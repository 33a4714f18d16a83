"""Descriptive sheet of `elections_presidentielle_2022`."""

from cle_pipeline.defs.sources import presidentielle_2022_t1, presidentielle_2022_t2
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="elections_presidentielle_2022",
    title="Élection présidentielle 2022 : résultats par bureau de vote",
    content="Format long, une ligne par tour × bureau de vote × candidat. Colonnes : `tour` (1 ou "
    "2), `code_commune_insee`, `nom_commune`, `code_bureau` ; les totaux du bureau pour ce tour, "
    "répétés sur chaque ligne de ses candidats : `inscrits`, `abstentions`, `votants`, `blancs`, "
    "`nuls`, `exprimes` ; le candidat : `numero_panneau`, `sexe`, `nom`, `prenom` ; ses `voix` "
    "et leurs pourcentages `pct_voix_inscrits` et `pct_voix_exprimes` (nombres à point "
    "décimal). Au 1er tour, 12 lignes par bureau ; au 2nd, 2. Les totaux d'un bureau se lisent "
    "sur n'importe laquelle de ses lignes ; les voix s'additionnent par bureau et par tour.",
    collection="Extrait des fichiers nationaux des résultats définitifs par bureau de vote "
    "du ministère de l'Intérieur (un par tour), dont chaque ligne répète le bloc candidat autant "
    "de fois qu'il y a de candidats : les lignes de la commune (code du département + code "
    "à 3 chiffres de la commune ; lettres ZA, ZB, ZC, ZD, ZM… pour l'outre-mer) sont "
    "déroulées en une ligne par candidat. Contrôles : voix = exprimés, votants = blancs + nuls "
    "+ exprimés, inscrits = abstentions + votants, pourcentages recalculés à 0,01 point près, "
    "mêmes bureaux aux deux tours.",
    purpose="Donner à lire et à cartographier les résultats de la commune bureau par bureau, "
    "dans un tableau prêt pour un tableur ou une base de données.",
    sources=(
        SourceLink(presidentielle_2022_t1.SOURCE.title, presidentielle_2022_t1.SOURCE.page),
        SourceLink(presidentielle_2022_t2.SOURCE.title, presidentielle_2022_t2.SOURCE.page),
    ),
    personal_data="Les noms, prénoms et sexe des candidats sont publics (liste officielle du "
    "Conseil constitutionnel, résultats proclamés). Aucune donnée sur les électeurs : des "
    "totaux par bureau seulement.",
    uses="Cartes de participation et de vote par bureau, comparaison entre les tours et avec "
    "les élections législatives, analyses de l'abstention.",
    frequency="punctual",
    temporal_coverage=("2022-04-10", "2022-04-24"),
    tags=("elections", "presidentielle", "resultats", "bureau-de-vote"),
    key=("tour", "code_bureau", "numero_panneau"),
)
