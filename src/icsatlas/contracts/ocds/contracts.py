"""Contracts out of a compiled OCDS release: one row per contract (or per award where no
contract is published), its parties classified, and its amendments over time."""

from __future__ import annotations

from datetime import date
from typing import Any

from icsatlas.contracts import parties
from icsatlas.contracts.psr import process_code
from icsatlas.register.register import Register


def _date(text: Any) -> date | None:
    if not text or not isinstance(text, str):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _amount(value: Any) -> tuple[float | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    amount = value.get("amount")
    return (float(amount) if isinstance(amount, (int, float)) else None), value.get("currency")


def route(tender: dict) -> str | None:
    """The procurement route: a PSR process where the notice names one, else the OCDS
    ``procurementMethod`` (open, selective, limited, direct)."""
    for text in (tender.get("procurementMethodDetails"), tender.get("procurementMethodRationale")):
        if isinstance(text, str):
            for candidate in (text, *text.replace("(", " ").replace(")", " ").split(";")):
                try:
                    return process_code(candidate)
                except ValueError:
                    continue
            lowered = text.lower()
            for phrase in (
                "direct award a",
                "direct award b",
                "direct award c",
                "most suitable provider",
                "competitive process",
            ):
                if phrase in lowered:
                    return process_code(phrase)
    return tender.get("procurementMethod")


def category(compiled: dict) -> str | None:
    """The service category: the tender's CPV classification, else its first item's."""
    tender = compiled.get("tender") or {}
    candidates = [tender.get("classification")]
    candidates += [
        i.get("classification") for i in tender.get("items") or [] if isinstance(i, dict)
    ]
    for found in candidates:
        if isinstance(found, dict) and found.get("id"):
            label = found.get("description")
            return f"{found.get('scheme', 'CPV')} {found['id']}" + (f" {label}" if label else "")
    return tender.get("mainProcurementCategory")


def resolve_parties(compiled: dict, listed: dict, register: Register) -> dict[str, parties.Party]:
    """Every party of a compiled release, by its OCDS party id."""
    resolved = {}
    for party in compiled.get("parties") or []:
        if not isinstance(party, dict) or party.get("id") is None:
            continue
        idents = [i for i in [parties.identifier_of(party)] if i]
        idents += [
            f"{a.get('scheme', '')}-{a.get('id')}".upper()
            for a in party.get("additionalIdentifiers") or []
            if isinstance(a, dict)
        ]
        resolved[str(party["id"])] = parties.classify(party.get("name"), idents, listed, register)
    return resolved


def extract(compiled: dict, releases: list[dict], listed: dict, register: Register):
    """(contract rows, party rows, amendment rows) for one compiled release."""
    ocid = compiled["ocid"]
    resolved = resolve_parties(compiled, listed, register)
    party_rows = [
        {
            "ocid": ocid,
            "party_id": pid,
            "name": p.name,
            "roles": ",".join(_roles(compiled, pid)),
            "identifier": p.identifier,
            "org_id": p.org_id,
            "org_type": p.org_type,
            "party_class": p.party_class,
            "class_basis": p.class_basis,
        }
        for pid, p in resolved.items()
    ]
    buyer = _party_ref(compiled.get("buyer"), resolved)
    tender = compiled.get("tender") or {}
    awards = {str(a.get("id")): a for a in compiled.get("awards") or [] if isinstance(a, dict)}
    contracts = [c for c in compiled.get("contracts") or [] if isinstance(c, dict)]
    entries = contracts or [dict(a, awardID=a.get("id")) for a in awards.values()]
    rows, amendments = [], []
    for entry in entries:
        award = awards.get(str(entry.get("awardID")), {})
        supplier = _supplier(award, resolved)
        value, currency = _amount(entry.get("value"))
        if value is None:
            value, currency = _amount(award.get("value"))
        period = entry.get("period") or award.get("contractPeriod") or {}
        key = f"{ocid}/{entry.get('id')}"
        rows.append(
            {
                "contract_key": key,
                "ocid": ocid,
                "contract_id": str(entry.get("id")),
                "title": entry.get("title") or award.get("title") or tender.get("title"),
                "status": entry.get("status") or award.get("status"),
                "buyer_name": buyer.name if buyer else None,
                "buyer_org_id": buyer.org_id if buyer else None,
                "buyer_class": buyer.party_class if buyer else None,
                "icb_ods_code": parties.icb_of(register, buyer.org_id) if buyer else None,
                "supplier_name": supplier.name if supplier else None,
                "supplier_identifier": supplier.identifier if supplier else None,
                "supplier_org_id": supplier.org_id if supplier else None,
                "supplier_class": supplier.party_class if supplier else "unclassified",
                "supplier_class_basis": supplier.class_basis if supplier else "no supplier named",
                "service_category": category(compiled),
                "value_amount": value,
                "currency": currency,
                "start_date": _date(period.get("startDate")),
                "end_date": _date(period.get("endDate")),
                "date_signed": _date(entry.get("dateSigned") or award.get("date")),
                "procurement_method": tender.get("procurementMethod"),
                "procurement_route": route(tender),
                "previous_supplier": None,
            }
        )
        amendments += _history(key, str(entry.get("id")), releases, bool(contracts))
    return rows, party_rows, amendments


def _roles(compiled: dict, party_id: str) -> list[str]:
    for party in compiled.get("parties") or []:
        if isinstance(party, dict) and str(party.get("id")) == party_id:
            return [str(r) for r in party.get("roles") or []]
    return []


def _party_ref(reference: Any, resolved: dict) -> parties.Party | None:
    if not isinstance(reference, dict):
        return None
    found = resolved.get(str(reference.get("id")))
    if found is None and reference.get("name"):
        return parties.Party(reference["name"], None, None, None, "unclassified", "not in parties")
    return found


def _supplier(award: dict, resolved: dict) -> parties.Party | None:
    found = [_party_ref(s, resolved) for s in award.get("suppliers") or []]
    suppliers = [s for s in found if s is not None]
    if not suppliers:
        return None
    if len(suppliers) == 1:
        return suppliers[0]
    names = "; ".join(s.name or "?" for s in suppliers)
    first = suppliers[0]
    return parties.Party(
        names,
        first.identifier,
        first.org_id,
        first.org_type,
        first.party_class,
        f"first of {len(suppliers)} suppliers: {first.class_basis}",
    )


def _history(key: str, contract_id: str, releases: list[dict], is_contract: bool) -> list[dict]:
    """A row each time a release changed the contract's value or end date, with the
    amendment's description where the release gives one."""
    rows, last = [], None
    section = "contracts" if is_contract else "awards"
    for release in sorted(releases, key=lambda r: str(r.get("date"))):
        for entry in release.get(section) or []:
            if not isinstance(entry, dict) or str(entry.get("id")) != contract_id:
                continue
            value, _ = _amount(entry.get("value"))
            period = entry.get("period") or entry.get("contractPeriod") or {}
            state = (value, _date(period.get("endDate")))
            if state == (None, None) or state == last:
                continue
            notes = [
                a.get("description") or a.get("rationale")
                for a in entry.get("amendments") or []
                if isinstance(a, dict)
            ]
            rows.append(
                {
                    "contract_key": key,
                    "amendment_id": str(release.get("id")),
                    "amendment_date": _date(release.get("date")),
                    "description": "original"
                    if last is None
                    else (notes[-1] if notes else "change"),
                    "value_amount": state[0],
                    "end_date": state[1],
                }
            )
            last = state
    return rows
