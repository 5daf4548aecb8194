"""Credentials never appear in output (issue 12, defect 2: the database password was in
every result's provenance)."""

import json

import pytest

from icsatlas.provenance import Provenance
from icsatlas.redact import credentials
from icsatlas.results import Result, Table


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "postgresql://ann:s3cr%40t@db.example:5432/atlas",
            "postgresql://ann:***@db.example:5432/atlas",
        ),
        ("postgres://:pw@localhost/x", "postgres://:***@localhost/x"),
        ("host=db password=hunter2 user=ann", "host=db password=*** user=ann"),
        ("duckdb:////home/ann/icsatlas.duckdb", "duckdb:////home/ann/icsatlas.duckdb"),
        ("https://www.england.nhs.uk/long-read/", "https://www.england.nhs.uk/long-read/"),
    ],
)
def test_credentials_are_hidden_and_nothing_else_changes(text, shown):
    assert credentials(text) == shown


def test_a_result_never_shows_the_store_password():
    provenance = Provenance(
        data={"register": "postgresql://icsatlas:topsecret@127.0.0.1/icsatlas"},
        notes=("read from postgresql://icsatlas:topsecret@127.0.0.1/icsatlas",),
    )
    result = Result(Table(("a",), ((1,),)), provenance, "t")
    shown = json.dumps(result.to_dict()) + provenance.describe() + result._repr_html_()
    assert "topsecret" not in shown
    assert "icsatlas:***@127.0.0.1" in shown
