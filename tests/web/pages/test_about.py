"""The pages about icsatlas (issue 10's footer links): data sources, licences, and the open
API's documentation written from its own OpenAPI document, with the change log."""

from __future__ import annotations

from pathlib import Path

import pytest

from icsatlas.web.pages.about import EXAMPLES
from icsatlas.web.state import workspace
from tests.web.dom import parse
from tests.web.pages.basics import assert_accessible_basics

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize("path", EXAMPLES)
def test_every_page_renders_with_the_accessibility_basics(app_client, path):
    response = app_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert_accessible_basics(parse(response.text))


def test_the_footer_links_reach_these_pages(app_client):
    footer = parse(app_client.get("/").text).find("footer")
    assert {a.attrs["href"] for a in footer.find_all("a")} >= set(EXAMPLES)


def test_sources_lists_every_shipped_dataset(app_client):
    page = parse(app_client.get("/sources").text)
    keys = [r.find("th").text for r in page.find("tbody").find_all("tr")]
    assert keys == workspace().sources().table.column("key")


def test_licence_gives_the_code_the_data_and_the_design_system(app_client):
    page = parse(app_client.get("/licence").text)
    assert "MIT License" in page.text and "Permission is hereby granted" in page.text
    licences = {h.text for h in page.find_all("h3")}
    assert set(workspace().sources().table.column("licence")) <= licences
    assert "Contains public sector information licensed under the Open Government" in page.text
    assert "nhsuk-frontend" in page.text  # web/NOTICE.md
    assert "Contains OS data © Crown copyright" in page.text  # the maps' attribution


def test_the_api_docs_cover_every_endpoint_of_the_openapi_document(app_client):
    spec = app_client.get("/api/v1/openapi.json").json()
    page = parse(app_client.get("/api/v1/docs").text)
    documented = {h.text for h in page.find_all("h3") if h.attrs.get("id")}
    assert documented == {f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item}
    captions = {c.text for c in page.find_all("caption")}
    assert "Parameters of GET /api/v1/who" in captions


def test_every_example_address_in_the_api_docs_answers(app_client):
    page = parse(app_client.get("/api/v1/docs").text)
    examples = [a.attrs["href"] for a in page.find_all("a") if a.find_all("code")]
    paths = app_client.get("/api/v1/openapi.json").json()["paths"]
    assert len(examples) == sum("get" in item for item in paths.values())  # a write has none
    for href in examples:
        response = app_client.get(href)
        assert response.status_code == 200, (href, response.text[:300])


def test_the_change_log_is_on_the_docs_page_and_in_the_docs(app_client):
    page = parse(app_client.get("/api/v1/docs").text)
    assert "The versioning promise" in page.find("div", id="changelog").text
    index = (ROOT / "docs" / "index.md").read_text()
    assert "reference/api-changelog.md" in index
    assert (
        "Within v1, nothing is taken away" in (ROOT / "docs/reference/api-changelog.md").read_text()
    )
