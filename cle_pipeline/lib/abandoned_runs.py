"""Runs whose process is gone: found, marked failed, and told.

`make demo` and `make publish` run their job in their own process (`execute_in_process`). When
that process is killed (kill -9, a closed terminal, a machine that rebooted), nothing records the
end of the run: it stays STARTED for ever, and each such run takes a place of the run queue's
`max_concurrent_runs` (dagster.yaml) until the queued runs of the service (publication,
inbox) never start. Dagster's run monitoring cannot see these runs (the default run launcher has
no health check for them; `max_runtime_seconds` only bounds them), so each run started by the
project carries its process as tags (`process_tags`), and `fail_abandoned_runs` marks failed
every STARTED run of this host whose process no longer exists. `make demo`, `make publish` and
the sensor `fail_abandoned_runs` (while `make ui` runs) call it; the run gets the tag
`ABANDONED_TAG` so that the failed-run alert is not sent twice.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from cle_pipeline.lib.alerts import PRODUCT, Alert, AlertChannels

PID_TAG = "cle/pid"
HOST_TAG = "cle/host"
# The process's start time (clock ticks since boot, /proc/<pid>/stat): a pid reused by another
# process after a reboot or a wrap-around is not taken for the run's.
PROCESS_START_TAG = "cle/process_start"
ABANDONED_TAG = "cle/abandoned"
LIVE_STATUSES = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def process_start(pid: int) -> str | None:
    """When process `pid` started (field 22 of /proc/<pid>/stat), None without /proc or when
    there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    # The command name (field 2) is in parentheses and may hold spaces: count after it.
    return stat.rsplit(")", 1)[1].split()[19]


def process_tags() -> dict[str, str]:
    """The tags that identify this process, for a run it executes itself."""
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    started = process_start(os.getpid())
    if started is not None:
        tags[PROCESS_START_TAG] = started
    return tags


def process_alive(pid: int, started: str | None) -> bool:
    """Whether the process `pid` that started at `started` still runs."""
    if Path("/proc/self/stat").exists():
        now = process_start(pid)
        return now is not None and (started is None or now == started)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


@dataclass(frozen=True)
class AbandonedRun:
    """A run still marked started whose process is gone."""

    run_id: str
    job_name: str
    pid: int
    host: str
    commune: str | None


def fail_abandoned_runs(instance: dg.DagsterInstance) -> list[AbandonedRun]:
    """Marks failed each STARTING/STARTED run of this host whose process is gone; returns them."""
    host = socket.gethostname()
    runs = instance.get_runs(
        filters=dg.RunsFilter(statuses=LIVE_STATUSES, tags={HOST_TAG: host}), limit=100
    )
    abandoned = []
    for run in runs:
        pid_text = run.tags.get(PID_TAG, "")
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if process_alive(pid, run.tags.get(PROCESS_START_TAG)):
            continue
        instance.add_run_tags(run.run_id, {ABANDONED_TAG: "process gone"})
        instance.report_run_failed(
            run,
            message=f"Marked failed by {PRODUCT}: its process ({pid} on {host}) no longer "
            "exists (killed, or the machine restarted); the run could not record its end.",
        )
        abandoned.append(AbandonedRun(run.run_id, run.job_name, pid, host, run.tags.get("commune")))
    return abandoned


def run_abandoned(commune: str, run: AbandonedRun, link: str) -> Alert:
    """The alert for a run found with no process: what happened, and that it is now failed."""
    return Alert(
        f"[{PRODUCT}] {commune}: run of {run.job_name} abandoned, marked failed",
        "\n".join(
            [
                f"Commune: {commune}",
                f"Job: {run.job_name}",
                f"Its process ({run.pid} on {run.host}) no longer exists: it was killed or the "
                "machine restarted before the run could record its end.",
                "The run is now marked failed, so it no longer holds a place in the run queue. "
                "What it had not finished was not written; the last published files are kept.",
                f"Run: {link}",
            ]
        ),
    )


def tell_abandoned_runs(
    instance: dg.DagsterInstance,
    alerts: AlertChannels,
    commune: str,
    log: logging.Logger | dg.DagsterLogManager,
) -> list[str]:
    """`fail_abandoned_runs`, then an alert for each run marked failed; returns their subjects."""
    told = []
    for run in fail_abandoned_runs(instance):
        alert = run_abandoned(run.commune or commune, run, alerts.run_url(run.run_id))
        alerts.send(alert, log)
        told.append(alert.subject)
    return told
