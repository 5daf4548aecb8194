"""Areas from the register: the levels people are counted by, on the date asked, and the
people of an area a user names (as the workspace's resolver reads it).

Sources: NHS England, Patients Registered at a GP Practice, 1 Aug 2026 (the practice map:
B86002 is in Beeston PCN, sub-ICB location 15F, West Yorkshire ICB; U89141 Stockton PCN has
6 practices); ICS-REFERENCE.md section 1.4 (Frimley's practices went to three ICBs on
1 April 2026); ONS LSOA (2011) lookups (Leeds has 482 LSOAs).
"""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas.errors import InputError, NotFoundError
from icsatlas.parameters import ParameterSet
from icsatlas.population import areas
from icsatlas.population.aggregate import aggregate
from icsatlas.population.summary import rows, summarise

PARAMS = ParameterSet.shipped()
AUG_2026 = date(2026, 8, 1)
JUNE_2025 = date(2025, 6, 1)


def test_levels_come_from_the_registers_geography_on_the_date(geography):
    icbs_2025 = areas.level_lookup("icb", geography(JUNE_2025)).table
    icbs_2026 = areas.level_lookup("icb", geography(AUG_2026)).table
    assert (icbs_2025.area_code.nunique(), icbs_2026.area_code.nunique()) == (42, 36)
    places = areas.level_lookup("place", geography(AUG_2026))
    leeds = places.table.set_index("practice_code").loc["B86002"]
    assert places.name == "sub-icb"
    assert (leeds.area_ods, leeds.place_name, leeds.icb_name) == (
        "15F",
        "Leeds",
        "NHS West Yorkshire Integrated Care Board",
    )


def test_an_unknown_level_lists_the_levels(geography):
    with pytest.raises(InputError, match="use one of: country, region, icb"):
        areas.level_lookup("ward", geography())


@pytest.mark.parametrize("text", ["Cheshire and Merseyside", "QYG", "E54000008"])
def test_an_icb_by_name_ods_or_ons_code(focus, geography, text):
    found = focus(text)
    icb = geography().practices
    assert (found.kind, found.code, found.key) == ("icb", "QYG", "practice_code")
    assert set(found.members) == set(icb.practice_code[icb.icb_ods == "QYG"])
    assert found.label == "Cheshire and Merseyside (ICB QYG)"


def test_a_practice_a_pcn_and_a_place(focus):
    practice = focus("B86002")
    assert (practice.kind, practice.members) == ("practice", ("B86002",))
    assert len(focus("U89141").members) == 6
    place = focus("15F")
    assert place.label == "Leeds (sub-ICB location 15F)"
    assert "B86002" in place.members


def test_a_council_is_the_people_living_in_it(focus):
    leeds = focus("Leeds")  # the council of that name, covering sub-ICB location 15F
    assert (leeds.kind, leeds.code, leeds.key) == ("council", "E08000035", "lsoa_code")
    assert len(leeds.members) == 482
    surrey = focus("Surrey County Council")
    woking = focus("Woking")  # a district within Surrey
    assert set(woking.members) < set(surrey.members)


def test_a_postcode_district_is_its_practices_and_says_it_is_approximate(focus):
    district = focus("LS1")
    assert district.approximate and district.kind == "postcode"
    assert "approximately" in district.label
    assert any(note.startswith("approximate: placed by the") for note in district.notes)


def test_frimley_after_april_2026_is_its_former_practices_with_its_successors(focus):
    before = focus("Frimley", JUNE_2025)
    after = focus("Frimley", AUG_2026)
    assert before.kind == "icb" and after.kind == "former icb"
    assert set(after.members) == set(before.members)
    assert after.label == "Frimley (former ICB QNQ)"
    assert any("successors: NHS Thames Valley" in note for note in after.notes)


def test_a_2026_population_aggregates_to_frimley_in_2025(frimley, geography):
    before = summarise(frimley, "icb", params=PARAMS, geography=geography(JUNE_2025))
    after = summarise(frimley, "icb", params=PARAMS, geography=geography(AUG_2026))
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


def test_one_area_on_its_own_is_disclosure_controlled(frimley, focus, geography):
    where = geography(JUNE_2025)
    result = aggregate(frimley, params=PARAMS, geography=where, focus=focus("Frimley", JUNE_2025))
    exact = (
        rows(summarise(frimley, "icb", params=PARAMS, geography=where))
        .set_index("area_code")
        .people["E54000034"]
    )
    assert "Frimley (ICB QNQ)" in result.title and len(result.frame) == 1
    assert result.frame.people.iloc[0] == 5 * round(exact / 5)


def test_frimley_named_after_it_ended_counts_the_same_people(frimley, focus, geography):
    """Issue 9, section 1: 'Frimley' after 1 April 2026 is its former practices (now in
    three ICBs), so its people are those it had before."""
    on = geography(AUG_2026)
    after = aggregate(frimley, params=PARAMS, geography=on, focus=focus("Frimley"))
    before = aggregate(
        frimley, params=PARAMS, geography=geography(JUNE_2025), focus=focus("Frimley", JUNE_2025)
    )
    assert after.frame.people.iloc[0] == before.frame.people.iloc[0] > 0
    assert any("successors" in note for note in after.notes)


def test_an_area_with_no_practices_cannot_be_counted(ws, geography, tmp_path):
    reform = tmp_path / "place.yaml"
    reform.write_text(
        "name: wirral-place\ntitle: Wirral place\nsource: local constitution\n"
        "effective: 2026-04-01\noperations:\n"
        "  - establish: {type: place, id: place:wirral, name: Wirral place, parent: QYG}\n"
    )
    what_if = ws.with_reforms(reform)
    on = what_if.geography(AUG_2026)
    with pytest.raises(NotFoundError, match="no GP practices are recorded in Wirral place"):
        areas.focus(what_if.resolve("Wirral place", AUG_2026), on)
