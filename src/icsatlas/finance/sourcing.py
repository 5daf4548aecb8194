"""The provenance of a finance result: its data sources and the parameters it was given."""

from __future__ import annotations

from typing import Any

from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance


def provenance(
    params: ParameterSet,
    data: dict[str, str] | None = None,
    notes: tuple[str, ...] = (),
    **extra: Any,
) -> Provenance:
    """Provenance carrying ``params.fingerprint``, and which parameters were overridden."""
    if params.overrides:
        notes = (*notes, f"Parameters: {params.describe()}.")
    return Provenance(data=data or {}, parameters=params.fingerprint, notes=notes, **extra)
