"""Errors meant for users: they name the file, row or line, and field at fault."""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from typing import NamedTuple


class IcsatlasError(Exception):
    """An error the interfaces show as a message, without a traceback."""


class StoreBusy(IcsatlasError):
    """Another process holds the store (a DuckDB file being written): retry shortly. The
    message names the file; ``public`` says the same without it (for web answers)."""

    http_status = 503
    public = "the store is busy with another write: retry in a few seconds"


class StoreUnavailable(IcsatlasError):
    """The database server could not be reached, or the connection to it was lost mid-write
    (a restart, a network cut): the transaction was rolled back by the server; retry."""

    http_status = 503
    public = "the database is unavailable: retry in a few seconds"


class InputError(IcsatlasError):
    """Bad input, located as precisely as we can: ``file:row: field: message``."""

    def __init__(
        self,
        message: str,
        *,
        file: str | PathLike[str] | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row) if p is not None)
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])


class InputErrors(IcsatlasError):
    """Several input errors found in one pass (a file is checked whole before it loads)."""

    LIMIT = 20

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = list(errors)
        shown = [str(e) for e in self.errors[: self.LIMIT]]
        more = len(self.errors) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more")
        super().__init__("\n".join(shown))


class Suggestion(NamedTuple):
    """Something the user may have meant: its name, kind and register key."""

    name: str
    kind: str
    key: str


class NotFoundError(IcsatlasError):
    """A name or code that matches nothing (or several things), with suggestions where we
    have them (the portal shows them as links)."""

    def __init__(self, message: str, suggestions: Iterable[Suggestion] = ()) -> None:
        super().__init__(message)
        self.suggestions = tuple(suggestions)
