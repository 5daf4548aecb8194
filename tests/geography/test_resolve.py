"""One resolver for every command: names, codes, councils, places, practices, postcodes.

Sources for the expected answers: NHS England, Patients Registered at a GP Practice,
1 Aug 2026 (practice map: practice -> PCN -> sub-ICB location -> ICB, practice postcodes);
ONS/MHCLG LSOA lookups with mid-2015 populations (council overlaps; council codes as in
utla_current_to_icb_2023_population_shares.csv: Leeds E08000035, Surrey E10000030, Kingston
upon Hull E06000010; sub-ICB locations as in sicbl_aug2026.csv: 92A Surrey and Sussex, U2G6B
Thames Valley, D9Y0V Hampshire and Isle of Wight, W2U3Z West and North London, 01E
Lancashire and South Cumbria); ICS-REFERENCE.md §1.4
(Frimley abolished on 1 April 2026, its area split between Thames Valley, Surrey and Sussex,
and Hampshire and Isle of Wight).
"""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas.errors import NotFoundError
from icsatlas.geography import Resolver
from icsatlas.register import build

JUNE_2026 = date(2026, 6, 1)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(build.baseline())


def codes(resolution) -> list[str]:
    return [c.area.ods_code for c in resolution.covers]


def test_leeds_is_the_council_covered_by_the_leeds_place(resolver):
    found = resolver.resolve("Leeds", JUNE_2026)
    assert (found.kind, found.code) == ("council", "E08000035")
    assert codes(found) == ["15F"]
    assert found.covers[0].area.place_name == "Leeds"
    assert found.covers[0].share == pytest.approx(1.0)


def test_place_code_and_name_give_the_same_sub_icb_location(resolver):
    by_code = resolver.resolve("15F", JUNE_2026)
    assert by_code.kind == "sub-icb" and by_code.area.place_name == "Leeds"
    assert "named after the councils" in by_code.notes[0]


@pytest.mark.parametrize("text", ["Surrey County Council", "Surrey", "surrey", "E10000030"])
def test_surrey_county_council_by_name_or_code(resolver, text):
    found = resolver.resolve(text, JUNE_2026)
    assert (found.kind, found.code, found.name) == ("council", "E10000030", "Surrey")
    assert codes(found)[0] == "92A"


def test_a_district_council_says_which_county_it_lies_in(resolver):
    found = resolver.resolve("Preston", JUNE_2026)
    assert found.kind == "council" and found.code == "E07000123"
    assert "lies within Lancashire" in " ".join(found.notes)
    assert codes(found)[0] == "01E"


def test_practice_code_gives_practice_pcn_sub_icb(resolver):
    # B86002 City View Medical Practice, LS11 8LH, Beeston PCN, sub-ICB 15F (practice map)
    found = resolver.resolve("B86002", JUNE_2026)
    assert (found.kind, found.name) == ("practice", "City View Medical Practice")
    assert codes(found) == ["15F"]
    assert "Beeston PCN" in found.notes[0]


def test_a_closed_practice_resolves_to_where_it_was_last_placed(resolver):
    # B86001 is in the 2023/24-2024/25 allocation lists, not in the Aug 2026 practice map
    found = resolver.resolve("B86001", JUNE_2026)
    assert found.kind == "practice" and codes(found) == ["15F"]
    assert "gone from the 1 Aug 2026 practice list" in found.notes[0]


def test_frimley_before_and_after_its_abolition(resolver):
    before = resolver.resolve("Frimley", date(2025, 1, 1))
    assert before.kind == "icb" and codes(before) == ["QNQ"]
    after = resolver.resolve("Frimley", JUNE_2026)
    assert after.kind == "former icb"
    assert set(codes(after)) == {"U2G6B", "92A", "D9Y0V"}
    assert sum(c.share for c in after.covers) == pytest.approx(1.0, abs=1e-3)
    assert "successors: NHS Thames Valley" in after.notes[0]


def test_postcode_district_is_placed_approximately_by_practices(resolver):
    found = resolver.resolve("LS6", JUNE_2026)
    assert found.kind == "postcode" and found.approximate
    assert codes(found) == ["15F"]
    assert "approximate" in found.notes[0]


def test_full_postcode_of_a_practice(resolver):
    found = resolver.resolve("ls11 8lh", JUNE_2026)
    assert found.code == "LS11 8LH" and "B86002" in found.practices


def test_whole_words_only_hull_is_not_solihull(resolver):
    assert resolver.resolve("Hull", JUNE_2026).code == "E06000010"


def test_ambiguous_input_lists_the_candidates(resolver):
    with pytest.raises(NotFoundError, match=r"several icb names.*Lancashire and South Cumbria"):
        resolver.resolve("Cumbria", JUNE_2026)


def test_unknown_input_suggests_the_nearest(resolver):
    with pytest.raises(NotFoundError, match="did you mean 'Liverpool'"):
        resolver.resolve("Liverpol", JUNE_2026)


def test_a_trust_is_named_as_not_an_area(resolver):
    with pytest.raises(NotFoundError, match=r"Leeds Teaching Hospitals NHS Trust.*not an area"):
        resolver.resolve("RR8", JUNE_2026)


def test_a_central_district_with_no_practice_uses_its_family(resolver):
    # SW1A (Westminster) has no GP practice in the August 2026 map; SW1E, SW1P, SW1V... do
    found = resolver.resolve("SW1A 1AA", JUNE_2026)
    assert found.approximate and "postcode districts SW1*" in found.notes[0]
    assert codes(found)[0] == "W2U3Z"


@pytest.mark.parametrize("text", ["council", "City of", "!!!", "\x00", "' OR 1=1 --"])
def test_text_without_a_distinguishing_name_matches_nothing(resolver, text):
    # regression: these left an empty council key, which was the City of London's
    with pytest.raises(NotFoundError):
        resolver.resolve(text, JUNE_2026)


@pytest.mark.parametrize("text", ["City of London", "city of london corporation"])
def test_the_city_of_london_is_found_by_its_whole_name(resolver, text):
    # ONS code E09000001 (utla_current_to_icb_2023_population_shares.csv)
    assert resolver.resolve(text, JUNE_2026).code == "E09000001"
