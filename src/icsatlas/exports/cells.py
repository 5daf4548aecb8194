"""Cells a spreadsheet will not run: text that starts like a formula is written as text.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so an imported supplier name such as ``=cmd|' /C calc'!A0`` could run
on a reader's machine (issue 12, defect 4). Following OWASP's CSV injection advice, such
text gets a leading apostrophe; numbers (``-5``) stay numbers.
"""

from __future__ import annotations

from typing import Any

from icsatlas.results import plain

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``text``, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def safe(value: Any) -> Any:
    """A plain value (see :func:`icsatlas.results.plain`) with its text made safe."""
    value = plain(value)
    return safe_text(value) if isinstance(value, str) else value
