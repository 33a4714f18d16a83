"""OpenStreetMap shops of the commune, from the Overpass API: names, places and opening hours.

One Overpass query per commune selects the named shops, cafés and restaurants, pharmacies and
craftsmen inside the commune's administrative boundary (the OSM relation whose `ref:INSEE` is
the commune's code). The answer is Overpass JSON (`{"version": 0.6, "generator": "Overpass
API", "osm3s": {...}, "elements": [...]}`): nodes carry `lat`/`lon`, ways and relations the
`center` that `out center` adds.

The query travels in the URL (`interpreter?data=…`, which Overpass accepts as well as a POST),
so the shared fetcher downloads, retries (Overpass answers 429 and 504 when busy) and caches it
like any national file, and `CLE_SOURCE_OSM_COMMERCES` can point at a saved answer.

Trap: when Overpass runs out of time or memory it still answers HTTP 200, with the elements
found so far and a `remark` saying `runtime error: …`. Such a truncated answer is refused.

Licence: OpenStreetMap data is © OpenStreetMap contributors, under the ODbL; whatever is
derived from it is published under the ODbL too.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pandas as pd

from cle_pipeline.lib.cadence import MONTHLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.source_cut import SourceCut

OVERPASS_INTERPRETER = "https://overpass-api.de/api/interpreter"
# `{commune}` is the INSEE code; the fetcher fills it in. Amenities are those that are shops
# in NAF terms (restaurants, cafés, pharmacies, fuel stations); crafts cover cobblers and
# repairers. Elements without a name cannot be matched to Sirene and are not asked for.
QUERY = """[out:json][timeout:180];
area["boundary"="administrative"]["admin_level"="8"]["ref:INSEE"="{commune}"]->.commune;
(
  nwr["shop"]["name"](area.commune);
  nwr["amenity"~"^(restaurant|cafe|bar|pub|fast_food|ice_cream|pharmacy|fuel)$"]["name"](area.commune);
  nwr["craft"]["name"](area.commune);
);
out center;"""

SOURCE = Source(
    id="osm_commerces",
    title="OpenStreetMap : commerces de la commune et leurs horaires (API Overpass)",
    publisher="OpenStreetMap contributors",
    page="https://wiki.openstreetmap.org/wiki/Overpass_API",
    url=f"{OVERPASS_INTERPRETER}?data={quote(QUERY, safe='{}')}",
    snapshot="overpass_{commune}.json",
    # OpenStreetMap changes every minute, but the public Overpass servers ask for few
    # queries: shops' hours are refreshed with Sirene, monthly.
    cadence=MONTHLY,
)
LICENCE = "ODbL 1.0, © OpenStreetMap contributors"

COLUMNS = [
    "osm_id",
    "name",
    "shop",
    "amenity",
    "craft",
    "opening_hours",
    "addr_housenumber",
    "addr_street",
    "addr_postcode",
    "lon",
    "lat",
]


def read_answer(text: str, label: str) -> dict[str, Any]:
    """The Overpass JSON document, refused when it is not one or when Overpass says it is
    incomplete."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise SourceFormatError(f"{label}: not an Overpass JSON answer ({error})") from error
    if not isinstance(document, dict) or not isinstance(document.get("elements"), list):
        raise SourceFormatError(f"{label}: not an Overpass JSON answer (no 'elements' list)")
    remark = document.get("remark")
    if remark:
        raise SourceFormatError(
            f"{label}: Overpass says {remark!r}; the answer is incomplete and was not used"
        )
    return document


def elements_frame(document: dict[str, Any], label: str) -> pd.DataFrame:
    """One row per element: `node/123`, its tags of interest (text) and its place (lon, lat)."""
    rows = []
    for element in document["elements"]:
        kind, number = element.get("type"), element.get("id")
        osm_id = f"{kind}/{number}"
        if kind == "node":
            point = element
        elif kind in ("way", "relation"):
            point = element.get("center") or {}
        else:
            raise SourceFormatError(f"{label}: element {osm_id} is not a node, way or relation")
        try:
            lon, lat = float(point["lon"]), float(point["lat"])
        except (KeyError, TypeError, ValueError) as error:
            raise SourceFormatError(
                f"{label}: element {osm_id} has no coordinates ("
                + ("lat/lon" if kind == "node" else "center: was the query's `out center` lost?")
                + ")"
            ) from error
        tags = element.get("tags") or {}
        rows.append(
            {
                "osm_id": osm_id,
                "name": tags.get("name"),
                "shop": tags.get("shop"),
                "amenity": tags.get("amenity"),
                "craft": tags.get("craft"),
                "opening_hours": tags.get("opening_hours"),
                "addr_housenumber": tags.get("addr:housenumber"),
                "addr_street": tags.get("addr:street"),
                "addr_postcode": tags.get("addr:postcode"),
                "lon": lon,
                "lat": lat,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


# A warning: a small commune may have no shop mapped in OpenStreetMap.
CUT = SourceCut(
    "osm_commerces",
    required=False,
    why="une petite commune peut n'avoir aucun commerce cartographié dans OpenStreetMap.",
    descriptions={
        "osm_id": "Type et identifiant de l'objet OpenStreetMap (`node/…`, `way/…`)",
        "name": "Nom du commerce (`name`)",
        "shop": "Type de commerce (clé OSM `shop`)",
        "amenity": "Type de service (clé OSM `amenity` : café, restaurant, pharmacie…)",
        "craft": "Type d'artisan (clé OSM `craft`)",
        "opening_hours": "Horaires d'ouverture (clé OSM `opening_hours`, syntaxe OpenStreetMap)",
        "addr_housenumber": "Numéro dans la voie (`addr:housenumber`)",
        "addr_street": "Voie (`addr:street`)",
        "addr_postcode": "Code postal (`addr:postcode`)",
        "lon": "Longitude (WGS 84) : celle du nœud, ou le centre d'une voie ou d'une relation",
        "lat": "Latitude (WGS 84) : celle du nœud, ou le centre d'une voie ou d'une relation",
    },
)


@commune_asset(
    group_name="sources",
    kinds={"json"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    check_specs=CUT.check_specs(),
)
def osm_commerces(commune: Commune, sources: SourceFetcher):
    """Les commerces, cafés, restaurants et artisans nommés cartographiés dans OpenStreetMap
    dans les limites de la commune, avec leurs `opening_hours` quand les contributeurs les ont
    renseignés (ODbL)."""
    fetched = sources.fetch(SOURCE, commune.code)
    try:
        text = fetched.path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SourceFormatError(f"{fetched.location}: not UTF-8 ({error})") from error
    document = read_answer(text, fetched.location)
    elements = elements_frame(document, fetched.location)
    return CUT.result(
        elements,
        {
            **fetched.metadata(),
            "licence": LICENCE,
            "osm_timestamp": str((document.get("osm3s") or {}).get("timestamp_osm_base", "")),
            "with_opening_hours": int(elements["opening_hours"].notna().sum()),
        },
    )
