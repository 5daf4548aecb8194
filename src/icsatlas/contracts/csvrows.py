"""Reading user CSV files row by row, collecting every bad cell as ``file:row: field:``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from icsatlas.errors import InputError, InputErrors


class Rows:
    """The rows of one CSV file; cell parsers record errors instead of raising at once."""

    def __init__(self, path: str | Path, required: tuple[str, ...], known: tuple[str, ...] = ()):
        self.file = str(path)
        self.errors: list[InputError] = []
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise InputError(f"cannot read file: {error.strerror}", file=self.file) from None
        except UnicodeDecodeError:
            raise InputError("not a UTF-8 text file", file=self.file) from None
        reader = csv.DictReader(text.splitlines())
        columns = [c.strip() for c in reader.fieldnames or []]
        missing = [c for c in required if c not in columns]
        if missing:
            raise InputError(f"missing column(s): {', '.join(missing)}", file=self.file, row=1)
        unknown = [c for c in columns if known and c not in (*required, *known)]
        if unknown:
            allowed = ", ".join((*required, *known))
            raise InputError(
                f"unknown column(s) {', '.join(unknown)}; allowed: {allowed}", file=self.file, row=1
            )
        self._rows = [
            (number, {k.strip(): (v or "").strip() for k, v in row.items() if k})
            for number, row in enumerate(reader, start=2)
        ]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def error(self, row: int, field: str, message: str) -> None:
        self.errors.append(InputError(message, file=self.file, row=row, field=field))

    def parse(self, row: int, field: str, text: str, parser: Callable[[str], Any], what: str):
        """``parser(text)`` or ``None`` for an empty cell; a failure is recorded."""
        if not text:
            return None
        try:
            return parser(text)
        except ValueError:
            self.error(row, field, f"not {what}: {text!r}")
            return None

    def date(self, row: int, field: str, text: str) -> date | None:
        return self.parse(row, field, text, date.fromisoformat, "a date (YYYY-MM-DD)")

    def number(self, row: int, field: str, text: str) -> float | None:
        return self.parse(row, field, text.replace(",", "").replace("£", ""), float, "a number")

    def require(self, row: int, field: str, text: str) -> str:
        if not text:
            self.error(row, field, "required")
        return text

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)
