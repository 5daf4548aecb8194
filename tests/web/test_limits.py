"""Rate limits (web/limits.py): the setting, which requests count, and the counts on each
engine (over HTTP, across workers: test_scale_out.py)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from icsatlas import store as store_module
from icsatlas.errors import IcsatlasError
from icsatlas.web import limits


def test_the_setting_overrides_the_named_buckets_only():
    chosen = limits.rules("write=5/10, login=1/600")
    assert chosen == {**limits.DEFAULTS, "write": limits.Rule(5, 10), "login": limits.Rule(1, 600)}
    assert limits.rules(None) == limits.DEFAULTS


@pytest.mark.parametrize("text", ["write=5", "reads=5/10", "write=x/10", "write=0/10", "search"])
def test_a_bad_setting_is_refused_saying_the_form(text):
    with pytest.raises(
        IcsatlasError, match=r"ICSATLAS_RATE_LIMITS: .* BUCKET=COUNT/SECONDS|at least 1"
    ):
        limits.rules(text)


@pytest.mark.parametrize(
    ("method", "path", "bucket"),
    [
        ("POST", "/api/v1/areas/QWO/board", "write"),
        ("DELETE", "/anything/at/all", "write"),
        ("POST", "/icb/QWO/board-members", "write"),
        ("POST", "/logout", "write"),
        ("POST", "/login", "login"),
        ("POST", "/subscribe", "subscribe"),
        ("POST", "/api/v1/subscriptions", "subscribe"),
        ("POST", "/unsubscribe/abc.def", "write"),
        ("GET", "/login", None),
        ("GET", "/search", "search"),
        ("GET", "/api/v1/where", "search"),
        ("HEAD", "/api/v1/where", "search"),
        ("GET", "/icb/QWO", None),
        ("OPTIONS", "/api/v1/areas/QWO/board", None),
    ],
)
def test_which_requests_count(method, path, bucket):
    assert limits.bucket(method, path) == bucket


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def limiter(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        found = limits.Limiter(
            f"duckdb:///{tmp_path / 'x.duckdb'}", tmp_path, limits.rules("write=3/3600")
        )
        yield found
        found.close()
        return
    base = request.getfixturevalue("postgres_url")
    schema = f"limits_{uuid.uuid4().hex[:10]}"
    store_module.connect(base, schema=schema, upgrade=False).close()
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    found = limits.Limiter(url, tmp_path, limits.rules("write=3/3600"))
    try:
        yield found
    finally:
        found.close()
        with store_module.connect(base, upgrade=False) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def test_a_client_is_refused_after_its_allowance_and_others_are_not(limiter):
    for _ in range(3):
        limiter.check("write", "192.0.2.1")
    with pytest.raises(limits.TooMany, match="too many changes from this address") as refused:
        limiter.check("write", "192.0.2.1")
    assert 0 < refused.value.retry_after <= 3600
    limiter.check("write", "192.0.2.2")  # another address
    limiter.check("search", "192.0.2.1")  # another bucket


def test_a_second_limiter_on_the_same_store_shares_the_counts(limiter):
    """As a second worker process does."""
    other = limits.Limiter(limiter.url, limiter.home, limiter.rules)
    try:
        limiter.check("write", "192.0.2.9")
        other.check("write", "192.0.2.9")
        limiter.check("write", "192.0.2.9")
        with pytest.raises(limits.TooMany):
            other.check("write", "192.0.2.9")
    finally:
        other.close()
