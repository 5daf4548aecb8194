"""The "Download briefing" link on every area page and the briefing it leads to."""

from __future__ import annotations

import pytest

from icsatlas.briefings import figures
from icsatlas.web import state
from tests.web.dom import parse

ON = "2026-06-01"


def test_the_area_page_links_its_briefing(app_client):
    page = parse(app_client.get(f"/icb/QWO?on={ON}").text)
    hrefs = {a.attrs.get("href") for a in page.find_all("a")}
    assert f"/briefing/icb/QWO.pdf?on={ON}" in hrefs
    assert f"/briefing/icb/QWO.html?on={ON}" in hrefs


def test_the_pdf_is_served(app_client):
    response = app_client.get(f"/briefing/icb/QWO.pdf?on={ON}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_briefing_shows_the_pages_figures_and_release(app_client):
    money = state.workspace().report("QWO", ON).section("money").table.records()[0]
    page = app_client.get(f"/briefing/icb/QWO.html?on={ON}").text
    assert figures.millions(money["allocation_gbp"]) in page
    assert f"data release {state.release()}" in page


def test_another_address_of_the_area_is_sent_to_the_canonical_one(app_client):
    response = app_client.get(f"/briefing/icb/qwo.html?on={ON}", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/briefing/icb/QWO.html?on={ON}"


@pytest.mark.parametrize(
    "path",
    [
        "/briefing/nowhere/QWO.pdf",
        "/briefing/icb/QWO.exe",
        "/briefing/icb/ZZZZZ.pdf",
        "/briefing/x.pdf",
    ],
)
def test_hostile_addresses_are_4xx(app_client, path):
    assert 400 <= app_client.get(path).status_code < 500


def test_englands_briefing(app_client):
    response = app_client.get(f"/briefing/england.html?on={ON}")
    assert response.status_code == 200
    assert "<h1>Briefing: England</h1>" in response.text
