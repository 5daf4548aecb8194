"""Issue 10: "the browser test saves screenshots of home, an ICB, a council and a practice
page at phone and desktop widths into the test artefacts" (for a person to look at; the
test checks what a machine can: nothing is wider than the screen)."""

from __future__ import annotations

import base64

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
OVERFLOWING = """
return [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.app-table-scroll') && e.getBoundingClientRect().right > innerWidth + 1)
  .map(e => e.outerHTML.slice(0, 100));
"""


def screenshot(page, url: str, width: int) -> bytes:
    """The whole page as PNG, laid out for a screen ``width`` CSS px wide."""
    metrics = {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": width < 600}
    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        page.get(url)
        height = page.execute_script("return document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        shot = page.execute_cdp_cmd(
            "Page.captureScreenshot", {"clip": clip, "captureBeyondViewport": True}
        )
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return base64.b64decode(shot["data"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_is_photographed_and_fits_the_screen(server, page, artefacts, name, width):
    png = screenshot(page, server + PAGES[name], WIDTHS[width])
    path = artefacts / f"{name}-{width}.png"
    path.write_bytes(png)
    assert png.startswith(b"\x89PNG"), path
    assert page.find_element(By.TAG_NAME, "h1").is_displayed()
    assert page.execute_script(OVERFLOWING) == [], f"wider than a {width} screen: {path}"
