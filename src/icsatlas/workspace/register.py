"""The register's questions, asked of a Workspace: ``ws.register.who(...)``.

    >>> import icsatlas
    >>> ws = icsatlas.open()
    >>> ws.register.areas("icb", on="2026-04-01")                    # the 36 ICBs
    >>> ws.register.who("GP IT", area="Frimley", on="2025-01-01")     # who, on what basis
    >>> ws.register.overview("Leeds", on="2026-06-01", reform="blueprint-2025")

Every method returns a :class:`~icsatlas.results.Result`; every "where" goes through the
workspace's one resolver, so a council, place, practice or postcode works everywhere.
Results are built as light tables: asking the register never imports pandas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from icsatlas.errors import NotFoundError
from icsatlas.provenance import Provenance
from icsatlas.register import accountability, queries, stack
from icsatlas.register.model import Area, Assignment, BoardMember, Organisation
from icsatlas.results import Result, Table
from icsatlas.workspace import DateLike, as_date

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.register import reforms as reforms_module
    from icsatlas.register.impact import Impact
    from icsatlas.register.persist import Saved
    from icsatlas.register.register import Register
    from icsatlas.store.audit import Change
    from icsatlas.workspace import Workspace

HOLDING_COLUMNS = (
    "holder",
    "holder_type",
    "held_at",
    "basis",
    "since",
    "until",
    "joint",
    "accountability",
    "certainty",
    "status",
    "source",
    "named_bodies",
)
BODY_COLUMNS = (
    "function",
    "held_by",
    "areas",
    "holder",
    "holder_type",
    "basis",
    "certainty",
    "status",
    "source",
)


class RegisterQuestions:
    """Who holds what, where, from when, how accountably; reforms and their impact."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    @property
    def data(self) -> Register:
        return self.ws.data

    def resolve(self, query: str, on: DateLike = None) -> Resolution:
        return self.ws.resolve(query, on)

    # -- areas -------------------------------------------------------------------------------
    def areas(
        self, area_type: str | None = "icb", on: DateLike = None, within: str | None = None
    ) -> Result:
        """The areas of a kind in force on a date: NHS areas (country, region, icb, sub-icb,
        place, neighbourhood), councils, GP practices or PCNs; ``within`` an area."""
        from icsatlas.workspace.areas import listing

        return listing(self.ws, area_type or "icb", as_date(on), within)

    def where(self, text: str, on: DateLike = None) -> Result:
        """How ``text`` is read on a date: what it names and the NHS areas covering it."""
        found = self.resolve(text, on)
        rows = [
            {
                "area": cover.area.name,
                "place": cover.area.place_name,
                "type": cover.area.area_type,
                "ods_code": cover.area.ods_code,
                "ons_code": cover.area.area_id,
                "icb": _name(self.data.parent(cover.area.area_id, found.on))
                if cover.area.area_type == "sub-icb"
                else None,
                "share": cover.share,
            }
            for cover in found.covers
        ]
        columns = ("area", "place", "type", "ods_code", "ons_code", "icb", "share")
        title = f"{text!r} on {found.on}: {found.label}" + (
            " (approximate)" if found.approximate else ""
        )
        return Result(Table.from_records(rows, columns), self.ws.provenance(), title, found.notes)

    # -- who holds what ----------------------------------------------------------------------
    def who(
        self, function: str, area: str | None = None, on: DateLike = None, history: bool = False
    ) -> Result:
        """Who holds a function for an area on a date (or, with ``history``, over time);
        without an area, ``function`` may name a body: what it holds and, if a reform
        abolishes it, where each of its functions goes (:meth:`body`)."""
        if area is None:
            return self.body(function, on)
        day = as_date(on)
        found = self.resolve(area, day) if not history else self._resolve_any_date(area, day)
        chosen = self.data.function(function)
        rows, notes = [], list(found.notes)
        for cover in found.covers:
            holdings = (
                queries.holding_history(self.data, function, cover.area)
                if history
                else self._holdings(function, cover.area, day)
            )
            for h in holdings:
                named = self._named(h, day)
                rows.append(
                    {"for": cover.label, **_holding_row(h, self._known()), "named_bodies": named}
                )
                if named is None:
                    notes.append(
                        f"{h.holder.name}: no {h.holder.org_type} is named for this area in the "
                        "shipped data (none is invented)"
                    )
            notes += sorted({c for h in holdings for c in h.caveats()})
        if not rows:
            notes.insert(0, "nobody holds this function here: a gap")
        notes += [*self.ws.reform_notes(conflicts=False), *self._conflict_notes(chosen.function_id)]
        columns = HOLDING_COLUMNS if len(found.covers) == 1 else ("for", *HOLDING_COLUMNS)
        when = "over time" if history else f"on {day}"
        title = f"Who holds {chosen.label} in {_short(found)} {when}"
        return Result(
            Table.from_records(rows, columns), self.ws.provenance(), title, _unique(notes)
        )

    def body(self, text: str, on: DateLike = None) -> Result:
        """A body's functions on a date: what it holds (for NHS England, with its regional
        teams), and, if a reform abolishes it by then, who holds each function instead,
        on what basis and with what legal status."""
        day = as_date(on)
        org = self._body_named(text)
        held_until = day if org.in_force(day) else org.valid_to
        if held_until is None or (org.valid_from and held_until <= org.valid_from):
            raise NotFoundError(f"{org.name} holds no functions on or before {day}")
        last = held_until if org.in_force(day) else held_until - timedelta(days=1)
        groups: dict[tuple[str, str], list[tuple[Area, list[queries.Holding]]]] = {}
        held = [
            (assignment, _team_label(holder, org))
            for holder in self._with_teams(org, last)
            for assignment in self.data.holdings_of(holder.org_id, last)
        ]
        held += [(a, "delegated by it to ICBs") for a in self._delegated_by(org, last)]
        for assignment, held_by in held:
            label = self.data.functions[assignment.function_id].label
            area = self.data.areas[assignment.area_id]
            later = self.overview_holdings(assignment.function_id, area, day)
            groups.setdefault((label, held_by), []).append((area, later))
        known = self._known()
        rows = [_body_row(label, by, items, known) for (label, by), items in sorted(groups.items())]
        notes = [*self._fate_notes(org, day), *self.ws.reform_notes()]
        title = f"{org.name} on {day}: {self._fate(org, day)}"
        table = Table.from_records(rows, BODY_COLUMNS)
        return Result(table, self.ws.provenance(), title, _unique(notes))

    def _body_named(self, text: str) -> Organisation:
        found = [o for o in self.data.find_organisations(text) if not o.generic]
        exact = [o for o in found if o.name.lower() == text.strip().lower()]
        chosen = exact or found
        if len(chosen) != 1:
            what = "no body" if not chosen else "several bodies"
            raise NotFoundError(
                f"{what} named {text!r}: give a function with --area, or a body's exact name "
                "or code" + (f" ({', '.join(o.name for o in chosen[:5])})" if chosen else "")
            )
        return chosen[0]

    def _with_teams(self, org: Organisation, on: date) -> list[Organisation]:
        """The body, and for NHS England its regional teams (part of it in law)."""
        if org.org_type != "nhs-england":
            return [org]
        return [org, *self.data.organisations_on(on, "nhs-region")]

    def _delegated_by(self, org: Organisation, on: date) -> list[Assignment]:
        """For NHS England: the functions ICBs hold by its delegation on ``on``."""
        if org.org_type != "nhs-england":
            return []
        return [
            a
            for a in self.data.assignments.values()
            if a.basis == "delegation"
            and a.in_force(on)
            and self.data.organisations[a.holder_id].org_type == "icb"
        ]

    def _fate(self, org: Organisation, on: date) -> str:
        """'in force', or 'abolished 2027-04-01 under the Health Bill (...; not law)'."""
        if org.in_force(on):
            return "in force"
        reform = self._abolished_by(org)
        under = f" {reform.under}" if reform else ""
        return f"abolished {org.valid_to}{under}"

    def _abolished_by(self, org: Organisation) -> reforms_module.Reform | None:
        from icsatlas.register import stack

        for reform in stack.loaded(self.ws.reforms):
            for op in reform.operations:
                if op.kind == "abolish" and op.spec["org"] in (org.org_id, org.ods_code):
                    return reform
        return None

    def _fate_notes(self, org: Organisation, on: date) -> list[str]:
        """Its successors, and where the reform's sources send its functions."""
        notes = []
        if not org.in_force(on) and org.successors:
            names = ", ".join(self.data.organisations[s].name for s in org.successors)
            notes.append(f"successor: {names}")
        reform = self._abolished_by(org)
        for change in reform.bodies if reform else ():
            if change.body == org.name:
                notes += [f"{what}: to {to} ({source})" for what, to, source in change.functions]
        return notes

    def _known(self) -> dict[str, reforms_module.Reform]:
        """The workspace's what-if reforms by name (a record names the reform that made it)."""
        return {r.name: r for r in stack.loaded(self.ws.reforms)}

    def _conflict_notes(self, function_id: str | None = None) -> list[str]:
        """The conflicts between this workspace's reforms (about one function, if given)."""
        from icsatlas.register import stack

        functions = self.data.functions
        return [
            c.text(functions[c.function].label if c.function in functions else None)
            for c in stack.conflicts(stack.loaded(self.ws.reforms))
            if function_id in (None, c.function)
        ]

    def _holdings(self, function: str, area: Area, on: date) -> list[queries.Holding]:
        """Who holds ``function`` for ``area``; of the councils holding a pooled budget with
        the ICB (the Better Care Fund), only those whose population overlaps the area."""
        holdings = queries.who_holds(self.data, function, area, on)
        if area.area_type != "sub-icb":
            return holdings
        overlapping = {
            link.subject
            for link in self.ws.resolver.index.links(None, "overlaps", area.area_id, on)
        }
        return [
            h
            for h in holdings
            if h.holder.org_type != "local-authority" or h.holder.org_id in overlapping
        ]

    def _named(self, holding: queries.Holding, on: date) -> str | None:
        """The named bodies behind a holding, joined with '; ' (None if none is recorded)."""
        from icsatlas.register import holders

        day = on if holding.area.in_force(on) else (holding.assignment.valid_from or on)
        found = holders.named_bodies(self.data, holding.holder, holding.area, day)
        return "; ".join(found) if found else None

    def _resolve_any_date(self, query: str, on: date) -> Resolution:
        try:
            return self.resolve(query, on)
        except NotFoundError:
            found = self.data.find_areas(query)
            if not found:
                raise
            latest = max(found, key=lambda a: a.valid_from or date.min)
            return self.resolve(latest.area_id, latest.valid_from)

    def overview(self, area: str, on: DateLike = None, reform: str | None = None) -> Result:
        """Everything for one area: every function, who holds it on the date, and, with a
        reform, who would hold it after that reform and how accountability changes."""
        day = as_date(on)
        found = self.resolve(area, day)
        after = self.ws.with_reforms(reform).register if reform else None
        rows, notes = [], list(found.notes)
        functions = sorted(self.data.functions.values(), key=lambda f: (f.category, f.label))
        for cover in found.covers:
            for function in functions:
                now = self._holdings(function.function_id, cover.area, day)
                row = {"for": cover.label, "function": function.label, **_holders(now)}
                if after is not None:
                    later = after.overview_holdings(function.function_id, cover.area, day)
                    row |= {f"{k} (after)": v for k, v in _holders(later).items()}
                rows.append(row)
                notes += [f"{function.label}: {c}" for h in now for c in h.caveats()]
        columns = ["function", "holder", "basis", "since", "accountability", "certainty"]
        if after is not None:
            columns += ["holder (after)", "accountability (after)", "certainty (after)"]
        if len(found.covers) > 1:
            columns.insert(0, "for")
        if after is not None:
            notes += after.ws.reform_notes()
        notes += self.ws.reform_notes()
        what = f", and after {reform}" if reform else ""
        title = f"Every function in {_short(found)} on {day}{what}"
        table = Table.from_records(rows, columns)
        return Result(
            table,
            self.ws.with_reforms(*([reform] if reform else [])).provenance(),
            title,
            _unique(notes),
        )

    def overview_holdings(self, function_id: str, area: Area, on: date) -> list:
        """Holdings of a function for an area (an area that a reform may have replaced is
        followed to the area that covers it then)."""
        if area.area_id in self.data.areas and self.data.areas[area.area_id].in_force(on):
            return self._holdings(function_id, self.data.areas[area.area_id], on)
        found = self.ws.resolve(area.area_id, on)
        return [h for c in found.covers for h in self._holdings(function_id, c.area, on)]

    def gaps(self, on: DateLike = None, area: str | None = None) -> Result:
        day = as_date(on)
        resolved = self.resolve(area, day) if area else None
        covers = resolved.covers if resolved else (None,)
        found = list(
            dict.fromkeys(
                g for c in covers for g in queries.gaps(self.data, day, c.area if c else None)
            )
        )
        found += self._conflict_gaps(found, day, [c.area for c in covers if c])
        table = Table.from_records(
            (
                {
                    "area": g.area.name,
                    "function": g.function.label,
                    "status": g.status,
                    "detail": g.detail,
                }
                for g in found
            ),
            ("area", "function", "status", "detail"),
        )
        counts: dict[str, int] = {}
        for gap in found:
            counts[gap.status] = counts.get(gap.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no gaps"
        notes = [*(resolved.notes if resolved else ()), *self.ws.reform_notes()]
        return Result(table, self.ws.provenance(), f"Gaps on {day}: {summary}", _unique(notes))

    def _conflict_gaps(
        self, found: list[queries.Gap], on: date, within: list[Area]
    ) -> list[queries.Gap]:
        """A 'conflict' row per ICB area (in ``within``, if given) for each conflict between
        the workspace's reforms: the register shows one reform's move, the other disagrees."""
        from icsatlas.register import stack

        conflicts = stack.conflicts(stack.loaded(self.ws.reforms))
        if not conflicts:
            return []
        scopes: list[Area | None] = list(within) or [None]
        areas = list(
            dict.fromkeys(icb for area in scopes for icb in queries.icb_areas(self.data, on, area))
        )
        return [
            queries.Gap(icb, function, "conflict", conflict.text(function.label))
            for conflict in conflicts
            if (function := self.data.functions.get(conflict.function)) is not None
            for icb in areas
        ]

    def diff(self, start: DateLike, end: DateLike, area: str | None = None) -> Result:
        first, last = as_date(start, "--from"), as_date(end, "--to")
        within = self._resolve_any_date(area, last).covers[0].area if area else None
        found = queries.diff(self.data, first, last, within)
        found += self._conflict_changes(first, last)
        table = Table.from_records(
            (
                {
                    "change": c.kind,
                    "subject": c.subject,
                    "detail": c.detail,
                    "certainty": c.certainty,
                }
                for c in found
            ),
            ("change", "subject", "detail", "certainty"),
        )
        notes = (
            ["uncertain moves are flagged: see the certainty column"]
            if any(c.certainty == "uncertain" for c in found)
            else []
        )
        notes += self.ws.reform_notes()
        return Result(table, self.ws.provenance(), f"What changed from {first} to {last}", notes)

    def _conflict_changes(self, start: date, end: date) -> list[queries.Change]:
        """A 'conflict' row for each conflict between the workspace's reforms whose move
        falls between the two dates."""
        from icsatlas.register import stack

        labels = {k: f.label for k, f in self.data.functions.items()}
        return [
            queries.Change(
                "conflict",
                labels.get(c.function, c.function),
                c.text(labels.get(c.function)),
                "uncertain",
            )
            for c in stack.conflicts(stack.loaded(self.ws.reforms))
            if start < c.moved.effective <= end
        ]

    def impact(self, *names: str) -> tuple[Impact, Result]:
        """What a reform, or a stack of reforms applied in date order, does to the register."""
        from icsatlas.register import reforms, stack
        from icsatlas.register.impact import impact

        functions = set(self.data.functions)
        chosen = [reforms.load(n, functions) for n in stack.in_date_order(names)]
        result = impact(self.data, *chosen)
        provenance = Provenance(
            data={"reform": "; ".join(r.source for r in chosen)},
            reform=", ".join(r.name for r in chosen),
            parameters=self.ws.params.fingerprint,
            notes=(*self.ws.provenance().notes, *(f"reform {r.name}: {r.under}" for r in chosen)),
        )
        return result, result.to_result(provenance)

    def reforms(self) -> Result:
        """The reforms shipped with icsatlas, each with how many operations are uncertain."""
        from icsatlas.register import reforms

        listing = reforms.listing()
        return Result(listing.frame, self.ws.provenance(), listing.title, listing.notes)

    def reform(self, name_or_path: str) -> Result:
        """One reform as data: its legal status, each operation (what moves from which kind
        of body to which, from when, on what source) and what it does to bodies the register
        holds no functions for; what the 'What the Health Bill changes' page shows."""
        from icsatlas.register import reforms

        chosen = reforms.load(name_or_path, set(self.data.functions))
        rows = [self._operation_row(op) for op in chosen.operations]
        rows += [
            {
                "change": f"body {body.change}",
                "subject": body.body,
                "from": None,
                "to": to if to != "unknown" else "not stated in the sources (a gap)",
                "effective": body.effective,
                "certainty": None,
                "source": source,
                "function": what,
            }
            for body in chosen.bodies
            for what, to, source in body.functions or (("", body.into, body.source),)
        ]
        columns = (
            "change",
            "subject",
            "function",
            "from",
            "to",
            "effective",
            "certainty",
            "source",
        )
        status = chosen.status
        notes = [
            f"legal status: {status.text}, as of {status.as_of} ({status.source})",
            *chosen.notes,
        ]
        title = f"{chosen.title} ({chosen.name}), {chosen.under}"
        return Result(Table.from_records(rows, columns), self.ws.provenance(), title, notes)

    def _operation_row(self, op: reforms_module.Operation) -> dict[str, Any]:
        spec = op.spec
        function = self.data.functions.get(spec.get("function", ""))
        source = spec.get("from")
        return {
            "change": op.kind,
            "subject": spec.get("org") or spec.get("name") or spec.get("measure"),
            "function": function.label if function else None,
            "from": ", ".join(source) if isinstance(source, list) else source,
            "to": spec.get("to") or spec.get("holder") or ", ".join(spec.get("successors", [])),
            "effective": op.effective,
            "certainty": op.overall_certainty,
            "source": spec.get("source"),
        }

    def check_reform(self, name_or_path: str) -> int:
        """Check a reform file and that it applies cleanly (nothing saved); its operations."""
        from icsatlas.register import operations, reforms

        reform = reforms.load(name_or_path, set(self.data.functions))
        operations.apply(self.data, reform)
        return len(reform.operations)

    def check_stack(self, *names: str) -> list[str]:
        """Check reforms applied together in date order (nothing saved): a line per reform
        (its operations and legal status), then each overlap and conflict between them."""
        from icsatlas.register import operations, reforms, stack

        register, lines, chosen = self.data, [], []
        for name in stack.in_date_order(names):
            reform = reforms.load(name, set(register.functions))
            register = operations.apply(register, reform)
            chosen.append(reform)
            lines.append(
                f"{name}: {len(reform.operations)} operations, applies cleanly"
                + ("" if len(names) == 1 else " (in date order)")
                + f"; {reform.status.stage}: {reform.under}"
            )
        applied = {r.name for r in chosen}
        lines += sorted(
            {
                f"{register.functions[f.function_id].label}: {f.text}"
                for f in register.flags
                if f.reform in applied and queries.flag_status(f) == "overlap"
            }
        )
        labels = {k: f.label for k, f in register.functions.items()}
        lines += [c.text(labels.get(c.function)) for c in stack.conflicts(chosen)]
        return lines

    # -- catalogues ------------------------------------------------------------------------
    def functions(self, query: str | None = None) -> Result:
        chosen = (
            [self.data.function(query)]
            if query
            else sorted(self.data.functions.values(), key=lambda f: (f.category, f.label))
        )
        table = Table.from_records(
            (
                {
                    "id": f.function_id,
                    "label": f.label,
                    "category": f.category,
                    "blueprint": f.blueprint,
                    "statutory": f.statutory,
                    "synonyms": ", ".join(f.synonyms),
                }
                for f in chosen
            ),
            ("id", "label", "category", "blueprint", "statutory", "synonyms"),
        )
        return Result(table, self.ws.provenance(), "Function catalogue")

    def accountability(self) -> Result:
        rows = []
        for profile in accountability.profiles().values():
            row: dict[str, Any] = {
                "holder_type": profile.holder_type,
                "label": profile.label,
                "score": profile.score,
            }
            row |= {c: profile.answer(c).value for c in accountability.CRITERIA}
            row["uncertain"] = ", ".join(profile.uncertain)
            rows.append(row)
        rows.sort(key=lambda r: -r["score"])
        columns = ("holder_type", "label", "score", *accountability.CRITERIA, "uncertain")
        notes = ("score = mean over the 8 criteria of yes=1, partial=0.5, no=0, x 100",)
        title = "Accountability of each type of body"
        return Result(Table.from_records(rows, columns), self.ws.provenance(), title, notes)

    def organisations(
        self, query: str | None = None, org_type: str | None = None, on: DateLike = None
    ) -> Result:
        day = as_date(on)
        pool = self.data.find_organisations(query) if query else self.data.organisations_on(day)
        chosen = [o for o in pool if org_type in (None, o.org_type)]
        table = Table.from_records(
            (
                {
                    "id": o.org_id,
                    "name": o.name,
                    "type": o.org_type,
                    "ods_code": o.ods_code,
                    "from": o.valid_from,
                    "until": o.valid_to,
                    "successors": ", ".join(o.successors),
                    "gaps": "; ".join(o.gaps),
                }
                for o in chosen
            ),
            ("id", "name", "type", "ods_code", "from", "until", "successors", "gaps"),
        )
        return Result(table, self.ws.provenance(), f"{len(chosen)} organisations")

    # -- named bodies ----------------------------------------------------------------------
    def bodies(self, area: str, kind: str | None = None, on: DateLike = None) -> Result:
        """The named NHS trusts, councils and health and wellbeing boards of an area (an ICB,
        or the place a sub-ICB location covers), each with where the record comes from."""
        from icsatlas.register import holders

        day = as_date(on)
        found = self.resolve(area, day)
        kinds = [kind] if kind else list(holders.BODIES)
        if any(k not in holders.BODIES for k in kinds):
            raise NotFoundError(f"no kind of body {kind!r}; use {', '.join(holders.BODIES)}")
        names = holders.formal_names()
        rows = [
            {
                "for": cover.label,
                "kind": k,
                "name": names.get(body.org_id, body.name),
                "code": body.ons_code or body.ods_code or body.org_id,
                "from": body.valid_from,
                "until": body.valid_to,
                "gaps": "; ".join(body.gaps),
                "source": holders.basis(self.data, body, cover.area, day),
            }
            for cover in found.covers
            for k in kinds
            for body in holders.BODIES[k](self.data, cover.area, day)
        ]
        columns: tuple[str, ...] = ("kind", "name", "code", "from", "until", "gaps", "source")
        notes = [
            *found.notes,
            "trusts: April 2026 RTT provider parent ICB, else the Nov 2023 ODS ICB where it went "
            "whole into one 2026 ICB; in a place, those headquartered there",
            f"councils: at least {holders.MIN_SHARE:.0%} of the council's registered population "
            "in the area (2025/26, Aug 2026 practice map)",
        ]
        if len(found.covers) > 1:
            columns = ("for", *columns)
        title = f"Named bodies in {_short(found)} on {day}"
        return Result(Table.from_records(rows, columns), self.ws.provenance(), title, notes)

    def trust_sources(self) -> Result:
        """NHS trusts in only one of the ODS trust file (Nov 2023) and the April 2026 RTT
        provider file, and where each was placed (or why it was not)."""
        from icsatlas.register import holders

        places = [t for t in holders.trust_places() if t.in_ods != t.in_rtt]
        rows = (
            {
                "code": t.code,
                "name": self.data.organisations[t.code].name
                if t.code in self.data.organisations
                else t.name,
                "in": "ODS Nov 2023 only" if t.in_ods else "RTT April 2026 only",
                "icb_2026": t.icb_ods,
                "opened": t.opened,
                "closed": t.closed,
                "placed_by": t.placed_by,
            }
            for t in places
        )
        columns = ("code", "name", "in", "icb_2026", "opened", "closed", "placed_by")
        ods = sum(t.in_ods for t in places)
        notes = (
            f"{ods} trusts in the ODS file only (most run no consultant-led elective care: "
            "ambulance, mental health and community trusts; or closed)",
            f"{len(places) - ods} in the RTT file only (not in the Nov 2023 ODS extract)",
        )
        title = "NHS trusts in one source and not the other"
        return Result(Table.from_records(rows, columns), self.ws.provenance(), title, notes)

    # -- boards ----------------------------------------------------------------------------
    def boards(self, on: DateLike = None) -> Result:
        from icsatlas.register import governance

        day = as_date(on)
        checks = governance.checks(self.data, day)
        table = Table.from_records(
            (
                {
                    "board": c.board_name,
                    "members": c.members,
                    "councillors": c.councillors,
                    "status_unknown": c.unknown,
                    "councillor_share": c.councillor_share,
                    "statutory_minimum": c.status,
                    "missing": "; ".join(c.missing_statutory + c.missing_policy),
                }
                for c in checks
            ),
            (
                "board",
                "members",
                "councillors",
                "status_unknown",
                "councillor_share",
                "statutory_minimum",
                "missing",
            ),
        )
        notes = governance.summary(checks)
        return Result(table, self.ws.provenance(), f"Boards on {day}", notes)

    def board(self, icb: str, on: DateLike = None) -> Result:
        from icsatlas.register import governance

        day = as_date(on)
        body = self._board_body(icb, day)
        members = governance.members_on(self.data, day, body.org_id)
        table = Table.from_records(
            (
                {
                    "person": m.person,
                    "role": governance.ROLES[m.role],
                    "nominated_by": m.nominated_by,
                    "councillor": m.is_councillor,
                    "from": m.valid_from,
                    "until": m.valid_to,
                    "source": m.source,
                }
                for m in members
            ),
            ("person", "role", "nominated_by", "councillor", "from", "until", "source"),
        )
        notes = governance.check(self.data, body.org_id, day).notes()
        title = f"{body.name} board on {day}"
        return Result(table, self.ws.provenance(), title, notes)

    def board_composition(self, area: str | None = None, on: DateLike = None) -> Result:
        """Board composition by role (one ICB) or by board (every ICB in force on the date):
        voting members by sector, the local-authority share, councillors named, and whether
        the source states the private-healthcare exclusion; "none recorded" where no source
        was found. Figures come only from the shipped compilation of public pages."""
        from icsatlas.register import composition

        day = as_date(on)
        if area is not None:
            return self._board_roles(self._icb_for(area, day), day)
        boards = [(o.ods_code or o.org_id, o.name) for o in self.data.organisations_on(day, "icb")]
        found = composition.compositions(boards)
        rows = (_composition_row(c) for c in found)
        recorded = sum(c.recorded for c in found)
        notes = (
            f"{recorded} of the {len(found)} ICBs in force on {day} have board composition "
            f"recorded; {len(found) - recorded} none recorded (no source found)",
            *composition.comparison(found),
        )
        table = Table.from_records(rows, COMPOSITION_COLUMNS)
        title = f"ICB board composition on {day}"
        return Result(table, self._composition_provenance(), title, notes)

    def _board_roles(self, icb: Organisation, on: date) -> Result:
        from icsatlas.register import composition

        found = composition.composition(icb.ods_code or icb.org_id, icb.name)
        table = Table.from_records(
            (
                {
                    "role": r.role,
                    "sector": r.sector,
                    "count": r.count,
                    "count_basis": r.count_basis,
                    "voting": r.voting,
                    "voting_basis": r.voting_basis,
                    "names": "; ".join(r.names) or None,
                    "councillor": "; ".join(r.councillors) or None,
                    "scope": r.scope,
                    "source": r.source_url,
                    "source_date": r.source_date or None,
                    "date_read": r.date_read,
                }
                for r in found.roles
            ),
            ROLE_COLUMNS,
        )
        return Result(
            table,
            self._composition_provenance(),
            f"{icb.name} board composition (sources read {_read_dates(found)})",
            _composition_notes(found),
        )

    def _composition_provenance(self) -> Provenance:
        from icsatlas import data

        provenance = self.ws.provenance()
        source = data.source("icb_board_composition")
        return provenance.merged(Provenance(data={source.key: f"{source.title} ({source.date})"}))

    def _icb_for(self, text: str, on: date) -> Organisation:
        """The ICB named by ``text``, or the ICB whose area covers it on ``on``."""
        from icsatlas.register import holders

        try:
            body = self._board_body(text, on)
        except NotFoundError:
            body = None
        if body is not None and body.org_type == "icb":
            return body
        for cover in self.resolve(text, on).covers:
            icb = holders.icb_of(self.data, cover.area, on)
            if icb is not None and icb.org_id:
                return self.data.organisations[icb.org_id]
        raise NotFoundError(f"no ICB covers {text!r} on {on}")

    def _board_body(self, text: str, on: date) -> Organisation:
        try:
            return self.data.organisation(text)
        except NotFoundError:
            area = self.resolve(text, on).area
            if area is None or not area.org_id:
                raise
            return self.data.organisations[area.org_id]

    # -- writes (each one change in the audit log) -------------------------------------------
    def apply_reform(
        self, name_or_path: str, reason: str, actor: str | None = None, source: str | None = None
    ) -> Saved:
        """Apply a reform and save it: the register changes for everyone using the workspace;
        ``source`` names where the reform came from (default: its file)."""
        from icsatlas.register import operations, persist, reforms

        store = self.ws.writable_store()
        reform = reforms.load(name_or_path, set(self.data.functions))
        after = operations.apply(self.data, reform)
        saved = persist.save(
            store,
            self.data,
            after,
            kind="reform",
            reason=f"{reason} (apply reform {reform.name}: {reform.title})",
            source=source or reform.source,
            actor=actor,
            detail={"reform": reform.name},
        )
        self.ws.recorded()
        return saved

    def import_board(
        self,
        path: str,
        reason: str,
        actor: str | None = None,
        source: str | None = None,
        allow: Callable[[list[BoardMember]], None] | None = None,
    ) -> Saved:
        """Import board members from CSV (checked whole first; all or nothing). ``allow``
        may refuse the checked members before anything is written (the web's scope check);
        ``source`` names where the file came from (default: its path)."""
        from icsatlas.register import composition, governance, persist
        from icsatlas.register.model import Changeset

        store = self.ws.writable_store()
        skipped: list[str] = []
        if composition.is_composition(path):
            members, skipped = composition.members(composition.read_roles(path), self.data)
        else:
            members = governance.read_members(path, self.data)
        if allow is not None:
            allow(members)
        after = self.data.with_changes(Changeset(added=list(members)))
        saved = persist.save(
            store,
            self.data,
            after,
            kind="import",
            reason=reason,
            source=source or str(path),
            actor=actor,
            detail={"board_members": len(members), "skipped": skipped},
        )
        self.ws.recorded()
        return saved

    def changes(
        self, since: DateLike, area: str | None = None, function: str | None = None
    ) -> Result:
        """What changed in the register on or after ``since``, newest first: each audited
        change with the records it added and retracted; with ``area`` or ``function``, only
        the changes that touched it."""
        from icsatlas.workspace.changes import listing

        return listing(self.ws, as_date(since, "--since"), area, function)

    def log(self, limit: int = 20) -> Result:
        """The audit log: every change, who made it, when, why, on what source."""
        from icsatlas.store.audit import changes

        entries: Sequence[Change] = changes(self.ws.store)[-limit:]
        table = Table.from_records(
            (
                {
                    "change": c.change_id,
                    "recorded_at": c.recorded_at,
                    "actor": c.actor,
                    "kind": c.kind,
                    "reason": c.reason,
                    "source": c.source,
                }
                for c in entries
            ),
            ("change", "recorded_at", "actor", "kind", "reason", "source"),
        )
        title = "Audit log (use --as-of-change N to see the register then)"
        return Result(table, self.ws.provenance(), title)

    def verify_log(self, expect: str | None = None) -> Result:
        """The audit log's hash chain checked: one row per break (none when intact); the
        notes give the head to keep, so a later check can tell entries were removed."""
        from icsatlas.store.audit import verify

        found = verify(self.ws.store, expect)
        table = Table.from_records(({"problem": p} for p in found.problems), ("problem",))
        if found.intact:
            title = f"Audit log intact: {found.entries} changes, each following the one before"
        else:
            title = f"Audit log broken: {len(found.problems)} problems in {found.entries} changes"
        notes = []
        if found.head:
            change_id, digest = found.head
            notes.append(f"head: change {change_id}, {digest} (keep it: `log verify --expect`)")
        return Result(table, self.ws.provenance(), title, notes=tuple(notes))


COMPOSITION_COLUMNS = (
    "board",
    "ods_code",
    "status",
    "voting_members",
    "local_authority_members",
    "local_authority_share",
    "councillors_named",
    "private_sector_exclusion",
    "sources",
)
ROLE_COLUMNS = (
    "role",
    "sector",
    "count",
    "count_basis",
    "voting",
    "voting_basis",
    "names",
    "councillor",
    "scope",
    "source",
    "source_date",
    "date_read",
)


def _composition_row(found: Any) -> dict[str, Any]:
    """One board in the composition overview; figures only where the sources allow."""
    status = "complete" if found.complete else "partial" if found.recorded else "none recorded"
    return {
        "board": found.icb_name,
        "ods_code": found.icb_ods,
        "status": status,
        "voting_members": found.voting_members,
        "local_authority_members": found.voting_by_sector().get("local authorities"),
        "local_authority_share": found.local_authority_share,
        "councillors_named": found.councillors_named if found.recorded else None,
        "private_sector_exclusion": found.private_sector_exclusion if found.recorded else None,
        "sources": len(found.sources()),
    }


def _composition_notes(found: Any) -> tuple[str, ...]:
    """What a board's composition says, in words; "none recorded" without sources."""
    if not found.recorded:
        return (
            f"none recorded: no public source for {found.icb_name}'s board composition was "
            "found (docs/reference/board-sources.md)",
        )
    by_sector = "; ".join(
        f"{sector} {'count not stated' if count is None else count}"
        for sector, count in found.voting_by_sector().items()
    )
    share = found.local_authority_share
    return (
        f"voting members by sector, as the sources state them: {by_sector or 'none recorded'}",
        f"local-authority share of voting members: {share:.1%}"
        if share is not None
        else "local-authority share: not computed (the sources do not give every voting seat)",
        f"councillors named by the sources: {found.councillors_named}",
        "private-healthcare exclusion (NHS Act 2006 Sch 1B para 4): "
        f"{found.private_sector_exclusion} in the sources",
    )


def _read_dates(found: Any) -> str:
    return ", ".join(sorted({r.date_read for r in found.roles})) or "none"


def _holding_row(
    holding: queries.Holding, known: dict[str, reforms_module.Reform]
) -> dict[str, Any]:
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
        "status": stack.status_text(assignment.reform, known),
        "source": assignment.source,
    }


def _team_label(holder: Organisation, body: Organisation) -> str:
    return body.name if holder.org_id == body.org_id else "its regional teams"


def _body_row(
    label: str,
    held_by: str,
    items: list[tuple[Area, list[queries.Holding]]],
    known: dict[str, reforms_module.Reform],
) -> dict:
    """One function a body held: in how many areas, and who holds it on the date asked."""
    after = [h for _, found in items for h in found]

    def joined(values: list[Any], many: str | None = None) -> Any:
        unique = list(dict.fromkeys(v for v in values if v is not None))
        if many and len(unique) > 3:
            return many
        return "; ".join(map(str, unique)) or None

    types = list(dict.fromkeys(h.holder.org_type for h in after))
    return {
        "function": label,
        "held_by": held_by,
        "areas": len({area.area_id for area, _ in items}),
        "holder": joined(
            [h.holder.name for h in after],
            f"{len({h.holder.org_id for h in after})} bodies: {', '.join(types)}",
        )
        or "nobody (a gap)",
        "holder_type": joined(types),
        "basis": joined([h.assignment.basis for h in after]),
        "certainty": joined([h.assignment.certainty for h in after]),
        "status": joined([stack.status_text(h.assignment.reform, known) for h in after]),
        "source": joined([h.assignment.source for h in after]),
    }


def _holders(holdings: list[queries.Holding]) -> dict[str, Any]:
    """One overview cell per field, several holders joined with '; '."""
    if not holdings:
        return {
            "holder": "nobody (a gap)",
            "basis": None,
            "since": None,
            "accountability": None,
            "certainty": None,
        }

    def joined(values: list[Any]) -> Any:
        unique = list(dict.fromkeys(values))
        return unique[0] if len(unique) == 1 else "; ".join(map(str, unique))

    return {
        "holder": joined([h.holder.name for h in holdings]),
        "basis": joined([h.assignment.basis for h in holdings]),
        "since": joined([h.assignment.valid_from for h in holdings]),
        "accountability": joined([h.profile.score if h.profile else None for h in holdings]),
        "certainty": joined([h.assignment.certainty for h in holdings]),
    }


def _name(record: Area | Organisation | None) -> str | None:
    return record.name if record is not None else None


def _short(found: Resolution) -> str:
    area = found.area
    if found.kind in ("icb", "region", "country", "sub-icb") and area is not None:
        return area.place_name or area.name
    return found.name


def _unique(notes: list[str]) -> list[str]:
    return list(dict.fromkeys(notes))
