"""When and how surely each function moves: the date, certainty and source of the reform
operation behind a change the report shows (read from the reform file, not recomputed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from icsatlas.briefings import figures

if TYPE_CHECKING:
    from icsatlas.workspace import Workspace


@dataclass(frozen=True)
class Move:
    """A reform's move of one function: when, how certain, and its status on the date."""

    effective: date
    certainty: str
    date_certainty: str
    source: str

    def status(self, on: date, applied: bool) -> str:
        """'in force since 1 April 2026' only for a reform the register records as applied;
        anything else is 'planned', with how certain its date is."""
        if applied and self.effective <= on:
            return f"in force since {figures.day(self.effective)}"
        when = figures.day(self.effective)
        if self.date_certainty == "uncertain":
            return f"planned, {when} assumed (no date published; {self.certainty})"
        return f"planned from {when} ({self.certainty})"


def moves(ws: Workspace, reform: str) -> dict[str, Move]:
    """Function label -> the reform's move of it (its last operation on that function)."""
    from icsatlas.register import reforms

    loaded = reforms.load(reform, set(ws.data.functions))
    found: dict[str, Move] = {}
    for operation in loaded.operations:
        function = ws.data.functions.get(str(operation.spec.get("function", "")))
        if function is None:
            continue
        source = str(operation.spec.get("source") or loaded.source)
        found[function.label] = Move(
            operation.effective, operation.certainty, operation.date_certainty, source
        )
    return found


def applied(ws: Workspace, reform: str) -> bool:
    """Whether the register as recorded already includes ``reform``."""
    return reform in ws.data.reforms
