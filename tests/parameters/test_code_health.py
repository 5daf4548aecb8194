"""Every shipped parameter has a label, a unit, dated values and a reference (the
PolicyEngine code-health rule)."""

from __future__ import annotations

import pytest

from icsatlas import parameters, yamlio
from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet


@pytest.mark.parametrize("name", ParameterSet.shipped().names())
def test_parameter_is_labelled_and_sourced(name):
    parameter = ParameterSet.shipped().get(name)
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


GOOD = "label: x\nunit: GBP\nvalues:\n  2020-01-01: 1\nreference:\n  - title: t\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label: x\nunit: GBP\nreference: [{title: t}]\n", "p.yaml:1: missing 'values'"),
        (
            GOOD.replace("unit: GBP", "unit: ''"),
            "p.yaml:2: unit: expected text that is not blank, got ''",
        ),
        (
            GOOD.replace("  2020-01-01: 1\n", "  2020-01-01: ~\n"),
            "p.yaml:4: values.2020-01-01: expected a value, got nothing",
        ),
        (
            GOOD.replace("values:\n  2020-01-01: 1\n", "values: {}\n"),
            "p.yaml:3: values: expected at least 1 key, got 0",
        ),
        (
            GOOD.replace("- title: t", "- title: t\n    link: https://x"),
            "p.yaml:7: reference[0].link: unknown field 'link' (use title or href)",
        ),
        (
            GOOD.replace("- title: t", "- title: t\n    href: www.x.org"),
            "p.yaml:7: reference[0].href: expected a web address (http:// or https://), "
            "got 'www.x.org'",
        ),
        (
            GOOD.replace("- title: t", "- {href: https://x.org}"),
            "p.yaml:6: reference[0]: missing 'title'",
        ),
        ("- 1\n", "p.yaml:1: expected a parameter file (a mapping), got a list"),
    ],
)
def test_a_malformed_parameter_file_names_file_line_and_field(text, message):
    """Issue 9 §3: parameter files are checked against parameter.schema.json."""
    with pytest.raises(InputError) as error:
        parameters.parse(yamlio.load("p.yaml", text), "x")
    assert str(error.value) == message


def test_a_misspelt_certainty_is_an_error_not_a_verified_parameter():
    """Issue 9 §3: an unknown key used to be kept aside silently, so 'certanity: assumption'
    left an assumption graded 'verified'."""
    with pytest.raises(InputError) as error:
        parameters.parse(yamlio.load("p.yaml", GOOD + "certanity: assumption\n"), "x")
    assert (
        str(error.value)
        == "p.yaml:7: certanity: unknown field 'certanity' (did you mean 'certainty'?)"
    )


@pytest.mark.parametrize("name", ParameterSet.shipped().names())
def test_shipped_text_has_no_internal_notes_or_first_person(name):
    """Issue 9, section 6: no internal notes or first-person authoring text in shipped data."""
    parameter = ParameterSet.shipped().get(name)
    for text in (parameter.label, parameter.description, *(r.title for r in parameter.references)):
        words = set(text.lower().replace(",", " ").replace(".", " ").replace("(", " ").split())
        assert not words & {"we", "our", "us", "seed's", "seeds", "seeds'"}, text
        assert "ICS-REFERENCE" not in text, text
