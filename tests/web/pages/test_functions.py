"""Function pages (issue 10): the catalogue, searchable; one function across England on a
date, who holds it in each ICB on a map shaded by kind of body, the table beside it."""

from __future__ import annotations

import pytest

from icsatlas.web.pages.functions import EXAMPLES
from icsatlas.web.state import workspace
from tests.web.dom import parse
from tests.web.pages.basics import assert_accessible_basics


@pytest.mark.parametrize("path", EXAMPLES)
def test_every_example_renders_with_the_accessibility_basics(app_client, path):
    response = app_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert_accessible_basics(parse(response.text))


def test_the_catalogue_links_every_function(app_client):
    page = parse(app_client.get("/functions?on=2026-06-01").text)
    links = {a.attrs["href"] for a in page.find("table").find_all("a")}
    expected = workspace().register.functions().table.column("id")
    assert links == {f"/functions/{f}?on=2026-06-01" for f in expected}


def test_a_search_finds_the_function_or_suggests_the_nearest(app_client):
    one = parse(app_client.get("/functions?q=workforce").text).find("tbody").find_all("tr")
    assert [r.find("th").text for r in one] == [
        "Strategic workforce planning, education and training"
    ]
    near = parse(app_client.get("/functions?q=continuing+helthcare").text)
    assert "Did you mean" in near.text
    assert {a.text: a.attrs["href"] for a in near.find_all("a")}["NHS Continuing Healthcare"] == (
        "/functions/continuing-healthcare"
    )


def test_each_icb_row_names_the_holder_the_python_api_names(app_client):
    page = parse(app_client.get("/functions/continuing-healthcare?on=2026-06-01").text)
    rows = page.find("table").find("tbody").find_all("tr")
    shown = {r.find("th").text: r.find_all("td")[0].text for r in rows}
    ws = workspace()
    icbs = ws.register.areas("icb", "2026-06-01").table.records()
    assert len(shown) == len(icbs) == 36  # 36 ICBs from 1 April 2026 (icb_36_aug2026.csv)
    for icb in icbs:
        who = ws.register.who("continuing-healthcare", icb["ods_code"], "2026-06-01")
        assert shown[icb["name"]] == "; ".join(who.table.column("holder"))


def test_the_map_is_shaded_by_kind_with_a_key_and_links_that_keep_date_and_reform(app_client):
    path = "/functions/strategic-workforce-planning?on=2027-04-01&reform=blueprint-2025"
    page = parse(app_client.get(path).text)
    svg = page.find("svg")
    assert "Shading: NHS England region" in svg.find("desc").text
    # blueprint-2025.yaml moves strategic workforce planning from every ICB to its region
    key = [li.text for li in page.find("h3").parent.find_all("li")]
    assert key == ["NHS England region: 36 ICBs"]
    links = {a.attrs["href"] for a in svg.find_all("a")}
    assert "/icb/QWO?on=2027-04-01&reform=blueprint-2025" in links


def test_another_name_redirects_to_the_functions_own_address(app_client):
    response = app_client.get("/functions/GP IT?on=2026-06-01")
    assert response.status_code == 301
    location = response.headers["location"]
    assert location.startswith("/functions/") and location.endswith("?on=2026-06-01")
    assert app_client.get(location).status_code == 200


def test_an_unknown_function_is_an_error_page(app_client):
    response = app_client.get("/functions/no-such-job")
    assert response.status_code == 404
    assert "no function matches" in parse(response.text).text
