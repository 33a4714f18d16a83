"""Annuaire de l'éducation (`fr-en-annuaire-education`): the directory of schools and
establishments, the only national file that gives a school's INSEE commune code from its UAI.

Opendatasoft export, `;`, UTF-8 with a BOM, about 68,000 rows and 72 columns, one row per
establishment (schools, collèges, lycées, administrative units). The API export has field
names as header (`identifiant_de_l_etablissement`); the portal's web page gives labels
(`Identifiant_de_l_etablissement;…;Code postal;Code_commune`, CRLF, 69 columns): both are read,
through `LABELS`. Traps of the file:

- it lists the establishments open today (`etat` OUVERT, A OUVRIR, A FERMER): a school that
  closed is absent, although the enrolment file still has its past years;
- some UAIs appear twice (the same row repeated);
- `code_commune` is the INSEE code, but the arrondissement's for Paris, Lyon and Marseille
  (`75115`), not the commune's (`75056`); `code_departement` has three characters (`076`);
- `code_postal` is a postal code, shared by several communes (76320: Caudebec-lès-Elbeuf and
  Saint-Pierre-lès-Elbeuf): never used to place anything.

The cut keeps the commune's establishments AND every establishment numbered in its department
(the first three characters of a UAI: `076` for Seine-Maritime, `620`/`720` for Corsica, `974`
overseas). The second part is what lets `education_effectifs_ecoles` tell a closed school (a
UAI of the department that the directory does not know) from a school the directory places in
another commune.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cle_pipeline.lib.cadence import DAILY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune, arrondissement_codes
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv

SOURCE = Source(
    id="education_annuaire",
    title="Annuaire de l'éducation",
    publisher="Ministère de l'Éducation nationale",
    page="https://data.education.gouv.fr/explore/dataset/fr-en-annuaire-education/information/",
    url="https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/"
    "fr-en-annuaire-education/exports/csv?delimiter=%3B",
    snapshot="fr-en-annuaire-education.csv",
    cadence=DAILY,
)
FORMAT = CsvFormat(separator=";", encoding="utf-8")
# The download button of the portal's web page writes labels as header, the API export field
# names (in the 69-column release: the API also has `code_circonscription` and the two
# `zone_animation_pedagogique` columns). Either is read, under the field names.
LABELS = {
    "Identifiant_de_l_etablissement": "identifiant_de_l_etablissement",
    "Nom_etablissement": "nom_etablissement",
    "Type_etablissement": "type_etablissement",
    "Statut_public_prive": "statut_public_prive",
    "Adresse_1": "adresse_1",
    "Adresse_2": "adresse_2",
    "Adresse_3": "adresse_3",
    "Code postal": "code_postal",
    "Code_commune": "code_commune",
    "Nom_commune": "nom_commune",
    "Code_departement": "code_departement",
    "Code_academie": "code_academie",
    "Code_region": "code_region",
    "Ecole_maternelle": "ecole_maternelle",
    "Ecole_elementaire": "ecole_elementaire",
    "Voie_generale": "voie_generale",
    "Voie_technologique": "voie_technologique",
    "Voie_professionnelle": "voie_professionnelle",
    "Telephone": "telephone",
    "Fax": "fax",
    "Web": "web",
    "Mail": "mail",
    "Restauration": "restauration",
    "Hebergement": "hebergement",
    "ULIS": "ulis",
    "Apprentissage": "apprentissage",
    "Segpa": "segpa",
    "Section_arts": "section_arts",
    "Section_cinema": "section_cinema",
    "Section_theatre": "section_theatre",
    "Section_sport": "section_sport",
    "Section_internationale": "section_internationale",
    "Section_europeenne": "section_europeenne",
    "Lycee_Agricole": "lycee_agricole",
    "Lycee_militaire": "lycee_militaire",
    "Lycee_des_metiers": "lycee_des_metiers",
    "Post_BAC": "post_bac",
    "Appartenance_Education_Prioritaire": "appartenance_education_prioritaire",
    "GRETA": "greta",
    "SIREN_SIRET": "siren_siret",
    "Nombre_d_eleves": "nombre_d_eleves",
    "Fiche_onisep": "fiche_onisep",
    "position": "position",
    "Type_contrat_prive": "type_contrat_prive",
    "Libelle_departement": "libelle_departement",
    "Libelle_academie": "libelle_academie",
    "Libelle_region": "libelle_region",
    "coordonnee_X": "coordx_origine",
    "coordonnee_Y": "coordy_origine",
    "epsg": "epsg_origine",
    "nom_circonscription": "nom_circonscription",
    "latitude": "latitude",
    "longitude": "longitude",
    "precision_localisation": "precision_localisation",
    "date_ouverture": "date_ouverture",
    "date_maj_ligne": "date_maj_ligne",
    "etat": "etat",
    "ministere_tutelle": "ministere_tutelle",
    "etablissement_multi_lignes": "multi_uai",
    "rpi_concentre": "rpi_concentre",
    "rpi_disperse": "rpi_disperse",
    "code_nature": "code_nature",
    "libelle_nature": "libelle_nature",
    "Code_type_contrat_prive": "code_type_contrat_prive",
    "PIAL": "pial",
    "etablissement_mere": "etablissement_mere",
    "type_rattachement_etablissement_mere": "type_rattachement_etablissement_mere",
    "code_bassin_formation": "code_bassin_formation",
    "libelle_bassin_formation": "libelle_bassin_formation",
}
COLUMNS = [
    "identifiant_de_l_etablissement",
    "nom_etablissement",
    "type_etablissement",
    "code_commune",
    "nom_commune",
    "etat",
]


def uai_prefix(department: str) -> str:
    """The first three characters of the UAIs of a department: `76` → `076`, `2A` → `620`,
    `2B` → `720`, `974` → `974`."""
    corsica = {"2A": "620", "2B": "720"}
    if department in corsica:
        return corsica[department]
    return department if len(department) == 3 else f"0{department}"


def commune_codes(code: str) -> list[str]:
    """The `code_commune` values the directory uses for a commune (itself, or its
    arrondissements for Paris, Lyon and Marseille)."""
    arrondissements = arrondissement_codes(code)
    return [code] if arrondissements == [code] else [code, *arrondissements]


def cut_commune(table: Path, commune: Commune, label: str) -> pd.DataFrame:
    """The directory rows of the commune's establishments and of every establishment numbered
    in its department, every column as text, with `dans_la_commune` telling which are the
    commune's. Repeated rows are kept: the placement deduplicates UAIs."""
    rows = query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where="list_contains($codes, code_commune) "
        "OR starts_with(identifiant_de_l_etablissement, $prefix)",
        parameters={"codes": commune_codes(commune.code), "prefix": uai_prefix(commune.department)},
        label=label,
        labels=LABELS,
    )
    rows["dans_la_commune"] = rows["code_commune"].isin(commune_codes(commune.code))
    return rows


# A warning: many small communes have no school of their own.
CUT = SourceCut(
    "education_annuaire",
    required=False,
    why="beaucoup de petites communes n'ont pas d'école (regroupements pédagogiques) ; les jeux "
    "d'effectifs scolaires sont alors vides.",
    descriptions={
        "identifiant_de_l_etablissement": (
            "UAI de l'établissement (`0761234A`) : la clé qui relie les effectifs à la commune"
        ),
        "nom_etablissement": "Nom de l'établissement",
        "type_etablissement": "Type d'établissement (École, Collège, Lycée…)",
        "statut_public_prive": "Public ou Privé",
        "code_postal": "Code postal, partagé par plusieurs communes : jamais utilisé pour placer",
        "code_commune": (
            "Code INSEE de la commune (celui de l'arrondissement à Paris, Lyon et Marseille)"
        ),
        "nom_commune": "Nom de la commune",
        "code_departement": "Code du département, sur trois caractères (`076`)",
        "etat": (
            "État de l'établissement (OUVERT, A OUVRIR, A FERMER) : un établissement fermé n'est "
            "plus dans l'annuaire"
        ),
        "latitude": "Latitude de l'établissement (WGS 84)",
        "longitude": "Longitude de l'établissement (WGS 84)",
        "dans_la_commune": (
            "Vrai pour un établissement de la commune ; faux pour un autre établissement numéroté "
            "dans son département, gardé pour reconnaître une école fermée"
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
def education_annuaire(commune: Commune, sources: SourceFetcher):
    """Les lignes de l'annuaire de l'éducation qui placent les écoles de la commune : ses
    établissements (colonne `dans_la_commune` vraie) et tous ceux numérotés dans son
    département, pour distinguer un UAI inconnu de l'annuaire d'un UAI qu'il place ailleurs."""
    fetched = sources.fetch(SOURCE, commune.code)
    rows = cut_commune(fetched.path, commune, fetched.location)
    own = rows[rows["dans_la_commune"]]
    return CUT.result(
        rows,
        {
            **fetched.metadata(),
            "schools_in_commune": int(
                own.loc[own["type_etablissement"] == "Ecole", "identifiant_de_l_etablissement"]
                .drop_duplicates()
                .size
            ),
            "rows_in_department": len(rows),
        },
        rows_for_commune=len(own),
    )
