"""The audit log is a hash chain: an entry edited, deleted or reordered behind icsatlas's back
is found by ``verify`` (issue 12, defect 3: "the audit log can be edited or deleted without
detection"), on DuckDB and PostgreSQL alike."""

from __future__ import annotations

import threading

import pytest

from icsatlas.store import connect
from icsatlas.store.audit import changes, record_change, seal, verify


def _three_changes(store) -> list[int]:
    with store.transaction():
        ids = [
            record_change(store, kind="import", reason=f"change {n}", detail={"n": n}).change_id
            for n in range(3)
        ]
    return ids


def test_a_log_written_by_icsatlas_verifies(store):
    ids = _three_changes(store)
    found = verify(store)
    assert found.intact and found.entries == 3
    assert found.head == (ids[-1], changes(store)[-1].entry_hash)


def test_each_entry_commits_to_the_one_before(store):
    _three_changes(store)
    log = changes(store)
    assert log[0].prev_hash is None
    assert [c.prev_hash for c in log[1:]] == [c.entry_hash for c in log[:-1]]


def test_an_edited_reason_is_named(store):
    ids = _three_changes(store)
    store.execute("UPDATE change_log SET reason = 'nothing to see' WHERE change_id = ?", (ids[1],))
    assert verify(store).problems == (f"change {ids[1]}: its fields do not match its hash: edited",)


def test_an_edited_actor_or_detail_is_named(store):
    ids = _three_changes(store)
    store.execute("UPDATE change_log SET actor = 'someone else' WHERE change_id = ?", (ids[0],))
    store.execute("UPDATE change_log SET detail = '{\"n\": 9}' WHERE change_id = ?", (ids[2],))
    problems = verify(store).problems
    assert any(p.startswith(f"change {ids[0]}: ") for p in problems)
    assert any(p.startswith(f"change {ids[2]}: ") for p in problems)


def test_a_deleted_entry_is_named_by_the_one_after_it(store):
    ids = _three_changes(store)
    store.execute("DELETE FROM change_log WHERE change_id = ?", (ids[1],))
    assert verify(store).problems == (
        f"change {ids[2]}: does not follow change {ids[0]}: an entry between them was "
        "deleted, or the log was reordered",
    )


def test_deleting_the_first_entry_is_found(store):
    ids = _three_changes(store)
    store.execute("DELETE FROM change_log WHERE change_id = ?", (ids[0],))
    assert verify(store).problems == (
        f"change {ids[1]}: follows an entry no longer in the log: deleted",
    )


def test_entries_removed_from_the_end_are_found_against_a_noted_head(store):
    ids = _three_changes(store)
    head = verify(store).head
    assert head is not None
    store.execute("DELETE FROM change_log WHERE change_id = ?", (ids[2],))
    assert verify(store).intact  # a shorter chain is still whole ...
    assert not verify(store, expect=head[1]).intact  # ... but the noted head is gone


def test_an_entry_inserted_by_hand_is_not_sealed(store):
    ids = _three_changes(store)
    store.execute(
        "INSERT INTO change_log (change_id, recorded_at, actor, kind, reason)"
        " VALUES (?, now(), 'intruder', 'edit', 'quietly')",
        (ids[-1] + 10,),
    )
    problems = verify(store).problems
    assert problems[0] == f"change {ids[-1] + 10}: not sealed (no hash): inserted outside icsatlas"


def test_a_log_from_before_the_chain_is_sealed_in_order(store):
    _three_changes(store)
    store.execute("UPDATE change_log SET prev_hash = NULL, entry_hash = NULL")
    assert not verify(store).intact
    assert seal(store) == 3
    assert verify(store).intact


@pytest.mark.postgres
def test_concurrent_writers_on_postgresql_keep_one_chain(postgres_url):
    """Eight threads, each with its own connection, append at once: the advisory lock makes
    every change follow exactly one other."""
    import uuid

    schema = f"t_{uuid.uuid4().hex[:12]}"
    setup = connect(postgres_url, schema=schema)

    def write(n: int) -> None:
        own = connect(postgres_url, schema=schema)
        for i in range(5):
            with own.transaction():
                record_change(own, kind="edit", reason=f"writer {n} change {i}")
        own.close()

    try:
        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        found = verify(setup)
        assert found.entries == 40
        assert found.intact, found.problems
    finally:
        setup.execute(f"DROP SCHEMA {schema} CASCADE")
        setup.close()
