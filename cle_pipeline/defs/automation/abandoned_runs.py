"""`fail_abandoned_runs`: while the service runs, a run of `make demo` or `make publish` whose
process was killed is marked failed within a minute, and an alert says so (lib/abandoned_runs.py
says why Dagster's run monitoring cannot see these runs)."""

from __future__ import annotations

import dagster as dg

from cle_pipeline.defs.automation.alerts import commune_label
from cle_pipeline.lib.abandoned_runs import tell_abandoned_runs
from cle_pipeline.lib.alerts import AlertChannels
from cle_pipeline.lib.settings import CommuneSettings


@dg.sensor(
    name="fail_abandoned_runs",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marque en échec chaque exécution de `make demo` ou `make publish` sur cette "
    "machine dont le processus n'existe plus (tué, machine redémarrée), pour qu'elle ne garde "
    "plus de place dans la file des exécutions, et envoie une alerte pour chacune. Ne lance "
    "aucune exécution.",
)
def fail_abandoned_runs(
    context: dg.SensorEvaluationContext, alerts: AlertChannels, settings: CommuneSettings
) -> dg.SkipReason:
    """Marks failed the runs whose process is gone, and tells the alert channels once."""
    commune = commune_label(context.instance, settings)
    told = tell_abandoned_runs(context.instance, alerts, commune, context.log)
    return dg.SkipReason(
        f"marked failed: {'; '.join(told)}" if told else "no run left without its process"
    )
