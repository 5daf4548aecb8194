"""The outsourcing picture, per ICB or nationally, by financial year: who gets the money
(share of contract value by supplier class), how contracts were awarded (direct awards
against competition), services moved into trust-owned subsidiary companies, and contracts
whose KPIs show special-cause concern."""

from __future__ import annotations

import pandas as pd

from icsatlas.contracts import kpi
from icsatlas.errors import NotFoundError
from icsatlas.store import Store

DIRECT = {"direct-award-a", "direct-award-b", "direct-award-c", "direct", "limited"}
COMPETITIVE = {"competitive", "open", "selective"}


def contracts(store: Store, icb: str | None = None) -> pd.DataFrame:
    """Contracts in scope (an ICB's, by ``icb_ods``, or all) with their financial year; a
    contract whose ``ocid`` is in the PSR decision log takes the process recorded there."""
    frame = store.fetch_df(
        "SELECT c.*, d.process AS psr_process FROM contract c"
        " LEFT JOIN (SELECT ocid, max(process) AS process FROM psr_decision"
        " WHERE ocid IS NOT NULL GROUP BY ocid) d ON d.ocid = c.ocid"
        " ORDER BY c.contract_key"
    )
    frame["procurement_route"] = frame.psr_process.fillna(frame.procurement_route)
    if icb:
        frame = frame[frame.icb_ods == icb.upper()]
        if frame.empty:
            raise NotFoundError(f"no contracts recorded for ICB {icb!r}")
    when = pd.to_datetime(frame.date_signed).fillna(pd.to_datetime(frame.start_date))
    for column in ("start_date", "end_date", "date_signed"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    year = when.dt.year - (when.dt.month < 4)
    frame = frame.assign(
        financial_year=[f"{y}/{(y + 1) % 100:02d}" if pd.notna(y) else "unknown" for y in year]
    )
    return frame


def supplier_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Contract value and count by financial year and supplier class, with value shares."""
    grouped = frame.groupby(["financial_year", "supplier_class"], as_index=False).agg(
        contracts=("contract_key", "count"), value=("value_amount", "sum")
    )
    totals = grouped.groupby("financial_year").value.transform("sum")
    grouped["share_of_value"] = (grouped.value / totals).where(totals > 0)
    return grouped.sort_values(["financial_year", "value"], ascending=[True, False])


def award_routes(frame: pd.DataFrame) -> pd.DataFrame:
    """Direct awards, Most Suitable Provider and competition by financial year."""
    kind = frame.procurement_route.map(
        lambda r: (
            "direct award"
            if r in DIRECT
            else "competition"
            if r in COMPETITIVE
            else "most suitable provider"
            if r == "most-suitable-provider"
            else "not stated"
        )
    )
    grouped = (
        frame.assign(route=kind)
        .groupby(["financial_year", "route"], as_index=False)
        .agg(contracts=("contract_key", "count"), value=("value_amount", "sum"))
    )
    totals = grouped.groupby("financial_year").contracts.transform("sum")
    grouped["share_of_contracts"] = grouped.contracts / totals
    return grouped


def subsidiaries(frame: pd.DataFrame) -> pd.DataFrame:
    """Contracts held by trust-owned subsidiary companies, with the previous supplier where
    the register records one."""
    held = frame[frame.supplier_class == "trust-subsidiary"]
    return held[
        [
            "financial_year",
            "contract_key",
            "title",
            "buyer_name",
            "supplier_name",
            "supplier_org_id",
            "previous_supplier",
            "value_amount",
            "supplier_class_basis",
        ]
    ].rename(columns={"supplier_org_id": "owner"})


def kpi_concerns(store: Store, frame: pd.DataFrame, rules: str | None = None) -> pd.DataFrame:
    """Contracts with a KPI series (linked by contract, or by the supplier as provider)
    whose latest point is special-cause concern."""
    stored = kpi.series(store).drop(columns="target")
    if stored.empty or frame.empty:
        return pd.DataFrame(
            columns=[
                "contract_key",
                "title",
                "supplier_name",
                "series",
                "latest_point_type",
                "variation",
            ]
        )
    by_contract = stored.merge(frame, on="contract_key")
    by_provider = (
        stored[stored.contract_key.isna()]
        .drop(columns="contract_key")
        .merge(frame, left_on="provider_code", right_on="supplier_org_id")
    )
    linked = pd.concat([by_contract, by_provider], ignore_index=True)
    if linked.empty:
        return pd.DataFrame(
            columns=[
                "contract_key",
                "title",
                "supplier_name",
                "series",
                "latest_point_type",
                "variation",
            ]
        )
    rows = []
    for code in sorted(set(linked.code)):
        result, _ = kpi.spc(store, code, rules)
        rows.append(result.summary.iloc[0])
    summary = pd.DataFrame(rows)
    merged = linked.merge(summary, left_on="code", right_on="series")
    concern = merged[merged.latest_point_type == "special_cause_concern"]
    return concern[
        [
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
    ].reset_index(drop=True)
