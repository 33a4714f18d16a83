"""What a person at the terminal reads after a run: one line per failure, the traces in a file.

A failed check is told as its dataset, its check, its number of failing rows, the first failing
row's values (from the check's `failing_rows_sample`, see `lib/checks.py`) and the run's URL in
the UI; a failed step (a source that could not be read) as its step and the first line of the
user's error (`lib/errors.step_failures`). The full error of each failed step, stack traces and
causes included, goes to a log file whose path the summary gives: Dagster's own console log is
not printed (it repeats each trace). `make demo` and `make publish` print these lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from cle_pipeline.lib.errors import innermost_cause, step_failures

# Dagster's error for a step whose blocking checks failed: told by the checks' own lines.
CHECK_FAILURE_ERROR = "DagsterAssetCheckFailedError"
# A line stays readable in a terminal: the first values are cut, and say so.
MAX_VALUES_CHARS = 160


@dataclass(frozen=True)
class FailedCheck:
    """A check of the run that did not pass, as the summary tells it."""

    dataset: str
    check: str
    failing_rows: int | None
    first_values: str
    # A warning (severity WARN, e.g. a source with no row for the commune) held nothing back.
    warning: bool = False
    # What the check said when it counts no rows (a source cut without the commune).
    description: str = ""

    def line(self, link: str) -> str:
        """`FAILED <dataset> check <check>: <n> failing rows (first: …); <run URL>`, `WARNING`
        for a warning."""
        rows = self.failing_rows
        counted = "" if rows is None else f"{rows} failing row{'s' if rows != 1 else ''}"
        values = f" (first: {self.first_values})" if self.first_values else ""
        told = f"{counted}{values}" or self.description
        verdict = "WARNING" if self.warning else "FAILED"
        return f"{verdict} {self.dataset} check {self.check}: {told}; {link}"


def first_values(metadata: dict[str, dg.MetadataValue]) -> str:
    """`row=2 id_pdc_itinerance=FRS76E2 column=nom_station …` from the first failing row."""
    table = metadata.get("failing_rows_sample")
    if not isinstance(table, dg.TableMetadataValue) or not table.records:
        return ""
    text = " ".join(f"{name}={value}" for name, value in table.records[0].data.items())
    return text if len(text) <= MAX_VALUES_CHARS else text[: MAX_VALUES_CHARS - 1] + "…"


def failed_checks(
    events: Iterable[dg.DagsterEvent], commune: str | None = None
) -> list[FailedCheck]:
    """Every check evaluation of the run that did not pass, in order; only those of `commune`
    when given (a run may cover several communes)."""
    failed = []
    for event in events:
        if event.event_type != dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            continue
        evaluation = event.event_specific_data
        if evaluation.passed:  # type: ignore[union-attr]
            continue
        if commune is not None and evaluation.partition != commune:  # type: ignore[union-attr]
            continue
        metadata = dict(evaluation.metadata)  # type: ignore[union-attr]
        rows = metadata.get("failing_rows")
        failed.append(
            FailedCheck(
                evaluation.asset_key.to_user_string(),  # type: ignore[union-attr]
                evaluation.check_name,  # type: ignore[union-attr]
                int(rows.value) if rows is not None else None,  # type: ignore[arg-type]
                first_values(metadata),
                evaluation.severity == dg.AssetCheckSeverity.WARN,  # type: ignore[union-attr]
                evaluation.description or "",  # type: ignore[union-attr]
            )
        )
    return failed


def failure_lines(
    events: Iterable[dg.DagsterEvent], link: str, commune: str | None = None
) -> list[str]:
    """One line per failed check (of `commune` when given) and per step that failed for
    another reason."""
    events = list(events)
    lines = [check.line(link) for check in failed_checks(events, commune)]
    lines += [
        f"FAILED {failure.step_key}: {failure.first_line}; {link}"
        for failure in step_failures(events)
        if failure.error_class != CHECK_FAILURE_ERROR
    ]
    return lines


def write_traces(events: Iterable[dg.DagsterEvent], path: Path) -> Path | None:
    """The full error of every failed step (stack traces and causes) in `path`; None, and no
    file, when no step failed."""
    blocks = []
    for event in events:
        if not event.is_step_failure or event.step_failure_data is None:
            continue
        error = event.step_failure_data.error
        user_error = innermost_cause(error)
        if user_error is not None and user_error.cls_name == CHECK_FAILURE_ERROR:
            continue
        blocks.append(f"=== step {event.step_key} ===\n{error.to_string() if error else ''}")
    if not blocks:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path
