"""Issue 10: "axe-core ... reports 0 violations on every page template" for WCAG 2.2 AA, on
every page route of the application (read from its routes, so a new page is not missed)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.web.browser.network import exchanges
from tests.web.browser.pages import addresses, application_routes, without_address

# axe-core's tags for the success criteria of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(results => done(results.violations), error => done(String(error)));
"""


def test_every_page_route_has_an_address():
    missing = without_address(application_routes())
    assert not missing, f"give these routes an address in tests/web/browser/pages.py: {missing}"


@pytest.mark.parametrize("address", addresses(application_routes()))
def test_no_page_breaks_a_wcag_22_aa_rule(server, page, axe_script, address):
    page.get(server + address)
    (document, *_) = exchanges(page)
    assert document.mime == "text/html", (address, document)
    assert page.find_elements(By.TAG_NAME, "h1"), f"{address}: no heading, no page"
    page.execute_script(axe_script)
    page.set_script_timeout(60)
    violations = page.execute_async_script(RUN_AXE, WCAG_22_AA)
    assert violations == [], "\n".join(_describe(v) for v in violations)


def _describe(violation: dict) -> str:
    if isinstance(violation, str):
        return violation
    nodes = "; ".join(
        f"{node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5]
    )
    return f"{violation['id']} ({violation['impact']}): {violation['help']} - {nodes}"
