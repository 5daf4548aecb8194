"""Applying a reform's operations to a register: ``apply(register, reform) -> register``.

Each operation sees the register as the previous operations left it, and is checked
against the register's invariants before the next one runs. History is never lost:
an abolished ICB's record gets an end date and successors; an assignment that moves
is closed on the day and a new one opens for the new holder.

Carrying functions across a merger or boundary change: every assignment in force the
day before in a predecessor area is closed, and reopened in the new area for the
corresponding holder - a predecessor ICB's holdings go to the new ICB, its ICP's to the
new ICP, "generic" holders (e.g. neighbourhood providers in an area) to those of the new
area; any other holder (say an NHS region) keeps its holding. Two different holders for
one function in the new area is an error unless both are declared joint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, cast

from icsatlas.errors import IcsatlasError, InputError, NotFoundError
from icsatlas.names import short_name
from icsatlas.register.catalogue import statutory_source
from icsatlas.register.model import (
    ORG_TYPES,
    Area,
    AreaLink,
    Assignment,
    Changeset,
    Flag,
    Organisation,
    Record,
    Relationship,
    Target,
    worst_certainty,
)
from icsatlas.register.reforms import Operation, Reform, destination_label
from icsatlas.register.register import R, Register

PLURAL = {
    "neighbourhood-provider": "Neighbourhood health providers",
    "nhs-trust": "NHS trusts and foundation trusts",
    "foundation-trust": "NHS foundation trusts",
    "provider-collaborative": "Provider collaboratives",
    "independent-sector-provider": "Independent-sector providers",
    "gp-practice": "GP practices",
    "pcn": "Primary care networks",
    "local-authority": "Local authorities",
    "trust-subsidiary": "Trust-owned subsidiary companies",
}
SINGLETONS = ("nhs-england", "dhsc")
Dated = Organisation | Area | AreaLink | Assignment | Relationship
# Every ICB's area has an integrated care partnership: "An integrated care board and each
# responsible local authority ... must establish a joint committee for the board's area (an
# 'integrated care partnership')" (Local Government and Public Involvement in Health Act 2007
# s116ZA, inserted by the Health and Care Act 2022).
ICP_STATUTE = "https://legislation.gov.uk/ukpga/2007/28/section/116ZA/2022-07-01"


def apply(register: Register, reform: Reform) -> Register:
    """The register after every operation of ``reform``, in order."""
    for operation in reform.operations:
        context = Context(register, reform, operation)
        try:
            HANDLERS[operation.kind](context)
            context.commit()
            register = context.register
        except IcsatlasError as error:
            if getattr(error, "file", None):
                raise
            raise reform.error(operation, None, str(error)) from None
    for day in sorted({op.effective for op in reform.operations if op.effective}):
        _check_geography(register, day, reform)
    return replace(register, reforms=(*register.reforms, reform.name))


@dataclass
class Context:
    """One operation being applied: the register before it, and the changes so far."""

    register: Register
    reform: Reform
    operation: Operation
    pending: dict[tuple[str, str], Record] = field(default_factory=dict)
    originals: dict[tuple[str, str], Record] = field(default_factory=dict)
    added: dict[tuple[str, str], Record] = field(default_factory=dict)
    removed: set[tuple[str, str]] = field(default_factory=set)

    @property
    def spec(self) -> dict:
        return self.operation.spec

    @property
    def on(self) -> date:
        return self.operation.effective

    @property
    def day_before(self) -> date:
        return self.on - timedelta(days=1)

    # -- recording changes ----------------------------------------------------------
    def current(self, record: R) -> R:
        """The record as this operation has left it so far (same kind, same key)."""
        return cast(R, self.pending.get((record.kind, record.key), record))

    def add(self, record: R) -> R:
        slot = (record.kind, record.key)
        existing = self.added.get(slot) or self.register.records[record.kind].get(record.key)
        if existing is not None:
            return self.current(cast(R, existing))
        self.added[slot] = record
        self.pending[slot] = record
        return record

    def update(self, record: R, **changes: Any) -> R:
        slot = (record.kind, record.key)
        current = self.current(record)
        updated = replace(current, **changes)
        if slot not in self.added:
            self.originals.setdefault(slot, self.register.records[record.kind][record.key])
        else:
            self.added[slot] = updated
        self.pending[slot] = updated
        return updated

    def commit(self) -> None:
        """Apply the changes so far, so later steps of the operation can look them up."""
        self.register = self.register.with_changes(self.changeset())
        self.pending.clear()
        self.originals.clear()
        self.added.clear()
        self.removed.clear()

    def changeset(self) -> Changeset:
        changes = Changeset(added=list(self.added.values()))
        for slot, original in self.originals.items():
            if slot in self.removed:
                changes.retracted.append(original)
            else:
                changes.replace(original, self.pending[slot])
        return changes

    def fail(self, key: str | None, message: str) -> IcsatlasError:
        return self.reform.error(self.operation, key, message)

    # -- looking things up ----------------------------------------------------------
    def org(self, code: str, key: str, on: date | None = None) -> Organisation:
        try:
            found = self.current(self.register.organisation(str(code)))
        except NotFoundError:
            raise self.fail(key, f"unknown organisation {code!r}") from None
        when = on or self.day_before
        if not found.in_force(when) and found.valid_to != self.on:
            raise self.fail(key, f"{found.name} is not in force on {when}")
        return found

    def area_by_code(
        self, code: str, key: str, area_type: str | None = None, on: date | None = None
    ) -> Area:
        """The one area ``code`` names on ``on`` (default: the day before the operation,
        when what it changes still stands)."""
        when = on or self.day_before
        candidates = [
            self.current(a)
            for a in self.register.find_areas(str(code))
            if a.in_force(when) and (area_type is None or a.area_type == area_type)
        ]
        if len(candidates) != 1:
            what = "no" if not candidates else "more than one"
            raise self.fail(key, f"{what} area in force on {when} matches {code!r}")
        return candidates[0]

    def organisation(self, org_id: str) -> Organisation:
        """An organisation as this operation has left it so far."""
        pending = self.pending.get(("organisation", org_id))
        return cast(Organisation, pending) if pending else self.register.organisations[org_id]

    def governed_area(self, org: Organisation, on: date) -> Area | None:
        area = self.register.governed_area(org.org_id, on)
        return self.current(area) if area else None

    def icb_area(self, area: Area, on: date) -> Area | None:
        if area.area_type == "icb":
            return area
        return next(
            (a for a in self.register.ancestors(area.area_id, on) if a.area_type == "icb"), None
        )

    def icp_serving(self, area: Area, on: date) -> Organisation | None:
        for rel in self.register.relations(object_id=area.area_id, relation="serves", on=on):
            org = self.register.organisations[rel.subject_id]
            if org.org_type == "icp":
                return org
        return None

    def resolve_holder(self, holder: str, area: Area, on: date, key: str) -> Organisation:
        """The body of type ``holder`` for ``area`` (or the organisation ``holder`` names)."""
        if holder not in ORG_TYPES:
            return self.org(holder, key, on)
        icb_area = self.icb_area(area, on)
        if holder == "icb" and icb_area and icb_area.org_id:
            return self.org(icb_area.org_id, key, on)
        if holder == "nhs-region":
            region = next(
                (
                    a
                    for a in [area, *self.register.ancestors(area.area_id, on)]
                    if a.area_type == "region"
                ),
                None,
            )
            if region and region.org_id:
                return self.org(region.org_id, key, on)
        if holder == "dhsc-region":
            serving = self._serving(holder, [area, *self.register.ancestors(area.area_id, on)], on)
            if serving is not None:
                return serving
        if holder in SINGLETONS:
            found = self.register.organisations_on(on, holder)
            if len(found) == 1:
                return found[0]
        if holder == "icp" and icb_area:
            icp = self.icp_serving(icb_area, on)
            if icp:
                return icp
        if holder in PLURAL:
            return self.generic(holder, area, on)
        raise self.fail(key, f"no {ORG_TYPES[holder]} for {area.name} on {on}")

    def _serving(self, org_type: str, areas: list[Area], on: date) -> Organisation | None:
        """The body of ``org_type`` that serves the nearest of ``areas`` (e.g. the DHSC
        region serving a region's area)."""
        for area in areas:
            for rel in self.register.relations(object_id=area.area_id, relation="serves", on=on):
                org = self.current(self.register.organisations[rel.subject_id])
                if org.org_type == org_type:
                    return org
        return None

    def generic(self, org_type: str, area: Area, on: date) -> Organisation:
        """The unnamed holders of a type in an area (e.g. 'Neighbourhood health providers
        in Frimley'), created the first time a function moves to them."""
        org_id = f"generic:{org_type}:{area.area_id}"
        existing = self.register.organisations.get(org_id)
        if existing is not None:
            return self.current(existing)
        org = Organisation(
            org_id=org_id,
            org_type=org_type,
            name=f"{PLURAL[org_type]} in {short_name(area.name)}",
            valid_from=on,
            generic=True,
            gaps=("stands for the bodies of this type in the area; which ones is not recorded",),
            source=self.spec.get("source", ""),
        )
        return self.add(org)

    # -- common moves ---------------------------------------------------------------
    def close(self, record: Dated, on: date) -> None:
        """End a record on ``on``; one that would start that same day never held, and goes."""
        current = self.current(record)
        if current.valid_from == on:
            self.remove(record)
            return
        end = current.valid_to
        if end is None or end > on:
            self.update(record, valid_to=on)

    def remove(self, record: Record) -> None:
        slot = (record.kind, record.key)
        if slot in self.added:
            del self.added[slot]
        else:
            self.originals.setdefault(slot, self.register.records[record.kind][record.key])
            self.removed.add(slot)
        self.pending.pop(slot, None)

    def open_assignment(
        self,
        function_id: str,
        area: Area,
        holder: Organisation,
        basis: str,
        *,
        joint: bool = False,
        certainty: str | None = None,
        note: str = "",
        until: date | None = None,
        source: str | None = None,
    ) -> Assignment:
        assignment = Assignment(
            assignment_id=f"{function_id}@{area.area_id}@{self.on}@{holder.org_id}",
            function_id=function_id,
            area_id=area.area_id,
            holder_id=holder.org_id,
            basis=basis,
            valid_from=self.on,
            valid_to=until,
            joint=joint,
            certainty=certainty or self.operation.certainty,
            source=source or self.spec.get("source", ""),
            note=note or self.spec.get("note", ""),
            reform=self.reform.name,
        )
        return self.add(assignment)


# ---------------------------------------------------------------------------------------
# Geography: new ICBs, their sub-ICB locations, and carrying functions across


def establish(ctx: Context) -> None:
    kind = ctx.spec["type"]
    if kind == "icb":
        org, area = _new_icb(ctx, ctx.spec)
        if ctx.spec.get("predecessor_ccgs"):
            _abolished_ccgs(ctx, org, area)
        if ctx.spec.get("functions", "defaults") == "defaults":
            _default_functions(ctx, org, area)
    elif kind in ("place", "neighbourhood", "sub-icb"):
        _new_area(ctx)
    else:
        _new_organisation(ctx, kind)


def _new_icb(ctx: Context, spec: dict, key: str = "") -> tuple[Organisation, Area]:
    prefix = f"{key}." if key else ""
    region_org = ctx.org(spec["region"], f"{prefix}region", ctx.on)
    region_area = ctx.governed_area(region_org, ctx.on)
    if region_area is None:
        raise ctx.fail(f"{prefix}region", f"{region_org.name} governs no area on {ctx.on}")
    org = ctx.add(
        Organisation(
            org_id=spec["ods"],
            org_type="icb",
            name=spec["name"],
            ods_code=spec["ods"],
            ons_code=spec.get("ons"),
            valid_from=ctx.on,
            source=ctx.spec["source"],
        )
    )
    area = ctx.add(
        Area(
            area_id=spec["ons"],
            area_type="icb",
            name=spec["name"],
            ods_code=spec["ods"],
            org_id=org.org_id,
            valid_from=ctx.on,
            source=ctx.spec["source"],
        )
    )
    ctx.add(AreaLink(area.area_id, region_area.area_id, ctx.on, source=ctx.spec["source"]))
    _place_sub_icbs(ctx, area, ctx.spec.get("sub_icbs") or [])
    if ctx.spec.get("icp", True):
        _new_icp(ctx, org, area)
    ctx.commit()
    return org, area


def _new_icp(ctx: Context, icb: Organisation, area: Area) -> Organisation:
    merged = ctx.operation.kind != "establish"
    icp = ctx.add(
        Organisation(
            org_id=f"icp:{icb.org_id}",
            org_type="icp",
            name=f"Integrated care partnership for {short_name(icb.name)}",
            valid_from=ctx.on,
            gaps=(
                "the partnership's own name is not in the shipped data",
                *(
                    ["a merged ICB needs an ICP with its councils; its date is not sourced"]
                    if merged
                    else []
                ),
            ),
            source=ICP_STATUTE,
        )
    )
    ctx.add(Relationship(icp.org_id, "serves", area.area_id, ctx.on, source=ICP_STATUTE))
    return icp


def _place_sub_icbs(ctx: Context, icb_area: Area, items: list) -> None:
    """Move existing sub-ICB locations to ``icb_area`` (renaming them if a name is given)
    or create new ones that replace locations whose boundaries changed."""
    for i, item in enumerate(items):
        key = f"sub_icbs[{i}]"
        if isinstance(item, str):
            item = {"ods": item}
        if not isinstance(item, dict) or "ods" not in item:
            raise ctx.fail(key, "a sub-ICB is an ODS code or a mapping with ods (ons, name)")
        if "ons" in item:
            sub = _new_sub_icb(ctx, item, key)
        else:
            sub = ctx.area_by_code(item["ods"], key, "sub-icb")
            _close_parent_links(ctx, sub)
            if item.get("name") and item["name"] != sub.name:
                former = (*sub.former_names, sub.name)
                sub = ctx.update(sub, name=item["name"], former_names=former)
        ctx.add(AreaLink(sub.area_id, icb_area.area_id, ctx.on, source=ctx.spec["source"]))


def _new_sub_icb(ctx: Context, item: dict, key: str) -> Area:
    if "name" not in item:
        raise ctx.fail(key, "a new sub-ICB location needs a name")
    for old_code in item.get("replaces", []):
        old = ctx.area_by_code(old_code, f"{key}.replaces", "sub-icb")
        ctx.close(old, ctx.on)
        _close_parent_links(ctx, old)
    return ctx.add(
        Area(
            area_id=item["ons"],
            area_type="sub-icb",
            name=item["name"],
            ods_code=item["ods"],
            valid_from=ctx.on,
            source=ctx.spec["source"],
        )
    )


def _close_parent_links(ctx: Context, area: Area) -> None:
    for link in ctx.register.parent_links(area.area_id, ctx.day_before):
        ctx.close(link, ctx.on)


def _abolished_ccgs(ctx: Context, icb: Organisation, area: Area) -> None:
    for item in ctx.spec.get("sub_icbs") or []:
        code = item["ods"] if isinstance(item, dict) else item
        ctx.add(
            Organisation(
                org_id=f"ccg:{code}",
                org_type="ccg",
                name=f"Clinical commissioning group {code}",
                ods_code=code,
                valid_to=ctx.on,
                successors=(icb.org_id,),
                gaps=("the CCG's name and establishment date are not in the shipped data",),
                source=ctx.spec["source"],
            )
        )


def _default_functions(ctx: Context, icb: Organisation, area: Area) -> None:
    for function in ctx.register.functions.values():
        if function.default_holder in ("icb", "icp", "nhs-region", "nhs-england"):
            holder = ctx.resolve_holder(function.default_holder, area, ctx.on, "functions")
            ctx.open_assignment(
                function.function_id,
                area,
                holder,
                function.default_basis or "statute",
                source=statutory_source(function),
            )


def _new_area(ctx: Context) -> None:
    spec = ctx.spec
    if "parent" not in spec or ("ons" not in spec and "id" not in spec):
        raise ctx.fail(None, "a new area needs an id (or ons code) and a parent area")
    parent = ctx.area_by_code(spec["parent"], "parent", on=ctx.on)
    area = ctx.add(
        Area(
            area_id=spec.get("ons") or spec["id"],
            area_type=spec["type"],
            name=spec["name"],
            ods_code=spec.get("ods"),
            valid_from=ctx.on,
            source=spec["source"],
        )
    )
    ctx.add(AreaLink(area.area_id, parent.area_id, ctx.on, source=spec["source"]))


def _new_organisation(ctx: Context, org_type: str) -> None:
    spec = ctx.spec
    org_id = spec.get("id") or spec.get("ods")
    if not org_id:
        raise ctx.fail(None, "a new organisation needs an id or an ODS code")
    org = ctx.add(
        Organisation(
            org_id=org_id,
            org_type=org_type,
            name=spec["name"],
            ods_code=spec.get("ods"),
            ons_code=spec.get("ons"),
            valid_from=ctx.on,
            source=spec["source"],
        )
    )
    for i, code in enumerate(spec.get("areas") or []):
        area = ctx.area_by_code(code, f"areas[{i}]", on=ctx.on)
        ctx.add(Relationship(org.org_id, "serves", area.area_id, ctx.on, source=spec["source"]))


def merge(ctx: Context) -> None:
    into = ctx.spec["into"]
    if not isinstance(into, dict) or not {"ods", "ons", "name", "region"} <= set(into):
        raise ctx.fail("into", "into needs ods, ons, name and region of the new ICB")
    predecessors = [ctx.org(code, f"from[{i}]") for i, code in enumerate(ctx.spec["from"])]
    for i, org in enumerate(predecessors):
        if org.org_type != "icb":
            raise ctx.fail(f"from[{i}]", f"{org.name} is not an ICB")
    org, area = _new_icb(ctx, into, "into")
    sources = [ctx.governed_area(p, ctx.day_before) for p in predecessors]
    _carry_functions(ctx, [s for s in sources if s], area)
    for predecessor in predecessors:
        _abolish(ctx, predecessor, [org])


def change_boundary(ctx: Context) -> None:
    org = ctx.org(ctx.spec["icb"], "icb")
    old = ctx.governed_area(org, ctx.day_before)
    if old is None:
        raise ctx.fail("icb", f"{org.name} governs no area on {ctx.day_before}")
    region = ctx.register.parent(old.area_id, ctx.day_before)
    ctx.close(old, ctx.on)
    for link in ctx.register.parent_links(old.area_id, ctx.day_before):
        ctx.close(link, ctx.on)
    area = ctx.add(
        Area(
            area_id=ctx.spec["ons"],
            area_type="icb",
            name=ctx.spec.get("name", old.name),
            ods_code=old.ods_code,
            org_id=org.org_id,
            valid_from=ctx.on,
            source=ctx.spec["source"],
        )
    )
    if region is not None:
        ctx.add(AreaLink(area.area_id, region.area_id, ctx.on, source=ctx.spec["source"]))
    _place_sub_icbs(ctx, area, ctx.spec["sub_icbs"])
    donors = [
        ctx.org(code, f"gains_from[{i}]") for i, code in enumerate(ctx.spec.get("gains_from", []))
    ]
    donor_areas = [ctx.governed_area(d, ctx.day_before) for d in donors]
    icp = ctx.icp_serving(old, ctx.day_before)
    if icp is not None:
        for rel in ctx.register.relations(
            subject_id=icp.org_id, relation="serves", on=ctx.day_before
        ):
            ctx.close(rel, ctx.on)
        ctx.add(Relationship(icp.org_id, "serves", area.area_id, ctx.on, source=ctx.spec["source"]))
    ctx.commit()
    _carry_functions(ctx, [old, *[d for d in donor_areas if d]], area)
    for donor in donors:
        ctx.update(
            donor, successors=tuple(dict.fromkeys((*ctx.current(donor).successors, org.org_id)))
        )


def _carry_functions(ctx: Context, sources: list[Area], target: Area) -> None:
    """Close every assignment in force the day before in ``sources`` and reopen it in
    ``target`` for the corresponding holder."""
    target_org = ctx.organisation(target.org_id or "")
    carried: dict[str, dict[str, tuple[Assignment, Organisation]]] = {}
    for source in sources:
        for assignment in ctx.register.assignments_in_area(source.area_id, ctx.day_before):
            ctx.close(assignment, ctx.on)
            holder = _successor_holder(ctx, assignment, source, target, target_org)
            carried.setdefault(assignment.function_id, {})[holder.org_id] = (assignment, holder)
    for function_id, by_holder in carried.items():
        joint = len(by_holder) > 1
        if joint and not all(a.joint for a, _ in by_holder.values()):
            names = ", ".join(sorted(h.name for _, h in by_holder.values()))
            label = ctx.register.functions[function_id].label
            raise ctx.fail(
                None,
                f"{label} would have several holders in {target.name} "
                f"({names}); declare them joint or transfer it first",
            )
        for assignment, holder in by_holder.values():
            ctx.open_assignment(
                function_id,
                target,
                holder,
                assignment.basis,
                joint=assignment.joint,
                certainty=worst_certainty(assignment.certainty, ctx.operation.certainty),
                note=assignment.note,
            )


def _successor_holder(
    ctx: Context, assignment: Assignment, source: Area, target: Area, target_org: Organisation
) -> Organisation:
    holder = ctx.organisation(assignment.holder_id)
    if holder.org_id == source.org_id:
        return target_org
    if holder.org_type == "icp":
        return ctx.icp_serving(target, ctx.on) or holder
    if holder.generic:
        ctx.close(holder, ctx.on)
        return ctx.generic(holder.org_type, target, ctx.on)
    return holder


def abolish(ctx: Context) -> None:
    org = ctx.org(ctx.spec["org"], "org")
    successors = [
        ctx.org(c, f"successors[{i}]", ctx.on) for i, c in enumerate(ctx.spec.get("successors", []))
    ]
    area = ctx.governed_area(org, ctx.day_before)
    if area is not None:
        raise ctx.fail("org", f"{org.name} governs {area.name}: use merge or change-boundary")
    for assignment in ctx.register.holdings_of(org.org_id, ctx.day_before):
        ctx.close(assignment, ctx.on)
        if len(successors) == 1:
            target = ctx.register.area(assignment.area_id)
            ctx.open_assignment(
                assignment.function_id,
                target,
                successors[0],
                assignment.basis,
                joint=assignment.joint,
                note=assignment.note,
            )
    _abolish(ctx, org, successors)


def _abolish(ctx: Context, org: Organisation, successors: Iterable[Organisation]) -> None:
    """End an organisation (and the area it governs, and its ICP) on the day."""
    current = ctx.current(org)
    if current.valid_to is not None and current.valid_to != ctx.on:
        raise ctx.fail(None, f"{org.name} already ended on {current.valid_to}")
    names = tuple(dict.fromkeys((*current.successors, *(s.org_id for s in successors))))
    ctx.update(org, valid_to=ctx.on, successors=names)
    area = ctx.governed_area(org, ctx.day_before)
    if area is not None:
        ctx.close(area, ctx.on)
        for link in ctx.register.parent_links(area.area_id, ctx.day_before):
            ctx.close(link, ctx.on)
        icp = ctx.icp_serving(area, ctx.day_before)
        if icp is not None:
            new_icps = [f"icp:{s.org_id}" for s in successors]
            ctx.update(
                icp,
                valid_to=ctx.on,
                successors=tuple(dict.fromkeys((*ctx.current(icp).successors, *new_icps))),
            )
            for rel in ctx.register.relations(subject_id=icp.org_id, on=ctx.day_before):
                ctx.close(rel, ctx.on)


# ---------------------------------------------------------------------------------------
# Functions: transfers, delegations, reviews, explicit assignments; cost targets


def transfer(ctx: Context) -> None:
    spec = ctx.spec
    function_id = spec["function"]
    wanted = _area_filter(ctx)
    sources = _from_types(spec)
    held = [
        a
        for a in ctx.register.assignments.values()
        if a.function_id == function_id and a.in_force(ctx.on) and wanted(a.area_id)
    ]
    moved = [a for a in held if ctx.register.organisations[a.holder_id].org_type in sources]
    if not moved:
        earlier = _moved_by_pending_reform(ctx, held)
        if earlier is None:
            raise ctx.fail(
                "function",
                f"no {' or '.join(sources)} holds {function_id} on {ctx.on} in those areas",
            )
        _flag(ctx, _overlap_text(ctx, earlier))
        return
    default_basis = "blueprint-transfer" if ctx.operation.kind == "transfer" else "delegation"
    certainty = ctx.operation.overall_certainty
    note = spec.get("note", "")
    if ctx.operation.date_certainty == "uncertain":
        note = f"{note} Date assumed: the source gives no date.".strip()
    note = f"{note} {ctx.operation.dispute_note()}".strip()
    for assignment in moved:
        ctx.close(assignment, ctx.on)
        if spec["to"] == "unknown":
            continue
        area = ctx.register.area(assignment.area_id)
        holder = ctx.resolve_holder(spec["to"], area, ctx.on, "to")
        ctx.open_assignment(
            function_id,
            area,
            holder,
            spec.get("basis", default_basis),
            certainty=certainty,
            note=note,
        )
    if spec["to"] == "unknown":
        held_by = " or ".join(sources)
        _flag(ctx, f"Moves out of its {held_by} holder with no destination named. {note}".strip())


def _from_types(spec: dict) -> tuple[str, ...]:
    """A move's ``from``: one kind of body, or a list (any of them)."""
    value = spec["from"]
    return tuple(value) if isinstance(value, list) else (value,)


def _moved_by_pending_reform(ctx: Context, held: list[Assignment]) -> Assignment | None:
    """A holding that another reform of this stack, one not yet law, put in place: the
    function has already moved, and this move overlaps it (reported, not an error)."""
    from icsatlas.register import stack

    for assignment in held:
        if assignment.reform in (None, ctx.reform.name):
            continue
        earlier = stack.by_name(assignment.reform)
        if earlier is None or not earlier.status.in_force:
            return assignment
    return None


def _overlap_text(ctx: Context, earlier: Assignment) -> str:
    """'Overlap between reforms: ...' naming both reforms, their destinations and sources."""
    from icsatlas.register import stack

    holder = ctx.register.organisations[earlier.holder_id]
    first = stack.by_name(earlier.reform)
    first_name = f"the {first.title} ({first.status.text})" if first else str(earlier.reform)
    sources = " or ".join(destination_label(t) for t in _from_types(ctx.spec))
    return (
        f"Overlap between reforms: the {ctx.reform.title} ({ctx.reform.status.text}) moves it "
        f"from {sources} to {destination_label(ctx.spec['to'])} on {ctx.on} "
        f"({ctx.spec['source']}), but {first_name} has already moved it to "
        f"{ORG_TYPES.get(holder.org_type, holder.org_type)} on {earlier.valid_from} "
        f"({earlier.source}); the earlier move stands."
    )


def keep(ctx: Context) -> None:
    """A kind of body keeps the function (e.g. a delegation paused): a caveat on it; a
    reform of the same stack moving it elsewhere meanwhile is a conflict (see ``stack``)."""
    until = ctx.spec.get("until")
    when = f" until at least {until}" if until else ""
    text = f"Kept with {ORG_TYPES[ctx.spec['holder']]}{when} {ctx.reform.under}."
    _flag(ctx, f"{text} {ctx.spec.get('note', '')}".strip())


def plan(ctx: Context) -> None:
    """A planned holder where the source names no area: a caveat, and no body invented."""
    text = (
        f"Planned {ctx.reform.under}: {ctx.spec['role']} by "
        f"{ORG_TYPES[ctx.spec['holder']]}; the source names no area, so no body is "
        "recorded here (a gap)."
    )
    _flag(ctx, f"{text} {ctx.spec.get('note', '')}".strip())


def review(ctx: Context) -> None:
    destination = ctx.spec.get("destination", "unknown")
    text = f"Under review for transfer; destination: {destination}. {ctx.spec.get('note', '')}"
    _flag(ctx, text.strip())


def _flag(ctx: Context, text: str) -> None:
    ctx.add(
        Flag(
            flag_id=f"{ctx.reform.name}:{ctx.operation.index}",
            function_id=ctx.spec["function"],
            text=text,
            valid_from=ctx.on,
            certainty=ctx.operation.certainty,
            source=ctx.spec["source"],
            reform=ctx.reform.name,
        )
    )


def assign(ctx: Context) -> None:
    spec = ctx.spec
    areas = spec["areas"]
    if areas == "all":
        raise ctx.fail("areas", "assign needs a list of areas")
    for i, code in enumerate(areas):
        area = ctx.area_by_code(code, f"areas[{i}]", on=ctx.on)
        holder = ctx.resolve_holder(spec["holder"], area, ctx.on, "holder")
        ctx.open_assignment(
            spec["function"],
            area,
            holder,
            spec["basis"],
            joint=bool(spec.get("joint", False)),
            until=spec.get("until"),
        )


def cost_target(ctx: Context) -> None:
    spec = ctx.spec
    ctx.add(
        Target(
            target_id=f"{ctx.reform.name}:{ctx.operation.index}",
            measure=spec["measure"],
            value=float(spec["value"]),
            unit=spec["unit"],
            applies_to=spec["applies_to"],
            deadline=spec.get("by"),
            certainty=ctx.operation.certainty,
            source=spec["source"],
            note=spec.get("note", ""),
            reform=ctx.reform.name,
        )
    )


def _area_filter(ctx: Context) -> Callable[[str], bool]:
    areas = ctx.spec.get("areas", "all")
    if areas == "all":
        return lambda _: True
    chosen = {ctx.area_by_code(c, f"areas[{i}]", on=ctx.on).area_id for i, c in enumerate(areas)}

    def within(area_id: str) -> bool:
        lineage = {area_id, *(a.area_id for a in ctx.register.ancestors(area_id, ctx.on))}
        return bool(lineage & chosen)

    return within


HANDLERS: dict[str, Callable[[Context], None]] = {
    "establish": establish,
    "abolish": abolish,
    "merge": merge,
    "change-boundary": change_boundary,
    "transfer": transfer,
    "delegate": transfer,
    "review": review,
    "keep": keep,
    "plan": plan,
    "assign": assign,
    "cost-target": cost_target,
}


def _check_geography(register: Register, on: date, reform: Reform) -> None:
    """After a reform, every sub-ICB location and ICB in force sits in a parent area."""
    for area in register.areas_on(on):
        if area.area_type not in ("sub-icb", "icb", "region"):
            continue
        parent = register.parent(area.area_id, on)
        if parent is None or not parent.in_force(on):
            raise InputError(
                f"{area.name} is left without a parent area on {on}",
                file=reform.located.file if reform.located else reform.name,
            )
