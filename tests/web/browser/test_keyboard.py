"""Keyboard-only use (WCAG 2.1.1, 2.4.1, 2.4.7): the skip link comes first and moves focus to
the main content; every link, button and field is reached by Tab and shows that it has focus;
the search works without a mouse."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image, ImageChops
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.browser.conftest import ON_DUCKDB

# What a keyboard can reach: the HTML elements that take focus (and SVG links: the maps).
FOCUSABLE = """
return [...document.querySelectorAll(
  'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, '
  + 'textarea, [tabindex]:not([tabindex="-1"])')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');
"""
# An element's box in the page (CSS px from the top left of the document).
RECT = """
const r = arguments[0].getBoundingClientRect();
return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY];
"""
HALO = 8  # px around an element where a focus indicator may be drawn (outline, box-shadow)
pytestmark = ON_DUCKDB


def tab(page, times: int = 1) -> WebElement:
    for _ in range(times):
        ActionChains(page).send_keys(Keys.TAB).perform()
    return page.switch_to.active_element


def test_the_skip_link_is_the_first_stop_and_goes_to_the_main_content(server, page):
    page.get(f"{server}/icb/QWO")
    first = tab(page)
    assert first.get_attribute("class") == "nhsuk-skip-link"
    assert first.text == "Skip to main content"
    assert first.is_displayed(), "the skip link shows itself when it has focus"
    first.send_keys(Keys.ENTER)
    assert page.switch_to.active_element.get_attribute("id") == "maincontent"
    after = tab(page)
    main = page.find_element(By.ID, "maincontent")
    assert page.execute_script("return arguments[0].contains(arguments[1])", main, after)


@pytest.mark.parametrize("address", ["/", "/icb/QWO", "/search?q=Surey", "/who"])
def test_tab_reaches_everything_and_shows_where_it_is(server, page, address):
    page.get(server + address)
    expected = page.execute_script(FOCUSABLE)
    reached: list[WebElement] = []
    unmarked: list[str] = []
    for _ in range(2 * len(expected) + 10):
        element = tab(page)
        if element.tag_name == "body" or (reached and element == reached[0]):
            break  # past the last stop
        if reached and element == reached[-1]:
            continue  # the next part of the same field (a date's day, month, year)
        reached.append(element)
        if not _shows_focus(page, element):
            unmarked.append(element.get_attribute("outerHTML")[:120])
    missed = [e.get_attribute("outerHTML")[:120] for e in expected if e not in reached]
    assert missed == [], f"not reached by Tab on {address}: {missed}"
    assert unmarked == [], f"no visible focus on {address}: {unmarked}"


def test_the_search_works_from_the_keyboard(server, page):
    page.get(f"{server}/")
    for _ in range(40):
        if tab(page).get_attribute("id") == "q":
            break
    else:
        pytest.fail("the search field is not reached by Tab")
    ActionChains(page).send_keys("Surrey County Council").perform()
    button = tab(page)
    assert button.text == "Search"
    button.send_keys(Keys.ENTER)
    WebDriverWait(page, 10).until(lambda p: p.current_url != f"{server}/")
    assert page.current_url == f"{server}/council/E10000030"
    assert page.find_element(By.TAG_NAME, "h1").text == "Surrey"


def _shows_focus(page, element: WebElement) -> bool:
    """Whether the element and the few pixels around it look different with focus."""
    focused = _around(page, element)
    page.execute_script("arguments[0].blur()", element)
    blurred = _around(page, element)
    page.execute_script("arguments[0].focus()", element)
    return ImageChops.difference(focused, blurred).getbbox() is not None


def _around(page, element: WebElement) -> Image.Image:
    left, top, right, bottom = page.execute_script(RECT, element)
    clip = {
        "x": max(left - HALO, 0),
        "y": max(top - HALO, 0),
        "width": right - left + 2 * HALO,
        "height": bottom - top + 2 * HALO,
        "scale": 1,
    }
    shot = page.execute_cdp_cmd("Page.captureScreenshot", {"clip": clip})
    return Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")
