"""``ws.finance``: finance questions asked of the one Workspace, in the register's areas on
the date asked, with what-if reforms reaching the money.

Sources: NHS England's ICB allocations 2025/26 (icb_allocations_gbp_2023_24_to_2025_26, core
recurrent allocations by ICB, read in the tests); ICS-REFERENCE.md §1.4 (Frimley split three
ways on 1 April 2026).
"""

from __future__ import annotations

import pandas as pd
import pytest

import icsatlas
from icsatlas import data
from icsatlas.errors import InputError, NotFoundError
from icsatlas.workspace import Workspace
from tests.conftest import MERGER_2027

AFTER = "2027-06-01"


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Workspace:
    home = tmp_path_factory.mktemp("home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


@pytest.fixture(scope="module")
def merged(ws, tmp_path_factory) -> Workspace:
    return ws.with_reforms(MERGER_2027)


def published_2025_26(column: str) -> pd.Series:
    frame = data.read("icb_allocations_gbp_2023_24_to_2025_26")
    return frame[frame.financial_year == "2025/26"].set_index("icb_ods")[column]


def test_targets_are_for_the_icbs_in_force_on_the_date(ws):
    before = ws.finance.targets(year="2025/26")  # the first day of the year: 42 ICBs
    after = ws.finance.targets(year="2025/26", on="2026-06-01")
    assert (len(before), len(after)) == (42, 36)
    # NHS England's implied 2025/26 target total: the sum over the 42 published ICBs of
    # allocation / (1 + distance from target), to the pound (worked in tests/cli/test_finance.py)
    assert before.frame.target_gbp.sum() == after.frame.target_gbp.sum() == 114_848_740_545
    actual = before.frame.set_index("ods_code").actual_gbp
    expected = published_2025_26("core_recurrent_allocation_gbp_k") * 1000
    assert (actual.sort_index() == expected.sort_index()).all()


def test_provenance_starts_from_the_workspace(ws):
    result = ws.finance.targets(year="2025/26", on="2026-06-01")
    assert result.provenance.data["register"] == ws._shared.url
    assert result.provenance.parameters == ws.params.fingerprint
    assert result.provenance.data["geography"].startswith("36 ICBs, 106 sub-ICB locations")
    assert "weighted_population" in result.provenance.data
    mine = ws.with_parameters({"finance.allocation.core_weights": {"g_a": 0.5}})
    assert mine.finance.targets().provenance.parameters == mine.params.fingerprint


def test_a_what_if_merger_reaches_targets_allowances_places_and_the_bill(ws, merged):
    """Issue 9, section 1: a user reform changes finance's outputs. Merging West Yorkshire
    and Humber and North Yorkshire in 2027 gives one ICB with both their fair shares,
    allocations and running-cost allowances; places split its budget; the bill runs over
    35 ICBs. Without the reform nothing changes."""
    plain = ws.finance.targets(year="2025/26", on=AFTER).frame.set_index("ods_code")
    what_if = merged.finance.targets(year="2025/26", on=AFTER)
    frame = what_if.frame.set_index("ods_code")
    assert len(plain) == 36 and len(frame) == 35 and "QWO" not in frame.index
    both = ["QWO", "QOQ"]
    assert frame.loc["QZZ", "share"] == pytest.approx(plain.loc[both, "share"].sum(), abs=1e-12)
    allocated = published_2025_26("core_recurrent_allocation_gbp_k").loc[both].sum() * 1000
    assert frame.loc["QZZ", "actual_gbp"] == pytest.approx(allocated)
    assert pd.isna(frame.loc["QZZ", "published_dft"])  # NHS England allocated to neither alone
    assert what_if.provenance.reform.endswith("merge-2027.yaml")
    assert "with " in what_if.provenance.data["geography"]

    allowances = merged.finance.running_costs(on=AFTER).frame.set_index("ods_code").rca_gbp
    plain_allowances = ws.finance.running_costs(on=AFTER).frame.set_index("ods_code").rca_gbp
    assert allowances["QZZ"] == pytest.approx(plain_allowances.loc[both].sum())

    places = merged.finance.places("QZZ", by="sub-icb", year="2025/26", on=AFTER).frame
    # the 11 sub-ICB locations the merger lists (tests/fixtures/merge-2027.yaml)
    assert len(places) == 11 and places.budget_gbp.sum() == round(allocated)

    bill = merged.finance.blueprint_bill(view="icbs", draws=10, on=AFTER).frame
    assert len(bill) == 35 and "QZZ" in set(bill.ods_code)


def test_the_bill_is_sections_of_one_result(ws):
    result = ws.finance.blueprint_bill(draws=50)
    document = result.to_dict()
    assert set(document) == {"title", "data", "provenance", "notes", "sections"}
    titles = [s["title"].split(":")[0] for s in document["sections"]]
    assert titles == ["Payback", "Claims", "Sensitivity", "Inputs", "ICBs"]
    assert len(result.sections[-1].frame) == 42  # the ICBs of 1 April 2025
    assert document["provenance"]["seed"] == 20250401
    assert document["sections"][0]["provenance"]["data"]["register"] == ws._shared.url
    one = ws.finance.blueprint_bill(icb="West Yorkshire", draws=50)
    assert one.title.startswith("By year: NHS West Yorkshire") and len(one.sections) == 1


class TestPlaces:
    """Issue 9, section 1: `allocate places` takes any area the resolver knows, and means
    the same area every other command does."""

    def test_an_icbs_places_share_out_its_allocation(self, ws):
        result = ws.finance.places("West Yorkshire", by="sub-icb", year="2025/26")
        allocated = published_2025_26("core_recurrent_allocation_gbp_k")["QWO"] * 1000
        assert result.frame.budget_gbp.sum() == round(allocated)
        assert "Leeds (West Yorkshire 15F)" in set(result.frame.area_name)

    def test_a_council_is_the_sub_icb_locations_covering_it(self, ws):
        leeds = ws.finance.places("Leeds", by="pcn", year="2025/26", on="2026-06-01")
        covers = ws.resolve("Leeds", "2026-06-01").covers
        assert [c.area.ods_code for c in covers] == ["15F"]
        assert set(leeds.frame.icb_ods) == {"QWO"}
        icb = ws.finance.places("QWO", by="sub-icb", year="2025/26", on="2026-06-01").frame
        own = icb.set_index("ods_code").loc["15F", "budget_gbp"]
        assert leeds.frame.budget_gbp.sum() == pytest.approx(own, abs=1)
        assert any("'Leeds' is Leeds (council" in note for note in leeds.notes)

    def test_a_county_across_two_icbs_takes_its_budget_from_both(self, ws):
        surrey = ws.finance.places("Surrey County Council", by="sub-icb", on="2025-06-01")
        covers = {c.area.ods_code for c in ws.resolve("Surrey County Council", "2025-06-01").covers}
        assert set(surrey.frame.ods_code) == covers == {"92A", "D4U1Y"}
        assert set(surrey.frame.icb_ods) == {"QXU", "QNQ"}

    def test_a_former_icb_is_its_practices_where_they_are_now(self, ws):
        frimley = ws.finance.places("Frimley", by="sub-icb", year="2025/26", on="2026-06-01")
        where = ws.resolve("Frimley", "2026-06-01")
        assert where.kind == "former icb"
        assert set(frimley.frame.ods_code) == {c.area.ods_code for c in where.covers}
        # the ICBs holding Frimley's practices from 1 April 2026: icb_crosswalk_2023_to_2026
        assert set(frimley.frame.icb_ods) == {"QRL", "S0E4D", "S9B9J"}
        # its budget is its practices' part of the three ICBs' allocations: what each ICB's
        # own split by practice gives them (to the pound per practice, rounding)
        parts = 0
        for icb in ("QRL", "S0E4D", "S9B9J"):
            split = ws.finance.places(icb, by="practice", year="2025/26", on="2026-06-01").frame
            parts += split[split.ods_code.isin(where.practices)].budget_gbp.sum()
        assert frimley.frame.budget_gbp.sum() == pytest.approx(parts, abs=len(where.practices))

    def test_a_place_file_or_frame_names_the_places(self, ws, tmp_path):
        rows = ws.finance.places("15F", by="practice", year="2025/26").frame
        codes = rows.ods_code.head(4).tolist()
        path = tmp_path / "places.csv"
        path.write_text("practice_code,place\n" + "".join(f"{c},North\n" for c in codes))
        result = ws.finance.places("15F", places=path, year="2025/26")
        unmapped = "UNMAPPED: practices not in the grouping file"
        assert set(result.frame.area_name) == {"North", unmapped}

    def test_unknown_areas_are_not_found(self, ws):
        with pytest.raises(NotFoundError, match="nothing matches 'Atlantis'"):
            ws.finance.places("Atlantis")


def test_an_icb_question_refuses_other_areas_and_says_which_icb_they_lie_in(ws):
    with pytest.raises(InputError, match=r"London \(region, Y56\).*not an ICB in force"):
        ws.finance.waterfall("London", year="2025/26")
    with pytest.raises(InputError, match=r"former icb.*not an ICB in force on 2026-06-01"):
        ws.finance.waterfall("Frimley", on="2026-06-01")
    with pytest.raises(InputError, match=r"it lies in NHS Birmingham and Solihull .* \(QHL\)"):
        ws.finance.shift(icb="Birmingham", year="2025/26")  # the city council


def test_the_year_and_the_areas_follow_the_date(ws):
    basis, notes = ws.finance.basis(on="2024-06-01")
    assert (basis.year, len(basis.geography.icbs), notes) == ("2024/25", 42, ())
    basis, notes = ws.finance.basis(on="2026-11-23")
    assert (basis.year, len(basis.geography.icbs)) == ("2025/26", 36)
    assert any("latest shipped year" in note for note in notes)
    with pytest.raises(NotFoundError, match="shipped years"):
        ws.finance.basis("2019/20")


def test_written_files_are_the_results(ws, tmp_path):
    result = ws.finance.waterfall("QHM", year="2025/26")
    said = ws.finance.write(result, export=tmp_path / "w.csv", chart=tmp_path / "w.png")
    assert "wrote" in said and (tmp_path / "w.png").read_bytes()[:4] == b"\x89PNG"
    assert pd.read_csv(tmp_path / "w.csv").gbp.iloc[-1] == result.frame.gbp.iloc[-1]
