"""The errors a source can raise (each message names the file, and the column or line), and
the one walk over a run's failed steps that finds the user's error behind Dagster's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import dagster as dg

# Dagster's wrappers of a user's exception: DagsterExecutionStepExecutionError, …
DAGSTER_ERROR_PREFIX = "Dagster"


class SourceError(RuntimeError):
    """A national file could not be obtained."""


class SourceFormatError(SourceError):
    """The file is there but is not in the documented format."""


def innermost_cause(error):
    """The user's exception behind Dagster's wrappers (a `SerializableErrorInfo` chain): the
    first error of the chain that is not Dagster's own. That is the project's error, which
    names the file, column or line; the library error it was raised from (`BadZipFile`,
    DuckDB's `CSV Error on Line`, `UnicodeDecodeError`) is its cause and says less, so the walk
    stops before it. A step that failed with Dagster's own error (a blocking check) gives it."""
    while (
        error is not None
        and error.cause is not None
        and (error.cls_name or "").startswith(DAGSTER_ERROR_PREFIX)
    ):
        error = error.cause
    return error


@dataclass(frozen=True)
class StepFailure:
    """A failed step of a run, told by the user's exception behind it: its class and its
    message as raised (`cle_pipeline.lib.errors.SourceError: <file>: …`, maybe several lines)."""

    step_key: str
    error_class: str
    message: str

    @property
    def first_line(self) -> str:
        """The message's first line: what an alert quotes."""
        lines = self.message.strip().splitlines()
        return lines[0] if lines else ""


def step_failures(events: Iterable[dg.DagsterEvent | None]) -> list[StepFailure]:
    """The failed steps among a run's `events`, in order (from an in-process result's
    `all_events`, or the instance's STEP_FAILURE records)."""
    failures = []
    for event in events:
        if event is None or not event.is_step_failure or event.step_failure_data is None:
            continue
        error = innermost_cause(event.step_failure_data.error)
        failures.append(
            StepFailure(
                event.step_key or "?",
                (error.cls_name or "") if error else "",
                error.message if error else "",
            )
        )
    return failures
