"""Issue 10: "the browser test saves screenshots of home, an ICB, a council and a practice
page at phone and desktop widths into the test artefacts" (for a person to look at; the
test checks what a machine can: nothing is wider than the screen)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from selenium.webdriver.common.by import By

from tests.web.browser.conftest import ON_DUCKDB

pytestmark = ON_DUCKDB
PAGES = {
    "home": "/",
    "icb-qwo": "/icb/QWO",
    "council-surrey": "/council/E10000030",
    "practice-b86001": "/practice/B86001",
}
WIDTHS = {"phone": 375, "desktop": 1280}
HEIGHT = 900
# What reaches past the right edge of the screen (a table in its scroll box may).
# (A phone's layout viewport grows to fit what overflows it, so the width is given.)
OVERFLOWING = """
return [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.app-table-scroll'))
  .filter(e => e.getBoundingClientRect().right > arguments[0] + 1)
  .map(e => e.outerHTML.slice(0, 100));
"""


@contextmanager
def screen(page, width: int) -> Iterator[None]:
    """Lay pages out for a screen ``width`` CSS px wide (a phone's, below 600)."""
    metrics = {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": width < 600}
    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def screenshot(page) -> bytes:
    """The whole of the page shown, as PNG."""
    width, height = page.execute_script(
        "return [innerWidth, document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = page.execute_cdp_cmd(
        "Page.captureScreenshot", {"clip": clip, "captureBeyondViewport": True}
    )
    return base64.b64decode(shot["data"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_photographed_and_fits_the_screen(server, page, artefacts, name, width):
    path = artefacts / f"{name}-{width}.png"
    with screen(page, WIDTHS[width]):
        page.get(server + PAGES[name])
        path.write_bytes(screenshot(page))
        assert page.find_element(By.TAG_NAME, "h1").is_displayed()
        overflowing = page.execute_script(OVERFLOWING, WIDTHS[width])
    assert overflowing == [], f"wider than a {width} screen: {path}"
