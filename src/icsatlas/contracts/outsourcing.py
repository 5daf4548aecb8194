"""The outsourcing picture, per ICB or nationally, by NHS financial year (April to March):
who gets the money (share of contract value by supplier class), how contracts were awarded
(direct awards against competition), services moved into trust-owned subsidiary companies,
and contracts whose KPIs show special-cause concern.

A contract's value is spread over its period pro rata by days (start and end dates
inclusive), so a five-year contract adds a fifth or so of its value to each year it runs,
and a contract that has ended counts only in the years it ran. Cancelled contracts (OCDS
status ``cancelled``, or an award ``unsuccessful``) are left out. A contract without both
a start and an end date cannot be spread: its whole value is shown under ``no period``.

    >>> picture(store, "shares", params=ParameterSet.shipped())       # England
    >>> ws.contracts.outsourcing("shares", area="Frimley")            # an area, on a date
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from icsatlas.contracts import kpi
from icsatlas.errors import NotFoundError
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.results import Result
from icsatlas.store import Store

DIRECT = {"direct-award-a", "direct-award-b", "direct-award-c", "direct", "limited"}
COMPETITIVE = {"competitive", "open", "selective"}
CANCELLED = {"cancelled", "unsuccessful"}
NO_PERIOD = "no period"
VIEWS = ("shares", "routes", "subsidiaries", "concerns")
SPREAD_RULE = (
    "values are spread over each contract's period pro rata by days (start and end dates "
    "inclusive) across financial years (April to March); a contract counts in every year "
    "it ran, and only in those"
)


def contracts(store: Store) -> pd.DataFrame:
    """Every contract in the register; a contract whose ``ocid`` is in the PSR decision log
    takes the process recorded there. (Where a contract is, on a date, is the workspace's
    question: :mod:`icsatlas.contracts.areas`.)"""
    frame = store.fetch_df(
        "SELECT c.*, d.process AS psr_process FROM contract c"
        " LEFT JOIN (SELECT ocid, max(process) AS process FROM psr_decision"
        " WHERE ocid IS NOT NULL GROUP BY ocid) d ON d.ocid = c.ocid"
        " ORDER BY c.contract_key"
    )
    frame["procurement_route"] = frame.psr_process.fillna(frame.procurement_route)
    for column in ("start_date", "end_date", "date_signed"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame.drop(columns="psr_process").reset_index(drop=True)


def cancelled(frame: pd.DataFrame) -> pd.Series:
    """True for contracts (or awards) cancelled before they ran."""
    return frame.status.fillna("").str.strip().str.lower().isin(CANCELLED)


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per contract and financial year it ran in, with ``value_in_year``: the
    contract's value times the days of its period in that year over all its days.
    Cancelled contracts are left out; one without a whole period has one row, under
    ``no period``, with its whole value."""
    live = frame[~cancelled(frame)]
    dated = has_period(live)
    unspread = live[~dated].assign(financial_year=NO_PERIOD, value_in_year=live.value_amount)
    return pd.concat([_spread(live[dated]), unspread], ignore_index=True)


def has_period(frame: pd.DataFrame) -> pd.Series:
    """True for contracts with a start date and an end date not before it."""
    start, end = pd.to_datetime(frame.start_date), pd.to_datetime(frame.end_date)
    return start.notna() & end.notna() & (end >= start)


def _spread(frame: pd.DataFrame) -> pd.DataFrame:
    start, end = pd.to_datetime(frame.start_date), pd.to_datetime(frame.end_date)
    spans = zip(_year_of(start), _year_of(end), strict=True)
    years = frame.assign(
        _start=start, _end=end, _year=[list(range(a, b + 1)) for a, b in spans]
    ).explode("_year")
    year = years._year.astype(int)
    opens = pd.to_datetime(dict(year=year, month=4, day=1))
    closes = pd.to_datetime(dict(year=year + 1, month=3, day=31))
    inside = (years._end.where(years._end < closes, closes)) - (
        years._start.where(years._start > opens, opens)
    )
    whole = years._end - years._start
    share = (inside.dt.days + 1) / (whole.dt.days + 1)
    return years.assign(
        financial_year=[f"{y}/{(y + 1) % 100:02d}" for y in year],
        value_in_year=years.value_amount * share,
    ).drop(columns=["_start", "_end", "_year"])


def _year_of(day: pd.Series) -> np.ndarray:
    """The calendar year a financial year (April to March) starts in."""
    return (day.dt.year - (day.dt.month < 4)).to_numpy()


def supplier_shares(years: pd.DataFrame) -> pd.DataFrame:
    """Contracts running and value in each financial year by supplier class, with value
    shares (``years`` from :func:`by_year`)."""
    grouped = years.groupby(["financial_year", "supplier_class"], as_index=False).agg(
        contracts=("contract_key", "count"), value=("value_in_year", "sum")
    )
    totals = grouped.groupby("financial_year").value.transform("sum")
    grouped["share_of_value"] = (grouped.value / totals).where(totals > 0)
    return grouped.sort_values(["financial_year", "value"], ascending=[True, False])


def route(procurement_route: str | None) -> str:
    """Direct award, competition, most suitable provider, or not stated."""
    if procurement_route in DIRECT:
        return "direct award"
    if procurement_route in COMPETITIVE:
        return "competition"
    if procurement_route == "most-suitable-provider":
        return "most suitable provider"
    return "not stated"


def award_routes(years: pd.DataFrame) -> pd.DataFrame:
    """Contracts running and value in each financial year by how they were awarded."""
    grouped = (
        years.assign(route=years.procurement_route.map(route))
        .groupby(["financial_year", "route"], as_index=False)
        .agg(contracts=("contract_key", "count"), value=("value_in_year", "sum"))
    )
    totals = grouped.groupby("financial_year").contracts.transform("sum")
    grouped["share_of_contracts"] = grouped.contracts / totals
    return grouped


SUBSIDIARY_COLUMNS = [
    "contract_key",
    "title",
    "buyer_name",
    "supplier_name",
    "owner",
    "previous_supplier",
    "value_amount",
    "start_date",
    "end_date",
    "supplier_class_basis",
]


def subsidiaries(frame: pd.DataFrame) -> pd.DataFrame:
    """Contracts (not cancelled) held by trust-owned subsidiary companies, with the owning
    trust and the previous supplier where the register records one."""
    held = frame[(frame.supplier_class == "trust-subsidiary") & ~cancelled(frame)]
    return held.rename(columns={"supplier_org_id": "owner"})[SUBSIDIARY_COLUMNS]


CONCERN_COLUMNS = [
    "contract_key",
    "title",
    "supplier_name",
    "series",
    "latest_value",
    "target",
    "latest_point_type",
    "variation",
    "assurance",
]


def kpi_concerns(
    store: Store, frame: pd.DataFrame, rules: str | None = None, *, params: ParameterSet
) -> pd.DataFrame:
    """Contracts (not cancelled) with a KPI series (linked by contract, or by the supplier
    as provider) whose latest point is special-cause concern."""
    stored = kpi.series(store).drop(columns="target")
    live = frame[~cancelled(frame)]
    by_contract = stored.merge(live, on="contract_key")
    by_provider = (
        stored[stored.contract_key.isna()]
        .drop(columns="contract_key")
        .merge(live, left_on="provider_code", right_on="supplier_org_id")
    )
    linked = pd.concat([by_contract, by_provider], ignore_index=True)
    if linked.empty:
        return pd.DataFrame(columns=CONCERN_COLUMNS)
    rows = [
        kpi.spc(store, code, rules, params=params)[0].summary.iloc[0]
        for code in sorted(set(linked.code))
    ]
    merged = linked.merge(pd.DataFrame(rows), left_on="code", right_on="series")
    concern = merged[merged.latest_point_type == "special_cause_concern"]
    return concern[CONCERN_COLUMNS].reset_index(drop=True)


def picture(
    store: Store,
    view: str = "shares",
    frame: pd.DataFrame | None = None,
    scope: str = "England",
    rules: str | None = None,
    *,
    params: ParameterSet,
) -> Result:
    """One view of the outsourcing picture (``shares``, ``routes``, ``subsidiaries`` or
    ``concerns``) of the contracts in ``frame`` (default: all, from :func:`contracts`),
    named ``scope``, with notes saying how values were spread and what was left out."""
    if view not in VIEWS:
        raise NotFoundError(f"no outsourcing view {view!r}; choose from {', '.join(VIEWS)}")
    frame = contracts(store) if frame is None else frame
    if view in ("shares", "routes"):
        years = by_year(frame)
        table = supplier_shares(years) if view == "shares" else award_routes(years)
    elif view == "subsidiaries":
        table = subsidiaries(frame)
    else:
        table = kpi_concerns(store, frame, rules, params=params)
    provenance = Provenance(engine=store.dialect, parameters=params.fingerprint)
    title = f"Outsourcing ({view}): {scope}"
    notes = _notes(frame, scope, spread=view in ("shares", "routes"))
    return Result(table.reset_index(drop=True), provenance, title, tuple(notes))


def _notes(frame: pd.DataFrame, scope: str, spread: bool) -> list[str]:
    gone = cancelled(frame)
    notes = [f"{_contracts(len(frame))} in scope ({scope})"]
    if spread:
        notes.append(SPREAD_RULE)
    if gone.any():
        value = frame.value_amount[gone].sum()
        notes.append(
            f"{_contracts(gone.sum())} left out as cancelled (status cancelled or "
            f"unsuccessful; £{value:,.0f})"
        )
    undated = int((~gone & ~has_period(frame)).sum())
    if spread and undated:
        notes.append(
            f"{_contracts(undated)} without a start or an end date (or ending before the "
            f"start): not spread, the whole value shown under '{NO_PERIOD}'"
        )
    unclassified = int((frame.supplier_class == "unclassified").sum())
    if unclassified:
        notes.append(f"{_contracts(unclassified)} with an unclassified supplier")
    assumed = int(frame.supplier_class_basis.fillna("").str.contains("not listed as a trust").sum())
    if assumed:
        notes.append(
            f"{_contracts(assumed)} with a company counted as independent sector because the "
            "classification file does not list it as a trust subsidiary"
        )
    return notes


def _contracts(count: int) -> str:
    return f"{count:,} contract{'' if count == 1 else 's'}"
