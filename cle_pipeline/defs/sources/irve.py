"""IRVE: the national consolidation of electric-vehicle charging points (schema IRVE statique).

About 160 MB and 230,000 rows, comma, UTF-8, one row per charging point: the 40 schema fields,
then 12 fields added by the consolidation (`consolidated_longitude`, …). Since schema 2.1.0
`code_insee_commune` is optional, so a point without it is placed by its coordinates, tested
against the commune's outline (its postal code 76320 is shared with Saint-Pierre-lès-Elbeuf).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cle_pipeline.lib.cadence import DAILY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.fetch import FetchedFile, Source, SourceFetcher
from cle_pipeline.lib.geo import Commune, parse_lon_lat, rows_in_commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.national import (
    COMMUNE,
    CommuneCuts,
    PassDone,
    commune_rows,
    cut_csv_in_one_pass,
    national_file_asset,
    national_input,
)
from cle_pipeline.lib.normalise import blank_to_none
from cle_pipeline.lib.source_cut import SourceCut
from cle_pipeline.lib.tabular import CsvFormat, query_csv

SOURCE = Source(
    id="irve",
    title="Fichier consolidé des bornes de recharge pour véhicules électriques",
    publisher="Etalab / transport.data.gouv.fr",
    page="https://transport.data.gouv.fr/datasets/fichier-consolide-des-bornes-de-recharge-pour-vehicules-electriques",
    url="https://www.data.gouv.fr/fr/datasets/r/eb76d20a-8501-400e-b336-d85724de5435",
    snapshot="consolidation-etalab-schema-irve-statique-v-2.3.1-20221101.csv",
    cadence=DAILY,
)
FORMAT = CsvFormat(separator=",", encoding="utf-8")
COLUMNS = [
    "id_pdc_itinerance",
    "code_insee_commune",
    "coordonneesXY",
    "date_maj",
    "last_modified",
    "consolidated_longitude",
    "consolidated_latitude",
]

# Rows without a code whose coordinates fall in the commune's bounding box: a cheap prefilter
# DuckDB runs while streaming the file, before the exact test against the outline.
IN_BOUNDING_BOX = """
    coalesce(
          TRY_CAST(consolidated_longitude AS DOUBLE),
          TRY_CAST(trim(split_part(trim(coordonneesXY, '[] '), ',', 1)) AS DOUBLE)
        ) BETWEEN $west AND $east
    AND coalesce(
          TRY_CAST(consolidated_latitude AS DOUBLE),
          TRY_CAST(trim(split_part(trim(coordonneesXY, '[] '), ',', 2)) AS DOUBLE)
        ) BETWEEN $south AND $north
"""
WITHOUT_CODE = "coalesce(trim(code_insee_commune), '') = ''"
# Rows with the commune's code, and rows without a code placed in the commune's bounding box.
WHERE = f"code_insee_commune = $code OR ({WITHOUT_CODE} AND {IN_BOUNDING_BOX})"
# The one pass for every commune keeps each row under its code, and the rows without a code
# under one bucket that every commune reads with its own bounding box.
NO_CODE_BUCKET = "_sans_code"
KEY = f"CASE WHEN {WITHOUT_CODE} THEN '{NO_CODE_BUCKET}' ELSE code_insee_commune END"


def point_of(row: pd.Series) -> tuple[float, float] | None:
    """(lon, lat) of a charging point: the consolidation's, else the producer's coordonneesXY."""
    lon, lat = (
        blank_to_none(row["consolidated_longitude"]),
        blank_to_none(row["consolidated_latitude"]),
    )
    try:
        return float(lon), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return parse_lon_lat(blank_to_none(row["coordonneesXY"]))  # type: ignore[arg-type]


def cut_commune(table: Path, commune: Commune, label: str) -> pd.DataFrame:
    """The commune's charging points, every column of the national file, as text."""
    candidates = query_csv(
        table,
        FORMAT,
        required=COLUMNS,
        where=WHERE,
        label=label,
        parameters=commune.cut_parameters(),
    )
    return rows_in_commune(candidates, commune, "code_insee_commune", point_of)


def cut_every_commune(
    fetched: FetchedFile, sources: SourceFetcher, codes: list[str], folder: Path
) -> PassDone:
    """The one pass: every commune's points, and the points without a code (placed by each
    commune in `cut_from_pass`)."""
    cut_csv_in_one_pass(
        fetched.path,
        FORMAT,
        folder,
        required=COLUMNS,
        key=KEY,
        codes=codes,
        buckets=[NO_CODE_BUCKET],
        label=fetched.location,
    )
    return PassDone(fetched.location)


def cut_from_pass(cuts: CommuneCuts, commune: Commune) -> pd.DataFrame:
    """`cut_commune` on the rows the one pass kept: the commune's, and those without a code in
    its bounding box."""
    candidates = cuts.read(
        [commune.code, NO_CODE_BUCKET],
        where=f"{COMMUNE} <> '{NO_CODE_BUCKET}' OR ({IN_BOUNDING_BOX})",
        parameters={k: v for k, v in commune.cut_parameters().items() if k != "code"},
    )
    return rows_in_commune(candidates, commune, "code_insee_commune", point_of)


national_irve = national_file_asset(SOURCE, cut_every_commune, {"duckdb", "csv"})


# A warning, not an error: most communes have no charging point open to the public.
CUT = SourceCut(
    "irve",
    required=False,
    why="beaucoup de communes n'ont aucun point de recharge ouvert au public ; le jeu "
    "`bornes_recharge` est alors vide.",
    descriptions={
        "id_pdc_itinerance": "Identifiant du point de recharge (clé du jeu publié)",
        "code_insee_commune": "Code INSEE de la commune, facultatif depuis le schéma 2.1.0",
        "coordonneesXY": "Coordonnées `[longitude, latitude]` données par l'aménageur",
        "consolidated_longitude": "Longitude recalculée par la consolidation",
        "consolidated_latitude": "Latitude recalculée par la consolidation",
    },
)


@commune_asset(
    group_name="sources",
    kinds={"duckdb", "csv"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    ins=national_input(SOURCE),
    check_specs=CUT.check_specs(),
)
def irve(commune: Commune, sources: SourceFetcher, national: CommuneCuts | None = None):
    """Les points de recharge de la commune dans la consolidation nationale IRVE, tels que
    publiés (toutes les colonnes en texte, doublons compris) : par `code_insee_commune`, ou par
    leurs coordonnées dans le contour de la commune quand l'aménageur a laissé le code vide."""
    fetched, points = commune_rows(
        national,
        commune.code,
        SOURCE,
        sources,
        lambda cuts: cut_from_pass(cuts, commune),
        lambda fetched: cut_commune(fetched.path, commune, fetched.location),
    )
    by_coordinates = int((points["code_insee_commune"].fillna("").str.strip() == "").sum())
    return CUT.result(points, {**fetched.metadata(), "rows_placed_by_coordinates": by_coordinates})
