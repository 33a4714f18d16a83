"""geo.api.gouv.fr `/communes/<code>?format=geojson&geometry=contour`: one Feature per commune."""

from __future__ import annotations

import json
from pathlib import Path

from devtools.snapshots.common import SAMPLE_COMMUNES, output_folder


def write(folder: Path) -> list[Path]:
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
        target = output_folder(folder) / f"{commune.code}.geojson"
        target.write_text(json.dumps(feature, ensure_ascii=False), encoding="utf-8")
        written.append(target)
    return written
