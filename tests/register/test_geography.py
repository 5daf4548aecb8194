"""The shipped NHS geography on a date.

Sources: ONS "Sub ICB Locations to ICBs to NHS England (Region) (April 2023)" lookup;
NHS England "Patients Registered at a GP Practice" practice map, 1 August 2026;
ICS-REFERENCE.md §1.4 (the April 2026 mergers).
"""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas import data
from icsatlas.errors import NotFoundError
from icsatlas.register import geography


@pytest.mark.parametrize(
    ("on", "icbs", "sub_icbs"),
    [(date(2022, 7, 1), 42, 106), (date(2026, 3, 31), 42, 106), (date(2026, 4, 1), 36, 106)],
)
def test_icb_and_sub_icb_counts(on, icbs, sub_icbs):
    tree = geography.sub_icb_tree(on)
    assert tree.icb_ods.nunique() == icbs
    assert len(tree) == sub_icbs
    assert tree.region_ods.nunique() == 7


def test_surrey_heartlands_had_its_2022_code_before_april_2023():
    before = geography.icbs(date(2023, 3, 31)).set_index("icb_ods")
    after = geography.icbs(date(2023, 4, 1)).set_index("icb_ods")
    assert before.loc["QXU", "icb_ons"] == "E54000052"
    assert after.loc["QXU", "icb_ons"] == "E54000063"


def test_no_geography_before_icbs_existed():
    with pytest.raises(NotFoundError, match="established"):
        geography.sub_icb_tree(date(2022, 6, 30))


def test_frimley_practices_move_three_ways_in_april_2026():
    before = geography.practice_lookup(date(2026, 3, 31)).set_index("practice_code")
    after = geography.practice_lookup(date(2026, 4, 1)).set_index("practice_code")
    open_then = before[(before.icb_ods == "QNQ") & (before.placed_by == "practice map")]
    assert set(after.loc[open_then.index, "icb_ods"]) == {"S0E4D", "S9B9J", "QRL"}


def test_practices_gone_by_2026_are_placed_before_by_their_icb_and_district():
    # B86001 (Dr N Saddiq's Practice, Leeds, LS27) is in the 2023/24 and 2024/25 allocation
    # lists (ICB QWO, district E08000035 Leeds) but not in the 1 Aug 2026 practice map.
    before = geography.practice_lookup(date(2025, 1, 1)).set_index("practice_code")
    after = geography.practice_lookup(date(2026, 4, 1)).set_index("practice_code")
    assert before.loc["B86001", "sub_icb_ods"] == "15F"
    assert before.loc["B86001", "placed_by"] == "allocation ICB and council district"
    assert "B86001" not in after.index


def test_districts_map_to_upper_tier_councils_reproducing_the_shipped_shares():
    # The derived LSOA-level overlaps must give back the shipped UTLA x ICB file exactly.
    derived = geography.local_authority_overlaps(date(2025, 1, 1))
    shipped = data.read("utla_current_to_icb_2023_population_shares", dtype={"UTLACD": str})
    merged = derived.merge(
        shipped, left_on=["utla_code", "icb_ods"], right_on=["UTLACD", "ICB23CDH"], how="outer"
    )
    assert len(merged) == len(shipped) == len(derived)
    assert (merged.n_lsoa11_x == merged.n_lsoa11_y).all()
    assert (merged.population_2015 == merged.pop_mid2015).all()


def test_councils_relate_to_one_icb_after_the_mergers():
    # Design principle of the 2026 mergers: each council relates to one ICB
    # (ICS-REFERENCE.md §1.3); Essex, Hertfordshire and Suffolk were split before
    # (utla_current_to_icb_2023_population_shares.csv). Essex (E10000012) is in Essex ICB
    # D7T5G, Hertfordshire (E10000015) in Central East S1Y5D, Suffolk (E10000029) in Norfolk
    # and Suffolk T6Y0W (icb_36_aug2026.csv).
    overlaps = geography.local_authority_overlaps(date(2026, 4, 1)).set_index("utla_code")
    for council, icb in [("E10000012", "D7T5G"), ("E10000015", "S1Y5D"), ("E10000029", "T6Y0W")]:
        assert overlaps.loc[council, "icb_ods"] == icb
        assert overlaps.loc[council, "share_of_la_population"] == pytest.approx(1.0)
