"""Finance parameters: every one labelled, sourced, dated and graded; bad files located."""

from __future__ import annotations

import pytest

from icsatlas import parameters, yamlio
from icsatlas.errors import InputError
from icsatlas.parameters import ParameterSet

PARAMS = ParameterSet.shipped()
FINANCE = PARAMS.names("finance.")


def test_there_is_a_finance_parameter_for_every_assumption():
    assert len(FINANCE) >= 40  # a floor: 45 files ship under parameters/finance/


@pytest.mark.parametrize("name", FINANCE)
def test_finance_parameter_has_certainty_and_a_linked_source(name):
    parameter = PARAMS.get(name)
    assert parameter.certainty in parameters.CERTAINTIES
    assert any(ref.href.startswith("http") for ref in parameter.references)
    assert parameter.values and all(day.year >= 2015 for day in parameter.values)


def test_unconfirmed_figures_are_never_graded_as_data():
    assert PARAMS.get("finance.allocation.core_weights").certainty == "estimate"
    assert PARAMS.get("finance.redundancy.mars_terms").certainty == "assumption"


def test_a_bad_parameter_file_names_file_line_and_field():
    text = (
        "label: x\nunit: GBP\ncertainty: maybe\nvalues:\n  2025-04-01: 1\n"
        "reference:\n  - title: t\n"
    )
    with pytest.raises(
        InputError, match=r"^cap.yaml:3: certainty: unknown certainty 'maybe' \(use"
    ):
        parameters.parse(yamlio.load("cap.yaml", text), "finance.redundancy.cap")


def test_the_reference_page_lists_every_finance_parameter():
    from pathlib import Path

    page = Path(__file__).parents[2] / "docs" / "reference" / "finance-parameters.md"
    text = page.read_text()
    missing = [name for name in FINANCE if f"`{name}`" not in text]
    assert not missing, f"add to docs/reference/finance-parameters.md: {missing}"
