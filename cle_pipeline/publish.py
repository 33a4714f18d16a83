"""`make publish`: publishes to data.gouv.fr every dataset whose checks passed, and prints for
each whether its file was uploaded or unchanged, and the dataset's URL.

It runs `publish_datagouv`, the job the sensor triggers, on the datasets that have a checked
file in `data/published/<CLE_COMMUNE>/` (written by `make demo`, or by a run on the official
files with CLE_SOURCE_MODE=online). Target and credentials come from DATAGOUV_API_URL (default
demo.data.gouv.fr), DATAGOUV_API_KEY and DATAGOUV_ORGANIZATION; DATAGOUV_DRY_RUN=1 shows what
would be sent without sending anything.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import dagster as dg

from cle_pipeline.definitions import defs
from cle_pipeline.defs.publishing.assets import publication_key
from cle_pipeline.defs.publishing.sheets import dataset_ids
from cle_pipeline.demo import dagster_instance, run_log_path, step_failures
from cle_pipeline.lib.abandoned_runs import process_tags, tell_abandoned_runs
from cle_pipeline.lib.partitions import register_communes
from cle_pipeline.lib.release import released_datasets
from cle_pipeline.lib.run_summary import write_traces


def outcomes(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, Any]]:
    """Step key → metadata of what the publication asset recorded (materialization, or the
    observation of a dry run)."""
    recorded = {}
    for event in result.all_events:
        if event.is_step_materialization:
            metadata = event.step_materialization_data.materialization.metadata
        elif event.event_type_value == "ASSET_OBSERVATION":
            metadata = event.event_specific_data.asset_observation.metadata  # type: ignore[union-attr]
        else:
            continue
        recorded[event.step_key or ""] = {key: value.value for key, value in metadata.items()}
    return recorded


def main() -> int:
    """`make publish`: publishes every checked dataset, prints one line each; 1 on failure."""
    definitions = defs()
    # Resolved as a run would resolve them (EnvVar values included).
    needed = {name: definitions.resources[name] for name in ("settings", "datagouv", "alerts")}
    with dg.build_resources(needed) as resources:
        commune, alerts = resources.settings.insee_code(), resources.alerts
        folder = resources.settings.published_folder(commune)
        target = resources.datagouv
    instance = dagster_instance()
    # Runs of earlier commands killed before their end would hold places of the run queue.
    for subject in tell_abandoned_runs(instance, alerts, commune, logging.getLogger(__name__)):
        print(f"  {subject}")
    checked = set(released_datasets(folder))
    ready = [dataset_id for dataset_id in dataset_ids() if dataset_id in checked]
    print(
        f"cle-pipeline: publishing {folder} to {target.api_url} "
        f"(organization {target.organization or 'not set'})"
        + (", DRY RUN: nothing is sent" if target.dry_run else "")
    )
    lines = {
        dataset_id: f"{'skipped':12} no checked file (build it first, e.g. `make demo`)"
        for dataset_id in dataset_ids()
    }
    failed = not ready
    traces = None
    if ready:
        job = definitions.resolve_job_def("publish_datagouv")
        register_communes(instance, [commune])
        # Dagster's step-by-step log (tracebacks included) is for the UI; the terminal gets the
        # summary, which quotes each failure.
        quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
        result = job.execute_in_process(
            run_config=quiet,
            instance=instance,
            partition_key=commune,
            # And the site as a reuse, which does nothing unless CLE_SITE_URL is set.
            asset_selection=[
                *[publication_key(dataset_id) for dataset_id in ready],
                dg.AssetKey(["datagouv", "site"]),
            ],
            raise_on_error=False,
            tags={**process_tags(), "commune": commune},
        )
        recorded, failures = outcomes(result), step_failures(result)
        failed = bool(failures)
        for dataset_id in ready:
            step = publication_key(dataset_id).to_python_identifier()
            if step in recorded:
                done = recorded[step]
                lines[dataset_id] = f"{done['action']:12} {done.get('dataset_url', '')}"
            else:
                message = re.sub(r"^[\w.]+Error: ", "", failures.get(step, "not run"))
                lines[dataset_id] = f"{'FAILED':12} {message}"
        traces = write_traces(result.all_events, run_log_path(instance, result.run_id))
    for dataset_id, line in lines.items():
        print(f"{dataset_id:32} {line}")
    if ready and (site := recorded.get("datagouv__site")):
        print(f"{'site':32} {'reuse':12} {site['site_url']} (reuse {site['reuse_id']})")
    if traces:
        print(f"Full errors (stack traces): {traces}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
