"""The code location: everything under `cle_pipeline/defs/`, loaded by Dagster's own loader.

Each asset then gets its rhythm (automation condition, freshness policy, `cadence` tag) from
the one table in `defs/automation/cadences.py`, so no source or dataset module repeats it.
"""

import warnings
from pathlib import Path

import dagster as dg

from cle_pipeline.defs.automation.cadences import automate


@dg.definitions
def defs() -> dg.Definitions:
    loaded = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    # `map_asset_specs` is marked preview in Dagster 1.13; it is the documented way to change
    # the specs of loaded definitions, and the graph snapshot test would show any change.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return loaded.map_asset_specs(func=automate)
