"""What every snapshot writer shares: the sample communes and deterministic file writing."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

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


def output_folder(folder: Path) -> Path:
    """`folder`, created if missing: where a generator writes."""
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


# The years of INSEE's current état civil series in the samples: 2008 to 2024.
ETAT_CIVIL_YEARS = tuple(range(2008, 2025))


@dataclass(frozen=True)
class EtatCivilPlace:
    """One place of an état civil sample: its code, `GEO_OBJECT` and one count per year of
    `ETAT_CIVIL_YEARS` (`None`: missing, written as status `M` with an empty value)."""

    geo: str
    geo_object: str
    counts: tuple[int | None, ...]


def yearly(counts: str) -> tuple[int | None, ...]:
    """`"131 127 M …"` → one count per year of `ETAT_CIVIL_YEARS`, `M` being missing."""
    values = tuple(None if value == "M" else int(value) for value in counts.split())
    if len(values) != len(ETAT_CIVIL_YEARS):
        raise ValueError(f"{len(values)} counts for {len(ETAT_CIVIL_YEARS)} years: {counts}")
    return values


def write_etat_civil_series(
    folder: Path, dataset: str, measure: tuple[str, str], places: list[EtatCivilPlace]
) -> Path:
    """INSEE's current état civil series: `<dataset>_CSV_FR.zip` holding `<dataset>_data.csv`
    (`EC_MEASURE;FREQ;GEO;GEO_OBJECT;OBS_STATUS;TIME_PERIOD;OBS_VALUE`, `;`, UTF-8, one row per
    place × year, year by year) and `<dataset>_metadata.csv` (the code lists; its layout,
    `COD_VAR;LIB_VAR;COD_MOD;LIB_MOD`, is as reusers describe it, and the pipeline never reads
    it). `measure` is (`EC_MEASURE` code, its French label)."""
    code, wording = measure
    header = ["EC_MEASURE", "FREQ", "GEO", "GEO_OBJECT", "OBS_STATUS", "TIME_PERIOD", "OBS_VALUE"]
    rows = []
    for index, year in enumerate(ETAT_CIVIL_YEARS):
        for place in places:
            count = place.counts[index]
            status, value = ("M", "") if count is None else ("A", str(count))
            rows.append([code, "A", place.geo, place.geo_object, status, str(year), value])
    metadata = [
        ["EC_MEASURE", "Mesure", code, wording],
        ["FREQ", "Fréquence", "A", "Annuelle"],
        ["OBS_STATUS", "Statut de l'observation", "A", "Valeur normale"],
        ["OBS_STATUS", "Statut de l'observation", "M", "Valeur manquante"],
        *[
            ["GEO_OBJECT", "Type d'objet géographique", object_code, object_label]
            for object_code, object_label in (
                ("COM", "Commune"),
                ("ARM", "Arrondissement municipal"),
                ("DEP", "Département"),
                ("REG", "Région"),
            )
        ],
    ]
    target = output_folder(folder) / f"{dataset}_CSV_FR.zip"
    write_zip(
        target,
        {
            f"{dataset}_data.csv": csv_text(header, rows, ";").encode("utf-8"),
            f"{dataset}_metadata.csv": csv_text(
                ["COD_VAR", "LIB_VAR", "COD_MOD", "LIB_MOD"], metadata, ";"
            ).encode("utf-8"),
        },
    )
    return target
