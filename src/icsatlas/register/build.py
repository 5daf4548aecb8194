"""Building the register from shipped data and the history reforms, step by step.

Each step is one change in the audit log when a store is given:

1. the base from reference data (national bodies, regions, trusts, councils, practices);
2. ``establishment-2022``, then the links of the 42-ICB geography (partners, BCF, overlaps,
   practice locations);
3. ``boundaries-2023-04``, then the links of the April 2023 geography;
4. ``delegations-2023-2025``;
5. ``mergers-2026-04``, then the links of the 36-ICB geography (overlaps, practice
   locations, populations, the councils in each new ICB's Better Care Fund);
6. place names for every sub-ICB location, derived from the councils it overlaps;
7. the named trusts, councils and health and wellbeing boards of each 2026 ICB
   (:mod:`icsatlas.register.holders`).

The Blueprint is not part of the build: it is a reform users apply (``--reform``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache

from icsatlas.errors import IcsatlasError
from icsatlas.register import holders, operations, places, reference, reforms
from icsatlas.register.model import Assignment, Changeset
from icsatlas.register.persist import BUILD_VERSION, save
from icsatlas.register.register import Register
from icsatlas.store import Store

HISTORY = ("establishment-2022", "boundaries-2023-04", "delegations-2023-2025", "mergers-2026-04")
BCF_COUNCIL_SHARE = 0.10


@dataclass(frozen=True)
class Step:
    """One build step: what it does, and the function that does it."""

    kind: str
    name: str
    reason: str
    source: str
    run: Callable[[Register], Register]


def steps() -> list[Step]:
    data_source = "shipped reference data (see PROVENANCE.md)"

    def data_step(name: str, reason: str, make: Callable[[Register], Changeset]) -> Step:
        return Step("import", name, reason, data_source, lambda r: r.with_changes(make(r)))

    def reform_step(name: str) -> Step:
        reform = reforms.load(name)
        return Step(
            "reform",
            name,
            f"apply reform {name}: {reform.title}",
            reform.source,
            lambda r: operations.apply(r, reforms.load(name, set(r.functions))),
        )

    return [
        data_step(
            "base",
            "import national bodies, regions, trusts, councils, practices",
            lambda r: reference.base(),
        ),
        reform_step("establishment-2022"),
        data_step(
            "links-2022",
            "import partners, Better Care Fund, overlaps, practice locations for the 42 ICBs",
            lambda r: reference.links(r, "2022"),
        ),
        reform_step("boundaries-2023-04"),
        data_step(
            "links-2023",
            "import overlaps and practice locations for the April 2023 geography",
            lambda r: reference.links(r, "2023"),
        ),
        reform_step("delegations-2023-2025"),
        reform_step("mergers-2026-04"),
        data_step(
            "links-2026",
            "import overlaps, practice locations, populations and BCF councils for the 36 ICBs",
            _links_2026,
        ),
        data_step(
            "places",
            "name each sub-ICB location after the place it covers (from council overlaps)",
            places.name_places,
        ),
        data_step(
            "named-holders",
            "import the NHS trusts, councils and health and wellbeing boards of the 36 ICBs",
            holders.records,
        ),
    ]


def _links_2026(register: Register) -> Changeset:
    changes = reference.links(register, "2026")
    changes.extend(bcf_councils_2026(register.with_changes(changes)))
    return changes


def bcf_councils_2026(register: Register) -> Changeset:
    """Set the councils in the Better Care Fund of each ICB created or reshaped on
    1 April 2026 from the data: every upper-tier council with at least 10% of its
    population in the ICB's area (the merge carried all predecessors' councils, some of
    whom, in split ICBs, are now elsewhere)."""
    changes = Changeset()
    day = reference.PERIODS["2026"][0]
    for area in register.areas_on(day, "icb"):
        carried = [
            a
            for a in register.assignments_at("better-care-fund", area.area_id, day)
            if a.valid_from == day
        ]
        if not carried:
            continue
        wanted = {
            r.subject_id
            for r in register.relations(object_id=area.area_id, relation="overlaps", on=day)
            if (r.share or 0) >= BCF_COUNCIL_SHARE
        }
        held = {a.holder_id: a for a in carried}
        for holder_id, assignment in held.items():
            is_council = register.organisations[holder_id].org_type == "local-authority"
            if is_council and holder_id not in wanted:
                changes.retracted.append(assignment)
        for council in sorted(wanted - set(held)):
            changes.add(_bcf_assignment(carried[0], council))
    return changes


def _bcf_assignment(template: Assignment, council: str) -> Assignment:
    return replace(
        template,
        assignment_id=f"better-care-fund@{template.area_id}@{template.valid_from}@{council}",
        holder_id=council,
        certainty="uncertain",
        note="council with at least 10% of its population in the ICB's area (derived)",
        reform=None,
    )


def run(
    store: Store | None = None, actor: str | None = None, replacing: Register | None = None
) -> Iterator[tuple[Step, Register]]:
    """Build the register step by step, saving each step to ``store`` if one is given
    (``replacing`` the register recorded there, for a rebuild: its records are retracted,
    so history stays readable with ``--as-of-change``)."""
    register = Register.empty()
    if store is not None:
        save(
            store,
            replacing or Register(),
            register,
            kind="import",
            reason="import the function catalogue" + (" (rebuild)" if replacing else ""),
            source="icsatlas function catalogue (functions.yaml)",
            actor=actor,
            detail={"build_version": BUILD_VERSION},
        )
    for step in steps():
        before, register = register, step.run(register)
        if store is not None:
            detail = {"reform": step.name} if step.kind == "reform" else {"step": step.name}
            save(
                store,
                before,
                register,
                kind=step.kind,
                reason=step.reason,
                source=step.source,
                actor=actor,
                detail=detail,
            )
        yield step, register


@cache
def baseline() -> Register:
    """The built register in memory (no store): the shipped data and history reforms."""
    *_, (_, register) = run()
    return register


def check_build_version(store: Store) -> None:
    """Refuse a register built by an older icsatlas whose build lacks records this one
    relies on (e.g. councils and places), saying how to rebuild it."""
    rows = store.fetchall(
        "SELECT detail FROM change_log WHERE detail LIKE '%build_version%' ORDER BY change_id"
    )
    versions = [json.loads(detail).get("build_version", 0) for (detail,) in rows]
    if max(versions, default=0) < BUILD_VERSION:
        raise IcsatlasError(
            "this workspace's register was built by an older icsatlas (without councils, "
            "places and practice postcodes): run `icsatlas build --rebuild` to rebuild it from "
            "the shipped data (reforms you applied and boards you imported are kept in the "
            "audit log, `icsatlas log`, and must be applied again)"
        )
