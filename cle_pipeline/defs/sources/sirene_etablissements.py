"""INSEE Sirene, stock of establishments (`StockEtablissement`): every SIRET ever created.

A monthly zip of one CSV (`StockEtablissement_utf8.csv`): comma, UTF-8, about 40 million rows
and 54 columns, closed establishments included (`etatAdministratifEtablissement` `F`), several
GB once extracted. Only the columns the datasets use are read, and only the commune's active
rows reach pandas (DuckDB streams the extracted member).

Traps of the format:
- Paris, Lyon and Marseille establishments carry the code of their municipal arrondissement
  (`75108`, `69383`, `13201`), never the commune's (`75056`, `69123`, `13055`).
- Establishments in "diffusion partielle" (`statutDiffusionEtablissement` `P`: mostly
  individual entrepreneurs who opposed publication, art. R123-232-1 of the Code de commerce)
  have their protected fields replaced by the text `[ND]`; they are kept here, with their
  status, so that the datasets decide and count them (see the `commerces` sheet).
- `activitePrincipaleEtablissement` is written in the nomenclature named by
  `nomenclatureActivitePrincipaleEtablissement`: old establishments still have `NAFRev1` codes.
- Coordinates are Lambert-93 metres in metropolitan France, a UTM zone overseas, empty when
  INSEE could not geocode the address, `[ND]` in partial diffusion.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from cle_pipeline.lib.cadence import MONTHLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune, arrondissement_codes
from cle_pipeline.lib.lambert import lambert93_to_lon_lat
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.normalise import blank_to_none
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv, sql_name

SOURCE = Source(
    id="sirene_etablissements",
    title="Base Sirene des entreprises et de leurs établissements (SIREN, SIRET), "
    "stock des établissements",
    publisher="INSEE",
    page="https://www.data.gouv.fr/fr/datasets/base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/",
    url="https://files.data.gouv.fr/insee-sirene/StockEtablissement_utf8.zip",
    snapshot="StockEtablissement_utf8.zip",
    cadence=MONTHLY,
)
FORMAT = CsvFormat(separator=",", encoding="utf-8")
MEMBER = r"^StockEtablissement_utf8\.csv$"
# The extracted stock is close to the 8 GiB zip-bomb guard of `extract_member` and grows
# every month: allow it more room (it is the largest national file the project reads).
MAX_EXTRACTED_BYTES = 32 * 1024**3

# The columns the datasets use, in the file's order; the other columns are never read.
COLUMNS = [
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "codeCommuneEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
]


def sirene_commune_codes(code: str) -> list[str]:
    """The values of `codeCommuneEtablissement` that place an establishment in the commune
    (Sirene places establishments of Paris, Lyon and Marseille in their arrondissement)."""
    return arrondissement_codes(code)


def cut_commune(table: Path, code: str, label: str) -> pd.DataFrame:
    """The commune's active establishments (`etatAdministratifEtablissement` = `A`), the
    columns of `COLUMNS` only, every value as text."""
    codes = sirene_commune_codes(code)
    placeholders = ", ".join("?" for _ in codes)
    return query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where=f"codeCommuneEtablissement IN ({placeholders}) "
        "AND etatAdministratifEtablissement = 'A'",
        parameters=codes,
        select=", ".join(sql_name(name) for name in COLUMNS),
        label=label,
    )


# An error: the commune itself (its town hall) is an active establishment of Sirene.
CUT = SourceCut(
    "sirene_etablissements",
    required=True,
    why="la commune elle-même (sa mairie) est un établissement actif de Sirene ; une commune "
    "absente est une commune créée depuis, ou un autre fichier.",
    descriptions={
        "siret": "SIRET de l'établissement (SIREN + NIC, 14 chiffres)",
        "statutDiffusionEtablissement": (
            "O diffusion ouverte ; P diffusion partielle : champs protégés remplacés par `[ND]`"
        ),
        "dateCreationEtablissement": "Date de création de l'établissement",
        "codePostalEtablissement": "Code postal de l'adresse",
        "libelleCommuneEtablissement": "Commune de l'adresse",
        "codeCommuneEtablissement": (
            "Code INSEE de la commune (celui de l'arrondissement à Paris, Lyon et Marseille ; "
            "colonne de la découpe)"
        ),
        "coordonneeLambertAbscisseEtablissement": (
            "Abscisse en Lambert-93 (mètres ; UTM outre-mer), vide si non géocodé"
        ),
        "coordonneeLambertOrdonneeEtablissement": (
            "Ordonnée en Lambert-93 (mètres ; UTM outre-mer), vide si non géocodé"
        ),
        "etatAdministratifEtablissement": "A actif, F fermé (la découpe ne garde que les actifs)",
        "enseigne1Etablissement": "Enseigne",
        "denominationUsuelleEtablissement": "Nom usuel de l'établissement",
        "activitePrincipaleEtablissement": "Code de l'activité principale (NAF, `47.11F`)",
        "nomenclatureActivitePrincipaleEtablissement": (
            "Nomenclature du code d'activité (NAFRev2, ou NAFRev1 pour d'anciens établissements)"
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
def sirene_etablissements(commune: Commune, sources: SourceFetcher):
    """Les établissements actifs de la commune dans le stock Sirene (toute activité), avec leur
    statut de diffusion ; les établissements fermés et les colonnes inutiles restent dans le
    fichier."""
    archive = sources.fetch(SOURCE, commune.code)
    member = sources.extract(archive, MEMBER, max_bytes=MAX_EXTRACTED_BYTES)
    establishments = cut_commune(member, commune.code, f"{archive.location}!{member.name}")
    return CUT.result(
        establishments,
        {
            **archive.metadata(),
            "partial_diffusion_rows": int(
                (establishments["statutDiffusionEtablissement"] != "O").sum()
            ),
        },
    )


# -- the fields, as the datasets read them ------------------------------------------------------

NOT_DIFFUSED = "[ND]"  # what INSEE writes in the protected fields of partial diffusion

# Sirene's street types (typeVoieEtablissement) as OSM mappers write them in `addr:street`.
STREET_TYPES = {
    "ALL": "ALLEE", "AV": "AVENUE", "BD": "BOULEVARD", "CAR": "CARREFOUR", "CHE": "CHEMIN",
    "CHS": "CHAUSSEE", "CITE": "CITE", "COR": "CORNICHE", "CRS": "COURS", "DOM": "DOMAINE",
    "DSC": "DESCENTE", "ECA": "ECART", "ESP": "ESPLANADE", "FG": "FAUBOURG", "GR": "GRANDE RUE",
    "HAM": "HAMEAU", "HLE": "HALLE", "IMP": "IMPASSE", "LD": "LIEU DIT", "LOT": "LOTISSEMENT",
    "MAR": "MARCHE", "MTE": "MONTEE", "PARC": "PARC", "PAS": "PASSAGE", "PASS": "PASSAGE",
    "PL": "PLACE", "PLN": "PLAINE", "PLT": "PLATEAU", "PRO": "PROMENADE", "PRV": "PARVIS",
    "QUA": "QUARTIER", "QUAI": "QUAI", "RES": "RESIDENCE", "RLE": "RUELLE", "ROC": "ROCADE",
    "RPT": "ROND POINT", "RTE": "ROUTE", "RUE": "RUE", "SEN": "SENTIER", "SQ": "SQUARE",
    "TPL": "TERRE PLEIN", "TRA": "TRAVERSE", "VLA": "VILLA", "VLGE": "VILLAGE", "VOIE": "VOIE",
    "ZA": "ZONE ARTISANALE", "ZAC": "ZONE D'AMENAGEMENT CONCERTE", "ZI": "ZONE INDUSTRIELLE",
}  # fmt: skip
REPETITION = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "QUINQUIES"}

# Sirene's names of an establishment, in its order of preference. The legal unit's name is
# never read: for an individual entrepreneur it is the person's.
NAME_FIELDS = [
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
]


def field_text(value: object) -> str | None:
    """Text of a Sirene field, None when blank or protected (`[ND]`)."""
    value = blank_to_none(value)
    text = None if value is None else str(value).strip()
    return None if text == NOT_DIFFUSED else text


def sirene_names(row: Mapping[str, Any]) -> list[str]:
    """The names under which the establishment trades, in Sirene's order of preference."""
    return [name for name in (field_text(row[field]) for field in NAME_FIELDS) if name]


def sirene_street(row: Mapping[str, Any]) -> str | None:
    """`RUE SADI CARNOT` from `RUE` + `SADI CARNOT`, street types spelled out (`PL` → PLACE)."""
    street = field_text(row["libelleVoieEtablissement"])
    if street is None:
        return None
    kind = field_text(row["typeVoieEtablissement"])
    return " ".join(filter(None, [STREET_TYPES.get(kind or "", kind), street]))


def sirene_address(row: Mapping[str, Any]) -> str | None:
    """`20 BIS RUE SADI CARNOT`, preceded by the address complement when there is one."""
    number = field_text(row["numeroVoieEtablissement"])
    repetition = field_text(row["indiceRepetitionEtablissement"])
    street = sirene_street(row)
    line = " ".join(filter(None, [number, REPETITION.get(repetition or "", repetition), street]))
    complement = field_text(row["complementAdresseEtablissement"])
    return ", ".join(filter(None, [complement, line])) or None


def sirene_point(row: Mapping[str, Any], commune: Commune) -> tuple[float, float] | None:
    """(lon, lat) of the establishment from its Lambert-93 coordinates; None overseas (Sirene
    writes UTM there) and when INSEE did not geocode it."""
    if commune.department.startswith("97"):
        return None
    x = field_text(row["coordonneeLambertAbscisseEtablissement"])
    y = field_text(row["coordonneeLambertOrdonneeEtablissement"])
    if x is None or y is None:
        return None
    try:
        return lambert93_to_lon_lat(float(x), float(y))
    except ValueError:
        return None
