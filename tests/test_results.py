"""The one output shape: a Result as JSON, HTML, DataFrame and rows."""

from datetime import date

import numpy as np
import pandas as pd

from icsatlas.provenance import Provenance
from icsatlas.results import Result, Table


def _result() -> Result:
    table = Table(("name", "when", "n"), (("Leeds", date(2026, 4, 1), 5), ("<b>", None, 10)))
    provenance = Provenance(data={"register": "shipped"}, parameters="parameters@x")
    return Result(table, provenance, "Title", ("a caveat",))


def test_json_shape_is_title_data_provenance_notes():
    document = _result().to_dict()
    assert list(document) == ["title", "data", "provenance", "notes"]
    assert document["data"][0] == {"name": "Leeds", "when": "2026-04-01", "n": 5}
    assert document["notes"] == ["a caveat"]


def test_sections_have_the_same_shape():
    outer = Result(Table(("x",), ((1,),)), title="outer", sections=[_result()])
    assert outer.to_dict()["sections"][0]["title"] == "Title"


def test_frame_and_table_are_two_views_of_one_table():
    frame = pd.DataFrame({"a": [1, 2], "b": [np.nan, 0.5]})
    result = Result(frame)
    assert result.table.rows == ((1, None), (2, 0.5))
    assert result.to_dict()["data"] == [{"a": 1, "b": None}, {"a": 2, "b": 0.5}]
    assert list(_result().frame.columns) == ["name", "when", "n"]


def test_html_escapes_values_and_shows_sources():
    html = _result()._repr_html_()
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "Source: parameters=parameters@x; register: shipped" in html
