"""`bornes_recharge`: the commune's charging points in schema IRVE statique 2.3.1."""

from __future__ import annotations

import re

import dagster as dg
import pandas as pd

from cle_pipeline.defs.datasets.bornes_recharge.schema import BornesRecharge
from cle_pipeline.defs.datasets.bornes_recharge.sheet import SHEET
from cle_pipeline.lib.checks import coordinates_inside_commune, dataset_checks, one_row_per
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune, parse_lon_lat
from cle_pipeline.lib.metadata import OWNERS, published_metadata
from cle_pipeline.lib.normalise import (
    blank_to_none,
    integer_text,
    iso_date,
    number_text,
    schema_boolean,
)
from cle_pipeline.lib.release_asset import dataset_release
from cle_pipeline.lib.tabular import require_frame_columns
from cle_pipeline.lib.volume import VolumeLimit

COLUMNS = list(BornesRecharge.to_schema().columns)
BOOLEAN_COLUMNS = [
    "prise_type_ef", "prise_type_2", "prise_type_combo_ccs", "prise_type_chademo",
    "prise_type_autre", "gratuit", "paiement_acte", "paiement_cb", "paiement_autre",
    "reservation", "station_deux_roues", "cable_t2_attache",
]  # fmt: skip
DATE_COLUMNS = ["date_mise_en_service", "date_maj"]


def schema_lon_lat(text: object) -> object:
    """`[1.0302, 49.2869]` → `[1.0302,49.2869]`; anything else unchanged for the check to see."""
    point = parse_lon_lat(blank_to_none(text))  # type: ignore[arg-type]
    if point is None:
        return blank_to_none(text)
    return "[" + ",".join(re.sub(r"\s", "", str(text)).strip("[]").split(",")) + "]"


def latest_version_of_each_point(points: pd.DataFrame) -> pd.DataFrame:
    """The consolidation keeps every version a producer republished: keep the most recently
    updated one per `id_pdc_itinerance`."""
    ordered = points.assign(
        _updated=points["date_maj"].map(iso_date).astype(str),
        _modified=points["last_modified"].fillna("").astype(str),
    ).sort_values(["_updated", "_modified"], kind="stable")
    return (
        ordered.drop_duplicates("id_pdc_itinerance", keep="last")
        .drop(columns=["_updated", "_modified"])
        .sort_values(["id_station_itinerance", "id_pdc_itinerance"], kind="stable")
        .reset_index(drop=True)
    )


def to_schema(points: pd.DataFrame, commune: Commune) -> pd.DataFrame:
    """The 40 columns of the schema, in its order, with values in its formats."""
    require_frame_columns(points, COLUMNS, "schema IRVE statique 2.3.1")
    table = latest_version_of_each_point(points)[COLUMNS].copy()
    for column in BOOLEAN_COLUMNS:
        table[column] = table[column].map(schema_boolean)
    for column in DATE_COLUMNS:
        table[column] = table[column].map(iso_date)
    table["nbre_pdc"] = table["nbre_pdc"].map(integer_text)
    table["puissance_nominale"] = table["puissance_nominale"].map(number_text)
    table["coordonneesXY"] = table["coordonneesXY"].map(schema_lon_lat)
    # Points placed by their coordinates get the commune's code, now that it is known.
    table["code_insee_commune"] = (
        table["code_insee_commune"].map(blank_to_none).fillna(commune.code)
    )
    return table.map(blank_to_none).astype(object)


@SHEET.describes
@commune_asset(
    group_name="published",
    owners=OWNERS,
    kinds={"pandas", "csv"},
    tags={"dataset": SHEET.dataset_id, "schema": "etalab-schema-irve-statique"},
)
def bornes_recharge(irve: pd.DataFrame, commune: Commune) -> dg.Output[pd.DataFrame]:
    """Construit depuis `irve` : une ligne par point de charge au schéma IRVE statique 2.3.1,
    doublons retirés (la version la plus récente de chaque point), valeurs aux formats du
    schéma ; le nombre de doublons retirés est dans les métadonnées."""
    table = to_schema(irve, commune)
    metadata = published_metadata(table, BornesRecharge)
    metadata["duplicates_removed"] = len(irve) - len(table)
    return dg.Output(table, metadata=metadata)


bornes_recharge_checks = dataset_checks(
    SHEET,
    BornesRecharge,
    volume=VolumeLimit(
        0.5,
        "les points sont retirés du service quelques-uns à la fois ; la moitié des points de la "
        "commune disparus d'un coup, c'est une découpe ratée (format de la consolidation changé, "
        "opérateur oublié)",
    ),
    rules=[
        coordinates_inside_commune(
            "Les coordonneesXY de chaque point sont dans le contour de la commune : une adresse "
            "et des coordonnées qui ne concordent pas étaient le problème récurrent des "
            "étudiants.",
            ["id_pdc_itinerance", "adresse_station", "coordonneesXY"],
            lon_lat="coordonneesXY",
        ),
        one_row_per(
            "one_row_per_point_de_charge",
            "Aucun id_pdc_itinerance n'apparaît deux fois.",
            ["id_pdc_itinerance"],
            ["id_pdc_itinerance", "nom_station"],
        ),
    ],
    commune_of_rows="code_insee_commune",
)

bornes_recharge_release = dataset_release(SHEET, BornesRecharge, bornes_recharge_checks)
