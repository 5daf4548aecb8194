"""Reform files: structure checked before anything is applied; errors name file, line, field."""

from __future__ import annotations

import pytest

from icsatlas import yamlio
from icsatlas.errors import InputError, InputErrors, NotFoundError
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
    with pytest.raises(InputError) as error:
        parse(body)
    assert str(error.value) == (
        "my-reform.yaml:6: operations[0].cost-target.value: a cost target must be 0 or more, got -5"
    )


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADER + "operations:\n  - review: {function: gp-it}\nnotse: [x]\n",
            "my-reform.yaml:7: notse: unknown field 'notse' (did you mean 'notes'?)",
        ),
        (
            HEADER.replace("test-reform", "Test Reform")
            + "operations:\n  - review: {function: gp-it}\n",
            "my-reform.yaml:1: name: expected lower-case letters, digits and hyphens, "
            "got 'Test Reform'",
        ),
        (
            HEADER + "operations: []\n",
            "my-reform.yaml:5: operations: expected at least 1 item, got 0",
        ),
        (HEADER, "my-reform.yaml:1: missing 'operations'"),
        (
            HEADER.replace("2026-04-01", "soon") + "operations:\n  - review: {function: gp-it}\n",
            "my-reform.yaml:4: effective: not a date (YYYY-MM-DD): 'soon'",
        ),
        (
            HEADER + "certainty: sure\noperations:\n  - review: {function: gp-it}\n",
            "my-reform.yaml:5: certainty: unknown certainty 'sure' (use verified, reported or "
            "uncertain)",
        ),
        (
            HEADER + "operations:\n  - merge:\n      from: [QHM, QOQ]\n"
            "      into: {ods: X1, ons: E54999999, name: NHS North East}\n      sub_icbs: [00L]\n",
            "my-reform.yaml:8: operations[0].merge.into: missing 'region'",
        ),
        (
            HEADER + "operations:\n  - change-boundary:\n      icb: QXU\n      ons: E54000063\n"
            "      sub_icbs:\n        - {ods: 92A, ons: E38000264, replaces: [E38000246]}\n",
            "my-reform.yaml:10: operations[0].change-boundary.sub_icbs[0]: missing 'name' "
            "(needed with 'ons')",
        ),
        (
            HEADER + "operations:\n  - establish: {type: place, name: Wirral, id: place:wirral}\n",
            "my-reform.yaml:6: operations[0].establish: missing 'parent'",
        ),
        (
            HEADER + "operations:\n  - establish: {type: place, name: Wirral, parent: QYG}\n",
            "my-reform.yaml:6: operations[0].establish: missing 'ons' or 'id'",
        ),
        (
            HEADER + "operations:\n  - assign: {function: gp-it, areas: everywhere, "
            "holder: QYG, basis: statute}\n",
            "my-reform.yaml:6: operations[0].assign.areas: expected 'all' or a list of area "
            "codes, got 'everywhere'",
        ),
        (
            HEADER + "operations:\n  - transfer:\n      function: gp-it\n      from: icb\n"
            "      to: nhs-region\n      disputed: []\n",
            "my-reform.yaml:10: operations[0].transfer.disputed: expected at least 1 item, got 0",
        ),
        (
            HEADER + "operations:\n  - abolish: {org: QHM, successors: QOQ}\n",
            "my-reform.yaml:6: operations[0].abolish.successors: expected a list, got 'QOQ'",
        ),
    ],
)
def test_a_malformed_reform_names_file_line_and_field(text, message):
    """Issue 9 §3: reform files are checked against reform.schema.json."""
    with pytest.raises(InputError) as error:
        reforms.parse(yamlio.load("my-reform.yaml", text), FUNCTIONS)
    assert str(error.value) == message


def test_every_problem_of_a_reform_is_listed_the_most_relevant_first():
    """Issue 9 §3: all schema errors at once, best match first, then in file order."""
    body = (
        "operations:\n"
        "  - transfer:\n"
        "      function: gp-it\n"
        "      from: icbb\n"
        "      to: nhs-regon\n"
        "      basis: blueprint\n"
        "  - review: {function: gp-it, destinaton: unclear}\n"
    )
    with pytest.raises(InputErrors) as caught:
        parse(body)
    assert str(caught.value).splitlines() == [
        "my-reform.yaml:11: operations[1].review.destinaton: unknown field 'destinaton' "
        "(did you mean 'destination'?)",
        "my-reform.yaml:8: operations[0].transfer.from: unknown holder type 'icbb' "
        "(did you mean 'icb'?)",
        "my-reform.yaml:9: operations[0].transfer.to: unknown holder type 'nhs-regon' "
        "(did you mean 'nhs-region'?)",
        "my-reform.yaml:10: operations[0].transfer.basis: unknown basis 'blueprint' "
        "(did you mean 'blueprint-transfer'?)",
    ]


def test_fields_written_beside_their_operation_instead_of_under_it():
    with pytest.raises(InputErrors) as caught:
        parse("operations:\n  - review: {function: gp-it}\n    effective: 2027-04-01\n")
    assert str(caught.value).splitlines() == [
        "my-reform.yaml:7: operations[0].effective: unknown operation 'effective'",
        "my-reform.yaml:6: operations[0]: expected at most 1 key, got 2: review, effective",
    ]


def test_every_unknown_function_is_listed():
    body = "operations:\n  - review: {function: gp-itt}\n  - review: {function: sw-planning}\n"
    with pytest.raises(InputErrors) as caught:
        parse(body)
    assert str(caught.value).splitlines() == [
        "my-reform.yaml:6: operations[0].review.function: unknown function 'gp-itt' "
        "(did you mean 'gp-it'?)",
        "my-reform.yaml:7: operations[1].review.function: unknown function 'sw-planning'",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "certainty: {level: high}\noperations:\n  - review: {function: gp-it}\n",
            "my-reform.yaml:5: certainty: unknown certainty a mapping (use verified, reported or "
            "uncertain)",
        ),
        (
            "sources: [https://example.org]\noperations:\n  - review: {function: gp-it}\n",
            "my-reform.yaml:5: sources: expected a mapping, got a list",
        ),
    ],
)
def test_values_of_the_wrong_kind_are_errors_not_crashes(text, message):
    """Issue 9 §3: before the schema, a mapping as certainty raised TypeError (unhashable
    type) and a list of sources AttributeError, with a traceback instead of a line."""
    with pytest.raises(InputError) as error:
        parse(text)
    assert str(error.value) == message
