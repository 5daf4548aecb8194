"""Provider Selection Regime: standstill in England and Wales working days, and the
publication obligations, checked on real calendar dates.

Standstill: 8 working days counted from the day after the intention notice, ending at
midnight on day 8; 5 more working days after the authority decides on representations
(NHS England, "Provider Selection Regime: reviewing decisions during the standstill
period"). Bank holidays: gov.uk list for England and Wales.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icsatlas.contracts import calendar, psr
from icsatlas.errors import InputErrors
from icsatlas.parameters import ParameterSet
from icsatlas.store import audit

SHIPPED = ParameterSet.shipped()


@pytest.mark.parametrize(
    ("published", "ends"),
    [
        # Fri 20 Dec 2024: Christmas Day, Boxing Day and New Year's Day skipped
        (date(2024, 12, 20), date(2025, 1, 6)),
        # Wed 27 Mar 2024: Good Friday 29 Mar and Easter Monday 1 Apr 2024 skipped
        (date(2024, 3, 27), date(2024, 4, 10)),
        # Thu 17 Apr 2025: Good Friday 18 Apr and Easter Monday 21 Apr 2025 skipped
        (date(2025, 4, 17), date(2025, 5, 1)),
        # Fri 2 May 2025: early May bank holiday Mon 5 May skipped
        (date(2025, 5, 2), date(2025, 5, 15)),
        # an ordinary fortnight: Mon 3 Jun 2024 -> Thu 13 Jun 2024
        (date(2024, 6, 3), date(2024, 6, 13)),
        # published on a Saturday: counting starts on Sunday, first working day Monday
        (date(2024, 6, 8), date(2024, 6, 19)),
    ],
)
def test_standstill_ends_on_the_eighth_working_day(published, ends):
    period = psr.standstill(published, params=SHIPPED)
    assert period.ends == ends
    assert calendar.working_days_between(published, ends) == 8


def test_one_off_bank_holidays_are_not_working_days():
    # Coronation of King Charles III, Mon 8 May 2023; State Funeral, Mon 19 Sep 2022
    assert not calendar.is_working_day(date(2023, 5, 8))
    assert not calendar.is_working_day(date(2022, 9, 19))
    assert calendar.add_working_days(date(2023, 4, 28), 8) == date(2023, 5, 12)
    assert calendar.bank_holiday_name(date(2023, 5, 8)) == "Coronation of Charles III"


def test_the_contract_may_be_awarded_the_day_after_the_standstill():
    assert psr.standstill(date(2024, 12, 20), params=SHIPPED).award_from == date(2025, 1, 7)


def test_the_standstill_length_is_a_parameter():
    """Issue 9, section 3: the 8 working days are contracts.psr.standstill_working_days."""
    ten = SHIPPED.override({"contracts.psr.standstill_working_days": 10})
    # Mon 3 Jun 2024: 10 working days from Tue 4 Jun end on Mon 17 Jun 2024
    assert psr.standstill(date(2024, 6, 3), params=ten).ends == date(2024, 6, 17)


def test_representations_add_five_working_days_after_the_decision_to_proceed():
    # decision to proceed on Tue 23 Dec 2025: 24, (25, 26 holidays), 29, 30, 31, (1 Jan), 2 Jan
    period = psr.standstill(
        date(2025, 12, 10), representations_decided=date(2025, 12, 23), params=SHIPPED
    )
    assert period.ends == date(2025, 12, 22)
    assert period.extended_ends == date(2026, 1, 2)
    assert period.award_from == date(2026, 1, 3)


def _statuses(decision: dict, today=date(2025, 6, 1)) -> dict[str, str]:
    return {f.obligation: f.status for f in psr.check(decision, today, params=SHIPPED)}


def test_direct_award_a_must_publish_within_30_days():
    # 30 calendar days (contracts/psr/award_notice_days.yaml; NHS England, PSR statutory
    # guidance): 3 Mar + 30 = 2 Apr 2025 is in time, 3 Apr is not
    base = {"process": "direct-award-a", "award_date": date(2025, 3, 3)}
    assert _statuses({**base, "award_notice_date": date(2025, 4, 2)}) == {
        "award notice within 30 days": "met"
    }
    assert _statuses({**base, "award_notice_date": date(2025, 4, 3)}) == {
        "award notice within 30 days": "breached"
    }
    assert _statuses(base) == {"award notice within 30 days": "overdue"}
    assert _statuses(base, today=date(2025, 3, 20)) == {"award notice within 30 days": "pending"}


def test_awarding_inside_the_standstill_is_a_breach():
    decision = {
        "process": "most-suitable-provider",
        "intention_notice_date": date(2024, 12, 20),
        "award_date": date(2025, 1, 6),  # the last day of the standstill
    }
    assert _statuses(decision)["standstill"] == "breached"
    assert _statuses({**decision, "award_date": date(2025, 1, 7)})["standstill"] == "met"


def test_a_competitive_award_without_an_intention_notice_is_missing_one():
    assert _statuses({"process": "competitive", "award_date": date(2025, 1, 7)}) == {
        "intention notice": "missing"
    }


def test_representations_after_the_standstill_are_flagged():
    decision = {
        "process": "direct-award-c",
        "intention_notice_date": date(2024, 6, 3),
        "representations_date": date(2024, 6, 14),
    }
    assert _statuses(decision)["representations"] == "breached"


def test_process_names_are_forgiving():
    assert psr.process_code("Direct Award C") == "direct-award-c"
    assert psr.process_code("MSP") == "most-suitable-provider"
    with pytest.raises(ValueError):
        psr.process_code("negotiated")


LOG = """reference,authority,provider,service,process,contract_value,intention_notice_date,\
representations_date,representations_decision_date,award_date,award_notice_date
PSR-1,NHS Example ICB,Example Community Trust,Community nursing,Direct Award C,"4,500,000",\
2024-12-20,,,2025-01-07,
PSR-2,NHS Example ICB,Example Diagnostics Ltd,Endoscopy,MSP,1200000,2025-04-17,\
2025-04-24,2025-05-06,2025-05-08,
PSR-3,NHS Example ICB,Ambulance Trust,999 service,A,9000000,,,,2025-03-03,2025-04-10
"""


def test_a_decision_log_is_imported_and_checked(store, tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(LOG)
    assert psr.import_decisions(store, path) == 3
    log = psr.decisions(store, today=date(2025, 6, 1), params=SHIPPED).set_index("reference")
    assert log.loc["PSR-1", "standstill_ends"] == date(2025, 1, 6)
    assert log.loc["PSR-1", "status"] == "met"
    # awarded 8 May: the 5 further working days after 6 May run to 13 May
    assert log.loc["PSR-2", "status"] == "breached"
    assert log.loc["PSR-3", "status"] == "breached"  # notice 38 days after the award
    assert log.loc["PSR-1", "contract_value"] == 4_500_000
    # re-importing replaces by reference instead of duplicating
    psr.import_decisions(store, path)
    assert store.scalar("SELECT count(*) FROM psr_decision") == 3


def test_a_bad_decision_log_names_each_bad_cell_and_loads_nothing(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "reference,authority,process,award_date,intention_notice_date\n"
        "X-1,ICB,negotiated,2025-01-01,\n"
        "X-2,ICB,A,31/02/2025,2025-02-01\n"
        "X-3,ICB,competitive,2023-12-01,\n"
    )
    with pytest.raises(InputErrors) as caught:
        psr.import_decisions(store, path)
    text = str(caught.value)
    assert "bad.csv:2: process: not a PSR process" in text
    assert "bad.csv:3: award_date: not a date: '31/02/2025' (February 2025 has 28 days)" in text
    assert "bad.csv:3: intention_notice_date: Direct Award A" in text
    assert "bad.csv:4: decision_date: the PSR applies from 2024-01-01" in text
    assert store.scalar("SELECT count(*) FROM psr_decision") == 0
    assert audit.changes(store) == []


def test_a_decision_log_may_write_dates_day_first_or_with_month_names(store, tmp_path):
    """Issue 9 section 3: dates as spreadsheets write them, read day first as in the UK."""
    path = tmp_path / "decisions.csv"
    path.write_text(
        "reference,authority,process,award_date,award_notice_date,contract_value\n"
        "X-1,ICB,a,05/03/2025,1 April 2025,nine million\n"
        'X-2,ICB,A,3/3/2025,10-Apr-25,"£9,000,000"\n'
    )
    with pytest.raises(
        InputErrors, match=r"decisions.csv:2: contract_value: not an amount of money: 'nine mil"
    ):
        psr.import_decisions(store, path)
    path.write_text(path.read_text().replace("nine million", "£9m"))
    assert psr.import_decisions(store, path) == 2
    log = psr.decisions(store, today=date(2025, 6, 1), params=SHIPPED).set_index("reference")
    assert log.loc["X-1", "award_date"] == date(2025, 3, 5)  # 5 March, day first
    assert log.loc["X-1", "status"] == "met"  # notice 27 days after the award
    assert log.loc["X-2", "status"] == "breached"  # notice 38 days after, as PSR-3 above
    assert log.loc["X-1", "contract_value"] == log.loc["X-2", "contract_value"] == 9_000_000


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=30),
)
def test_adding_working_days_lands_on_a_working_day_after_exactly_that_many(start, days):
    end = calendar.add_working_days(start, days)
    assert calendar.is_working_day(end)
    assert calendar.working_days_between(start, end) == days
