"""Area pages at their canonical addresses, former areas' notices, and errors as pages."""

from __future__ import annotations

import pytest

from tests.web.dom import parse


@pytest.mark.parametrize(
    "path",
    [
        "/icb/QWO",
        "/sub-icb/15F",
        "/council/E10000030",
        "/practice/B86001",
        "/postcode/LS1",
        "/region/Y63",
        "/england",
    ],
)
def test_each_kind_of_area_has_a_page(app_client, path):
    response = app_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert parse(response.text).find_all("h1")


def test_frimley_after_april_2026_says_what_replaced_it(app_client):
    """Issue 10: "the page for Frimley on 2026-06-01 shows the successor notice"; the
    successors are those of icb_crosswalk_2023_to_2026.csv (NHS England)."""
    page = parse(app_client.get("/icb/QNQ?on=2026-06-01").text)
    callout = page.find(class_="nhsuk-card--warning").text
    assert "NHS Frimley Integrated Care Board no longer exists" in callout
    for successor in ("Thames Valley", "Surrey and Sussex", "Hampshire and Isle of Wight"):
        assert successor in callout


def test_other_addresses_of_an_area_redirect_to_its_own(app_client):
    response = app_client.get("/icb/e54000054?on=2026-06-01")
    assert response.status_code == 301
    assert response.headers["location"] == "/icb/QWO?on=2026-06-01"


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/icb/ZZZ9", 404, "nothing matches"),
        ("/icb/QWO?on=31/02/2026", 400, "February 2026 has 28 days"),
        ("/icb/QWO?reform=../../etc/passwd", 404, "shipped reforms only"),
        ("/no/such/page", 404, "Not Found"),
    ],
)
def test_mistakes_are_pages_not_json(app_client, path, status, says):
    response = app_client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert says in parse(response.text).text
