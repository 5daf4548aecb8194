"""Area pages at their canonical addresses, former areas' notices, and errors as pages."""

from __future__ import annotations

import pytest

from icsatlas.results import display, plain
from icsatlas.web.pages.areas import HEADINGS
from icsatlas.web.pages.view import heading
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


# -- the area's report, section by section ---------------------------------------------------
ON = "2026-06-01"


@pytest.fixture(scope="module")
def python(web_url, web_home):
    """The Python API on the same workspace as the portal (read-only, as the server opens it)."""
    import icsatlas

    with icsatlas.open(web_url, home=web_home, read_only=True) as ws:
        yield ws


def _shown(value, column: str) -> str:
    """A figure as the page shows it (icsatlas.results.display; yes/no as Yes/No; a share,
    0.583, as 58.3%)."""
    value = plain(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float | int) and (column == "share" or column.endswith("_share")):
        return f"{value * 100:.1f}".removesuffix(".0") + "%"
    return display(value)


def _tables(page) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every table on a page by caption: its headings and its cells' text."""
    found = {}
    for element in page.find_all("table"):
        caption = element.find("caption").text
        head = [th.text for th in element.find("thead").find_all("th")]
        rows = [
            [cell.text for cell in tr.find_all() if cell.tag in ("th", "td")]
            for tr in element.find("tbody").find_all("tr")
        ]
        found[caption] = (head, rows)
    return found


def test_every_figure_on_every_icb_page_is_the_python_answer(app_client, python):
    """Issue 10: every figure on an ICB page equals the Python answer for the same area and
    date, for all 36 ICBs of 2026-06-01."""
    codes = python.register.areas("icb", ON).table.column("ods_code")
    assert len(codes) == 36
    for code in codes:
        page = parse(app_client.get(f"/icb/{code}?on={ON}").text)
        tables = _tables(page)
        report = python.report(code, ON)
        for key, result in {"identity": report.identity, **report.sections}.items():
            head, rows = tables[" ".join(result.title.split())]
            assert head == [heading(c) for c in result.columns], (code, key)
            expected = [
                [_shown(v, c) for v, c in zip(row, result.columns, strict=True)]
                for row in result.table.rows
            ]
            assert rows == expected, (code, key)


def test_frimley_shows_the_successor_notice(app_client):
    """Issue 10: 'NHS Frimley ICB was abolished on 1 April 2026; its area is now covered
    by ...' (icb_crosswalk_2023_to_2026.csv, NHS England)."""
    page = parse(app_client.get(f"/icb/QNQ?on={ON}").text)
    callout = page.find(class_="nhsuk-card--warning").text
    assert "NHS Frimley ICB was abolished on 1 April 2026; its area is now covered by" in callout


@pytest.mark.parametrize("path", ["/council/E10000030", "/practice/B86001"])
def test_council_and_practice_pages_show_every_section(app_client, path):
    page = parse(app_client.get(f"{path}?on={ON}").text)
    for key, heading_text in HEADINGS.items():
        section = page.find("section", aria_labelledby=f"section-{key}")
        assert section.find("h2").text == heading_text
        assert section.find_all("table")
    assert "none recorded" in page.find("section", aria_labelledby="section-boards").text


def test_related_areas_link_to_their_pages_keeping_date_and_reform(app_client):
    page = parse(app_client.get(f"/icb/QWO?on={ON}&reform=blueprint-2025").text)
    related = page.find("section", aria_labelledby="section-related")
    links = {a.text: a.attrs["href"] for a in related.find_all("a")}
    suffix = f"?on={ON}&reform=blueprint-2025"
    assert links["NHS Greater Manchester Integrated Care Board"] == f"/icb/QOP{suffix}"
    assert links["Leeds"] == f"/sub-icb/15F{suffix}"
    assert links["North East and Yorkshire"] == f"/region/Y63{suffix}"


def test_population_colours_are_the_design_systems_tags(app_client):
    page = parse(app_client.get(f"/sub-icb/M2L0M?on={ON}").text)
    population = page.find("section", aria_labelledby="section-population")
    tags = population.find_all("strong", class_="nhsuk-tag")
    assert tags and {t.text for t in tags} <= {
        "red",
        "amber",
        "green",
        "higher",
        "similar",
        "lower",
    }


def test_the_api_answers_the_same_report(app_client, python):
    document = app_client.get(f"/api/v1/areas/QWO/report?on={ON}").json()
    report = python.report("QWO", ON)
    assert [s["title"] for s in document["sections"]] == [r.title for r in report.sections.values()]
    assert document["notes"][: len(report.notices)] == list(report.notices)
    for section in document["sections"]:  # no server paths in any section's provenance
        assert section["provenance"]["data"]["register"].startswith("icsatlas register")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/areas/ZZZ9/report", 404),
        ("/api/v1/areas/QWO/report?on=31/02/2026", 400),
        ("/api/v1/areas/QWO/report?reform=../../etc/passwd", 404),
    ],
)
def test_the_reports_mistakes_are_problems(app_client, path, status):
    response = app_client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_a_real_server_shows_frimleys_successor_notice(server):
    """Issue 10, end to end: ``icsatlas serve`` in its own process (on DuckDB and on
    PostgreSQL) answers the Frimley page of 2026-06-01 with the successor notice, and the
    report's API with the same notice first."""
    import httpx

    page = parse(httpx.get(f"{server}/icb/QNQ?on={ON}", timeout=60).text)
    callout = page.find(class_="nhsuk-card--warning").text
    assert "NHS Frimley ICB was abolished on 1 April 2026; its area is now covered by" in callout
    document = httpx.get(f"{server}/api/v1/areas/QNQ/report?on={ON}", timeout=60).json()
    assert document["notes"][0].startswith("NHS Frimley ICB was abolished on 1 April 2026")
    assert len(document["sections"]) == 8


def test_an_area_page_names_no_server_files(app_client, web_home):
    text = app_client.get(f"/icb/QWO?on={ON}").text
    assert str(web_home) not in text and "duckdb://" not in text
    assert "icsatlas register, release" in text
