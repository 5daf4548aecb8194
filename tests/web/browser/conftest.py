"""Debian's Chromium, headless, driven through chromedriver against ``icsatlas serve`` (the
``server`` fixture of tests/web: a real server process on 127.0.0.1, on DuckDB and on
PostgreSQL), and axe-core from the npm packages locked in package-lock.json.

Chromium is a test dependency like PostgreSQL: when it is missing the tests fail, saying how
to install it (scripts/install-system-deps), rather than skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[3]
ARTEFACTS_ENV = "ICSATLAS_TEST_ARTEFACTS"
# How a page behaves in the browser (keys, layout, scripts off) does not depend on the store
# behind it: those tests run against the DuckDB server only; axe and the weight run on both.
ON_DUCKDB = pytest.mark.parametrize("server", ["duckdb"], indirect=True)
WINDOW = (1280, 900)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is not installed: the browser tests need Debian's chromium and "
            "chromium-driver (scripts/install-system-deps installs them), or deselect them "
            "with -m 'not browser'"
        )
    return found


def chrome(javascript: bool = True) -> webdriver.Chrome:
    """A new headless Chromium with a fresh profile that logs its network traffic."""
    options = webdriver.ChromeOptions()
    options.binary_location = _program("chromium")
    for argument in (
        "--headless=new",
        "--no-sandbox",  # tests may run as root in CI containers
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(options=options, service=Service(_program("chromedriver")))


@pytest.fixture(scope="session")
def browser() -> Iterator[webdriver.Chrome]:
    driver = chrome()
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def browser_without_javascript() -> Iterator[webdriver.Chrome]:
    driver = chrome(javascript=False)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser: webdriver.Chrome) -> webdriver.Chrome:
    """The shared browser at the desktop width, its network log emptied."""
    browser.set_window_size(*WINDOW)
    browser.get_log("performance")
    return browser


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe.min.js of the axe-core version locked in package-lock.json: from node_modules when
    `npm ci` or `npm install` has put that version there, otherwise installed with `npm ci`
    into a scratch folder (as scripts/build-frontend does)."""
    lock = json.loads((ROOT / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/axe-core"]["version"]
    installed = ROOT / "node_modules" / "axe-core"
    manifest = installed / "package.json"
    if manifest.is_file() and json.loads(manifest.read_text())["version"] == locked:
        return (installed / "axe.min.js").read_text()
    scratch = tmp_path_factory.mktemp("npm")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / name, scratch / name)
    command = [_npm(), "ci", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund"]
    subprocess.run(command, cwd=scratch, check=True, timeout=300)
    return (scratch / "node_modules" / "axe-core" / "axe.min.js").read_text()


def _npm() -> str:
    found = shutil.which("npm")
    if found is None:
        pytest.fail("npm is not installed (scripts/install-system-deps installs it)")
    return found


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Where screenshots go: ``$ICSATLAS_TEST_ARTEFACTS/screenshots`` (default
    ``test-artefacts/screenshots`` in the checkout, which git ignores)."""
    folder = Path(os.environ.get(ARTEFACTS_ENV) or ROOT / "test-artefacts") / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
