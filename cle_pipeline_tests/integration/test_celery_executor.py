"""Runs on the dagster-celery executor (`CLE_EXECUTOR=celery`): two Celery workers, Debian's
redis-server as broker, the instance on Debian's PostgreSQL, all on 127.0.0.1, started by the
test. Three communes built there give the very files of the in-process run.

Each step of a run is a Celery task that one of the two workers takes; values between steps
go through one folder both reach (CLE_STORAGE_DIR). The commune is the run's partition,
stored with the run in PostgreSQL, so the workers need no commune of their own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest
import yaml

from cle_pipeline.defs.executor import CELERY_CONFIG
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.partitions import PARTITION_TAG, register_communes
from cle_pipeline_tests.conftest import check_outcomes, materialize_into, released
from cle_pipeline_tests.postgres_server import postgres_server
from cle_pipeline_tests.redis_server import redis_server

# Caudebec-lès-Elbeuf, Elbeuf, and Ajaccio, far from both: three communes of the snapshots.
COMMUNES = ("76165", "76231", "2A004")
# A national CSV cut by DuckDB in a worker: with the commune reference, the national pass, the
# checks and the release, 8 steps per commune (every step is a Celery task: a few more would only
# make the test slower).
DATASETS = ("bornes_recharge",)
WORKERS = ("cle-worker-1", "cle-worker-2")
POSTGRES_INSTANCE = PROJECT_ROOT / "deploy" / "dagster.postgres.yaml"
CELERY_WORKERS = PROJECT_ROOT / "deploy" / "celery.yaml"
BIN = Path(sys.executable).parent
WORKER_COMMAND = [str(BIN / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app",
                  "-y", str(CELERY_WORKERS)]  # fmt: skip
RUN_SECONDS = 300


def test_the_celery_workers_settings_are_the_executors():
    workers = yaml.safe_load(CELERY_WORKERS.read_text())
    assert workers == {"execution": {"config": CELERY_CONFIG}}


def test_an_unknown_executor_is_a_clear_error(monkeypatch):
    from cle_pipeline.defs.executor import executor

    monkeypatch.setenv("CLE_EXECUTOR", "dask")
    with pytest.raises(ValueError, match="CLE_EXECUTOR='dask': expected 'celery'"):
        executor()


def published_files(folder: Path) -> dict[str, bytes]:
    """Every file published under `folder`, by path, with the time of the checks (in the release
    record, the quality report and the history's file names) replaced by `CHECKED_AT`."""
    files = {}
    for commune in sorted(path for path in folder.iterdir() if path.is_dir()):
        times = [json.loads(record.read_text())["checked_at"] for record in commune.glob("*.json")]
        for path in sorted(path for path in commune.rglob("*") if path.is_file()):
            name, content = str(path.relative_to(folder)), path.read_bytes()
            for time_of_check in times:  # 2026-12-03T08:03:09+00:00, 20261203T080309
                compact = time_of_check[:19].replace("-", "").replace(":", "")
                name = name.replace(compact, "CHECKED_AT")
                content = content.replace(time_of_check.encode(), b"CHECKED_AT")
            files[name] = content
    return files


@contextmanager
def celery_workers(log_folder: Path) -> Iterator[Callable[[], None]]:
    """Two workers started in this process's environment; gives the function that waits until
    both answer a ping."""
    environment = {
        **os.environ,
        # `dagster-celery worker start` runs the `celery` command of the environment.
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    workers = []
    logs = []
    try:
        for name in WORKERS:
            log = (log_folder / f"{name}.log").open("wb")
            logs.append(log)
            workers.append(
                subprocess.Popen(
                    # As deploy/celery.yaml says; `--pool solo`: one process per worker.
                    [*WORKER_COMMAND, "-n", name, "--", "--pool", "solo"],
                    env=environment,
                    cwd=PROJECT_ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # the worker's own `celery` child is stopped with it
                )
            )
        yield lambda: wait_for_workers(os.environ["CLE_CELERY_BROKER_URL"], workers, log_folder)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        for log in logs:
            log.close()


def wait_for_workers(broker: str, workers: list[subprocess.Popen], log_folder: Path) -> None:
    from celery import Celery

    app = Celery(broker=broker)
    deadline = time.monotonic() + RUN_SECONDS
    answering: set[str] = set()
    while True:
        replies = app.control.ping(timeout=1.0) or []
        answering = {name.split("@")[0] for reply in replies for name in reply}
        if answering >= set(WORKERS):
            return
        if any(w.poll() is not None for w in workers) or time.monotonic() > deadline:
            logs = "\n".join(p.read_text(errors="replace")[-1500:] for p in log_folder.glob("*"))
            raise RuntimeError(f"Celery workers not ready (answering: {answering}):\n{logs}")


def test_three_communes_through_two_celery_workers_on_postgres_give_the_in_process_files(
    definitions, tmp_path, monkeypatch
):
    selection = released(*DATASETS)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(POSTGRES_INSTANCE, home / "dagster.yaml")
    (tmp_path / "logs").mkdir()
    output = tmp_path / "celery" / "published"
    with postgres_server() as postgres, redis_server() as redis:
        environment = {
            **postgres.environment(),
            "DAGSTER_HOME": str(home),
            "CLE_EXECUTOR": "celery",
            "CLE_CELERY_BROKER_URL": f"{redis}/0",
            "CLE_CELERY_BACKEND_URL": f"{redis}/1",
            "CLE_OUTPUT_DIR": str(output),
            "CLE_CACHE_DIR": str(tmp_path / "celery" / "cache"),
            # The folder both workers reach, for the values passed between steps.
            "CLE_STORAGE_DIR": str(tmp_path / "shared"),
        }
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        # The instance's tables created once, here: two workers starting on an empty database
        # both create them, and the second fails ("type event_logs already exists", seen).
        dg.DagsterInstance.get().dispose()
        with celery_workers(tmp_path / "logs") as wait_until_ready:
            # While the workers start: the files of the in-process run, the reference.
            for commune in COMMUNES:
                in_process = materialize_into(
                    definitions, tmp_path / "in_process", selection, commune=commune
                )
                assert check_outcomes(in_process) and all(check_outcomes(in_process).values())
            job = build_commune_from_its_module()
            wait_until_ready()
            with dg.DagsterInstance.get() as instance:
                assets = sorted(selection.resolve(definitions.resolve_asset_graph()))
                results = [run_on_celery(job, instance, assets, c, output) for c in COMMUNES]
                steps_by_worker = [celery_step_workers(instance, r.run_id) for r in results]

    expected = published_files(tmp_path / "in_process" / "published")
    rows = {
        commune: expected[f"{commune}/bornes_recharge.csv"].count(b"\n") - 1 for commune in COMMUNES
    }
    assert rows == {"76165": 6, "76231": 3, "2A004": 1}
    assert [result.success for result in results] == [True] * len(COMMUNES)
    for result, workers in zip(results, steps_by_worker, strict=True):
        steps = {event.step_key for event in result.all_events if event.is_step_success}
        assert len(steps) == 8  # national/irve's pass and the release included
        assert set(workers) == steps  # every step was a Celery task
        # The sources' commune_found too: Ajaccio has a charging point in the sample.
        assert all(check_outcomes(result, sources=True).values())  # type: ignore[arg-type]
    assert {worker for workers in steps_by_worker for worker in workers.values()} == set(WORKERS)
    assert published_files(output) == expected
    for commune in COMMUNES:  # what one worker handed to the other, one folder per commune
        assert (tmp_path / "shared" / commune / "commune.pickle").is_file()


def build_commune_from_its_module():
    """`build_commune` as the run worker that the webserver or the daemon starts loads it: from
    the code location's module, which the Celery workers load too (CLE_EXECUTOR=celery gives it
    the Celery executor)."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository

    location = ReconstructableRepository.for_module(
        "cle_pipeline.definitions", "defs", working_directory=str(PROJECT_ROOT)
    )
    job = location.get_reconstructable_job("build_commune")
    assert job.get_definition().executor_def.name == "celery"
    return job


def run_on_celery(
    job, instance: dg.DagsterInstance, assets: list[dg.AssetKey], commune: str, output: Path
) -> dg.ExecutionResult:
    """A run of `job` restricted to `assets` and their checks, its steps sent to the queue, for
    the partition `commune` (registered first), as the Launchpad launches it; the output folder
    is the run's configuration (configuring the resource in a run resets it)."""
    register_communes(instance, [commune])
    return dg.execute_job(
        job,
        instance,
        run_config={"resources": {"settings": {"config": {"output_dir": str(output)}}}},
        asset_selection=assets,
        tags={PARTITION_TAG: commune},
    )


def celery_step_workers(instance: dg.DagsterInstance, run_id: str) -> dict[str, str]:
    """Step key → the Celery worker that executed it, from the executor's engine events."""
    workers = {}
    for record in instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ENGINE_EVENT
    ).records:
        entry = record.event_log_entry
        metadata = entry.dagster_event.engine_event_data.metadata  # type: ignore[union-attr]
        if "Celery worker" in metadata and entry.step_key:
            workers[entry.step_key] = str(metadata["Celery worker"].value).split("@")[0]
    return workers
