"""The one rule for every file icsatlas writes where a user asked (``--out``, ``--export``,
``--chart``, ...): a file that exists is refused unless forced, a folder that does not exist
is refused (never created on the quiet), a folder given as the file is refused, and the
content goes into a temporary file beside the target that is then renamed over it, so a
reader (or a crash) never sees half a file and an error leaves no temporary behind.

Errors are :class:`~icsatlas.errors.InputError` naming the option and the path.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from icsatlas.errors import InputError


class Output(NamedTuple):
    """A file to write: where, what, and the option that named it (for error messages)."""

    path: Path
    content: bytes
    option: str = "--out"


def check_target(path: Path, force: bool = False, option: str = "--out") -> None:
    """Refuse ``path`` before anything is computed or written: a folder, an existing file
    (unless ``force``), or a file in a folder that does not exist."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name", field=option)
    if (path.exists() or path.is_symlink()) and not force:
        raise InputError(f"{path}: already exists (add --force to replace it)", field=option)
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such folder (create it first)", field=option)


def write_atomic(path: Path, content: bytes, force: bool = False, option: str = "--out") -> Path:
    """Write ``content`` to ``path`` whole or not at all, by the rule above."""
    check_target(path, force, option)
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


def write_outputs(outputs: Iterable[Output], force: bool = False) -> list[Path]:
    """Write files that belong together (tables and their provenance, a chart beside them):
    every target is checked before the first is written, and none may be named twice."""
    planned = list(outputs)
    seen: set[Path] = set()
    for output in planned:
        check_target(output.path, force, output.option)
        if output.path.resolve() in seen:
            message = f"{output.path}: named twice; give each file its own name"
            raise InputError(message, field=output.option)
        seen.add(output.path.resolve())
    return [write_atomic(o.path, o.content, force, o.option) for o in planned]


def output_folder(folder: Path, option: str = "--out") -> Path:
    """The folder a command's job is to fill with files (``briefing --all``, ``contracts kpi
    --charts``): made if missing, but only it - its parent must exist - and never a file."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a folder", field=option)
    if not folder.parent.is_dir():
        raise InputError(f"{folder.parent}: no such folder (create it first)", field=option)
    folder.mkdir(exist_ok=True)
    return folder


def check_targets(paths: Iterable[Path], force: bool = False, option: str = "--out") -> None:
    """Refuse a set of files in one folder before any is written: a folder in a file's
    place, or (unless ``force``) every file that exists, named."""
    paths = list(paths)
    for path in paths:
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a file name", field=option)
    existing = [p for p in paths if p.exists() or p.is_symlink()]
    if force or not existing:
        return
    shown = ", ".join(str(p) for p in existing[:5])
    more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
    one = len(existing) == 1
    message = (
        f"already {'exists' if one else 'exist'} (add --force to replace {'it' if one else 'them'})"
    )
    raise InputError(f"{shown}{more}: {message}", field=option)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def sidecar(path: Path) -> Path:
    """Where CSVW tools look for a CSV's metadata: ``<name>-metadata.json`` beside it."""
    return path.with_name(f"{path.name}-metadata.json")
