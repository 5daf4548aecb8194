"""Credentials never leave the process: one function that hides them in any text."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@\s]*@")
_KEYWORD = re.compile(r"(?i)\b(password|passwd|pwd)\s*=\s*('[^']*'|\"[^\"]*\"|[^\s;&]+)")


def credentials(text: str) -> str:
    """``text`` with any password in a URL or a ``password=...`` setting replaced by ``***``
    (``postgresql://ann:secret@db/x`` -> ``postgresql://ann:***@db/x``)."""
    hidden = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _KEYWORD.sub(lambda m: f"{m[1]}=***", hidden)
