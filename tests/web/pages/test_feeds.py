"""The Atom feeds of register changes (RFC 4287), parsed as XML: every required element, one
entry per change with a stable id, and a register write made here appearing with its time
and author."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib import resources

import pytest

import icsatlas
from icsatlas.web import state
from icsatlas.web.app import create_app
from icsatlas.web.pages.feeds import EPOCH
from tests.web.conftest import InProcess
from tests.web.dom import parse

NS = {"atom": "http://www.w3.org/2005/Atom"}
BOARD = resources.files("icsatlas.data") / "examples" / "board_hertfordshire_west_essex.csv"


def feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall("atom:entry", NS)


def check_atom(root: ET.Element) -> None:
    """RFC 4287 4.1.1 and 4.1.2: what a feed and each entry must have."""
    for name in ("id", "title", "updated"):
        assert root.findtext(f"atom:{name}", namespaces=NS)
    links = root.findall("atom:link[@rel='self']", NS)
    assert len(links) == 1 and links[0].get("href")
    for entry in entries(root):
        for name in ("id", "title", "updated", "content", "author/atom:name"):
            assert entry.findtext(f"atom:{name}", namespaces=NS), name
    ids = [e.findtext("atom:id", namespaces=NS) for e in entries(root)]
    assert len(ids) == len(set(ids))


def test_the_changes_feed_has_one_entry_per_change(app_client):
    root = feed(app_client, "/feeds/changes.atom")
    check_atom(root)
    rows = state.workspace().register.changes(EPOCH).table.records()
    got = [e.findtext("atom:id", namespaces=NS) for e in entries(root)]
    assert got == [f"tag:icsatlas,2026:change/{r['change']}" for r in rows][:100]


def test_area_and_function_feeds_list_only_their_changes(app_client):
    everything = {
        e.findtext("atom:id", namespaces=NS)
        for e in entries(feed(app_client, "/feeds/changes.atom"))
    }
    for url in ("/feeds/area/QWO.atom", "/feeds/function/continuing-healthcare.atom"):
        root = feed(app_client, url)
        check_atom(root)
        ids = {e.findtext("atom:id", namespaces=NS) for e in entries(root)}
        assert ids and ids < everything


@pytest.mark.parametrize("url", ["/feeds/area/ZZZ99.atom", "/feeds/function/no-such.atom"])
def test_an_unknown_area_or_function_is_not_found(app_client, url):
    assert app_client.get(url).status_code == 404


@pytest.fixture
def elsewhere():
    """Put the shared workspace back for the session's app_client afterwards."""
    url, home = state.settings.url, state.settings.home
    yield
    state.configure(url, home)


def test_a_board_import_appears_with_its_time_and_author(tmp_path, elsewhere):
    url = f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
    built = icsatlas.open(url, home=tmp_path)
    assert built.latest_change  # builds the register
    built.close()
    client = InProcess(create_app(url, tmp_path))
    before = entries(feed(client, "/feeds/area/QM7.atom"))
    writer = icsatlas.open(url, home=tmp_path)
    saved = writer.register.import_board(
        str(BOARD), "from the <constitution> & minutes", actor="board-clerk"
    )
    writer.close()
    for address in ("/feeds/changes.atom", "/feeds/area/QM7.atom"):
        root = feed(client, address)
        check_atom(root)
        newest = entries(root)[0]
        change = saved.change
        assert newest.findtext("atom:id", namespaces=NS) == (
            f"tag:icsatlas,2026:change/{change.change_id}"
        )
        assert newest.findtext("atom:author/atom:name", namespaces=NS) == "board-clerk"
        stamp = change.recorded_at.replace(microsecond=0).isoformat() + "Z"
        assert newest.findtext("atom:updated", namespaces=NS) == stamp
        assert root.findtext("atom:updated", namespaces=NS) == stamp
        assert "from the <constitution> & minutes" in newest.findtext("atom:title", namespaces=NS)
    assert len(entries(feed(client, "/feeds/area/QM7.atom"))) == len(before) + 1
    function = feed(client, "/feeds/function/continuing-healthcare.atom")
    assert f"change/{saved.change.change_id}" not in ET.tostring(function, encoding="unicode")


def test_an_area_page_names_its_feed(app_client):
    page = parse(app_client.get("/icb/QWO").text)
    link = page.find("link", rel="alternate")
    assert link.attrs["type"] == "application/atom+xml"
    assert feed(app_client, link.attrs["href"]).findtext("atom:id", namespaces=NS)


def test_a_feed_is_titled_by_what_it_follows(app_client):
    title = feed(app_client, "/feeds/area/QWO.atom").findtext("atom:title", namespaces=NS)
    assert title.startswith("icsatlas: Changes to the register in ")
    assert "1970" not in title
