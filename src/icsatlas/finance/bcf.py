"""The Better Care Fund: what councils and ICBs pool, per head, by area and year.

No per-area BCF figures are shipped. What icsatlas knows as *data* is the national
mandatory minimum by funding stream (parameters, verified). Per-area contributions come
from a user's CSV (e.g. figures copied from published BCF plans), imported into the store
atomically with an audit entry, and always shown with the import's own description and
whether the user declared it ``data`` or a ``scenario``. Per head is over the ONS mid-year
estimate of the council's population in the year the financial year starts in (mid-2024, the
latest shipped, for later years), so a council's per-head figures over time have real
denominators. No per-resident figure for a group of councils is shipped: the county
scenario (:func:`county_pooling_scenario`) takes both figures from the user.

Import CSV columns: ``area_code`` or ``ons_code`` (upper-tier local authority / Health and
Wellbeing Board ONS code), ``financial_year``, ``funding_stream`` (one of :data:`STREAMS`),
``amount_gbp``, optional ``population`` (else the ONS mid-year estimate, as above).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError
from icsatlas.finance import sourcing, years
from icsatlas.inputs.columns import Column
from icsatlas.inputs.numbers import AT_LEAST_ZERO, POSITIVE
from icsatlas.inputs.rows import Allow, Placing, Record, Unique, read_rows
from icsatlas.parameters import ParameterSet
from icsatlas.results import Result
from icsatlas.store import Store
from icsatlas.store.audit import default_actor, record_change

STREAMS = {
    "nhs_minimum": "Minimum NHS (ICB) contribution",
    "la_better_care_grant": "Local Authority Better Care Grant (formerly iBCF)",
    "disabled_facilities_grant": "Disabled Facilities Grant",
    "additional_nhs": "Additional voluntary NHS contribution",
    "additional_la": "Additional voluntary local authority contribution",
}
KINDS = ("data", "scenario")
AREAS = "utla_current_to_icb_2023_population_shares"
COUNTY_PREFIX = "E10"
POPULATION_NOTE = (
    "Per head over the ONS mid-year estimate of the year each financial year starts in "
    "(mid-2024, the latest, for later years), unless the import file gives a population."
)


@cache
def areas() -> pd.DataFrame:
    """Upper-tier local authorities (current codes) with mid-2015 population and type."""
    frame = data.read(AREAS)
    grouped = frame.groupby(["UTLACD", "UTLANM"], as_index=False)["pop_mid2015"].sum()
    grouped = grouped.rename(columns={"UTLACD": "area_code", "UTLANM": "area_name"})
    grouped["council_type"] = grouped.area_code.str.startswith(COUNTY_PREFIX).map(
        {True: "county", False: "other"}
    )
    return grouped


def residents(codes: list[str], year: str) -> pd.DataFrame:
    """ONS mid-year estimates of upper-tier councils for a financial year (the mid-year it
    starts in, or the latest): code, population, and the estimate used."""
    from icsatlas.trends import population

    people = population.upper_tier(codes, int(years.normalise(year)[:4]))
    people["population_source"] = [f"ONS mid-year estimate mid-{y}" for y in people.population_year]
    return people.set_index("code")


def national_minimums(params: ParameterSet, year: str = "2025/26") -> Result:
    """The mandatory minimum by stream, in total and per resident (data: parameters)."""
    year = years.normalise(year)
    amounts = params.value("finance.bcf.minimum_contributions", years.first_day(year))
    population = float(params.value("finance.bcf.england_population"))
    frame = pd.DataFrame(
        [
            {"funding_stream": k, "description": STREAMS[k], "amount_gbp": float(v)}
            for k, v in amounts.items()
        ]
    )
    frame.loc[len(frame)] = ["total", "Total mandatory minimum", frame.amount_gbp.sum()]
    frame["per_head_gbp"] = frame.amount_gbp / population
    notes = (
        f"Per head over England's resident population ({population / 1e6:.1f}m, ONS "
        "mid-year estimate).",
        "Per-area contributions are not shipped: import them with `icsatlas finance bcf import`.",
    )
    provenance = sourcing.provenance(params, notes=notes)
    return Result(frame, provenance, f"Better Care Fund mandatory minimum, England, {year}", notes)


COLUMNS = (
    Column("area_code", "code", required=True, headers=("ons_code",)),
    Column("financial_year", required=True, parse=years.normalise),
    Column("funding_stream", "enum", required=True, choices=tuple(STREAMS), what="stream"),
    Column("amount_gbp", "money", required=True, bounds=AT_LEAST_ZERO),
    Column("population", "number", bounds=POSITIVE),
)
_REPEAT = Unique(
    ("area_code", "financial_year", "funding_stream"), "area, year and stream appear twice"
)


def read_contributions(path: str | Path) -> pd.DataFrame:
    """Parse and check an import CSV; every bad cell is reported as file:row: field."""
    return _frame(_records(path))


def _records(path: str | Path) -> list[Record]:
    names = areas().set_index("area_code").area_name

    def check(record: Record) -> Iterator[tuple[str, str]]:
        code = record["area_code"]
        if code and code not in names.index:
            yield "area_code", f"not an upper-tier local authority code: {code!r}"
        record.values["area_name"] = names.get(code, "")

    records = read_rows(path, COLUMNS, others="ignore", check=check, unique=[_REPEAT])
    if not records:
        raise InputError("no rows to import", file=str(path))
    return records


def _frame(records: list[Record]) -> pd.DataFrame:
    return pd.DataFrame([r.values for r in records], columns=_COLUMNS[1:])


def placing(record: Record) -> Placing:
    """Where a row is: its council, and the ICB holding most of the council's population."""
    from icsatlas.contracts.parties import council_icb

    code = record["area_code"]
    icb = council_icb(code)
    return Placing(record.row, (code, icb) if icb else (code,), "area_code")


def import_contributions(
    store: Store,
    path: str | Path,
    description: str,
    kind: str = "data",
    actor: str | None = None,
    *,
    source: str | None = None,
    allow: Allow | None = None,
) -> int:
    """Load a checked CSV in one transaction (all rows or none), logged; returns the import
    id. ``allow`` sees where every row is (its council and that council's ICB) before
    anything is written; ``source`` names where the file came from (its name)."""
    if kind not in KINDS:
        raise InputError(f"kind must be {' or '.join(KINDS)}, got {kind!r}", field="kind")
    if not description.strip():
        raise InputError(
            "say where the figures come from (e.g. 'BCF plan 2025/26, Kent HWB')",
            field="description",
        )
    records = _records(path)
    if allow is not None:
        allow([placing(r) for r in records])
    frame = _frame(records)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    actor = actor or default_actor()
    named = source or Path(path).name
    with store.transaction():
        import_id = int(store.scalar("SELECT nextval('finance_bcf_import_seq')"))
        store.execute(
            "INSERT INTO finance_bcf_import (import_id, imported_at, actor, source_file,"
            " source_sha256, source_description, kind, row_count)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (import_id, _now(), actor, named, digest, description, kind, len(frame)),
        )
        store.insert_df("finance_bcf_contribution", frame.assign(import_id=import_id)[_COLUMNS])
        record_change(
            store,
            kind="finance.bcf.import",
            reason=f"imported {len(frame)} BCF contribution rows ({kind})",
            source=f"{named} sha256:{digest[:12]}: {description}",
            actor=actor,
            detail={"import_id": import_id, "rows": len(frame), "kind": kind},
        )
    return import_id


_COLUMNS = [
    "import_id",
    "area_code",
    "area_name",
    "financial_year",
    "funding_stream",
    "amount_gbp",
    "population",
]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


_LATEST = """
SELECT c.area_code, c.area_name, c.financial_year, c.funding_stream, c.amount_gbp, c.population,
       i.kind, i.source_description, i.import_id
FROM (
    SELECT *, ROW_NUMBER() OVER (
        PARTITION BY area_code, financial_year, funding_stream ORDER BY import_id DESC) AS newest
    FROM finance_bcf_contribution
) c JOIN finance_bcf_import i ON i.import_id = c.import_id
WHERE c.newest = 1
ORDER BY c.area_code, c.financial_year, c.funding_stream
"""


def contributions(store: Store, params: ParameterSet, year: str | None = None) -> Result:
    """Pooled contributions per area and year (latest import wins), per head and year on year."""
    rows = store.fetch_df(_LATEST)
    if rows.empty:
        raise InputError(
            "no BCF contributions imported yet: run `icsatlas finance bcf import FILE`"
        )
    wide = _per_area(rows)
    if year is not None:
        wide = wide[wide.financial_year == years.normalise(year)]
    notes = (*_kind_notes(rows), POPULATION_NOTE)
    provenance = sourcing.provenance(params, data={**_import_sources(rows), **_mye()}, notes=notes)
    return Result(
        wide.reset_index(drop=True).rename(columns={"area_code": "ons_code"}),
        provenance,
        "Better Care Fund pooled contributions per head",
        notes,
    )


def _per_area(rows: pd.DataFrame) -> pd.DataFrame:
    totals = rows.pivot_table(
        index=["area_code", "area_name", "financial_year"],
        columns="funding_stream",
        values="amount_gbp",
        aggfunc="sum",
    ).fillna(0.0)
    totals["pooled_gbp"] = totals.sum(axis=1)
    totals.columns.name = None
    totals = totals.reset_index()
    given = rows.groupby(["area_code", "financial_year"]).population.max()
    reference = areas().set_index("area_code")
    estimated = {
        fy: residents(sorted(set(totals.area_code)), fy)
        for fy in sorted(set(totals.financial_year))
    }
    populations, sources = [], []
    for code, fy in zip(totals.area_code, totals.financial_year, strict=True):
        if pd.notna(given.get((code, fy))):
            populations.append(given.get((code, fy)))
            sources.append("import file")
        else:
            populations.append(estimated[fy].population[code])
            sources.append(estimated[fy].population_source[code])
    totals["population"] = populations
    totals["population_source"] = sources
    totals["council_type"] = totals.area_code.map(reference.council_type)
    totals["pooled_per_head"] = totals.pooled_gbp / totals.population
    totals = totals.sort_values(["area_code", "financial_year"])
    totals["change_per_head"] = totals.groupby("area_code").pooled_per_head.diff()
    kinds = rows.groupby(["area_code", "financial_year"]).kind.agg(
        lambda k: "/".join(sorted(set(k)))
    )
    totals["kind"] = [
        kinds[(c, y)] for c, y in zip(totals.area_code, totals.financial_year, strict=True)
    ]
    return totals


def county_split(store: Store, params: ParameterSet, year: str | None = None) -> Result:
    """County councils vs other councils: pooled total, population and per head, by year."""
    per_area = contributions(store, params, year)
    frame = per_area.frame.groupby(["financial_year", "council_type"], as_index=False)[
        ["pooled_gbp", "population"]
    ].sum()
    frame["areas"] = per_area.frame.groupby(["financial_year", "council_type"]).size().to_numpy()
    frame["pooled_per_head"] = frame.pooled_gbp / frame.population
    notes = (
        *per_area.notes,
        "County = county council (ONS code E10); other = unitary, metropolitan, London.",
    )
    return Result(
        frame,
        per_area.provenance,
        "Better Care Fund per head: county councils vs other councils",
        notes,
    )


def county_pooling_scenario(
    params: ParameterSet,
    from_year: str | None = None,
    to_year: str | None = None,
    from_per_head: float | None = None,
    to_per_head: float | None = None,
) -> Result:
    """What county councils pooling ``from_per_head`` a resident in ``from_year`` and
    ``to_per_head`` in ``to_year`` means in pounds (a scenario: every figure is the user's;
    the populations are the ONS mid-year estimates of the county councils' areas)."""
    given = {
        "from_year": from_year,
        "to_year": to_year,
        "from_per_head": from_per_head,
        "to_per_head": to_per_head,
    }
    missing = [k for k, v in given.items() if v is None]
    if missing:
        raise InputError(
            "no sourced per-resident figure for county councils is shipped: give "
            + ", ".join(missing),
            field=missing[0],
        )
    counties = areas()
    codes = list(counties[counties.council_type == "county"].area_code)
    rows: list[dict[str, Any]] = []
    labels: list[str] = []
    for year, per_head, option in (
        (from_year, from_per_head, "from_per_head"),
        (to_year, to_per_head, "to_per_head"),
    ):
        year = years.normalise(str(year))
        if float(per_head or 0) < 0:
            raise InputError(f"must be 0 or more, got {per_head:g}", field=option)
        people = residents(codes, year)
        population = float(people.population.sum())
        rows.append(
            {
                "financial_year": year,
                "councils": "county",
                "areas": len(codes),
                "population": population,
                "population_source": people.population_source.iloc[0],
                "per_head_gbp": float(per_head or 0),
                "implied_pooled_gbp": float(per_head or 0) * population,
            }
        )
        labels.append(f"£{float(per_head or 0):.2f} in {year}")
    first, last = rows
    change = {
        "financial_year": f"change {first['financial_year']} to {last['financial_year']}",
        "councils": "county",
        "areas": len(codes),
        "population": last["population"] - first["population"],
        "population_source": "difference",
        "per_head_gbp": last["per_head_gbp"] - first["per_head_gbp"],
        "implied_pooled_gbp": last["implied_pooled_gbp"] - first["implied_pooled_gbp"],
    }
    frame = pd.DataFrame([*rows, change])
    notes = (
        "SCENARIO, NOT DATA: county councils' pooled Better Care Fund contribution per "
        f"resident, {' and '.join(labels)} as given - one group of councils at two dates, not "
        "counties against other councils.",
        f"The change of {_pounds(change['per_head_gbp'], '.2f')} a head is "
        f"{_pounds(change['implied_pooled_gbp'] / 1e6, ',.1f')}m a year pooled at each year's "
        "population; cash terms, not adjusted for inflation.",
        "Population: ONS mid-year estimates of the county council areas (the year each "
        "financial year starts in; mid-2024, the latest, for later years).",
    )
    provenance = sourcing.provenance(
        params, data={"areas": data.source(AREAS).cite(), **_mye()}, notes=notes
    )
    title = (
        f"BCF pooled per resident by county councils, {first['financial_year']} and "
        + last["financial_year"]
    )
    return Result(frame, provenance, title, notes)


def _pounds(value: float, spec: str) -> str:
    """-2.13 -> '-£2.13', 2.13 -> '+£2.13'."""
    return f"{'-' if value < 0 else '+'}£{abs(value):{spec}}"


def _mye() -> dict[str, str]:
    from icsatlas.data import releases
    from icsatlas.trends.population import MYE

    return {MYE: releases.cite(MYE)}


def _kind_notes(rows: pd.DataFrame) -> tuple[str, ...]:
    notes = []
    if (rows.kind == "scenario").any():
        notes.append("Some figures were imported as a SCENARIO, not data: see the kind column.")
    notes.append(
        "Figures are user imports (latest import wins); icsatlas ships no per-area BCF data."
    )
    return tuple(notes)


def _import_sources(rows: pd.DataFrame) -> dict[str, str]:
    imports = rows.drop_duplicates("import_id")
    return {
        f"bcf_import_{r.import_id}": f"{r.source_description} ({r.kind})"
        for r in imports.itertuples()
    }
