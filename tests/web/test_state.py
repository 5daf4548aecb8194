"""The server's workspace and release, cursors, and reform names (in this process)."""

from __future__ import annotations

import pytest

import icsatlas
from icsatlas.errors import IcsatlasError, NotFoundError
from icsatlas.web import state


@pytest.fixture
def elsewhere():
    """A test that points the process at a workspace of its own puts the shared one back
    afterwards (the session's app_client answers from it)."""
    url, home = state.settings.url, state.settings.home
    yield
    state.configure(url, home)


def test_release_names_version_change_and_parameters(app_client):
    ws = state.workspace()
    version, change, digest = state.release().rsplit(".", 2)
    assert version == icsatlas.__version__
    assert int(change) == state.audit_change(ws.store)
    assert len(digest) == 8


def test_the_workspace_is_opened_once_and_read_only(app_client):
    assert state.workspace() is state.workspace()
    assert state.workspace()._shared.read_only


def test_the_workspace_is_rechecked_and_kept_when_nothing_changed(app_client):
    opened = state.workspace()
    state.look()
    assert state.workspace() is opened


def test_shipped_reforms_only():
    assert state.shipped_reforms(["blueprint-2025"]) == ("blueprint-2025",)
    with pytest.raises(NotFoundError, match="shipped reforms only"):
        state.shipped_reforms(["tests/fixtures/merge-2027.yaml"])


@pytest.mark.parametrize("offset", [0, 1, 40, 123456])
def test_cursors_round_trip(offset):
    assert state._offset(state._cursor(offset)) == offset


@pytest.mark.parametrize("cursor", ["!!!", "bm9wZQ", "b-1", "é"])
def test_a_cursor_not_given_out_is_refused(cursor):
    with pytest.raises(IcsatlasError, match="not one this API gave out"):
        state._offset(cursor)


def test_an_unbuilt_store_is_refused_read_only(tmp_path, elsewhere):
    state.configure(f"duckdb:///{tmp_path / 'none.duckdb'}", tmp_path)
    with pytest.raises(IcsatlasError, match="run `icsatlas build` first"):
        state.workspace()


def test_a_change_written_by_another_process_is_seen(tmp_path, elsewhere):
    """The server does not hold the DuckDB file: a command can record a change while it runs,
    and the next request (which looks first) is answered from the new register."""
    url = f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
    built = icsatlas.open(url, home=tmp_path)
    assert built.latest_change  # builds the register
    built.close()
    state.configure(url, tmp_path)
    before = state.release()
    writer = icsatlas.open(url, home=tmp_path)
    writer.register.apply_reform("blueprint-2025", reason="a test")
    writer.close()
    state.look()
    after = state.release()
    assert after != before
    assert int(after.split(".")[-2]) == int(before.split(".")[-2]) + 1
    assert "blueprint-2025" in state.workspace().data.reforms
