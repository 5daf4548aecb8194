"""A persisted, versioned snapshot of the built register, so a command does not rebuild it.

Loading the register from the store means reading ~45,000 records and building them in
Python; applying a reform on top for a what-if takes longer. A snapshot is the register
pickled once, in the workspace folder, under a key made of everything that could change it:
the store, the audit log's latest change (every write to the store appends one), the
``--as-of-change`` asked for, the reforms applied on top (by their file's content), the
icsatlas version and this format's version. A different key is a different file, so a stale
snapshot is never read; old files are pruned. Snapshots are a cache: deleting the folder is
always safe.

Each kind of record (and each extra, such as the resolver's name index) is pickled as its own
segment and unpickled only when first asked for, so a question about one ICB does not pay
for 28,000 practice relationships.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from icsatlas import __version__
from icsatlas.register.model import RECORD_TYPES, Record
from icsatlas.register.register import Register

FORMAT = 2
KEEP = 12  # snapshot files kept per workspace folder
_HEADER = struct.Struct("<Q")


def key(*parts: object) -> str:
    """A short, stable digest of the parts that identify one register."""
    text = "\x1f".join(map(str, (FORMAT, __version__, *parts)))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass
class Snapshot:
    """A register, and extras computed from it once (e.g. the resolver's indexes)."""

    register: Register
    extras: Mapping[str, Any] = field(default_factory=dict)


def cached(
    folder: Path,
    digest: str,
    make: Callable[[], Register],
    extras: Callable[[Register], dict[str, Any]] | None = None,
) -> Snapshot:
    """The snapshot stored under ``digest`` in ``folder``, else one made and stored there
    (with ``extras(register)``: named values computed once and loaded one by one)."""
    path = folder / f"register-{digest}.pickle"
    found = _read(path)
    if found is not None:
        return found
    register = make()
    made = extras(register) if extras else {}
    _write(folder, path, register, made)
    return Snapshot(register, made)


class _Segments(Mapping[str, Any]):
    """Named pickled segments of a file's body, each unpickled on first use."""

    def __init__(self, blob: memoryview, offsets: dict[str, tuple[int, int]]) -> None:
        self._blob = blob
        self._offsets = offsets
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            start, length = self._offsets[name]
            self._loaded[name] = pickle.loads(self._blob[start : start + length])  # noqa: S301 - our own cache file in the workspace folder, never user input
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)


class _Subset(Mapping[str, Any]):
    """The segments whose names start with ``prefix``, under their names without it."""

    def __init__(self, segments: _Segments, prefix: str) -> None:
        self._segments = segments
        self._prefix = prefix
        self._names = [n[len(prefix) :] for n in segments if n.startswith(prefix)]

    def __getitem__(self, name: str) -> Any:
        return self._segments[self._prefix + name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _read(path: Path) -> Snapshot | None:
    try:
        blob = path.read_bytes()
        (size,) = _HEADER.unpack_from(blob)
        header = pickle.loads(blob[_HEADER.size : _HEADER.size + size])  # noqa: S301 - our own cache file in the workspace folder, never user input
        if header.get("format") != FORMAT:
            return None
        body = memoryview(blob)[_HEADER.size + size :]
        segments = _Segments(body, header["segments"])
    except (OSError, EOFError, struct.error, pickle.UnpicklingError, KeyError, TypeError):
        return None  # missing, half-written by a killed process, or from older code
    os.utime(path)
    records: Mapping[str, dict[str, Record]] = _Subset(segments, "kind:")
    register = Register(records=records, reforms=header["reforms"])
    return Snapshot(register, _Subset(segments, "extra:"))


def _write(folder: Path, path: Path, register: Register, extras: Mapping[str, Any]) -> None:
    """Write atomically (a temporary file renamed into place), then prune old snapshots."""
    parts = {f"kind:{t.kind}": register.records[t.kind] for t in RECORD_TYPES}
    parts |= {f"extra:{name}": value for name, value in extras.items()}
    body, offsets, at = [], {}, 0
    for name, value in parts.items():
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        body.append(data)
        offsets[name] = (at, len(data))
        at += len(data)
    header = pickle.dumps({"format": FORMAT, "reforms": register.reforms, "segments": offsets})
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False, suffix=".tmp") as file:
            file.write(_HEADER.pack(len(header)) + header + b"".join(body))
        os.replace(file.name, path)
    except OSError:
        return  # a read-only workspace still answers, just without the cache
    _prune(folder)


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("register-*.pickle"), key=_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
    for leftover in folder.glob("*.tmp"):  # left by a process killed while writing
        if _mtime(leftover) < time.time() - 3600:
            leftover.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
