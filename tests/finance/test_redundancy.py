"""Section 16 (England) redundancy pay, checked to the pound on worked examples.

Rules: NHS Employers, "NHS redundancy arrangements" (Section 16 (England), NHS Terms and
Conditions of Service Handbook):
https://www.nhsemployers.org/pay-pensions-and-reward/nhs-terms-and-conditions-of-service---agenda-for-change/nhs-terms-and-conditions-of-service-handbook/nhs-redundancy-arrangements
- one month's pay per complete year of reckonable service, at most 24 months; part years
  disregarded;
- a month's pay is 1/12 of annual salary or 4.35 x a week's pay, whichever is more
  beneficial, with a total annual earnings floor of £23,000 and cap of £80,000;
- for part-time staff the floor and cap apply to the whole-time equivalent, pro rata;
- at least two years' continuous NHS service.

The handbook's own worked examples were not in the stored corpus we could search; the
examples below are worked by hand from the rule text (each shows its arithmetic), plus
one published third-party example (nhspayscales.co.uk).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icsatlas.errors import InputError
from icsatlas.finance import exit_pay, service
from icsatlas.finance.exit_pay import Employee
from icsatlas.finance.redundancy import ExitRules
from icsatlas.parameters import ParameterSet

PARAMS = ParameterSet.shipped()
EXIT = ExitRules.on(PARAMS)
RULES = EXIT.section16


def section16(employee: Employee) -> exit_pay.Payment:
    return exit_pay.section16(employee, RULES)


def test_rules_are_the_2015_england_figures():
    assert (RULES.floor, RULES.cap, RULES.maximum_months) == (23_000, 80_000, 24)
    assert RULES.qualifying_years == 2
    assert RULES.weeks_per_month == 4.35
    assert RULES.maximum_payment == 160_000


def test_published_band_6_example_to_the_pound():
    # nhspayscales.co.uk, "How much are NHS redundancy payments?": Band 6, £35,392, 3 years
    # 2 months -> 3 years counted; £35,392 / 12 x 3. The page prints £8,847 because it
    # rounds the month to £2,949 first; unrounded the payment is exactly £8,848.
    payment = section16(Employee(35_392, continuous_years=3 + 2 / 12))
    assert payment.months == 3
    assert payment.amount == 8_848.00


def test_floor_lifts_low_earnings_to_23000():
    # £20,000 with 10 years: 10 x £23,000 / 12 = £19,166.67
    payment = section16(Employee(20_000, 10))
    assert payment.month_pay == 1_916.67
    assert payment.amount == 19_166.67
    assert any("earnings floor" in step for step in payment.steps)


def test_cap_limits_earnings_to_80000_and_payment_to_160000():
    # £95,000 with 30 years: 24 x £80,000 / 12 = £160,000
    payment = section16(Employee(95_000, 30))
    assert payment.months == 24
    assert payment.amount == 160_000.00


def test_twenty_four_month_maximum_below_the_cap():
    # £50,000 with 31 years: 24 months (not 31) x £4,166.67 = £100,000
    assert section16(Employee(50_000, 31)).amount == 100_000.00


def test_part_years_are_disregarded():
    # 9 years 11 months counts as 9: 9 x £36,000 / 12 = £27,000
    assert section16(Employee(36_000, 9 + 11 / 12)).amount == 27_000.00


def test_under_two_years_continuous_service_gets_nothing():
    payment = section16(Employee(40_000, 1.99))
    assert not payment.eligible
    assert payment.amount == 0
    assert "under the 2 needed" in payment.steps[0]


def test_exactly_two_years_qualifies_for_two_months():
    # £30,000 with 2 years: 2 x £2,500 = £5,000
    assert section16(Employee(30_000, 2)).amount == 5_000.00


def test_reckonable_service_counts_not_continuous():
    # 10 years continuous but 6 reckonable (earlier service already paid out): 6 x £2,500
    assert section16(Employee(30_000, 10, reckonable_years=6)).amount == 15_000.00


def test_part_time_floor_applies_to_whole_time_equivalent_then_pro_rata():
    # WTE £20,000 at 0.5 FTE: floor lifts WTE to £23,000, then half: £958.33 x 10 = £9,583.33
    payment = section16(Employee(20_000, 10, fte=0.5))
    assert payment.month_pay == 958.33
    assert payment.amount == 9_583.33


def test_part_time_cap_applies_to_whole_time_equivalent_then_pro_rata():
    # WTE £100,000 at 0.6 FTE: cap to £80,000 WTE, x 0.6 = £48,000 a year: 24 x £4,000 = £96,000
    # (not the £60,000 actual pay, and not a £80,000 cap on actual pay)
    assert section16(Employee(100_000, 26, fte=0.6)).amount == 96_000.00


def test_weeks_pay_basis_used_when_more_beneficial():
    # Week's pay £600 (e.g. with regular unsocial-hours pay) on £30,000 basic:
    # 4.35 x £600 = £2,610 > £2,500, so 5 x £2,610 = £13,050
    payment = section16(Employee(30_000, 5, weekly_pay=600))
    assert payment.basis == "4.35 x a week's pay"
    assert payment.amount == 13_050.00


def test_weeks_pay_basis_is_also_capped():
    # 4.35 x £2,000 = £8,700 a month, capped at £80,000 / 12 = £6,666.67: 24 months = £160,000
    assert section16(Employee(70_000, 24, weekly_pay=2_000)).amount == 160_000.00


def test_salary_basis_kept_when_weeks_pay_is_lower():
    payment = section16(Employee(52_000, 4, weekly_pay=900))
    assert payment.basis == "1/12 of annual salary"
    assert payment.amount == pytest.approx(4 * 52_000 / 12, abs=0.005)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("annual_salary", {"annual_salary": -1, "continuous_years": 3}),
        ("continuous_years", {"annual_salary": 30_000, "continuous_years": -1}),
        ("fte", {"annual_salary": 30_000, "continuous_years": 3, "fte": 1.5}),
        ("fte", {"annual_salary": 30_000, "continuous_years": 3, "fte": 0}),
    ],
)
def test_impossible_people_are_input_errors_naming_the_field(field, kwargs):
    with pytest.raises(InputError, match=f"^{field}: must be"):
        Employee(**kwargs)


@settings(max_examples=200, deadline=None)
@given(
    salary=st.floats(0, 200_000),
    years=st.floats(0, 45),
    fte=st.floats(0.05, 1.0),
)
def test_the_rule_on_arrays_follows_the_handbook_text(salary, years, fte):
    # the rule as NHS Employers states it, written out here independently of the code
    expected = 0.0
    if years >= 2:
        expected = min(math.floor(years + 1e-9), 24) * min(max(salary, 23_000), 80_000) / 12 * fte
    many = RULES.amount(np.array([salary, salary]), np.array([years, years]), fte=fte)
    assert many == pytest.approx([expected, expected], abs=0.006)
    assert section16(Employee(salary, years, fte=fte)).amount == pytest.approx(many[0])
    assert 0 <= many[0] <= RULES.maximum_payment


def test_expected_months_match_a_simulation_of_erlang_service():
    rng = np.random.default_rng(4)
    means = np.array([3.0, 10.0, 20.0])
    served = np.arange(EXIT.years_to_maximum + 1)
    exact = service.expected(RULES.months(served), means)
    for mean, expected in zip(means, exact, strict=True):
        drawn = rng.gamma(2, mean / 2, 400_000)
        months = np.where(drawn >= 2, np.minimum(np.floor(drawn), 24), 0)
        assert months.mean() == pytest.approx(expected, rel=0.01)


def test_fast_expected_months_match_the_exact_sum():
    means = np.linspace(0, 40, 4001)
    months = RULES.months(np.arange(EXIT.years_to_maximum + 1))
    fast = service.expected_fast(months, means)
    assert np.abs(fast - service.expected(months, means)).max() < 1e-4


class TestEarlyRetirement:
    """Since April 2015 the employer pays capitalisation only up to the redundancy payment."""

    payment = section16(Employee(40_000, 15)).amount  # 15 x £3,333.33 = £50,000

    def test_cheaper_capitalisation_leaves_a_lump_sum(self):
        split = EXIT.retirement.split(self.payment, 30_000, age=58, membership_years=15)
        assert split.capitalisation_paid_by_employer == 30_000
        assert split.lump_sum_to_member == 20_000
        assert split.employer_cost == self.payment

    def test_dearer_capitalisation_is_a_shortfall_for_the_member(self):
        split = EXIT.retirement.split(self.payment, 65_000, age=58, membership_years=15)
        assert split.capitalisation_paid_by_employer == 50_000
        assert split.shortfall_for_member == 15_000
        assert split.employer_cost == 50_000

    def test_under_minimum_pension_age_takes_cash(self):
        split = EXIT.retirement.split(self.payment, 30_000, age=54, membership_years=15)
        assert not split.eligible
        assert split.lump_sum_to_member == 50_000

    @settings(max_examples=100, deadline=None)
    @given(
        payment=st.floats(0, 160_000),
        cost=st.floats(0, 300_000),
        age=st.floats(40, 70),
        membership=st.floats(0, 40),
    )
    def test_the_employer_pays_the_redundancy_payment_whatever_the_split(
        self, payment, cost, age, membership
    ):
        # why the reorganisation bill prices exits by their redundancy payment alone
        split = EXIT.retirement.split(payment, cost, age, membership)
        assert split.employer_cost == pytest.approx(payment, abs=0.011)


class TestVoluntaryRedundancyClawback:
    """2025 model scheme: repay if re-employed within 6 months (12 for senior/high payouts)."""

    def test_re_employed_after_two_of_six_months_repays_two_thirds(self):
        assert EXIT.clawback.repaid(30_000, months_out=2) == 20_000

    def test_outside_the_window_repays_nothing(self):
        assert EXIT.clawback.repaid(30_000, months_out=6) == 0

    def test_payments_over_the_threshold_have_a_twelve_month_window(self):
        assert EXIT.clawback.repaid(120_000, months_out=9) == 30_000

    def test_senior_staff_have_a_twelve_month_window_whatever_the_payment(self):
        assert EXIT.clawback.repaid(30_000, months_out=9, senior=True) == 7_500
        assert EXIT.clawback.repaid(30_000, months_out=9) == 0

    def test_on_arrays_each_payment_gets_its_own_window(self):
        repaid = EXIT.clawback.repaid(
            np.array([30_000, 120_000, 30_000]), 3, senior=np.array([False, False, True])
        )
        assert repaid.tolist() == [15_000, 90_000, 22_500]

    def test_the_all_rule_repays_everything_inside_the_window(self):
        rules = ExitRules.on(PARAMS.override({"finance.redundancy.vr_clawback_rule": "all"}))
        assert rules.clawback.repaid(30_000, months_out=5) == 30_000
        assert rules.clawback.repaid(30_000, months_out=6) == 0

    def test_an_unknown_repayment_rule_is_an_input_error(self):
        odd = PARAMS.override({"finance.redundancy.vr_clawback_rule": "half"})
        with pytest.raises(InputError, match="vr_clawback_rule: must be pro-rata or all"):
            ExitRules.on(odd)


def test_mars_uses_the_notional_80000_cap_and_half_a_month_a_year():
    # Assumed MARS terms: 0.5 month per year, at most 12 months, salary capped at £80,000
    payment = exit_pay.mars(Employee(90_000, 30), EXIT.mars)
    assert payment.amount == 80_000.00
    assert exit_pay.mars(Employee(40_000, 0.5), EXIT.mars).amount == 0


def test_an_overridden_cap_changes_the_payment_and_the_fingerprint():
    """Issue 9, section 3: a --parameters override reaches the explainer's figure and its
    provenance."""
    person = Employee(95_000, 30)
    shipped = exit_pay.explain(PARAMS, person)
    mine = PARAMS.override({"finance.redundancy.earnings_cap": 90_000})
    overridden = exit_pay.explain(mine, person)
    assert shipped.frame.gbp[0] == 160_000
    assert overridden.frame.gbp[0] == 24 * 90_000 / 12
    assert overridden.provenance.parameters == mine.fingerprint
    assert shipped.provenance.parameters == PARAMS.fingerprint != mine.fingerprint


def test_the_explainer_shows_the_clawback_window_it_applied():
    result = exit_pay.explain(PARAMS, Employee(95_000, 30), reemployed_after=9)
    row = result.frame.set_index("item").loc["clawback repaid (2025 VR scheme)"]
    assert row.gbp == 40_000  # £160,000 over the £100,000 threshold: 3/12 of it
    assert "window 12 months (payment over £100,000)" in row.detail
