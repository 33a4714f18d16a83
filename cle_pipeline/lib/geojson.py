"""`<dataset_id>.geojson`: a dataset with positions as an RFC 7946 FeatureCollection.

One Feature per row of the published CSV, in its order: a Point `[longitude, latitude]` (WGS 84
decimal degrees, the only CRS RFC 7946 allows, so no `crs` member) and, as properties, the CSV's
columns with their published text. A row without a position keeps its Feature with a null
geometry (RFC 7946 §3.2: an unlocated feature), so the file and the CSV have as many rows.

Where the position is, the dataset's sheet says (`DatasetSheet.coordinates`): either two columns
(longitude, latitude) or one `[lon,lat]` column (schema IRVE's `coordonneesXY`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from cle_pipeline.lib.geo import parse_lon_lat


class GeoJSONError(ValueError):
    """A position that is not a longitude and a latitude within their ranges."""


def row_point(row: pd.Series, coordinates: Sequence[str]) -> tuple[float, float] | None:
    """(lon, lat) of a row of published text, None when it has no position."""
    if len(coordinates) == 1:
        text = row[coordinates[0]]
        if text == "":
            return None
        point = parse_lon_lat(text)
        if point is None:
            raise GeoJSONError(f"{coordinates[0]}={text!r} is not [longitude,latitude]")
    else:
        lon_column, lat_column = coordinates
        if row[lon_column] == "" or row[lat_column] == "":
            return None
        try:
            point = float(row[lon_column]), float(row[lat_column])
        except ValueError as error:
            raise GeoJSONError(f"{lon_column}/{lat_column}: {error}") from error
    lon, lat = point
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeoJSONError(f"({lon}, {lat}) is not a longitude and a latitude")
    return point


def feature_collection(published: pd.DataFrame, coordinates: Sequence[str]) -> dict[str, Any]:
    """The FeatureCollection of `published` (the CSV read as text, `read_published_csv`)."""
    features = []
    for number, (_, row) in enumerate(published.iterrows(), start=1):
        try:
            point = row_point(row, coordinates)
        except GeoJSONError as error:
            raise GeoJSONError(f"row {number}: {error}") from error
        features.append(
            {
                "type": "Feature",
                "geometry": None
                if point is None
                else {"type": "Point", "coordinates": list(point)},
                "properties": {column: row[column] for column in published.columns},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(collection: dict[str, Any]) -> bytes:
    """The collection as the published `.geojson` file (UTF-8)."""
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
