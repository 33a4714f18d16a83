"""The project's command line, `cle-pipeline` (declared in pyproject's [project.scripts]).

- `cle-pipeline demo` (`make demo`): materializes every source and published dataset of the
  requested communes, with their checks and their releases (the files written once the checks
  passed), and prints a summary per commune. It never publishes
  anything to data.gouv.fr. `CLE_COMMUNE` names the communes: one INSEE code (default 76165), a
  list (`76165,76231`) or `all` (every current commune of the COG). Each is a partition of the
  graph (`lib/partitions.py`), registered here after it was found in the COG, and built into its
  own folder `data/published/<commune>/`.
- `cle-pipeline publish` (`make publish`): publishes to data.gouv.fr every dataset whose checks
  passed, and prints for each whether its file was uploaded or unchanged, and the dataset's URL.
  It runs `publish_datagouv`, the job the sensor triggers, on the datasets that have a checked
  file in `data/published/<CLE_COMMUNE>/`. Target and credentials come from DATAGOUV_API_URL
  (default demo.data.gouv.fr), DATAGOUV_API_KEY and DATAGOUV_ORGANIZATION; DATAGOUV_DRY_RUN=1
  shows what would be sent without sending anything.

Runs are recorded in the Dagster instance under DAGSTER_HOME (set by the Makefile), so that
`make ui` shows them afterwards, tagged with the commune, the source mode and the overridden
sources.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import dagster as dg

from cle_pipeline.definitions import defs
from cle_pipeline.defs.publishing.assets import publication_key
from cle_pipeline.defs.publishing.sheets import dataset_ids
from cle_pipeline.defs.resources import empty_variables
from cle_pipeline.defs.sources.cog_communes import cog_table, current_commune_codes
from cle_pipeline.lib.abandoned_runs import process_tags, tell_abandoned_runs
from cle_pipeline.lib.errors import SourceError
from cle_pipeline.lib.errors import step_failures as failures_of
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.partitions import (
    COMMUNE_TAG,
    COMMUNES,
    OVERRIDDEN_SOURCES_TAG,
    SOURCE_MODE_TAG,
    register_communes,
    requested_communes,
)
from cle_pipeline.lib.partitions import PARTITION_RANGE_END_TAG as RANGE_END_TAG
from cle_pipeline.lib.partitions import PARTITION_RANGE_START_TAG as RANGE_START_TAG
from cle_pipeline.lib.release import released_datasets
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


def materializations_of(
    result: dg.ExecuteInProcessResult, commune: str
) -> list[dg.AssetMaterialization]:
    """The materializations of the run for `commune` (a run may cover several communes)."""
    return [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.materialization.partition == commune
    ]


def released_files(result: dg.ExecuteInProcessResult, commune: str) -> dict[str, str]:
    """Dataset id → the file its release asset wrote in the run for `commune` (`(unchanged)`
    after it when the content is the last release's)."""
    files: dict[str, str] = {}
    for materialization in materializations_of(result, commune):
        key, metadata = materialization.asset_key, materialization.metadata
        if len(key.path) == 2 and key.path[0] == "release" and "published_file" in metadata:
            unchanged = metadata.get("unchanged")
            said = " (unchanged)" if unchanged is not None and unchanged.value else ""
            files[key.path[1]] = f"{metadata['published_file'].value}{said}"
    return files


def summarize(
    result: dg.ExecuteInProcessResult, definitions: dg.Definitions, commune: str
) -> list[str]:
    """One line per published dataset of `commune`: rows, checks passed/failed, the file its
    release wrote."""
    rows: dict[str, object] = {}
    for materialization in materializations_of(result, commune):
        count = materialization.metadata.get("dagster/row_count")
        rows[materialization.asset_key.to_user_string()] = count.value if count else "?"
    checks: dict[str, list[str]] = defaultdict(list)
    for evaluation in evaluations_of(result, commune):
        dataset = evaluation.asset_key.to_user_string()
        # A warning that did not pass held nothing back: told apart from a failure.
        warned = evaluation.severity == dg.AssetCheckSeverity.WARN
        verdict = "ok" if evaluation.passed else "WARNING" if warned else "FAILED"
        checks[dataset].append(f"{evaluation.check_name} {verdict}")
    files = released_files(result, commune)
    graph = definitions.resolve_asset_graph()
    published = sorted(
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == "published"
    )
    lines = [f"{'dataset':32} {'rows':>6}  {'checks':12}  file"]
    for dataset in published:
        results = checks.get(dataset, [])
        failed = sum(r.endswith("FAILED") for r in results)
        warned = sum(r.endswith("WARNING") for r in results)
        lines.append(
            f"{dataset:32} {rows.get(dataset, '-')!s:>6}  "
            f"{len(results) - failed - warned} ok/{failed} failed  "
            f"{files.get(dataset, '(not written)')}"
        )
        lines += [f"{'':42}{r}" for r in results if not r.endswith(" ok")]
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


def evaluations_of(
    result: dg.ExecuteInProcessResult, commune: str
) -> list[dg.AssetCheckEvaluation]:
    """The check evaluations of the run for `commune`."""
    return [
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.partition == commune
    ]


def site_line(result: dg.ExecuteInProcessResult, commune: str) -> str:
    """Where the commune's site was written, or why it was not."""
    for materialization in materializations_of(result, commune):
        if materialization.asset_key == dg.AssetKey("site"):
            return f"Site: {materialization.metadata['index'].value}"
    return "Site: not built (a dataset it shows was not released: see above)"


def demo() -> int:
    """`cle-pipeline demo` (`make demo`): builds every dataset of the communes, prints one line
    each; 1 on failure."""
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
    if len(communes) > 1:
        print(cut_national_files(definitions, instance, quiet, run_tags(communes, sources)))
    runs = runs_of_communes(job, instance, communes, quiet, sources)
    succeeded = True
    for commune in communes:
        result = runs[commune]
        print(f"\n== commune {commune}")
        print("\n".join(summarize(result, definitions, commune)))
        print()
        print(site_line(result, commune))
        failures = failure_lines(result.all_events, alerts.run_url(result.run_id), commune)
        if failures:
            print()
            print("\n".join(failures))
        traces = write_traces(result.all_events, run_log_path(instance, result.run_id))
        if traces:
            print(f"Full errors (stack traces): {traces}")
        # A warning (a commune that sent no optional file) is told, and fails nothing.
        succeeded &= result.success and all(
            evaluation.passed or evaluation.severity == dg.AssetCheckSeverity.WARN
            for evaluation in evaluations_of(result, commune)
        )
    return 0 if succeeded else 1


def commune_ranges(communes: list[str], registered: list[str]) -> list[list[str]]:
    """The communes as groups of consecutive partitions: a run covers a range of the dynamic
    partitions, in the order they were added, so communes added together build together."""
    position = {code: index for index, code in enumerate(registered)}
    ranges: list[list[str]] = []
    for code in sorted(communes, key=position.__getitem__):
        if ranges and position[ranges[-1][-1]] + 1 == position[code]:
            ranges[-1].append(code)
        else:
            ranges.append([code])
    return ranges


R = TypeVar("R")


def split_runs(
    run: Callable[[list[str]], R],
    codes: list[str],
    succeeded: Callable[[R], bool],
    failing: Callable[[R], set[str]],
) -> dict[str, R]:
    """`run` over every commune of `codes` at once; returns the run that stands for each
    commune. A run that fails is not the end of the others: the communes it names as failing
    (`failing`) run again alone (their summary and errors are those of a run for one commune),
    and the communes between them again in groups, split the same way if they fail. When the
    failure names no commune (an error of the step itself), the run is split in two halves."""
    result = run(codes)
    if succeeded(result) or len(codes) == 1:
        return dict.fromkeys(codes, result)
    named = failing(result) & set(codes)
    if named:
        groups: list[list[str]] = []
        for code in codes:
            if code in named:
                groups.append([code])
            elif groups and groups[-1][0] not in named:
                groups[-1].append(code)
            else:
                groups.append([code])
    else:
        half = len(codes) // 2
        groups = [codes[:half], codes[half:]]
    runs: dict[str, R] = {}
    for group in groups:
        runs |= split_runs(run, group, succeeded, failing)
    return runs


def communes_named_failing(result: dg.ExecuteInProcessResult) -> set[str]:
    """The communes a run's failed steps name (`CommunesFailed`: one line `- <code>: why` each,
    `lib/commune_steps.py`)."""
    return {
        line[2:].split(":", 1)[0]
        for failure in failures_of(result.all_events)
        if failure.error_class == "CommunesFailed"
        for line in failure.message.splitlines()
        if line.startswith("- ")
    }


def runs_of_communes(
    job: dg.JobDefinition,
    instance: dg.DagsterInstance,
    communes: list[str],
    run_config: dict[str, Any],
    sources: SourceFetcher,
) -> dict[str, dg.ExecuteInProcessResult]:
    """Builds the communes, each range of consecutive partitions in one run whose steps take
    every commune of the range (`lib/commune_steps.py`), failed runs split (`split_runs`);
    returns the run of each commune."""

    def run(codes: list[str]) -> dg.ExecuteInProcessResult:
        tags = {**process_tags(), **run_tags(codes, sources)}
        if len(codes) > 1:
            tags |= {RANGE_START_TAG: codes[0], RANGE_END_TAG: codes[-1]}
        return job.execute_in_process(
            run_config=run_config,
            instance=instance,
            partition_key=codes[0] if len(codes) == 1 else None,
            tags=tags,
            raise_on_error=False,
        )

    registered = instance.get_dynamic_partitions(COMMUNES.name)  # type: ignore[arg-type]
    runs: dict[str, dg.ExecuteInProcessResult] = {}
    for codes in commune_ranges(communes, registered):
        runs |= split_runs(run, codes, lambda result: result.success, communes_named_failing)
    return runs


def cut_national_files(
    definitions: dg.Definitions,
    instance: dg.DagsterInstance,
    run_config: dict[str, Any],
    tags: dict[str, str],
) -> str:
    """Reads each national file once for every registered commune (`national/<source>`
    assets, `lib/national.py`) before the communes' runs, which then read their rows from
    these cuts; a pass that fails leaves its communes to cut the file themselves (and fail
    there, in their own summaries). Returns the line the terminal shows."""
    result = definitions.resolve_job_def("cut_national_files").execute_in_process(
        run_config=run_config,
        instance=instance,
        tags={**process_tags(), **tags},
        raise_on_error=False,
    )
    passes = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key.path[0] == "national"
    ]
    cut = ", ".join(
        f"{materialization.asset_key.path[-1]} ({materialization.metadata['pass_seconds'].value} s)"
        for materialization in passes
    )
    failed = ", ".join(sorted(step_failures(result))) or "none"
    return f"National files read once for every commune: {cut or 'none'}; failed: {failed}"


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


def publish() -> int:
    """`cle-pipeline publish` (`make publish`): publishes every checked dataset, prints one line
    each; 1 on failure."""
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


COMMANDS = {"demo": demo, "publish": publish}


def main(argv: list[str] | None = None) -> int:
    """`cle-pipeline demo|publish`: runs the command, returns its exit status."""
    parser = argparse.ArgumentParser(prog="cle-pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=sorted(COMMANDS), help="demo or publish")
    arguments = parser.parse_args(argv)
    return COMMANDS[arguments.command]()


if __name__ == "__main__":
    sys.exit(main())
