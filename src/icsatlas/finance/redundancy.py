"""The exit rules, each written once, on arrays: Section 16 redundancy pay, the 2025
voluntary redundancy clawback, MARS and retirement on grounds of redundancy.

Section 16 (England, since 1 April 2015):

* one month's pay per complete year of reckonable service, at most 24 months;
* a month's pay is the more favourable of 1/12 of annual salary at termination or 4.35
  times a week's pay (Employment Rights Act 1996), with annual earnings floored at
  £23,000 and capped at £80,000, so a payment is at most £160,000;
* for part-time staff the floor and cap apply to the whole-time equivalent, then pro rata;
* at least 2 years' continuous NHS service to qualify.

Every figure comes from a parameter (``finance.redundancy.*``) in force on a date, so a
later agreement is a new dated value, not a code change. Every rule takes numbers or
numpy arrays and returns arrays: :mod:`icsatlas.finance.exit_pay` explains one person
with them, :mod:`icsatlas.finance.blueprint` prices every ICB's leavers with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet

_P = "finance.redundancy."
_WHOLE = 1e-9  # tolerance so 3.0 years stored as 2.9999999 still counts as 3 complete years
CLAWBACK_RULES = ("pro-rata", "all")

Numbers = float | np.ndarray


def complete_years(years: Numbers) -> np.ndarray:
    """Complete years of service (part years are disregarded)."""
    return np.floor(np.asarray(years, dtype=float) + _WHOLE)


@dataclass(frozen=True)
class MonthPay:
    """A Section 16 month's pay and the figures it was chosen from (arrays)."""

    salary: np.ndarray  # whole-time equivalent salary after the floor and cap
    by_salary: np.ndarray  # salary / 12
    by_week: np.ndarray  # weeks per month x whole-time week's pay, floored and capped (NaN: none)
    whole_time: np.ndarray  # the more favourable of the two
    month: np.ndarray  # pro rata to the FTE

    @property
    def by_week_wins(self) -> np.ndarray:
        return np.nan_to_num(self.by_week, nan=-np.inf) > self.by_salary


@dataclass(frozen=True)
class Section16:
    """The Section 16 figures in force on a date."""

    floor: float
    cap: float
    maximum_months: int
    qualifying_years: float
    weeks_per_month: float

    @classmethod
    def on(cls, params: ParameterSet, day: date | None = None) -> Section16:
        def value(name: str) -> float:
            return float(params.value(_P + name, day))

        return cls(
            floor=value("earnings_floor"),
            cap=value("earnings_cap"),
            maximum_months=int(value("maximum_months")),
            qualifying_years=value("qualifying_service"),
            weeks_per_month=value("weeks_per_month"),
        )

    @property
    def maximum_payment(self) -> float:
        return self.cap / 12 * self.maximum_months

    def eligible(self, continuous_years: Numbers) -> np.ndarray:
        return np.asarray(continuous_years, dtype=float) >= self.qualifying_years

    def months(
        self, continuous_years: Numbers, reckonable_years: Numbers | None = None
    ) -> np.ndarray:
        """Complete years of reckonable service, at most the maximum; 0 if not eligible."""
        reckonable = continuous_years if reckonable_years is None else reckonable_years
        counted = np.minimum(complete_years(reckonable), self.maximum_months)
        return np.where(self.eligible(continuous_years), counted, 0.0)

    def month_pay(
        self, salary_wte: Numbers, fte: Numbers = 1.0, weekly_pay: Numbers | None = None
    ) -> MonthPay:
        """A month's pay: floor and cap on the whole-time equivalent, then pro rata."""
        salary = np.clip(np.asarray(salary_wte, dtype=float), self.floor, self.cap)
        by_salary = salary / 12
        fte = np.asarray(fte, dtype=float)
        if weekly_pay is None:
            by_week = np.full(np.shape(by_salary), np.nan)
        else:
            weekly_wte = np.asarray(weekly_pay, dtype=float) / fte
            by_week = np.clip(weekly_wte * self.weeks_per_month, self.floor / 12, self.cap / 12)
        whole_time = np.fmax(by_salary, by_week)
        return MonthPay(salary, by_salary, by_week, whole_time, whole_time * fte)

    def amount(
        self,
        salary_wte: Numbers,
        continuous_years: Numbers,
        reckonable_years: Numbers | None = None,
        fte: Numbers = 1.0,
        weekly_pay: Numbers | None = None,
    ) -> np.ndarray:
        """Section 16 payments, to the penny."""
        month = self.month_pay(salary_wte, fte, weekly_pay).month
        return np.round(self.months(continuous_years, reckonable_years) * month, 2)


@dataclass(frozen=True)
class Clawback:
    """The 2025 voluntary redundancy scheme's clawback on early re-employment in the NHS.

    The window is 6 months, or 12 for senior staff and payments over the threshold; the
    repayment rule (``pro-rata`` to the unexpired window, or ``all``) is a parameter.
    """

    standard_months: float
    senior_months: float
    senior_threshold: float
    rule: str

    @classmethod
    def on(cls, params: ParameterSet, day: date | None = None) -> Clawback:
        windows = params.value(_P + "vr_clawback_months", day)
        rule = params.value(_P + "vr_clawback_rule", day)
        if rule not in CLAWBACK_RULES:
            raise InputError(
                f"must be {' or '.join(CLAWBACK_RULES)}, got {rule!r}",
                field=_P + "vr_clawback_rule",
            )
        return cls(
            standard_months=float(windows["standard"]),
            senior_months=float(windows["senior"]),
            senior_threshold=float(params.value(_P + "vr_clawback_senior_threshold", day)),
            rule=rule,
        )

    def window(self, amount: Numbers, senior: Numbers = False) -> np.ndarray:
        """Months after leaving during which re-employment is clawed back."""
        longer = np.asarray(senior, dtype=bool) | (
            np.asarray(amount, dtype=float) > self.senior_threshold
        )
        return np.where(longer, self.senior_months, self.standard_months)

    def share(self, months_out: Numbers, window: Numbers) -> np.ndarray:
        """Share of a payment repaid on re-employment ``months_out`` months after leaving."""
        months = np.asarray(months_out, dtype=float)
        if np.any(months < 0):
            raise InputError("must be 0 or more", field="months_out")
        window = np.asarray(window, dtype=float)
        inside = months < window
        if self.rule == "all":
            return inside.astype(float)
        return np.where(inside, (window - months) / window, 0.0)

    def repaid(self, amount: Numbers, months_out: Numbers, senior: Numbers = False) -> np.ndarray:
        """What a voluntary leaver repays, to the penny."""
        share = self.share(months_out, self.window(amount, senior))
        return np.round(np.asarray(amount, dtype=float) * share, 2)


@dataclass(frozen=True)
class Mars:
    """Mutually agreed resignation scheme terms (an assumption: see ``mars_terms``)."""

    months_per_year: float
    maximum_months: float
    salary_cap: float
    minimum_service: float

    @classmethod
    def on(cls, params: ParameterSet, day: date | None = None) -> Mars:
        terms = params.value(_P + "mars_terms", day)
        return cls(**{name: float(terms[name]) for name in cls.__dataclass_fields__})

    def months(
        self, continuous_years: Numbers, reckonable_years: Numbers | None = None
    ) -> np.ndarray:
        reckonable = continuous_years if reckonable_years is None else reckonable_years
        counted = np.minimum(complete_years(reckonable) * self.months_per_year, self.maximum_months)
        eligible = np.asarray(continuous_years, dtype=float) >= self.minimum_service
        return np.where(eligible, counted, 0.0)

    def month_pay(self, salary_wte: Numbers, fte: Numbers = 1.0) -> np.ndarray:
        return np.minimum(np.asarray(salary_wte, dtype=float), self.salary_cap) / 12 * fte

    def amount(
        self,
        salary_wte: Numbers,
        continuous_years: Numbers,
        reckonable_years: Numbers | None = None,
        fte: Numbers = 1.0,
    ) -> np.ndarray:
        months = self.months(continuous_years, reckonable_years)
        return np.round(months * self.month_pay(salary_wte, fte), 2)

    @property
    def years_to_maximum(self) -> int:
        """Complete years of service after which the payment stops growing."""
        if self.months_per_year <= 0:
            return 0
        return math.ceil(self.maximum_months / self.months_per_year)


@dataclass(frozen=True)
class RetirementSplit:
    """How a redundancy payment is split when the member retires with an unreduced pension."""

    eligible: np.ndarray
    capitalisation_paid_by_employer: np.ndarray
    lump_sum_to_member: np.ndarray
    shortfall_for_member: np.ndarray

    @property
    def employer_cost(self) -> np.ndarray:
        return self.capitalisation_paid_by_employer + self.lump_sum_to_member


@dataclass(frozen=True)
class EarlyRetirement:
    """Retirement on grounds of redundancy with an unreduced pension.

    Since April 2015 the employer pays the capitalisation cost only up to the redundancy
    payment; any balance of the payment goes to the member as a lump sum, and any shortfall
    falls on the member (pay it in, or accept a partly reduced pension). So the employer's
    cost is the redundancy payment whether or not the member retires.
    """

    minimum_age: float
    qualifying_membership: float

    @classmethod
    def on(cls, params: ParameterSet, day: date | None = None) -> EarlyRetirement:
        return cls(
            minimum_age=float(params.value(_P + "minimum_pension_age", day)),
            qualifying_membership=float(params.value(_P + "qualifying_service", day)),
        )

    def split(
        self,
        payment: Numbers,
        capitalisation_cost: Numbers,
        age: Numbers,
        membership_years: Numbers,
    ) -> RetirementSplit:
        payment = np.asarray(payment, dtype=float)
        cost = np.asarray(capitalisation_cost, dtype=float)
        if np.any(cost < 0):
            raise InputError("must be 0 or more", field="capitalisation_cost")
        eligible = (
            (payment > 0)
            & (np.asarray(age, dtype=float) >= self.minimum_age)
            & (np.asarray(membership_years, dtype=float) >= self.qualifying_membership)
        )
        paid = np.where(eligible, np.minimum(cost, payment), 0.0)
        shortfall = np.where(eligible, np.maximum(cost - payment, 0.0), 0.0)
        return RetirementSplit(
            eligible, np.round(paid, 2), np.round(payment - paid, 2), np.round(shortfall, 2)
        )


@dataclass(frozen=True)
class ExitRules:
    """Every exit rule in force on a date."""

    section16: Section16
    clawback: Clawback
    mars: Mars
    retirement: EarlyRetirement

    @classmethod
    def on(cls, params: ParameterSet, day: date | None = None) -> ExitRules:
        return cls(
            Section16.on(params, day),
            Clawback.on(params, day),
            Mars.on(params, day),
            EarlyRetirement.on(params, day),
        )

    @property
    def years_to_maximum(self) -> int:
        """Complete years of service from which no payment rule changes any more."""
        return max(
            self.section16.maximum_months,
            math.ceil(self.section16.qualifying_years),
            self.mars.years_to_maximum,
            math.ceil(self.mars.minimum_service),
        )
