"""Notes of directory swaps a store's transaction decides (a stored population), so a writer
killed between putting a directory in place and its store's commit is undone, or finished, by
the next process that opens the store to write.

A writer builds ``.NAME.ID.tmp`` in a folder, then, inside the store's transaction, writes
``.NAME.ID.swap`` (its audit-log entry's hash and which store), moves the directory it
replaces to ``.NAME.ID.old`` and the new one to ``NAME``. Once the commit is done the old
directory goes, then the note. A note nobody holds the lock of belonged to a writer that died
or whose commit failed: if its entry is in the store the change was committed and only the
old directory is deleted; otherwise the folder is put back as the store says it is.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from icsatlas.store.audit import LOG_LOCK
from icsatlas.store.base import Store

SUFFIX = ".swap"
FOLDER_LOCK = ".lock"  # held while a writer makes, notes or clears directories in the folder
LOG_WAIT = 5.0  # seconds a settler waits for a writer's transaction on PostgreSQL to end


@contextmanager
def folder_locked(base: Path) -> Iterator[None]:
    """Hold ``base``'s lock."""
    with (base / FOLDER_LOCK).open("a") as folder:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield


class Journal:
    """The note of one swap, locked by this process while it lives. Make it holding the
    folder's lock, inside the store's transaction."""

    def __init__(self, temporary: Path, store: Store, entry_hash: str) -> None:
        self.path = temporary.with_suffix(SUFFIX)
        self.entry_hash = entry_hash
        text = json.dumps({"entry_hash": entry_hash, "store": identity(store)}).encode()
        self._handle = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX)
            os.write(self._handle, text)
            os.fsync(self._handle)
        except BaseException:
            self.close()
            raise

    def close(self, *, settled: bool = True) -> None:
        """Let the note go: deleted when the swap is ``settled`` (committed, or undone); kept,
        unlocked, for the store to decide when the commit's outcome is unknown."""
        if settled:
            self.path.unlink(missing_ok=True)
        os.close(self._handle)


def outcome(store: Store, note: Journal) -> bool | None:
    """After its commit raised: whether ``note``'s change was committed, or None if the store
    cannot say now (the connection is gone, say: the next process to open it decides)."""
    try:
        return _committed(store, note.entry_hash)
    except Exception:  # a store that cannot answer now: a later opener asks again
        return None


def identity(store: Store) -> str:
    """The store's random name, written once by its migrations (not its URL, which holds a
    password and may be spelt several ways)."""
    return str(store.scalar("SELECT id FROM store_identity"))


def pending(base: Path) -> set[str]:
    """The ``.NAME.ID`` stems of the swaps noted in ``base`` (their ``.tmp`` and ``.old``
    directories are not leftovers to clear)."""
    return {note.name.removesuffix(SUFFIX) for note in base.glob(f".*{SUFFIX}")}


def recover_folder(base: Path, store: Store) -> None:
    """Settle the swaps in ``base`` of writers to ``store`` that did not finish; a folder
    without notes is only looked at."""
    if base.is_dir() and pending(base):
        with folder_locked(base):
            recover(base, store)


def recover(base: Path, store: Store) -> None:
    """Settle every swap in ``base`` whose writer is gone, by what ``store`` committed. Call
    it holding the folder's lock. A note of another store is left for that store, and one
    whose transaction may still be committing (PostgreSQL) for a later opener."""
    for note in sorted(base.glob(f".*{SUFFIX}")):
        handle = _abandoned(note)
        if handle is None:
            continue
        try:
            _settle(note, base, store, os.read(handle, 4096))
        finally:
            os.close(handle)


def _settle(note: Path, base: Path, store: Store, text: bytes) -> None:
    stem = note.name.removesuffix(SUFFIX)
    temporary = base / f"{stem}.tmp"
    final = base / stem.rsplit(".", 1)[0].removeprefix(".")
    try:
        noted = json.loads(text)
    except ValueError:  # cut short while being written: nothing was moved yet
        note.unlink()
        return
    if noted.get("store") != identity(store):
        return
    committed = _committed(store, str(noted.get("entry_hash")))
    if committed is None:
        return
    if not committed:
        put_back(temporary, final)
    note.unlink()  # before deleting anything: what is left then is a plain leftover
    shutil.rmtree(aside(temporary), ignore_errors=True)
    shutil.rmtree(temporary, ignore_errors=True)


def aside(temporary: Path) -> Path:
    """Where a swap from ``.NAME.ID.tmp`` moves the directory it replaces: ``.NAME.ID.old``."""
    return temporary.with_suffix(".old")


def put_back(temporary: Path, final: Path) -> None:
    """The folder as before a swap that did not commit, by what is in it: a new directory
    already at ``final`` goes back to ``temporary`` (the swap moves it from there last), the
    one it replaced back from ``.NAME.ID.old`` to ``final``."""
    old = aside(temporary)
    if not temporary.exists() and final.exists():
        final.rename(temporary)
    if old.exists() and not final.exists():
        old.rename(final)


def _committed(store: Store, entry_hash: str) -> bool | None:
    """Whether the audit-log entry is in the store; None if, on PostgreSQL, a transaction
    writing the log (perhaps the dead writer's own, still committing) outlasts
    :data:`LOG_WAIT`."""
    sql = "SELECT count(*) FROM change_log WHERE entry_hash = ?"
    if store.dialect != "postgresql":
        return bool(store.scalar(sql, (entry_hash,)))
    with store.transaction():
        deadline = time.monotonic() + LOG_WAIT
        while not store.scalar(f"SELECT pg_try_advisory_xact_lock({LOG_LOCK})"):
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)
        return bool(store.scalar(sql, (entry_hash,)))


def _abandoned(note: Path) -> int | None:
    """An open, locked handle on ``note`` if no living process holds it and it is still in
    the folder (a writer deletes its note before letting go of the lock), else None."""
    try:
        handle = os.open(note, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        return None
    if os.fstat(handle).st_nlink == 0:
        os.close(handle)
        return None
    return handle
