"""Effectifs d'élèves par école (`fr-en-ecoles-effectifs-nb_classes`, DEPP): pupils per level
and number of classes of every primary school, one row per school and school year since 2019.

Opendatasoft export, `;`, UTF-8 with a BOM, about 47,500 schools a year. `rentree_scolaire` is
the year of the rentrée (`2022` for 2022-2023); counts are integers (the API has served some
as `125.0`). The header changed over time: older exports end with `tri;code_postal`; newer ones
add `code_departement`, `nombre_eleves_ueea` and a column `code_commune_insee` that actually
holds the POSTAL code. Only the columns below are required, so both read the same. The
portal's web page gives labels instead of field names as header (`Rentrée scolaire;…;Numéro
de l'école;…`, CRLF): read too, through `LABELS`.

The file has no INSEE code: a school is placed by its UAI (`numero_ecole`) in the school
directory, which is why this asset depends on `education_annuaire` rather than the dataset
joining the two: the cut itself needs the directory's UAIs, and what leaves this asset is
already "the commune's schools", like every other source asset. Never by postal code: 76320 is
both Caudebec-lès-Elbeuf and Saint-Pierre-lès-Elbeuf.

One fallback, for schools that closed: the directory only lists open establishments, so a
closed school's past years would silently vanish from the commune's totals. A UAI numbered in
the commune's department that the directory does not know at all is placed by the commune
name written on its own rows (`commune`, compared accent- and case-insensitively). Such rows
are marked `place_par` = `nom_commune` (the others `annuaire`) and counted in the metadata.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cle_pipeline.defs.sources.education_annuaire import uai_prefix
from cle_pipeline.lib.cadence import YEARLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.normalise import place_name_key
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv

SOURCE = Source(
    id="education_effectifs_ecoles",
    title="Effectifs d'élèves par niveau et nombre de classes par école",
    publisher="Ministère de l'Éducation nationale (DEPP)",
    page="https://data.education.gouv.fr/explore/dataset/fr-en-ecoles-effectifs-nb_classes/information/",
    url="https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/"
    "fr-en-ecoles-effectifs-nb_classes/exports/csv?delimiter=%3B",
    snapshot="fr-en-ecoles-effectifs-nb_classes.csv",
    cadence=YEARLY,
)
FORMAT = CsvFormat(separator=";", encoding="utf-8")
LEVEL_COLUMNS = [
    "nombre_eleves_preelementaire_hors_ulis",
    "nombre_eleves_elementaire_hors_ulis",
    "nombre_eleves_ulis",
    "nombre_eleves_cp_hors_ulis",
    "nombre_eleves_ce1_hors_ulis",
    "nombre_eleves_ce2_hors_ulis",
    "nombre_eleves_cm1_hors_ulis",
    "nombre_eleves_cm2_hors_ulis",
]
COLUMNS = [
    "rentree_scolaire",
    "commune",
    "numero_ecole",
    "denomination_principale",
    "patronyme",
    "secteur",
    "rep",
    "rep_plus",
    "nombre_total_classes",
    "nombre_total_eleves",
    *LEVEL_COLUMNS,
]
# The download button of the portal's web page writes labels as header (as of the release of
# rentrée 2022, 23 columns), the API export field names. Either is read, under the field names.
LABELS = {
    "Rentrée scolaire": "rentree_scolaire",
    "Région académique": "region_academique",
    "Académie": "academie",
    "Département": "departement",
    "Commune": "commune",
    "Numéro de l'école": "numero_ecole",
    "Dénomination principale": "denomination_principale",
    "Patronyme": "patronyme",
    "Secteur": "secteur",
    "REP": "rep",
    "REP +": "rep_plus",
    "Nombre total de classes": "nombre_total_classes",
    "Nombre total d'élèves": "nombre_total_eleves",
    "Nombre d'élèves en pré-élémentaire hors ULIS": "nombre_eleves_preelementaire_hors_ulis",
    "Nombre d'élèves en élémentaire hors ULIS": "nombre_eleves_elementaire_hors_ulis",
    "Nombre d'élèves en ULIS": "nombre_eleves_ulis",
    "Nombre d'élèves en CP hors ULIS": "nombre_eleves_cp_hors_ulis",
    "Nombre d'élèves en CE1 hors ULIS": "nombre_eleves_ce1_hors_ulis",
    "Nombre d'élèves en CE2 hors ULIS": "nombre_eleves_ce2_hors_ulis",
    "Nombre d'élèves en CM1 hors ULIS": "nombre_eleves_cm1_hors_ulis",
    "Nombre d'élèves en CM2 hors ULIS": "nombre_eleves_cm2_hors_ulis",
    "tri": "tri",
    "Code Postal": "code_postal",
}
# Only in newer exports (UEEA pupils counted apart from rentrée 2024); read when present.
UEEA = "nombre_eleves_ueea"

# Semi-joins on the unnested lists (hashed by DuckDB), not a list scan per row: the national
# file has about 330,000 rows and a department's directory about 2,000 UAIs.
WHERE = """
    trim(numero_ecole) IN (SELECT unnest($commune_uais))
    OR (starts_with(trim(numero_ecole), $prefix)
        AND trim(numero_ecole) NOT IN (SELECT unnest($known_uais)))
"""


def commune_uais(directory: pd.DataFrame, label: str = "education_annuaire") -> list[str]:
    """The UAIs the directory places in the commune (deduplicated). A UAI placed both in the
    commune and elsewhere is a contradiction of the directory, not something to guess about,
    unless the directory says the establishment has several lines (`multi_uai` = 1: a lycée
    and its annex in another commune share their UAI in the real file): it is then the
    commune's too."""
    listed = directory.dropna(subset=["identifiant_de_l_etablissement"])
    uais = listed["identifiant_de_l_etablissement"].str.strip()
    own = set(uais[listed["dans_la_commune"]])
    elsewhere = set(uais[~listed["dans_la_commune"]])
    multi_line = listed.get("multi_uai", pd.Series("", index=listed.index)).fillna("").str.strip()
    several_lines = set(uais[multi_line == "1"])
    contradictions = sorted((own & elsewhere) - several_lines)
    if contradictions:
        raise SourceFormatError(
            f"{label}: UAI {', '.join(contradictions)} placed both in the commune and in another "
            "commune (code_commune)"
        )
    return sorted(own)


def cut_commune(table: Path, directory: pd.DataFrame, commune: Commune, label: str) -> pd.DataFrame:
    """The enrolment rows of the commune's schools, every column as text, plus `place_par`:
    `annuaire` (UAI placed in the commune by the directory) or `nom_commune` (a UAI of the
    department unknown to the directory whose rows name the commune: a closed school)."""
    own = commune_uais(directory)
    known = sorted(set(directory["identifiant_de_l_etablissement"].dropna().str.strip()))
    rows = query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where=WHERE,
        parameters={
            "commune_uais": own,
            "known_uais": known,
            "prefix": uai_prefix(commune.department),
        },
        label=label,
        labels=LABELS,
    )
    uai = rows["numero_ecole"].str.strip()
    by_directory = uai.isin(own)
    by_name = ~by_directory & (rows["commune"].map(place_name_key) == place_name_key(commune.name))
    kept = rows[by_directory | by_name].copy()
    kept["place_par"] = by_directory[by_directory | by_name].map(
        {True: "annuaire", False: "nom_commune"}
    )
    return kept.reset_index(drop=True)


# A warning: a commune without a public primary school has no enrolments.
CUT = SourceCut(
    "education_effectifs_ecoles",
    required=False,
    why="une commune sans école du premier degré n'a pas d'effectifs ; les jeux d'effectifs "
    "scolaires sont alors vides.",
    descriptions={
        "rentree_scolaire": "Année de la rentrée (`2022` pour 2022-2023)",
        "code_commune_insee": (
            "Malgré son nom, le CODE POSTAL de l'école (exports récents) : jamais utilisé pour "
            "placer"
        ),
        "commune": "Nom de la commune écrit par la DEPP",
        "numero_ecole": "UAI de l'école, placée dans la commune par l'annuaire de l'éducation",
        "denomination_principale": "Dénomination de l'école (ÉCOLE ÉLÉMENTAIRE PUBLIQUE…)",
        "patronyme": "Nom propre de l'école",
        "secteur": "Public ou privé",
        "rep": "École en réseau d'éducation prioritaire (REP)",
        "rep_plus": "École en réseau d'éducation prioritaire renforcé (REP+)",
        "nombre_total_classes": "Nombre de classes",
        "nombre_total_eleves": "Nombre total d'élèves",
        "nombre_eleves_preelementaire_hors_ulis": "Élèves de maternelle, hors ULIS",
        "nombre_eleves_elementaire_hors_ulis": "Élèves de l'élémentaire, hors ULIS",
        "nombre_eleves_ulis": "Élèves en unité localisée pour l'inclusion scolaire (ULIS)",
        "nombre_eleves_ueea": (
            "Élèves en unité d'enseignement élémentaire autisme (UEEA), exports récents"
        ),
        "place_par": (
            "Comment l'école a été placée dans la commune : `annuaire` (son UAI dans l'annuaire) "
            "ou `nom_commune` (école fermée, par le nom de commune de ses lignes)"
        ),
    },
)


@commune_asset(
    group_name="sources",
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    check_specs=CUT.check_specs(),
)
def education_effectifs_ecoles(
    commune: Commune, education_annuaire: pd.DataFrame, sources: SourceFetcher
):
    """Les effectifs des écoles du premier degré de la commune, pour chaque rentrée du fichier,
    tels que publiés (toutes les colonnes en texte) : écoles placées par leur UAI dans
    l'annuaire de l'éducation, jamais par le code postal du fichier ; les écoles fermées,
    absentes de l'annuaire, par le nom de commune de leurs lignes (`place_par` =
    `nom_commune`)."""
    fetched = sources.fetch(SOURCE, commune.code)
    rows = cut_commune(fetched.path, education_annuaire, commune, fetched.location)
    by_name = rows[rows["place_par"] == "nom_commune"]
    return CUT.result(
        rows,
        {
            **fetched.metadata(),
            "schools": int(rows["numero_ecole"].nunique()),
            "school_years": ", ".join(sorted(rows["rentree_scolaire"].dropna().unique())),
            "rows_placed_by_name": len(by_name),
            "schools_placed_by_name": ", ".join(sorted(by_name["numero_ecole"].unique())) or "none",
        },
    )
