"""`carte`: the one map of the commune the students built in uMap on day 5.

Four layers, each from the released GeoJSON of its dataset (`<dataset_id>.geojson`, written with
the release): shops and municipal services with their opening hours, charging points,
defibrillators; and the commune's outline. Written into the site's folder
(`data/published/<commune>/site/`): `carte.umap` (importable into uMap as is), `carte.html`
(Leaflet, vendored, copied to `site/leaflet/`).
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from cle_pipeline.defs.publishing.sheets import load_sheet
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.release import read_release
from cle_pipeline.lib.release_asset import release_key
from cle_pipeline.lib.release_companions import geojson_path
from cle_pipeline.lib.settings import CommuneSettings, SiteSettings
from cle_pipeline.lib.site import navigation
from cle_pipeline.lib.webmap import (
    MapLayer,
    PopupField,
    copy_leaflet,
    leaflet_page,
    umap_document,
)

GROUP = "valorisation"
SITE_FOLDER = "site"
MAP_PAGE = "carte.html"
UMAP_FILE = "carte.umap"


def popup(label: str, *columns: str) -> PopupField:
    """A popup line labelled `label`, the values of `columns` joined by a space."""
    return PopupField(label, columns)


# The layers, in the order of the students' map: what each popup shows is the dataset's key
# fields, labelled in French; the colours are distinct for colour-blind readers too (blue,
# purple, green, red, the outline grey).
LAYERS = {
    "commerces": (
        "#1f77b4",
        "nom",
        (
            popup("Activité", "libelle_activite"),
            popup("Adresse", "adresse"),
            popup("Horaires", "horaires_osm"),
            popup("SIRET", "siret"),
        ),
    ),
    "horaires_services": (
        "#9467bd",
        "EQUIP_NOM",
        (
            popup("Service", "EQUIP_TYPE"),
            popup("Adresse", "ADR_NUMERO", "ADR_NOMVOIE"),
            popup("Horaires", "EQUIP_OUVERTURE"),
            popup("Téléphone", "EQUIP_TEL"),
        ),
    ),
    "bornes_recharge": (
        "#2ca02c",
        "nom_station",
        (
            popup("Adresse", "adresse_station"),
            popup("Point de charge", "id_pdc_itinerance"),
            popup("Puissance (kW)", "puissance_nominale"),
            popup("Horaires", "horaires"),
            popup("Accès", "condition_acces"),
        ),
    ),
    "defibrillateurs": (
        "#d62728",
        "nom",
        (
            popup("Adresse", "adr_num", "adr_voie"),
            popup("Emplacement", "acc", "acc_complt"),
            popup("Jours", "disp_j"),
            popup("Heures", "disp_h"),
        ),
    ),
}


def map_layers(folder: Path) -> list[MapLayer]:
    """The layers from the released GeoJSON of each dataset in `folder`."""
    layers = []
    for dataset_id, (colour, title_column, fields) in LAYERS.items():
        read_release(folder, dataset_id)  # only a file whose checks passed
        collection = json.loads(geojson_path(folder, dataset_id).read_text(encoding="utf-8"))
        layers.append(
            MapLayer(
                dataset_id=dataset_id,
                name=load_sheet(dataset_id).title,
                colour=colour,
                title_column=title_column,
                fields=fields,
                features=tuple(collection["features"]),
            )
        )
    return layers


@commune_asset(
    key="carte",
    group_name=GROUP,
    deps=[release_key(dataset_id) for dataset_id in LAYERS],
    owners=OWNERS,
    kinds={"leaflet", "geojson"},
    description="La carte de la commune : commerces et services municipaux avec leurs horaires, "
    "bornes de recharge, défibrillateurs, contour de la commune. Fichier uMap (`carte.umap`, à "
    "importer tel quel) et page Leaflet (`carte.html`), dans le dossier du site.",
    automation_condition=dg.AutomationCondition.eager(),
)
def carte(
    context, settings: CommuneSettings, site: SiteSettings, commune: Commune
) -> dg.MaterializeResult:
    """Writes `site/carte.umap`, `site/carte.html` and Leaflet beside it."""
    folder = settings.published_folder(commune_of(context))
    layers = map_layers(folder)
    target = folder / SITE_FOLDER
    document = umap_document(commune.name, commune.polygons, layers, site.tiles_url())
    write_atomically(
        target / UMAP_FILE, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    )
    page = leaflet_page(
        commune.name,
        commune.polygons,
        layers,
        site.tiles_url(),
        "leaflet",
        header=navigation(MAP_PAGE),
    )
    write_atomically(target / MAP_PAGE, page.encode("utf-8"))
    copy_leaflet(target)
    return dg.MaterializeResult(
        metadata={
            "map_page": dg.MetadataValue.path(str(target / MAP_PAGE)),
            "umap_file": dg.MetadataValue.path(str(target / UMAP_FILE)),
            "tiles": site.tiles_url() or "off",
            **{f"points/{layer.dataset_id}": len(layer.placed()) for layer in layers},
        }
    )
