"""The errors a source can raise: each message names the file, and the column or line."""

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
