"""Named trusts, councils and health and wellbeing boards of the 36 ICBs: expected values are
read from the shipped CSVs in the test, not from the code under test."""

from __future__ import annotations

import csv
from datetime import date

import pytest

import icsatlas
from icsatlas import data
from icsatlas.register import holders

ON = date(2026, 6, 1)


def _rows(key: str) -> list[dict[str, str]]:
    with data.path(key).open(newline="") as handle:
        return list(csv.DictReader(handle))


def _icb(register, ods: str):
    return next(a for a in register.areas_on(ON, "icb") if a.ods_code == ods)


def _place(register, name: str):
    return next(a for a in register.areas_on(ON, "sub-icb") if a.place_name == name)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


def test_every_trust_in_the_rtt_file_sits_in_its_parent_icb(register):
    trusts = {t.code for t in holders.trust_places()}
    rtt = [r for r in _rows(holders.RTT_PROVIDERS) if r["provider_code"] in trusts]
    assert rtt, "the RTT file names NHS trusts"
    for row in rtt:
        members = holders.trusts_in(register, _icb(register, row["provider_parent_icb_ods"]), ON)
        assert row["provider_code"] in {o.org_id for o in members}, row


def test_trusts_in_one_file_only_are_reported():
    english = {r["org_code"] for r in _rows(holders.ODS_TRUSTS) if r["nhs_region_ods"][0] == "Y"}
    rtt = {r["provider_code"]: r["provider_name"] for r in _rows(holders.RTT_PROVIDERS)}
    # NHS trusts in the RTT file: an ODS trust code, or a name saying NHS ... TRUST
    rtt_trusts = {c for c, n in rtt.items() if c in english or ("NHS" in n and "TRUST" in n)}
    places = holders.trust_places()
    assert {t.code for t in places if t.in_ods and not t.in_rtt} == english - rtt_trusts
    assert {t.code for t in places if t.in_rtt and not t.in_ods} == rtt_trusts - english
    # Bradford District Care (TAD) is in the April 2026 RTT file only
    assert "TAD" in rtt_trusts - english


def test_a_trust_of_a_split_icb_is_left_unplaced_and_says_why():
    crosswalk = _rows(holders.CROSSWALK)
    split = {r["icb23_ods"] for r in crosswalk} - {
        r["icb23_ods"]
        for r in crosswalk
        if sum(x["icb23_ods"] == r["icb23_ods"] for x in crosswalk) == 1
    }
    unplaced = [t for t in holders.trust_places() if t.icb_ods is None]
    ods = {r["org_code"]: r["icb_ods"] for r in _rows(holders.ODS_TRUSTS)}
    assert unplaced and all(ods[t.code] in split and not t.in_rtt for t in unplaced)
    assert all("was split" in t.placed_by for t in unplaced)


def test_leeds_has_its_teaching_hospitals_council_and_board(register):
    leeds = _place(register, "Leeds")
    assert "Leeds Teaching Hospitals NHS Trust" in {
        o.name for o in holders.trusts_in(register, leeds, ON)
    }
    assert [o.org_id for o in holders.councils_in(register, leeds, ON)] == ["E08000035"]
    assert [o.name for o in holders.boards_in(register, leeds, ON)] == [
        "Leeds Health and Wellbeing Board"
    ]


def test_council_shares_match_the_upper_tier_file_for_councils_unchanged_since_2022(register):
    # Leeds (E08000035) and Kirklees (E08000034) kept their 2022 codes: the shares derived from
    # districts must equal the UTLA 2022 file's
    for row in _rows("utla22_to_icb_2026_registered_population_shares"):
        if row["utla22cd"] not in ("E08000035", "E08000034", "E10000017"):
            continue
        [link] = register.relations(
            subject_id=row["utla22cd"], relation=holders.COUNCIL_IN, object_id=row["icb26_ons"]
        )
        assert link.share == pytest.approx(float(row["share_of_la_population"]), abs=1e-6)
        assert link.object_share == pytest.approx(float(row["share_of_icb_population"]), abs=1e-6)


def test_a_board_whose_council_was_abolished_says_so(register):
    # Cumbria (E10000006) is in the 2022-23 BCF list; the county was abolished in April 2023
    cumbria = register.organisations["hwb:E10000006"]
    assert not cumbria.in_force(ON)
    assert any("no longer in force" in gap for gap in cumbria.gaps)
    assert len([r for r in _rows(holders.HWBS)]) == len(
        [o for o in register.organisations.values() if o.org_type == holders.HWB]
    )


def test_who_names_the_council_behind_a_council_holder(ws):
    result = ws.register.who("better care fund", area="Leeds", on=ON)
    named = dict(zip(result.frame.holder_type, result.frame.named_bodies, strict=True))
    # icb_partner_local_authorities_2023.csv names the council "Leeds City Council"
    assert named["local-authority"] == "Leeds City Council"


def test_who_never_invents_a_body_of_a_kind_not_recorded(ws):
    what_if = ws.with_reforms("blueprint-2025")
    result = what_if.register.who("digital transformation", area="Leeds", on="2027-06-01")
    assert result.frame.named_bodies.isna().all()
    assert any("none is invented" in note for note in result.notes)


def test_bodies_lists_the_named_trusts_councils_and_boards(ws):
    frame = ws.register.bodies("West Yorkshire", on=ON).frame
    expected = {
        r["provider_name"].upper()
        for r in _rows(holders.RTT_PROVIDERS)
        if r["provider_parent_icb_ods"] == "QWO" and "NHS" in r["provider_name"]
    }
    trusts = set(frame[frame.kind == "trust"].name.str.upper())
    assert expected <= trusts
    assert "Leeds City Council" in set(frame[frame.kind == "council"].name)
    # RR8 is in the RTT file under QWO: it is placed by it, and says so
    [basis] = frame[frame.code == "RR8"].source
    assert basis.startswith("trust-in NHS West Yorkshire") and "RTT provider parent ICB" in basis
    with pytest.raises(icsatlas.errors.NotFoundError):
        ws.register.bodies("West Yorkshire", kind="hospice", on=ON)
