"""The commune a partition stands for: every source cut and every check starts from it."""

from __future__ import annotations

import dagster as dg

from cle_pipeline.lib.commune_steps import commune_asset
from cle_pipeline.lib.geo import Commune, PolygonRings


@commune_asset(group_name="commune_reference", kinds={"python"})
def commune(
    cog_communes: dict[str, str], commune_contours: list[PolygonRings]
) -> dg.Output[Commune]:
    """La commune de la partition : code INSEE, nom, département, région et contour."""
    place = Commune(polygons=commune_contours, **cog_communes)
    west, south, east, north = place.bounding_box()
    return dg.Output(
        place,
        metadata={
            "code": place.code,
            "name": place.name,
            "department": place.department,
            "bounding_box": f"{west:.4f},{south:.4f},{east:.4f},{north:.4f}",
        },
    )
