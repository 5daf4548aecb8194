"""Answers a report asks for again and again, kept per workspace: a server reports on one
area after another from the same workspace, and every ICB's money on a date, or the
Blueprint's what-if of the register, is the same for each of them. Kept only while the
workspace lives (a changed register means a new workspace) and for a bounded number of keys.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from icsatlas.workspace import Workspace

T = TypeVar("T")
LIMIT = 64
_kept: WeakKeyDictionary[Workspace, dict[Hashable, Any]] = WeakKeyDictionary()


def kept(ws: Workspace, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per workspace and ``key`` (the oldest key forgotten past LIMIT)."""
    answers = _kept.setdefault(ws, {})
    if key not in answers:
        if len(answers) >= LIMIT:
            answers.pop(next(iter(answers)))
        answers[key] = compute()
    return answers[key]


def with_reform(ws: Workspace, reform: str) -> Workspace:
    """``ws.with_reforms(reform)``, made once per workspace."""
    return kept(ws, ("reform", reform), lambda: ws.with_reforms(reform))
