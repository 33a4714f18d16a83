"""`carte` built from the snapshots for Caudebec: one uMap layer per dataset with exactly its
placed rows, the Leaflet page beside a vendored Leaflet with its licence."""

import json
from pathlib import Path

import dagster as dg
import pytest

from cle_pipeline.lib.changelog import read_published_csv
from cle_pipeline.lib.settings import SiteSettings
from cle_pipeline_tests.conftest import materialize_into

# (dataset, title of its layer, columns of its position)
LAYERS = [
    ("commerces", "Commerces, cafés-restaurants et services de proximité", ("longitude",)),
    ("horaires_services", "Horaires d'ouverture des services municipaux", ("EQUIP_LONG",)),
    ("bornes_recharge", "Bornes de recharge pour véhicules électriques", ("coordonneesXY",)),
    ("defibrillateurs", "Défibrillateurs automatisés externes (DAE)", ("long_coor1",)),
]


@pytest.fixture(scope="module")
def built(definitions, tmp_path_factory) -> tuple[Path, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("map")
    tiles = SiteSettings(map_tiles="https://tiles.example/{z}/{x}/{y}.png")
    result = materialize_into(
        definitions, root, dg.AssetSelection.assets("carte").upstream(), site=tiles
    )
    return root / "published" / "76165", result


def test_the_umap_file_has_one_layer_per_dataset_with_each_placed_row(built):
    folder, _ = built
    document = json.loads((folder / "site" / "carte.umap").read_text(encoding="utf-8"))
    *layers, outline = document["layers"]
    assert [layer["_umap_options"]["name"] for layer in layers] == [name for _, name, _ in LAYERS]
    assert outline["_umap_options"]["name"] == "Contour de la commune"
    for layer, (dataset_id, _, position) in zip(layers, LAYERS, strict=True):
        published = read_published_csv(folder / f"{dataset_id}.csv")
        placed = published[published[position[0]] != ""]
        assert len(layer["features"]) == len(placed)
        assert [f["properties"]["description"] != "" for f in layer["features"]] == [True] * len(
            placed
        )
    assert [len(layer["features"]) for layer in layers] == [9, 3, 6, 3]
    assert document["properties"]["tilelayer"]["url_template"] == (
        "https://tiles.example/{z}/{x}/{y}.png"
    )


def test_a_shop_popup_gives_its_hours_in_french(built):
    folder, _ = built
    document = json.loads((folder / "site" / "carte.umap").read_text(encoding="utf-8"))
    pharmacy = document["layers"][0]["features"][0]["properties"]
    assert pharmacy["name"] == "PHARMACIE DE LA REPUBLIQUE"
    assert pharmacy["description"].splitlines() == [
        "**Activité** : Commerce de détail de produits pharmaceutiques en magasin spécialisé",
        "**Adresse** : 2 PLACE JEAN JAURES",
        "**Horaires** : Mo-Fr 09:00-12:30,14:00-19:30; Sa 09:00-12:30,14:00-19:00",
        "**SIRET** : 38912045200021",
    ]


def test_the_page_uses_the_vendored_leaflet_with_its_licence(built):
    folder, result = built
    site = folder / "site"
    page = (site / "carte.html").read_text(encoding="utf-8")
    assert '<script src="leaflet/leaflet.js"></script>' in page
    assert "https://tiles.example/{z}/{x}/{y}.png" in page
    assert (site / "leaflet" / "LICENSE").read_text().startswith("BSD 2-Clause License")
    assert (site / "leaflet" / "leaflet.js").stat().st_size == 147552  # npm leaflet@1.9.4
    [materialization] = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey("carte")
    ]
    assert {
        name: entry.value
        for name, entry in materialization.metadata.items()
        if name.startswith("points/")
    } == {
        "points/commerces": 9,
        "points/horaires_services": 3,
        "points/bornes_recharge": 6,
        "points/defibrillateurs": 3,
    }
