"""What every question returns: a table, where it came from, and what a reader must know.

A :class:`Result` is the one output shape of icsatlas. The CLI prints it, the HTTP API
returns it as JSON (``{"title", "data", "provenance", "notes"}``, with ``sections`` of the
same shape when an answer has several tables), a notebook shows it as HTML, a briefing
lays it out. Register answers are built as light :class:`Table` rows, so a command that
only asks the register never imports pandas; ``result.frame`` gives a DataFrame on demand.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from icsatlas.provenance import Provenance

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Table:
    """Named columns and rows of plain Python values (None for missing)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = ()

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Table:
        return cls(tuple(columns), tuple(tuple(r.get(c) for c in columns) for r in records))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Table:
        clean = frame.astype(object).where(frame.notna(), None)
        return cls(tuple(map(str, frame.columns)), tuple(map(tuple, clean.to_numpy().tolist())))

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def to_pandas(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(self.columns))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records())


class Result:
    """A table plus its provenance, title and notes (caveats a reader must see).

    Built from a :class:`Table` or a pandas DataFrame; ``.table`` and ``.frame`` give
    either view. ``sections`` hold further tables of the same answer (e.g. the Blueprint
    bill's years, ICBs and payback), each a Result of its own.
    """

    def __init__(
        self,
        data: Table | pd.DataFrame,
        provenance: Provenance | None = None,
        title: str = "",
        notes: Iterable[str] = (),
        sections: Iterable[Result] = (),
    ) -> None:
        self._data = data
        self.provenance = provenance or Provenance()
        self.title = title
        self.notes = tuple(notes)
        self.sections = tuple(sections)

    @property
    def table(self) -> Table:
        if not isinstance(self._data, Table):
            self._data = Table.from_frame(self._data)
        return self._data

    @property
    def frame(self) -> pd.DataFrame:
        if isinstance(self._data, Table):
            return self._data.to_pandas()
        return self._data

    @property
    def columns(self) -> tuple[str, ...]:
        return self.table.columns

    def __len__(self) -> int:
        return len(self.table)

    def with_notes(self, *notes: str) -> Result:
        """The same result with more notes (duplicates dropped)."""
        merged = tuple(dict.fromkeys((*self.notes, *notes)))
        return Result(self._data, self.provenance, self.title, merged, self.sections)

    # -- the one JSON shape ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """``{"title", "data", "provenance", "notes"}`` (+ ``"sections"`` of the same shape)."""
        document: dict[str, Any] = {
            "title": self.title,
            "data": [{k: plain(v) for k, v in r.items()} for r in self.table.records()],
            "provenance": self.provenance.to_dict(),
            "notes": list(self.notes),
        }
        if self.sections:
            document["sections"] = [s.to_dict() for s in self.sections]
        return document

    # -- notebooks -----------------------------------------------------------------------
    def _repr_html_(self) -> str:
        return to_html(self)

    def __repr__(self) -> str:
        return f"<Result {self.title!r}: {len(self)} rows x {len(self.columns)} columns>"


def plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, numpy scalars as Python numbers, NaN as None."""
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return str(value)


def to_html(result: Result) -> str:
    """A plain HTML table with its title, notes and sources underneath."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in result.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(display(v))}</td>" for v in row) + "</tr>"
        for row in result.table.rows
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    source = html.escape(result.provenance.describe())
    parts = [
        f"<table><caption>{html.escape(result.title)}</caption>",
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        f"<ul>{notes}</ul>" if notes else "",
        f"<p><small>Source: {source}</small></p>" if source else "",
        *(to_html(s) for s in result.sections),
    ]
    return "".join(parts)


def display(value: Any) -> str:
    """A value as a reader sees it: blanks for missing, thousands separators, yes/no."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


__all__ = ["Result", "Table", "display", "plain", "to_html"]
