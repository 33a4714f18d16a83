"""`make demo`: materializes every source and published dataset of the requested communes, with
their checks, and prints a summary per commune. It never publishes anything to data.gouv.fr.

`CLE_COMMUNE` names the communes: one INSEE code (default 76165), a list (`76165,76231`) or
`all` (every current commune of the COG). Each is a partition of the graph (`lib/partitions.py`),
registered here after it was found in the COG, and built into its own folder
`data/published/<commune>/`.

Runs are recorded in the Dagster instance under DAGSTER_HOME (set by the Makefile), so that
`make ui` shows them afterwards, tagged with the commune, the source mode and the overridden
sources.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import defaultdict
from pathlib import Path

import dagster as dg

from cle_pipeline.definitions import defs
from cle_pipeline.defs.resources import empty_variables
from cle_pipeline.defs.sources.cog_communes import cog_table, current_commune_codes
from cle_pipeline.lib.abandoned_runs import process_tags, tell_abandoned_runs
from cle_pipeline.lib.errors import SourceError
from cle_pipeline.lib.errors import step_failures as failures_of
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.partitions import (
    COMMUNE_TAG,
    OVERRIDDEN_SOURCES_TAG,
    SOURCE_MODE_TAG,
    register_communes,
    requested_communes,
)
from cle_pipeline.lib.run_summary import failure_lines, write_traces
from cle_pipeline.lib.settings import CommuneError, CommuneSettings


def dagster_instance() -> dg.DagsterInstance:
    """The instance under DAGSTER_HOME (so that `make ui` shows the run), else an ephemeral one."""
    return (
        dg.DagsterInstance.get()
        if os.environ.get("DAGSTER_HOME")
        else dg.DagsterInstance.ephemeral()
    )


def run_log_path(instance: dg.DagsterInstance, run_id: str) -> Path:
    """Where the full errors of a run go: `logs/<run id>.log` in the instance's folder."""
    return Path(instance.root_directory) / "logs" / f"{run_id}.log"


def summarize(result: dg.ExecuteInProcessResult, definitions: dg.Definitions) -> list[str]:
    """One line per published dataset: rows, checks passed/failed, the file written."""
    rows: dict[str, object] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization  # type: ignore[union-attr]
        count = materialization.metadata.get("dagster/row_count")
        rows[materialization.asset_key.to_user_string()] = count.value if count else "?"
    checks: dict[str, list[str]] = defaultdict(list)
    files: dict[str, str] = {}
    for evaluation in result.get_asset_check_evaluations():
        dataset = evaluation.asset_key.to_user_string()
        verdict = "ok" if evaluation.passed else "FAILED"
        checks[dataset].append(f"{evaluation.check_name} {verdict}")
        if "published_file" in evaluation.metadata:
            files[dataset] = evaluation.metadata["published_file"].value
    graph = definitions.resolve_asset_graph()
    published = sorted(
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == "published"
    )
    lines = [f"{'dataset':32} {'rows':>6}  {'checks':12}  file"]
    for dataset in published:
        results = checks.get(dataset, [])
        failed = sum("FAILED" in r for r in results)
        lines.append(
            f"{dataset:32} {rows.get(dataset, '-')!s:>6}  "
            f"{len(results) - failed} ok/{failed} failed  "
            f"{files.get(dataset, '(not written)')}"
        )
        lines += [f"{'':42}{r}" for r in results if "FAILED" in r]
    return lines


def step_failures(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """Step key → the user's exception message (not Dagster's wrapper) for every failed step."""
    return {failure.step_key: failure.message.strip() for failure in failures_of(result.all_events)}


def overridden_sources(sources: SourceFetcher) -> list[str]:
    """The sources whose file is set by a `CLE_SOURCE_<ID>` variable (shown as a run tag)."""
    return sorted(sources.overrides)


def communes_to_build(settings: CommuneSettings, sources: SourceFetcher) -> list[str]:
    """The communes `CLE_COMMUNE` names, each checked against the COG (a code that is no
    current commune is an error before anything runs)."""
    if settings.commune.strip().lower() != "all":
        codes = requested_communes(settings.commune)
    else:
        codes = []
    table, location = cog_table(sources)
    known = current_commune_codes(table, location)
    if not codes:
        return known
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise CommuneError(
            f"CLE_COMMUNE: no current commune has the code(s) {', '.join(unknown)} in the INSEE "
            f"COG ({location})"
        )
    return codes


def run_tags(communes: list[str], sources: SourceFetcher) -> dict[str, str]:
    """What the Runs list shows about a run: for which communes, from which files."""
    return {
        COMMUNE_TAG: ",".join(communes) if len(communes) <= 20 else f"{len(communes)} communes",
        SOURCE_MODE_TAG: sources.mode,
        OVERRIDDEN_SOURCES_TAG: ",".join(overridden_sources(sources)) or "none",
    }


def site_line(result: dg.ExecuteInProcessResult) -> str:
    """Where the commune's site was written, or why it was not."""
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        if materialization.asset_key == dg.AssetKey("site"):
            return f"Site: {materialization.metadata['index'].value}"
    return "Site: not built (a dataset it shows was not released: see above)"


def main() -> int:
    """`make demo`: builds every dataset of the commune, prints one line each; 1 on failure."""
    definitions = defs()
    # Resolved as the run will resolve them (EnvVar values and defaults included).
    needed = {name: definitions.resources[name] for name in ("settings", "sources", "alerts")}
    with dg.build_resources(needed) as resources:
        settings, sources = resources.settings, resources.sources
        alerts = resources.alerts
        try:
            communes = communes_to_build(settings, sources)
        except (CommuneError, SourceError) as error:
            print(f"cle-pipeline: {error}", file=sys.stderr)
            return 2
    print(f"cle-pipeline: commune(s) {', '.join(communes)}, sources in {sources.mode} mode")
    for notice in empty_variables():
        print(f"  ({notice})")
    if sources.mode == "snapshot":
        print("  (embedded snapshots: SAMPLE values, not official figures)")
    instance = dagster_instance()
    # Runs of earlier commands killed before their end would hold places of the run queue.
    for subject in tell_abandoned_runs(instance, alerts, communes[0], logging.getLogger(__name__)):
        print(f"  {subject}")
    register_communes(instance, communes)
    job = definitions.resolve_job_def("build_commune")
    # Dagster's step-by-step log (tracebacks included) is for the UI and the log file; the
    # terminal gets the summary and one line per failure.
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    succeeded = True
    for commune in communes:
        result = job.execute_in_process(
            run_config=quiet,
            instance=instance,
            partition_key=commune,
            tags={**process_tags(), **run_tags([commune], sources)},
            raise_on_error=False,
        )
        print(f"\n== commune {commune}")
        print("\n".join(summarize(result, definitions)))
        print()
        print(site_line(result))
        failures = failure_lines(result.all_events, alerts.run_url(result.run_id))
        if failures:
            print()
            print("\n".join(failures))
        traces = write_traces(result.all_events, run_log_path(instance, result.run_id))
        if traces:
            print(f"Full errors (stack traces): {traces}")
        succeeded &= result.success and all(
            evaluation.passed for evaluation in result.get_asset_check_evaluations()
        )
    return 0 if succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
