"""The code location: everything under `cle_pipeline/defs/`, loaded by Dagster's own loader.

Each asset then gets its rhythm (automation condition, freshness policy, `cadence` tag) from
the one table in `defs/automation/cadences.py`, so no source or dataset module repeats it, and
a reference to the file and line of its code, so that the UI's definition panel opens it.
"""

import warnings
from importlib import metadata
from pathlib import Path

import dagster as dg

from cle_pipeline.defs.automation.cadences import automate

PACKAGE = "cle-pipeline"
# The branch whose files the UI links to when the repository's URL is known.
REPOSITORY_BRANCH = "main"


def repository_url() -> str | None:
    """The `Repository` URL of `[project.urls]` in pyproject.toml, as installed; None when the
    project does not declare one (or is not installed), and code references stay local."""
    try:
        urls = metadata.metadata(PACKAGE).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return url.strip().rstrip("/")
    return None


def has_code_reference(entry: object) -> bool:
    """Whether an asset definition already says where its code is."""
    return isinstance(entry, dg.AssetsDefinition) and any(
        "dagster/code_references" in spec.metadata for spec in entry.specs
    )


def with_code_references(defs: dg.Definitions, repository: str | None) -> dg.Definitions:
    """Every asset with a reference to the file and line of its function: a local path (the
    UI's "Open in editor" opens it) or, when `repository` is a GitHub or GitLab URL, a link to
    the file on its `main` branch. The path in the repository is found from this file's own,
    `cle_pipeline/definitions.py`."""
    # Code references are marked beta in Dagster 1.13; a change would show in their tests.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        # The commune-level assets carry their own reference (`lib/commune_steps.py`): their
        # function is wrapped, and Dagster's would name the wrapper's module.
        assets = [
            entry if has_code_reference(entry) else dg.with_source_code_references([entry])[0]
            for entry in defs.assets or []
        ]
        if repository:
            assets = dg.link_code_references_to_git(
                assets,
                git_url=repository,
                git_branch=REPOSITORY_BRANCH,
                file_path_mapping=dg.AnchorBasedFilePathMapping(
                    local_file_anchor=Path(__file__),
                    file_anchor_path_in_repository="cle_pipeline/definitions.py",
                ),
            )
    return dg.Definitions(
        assets=assets,
        asset_checks=defs.asset_checks,
        jobs=defs.jobs,
        schedules=defs.schedules,
        sensors=defs.sensors,
        resources=defs.resources,
        executor=defs.executor,
        loggers=defs.loggers,
        metadata=defs.metadata,
        component_tree=defs.component_tree,
    )


def asset_specs(defs: dg.Definitions) -> list[dg.AssetSpec]:
    """Every asset spec of `defs`, as loaded (before `automate`)."""
    specs: list[dg.AssetSpec] = []
    for entry in defs.assets or []:
        if isinstance(entry, dg.AssetSpec):
            specs.append(entry)
        elif isinstance(entry, dg.AssetsDefinition):
            specs.extend(entry.specs)
    return specs


@dg.definitions
def defs() -> dg.Definitions:
    """Everything under `defs/`, each source and dataset with its rhythm (`automate`)."""
    loaded = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    # `map_asset_specs` is marked preview in Dagster 1.13; it is the documented way to change
    # the specs of loaded definitions, and the graph snapshot test would show any change.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        specs = {spec.key: spec for spec in asset_specs(loaded)}
        automated = loaded.map_asset_specs(func=lambda spec: automate(spec, specs))
    return with_code_references(automated, repository_url())
