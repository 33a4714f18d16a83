"""Issue 13, item 4: a run whose process was killed (kill -9 of `make demo`) stayed STARTED for
ever and held a place of the run queue; it is now marked failed, and an alert says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._utils.tags import TagConcurrencyLimitsCounter

from cle_pipeline.lib.abandoned_runs import (
    ABANDONED_TAG,
    HOST_TAG,
    PID_TAG,
    fail_abandoned_runs,
    process_alive,
    process_start,
    process_tags,
    run_abandoned,
)
from cle_pipeline.lib.files import PROJECT_ROOT

# A job run in-process the way `make demo` runs build_commune, whose one step waits.
WORKER = """
import time, dagster as dg
from cle_pipeline.lib.abandoned_runs import process_tags

@dg.op
def wait():
    time.sleep(120)

@dg.job
def build_commune():
    wait()

build_commune.execute_in_process(instance=dg.DagsterInstance.get(), tags=process_tags())
"""


@pytest.fixture
def instance(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        yield instance


def started_run(instance: dg.DagsterInstance, timeout: float = 60) -> dg.DagsterRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        if runs:
            return runs[0]
        time.sleep(0.2)
    raise AssertionError("the worker's run never started")


def test_a_run_killed_with_sigkill_is_marked_failed_once(instance, tmp_path):
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        cwd=tmp_path,
    )
    try:
        run = started_run(instance)
        assert run.tags[PID_TAG] == str(worker.pid)
        assert fail_abandoned_runs(instance) == []  # alive: left alone
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        worker.kill()
    [abandoned] = fail_abandoned_runs(instance)
    assert (abandoned.run_id, abandoned.job_name, abandoned.pid) == (
        run.run_id,
        "build_commune",
        worker.pid,
    )
    failed = instance.get_run_by_id(run.run_id)
    assert failed.status == dg.DagsterRunStatus.FAILURE
    assert failed.tags[ABANDONED_TAG] == "process gone"
    assert fail_abandoned_runs(instance) == []  # already failed: not twice


def test_a_run_of_another_host_or_without_process_tags_is_left_alone(instance):
    for tags in ({PID_TAG: "999999999", HOST_TAG: "another-machine"}, {}):
        run = instance.create_run_for_job(
            dg.GraphDefinition(name="empty").to_job(), tags=tags, status=dg.DagsterRunStatus.STARTED
        )
        assert run.status == dg.DagsterRunStatus.STARTED
    assert fail_abandoned_runs(instance) == []


def test_a_reused_pid_is_not_the_runs_process():
    tags = process_tags()
    pid = int(tags[PID_TAG])
    assert process_alive(pid, process_start(pid))
    assert not process_alive(pid, "1")  # same pid, another start time: another process


def test_the_alert_says_the_run_is_now_failed():
    from cle_pipeline.lib.abandoned_runs import AbandonedRun

    alert = run_abandoned(
        "Caudebec-lès-Elbeuf (76165)",
        AbandonedRun("abc", "build_commune", 4242, "host1", "76165"),
        "http://127.0.0.1:3000/runs/abc",
    )
    assert alert.subject == (
        "[cle-pipeline] Caudebec-lès-Elbeuf (76165): run of build_commune abandoned, marked failed"
    )
    assert "Its process (4242 on host1) no longer exists" in alert.body
    assert alert.body.endswith("Run: http://127.0.0.1:3000/runs/abc")


@pytest.mark.parametrize("limit_key", ["dagster/partition", "commune"])
def test_the_run_queue_serialises_runs_of_one_commune(limit_key):
    """The rule of dagster.yaml as the queue daemon applies it: a run for 76165 waits while
    another run for 76165 is in progress; a run for 76231 does not."""
    config = yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    job = dg.GraphDefinition(name="build").to_job()
    with dg.DagsterInstance.ephemeral() as instance:

        def run(commune: str) -> dg.DagsterRun:
            return instance.create_run_for_job(job, tags={limit_key: commune})

        counter = TagConcurrencyLimitsCounter(limits, [run("76165")])
        assert counter.is_blocked(run("76165"))
        assert not counter.is_blocked(run("76231"))


def test_run_monitoring_is_on_in_the_instance(instance):
    assert instance.run_monitoring_enabled
    assert instance.run_monitoring_max_runtime_seconds == 8 * 3600
    assert Path(instance.root_directory).name == "dagster_home"
