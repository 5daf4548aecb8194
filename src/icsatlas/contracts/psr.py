"""Provider Selection Regime decisions: standstill dates and publication obligations.

The Health Care Services (Provider Selection Regime) Regulations 2023 (in force 1 January
2024) give five processes. Direct Award C, Most Suitable Provider and the Competitive
Process publish an intention to award, which starts a standstill of 8 working days from
the day after publication; representations lead to a review and, if the authority goes
ahead, 5 more working days. Direct Awards A and B have no standstill but must publish the
award within 30 days. Figures are parameters (``contracts.psr.*``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from icsatlas.contracts import calendar, parties
from icsatlas.inputs.columns import Column
from icsatlas.inputs.rows import Allow, Placing, Record, read_rows
from icsatlas.parameters import ParameterSet
from icsatlas.register.register import Register
from icsatlas.store import Store
from icsatlas.store.audit import record_change

IN_FORCE = date(2024, 1, 1)

PROCESSES: dict[str, str] = {
    "direct-award-a": "Direct Award A (only capable provider)",
    "direct-award-b": "Direct Award B (patient choice)",
    "direct-award-c": "Direct Award C (existing provider, no considerable change)",
    "most-suitable-provider": "Most Suitable Provider",
    "competitive": "Competitive Process",
}
WITH_STANDSTILL = ("direct-award-c", "most-suitable-provider", "competitive")
DIRECT = ("direct-award-a", "direct-award-b", "direct-award-c")

_ALIASES = {
    "a": "direct-award-a",
    "direct award a": "direct-award-a",
    "da-a": "direct-award-a",
    "b": "direct-award-b",
    "direct award b": "direct-award-b",
    "da-b": "direct-award-b",
    "c": "direct-award-c",
    "direct award c": "direct-award-c",
    "da-c": "direct-award-c",
    "msp": "most-suitable-provider",
    "most suitable provider": "most-suitable-provider",
    "competitive process": "competitive",
    "competition": "competitive",
}

DATES = (
    "decision_date",
    "intention_notice_date",
    "representations_date",
    "representations_decision_date",
    "award_date",
    "award_notice_date",
)


def process_code(text: str) -> str:
    """A PSR process from its code or a common way of writing it."""
    key = text.strip().lower().replace("_", "-")
    key = _ALIASES.get(key.replace("-", " "), _ALIASES.get(key, key))
    if key not in PROCESSES:
        raise ValueError(text)
    return key


COLUMNS = (
    Column("reference", required=True),
    Column("authority", required=True),
    Column(
        "process", required=True, parse=process_code, what=f"a PSR process ({', '.join(PROCESSES)})"
    ),
    Column("provider"),
    Column("service"),
    Column("contract_value", "money"),
    *(Column(name, "date") for name in DATES),
    Column("ocid"),
)


@dataclass(frozen=True)
class Standstill:
    """The standstill an intention notice starts, and when the contract may be awarded."""

    published: date
    ends: date
    representations_decided: date | None = None
    extended_ends: date | None = None

    @property
    def award_from(self) -> date:
        """The first day the contract may be awarded."""
        return (self.extended_ends or self.ends) + timedelta(days=1)


def standstill(
    published: date, representations_decided: date | None = None, *, params: ParameterSet
) -> Standstill:
    """Standstill after an intention notice published on ``published``; if representations
    were made and the authority decided to proceed on ``representations_decided``, the
    further standstill after that decision."""
    days = params.value("contracts.psr.standstill_working_days", on=published)
    ends = calendar.add_working_days(published, days)
    extended = None
    if representations_decided is not None:
        more = params.value("contracts.psr.representations_working_days", on=published)
        extended = calendar.add_working_days(representations_decided, more)
    return Standstill(published, ends, representations_decided, extended)


@dataclass(frozen=True)
class Finding:
    """One publication or standstill obligation and whether the record shows it was met."""

    obligation: str
    status: str  # met | breached | overdue | pending | missing
    detail: str


def check(decision: dict, today: date, *, params: ParameterSet) -> list[Finding]:
    """The obligations of one decision (a row of the log) as findings."""
    process = decision["process"]
    if process in WITH_STANDSTILL:
        return _check_standstill(decision, today, params)
    return [_check_award_notice(decision, today, params)]


def _check_award_notice(decision: dict, today: date, params: ParameterSet) -> Finding:
    award, notice = decision.get("award_date"), decision.get("award_notice_date")
    allowed = params.value("contracts.psr.award_notice_days", on=award or today)
    name = f"award notice within {allowed} days"
    if award is None:
        return Finding(name, "pending", "no award date recorded")
    due = award + timedelta(days=allowed)
    if notice is None:
        if today > due:
            return Finding(name, "overdue", f"due by {due}, not published")
        return Finding(name, "pending", f"due by {due}")
    if notice > due:
        return Finding(name, "breached", f"published {notice}, {(notice - award).days} days after")
    return Finding(name, "met", f"published {notice}")


def _check_standstill(decision: dict, today: date, params: ParameterSet) -> list[Finding]:
    notice = decision.get("intention_notice_date")
    if notice is None:
        return [Finding("intention notice", "missing", "no intention-to-award notice recorded")]
    period = standstill(notice, decision.get("representations_decision_date"), params=params)
    findings = [
        Finding("intention notice", "met", f"published {notice}, standstill to {period.ends}")
    ]
    made = decision.get("representations_date")
    if made is not None and made > period.ends:
        late = f"made {made}, after the standstill ended {period.ends}"
        findings.append(Finding("representations", "breached", late))
    elif made is not None and period.extended_ends is None:
        findings.append(Finding("representations", "pending", f"made {made}, no decision yet"))
    award = decision.get("award_date")
    if award is None:
        status = "pending" if today < period.award_from else "met"
        detail = f"may award from {period.award_from}"
        findings.append(Finding("standstill", status, detail))
    elif award < period.award_from or (made is not None and period.extended_ends is None):
        early = f"awarded {award}, before {period.award_from}"
        findings.append(Finding("standstill", "breached", early))
    else:
        findings.append(Finding("standstill", "met", f"awarded {award}, standstill respected"))
    return findings


def import_decisions(
    store: Store,
    path: str | Path,
    actor: str | None = None,
    *,
    source: str | None = None,
    allow: Allow | None = None,
    register: Register | None = None,
) -> int:
    """Load a decision log (CSV, one row per decision) in one transaction; re-importing a
    reference replaces it. Every bad cell is reported as ``file:row: field: message``.
    ``allow`` sees where every decision (its authority's ICB, read with ``register``) and
    every decision it replaces are before anything is written."""
    records = read_rows(path, COLUMNS, check=_check)
    parsed = [r.values for r in records]
    with store.transaction():
        if allow is not None:
            allow(_placings(store, records, register or parties.baseline_register()))
        change = record_change(
            store,
            kind="import",
            reason="import Provider Selection Regime decisions",
            source=source or str(path),
            actor=actor,
            detail={"decisions": len(parsed)},
        )
        for decision in parsed:
            store.execute("DELETE FROM psr_decision WHERE reference = ?", (decision["reference"],))
            columns = [*decision, "change_id"]
            store.execute(
                f"INSERT INTO psr_decision ({', '.join(columns)})"  # noqa: S608 - column names from PSR_COLUMNS, values bound
                f" VALUES ({', '.join('?' * len(columns))})",
                (*decision.values(), change.change_id),
            )
    return len(parsed)


def _placings(store: Store, records: list[Record], register: Register) -> list[Placing]:
    """Each decision's authority's ICB, then that of each stored decision it replaces."""
    listed = parties.listed(store)

    def icb(authority: str) -> tuple[str, ...]:
        found = parties.icb_of(register, parties.classify(authority, [], listed, register).org_id)
        return (found,) if found else ()

    placings = [Placing(r.row, icb(r["authority"]), "authority") for r in records]
    for record in records:
        stored = store.fetchall(
            "SELECT authority FROM psr_decision WHERE reference = ?", (record["reference"],)
        )
        where = f"the stored decision {record['reference']}"
        placings += [Placing(where, icb(authority), "reference") for (authority,) in stored]
    return placings


def _check(decision: Record) -> Iterator[tuple[str, str]]:
    first = min((d for c in DATES if (d := decision[c])), default=None)
    if first is not None and first < IN_FORCE:
        yield "decision_date", f"the PSR applies from {IN_FORCE}; this is {first}"
    process, notice = decision["process"], decision["intention_notice_date"]
    if notice and process in PROCESSES and process not in WITH_STANDSTILL:
        yield "intention_notice_date", f"{PROCESSES[process]} has no intention notice or standstill"


def decisions(store: Store, today: date | None = None, *, params: ParameterSet) -> pd.DataFrame:
    """The decision log with each decision's standstill and obligations checked."""
    today = today or date.today()
    frame = store.fetch_df("SELECT * FROM psr_decision ORDER BY reference")
    rows = []
    for record in frame.drop(columns=["decision_id", "change_id"]).to_dict("records"):
        record = {k: (None if pd.isna(v) else v) for k, v in record.items()}
        for column in DATES:
            record[column] = _as_date(record[column])
        findings = check(record, today, params=params)
        period = (
            standstill(
                record["intention_notice_date"],
                record["representations_decision_date"],
                params=params,
            )
            if record["process"] in WITH_STANDSTILL and record["intention_notice_date"]
            else None
        )
        worst = min(findings, key=lambda f: _SEVERITY.index(f.status)).status
        rows.append(
            {
                "reference": record["reference"],
                "authority": record["authority"],
                "provider": record["provider"],
                "process": record["process"],
                "contract_value": record["contract_value"],
                "intention_notice": record["intention_notice_date"],
                "standstill_ends": period.ends if period else None,
                "award_from": period.award_from if period else None,
                "award_date": record["award_date"],
                "status": worst,
                "findings": "; ".join(f"{f.obligation}: {f.status} ({f.detail})" for f in findings),
            }
        )
    return pd.DataFrame(rows)


_SEVERITY = ("breached", "overdue", "missing", "pending", "met")


def _as_date(value) -> date | None:
    """Dates come back from DuckDB as Timestamps and from PostgreSQL as dates."""
    if value is None:
        return None
    return pd.Timestamp(value).date()
