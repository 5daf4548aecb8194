"""The home page and the search that takes a newcomer to the right page (issue 10: "a
newcomer can type 'Leeds', 'Surrey County Council', 'B86001' or 'LS1' and land on the right
page; 'who do I go to for continuing healthcare in Leeds' is answered")."""

from __future__ import annotations

import pytest

from tests.web.dom import parse


def test_home_shows_every_icb_on_the_map_and_in_the_table(app_client):
    page = parse(app_client.get("/?on=2026-06-01").text)
    links = [a.attrs["href"] for a in page.find_all("a") if "/icb/" in (a.attrs["href"] or "")]
    svg_links = {h for h in links if h.startswith("/icb/")}
    # 36 ICBs from 1 April 2026 (icb_36_aug2026.csv, NHS England, August 2026)
    assert len(svg_links) == 36
    assert "/icb/QWO?on=2026-06-01" in svg_links  # the date is carried into every link


def test_before_the_mergers_there_are_42(app_client):
    page = parse(app_client.get("/?on=2025-06-01").text)
    links = {a.attrs["href"] for a in page.find_all("a") if "/icb/" in (a.attrs["href"] or "")}
    assert len(links) == 42  # icb_42_2023.csv (ONS, ICB boundaries July 2023)


@pytest.mark.parametrize(
    ("typed", "lands_on"),
    [
        ("Leeds", "/council/E08000035"),  # ONS code of Leeds (imd2019_lad19_summary.csv)
        ("Surrey County Council", "/council/E10000030"),
        ("B86001", "/practice/B86001"),
        ("LS1", "/postcode/LS1"),
        ("NHS West Yorkshire ICB", "/icb/QWO"),
        ("E54000054", "/icb/QWO"),  # ONS code of West Yorkshire ICB (icb_36_aug2026.csv)
        ("continuing healthcare", "/functions/continuing-healthcare"),
        (
            "who do I go to for continuing healthcare in Leeds",
            "/who?function=continuing-healthcare&area=Leeds",
        ),
        ("continuing healthcare in LS1?", "/who?function=continuing-healthcare&area=LS1"),
    ],
)
def test_search_lands_on_the_right_page(app_client, typed, lands_on):
    response = app_client.get("/search", params={"q": typed})
    assert response.status_code == 303
    assert response.headers["location"] == lands_on


def test_search_keeps_the_date_and_reform(app_client):
    params = {"q": "Leeds", "on": "2027-06-01", "reform": "blueprint-2025"}
    response = app_client.get("/search", params=params)
    assert response.headers["location"] == (
        "/council/E08000035?on=2027-06-01&reform=blueprint-2025"
    )


def test_a_misspelling_offers_links(app_client):
    response = app_client.get("/search", params={"q": "Leds"})
    page = parse(response.text)
    assert response.status_code == 404
    assert "Did you mean" in page.text
    assert any(a.text == "Leeds" for a in page.find_all("a"))


def test_an_ambiguous_name_lists_both(app_client):
    page = parse(app_client.get("/search", params={"q": "Newcastle"}).text)
    names = {a.text for a in page.find_all("a")}
    assert {"Newcastle upon Tyne", "Newcastle-under-Lyme"} <= names


def test_an_empty_search_goes_home(app_client):
    response = app_client.get("/search", params={"q": "  "})
    assert (response.status_code, response.headers["location"]) == (303, "/")
