"""The one walk over a run's failed steps: the user's error behind Dagster's wrapper."""

import dagster as dg

from cle_pipeline.lib.errors import SourceFormatError, StepFailure, step_failures


@dg.asset
def broken_source() -> None:
    raise SourceFormatError("irve.csv: line 3: 5 fields, 4 expected\nthe line: a;b;c;d;e")


@dg.asset
def built_from_it(broken_source: None) -> None:
    """Never runs: what it reads failed."""


@dg.asset
def fine() -> int:
    return 1


def test_each_failed_step_is_told_by_the_users_error():
    result = dg.materialize([broken_source, built_from_it, fine], raise_on_error=False)
    assert step_failures(result.all_events) == [
        StepFailure(
            "broken_source",
            "SourceFormatError",
            "cle_pipeline.lib.errors.SourceFormatError: irve.csv: line 3: 5 fields, 4 expected\n"
            "the line: a;b;c;d;e\n",
        )
    ]
    [failure] = step_failures(result.get_step_failure_events())
    assert failure.first_line == (
        "cle_pipeline.lib.errors.SourceFormatError: irve.csv: line 3: 5 fields, 4 expected"
    )


def test_events_that_are_no_step_failure_are_skipped():
    result = dg.materialize([fine])
    assert step_failures([None, *result.all_events]) == []
