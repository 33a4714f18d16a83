"""One map of the commune, as a uMap file and as a Leaflet page.

A map is the commune's outline and one layer per dataset with positions (`MapLayer`): its
points (the Features of the released `<dataset_id>.geojson` that have a geometry), its name and
colour, and the fields its popups show, in French. From it:

- `umap_document`: the `.umap` file uMap imports as is (Import data → format umap): `type`
  `umap`, the map's `properties` and centre (`geometry`), and `layers`, each a GeoJSON
  FeatureCollection with its `_umap_options` (name, colour, popup shape); a feature's popup is
  its `name` and `description` (uMap's own light markup: `**bold**`, one field per line);
- `leaflet_page`: a self-contained HTML page drawing the same layers with Leaflet (vendored in
  `cle_pipeline/vendor/leaflet/`, copied beside the page by `copy_leaflet`). Data are inline,
  so the page works from a file or any static server; the background tiles come from
  `tiles_url` at view time (OpenStreetMap's public server by default), and without them (`off`,
  or offline) the outline and the markers still show on a plain background. Each marker is a
  vector circle of its layer's colour with class `marker-<dataset_id>`; below the map, each
  layer is listed as text for readers without the map.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Shipped inside the package (see its README there).
LEAFLET = Path(__file__).resolve().parents[1] / "vendor" / "leaflet"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs '
    "d'OpenStreetMap</a>"
)


@dataclass(frozen=True)
class PopupField:
    """A line of a popup: its French label and the columns whose values it joins."""

    label: str
    columns: tuple[str, ...]

    def value(self, properties: dict[str, Any]) -> str:
        """The line's value for a feature's properties (empty when every column is)."""
        return " ".join(str(properties.get(c) or "") for c in self.columns).strip()


@dataclass(frozen=True)
class MapLayer:
    """A dataset's points on the map."""

    dataset_id: str
    name: str
    colour: str
    title_column: str
    fields: tuple[PopupField, ...]
    features: tuple[dict[str, Any], ...]

    def placed(self) -> list[dict[str, Any]]:
        """The features with a position (a row without one is on no map)."""
        return [feature for feature in self.features if feature.get("geometry")]

    def lines(self, feature: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, value) of the popup's non-empty lines for `feature`."""
        properties = feature["properties"]
        return [(field.label, value) for field in self.fields if (value := field.value(properties))]

    def title(self, feature: dict[str, Any]) -> str:
        """The popup's title: the feature's name, else the layer's."""
        return str(feature["properties"].get(self.title_column) or self.name)


def centre(outline: Sequence[Sequence[Sequence[tuple[float, float]]]]) -> tuple[float, float]:
    """The middle of the outline's bounding box, (lon, lat)."""
    points = [point for rings in outline for point in rings[0]]
    lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


def outline_feature(outline: Sequence[Sequence[Sequence[tuple[float, float]]]], name: str) -> dict:
    """The commune's outline as a GeoJSON MultiPolygon Feature."""
    return {
        "type": "Feature",
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
                [[[lon, lat] for lon, lat in ring] for ring in rings] for rings in outline
            ],
        },
        "properties": {"name": f"Contour de {name}"},
    }


def umap_document(
    commune_name: str,
    outline: Sequence[Sequence[Sequence[tuple[float, float]]]],
    layers: Sequence[MapLayer],
    tiles_url: str,
) -> dict[str, Any]:
    """The `.umap` file: one uMap layer per dataset, then the outline."""
    lon, lat = centre(outline)
    umap_layers = []
    for layer in layers:
        features = []
        for feature in layer.placed():
            description = "\n".join(
                f"**{label}** : {value}" for label, value in layer.lines(feature)
            )
            features.append(
                {
                    "type": "Feature",
                    "geometry": feature["geometry"],
                    "properties": {
                        "name": layer.title(feature),
                        "description": description,
                        **feature["properties"],
                    },
                }
            )
        umap_layers.append(
            {
                "type": "FeatureCollection",
                "features": features,
                "_umap_options": {
                    "name": layer.name,
                    "color": layer.colour,
                    "iconClass": "Circle",
                    "displayOnLoad": True,
                    "popupShape": "Panel",
                    "description": f"Jeu de données {layer.dataset_id}",
                },
            }
        )
    umap_layers.append(
        {
            "type": "FeatureCollection",
            "features": [outline_feature(outline, commune_name)],
            "_umap_options": {
                "name": "Contour de la commune",
                "color": "#555555",
                "fill": False,
                "displayOnLoad": True,
            },
        }
    )
    properties: dict[str, Any] = {
        "name": f"{commune_name} : commerces, services, bornes de recharge et défibrillateurs",
        "description": "Carte construite par cle-pipeline à partir des jeux de données publiés "
        "de la commune.",
        "zoom": 14,
        "locale": "fr",
        "displayPopupFooter": False,
    }
    if tiles_url:
        properties["tilelayer"] = {
            "url_template": tiles_url,
            "attribution": "© les contributeurs d'OpenStreetMap",
            "name": "OpenStreetMap",
            "maxZoom": 19,
            "minZoom": 0,
        }
    return {
        "type": "umap",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "layers": umap_layers,
    }


def _popup(layer: MapLayer, feature: dict[str, Any]) -> str:
    lines = "".join(
        f"<br><strong>{html.escape(label)}</strong> : {html.escape(value)}"
        for label, value in layer.lines(feature)
    )
    return f"<strong>{html.escape(layer.title(feature))}</strong>{lines}"


def _page_data(
    commune_name: str,
    outline: Sequence[Sequence[Sequence[tuple[float, float]]]],
    layers: Sequence[MapLayer],
    tiles_url: str,
) -> dict[str, Any]:
    return {
        "tiles": tiles_url,
        "attribution": OSM_ATTRIBUTION,
        "outline": outline_feature(outline, commune_name),
        "layers": [
            {
                "id": layer.dataset_id,
                "name": layer.name,
                "colour": layer.colour,
                "points": [
                    {
                        "lon": feature["geometry"]["coordinates"][0],
                        "lat": feature["geometry"]["coordinates"][1],
                        "popup": _popup(layer, feature),
                    }
                    for feature in layer.placed()
                ],
            }
            for layer in layers
        ],
    }


# The page's script: the outline, then one layer group per dataset, a layer switcher; tiles only
# when a URL is set. Written with ES5 syntax, like Leaflet 1.9 itself.
SCRIPT = """
var data = JSON.parse(document.getElementById('map-data').textContent);
var map = L.map('map', {scrollWheelZoom: false});
if (data.tiles) {
  L.tileLayer(data.tiles, {maxZoom: 19, attribution: data.attribution}).addTo(map);
}
var outline = L.geoJSON(data.outline, {
  style: {color: '#555555', weight: 2, fill: false}, interactive: false
}).addTo(map);
map.fitBounds(outline.getBounds());
var overlays = {};
data.layers.forEach(function (layer) {
  var group = L.layerGroup();
  layer.points.forEach(function (point) {
    L.circleMarker([point.lat, point.lon], {
      radius: 8, color: '#ffffff', weight: 2, fillColor: layer.colour, fillOpacity: 0.9,
      className: 'marker-' + layer.id
    }).bindPopup(point.popup).addTo(group);
  });
  group.addTo(map);
  overlays['<span style="color:' + layer.colour + '">&#9679;</span> ' + layer.name +
    ' (' + layer.points.length + ')'] = group;
});
L.control.layers(null, overlays, {collapsed: false}).addTo(map);
"""


def leaflet_page(
    commune_name: str,
    outline: Sequence[Sequence[Sequence[tuple[float, float]]]],
    layers: Sequence[MapLayer],
    tiles_url: str,
    leaflet_folder: str,
    header: str = "",
) -> str:
    """The HTML page of the map; `leaflet_folder` is where Leaflet is, relative to the page;
    `header` (HTML) goes above the map (the site's navigation)."""
    data = json.dumps(_page_data(commune_name, outline, layers, tiles_url), ensure_ascii=False)
    # `</` cannot end the script element early: JSON allows `<\\/`.
    data = data.replace("</", "<\\/")
    listing = "".join(
        f'<section><h2><span class="swatch" style="background:{layer.colour}"></span>'
        f"{html.escape(layer.name)} ({len(layer.placed())})</h2><ul>"
        + "".join(
            f"<li>{html.escape(layer.title(feature))}"
            + "".join(f" — {html.escape(value)}" for _, value in layer.lines(feature)[:1])
            + "</li>"
            for feature in layer.placed()
        )
        + "</ul></section>"
        for layer in layers
    )
    title = f"Carte de {commune_name}"
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{leaflet_folder}/leaflet.css">
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 0 1rem; }}
#map {{ height: 70vh; min-height: 20rem; background: #eef2f0; }}
.swatch {{ display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
  margin-right: 0.4em; }}
</style>
</head>
<body>
{header}
<main>
<h1>{html.escape(title)}</h1>
<p>Commerces, services municipaux, bornes de recharge et défibrillateurs, d'après les jeux de
données publiés de la commune. Fond de carte : OpenStreetMap, chargé à l'affichage ; sans lui,
le contour et les points restent visibles. La même carte est téléchargeable pour uMap :
<a href="carte.umap">carte.umap</a>.</p>
<div id="map" role="region" aria-label="{html.escape(title)}"></div>
{listing}
</main>
<script id="map-data" type="application/json">{data}</script>
<script src="{leaflet_folder}/leaflet.js"></script>
<script>{SCRIPT}</script>
</body>
</html>
"""


def copy_leaflet(folder: Path) -> Path:
    """Copies the vendored Leaflet (with its licence) to `folder`/leaflet."""
    target = folder / "leaflet"
    shutil.copytree(LEAFLET, target, dirs_exist_ok=True)
    return target
