"""The page shell and the design-system macros the portal's pages are made of (issue 10:
server-rendered HTML in the NHS.UK design system's markup, a clear "independent, not an NHS
service" banner, no NHS logo, everything working without JavaScript)."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import pytest
from markupsafe import Markup

from icsatlas.web.design import STATIC_DIR, environment
from tests.web.dom import Element, parse

ROOT = Path(__file__).resolve().parents[2]
# The banner's wording, as the portal's brief gives it.
BANNER = (
    "icsatlas is an independent open-source project, not an NHS service. "
    "Figures come from public data, each with its source."
)
# nhsuk-frontend-jinja's README, "Compatibility": the nhsuk-frontend release each version
# of the Jinja port renders the markup of.
JINJA_PORT_FOR = {"10.6.1": "0.10.2"}

PAGE = """
{% extends "layout.html" %}
{% from "nhsuk/components/breadcrumb/macro.jinja" import breadcrumb %}
{% block title %}NHS Frimley ICB{% endblock %}
{% block breadcrumbs %}
{{ breadcrumb({"items": [{"href": "/", "text": "Home"}, {"href": "/icb", "text": "ICBs"}]}) }}
{% endblock %}
{% block content %}<h1>NHS Frimley ICB</h1>{% endblock %}
"""

MACROS = """
{% from "macros/table.html" import data_table %}
{% from "macros/summary_list.html" import summary_list %}
{% from "macros/notices.html" import warning, inset %}
{% from "macros/card.html" import area_card %}
{% from "macros/pagination.html" import pagination %}
{% from "macros/figure.html" import chart_with_table %}
"""


def render(source: str, **context) -> Element:
    return parse(environment().from_string(source).render(**context))


def macro(call: str, **context) -> Element:
    return render(MACROS + "{{ " + call + " }}", **context)


@pytest.fixture(scope="module")
def page() -> Element:
    return render(PAGE)


def test_the_title_names_the_page_then_icsatlas(page):
    assert page.find("title").text == "NHS Frimley ICB – icsatlas"
    assert render('{% extends "layout.html" %}').find("title").text == "icsatlas"


def test_the_skip_link_comes_first_and_leads_to_the_main_landmark(page):
    body = page.find("body")
    first = next(body.iter())
    assert (first.tag, first.attrs["href"]) == ("a", "#maincontent")
    assert "nhsuk-skip-link" in first.classes()
    assert first.text == "Skip to main content"
    assert page.find(id="maincontent").tag == "main"


def test_the_landmarks_are_one_header_one_main_one_footer(page):
    assert len(page.find_all("header")) == len(page.find_all(role="banner")) == 1
    assert len(page.find_all("main")) == 1
    assert page.find("footer").attrs["role"] == "contentinfo"
    assert page.find("html").attrs["lang"] == "en-GB"


def test_the_independence_banner_is_in_the_header_on_every_page(page):
    banner = page.find(class_="app-phase-banner")
    assert banner.text == f"Independent {BANNER}"
    assert page.find("header") in banner.ancestors()


def test_the_header_names_icsatlas_and_draws_no_logo(page):
    header = page.find("header")
    name = header.find("a", class_="app-header__service-name")
    assert (name.text, name.attrs["href"]) == ("icsatlas", "/")
    assert not header.find_all("svg") and not header.find_all("img")


def test_the_breadcrumbs_come_before_the_main_content_outside_it(page):
    nav = page.find("nav", aria_label="Breadcrumb")
    assert [a.attrs["href"] for a in nav.find_all("a", class_="nhsuk-breadcrumb__link")] == [
        "/",
        "/icb",
    ]
    assert page.find("main") not in nav.ancestors()
    assert page.find("main").text == "NHS Frimley ICB"


def test_the_footer_links_to_the_licence_and_the_data_sources(page):
    footer = page.find("footer")
    links = {a.text: a.attrs["href"] for a in footer.find_all("a")}
    assert links["Data sources"] == "/sources"
    assert links["Licence"] == "/licence"
    assert "MIT licence" in footer.text and "Open Government Licence" in footer.text


def test_the_page_needs_no_script_no_inline_style_and_nothing_from_another_site(page):
    """The server's Content-Security-Policy allows scripts and styles from its own origin
    only (web/middleware.py)."""
    assert not page.find_all("script") and not page.find_all("style")
    for element in page.iter():
        assert "style" not in element.attrs, element.tag
        for name in ("href", "src", "action"):
            assert not (element.attrs.get(name) or "").startswith(("http:", "https:", "//"))


def test_the_stylesheet_address_changes_with_its_content(page):
    digest = hashlib.sha256((STATIC_DIR / "icsatlas.css").read_bytes()).hexdigest()[:12]
    stylesheet = page.find("link", rel="stylesheet")
    assert stylesheet.attrs["href"] == f"/static/icsatlas.css?v={digest}"


def test_the_header_menu_appears_when_given_and_marks_the_current_page():
    page = render(
        '{% extends "layout.html" %}',
        navigation=[{"href": "/", "text": "Home", "current": True}, {"href": "/r", "text": "R"}],
    )
    menu = page.find("header").find("nav", aria_label="Menu")
    assert [(a.attrs["href"], a.attrs.get("aria-current")) for a in menu.find_all("a")] == [
        ("/", "page"),
        ("/r", None),
    ]
    assert not render('{% extends "layout.html" %}').find_all("nav", aria_label="Menu")


def test_a_table_has_its_caption_right_aligned_numbers_and_a_row_of_downloads():
    table = macro(
        'data_table("Allocation by year", ["Year", "£ million", "Note"], rows, downloads=links)',
        rows=[["2024/25", 1234.5, None], ["2025/26", 1300, "provisional"]],
        links=[{"href": "/a.csv", "text": "CSV"}, {"href": "/a.json", "text": "JSON"}],
    )
    assert table.find("caption").text == "Allocation by year"
    headers = table.find("thead").find_all("th")
    assert [th.attrs["scope"] for th in headers] == ["col"] * 3
    assert [("nhsuk-table__header--numeric" in th.classes()) for th in headers] == [
        False,
        True,
        False,
    ]
    rows = table.find("tbody").find_all("tr")
    assert [[cell.text for cell in row.iter() if cell.tag in ("th", "td")] for row in rows] == [
        ["2024/25", "1,234.5", ""],
        ["2025/26", "1,300", "provisional"],
    ]
    assert rows[0].find("th").attrs["scope"] == "row"
    downloads = table.find("p", class_="app-downloads")
    assert [a.attrs["href"] for a in downloads.find_all("a")] == ["/a.csv", "/a.json"]
    assert downloads.find_all("a")[0].text == "CSV of Allocation by year"


def test_a_summary_list_shows_numbers_markup_and_what_is_not_recorded():
    rows = [("Population", 812345), ("Website", Markup('<a href="/w">w</a>')), ("Chair", None)]
    facts = macro("summary_list(rows)", rows=rows)
    keys = [dt.text for dt in facts.find_all("dt")]
    values = [dd.text for dd in facts.find_all("dd")]
    assert dict(zip(keys, values, strict=True)) == {
        "Population": "812,345",
        "Website": "w",
        "Chair": "Not recorded",
    }
    assert facts.find("a").attrs["href"] == "/w"


def test_a_warning_has_a_second_level_heading_and_escapes_its_text():
    callout = macro('warning("This ICB was abolished", text)', text="<Frimley> & Surrey")
    heading = callout.find("h2")
    assert heading.text == "Important: This ICB was abolished"
    assert callout.find("p").text == "<Frimley> & Surrey"  # text, not markup
    assert not callout.find_all("frimley")


def test_inset_text_wraps_plain_text_in_a_paragraph():
    inset = macro('inset("Figures for 2026/27.")')
    assert inset.find(class_="nhsuk-inset-text").find("p").text == "Figures for 2026/27."


def test_an_area_card_links_its_name_and_says_what_kind_of_area_it_is():
    card = macro(
        'area_card(name, "/icb/QXU", "Integrated care board", "QXU")',
        name="NHS Surrey Heartlands ICB",
    )
    assert "nhsuk-card--clickable" in card.find(class_="nhsuk-card").classes()
    link = card.find("h3").find("a")
    assert (link.text, link.attrs["href"]) == ("NHS Surrey Heartlands ICB", "/icb/QXU")
    assert card.find("p").text == "Integrated care board · QXU"


def test_pagination_links_previous_and_next_with_their_labels():
    both = macro(
        "pagination(previous={'href': '?c=1', 'label': 'ICBs 1 to 20'},"
        " next={'href': '?c=3', 'label': 'ICBs 41 to 42'})"
    )
    nav = both.find("nav", aria_label="Pagination")
    assert [(a.attrs["rel"], a.attrs["href"], a.text) for a in nav.find_all("a")] == [
        ("prev", "?c=1", "Previous page : ICBs 1 to 20"),
        ("next", "?c=3", "Next page : ICBs 41 to 42"),
    ]
    first_page = macro("pagination(next={'href': '?c=2', 'label': 'ICBs 21 to 40'})")
    assert [a.attrs["rel"] for a in first_page.find_all("a")] == ["next"]


def test_a_chart_has_its_table_beside_it():
    figure = macro(
        "chart_with_table(chart, 'Admissions', ['Year', 'Admissions'], [['2024', 1200]])",
        chart=Markup('<svg role="img" aria-label="Admissions by year"></svg>'),
    )
    parts = figure.find(class_="app-figure").children
    chart, table = (part for part in parts if isinstance(part, Element))
    assert "app-figure__chart" in chart.classes()
    assert chart.find("svg").attrs["aria-label"] == "Admissions by year"
    assert "app-figure__table" in table.classes()
    assert table.find("caption").text == "Admissions"


def test_trimming_template_whitespace_changes_no_text_or_markup():
    """The environment drops block tags' whitespace (half the bytes): the design system's
    macros must render the same text and elements as without it."""
    source = PAGE.replace(
        "<h1>NHS Frimley ICB</h1>",
        MACROS
        + """
        {{ data_table("T", ["A", "B"], [["x", 1]], downloads=[{"href": "/t.csv", "text": "CSV"}]) }}
        {{ summary_list({"Code": "QNQ"}) }} {{ warning("W", "w") }} {{ inset("i") }}
        {{ area_card("N", "/n", "K", "C") }} {{ pagination(next={"href": "?c=2", "label": "2"}) }}
        """,
    )
    trimmed = environment()
    untrimmed = environment()
    untrimmed.trim_blocks = untrimmed.lstrip_blocks = False
    context = {"navigation": [{"href": "/", "text": "Home", "current": True}]}
    pages = [parse(env.from_string(source).render(**context)) for env in (trimmed, untrimmed)]

    def elements(page: Element):
        return [(element.tag, element.attrs) for element in page.iter()]

    assert pages[0].text == pages[1].text
    assert elements(pages[0]) == elements(pages[1])


def test_the_jinja_macros_are_the_port_of_the_locked_design_system():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    frontend = lock["packages"]["node_modules/nhsuk-frontend"]["version"]
    assert JINJA_PORT_FOR.get(frontend) == version("nhsuk-frontend-jinja")


def test_a_column_of_links_is_not_taken_for_numbers():
    """A cell given as markup ({"html": ...}) has content: its column's header stays left
    (regression: the England and council pages right-aligned 'Covered by')."""
    from markupsafe import Markup

    from icsatlas.web.tables import data_table

    html = data_table("Areas", ["Covered by", "Share"], [[{"html": Markup("<a>Surrey</a>")}, 1]])
    assert '<th class="nhsuk-table__header" scope="col">Covered by</th>' in html
    assert 'nhsuk-table__header--numeric" scope="col">Share</th>' in html
