"""Code health: the schemas are valid draft 2020-12 schemas that agree with the code, and
every shipped reform and parameter file passes its schema (as PolicyEngine's tests walk
every parameter)."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from icsatlas import parameters, schemas, yamlio
from icsatlas.finance import scenario
from icsatlas.register import model, reforms

REFORM = schemas.load("reform")["$defs"]


@pytest.mark.parametrize("name", schemas.NAMES)
def test_each_schema_is_a_valid_draft_2020_12_schema_with_a_title_and_description(name):
    schema = schemas.load(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("name", schemas.NAMES)
def test_each_schemas_examples_pass_it(name):
    examples = schemas.load(name)["examples"]
    assert examples
    for example in examples:
        schemas.validate(yamlio.Located(data=example, file=f"{name} example"), name)


def test_the_reform_schema_names_what_the_register_model_knows():
    assert REFORM["holder-type"]["enum"] == [*model.ORG_TYPES, "unknown"]
    assert set(REFORM["establish"]["properties"]["type"]["enum"]) == {
        *model.ORG_TYPES,
        *model.AREA_TYPES,
    }
    assert REFORM["basis"]["enum"] == list(model.BASES)
    assert REFORM["certainty"]["enum"] == list(model.CERTAINTIES)


def test_the_parameter_schema_grades_certainty_as_the_code_does():
    certainty = schemas.load("parameter")["properties"]["certainty"]["enum"]
    assert certainty == list(parameters.CERTAINTIES)


def test_the_scenario_schema_has_every_input_of_the_model():
    inputs = schemas.load("scenario")["properties"]["inputs"]
    assert list(inputs["properties"]) == list(scenario.INPUTS)
    assert inputs["propertyNames"]["enum"] == list(scenario.INPUTS)
    assert schemas.load("scenario")["$defs"]["phasing"]["enum"] == list(scenario.PHASINGS)
    assert schemas.load("scenario")["properties"]["geography"]["enum"] == list(scenario.GEOGRAPHIES)


@pytest.mark.parametrize("name", sorted(reforms.shipped()))
def test_every_shipped_reform_passes_its_schema(name):
    schemas.validate(yamlio.load(reforms.shipped()[name]), "reform")


PARAMETER_FILES = sorted(parameters.root().rglob("*.yaml"))


@pytest.mark.parametrize(
    "path", PARAMETER_FILES, ids=[str(p.relative_to(parameters.root())) for p in PARAMETER_FILES]
)
def test_every_shipped_parameter_file_passes_its_schema(path):
    schemas.validate(yamlio.load(path), "parameter")


@pytest.mark.parametrize("name", list(scenario.INPUTS))
def test_every_shipped_uncertain_input_passes_its_input_schema(name):
    path = parameters.root() / "finance" / "blueprint" / "inputs" / f"{name}.yaml"
    located = yamlio.load(path)
    for day in located.data["values"]:
        schemas.validate(located, scenario.input_schema(name), at=("values", day))
        schemas.validate(located, "uncertainty", at=("values", day))
