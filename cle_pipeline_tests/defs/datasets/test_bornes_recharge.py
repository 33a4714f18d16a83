"""`bornes_recharge`: schema IRVE statique 2.3.1, the IRVE snapshot's traps, and blocking checks."""

import json

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.defs.datasets.bornes_recharge.assets import bornes_recharge_checks
from cle_pipeline.defs.datasets.bornes_recharge.schema import BornesRecharge
from cle_pipeline.lib.checks import schema_failures
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.geo import Commune
from cle_pipeline.lib.partitions import COMMUNES, register_communes
from cle_pipeline.lib.settings import CommuneSettings
from cle_pipeline_tests.conftest import SHARED_SCHEMAS, check_outcomes, published_csv

IRVE_SCHEMA = SHARED_SCHEMAS / "etalab__schema-irve-statique" / "schema.json"
VALID_EXAMPLE = SHARED_SCHEMAS / "etalab__schema-irve-statique" / "exemple-valide-statique.csv"
needs_schemas = pytest.mark.skipif(not IRVE_SCHEMA.exists(), reason="../shared/schemas absent")


def test_caudebec_charging_points(materialize, tmp_path):
    result = materialize("bornes_recharge")
    assert check_outcomes(result) == {
        "bornes_recharge:schema": True,
        "bornes_recharge:rows_belong_to_commune": True,
        "bornes_recharge:coordinates_inside_commune": True,
        "bornes_recharge:one_row_per_point_de_charge": True,
        "bornes_recharge:rows_against_last_release": True,
    }
    published = published_csv(tmp_path, "76165", "bornes_recharge")
    assert published["id_pdc_itinerance"].tolist() == [
        "FRS76E761650011",
        "FRS76E761650012",
        "FRS76E761650021",
        "FRS76E761650022",
        "FRS76E761650031",  # no INSEE code in the national file: placed by its coordinates
        "FRXYZE00011",
    ]
    by_id = published.set_index("id_pdc_itinerance")
    # The duplicated point keeps its latest version.
    assert by_id.loc["FRS76E761650022", ["date_maj", "tarification"]].tolist() == [
        "2022-10-28",
        "0,35 €/kWh",
    ]
    assert by_id.loc["FRS76E761650031", "code_insee_commune"] == "76165"
    # The producer who wrote oui/non, French dates, a space in coordinates and 50.0 kW.
    shop = by_id.loc["FRXYZE00011"]
    assert shop[["prise_type_ef", "prise_type_combo_ccs", "gratuit", "paiement_acte"]].tolist() == [
        "false",
        "true",
        "true",
        "false",
    ]
    assert shop[["date_mise_en_service", "date_maj"]].tolist() == ["2022-05-02", "2022-09-15"]
    assert shop["coordonneesXY"] == "[1.0302,49.2869]"
    assert shop["puissance_nominale"] == "50"


def test_saint_pierre_point_inside_caudebec_box_but_outside_its_outline_is_left_out(
    materialize, tmp_path
):
    materialize("bornes_recharge")
    published = published_csv(tmp_path, "76165", "bornes_recharge")
    assert "FRS76E766400011" not in set(published["id_pdc_itinerance"])


def test_a_second_commune(materialize, tmp_path):
    result = materialize("bornes_recharge", commune="76231")
    assert all(check_outcomes(result).values())
    published = published_csv(tmp_path, "76231", "bornes_recharge")
    assert published["id_pdc_itinerance"].tolist() == [
        "FRS76E762310011",
        "FRS76E762310012",
        "FRS76E762310021",
    ]


@needs_schemas
def test_the_model_agrees_with_the_official_table_schema_field_by_field():
    schema = json.loads(IRVE_SCHEMA.read_text())
    columns = BornesRecharge.to_schema().columns
    assert list(columns) == [field["name"] for field in schema["fields"]]
    for field in schema["fields"]:
        column = columns[field["name"]]
        constraints = field.get("constraints", {})
        assert column.nullable == (not constraints.get("required", False)), field["name"]
        statistics = [check.statistics for check in column.checks]
        if "pattern" in constraints:
            assert {"pattern": constraints["pattern"]} in statistics, field["name"]
        if "enum" in constraints:
            assert {"allowed_values": constraints["enum"]} in statistics, field["name"]
        if field["type"] == "boolean":
            assert {"allowed_values": ["true", "false"]} in statistics, field["name"]


@needs_schemas
def test_the_official_valid_example_passes():
    example = pd.read_csv(VALID_EXAMPLE, dtype=str, keep_default_na=False).replace("", None)
    assert schema_failures(BornesRecharge, example).empty


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("prise_type_2", "oui", "isin"),
        ("date_maj", "05/04/2021", "str_matches"),
        ("date_maj", "2021-02-30", "real_date"),
        ("coordonneesXY", "49.28, 1.02", "str_matches"),
        ("coordonneesXY", "[1.02,95.0]", "lon_lat_ranges"),
        ("implantation_station", "Trottoir", "isin"),
        ("nbre_pdc", "deux", "str_matches"),
        ("id_pdc_itinerance", "fr-123", "str_matches"),
        ("nom_station", None, "not_nullable"),
    ],
)
@needs_schemas
def test_each_kind_of_bad_value_fails_on_its_row(column, value, rule):
    example = pd.read_csv(VALID_EXAMPLE, dtype=str, keep_default_na=False).replace("", None)
    example.loc[1, column] = value
    failures = schema_failures(BornesRecharge, example)
    assert failures[["row", "column"]].values.tolist() == [[2, column]]
    assert rule in failures["rule"].iloc[0]


@needs_schemas
def test_oui_in_a_boolean_fails_the_blocking_check_and_blocks_downstream(tmp_path):
    example = pd.read_csv(VALID_EXAMPLE, dtype=str, keep_default_na=False).replace("", None)
    example["coordonneesXY"] = "[1.0231,49.2836]"
    example.loc[0, "reservation"] = "oui"
    outline = [[[(1.0, 49.27), (1.04, 49.27), (1.04, 49.30), (1.0, 49.30), (1.0, 49.27)]]]

    @dg.asset(name="commune", partitions_def=COMMUNES)
    def fake_commune() -> Commune:
        return Commune("76165", "Caudebec-lès-Elbeuf", "76", "28", outline)

    @dg.asset(name="bornes_recharge", partitions_def=COMMUNES)
    def fake_bornes() -> pd.DataFrame:
        return example

    @dg.asset(deps=["bornes_recharge"], partitions_def=COMMUNES)
    def publication() -> None:
        raise AssertionError("must not run after a failed blocking check")

    previous = tmp_path / "published" / "76165" / "bornes_recharge.csv"
    previous.parent.mkdir(parents=True)
    previous.write_text("the last good file\n")
    instance = dg.DagsterInstance.ephemeral()
    register_communes(instance, ["76165"])
    result = dg.materialize(
        [fake_commune, fake_bornes, bornes_recharge_checks, publication],
        resources={
            "settings": CommuneSettings(output_dir=str(tmp_path / "published")),
            "sources": SourceFetcher(),
        },
        partition_key="76165",
        instance=instance,
        raise_on_error=False,
    )
    assert check_outcomes(result)["bornes_recharge:schema"] is False
    evaluation = next(e for e in result.get_asset_check_evaluations() if e.check_name == "schema")
    assert evaluation.metadata["failing_rows"].value == 1
    assert "reservation" in evaluation.metadata["failure_sample"].value
    # Never started: the failed blocking check stopped it before it could run.
    assert "publication" in [node.name for node in result.job_def.nodes]
    assert not [e for e in result.all_events if e.step_key == "publication" and e.is_step_start]
    assert previous.read_text() == "the last good file\n"


def test_a_commune_without_charging_points_publishes_an_empty_valid_file(tmp_path, monkeypatch):
    from cle_pipeline.defs.datasets.bornes_recharge.assets import to_schema
    from cle_pipeline.defs.sources.irve import cut_commune
    from cle_pipeline.lib.checks import evaluate
    from devtools.snapshots.irve import HEADER

    national = tmp_path / "irve.csv"
    national.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    outline = [[[(1.0, 49.27), (1.04, 49.27), (1.04, 49.30), (1.0, 49.30), (1.0, 49.27)]]]
    commune = Commune("76165", "Caudebec-lès-Elbeuf", "76", "28", outline)
    points = cut_commune(national, commune, "irve.csv")
    assert list(points.columns) == HEADER and points.empty
    table = to_schema(points, commune)
    assert all(outcome.passed for outcome in evaluate(table, BornesRecharge, [], commune))
