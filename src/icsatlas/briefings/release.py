"""The data release a briefing names in its footer: the same ``VERSION.CHANGE.PARAMETERS``
as the portal (``icsatlas.web.state.release``), so a printed page and the page it was printed
from can be matched."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from icsatlas import __version__

if TYPE_CHECKING:
    from icsatlas.workspace import Workspace


def release(ws: Workspace) -> str:
    digest = hashlib.sha256(ws.params.fingerprint.encode()).hexdigest()[:8]
    return f"{__version__}.{ws.latest_change}.{digest}"
