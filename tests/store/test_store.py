"""The store layer behaves the same on DuckDB and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from icsatlas.store import connect, migrate
from icsatlas.store.audit import changes, record_change
from icsatlas.store.migrate import available


def test_migrations_are_recorded_once(store):
    versions = [v for (v,) in store.fetchall("SELECT version FROM schema_migrations")]
    assert sorted(versions) == [m.version for m in available()]
    assert migrate(store) == []


def test_a_failed_transaction_leaves_nothing_behind(store):
    store.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    with pytest.raises(RuntimeError), store.transaction():
        store.execute("INSERT INTO t VALUES (?, ?)", (1, "kept only if committed"))
        raise RuntimeError("import failed half-way")
    assert store.scalar("SELECT count(*) FROM t") == 0


def test_nested_transactions_join_the_outer_one(store):
    store.execute("CREATE TABLE t (id INTEGER)")
    with pytest.raises(ValueError), store.transaction():
        with store.transaction():
            store.execute("INSERT INTO t VALUES (?)", (1,))
        raise ValueError
    assert store.scalar("SELECT count(*) FROM t") == 0


def test_bulk_insert_round_trips_types_and_nulls(store):
    store.execute("CREATE TABLE t (code TEXT, n BIGINT, x DOUBLE PRECISION, d DATE)")
    frame = pd.DataFrame(
        {
            "code": ["QNQ", None],
            "n": [63_237_908, 0],
            "x": [1.5, float("nan")],
            "d": pd.to_datetime(["2026-04-01", None]).date,
        }
    )
    store.insert_df("t", frame)
    rows = store.fetchall("SELECT code, n, x, d FROM t ORDER BY n DESC")
    assert rows[0][:3] == ("QNQ", 63_237_908, 1.5)
    assert str(rows[0][3]) == "2026-04-01"
    assert rows[1] == (None, 0, None, None)


def test_placeholders_and_percent_signs_are_safe(store):
    store.execute("CREATE TABLE t (label TEXT)")
    store.execute("INSERT INTO t VALUES (?)", ("50% cut",))
    assert store.scalar("SELECT label FROM t WHERE label LIKE '50%'") == "50% cut"
    assert store.scalar("SELECT count(*) FROM t WHERE label = ?", ("50% cut",)) == 1


def test_audit_log_appends_with_ids_in_order(store):
    with store.transaction():
        first = record_change(store, kind="import", reason="first", actor="tester")
        second = record_change(store, kind="edit", reason="second", detail={"n": 1})
    log = changes(store)
    assert [c.change_id for c in log] == [first.change_id, second.change_id]
    assert second.change_id > first.change_id
    assert log[1].detail == {"n": 1}


def test_default_store_lives_in_the_workspace(workspace):
    with connect() as store:
        assert store.dialect == "duckdb"
    assert (workspace / "icsatlas.duckdb").exists()


def test_unknown_url_is_a_clear_error():
    with pytest.raises(ValueError, match="unsupported database URL"):
        connect("mysql://nope")
