"""The instance on PostgreSQL (`deploy/dagster.postgres.yaml`) against Debian's server started on
127.0.0.1: runs, event log and sensor state are written there and read back by a second
instance, as the webserver, the daemon and the workers of another machine would read them.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline_tests.conftest import check_outcomes, materialize_into, released
from cle_pipeline_tests.postgres_server import PostgresServer, postgres_server

POSTGRES_INSTANCE = PROJECT_ROOT / "deploy" / "dagster.postgres.yaml"


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


def postgres_home(
    folder: Path, server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, PostgresServer]:
    """A DAGSTER_HOME holding the documented PostgreSQL variant, connected through the
    environment variables it names to a database of its own."""
    folder.mkdir()
    shutil.copy(POSTGRES_INSTANCE, folder / "dagster.yaml")
    server = server.with_new_database(folder.parent.name.lower())
    for name, value in server.environment().items():
        monkeypatch.setenv(name, value)
    return folder, server


def test_the_postgres_variant_differs_from_dagster_yaml_only_by_its_storage():
    embedded = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    variant = yaml.safe_load(POSTGRES_INSTANCE.read_text())
    assert "storage" not in embedded  # SQLite under DAGSTER_HOME: the default of `make demo`
    assert variant.pop("storage")["postgres"]["postgres_db"]["password"] == {
        "env": "DAGSTER_PG_PASSWORD"
    }
    assert variant == embedded


def test_runs_and_event_log_go_to_postgres_and_a_second_instance_reads_them(
    definitions, postgres, tmp_path, monkeypatch
):
    home, database = postgres_home(tmp_path / "home", postgres, monkeypatch)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        result = materialize_into(
            definitions,
            tmp_path,
            released("naissances_deces"),
            instance=instance,
        )
    built = sorted(
        event.asset_key.to_user_string() for event in result.get_asset_materialization_events()
    )
    assert built == [
        "cog_communes",
        "commune",
        "commune_contours",
        "insee_deces",
        "insee_naissances",
        "naissances_deces",
        "national/insee_deces",
        "national/insee_naissances",
        # written after reading the checks' evaluations back from PostgreSQL
        "release/naissances_deces",
    ]

    # Nothing went to SQLite beside the instance: the database holds it all.
    assert not list(home.rglob("*.db"))
    assert database.query("SELECT run_id, status FROM runs") == [(result.run_id, "SUCCESS")]
    stored_keys = database.query(
        "SELECT DISTINCT asset_key FROM event_logs "
        "WHERE dagster_event_type = 'ASSET_MATERIALIZATION' ORDER BY asset_key",
    )
    assert [dg.AssetKey.from_db_string(key).to_user_string() for (key,) in stored_keys] == built

    with dg.DagsterInstance.from_config(str(home)) as reader:
        [run] = reader.get_runs()
        assert (run.run_id, run.status) == (result.run_id, dg.DagsterRunStatus.SUCCESS)
        latest = reader.get_latest_materialization_event(dg.AssetKey("naissances_deces"))
        assert latest is not None and latest.run_id == result.run_id
        metadata = latest.asset_materialization.metadata  # type: ignore[union-attr]
        assert metadata["dagster/row_count"].value == 17  # 2008 to 2024
        evaluations = [
            record.event_log_entry.dagster_event.event_specific_data
            for record in reader.get_records_for_run(
                result.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            ).records
        ]
        stored = {f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in evaluations}
        assert stored == check_outcomes(result, sources=True)
        assert stored == {
            "cog_communes:commune_found": True,
            "commune_contours:commune_found": True,
            "insee_deces:commune_found": True,
            "insee_naissances:commune_found": True,
            "naissances_deces:schema": True,
            "naissances_deces:rows_belong_to_commune": True,
            "naissances_deces:every_year_present_once": True,
            "naissances_deces:rows_against_last_release": True,
        }


def test_a_sensor_stopped_on_postgres_is_stopped_for_every_instance(
    postgres, tmp_path, monkeypatch
):
    # What the UI's toggle does, in-process: Dagster's webserver and daemon load the code
    # location in a server of their own, which would take longer than the whole test.
    from dagster._core.remote_origin import InProcessCodeLocationOrigin
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

    home, database = postgres_home(tmp_path / "home", postgres, monkeypatch)
    code = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(
            executable_path=sys.executable, module_name="cle_pipeline.definitions"
        ),
        location_name="cle_pipeline",
    )
    with (
        dg.DagsterInstance.from_config(str(home)) as instance,
        code.create_location(instance) as location,
    ):
        sensor = location.get_repository("__repository__").get_sensor("publish_checked_datasets")
        # Running by default (each tick skips while no API key is set): stopping it is an
        # operator's decision to keep.
        assert sensor.get_current_instigator_state(None).is_running
        instance.stop_sensor(sensor.get_remote_origin_id(), sensor.selector_id, sensor)

    assert database.query("SELECT instigator_type, status FROM instigators") == [
        ("SENSOR", "STOPPED")
    ]
    with dg.DagsterInstance.from_config(str(home)) as reader:
        [state] = reader.all_instigator_state()
        assert (state.instigator_name, state.is_running) == ("publish_checked_datasets", False)
