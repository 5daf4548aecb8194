"""Writing a briefing to a file: never over an existing file unless asked, and atomically
(a temporary file in the same folder, renamed into place), so a reader never sees half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from icsatlas.errors import IcsatlasError


def atomic(path: Path, content: bytes, *, force: bool = False) -> Path:
    """Write ``content`` to ``path``; refuse an existing ``path`` unless ``force``."""
    if path.exists() and not force:
        raise IcsatlasError(f"{path} exists: choose another --out, or add --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
