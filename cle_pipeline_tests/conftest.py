"""Shared test helpers: run parts of the real graph in-process on the embedded snapshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd
import pytest

from cle_pipeline.definitions import defs
from cle_pipeline.lib.datagouv import DataGouvPublisher
from cle_pipeline.lib.errors import step_failures
from cle_pipeline.lib.fetch import SourceFetcher
from cle_pipeline.lib.files import PROJECT_ROOT
from cle_pipeline.lib.partitions import PARTITION_RANGE_END_TAG as RANGE_END_TAG
from cle_pipeline.lib.partitions import PARTITION_RANGE_START_TAG as RANGE_START_TAG
from cle_pipeline.lib.partitions import PartitionedPickleIOManager, register_communes
from cle_pipeline.lib.release_asset import release_key
from cle_pipeline.lib.settings import CommuneSettings, SiteSettings
from cle_pipeline.lib.source_cut import COMMUNE_FOUND

SHARED_SCHEMAS = PROJECT_ROOT.parent / "shared" / "schemas"


@pytest.fixture(scope="session")
def definitions() -> dg.Definitions:
    return defs()


Materialize = Callable[..., dg.ExecuteInProcessResult]


def materialize_into(
    definitions: dg.Definitions,
    root: Path,
    selection: dg.AssetSelection,
    commune: str = "76165",
    sources: SourceFetcher | None = None,
    datagouv: DataGouvPublisher | None = None,
    inbox_dir: Path | None = None,
    raise_on_error: bool = True,
    instance: dg.DagsterInstance | None = None,
    accept_drop: str = "",
    overrides: dict[str, str] | None = None,
    site: SiteSettings | None = None,
    communes: list[str] | None = None,
) -> dg.ExecuteInProcessResult:
    """Runs `selection` and its checks in-process for the partition `commune` (registered in the
    instance first), publishing under `root/published`; or, given `communes` (registered in that
    order), one run over their range, whose steps take every commune of it.

    Every resource is given here, whatever the environment: sources from the snapshots, or
    `sources`, or the snapshots with `overrides` (source id → path, as `CLE_SOURCE_<ID>`).
    Publication goes to `datagouv`, by default a closed port of 127.0.0.1: never the internet;
    the map has no background tiles unless `site` says where they are.
    """
    instance = instance or dg.DagsterInstance.ephemeral()
    register_communes(instance, communes or [commune])
    in_range = {RANGE_START_TAG: communes[0], RANGE_END_TAG: communes[-1]} if communes else {}
    return dg.materialize(
        [*definitions.assets, *definitions.asset_checks],  # type: ignore[list-item]
        selection=selection,
        resources={
            "settings": CommuneSettings(
                commune=commune,
                output_dir=str(root / "published"),
                inbox_dir=str(inbox_dir) if inbox_dir else "",
                accept_drop=accept_drop,
            ),
            "sources": sources
            or SourceFetcher(cache_dir=str(root / "cache"), overrides=overrides or {}),
            "datagouv": datagouv or DataGouvPublisher(api_url="http://127.0.0.1:9/api/1"),
            "io_manager": PartitionedPickleIOManager(),
            "site": site or SiteSettings(map_tiles="off"),
        },
        partition_key=None if communes else commune,
        tags=in_range,
        raise_on_error=raise_on_error,
        instance=instance,
    )


def released(*dataset_ids: str) -> dg.AssetSelection:
    """The release assets of `dataset_ids` and everything upstream of them (each dataset and its
    checks included): what writes their published files."""
    return dg.AssetSelection.assets(
        *[release_key(dataset_id) for dataset_id in dataset_ids]
    ).upstream()


def with_releases(definitions: dg.Definitions, *asset_names: str) -> dg.AssetSelection:
    """The assets, everything upstream of them, and the release of each that is a dataset."""
    keys = definitions.resolve_asset_graph().get_all_asset_keys()
    releases = [release_key(name) for name in asset_names if release_key(name) in keys]
    return dg.AssetSelection.assets(*asset_names, *releases).upstream()


@pytest.fixture
def materialize(definitions: dg.Definitions, tmp_path: Path) -> Materialize:
    """`materialize("naissances_deces", commune="76231")`: the asset, everything upstream of it,
    its checks and, for a dataset, its release, in-process, writing published files under
    `tmp_path/published`."""

    def run(*asset_names: str, **options: Any) -> dg.ExecuteInProcessResult:
        selection = with_releases(definitions, *asset_names)
        return materialize_into(definitions, tmp_path, selection, **options)

    return run


def check_outcomes(result: dg.ExecuteInProcessResult, sources: bool = False) -> dict[str, bool]:
    """`{"naissances_deces:schema": True, …}` for every check of a dataset evaluated in the run;
    with `sources`, the sources' `commune_found` too (`lib/source_cut.py`)."""
    return {
        f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}": evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
        if sources or evaluation.check_name != COMMUNE_FOUND
    }


def release_metadata(result: dg.ExecuteInProcessResult, dataset_id: str) -> dict[str, Any] | None:
    """The metadata of `release/<dataset_id>`'s materialization in the run (None: not released)."""
    for event in result.get_asset_materialization_events():
        if event.materialization.asset_key == release_key(dataset_id):
            return dict(event.materialization.metadata)
    return None


def published_csv(tmp_path: Path, commune: str, dataset_id: str) -> pd.DataFrame:
    """The published file as a reader would load it: every value as text."""
    return pd.read_csv(
        tmp_path / "published" / commune / f"{dataset_id}.csv", dtype=str, keep_default_na=False
    )


def failure_messages(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """`{step: message}` of the user's exception behind each failed step (not Dagster's wrapper)."""
    return {failure.step_key: failure.message for failure in step_failures(result.all_events)}
