"""The one check of a YAML file against a JSON Schema: every problem, located at its file,
line and field, worded from the schema's titles, the most relevant first."""

from __future__ import annotations

import pytest

from icsatlas import schemas, yamlio
from icsatlas.errors import InputError, InputErrors, NotFoundError

COLOURS = {"title": "colour", "enum": ["red", "green", "blue"]}
SHAPE = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "title": "a short name", "pattern": "^[a-z]+$"},
        "colour": COLOURS,
        "share": {"type": "number", "title": "share", "minimum": 0, "maximum": 1},
        "count": {"type": "integer", "exclusiveMinimum": 0},
        "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "from": {"type": "string", "format": "date"},
        "scale": {"const": "linear", "title": "the word linear"},
        "code": {"type": "string"},
        "ons": {"type": "string"},
        "id": {"type": "string"},
    },
    "dependentRequired": {"ons": ["code"]},
}


def problems(text: str, schema=SHAPE) -> list[str]:
    try:
        schemas.validate(yamlio.load("my.yaml", text), schema)
    except InputErrors as errors:
        return [str(e) for e in errors.errors]
    except InputError as error:
        return [str(error)]
    return []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: ok\ncolor: red\n",
            "my.yaml:2: color: unknown field 'color' (did you mean 'colour'?)",
        ),
        ("name: ok\nzzz: 1\n", "my.yaml:2: zzz: unknown field 'zzz'"),
        ("colour: red\n", "my.yaml:1: missing 'name'"),
        (
            "name: ok\ncolour: gren\n",
            "my.yaml:2: colour: unknown colour 'gren' (did you mean 'green'?)",
        ),
        ("name: ok\ncolour: 7\n", "my.yaml:2: colour: unknown colour 7 (use red, green or blue)"),
        ("name: ok\nshare: 1.5\n", "my.yaml:2: share: a share must be from 0 to 1, got 1.5"),
        ("name: ok\ncount: 0\n", "my.yaml:2: count: must be more than 0, got 0"),
        ("name: ok\ncount: 1.5\n", "my.yaml:2: count: expected a whole number, got 1.5"),
        ("name: ok\nshare: lots\n", "my.yaml:2: share: expected a number, got 'lots'"),
        ("name: ok\nshare: .nan\n", "my.yaml:2: share: expected a finite number, got .nan"),
        ("name: ok\nshare: true\n", "my.yaml:2: share: expected a number, got true"),
        ("name: 12\n", "my.yaml:1: name: expected text, got 12 (put it in quotes)"),
        ("name: Ab\n", "my.yaml:1: name: expected a short name, got 'Ab'"),
        ("name: ok\ntags: []\n", "my.yaml:2: tags: expected at least 1 item, got 0"),
        ("name: ok\ntags: {a: 1}\n", "my.yaml:2: tags: expected a list, got a mapping"),
        (
            "name: ok\nfrom: '2026-02-30'\n",
            "my.yaml:2: from: not a date (YYYY-MM-DD): '2026-02-30'",
        ),
        ("name: ok\nfrom: 2026\n", "my.yaml:2: from: not a date (YYYY-MM-DD): 2026"),
        ("name: ok\nscale: log\n", "my.yaml:2: scale: expected the word linear, got 'log'"),
        ("name: ok\nons: E1\n", "my.yaml:1: missing 'code' (needed with 'ons')"),
        ("", "my.yaml:1: expected a mapping, got nothing"),
    ],
)
def test_one_problem_is_one_located_error(text, message):
    assert problems(text) == [message]


def test_every_problem_is_listed_the_most_relevant_first_then_in_file_order():
    text = "colour: gren\nshare: 2\nzzz: 1\n"
    assert problems(text) == [
        "my.yaml:1: missing 'name'",  # the shallowest: the file as a whole
        "my.yaml:1: colour: unknown colour 'gren' (did you mean 'green'?)",
        "my.yaml:2: share: a share must be from 0 to 1, got 2",
        "my.yaml:3: zzz: unknown field 'zzz'",
    ]


def test_a_file_schema_names_itself_when_the_file_is_not_a_mapping():
    schema = {**SHAPE, "title": "shape file"}
    assert problems("- 1\n", schema) == ["my.yaml:1: expected a shape file (a mapping), got a list"]


def test_keys_that_are_not_text_are_found_where_they_were_written():
    schema = {"propertyNames": {"title": "name", "enum": ["a", "b"]}}
    assert problems("a: 1\n2026-04-01: 2\n7: 3\n", schema) == [
        "my.yaml:2: 2026-04-01: unknown name '2026-04-01' (use a or b)",
        "my.yaml:3: [7]: unknown name '7' (use a or b)",
    ]


def test_either_of_two_keys():
    schema = {"anyOf": [{"required": ["ons"]}, {"required": ["id"]}]}
    assert problems("name: x\n", schema) == ["my.yaml:1: missing 'ons' or 'id'"]


def test_a_part_of_a_file_is_checked_where_it_is():
    located = yamlio.load("my.yaml", "outer:\n  inner:\n    colour: gren\n")
    with pytest.raises(InputError) as caught:
        schemas.validate(located, {"properties": {"colour": COLOURS}}, at=("outer", "inner"))
    assert str(caught.value) == (
        "my.yaml:3: outer.inner.colour: unknown colour 'gren' (did you mean 'green'?)"
    )


def test_a_schema_may_refer_to_the_shipped_ones():
    located = yamlio.load("my.yaml", "x: {distribution: triangle}\n")
    schema = {"properties": {"x": {"$ref": "uncertainty.schema.json"}}}
    with pytest.raises(InputError, match=r"x.distribution: unknown distribution 'triangle' \(did"):
        schemas.validate(located, schema)


def test_an_unknown_schema_name_suggests_the_nearest():
    with pytest.raises(NotFoundError, match=r"no schema 'refrom'.*did you mean 'reform'"):
        schemas.text("refrom")
