"""``POST /api/v1/subscriptions`` keeps the promises of the OpenAPI document, checked by
schemathesis (as every other operation is in test_openapi_contract.py) against an
application whose email goes to a real SMTP server on loopback, so a valid request can be
accepted. Besides the refusals every operation may give, a valid request may be refused
with 404 (an area or function that matches nothing), 422 (an area JSON Schema cannot tell
is not a body, such as a postcode district) or 429 (the address already has five
confirmations waiting): none of those is in the schema's power to say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from icsatlas.web import state
from icsatlas.web.app import create_app
from tests.notify.mailserver import mail_server
from tests.notify.mailserver import settings as mail_settings
from tests.web.auth_helpers import copy_home

pytestmark = pytest.mark.slow
EXAMPLES = 25
CONFIG = {
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422", "429"]},
        "negative_data_rejection": {"expected-statuses": ["400", "404", "422"]},
    },
    "cache": {"enabled": False},
}


@pytest.fixture(scope="module")
def operation(
    web_home: Path, web_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    home = copy_home(web_home, tmp_path_factory.mktemp("subscriptions-contract"))
    with mail_server() as (_, port), pytest.MonkeyPatch.context() as env:
        for name, value in mail_settings(port).items():
            env.setenv(name, value)
        app = create_app(f"duckdb:///{home / 'icsatlas.duckdb'}", home)
        config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)
        yield schema["/api/v1/subscriptions"]["POST"]
    state.configure(web_url, web_home)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_asking_for_email_conforms_to_the_document(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        case.call_and_validate(timeout=60)

    check()
