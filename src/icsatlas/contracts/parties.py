"""Who a buyer or supplier is: the register organisation, and the class of supplier.

Classes: ``nhs-body``, ``trust-subsidiary``, ``independent-sector``, ``voluntary-sector``,
``local-authority``, ``unclassified``. The evidence for each class is kept beside it
(``class_basis``), in this order of precedence:

1. the user-maintained classification file (``icsatlas contracts classify FILE.csv``),
   the only source for what data cannot settle, such as which companies a trust owns;
2. an NHS ODS code (``GB-NHS`` / ``GB-ODS`` identifiers, or a code the register knows)
   matched to the register: ICBs, trusts, NHS England are NHS bodies, councils are local
   authorities, register entries typed as trust subsidiaries or independent providers
   keep that type;
3. a charity register identifier (``GB-CHC``, ``GB-SC``, ``GB-NIC``): voluntary sector;
4. a Companies House number (``GB-COH``) not listed in the classification file:
   independent sector, with the basis saying it was not listed as a trust subsidiary;
5. an exact name match in the register;
6. otherwise unclassified (never guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from icsatlas import data
from icsatlas.errors import NotFoundError
from icsatlas.inputs.columns import Column
from icsatlas.inputs.rows import read_rows
from icsatlas.names import normalise
from icsatlas.register.register import Register
from icsatlas.store import Store
from icsatlas.store.audit import record_change

CLASSES: dict[str, str] = {
    "nhs-body": "NHS body (ICB, NHS trust or foundation trust, NHS England, GP practice)",
    "trust-subsidiary": "Company wholly or partly owned by an NHS trust",
    "independent-sector": "Independent (private) sector provider",
    "voluntary-sector": "Voluntary, community or social enterprise (charity)",
    "local-authority": "Local authority",
    "unclassified": "Not classified: no identifier or listing settles it",
}
NHS_TYPES = {
    "icb",
    "nhs-trust",
    "foundation-trust",
    "nhs-england",
    "nhs-region",
    "dhsc",
    "ccg",
    "gp-practice",
    "pcn",
    "provider-collaborative",
    "neighbourhood-provider",
}
TYPE_CLASSES = {
    "local-authority": "local-authority",
    "trust-subsidiary": "trust-subsidiary",
    "independent-sector-provider": "independent-sector",
}
ODS_SCHEMES = ("GB-NHS", "GB-ODS")
CHARITY_SCHEMES = ("GB-CHC", "GB-SC", "GB-NIC")


@dataclass(frozen=True)
class Party:
    """A buyer or supplier as resolved: register link, class and the evidence for it."""

    name: str | None
    identifier: str | None
    org_id: str | None
    org_type: str | None
    party_class: str
    class_basis: str


@cache
def baseline_register() -> Register:
    """The register built from shipped data (used when no register is passed in)."""
    from icsatlas.register.build import baseline

    return baseline()


def identifier_of(party: dict) -> str | None:
    """``SCHEME-ID`` from an OCDS Organization's ``identifier`` (e.g. ``GB-COH-01234567``)."""
    ident = party.get("identifier") or {}
    scheme, code = ident.get("scheme"), ident.get("id")
    if scheme and code is not None:
        return f"{str(scheme).strip().upper()}-{str(code).strip()}"
    return None


def classify(
    name: str | None,
    identifiers: list[str],
    listed: dict[str, dict],
    register: Register,
) -> Party:
    """Resolve one party from its name and identifiers (``SCHEME-ID``)."""
    primary = identifiers[0] if identifiers else None
    for ident in identifiers:
        if ident.upper() in listed:
            entry = listed[ident.upper()]
            return Party(
                name,
                ident,
                entry.get("owner_org_id"),
                None,
                entry["party_class"],
                f"classification file: {entry['evidence']}",
            )
    for ident in identifiers:
        scheme, _, code = ident.upper().rpartition("-")
        if scheme in ODS_SCHEMES or scheme == "":
            found = _register_org(register, code)
            if found is not None:
                return _from_register(name, ident, found, f"ODS code {code} in the register")
    for ident in identifiers:
        if ident.upper().startswith(CHARITY_SCHEMES):
            return Party(name, ident, None, None, "voluntary-sector", f"registered charity {ident}")
    for ident in identifiers:
        if ident.upper().startswith("GB-COH-"):
            basis = f"company {ident}, not listed as a trust subsidiary in the classification file"
            return Party(name, ident, None, None, "independent-sector", basis)
    if name:
        found = _by_name(register, name)
        if found is not None:
            return _from_register(name, primary, found, f"name matches {found.org_id}")
    return Party(name, primary, None, None, "unclassified", "no identifier or listing settles it")


_BRACKETS = re.compile(r"\([^)]*\)")
_COUNCIL_WORDS = re.compile(
    r"\b(council|county|city|borough|metropolitan|district|royal|corporation|of|the)\b"
)


def _by_name(register: Register, name: str):
    """The one organisation a name denotes exactly, or a council named by its area
    ("Warwickshire County Council (WCC)" is the council of Warwickshire)."""
    key = normalise(_BRACKETS.sub(" ", name))
    exact = [o for o in register.find_organisations(name) if normalise(o.name) == key]
    if exact:
        return exact[-1]
    if "council" not in key:
        return None
    area = _area_words(key)
    councils = [o for o in _councils(register) if _area_words(normalise(o.name)) == area]
    return councils[0] if len(councils) == 1 else None


def _area_words(key: str) -> str:
    return " ".join(_COUNCIL_WORDS.sub(" ", key).split())


def _councils(register: Register) -> list:
    return [o for o in register.organisations.values() if o.org_type == "local-authority"]


def _register_org(register: Register, code: str):
    try:
        return register.organisation(code)
    except NotFoundError:
        return None


def _from_register(name, ident, org, basis: str) -> Party:
    if org.org_type in NHS_TYPES:
        party_class = "nhs-body"
    else:
        party_class = TYPE_CLASSES.get(org.org_type, "unclassified")
    return Party(
        name or org.name, ident, org.org_id, org.org_type, party_class, f"{basis} ({org.org_type})"
    )


def listed(store: Store) -> dict[str, dict]:
    """The classification file as loaded in the store, by identifier."""
    rows = store.fetch_dicts(
        "SELECT identifier, name, party_class, owner_org_id, evidence FROM supplier_classification"
    )
    return {r["identifier"].upper(): r for r in rows}


CLASSIFY_COLUMNS = (
    Column("identifier", "code", required=True),
    Column("party_class", "enum", required=True, choices=tuple(CLASSES), what="class"),
    Column("evidence", required=True),
    Column("name"),
    Column("owner_org_id", "code"),
)


def import_classification(store: Store, path: str | Path, actor: str | None = None) -> int:
    """Load the user-maintained supplier classification file (replaces listed identifiers).

    Columns: ``identifier`` (``GB-COH-01234567``), ``party_class`` (one of the classes),
    ``evidence`` (where this comes from: annual report, Companies House filing...), and
    optionally ``name`` and ``owner_org_id`` (the owning trust's ODS code).
    """
    entries = [
        (r["identifier"], r["name"], r["party_class"], r["owner_org_id"], r["evidence"])
        for r in read_rows(path, CLASSIFY_COLUMNS)
    ]
    with store.transaction():
        change = record_change(
            store,
            kind="import",
            reason="import supplier classification",
            source=str(path),
            actor=actor,
            detail={"rows": len(entries)},
        )
        for entry in entries:
            store.execute("DELETE FROM supplier_classification WHERE identifier = ?", (entry[0],))
            store.execute(
                "INSERT INTO supplier_classification (identifier, name, party_class,"
                " owner_org_id, evidence, change_id) VALUES (?, ?, ?, ?, ?, ?)",
                (*entry, change.change_id),
            )
    return len(entries)


def reclassify(store: Store, register: Register | None = None) -> int:
    """Classify every contract's supplier again (after the classification file changed)."""
    register = register or baseline_register()
    known = listed(store)
    rows = store.fetchall(
        "SELECT contract_key, supplier_name, supplier_identifier FROM contract"
        " WHERE supplier_name IS NOT NULL OR supplier_identifier IS NOT NULL"
    )
    with store.transaction():
        for key, name, ident in rows:
            party = classify(name, [ident] if ident else [], known, register)
            store.execute(
                "UPDATE contract SET supplier_org_id = ?, supplier_class = ?,"
                " supplier_class_basis = ? WHERE contract_key = ?",
                (party.org_id, party.party_class, party.class_basis, key),
            )
    return len(rows)


def icb_of(register: Register, org_id: str | None) -> str | None:
    """The ICB (ODS code) a buyer is, the ICB a trust belongs to (ODS etr file), or the
    ICB covering most of a council's population."""
    if not org_id or org_id not in register.organisations:
        return None
    org = register.organisations[org_id]
    if org.org_type == "icb":
        return org.ods_code
    if org.org_type == "local-authority":
        return _council_icbs().get(org.ons_code or "")
    return _trust_icbs().get(org.ods_code or "")


def council_icb(ons_code: str | None) -> str | None:
    """The ICB (ODS code) holding most of an upper-tier council's population."""
    return _council_icbs().get(ons_code or "")


@cache
def _council_icbs() -> dict[str, str]:
    """Each upper-tier council's ICB (42-ICB geography): the one holding most of its
    population."""
    shares = data.read("utla_current_to_icb_2023_population_shares", dtype={"UTLACD": str})
    largest = shares.sort_values("share_of_la_population").groupby("UTLACD").tail(1)
    return dict(zip(largest.UTLACD, largest.ICB23CDH, strict=True))


@cache
def _trust_icbs() -> dict[str, str]:
    trusts = data.read("nhs_trusts_etr_nov2023", dtype=str, keep_default_na=False)
    return dict(zip(trusts.org_code, trusts.icb_ods, strict=True))
