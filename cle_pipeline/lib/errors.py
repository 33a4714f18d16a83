"""The errors a source can raise: each message names the file, and the column or line."""


class SourceError(RuntimeError):
    """A national file could not be obtained."""


class SourceFormatError(SourceError):
    """The file is there but is not in the documented format."""
