"""The geography population and finance aggregate by comes from the register on the date,
what-if reforms included.

Sources: NHS England, Patients Registered at a GP Practice, 1 Aug 2026 (6,129 practices in
106 sub-ICB locations, 36 ICBs, 7 regions); ICS-REFERENCE.md §1.4 (the April 2026 mergers).
"""

from __future__ import annotations

from datetime import date

import pytest

import icsatlas
from icsatlas.register import geography as shipped
from tests.conftest import MERGER_2027


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


def test_the_2026_geography_matches_the_practice_map(ws):
    geography = ws.geography("2026-06-01")
    assert (len(geography.icbs), len(geography.sub_icbs)) == (36, 106)
    assert geography.icbs.region_ods.nunique() == 7
    assert len(geography.practices) == 6129
    # practice map: B86002 City View Medical Practice is in 15F, whose LSOAs are all in Leeds
    leeds = geography.practices.set_index("practice_code").loc["B86002"]
    assert (leeds.sub_icb_ods, leeds.place_name, leeds.icb_ods) == ("15F", "Leeds", "QWO")


def test_the_register_and_the_shipped_lookup_agree_before_and_after_the_mergers(ws):
    for day in (date(2025, 6, 1), date(2026, 6, 1)):
        ours = ws.geography(day).practices.set_index("practice_code").icb_ods
        theirs = shipped.practice_lookup(day).set_index("practice_code").icb_ods
        assert (ours == theirs.loc[ours.index]).all()


def test_a_what_if_merger_moves_practices_to_the_new_icb(ws):
    after = ws.with_reforms(MERGER_2027).geography("2027-06-01")
    assert "QZZ" in set(after.icbs.icb_ods) and "QWO" not in set(after.icbs.icb_ods)
    leeds = after.practices.set_index("practice_code").loc["B86002"]
    assert leeds.icb_ods == "QZZ"
    assert "with " in after.describe()
