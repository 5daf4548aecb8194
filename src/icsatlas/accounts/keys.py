"""The server key: the secret under which tokens are hashed and cookies signed.

It is 32 random bytes in ``server.key`` in the workspace folder, created on first use with
permissions 0600 (readable by the account that runs icsatlas only). A key readable by others
is refused. Losing it invalidates every token and session (people sign in again; API clients
get new tokens); nothing else depends on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from icsatlas.errors import IcsatlasError

FILE = "server.key"


def server_key(home: Path) -> bytes:
    """The key in ``home``, created (0600) if there is none yet."""
    path = home / FILE
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise IcsatlasError(
            f"{path} may be read by other users (mode {mode:o}): `chmod 600 {path}`"
        )
    key = bytes.fromhex(path.read_text().strip())
    if len(key) < 32:
        raise IcsatlasError(f"{path} is not an icsatlas server key (too short)")
    return key


def _create(path: Path) -> None:
    """Write the key to a private temporary file and link it into place (so two processes
    starting together agree on one key, and nobody reads a half-written one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, path)
    finally:
        temporary.unlink()


def digest(key: bytes, text: str) -> str:
    """HMAC-SHA256 of ``text`` under the key, as hex."""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    """Compared in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
