"""The Python API: open a workspace, ask the register questions, get DataFrames back.

    >>> from icsatlas import Atlas
    >>> atlas = Atlas.open()                      # builds the register on first use
    >>> atlas.areas(area_type="icb", on="2026-04-01").frame   # 36 ICBs
    >>> atlas.who("primary care", area="Frimley", on="2025-01-01").frame
    >>> atlas.with_reform("blueprint-2025").who("workforce planning", area="QRL", on="2026-06-01")

Every method returns a :class:`~icsatlas.results.Result`: ``.frame`` (a DataFrame),
``.provenance`` and ``.notes`` (caveats such as uncertain moves), which the CLI renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from icsatlas.errors import IcsatlasError, NotFoundError
from icsatlas.provenance import Provenance
from icsatlas.register import (
    accountability,
    build,
    governance,
    operations,
    persist,
    queries,
    reforms,
)
from icsatlas.register.impact import Impact, impact
from icsatlas.register.model import Changeset
from icsatlas.register.register import Register
from icsatlas.results import Result
from icsatlas.store import Store, connect

DateLike = date | str | None


def as_date(value: DateLike) -> date:
    """A date from a ``date``, an ISO string, or ``None`` (today)."""
    if value is None:
        return date.today()
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass
class Atlas:
    """A register (from a store, or built in memory) plus any reforms applied on top."""

    register: Register
    store: Store | None = None
    what_if: tuple[str, ...] = ()
    as_of_change: int | None = None
    _data: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        as_of_change: int | None = None,
        on_build: Callable[[str], None] | None = None,
    ) -> Atlas:
        """The workspace's register (building it from shipped data on first use)."""
        store = connect(url)
        if not persist.is_built(store):
            for step, _ in build.run(store):
                if on_build:
                    on_build(step.name)
        return cls(persist.load(store, as_of_change), store, as_of_change=as_of_change)

    @classmethod
    def in_memory(cls) -> Atlas:
        """The built register without a store (shipped data and history reforms)."""
        return cls(build.baseline())

    def with_reform(self, name_or_path: str) -> Atlas:
        """This atlas with a reform applied on top, in memory (a what-if)."""
        reform = reforms.load(name_or_path, set(self.register.functions))
        applied = operations.apply(self.register, reform)
        return Atlas(applied, self.store, (*self.what_if, reform.name), self.as_of_change)

    def with_reforms(self, names: Iterable[str]) -> Atlas:
        atlas = self
        for name in names:
            atlas = atlas.with_reform(name)
        return atlas

    # -- writes (each one change in the audit log) --------------------------------------
    def _writable(self) -> Store:
        if self.store is None or self.what_if or self.as_of_change is not None:
            raise IcsatlasError(
                "changes are saved only to the current register of a workspace "
                "(not on top of --reform what-ifs or --as-of-change)"
            )
        return self.store

    def apply_reform(
        self, name_or_path: str, reason: str, actor: str | None = None
    ) -> persist.Saved:
        """Apply a reform and save it: the register changes for everyone using the workspace."""
        store = self._writable()
        reform = reforms.load(name_or_path, set(self.register.functions))
        after = operations.apply(self.register, reform)
        saved = persist.save(
            store,
            self.register,
            after,
            kind="reform",
            reason=f"{reason} (apply reform {reform.name}: {reform.title})",
            source=reform.source,
            actor=actor,
            detail={"reform": reform.name},
        )
        self.register = after
        return saved

    def import_board(self, path: str, reason: str, actor: str | None = None) -> persist.Saved:
        """Import board members from CSV (checked whole first; all or nothing)."""
        store = self._writable()
        members = governance.read_members(path, self.register)
        after = self.register.with_changes(Changeset(added=list(members)))
        saved = persist.save(
            store,
            self.register,
            after,
            kind="import",
            reason=reason,
            source=str(path),
            actor=actor,
            detail={"board_members": len(members)},
        )
        self.register = after
        return saved

    def boards(self, on: DateLike = None) -> Result:
        day = as_date(on)
        checks = governance.checks(self.register, day)
        frame = pd.DataFrame(
            {
                "board": [c.board_name for c in checks],
                "members": [c.members for c in checks],
                "councillors": [c.councillors for c in checks],
                "status_unknown": [c.unknown for c in checks],
                "councillor_share": [c.councillor_share for c in checks],
                "statutory_minimum": ["met" if c.statutory_ok else "not met" for c in checks],
                "missing": ["; ".join(c.missing_statutory + c.missing_policy) for c in checks],
            }
        )
        members = sum(c.members for c in checks)
        unknown = sum(c.unknown for c in checks)
        councillors = sum(c.councillors for c in checks)
        share = (
            f"{councillors} of the {members - unknown} members whose status is known are "
            f"councillors ({unknown} unknown)"
            if members
            else "no members recorded"
        )
        notes = (
            f"across the boards recorded: {share}",
            "statutory minimum: chair, chief executive, at least 3 ordinary members incl. "
            "partner members from trusts, primary care and councils (NHS Act 2006 Sch 1B)",
            "NHS England policy adds finance, medical and nursing directors and 2+ non-executives",
        )
        return Result(frame, self.provenance(), f"Boards on {day}", notes)

    def board(self, icb: str, on: DateLike = None) -> Result:
        day = as_date(on)
        body = self.register.organisation(icb)
        members = governance.members_on(self.register, day, body.org_id)
        frame = pd.DataFrame(
            {
                "person": [m.person for m in members],
                "role": [governance.ROLES[m.role] for m in members],
                "nominated_by": [m.nominated_by for m in members],
                "councillor": [m.is_councillor for m in members],
                "from": [m.valid_from for m in members],
                "until": [m.valid_to for m in members],
                "source": [m.source for m in members],
            }
        )
        found = governance.check(self.register, body.org_id, day)
        notes = [f"statutory minimum {'met' if found.statutory_ok else 'NOT met'}"]
        notes += [f"missing (statute): {m}" for m in found.missing_statutory]
        notes += [f"missing (NHS England policy): {m}" for m in found.missing_policy]
        return Result(frame, self.provenance(), f"{body.name} board on {day}", tuple(notes))

    # -- provenance -------------------------------------------------------------------
    def provenance(self, **extra: str) -> Provenance:
        history = ", ".join(self.register.reforms) or "none"
        notes = [f"register: shipped reference data + reforms {history}"]
        if self.as_of_change is not None:
            notes.append(f"as recorded after change {self.as_of_change}")
        return Provenance(
            data={"register": self.store.url if self.store else "built in memory", **extra},
            reform=", ".join(self.what_if) or None,
            notes=tuple(notes),
        )

    def area(self, query: str, on: DateLike = None):
        return queries.resolve_area(self.register, query, as_date(on))

    # -- questions -----------------------------------------------------------------------
    def areas(self, area_type: str | None = "icb", on: DateLike = None) -> Result:
        day = as_date(on)
        rows = queries.areas_on(self.register, day, area_type)
        frame = pd.DataFrame(
            {
                "ons_code": [r.area.area_id for r in rows],
                "ods_code": [r.area.ods_code for r in rows],
                "name": [r.area.name for r in rows],
                "type": [r.area.area_type for r in rows],
                "within": [r.parent.name if r.parent else None for r in rows],
                "from": [r.area.valid_from for r in rows],
                "until": [r.area.valid_to for r in rows],
                "registered_patients_2026_08": [r.registered_patients for r in rows],
                "allocation_population_2025_26": [r.allocation_population for r in rows],
            }
        ).astype(
            {"registered_patients_2026_08": "Int64", "allocation_population_2025_26": "Float64"}
        )
        notes = sorted({n for r in rows for n in r.notes})
        title = f"{len(rows)} {area_type or 'area'} areas in force on {day}"
        sources = {
            "registered_patients_2026_08": "NHS England, Patients Registered at a GP Practice, "
            "1 Aug 2026 (areas in force then)",
            "allocation_population_2025_26": "NHS England, ICB allocations 2025/26, practice "
            "populations summed to the 42 ICBs",
        }
        return Result(frame, self.provenance(**sources), title, tuple(notes))

    def who(self, function: str, area: str, on: DateLike = None, history: bool = False) -> Result:
        day = as_date(on)
        place = self.area(area, day) if not history else self._area_any_date(area, day)
        holdings = (
            queries.holding_history(self.register, function, place)
            if history
            else queries.who_holds(self.register, function, place, day)
        )
        chosen = self.register.function(function)
        frame = pd.DataFrame([_holding_row(h) for h in holdings], columns=HOLDING_COLUMNS)
        notes = sorted({c for h in holdings for c in h.caveats()})
        when = "over time" if history else f"on {day}"
        title = f"Who holds {chosen.label} in {place.name} {when}"
        if not holdings:
            notes.insert(0, "nobody holds this function here: a gap")
        return Result(frame, self.provenance(), title, tuple(notes))

    def _area_any_date(self, query: str, on: date):
        try:
            return self.area(query, on)
        except NotFoundError:
            found = self.register.find_areas(query)
            if not found:
                raise
            return max(found, key=lambda a: a.valid_from or date.min)

    def gaps(self, on: DateLike = None, area: str | None = None) -> Result:
        day = as_date(on)
        within = self.area(area, day) if area else None
        found = queries.gaps(self.register, day, within)
        frame = pd.DataFrame(
            {
                "area": [g.area.name for g in found],
                "function": [g.function.label for g in found],
                "status": [g.status for g in found],
                "detail": [g.detail for g in found],
            }
        )
        counts = frame.status.value_counts().to_dict() if not frame.empty else {}
        summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no gaps"
        return Result(frame, self.provenance(), f"Gaps on {day}: {summary}")

    def diff(self, start: DateLike, end: DateLike, area: str | None = None) -> Result:
        first, last = as_date(start), as_date(end)
        within = self._area_any_date(area, last) if area else None
        found = queries.diff(self.register, first, last, within)
        frame = pd.DataFrame(
            {
                "change": [c.kind for c in found],
                "subject": [c.subject for c in found],
                "detail": [c.detail for c in found],
                "certainty": [c.certainty for c in found],
            }
        )
        notes = (
            ["uncertain moves are flagged: see the certainty column"]
            if any(c.certainty == "uncertain" for c in found)
            else []
        )
        return Result(
            frame, self.provenance(), f"What changed from {first} to {last}", tuple(notes)
        )

    def impact(self, reform: str) -> tuple[Impact, Result]:
        chosen = reforms.load(reform, set(self.register.functions))
        result = impact(self.register, chosen)
        frame = pd.DataFrame(
            {
                "function": [g.function.label for g in result.groups],
                "from": [g.from_type for g in result.groups],
                "to": [g.to_type for g in result.groups],
                "areas": [g.areas for g in result.groups],
                "accountability_before": [g.score_before for g in result.groups],
                "accountability_after": [g.score_after for g in result.groups],
                "certainty": [g.certainty for g in result.groups],
                "note": [g.note for g in result.groups],
            }
        )
        notes = [*result.headline()]
        notes += [
            f"under review: {self.register.functions[f.function_id].label}: {f.text}"
            for f in result.flags
        ]
        notes += [
            f"target: {t.measure} {t.value:g} {t.unit} by {t.deadline} ({t.certainty})"
            for t in result.targets
        ]
        notes += list(chosen.notes)
        provenance = Provenance(
            data={"reform": chosen.source}, reform=chosen.name, notes=self.provenance().notes
        )
        return result, Result(frame, provenance, f"Impact of {chosen.title}", tuple(notes))

    def functions(self, query: str | None = None) -> Result:
        chosen = (
            [self.register.function(query)]
            if query
            else sorted(self.register.functions.values(), key=lambda f: (f.category, f.label))
        )
        frame = pd.DataFrame(
            {
                "id": [f.function_id for f in chosen],
                "label": [f.label for f in chosen],
                "category": [f.category for f in chosen],
                "blueprint": [f.blueprint for f in chosen],
                "statutory": [f.statutory for f in chosen],
                "synonyms": [", ".join(f.synonyms) for f in chosen],
            }
        )
        return Result(frame, self.provenance(), "Function catalogue")

    def accountability(self) -> Result:
        rows = []
        for profile in accountability.profiles().values():
            row = {
                "holder_type": profile.holder_type,
                "label": profile.label,
                "score": profile.score,
            }
            row |= {c: profile.answer(c).value for c in accountability.CRITERIA}
            row["uncertain"] = ", ".join(profile.uncertain)
            rows.append(row)
        frame = pd.DataFrame(rows).sort_values("score", ascending=False, ignore_index=True)
        notes = ("score = mean over the 8 criteria of yes=1, partial=0.5, no=0, x 100",)
        return Result(frame, self.provenance(), "Accountability of each type of body", notes)

    def organisations(
        self, query: str | None = None, org_type: str | None = None, on: DateLike = None
    ) -> Result:
        day = as_date(on)
        pool = (
            self.register.find_organisations(query)
            if query
            else self.register.organisations_on(day)
        )
        chosen = [o for o in pool if org_type in (None, o.org_type)]
        frame = pd.DataFrame(
            {
                "id": [o.org_id for o in chosen],
                "name": [o.name for o in chosen],
                "type": [o.org_type for o in chosen],
                "ods_code": [o.ods_code for o in chosen],
                "from": [o.valid_from for o in chosen],
                "until": [o.valid_to for o in chosen],
                "successors": [", ".join(o.successors) for o in chosen],
                "gaps": ["; ".join(o.gaps) for o in chosen],
            }
        )
        return Result(frame, self.provenance(), f"{len(chosen)} organisations")


HOLDING_COLUMNS = [
    "holder",
    "holder_type",
    "held_at",
    "basis",
    "since",
    "until",
    "joint",
    "accountability",
    "certainty",
    "source",
]


def _holding_row(holding: queries.Holding) -> dict:
    assignment = holding.assignment
    profile = holding.profile
    return {
        "holder": holding.holder.name,
        "holder_type": holding.holder.org_type,
        "held_at": holding.held_at.name,
        "basis": assignment.basis,
        "since": assignment.valid_from,
        "until": assignment.valid_to,
        "joint": assignment.joint,
        "accountability": profile.score if profile else None,
        "certainty": assignment.certainty,
        "source": assignment.source,
    }
