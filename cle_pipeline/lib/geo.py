"""The commune as a place: its reference record and outline, and "is this point inside it?".

The three communes of the Elbeuf loop are adjacent and their bounding boxes overlap, so a point
is tested against the commune's outline (GeoJSON Polygon or MultiPolygon, as served by
geo.api.gouv.fr), by ray casting; no GIS library is needed for a few hundred points.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.normalise import blank_to_none

Ring = list[tuple[float, float]]  # (lon, lat) pairs, first == last
PolygonRings = list[Ring]  # outer ring, then holes

# Paris, Lyon and Marseille: national files often list their municipal arrondissements (75101…)
# instead of the commune (75056).
ARRONDISSEMENTS = {
    "75056": [f"751{number:02d}" for number in range(1, 21)],
    "69123": [f"6938{number}" for number in range(1, 10)],
    "13055": [f"132{number:02d}" for number in range(1, 17)],
}


def arrondissement_codes(code: str) -> list[str]:
    """The codes that stand for the commune in files listing arrondissements: its
    arrondissements for Paris, Lyon and Marseille, else the commune itself."""
    return ARRONDISSEMENTS.get(code, [code])


LON_LAT = re.compile(r"^\s*\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]\s*$")


@dataclass(frozen=True)
class Commune:
    """The commune a run works for, from the INSEE reference and its outline."""

    code: str
    name: str
    department: str
    region: str
    polygons: list[PolygonRings] = field(default_factory=list, repr=False)

    def contains(self, lon: float, lat: float) -> bool:
        """Whether (lon, lat) is inside the commune's outline."""
        return any(_inside_polygon(lon, lat, rings) for rings in self.polygons)

    def bounding_box(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat): a cheap prefilter before the exact test."""
        points = [point for rings in self.polygons for point in rings[0]]
        lons = [lon for lon, _ in points]
        lats = [lat for _, lat in points]
        return min(lons), min(lats), max(lons), max(lats)

    def cut_parameters(self) -> dict[str, object]:
        """The parameters of a national file's cut that keeps the rows of the commune's code and,
        for rows without a code, those placed in its bounding box (`$code`, `$west`, `$south`,
        `$east`, `$north`)."""
        west, south, east, north = self.bounding_box()
        return {"code": self.code, "west": west, "east": east, "south": south, "north": north}


def read_outline(path: Path, label: str) -> list[PolygonRings]:
    """Polygons of a GeoJSON Feature, FeatureCollection (first feature) or bare geometry."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{label}: not a GeoJSON document ({error})") from error
    if document.get("type") == "FeatureCollection":
        features = document.get("features") or []
        if not features:
            raise ValueError(f"{label}: FeatureCollection without features")
        document = features[0]
    geometry = document.get("geometry", document)
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        raise ValueError(f"{label}: expected a Polygon or MultiPolygon outline, got {kind!r}")
    return [
        [[(float(lon), float(lat)) for lon, lat, *_ in ring] for ring in rings]
        for rings in polygons
    ]


def rows_in_commune(
    candidates: pd.DataFrame,
    commune: Commune,
    code_column: str,
    point_of: Callable[[pd.Series], tuple[float, float] | None],
) -> pd.DataFrame:
    """The rows that carry an INSEE code (the cut selected them by the commune's code) and the
    rows without one whose point (`point_of`: lon, lat or None) lies inside the outline; the
    commune's postal code is no help, being shared with neighbours."""

    def placed(row: pd.Series) -> bool:
        if blank_to_none(row[code_column]) is not None:
            return True
        point = point_of(row)
        return point is not None and commune.contains(*point)

    # A boolean Series, not a list: an empty list would select no columns instead of no rows.
    keep = pd.Series(
        [placed(row) for _, row in candidates.iterrows()], index=candidates.index, dtype=bool
    )
    return candidates[keep].reset_index(drop=True)


def outside_commune(
    frame: pd.DataFrame,
    commune: Commune,
    lon: str | None = None,
    lat: str | None = None,
    *,
    lon_lat: str | None = None,
    unplaced_pass: bool = False,
) -> pd.Series:
    """True for the rows whose point is not inside the commune's outline. The point is read
    from the `lon` and `lat` columns, or from one `lon_lat` column (`[lon, lat]`, IRVE's
    `coordonneesXY`). A row without a readable point counts as outside (it cannot be placed),
    unless `unplaced_pass` (a dataset where a place is optional)."""

    def point(row: pd.Series) -> tuple[float, float] | None:
        if lon_lat is not None:
            return parse_lon_lat(blank_to_none(row[lon_lat]))  # type: ignore[arg-type]
        try:
            x, y = float(row[lon]), float(row[lat])
        except (TypeError, ValueError):
            return None
        return None if math.isnan(x) or math.isnan(y) else (x, y)

    def outside(row: pd.Series) -> bool:
        place = point(row)
        return not unplaced_pass if place is None else not commune.contains(*place)

    return pd.Series([outside(row) for _, row in frame.iterrows()], index=frame.index, dtype=bool)


def parse_lon_lat(text: str | None) -> tuple[float, float] | None:
    """`"[1.0233,49.2833]"` → (1.0233, 49.2833); None when the text is not a lon/lat pair."""
    if text is None:
        return None
    match = LON_LAT.match(str(text))
    if not match:
        return None
    return float(match.group(1)), float(match.group(2))


def _inside_polygon(lon: float, lat: float, rings: PolygonRings) -> bool:
    # Even-odd rule over every ring: a point in a hole crosses the outer ring and the hole.
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in pairwise(ring):
            if (y1 > lat) != (y2 > lat):
                crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
                if lon < crossing:
                    inside = not inside
    return inside
