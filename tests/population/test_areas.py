"""Areas from the register: names and codes, and the geography of the date asked."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas.errors import NotFoundError
from icsatlas.parameters import ParameterSet
from icsatlas.population import areas
from icsatlas.population.aggregate import aggregate
from icsatlas.population.summary import Options, rows, summarise

PARAMS = ParameterSet.shipped()

AUG_2026 = date(2026, 8, 1)


@pytest.mark.parametrize("text", ["Cheshire and Merseyside", "QYG", "E54000008"])
def test_an_icb_by_name_ods_or_ons_code(text):
    found = areas.find(text, AUG_2026)
    assert (found.level, found.code) == ("icb", "E54000008")


def test_practices_pcns_and_local_authorities():
    assert areas.find("A81001", AUG_2026).level == "practice"
    assert areas.find("U89141", AUG_2026).level == "pcn"
    assert areas.find("Cheshire East", AUG_2026).code == "E06000049"


def test_frimley_exists_only_before_april_2026():
    assert areas.find("Frimley", date(2025, 6, 1)).level == "icb"
    with pytest.raises(NotFoundError):
        areas.find("Frimley", AUG_2026)


def test_a_2026_population_aggregates_to_frimley_in_2025(frimley):
    before = summarise(frimley, "icb", params=PARAMS, options=Options(on=date(2025, 6, 1)))
    after = summarise(frimley, "icb", params=PARAMS, options=Options(on=AUG_2026))
    icbs_2025 = rows(before).set_index("area_name").people
    icbs_2026 = rows(after).set_index("area_name").people
    frimley_people = icbs_2025["NHS Frimley Integrated Care Board"]
    assert frimley_people > 0
    assert icbs_2025.sum() == icbs_2026.sum() == frimley.rows
    assert "NHS Frimley Integrated Care Board" not in icbs_2026.index
    # Frimley's people came from the three 2026 ICBs that took its practices
    assert set(icbs_2026.index) == {
        "NHS Thames Valley Integrated Care Board",
        "NHS Surrey and Sussex Integrated Care Board",
        "NHS Hampshire and Isle of Wight Integrated Care Board",
    }


def test_one_area_on_its_own_is_disclosure_controlled(frimley):
    on = Options(on=date(2025, 6, 1))
    result = aggregate(frimley, params=PARAMS, area="Frimley", options=on)
    exact = (
        rows(summarise(frimley, "icb", params=PARAMS, options=on))
        .set_index("area_code")
        .people["E54000034"]
    )
    assert "NHS Frimley Integrated Care Board" in result.title and len(result.frame) == 1
    assert result.frame.people.iloc[0] == 5 * round(exact / 5)
