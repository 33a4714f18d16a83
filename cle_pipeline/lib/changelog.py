"""The change log of a release: rows added, removed and changed since the previous release of the
same dataset for the same commune, matched by the dataset's key (`DatasetSheet.key`).

Both releases are compared as the text of their published CSV (what a reuser downloads), so a
value reformatted counts as a change and a float printed the same way does not. A key shared by
several rows (two councillors of the same name and function) is told apart by its order of
appearance, so every row is matched at most once.

Each release's CSV is kept in `historique/<dataset_id>/` beside the published files, named by
its check time and sha256: the last one is the baseline of the next change log, and a release
whose content is the last one's is not a new release (its change log is left as it was).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cle_pipeline.lib.files import write_atomically
from cle_pipeline.lib.output import csv_bytes

# The columns of `<dataset_id>.changements.csv` after the key's own columns.
ADDED, REMOVED, CHANGED = "ajout", "suppression", "modification"
CHANGE_COLUMNS = ["changement", "colonne", "avant", "apres"]
# How many changed values the summary quotes.
QUOTED_CHANGES = 5
HISTORY = "historique"


class ChangeLogError(ValueError):
    """A dataset without a key, or a key column the release does not have."""


@dataclass(frozen=True)
class ChangeLog:
    """What changed between two releases; `previous_release` is None for the first one."""

    key: tuple[str, ...]
    changes: pd.DataFrame  # key columns + CHANGE_COLUMNS, one row per row added/removed, per cell
    previous_release: str | None

    def count(self, kind: str) -> int:
        """Rows added or removed; for changes, rows with at least one value changed."""
        rows = self.changes[self.changes["changement"] == kind]
        return len(rows.drop_duplicates([*self.key, "_occurrence"]))

    @property
    def first_release(self) -> bool:
        """Whether there was no release before this one."""
        return self.previous_release is None

    def published_changes(self) -> pd.DataFrame:
        """The rows of `<dataset_id>.changements.csv` (without the occurrence counter)."""
        return self.changes.drop(columns=["_occurrence"])

    def summary(self) -> str:
        """The paragraph in French for the quality report and the dataset's description."""
        if self.first_release:
            return "Première publication de ce jeu pour la commune : pas de version précédente."
        added, removed, changed = self.count(ADDED), self.count(REMOVED), self.count(CHANGED)
        since = f"Depuis la publication précédente ({self.previous_release})"
        if not (added or removed or changed):
            return f"{since} : aucune ligne ajoutée, supprimée ni modifiée."
        text = (
            f"{since} : {plural(added, 'ligne ajoutée', 'lignes ajoutées')}, "
            f"{plural(removed, 'ligne supprimée', 'lignes supprimées')}, "
            f"{plural(changed, 'ligne modifiée', 'lignes modifiées')} "
            f"(clé : {', '.join(self.key)})."
        )
        modified = self.changes[self.changes["changement"] == CHANGED].head(QUOTED_CHANGES)
        if len(modified):
            quoted = [
                f"{' / '.join(str(row[column]) for column in self.key)} : {row['colonne']} "
                f"« {row['avant']} » → « {row['apres']} »"
                for _, row in modified.iterrows()
            ]
            text += " Premières valeurs modifiées : " + " ; ".join(quoted) + "."
        return text


def plural(count: int, one: str, many: str) -> str:
    """`1 ligne`, `3 lignes`."""
    return f"{count} {one if count <= 1 else many}"


def published_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame as its published CSV reads back: every cell the text written, empty for none."""
    return read_published_csv(io.BytesIO(csv_bytes(frame)))


def read_published_csv(source: Path | io.BytesIO) -> pd.DataFrame:
    """A published CSV as it was written: every value as text, empty stays empty."""
    return pd.read_csv(source, dtype=str, keep_default_na=False)


def _keyed(frame: pd.DataFrame, key: tuple[str, ...], columns: list[str]) -> pd.DataFrame:
    keyed = frame.reindex(columns=columns, fill_value="")
    keyed["_occurrence"] = keyed.groupby(list(key), sort=False).cumcount()
    return keyed.set_index([*key, "_occurrence"])


def compare_releases(
    previous: pd.DataFrame | None,
    current: pd.DataFrame,
    key: Sequence[str],
    previous_release: str | None = None,
) -> ChangeLog:
    """The change log of `current` (published text) against `previous` (None: first release)."""
    key = tuple(key)
    if not key:
        raise ChangeLogError("no key: the change log matches rows by the dataset's key")
    missing = [column for column in key if column not in current.columns]
    if missing:
        raise ChangeLogError(f"key column(s) {', '.join(missing)} not in the release")
    columns_out = [*key, "_occurrence", *CHANGE_COLUMNS]
    if previous is None:
        return ChangeLog(key, pd.DataFrame(columns=columns_out), None)
    columns = list(dict.fromkeys([*current.columns, *previous.columns]))
    before, after = _keyed(previous, key, columns), _keyed(current, key, columns)
    rows = []
    for index in after.index.difference(before.index, sort=False):
        rows.append((*index, ADDED, "", "", ""))
    for index in before.index.difference(after.index, sort=False):
        rows.append((*index, REMOVED, "", "", ""))
    common = after.index.intersection(before.index, sort=False)
    values = [column for column in columns if column not in key]
    old, new = before.loc[common, values], after.loc[common, values]
    differs = old.ne(new)
    for index, row in differs.iterrows():
        for column in row.index[row.to_numpy()]:
            rows.append((*index, CHANGED, column, old.at[index, column], new.at[index, column]))
    changes = pd.DataFrame(rows, columns=columns_out)
    return ChangeLog(key, changes, previous_release)


def release_time(stamp: str) -> str:
    """`20261203T072303` (a history file's name) → `2026-12-03 07:23:03 UTC`."""
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]} UTC"


def history_folder(folder: Path, dataset_id: str) -> Path:
    """Where the previous releases of `dataset_id` are kept."""
    return folder / HISTORY / dataset_id


def record_release(
    folder: Path, dataset_id: str, sha256: str, checked_at: str, key: Sequence[str]
) -> ChangeLog | None:
    """Compares the released `<dataset_id>.csv` in `folder` with the previous release, writes
    `<dataset_id>.changements.csv` and keeps the release in the history; None (and nothing
    written) when its content is the previous release's."""
    history = history_folder(folder, dataset_id)
    kept = sorted(history.glob("*.csv"))
    latest = kept[-1] if kept else None
    if latest is not None and latest.stem.endswith(sha256):
        return None
    csv_path = folder / f"{dataset_id}.csv"
    current = read_published_csv(csv_path)
    previous = read_published_csv(latest) if latest is not None else None
    previous_release = release_time(latest.stem.split("_", 1)[0]) if latest is not None else None
    changelog = compare_releases(previous, current, key, previous_release)
    write_atomically(
        folder / f"{dataset_id}.changements.csv", csv_bytes(changelog.published_changes())
    )
    history.mkdir(parents=True, exist_ok=True)
    # The check time as a name that sorts (`2026-12-03T07:23:03+00:00` → `20261203T072303`).
    stamp = checked_at[:19].replace("-", "").replace(":", "")
    shutil.copyfile(csv_path, history / f"{stamp}_{sha256}.csv")
    return changelog
