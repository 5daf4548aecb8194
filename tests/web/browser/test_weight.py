"""Issue 10: "first view of any page <= 60 KB gzipped in total (HTML+CSS+JS+SVG), 0
third-party requests (asserted in the browser test from the performance log)"."""

from __future__ import annotations

import pytest

from tests.web.browser.network import cold, exchanges
from tests.web.browser.pages import addresses, application_routes

FIRST_VIEW_BUDGET = 60 * 1024


@pytest.mark.parametrize("address", addresses(application_routes()))
def test_the_first_view_is_light_and_asks_nothing_of_another_site(server, page, address):
    cold(page)
    page.get(server + address)
    loaded = exchanges(page)
    elsewhere = [e.url for e in loaded if e.host not in (None, "127.0.0.1")]
    assert elsewhere == [], f"{address} asked another host for {elsewhere}"
    # a page loads the stylesheet; a printable briefing is one file with its styles inside
    wanted = {"text/html"} if address.startswith("/briefing/") else {"text/html", "text/css"}
    assert {e.mime for e in loaded} >= wanted, loaded
    total = sum(e.transferred for e in loaded)
    assert total <= FIRST_VIEW_BUDGET, "\n".join(f"{e.transferred:7} {e.url}" for e in loaded)
