"""The commune's outline (geo.api.gouv.fr, from IGN Admin Express), for "inside the commune"."""

from __future__ import annotations

from cle_pipeline.lib.cadence import YEARLY
from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.errors import SourceFormatError
from cle_pipeline.lib.fetch import Source, SourceFetcher
from cle_pipeline.lib.geo import read_outline
from cle_pipeline.lib.metadata import OWNERS
from cle_pipeline.lib.partitions import commune_of
from cle_pipeline.lib.source_cut import SourceCut

SOURCE = Source(
    id="commune_contours",
    title="Contour de la commune",
    publisher="IGN / geo.api.gouv.fr",
    page="https://geo.api.gouv.fr/decoupage-administratif/communes",
    url="https://geo.api.gouv.fr/communes/{commune}?format=geojson&geometry=contour",
    snapshot="{commune}.geojson",
    cadence=YEARLY,
)


# An error: without an outline no position can be checked inside the commune.
CUT = SourceCut(
    "commune_contours",
    required=True,
    why="sans contour (un polygone au moins), aucune position ne peut être contrôlée dans la "
    "commune.",
)


@commune_asset(
    group_name="commune_reference",
    kinds={"json"},
    owners=OWNERS,
    metadata=SOURCE.definition_metadata(),
    check_specs=CUT.check_specs(),
)
def commune_contours(context, sources: SourceFetcher):
    """Le contour de la commune en polygones GeoJSON (lon/lat) : les coordonnées des bornes de
    recharge, des défibrillateurs et des services sont contrôlées par rapport à lui, et non à
    un rectangle englobant, car ceux des communes voisines se chevauchent."""
    code = commune_of(context)
    fetched = sources.fetch(SOURCE, code)
    try:
        polygons = read_outline(fetched.path, fetched.location)
    except ValueError as error:
        raise SourceFormatError(str(error)) from error
    vertices = sum(len(ring) for rings in polygons for ring in rings)
    return CUT.result(polygons, {**fetched.metadata(), "vertices": vertices})
