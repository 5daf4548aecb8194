"""Reform pages (issue 10): each reform, its source, function moves, impact on
accountability with the functions listed for every headline count; two side by side."""

from __future__ import annotations

import httpx
import pytest

from icsatlas.register import reforms
from icsatlas.web.pages.reforms import EXAMPLES
from icsatlas.web.state import workspace
from tests.web.dom import Element, parse
from tests.web.pages.basics import assert_accessible_basics


@pytest.mark.parametrize("path", EXAMPLES)
def test_every_example_renders_with_the_accessibility_basics(app_client, path):
    response = app_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert_accessible_basics(parse(response.text))


def test_the_list_links_every_shipped_reform_keeping_date_and_reform(app_client):
    page = parse(app_client.get("/reforms?on=2027-04-01&reform=blueprint-2025").text)
    links = {a.attrs["href"] for a in page.find("table").find_all("a")}
    for name in reforms.shipped():
        assert f"/reforms/{name}?on=2027-04-01&reform=blueprint-2025" in links


def test_the_blueprint_moves_the_functions_the_python_api_says(app_client):
    page = parse(app_client.get("/reforms/blueprint-2025").text)
    impact, _ = workspace().register.impact("blueprint-2025")
    moves = page.find_all("table")[0]
    shown = [row.find("th").text for row in moves.find("tbody").find_all("tr")]
    assert shown == [g.function.label for g in impact.groups]
    assert "icb -> nhs-region in 36 areas" in moves.text  # 36 ICBs after the 2026 mergers


def test_every_accountability_count_lists_its_functions(app_client):
    page = parse(app_client.get("/reforms/blueprint-2025").text)
    impact, _ = workspace().register.impact("blueprint-2025")
    lists = {h.text: _next_element(h) for h in page.find_all("h3")}
    for shift in impact.shifts:
        head = shift.sentence.partition(": ")[0]
        items = lists[head[:1].upper() + head[1:]].find_all("li")
        assert [li.text for li in items] == list(shift.functions)


def test_meetings_in_public_headline(app_client):
    # blueprint-2025.yaml moves 9 functions away from ICBs (which meet in public,
    # accountability.yaml) to neighbourhood providers and NHS regions (which need not).
    page = parse(app_client.get("/reforms/blueprint-2025").text)
    heads = [h.text for h in page.find_all("h3")]
    assert (
        "9 functions in 36 areas move from bodies that meet in public to bodies that need "
        "not, or only partly"
    ) in heads


def _next_element(element: Element) -> Element:
    siblings = element.parent.children
    return next(e for e in siblings[siblings.index(element) + 1 :] if isinstance(e, Element))


def test_a_reform_in_the_registers_history_says_so(app_client):
    page = parse(app_client.get("/reforms/mergers-2026-04").text)
    assert "In the register's history" in page.text
    captions = [c.text for c in page.find_all("caption")]
    assert "What changed from 2026-03-31 to 2026-04-01" in captions


def test_compare_puts_two_reforms_side_by_side(app_client):
    page = parse(app_client.get(EXAMPLES[3]).text)
    counts = page.find_all("table")[0]
    rows = {
        r.find("th").text: [td.text for td in r.find_all("td")]
        for r in counts.find("tbody").find_all("tr")
    }
    impact, _ = workspace().register.impact("blueprint-2025")
    # delegations-2023-2025.yaml: two delegations (POD 2023, specialised 2025)
    assert rows["Function moves"] == [str(len(impact.groups)), "2"]
    assert rows["Operations"] == ["18", "2"]  # the operations in each file


@pytest.mark.parametrize(
    "path", ["/reforms/no-such-reform", "/reforms/compare?a=blueprint-2025&b=..%2F..%2Fetc"]
)
def test_an_unknown_reform_is_an_error_page(app_client, path):
    response = app_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "shipped reforms only" in parse(response.text).text


def test_reform_pages_over_http_on_each_engine(server):
    """A real ``icsatlas serve`` (read-only workers) on DuckDB and on PostgreSQL: the
    register's history is read from its audit log on either store."""
    listing = httpx.get(f"{server}/reforms", timeout=60)
    assert listing.status_code == 200
    statuses = {r.find("th").text: r.find_all("td")[5].text for r in _rows(listing.text)}
    assert statuses["ICB mergers of 1 April 2026"].startswith("In the register (change ")
    assert statuses["Model ICB Blueprint"] == "A what-if"
    legal = {r.find("th").text: r.find_all("td")[4].text for r in _rows(listing.text)}
    assert legal["ICB mergers of 1 April 2026"].startswith("In force")
    bill = next(v for k, v in legal.items() if "Health Bill" in k)
    assert bill.endswith("not law")  # health-bill-2026.yaml: a bill in committee, not law
    compared = httpx.get(f"{server}{EXAMPLES[3]}", timeout=60)
    assert compared.status_code == 200


def _rows(html: str) -> list[Element]:
    return parse(html).find("table").find("tbody").find_all("tr")
