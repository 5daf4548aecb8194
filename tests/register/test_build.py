"""The register built from shipped data and the history reforms.

Sources: ONS April 2023 sub-ICB lookup (codes of the 42 ICBs); NHS England practice map
and registered patients, 1 August 2026 (the 36 ICBs and their populations);
ICS-REFERENCE.md §1.4 (12 ICBs abolished, 6 created, North East Hampshire to HIOW).
"""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas import data

EVE, MERGERS = date(2026, 3, 31), date(2026, 4, 1)


def test_42_icbs_with_real_codes_on_establishment(register):
    icbs = {a.ods_code: a.area_id for a in register.areas_on(date(2022, 7, 1), "icb")}
    assert len(icbs) == 42
    assert icbs["QNQ"] == "E54000034"  # Frimley
    assert icbs["QYG"] == "E54000008"  # Cheshire and Merseyside
    assert len(register.organisations_on(date(2022, 7, 1), "icp")) == 42


def test_36_icbs_from_1_april_2026(register):
    assert len(register.areas_on(EVE, "icb")) == 42
    assert len(register.areas_on(MERGERS, "icb")) == 36
    shipped = data.read("icb_36_aug2026", dtype=str)
    assert {a.ods_code for a in register.areas_on(MERGERS, "icb")} == set(shipped.ICB_CODE)


def test_twelve_abolished_and_six_created(register):
    abolished = [
        o for o in register.organisations.values() if o.org_type == "icb" and o.valid_to == MERGERS
    ]
    created = [
        o
        for o in register.organisations.values()
        if o.org_type == "icb" and o.valid_from == MERGERS
    ]
    assert len(abolished) == 12
    assert len(created) == 6


def test_frimley_is_abolished_and_split_three_ways(register):
    frimley = register.organisation("QNQ")
    assert frimley.valid_to == MERGERS
    assert set(frimley.successors) == {"S0E4D", "S9B9J", "QRL"}
    assert not register.areas["E54000034"].in_force(MERGERS)


def test_north_east_hampshire_joins_hampshire_and_isle_of_wight(register):
    # D9Y0V gains Rushmoor and Hart from Frimley and gets a new ONS code.
    new = register.areas["E38000266"]
    assert new.ods_code == "D9Y0V"
    assert register.parent(new.area_id, MERGERS).ods_code == "QRL"
    assert register.parent("E38000253", EVE).area_id == "E54000042"
    hiow = register.governed_area("QRL", MERGERS)
    assert hiow.area_id == "E54000067"
    assert register.organisation("QRL").in_force(MERGERS)


def test_registered_population_per_icb_matches_the_source_exactly(register):
    shipped = data.read("icb_36_aug2026", dtype={"ONS_ICB_CODE": str})
    for row in shipped.itertuples():
        [figure] = register.population(row.ONS_ICB_CODE, "registered-patients")
        assert figure.value == row.PATIENTS_ALL
    [england] = register.population("E92000001", "registered-patients")
    assert england.value == 63_237_908


def test_merged_icbs_inherit_every_icb_function(register):
    thames_valley = register.governed_area("S0E4D", MERGERS)
    held = {a.function_id for a in register.assignments_in_area(thames_valley.area_id, MERGERS)}
    frimley = {a.function_id for a in register.assignments_in_area("E54000034", EVE)}
    assert frimley <= held


def test_pod_is_delegated_to_icbs_from_april_2023(register):
    area = register.governed_area("QYG", date(2023, 4, 1))
    [before] = register.assignments_at(
        "pharmacy-optometry-dental-commissioning", area.area_id, date(2023, 3, 31)
    )
    [after] = register.assignments_at(
        "pharmacy-optometry-dental-commissioning", area.area_id, date(2023, 4, 1)
    )
    assert register.organisations[before.holder_id].org_type == "nhs-region"
    assert after.holder_id == "QYG" and after.basis == "delegation"


@pytest.mark.parametrize(
    ("icb", "councils"),
    [
        ("S0E4D", {"Bracknell Forest", "Slough", "Windsor and Maidenhead", "Oxfordshire"}),
        ("QRL", {"Hampshire", "Isle of Wight", "Southampton", "Portsmouth"}),
    ],
)
def test_better_care_fund_councils_follow_the_new_boundaries(register, icb, councils):
    # councils with at least 10% of their population in the ICB (ONS LSOA lookups, mid-2015
    # populations; data/PROVENANCE.md): East Berkshire's three unitaries went to Thames Valley
    # with Frimley's practices (ICS-REFERENCE.md §1.4); Surrey to Surrey and Sussex
    area = register.governed_area(icb, MERGERS)
    holders = {
        register.organisations[a.holder_id].name
        for a in register.assignments_at("better-care-fund", area.area_id, MERGERS)
    }
    assert councils <= holders
    assert "Surrey" not in holders


def test_data_gaps_are_recorded_not_invented(register):
    closed = [
        o for o in register.organisations.values() if o.org_type == "gp-practice" and o.valid_to
    ]
    assert closed and all("date not in the shipped data" in o.gaps[0] for o in closed)
    ccg = register.organisation("ccg:01F")
    assert ccg.valid_to == date(2022, 7, 1) and ccg.successors == ("QYG",)
    assert "name" in ccg.gaps[0]


ALLOCATION = "allocation-population-2025/26"
APRIL_2023 = date(2023, 4, 1)


def _value(register, area_id, measure):
    found = register.population(area_id, measure)
    return found[0].value if found else None


@pytest.mark.parametrize(
    ("area_id", "expected"),
    [  # icb_allocation_need_indices_2023_24_to_2025_26.csv, 2025/26 (NHS England's practice file)
        ("E54000042", 1_981_006.0),  # Hampshire and Isle of Wight, 2023 geography
        ("E54000063", 1_153_159.8),  # Surrey Heartlands (April 2023 code)
        ("E54000064", 1_866_614.2),  # Sussex (April 2023 code)
        ("E54000052", None),  # Surrey Heartlands, July 2022 code: ended 31 March 2023
        ("E54000053", None),  # Sussex, July 2022 code
    ],
)
def test_allocation_populations_sit_on_the_area_in_force_in_the_year(register, area_id, expected):
    """Issue 9 §6: populations were attached to the first area with a matching ODS code, so
    the 2023-geography HIoW, Surrey Heartlands and Sussex rows were blank."""
    assert _value(register, area_id, ALLOCATION) == expected


def test_2026_hampshire_and_isle_of_wight_gets_its_2026_allocation_population(register):
    """Issue 9 §6: the 2026 HIoW row showed the 2023 figure (1,981,006) instead of 2,177,354:
    HIoW's 1,981,006 plus Frimley's 850,514.2 x 194,823.0 / 843,909.6 (the share of
    Frimley's practices now in HIoW, icb_crosswalk_2023_to_2026.csv)."""
    value = _value(register, "E54000067", ALLOCATION)
    assert round(value) == 2_177_354
    assert value == pytest.approx(1_981_006.0 + 850_514.2 * 194_823.0 / 843_909.6)


def test_2026_allocation_populations_agree_with_finance_and_add_up(register):
    """The 36 ICBs' figures agree with finance's practice-level placement in the register's
    areas (weighted_population) within 1 person (the crosswalk's populations are given to
    0.1) and keep England's total of the 42."""
    from icsatlas.finance import weighted_population as wp
    from icsatlas.geography.index import NameIndex
    from icsatlas.geography.on_date import Geography

    geography = Geography(register, NameIndex.build(register), MERGERS)
    finance = wp.by_area(wp.Basis("2025/26", geography)).set_index("ods_code").population
    icbs = register.areas_on(MERGERS, "icb")
    for area in icbs:
        assert _value(register, area.area_id, ALLOCATION) == pytest.approx(
            finance[area.ods_code], abs=1
        )
    old = sum(_value(register, a.area_id, ALLOCATION) for a in register.areas_on(EVE, "icb"))
    new = sum(_value(register, a.area_id, ALLOCATION) for a in icbs)
    assert new == pytest.approx(old)


def test_registered_patients_of_2023_icbs_are_summed_from_sub_icb_counts_where_exact(register):
    """Issue 9 §6: every 2023-geography ICB whose sub-ICB locations all have a count in the
    1 Aug 2026 extract (sicbl_aug2026.csv) gets their sum; the others say why not."""
    counts = data.read("sicbl_aug2026", dtype={"ONS_SUB_ICB_LOCATION_CODE": str})
    by_code = dict(zip(counts.ONS_SUB_ICB_LOCATION_CODE, counts.PATIENTS_ALL, strict=True))
    uncounted = set()
    for icb in register.areas_on(APRIL_2023, "icb"):
        parts = [a.area_id for a in register.children(icb.area_id, APRIL_2023)]
        value = _value(register, icb.area_id, "registered-patients")
        if all(p in by_code for p in parts):
            assert value == sum(by_code[p] for p in parts), icb.name
        else:
            assert value is None and any("cannot be summed exactly" in g for g in icb.gaps)
            uncounted.add(icb.ods_code)
    # Frimley's D4U1Y was split; HIoW's D9Y0V and Surrey Heartlands' 92A were recoded in 2026
    assert uncounted == {"QNQ", "QRL", "QXU"}
    assert _value(register, "E54000064", "registered-patients") == 1_832_054  # 09D+70F+97R
