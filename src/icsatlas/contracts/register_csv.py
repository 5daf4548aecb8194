"""A contract register kept as a spreadsheet (CSV), for registers not published in OCDS.

One row per contract, or several rows per contract with an ``as_of`` date to record how
it changed (value, end date, supplier): the latest row is the contract as it stands and
every row is kept as an amendment. Re-importing replaces the contracts it lists.

Columns: ``contract_id``, ``title``, ``buyer_name`` required; optional ``buyer_code``
(ODS), ``supplier_name``, ``supplier_identifier`` (``GB-COH-…``, ``GB-CHC-…``, ``GB-NHS-…``),
``service_category``, ``value``, ``currency``, ``start_date``, ``end_date``,
``date_signed``, ``procurement_route`` (a PSR process or open/selective/limited/direct),
``previous_supplier``, ``status``, ``as_of``, ``description``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from icsatlas.contracts import parties
from icsatlas.contracts.csvrows import Rows
from icsatlas.contracts.psr import process_code
from icsatlas.register.register import Register
from icsatlas.store import Store
from icsatlas.store.audit import record_change

REQUIRED = ("contract_id", "title", "buyer_name")
OPTIONAL = (
    "buyer_code",
    "supplier_name",
    "supplier_identifier",
    "service_category",
    "value",
    "currency",
    "start_date",
    "end_date",
    "date_signed",
    "procurement_route",
    "previous_supplier",
    "status",
    "as_of",
    "description",
)
ROUTES = ("open", "selective", "limited", "direct")


def _route(text: str) -> str:
    if text.strip().lower() in ROUTES:
        return text.strip().lower()
    return process_code(text)


def import_register(
    store: Store, path: str | Path, *, register: Register | None = None, actor: str | None = None
) -> int:
    """Load a CSV contract register in one transaction; returns the number of contracts."""
    register = register or parties.baseline_register()
    rows = Rows(path, REQUIRED, OPTIONAL)
    parsed = [_parse(rows, number, row) for number, row in rows]
    rows.raise_if_errors()
    if not parsed:
        rows.error(1, "contract_id", "the file has no contracts")
        rows.raise_if_errors()
    frame = pd.DataFrame(parsed).sort_values(["contract_id", "as_of"], na_position="first")
    with store.transaction():
        change = record_change(
            store,
            kind="import",
            reason="import contract register (CSV)",
            source=str(path),
            actor=actor,
            detail={"rows": len(frame)},
        )
        import_id = store.scalar("SELECT nextval('contract_import_seq')")
        listed = parties.listed(store)
        contracts, amendments = [], []
        for contract_id, history in frame.groupby("contract_id", sort=True):
            key = f"csv:{contract_id}"
            contracts.append(_contract(key, history.iloc[-1], listed, register, str(path)))
            amendments += _amendments(key, history)
        keys = [c["contract_key"] for c in contracts]
        for key in keys:
            store.execute("DELETE FROM contract_amendment WHERE contract_key = ?", (key,))
            store.execute("DELETE FROM contract WHERE contract_key = ?", (key,))
        store.insert_df("contract", pd.DataFrame(contracts).assign(import_id=import_id))
        store.insert_df("contract_amendment", pd.DataFrame(amendments))
        store.execute(
            "INSERT INTO contract_import (import_id, change_id, source, format, imported_at, items)"
            " VALUES (?, ?, ?, 'csv contract register', CURRENT_TIMESTAMP, ?)",
            (import_id, change.change_id, str(path), len(frame)),
        )
    return len(contracts)


def _parse(rows: Rows, number: int, row: dict[str, str]) -> dict:
    parsed = {column: row.get(column) or None for column in (*REQUIRED, *OPTIONAL)}
    for column in REQUIRED:
        rows.require(number, column, row[column])
    parsed["value"] = rows.number(number, "value", row.get("value", ""))
    for column in ("start_date", "end_date", "date_signed", "as_of"):
        parsed[column] = rows.date(number, column, row.get(column, ""))
    parsed["procurement_route"] = rows.parse(
        number,
        "procurement_route",
        row.get("procurement_route", ""),
        _route,
        "a procurement route (a PSR process, or open, selective, limited, direct)",
    )
    start, end = parsed["start_date"], parsed["end_date"]
    if start and end and end < start:
        rows.error(number, "end_date", f"ends ({end}) before it starts ({start})")
    return parsed


def _contract(key: str, row: pd.Series, listed: dict, register: Register, source: str) -> dict:
    buyer = parties.classify(row.buyer_name, [c for c in [row.buyer_code] if c], listed, register)
    idents = [i.upper() for i in [row.supplier_identifier] if i]
    supplier = (
        parties.classify(row.supplier_name, idents, listed, register)
        if row.supplier_name or idents
        else None
    )
    return {
        "contract_key": key,
        "ocid": None,
        "contract_id": row.contract_id,
        "title": row.title,
        "status": row.status,
        "buyer_name": row.buyer_name,
        "buyer_org_id": buyer.org_id,
        "buyer_class": buyer.party_class,
        "icb_ods_code": parties.icb_of(register, buyer.org_id),
        "supplier_name": row.supplier_name,
        "supplier_identifier": idents[0] if idents else None,
        "supplier_org_id": supplier.org_id if supplier else None,
        "supplier_class": supplier.party_class if supplier else "unclassified",
        "supplier_class_basis": supplier.class_basis if supplier else "no supplier named",
        "service_category": row.service_category,
        "value_amount": row.value,
        "currency": row.currency or ("GBP" if pd.notna(row.value) else None),
        "start_date": row.start_date,
        "end_date": row.end_date,
        "date_signed": row.date_signed,
        "procurement_method": None,
        "procurement_route": row.procurement_route,
        "previous_supplier": row.previous_supplier,
        "source": f"csv:{source}",
    }


def _amendments(key: str, history: pd.DataFrame) -> list[dict]:
    return [
        {
            "contract_key": key,
            "amendment_id": str(i),
            "amendment_date": row.as_of or row.date_signed or row.start_date,
            "description": row.description or ("original" if i == 0 else "change"),
            "value_amount": row.value,
            "end_date": row.end_date,
        }
        for i, row in enumerate(history.itertuples(index=False))
    ]
