"""geo.api.gouv.fr `/communes/<code>?format=geojson&geometry=contour`: one Feature per commune."""

from __future__ import annotations

import json
from pathlib import Path

from cle_pipeline.snapshots.common import SAMPLE_COMMUNES, source_folder


def write() -> list[Path]:
    written = []
    for commune in SAMPLE_COMMUNES:
        feature = {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in commune.outline]]},
            "properties": {
                "nom": commune.name,
                "code": commune.code,
                "note": "SAMPLE outline, simplified; not IGN geometry",
            },
        }
        target = source_folder("commune_contours") / f"{commune.code}.geojson"
        target.write_text(json.dumps(feature, ensure_ascii=False), encoding="utf-8")
        written.append(target)
    return written
