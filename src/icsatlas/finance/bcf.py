"""The Better Care Fund: what councils and ICBs pool, per head, by area and year.

No per-area BCF figures are shipped. What icsatlas knows as *data* is the national
mandatory minimum by funding stream (parameters, verified). Per-area contributions come
from a user's CSV (e.g. figures copied from published BCF plans), imported into the store
atomically with an audit entry, and always shown with the import's own description and
whether the user declared it ``data`` or a ``scenario``. The seed's £13.43 vs £15.56 per
head are a scenario (see :func:`per_head_scenario`), never data.

Import CSV columns: ``area_code`` (upper-tier local authority / Health and Wellbeing Board
ONS code), ``financial_year``, ``funding_stream`` (one of :data:`STREAMS`), ``amount_gbp``,
optional ``population`` (else the shipped mid-2015 population scaled to England's latest
estimate).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pandas as pd

from icsatlas import data, parameters
from icsatlas.errors import InputError
from icsatlas.finance import years
from icsatlas.inputs.columns import Column
from icsatlas.inputs.numbers import AT_LEAST_ZERO, POSITIVE
from icsatlas.inputs.rows import Record, Unique, read_rows
from icsatlas.provenance import Provenance
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


@cache
def areas() -> pd.DataFrame:
    """Upper-tier local authorities (current codes) with mid-2015 population and type."""
    frame = data.read(AREAS)
    grouped = frame.groupby(["UTLACD", "UTLANM"], as_index=False)["pop_mid2015"].sum()
    grouped = grouped.rename(columns={"UTLACD": "area_code", "UTLANM": "area_name"})
    grouped["council_type"] = grouped.area_code.str.startswith(COUNTY_PREFIX).map(
        {True: "county", False: "other"}
    )
    england = float(parameters.value("finance.bcf.england_population"))
    grouped["population_estimate"] = grouped.pop_mid2015 * england / grouped.pop_mid2015.sum()
    return grouped


def national_minimums(year: str = "2025/26") -> Result:
    """The mandatory minimum by stream, in total and per resident (data: parameters)."""
    year = years.normalise(year)
    amounts = parameters.value("finance.bcf.minimum_contributions", years.first_day(year))
    population = float(parameters.value("finance.bcf.england_population"))
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
    provenance = Provenance(parameters=parameters.version(), notes=notes)
    return Result(frame, provenance, f"Better Care Fund mandatory minimum, England, {year}", notes)


COLUMNS = (
    Column("area_code", "code", required=True),
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
    names = areas().set_index("area_code").area_name

    def check(record: Record) -> Iterator[tuple[str, str]]:
        code = record["area_code"]
        if code and code not in names.index:
            yield "area_code", f"not an upper-tier local authority code: {code!r}"
        record.values["area_name"] = names.get(code, "")

    records = read_rows(path, COLUMNS, others="ignore", check=check, unique=[_REPEAT])
    if not records:
        raise InputError("no rows to import", file=str(path))
    return pd.DataFrame([r.values for r in records], columns=_COLUMNS[1:])


def import_contributions(
    store: Store, path: str | Path, description: str, kind: str = "data", actor: str | None = None
) -> int:
    """Load a checked CSV in one transaction (all rows or none), logged; returns the import id."""
    if kind not in KINDS:
        raise InputError(f"kind must be {' or '.join(KINDS)}, got {kind!r}", field="kind")
    if not description.strip():
        raise InputError(
            "say where the figures come from (e.g. 'BCF plan 2025/26, Kent HWB')",
            field="description",
        )
    frame = read_contributions(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    actor = actor or default_actor()
    with store.transaction():
        import_id = int(store.scalar("SELECT nextval('finance_bcf_import_seq')"))
        store.execute(
            "INSERT INTO finance_bcf_import (import_id, imported_at, actor, source_file,"
            " source_sha256, source_description, kind, row_count)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (import_id, _now(), actor, Path(path).name, digest, description, kind, len(frame)),
        )
        store.insert_df("finance_bcf_contribution", frame.assign(import_id=import_id)[_COLUMNS])
        record_change(
            store,
            kind="finance.bcf.import",
            reason=f"imported {len(frame)} BCF contribution rows ({kind})",
            source=f"{Path(path).name} sha256:{digest[:12]}: {description}",
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


def contributions(store: Store, year: str | None = None) -> Result:
    """Pooled contributions per area and year (latest import wins), per head and year on year."""
    rows = store.fetch_df(_LATEST)
    if rows.empty:
        raise InputError(
            "no BCF contributions imported yet: run `icsatlas finance bcf import FILE`"
        )
    wide = _per_area(rows)
    if year is not None:
        wide = wide[wide.financial_year == years.normalise(year)]
    notes = _kind_notes(rows)
    provenance = Provenance(
        data=_import_sources(rows), parameters=parameters.version(), notes=notes
    )
    return Result(
        wide.reset_index(drop=True),
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
    totals["population"] = [
        given.get((code, year))
        if pd.notna(given.get((code, year)))
        else reference.population_estimate[code]
        for code, year in zip(totals.area_code, totals.financial_year, strict=True)
    ]
    totals["population_source"] = [
        "import file"
        if pd.notna(given.get((c, y)))
        else "mid-2015 scaled to England mid-2023 (estimate)"
        for c, y in zip(totals.area_code, totals.financial_year, strict=True)
    ]
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


def county_split(store: Store, year: str | None = None) -> Result:
    """County councils vs other councils: pooled total, population and per head, by year."""
    per_area = contributions(store, year)
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


def per_head_scenario(
    county: float | None = None, other: float | None = None, year: str = "2025/26"
) -> Result:
    """What given per-head pooling would mean in £ for county and other councils (a scenario).

    Defaults are the seed's unconfirmed £13.43 (county) and £15.56 (other) per head.
    """
    seed = parameters.value("finance.bcf.seed_per_head_scenario", years.first_day(year))
    county = float(seed["county"] if county is None else county)
    other = float(seed["other"] if other is None else other)
    for name, value in (("county", county), ("other", other)):
        if value < 0:
            raise InputError(f"must be 0 or more, got {value}", field=name)
    frame = (
        areas()
        .groupby("council_type", as_index=False)
        .agg(areas=("area_code", "size"), population=("population_estimate", "sum"))
    )
    frame["scenario_per_head"] = frame.council_type.map({"county": county, "other": other})
    frame["implied_pooled_gbp"] = frame.population * frame.scenario_per_head
    gap = (other - county) * frame.loc[frame.council_type == "county", "population"].sum()
    notes = (
        "SCENARIO, NOT DATA: per-head figures are inputs (the seed's £13.43 vs £15.56 "
        "are unconfirmed in any public source).",
        f"At these rates county areas pool £{gap / 1e6:,.0f}m a year less than they would "
        "at the other councils' rate.",
        "Populations: mid-2015 IoD denominators scaled to England's mid-2023 estimate.",
    )
    provenance = Provenance(
        data={"areas": data.source(AREAS).cite()}, parameters=parameters.version(), notes=notes
    )
    return Result(frame, provenance, f"BCF per-head scenario, {year}", notes)


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
