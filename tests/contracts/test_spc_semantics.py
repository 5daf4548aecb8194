"""Hand-checked edge cases for every SPC rule, and NHSRplotthedots' published outputs.

Most cases lock the limits on a 12-point baseline that alternates 12, 10
(``fix_after=12``, as ``fix_after_n_points`` in ``ptd_spc``): mean 11, average moving
range 2, so the process limits are 11 ± 2.66 × 2 = 5.68 and 16.32 and the outer third
starts at 11 ± (2/3 × 2.66) × 2, i.e. below 7.453 or above 14.547.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from icsatlas.contracts.spc import analyse, names, rule_set
from icsatlas.errors import InputError, NotFoundError
from icsatlas.parameters import ParameterSet

SHIPPED = ParameterSet.shipped()
RULES_MDC = "contracts.spc.rule_sets.mdc-2023"
DEFAULT = rule_set(SHIPPED)

BASELINE = [12.0, 10.0] * 6

# set.seed(123); rnorm(20) in R: the data of NHSRplotthedots' tests/testthat/test-ptd_spc*.R
RNORM_20 = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
]


def frame(values, start="2024-01-01", freq="MS") -> pd.DataFrame:
    return pd.DataFrame(
        {"date": pd.date_range(start, periods=len(values), freq=freq), "value": values}
    )


def spc(values, rules=None, params=SHIPPED, **kwargs):
    kwargs.setdefault("fix_after", 12)
    return analyse(frame(values), rule_set(params, rules), **kwargs)


def hits(values, **kwargs) -> dict[int, str]:
    """Points (0-based) that are special cause, with NHSRplotthedots' label."""
    points = spc(values, **kwargs).points
    special = points[points.rule != "common_cause"]
    return dict(zip(special.index, special.special_cause_type, strict=True))


def test_locked_limits_are_those_of_the_baseline():
    points = spc([*BASELINE, 11.0]).points
    row = points.iloc[-1]
    assert (row["mean"], row.lpl, row.upl) == pytest.approx((11, 5.68, 16.32))
    assert (row.near_lpl, row.near_upl) == pytest.approx((11 - 3.546667, 11 + 3.546667))


# --- rule 1: a point beyond the process limits ------------------------------------------
def test_a_point_just_beyond_a_limit_is_special_cause_and_one_just_inside_is_not():
    assert hits([*BASELINE, 16.33]) == {12: "Above UCL"}
    assert hits([*BASELINE, 16.31]) == {}
    assert hits([*BASELINE, 5.67]) == {12: "Below LCL"}


def test_beyond_limits_takes_priority_over_a_trend():
    rising = [6.0, 7, 8, 9, 10, 11, 17]  # 7 rising points, the last beyond the upper limit
    found = hits([*BASELINE, *rising])
    assert found[18] == "Above UCL"
    assert all(found[i] == "7 Point Trend (Increasing)" for i in range(12, 18))


# --- rule 2: a trend of 7 points ---------------------------------------------------------
def test_seven_rising_points_are_a_trend_and_six_are_not():
    assert set(hits([*BASELINE, 9, 9.5, 10, 10.5, 11, 11.5, 12])) == set(range(12, 19))
    assert hits([*BASELINE, 9, 9.5, 10, 10.5, 11, 11.5]) == {}


def test_a_repeated_value_breaks_a_trend():
    # sign(diff) is 0 for equal neighbours (ptd_seven_point_trend), so no trend here
    assert hits([*BASELINE, 9, 9.5, 10, 10, 10.5, 11, 11.5, 12]) == {}


def test_a_falling_trend_is_improvement_when_lower_is_better():
    points = spc([*BASELINE, 13, 12.5, 12, 11.5, 11, 10.5, 10], improvement="decrease").points
    assert set(points.point_type.iloc[12:]) == {"special_cause_improvement"}
    assert points.special_cause_type.iloc[-1] == "7 Point Trend (Decreasing)"


def test_a_peak_shared_by_two_trends_takes_the_direction_of_the_step_after_it():
    # ptd_special_cause_type: "if a point is part of a trend either side, use right side"
    up = [6.0, 7, 8, 9, 10, 11, 12]
    down = [11.0, 10, 9, 8, 7, 6]
    points = spc([*BASELINE, *up, *down]).points
    peak = points.iloc[18]
    assert peak.value == 12
    assert peak.special_cause_type == "7 Point Trend (Decreasing)"
    assert peak.point_type == "special_cause_concern"
    assert points.special_cause_type.iloc[17] == "7 Point Trend (Increasing)"


# --- rule 3: two of three points in the outer third --------------------------------------
def test_two_of_three_near_the_upper_limit_flags_only_the_near_points():
    assert hits([*BASELINE, 15, 11.5, 15]) == {12: "2 in 3 Above CL", 14: "2 in 3 Above CL"}


def test_two_near_points_on_opposite_sides_are_common_cause():
    # NHSRplotthedots issue 143 and test-ptd_spc_standard.R: same side of the mean needed
    assert hits([*BASELINE, 15, 7]) == {}


def test_three_apart_is_not_two_of_three():
    assert hits([*BASELINE, 15, 11.5, 11.5, 15]) == {}


def test_a_point_beyond_the_limit_does_not_count_towards_two_of_three_by_default():
    # NHSRplotthedots issue 153: "looking explicitly for points between 2 and 3 sigma"
    assert hits([*BASELINE, 15, 17, 11.5]) == {13: "Above UCL"}


def test_the_mdc_2023_rules_count_points_beyond_the_limit_in_two_of_three():
    # Making Data Count change announced in NHSRplotthedots issue 194
    found = hits([*BASELINE, 15, 17, 11.5], rules="mdc-2023")
    assert found == {12: "2 in 3 Above CL", 13: "Above UCL"}


# --- rule 4: a shift of 7 points on one side of the mean ---------------------------------
def test_seven_points_above_the_mean_are_a_shift_and_six_are_not():
    assert hits([*BASELINE, *[11.5] * 7]) == {i: "7 Points Above CL" for i in range(12, 19)}
    assert hits([*BASELINE, *[11.5] * 6]) == {}


def test_a_point_on_the_mean_breaks_a_shift():
    assert hits([*BASELINE, *[11.5] * 4, 11.0, *[11.5] * 4]) == {}


def test_the_six_point_rule_set_is_withdrawn_and_an_override_gives_six_point_runs():
    """Issue 9, section 6: mdc-six-point rested on one unconfirmed user claim
    (NHSRplotthedots issue 202, open, unanswered by the maintainers): dropped, and the
    error says how to get 6-point runs from the parameters instead."""
    with pytest.raises(NotFoundError, match="withdrawn: it rested on one unconfirmed"):
        spc(BASELINE, rules="mdc-six-point")
    six = SHIPPED.override({RULES_MDC: {"trend_points": 6, "shift_points": 6}})
    result = spc([*BASELINE, *[11.5] * 6], rules="mdc-2023", params=six)
    special = result.points[result.points.rule != "common_cause"]
    assert special.special_cause_type.tolist() == ["6 Points Above CL"] * 6
    assert "overridden from overrides" in result.notes[0]


def test_the_trend6_shift8_rule_set_needs_eight_for_a_shift_and_six_for_a_trend():
    assert hits([*BASELINE, *[11.5] * 7], rules="trend6-shift8") == {}
    assert len(hits([*BASELINE, *[11.5] * 8], rules="trend6-shift8")) == 8
    assert len(hits([*BASELINE, 9, 9.5, 10, 10.5, 11, 11.5], rules="trend6-shift8")) == 6


def test_a_rule_set_version_is_chosen_by_date():
    result = spc(BASELINE, rules="mdc-2023@2024-06-30")
    assert result.rules.id == "mdc-2023@2023-11-06"
    with pytest.raises(Exception, match="no value before"):
        spc(BASELINE, rules="mdc-2023@2020-01-01")


# --- point types, icons and assurance -----------------------------------------------------
def test_neutral_direction_gives_neutral_high_and_low():
    points = spc([*BASELINE, 17, 5], improvement="neutral").points
    assert points.point_type.iloc[-2:].tolist() == [
        "special_cause_neutral_high",
        "special_cause_neutral_low",
    ]
    assert spc([*BASELINE, 5], improvement="neutral").summary.variation[0] == "neutral_low"


@pytest.mark.parametrize(
    ("improvement", "last", "icon"),
    [
        ("increase", 17, "improvement_high"),
        ("increase", 5, "concern_low"),
        ("decrease", 17, "concern_high"),
        ("decrease", 5, "improvement_low"),
        ("increase", 11, "common_cause"),
    ],
)
def test_variation_icon_follows_the_latest_point(improvement, last, icon):
    # geom_ptd_icon.R: the icon of the point with the latest date
    assert spc([*BASELINE, last], improvement=improvement).summary.variation[0] == icon


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 17, "consistent_fail"),
        ("increase", 5, "consistent_pass"),
        ("decrease", 17, "consistent_pass"),
        ("decrease", 5, "consistent_fail"),
        ("increase", 12, "inconsistent"),
        ("neutral", 17, None),
    ],
)
def test_assurance_compares_the_target_with_the_latest_limits(improvement, target, expected):
    # ptd_calculate_assurance_type.R
    summary = spc(BASELINE, improvement=improvement, target=target).summary
    assert summary.assurance[0] == expected


def test_no_target_means_no_assurance_icon():
    assert spc(BASELINE).summary.assurance[0] is None


# --- limits: outlier screening, trial limits, rebasing -------------------------------------
def test_nhsrplotthedots_published_limits_for_rnorm_20():
    # tests/testthat/_snaps/ptd_spc_standard.md: mean 0.142, lpl -3.01, upl 3.29
    row = analyse(frame(RNORM_20, freq="D"), DEFAULT).summary.iloc[0]
    assert (round(row["mean"], 3), round(row.lpl, 2), round(row.upl, 2)) == (0.142, -3.01, 3.29)
    assert row.special_cause_improvement == row.special_cause_concern == 0


def test_nhsrplotthedots_published_limits_per_facet():
    # tests/testthat/_snaps/ptd_spc.md, facet_field with two facets of 10 points each: means
    # 0.0746 and 0.209 as printed (0.2086 is the mean of the last ten values, worked by hand)
    data = frame(RNORM_20, freq="D").assign(series=["0"] * 10 + ["1"] * 10)
    summary = analyse(data, DEFAULT).summary.round({"mean": 4, "lpl": 2, "upl": 2})
    assert summary[["mean", "lpl", "upl"]].values.tolist() == [
        [0.0746, -2.60, 2.75],
        [0.2086, -3.28, 3.70],
    ]


def test_screening_outliers_narrows_the_limits():
    # test-ptd_spc_standard.R: y[15] <- 10, with and without screen_outliers
    values = list(RNORM_20)
    values[14] = 10
    screened = analyse(frame(values, freq="D"), DEFAULT).summary.iloc[0]
    unscreened = analyse(frame(values, freq="D"), DEFAULT, screen_outliers=False).summary.iloc[0]
    assert unscreened.upl - unscreened.lpl > screened.upl - screened.lpl


# NHSRplotthedots vignette "Deviations from Excel defaults", section 1 (vignettes/deviations.Rmd):
# this series, daily from 2021-03-22, has UPL 4.6, mean 1.94, LPL -0.72 with outliers screened
# (the package default) and UPL 6.95, mean 1.94, LPL -3.06 as the Making Data Count Excel tools
# compute it (screen_outliers = FALSE); the point of 10 is special cause in both.
DEVIATIONS = [1.0, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def _vignette(rules: str) -> tuple:
    result = analyse(frame(DEVIATIONS, start="2021-03-22", freq="D"), rule_set(SHIPPED, rules))
    row = result.summary.iloc[0]
    special = result.points.index[result.points.rule != "common_cause"].tolist()
    return (round(row.upl, 2), round(row["mean"], 2), round(row.lpl, 2)), special


def test_nhsrplotthedots_screens_moving_range_outliers_as_its_vignette_shows():
    assert _vignette("nhsrplotthedots") == ((4.60, 1.94, -0.72), [4])


@pytest.mark.parametrize("name", [n for n in names(SHIPPED) if n.startswith("mdc")])
def test_making_data_count_rule_sets_do_not_screen_outliers(name):
    """Issue 9, section 6: the MDC Excel tools keep every moving range (vignette: UPL 6.95)."""
    assert _vignette(name) == ((6.95, 1.94, -3.06), [4])


def test_screening_can_be_chosen_against_the_rule_set_with_a_note():
    result = analyse(
        frame(DEVIATIONS, freq="D"), rule_set(SHIPPED, "mdc-2023"), screen_outliers=True
    )
    assert round(result.summary.upl[0], 2) == 4.60
    assert "moving-range outliers screened out of the limits, unlike the mdc-2023 rule set" in (
        result.notes
    )


def test_symmetric_data_with_two_near_points_on_opposite_sides():
    # test-ptd_spc_standard.R: "only reports special cause for 2 of 3 points close to limits
    # when they are on the same side of the mean"
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    points = analyse(frame(values, freq="D"), DEFAULT).points
    assert points.point_type.iloc[-2:].tolist() == ["common_cause", "common_cause"]


def test_fewer_than_thirteen_points_give_trial_limits():
    # ptd_add_short_group_warnings.R: warning_threshold 13
    assert spc(BASELINE).summary.trial_limits[0]
    assert not spc([*BASELINE, 11]).summary.trial_limits[0]
    assert any("trial limits" in note for note in spc(BASELINE).notes)


def test_rebasing_starts_new_limits_on_the_given_date():
    # test-ptd_spc_standard.R "it sets the rebase_group field": rebase at the 11th point
    data = frame([*[10.0, 12.0] * 5, *[20.0, 22.0] * 5])
    result = analyse(data, DEFAULT, rebase=[data.date[10]])
    assert result.points.rebase_group.tolist() == [0] * 10 + [1] * 10
    assert result.points["mean"].tolist() == [11.0] * 10 + [21.0] * 10


def test_a_rebase_date_that_is_not_in_the_series_is_ignored_with_a_note():
    """Issue 9, section 6: NHSRplotthedots marks rebase points with ``date %in% rebase``
    (R/ptd_add_rebase_column.R), so a date that is not a point's is ignored, not an error;
    icsatlas says so in a note."""
    result = analyse(frame(BASELINE), DEFAULT, rebase=[date(2030, 1, 1)])
    assert result.points.rebase_group.tolist() == [0] * 12
    assert "rebase date 2030-01-01 ignored: it is not the date of a point in the series" in (
        result.notes
    )


def test_one_rebase_date_for_many_series_rebases_those_that_have_it():
    # test-ptd_add_rebase_column.R: a date vector applies to every facet that has the date
    data = pd.concat(
        [
            frame([*[10.0, 12.0] * 6]).assign(series="a"),
            frame([*[10.0, 12.0] * 6], start="2030-01-01").assign(series="b"),
        ]
    )
    result = analyse(data, DEFAULT, rebase=[date(2024, 7, 1)])
    groups = result.points.groupby("series").rebase_group.max()
    assert groups.to_dict() == {"a": 1, "b": 0}
    assert result.notes[-1] == (
        "rebase date 2024-07-01 ignored: it is not the date of a point in series 'b'"
    )


def test_rebasing_a_series_that_does_not_exist_is_an_error():
    # ptd_validate_spc_options.R: "options provided to rebase are not in the facet_field column"
    with pytest.raises(InputError, match="no series 'z' to rebase"):
        analyse(frame(BASELINE), DEFAULT, rebase={"z": [date(2024, 1, 1)]})


def test_many_series_with_their_own_direction_and_target():
    data = pd.concat(
        [frame([*BASELINE, 17]).assign(series="a"), frame([*BASELINE, 17]).assign(series="b")]
    )
    summary = analyse(
        data,
        DEFAULT,
        fix_after=12,
        improvement={"a": "increase", "b": "decrease"},
        target={"a": 20},
    ).summary
    assert summary.variation.tolist() == ["improvement_high", "concern_high"]
    assert summary.assurance.tolist() == ["consistent_fail", None]


def test_missing_values_and_duplicate_dates_are_errors():
    with pytest.raises(InputError, match="no numeric value on 2024-02-01"):
        analyse(frame([1.0, "n/a", 3.0]), DEFAULT)
    doubled = pd.DataFrame({"date": ["2024-01-01", "2024-01-01"], "value": [1, 2]})
    with pytest.raises(InputError, match="two values on 2024-01-01"):
        analyse(doubled, DEFAULT)
