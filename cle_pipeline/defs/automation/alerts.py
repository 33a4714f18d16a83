"""Alerts: a failed check (blocking or WARN), a failed run, an asset gone stale; and recoveries.

Open-source Dagster has no sensor on asset checks, so `alert_on_failed_checks_and_runs` follows
the runs as they finish (successful and failed: a failed blocking check fails its step, hence
the run; a failed WARN check leaves the run successful) and reads each run's
ASSET_CHECK_EVALUATION and STEP_FAILURE events through the instance. Dagster's own
run-status sensors keep their cursor to themselves; this sensor's cursor also remembers which
checks are failing (dataset:check), which is what makes it send one alert per failure, not one
per run or tick, and a notice when the check passes again.

`alert_on_stale_assets` reads the freshness states that the freshness daemon computes from the
policies of `cadences.py`, and remembers in its cursor which assets it reported stale.

Both send through the `alerts` resource (`lib/alerts.py`: chat webhook and e-mail, configured by
CLE_ALERT_WEBHOOK_URL, CLE_SMTP_*, CLE_ALERT_EMAIL_*, CLE_DAGSTER_UI_URL); with no channel
configured an alert is only written to the sensor's log. They never start a run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import dagster as dg

from cle_pipeline.lib.abandoned_runs import ABANDONED_TAG
from cle_pipeline.lib.alerts import (
    Alert,
    AlertChannels,
    CheckResult,
    check_failed,
    check_recovered,
    fresh_again,
    gone_stale,
    run_failed,
)
from cle_pipeline.lib.errors import StepFailure, step_failures
from cle_pipeline.lib.release_asset import RELEASES_GROUP
from cle_pipeline.lib.settings import CommuneError, CommuneSettings

# A tick reads at most this many finished runs of each status; the rest wait for the next one.
RUNS_PER_TICK = 50
# The step error of a failed blocking check: told as a check alert, not as a failed run.
CHECK_FAILURE_ERROR = "DagsterAssetCheckFailedError"
STALE = "FAIL"
FRESH = ("PASS", "WARN")


def send(alerts: AlertChannels, alert: Alert, context: dg.SensorEvaluationContext) -> str:
    """Sends `alert` on every configured channel; its subject, for the tick's summary."""
    alerts.send(alert, context.log)
    return alert.subject


def summary(runs: int, sent: list[str]) -> str:
    """The tick's skip reason: how many finished runs were read, and the alerts sent."""
    read = f"{runs} finished run{'s' if runs != 1 else ''} read"
    return f"{read}; alerts: {'; '.join(sent)}" if sent else f"{read}, nothing to tell"


def commune_label(instance: dg.DagsterInstance, settings: CommuneSettings) -> str:
    """`Caudebec-lès-Elbeuf (76165)`: the name from the last build of the `commune` asset when
    it was built for the configured commune, else the code alone."""
    try:
        code = settings.insee_code()
    except CommuneError:
        return settings.commune
    event = instance.get_latest_materialization_event(dg.AssetKey("commune"))
    materialization = event.asset_materialization if event else None
    if materialization is not None:
        metadata = materialization.metadata
        name, built_for = metadata.get("name"), metadata.get("code")
        if name is not None and built_for is not None and built_for.value == code:
            return f"{name.value} ({code})"
    return code


@dataclass
class RunAlertState:
    """The cursor: the last run-status event read, and the checks failing since an alert."""

    after: int | None = None
    failing: dict[str, str] = field(default_factory=dict)  # dataset:check → run id of the alert

    @classmethod
    def load(cls, cursor: str | None) -> RunAlertState:
        """The state saved in the sensor's cursor (an empty state without one)."""
        if not cursor:
            return cls()
        saved = json.loads(cursor)
        return cls(after=saved.get("after"), failing=dict(saved.get("failing", {})))

    def dump(self) -> str:
        """The state as the sensor's cursor."""
        return json.dumps({"after": self.after, "failing": self.failing}, sort_keys=True)


@dataclass(frozen=True)
class FinishedRun:
    """A run that finished after the cursor: its place in the event log, id and outcome."""

    storage_id: int
    run_id: str
    failed: bool


def finished_runs(instance: dg.DagsterInstance, after: int) -> list[FinishedRun]:
    """Runs that succeeded or failed after storage id `after`, oldest first. When a status has
    more than RUNS_PER_TICK, only the runs before its last one read are kept, so that no run
    of the other status is skipped."""
    batches = {}
    for event_type in (dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE):
        result = instance.fetch_run_status_changes(
            dg.RunStatusChangeRecordsFilter(event_type=event_type, after_storage_id=after),
            limit=RUNS_PER_TICK,
            ascending=True,
        )
        batches[event_type] = result.records
    full = [records[-1].storage_id for records in batches.values() if len(records) >= RUNS_PER_TICK]
    limit = min(full) if full else None
    runs = [
        FinishedRun(
            record.storage_id,
            record.event_log_entry.run_id,
            event_type == dg.DagsterEventType.RUN_FAILURE,
        )
        for event_type, records in batches.items()
        for record in records
        if limit is None or record.storage_id <= limit
    ]
    return sorted(runs, key=lambda run: run.storage_id)


def check_results(instance: dg.DagsterInstance, run_id: str, graph: Any) -> list[CheckResult]:
    """The last evaluation of each check in the run, from its ASSET_CHECK_EVALUATION events."""
    connection = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    )
    latest: dict[str, CheckResult] = {}
    for record in connection.records:
        event = record.event_log_entry.dagster_event
        if event is None:
            continue
        evaluation = event.event_specific_data
        metadata = evaluation.metadata
        rows = metadata.get("failing_rows")
        sample = metadata.get("failure_sample")
        check_key = dg.AssetCheckKey(evaluation.asset_key, evaluation.check_name)
        described = graph.get(check_key).description if graph and graph.has(check_key) else None
        result = CheckResult(
            dataset=evaluation.asset_key.to_user_string(),
            check=evaluation.check_name,
            passed=evaluation.passed,
            severity=evaluation.severity.value,
            blocking=bool(evaluation.blocking),
            failing_rows=int(rows.value) if rows is not None else None,
            failure_sample=str(sample.value) if sample is not None else None,
            description=described,
        )
        latest[result.key] = result
    return list(latest.values())


def failures_of_run(instance: dg.DagsterInstance, run_id: str) -> list[StepFailure]:
    """The failed steps of a finished run, read from the instance."""
    connection = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
    return step_failures(record.event_log_entry.dagster_event for record in connection.records)


@dg.sensor(
    name="alert_on_failed_checks_and_runs",
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Envoie une alerte (webhook de messagerie, courriel) quand un contrôle d'un jeu "
    "publié échoue (commune, jeu, contrôle, nombre de lignes en échec avec un échantillon, lien "
    "vers le run), une fois par échec, et un avis quand il repasse ; et quand un run échoue "
    "pour une autre raison (une source illisible). Réglé par CLE_ALERT_WEBHOOK_URL, CLE_SMTP_* "
    "et CLE_ALERT_EMAIL_* ; sans eux, les alertes sont seulement journalisées ici.",
)
def alert_on_failed_checks_and_runs(
    context: dg.SensorEvaluationContext, alerts: AlertChannels, settings: CommuneSettings
) -> dg.SensorResult:
    """One alert per newly failing check or failed run, a notice when a check passes again."""
    state = RunAlertState.load(context.cursor)
    instance = context.instance
    if state.after is None:
        # Like Dagster's run-status sensors: runs that finished before the sensor first ran
        # are history, not news.
        state.after = instance.event_log_storage.get_maximum_record_id() or 0
        return dg.SensorResult(
            skip_reason="watching the runs that finish from now on", cursor=state.dump()
        )
    runs = finished_runs(instance, state.after)
    if not runs:
        return dg.SensorResult(skip_reason="no run finished since the last tick")
    commune = commune_label(instance, settings)
    graph = context.repository_def.asset_graph if context.repository_def else None
    sent: list[str] = []
    for run in runs:
        link = alerts.run_url(run.run_id)
        failed_checks = 0
        for result in check_results(instance, run.run_id, graph):
            if not result.passed:
                failed_checks += 1
                if result.key not in state.failing:
                    sent.append(send(alerts, check_failed(commune, result, link), context))
                    state.failing[result.key] = run.run_id
            elif result.key in state.failing:
                sent.append(send(alerts, check_recovered(commune, result, link), context))
                del state.failing[result.key]
        if run.failed:
            others = [
                (failure.step_key, f"{failure.error_class}: {failure.first_line or 'failed'}")
                for failure in failures_of_run(instance, run.run_id)
                if failure.error_class != CHECK_FAILURE_ERROR
            ]
            dagster_run = instance.get_run_by_id(run.run_id)
            # A run failed for its lost process was told by whoever found it.
            told = dagster_run is not None and ABANDONED_TAG in dagster_run.tags
            if (others or not failed_checks) and not told:
                job = dagster_run.job_name if dagster_run else "?"
                sent.append(send(alerts, run_failed(commune, job, others, link), context))
        state.after = run.storage_id
    # A sensor that starts no run shows its work as the tick's skip reason.
    return dg.SensorResult(skip_reason=summary(len(runs), sent), cursor=state.dump())


@dg.sensor(
    name="alert_on_stale_assets",
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Envoie une alerte quand une source ou la publication d'un jeu n'est plus à "
    "jour (sa politique de fraîcheur échoue : source pas reconstruite, ou aucun fichier vérifié "
    "publié, depuis plus longtemps que le rythme de son producteur ne le permet, tag "
    "`cadence`), et un avis quand elle l'est de nouveau. Lit les états du démon de fraîcheur.",
)
def alert_on_stale_assets(
    context: dg.SensorEvaluationContext, alerts: AlertChannels, settings: CommuneSettings
) -> dg.SensorResult:
    """One alert when an asset's freshness policy fails, a notice when it is fresh again."""
    stale = set(json.loads(context.cursor)["stale"]) if context.cursor else set()
    sent: list[str] = []
    graph = context.repository_def.asset_graph if context.repository_def else None
    if graph is None:
        return dg.SensorResult(skip_reason="no asset graph")
    nodes = {key: graph.get(key) for key in graph.get_all_asset_keys()}
    policies = {key: node.freshness_policy for key, node in nodes.items() if node.freshness_policy}
    states = context.instance.get_freshness_state_records(list(policies))
    commune = commune_label(context.instance, settings)
    for key, record in sorted(states.items(), key=lambda item: item[0].to_user_string()):
        name = key.to_user_string()
        state = record.freshness_state.value
        # A release's materialization is a checked file published, not a build.
        release = nodes[key].group_name == RELEASES_GROUP
        if state == STALE and name not in stale:
            event = context.instance.get_latest_materialization_event(key)
            last = datetime.fromtimestamp(event.timestamp, UTC) if event else None
            fail_window = getattr(policies[key], "fail_window", None)
            alert = gone_stale(
                commune,
                name,
                nodes[key].tags.get("cadence"),
                fail_window.to_timedelta() if fail_window is not None else None,
                last,
                alerts.asset_url(name),
                release=release,
            )
            sent.append(send(alerts, alert, context))
            stale.add(name)
        elif state in FRESH and name in stale:
            event = context.instance.get_latest_materialization_event(key)
            last = datetime.fromtimestamp(event.timestamp, UTC) if event else None
            alert = fresh_again(commune, name, last, alerts.asset_url(name), release=release)
            sent.append(send(alerts, alert, context))
            stale.discard(name)
    cursor = json.dumps({"stale": sorted(stale)})
    if sent:
        return dg.SensorResult(skip_reason=f"alerts: {'; '.join(sent)}", cursor=cursor)
    watching = f"{len(policies)} assets with a freshness policy"
    return dg.SensorResult(
        skip_reason=f"no change of freshness ({watching}; stale: "
        f"{', '.join(sorted(stale)) or 'none'})",
        cursor=cursor,
    )
