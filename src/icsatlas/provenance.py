"""Where a figure came from: data sources, reform, parameters, seed, engine, timing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from icsatlas.redact import credentials


@dataclass(frozen=True)
class Provenance:
    """What produced a result. Every result the interfaces show carries one.

    Text is passed through :func:`icsatlas.redact.credentials` on the way out, so a store
    URL with a password can never reach a table, a JSON document or a web page.
    """

    data: dict[str, str] = field(default_factory=dict)
    reform: str | None = None
    parameters: str | None = None
    seed: int | None = None
    engine: str | None = None
    elapsed_s: float | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {k: _clean(v) for k, v in asdict(self).items() if v not in (None, {}, ())}

    def merged(self, other: Provenance) -> Provenance:
        """Both provenances' data and notes; other's scalar fields win where set."""
        scalars = {
            k: getattr(other, k) if getattr(other, k) is not None else getattr(self, k)
            for k in ("reform", "parameters", "seed", "engine", "elapsed_s")
        }
        notes = tuple(dict.fromkeys(self.notes + other.notes))
        return Provenance(data={**self.data, **other.data}, notes=notes, **scalars)

    def describe(self) -> str:
        """One line: ``reform=...; parameters=...; source: title (date)``."""
        shown = self.to_dict()
        parts = [f"{k}={v}" for k, v in shown.items() if k not in ("data", "notes")]
        parts += [f"{k}: {v}" for k, v in shown.get("data", {}).items()]
        return "; ".join(parts)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return credentials(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
