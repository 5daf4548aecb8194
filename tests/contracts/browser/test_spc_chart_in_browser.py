"""The interactive SPC chart in a real browser (Debian's Chromium, headless): hovering a point
shows its date, value, limits and special-cause label; the data table reads without a mouse."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pandas as pd
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from icsatlas.contracts.spc import analyse, chart, rule_set
from icsatlas.parameters import ParameterSet

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail(
            "Chromium and chromedriver are needed: scripts/install-system-deps installs them"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--window-size=1200,900",
    ):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(driver), options=options)
    yield session
    session.quit()


def test_hovering_the_outlier_shows_its_tooltip(browser, tmp_path):
    days = [date(2024, 1, 1) + timedelta(days=30 * i) for i in range(20)]
    values = [10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 30, 10, 9, 10, 11]
    rules = rule_set(ParameterSet.shipped())
    result = analyse(pd.DataFrame({"date": days, "value": values}), rules, improvement="decrease")
    page = tmp_path / "chart.html"
    page.write_text(chart.page(result, title="A&E waits"))
    browser.get(page.as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, "#spc-points use")
    assert len(marks) == 20
    ActionChains(browser).move_to_element(marks[15]).perform()
    tip = browser.find_element(By.ID, "tip")
    WebDriverWait(browser, 5).until(lambda _: tip.is_displayed())
    text = tip.text
    assert str(days[15]) in text and "value 30.00" in text
    # worked by hand: without the 30 the series is 10, 11, 10, 9, ... (moving ranges of 1);
    # the two moving ranges of 20 are screened out, so UPL = 11.05 + 2.66 x 1 = 13.71 < 30
    assert "Above UCL" in text  # the special-cause label
    rows = browser.find_elements(By.CSS_SELECTOR, "details tbody tr")
    assert len(rows) == 20
