"""The audit log's latest change on PostgreSQL, asked for by every request (web/watch.py):
each answer comes from a query begun after it was asked for, and requests that arrive
together share queries."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest

from icsatlas import store as store_module
from icsatlas.store import Store
from icsatlas.store.audit import record_change
from icsatlas.web.watch import ChangeWatch

pytestmark = pytest.mark.postgres


@pytest.fixture
def logged(postgres_url: str) -> Iterator[tuple[Store, str]]:
    """A migrated PostgreSQL schema of its own, and a URL whose search path is it."""
    schema = f"watch_{uuid.uuid4().hex[:10]}"
    store = store_module.connect(postgres_url, schema=schema)
    url = f"{postgres_url}{'&' if '?' in postgres_url else '?'}options=-csearch_path%3D{schema}"
    try:
        yield store, url
    finally:
        store.execute(f"DROP SCHEMA {schema} CASCADE")
        store.close()


def change(store: Store) -> int:
    with store.transaction():
        return record_change(store, kind="test", reason="a test", actor="test").change_id


def test_a_change_committed_before_the_question_is_in_the_answer(logged):
    store, url = logged
    watch = ChangeWatch(url)

    async def asked() -> list[int]:
        seen = [await watch.latest()]
        for _ in range(3):
            change(store)
            seen.append(await watch.latest())
        return seen

    first, *after = asyncio.run(asked())
    assert after == [first + 1, first + 2, first + 3]


def test_questions_asked_together_share_queries(logged, monkeypatch):
    _, url = logged
    watch, queries = ChangeWatch(url), []
    query = watch._query

    async def counted() -> int:
        queries.append(1)
        return await query()

    monkeypatch.setattr(watch, "_query", counted)

    async def together() -> list[int]:
        return await asyncio.gather(*(watch.latest() for _ in range(50)))

    answers = asyncio.run(together())
    assert answers == [answers[0]] * 50
    assert len(queries) == 2  # the first, and one for all that arrived while it ran
