"""Descriptive sheet of `elections_legislatives_2022`."""

from cle_pipeline.defs.sources import legislatives_2022_t1, legislatives_2022_t2
from cle_pipeline.lib.sheet import DatasetSheet, SourceLink

SHEET = DatasetSheet(
    dataset_id="elections_legislatives_2022",
    title="Élections législatives 2022 : résultats par bureau de vote",
    content="Format long, une ligne par tour × bureau de vote × candidat. Colonnes : `tour` (1 ou "
    "2), `code_commune_insee`, `nom_commune`, `code_circonscription` (numéro dans le "
    "département), `code_bureau` ; les totaux du bureau pour ce tour, répétés sur chaque ligne "
    "de ses candidats : `inscrits`, `abstentions`, `votants`, `blancs`, `nuls`, `exprimes` ; le "
    "candidat : `numero_panneau`, `sexe`, `nom`, `prenom`, `nuance` (nuance politique du "
    "ministère : NUP, ENS, RN, LR, REC…) ; ses `voix` et leurs pourcentages "
    "`pct_voix_inscrits` et `pct_voix_exprimes` (nombres à point décimal). Le nombre de "
    "candidats varie d'une circonscription à l'autre ; une circonscription pourvue dès le 1er "
    "tour n'a pas de lignes au 2nd.",
    collection="Extrait des fichiers nationaux des résultats définitifs par bureau de vote "
    "du ministère de l'Intérieur (un par tour), dont chaque ligne répète le bloc candidat (avec "
    "sa nuance) autant de fois qu'il y a de candidats : les lignes de la commune (code du "
    "département + code à 3 chiffres de la commune ; lettres ZA, ZB, ZC, ZD, ZM… pour "
    "l'outre-mer) sont déroulées en une ligne par candidat. Contrôles : voix = exprimés, "
    "votants = blancs + nuls + exprimés, inscrits = abstentions + votants, pourcentages "
    "recalculés à 0,01 point près, mêmes bureaux aux deux tours dans chaque circonscription "
    "qui a voté deux fois.",
    purpose="Donner à lire et à cartographier les résultats de la commune bureau par bureau, "
    "dans un tableau prêt pour un tableur ou une base de données.",
    sources=(
        SourceLink(legislatives_2022_t1.SOURCE.title, legislatives_2022_t1.SOURCE.page),
        SourceLink(legislatives_2022_t2.SOURCE.title, legislatives_2022_t2.SOURCE.page),
    ),
    personal_data="Les noms, prénoms, sexe et nuance des candidats sont publics (candidatures "
    "enregistrées par les préfectures, résultats proclamés). Aucune donnée sur les électeurs : "
    "des totaux par bureau seulement.",
    uses="Cartes de participation et de vote par bureau, comparaison entre les tours et avec "
    "l'élection présidentielle, analyses de l'abstention.",
    frequency="punctual",
    temporal_coverage=("2022-06-12", "2022-06-19"),
    tags=("elections", "legislatives", "resultats", "bureau-de-vote"),
    key=("tour", "code_bureau", "numero_panneau"),
)
