"""Acute, community, mental health and primary care: shares of ICB money, and shifting them.

What the shipped data allow:

* **Data** - allocations by stream per ICB, 2023/24-2025/26 (core services, primary
  medical care, pharmacy/optometry/dental, specialised from 2025/26): :func:`streams`.
* **Derived** - how the core formula sizes each setting for each ICB's population (each
  need component's weighted population times its estimated weight; health inequalities
  spread pro rata): :func:`formula_shares`. This is a proxy for spend, not spend.
* **User data** - actual spend by setting from an ICB's accounts, as a CSV
  (``icb, financial_year, setting, spend_gbp``): :func:`read_spend`.

:func:`scenario` moves a share of each ICB's budget from acute to community care over N
years, either the same points everywhere (``uniform``) or the same national sum shared by
community need (``need``), and shows what that does to community funding per
need-weighted head.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError
from icsatlas.finance import allocation, sourcing, years
from icsatlas.finance import weighted_population as wp
from icsatlas.finance import weights as formula
from icsatlas.inputs.columns import Column
from icsatlas.inputs.numbers import AT_LEAST_ZERO
from icsatlas.inputs.rows import Record, read_rows
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.results import Result

SETTINGS = ("acute", "community", "mental_health", "primary_care_prescribing")
_SETTING_OF = {
    "g_a": "acute",
    "maternity": "acute",
    "community": "community",
    "mental_health": "mental_health",
    "prescribing": "primary_care_prescribing",
}
MODES = ("uniform", "need")
_HOW = {"uniform": "the same points in every ICB", "need": "shared out by community need"}
_STREAMS = {
    "core_recurrent_allocation_gbp_k": "core_services_gbp",
    "primary_medical_care_recurrent_allocation_gbp_k": "primary_medical_care_gbp",
    "pharmacy_optometry_dental_allocation_gbp_k": "pharmacy_optometry_dental_gbp",
    "specialised_services_allocation_gbp_k": "specialised_gbp",
}


def streams() -> Result:
    """Allocations by stream and the primary care share, per ICB and year (data)."""
    raw = data.read(allocation.ALLOCATIONS)
    frame = raw[["financial_year", "icb_ods", "icb_name"]].rename(columns={"icb_ods": "ods_code"})
    for column, name in _STREAMS.items():
        frame[name] = raw[column].fillna(0.0) * 1000
    total = frame[list(_STREAMS.values())].sum(axis=1)
    primary = frame.primary_medical_care_gbp + frame.pharmacy_optometry_dental_gbp
    frame["primary_care_share"] = primary / total
    frame["core_share"] = frame.core_services_gbp / total
    notes = (
        "Data: NHS England allocation workbooks. Specialised services were delegated to ICBs "
        "from 2025/26, so shares are not like-for-like across the years.",
        "Allocations by stream are not spend by setting: acute, community and mental health "
        "spend all come out of the core services stream.",
    )
    provenance = Provenance(
        data={"allocations": data.source(allocation.ALLOCATIONS).cite()}, notes=notes
    )
    return Result(frame, provenance, "ICB allocations by stream, 2023/24-2025/26", notes)


def formula_shares(params: ParameterSet, basis: wp.Basis) -> pd.DataFrame:
    """Per ICB, the share of its core target the formula attributes to each setting (derived)."""
    areas = wp.by_area(basis, "icb")
    weights = formula.for_year(params, basis.year)
    frame = areas[["ods_code", "ons_code", "area_name", "population"]].copy()
    sized = pd.DataFrame({k: weights[k] * areas[k] for k in _SETTING_OF})
    for setting in SETTINGS:
        members = [k for k, s in _SETTING_OF.items() if s == setting]
        frame[setting] = sized[members].sum(axis=1)
    frame[list(SETTINGS)] = frame[list(SETTINGS)].div(frame[list(SETTINGS)].sum(axis=1), axis=0)
    frame["community_need_index"] = areas.community / areas.population
    frame["acute_need_index"] = areas.g_a / areas.population
    return frame


SPEND_COLUMNS = (
    Column("icb", "code", required=True),
    Column("financial_year", required=True, parse=years.normalise),
    Column("setting", "enum", required=True, choices=SETTINGS, what="setting"),
    Column("spend_gbp", "money", required=True, bounds=AT_LEAST_ZERO),
)


def read_spend(path: str | Path, basis: wp.Basis) -> pd.DataFrame:
    """ICB spend by setting from a CSV, checked cell by cell; shares of each ICB-year."""
    icbs = basis.geography.icbs
    codes = {
        **dict(zip(icbs.icb_ons, icbs.icb_ods, strict=True)),
        **dict(zip(icbs.icb_ods, icbs.icb_ods, strict=True)),
    }

    def check(record: Record) -> Iterator[tuple[str, str]]:
        icb = record.values["icb_ods"] = codes.get(record["icb"])
        if record["icb"] and icb is None:
            yield "icb", f"not an ICB code on {basis.on}: {record['icb']!r}"

    records = read_rows(path, SPEND_COLUMNS, others="ignore", check=check)
    if not records:
        raise InputError("no spend rows: the file has a header only", file=path, row=2)
    columns = ["icb_ods", "financial_year", "setting", "spend_gbp"]
    frame = pd.DataFrame([r.values for r in records], columns=columns)
    wide = frame.pivot_table(
        index=["icb_ods", "financial_year"], columns="setting", values="spend_gbp", aggfunc="sum"
    )
    spend = wide.reindex(columns=list(SETTINGS), fill_value=0.0).fillna(0.0).reset_index()
    spend.attrs["file"] = str(path)  # for errors its figures cause
    return spend


def scenario(
    params: ParameterSet,
    basis: wp.Basis,
    points: float,
    count: int = 5,
    mode: str = "uniform",
    spend: pd.DataFrame | None = None,
) -> Result:
    """Move ``points`` percentage points of budget from acute to community over ``count`` years."""
    if mode not in MODES:
        raise InputError(f"mode must be {' or '.join(MODES)}, got {mode!r}", field="mode")
    if count < 1:
        raise InputError(f"must be at least 1, got {count}", field="years")
    shares = formula_shares(params, basis).set_index("ods_code")
    budgets = (
        allocation.targets(params, basis, "allocation")
        .frame.set_index("ods_code")
        .target_gbp.astype(float)
    )
    source = "formula-implied shares of the core target (derived, not spend)"
    if spend is not None:
        shares, budgets = _with_spend(shares, budgets, spend)
        source = "spend by setting from the user's file"
    move = points / 100 * budgets.sum()
    if points < 0 or points > 100:
        raise InputError(
            f"a share of budget must be between 0 and 100 points, got {points:g}", field="points"
        )
    per_icb = _moved(shares, budgets, move, mode)
    too_much = per_icb > shares.acute * budgets + 1e-6
    if too_much.any():
        worst = shares.area_name[too_much].iloc[0]
        raise InputError(
            f"moving {points:g} points would take more than 100% of acute spend in {worst}",
            field="points",
            file=spend.attrs.get("file") if spend is not None else None,
        )
    frame = _paths(basis, shares, budgets, per_icb, count)
    spread = frame.groupby("financial_year").community_vs_need.agg(
        lambda s: float(np.std(s) / np.mean(s))
    )
    notes = (
        f"Baseline: {source}. Budgets: {basis.year} core allocations, in the ICBs of {basis.on}.",
        *basis.notes(),
        f"{points:g} points of the national budget (£{move / 1e9:,.2f}bn) move from acute to "
        f"community over {count} years, {_HOW[mode]}.",
        "community_vs_need = community £ per community-need-weighted head over the national "
        "average (1 = funded in line with need). Its spread across ICBs (coefficient of "
        f"variation) goes from {spread.iloc[0]:.3f} to {spread.iloc[-1]:.3f}.",
    )
    provenance = sourcing.provenance(
        params,
        data={
            "weighted_population": data.source(wp.SOURCE).cite(),
            "allocations": data.source(allocation.ALLOCATIONS).cite(),
            "geography": basis.geography.describe(),
        },
        notes=notes,
    )
    title = f"Acute to community shift ({mode}), from {basis.year}, ICBs of {basis.on}"
    return Result(frame, provenance, title, notes)


def _with_spend(
    shares: pd.DataFrame, budgets: pd.Series, spend: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    latest = spend.sort_values("financial_year").groupby("icb_ods").tail(1).set_index("icb_ods")
    totals = latest[list(SETTINGS)].sum(axis=1)
    covered = shares.index.intersection(latest.index)
    if covered.empty:
        raise InputError("the spend file covers none of the ICBs in this geography", field="icb")
    shares = shares.loc[covered].copy()
    shares[list(SETTINGS)] = latest.loc[covered, list(SETTINGS)].div(totals.loc[covered], axis=0)
    return shares, totals.loc[covered]


def _moved(shares: pd.DataFrame, budgets: pd.Series, move: float, mode: str) -> pd.Series:
    if mode == "uniform":
        return budgets * move / budgets.sum()
    need = shares.population * shares.community_need_index
    return need * move / need.sum()


def _paths(
    basis: wp.Basis, shares: pd.DataFrame, budgets: pd.Series, moved: pd.Series, count: int
) -> pd.DataFrame:
    need_heads = shares.population * shares.community_need_index
    rows = []
    for step, label in enumerate(years.following(basis.year, count + 1)):
        fraction = step / count
        acute = shares.acute * budgets - moved * fraction
        community = shares.community * budgets + moved * fraction
        per_need_head = community / need_heads
        national = community.sum() / need_heads.sum()
        rows.append(
            pd.DataFrame(
                {
                    "financial_year": label,
                    "ods_code": shares.index,
                    "ons_code": shares.ons_code,
                    "area_name": shares.area_name,
                    "acute_share": acute / budgets,
                    "community_share": community / budgets,
                    "mental_health_share": shares.mental_health,
                    "primary_care_prescribing_share": shares.primary_care_prescribing,
                    "acute_gbp": acute,
                    "community_gbp": community,
                    "community_per_need_head": per_need_head,
                    "community_vs_need": per_need_head / national,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
