"""The persisted register snapshot: read back exactly, never stale, safe to lose."""

from __future__ import annotations

import pytest

from icsatlas.register import snapshot
from icsatlas.register.register import Register


@pytest.fixture(scope="module")
def built(register) -> Register:
    return register


def test_a_snapshot_gives_back_the_same_records_kind_by_kind(tmp_path, built):
    made = snapshot.cached(tmp_path, "k1", lambda: built, lambda r: {"n": len(r.areas)})
    assert made.register is built
    again = snapshot.cached(tmp_path, "k1", lambda: pytest.fail("not rebuilt"), None)
    assert dict(again.register.areas) == dict(built.areas)
    assert again.register.reforms == built.reforms
    assert again.extras["n"] == len(built.areas)


def test_a_damaged_snapshot_is_rebuilt_not_read(tmp_path, built):
    snapshot.cached(tmp_path, "k2", lambda: built)
    path = tmp_path / "register-k2.pickle"
    path.write_bytes(path.read_bytes()[:100])  # a process killed while writing
    rebuilt = snapshot.cached(tmp_path, "k2", lambda: built)
    assert rebuilt.register is built


def test_keys_differ_with_what_identifies_a_register():
    assert snapshot.key("db", 10, None) != snapshot.key("db", 11, None)
    assert snapshot.key("db", 10, None) != snapshot.key("db", 10, 5)
    assert snapshot.key("db", 10, None) == snapshot.key("db", 10, None)


def test_old_snapshots_are_pruned(tmp_path, built):
    tiny = Register()
    for i in range(snapshot.KEEP + 3):
        snapshot.cached(tmp_path, f"p{i}", lambda: tiny)
    assert len(list(tmp_path.glob("register-*.pickle"))) == snapshot.KEEP
    assert not list(tmp_path.glob("*.tmp"))
