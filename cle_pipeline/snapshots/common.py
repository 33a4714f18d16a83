"""What every snapshot writer shares: the sample communes and deterministic file writing."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cle_pipeline.lib.files import PROJECT_ROOT

SNAPSHOT_ROOT = PROJECT_ROOT / "data" / "sources"
# The sample files a commune would send (its inbox), for the communes of the samples.
INBOX_ROOT = PROJECT_ROOT / "data" / "inbox"
# A fixed timestamp inside archives, so that regenerating gives identical bytes.
ZIP_TIMESTAMP = (2022, 11, 1, 0, 0, 0)


@dataclass(frozen=True)
class SampleCommune:
    code: str
    name: str
    department: str
    region: str
    postal_code: str
    # Outline (lon, lat), closed; the three Elbeuf-loop communes share edges like the real ones.
    outline: tuple[tuple[float, float], ...]


def _box(
    lon: float, lat: float, half_lon: float, half_lat: float
) -> tuple[tuple[float, float], ...]:
    return (
        (lon - half_lon, lat - half_lat),
        (lon + half_lon, lat - half_lat),
        (lon + half_lon, lat + half_lat),
        (lon - half_lon, lat + half_lat),
        (lon - half_lon, lat - half_lat),
    )


# Simplified outlines (SAMPLE geometry, not IGN's): Caudebec-lès-Elbeuf is a hexagon of about
# 4 km² around its centre 49.2833/1.0233; Saint-Pierre-lès-Elbeuf reaches under its south-east
# edge, inside Caudebec's bounding box but outside its outline.
CAUDEBEC = SampleCommune(
    "76165",
    "Caudebec-lès-Elbeuf",
    "76",
    "28",
    "76320",
    (
        (1.0160, 49.2720),
        (1.0300, 49.2700),
        (1.0370, 49.2760),
        (1.0370, 49.2900),
        (1.0280, 49.2960),
        (1.0160, 49.2930),
        (1.0160, 49.2720),
    ),
)
ELBEUF = SampleCommune(
    "76231",
    "Elbeuf",
    "76",
    "28",
    "76500",
    (
        (0.9900, 49.2740),
        (1.0160, 49.2720),
        (1.0160, 49.2930),
        (1.0050, 49.3020),
        (0.9900, 49.2980),
        (0.9900, 49.2740),
    ),
)
SAINT_PIERRE = SampleCommune(
    "76640",
    "Saint-Pierre-lès-Elbeuf",
    "76",
    "28",
    "76320",
    (
        (1.0300, 49.2700),
        (1.0400, 49.2600),
        (1.0650, 49.2620),
        (1.0650, 49.2900),
        (1.0370, 49.2900),
        (1.0370, 49.2760),
        (1.0300, 49.2700),
    ),
)
PARIS = SampleCommune("75056", "Paris", "75", "11", "75001", _box(2.3522, 48.8566, 0.09, 0.05))
AJACCIO = SampleCommune("2A004", "Ajaccio", "2A", "94", "20000", _box(8.7369, 41.9192, 0.06, 0.04))
SAINT_DENIS = SampleCommune(
    "97411", "Saint-Denis", "974", "04", "97400", _box(55.4504, -20.8823, 0.05, 0.04)
)
SAMPLE_COMMUNES = (CAUDEBEC, ELBEUF, SAINT_PIERRE, PARIS, AJACCIO, SAINT_DENIS)


def source_folder(source_id: str) -> Path:
    folder = SNAPSHOT_ROOT / source_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def csv_text(header: list[str], rows: list[list[str]], separator: str) -> str:
    """CSV as the producers write it: quotes only around fields that need them, CRLF-free."""

    def field(value: str) -> str:
        if any(character in value for character in (separator, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [separator.join(field(name) for name in header)]
    lines += [separator.join(field(value) for value in row) for row in rows]
    return "\n".join(lines) + "\n"


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    path.write_bytes(buffer.getvalue())


def write_insee_base(source_id: str, base: str, prefix: str, counts: dict[str, list[int]]) -> Path:
    """An INSEE "base communale" of état civil: `<base>_csv.zip` → `<base>.csv`, `;`, one column
    per year 2014–2021 named `<prefix>14` … `<prefix>21`."""
    header = ["CODGEO", *(f"{prefix}{year}" for year in range(14, 22))]
    rows = [[code, *map(str, values)] for code, values in counts.items()]
    target = source_folder(source_id) / f"{base}_csv.zip"
    write_zip(target, {f"{base}.csv": csv_text(header, rows, ";").encode("utf-8")})
    return target
