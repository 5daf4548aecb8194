"""The published schemas are the shipped ones, and the docs describe the formats the
schemas define."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from icsatlas import schemas, yamlio

DOCS = Path(__file__).resolve().parents[2] / "docs"
PUBLISHED = DOCS / "reference" / "schemas"


@pytest.mark.parametrize("name", schemas.NAMES)
def test_the_published_schema_is_the_shipped_one(name):
    published = PUBLISHED / schemas.filename(name)
    assert published.read_text(encoding="utf-8") == schemas.text(name), (
        f"copy src/icsatlas/schemas/{published.name} to docs/reference/schemas/"
    )


def test_only_shipped_schemas_are_published():
    assert sorted(p.name for p in PUBLISHED.iterdir()) == sorted(
        map(schemas.filename, schemas.NAMES)
    )


def test_the_schemas_page_lists_and_links_every_schema():
    text = (DOCS / "reference" / "schemas.md").read_text()
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| `")]
    listed = [
        (r[0].strip("| `"), r[1], r[2], r[3].rstrip(" |")) for r in rows[: len(schemas.NAMES)]
    ]
    expected = [
        (name, f"[{file}](schemas/{file})", describes, what_for)
        for name, file, describes, what_for in schemas.listing().table.rows
    ]
    assert listed == expected


def yaml_blocks(page: str) -> list[tuple[str, str]]:
    """Each ```yaml block of a docs page whose first line names a file (``# NAME.yaml``)."""
    text = (DOCS / page).read_text()
    blocks = re.findall(r"```yaml\n(# ([\w.-]+\.yaml)\n.*?)```", text, re.DOTALL)
    return [(name, block) for block, name in blocks]


@pytest.mark.parametrize(
    ("page", "schema"),
    [
        ("how-to/write-a-reform.md", "reform"),
        ("how-to/finance-scenarios.md", "scenario"),
        ("reference/finance-parameters.md", "parameter-overrides"),
        ("reference/reform-format.md", "reform"),
    ],
)
def test_every_whole_file_in_the_docs_passes_its_schema(page, schema):
    blocks = yaml_blocks(page)
    assert blocks, f"{page} shows no whole {schema} file"
    for name, block in blocks:
        schemas.validate(yamlio.load(f"{page}: {name}", block), schema)


def test_the_reform_format_page_lists_every_field_of_every_operation():
    text = (DOCS / "reference" / "reform-format.md").read_text()
    definitions = schemas.load("reform")["$defs"]
    common = {"effective", "certainty", "source", "note"}
    for kind in definitions["operation"]["properties"]:
        [row] = [line for line in text.splitlines() if line.startswith(f"| `{kind}` |")]
        if (same := re.search(r"\| as `([\w-]+)` \|", row)) is not None:  # delegate: as transfer
            [row] = [line for line in text.splitlines() if line.startswith(f"| `{same[1]}` |")]
        fields = set(definitions[kind]["properties"]) - common
        missing = sorted(f for f in fields if f"`{f}`" not in row)
        assert not missing, f"reform-format.md: {kind} does not list {missing}"
    top = set(schemas.load("reform")["properties"])
    assert all(f"`{field}`" in text for field in top)


def test_the_scenario_page_lists_every_input_and_option():
    text = (DOCS / "how-to" / "finance-scenarios.md").read_text()
    scenario = schemas.load("scenario")["properties"]
    for name in [*scenario, *scenario["inputs"]["properties"]]:
        assert f"`{name}`" in text or f"{name}:" in text, name


def test_yaml_blocks_are_valid_yaml():
    for page in ("how-to/write-a-reform.md", "how-to/finance-scenarios.md"):
        for _, block in yaml_blocks(page):
            yaml.safe_load(block)
