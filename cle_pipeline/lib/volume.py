"""How many rows a dataset may lose from one release to the next before a person must say so.

A national file cut to its header, a department member left empty, a producer that renamed the
commune's code column: each gives a dataset that passes every rule of its schema (no row breaks
a rule) with no rows at all, and would replace good data. So every dataset's checks compare its
row count with the last release written for the commune (`<dataset_id>.json`, see
`lib/release.py`) and block when the dataset:

- shrinks to nothing (it had rows, it has none), whatever its limit; or
- loses more than its `VolumeLimit.max_drop`, a share of the previous rows, set per dataset in
  its `assets.py` with the reason.

A real drop is accepted by naming the dataset in `CLE_ACCEPT_DROP` (comma-separated ids) for one
run; the release then records who-said-so in `accepted_drop`, and the next run compares with
that release. `volume_verdict` is pure: the checks call it, and so can a release step.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ACCEPT_VARIABLE = "CLE_ACCEPT_DROP"
# The check that compares a dataset's rows with its last release (`lib/checks.py`); its metadata
# says when a drop was accepted, which the release (`lib/release_asset.py`) records.
VOLUME_CHECK = "rows_against_last_release"


@dataclass(frozen=True)
class VolumeLimit:
    """`max_drop`: the share of the previous release's rows (0.0 to 1.0) that may disappear in
    one build without a person accepting it; `reason`: why that share, in French (the UI shows
    it in the check's description)."""

    max_drop: float
    reason: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.max_drop <= 1.0:
            raise ValueError(f"max_drop is a share between 0 and 1, not {self.max_drop}")


DEFAULT_VOLUME_LIMIT = VolumeLimit(
    0.5,
    "pas de seuil propre : perdre plus de la moitié des lignes d'un coup est pris pour une "
    "découpe ratée (format changé, commune absente du fichier national)",
)


@dataclass(frozen=True)
class VolumeVerdict:
    """The comparison of this build with the last release: `failures` is empty when it passes
    (one row saying what was lost and how to accept it otherwise); `accepted_drop` says a
    blocking drop was let through by CLE_ACCEPT_DROP."""

    rows: int
    previous_rows: int | None
    limit: VolumeLimit
    failures: pd.DataFrame
    accepted_drop: str = ""

    @property
    def passed(self) -> bool:
        """No failing row."""
        return self.failures.empty

    def metadata(self) -> dict[str, object]:
        """What the volume check shows: rows now and at the last release, the limit."""
        return {
            "rows": self.rows,
            "previous_rows": self.previous_rows if self.previous_rows is not None else "none",
            "max_drop": f"{self.limit.max_drop:.0%}",
            "limit_reason": self.limit.reason,
            **({"accepted_drop": self.accepted_drop} if self.accepted_drop else {}),
        }


def accepted_datasets(value: str) -> frozenset[str]:
    """`"bornes_recharge, associations"` → the two ids (blanks and empty items ignored)."""
    return frozenset(item.strip() for item in value.split(",") if item.strip())


def blocking_drop(rows: int, previous_rows: int | None, limit: VolumeLimit) -> str | None:
    """Why going from `previous_rows` to `rows` must not pass unattended (in French, shown in
    the UI), or None when it may."""
    if not previous_rows or rows >= previous_rows:
        return None
    if rows == 0:
        return f"{previous_rows} lignes → 0 : le jeu serait vidé"
    drop = (previous_rows - rows) / previous_rows
    if drop > limit.max_drop:
        return (
            f"{previous_rows} lignes → {rows} : {drop:.0%} des lignes perdues, plus que les "
            f"{limit.max_drop:.0%} permis ({limit.reason})"
        )
    return None


def volume_verdict(
    dataset_id: str,
    rows: int,
    previous_rows: int | None,
    limit: VolumeLimit,
    accepted: frozenset[str] = frozenset(),
) -> VolumeVerdict:
    """This build's `rows` against the last release's `previous_rows` (None: no release yet)."""
    reason = blocking_drop(rows, previous_rows, limit)
    if reason is None:
        return VolumeVerdict(rows, previous_rows, limit, pd.DataFrame())
    if dataset_id in accepted:
        return VolumeVerdict(
            rows,
            previous_rows,
            limit,
            pd.DataFrame(),
            accepted_drop=f"{previous_rows} lignes → {rows}, accepté par {ACCEPT_VARIABLE}",
        )
    failure = {
        "jeu": dataset_id,
        "lignes_avant": previous_rows,
        "lignes": rows,
        "pourquoi_bloque": reason,
        "pour_accepter": f"{ACCEPT_VARIABLE}={dataset_id} make demo",
    }
    return VolumeVerdict(rows, previous_rows, limit, pd.DataFrame([failure]))
