"""What every release leaves beside its CSV, built from the snapshots for Caudebec (76165): the
quality report, the change log, the Table Schema of the datasets without an official one (each
CSV valid against it, by frictionless) and the RFC 7946 GeoJSON of the datasets with positions."""

import json
from pathlib import Path

import dagster as dg
import pytest
from frictionless import Resource, Schema, system, validate

from cle_pipeline.defs.publishing.sheets import dataset_ids, load_sheet
from cle_pipeline.lib.changelog import read_published_csv
from cle_pipeline.lib.geo import read_outline
from cle_pipeline_tests.conftest import (
    check_outcomes,
    materialize_into,
    release_metadata,
    released,
)
from cle_pipeline_tests.integration.test_build_commune import SNAPSHOTS

WITHOUT_OFFICIAL_SCHEMA = [
    "associations",
    "commerces",
    "effectifs_scolaires_2022",
    "elections_legislatives_2022",
    "elections_presidentielle_2022",
    "elus",
    "evolution_effectifs_scolaires",
    "naissances_deces",
]
WITH_POSITIONS = ["bornes_recharge", "commerces", "defibrillateurs", "horaires_services"]


@pytest.fixture(scope="module")
def built(definitions, tmp_path_factory) -> tuple[Path, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("companions")
    result = materialize_into(definitions, root, released(*dataset_ids()))
    assert all(check_outcomes(result).values())
    return root / "published" / "76165", result


def test_the_datasets_split_as_the_issue_says():
    assert [d for d in dataset_ids() if load_sheet(d).schema is None] == WITHOUT_OFFICIAL_SCHEMA
    assert [d for d in dataset_ids() if load_sheet(d).coordinates] == WITH_POSITIONS


@pytest.mark.parametrize("dataset_id", WITHOUT_OFFICIAL_SCHEMA)
def test_each_table_schema_is_valid_and_its_csv_passes_it(built, dataset_id):
    folder, _ = built
    schema_file = folder / f"{dataset_id}.schema.json"
    assert Schema.validate_descriptor(str(schema_file)).valid
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    published = read_published_csv(folder / f"{dataset_id}.csv")
    assert [field["name"] for field in schema["fields"]] == list(published.columns)
    with system.use_context(trusted=True):
        report = validate(Resource(path=str(folder / f"{dataset_id}.csv"), schema=str(schema_file)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    assert report.tasks[0].stats["rows"] == len(published)


def test_a_table_schema_rejects_what_its_model_rejects(built, tmp_path):
    folder, _ = built
    bad = read_published_csv(folder / "naissances_deces.csv")
    bad.loc[0, "naissances"] = "-3"  # minimum 0
    bad.loc[1, "annee"] = bad.loc[2, "annee"]  # unique
    bad.to_csv(tmp_path / "naissances_deces.csv", index=False)
    with system.use_context(trusted=True):
        report = validate(
            Resource(
                path=str(tmp_path / "naissances_deces.csv"),
                schema=str(folder / "naissances_deces.schema.json"),
            )
        )
    assert sorted(report.flatten(["rowNumber", "fieldName", "type"])) == [
        [2, "naissances", "constraint-error"],
        [4, "annee", "unique-error"],
    ]


def test_the_schema_of_naissances_deces_says_what_the_model_checks(built):
    folder, _ = built
    schema = json.loads((folder / "naissances_deces.schema.json").read_text(encoding="utf-8"))
    assert schema["fields"][2] == {
        "name": "annee",
        "type": "integer",
        "description": "Année civile",
        "example": "2008",
        "constraints": {"required": True, "unique": True, "minimum": 2000, "maximum": 2100},
    }
    assert schema["fields"][0]["constraints"] == {
        "required": True,
        "pattern": r"^(?:[013-9]\d|2[AB1-9])\d{3}$",
    }


def test_datasets_with_an_official_schema_get_no_generated_one(built):
    folder, _ = built
    assert sorted(path.name for path in folder.glob("*.schema.json")) == [
        f"{dataset_id}.schema.json" for dataset_id in WITHOUT_OFFICIAL_SCHEMA
    ]


@pytest.mark.parametrize("dataset_id", WITH_POSITIONS)
def test_each_geojson_is_rfc_7946_with_the_csv_as_properties(built, dataset_id):
    folder, _ = built
    collection = json.loads((folder / f"{dataset_id}.geojson").read_text(encoding="utf-8"))
    published = read_published_csv(folder / f"{dataset_id}.csv")
    outline = read_outline(SNAPSHOTS / "commune_contours" / "76165.geojson", "outline")
    lons = [lon for rings in outline for lon, _ in rings[0]]
    lats = [lat for rings in outline for _, lat in rings[0]]
    # RFC 7946: no `crs` member (WGS 84 only), a FeatureCollection of Features.
    assert set(collection) == {"type", "features"}
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(published)
    for feature, (_, row) in zip(collection["features"], published.iterrows(), strict=True):
        assert set(feature) == {"type", "geometry", "properties"}
        assert feature["type"] == "Feature"
        assert feature["properties"] == row.to_dict()
        geometry = feature["geometry"]
        if geometry is None:  # an unlocated row (a shop OpenStreetMap does not place)
            continue
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert all(isinstance(value, float) for value in (lon, lat))
        # Longitude first: the commune's outline, not its transpose, holds the point.
        assert min(lons) <= lon <= max(lons) and min(lats) <= lat <= max(lats)


def test_geojson_points_are_the_csv_positions(built):
    folder, _ = built
    bornes = json.loads((folder / "bornes_recharge.geojson").read_text(encoding="utf-8"))
    assert bornes["features"][0]["geometry"] == {"type": "Point", "coordinates": [1.0231, 49.2836]}
    shops = json.loads((folder / "commerces.geojson").read_text(encoding="utf-8"))
    placed = [feature for feature in shops["features"] if feature["geometry"]]
    assert placed[0]["geometry"]["coordinates"] == [1.02605, 49.28522]
    assert placed[0]["properties"]["nom"] == "PHARMACIE DE LA REPUBLIQUE"


@pytest.mark.parametrize("dataset_id", dataset_ids())
def test_each_release_has_its_quality_report_with_every_check(built, dataset_id):
    folder, result = built
    report = (folder / f"{dataset_id}.qualite.md").read_text(encoding="utf-8")
    checks = [
        evaluation.check_name
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.asset_key == dg.AssetKey(dataset_id)
    ]
    assert checks
    for check in checks:
        assert f"| `{check}` | réussi | 0 |" in report
    assert report.startswith(f"# Bilan de mise en qualité — {load_sheet(dataset_id).title}")
    assert "Première publication de ce jeu pour la commune" in report
    changes = (folder / f"{dataset_id}.changements.csv").read_text(encoding="utf-8")
    assert changes == ",".join([*load_sheet(dataset_id).key, "changement,colonne,avant,apres\n"])


def test_quality_reports_count_corrections_and_list_rows_set_aside(built):
    folder, _ = built
    shops = (folder / "commerces.qualite.md").read_text(encoding="utf-8")
    assert "| Établissements en diffusion partielle écartés | 1 |" in shops
    assert "| Horaires pris dans le fichier de la commune | 2 |" in shops
    assert "path" not in shops  # the IO manager's storage path is not a correction
    devices = (folder / "defibrillateurs.qualite.md").read_text(encoding="utf-8")
    assert "| Défibrillateurs écartés | 5 |" in devices
    set_aside = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in devices.splitlines()
        if line.startswith("|  ") and line.strip("| ")[0].isdigit()
    ]
    assert ["52004", "Ancienne école Exemple", "marked for deletion (A supprimer)"] in set_aside
    assert len(set_aside) == 5


def test_the_release_shows_its_companions_in_its_metadata(built):
    folder, result = built
    metadata = release_metadata(result, "bornes_recharge")
    assert metadata["geojson_file"].value == str(folder / "bornes_recharge.geojson")
    assert metadata["quality_file"].value == str(folder / "bornes_recharge.qualite.md")
    assert metadata["changes"].value.startswith("Première publication")
    assert "schema_file" not in metadata  # IRVE has its official schema
    for evaluation in result.get_asset_check_evaluations():  # checks only check
        assert not {"published_file", "sha256", "quality_file"} & set(evaluation.metadata)
