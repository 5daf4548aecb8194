"""Reform files: structure checked before anything is applied; errors name file, line, field."""

from __future__ import annotations

import pytest

from icsatlas import yamlio
from icsatlas.errors import InputError, NotFoundError
from icsatlas.register import reforms

FUNCTIONS = {"strategic-workforce-planning", "gp-it"}
HEADER = "name: test-reform\ntitle: A test\nsource: https://example.org\neffective: 2026-04-01\n"


def parse(body: str):
    return reforms.parse(yamlio.load("my-reform.yaml", HEADER + body), FUNCTIONS)


@pytest.mark.parametrize("name", sorted(reforms.shipped()))
def test_shipped_reforms_parse(name, register):
    reform = reforms.load(name, set(register.functions))
    assert reform.operations and reform.source


def test_misspelt_holder_type_names_file_line_field_and_suggests():
    body = (
        "operations:\n"
        "  - transfer:\n"
        "      function: strategic-workforce-planning\n"
        "      from: icb\n"
        "      to: nhs-regon\n"
    )
    with pytest.raises(InputError) as error:
        parse(body)
    assert str(error.value) == (
        "my-reform.yaml:9: operations[0].transfer.to: unknown holder type 'nhs-regon' "
        "(did you mean 'nhs-region'?)"
    )


def test_unknown_function_is_an_error():
    body = "operations:\n  - review:\n      function: gp-itt\n"
    with pytest.raises(
        InputError,
        match=r":7: operations\[0\]\.review\.function: unknown "
        r"function 'gp-itt' \(did you mean 'gp-it'\?\)",
    ):
        parse(body)


def test_impossible_date_is_an_error():
    body = "operations:\n  - review:\n      function: gp-it\n      effective: 2026-02-30\n"
    with pytest.raises(
        InputError, match=r":8: operations\[0\]\.review\.effective: not a valid value"
    ):
        parse(body)


def test_missing_field_and_unknown_operation():
    with pytest.raises(InputError, match=r":6: operations\[0\]\.transfer: missing 'from'"):
        parse("operations:\n  - transfer:\n      function: gp-it\n      to: icb\n")
    with pytest.raises(InputError, match=r"unknown operation 'tranfser' \(did you mean"):
        parse("operations:\n  - tranfser: {function: gp-it}\n")


def test_negative_cost_target_is_refused():
    body = "operations:\n  - cost-target: {measure: m, value: -5, unit: GBP, applies_to: icb}\n"
    with pytest.raises(InputError, match="cannot be negative"):
        parse(body)


def test_malformed_yaml_names_the_line():
    with pytest.raises(InputError, match=r"my-reform\.yaml:7: not valid YAML: .* from line 6"):
        parse("operations:\n  - review: {function: gp-it\n")


def test_unknown_reform_name_lists_the_shipped_ones():
    with pytest.raises(NotFoundError, match="blueprint-2025"):
        reforms.load("blueprint-2052")


DISPUTED = (
    "sources:\n  press: https://example.org/press\n"
    "operations:\n"
    "  - transfer:\n"
    "      function: strategic-workforce-planning\n"
    "      from: icb\n"
    "      to: nhs-region\n"
    "      disputed:\n"
    "        - {to: nhs-trust, source: press, note: says providers}\n"
)


def test_a_disputed_destination_is_recorded_with_its_source():
    """Issue 9 §6: a reform records both destinations where sources disagree."""
    [operation] = parse(DISPUTED).operations
    [alternative] = operation.disputed
    assert (alternative.to, alternative.source) == ("nhs-trust", "https://example.org/press")
    assert operation.uncertain  # a destination sources disagree on cannot be confirmed
    # regression snapshot of the caveat's wording
    assert operation.dispute_note() == (
        "Destination disputed: NHS England region (https://example.org) or "
        "NHS trust (https://example.org/press: says providers)."
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{to: nhs-trst, source: press}",
            r":13: .*disputed\[0\]\.to: unknown holder type 'nhs-trst'",
        ),
        ("{to: nhs-trust}", r":13: operations\[0\]\.transfer\.disputed\[0\]: missing 'source'"),
        ("{to: nhs-region, source: press}", r"disputed\[0\]\.to: the same destination as to"),
    ],
)
def test_a_bad_disputed_destination_names_file_line_field(entry, message):
    body = DISPUTED.replace("{to: nhs-trust, source: press, note: says providers}", entry)
    with pytest.raises(InputError, match=message):
        parse(body)
