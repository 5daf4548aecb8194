"""Notes of directory swaps a store's transaction decides (a stored population), so a writer
killed between putting a directory in place and its store's commit is undone, or finished, by
the next process that opens the store.

A writer builds ``.NAME.ID.tmp`` in a folder, then, inside the store's transaction, writes
``.NAME.ID.swap`` (its audit-log entry's hash and which store), moves the directory it
replaces to ``.NAME.ID.old`` and the new one to ``NAME``. The note goes once the commit is
done and the old directory deleted. A note nobody holds the lock of belonged to a killed
writer: if its entry is in the store the change was committed and only the old directory is
deleted; otherwise the folder is put back as the store says it is.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from icsatlas.store.base import Store

SUFFIX = ".swap"
FOLDER_LOCK = ".lock"  # held while a writer makes, notes or clears directories in the folder


@contextmanager
def folder_locked(base: Path) -> Iterator[None]:
    """Hold ``base``'s lock."""
    with (base / FOLDER_LOCK).open("a") as folder:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield


class Journal:
    """The note of one swap, locked by this process while it lives."""

    def __init__(self, temporary: Path, store: Store, entry_hash: str) -> None:
        self.path = temporary.with_suffix(SUFFIX)
        self.old = temporary.with_suffix(".old")
        self._handle = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        fcntl.flock(self._handle, fcntl.LOCK_EX)
        note = {"entry_hash": entry_hash, "store": _identity(store)}
        os.write(self._handle, json.dumps(note).encode())
        os.fsync(self._handle)

    def close(self) -> None:
        """The swap is settled (committed and the old dataset deleted, or undone)."""
        with suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._handle)


def pending(base: Path) -> set[str]:
    """The ``.NAME.ID`` stems of the swaps noted in ``base`` (their ``.tmp`` and ``.old``
    directories are not leftovers to clear)."""
    return {note.name.removesuffix(SUFFIX) for note in base.glob(f".*{SUFFIX}")}


def recover_folder(base: Path, store: Store) -> None:
    """Settle the swaps in ``base`` of writers to ``store`` that were killed before they
    finished; a folder without notes is only looked at."""
    if base.is_dir() and any(base.glob(f".*{SUFFIX}")):
        with folder_locked(base):
            recover(base, store)


def recover(base: Path, store: Store) -> None:
    """Settle every swap in ``base`` whose writer died, by what ``store`` committed. Call it
    holding the folder's lock; a note of another store is left for that store."""
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
    temporary, old = base / f"{stem}.tmp", base / f"{stem}.old"
    final = base / stem.rsplit(".", 1)[0].removeprefix(".")
    try:
        noted = json.loads(text)
    except ValueError:  # killed while writing the note: nothing was moved yet
        note.unlink()
        return
    if noted.get("store") != _identity(store):
        return
    if not _committed(store, str(noted.get("entry_hash"))):
        _put_back(temporary, final, old)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(temporary, ignore_errors=True)
    note.unlink()


def _put_back(temporary: Path, final: Path, old: Path) -> None:
    """The folder as before the swap: a new dataset already at ``final`` goes back to
    ``temporary`` (the swap moves it from there last), the old one back to ``final``."""
    if not temporary.exists() and final.exists():
        final.rename(temporary)
    if old.exists() and not final.exists():
        old.rename(final)


def _committed(store: Store, entry_hash: str) -> bool:
    found = store.scalar("SELECT count(*) FROM change_log WHERE entry_hash = ?", (entry_hash,))
    return bool(found)


def _abandoned(note: Path) -> int | None:
    """An open, locked handle on ``note`` if no living process holds it, else None."""
    try:
        handle = os.open(note, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        return None
    return handle


def _identity(store: Store) -> str:
    """Which store a note belongs to, without writing its URL (and any password) to disk."""
    where = f"{store.url}|{getattr(store, 'schema', None) or ''}"
    return hashlib.sha256(where.encode()).hexdigest()[:16]
