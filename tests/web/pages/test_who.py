"""'Who do I go to for X here?' (issue 10): the body, its accountability, how to reach it,
who held it before; shareable GET addresses that keep their date and reform."""

from __future__ import annotations

import pytest

from icsatlas.web.pages.who import EXAMPLES
from icsatlas.web.state import workspace
from tests.web.dom import parse
from tests.web.pages.basics import assert_accessible_basics

LEEDS = "/who?function=continuing-healthcare&area=Leeds&on=2026-06-01"


@pytest.mark.parametrize("path", EXAMPLES)
def test_every_example_renders(app_client, path):
    response = app_client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert parse(response.text).find_all("h1")


def test_continuing_healthcare_in_leeds_names_the_holder_the_python_api_names(app_client):
    page = parse(app_client.get(LEEDS).text)
    expected = workspace().register.who("continuing healthcare", "Leeds", "2026-06-01")
    (holder,) = {row[expected.columns.index("holder")] for row in expected.table.rows}
    assert page.find_all("h3")[0].text == holder
    assert "since 2022-07-01" in page.text  # the Python answer's 'since' (establishment-2022)
    # An ICB's statutory accountability (register/accountability.yaml, icb: the model
    # constitution 7.3 and NHS Act 2006 Sch 1B): meets in public, FOI, no elected members.
    answers = {
        row.find("dt").text: row.find("dd").text
        for row in page.find_all("div", class_="nhsuk-summary-list__row")
    }
    assert answers["Meets in public"] == "Yes"
    assert answers["Subject to FOI"] == "Yes"
    assert answers["Elected members"] == "No"
    assert answers["Accountability score (0 to 100)"] == "75.0"


def test_the_home_page_question_lands_on_a_full_answer(app_client):
    response = app_client.get(
        "/search", params={"q": "who do I go to for continuing healthcare in Leeds"}
    )
    page = parse(app_client.get(response.headers["location"]).text)
    headings = [h.text for h in page.find_all("h2")]
    assert any(h.startswith("Who holds NHS Continuing Healthcare in Leeds") for h in headings)
    assert {"How accountable is it?", "Who held it before"} <= set(headings)


def test_a_move_under_a_reform_names_the_holder_before(app_client):
    # blueprint-2025.yaml: strategic workforce planning moves from ICBs to NHS regions.
    path = EXAMPLES[2]
    page = parse(app_client.get(path).text)
    holders = [h.text for h in page.find_all("h3")]
    assert holders[0] == "NHS England North East and Yorkshire"
    before = page.find("ul", class_="nhsuk-list--bullet").text
    assert "NHS West Yorkshire Integrated Care Board (icb)" in before
    assert "until 2026-04-01" in before
    assert "Without blueprint-2025" in holders


def test_the_form_keeps_the_reform_and_labels_every_field(app_client):
    page = parse(app_client.get(EXAMPLES[2]).text)
    form = page.find("form", action="/who")
    assert form.attrs["method"] == "get"
    for field in form.find_all("input"):
        assert form.find("label", **{"for": field.attrs["id"]})
    assert form.find("input", name="reform").attrs["value"] == "blueprint-2025"
    assert form.find("input", name="on").attrs["value"] == "2027-06-01"
    links = [a.attrs["href"] for a in page.find_all("a") if "/region/" in a.attrs["href"]]
    assert links == ["/region/Y63?on=2027-06-01&reform=blueprint-2025"]


@pytest.mark.parametrize("path", EXAMPLES)
def test_accessibility_basics(app_client, path):
    page = parse(app_client.get(path).text)
    assert_accessible_basics(page)
    assert len(page.find_all("table")) == (0 if path == "/who" else 2)


@pytest.mark.parametrize(
    ("path", "meant", "href"),
    [
        (
            "/who?function=continuing+helthcare&area=Leeds",
            "NHS Continuing Healthcare",
            "/who?function=continuing-healthcare&area=Leeds",
        ),
        (
            "/who?function=continuing-healthcare&area=Leds&on=2026-06-01",
            "Leeds",
            "/who?on=2026-06-01&function=continuing-healthcare&area=Leeds",
        ),
    ],
)
def test_a_misspelling_gets_did_you_mean_links_that_ask_again(app_client, path, meant, href):
    response = app_client.get(path)
    assert response.status_code == 404
    page = parse(response.text)
    assert "Did you mean" in page.text
    assert {a.text: a.attrs["href"] for a in page.find_all("a")}[meant] == href


def test_half_a_question_says_what_is_missing(app_client):
    response = app_client.get("/who?function=continuing-healthcare&area=")
    page = parse(response.text)
    assert response.status_code == 200
    assert "Enter a place" in page.find(class_="nhsuk-error-message").text
    assert page.find("input", id="function").attrs["value"] == "continuing-healthcare"


def test_the_form_as_a_browser_submits_it_answers(app_client):
    # An empty reform field is sent as "reform=": the register as it stands.
    response = app_client.get(f"{LEEDS}&reform=")
    assert response.status_code == 200
    assert "(a what-if)" not in parse(response.text).find_all("h2")[0].text
