"""Model motions: shipped templates filled with the report's figures, each footnoted; a
user's template checked for unknown fields."""

from __future__ import annotations

import re

import pytest
from jinja2.exceptions import SecurityError

from icsatlas.briefings import figures, motions
from icsatlas.errors import InputErrors
from tests.briefings.conftest import ON


@pytest.mark.parametrize("name", ["council", "scrutiny", "letter"])
def test_every_figure_in_a_shipped_template_has_a_footnote(ws, name):
    filled = motions.fill(motions.locate(name), ws.report("Surrey County Council", ON), "r1")
    body, _, notes = filled.partition("\nSources\n")
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    listed = {int(n) for n in re.findall(r"^\[(\d+)\] ", notes, re.M)}
    assert cited and cited == listed
    for amount in re.finditer(r"£[\d,]+(?:\.\d+)?m?", body):
        assert body[amount.end()] == "[", f"{amount.group()} has no footnote"


def test_the_council_motion_notes_believes_resolves_with_the_reports_figures(ws):
    report = ws.report("Surrey County Council", ON)
    money = report.section("money").table.records()[0]
    filled = motions.fill(motions.locate("council"), report, "r1")
    for heading in ("This council notes", "This council believes", "This council resolves"):
        assert f"## {heading}" in filled
    assert f"{figures.millions(money['allocation_gbp'])}[" in filled
    assert money["icb"] in filled


def test_a_users_template_with_unknown_fields_is_refused_with_each_named(ws, tmp_path):
    template = tmp_path / "mine.md.j2"
    template.write_text(
        "{{ area.name }}\n{{ money.alocation }}\n{% set x = 1 %}{{ x }} {{ nope }}\n"
    )
    with pytest.raises(InputErrors) as raised:
        motions.fill(template, ws.report("QWO", ON), "r1")
    assert [str(e) for e in raised.value.errors] == [
        f"{template}:2: unknown field 'money.alocation' (did you mean 'money.allocation'?)",
        f"{template}:3: unknown field 'nope'",
    ]


def test_a_template_cannot_reach_python_internals(ws, tmp_path):
    template = tmp_path / "hostile.md.j2"
    template.write_text("{{ money.allocation.__class__.__init__.__globals__ }}\n")
    with pytest.raises(SecurityError):
        motions.fill(template, ws.report("QWO", ON), "r1")
