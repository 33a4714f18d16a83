"""The sensor that publishes each dataset when a new content of it has passed its checks.

It reads only the Dagster instance (no HTTP: a tick must end within 60 s): for every published
dataset and every commune (partition), the latest materialization and the latest evaluation of
each of its checks. When they come from the same run and all passed, the `sha256` the checks
recorded names the content; a content not yet requested becomes a run of `publish_datagouv` for
that dataset and commune, with run key `<commune>:<dataset_id>:<sha256>`, so the same content is
never published twice. The cursor remembers the last content requested per commune and
dataset.

Running by default; without an API key (`DATAGOUV_API_KEY`, in the `datagouv` resource) every
tick is skipped, saying so.
"""

from __future__ import annotations

import itertools
import json

import dagster as dg
from dagster._core.event_api import PartitionKeyFilter

from cle_pipeline.defs.publishing.assets import publication_key
from cle_pipeline.defs.publishing.sheets import dataset_ids
from cle_pipeline.lib.datagouv import DataGouvPublisher
from cle_pipeline.lib.partitions import COMMUNES


def checked_content(
    instance: dg.DagsterInstance,
    check_keys: set[dg.AssetCheckKey],
    asset_key: dg.AssetKey,
    commune: str,
) -> str | None:
    """The sha256 of the dataset's latest materialization for `commune` if every check passed
    on it."""
    materializations = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[commune]), limit=1
    ).records
    if not materializations or not check_keys:
        return None
    materialization = materializations[0]
    sha256 = None
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        list(check_keys), partition_filter=PartitionKeyFilter(key=commune)
    )
    for check_key in check_keys:
        record = latest.get(check_key)
        evaluation = record.evaluation if record else None
        # Not evaluated on this materialization yet (or in progress), or failed: not now.
        if record is None or record.run_id != materialization.run_id or evaluation is None:
            return None
        if not evaluation.passed:
            return None
        if "sha256" in evaluation.metadata:
            sha256 = str(evaluation.metadata["sha256"].value)
    return sha256


def publication_requests(
    context: dg.SensorEvaluationContext, datagouv: DataGouvPublisher
) -> dg.SensorResult | dg.SkipReason:
    """A publication run for each dataset whose checked content changed since its last one,
    once the `datagouv` resource has an API key."""
    if not datagouv.api_key:
        return dg.SkipReason(
            "DATAGOUV_API_KEY is not set: nothing is published automatically (`make publish` "
            "still publishes by hand)"
        )
    requested: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    graph = context.repository_def.asset_graph  # type: ignore[union-attr]
    run_requests = []
    communes = context.instance.get_dynamic_partitions(COMMUNES.name)  # type: ignore[arg-type]
    for commune, dataset_id in itertools.product(communes, dataset_ids()):
        asset_key = dg.AssetKey(dataset_id)
        check_keys = set(graph.get_check_keys_for_assets({asset_key}))
        sha256 = checked_content(context.instance, check_keys, asset_key, commune)
        content = f"{commune}:{dataset_id}"
        if sha256 is None or requested.get(content) == sha256:
            continue
        requested[content] = sha256
        run_requests.append(
            dg.RunRequest(
                run_key=f"{content}:{sha256}",
                asset_selection=[publication_key(dataset_id)],
                partition_key=commune,
                tags={"dataset": dataset_id, "sha256": sha256},
            )
        )
    if not run_requests:
        return dg.SkipReason("no dataset has new content whose checks passed")
    return dg.SensorResult(run_requests=run_requests, cursor=json.dumps(requested, sort_keys=True))


@dg.definitions
def publication_sensor() -> dg.Definitions:
    """The publication sensor, running by default; it publishes only with an API key."""
    # Always running: whether it may publish is the `datagouv` resource's key, checked at
    # every tick (a deployment without a key never publishes on its own).
    sensor = dg.sensor(
        name="publish_checked_datasets",
        job_name="publish_datagouv",
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Publie un jeu sur data.gouv.fr quand un nouveau contenu a passé ses "
        "contrôles bloquants (clé de run : identifiant du jeu + sha256 du fichier).",
    )(publication_requests)
    return dg.Definitions(sensors=[sensor])
