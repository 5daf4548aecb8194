"""Redundancy pay under Agenda for Change Section 16 (England), and the other exit routes.

Section 16 (England, since 1 April 2015):

* one month's pay per complete year of reckonable service, at most 24 months;
* a month's pay is the more favourable of 1/12 of annual salary at termination or 4.35
  times a week's pay (Employment Rights Act 1996), with annual earnings floored at
  £23,000 and capped at £80,000, so a payment is at most £160,000;
* for part-time staff the floor and cap apply to the whole-time equivalent, then pro rata;
* at least 2 years' continuous NHS service to qualify.

Every figure comes from a parameter (``finance.redundancy.*``), so a later agreement is a
new dated value, not a code change. :func:`section16` explains one person's payment;
:func:`section16_amounts` is the same rule on arrays, for the scenario engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np

from icsatlas import parameters
from icsatlas.errors import InputError

_P = "finance.redundancy."


@dataclass(frozen=True)
class Rules:
    """The Section 16 figures in force on a date."""

    floor: float
    cap: float
    maximum_months: int
    qualifying_years: float
    weeks_per_month: float

    @classmethod
    def on(cls, day: date | None = None) -> Rules:
        def value(name: str) -> float:
            return parameters.value(_P + name, day)

        return cls(
            floor=float(value("earnings_floor")),
            cap=float(value("earnings_cap")),
            maximum_months=int(value("maximum_months")),
            qualifying_years=float(value("qualifying_service")),
            weeks_per_month=float(value("weeks_per_month")),
        )

    @property
    def maximum_payment(self) -> float:
        return self.cap / 12 * self.maximum_months


@dataclass(frozen=True)
class Employee:
    """What Section 16 needs to know about one person at termination.

    ``annual_salary`` is the whole-time equivalent salary; ``weekly_pay`` (optional) is the
    Employment Rights Act week's pay for the hours actually worked; ``reckonable_years``
    defaults to ``continuous_years``.
    """

    annual_salary: float
    continuous_years: float
    reckonable_years: float | None = None
    fte: float = 1.0
    weekly_pay: float | None = None

    def __post_init__(self) -> None:
        checks = {
            "annual_salary": self.annual_salary >= 0,
            "continuous_years": self.continuous_years >= 0,
            "reckonable_years": self.reckonable_years is None or self.reckonable_years >= 0,
            "fte": 0 < self.fte <= 1,
            "weekly_pay": self.weekly_pay is None or self.weekly_pay >= 0,
        }
        for name, ok in checks.items():
            if not ok:
                shown = getattr(self, name)
                expected = "between 0 (exclusive) and 1" if name == "fte" else "0 or more"
                raise InputError(f"must be {expected}, got {shown}", field=name)

    @property
    def counted_years(self) -> float:
        return self.continuous_years if self.reckonable_years is None else self.reckonable_years


@dataclass(frozen=True)
class Payment:
    """A Section 16 redundancy payment and how it was worked out."""

    eligible: bool
    months: float
    month_pay: float
    amount: float
    basis: str
    steps: tuple[str, ...]


def section16(employee: Employee, rules: Rules | None = None) -> Payment:
    """One person's Section 16 payment, to the penny, with each step explained."""
    rules = rules or Rules.on()
    steps: list[str] = []
    if employee.continuous_years < rules.qualifying_years:
        steps.append(
            f"{employee.continuous_years:g} years' continuous service is under the "
            f"{rules.qualifying_years:g} needed: no Section 16 payment"
        )
        return Payment(False, 0, 0.0, 0.0, "not eligible", tuple(steps))
    months = counted_months(employee.counted_years, rules)
    steps.append(
        f"{employee.counted_years:g} years' reckonable service -> {months} complete years"
        f" counted (at most {rules.maximum_months})"
    )
    month_wte, basis = _month_pay_wte(employee, rules, steps)
    month = month_wte * employee.fte
    if employee.fte < 1:
        steps.append(
            f"part-time {employee.fte:g} FTE: month's pay {month_wte:,.2f} x {employee.fte:g}"
        )
    amount = round(months * month, 2)
    steps.append(f"{months} x {month:,.2f} = {amount:,.2f}")
    return Payment(True, months, round(month, 2), amount, basis, tuple(steps))


def counted_months(reckonable_years: float, rules: Rules) -> int:
    """Complete years of reckonable service, capped at the maximum months."""
    return min(math.floor(reckonable_years + 1e-9), rules.maximum_months)


def _month_pay_wte(employee: Employee, rules: Rules, steps: list[str]) -> tuple[float, str]:
    salary = employee.annual_salary
    clamped = min(max(salary, rules.floor), rules.cap)
    if clamped != salary:
        which = "floor" if salary < rules.floor else "cap"
        steps.append(f"WTE salary {salary:,.2f} -> {clamped:,.2f} (earnings {which})")
    by_salary = clamped / 12
    if employee.weekly_pay is None:
        steps.append(f"month's pay = {clamped:,.2f} / 12 = {by_salary:,.2f}")
        return by_salary, "1/12 of annual salary"
    weekly_wte = employee.weekly_pay / employee.fte
    by_week = min(max(weekly_wte * rules.weeks_per_month, rules.floor / 12), rules.cap / 12)
    if by_week > by_salary:
        steps.append(
            f"month's pay = {rules.weeks_per_month:g} x week's pay {weekly_wte:,.2f}"
            f" = {by_week:,.2f} (more than 1/12 of salary, {by_salary:,.2f})"
        )
        return by_week, f"{rules.weeks_per_month:g} x a week's pay"
    steps.append(f"month's pay = {clamped:,.2f} / 12 = {by_salary:,.2f} (not less than 4.35 weeks)")
    return by_salary, "1/12 of annual salary"


def section16_amounts(
    annual_salary: np.ndarray,
    continuous_years: np.ndarray,
    fte: np.ndarray | float = 1.0,
    rules: Rules | None = None,
) -> np.ndarray:
    """Section 16 payments for arrays of people (1/12 of salary basis; same rule as above)."""
    rules = rules or Rules.on()
    years = np.asarray(continuous_years, dtype=float)
    months = np.minimum(np.floor(years + 1e-9), rules.maximum_months)
    month = np.clip(np.asarray(annual_salary, dtype=float), rules.floor, rules.cap) / 12
    eligible = years >= rules.qualifying_years
    return np.where(eligible, np.round(months * month * fte, 2), 0.0)


def expected_months(mean_years: np.ndarray, rules: Rules) -> np.ndarray:
    """Expected Section 16 months for service ~ Erlang-2 with mean ``mean_years`` (vectorised)."""
    return expected_counted_years(mean_years, rules.qualifying_years, rules.maximum_months)


def expected_counted_years(mean_years: np.ndarray, qualifying: float, maximum: int) -> np.ndarray:
    """E[g(N)] where N = complete years served, Y ~ Erlang-2 (gamma, shape 2) with the given
    mean, and g(N) = min(N, maximum) if N >= qualifying, else 0.

    E[g] = sum over n >= 1 of P(g >= n): the first q = ceil(qualifying) terms all equal
    P(Y >= q), then P(Y >= n) for n = q+1..maximum. For Erlang-2 with rate r = 2 / mean,
    P(Y >= y) = exp(-r y) (1 + r y).
    """
    mean = np.asarray(mean_years, dtype=float)
    rate = 2.0 / np.maximum(mean, 1e-9)
    q = max(math.ceil(qualifying), 1)
    n = np.arange(q + 1, maximum + 1, dtype=float)
    survival = _erlang2_survival(rate[..., None], n)
    return q * _erlang2_survival(rate, float(q)) + survival.sum(axis=-1)


_GRID_STEP = 0.005


def expected_counted_years_fast(
    mean_years: np.ndarray, qualifying: float, maximum: int
) -> np.ndarray:
    """:func:`expected_counted_years` by linear interpolation on a 0.005-year grid of means.

    The function is smooth and bounded by ``maximum``, so the interpolation error is below
    1e-5 years; it saves the 20-odd exponentials per value the exact form needs.
    """
    mean = np.asarray(mean_years, dtype=float)
    top = max(float(mean.max(initial=0.0)), 1.0)
    grid_means, grid_values = _grid(qualifying, maximum, math.ceil(top / 10) * 10)
    return np.interp(mean, grid_means, grid_values)


@cache
def _grid(qualifying: float, maximum: int, top: float) -> tuple[np.ndarray, np.ndarray]:
    means = np.arange(0.0, top + _GRID_STEP, _GRID_STEP)
    return means, expected_counted_years(means, qualifying, maximum)


def _erlang2_survival(rate: np.ndarray, years: np.ndarray | float) -> np.ndarray:
    scaled = rate * years
    return np.exp(-scaled) * (1 + scaled)


@dataclass(frozen=True)
class EarlyRetirement:
    """Retirement on grounds of redundancy with an unreduced pension.

    Since April 2015 the employer pays the capitalisation cost only up to the redundancy
    payment; any balance of the payment goes to the member as a lump sum, and any shortfall
    falls on the member (pay it in, or accept a partly reduced pension).
    """

    eligible: bool
    capitalisation_paid_by_employer: float
    lump_sum_to_member: float
    shortfall_for_member: float

    @property
    def employer_cost(self) -> float:
        return self.capitalisation_paid_by_employer + self.lump_sum_to_member


def early_retirement(
    payment: Payment,
    capitalisation_cost: float,
    age: float,
    qualifying_membership_years: float,
    day: date | None = None,
) -> EarlyRetirement:
    """Split a redundancy payment between the pension scheme and the member."""
    if capitalisation_cost < 0:
        raise InputError(
            f"must be 0 or more, got {capitalisation_cost}", field="capitalisation_cost"
        )
    minimum_age = float(parameters.value(_P + "minimum_pension_age", day))
    qualifying = float(parameters.value(_P + "qualifying_service", day))
    if not payment.eligible or age < minimum_age or qualifying_membership_years < qualifying:
        return EarlyRetirement(False, 0.0, payment.amount, 0.0)
    paid = min(capitalisation_cost, payment.amount)
    return EarlyRetirement(
        eligible=True,
        capitalisation_paid_by_employer=round(paid, 2),
        lump_sum_to_member=round(payment.amount - paid, 2),
        shortfall_for_member=round(max(capitalisation_cost - payment.amount, 0.0), 2),
    )


def clawback(
    amount: float, months_out: float, senior: bool = False, day: date | None = None
) -> float:
    """What a voluntary leaver repays if re-employed ``months_out`` months after leaving.

    The window is 6 months, or 12 for senior staff and payments over the threshold; the
    repayment rule (pro rata to the unexpired window, or all) is a parameter.
    """
    if months_out < 0:
        raise InputError(f"must be 0 or more, got {months_out}", field="months_out")
    windows = parameters.value(_P + "vr_clawback_months", day)
    threshold = float(parameters.value(_P + "vr_clawback_senior_threshold", day))
    window = float(windows["senior"] if senior or amount > threshold else windows["standard"])
    if months_out >= window:
        return 0.0
    rule = parameters.value(_P + "vr_clawback_rule", day)
    share = 1.0 if rule == "all" else (window - months_out) / window
    return round(amount * share, 2)


def mars(employee: Employee, day: date | None = None) -> Payment:
    """A mutually agreed resignation scheme payment (terms are an assumption: see mars_terms)."""
    terms = parameters.value(_P + "mars_terms", day)
    years = employee.counted_years
    if employee.continuous_years < float(terms["minimum_service"]):
        return Payment(False, 0, 0.0, 0.0, "not eligible", ("under MARS minimum service",))
    months = min(
        math.floor(years + 1e-9) * float(terms["months_per_year"]), float(terms["maximum_months"])
    )
    month = min(employee.annual_salary, float(terms["salary_cap"])) / 12 * employee.fte
    amount = round(months * month, 2)
    steps = (f"{months:g} months (MARS rate) x {month:,.2f} = {amount:,.2f}",)
    return Payment(True, months, round(month, 2), amount, "MARS", steps)
