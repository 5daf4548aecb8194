"""Every shipped parameter has a label, a unit, dated values and a reference (the
PolicyEngine code-health rule)."""

from __future__ import annotations

import pytest

from icsatlas import parameters, yamlio
from icsatlas.errors import InputError


@pytest.mark.parametrize("name", sorted(parameters.load_all()))
def test_parameter_is_labelled_and_sourced(name):
    parameter = parameters.get(name)
    assert parameter.label.strip()
    assert parameter.unit.strip()
    assert parameter.values
    assert all(ref.title.strip() for ref in parameter.references)


def test_missing_reference_is_an_error_naming_the_file():
    located = yamlio.load("p.yaml", "label: x\nunit: GBP\nvalues:\n  2020-01-01: 1\n")
    with pytest.raises(InputError, match=r"p\.yaml:1: missing 'reference'"):
        parameters.parse(located, "x")


def test_bad_date_key_names_its_line():
    text = "label: x\nunit: GBP\nvalues:\n  someday: 1\nreference:\n  - title: t\n"
    with pytest.raises(InputError, match=r"p.yaml:4: values.someday: not a date"):
        parameters.parse(yamlio.load("p.yaml", text), "x")


def test_value_in_force_on_a_date():
    text = (
        "label: x\nunit: GBP\nvalues:\n  2020-01-01: 1\n  2025-04-01: 2\nreference:\n  - title: t\n"
    )
    parameter = parameters.parse(yamlio.load("p.yaml", text), "x")
    from datetime import date

    assert parameter.at(date(2024, 1, 1)) == 1
    assert parameter.at(date(2025, 4, 1)) == 2
    assert parameter.at() == 2
