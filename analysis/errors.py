"""Exceptions a user sees. Each message names the file, row or column, what was
expected and what was found, so the fix is obvious without a traceback."""

from __future__ import annotations


class AnalysisError(Exception):
    """Base of every error this package raises on purpose."""


class UnknownSourceError(AnalysisError, KeyError):
    """`load` was asked for a table name the package does not know."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class ChecksumMismatchError(AnalysisError):
    """A file's bytes do not hash to the sha256 recorded in the manifest."""


class MirrorUnreachableError(AnalysisError):
    """Neither the mirror nor the upstream URL could deliver a file."""


class FetchError(AnalysisError):
    """Some files could not be fetched: names each file, its URL and why; the others are kept."""


class RawFileError(AnalysisError):
    """A raw file is present and verified but cannot be read as expected."""


class SchemaError(AnalysisError):
    """A tidy table broke its schema: names the table, column and offending rows."""


class ClaimsFileError(AnalysisError):
    """A claims file has an unknown value, a missing column or an impossible row."""


class ParameterError(AnalysisError):
    """Notebook parameters failed validation before any kernel started."""


class BuildError(AnalysisError):
    """One or more notebook runs failed; the message lists each."""


class ConfigError(AnalysisError):
    """A config file (runs.yaml, sweep.yaml) is malformed: names the file, entry and problem."""
