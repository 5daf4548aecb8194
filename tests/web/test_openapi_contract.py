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

import icsatlas
from icsatlas.web import api, state
from icsatlas.web.app import create_app
from tests.web.auth_helpers import add_account, copy_home, log
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


def conforms(
    operation, mode: GenerationMode, examples: int, headers: dict[str, str] | None = None
) -> None:
    """Generated requests for ``operation`` all get answers the document allows."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        case.call_and_validate(timeout=60, headers=headers)

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


# -- with credentials (issue 12): the write routes, as a narrow editor, an admin, and no one -----
WRITE_OPERATIONS = sorted(
    {(r.path, "POST") for r in api.writes.routes if isinstance(r, APIRoute)} - WITH_MAIL
)
WRITE_EXAMPLES = 8  # per operation and mode: the three runs take 20 s (idle) to 65 s (busy)
REFUSED = ["400", "403", "404", "413", "414", "415", "422"]


def signed_in_config(who: str) -> dict:
    """Signed in, a valid request is saved or refused for what it says (never 401);
    signed out, every write is refused with 401."""
    also = ["401"] if who == "anonymous" else []
    return {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", *REFUSED, *also]},
            "negative_data_rejection": {"expected-statuses": [*REFUSED, *also]},
        },
        "cache": {"enabled": False},
    }


@pytest.fixture(scope="module")
def signed_in(web_home, web_url, tmp_path_factory):
    """A workspace of its own with an editor of QWO's board only and an administrator."""
    home = copy_home(web_home, tmp_path_factory.mktemp("contract-signed-in"))
    url = f"duckdb:///{home / 'icsatlas.duckdb'}"
    tokens = {
        "editor": add_account(url, home, "nadia", "editor", ["board:QWO"]),
        "admin": add_account(url, home, "root", "admin", []),
    }
    yield {"app": create_app(url, home), "url": url, "home": home, "tokens": tokens}
    state.configure(web_url, web_home)  # the other web tests' workspace again


@pytest.mark.parametrize("who", ["anonymous", "editor", "admin"])
def test_writes_with_and_without_credentials_stay_in_scope(signed_in, who):
    before = len(log(signed_in["url"], signed_in["home"]))
    token = signed_in["tokens"].get(who)
    headers = {"authorization": f"Bearer {token}"} if token else {}
    config = schemathesis.config.SchemathesisConfig.from_dict(signed_in_config(who))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", signed_in["app"], config=config)
    for path, method in WRITE_OPERATIONS:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            conforms(schema[path][method], mode, WRITE_EXAMPLES, headers)
    written = log(signed_in["url"], signed_in["home"])[before:]
    if who == "anonymous":
        assert written == []  # no write at all without credentials
    elif who == "editor":  # only QWO's board, and only through its route
        assert {c.actor for c in written} <= {"nadia"}
        assert all(c.source.startswith("POST /api/v1/areas/QWO/board ") for c in written)
        assert boards_written(signed_in, written) <= {"QWO"}
    assert {c.actor for c in written} <= {"nadia", "root"}


def boards_written(signed_in: dict, written: list) -> set[str]:
    """The boards that members were recorded on in these changes."""
    ids = [c.change_id for c in written] or [-1]
    with icsatlas.open(signed_in["url"], home=signed_in["home"], read_only=True) as ws:
        rows = ws.store.fetchall(
            "SELECT DISTINCT board_id FROM register_board_member"
            f" WHERE recorded_in IN ({', '.join('?' * len(ids))})",
            ids,
        )
    return {board.removeprefix("icp:") for (board,) in rows}
