"""KPI series per contract, provider or ICB: CSV import, the shipped real series, and SPC
over what is stored.

Shipped series (NHS England statistics, OGL v3, see ``data/sources.yaml``):

* ``ae-4h``: A&E 4-hour performance by provider, monthly Apr 2023 - Apr 2025;
* ``rtt-18w``: referral to treatment within 18 weeks, England, monthly Aug 2007 - Apr 2026;
* ``cancer-62d``, ``cancer-31d``, ``cancer-fds``: cancer waiting times by ICB and by
  provider, monthly Apr - Oct 2023 (7 points: trial limits only).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from icsatlas import data
from icsatlas.contracts.spc import SpcResult, analyse, rule_set
from icsatlas.contracts.spc.analysis import DIRECTIONS
from icsatlas.errors import InputError, NotFoundError
from icsatlas.inputs.columns import Column
from icsatlas.inputs.rows import Unique, read_rows
from icsatlas.names import short_name
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance
from icsatlas.register.reference import tidy_name
from icsatlas.store import Store
from icsatlas.store.audit import record_change


@dataclass(frozen=True)
class SeriesMeta:
    """What a KPI series measures and how to judge it."""

    code: str
    name: str
    unit: str = ""
    improvement: str = "increase"
    target: float | None = None
    contract_key: str | None = None
    provider_code: str | None = None
    icb_ods_code: str | None = None
    target_parameter: str | None = None


def save(
    store: Store,
    metas: list[SeriesMeta],
    points: pd.DataFrame,
    source: str,
    actor: str | None = None,
    reason: str = "import KPI series",
) -> int:
    """Store series (replacing any with the same codes) in one transaction.
    ``points`` has columns ``code``, ``date``, ``value``."""
    with store.transaction():
        change = record_change(
            store,
            kind="import",
            reason=reason,
            source=source,
            actor=actor,
            detail={"series": len(metas), "points": len(points)},
        )
        codes = [m.code for m in metas]
        for code in codes:
            store.execute(
                "DELETE FROM kpi_point WHERE series_id IN"
                " (SELECT series_id FROM kpi_series WHERE code = ?)",
                (code,),
            )
            store.execute("DELETE FROM kpi_series WHERE code = ?", (code,))
        ids = {}
        for meta in metas:
            series_id = store.scalar("SELECT nextval('kpi_series_seq')")
            store.execute(
                "INSERT INTO kpi_series (series_id, code, name, unit, improvement, target,"
                " contract_key, provider_code, icb_ods_code, target_parameter, source, change_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    series_id,
                    meta.code,
                    meta.name,
                    meta.unit,
                    meta.improvement,
                    meta.target,
                    meta.contract_key,
                    meta.provider_code,
                    meta.icb_ods_code,
                    meta.target_parameter,
                    source,
                    change.change_id,
                ),
            )
            ids[meta.code] = int(series_id)
        frame = pd.DataFrame(
            {
                "series_id": points["code"].map(ids).astype("int64"),
                "period": pd.to_datetime(points["date"]).dt.date,
                "value": points["value"].astype(float),
            }
        )
        store.insert_df("kpi_point", frame)
    return len(metas)


CSV_COLUMNS = (
    Column("date", "date", required=True, months=True),
    # a KPI may be an amount (£) or a proportion: 86.1% is 0.861, as the shipped series
    Column("value", "money", required=True, percent="fraction", what="a number"),
    Column("series"),
)


def read_csv(path: str | Path) -> pd.DataFrame:
    """A plain ``date,value`` CSV (optionally with a ``series`` column) as a frame; a date
    may be a month (``Jan-24``: its first day). Every bad cell is reported as
    ``file:row: field: message``."""
    repeat = Unique(("series", "date"), "a second value for {date}", optional=("series",))
    records = read_rows(path, CSV_COLUMNS, unique=[repeat])
    if not records:
        raise InputError("no data rows", file=str(path), row=2)
    return pd.DataFrame([r.values for r in records], columns=["series", "date", "value"])


def import_csv(
    store: Store,
    path: str | Path,
    meta: SeriesMeta,
    actor: str | None = None,
    *,
    source: str | None = None,
    allow: Callable[[list[SeriesMeta]], None] | None = None,
) -> int:
    """Import a KPI CSV; with a ``series`` column each series becomes ``CODE/SERIES``.
    ``allow`` sees the series (what each monitors, and so where it is) before anything is
    written; ``source`` names where the file came from (its path)."""
    if meta.improvement not in DIRECTIONS:
        raise InputError(f"improvement must be one of {', '.join(DIRECTIONS)}")
    frame = read_csv(path)
    if frame["series"].notna().any():
        frame["code"] = meta.code + "/" + frame["series"].fillna("")
        metas = [
            SeriesMeta(**{**vars(meta), "code": c, "name": f"{meta.name} ({c})"})
            for c in frame["code"].unique()
        ]
    else:
        frame["code"] = meta.code
        metas = [meta]
    if allow is not None:
        allow(metas)
    return save(store, metas, frame, source or str(path), actor)


def stored(store: Store, codes: list[str]) -> list[SeriesMeta]:
    """The stored series with these codes (those an import of them would replace)."""
    marks = ", ".join("?" * len(codes))
    rows = store.fetchall(
        "SELECT code, name, contract_key, provider_code, icb_ods_code FROM kpi_series"  # noqa: S608 - placeholders only; values bound
        f" WHERE code IN ({marks})",
        codes,
    )
    return [
        SeriesMeta(code, name, contract_key=c, provider_code=p, icb_ods_code=i)
        for code, name, c, p, i in rows
    ]


# --- shipped series -------------------------------------------------------------------
def _ae() -> tuple[list[SeriesMeta], pd.DataFrame]:
    raw = data.read("ae_monthly_provider_2023_04_to_2025_04")
    seen = [c for c in raw.columns if c.startswith("ae_attendances_")]
    late = [c for c in raw.columns if c.startswith("attendances_over_4hrs_")]
    raw["attendances"] = raw[seen].sum(axis=1)
    raw = raw[raw.attendances > 0]
    raw["value"] = 1 - raw[late].sum(axis=1) / raw.attendances
    raw["code"] = "ae-4h/" + raw.org_code
    names = raw.drop_duplicates("code", keep="last")
    metas = [
        SeriesMeta(
            c,
            f"A&E 4-hour performance, {tidy_name(n)}",
            "proportion",
            "increase",
            provider_code=o,
            target_parameter="contracts.kpi.ae_four_hour_standard",
        )
        for c, n, o in zip(names.code, names.org_name, names.org_code, strict=True)
    ]
    return metas, raw.assign(date=raw.month + "-01")[["code", "date", "value"]]


def _rtt() -> tuple[list[SeriesMeta], pd.DataFrame]:
    raw = data.read("rtt_england_monthly_2007_04_to_2026_04")
    column = "incomplete_rtt_pathways_pct_within_18_weeks"
    raw = raw[raw[column].notna()]
    meta = SeriesMeta(
        "rtt-18w/england",
        "RTT incomplete pathways within 18 weeks, England",
        "proportion",
        "increase",
        target_parameter="contracts.kpi.rtt_18_week_standard",
    )
    frame = pd.DataFrame({"code": meta.code, "date": raw.month + "-01", "value": raw[column]})
    return [meta], frame


_CANCER = {
    "cancer-62d": ("62-day Combined", "contracts.kpi.cancer_62_day_standard", "62-day"),
    "cancer-31d": ("31-day Combined", "contracts.kpi.cancer_31_day_standard", "31-day"),
    "cancer-fds": ("28-day FDS", "contracts.kpi.cancer_28_day_fds_standard", "28-day FDS"),
}


def _cancer(prefix: str) -> tuple[list[SeriesMeta], pd.DataFrame]:
    standard, parameter, label = _CANCER[prefix]
    icb = data.read("cancer_waiting_times_icb_monthly_2023_04_to_2023_10")
    icb = icb[icb.standard == standard]
    provider = data.read("cancer_waiting_times_provider_monthly_2023_04_to_2023_10")
    provider = (
        provider[provider.standard == standard]
        .groupby(["month", "org_code"], as_index=False)[["total", "within_standard"]]
        .sum()
    )
    provider = provider[provider.total > 0]
    frames: list[pd.DataFrame] = []
    metas: dict[str, SeriesMeta] = {}
    icb = icb.assign(icb_name=icb.icb_name.map(short_name) + " ICB")
    levels = (("icb", icb, "icb_ods", "icb_name"), ("provider", provider, "org_code", "org_code"))
    for level, frame, key, name in levels:
        codes = f"{prefix}/{level}/" + frame[key]
        values = frame.within_standard / frame.total
        frames.append(pd.DataFrame({"code": codes, "date": frame.month + "-01", "value": values}))
        for code, org, label_name in zip(codes, frame[key], frame[name], strict=True):
            metas.setdefault(
                code,
                SeriesMeta(
                    code,
                    f"Cancer {label} standard, {label_name}",
                    "proportion",
                    "increase",
                    provider_code=org if level == "provider" else None,
                    icb_ods_code=org if level == "icb" else None,
                    target_parameter=parameter,
                ),
            )
    return list(metas.values()), pd.concat(frames, ignore_index=True)


SHIPPED: dict[str, tuple[str, Callable[[], tuple[list[SeriesMeta], pd.DataFrame]]]] = {
    "ae-4h": ("ae_monthly_provider_2023_04_to_2025_04", _ae),
    "rtt-18w": ("rtt_england_monthly_2007_04_to_2026_04", _rtt),
    "cancer-62d": (
        "cancer_waiting_times_provider_monthly_2023_04_to_2023_10",
        lambda: _cancer("cancer-62d"),
    ),
    "cancer-31d": (
        "cancer_waiting_times_provider_monthly_2023_04_to_2023_10",
        lambda: _cancer("cancer-31d"),
    ),
    "cancer-fds": (
        "cancer_waiting_times_provider_monthly_2023_04_to_2023_10",
        lambda: _cancer("cancer-fds"),
    ),
}


def shipped(name: str) -> tuple[list[SeriesMeta], pd.DataFrame]:
    """A shipped family of series (metadata, points) without touching the store."""
    if name not in SHIPPED:
        raise NotFoundError(f"no shipped KPI series {name!r}; choose from {', '.join(SHIPPED)}")
    return SHIPPED[name][1]()


def load_shipped(store: Store, name: str, actor: str | None = None) -> int:
    """Store a shipped family of series."""
    metas, points = shipped(name)
    key = SHIPPED[name][0]
    return save(
        store,
        metas,
        points,
        data.source(key).cite(),
        actor,
        reason=f"load shipped KPI series {name}",
    )


def like(pattern: str) -> str:
    """A code pattern (``*`` any run of characters, everything else literal: ``%`` and ``_``
    are characters of a code, not wildcards) as SQL LIKE with ``ESCAPE '\\'``."""
    literal = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return literal.replace("*", "%")


def series(store: Store, pattern: str = "*") -> pd.DataFrame:
    """Stored series whose code matches ``pattern`` (``*`` a wildcard), with point counts."""
    return store.fetch_df(
        "SELECT s.code, s.name, s.unit, s.improvement, s.target, s.target_parameter,"
        " s.contract_key, s.provider_code, s.icb_ods_code, count(p.period) AS points,"
        " min(p.period) AS first, max(p.period) AS last"
        " FROM kpi_series s LEFT JOIN kpi_point p USING (series_id) WHERE s.code LIKE ? ESCAPE '\\'"
        " GROUP BY s.code, s.name, s.unit, s.improvement, s.target, s.target_parameter,"
        " s.contract_key, s.provider_code, s.icb_ods_code ORDER BY s.code",
        (like(pattern),),
    )


def spc(
    store: Store,
    pattern: str = "*",
    rules: str | None = None,
    *,
    params: ParameterSet,
    codes: Collection[str] | None = None,
) -> tuple[SpcResult, Provenance]:
    """SPC over every stored series matching ``pattern`` (and, if given, among ``codes``),
    each with its own direction and target. A target named by a parameter (the shipped
    series' national standards) is the value in force on the series' latest date."""
    meta = store.fetch_df(
        "SELECT code, name, improvement, target, target_parameter, source FROM kpi_series"
        " WHERE code LIKE ? ESCAPE '\\' ORDER BY code",
        (like(pattern),),
    )
    if codes is not None:
        meta = meta[meta.code.isin(list(codes))].reset_index(drop=True)
    if meta.empty:
        raise NotFoundError(f"no stored KPI series match {pattern!r}")
    points = store.fetch_df(
        "SELECT s.code AS series, p.period AS date, p.value FROM kpi_point p"
        " JOIN kpi_series s USING (series_id) WHERE s.code LIKE ? ESCAPE '\\'"
        " ORDER BY s.code, p.period",
        (like(pattern),),
    )
    points = points[points.series.isin(meta.code)].reset_index(drop=True)
    latest = pd.to_datetime(points.groupby("series").date.max()).dt.date
    targets, standards = _targets(meta, latest, params)
    result = analyse(
        points,
        rule_set(params, rules),
        improvement=dict(zip(meta.code, meta.improvement, strict=True)),
        target=targets,
    )
    names = dict(zip(meta.code, meta.name, strict=True))
    result.summary.insert(1, "name", result.summary.series.map(names))
    sources = dict(enumerate(sorted(set(meta.source))))
    provenance = Provenance(
        data={f"source {k + 1}": v for k, v in sources.items()},
        parameters=params.fingerprint,
        engine=store.dialect,
    )
    return replace(result, notes=(*result.notes, *standards)), provenance


def _targets(
    meta: pd.DataFrame, latest: pd.Series, params: ParameterSet
) -> tuple[dict[str, float], list[str]]:
    """Each series' target (stored, or its parameter's value on its latest date) and a
    note per parameter used."""
    targets, used = {}, {}
    for code, target, name in zip(meta.code, meta.target, meta.target_parameter, strict=True):
        if pd.notna(name) and code in latest:
            parameter = params.get(name)
            targets[code] = parameter.at(latest[code])
            used[name] = parameter
        elif pd.notna(target):
            targets[code] = target
    notes = [
        f"target from parameter {p.name} ({p.label})"
        + (f", overridden from {p.overridden_by}" if p.overridden_by else "")
        for p in used.values()
    ]
    return targets, notes
