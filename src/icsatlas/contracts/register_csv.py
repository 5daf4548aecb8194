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

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from icsatlas.contracts import parties
from icsatlas.contracts.psr import process_code
from icsatlas.errors import InputError, InputErrors
from icsatlas.inputs.columns import Column
from icsatlas.inputs.rows import Allow, Placing, Record, read_rows
from icsatlas.register.register import Register
from icsatlas.store import Store
from icsatlas.store.audit import record_change

ROUTES = ("open", "selective", "limited", "direct")


def _route(text: str) -> str:
    if text.strip().lower() in ROUTES:
        return text.strip().lower()
    return process_code(text)


COLUMNS = (
    Column("contract_id", required=True),
    Column("title", required=True),
    Column("buyer_name", required=True),
    Column("buyer_code", "code"),
    Column("supplier_name"),
    Column("supplier_identifier", "code"),
    Column("service_category"),
    Column("value", "money"),
    Column("currency"),
    Column("start_date", "date"),
    Column("end_date", "date"),
    Column("date_signed", "date"),
    Column(
        "procurement_route",
        parse=_route,
        what="a procurement route (a PSR process, or open, selective, limited, direct)",
    ),
    Column("previous_supplier"),
    Column("status"),
    Column("as_of", "date"),
    Column("description"),
)


def import_register(
    store: Store,
    path: str | Path,
    *,
    register: Register | None = None,
    actor: str | None = None,
    source: str | None = None,
    allow: Allow | None = None,
) -> int:
    """Load a CSV contract register in one transaction; returns the number of contracts.
    ``allow`` sees where every row (its buyer's ICB) and every contract it replaces are
    before anything is written; ``source`` names where the file came from (its path)."""
    register = register or parties.baseline_register()
    source = source or str(path)
    records = read_rows(path, COLUMNS, check=_check)
    if not records:
        raise InputErrors([InputError("the file has no contracts", file=path, row=1)])
    # object dtype keeps a blank cell None (a string column would make it NaN)
    frame = pd.DataFrame([{**r.values, "row": r.row} for r in records], dtype=object)
    frame = frame.sort_values(["contract_id", "as_of"], na_position="first")
    with store.transaction():
        listed = parties.listed(store)
        contracts, amendments = [], []
        for contract_id, history in frame.groupby("contract_id", sort=True):
            key = f"csv:{contract_id}"
            contracts.append(_contract(key, history.iloc[-1], listed, register, source))
            amendments += _amendments(key, history)
        keys = [c["contract_key"] for c in contracts]
        if allow is not None:
            allow(_placings(store, frame, keys, listed, register))
        change = record_change(
            store,
            kind="import",
            reason="import contract register (CSV)",
            source=source,
            actor=actor,
            detail={"rows": len(frame)},
        )
        import_id = store.scalar("SELECT nextval('contract_import_seq')")
        for key in keys:
            store.execute("DELETE FROM contract_amendment WHERE contract_key = ?", (key,))
            store.execute("DELETE FROM contract WHERE contract_key = ?", (key,))
        store.insert_df("contract", pd.DataFrame(contracts).assign(import_id=import_id))
        store.insert_df("contract_amendment", pd.DataFrame(amendments))
        store.execute(
            "INSERT INTO contract_import (import_id, change_id, source, format, imported_at, items)"
            " VALUES (?, ?, ?, 'csv contract register', CURRENT_TIMESTAMP, ?)",
            (import_id, change.change_id, source, len(frame)),
        )
    return len(contracts)


def _placings(
    store: Store, frame: pd.DataFrame, keys: list[str], listed: dict, register: Register
) -> list[Placing]:
    """Each row's buyer's ICB, then the ICB of each stored contract the file replaces."""
    placings = []
    for row in frame.sort_values("row").itertuples(index=False):
        codes = [c for c in [row.buyer_code] if c]
        buyer = parties.classify(row.buyer_name, codes, listed, register)
        icb = parties.icb_of(register, buyer.org_id)
        placings.append(Placing(row.row, (icb,) if icb else (), "buyer_name"))
    for key in keys:
        for (icb,) in store.fetchall(
            "SELECT icb_ods_code FROM contract WHERE contract_key = ?", (key,)
        ):
            where = f"the stored contract {key}"
            placings.append(Placing(where, (icb,) if icb else (), "contract_id"))
    return placings


def _check(record: Record) -> Iterator[tuple[str, str]]:
    start, end = record["start_date"], record["end_date"]
    if start and end and end < start:
        yield "end_date", f"ends ({end}) before it starts ({start})"


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
