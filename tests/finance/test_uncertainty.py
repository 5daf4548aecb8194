"""Uncertain inputs: parsing with located errors, sampling with run 0 as the central case."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas import yamlio
from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import uncertainty
from icsatlas.finance.scenario import input_schema

SHARE = input_schema("vr_share")  # a share (0-1), as in scenario.schema.json
MONTHS = input_schema("reemployment_months")  # 0 or more
PHASING = input_schema("phasing")  # a choice of step, front-loaded, linear, back-loaded


def parse(text: str, schema="uncertainty"):
    return uncertainty.parse(yamlio.load("scenario.yaml", text), ("x",), schema)


def test_triangular_uniform_fixed_and_bare_numbers():
    assert parse("x: {distribution: triangular, low: 1, mode: 2, high: 4}").central == 2
    assert parse("x: {distribution: uniform, low: 1, high: 3}").central == 2
    assert parse("x: {distribution: fixed, value: 7}").central == 7
    assert parse("x: 0.4", SHARE).describe() == "fixed 0.4"


def test_share_over_100_percent_names_file_line_and_field():
    text = "\nx:\n  distribution: triangular\n  low: 0.2\n  mode: 0.5\n  high: 1.2\n"
    with pytest.raises(
        InputError, match=r"^scenario.yaml:6: x.high: a share must be from 0 to 1, got 1.2$"
    ):
        parse(text, SHARE)


def test_negative_values_and_disordered_bounds_are_errors():
    with pytest.raises(InputError, match=r"^scenario.yaml:1: x.low: must be 0 or more, got -3$"):
        parse("x: {distribution: uniform, low: -3, high: 3}", MONTHS)
    with pytest.raises(InputError, match=r"x.low: low \(5\) is above high \(3\)"):
        parse("x: {distribution: uniform, low: 5, high: 3}")
    with pytest.raises(InputError, match=r"x.mode: mode \(9\) must lie between"):
        parse("x: {distribution: triangular, low: 1, mode: 9, high: 3}")


@pytest.mark.parametrize(
    ("text", "schema", "message"),
    [
        (
            "x: {distribution: uniform, low: 1, high: 2, mean: 3}",
            "uncertainty",
            "x.mean: unknown field 'mean' (use distribution, low or high)",
        ),
        (
            "x: {distribution: lognormal, low: 1}",
            "uncertainty",
            "x.distribution: unknown distribution 'lognormal' "
            "(use fixed, uniform, triangular or choice)",
        ),
        (
            "x: {distribution: fixed, value: lots}",
            "uncertainty",
            "x.value: expected a number, got 'lots'",
        ),
        ("x: {distribution: fixed}", "uncertainty", "x: missing 'value'"),
        ("x: .inf", "uncertainty", "x: expected a finite number, got .inf"),
        ("x: [1]", "uncertainty", "x: expected a number, got a list"),
        (
            "x: {distribution: choice, options: {a: 1}}",
            SHARE,
            "x.distribution: unknown numeric distribution 'choice' "
            "(use fixed, uniform or triangular)",
        ),
        ("x: 0.5", PHASING, "x: expected a mapping, got 0.5"),
    ],
)
def test_malformed_distributions_name_file_line_and_field(text, schema, message):
    with pytest.raises(InputError) as caught:
        parse(text, schema)
    assert str(caught.value) == f"scenario.yaml:1: {message}"


def test_every_problem_of_a_distribution_is_listed():
    with pytest.raises(InputErrors) as caught:
        parse("x: {distribution: triangular, low: -1, mode: 1.5, high: 2}", SHARE)
    assert str(caught.value).splitlines() == [
        "scenario.yaml:1: x.high: a share must be from 0 to 1, got 2",
        "scenario.yaml:1: x.low: a share must be from 0 to 1, got -1",
        "scenario.yaml:1: x.mode: a share must be from 0 to 1, got 1.5",
    ]


def test_choice_probabilities_must_add_up_to_100_percent():
    spec = parse("x: {distribution: choice, options: {a: 0.25, b: 0.75}}")
    assert spec.central == "b"
    with pytest.raises(InputError, match=r"add up to 100%, got 110\.0%"):
        parse("x: {distribution: choice, options: {a: 0.5, b: 0.6}}")
    with pytest.raises(InputError, match=r"x.options.slow: unknown phasing 'slow' \(use step"):
        parse("x: {distribution: choice, options: {slow: 1.0}}", PHASING)
    with pytest.raises(InputError, match="central must be one of the options, got 'c'"):
        parse("x: {distribution: choice, options: {a: 1.0}, central: c}")


def test_run_zero_is_central_and_draws_follow_the_distribution():
    spec = parse("x: {distribution: triangular, low: 0, mode: 1, high: 5}")
    draws = spec.sample(np.random.default_rng(1), 200_000)
    assert draws[0] == 1
    assert draws[1:].mean() == pytest.approx(2.0, abs=0.02)  # (0 + 1 + 5) / 3
    assert np.quantile(draws[1:], 0.9) == pytest.approx(spec.quantile(0.9), abs=0.02)


def test_choice_draws_come_back_in_the_model_order():
    spec = parse("x: {distribution: choice, options: {b: 1.0}}")
    draws = spec.sample(np.random.default_rng(1), 5, order=("a", "b"))
    assert (draws == 1).all()
