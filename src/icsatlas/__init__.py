"""icsatlas: England's NHS Integrated Care Systems as software.

The Python API starts from :func:`open`, which opens (and on first use builds) the
workspace; every question returns a :class:`~icsatlas.results.Result`::

    import icsatlas
    ws = icsatlas.open()
    ws.register.who("continuing healthcare", area="Leeds", on="2026-06-01")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from icsatlas.errors import IcsatlasError, InputError

if TYPE_CHECKING:
    from icsatlas.workspace import Workspace

__version__ = "0.1.0"


def open(*args: Any, **kwargs: Any) -> Workspace:
    """Open a workspace: see :func:`icsatlas.workspace.open`."""
    from icsatlas.workspace import open as open_workspace

    return open_workspace(*args, **kwargs)


__all__ = ["IcsatlasError", "InputError", "__version__", "open"]
