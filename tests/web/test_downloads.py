"""Every API resource as a download (``format=csv|xlsx|json|parquet``, and ``csvw`` for a
CSV's metadata): all its rows, the right media type, a file name saying what and when, its
provenance inside, and an unknown format refused with a problem document."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pyarrow.parquet as pq
import pytest

from icsatlas import exports

DAY = "2026-06-01"
# One request per resource (the parameters each needs); a resource added to the API needs
# an entry here (test_every_resource_is_covered says which).
EXAMPLES = {
    "/api/v1/where": {"q": "Leeds", "on": DAY},
    "/api/v1/areas": {"type": "sub-icb", "on": DAY, "limit": 10},
    "/api/v1/areas/{area}": {"on": DAY},
    "/api/v1/areas/{area}/report": {"on": DAY},
    "/api/v1/who": {"function": "chc", "area": "Leeds", "on": DAY},
    "/api/v1/diff": {"from": "2026-01-01", "to": DAY, "limit": 5},
    "/api/v1/gaps": {"on": DAY},
    "/api/v1/register": {"on": DAY, "limit": 10},
    "/api/v1/reforms": {},
    "/api/v1/reforms/{name}/impact": {},
    "/api/v1/functions": {},
    "/api/v1/accountability": {},
    "/api/v1/parameters": {"prefix": "finance.running_costs", "on": DAY},
    "/api/v1/sources": {},
    "/api/v1/population/profile": {"area": "Telford and Wrekin", "population": "small"},
    "/api/v1/finance/targets": {"on": DAY},
    "/api/v1/finance/places": {"area": "Shropshire", "on": DAY},
    "/api/v1/contracts": {"on": DAY},
}
PATHS = {"{area}": "Leeds", "{name}": "blueprint-2025"}
ROUTES = sorted(EXAMPLES)


def url(route: str) -> str:
    for name, value in PATHS.items():
        route = route.replace(name, value)
    return route


def rows_in(fmt: str, body: bytes) -> list[list[str]]:
    """The data rows of a download (header excluded), as text."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode())))[1:]
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
        return [list(map(str, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    if fmt == "parquet":
        table = pq.read_table(io.BytesIO(body))
        return [list(map(str, r.values())) for r in table.to_pylist()]
    return [list(map(str, r.values())) for r in json.loads(body)["data"]]


def test_every_resource_is_covered(app_client):
    schema = app_client.get("/api/v1/openapi.json").json()
    routes = {p for p, item in schema["paths"].items() if "get" in item} - {"/api/v1/health"}
    assert sorted(routes - set(EXAMPLES)) == []


@pytest.mark.parametrize("route", ROUTES)
def test_each_format_gives_every_row_with_its_provenance(app_client, route):
    params = EXAMPLES[route]
    everything = app_client.get(url(route), params={**params, "format": "json"})
    assert everything.status_code == 200, everything.text
    document = everything.json()
    assert document["release"] and document["provenance"]["licence"] == exports.meta.OGL
    assert "next" not in document  # a download is not paged
    expected = len(document["data"])
    stem = "icsatlas-" + url(route).removeprefix("/api/v1/").replace("/", "-")
    for fmt in exports.FORMATS:
        response = app_client.get(url(route), params={**params, "format": fmt})
        assert response.status_code == 200, (fmt, response.text)
        assert response.headers["content-type"] == exports.MEDIA_TYPES[fmt]
        disposition = response.headers["content-disposition"]
        assert re.fullmatch(rf'attachment; filename="{stem}-\d{{4}}-\d\d-\d\d\.{fmt}"', disposition)
        assert len(rows_in(fmt, response.content)) == expected, fmt


def test_a_download_is_every_row_whatever_the_page_size(app_client):
    paged = app_client.get("/api/v1/areas", params={"type": "sub-icb", "on": DAY, "limit": 10})
    assert len(paged.json()["data"]) == 10
    whole = app_client.get(
        "/api/v1/areas", params={"type": "sub-icb", "on": DAY, "limit": 10, "format": "csv"}
    )
    assert len(rows_in("csv", whole.content)) == paged.json()["total"]


def test_the_file_is_named_by_resource_and_date(app_client):
    response = app_client.get(
        "/api/v1/who",
        params={"function": "chc", "area": "Leeds", "on": "01/06/2026", "format": "xlsx"},
    )
    assert response.headers["content-disposition"] == (
        'attachment; filename="icsatlas-who-2026-06-01.xlsx"'
    )


def test_a_csv_links_to_its_csvw_metadata(app_client):
    params = {"function": "chc", "area": "Leeds", "on": DAY, "format": "csv"}
    response = app_client.get("/api/v1/who", params=params)
    link = re.fullmatch(
        r'<(?P<href>[^>]+)>; rel="describedby"; type="application/csvm\+json"',
        response.headers["link"],
    )
    assert link is not None and "format=csvw" in link["href"]
    metadata = app_client.get(link["href"])
    assert metadata.status_code == 200
    assert metadata.headers["content-type"] == "application/csvm+json"
    document = metadata.json()
    assert document["url"] == str(response.request.url)
    assert document["schema:version"] == app_client.get("/api/v1/reforms").json()["release"]
    titles = [c["titles"] for c in document["tableSchema"]["columns"]]
    assert titles == next(csv.reader(io.StringIO(response.text)))


def test_a_download_names_no_server_file(app_client, web_home):
    for fmt in ("csvw", "json"):
        body = app_client.get("/api/v1/reforms", params={"format": fmt}).text
        assert str(web_home) not in body and "icsatlas register, change " in body


def test_the_register_on_a_date_under_a_reform(app_client):
    params = {"on": "2027-06-01", "reform": "blueprint-2025", "format": "parquet"}
    response = app_client.get("/api/v1/register", params=params)
    table = pq.read_table(io.BytesIO(response.content))
    document = json.loads(table.schema.metadata[b"icsatlas"])
    assert document["provenance"]["reform"] == "blueprint-2025"
    moved = {
        r["holder_type"]
        for r in table.to_pylist()
        if r["function_id"] == "strategic-workforce-planning"
    }
    assert moved == {"nhs-region"}  # blueprint-2025.yaml: moved from ICBs to NHS regions


@pytest.mark.parametrize("fmt", ["docx", "CSV", "..%2Fx", "csv\x00"])
def test_an_unknown_format_is_a_problem(app_client, fmt):
    response = app_client.get("/api/v1/reforms", params={"format": fmt})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (
        problem["field"] == "format"
        and "is not one of csv, xlsx, json, parquet" in problem["detail"]
    )


def test_a_long_format_is_refused(app_client):
    response = app_client.get("/api/v1/reforms", params={"format": "x" * 500})
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"


def test_a_download_revalidates_like_any_answer(app_client):
    first = app_client.get("/api/v1/functions", params={"format": "xlsx"})
    again = app_client.get(
        "/api/v1/functions",
        params={"format": "xlsx"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304
    json_tag = app_client.get("/api/v1/functions").headers["etag"]
    assert json_tag != first.headers["etag"]


def test_the_openapi_document_offers_the_formats(app_client):
    schema = app_client.get("/api/v1/openapi.json").json()
    who = schema["paths"]["/api/v1/who"]["get"]
    assert "format" in {p["name"] for p in who["parameters"]}
    media = set(who["responses"]["200"]["content"])
    assert media >= set(exports.MEDIA_TYPES.values())


def download_links(html: str) -> dict[str, list[str]]:
    """Each table's download links on a page, by the table's caption."""
    from tests.web.dom import parse

    found: dict[str, list[str]] = {}
    for paragraph in parse(html).find_all("p", class_="app-downloads"):
        for link in paragraph.find_all("a"):
            caption = link.find("span").text.removeprefix("of ")
            found.setdefault(caption, []).append(link.attrs["href"])
    return found


@pytest.mark.parametrize(
    "page",
    [
        "/?on=2026-06-01",
        "/icb/QWO?on=2026-06-01",
        "/sub-icb/15F?on=2027-06-01&reform=blueprint-2025",
        "/who?function=continuing-healthcare&area=Leeds&on=2026-06-01&reform=blueprint-2025",
        "/sources",
    ],
)
def test_every_table_on_a_page_links_to_its_downloads(app_client, page):
    html = app_client.get(page).text
    tables = html.count('<table class="nhsuk-table"')
    links = download_links(html)
    assert len(links) == tables
    for caption, hrefs in links.items():
        assert [h.rsplit("format=", 1)[1] for h in hrefs] == list(exports.FORMATS)
        response = app_client.get(hrefs[0])  # each format of each resource: tested above
        assert response.status_code == 200, (caption, hrefs[0], response.text)
        assert response.headers["content-disposition"].startswith("attachment")
        head = next(csv.reader(io.StringIO(response.text)))
        assert head, caption


def test_download_links_keep_the_date_and_reform(app_client):
    html = app_client.get("/icb/QWO?on=2027-06-01&reform=blueprint-2025").text
    hrefs = [h for links in download_links(html).values() for h in links]
    functions = "/api/v1/areas/QWO/report?section=functions&on=2027-06-01&reform=blueprint-2025"
    assert f"{functions}&format=csv" in hrefs
    document = app_client.get(f"{functions}&format=json").json()
    assert document["provenance"]["reform"] == "blueprint-2025"


def test_an_area_report_section_downloads_alone(app_client):
    """The area page's sections are the report's (/api/v1/areas/{area}/report): a download
    of one section is that section's table, as the whole report's JSON has it."""
    whole = app_client.get("/api/v1/areas/QWO/report", params={"on": DAY}).json()
    params = {"on": DAY, "section": "money", "format": "json"}
    alone = app_client.get("/api/v1/areas/QWO/report", params=params).json()
    money = next(s for s in whole["sections"] if s["title"] == alone["title"])
    assert alone["data"] == money["data"] and alone["notes"] == money["notes"]
    params |= {"section": "identity"}
    identity = app_client.get("/api/v1/areas/QWO/report", params=params).json()
    assert identity["data"] == whole["data"] and identity["notes"] == whole["notes"]
    refused = app_client.get("/api/v1/areas/QWO/report", params={"section": "nonsense"})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
