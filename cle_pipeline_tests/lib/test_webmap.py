"""The map as uMap imports it and as a Leaflet page: layers, popups, outline, tiles."""

import json

from cle_pipeline.lib.webmap import MapLayer, PopupField, leaflet_page, umap_document

# A square commune around (1.02, 49.28) and one placed and one unplaced defibrillator.
OUTLINE = [[[(1.0, 49.27), (1.04, 49.27), (1.04, 49.29), (1.0, 49.29), (1.0, 49.27)]]]
PLACED = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [1.02318, 49.28352]},
    "properties": {"nom": "Mairie <annexe>", "adr_num": "", "adr_voie": "Place Jean Jaurès"},
}
UNPLACED = {"type": "Feature", "geometry": None, "properties": {"nom": "Sans position"}}
LAYER = MapLayer(
    dataset_id="defibrillateurs",
    name="Défibrillateurs",
    colour="#d62728",
    title_column="nom",
    fields=(PopupField("Adresse", ("adr_num", "adr_voie")), PopupField("Jours", ("disp_j",))),
    features=(PLACED, UNPLACED),
)


def test_the_umap_file_has_what_umap_imports():
    document = umap_document("Caudebec-lès-Elbeuf", OUTLINE, [LAYER], "")
    # uMap's importRaw: properties (an object), geometry (the centre), layers with _umap_options.
    assert document["type"] == "umap"
    assert document["geometry"] == {"type": "Point", "coordinates": [1.02, 49.28]}
    assert "tilelayer" not in document["properties"]
    devices, outline = document["layers"]
    assert devices["type"] == "FeatureCollection"
    assert devices["_umap_options"]["name"] == "Défibrillateurs"
    assert devices["_umap_options"]["color"] == "#d62728"
    assert devices["features"] == [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [1.02318, 49.28352]},
            "properties": {
                "name": "Mairie <annexe>",
                "description": "**Adresse** : Place Jean Jaurès",
                "nom": "Mairie <annexe>",
                "adr_num": "",
                "adr_voie": "Place Jean Jaurès",
            },
        }
    ]
    assert outline["_umap_options"]["name"] == "Contour de la commune"
    assert outline["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert outline["features"][0]["geometry"]["coordinates"][0][0][0] == [1.0, 49.27]


def test_the_umap_file_carries_the_tiles_when_set():
    tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    document = umap_document("Caudebec-lès-Elbeuf", OUTLINE, [LAYER], tiles)
    assert document["properties"]["tilelayer"]["url_template"] == tiles


def page_data(page: str) -> dict:
    start = page.index('<script id="map-data" type="application/json">') + 46
    return json.loads(page[start : page.index("</script>", start)])


def test_the_page_escapes_popups_and_cannot_close_its_data_script_early():
    hostile = {**PLACED, "properties": {**PLACED["properties"], "nom": "</script><b>x"}}
    layer = MapLayer(**{**LAYER.__dict__, "features": (hostile,)})
    page = leaflet_page("Caudebec-lès-Elbeuf", OUTLINE, [layer], "", "leaflet")
    data = page_data(page)
    [point] = data["layers"][0]["points"]
    assert point == {
        "lon": 1.02318,
        "lat": 49.28352,
        "popup": "<strong>&lt;/script&gt;&lt;b&gt;x</strong><br><strong>Adresse</strong> : "
        "Place Jean Jaurès",
    }
    assert page.count("</script>") == 3  # the data, Leaflet, the map's script


def test_the_page_loads_tiles_only_when_a_url_is_set():
    without = page_data(leaflet_page("C", OUTLINE, [LAYER], "", "leaflet"))
    assert without["tiles"] == ""
    with_tiles = leaflet_page("C", OUTLINE, [LAYER], "https://t.example/{z}/{x}/{y}.png", "lf")
    assert page_data(with_tiles)["tiles"] == "https://t.example/{z}/{x}/{y}.png"
    assert '<script src="lf/leaflet.js"></script>' in with_tiles
    assert '<link rel="stylesheet" href="lf/leaflet.css">' in with_tiles
