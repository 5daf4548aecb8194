"""``ws.population``: population questions asked of the one Workspace, in the register's
geography on the date asked, with every area read by the one resolver.

Sources: NHS England, Patients Registered at a GP Practice, 1 Aug 2026 (the practice map:
B86002 City View Medical Practice is in Beeston PCN, sub-ICB location 15F, West Yorkshire
ICB; LS1 has one practice; the sub-ICB locations of West Yorkshire and of Humber and North
Yorkshire); the 2027 merger is a user's what-if, as in tests/geography/test_on_date.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import icsatlas
from icsatlas.errors import IcsatlasError, NotFoundError
from icsatlas.workspace import Workspace
from tests.conftest import MERGER_2027

ON = "2026-06-01"
AFTER_MERGER = "2027-06-01"


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Iterator[Workspace]:
    """A workspace of its own holding a 0.2% sample of West Yorkshire and Humber and North
    Yorkshire, generated through ``ws.population``."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ICSATLAS_HOME", str(home))
        patch.delenv("ICSATLAS_DATABASE_URL", raising=False)
        workspace = icsatlas.open()
        workspace.population.generate(
            fraction=0.002, areas=["West Yorkshire", "QOQ"], jobs=1, seed=3
        )
        yield workspace
        workspace.close()


@pytest.fixture(scope="module")
def merged(ws, tmp_path_factory) -> Workspace:
    return ws.with_reforms(MERGER_2027)


def test_generate_reads_areas_through_the_resolver_and_is_listed(ws):
    (stored,) = ws.population.list().table.records()
    assert (
        stored["name"] == "west-yorkshire-and-more-0p2pct"
        and stored["coverage"] == "a 0.2% sample of 2 ICBs (QOQ, QWO)"
    )


def test_answers_carry_the_workspaces_provenance_and_the_populations(ws):
    result = ws.population.aggregate("icb", on=ON)
    provenance = result.provenance
    assert provenance.data["register"] == ws.provenance().data["register"]
    assert provenance.data["geography"].startswith("36 ICBs, 106 sub-ICB locations on 2026-06-01")
    assert "synthetic population west-yorkshire-and-more-0p2pct" in provenance.data["population"]
    assert (provenance.seed, provenance.engine) == (3, "duckdb")
    assert provenance.parameters == ws.params.fingerprint
    assert set(result.frame.ods_code) == {"QWO", "QOQ"}


def test_sub_icb_locations_are_shown_with_their_place(ws):
    frame = ws.population.need("sub-icb", on=ON).frame.set_index("ods_code")
    assert frame.place_name["15F"] == "Leeds"
    assert frame.area_name["15F"] == "West Yorkshire 15F"


@pytest.mark.parametrize(
    ("who", "text"),
    [
        ("practice manager", "B86002"),
        ("councillor", "Wakefield Council"),
        ("journalist", "LS1"),
        ("place", "Leeds"),
    ],
)
def test_an_area_means_what_where_says_it_means(ws, who, text):
    """Issue 9, section 1: one resolver - profile and aggregate read an area as `where`."""
    where = ws.register.where(text, ON)
    label = where.title.split(": ", 1)[1].removesuffix(" (approximate)")
    code = label.rsplit(", ", 1)[1].rstrip(")")
    for result in (
        ws.population.profile(text, on=ON),
        ws.population.aggregate(area=text, on=ON),
    ):
        assert code in result.title, who
        assert set(where.notes) <= set(result.notes), who
        assert any(note.startswith(f"{text!r} is {label}") for note in result.notes), who


def test_a_postcode_says_it_is_approximate(ws):
    result = ws.population.profile("LS1", on=ON)
    assert "approximately: the patients of its GP practices" in result.title
    assert any(note.startswith("approximate: placed by the 1 GP practice") for note in result.notes)


def test_frimley_after_april_2026_names_its_successors(ws):
    with pytest.raises(NotFoundError, match=r"nobody .* is in Frimley \(former ICB QNQ\)"):
        ws.population.profile("Frimley", on=ON)


def test_a_what_if_merger_changes_need_aggregate_and_profile(ws, merged):
    """Issue 9, section 1: a user's 2027 merger, written as a reform, reaches population
    outputs: the merged ICB has the people of the two it merged."""
    before = ws.population.aggregate("icb", on=AFTER_MERGER).frame.set_index("ods_code")
    after = merged.population.aggregate("icb", on=AFTER_MERGER).frame.set_index("ods_code")
    assert set(before.index) == {"QWO", "QOQ"} and list(after.index) == ["QZZ"]
    assert after.area_name["QZZ"] == "Yorkshire Test"
    need = merged.population.need("icb", on=AFTER_MERGER)
    assert list(need.frame.ods_code) == ["QZZ"] and need.frame.need_index.iloc[0] == 1.0
    assert need.provenance.reform.endswith("merge-2027.yaml")
    assert "with " in need.provenance.data["geography"]
    profile = merged.population.profile("NHS Yorkshire Test ICB", on=AFTER_MERGER)
    people = profile.frame.set_index("measure").area["registered people"]
    assert profile.title.startswith("Yorkshire Test (ICB QZZ)")
    # published people of the two (each rounded to 5) and of the merged ICB agree within 5
    assert abs(people - before.people.sum()) <= 5
    with pytest.raises(NotFoundError):
        ws.population.profile("QZZ", on=AFTER_MERGER)  # not without the reform


def test_the_profile_reads_by_section(ws):
    result = ws.population.profile("QWO", on=ON, by_section=True)
    assert result.title.endswith("\nPopulation")
    assert [s.title for s in result.sections][:2] == [
        "Segments (Bridges to Health)",
        "Long-term conditions (QOF registers)",
    ]
    assert result.columns == ("measure", "area", "comparator", "unit", "compared_with")


def test_a_hierarchy_overrides_the_parameters_for_that_question(ws):
    segments = ws.population.segments(
        ON,
        hierarchy="maternal,end_of_life,frailty_dementia,"
        "organ_failure,disability,long_term_conditions,healthy",
    )
    assert segments.table.column("segment")[0] == "maternal"
    assert segments.provenance.parameters != ws.params.fingerprint


def test_validate_summarises_and_lists_every_check(ws):
    every = ws.population.validate()
    summary = ws.population.validate(summary=True)
    assert set(every.table.column("status")) == {"pass"}
    assert sum(summary.table.column("checks")) == len(every)
    assert summary.provenance.data["register"] == ws.provenance().data["register"]


def test_writes_are_refused_on_top_of_a_what_if(merged):
    with pytest.raises(IcsatlasError, match="what-ifs"):
        merged.population.generate("other", fraction=0.001, areas=["QOQ"])


def test_import_and_remove_are_audited(ws, tmp_path):
    import pyarrow.parquet as pq

    from icsatlas import config

    part = next(
        (config.home() / "population" / "west-yorkshire-and-more-0p2pct").glob(
            "icb_code=QOQ/*.parquet"
        )
    )
    extract = tmp_path / "extract.csv"
    pq.read_table(part).to_pandas().drop(columns=["sub_icb_code"]).head(40).to_csv(
        extract, index=False
    )
    imported = ws.population.import_extract(extract, "mine", extract_date="2026-08-01")
    assert imported.table.records()[0]["people"] == 40
    removed = ws.population.remove("mine")
    assert removed.title == "removed population 'mine'"
    kinds = [r[0] for r in ws.store.fetchall("SELECT kind FROM change_log ORDER BY change_id")]
    assert kinds[-2:] == ["population.import", "population.remove"]


def test_a_workspace_opened_on_a_folder_keeps_its_populations_there(tmp_path, monkeypatch):
    monkeypatch.setenv("ICSATLAS_HOME", str(tmp_path / "elsewhere"))
    mine = icsatlas.open(home=tmp_path / "mine")
    mine.population.generate(fraction=0.001, areas=["QOQ"], jobs=1, seed=1)
    (stored,) = mine.population.list().table.records()
    assert (tmp_path / "mine" / "population" / stored["name"]).is_dir()
    assert not (tmp_path / "elsewhere" / "population").exists()
    mine.close()
