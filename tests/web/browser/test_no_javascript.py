"""Issue 10 and the project's standards: "everything works without JavaScript". With scripts
turned off in Chromium, the home page, the search, an area page and the "who do I go to?"
answer are all there and the search form still takes a reader to the right page."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.browser.conftest import ON_DUCKDB

pytestmark = ON_DUCKDB
SCRIPTED = "data:text/html,<title>off</title><script>document.title = 'on'</script>"


@pytest.fixture
def plain(browser_without_javascript):
    browser_without_javascript.get(SCRIPTED)
    assert browser_without_javascript.title == "off", "scripts are not turned off"
    return browser_without_javascript


def search(page, server: str, text: str) -> None:
    page.get(f"{server}/")
    page.find_element(By.ID, "q").send_keys(text)
    page.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    WebDriverWait(page, 10).until(lambda p: p.current_url != f"{server}/")


def test_the_home_page_shows_its_map_and_its_table(server, plain):
    plain.get(f"{server}/")
    assert plain.find_element(By.TAG_NAME, "h1").text == "Who runs the NHS where you live"
    assert plain.find_element(By.CSS_SELECTOR, "svg.icsatlas-map").is_displayed()
    rows = plain.find_elements(By.CSS_SELECTOR, ".app-figure__table tbody tr")
    assert len(rows) == 36  # the ICBs from 1 April 2026 (42 less the 2026 mergers)


@pytest.mark.parametrize(
    ("typed", "lands_on", "heading"),
    [
        ("Surrey County Council", "/council/E10000030", "Surrey"),
        ("B86001", "/practice/B86001", "Dr N Saddiq's Practice"),
        ("LS1", "/postcode/LS1", "LS1"),
    ],
)
def test_the_search_takes_a_reader_to_the_page(server, plain, typed, lands_on, heading):
    search(plain, server, typed)
    assert plain.current_url == server + lands_on
    assert plain.find_element(By.TAG_NAME, "h1").text == heading


def test_a_search_with_no_match_offers_the_nearest_names(server, plain):
    search(plain, server, "Surey")
    assert "/search?q=Surey" in plain.current_url
    assert plain.find_elements(By.PARTIAL_LINK_TEXT, "Surrey")


def test_an_area_page_shows_who_holds_each_function(server, plain):
    plain.get(f"{server}/icb/QWO")
    assert plain.find_element(By.TAG_NAME, "h1").text.startswith("NHS West Yorkshire")
    assert plain.find_elements(By.CSS_SELECTOR, "main table tbody tr")


def test_the_who_form_answers(server, plain):
    plain.get(f"{server}/who")
    plain.find_element(By.ID, "function").send_keys("continuing healthcare")
    plain.find_element(By.ID, "area").send_keys("Leeds")
    plain.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(plain, 10).until(lambda p: "area=Leeds" in p.current_url)
    answer = plain.find_element(By.CSS_SELECTOR, "main h2").text
    assert "NHS Continuing Healthcare" in answer, answer
    assert plain.find_elements(By.CSS_SELECTOR, "main .nhsuk-summary-list")


def test_a_question_in_the_search_is_answered(server, plain):
    search(plain, server, "who do I go to for continuing healthcare in Leeds")
    assert "/who?" in plain.current_url
    assert plain.find_elements(By.CSS_SELECTOR, "main .nhsuk-summary-list")
