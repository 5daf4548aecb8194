"""The per-point port reproduces NHSRplotthedots' own unit tests, case for case.

Source: tests/testthat/test-ptd_calculate_point_type.R in nhs-r-community/NHSRplotthedots
(commit 0b49a46f; the two-argument ptd_two_in_three(v, rtm) from commit 71699b0); each test
below names the R function and expectation it ports. Cases marked "worked by hand" are not
in the R tests: they extend one with the R function's rule.
"""

from __future__ import annotations

from icsatlas.contracts.spc import reference


def test_seven_point_one_side_mean():
    # ptd_seven_point_one_side_mean(...) expectations
    assert reference.one_side_of_mean([], 7) == []
    assert reference.one_side_of_mean([1] * 6, 7) == [0] * 6
    assert reference.one_side_of_mean([1] * 6 + [-1], 7) == [0] * 7
    assert reference.one_side_of_mean([1] * 8 + [-1], 7) == [0] * 6 + [1, 1, 0]
    assert reference.one_side_of_mean([-1] * 8 + [1], 7) == [0] * 6 + [1, 1, 0]
    # worked by hand: a run of 8 after one point on the other side is flagged from its 7th
    assert reference.one_side_of_mean([-1, *[1] * 8, -1], 7) == [0] * 7 + [1, 1, 0]
    assert reference.one_side_of_mean([1, *[-1] * 8, 1], 7) == [0] * 7 + [1, 1, 0]


def test_part_of_seven_trend():
    # ptd_part_of_seven_trend(numeric()) and (rep(0, 6))
    assert reference.part_of_run([], 7) == []
    assert reference.part_of_run([0] * 6, 7) == [0] * 6
    # worked by hand from ptd_part_of_seven_trend(c(rep(0, 7), 1, 0)) == c(0, rep(1, 7), 0):
    # a run ending at the 8th and 9th points marks those and the 6 before them
    assert reference.part_of_run([0] * 7 + [1, 1, 0], 7) == [0] + [1] * 8 + [0]


def test_seven_point_trend():
    # ptd_seven_point_trend(...) expectations
    assert reference.trend([], 7) == []
    assert reference.trend(list(range(1, 7)), 7) == [0] * 6
    assert reference.trend([1, 2, 3, 3, 4, 5, 6], 7) == [0] * 7
    assert reference.trend(list(range(1, 8)), 7) == [0] * 6 + [1]
    assert reference.trend([2, *range(1, 8), 3], 7) == [0] * 7 + [1, 0]
    assert reference.trend(list(range(7, 0, -1)), 7) == [0] * 6 + [-1]
    assert reference.trend([2, *range(7, 0, -1), 3], 7) == [0] * 7 + [-1, 0]


def test_two_in_three():
    # ptd_two_in_three(...) expectations; every point above the mean (rtm = 1)
    def window(v):
        return reference.two_in_three([bool(x) for x in v], [1] * len(v))

    assert window([]) == []
    assert window([0, 0, 0]) == [0, 0, 0]
    assert window([1, 0, 1]) == window([0, 1, 1]) == window([1, 1, 0]) == [1, 1, 1]
    assert window([0, 0, 1, 0, 1, 0, 0]) == [0, 0, 1, 1, 1, 0, 0]
    assert window([0, 0, 1, 1, 0, 0, 0]) == [0, 1, 1, 1, 1, 0, 0]


def test_part_of_two_in_three():
    # ptd_part_of_two_in_three(ptd_two_in_three(v), v) expectations
    def part(v):
        flags = reference.two_in_three([bool(x) for x in v], [1] * len(v))
        return [int(f == 1 and x == 1) for f, x in zip(flags, v, strict=True)]

    assert part([1, 0, 1]) == [1, 0, 1]
    assert part([0, 1, 1]) == [0, 1, 1]
    assert part([1, 1, 0]) == [1, 1, 0]
    assert part([0, 0, 1, 0, 1, 0, 0]) == [0, 0, 1, 0, 1, 0, 0]
    assert part([1, 0, 0, 1]) == [0, 0, 0, 0]
    assert part([1, 0, 0, 1, 1]) == [0, 0, 0, 1, 1]


def test_two_in_three_needs_all_three_points_on_one_side():
    # "ptd_two_in_three works as expected when points are on opposite sides of the mean"
    # (commit 71699b0): the sum of relative-to-mean over the window must be ±3
    assert reference.two_in_three([True, True, False], [1, -1, 1]) == [0, 0, 0]
