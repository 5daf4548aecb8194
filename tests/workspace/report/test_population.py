"""The population section: the profile's figures unchanged, each compared with England."""

from __future__ import annotations

from icsatlas.workspace.report import population
from tests.workspace.report.conftest import ON


def test_every_figure_is_the_profiles_and_comparisons_follow_the_interval(ws):
    section = ws.report("M2L0M", ON).sections["population"]
    profile = ws.population.profile("M2L0M", on=ON)
    assert section.table.column("area") == profile.table.column("area")
    assert section.table.column("england") == profile.table.column("comparator")
    for row in section.table.records():
        if row["compared"] == "not compared":
            continue
        assert row["lower_95"] <= row["area"] <= row["upper_95"]
        inside = row["lower_95"] <= row["england"] <= row["upper_95"]
        assert (row["compared"] == "similar") == inside


def test_an_area_the_population_does_not_cover_has_none_recorded(ws):
    section = ws.report("QWO", ON).sections["population"]
    assert len(section) == 0
    assert section.notes[0].startswith("none recorded:")


def _record(count: int, comparator: float) -> dict:
    return {
        "section": "Multimorbidity and frailty",
        "measure": "eFI severe (of people 65+)",
        "unit": "%",
        "area": 100 * count / 1000,
        "area_numerator": count,
        "area_denominator": 1000,
        "comparator": comparator,
        "compared_with": "eFI shares (assumption)",
    }


def test_worse_at_both_levels_is_a_red_red_flag():
    # 80 of 1,000 (8%) against England's 3%: Wilson 99.8% lower limit 5.7% > 3%
    row = population._compared(_record(80, 3.0))
    assert (row["compared"], row["rag"], row["red_red"]) == ("higher", "red", True)


def test_worse_at_95_only_is_red_without_the_flag():
    # 42 of 1,000 (4.2%) against 3%: 95% lower limit 3.12% > 3%, 99.8% lower limit 2.6% < 3%
    row = population._compared(_record(42, 3.0))
    assert (row["rag"], row["red_red"]) == ("red", False)


def test_a_suppressed_count_is_not_compared():
    row = population._compared(_record(0, 3.0) | {"area_numerator": None, "area": None})
    assert (row["compared"], row["rag"]) == ("not compared", None)
