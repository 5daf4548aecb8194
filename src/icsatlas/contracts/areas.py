"""Where contracts and KPI series are: the NHS areas a buyer or provider serves on a date.

Placed at query time from the register's geography on the date asked (with any what-if
reform on top), never from the shipped lookup files:

* a buyer that is an ICB, a council or a GP practice is resolved as any place a user types
  is, so a former ICB (Frimley after 1 April 2026) is placed in the areas that now cover
  its population, and a council in the sub-ICB locations it overlaps, with their shares;
* an NHS trust is placed by the ICBs it is a partner of (ICB constitutions, via ODS);
* otherwise by the ICB recorded when the contract or series was imported, if any.

A user's area ("Leeds", "Surrey County Council", "QWO", a practice code) goes through the
same resolver; a contract is in an area if the sub-ICB locations its buyer serves and the
area's overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from icsatlas.errors import NotFoundError
from icsatlas.names import short_name

if TYPE_CHECKING:
    from icsatlas.geography import Cover, Resolution
    from icsatlas.geography.on_date import Geography

TRUST_TYPES = ("nhs-trust", "foundation-trust")
SHOWN_ICBS = 3


@dataclass(frozen=True)
class Placed:
    """The sub-ICB locations (ONS codes) something serves on a date, and its ICBs with the
    share of it in each (largest first; None where the data give no share)."""

    sub_icbs: frozenset[str] = frozenset()
    icbs: tuple[tuple[str, float | None], ...] = ()

    @property
    def label(self) -> str | None:
        """'Frimley', or 'Thames Valley 58%; Surrey and Sussex 23%; ...' across ICBs."""
        if not self.icbs:
            return None
        if len(self.icbs) == 1:
            return self.icbs[0][0]
        shown = [f"{name} {share:.0%}" if share else name for name, share in self.icbs]
        more = len(shown) - SHOWN_ICBS
        return "; ".join(shown[:SHOWN_ICBS]) + (f"; and {more} more" if more > 0 else "")


class Placer:
    """Places buyers, providers and user areas on one date (each anchor resolved once)."""

    def __init__(self, resolve: Callable[[str], Resolution], geography: Geography) -> None:
        self.resolve = resolve
        self.geography = geography
        tree = geography.sub_icbs
        self._icb_of = {
            sub: short_name(icb)
            for sub, icb in zip(tree.sub_icb_ons, tree.icb_name, strict=True)
            if icb
        }
        self._within: dict[str, set[str]] = {}
        for sub, icb, region in zip(tree.sub_icb_ons, tree.icb_ons, tree.region_ons, strict=True):
            for above in (icb, region):
                self._within.setdefault(above, set()).add(sub)
        self._all = frozenset(tree.sub_icb_ons)
        self._cache: dict[tuple[str, ...], Placed] = {}

    # -- a user's area ------------------------------------------------------------------
    def area(self, text: str) -> tuple[Resolution, Placed]:
        """What ``text`` names and the sub-ICB locations covering it."""
        found = self.resolve(text)
        placed = self._covers(found.covers)
        if not placed.sub_icbs:
            raise NotFoundError(f"{found.describe()}: no contracts can be placed there")
        return found, placed

    # -- buyers and providers ------------------------------------------------------------
    def organisation(self, org_id: str | None, recorded_icb: str | None = None) -> Placed:
        """Where a buyer or provider (register org id) is; the ICB recorded at import
        (ODS code) if the register cannot place it."""
        key = (org_id or "", recorded_icb or "")
        if key not in self._cache:
            placed = self._union(self._resolved(a) for a in self._anchors(org_id))
            if not placed.sub_icbs and recorded_icb:
                placed = self._resolved(recorded_icb)
            self._cache[key] = placed
        return self._cache[key]

    def _anchors(self, org_id: str | None) -> list[str]:
        if not org_id or org_id not in self.geography.register.organisations:
            return []
        org = self.geography.register.organisations[org_id]
        if org.org_type in TRUST_TYPES:
            partners = self.geography.register.relations(org_id, "partner-of")
            return sorted({r.object_id for r in partners})
        return [org_id]

    def _resolved(self, anchor: str) -> Placed:
        try:
            return self._covers(self.resolve(anchor).covers)
        except NotFoundError:
            return Placed()

    def _covers(self, covers: Iterable[Cover]) -> Placed:
        subs: set[str] = set()
        shares: dict[str, float | None] = {}
        for cover in covers:
            inside = self._sub_icbs(cover.area.area_id, cover.area.area_type)
            icbs = sorted({self._icb_of[s] for s in inside if s in self._icb_of})
            share = cover.share if len(icbs) == 1 else None  # a region's ICBs: no shares
            for icb in icbs:
                known = shares.get(icb, 0.0)
                shares[icb] = None if known is None or share is None else known + share
            subs |= inside
        ranked = sorted(shares.items(), key=lambda item: -(item[1] or 0.0))
        return Placed(frozenset(subs), tuple(ranked))

    def _sub_icbs(self, area_id: str, area_type: str) -> set[str]:
        if area_type == "sub-icb":
            return {area_id} & self._all
        if area_type == "country":
            return set(self._all)
        if area_id in self._within:
            return set(self._within[area_id])
        register, on = self.geography.register, self.geography.on
        for above in register.ancestors(area_id, on):  # a place or neighbourhood
            if above.area_type in ("sub-icb", "icb"):
                return self._sub_icbs(above.area_id, above.area_type)
        return set()

    @staticmethod
    def _union(placings: Iterable[Placed]) -> Placed:
        chosen = [p for p in placings if p.sub_icbs]
        if len(chosen) == 1:
            return chosen[0]
        subs = frozenset().union(*(p.sub_icbs for p in chosen))
        icbs = dict.fromkeys(name for p in chosen for name, _ in p.icbs)
        return Placed(subs, tuple((name, None) for name in icbs))
