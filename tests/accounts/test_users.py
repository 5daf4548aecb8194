"""Accounts in the store: hashed passwords, keyed token digests, expiry, revocation,
lock-out and scopes, on DuckDB and PostgreSQL."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest

from icsatlas.accounts import keys, users
from icsatlas.accounts.scopes import Forbidden, Principal, Scope, Unauthenticated, parse_all
from icsatlas.errors import InputError
from icsatlas.store.audit import changes, verify
from icsatlas.store.base import Store

PASSWORD = "correct horse battery"
KEY = bytes(range(32))
QWO = (Scope("board", "QWO"),)


@pytest.fixture
def amira(store: Store) -> users.User:
    return users.add(store, "Amira@example.org", "editor", QWO, PASSWORD, actor="admin")


def test_a_password_is_kept_as_an_argon2id_hash_not_the_text(store: Store, amira: users.User):
    stored = store.scalar("SELECT password_hash FROM account_user WHERE name = ?", (amira.name,))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert users.sign_in(store, "AMIRA@example.org", PASSWORD).name == "amira@example.org"


def test_adding_an_account_is_audited_without_its_secret(store: Store, amira: users.User):
    (entry,) = [c for c in changes(store) if c.kind == "accounts"]
    assert entry.actor == "admin" and "amira@example.org" in entry.reason
    assert PASSWORD not in repr(entry)
    assert verify(store).intact


def test_an_editor_needs_a_scope_and_a_long_enough_password(store: Store):
    with pytest.raises(InputError, match="at least one scope"):
        users.add(store, "bo", "editor", (), PASSWORD)
    with pytest.raises(InputError, match="at least 12 characters"):
        users.add(store, "bo", "editor", QWO, "short")
    with pytest.raises(InputError, match="already an account"):
        users.add(store, "bo", "admin", (), PASSWORD)
        users.add(store, "BO", "admin", (), PASSWORD)


def test_a_token_is_stored_as_its_keyed_digest_only(store: Store, amira: users.User):
    text, token = users.create_token(store, KEY, amira.name, days=30)
    (digest,) = store.fetchone(
        "SELECT digest FROM account_token WHERE token_id = ?", (token.token_id,)
    )
    assert digest == keys.digest(KEY, text) and text not in digest
    assert users.authenticate(store, KEY, text) == Principal(
        amira.name, "editor", QWO, token.token_id
    )
    with pytest.raises(Unauthenticated, match="unknown token"):
        users.authenticate(store, bytes(32), text)  # another server's key


def test_an_expired_token_is_refused(store: Store, amira: users.User):
    text, token = users.create_token(store, KEY, amira.name, days=1)
    past = users.now() - timedelta(seconds=1)
    store.execute(
        "UPDATE account_token SET expires_at = ? WHERE token_id = ?", (past, token.token_id)
    )
    with pytest.raises(Unauthenticated, match="expired"):
        users.authenticate(store, KEY, text)


def test_a_revoked_token_and_a_disabled_accounts_tokens_are_refused(
    store: Store, amira: users.User
):
    first, token = users.create_token(store, KEY, amira.name)
    second, _ = users.create_token(store, KEY, amira.name)
    users.revoke_token(store, token.token_id)
    with pytest.raises(Unauthenticated, match="revoked"):
        users.authenticate(store, KEY, first)
    users.disable(store, amira.name)
    with pytest.raises(Unauthenticated, match="revoked"):
        users.authenticate(store, KEY, second)
    with pytest.raises(Unauthenticated, match="disabled"):
        users.sign_in(store, amira.name, PASSWORD)


def test_a_token_cannot_reach_beyond_its_account(store: Store, amira: users.User):
    with pytest.raises(InputError, match="outside what"):
        users.create_token(store, KEY, amira.name, [Scope("board", "S9B9J")])


def test_wrong_passwords_lock_the_account_with_a_clear_message(store: Store, amira: users.User):
    for _ in range(users.MAX_FAILURES - 1):
        with pytest.raises(Unauthenticated, match="do not match"):
            users.sign_in(store, amira.name, "wrong password!")
    with pytest.raises(users.LockedOut, match=r"locked after 5 wrong passwords.*15 minutes"):
        users.sign_in(store, amira.name, "wrong password!")
    with pytest.raises(users.LockedOut):  # even the right password, until the lock ends
        users.sign_in(store, amira.name, PASSWORD)


def test_an_unknown_name_gets_the_same_message_as_a_wrong_password(store: Store):
    with pytest.raises(Unauthenticated, match="do not match an account"):
        users.sign_in(store, "nobody", PASSWORD)


@pytest.mark.parametrize(
    ("held", "domain", "area", "allowed"),
    [
        ("board:QWO", "board", "QWO", True),
        ("board:QWO", "board", "S9B9J", False),
        ("board:QWO", "contracts", "QWO", False),
        ("contracts:*", "contracts", "S9B9J", True),
        ("*:QWO", "finance", "QWO", True),
        ("*:QWO", "board", "QHM", False),
    ],
)
def test_an_editor_may_change_what_a_scope_covers(held, domain, area, allowed):
    editor = Principal("e", "editor", parse_all([held]))
    assert editor.may(domain, area) is allowed


def test_a_viewer_may_change_nothing_and_an_admin_anything():
    assert not Principal("v", "viewer").may("board", "QWO")
    assert Principal("a", "admin").may("contracts", "S9B9J")
    with pytest.raises(Forbidden, match="may not change board of S9B9J"):
        Principal("e", "editor", QWO).require("board", "S9B9J")


@pytest.mark.parametrize("text", ["boards:QWO", "board:qwo!", "*:*"])
def test_a_scope_that_names_nothing_is_refused(text):
    with pytest.raises(InputError):
        Scope.parse(text)


def test_the_server_key_is_created_private_and_kept(tmp_path: Path):
    key = keys.server_key(tmp_path)
    assert stat.S_IMODE((tmp_path / keys.FILE).stat().st_mode) == 0o600
    assert keys.server_key(tmp_path) == key and len(key) == 32
    (tmp_path / keys.FILE).chmod(0o644)
    with pytest.raises(Exception, match="chmod 600"):
        keys.server_key(tmp_path)
