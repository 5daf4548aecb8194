"""The open API keeps the promises of its OpenAPI document (issue 10, "contract testing").

schemathesis generates requests from ``/api/v1/openapi.json`` for every operation - valid
ones (positive) and ones that break the document's rules (negative) - sends them to the
application in this process, and checks every answer: no server error (an exception is
raised, not turned into a 500), the status code and content type documented, the body
valid against the documented schema, invalid requests refused and valid ones not. It runs
once more, with fewer examples, against ``icsatlas serve`` on PostgreSQL over HTTP.

A valid request may still be refused with 400 (a date that does not exist, such as
``2026-02-30``, or a cursor the API never gave out) or 404 (a well-formed name that matches
nothing): JSON Schema cannot say which calendar dates exist or which areas are in the
register, so those two count as accepting a valid request. A request that breaks the
rules may be refused with 414 when it is also over the URL limit.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from icsatlas.web import api
from icsatlas.web.app import create_app
from tests.web.routes import parameters

pytestmark = pytest.mark.slow

EXAMPLES = 25  # per operation and mode: ~30 s in all on this machine
LIVE_EXAMPLES = 10
API_ROUTES = [r for r in [*api.router.routes, *api.writes.routes] if isinstance(r, APIRoute)]
OPERATIONS = sorted(
    (r.path, method) for r in API_ROUTES for method in r.methods if method in ("GET", "POST")
)
# Asking for email needs a mail server to answer anything but 503: its contract is checked
# with one, in tests/web/test_subscriptions_contract.py.
WITH_MAIL = {("/api/v1/subscriptions", "POST")}
# (path, method, mode): a request can break the document's rules only where it has parameters
CASES = [
    (path, method, mode)
    for path, method in sorted(set(OPERATIONS) - WITH_MAIL)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE
    or any(parameters(r) for r in API_ROUTES if r.path == path and method in r.methods)
]
# The contract runs signed out: a write (POST) is then refused with 401, whatever its body.
CONFIG = {
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "404"]},
        "negative_data_rejection": {"expected-statuses": ["400", "401", "404", "414", "422"]},
    },
    "cache": {"enabled": False},
}


@pytest.fixture(scope="module")
def api_schema(web_url, web_home):
    app = create_app(web_url, web_home)
    config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)


@pytest.fixture(scope="module")
def live_schemas():
    return {}


CASES_IDS = [f"{path}-{method}-{mode}" for path, method, mode in CASES]


@pytest.mark.parametrize(("path", "method", "mode"), CASES, ids=CASES_IDS)
def test_every_answer_conforms_to_the_document(api_schema, path, method, mode):
    conforms(api_schema[path][method], mode, EXAMPLES)


@pytest.mark.postgres
@pytest.mark.parametrize("server", ["postgresql"], indirect=True)
@pytest.mark.parametrize(("path", "method", "mode"), CASES, ids=CASES_IDS)
def test_the_server_on_postgresql_conforms_too(server, live_schemas, path, method, mode):
    if server not in live_schemas:
        config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
        live_schemas[server] = schemathesis.openapi.from_url(
            f"{server}/api/v1/openapi.json", config=config
        )
    conforms(live_schemas[server][path][method], mode, LIVE_EXAMPLES)


def conforms(operation, mode: GenerationMode, examples: int) -> None:
    """Generated requests for ``operation`` all get answers the document allows."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        case.call_and_validate(timeout=60)

    check()


def test_every_refusal_is_documented_as_a_problem(api_schema):
    # RFC 9457: a refusal is application/problem+json, and the document says so
    document = api_schema.raw_schema
    for path, method in OPERATIONS:
        responses = document["paths"][path][method.lower()]["responses"]
        refusals = {s: r for s, r in responses.items() if s.startswith("4")}
        assert set(refusals) >= {"414", "422"}, path
        for response in refusals.values():
            assert list(response["content"]) == ["application/problem+json"], path


def test_optional_parameters_are_never_null(api_schema):
    # a query parameter is left out or has a value: "null" is not a value a URL can carry
    for path, method in OPERATIONS:
        operation = api_schema.raw_schema["paths"][path][method.lower()]
        for parameter in operation.get("parameters", []):
            assert "anyOf" not in parameter["schema"], (path, parameter["name"])
