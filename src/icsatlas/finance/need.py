"""Targets from need indices of any source, compared with NHS England's.

The population layer (or a user's own analysis) supplies, per area, a population and need
indices for the core components (1 = national average need per head). We weight them with
the formula weights, add the health-inequalities and unavoidable-cost adjustments when
given, and share out a control total. :func:`compare` then sets those targets beside the
ones NHS England's own weighted populations give for the same areas.

Input columns: ``ods_code`` or ``ons_code`` (an ICB's or sub-ICB location's code, the
column's name saying which system), ``population``, ``g_a``, ``community``,
``mental_health``, ``maternity``, ``prescribing``; optional ``health_inequalities`` and
``unavoidable_cost`` (both default to 1, with a note).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from icsatlas import data
from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import allocation, sourcing
from icsatlas.finance import weighted_population as wp
from icsatlas.finance import weights as formula
from icsatlas.finance.apportion import whole_pounds
from icsatlas.inputs.columns import Column
from icsatlas.inputs.numbers import AT_LEAST_ZERO, POSITIVE
from icsatlas.inputs.rows import Record, Unique, read_rows
from icsatlas.parameters import ParameterSet
from icsatlas.register import geography
from icsatlas.results import Result

CODES = ("ods_code", "ons_code")
REQUIRED = (
    "population",
    "g_a",
    "community",
    "mental_health",
    "maternity",
    "prescribing",
)
OPTIONAL = ("health_inequalities", "unavoidable_cost")


def validate(need: pd.DataFrame, source: str = "need indices") -> pd.DataFrame:
    """Check columns and values; every bad cell is reported with its row and column."""
    code = code_column(need, source)
    missing = [c for c in REQUIRED if c not in need.columns]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}", file=source)
    errors = []
    numeric = [c for c in (*REQUIRED, *OPTIONAL) if c in need.columns]
    for position, row in enumerate(need.itertuples(index=False), start=2):
        for column in numeric:
            value = pd.to_numeric(getattr(row, column), errors="coerce")
            if pd.isna(value) or value < 0 or (column == "population" and value == 0):
                expected = "a positive number" if column == "population" else "a number >= 0"
                errors.append(
                    InputError(
                        f"must be {expected}, got {getattr(row, column)!r}",
                        file=source,
                        row=position,
                        field=column,
                    )
                )
    duplicated = need[code][need[code].duplicated()].unique()
    errors += [
        InputError(f"area {area} appears more than once", file=source, field=code)
        for area in duplicated
    ]
    if errors:
        raise InputErrors(errors)
    clean = need.copy()
    clean[numeric] = clean[numeric].apply(pd.to_numeric)
    return clean


INDEX_COLUMNS = (
    *(Column(code, "code") for code in CODES),
    Column("population", "number", required=True, bounds=POSITIVE),
    *(Column(c, "number", required=True, bounds=AT_LEAST_ZERO) for c in REQUIRED[1:]),
    *(Column(c, "number", bounds=AT_LEAST_ZERO) for c in OPTIONAL),
)


def read_indices(path: str | Path) -> pd.DataFrame:
    """Need indices from a CSV (the module says which columns), read as every input file."""

    def check(record: Record) -> Iterator[tuple[str, str]]:
        for column in (*CODES, *OPTIONAL):
            if column in record.given and record[column] is None and column not in record.wrong:
                yield column, "required in every row when the column is given"

    repeats = [Unique((code,), f"area {{{code}}} appears more than once") for code in CODES]
    records = read_rows(path, INDEX_COLUMNS, others="ignore", check=check, unique=repeats)
    if not records:
        raise InputError("the file has no rows", file=str(path))
    given = [c.name for c in INDEX_COLUMNS if c.name in records[0].given]
    return pd.DataFrame([r.values for r in records], columns=given)


def code_column(need: pd.DataFrame, source: str) -> str:
    """``ods_code`` or ``ons_code``: whichever one the table has."""
    present = [c for c in CODES if c in need.columns]
    if len(present) != 1:
        found = "both" if present else "neither"
        hint = " (rename area_code to the system its codes are in)" if "area_code" in need else ""
        raise InputError(
            f"need one area code column, ods_code or ons_code; found {found}{hint}", file=source
        )
    return present[0]


def targets_from_need(
    need: pd.DataFrame, weights: dict[str, float], total: float
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Weighted populations and whole-pound targets (summing to ``total``) from need indices."""
    notes = []
    frame = need.copy()
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = 1.0
            notes.append(
                f"No {column.replace('_', ' ')} index given: taken as 1 (national average)."
            )
    index = sum(weights[k] * frame[k] for k in wp.COMPONENTS)
    frame["need_index"] = index * frame["unavoidable_cost"]
    frame["weighted_population"] = frame.population * frame.need_index
    frame["share"] = frame.weighted_population / frame.weighted_population.sum()
    frame["target_gbp"] = whole_pounds(total, frame.weighted_population.to_numpy())
    return frame, tuple(notes)


def compare(
    params: ParameterSet,
    need: pd.DataFrame,
    basis: wp.Basis,
    source: str = "need indices",
    label: str = "",
) -> Result:
    """Targets from ``need`` beside NHS England's for the same areas and the same total."""
    need = validate(need, source)
    system = code_column(need, source)
    level, codes = _match_areas(need[system], system, basis, source)
    reference = wp.by_area(basis, level)
    reference = reference[reference.area_code != wp.UNMAPPED].set_index("area_code").loc[codes]
    nhse_total = allocation.control_total(basis, "target").amount * (
        reference[wp.CORE].sum() / wp.by_area(basis, "icb")[wp.CORE].sum()
    )
    need = need.drop(columns=system).assign(ods_code=codes)
    weights = formula.for_year(params, basis.year)
    ours, notes = targets_from_need(need, weights, nhse_total)
    nhse = whole_pounds(nhse_total, reference[wp.CORE].to_numpy())
    frame = pd.DataFrame(
        {
            "ods_code": codes,
            "area_name": reference.area_name.to_numpy(),
            "population": ours.population.to_numpy(),
            "need_index": ours.need_index.to_numpy(),
            "nhse_need_index": (reference[wp.CORE] / reference.population).to_numpy(),
            "target_gbp": ours.target_gbp.to_numpy(),
            "nhse_target_gbp": nhse,
        }
    )
    frame["difference_gbp"] = frame.target_gbp - frame.nhse_target_gbp
    frame["difference_pct"] = 100 * frame.difference_gbp / frame.nhse_target_gbp
    summary = _summary(frame)
    notes = (
        *notes,
        f"Both sets of targets share the same total: NHS England's implied {basis.year} core "
        f"target for these areas, £{nhse_total / 1e9:,.3f}bn.",
        summary,
    )
    provenance = sourcing.provenance(
        params,
        data={"need": label or source, "weighted_population": data.source(wp.SOURCE).cite()},
        notes=notes,
    )
    return Result(frame, provenance, f"Need-based targets vs NHS England, {basis.year}", notes)


def _summary(frame: pd.DataFrame) -> str:
    correlation = float(np.corrcoef(frame.need_index, frame.nhse_need_index)[0, 1])
    worst = frame.loc[frame.difference_pct.abs().idxmax()]
    return (
        f"Need indices correlate {correlation:.3f} with NHS England's; the largest gap is "
        f"{worst.area_name} at {worst.difference_pct:+.1f}% (£{worst.difference_gbp / 1e6:+,.1f}m)."
    )


def _match_areas(
    codes: pd.Series, system: str, basis: wp.Basis, source: str
) -> tuple[str, list[str]]:
    """The level of the areas and their ODS codes (the weighted populations' key)."""
    tree = geography.sub_icb_tree(basis.day)
    kind = system.removesuffix("_code")
    for level, prefix in (("icb", "icb"), ("sub-icb", "sub_icb")):
        lookup = dict(zip(tree[f"{prefix}_{kind}"], tree[f"{prefix}_ods"], strict=True))
        mapped = codes.astype(str).str.strip().str.upper().map(lookup)
        if mapped.notna().all():
            return level, mapped.tolist()
        if mapped.notna().any():
            bad = codes[mapped.isna()].tolist()[:5]
            raise InputError(
                f"not {level} {kind.upper()} codes of the {wp.GEOGRAPHIES[basis.geography]}: "
                + ", ".join(map(str, bad)),
                file=source,
                field=system,
            )
    raise InputError(
        f"these are neither ICB nor sub-ICB {kind.upper()} codes", file=source, field=system
    )


def from_practice_file(basis: wp.Basis, level: str = "icb") -> pd.DataFrame:
    """Need indices built from NHS England's practice file: a reference need source."""
    areas = wp.by_area(basis, level)
    areas = areas[areas.area_code != wp.UNMAPPED].reset_index(drop=True)
    indices = areas[list(wp.COMPONENTS)].div(areas.population, axis=0)
    codes = areas[["area_code", "population"]].rename(columns={"area_code": "ods_code"})
    return pd.concat([codes, indices], axis=1)


def with_implied_unavoidable_cost(need: pd.DataFrame, year: str) -> pd.DataFrame:
    """Add NHS England's implied unavoidable-cost index (42 ICBs) to ICB need indices."""
    index = formula.implied(year).cost_index
    return need.assign(unavoidable_cost=need.ods_code.map(index).fillna(1.0))


# The population layer's components, as the allocation formula's inputs. Multimorbidity
# (Cambridge score) stands in for prescribing need, as the population layer compares it.
FROM_POPULATION = {
    "acute": "g_a",
    "community": "community",
    "mental_health": "mental_health",
    "maternity": "maternity",
    "multimorbidity": "prescribing",
    "inequalities": "health_inequalities",
}


def from_population(indices: Result) -> pd.DataFrame:
    """Need indices from :func:`icsatlas.population.need.need_indices` in this module's input
    shape (areas suppressed by disclosure control are dropped)."""
    frame = indices.frame.dropna(subset=list(FROM_POPULATION))
    shaped = frame.rename(columns={**FROM_POPULATION, "people": "population"})
    return shaped[["ons_code", "population", *FROM_POPULATION.values()]].reset_index(drop=True)
