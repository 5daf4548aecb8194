"""A table with the provenance that produced it: what query commands return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from icsatlas.provenance import Provenance


@dataclass
class Result:
    """A DataFrame plus where it came from and the caveats a reader must see."""

    frame: pd.DataFrame
    provenance: Provenance = field(default_factory=Provenance)
    title: str = ""
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "data": _records(self.frame),
            "notes": list(self.notes),
            "provenance": self.provenance.to_dict(),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")
