"""Scenarios for the reorganisation bill: shipped input distributions plus a user's overrides.

A scenario file (YAML) may set any of these keys; everything else comes from the shipped
parameters under ``finance.blueprint``:

    name: Slow exits, heavy re-hiring
    seed: 7
    draws: 20000
    years: 6
    geography: icb42                 # or icb36
    inputs:
      rehire_share: {distribution: triangular, low: 0.2, mode: 0.35, high: 0.5}
      vr_share: 0.8                  # a bare number is a fixed value
      phasing: {distribution: choice, options: {back-loaded: 1.0}}
    headcount_by_band: my-icb-staff.csv   # optional, relative to this file

The headcount CSV has columns ``icb`` (ODS or ONS code), ``band`` (2-4, 5, 6, 7, 8a, 8b,
8c, 8d, 9, vsm), ``wte`` and optionally ``mean_service_years``; ICBs it lists use their
own staff instead of a share of the national headcount.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from icsatlas import schemas, yamlio
from icsatlas.errors import InputError
from icsatlas.finance import uncertainty, years
from icsatlas.finance.uncertainty import Distribution
from icsatlas.inputs.columns import Column
from icsatlas.inputs.numbers import AT_LEAST_ZERO
from icsatlas.inputs.rows import Record, Unique, read_rows
from icsatlas.parameters import ParameterSet
from icsatlas.register import geography

PHASINGS = ("step", "front-loaded", "linear", "back-loaded")


def input_schema(name: str) -> dict[str, str]:
    """The schema of one uncertain input: a distribution, with its bounds or choices."""
    return {"$ref": f"scenario.schema.json#/properties/inputs/properties/{name}"}


# Each uncertain input: its schema (in scenario.schema.json) and, for a choice, its options.
INPUTS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    name: (input_schema(name), PHASINGS if name == "phasing" else ())
    for name in (
        "headcount",
        "programme_pay_per_head",
        "delivery",
        "pay_share",
        "attrition_share",
        "vr_share",
        "mars_share",
        "service_scale",
        "compulsory_extra_months",
        "rehire_share",
        "reemployment_share",
        "reemployment_months",
        "phasing",
    )
}
DEFAULT_SEED = 20250401
DEFAULT_DRAWS = 10_000
GEOGRAPHIES = ("icb42", "icb36")


@dataclass(frozen=True)
class Input:
    """One uncertain input with its distribution and where its values come from."""

    name: str
    distribution: Distribution
    label: str
    unit: str
    certainty: str
    source: str
    from_scenario: bool = False


@dataclass(frozen=True)
class Scenario:
    """Everything a reorganisation-bill run depends on, besides the shipped data: the
    parameters it was built from (and runs with), its uncertain inputs and run options."""

    name: str
    params: ParameterSet
    inputs: dict[str, Input]
    seed: int
    draws: int
    first_year: str
    years: int
    geography: str
    headcount: pd.DataFrame | None = None
    file: str | None = None
    fingerprint: str = "shipped defaults"

    def with_options(self, **changes) -> Scenario:
        """A copy with command-line choices (seed, draws, years, geography) applied."""
        given = {k: v for k, v in changes.items() if v is not None}
        scenario = replace(self, **given)
        _check_run_options(scenario)
        return scenario


def default(params: ParameterSet, day: date | None = None) -> Scenario:
    """The central scenario of ``params`` (the shipped assumptions unless overridden)."""
    horizon = params.value("finance.blueprint.horizon", day)
    inputs = {name: _parameter_input(params, name, day) for name in INPUTS}
    return Scenario(
        name="Shipped assumptions" if not params.overrides else "Shipped assumptions, overridden",
        params=params,
        inputs=inputs,
        seed=DEFAULT_SEED,
        draws=DEFAULT_DRAWS,
        first_year=years.normalise(horizon["first_year"]),
        years=int(horizon["years"]),
        geography="icb42",
    )


def _parameter_input(params: ParameterSet, name: str, day: date | None) -> Input:
    parameter = params.get(f"finance.blueprint.inputs.{name}")
    where = parameter.overridden_by or f"parameters/finance/blueprint/inputs/{name}.yaml"
    located = yamlio.Located(data={parameter.name: parameter.at(day)}, file=where)
    distribution = uncertainty.parse(located, (parameter.name,), INPUTS[name][0])
    reference = parameter.references[0]
    source = f"{reference.title} {reference.href}".strip()
    if parameter.overridden_by:
        source = f"parameters file {Path(parameter.overridden_by).name}"
    return Input(
        name=name,
        distribution=distribution,
        label=parameter.label,
        unit=parameter.unit,
        certainty="assumption" if parameter.overridden_by else parameter.certainty,
        source=source,
        from_scenario=bool(parameter.overridden_by),
    )


def load(path: str | Path, params: ParameterSet, day: date | None = None) -> Scenario:
    """A scenario file over the central scenario of ``params``, checked against
    ``scenario.schema.json``; errors name file, line and field."""
    located = yamlio.load(path)
    schemas.validate(located, "scenario")
    raw = located.data
    scenario = default(params, day)
    inputs = dict(scenario.inputs)
    for name in raw.get("inputs", {}):
        distribution = uncertainty.parse(located, ("inputs", name), schema=None)
        inputs[name] = replace(
            inputs[name],
            distribution=distribution,
            source=f"scenario file {Path(path).name}",
            from_scenario=True,
            certainty="assumption",
        )
    options: dict[str, Any] = {k: int(raw[k]) for k in ("seed", "draws", "years") if k in raw}
    scenario = replace(
        scenario,
        name=str(raw.get("name", Path(path).stem)),
        inputs=inputs,
        file=str(path),
        fingerprint=_fingerprint(path),
        **options,
    )
    if "first_year" in raw:
        scenario = replace(scenario, first_year=_first_year(located, raw["first_year"]))
    if "geography" in raw:
        scenario = replace(scenario, geography=raw["geography"])
    if "headcount_by_band" in raw:
        csv = Path(path).parent / str(raw["headcount_by_band"])
        scenario = replace(scenario, headcount=read_headcount(csv, scenario.geography))
        scenario = replace(scenario, fingerprint=scenario.fingerprint + "+" + _fingerprint(csv))
    return scenario


def _first_year(located: yamlio.Located, value: str | int) -> str:
    try:
        return years.normalise(value)
    except InputError as error:
        raise located.error(("first_year",), error.message) from None


def _check_run_options(scenario: Scenario) -> None:
    if scenario.draws < 1:
        raise InputError(f"must be at least 1, got {scenario.draws}", field="draws")
    if not 1 <= scenario.years <= 15:
        raise InputError(f"must be between 1 and 15, got {scenario.years}", field="years")
    if scenario.seed < 0:
        raise InputError(f"must be 0 or more, got {scenario.seed}", field="seed")
    if scenario.geography not in GEOGRAPHIES:
        raise InputError(
            f"must be {' or '.join(GEOGRAPHIES)}, got {scenario.geography!r}", field="geography"
        )


def _fingerprint(path: str | Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror}", file=str(path)) from None


_BAND = re.compile(r"^\s*(?:band\s*)?(2\s*-\s*4|[2-9]|8[a-d]|vsm)\s*$", re.IGNORECASE)


def band_name(text: str) -> str | None:
    """'Band 8a', '8A', '3' or 'VSM' -> the model's band name (bands 2-4 are pooled)."""
    match = _BAND.match(str(text))
    if not match:
        return None
    key = match[1].lower().replace(" ", "")
    if key in ("2", "3", "4", "2-4"):
        return "band_2_4"
    return "vsm" if key == "vsm" else f"band_{key}"


def _band(text: str) -> str:
    band = band_name(text)
    if band is None:
        raise InputError(f"unknown band {text!r} (use 2-4, 5, 6, 7, 8a-8d, 9 or vsm)")
    return band


HEADCOUNT_COLUMNS = (
    Column("icb", "code", required=True),
    Column("band", required=True, parse=_band),
    Column("wte", "number", required=True, bounds=AT_LEAST_ZERO),
    Column("mean_service_years", "number", bounds=AT_LEAST_ZERO),
)


def read_headcount(path: str | Path, geography_name: str = "icb42") -> pd.DataFrame:
    """An ICB headcount-by-band CSV, checked row by row (all problems reported at once)."""
    day = geography.MERGERS_2026 if geography_name == "icb36" else date(2025, 4, 1)
    icbs = geography.icbs(day)
    codes = {
        **dict(zip(icbs.icb_ons, icbs.icb_ods, strict=True)),
        **dict(zip(icbs.icb_ods, icbs.icb_ods, strict=True)),
    }

    def check(record: Record) -> Iterator[tuple[str, str]]:
        code = record["icb"]
        record.values["icb"] = codes.get(code)
        if code and record["icb"] is None:
            yield "icb", f"not an ICB code of the {geography_name} geography: {code!r}"

    repeat = Unique(("icb", "band"), "this ICB and band appear twice")
    records = read_rows(path, HEADCOUNT_COLUMNS, others="ignore", check=check, unique=[repeat])
    frame = pd.DataFrame([r.values for r in records], columns=[c.name for c in HEADCOUNT_COLUMNS])
    return frame.rename(columns={"icb": "icb_ods"})
