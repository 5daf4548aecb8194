"""What a reform does: which functions move from which kinds of body to which, how
accountability changes criterion by criterion, which areas are left with gaps, and which
moves are uncertain. Every count in the headline names the functions it counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from icsatlas.names import short_name
from icsatlas.register import accountability, operations, stack
from icsatlas.register.model import Area, Assignment, Flag, Function, Organisation, Target
from icsatlas.register.queries import Gap, gaps
from icsatlas.register.reforms import UNCERTAIN, Alternative, Reform, destination_label
from icsatlas.register.register import Register

if TYPE_CHECKING:
    from icsatlas.provenance import Provenance
    from icsatlas.results import Result

# How each criterion reads when a function moves from a body that has it to one that
# does not ("... from bodies that meet in public to bodies that need not").
PHRASES = {
    "public_body": ("public bodies", "bodies that are not, or only partly, public bodies"),
    "meets_in_public": ("bodies that meet in public", "bodies that need not, or only partly"),
    "publishes_papers": (
        "bodies that publish their papers and minutes",
        "bodies that need not, or only partly",
    ),
    "subject_to_foi": ("bodies subject to FOI", "bodies only partly subject to it, or not"),
    "elected_members": ("bodies with elected members", "bodies with fewer or none"),
    "duty_to_consult": (
        "bodies with a duty to consult the public",
        "bodies with a narrower duty, or none",
    ),
    "health_scrutiny": ("bodies council health scrutiny covers", "bodies it covers less"),
    "duty_of_candour": ("bodies under the duty of candour", "bodies that are not"),
}
NOBODY = "nobody"
SEPARATOR = " | "  # function labels contain commas and semicolons


@dataclass(frozen=True)
class Move:
    """A function leaving one holder for another (or for nobody) in an area."""

    function: Function
    area: Area
    effective: date
    before: Organisation
    after: Organisation | None
    assignment: Assignment | None

    @property
    def certainty(self) -> str:
        return self.assignment.certainty if self.assignment else "uncertain"

    @property
    def note(self) -> str:
        return self.assignment.note if self.assignment else "no destination named"


@dataclass(frozen=True)
class CriterionChange:
    """One accountability criterion that differs between two kinds of holder."""

    criterion: str
    before: str
    after: str
    after_certainty: str

    @property
    def text(self) -> str:
        label = accountability.criteria()[self.criterion].label
        flag = " (uncertain)" if self.after_certainty == "uncertain" else ""
        return f"{label}: {self.before} -> {self.after}{flag}"


@dataclass(frozen=True)
class MoveGroup:
    """Moves of one function between two kinds of body, across areas."""

    function: Function
    from_type: str
    to_type: str
    areas: int
    certainty: str
    score_before: float | None
    score_after: float | None
    note: str
    disputed: tuple[Alternative, ...] = ()
    status: str = ""

    @property
    def uncertain(self) -> bool:
        return self.certainty == "uncertain"

    @property
    def changes(self) -> tuple[CriterionChange, ...]:
        """The criteria whose answer differs between the two kinds of body."""
        return criterion_changes(self.from_type, self.to_type)

    @property
    def disputed_text(self) -> str:
        """The other destinations sources give, each with its score and source."""
        return "; ".join(
            f"{destination_label(a.to)}{_scored(a.to)} per {a.source}"
            + (f" ({a.note})" if a.note else "")
            for a in self.disputed
        )


@dataclass(frozen=True)
class Shift:
    """Functions (in areas) moving to bodies weaker on one accountability criterion."""

    criterion: str
    functions: tuple[str, ...]
    areas: int

    @property
    def sentence(self) -> str:
        strong, weak = PHRASES[self.criterion]
        where = f"{_count(len(self.functions), 'function')} in {_count(self.areas, 'area')}"
        verb = "moves" if len(self.functions) == 1 else "move"
        return f"{where} {verb} from {strong} to {weak}: {SEPARATOR.join(self.functions)}"


@dataclass(frozen=True)
class BasisChange:
    """A function that stays with the same kind of body but is held on a new basis (e.g.
    an ICB's own function rather than delegated to it)."""

    function: Function
    holder_type: str
    before: str
    after: str
    areas: int
    status: str

    @property
    def text(self) -> str:
        return f"{self.function.label} ({self.holder_type}: {self.before} -> {self.after})"


@dataclass
class Impact:
    reforms: list[Reform]
    moves: list[Move]
    new_gaps: list[Gap]
    flags: list[Flag]
    targets: list[Target]
    established: list[Organisation]
    abolished: list[Organisation]
    functions: dict[str, Function] = field(default_factory=dict)
    groups: list[MoveGroup] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    basis_changes: list[BasisChange] = field(default_factory=list)
    conflicts: list[stack.Conflict] = field(default_factory=list)

    @property
    def reform(self) -> Reform:
        """The first (or only) reform of the stack."""
        return self.reforms[0]

    @property
    def title(self) -> str:
        return " + ".join(r.title for r in self.reforms)

    @property
    def uncertain_moves(self) -> list[MoveGroup]:
        """Moves whose certainty or date certainty is 'uncertain' (the definition used by
        ``reform list`` for operations: :attr:`Operation.uncertain`)."""
        return [g for g in self.groups if g.uncertain]

    def headline(self) -> list[str]:
        """The report's sentences; each count lists the functions (or bodies) it counts."""
        areas = len({m.area.area_id for m in self.moves})
        lines = [f"legal status: {r.title}: {r.status.text}" for r in self.reforms]
        lines.append(
            f"holder type changes in {_count(areas, 'area')} for "
            f"{_listed(_labels(self.groups), 'function')}"
        )
        if self.basis_changes:
            changed = sorted({b.text for b in self.basis_changes})
            lines.append(
                f"held on a new basis by the same kind of body: {_listed(changed, 'function')}"
            )
        lines += [s.sentence for s in self.shifts]
        if self.established or self.abolished:
            lines.append(f"bodies established: {_listed(_names(self.established), 'body')}")
            lines.append(f"bodies abolished: {_listed(_names(self.abolished), 'body')}")
        lines += self._body_lines()
        lines += [c.text(self._label(c.function)) for c in self.conflicts]
        overlaps = sorted({self._label(f.function_id) for f in self.flags if _overlap(f)})
        if overlaps:
            lines.append(
                "moved by two reforms of the stack (the earlier move stands; see the notes): "
                f"{_listed(overlaps, 'function')}"
            )
        if self.uncertain_moves:
            lines.append(
                f"uncertain moves ({UNCERTAIN}): "
                f"{_listed(_labels(self.uncertain_moves), 'function')}"
            )
        disputed = [g for g in self.groups if g.disputed]
        if disputed:
            lines.append(
                "destination disputed between sources (both recorded, see the disputed "
                f"column): {_listed(_labels(disputed), 'function')}"
            )
        if self.flags:
            lines.append(f"left under review for transfer: {_listed(self._flagged(), 'function')}")
        lines += self._gap_lines()
        return lines

    def _flagged(self) -> list[str]:
        return sorted({self._label(f.function_id) for f in self.flags if not _overlap(f)})

    def _body_lines(self) -> list[str]:
        """Bodies the register holds no functions for: what happens to each, where its
        functions go (and which destinations the sources do not give: gaps)."""
        lines = []
        for reform in self.reforms:
            for body in reform.bodies:
                into = f" into {body.into}" if body.into else ""
                goes = SEPARATOR.join(f"{what} -> {to}" for what, to, _ in body.functions)
                lines.append(
                    f"{body.body}: {body.change}{into} {reform.under}"
                    + (f"; functions: {goes}" if goes else "")
                    + (f" ({body.note})" if body.note else "")
                )
                if body.gaps:
                    lines.append(
                        f"{body.body}: the sources do not say where these go (a gap): "
                        f"{_listed(body.gaps, 'function')}"
                    )
        return lines

    def _label(self, function_id: str) -> str:
        found = self.functions.get(function_id)
        return found.label if found else function_id

    def _gap_lines(self) -> list[str]:
        by_status: dict[str, list[Gap]] = defaultdict(list)
        for gap in self.new_gaps:
            by_status[gap.status].append(gap)
        lines = []
        for status, found in sorted(by_status.items()):
            areas = len({g.area.area_id for g in found})
            functions = sorted({g.function.label for g in found})
            lines.append(
                f"new '{status}' caveats: {len(found)} (function x area) in "
                f"{_count(areas, 'area')}, for {_listed(functions, 'function')}"
            )
        return lines

    def table(self):
        """One row per function moved between two kinds of body, with how each
        accountability criterion changes."""
        import pandas as pd

        return pd.DataFrame(
            {
                "function": [g.function.label for g in self.groups],
                "from": [g.from_type for g in self.groups],
                "to": [g.to_type for g in self.groups],
                "areas": [g.areas for g in self.groups],
                "accountability_before": [g.score_before for g in self.groups],
                "accountability_after": [g.score_after for g in self.groups],
                "accountability_change": [
                    "; ".join(c.text for c in g.changes) or "no criterion changes"
                    for g in self.groups
                ],
                "certainty": [g.certainty for g in self.groups],
                "status": [g.status for g in self.groups],
                "disputed": [g.disputed_text for g in self.groups],
                "note": [g.note for g in self.groups],
            }
        )

    def notes(self) -> tuple[str, ...]:
        lines = [*self.headline()]
        lines += [
            f"under review: {self._label(f.function_id)}: {f.text}"
            for f in self.flags
            if not _overlap(f)
        ]
        lines += [
            f"target: {t.measure} {t.value:g} {t.unit} by {t.deadline} ({t.certainty})"
            for t in self.targets
        ]
        lines += [
            f"overlap: {self._label(f.function_id)}: {f.text}" for f in self.flags if _overlap(f)
        ]
        return (*lines, *(note for r in self.reforms for note in r.notes))

    def to_result(self, provenance: Provenance) -> Result:
        from icsatlas.results import Result

        title = f"Impact of {self.title}"
        return Result(self.table(), provenance, title, self.notes())


def impact(register: Register, *reforms: Reform) -> Impact:
    """Apply ``reforms`` to ``register`` in the order given (``stack.in_date_order`` sorts
    a stack) and describe the difference, with the conflicts between them."""
    after = register
    for reform in reforms:
        after = operations.apply(after, reform)
    names = {r.name for r in reforms}
    days = sorted({op.effective for r in reforms for op in r.operations if op.effective})
    moves = [m for day in days for m in _moves(register, after, day)]
    result = Impact(
        reforms=list(reforms),
        moves=moves,
        new_gaps=_new_gaps(register, after, days),
        flags=[f for f in after.flags if f.reform in names],
        targets=[t for t in after.targets if t.reform in names],
        established=[
            o
            for o in after.organisations.values()
            if o.key not in register.organisations and not o.generic
        ],
        abolished=[
            o
            for o in after.organisations.values()
            if o.key in register.organisations
            and not o.generic
            and register.organisations[o.key].valid_to != o.valid_to
        ],
        functions=after.functions,
    )
    disputes = {
        op.spec["function"]: op.disputed for r in reforms for op in r.operations if op.disputed
    }
    known = {r.name: r for r in reforms}
    result.groups = _groups(moves, disputes, known)
    result.shifts = _shifts(moves)
    result.basis_changes = [b for day in days for b in _basis_changes(register, after, day, known)]
    result.conflicts = stack.conflicts(list(reforms))
    return result


def _overlap(flag: Flag) -> bool:
    return flag.text.startswith("Overlap between reforms")


def _basis_changes(
    before: Register, after: Register, day: date, known: dict[str, Reform]
) -> list[BasisChange]:
    """Functions held by the same kind of body on ``day`` with and without the reforms, but
    on a different basis, grouped across areas."""
    found: dict[tuple[str, str, str, str], list[Assignment]] = defaultdict(list)
    for area in after.areas_on(day):
        if area.area_id not in before.areas or not before.areas[area.area_id].in_force(day):
            continue
        for function_id in after.functions:
            old = before.assignments_at(function_id, area.area_id, day)
            new = after.assignments_at(function_id, area.area_id, day)
            old_types = {before.organisations[a.holder_id].org_type for a in old}
            new_types = {after.organisations[a.holder_id].org_type for a in new}
            if not old or old_types != new_types or len(new_types) != 1:
                continue
            old_basis, new_basis = {a.basis for a in old}, {a.basis for a in new}
            if old_basis != new_basis:
                key = (
                    function_id,
                    next(iter(new_types)),
                    ", ".join(sorted(old_basis)),
                    ", ".join(sorted(new_basis)),
                )
                found[key].extend(new)
    return [
        BasisChange(
            after.functions[function_id],
            holder_type,
            old,
            new,
            len({a.area_id for a in items}),
            stack.status_text(items[0].reform, known),
        )
        for (function_id, holder_type, old, new), items in found.items()
    ]


def criterion_changes(from_type: str, to_type: str) -> tuple[CriterionChange, ...]:
    """How each criterion's answer changes from one kind of holder to another ('none'
    when nobody holds the function afterwards; '?' for a type with no profile)."""
    before = accountability.profiles().get(from_type)
    after = accountability.profiles().get(to_type)
    found = []
    for criterion in accountability.CRITERIA:
        old = before.answer(criterion).value if before else "?"
        if to_type == NOBODY:
            new, certainty = "none", "verified"
        elif after is None:
            new, certainty = "?", "uncertain"
        else:
            new, certainty = after.answer(criterion).value, after.answer(criterion).certainty
        if old != new:
            found.append(CriterionChange(criterion, old, new, certainty))
    return tuple(found)


def _moves(before: Register, after: Register, day: date) -> list[Move]:
    """Slots (function x area) whose holder type on ``day`` differs with and without the
    reform; areas the reform itself creates have no 'before' and are not moves."""
    found = []
    for area in after.areas_on(day):
        earlier = _same_ground(before, after, area, day)
        for function_id, function in after.functions.items():
            old = [a for e in earlier for a in before.assignments_at(function_id, e.area_id, day)]
            new = after.assignments_at(function_id, area.area_id, day)
            old_types = {before.organisations[a.holder_id].org_type for a in old}
            new_types = {after.organisations[a.holder_id].org_type for a in new}
            if old_types == new_types:
                continue
            for previous in old:
                holder = before.organisations[previous.holder_id]
                if not new:
                    found.append(Move(function, area, day, holder, None, None))
                for current in new:
                    found.append(
                        Move(
                            function,
                            area,
                            day,
                            holder,
                            after.organisations[current.holder_id],
                            current,
                        )
                    )
    return found


def _same_ground(before: Register, after: Register, area: Area, day: date) -> list[Area]:
    """The area itself in ``before``, or (for an area the reform creates) the areas that
    held its sub-ICB locations before the reform."""
    if area.area_id in before.areas and before.areas[area.area_id].in_force(day):
        return [area]
    found = {}
    for child in after.children(area.area_id, day):
        parent = before.parent(child.area_id, day) if child.area_id in before.areas else None
        if parent is not None and parent.in_force(day):
            found[parent.area_id] = parent
    return list(found.values())


def _new_gaps(before: Register, after: Register, days: list[date]) -> list[Gap]:
    found = []
    for day in days:
        known = {(g.area.area_id, g.function.function_id, g.status) for g in gaps(before, day)}
        found += [
            g
            for g in gaps(after, day)
            if (g.area.area_id, g.function.function_id, g.status) not in known
        ]
    return found


def _groups(
    moves: list[Move],
    disputes: dict[str, tuple[Alternative, ...]],
    known: dict[str, Reform],
) -> list[MoveGroup]:
    grouped: dict[tuple[str, str, str], list[Move]] = defaultdict(list)
    for move in moves:
        to_type = move.after.org_type if move.after else NOBODY
        grouped[(move.function.function_id, move.before.org_type, to_type)].append(move)
    groups = []
    for (_, from_type, to_type), items in grouped.items():
        first = items[0]
        groups.append(
            MoveGroup(
                function=first.function,
                from_type=from_type,
                to_type=to_type,
                areas=len({m.area.area_id for m in items}),
                certainty="uncertain"
                if any(m.certainty == "uncertain" for m in items)
                else first.certainty,
                score_before=_score(from_type),
                score_after=_score(to_type),
                note=first.note,
                disputed=disputes.get(first.function.function_id, ()),
                status=stack.status_text(first.assignment.reform, known)
                if first.assignment
                else "",
            )
        )
    return sorted(groups, key=lambda g: (g.to_type, g.function.label))


def _scored(holder_type: str) -> str:
    score = _score(holder_type)
    return f" (accountability {score:g})" if score is not None else ""


def _score(holder_type: str) -> float | None:
    profile = accountability.profiles().get(holder_type)
    return profile.score if profile else None


def _shifts(moves: list[Move]) -> list[Shift]:
    losing: dict[str, list[Move]] = defaultdict(list)
    for move in moves:
        before = accountability.profiles().get(move.before.org_type)
        after = accountability.profiles().get(move.after.org_type) if move.after else None
        if before is None:
            continue
        for criterion in accountability.CRITERIA:
            after_points = after.answer(criterion).points if after else 0.0
            if before.answer(criterion).points > after_points:
                losing[criterion].append(move)
    return [
        Shift(
            criterion,
            tuple(sorted({m.function.label for m in losing[criterion]})),
            len({m.area.area_id for m in losing[criterion]}),
        )
        for criterion in accountability.CRITERIA
        if losing[criterion]
    ]


def _labels(groups: Iterable[MoveGroup]) -> list[str]:
    return sorted({g.function.label for g in groups})


def _names(bodies: Iterable[Organisation]) -> list[str]:
    return sorted(short_name(o.name) for o in bodies)


def _listed(items: list[str], noun: str) -> str:
    """'3 functions: A, B, C' (or '0 functions')."""
    plural = "bodies" if noun == "body" else f"{noun}s"
    counted = f"{len(items)} {noun if len(items) == 1 else plural}"
    return f"{counted}: {SEPARATOR.join(items)}" if items else counted


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
