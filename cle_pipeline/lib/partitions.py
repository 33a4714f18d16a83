"""The commune is a partition: every commune-level asset, check and release is partitioned by it.

`COMMUNES` is a *dynamic* partitions definition named `commune`, whose keys are INSEE commune
codes. Dynamic rather than static from the COG because:

- the set of communes changes every 1 January (about 34,900 codes; mergers into "communes
  nouvelles" remove codes, splits add some), and a static definition would freeze the list of
  the COG the code was written against;
- a deployment serves the communes it was asked for (`CLE_COMMUNE=76165,76231`), not all
  34,900: the automation only keeps fresh the partitions that exist, so registering every
  commune of France by default would start 34,900 builds per source refresh.

Partitions are added for the requested communes, checked against the COG, by the command line
(`cle-pipeline demo`, `cle_pipeline/cli.py`) before a run, or from the UI (the asset's "Add
partition"); `all` registers every current commune of the COG.

What runs for a partition reads values of that partition only: the IO manager
(`PartitionedPickleIOManager`) stores each value under its commune's folder.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.settings import CommuneError, valid_commune_code

COMMUNES = dg.DynamicPartitionsDefinition(name="commune")
# Values of the unpartitioned assets (the national files), beside the communes' folders.
NATIONAL_FOLDER = "_national"

# Run tags, visible (and filterable) in the UI's Runs list. `commune` also serialises the runs
# of one commune (deploy/dagster.yaml, tag concurrency).
COMMUNE_TAG = "commune"
SOURCE_MODE_TAG = "source_mode"
OVERRIDDEN_SOURCES_TAG = "overridden_sources"
# Dagster's own tag for a run of one partition: the UI shows it on the run and the timeline.
PARTITION_TAG = "dagster/partition"
# And for a run over a range of communes (its steps take every commune of the range).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


def requested_communes(value: str, every_commune: list[str] | None = None) -> list[str]:
    """The communes named by `CLE_COMMUNE`: one code, a comma-separated list (`76165,76231`),
    or `all` (every commune of the COG, given as `every_commune`). Order kept, duplicates
    dropped."""
    if value.strip().lower() == "all":
        if every_commune is None:
            raise CommuneError("CLE_COMMUNE=all needs the list of the COG's communes")
        return list(dict.fromkeys(every_commune))
    codes = [valid_commune_code(part) for part in value.split(",") if part.strip()]
    if not codes:
        raise CommuneError(f"CLE_COMMUNE={value!r} names no commune")
    return list(dict.fromkeys(codes))


def register_communes(instance: dg.DagsterInstance, codes: list[str]) -> list[str]:
    """Adds the communes that are not partitions yet; returns those added."""
    known = set(instance.get_dynamic_partitions(COMMUNES.name))  # type: ignore[arg-type]
    new = [code for code in codes if code not in known]
    if new:
        instance.add_dynamic_partitions(COMMUNES.name, new)  # type: ignore[arg-type]
    return new


def commune_of(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> str:
    """The INSEE code of the partition a step runs for, checked."""
    key = context.partition_key
    return valid_commune_code(key, variable="partition")


class PartitionedPickleIOManager(dg.ConfigurableIOManager):
    """Values passed between steps, pickled under `<base_dir>/<commune>/<asset key>.pickle`
    for a commune's partition, `<base_dir>/_national/<asset key>.pickle` otherwise (`base_dir`
    defaults to the Dagster instance's storage folder).

    A step reads only the file of its own partition: a run for 76165 can never load a value
    computed for 76231 (the folder of one commune holds nothing of another). `base_dir` must be
    reachable by every process that runs a step (a shared folder here, an object store or a
    volume mounted on every worker in production)."""

    base_dir: str = Field(
        default="",
        description="CLE_STORAGE_DIR — dossier des valeurs passées entre étapes, un sous-dossier "
        "par commune ; un dossier que tout processus exécutant des étapes atteint (défaut : le "
        "dossier storage de l'instance Dagster).",
    )

    def _root(self, context: dg.OutputContext | dg.InputContext) -> Path:
        if self.base_dir:
            return Path(self.base_dir)
        # Dagster's own place for step values: `$DAGSTER_HOME/storage`, or a temporary folder
        # for an ephemeral instance.
        return Path(context.step_context.instance.storage_directory())

    def _paths(self, context: dg.OutputContext | dg.InputContext) -> dict[str, Path]:
        """Commune → its file (`_national` → the file of an unpartitioned asset)."""
        assert context.has_asset_key, "every value of this project is an asset"
        root, name = self._root(context), "/".join(context.asset_key.path) + ".pickle"
        if not context.has_asset_partitions:
            return {NATIONAL_FOLDER: root / NATIONAL_FOLDER / name}
        # Asked once: on SQLite, each call reads the dynamic partitions again.
        return {key: root / key / name for key in context.asset_partition_keys}

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        """Pickles the value under its commune's folder (one value per commune of the run)."""
        paths = self._paths(context)
        if isinstance(obj, PerCommune):
            # A step over several communes: each commune's value, already pickled by it.
            for code, path in paths.items():
                write_atomically(path, obj.pickled(code))
            return
        # One commune, or nothing (None) from an asset that only writes files.
        for path in paths.values():
            write_atomically(path, pickle.dumps(obj))

    def load_input(self, context: dg.InputContext) -> Any:
        """The value of the run's commune (for a step over several communes, a `PerCommune`
        that reads each commune's value when asked); a clear error when it was never built for
        it, or None for an input declared optional (`metadata={"optional": True}`: the national
        pass of a source, which a commune's run can do without)."""
        paths = self._paths(context)
        for path in paths.values():
            if not path.is_file() and (context.definition_metadata or {}).get("optional"):
                return None
            if not path.is_file():
                raise FileNotFoundError(
                    f"{context.asset_key.to_user_string()}: no value stored at {path} (build it "
                    "for this commune first)"
                )
        if len(paths) == 1:
            return pickle.loads(next(iter(paths.values())).read_bytes())
        return PerCommune(paths)


class PerCommune(Mapping[str, Any]):
    """The values of one asset for each commune of a step over several communes
    (`lib/commune_steps.py`), by INSEE code: pickles in files, each read when asked and not
    kept, so that a step over every commune of France holds one commune's values at a time."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self.files = dict(files)

    def __getitem__(self, code: str) -> Any:
        return pickle.loads(self.pickled(code))

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def pickled(self, code: str) -> bytes:
        """The commune's value as pickled bytes."""
        return self.files[code].read_bytes()
