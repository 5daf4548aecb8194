"""The reference docs say what the code does."""

from __future__ import annotations

from pathlib import Path

from icsatlas.population import schema

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_schema_reference_lists_every_column_with_its_rules():
    text = (DOCS / "reference" / "population-schema.md").read_text()
    rows = [line.split("|")[1:-1] for line in text.splitlines() if line.startswith("| `")]
    documented = {r[0].strip().strip("`"): (r[2].strip(), r[3].strip()) for r in rows}
    assert list(documented) == schema.names()
    for column in schema.COLUMNS:
        required = "yes" if column.required else "no"
        nullable = "yes" if column.nullable else "no"
        assert documented[column.name] == (required, nullable), column.name
