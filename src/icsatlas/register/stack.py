"""Reforms applied together: in date order, with their overlaps and conflicts reported.

A stack such as the Model ICB Blueprint + the Model Region Blueprint + the Health Bill is
applied in the order the reforms take effect. Nothing one reform does is silently
overwritten by another:

- a **conflict** is two reforms saying different things about the same function at the
  same time: one moves it to a kind of body while the other keeps it with another (the
  Blueprint delegates vaccination and screening to ICBs in April 2026; the Model Region
  Blueprint pauses that delegation until at least 2027). Both reforms stay applied and the
  conflict is reported with the function, the two destinations and the two sources;
- an **overlap** is a reform moving a function that an earlier reform of the stack has
  already moved (recorded on the function as it is applied, see ``operations.transfer``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from icsatlas.errors import NotFoundError
from icsatlas.register import reforms
from icsatlas.register.reforms import Operation, Reform, destination_label

MOVES = ("transfer", "delegate")


@dataclass(frozen=True)
class Side:
    """What one reform of a conflict says about the function."""

    reform: Reform
    destination: str
    effective: date
    source: str
    until: date | None = None

    @property
    def text(self) -> str:
        when = f"until at least {self.until}" if self.until else f"from {self.effective}"
        return (
            f"the {self.reform.title} ({self.reform.status.text}) puts it with "
            f"{destination_label(self.destination)} {when} ({self.source})"
        )


@dataclass(frozen=True)
class Conflict:
    """Two reforms of a stack saying different things about one function at one time."""

    function: str
    moved: Side
    kept: Side

    def text(self, label: str | None = None) -> str:
        """The conflict in one sentence, naming the function by ``label`` if given."""
        return (
            f"Conflict between reforms on {label or self.function}: {self.moved.text}; "
            f"{self.kept.text}. Both reforms stay applied: the register shows the move and "
            "reports this conflict."
        )


def in_date_order(names: tuple[str, ...]) -> tuple[str, ...]:
    """Reform names (or files) in date order, each once: by publication date (a later
    reform builds on what earlier ones announced), or, for a reform with none, the date of
    its earliest operation."""
    unique = tuple(dict.fromkeys(names))
    return tuple(sorted(unique, key=_order_key))


def _order_key(name: str) -> tuple[date, date]:
    reform = _cached(str(reforms.locate(name)), reforms.digest(reforms.locate(name)))
    return reform.published or reform.first_effective, reform.first_effective


@cache
def _cached(path: str, digest: str) -> Reform:
    return reforms.load(Path(path))


def loaded(names: tuple[str, ...]) -> list[Reform]:
    """The reforms named (shipped names or files); names that are neither are skipped (a
    register records what it applied by name, and a file may have moved since)."""
    found = []
    for name in names:
        try:
            path = reforms.locate(name)
        except NotFoundError:
            continue
        found.append(_cached(str(path), reforms.digest(path)))
    return found


def by_name(name: str | None) -> Reform | None:
    """The shipped reform a record names (``Assignment.reform``), if there is one."""
    return _shipped(name) if name in reforms.shipped() else None


@cache
def _shipped(name: str) -> Reform:
    return reforms.load(name)


def status_text(name: str | None, known: dict[str, Reform] | None = None) -> str:
    """How an output names the legal standing of a record a reform made: 'in force' for
    recorded data and reforms in force, else 'under the Health Bill (...; not law)'. A
    register records reforms by name: ``known`` maps the names of reforms applied from
    files; any other name is looked up among the shipped reforms."""
    if name is None:
        return "in force"
    reform = (known or {}).get(name) or by_name(name)
    if reform is None:
        return f"reform {name}: status not known"
    return "in force" if reform.status.in_force else reform.under


def announced() -> tuple[str, ...]:
    """Every shipped reform that is not yet law (bills and policies), in date order: the
    register 'with everything announced' is the built register with these on top."""
    pending = [
        name for name in reforms.shipped() if reforms.load(name).status.stage in ("bill", "policy")
    ]
    return in_date_order(tuple(pending))


def not_law(names: tuple[str, ...]) -> list[Reform]:
    """The reforms among ``names`` that are not in force (refused 'as the law stands')."""
    return [r for r in loaded(names) if not r.status.in_force]


def conflicts(stack: list[Reform]) -> list[Conflict]:
    """Where one reform keeps a function with a kind of body for a time and another moves
    it elsewhere within that time."""
    found = []
    for keeper in stack:
        for keep in (op for op in keeper.operations if op.kind == "keep"):
            for mover in stack:
                if mover.name == keeper.name:
                    continue
                found += [
                    _conflict(keeper, keep, mover, move)
                    for move in mover.operations
                    if _contradicts(keep, move)
                ]
    return found


def _contradicts(keep: Operation, move: Operation) -> bool:
    if move.kind not in MOVES or move.spec["function"] != keep.spec["function"]:
        return False
    until = keep.spec.get("until")
    during = keep.effective <= move.effective and (until is None or move.effective < until)
    return during and move.spec["to"] != keep.spec["holder"]


def _conflict(keeper: Reform, keep: Operation, mover: Reform, move: Operation) -> Conflict:
    return Conflict(
        function=keep.spec["function"],
        moved=Side(mover, move.spec["to"], move.effective, move.spec["source"]),
        kept=Side(
            keeper,
            keep.spec["holder"],
            keep.effective,
            keep.spec["source"],
            keep.spec.get("until"),
        ),
    )
