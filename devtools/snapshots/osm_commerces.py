"""Overpass API answers to the `osm_commerces` query: `overpass_<commune>.json`, one per commune.

Overpass JSON as the API writes it (`version`, `generator`, `osm3s` with the data timestamp and
the ODbL notice, then `elements`): nodes with `lat`/`lon`, ways with `center` and their node
list. Every element is a SAMPLE (its `note` tag says so), placed inside the sample outlines of
`common.py`. On purpose: a supermarket mapped as a building (a way), a shop without opening
hours, a butcher closed in Sirene but still in OSM with hours in French prose (never
published), a tobacconist's old node far from where Sirene places it (must not be matched), a
beauty salon without address, and accents and apostrophes that differ from Sirene's spelling.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devtools.snapshots.common import output_folder

NOTE = "SAMPLE (cle-pipeline snapshot), not OpenStreetMap data"
OSM3S = {
    "timestamp_osm_base": "2024-11-05T10:30:00Z",
    "timestamp_areas_base": "2024-11-05T09:45:12Z",
    "copyright": "The data included in this document is from www.openstreetmap.org. "
    "The data is made available under ODbL.",
}


def node(number: int, lon: float, lat: float, **tags: str) -> dict[str, Any]:
    return {
        "type": "node",
        "id": number,
        "lat": lat,
        "lon": lon,
        "tags": {**_osm_tags(tags), "note": NOTE},
    }


def way(number: int, lon: float, lat: float, nodes: list[int], **tags: str) -> dict[str, Any]:
    return {
        "type": "way",
        "id": number,
        "center": {"lat": lat, "lon": lon},
        "nodes": nodes,
        "tags": {**_osm_tags(tags), "note": NOTE},
    }


def _osm_tags(tags: dict[str, str]) -> dict[str, str]:
    # Python keywords cannot hold `:`: `addr_street` is written `addr:street`.
    return {
        key.replace("_", ":", 1) if key.startswith("addr_") else key: v for key, v in tags.items()
    }


def caudebec() -> list[dict[str, Any]]:
    street = "Rue Sadi Carnot"
    return [
        node(
            4101201, 1.02415, 49.28395, shop="bakery", name="Boulangerie du Centre",
            opening_hours="Tu-Sa 06:30-13:00,15:00-19:30; Su 07:00-12:30",
            addr_housenumber="12", addr_street=street, addr_postcode="76320",
        ),
        node(
            4101202, 1.02605, 49.28522, amenity="pharmacy", name="Pharmacie de la République",
            opening_hours="Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30,14:00-19:00",
            healthcare="pharmacy",
        ),
        way(
            51020301, 1.0300, 49.2880, [4101301, 4101302, 4101303, 4101304, 4101301],
            shop="supermarket", name="Carrefour Market", brand="Carrefour Market",
            opening_hours="Mo-Sa 08:30-20:00; Su 09:00-12:30",
            addr_housenumber="45", addr_street="Rue de la République", building="retail",
        ),
        node(
            4101203, 1.02590, 49.28470, amenity="restaurant", name="Le Bistrot Caudébécais",
            opening_hours="Mo-Fr 12:00-14:00; Fr,Sa 19:00-22:00", cuisine="french",
        ),
        node(4101204, 1.02322, 49.28372, shop="hairdresser", name="Coiff'Tif"),
        node(
            4101205, 1.02368, 49.28386, craft="shoemaker", name="Cordonnerie Minute",
            opening_hours="Tu-Sa 09:00-18:00",
        ),
        node(
            4101206, 1.0220, 49.2900, shop="beauty", name="Institut Belle Époque",
            opening_hours="Tu-Fr 09:30-18:30; Sa 09:00-17:00",
        ),
        node(
            4101207, 1.0298, 49.2878, shop="clothes", name="Mode & Vous",
            opening_hours="Tu-Sa 10:00-12:00,14:00-19:00",
            addr_housenumber="30", addr_street="Rue de la République",
        ),
        node(
            4101208, 1.02905, 49.28705, amenity="bar", name="Le Balto",
            opening_hours="Mo-Sa 07:00-20:00; Su 08:00-13:00",
        ),
        # Closed in Sirene, still mapped; its hours are prose, not the OSM syntax.
        node(
            4101209, 1.02430, 49.28410, shop="butcher", name="Boucherie Lefèvre",
            opening_hours="lun-sam 8h-19h",
        ),
        # The tobacconist's old place, 800 m from the address Sirene geocodes.
        node(
            4101210, 1.0320, 49.2920, shop="tobacco", name="Tabac Presse de la Mairie",
            opening_hours="Mo-Sa 07:00-19:00",
        ),
    ]  # fmt: skip


def elbeuf() -> list[dict[str, Any]]:
    return [
        node(
            4102201, 1.00812, 49.28810, shop="bakery", name="Boulangerie du Centre",
            opening_hours="Mo-Sa 07:00-19:30", addr_street="Rue Henry", addr_housenumber="15",
        ),
        node(
            4102202, 1.01010, 49.29005, shop="books", name="Librairie du Cours Carnot",
            opening_hours="Tu-Sa 09:30-19:00",
        ),
        node(4102203, 1.0000, 49.2800, shop="florist", name="Fleurs d'Elbeuf"),
    ]  # fmt: skip


def one_shop(lon: float, lat: float, name: str, **tags: str) -> list[dict[str, Any]]:
    return [node(4109001, lon, lat, name=name, **tags)]


ANSWERS = {
    "76165": caudebec,
    "76231": elbeuf,
    "76640": lambda: one_shop(
        1.05005, 49.27505, "Intermarché Saint-Pierre", shop="supermarket",
        opening_hours="Mo-Sa 08:30-19:30",
    ),
    "75056": lambda: one_shop(
        2.35605, 48.85402, "Boulangerie du Marais", shop="bakery",
        opening_hours="We-Mo 07:30-20:00",
    ),
    "2A004": lambda: one_shop(
        8.73805, 41.92003, "Boulangerie du Port", shop="bakery",
        opening_hours="Mo-Su 06:30-13:30",
    ),
    # Matched by street and number: Sirene's overseas coordinates are not Lambert-93.
    "97411": lambda: one_shop(
        55.4480, -20.8790, "Pharmacie du Barachois", amenity="pharmacy",
        opening_hours="Mo-Fr 08:00-19:00; Sa 08:00-12:00",
        addr_housenumber="12", addr_street="Rue de Paris",
    ),
}  # fmt: skip


def write(folder: Path) -> list[Path]:
    written = []
    for code, elements in ANSWERS.items():
        document = {
            "version": 0.6,
            "generator": "Overpass API 0.7.62.4 2390de5a",
            "osm3s": OSM3S,
            "elements": elements(),
        }
        target = output_folder(folder) / f"overpass_{code}.json"
        target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
        written.append(target)
    return written
