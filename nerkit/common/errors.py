"""Errors a user can fix, each saying where the problem is and what would be accepted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


class NerkitError(Exception):
    """Base class of every error nerkit raises on purpose."""


class ConfigurationError(NerkitError, ValueError):
    """A config or argument problem, found before any data is read.

    Also a ``ValueError``: components raise it for a bad argument value, and ``build`` adds
    the config path of the block when the constructor did not give one.

    Args:
        message: What is wrong and what is accepted.
        path: Where in the config, as keys (``["model", "encoder", "hidden_dim"]``).
    """

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        self.path = list(path)
        self.message = message
        where = f"{format_path(self.path)}: " if self.path else ""
        super().__init__(f"{where}{message}")


class DataError(NerkitError):
    """Malformed input data, naming the file and line it was found on."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = ""
        if file is not None:
            where = f"{file}:{line}: " if line is not None else f"{file}: "
        super().__init__(f"{where}{message}")


class DeprecatedConfigKey(FutureWarning):
    """A config key that was renamed; the old name still works for now.

    A ``FutureWarning`` (not a ``DeprecationWarning``) so that the command line shows it.
    """


class ArchiveError(NerkitError):
    """A model archive that is malformed or unsafe to extract."""


class TrainingError(NerkitError):
    """Training stopped before its end (a non-finite loss, a signal); says how to go on."""


def format_path(path: Sequence[str | int]) -> str:
    """Render a config path as ``model -> encoder -> hidden_dim``."""
    return " -> ".join(str(part) for part in path) if path else "<root>"


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
