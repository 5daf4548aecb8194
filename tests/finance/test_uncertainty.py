"""Uncertain inputs: parsing with located errors, sampling with run 0 as the central case."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas import yamlio
from icsatlas.errors import InputError
from icsatlas.finance import uncertainty
from icsatlas.finance.uncertainty import SHARE


def parse(text: str, bounds=uncertainty.NON_NEGATIVE, choices=()):
    located = yamlio.load("scenario.yaml", text)
    return uncertainty.parse(located.data["x"], located, ("x",), bounds, choices)


def test_triangular_uniform_fixed_and_bare_numbers():
    assert parse("x: {distribution: triangular, low: 1, mode: 2, high: 4}").central == 2
    assert parse("x: {distribution: uniform, low: 1, high: 3}").central == 2
    assert parse("x: {distribution: fixed, value: 7}").central == 7
    assert parse("x: 0.4", SHARE).describe() == "fixed 0.4"


def test_share_over_100_percent_names_file_line_and_field():
    text = "\nx:\n  distribution: triangular\n  low: 0.2\n  mode: 0.5\n  high: 1.2\n"
    with pytest.raises(
        InputError, match=r"^scenario.yaml:6: x.high: a share \(0-1\) must be at most 1, got 1.2$"
    ):
        parse(text, SHARE)


def test_negative_values_and_disordered_bounds_are_errors():
    with pytest.raises(InputError, match=r"x.low: this value must be 0 or more, got -3"):
        parse("x: {distribution: uniform, low: -3, high: 3}")
    with pytest.raises(InputError, match=r"x.low: low \(5\) is above high \(3\)"):
        parse("x: {distribution: uniform, low: 5, high: 3}")
    with pytest.raises(InputError, match=r"x.mode: mode \(9\) must lie between"):
        parse("x: {distribution: triangular, low: 1, mode: 9, high: 3}")


def test_unknown_keys_and_kinds_are_errors():
    with pytest.raises(InputError, match="unexpected key 'mean'"):
        parse("x: {distribution: uniform, low: 1, high: 2, mean: 3}")
    with pytest.raises(InputError, match="distribution must be one of"):
        parse("x: {distribution: lognormal, low: 1}")
    with pytest.raises(InputError, match="expected a number"):
        parse("x: {distribution: fixed, value: lots}")


def test_choice_probabilities_must_add_up_to_100_percent():
    choices = ("a", "b")
    spec = parse("x: {distribution: choice, options: {a: 0.25, b: 0.75}}", choices=choices)
    assert spec.central == "b"
    with pytest.raises(InputError, match=r"add up to 100%, got 110\.0%"):
        parse("x: {distribution: choice, options: {a: 0.5, b: 0.6}}", choices=choices)
    with pytest.raises(InputError, match="unknown option 'c'"):
        parse("x: {distribution: choice, options: {c: 1.0}}", choices=choices)


def test_run_zero_is_central_and_draws_follow_the_distribution():
    spec = parse("x: {distribution: triangular, low: 0, mode: 1, high: 5}")
    draws = spec.sample(np.random.default_rng(1), 200_000)
    assert draws[0] == 1
    assert draws[1:].mean() == pytest.approx(2.0, abs=0.02)  # (0 + 1 + 5) / 3
    assert np.quantile(draws[1:], 0.9) == pytest.approx(spec.quantile(0.9), abs=0.02)


def test_choice_draws_come_back_in_the_model_order():
    spec = parse("x: {distribution: choice, options: {b: 1.0}}", choices=("a", "b"))
    draws = spec.sample(np.random.default_rng(1), 5, order=("a", "b"))
    assert (draws == 1).all()
