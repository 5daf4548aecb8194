"""The register in the store, on DuckDB and PostgreSQL: saved as audited changes, loaded
back exactly, any recorded state rebuilt, and a failed write leaves nothing behind."""

from __future__ import annotations

from datetime import date

import duckdb
import psycopg
import pytest

from icsatlas.register import build, persist
from icsatlas.register.model import Assignment, Changeset
from icsatlas.register.register import InvariantError
from icsatlas.store.audit import changes
from tests.conftest import ENGINES, fresh_store


@pytest.fixture(scope="module", params=ENGINES)
def built(request, tmp_path_factory):
    """One built store per engine for this module (the tests only read, or fail to write)."""
    with fresh_store(request.param, tmp_path_factory.mktemp("built"), request) as store:
        for _ in build.run(store, actor="tester"):
            pass
        yield store


def test_what_is_saved_loads_back_exactly(built, register):
    loaded = persist.load(built)
    assert not persist.difference(register, loaded)
    assert loaded.reforms == build.HISTORY


def test_every_build_step_is_an_audited_change(built):
    log = changes(built)
    assert [c.kind for c in log[:3]] == ["import", "import", "reform"]
    assert all(c.actor == "tester" and c.reason for c in log)
    assert log[2].detail == {"reform": "establishment-2022"}


def test_the_register_as_recorded_after_any_change(built):
    establishment = next(c for c in changes(built) if c.detail == {"reform": "establishment-2022"})
    then = persist.load(built, as_of_change=establishment.change_id)
    assert then.reforms == ("establishment-2022",)
    assert len(then.areas_on(date(2026, 4, 1), "icb")) == 42  # the mergers were not yet recorded
    assert then.organisation("QNQ").valid_to is None


def test_superseded_versions_are_kept_not_overwritten(built):
    versions = built.fetchall(
        "SELECT valid_to, retracted_in FROM register_organisation WHERE org_id = 'QNQ'"
        " ORDER BY recorded_in"
    )
    assert versions[0][0] is None and versions[0][1] is not None  # open-ended, superseded
    assert str(versions[-1][0]) == "2026-04-01" and versions[-1][1] is None


def test_a_write_that_fails_leaves_the_store_as_it_was(built, register):
    before = built.scalar("SELECT count(*) FROM change_log")
    rows = built.scalar("SELECT count(*) FROM register_assignment")
    area = register.governed_area("QYG", date(2026, 6, 1))
    clash = Assignment("x", "gp-it", area.area_id, "Y62", "local-arrangement", date(2026, 6, 1))
    with pytest.raises(InvariantError):
        after = register.with_changes(Changeset(added=[clash]))
        persist.save(built, register, after, kind="edit", reason="should not land")
    broken = register.with_changes(Changeset())
    broken.records["assignment"]["bad"] = Assignment(
        "bad",
        "gp-it",
        area.area_id,
        "Y62",
        None,
        date(2026, 6, 1),  # type: ignore[arg-type]
    )
    with pytest.raises((duckdb.Error, psycopg.Error)):  # NOT NULL basis: refused mid-save
        persist.save(built, register, broken, kind="edit", reason="half a write")
    assert built.scalar("SELECT count(*) FROM change_log") == before
    assert built.scalar("SELECT count(*) FROM register_assignment") == rows
