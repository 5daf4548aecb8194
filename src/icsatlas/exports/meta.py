"""What every download says about itself: title, sources and their dates, licence, reform,
parameters, the data release, and the notes a reader must see.

The same :class:`About` goes into each format's own place for it: a CSVW sidecar beside a
CSV, a "Provenance" sheet in a workbook, the ``provenance`` of a JSON document, the schema
metadata of a Parquet file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from icsatlas.results import Result

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0; "
    "source: Office for National Statistics, NHS England, MHCLG (icsatlas sources lists each)"
)


@dataclass(frozen=True)
class About:
    """A download's provenance, flat enough for a spreadsheet row or a Parquet key."""

    title: str
    provenance: dict[str, Any]
    notes: tuple[str, ...] = ()
    release: str | None = None
    created: str = field(default_factory=lambda: date.today().isoformat())
    sources: tuple[str, ...] = ()
    licence: str = OGL

    @classmethod
    def of(
        cls, result: Result, release: str | None = None, provenance: dict[str, Any] | None = None
    ) -> About:
        """``result``'s provenance (or ``provenance``, e.g. with server paths removed)."""
        provenance = provenance if provenance is not None else result.provenance.to_dict()
        return cls(
            title=result.title,
            provenance=provenance,
            notes=result.notes,
            release=release,
            sources=tuple(_citations(provenance.get("data", {}))),
        )

    def rows(self) -> list[tuple[str, str]]:
        """``(field, value)`` pairs, in reading order (the workbook's Provenance sheet)."""
        shown = [("title", self.title), ("created", self.created)]
        shown += [("release", self.release)] if self.release else []
        shown += [(f"data: {k}", str(v)) for k, v in self.provenance.get("data", {}).items()]
        shown += [
            (k, ", ".join(map(str, v)) if isinstance(v, list) else str(v))
            for k, v in self.provenance.items()
            if k not in ("data", "notes")
        ]
        shown += [("provenance note", n) for n in self.provenance.get("notes", [])]
        shown += [("source", s) for s in self.sources]
        shown += [("licence", self.licence), ("attribution", ATTRIBUTION)]
        shown += [("note", n) for n in self.notes]
        return shown

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the Result's provenance plus release, date, sources and licence."""
        return {
            **self.provenance,
            "release": self.release,
            "created": self.created,
            "sources": list(self.sources),
            "licence": self.licence,
            "attribution": ATTRIBUTION,
        }


def left_out(result: Result) -> list[str]:
    """What a one-table format (CSV, Parquet) cannot hold: the answer's further tables."""
    if not result.sections:
        return []
    titles = "; ".join(s.title for s in result.sections if s.title)
    return [
        f"this answer has {len(result.sections)} more tables ({titles}), not in this file: "
        "download it as XLSX (a sheet each) or JSON"
    ]


def _citations(data: dict[str, Any]) -> list[str]:
    """Full citations (publisher, title, date, licence) of the shipped sources used."""
    from icsatlas import data as shipped

    known = shipped.sources()
    return [known[k].cite() for k in data if k in known]
