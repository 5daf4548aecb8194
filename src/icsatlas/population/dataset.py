"""A population on disk: Parquet files partitioned by ICB plus a manifest saying what made it.

Layout: ``$ICSATLAS_HOME/population/<name>/icb_code=<ODS>/<part>.parquet`` and
``manifest.json``. Writers build the whole dataset in a hidden temporary directory next to
it and rename it into place at the end, so a failed run or a rejected import leaves nothing.
A writer holds a lock on its directory while it lives (the system releases it when the
process dies, even by SIGKILL), so the next write deletes the directories of killed writers
and leaves those of writers still running.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icsatlas import config
from icsatlas.errors import InputError, NotFoundError
from icsatlas.store import journal
from icsatlas.store.base import Store
from icsatlas.store.journal import folder_locked

DEFAULT_NAME = "england"
ENGLAND_SUB_ICBS = 106  # sub-ICB locations in England from 1 July 2022
MANIFEST = "manifest.json"
PARTITION = "icb_code"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class Dataset:
    """A stored population and its manifest."""

    name: str
    path: Path
    manifest: dict[str, Any]

    @property
    def files(self) -> list[Path]:
        return sorted(self.path.glob(f"{PARTITION}=*/*.parquet"))

    @property
    def glob(self) -> str:
        """A glob matching every data file (for engines that read Parquet directly)."""
        return str(self.path / f"{PARTITION}=*" / "*.parquet")

    @property
    def rows(self) -> int:
        return int(self.manifest.get("rows", 0))

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind", "synthetic"))

    @property
    def sub_icbs(self) -> list[str]:
        """The sub-ICB locations (August 2026 codes) this population holds people of."""
        return list(self.manifest.get("sub_icbs") or [])

    @property
    def covers_england(self) -> bool:
        """Whether it holds every one of England's 106 sub-ICB locations."""
        return len(set(self.sub_icbs)) >= ENGLAND_SUB_ICBS

    @property
    def fraction(self) -> float:
        """The share of the people of the areas held that it holds (1 for an extract)."""
        return float(self.manifest.get("fraction") or 1.0)

    @property
    def is_partial(self) -> bool:
        """Whether it holds less than everyone in England (some areas, or a sample)."""
        return not self.covers_england or self.fraction < 1

    @property
    def coverage(self) -> str:
        """What it holds, e.g. 'a 10% sample of England', 'a 1% sample of 1 ICB (QOC)'."""
        icbs = sorted(self.manifest.get("rows_by_icb") or {})
        where = (
            "England"
            if self.covers_england
            else f"{len(icbs)} ICB{'s' if len(icbs) != 1 else ''} ({', '.join(icbs)})"
        )
        if self.fraction < 1:
            return f"a {100 * self.fraction:g}% sample of {where}"
        return f"everyone in {where}" if self.kind == "synthetic" else f"an extract of {where}"

    @property
    def label(self) -> str:
        """The name with what it covers: 'england (a 10% sample of England)'."""
        return f"{self.name} ({self.coverage})"

    @property
    def extract_date(self) -> str:
        return str(self.manifest["extract_date"])


def root(folder: Path | None = None) -> Path:
    """Where populations are stored: ``folder``, else ``population/`` in the workspace folder
    (``$ICSATLAS_HOME``)."""
    return folder or config.home() / "population"


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(
            "a population name is 1-63 lower-case letters, digits, '-' or '_'", field="name"
        )
    return name


def open_dataset(name: str = DEFAULT_NAME, folder: Path | None = None) -> Dataset:
    """The stored population called ``name`` (in ``folder``, default :func:`root`)."""
    path = root(folder) / check_name(name)
    manifest = path / MANIFEST
    if not manifest.exists():
        available = ", ".join(d.name for d in list_datasets(folder)) or "none yet"
        raise NotFoundError(
            f"no population named {name!r} (available: {available}); "
            "create one with `icsatlas population generate` or `icsatlas population import`"
        )
    return Dataset(name, path, json.loads(manifest.read_text()))


def list_datasets(folder: Path | None = None) -> list[Dataset]:
    """The stored populations: folders with a manifest, not the hidden ones a write is
    building (``.NAME.*.tmp``) or has moved aside (``.NAME.*.old``)."""
    base = root(folder)
    if not base.exists():
        return []
    return [
        Dataset(manifest.parent.name, manifest.parent, json.loads(manifest.read_text()))
        for manifest in sorted(base.glob(f"*/{MANIFEST}"))
        if not manifest.parent.name.startswith(".")
    ]


def check_free(name: str, *, replace: bool = False, folder: Path | None = None) -> Path:
    """Where dataset ``name`` will go; refuses a name already taken unless ``replace``."""
    final = root(folder) / check_name(name)
    if final.exists() and not replace:
        raise InputError(
            f"a population named {name!r} already exists; pass --replace to overwrite it",
            field="name",
        )
    return final


@contextmanager
def writing(
    name: str,
    *,
    replace: bool = False,
    store: Store | None = None,
    reason: str = "",
    folder: Path | None = None,
    actor: str | None = None,
    source: str | None = None,
) -> Iterator[Path]:
    """A temporary directory to build dataset ``name`` in. When the block ends without
    error, the dataset is recorded in ``store`` (if given, with an audit-log entry) and
    renamed into place in one transaction; otherwise the directory is deleted and the store
    is untouched. Refuses to overwrite unless ``replace``."""
    final = check_free(name, replace=replace, folder=folder)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary, owned = _building(final.parent, name, store, replace=replace)
    try:
        yield temporary
        manifest_file = temporary / MANIFEST
        if not manifest_file.exists():
            raise RuntimeError("a dataset must be written with its manifest")
        if store is None:
            _swap(temporary, final)
            _discard_replaced(temporary)
        else:
            _record_and_swap(store, temporary, final, reason=reason, actor=actor, source=source)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
        os.close(owned)


def _record_and_swap(
    store: Store,
    temporary: Path,
    final: Path,
    *,
    reason: str,
    actor: str | None,
    source: str | None,
) -> None:
    """Record the dataset in ``store`` and put it in place, in the store's transaction, with
    a :class:`~icsatlas.store.journal.Journal` so a kill before the commit is undone."""
    from icsatlas.population import registry

    if store.in_transaction:  # its commit would not be this write's to judge
        raise RuntimeError("a population is recorded in a transaction of its own")
    manifest = json.loads((temporary / MANIFEST).read_text())
    note: journal.Journal | None = None
    committing = False
    try:
        with store.transaction():
            change = registry.record(
                store, final.name, str(final), manifest, reason=reason, actor=actor, source=source
            )
            with folder_locked(final.parent):
                note = journal.Journal(temporary, store, str(change.entry_hash))
            _swap(temporary, final)
            committing = True
    except BaseException:
        if note is not None:
            _undo(note, store, temporary, final, committing=committing)
        raise
    _discard_replaced(temporary)
    if note is not None:
        note.close()


def _undo(
    note: journal.Journal, store: Store, temporary: Path, final: Path, *, committing: bool
) -> None:
    """After a failed write: the folder back to what the store says, by what is in it (an
    interruption may come half-way through the swap). A commit that raised may still have
    committed (a lost connection); if the store cannot say, the note is kept for the next
    process that opens it."""
    settled = False
    try:
        committed = journal.outcome(store, note) if committing else False
        if committed is False:
            journal.put_back(temporary, final)
        elif committed:
            _discard_replaced(temporary)
        settled = committed is not None
    finally:
        note.close(settled=settled)


def _building(base: Path, name: str, store: Store | None, *, replace: bool) -> tuple[Path, int]:
    """A new hidden directory to build ``name`` in, and the open descriptor that holds its
    lock. Under the folder's lock, so another writer clearing leftovers never sees the
    directory before it is locked; ``name`` is checked free again once swaps a killed writer
    left are settled (one may have put a population back)."""
    with folder_locked(base):
        if store is not None:
            journal.recover(base, store)
            check_free(name, replace=replace, folder=base)
        _clear_leftovers(base)
        temporary = base / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
        temporary.mkdir()
        owned = os.open(temporary, os.O_RDONLY)
        fcntl.flock(owned, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return temporary, owned


def _clear_leftovers(base: Path) -> None:
    """Delete half-built populations left by processes killed while writing: a building
    directory nobody holds the lock of, and a dataset moved aside for a swap more than an
    hour ago (a swap running now in another process is left alone), except those a swap's
    note names, which only its store can settle."""
    noted = journal.pending(base)
    for leftover in base.glob(".*.tmp"):
        if leftover.name.removesuffix(".tmp") not in noted and _abandoned(leftover):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in base.glob(".*.old"):
        if leftover.name.removesuffix(".old") in noted:
            continue
        try:
            if leftover.stat().st_mtime < time.time() - 3600:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue


def _abandoned(directory: Path) -> bool:
    """Whether no living process holds ``directory``'s lock."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(handle)
    return True


def _swap(temporary: Path, final: Path) -> None:
    """Put ``temporary`` at ``final``; an existing dataset is moved aside (to be deleted by
    :func:`_discard_replaced` once the store has committed the change) under the building
    directory's name, so a swap's note names both."""
    old = journal.aside(temporary)
    if final.exists():
        final.rename(old)
    try:
        temporary.rename(final)
    except OSError:
        if old.exists():
            old.rename(final)
        raise


def _discard_replaced(temporary: Path) -> None:
    """Delete the dataset a committed swap from ``temporary`` replaced, if there was one."""
    shutil.rmtree(journal.aside(temporary), ignore_errors=True)


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")


def partition_dir(directory: Path, icb_code: str) -> Path:
    path = directory / f"{PARTITION}={icb_code}"
    path.mkdir(exist_ok=True)
    return path


def remove(name: str, folder: Path | None = None) -> None:
    dataset = open_dataset(name, folder)
    shutil.rmtree(dataset.path)
