"""The errors a source can raise: each message names the file, and the column or line."""


class SourceError(RuntimeError):
    """A national file could not be obtained."""


class SourceFormatError(SourceError):
    """The file is there but is not in the documented format."""


def innermost_cause(error):
    """Dagster wraps the user's exception in its own: the innermost cause is the one that
    explains (the file, column or line the source error names)."""
    while error is not None and error.cause is not None:
        error = error.cause
    return error
