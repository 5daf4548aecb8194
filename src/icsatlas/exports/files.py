"""Files written whole or not at all: into a temporary file beside the target, then renamed
over it, so a reader (or a crash) never sees half a download."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from icsatlas.errors import InputError


def write_atomic(path: Path, content: bytes, force: bool = False) -> Path:
    """Write ``content`` to ``path`` (refused if it exists, unless ``force``)."""
    if path.exists() and not force:
        raise InputError(f"{path}: already exists (use --force to replace it)", field="--out")
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such folder", field="--out")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would have made it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def sidecar(path: Path) -> Path:
    """Where CSVW tools look for a CSV's metadata: ``<name>-metadata.json`` beside it."""
    return path.with_name(f"{path.name}-metadata.json")
