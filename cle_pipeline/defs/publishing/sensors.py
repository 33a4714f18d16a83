"""The sensor that publishes each dataset when a new checked content of it has been released.

It reads only the Dagster instance (no HTTP: a tick must end within 60 s): for every published
dataset and every commune (partition), the latest materialization of its release asset
(`release/<dataset_id>`, which runs only once the dataset's blocking checks passed). The
`sha256` in its metadata names the content; a content not yet requested becomes a run of
`publish_datagouv` for that dataset and commune, with run key `<commune>:<dataset_id>:<sha256>`,
so the same content is never published twice (a release marked `unchanged` has the sha256 of
the previous one). The cursor remembers the last content requested per commune and dataset.

Running by default; without an API key (`DATAGOUV_API_KEY`, in the `datagouv` resource) every
tick is skipped, saying so.
"""

from __future__ import annotations

import itertools
import json

import dagster as dg

from cle_pipeline.defs.publishing.assets import publication_key
from cle_pipeline.defs.publishing.sheets import dataset_ids
from cle_pipeline.lib.datagouv import DataGouvPublisher
from cle_pipeline.lib.partitions import COMMUNES
from cle_pipeline.lib.release_asset import latest_materialization, release_key


def released_content(instance: dg.DagsterInstance, dataset_id: str, commune: str) -> str | None:
    """The sha256 of the latest release of `dataset_id` for `commune`, if it was released."""
    record = latest_materialization(instance, release_key(dataset_id), commune)
    materialization = record.asset_materialization if record else None
    if materialization is None or "sha256" not in materialization.metadata:
        return None
    return str(materialization.metadata["sha256"].value)


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
    run_requests = []
    communes = context.instance.get_dynamic_partitions(COMMUNES.name)  # type: ignore[arg-type]
    for commune, dataset_id in itertools.product(communes, dataset_ids()):
        sha256 = released_content(context.instance, dataset_id, commune)
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
        return dg.SkipReason("no dataset has a new checked content released")
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
        description="Publie un jeu sur data.gouv.fr quand release/<jeu> a écrit un nouveau "
        "contenu, contrôlé (clé de run : commune + identifiant du jeu + sha256 du fichier).",
    )(publication_requests)
    return dg.Definitions(sensors=[sensor])
