"""The publication sensor: what it requests after real runs recorded in a Dagster instance."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import dagster as dg
import pytest

from cle_pipeline.lib.datagouv import DataGouvPublisher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.release_asset import release_key
from cle_pipeline_tests.conftest import materialize_into

SENSOR = "publish_checked_datasets"


@pytest.fixture
def instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.ephemeral()


def tick(
    definitions: dg.Definitions,
    instance: dg.DagsterInstance,
    cursor: str | None = None,
    api_key: str = "a-key",
):
    sensor = definitions.resolve_sensor_def(SENSOR)
    context = dg.build_sensor_context(
        instance=instance,
        definitions=definitions,
        cursor=cursor,
        resources={"datagouv": DataGouvPublisher(api_url="http://127.0.0.1:9", api_key=api_key)},
    )
    # As the daemon does: the communes (dynamic partitions) are read from the instance.
    with dg.partition_loading_context(dynamic_partitions_store=instance):
        return sensor.evaluate_tick(context)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_metadata_sha256(instance: dg.DagsterInstance) -> str:
    event = instance.get_latest_materialization_event(release_key("naissances_deces"))
    return event.asset_materialization.metadata["sha256"].value


def test_a_checked_dataset_is_requested_once_per_content(
    definitions, materialize, instance, tmp_path
):
    nothing = tick(definitions, instance)
    assert nothing.run_requests == []
    assert nothing.skip_message == "no dataset has a new checked content released"
    # Built and checked, not released: nothing to publish yet.
    materialize_into(
        definitions,
        tmp_path,
        dg.AssetSelection.assets("naissances_deces").upstream(),
        instance=instance,
    )
    assert tick(definitions, instance).run_requests == []

    materialize("naissances_deces", instance=instance)
    first = tick(definitions, instance)
    [request] = first.run_requests
    sha256 = sha256_of(tmp_path / "published" / "76165" / "naissances_deces.csv")
    assert request.run_key == f"76165:naissances_deces:{sha256}"
    assert request.partition_key == "76165"
    assert request.asset_selection == [dg.AssetKey(["datagouv", "publication_naissances_deces"])]
    assert request.tags["sha256"] == sha256
    assert request.tags["sha256"] == release_metadata_sha256(instance)

    # The next tick, and a rebuild giving the same content: nothing more.
    assert tick(definitions, instance, first.cursor).run_requests == []
    materialize("naissances_deces", instance=instance)
    assert tick(definitions, instance, first.cursor).run_requests == []

    # Another commune's datasets: one request each, for that commune.
    materialize("associations", "naissances_deces", commune="76231", instance=instance)
    later = tick(definitions, instance, first.cursor)
    assert sorted(r.run_key.rsplit(":", 1)[0] for r in later.run_requests) == [
        "76231:associations",
        "76231:naissances_deces",
    ]
    assert {r.partition_key for r in later.run_requests} == {"76231"}


def test_nothing_is_requested_when_a_blocking_check_failed(
    definitions, materialize, instance, tmp_path
):
    # One negative death count: the schema check of naissances_deces fails.
    original = PROJECT_ROOT / "data/sources/insee_deces/DS_ETAT_CIVIL_DECES_COMMUNES_CSV_FR.zip"
    broken = tmp_path / original.name
    with zipfile.ZipFile(original) as archive, zipfile.ZipFile(broken, "w") as copy:
        for member in archive.infolist():
            text = archive.read(member).decode()
            copy.writestr(member, text.replace(";76165;COM;A;2009;96\n", ";76165;COM;A;2009;-96\n"))
    result = materialize(
        "naissances_deces",
        instance=instance,
        raise_on_error=False,
        overrides={"insee_deces": str(broken)},
    )
    assert not all(e.passed for e in result.get_asset_check_evaluations())
    assert tick(definitions, instance).run_requests == []

    # Fixed: the same dataset, checked this time, is requested.
    materialize("naissances_deces", instance=instance)
    [request] = tick(definitions, instance).run_requests
    assert request.run_key.startswith("76165:naissances_deces:")


def test_without_a_key_the_sensor_runs_but_publishes_nothing_and_says_why(
    definitions, materialize, instance
):
    sensor = definitions.resolve_sensor_def(SENSOR)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    materialize("naissances_deces", instance=instance)
    skipped = tick(definitions, instance, api_key="")
    assert skipped.run_requests == []
    assert skipped.skip_message == (
        "DATAGOUV_API_KEY is not set: nothing is published automatically (`make publish` "
        "still publishes by hand)"
    )
    [request] = tick(definitions, instance).run_requests
    assert request.run_key.startswith("76165:naissances_deces:")
