"""The commune's inbox (`data/inbox/<commune>/`, CLE_INBOX_DIR): a new or changed file is read.

`INBOX_FILES` says which file names feed which assets, from the `SOURCE` each inbox source
declares in its module (`defs/sources/*_inbox.py`); a file that matches none is ignored. The
sensor remembers each file's sha256 in its cursor: a new or changed file is first read the way
its asset will read it, and then

- readable: a run of the assets that read it and of everything built from them (never the
  publication to data.gouv.fr), plus whatever they need that was never built;
- unreadable (a PDF named `subventions.pdf`, an empty file, a password-protected workbook, no
  known header): no run, a skip reason that says why, and one alert; the file stays in the
  cursor, so the next ticks neither alert again nor run, until the commune sends another file.

A file removed from the inbox is a change as well: the assets that read it run again, on the
files left (or without any, for an optional file such as `commerces*.csv`).

The sensor only reads: it never renames, moves or deletes what the commune sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg

from cle_pipeline.defs.automation.alerts import commune_label
from cle_pipeline.defs.automation.cadences import PUBLISHED_GROUP, SOURCES_GROUP
from cle_pipeline.defs.sources import declared_sources
from cle_pipeline.lib.alerts import AlertChannels, inbox_unreadable
from cle_pipeline.lib.errors import SourceError
from cle_pipeline.lib.fetch import checksum_of
from cle_pipeline.lib.inbox import CommuneFileKind, InboxSource
from cle_pipeline.lib.partitions import COMMUNES
from cle_pipeline.lib.settings import CommuneError, CommuneSettings


@dataclass(frozen=True)
class InboxFile:
    """A kind of file an inbox source declares (`kind`: its name, extensions, how it is read)
    and the assets that read it."""

    kind: CommuneFileKind
    assets: tuple[str, ...]

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The extensions read."""
        return self.kind.suffixes

    def matches(self, path: Path) -> bool:
        """Whether `path` is named like this kind of file."""
        return self.kind.matches(path)

    def read(self, path: Path) -> object:
        """Reads the file as its source's asset will; SourceError when it cannot."""
        return self.kind.check(path)


# Every kind of file an inbox source declares in its module (`defs/sources/*_inbox.py`).
INBOX_FILES: tuple[InboxFile, ...] = tuple(
    InboxFile(kind, (source.id,))
    for source in declared_sources().values()
    if isinstance(source, InboxSource)
    for kind in source.files
)


def kind_of(path: Path) -> InboxFile | None:
    """The kind of file `path` is, or None for a file no source reads."""
    return next((kind for kind in INBOX_FILES if kind.matches(path)), None)


def problem_with(path: Path, kind: InboxFile) -> str | None:
    """Why the file cannot be read, or None when it can."""
    if path.suffix.lower() not in kind.suffixes:
        return (
            f"{path.name}: a {path.suffix or 'file without extension'} is not read; save it as "
            f"{' or '.join(kind.suffixes)}"
        )
    try:
        kind.read(path)
    except (SourceError, OSError) as error:
        return str(error)
    return None


@dataclass
class InboxState:
    """The cursor: sha256 of each file seen, why the unreadable ones are, and the assets whose
    files changed while an unreadable file of theirs held them back."""

    files: dict[str, str]
    unreadable: dict[str, str]
    pending: set[str]

    @classmethod
    def load(cls, cursor: str | None) -> InboxState:
        """The state saved in the sensor's cursor (an empty state without one)."""
        saved = json.loads(cursor) if cursor else {}
        return cls(
            dict(saved.get("files", {})),
            dict(saved.get("unreadable", {})),
            set(saved.get("pending", [])),
        )

    def dump(self) -> str:
        """The state as the sensor's cursor."""
        saved = {
            "files": self.files,
            "unreadable": self.unreadable,
            "pending": sorted(self.pending),
        }
        return json.dumps(saved, sort_keys=True)


def assets_to_run(
    graph: Any, instance: dg.DagsterInstance, readers: Iterable[str], commune: str
) -> list[dg.AssetKey]:
    """The assets that read the files, everything built from them in the `sources` and
    `published` groups (so never what publishes), and the assets they need that were never
    built for the commune (a run cannot load them)."""
    known = graph.get_all_asset_keys()
    selected = {dg.AssetKey(name) for name in readers} & known
    pending = list(selected)
    while pending:
        for child in graph.get(pending.pop()).child_keys:
            if child not in selected and graph.get(child).group_name in (
                SOURCES_GROUP,
                PUBLISHED_GROUP,
            ):
                selected.add(child)
                pending.append(child)
    needed = list(selected)
    while needed:
        for parent in graph.get(needed.pop()).parent_keys:
            # A national pass (group `national`) is an optional input: without it, the
            # commune's source cuts the national file itself (`lib/national.py`).
            if parent in selected or parent not in known or parent.path[0] == "national":
                continue
            built = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=parent, asset_partitions=[commune]), limit=1
            ).records
            if not built:
                selected.add(parent)
                needed.append(parent)
    return sorted(selected, key=lambda key: key.to_user_string())


def sha256_of(path: Path) -> str:
    """The file's sha256: what tells a changed file from the one already read."""
    return checksum_of(path, "sha256")


@dg.sensor(
    name="read_commune_inbox",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    target=dg.AssetSelection.groups(SOURCES_GROUP, PUBLISHED_GROUP),
    description="Surveille le dossier de dépôt de la commune (data/inbox/<commune>/, "
    "CLE_INBOX_DIR) : un fichier nouveau, modifié (par son contenu) ou retiré fait reconstruire "
    "les assets qui le lisent et les jeux qui en sont tirés (par exemple subventions*.csv|xlsx "
    "→ subventions_inbox → subventions) ; un fichier illisible (mauvais format, vide, classeur "
    "protégé par mot de passe) est écarté, avec son motif et une alerte. Ne modifie jamais les "
    "fichiers de la commune ; ne publie rien.",
)
def read_commune_inbox(
    context: dg.SensorEvaluationContext, settings: CommuneSettings, alerts: AlertChannels
) -> dg.SensorResult:
    """Runs what reads the commune's files when one is added, changed or removed."""
    try:
        code = settings.insee_code()
        folder = settings.inbox_folder(code)
    except CommuneError as error:
        return dg.SensorResult(skip_reason=str(error))
    if not folder.is_dir():
        return dg.SensorResult(skip_reason=f"no inbox folder {folder} (nothing sent yet)")
    # What it reads is built for the commune's partition, which must exist.
    if not context.instance.has_dynamic_partition(COMMUNES.name, code):  # type: ignore[arg-type]
        return dg.SensorResult(
            skip_reason=f"commune {code} is not a partition yet (build it once, e.g. `make demo`)"
        )
    state = InboxState.load(context.cursor)
    seen: dict[str, str] = {}
    changed: list[str] = []
    to_read: set[str] = set()
    new_problems: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        kind = kind_of(path) if path.is_file() else None
        if kind is None:
            continue
        digest = seen[path.name] = sha256_of(path)
        if state.files.get(path.name) == digest:
            continue
        changed.append(path.name)
        state.unreadable.pop(path.name, None)
        problem = problem_with(path, kind)
        if problem is None:
            to_read.update(kind.assets)
        else:
            new_problems[path.name] = state.unreadable[path.name] = problem
    # A file the commune removed is a change too (a bad table taken back): the assets that read
    # it run again on what is left. One that was unreadable never fed a run; removing it only
    # lifts the hold. Removed files are forgotten (sent again, they are new).
    for name in sorted(set(state.files) - set(seen)):
        kind = kind_of(folder / name)
        if kind is not None and name not in state.unreadable:
            changed.append(f"{name} (removed)")
            to_read.update(kind.assets)
    state.unreadable = {name: why for name, why in state.unreadable.items() if name in seen}
    state.files = seen
    # An asset reads the newest file of its kind: while an unreadable one is there, a run of
    # that asset would fail on it.
    blocked = {
        asset
        for name in state.unreadable
        if (kind := kind_of(folder / name)) is not None
        for asset in kind.assets
    }
    commune = commune_label(context.instance, settings)
    for name, problem in new_problems.items():
        kind = kind_of(folder / name)
        assets = kind.assets if kind else ()
        alerts.send(inbox_unreadable(commune, str(folder), name, problem, assets), context.log)
    runnable = sorted((to_read | state.pending) - blocked)
    state.pending = (to_read | state.pending) & blocked
    graph = context.repository_def.asset_graph if context.repository_def else None
    run_requests = []
    if runnable and graph is not None:
        selection = assets_to_run(graph, context.instance, runnable, code)
        files = sorted(name for name in changed if name not in state.unreadable)
        # No run key: the cursor already makes one run per change, and a file sent back to
        # an earlier content must run again.
        run_requests.append(
            dg.RunRequest(
                asset_selection=selection,
                partition_key=code,
                tags={"cle/inbox_files": ", ".join(files)[:200]},
            )
        )
    if run_requests:
        return dg.SensorResult(run_requests=run_requests, cursor=state.dump())
    if state.unreadable:
        reasons = "; ".join(state.unreadable.values())
        still = "" if new_problems else "still "
        return dg.SensorResult(
            skip_reason=f"{still}unreadable, nothing rebuilt from it: {reasons}",
            cursor=state.dump(),
        )
    return dg.SensorResult(skip_reason=f"no new or changed file in {folder}", cursor=state.dump())
