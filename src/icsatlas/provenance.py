"""Where a figure came from: data sources, reform, parameters, seed, engine, timing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Provenance:
    """What produced a result. Every result the interfaces show carries one."""

    data: dict[str, str] = field(default_factory=dict)
    reform: str | None = None
    parameters: str | None = None
    seed: int | None = None
    engine: str | None = None
    elapsed_s: float | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, {}, ())}

    def merged(self, other: Provenance) -> Provenance:
        """Both provenances' data and notes; other's scalar fields win where set."""
        scalars = {
            k: getattr(other, k) if getattr(other, k) is not None else getattr(self, k)
            for k in ("reform", "parameters", "seed", "engine", "elapsed_s")
        }
        notes = tuple(dict.fromkeys(self.notes + other.notes))
        return Provenance(data={**self.data, **other.data}, notes=notes, **scalars)
