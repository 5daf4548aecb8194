"""One person's exit pay, step by step: the explainer behind ``icsatlas finance redundancy``.

It computes nothing of its own: every figure comes from the rules in
:mod:`icsatlas.finance.redundancy` (the same ones the reorganisation bill uses), applied
to one person, and each step says which rule produced which number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from icsatlas.errors import InputError
from icsatlas.finance import sourcing
from icsatlas.finance.redundancy import ExitRules, Mars, Section16
from icsatlas.parameters import ParameterSet
from icsatlas.results import Result


@dataclass(frozen=True)
class Employee:
    """What the exit rules need to know about one person at termination.

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
    """A payment and how it was worked out."""

    eligible: bool
    months: float
    month_pay: float
    amount: float
    basis: str
    steps: tuple[str, ...]


def section16(employee: Employee, rules: Section16) -> Payment:
    """One person's Section 16 payment, to the penny, with each step explained."""
    if not rules.eligible(employee.continuous_years):
        step = (
            f"{employee.continuous_years:g} years' continuous service is under the "
            f"{rules.qualifying_years:g} needed: no Section 16 payment"
        )
        return Payment(False, 0, 0.0, 0.0, "not eligible", (step,))
    months = float(rules.months(employee.continuous_years, employee.reckonable_years))
    pay = rules.month_pay(employee.annual_salary, employee.fte, employee.weekly_pay)
    amount = rules.amount(
        employee.annual_salary,
        employee.continuous_years,
        employee.reckonable_years,
        employee.fte,
        employee.weekly_pay,
    ).item()
    steps = [
        f"{employee.counted_years:g} years' reckonable service -> {months:g} complete years"
        f" counted (at most {rules.maximum_months})",
        *_month_pay_steps(employee, rules, pay),
    ]
    month = float(pay.month)
    if employee.fte < 1:
        steps.append(
            f"part-time {employee.fte:g} FTE: month's pay {float(pay.whole_time):,.2f}"
            f" x {employee.fte:g}"
        )
    steps.append(f"{months:g} x {month:,.2f} = {amount:,.2f}")
    basis = (
        f"{rules.weeks_per_month:g} x a week's pay" if pay.by_week_wins else "1/12 of annual salary"
    )
    return Payment(True, months, round(month, 2), amount, basis, tuple(steps))


def _month_pay_steps(employee: Employee, rules: Section16, pay) -> list[str]:
    steps = []
    salary, clamped = employee.annual_salary, float(pay.salary)
    if clamped != salary:
        which = "floor" if salary < rules.floor else "cap"
        steps.append(f"WTE salary {salary:,.2f} -> {clamped:,.2f} (earnings {which})")
    by_salary = float(pay.by_salary)
    if employee.weekly_pay is None:
        return [*steps, f"month's pay = {clamped:,.2f} / 12 = {by_salary:,.2f}"]
    if pay.by_week_wins:
        weekly_wte = employee.weekly_pay / employee.fte
        return [
            *steps,
            f"month's pay = {rules.weeks_per_month:g} x week's pay {weekly_wte:,.2f}"
            f" = {float(pay.by_week):,.2f} (more than 1/12 of salary, {by_salary:,.2f})",
        ]
    return [
        *steps,
        f"month's pay = {clamped:,.2f} / 12 = {by_salary:,.2f}"
        f" (not less than {rules.weeks_per_month:g} weeks)",
    ]


def mars(employee: Employee, terms: Mars) -> Payment:
    """A mutually agreed resignation scheme payment (terms are an assumption: see mars_terms)."""
    months = float(terms.months(employee.continuous_years, employee.reckonable_years))
    if months == 0 and employee.continuous_years < terms.minimum_service:
        return Payment(False, 0, 0.0, 0.0, "not eligible", ("under MARS minimum service",))
    month = float(terms.month_pay(employee.annual_salary, employee.fte))
    amount = terms.amount(
        employee.annual_salary, employee.continuous_years, employee.reckonable_years, employee.fte
    ).item()
    steps = (f"{months:g} months (MARS rate) x {month:,.2f} = {amount:,.2f}",)
    return Payment(True, months, round(month, 2), amount, "MARS", steps)


@dataclass(frozen=True)
class Retirement:
    """Retirement on grounds of redundancy: the person's age, membership and buy-out cost."""

    age: float
    capitalisation_cost: float
    membership_years: float


def explain(
    params: ParameterSet,
    employee: Employee,
    retirement: Retirement | None = None,
    reemployed_after: float | None = None,
    senior: bool = False,
    day: date | None = None,
) -> Result:
    """Section 16 step by step, then early retirement, the VR clawback and the MARS alternative."""
    rules = ExitRules.on(params, day)
    payment = section16(employee, rules.section16)
    rows = [
        {
            "item": "Section 16 payment",
            "gbp": payment.amount,
            "detail": f"{payment.months:g} months x {payment.month_pay:,.2f} ({payment.basis})",
        }
    ]
    rows += [
        {"item": f"step {i}", "gbp": None, "detail": step}
        for i, step in enumerate(payment.steps, start=1)
    ]
    if retirement is not None:
        rows += _retirement_rows(rules, payment, retirement)
    if reemployed_after is not None:
        rows.append(_clawback_row(rules, payment, reemployed_after, senior))
    alternative = mars(employee, rules.mars)
    rows.append(
        {
            "item": "MARS alternative (assumed terms)",
            "gbp": alternative.amount,
            "detail": "; ".join(alternative.steps),
        }
    )
    notes = (
        "Section 16 (England) rules from parameters finance.redundancy.* (verified); "
        "MARS terms and the clawback repayment rule are assumptions.",
    )
    return Result(
        pd.DataFrame(rows),
        sourcing.provenance(params, notes=notes),
        "Redundancy pay (Agenda for Change Section 16, England)",
        notes,
    )


def _retirement_rows(rules: ExitRules, payment: Payment, person: Retirement) -> list[dict]:
    split = rules.retirement.split(
        payment.amount, person.capitalisation_cost, person.age, person.membership_years
    )
    return [
        {"item": "early retirement: eligible", "gbp": None, "detail": str(bool(split.eligible))},
        {
            "item": "capitalisation paid by employer",
            "gbp": float(split.capitalisation_paid_by_employer),
            "detail": "capped at the redundancy payment",
        },
        {
            "item": "lump sum to member",
            "gbp": float(split.lump_sum_to_member),
            "detail": "balance of the redundancy payment",
        },
        {
            "item": "shortfall for member",
            "gbp": float(split.shortfall_for_member),
            "detail": "member pays in or takes a partly reduced pension",
        },
    ]


def _clawback_row(rules: ExitRules, payment: Payment, months_out: float, senior: bool) -> dict:
    if months_out < 0:
        raise InputError(f"must be 0 or more, got {months_out:g}", field="reemployed_after")
    clawback = rules.clawback
    window = float(clawback.window(payment.amount, senior))
    repaid = float(clawback.repaid(payment.amount, months_out, senior))
    why = "senior staff" if senior else f"payment over £{clawback.senior_threshold:,.0f}"
    longer = window == clawback.senior_months and window != clawback.standard_months
    return {
        "item": "clawback repaid (2025 VR scheme)",
        "gbp": repaid,
        "detail": f"re-employed after {months_out:g} months; window {window:g} months"
        + (f" ({why})" if longer else "")
        + f"; repayment rule {clawback.rule}",
    }
