"""The price of the Blueprint: a seeded Monte Carlo of savings against redundancy costs.

For each ICB and draw (run 0 is the central case, then ``draws`` random runs):

1. baseline = running cost allowance + programme pay per head x population (data + input);
   the required reduction is what takes it down to £18.76 a head; ``delivery`` of it is done;
2. ``pay_share`` of the delivered reduction removes posts (capped at the ICB's headcount),
   the rest is non-pay; receiving bodies re-create ``rehire_share`` of the posts;
3. ``attrition_share`` of removed posts go without a payment; the other leavers are
   voluntary (``vr_share``; some via MARS, some later repay under the clawback) or
   compulsory (Section 16 plus ``compulsory_extra_months`` of pay);
4. exits follow the ``phasing`` shape over the exit window, quarter by quarter: payments
   fall in the quarter of exit, savings start the quarter after.

The exit rules are those of :mod:`icsatlas.finance.redundancy` (the explainer's own),
evaluated for each band at every length of service and averaged over the band's service
distribution (:mod:`icsatlas.finance.service`). So the clawback window is the one the rule
gives each payment: 12 months for senior bands and payments over the threshold, else 6.
Retirement on grounds of redundancy does not enter: it splits a payment between pension
and member without changing the employer's cost (``RetirementSplit.employer_cost``).

Everything is arrays (draws x ICBs), so 100,000 draws over every ICB take about a second;
``tests/finance/loop_oracle.py`` is the same model written independently as plain loops,
which the tests use as an oracle and the benchmark as its baseline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from icsatlas import data
from icsatlas.finance import running_costs, scenario, service, years
from icsatlas.finance import weighted_population as wp
from icsatlas.finance.redundancy import ExitRules
from icsatlas.finance.running_costs import BANDS, Workforce
from icsatlas.finance.scenario import PHASINGS, Scenario
from icsatlas.parameters import ParameterSet

if TYPE_CHECKING:
    from icsatlas.geography.on_date import Geography

NUMERIC = [name for name, (_, choices) in scenario.INPUTS.items() if not choices]
SENIOR_BANDS = "finance.redundancy.vr_clawback_senior_bands"


@dataclass(frozen=True)
class Payments:
    """What each exit rule pays one leaver of each band (B) with 0, 1, ..., K complete
    years of service; from K years on no rule changes any more."""

    section16: np.ndarray  # (B, K + 1) Section 16 payment
    mars: np.ndarray  # (B, K + 1) MARS payment
    clawback_window: np.ndarray  # (B, K + 1) months, for a voluntary leaver paid section16

    @classmethod
    def of(cls, rules: ExitRules, salaries: np.ndarray, senior: np.ndarray) -> Payments:
        served = np.arange(rules.years_to_maximum + 1, dtype=float)[None, :]
        salary = salaries[:, None]
        section16 = rules.section16.amount(salary, served)
        window = rules.clawback.window(section16, senior[:, None])
        return cls(section16, rules.mars.amount(salary, served), window)


@dataclass(frozen=True)
class Model:
    """The fixed arrays of a run: per ICB (I), per band (B), per phasing shape and year."""

    icb_codes: np.ndarray
    icb_names: np.ndarray
    population: np.ndarray  # (I,)
    rca: np.ndarray  # (I,) running cost allowance, £
    envelope: np.ndarray  # (I,) £18.76 x population
    mix: np.ndarray  # (I, B) band shares of each ICB's staff
    own_headcount: np.ndarray  # (I,) WTE from the user's CSV, NaN where not given
    cost_per_post: np.ndarray  # (I,) salary + on-costs, mix-weighted
    salaries: np.ndarray  # (B,) annual basic salary
    service: np.ndarray  # (U, B) mean reckonable service of each distinct profile
    profile: np.ndarray  # (I,) which service profile each ICB uses
    savings_factor: np.ndarray  # (S, Y) year's savings as a share of a full year's
    cost_factor: np.ndarray  # (S, Y) share of exits (so payments) in each year
    year_labels: tuple[str, ...]
    rules: ExitRules
    payments: Payments


def build_model(plan: Scenario, geography: Geography, day: date | None = None) -> Model:
    """Data and the scenario's parameters for ``plan`` as arrays, over the ICBs in force in
    ``geography`` (the register's, on ``plan.geography_day``)."""
    params = plan.params
    day = day or years.first_day(plan.first_year)
    base = running_costs.baseline(wp.Basis(_rca_year(plan.first_year), geography))
    workforce = Workforce.on(params, day)
    target = float(params.value("finance.running_costs.target_per_head", day))
    codes = base.ods_code.to_numpy()
    mix, own, service_years = _staff(codes, workforce, plan.staff(geography))
    salaries = np.array([workforce.salaries[b] for b in BANDS])
    exits = params.value("finance.blueprint.exit_window", day)["first_quarter"]
    rules = ExitRules.on(params, exits)
    senior = params.value(SENIOR_BANDS, exits)
    senior = np.array([bool(senior[b]) for b in BANDS])
    profiles, profile = np.unique(service_years, axis=0, return_inverse=True)
    savings, costs = phasing_factors(params, plan.first_year, plan.years, day)
    return Model(
        icb_codes=codes,
        icb_names=base.icb_name.to_numpy(),
        population=base.population.to_numpy(dtype=float),
        rca=base.rca_gbp.to_numpy(dtype=float),
        envelope=target * base.population.to_numpy(dtype=float),
        mix=mix,
        own_headcount=own,
        cost_per_post=mix @ salaries * (1 + workforce.oncost),
        salaries=salaries,
        service=profiles,
        profile=profile.reshape(-1),
        savings_factor=savings,
        cost_factor=costs,
        year_labels=tuple(years.following(plan.first_year, plan.years)),
        rules=rules,
        payments=Payments.of(rules, salaries, senior),
    )


def _rca_year(first_year: str) -> str:
    shipped = running_costs.rca_years()
    return first_year if first_year in shipped else shipped[-1]


def _staff(codes: np.ndarray, workforce: Workforce, headcount: pd.DataFrame | None):
    default_mix = np.array([workforce.mix[b] for b in BANDS]) / sum(workforce.mix.values())
    default_service = np.array([workforce.mean_service[b] for b in BANDS])
    mix = np.tile(default_mix, (len(codes), 1))
    service = np.tile(default_service, (len(codes), 1))
    own = np.full(len(codes), np.nan)
    if headcount is None:
        return mix, own, service
    position = {code: i for i, code in enumerate(codes)}
    for icb, rows in headcount.groupby("icb_ods"):
        i = position[icb]
        wte = rows.set_index("band").wte.reindex(BANDS, fill_value=0.0).to_numpy(dtype=float)
        own[i] = wte.sum()
        if own[i] > 0:
            mix[i] = wte / own[i]
        given = rows.set_index("band").mean_service_years.dropna()
        for band, value in given.items():
            service[i, BANDS.index(band)] = value
    return mix, own, service


def phasing_factors(
    params: ParameterSet, first_year: str, count: int, day: date | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per phasing shape: each year's savings (share of a full year) and share of exits."""
    window = params.value("finance.blueprint.exit_window", day)
    start = years.first_day(first_year)
    first = window["first_quarter"]
    offset = (first.year - start.year) * 4 + (first.month - start.month) // 3
    quarters = count * 4
    savings, costs = [], []
    for shape in PHASINGS:
        exits = np.zeros(quarters + 1)
        weights = _shape(shape, int(window["quarters"]))
        for k, weight in enumerate(weights):
            if 0 <= offset + k < quarters:
                exits[offset + k] = weight
        cumulative = np.concatenate([[0.0], np.cumsum(exits[:quarters])[:-1]])
        savings.append(cumulative.reshape(count, 4).sum(axis=1) / 4)
        costs.append(exits[:quarters].reshape(count, 4).sum(axis=1))
    return np.array(savings), np.array(costs)


def _shape(name: str, quarters: int) -> np.ndarray:
    ramp = np.arange(1, quarters + 1, dtype=float)
    weights = {
        "step": np.eye(1, quarters)[0],
        "linear": np.ones(quarters),
        "front-loaded": ramp[::-1],
        "back-loaded": ramp,
    }[name]
    return weights / weights.sum()


@dataclass(frozen=True)
class Outcome:
    """Arrays from one batch of draws (row 0 is the central case)."""

    net_annual: np.ndarray  # (D, I) full-year net recurrent saving
    redundancy_cost: np.ndarray  # (D, I)
    gross_annual: np.ndarray  # (D,) full-year saving before re-hiring, all ICBs
    posts: np.ndarray  # (D,) posts removed, all ICBs
    leavers: np.ndarray  # (D,) paid leavers, all ICBs
    savings_by_year: np.ndarray  # (D, Y) national net savings in each year
    costs_by_year: np.ndarray  # (D, Y) national redundancy payments in each year
    shape: np.ndarray  # (D,) phasing shape index

    @property
    def net_by_year(self) -> np.ndarray:
        return self.savings_by_year - self.costs_by_year


def draw_inputs(plan: Scenario) -> dict[str, np.ndarray]:
    """Run 0 (central) plus ``plan.draws`` draws of every input; one child seed per input.

    Choices come back as positions in the input's list of choices (e.g. PHASINGS).
    """
    seeds = np.random.SeedSequence(plan.seed).spawn(len(scenario.INPUTS))
    drawn = {}
    for (name, (_, choices)), seed in zip(scenario.INPUTS.items(), seeds, strict=True):
        rng = np.random.default_rng(seed)
        drawn[name] = plan.inputs[name].distribution.sample(rng, plan.draws, choices)
    return drawn


def simulate(model: Model, inputs: dict[str, np.ndarray]) -> Outcome:
    """The model on arrays: one row per draw, one column per ICB (buffers reused in place)."""
    column = {name: np.asarray(inputs[name], dtype=float)[:, None] for name in NUMERIC}
    baseline = model.rca + column["programme_pay_per_head"] * model.population
    headcount = baseline / baseline.sum(axis=1, keepdims=True)
    headcount *= column["headcount"]
    own = ~np.isnan(model.own_headcount)
    headcount[:, own] = model.own_headcount[own]
    delivered = baseline  # reused: baseline is not needed again
    np.subtract(baseline, model.envelope, out=delivered)
    np.maximum(delivered, 0.0, out=delivered)
    delivered *= column["delivery"]
    posts = delivered * column["pay_share"]
    posts /= model.cost_per_post
    np.minimum(posts, headcount, out=posts)
    pay_saving = np.multiply(posts, model.cost_per_post, out=headcount)
    gross = delivered  # reused: non-pay part plus pay saving
    gross *= 1 - column["pay_share"]
    gross += pay_saving
    gross_total = gross.sum(axis=1)
    pay_saving *= column["rehire_share"]
    net = np.subtract(gross, pay_saving, out=gross)
    posts_total = posts.sum(axis=1)
    leavers = np.multiply(posts, 1 - column["attrition_share"], out=posts)
    cost = _cost_per_leaver(model, inputs)
    cost *= leavers
    shape = np.asarray(inputs["phasing"], dtype=int)
    return Outcome(
        net_annual=net,
        redundancy_cost=cost,
        gross_annual=gross_total,
        posts=posts_total,
        leavers=leavers.sum(axis=1),
        savings_by_year=net.sum(axis=1)[:, None] * model.savings_factor[shape],
        costs_by_year=cost.sum(axis=1)[:, None] * model.cost_factor[shape],
        shape=shape,
    )


def _cost_per_leaver(model: Model, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """Expected payment per paid leaver, (D, I), mixing exit routes and bands."""
    value = {name: np.asarray(inputs[name], dtype=float) for name in NUMERIC}
    result = np.empty((len(value["vr_share"]), len(model.profile)))
    for u, mean_service in enumerate(model.service):
        per_band = np.column_stack(
            [
                _cost_in_band(model, band, value["service_scale"] * mean_service[band], value)
                for band in range(len(BANDS))
            ]
        )
        members = model.profile == u
        result[:, members] = per_band @ model.mix[members].T
    return result


def _cost_in_band(model: Model, band: int, mean: np.ndarray, value: dict) -> np.ndarray:
    """Expected payment per paid leaver of one band, per draw, given its mean service."""
    pay = model.payments
    at = service.At(mean, pay.section16.shape[1] - 1)
    section16 = at.expected(pay.section16[band])
    vr, via_mars = value["vr_share"], value["mars_share"]
    by_mars = at.expected(pay.mars[band]) if via_mars.any() else 0.0
    kept = section16.copy()  # Section 16 less what re-employed voluntary leavers repay
    windows = pay.clawback_window[band]
    for window in np.unique(windows):
        paid_in_window = np.where(windows == window, pay.section16[band], 0.0)
        in_window = section16 if (windows == window).all() else at.expected(paid_in_window)
        repaid = model.rules.clawback.share(value["reemployment_months"], window)
        kept -= value["reemployment_share"] * repaid * in_window
    extra = value["compulsory_extra_months"] * model.salaries[band] / 12
    return (1 - vr) * (section16 + extra) + vr * ((1 - via_mars) * kept + via_mars * by_mars)


def payback_index(net_by_year: np.ndarray) -> np.ndarray:
    """Index of the first year whose cumulative net saving is >= 0 (-1 if none), per row."""
    cumulative = np.cumsum(net_by_year, axis=-1)
    reached = cumulative >= 0
    return np.where(reached.any(axis=-1), reached.argmax(axis=-1), -1)


@dataclass(frozen=True)
class Bill:
    """A finished run: the scenario, model, inputs drawn, outcome and run time."""

    plan: Scenario
    model: Model
    inputs: dict[str, np.ndarray]
    outcome: Outcome
    elapsed_s: float
    geography: Geography

    @property
    def cumulative_net(self) -> np.ndarray:
        """National net saving summed over the horizon, per draw."""
        return self.outcome.net_by_year.sum(axis=1)


def run(plan: Scenario, geography: Geography, day: date | None = None) -> Bill:
    """Build the model over the ICBs of ``geography`` and simulate run 0 plus
    ``plan.draws`` draws."""
    started = time.perf_counter()
    model = build_model(plan, geography, day)
    inputs = draw_inputs(plan)
    outcome = simulate(model, inputs)
    return Bill(plan, model, inputs, outcome, time.perf_counter() - started, geography)


def sources(geography: Geography) -> dict[str, str]:
    """The data a bill rests on."""
    return {
        "running_cost_allowance": data.source(running_costs.RCA).cite(),
        "population": data.source(wp.SOURCE).cite(),
        "geography": geography.describe(),
    }
