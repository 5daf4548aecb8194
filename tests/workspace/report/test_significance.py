"""Fingertips-style comparison: Wilson and Byar intervals, and polarity-aware colours."""

from __future__ import annotations

import math

import pytest

from icsatlas.workspace.report import significance as sig


@pytest.mark.parametrize(("count", "total"), [(50, 100), (3, 40), (0, 12), (812, 5355)])
def test_wilson_matches_its_textbook_form(count, total):
    """Wilson (1927) in the form p +- ... over 1 + z^2/n (Newcombe 1998, method 3): the same
    interval as the count form the module uses."""
    z, p = sig.Z95, count / total
    centre = p + z * z / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    lower, upper = (centre - spread) / (1 + z * z / total), (centre + spread) / (1 + z * z / total)
    found = sig.wilson(count, total)
    assert found.lower == pytest.approx(lower) and found.upper == pytest.approx(upper)


def test_byar_is_close_to_the_exact_poisson_interval():
    """Exact (Garwood) 95% limits for 10 events are 4.795 and 18.390 (tables of the Poisson
    distribution, e.g. OHID Technical Guide, Confidence intervals); Byar's approximation is
    within 0.01 of both."""
    found = sig.byar(10, 1)
    assert found.lower == pytest.approx(4.795, abs=0.01)
    assert found.upper == pytest.approx(18.390, abs=0.01)


def test_a_99_8_interval_is_wider_than_a_95_interval():
    narrow, wide = sig.wilson(30, 200), sig.wilson(30, 200, sig.Z998)
    assert wide.lower < narrow.lower and wide.upper > narrow.upper


@pytest.mark.parametrize(
    ("direction", "polarity", "colour"),
    [
        ("higher", "lower is better", "red"),
        ("lower", "lower is better", "green"),
        ("higher", "higher is better", "green"),
        ("lower", "higher is better", "red"),
        ("similar", "lower is better", "amber"),
        ("higher", "no judgement", "higher"),
        ("similar", "no judgement", "similar"),
    ],
)
def test_colour_follows_polarity(direction, polarity, colour):
    assert sig.rag(direction, polarity) == colour


def test_an_interval_overlapping_the_benchmark_is_similar():
    interval = sig.Interval(1.0, 2.0)
    assert interval.compared_with(1.5) == "similar"
    assert interval.compared_with(0.5) == "higher"
    assert interval.compared_with(2.5) == "lower"
