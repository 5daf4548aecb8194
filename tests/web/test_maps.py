"""Maps: the shipped boundary sets and the SVG renderer (issue 10, "Maps").

Counts: 42 ICBs from July 2022 to March 2026 and 36 from 1 April 2026 (ONS ICB April 2023
and April 2026 boundaries; NHS England, Patients Registered at a GP Practice, Aug 2026);
106 sub-ICB locations, 7 NHS England regions, 153 English counties and unitary authorities
(December 2023) and 296 English districts (May 2024) in the ONS boundary files
(shared/data/PROVENANCE.md, Boundaries).
"""

from __future__ import annotations

import gzip
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

import icsatlas
from icsatlas import data
from icsatlas.web import maps
from tests.conftest import MERGER_2027

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "src" / "icsatlas" / "web" / "maps"
SVG = "{http://www.w3.org/2000/svg}"
AREAS = {
    "icb-2026": 36,
    "icb-2023": 42,
    "sub-icb-2023": 106,
    "region-2024": 7,
    "upper-tier-2023": 153,
    "lower-tier-2024": 296,
}
WEST_YORKSHIRE, HUMBER = "E54000054", "E54000051"  # ICB26CD, neighbours on both maps


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


def vertices(path: str) -> list[list[tuple[int, int]]]:
    """The absolute points of each ring of an SVG path made of M, l and z."""
    rings = []
    for ring in re.findall(r"M([^z]*)z", path):
        start, _, steps = ring.partition("l")
        x, y = (int(n) for n in start.split())
        points = [(x, y)]
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        rings.append(points)
    return rings


def svg_tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on malformed XML


@pytest.mark.parametrize(("on", "count"), [(date(2026, 6, 1), 36), (date(2025, 6, 1), 42)])
def test_every_icb_in_force_has_its_own_path(ws, on, count):
    drawn = maps.geography_layer(ws.geography(on))
    assert len(drawn.shapes) == count and all(s.path.startswith("M") for s in drawn.shapes)
    assert drawn.missing == () and drawn.notes == ()  # each drawn by its own boundary


def test_the_icb_boundaries_change_on_the_day_of_the_mergers():
    assert maps.boundary_set_key("icb", date(2026, 3, 31)) == "icb-2023"
    assert maps.boundary_set_key("icb", date(2026, 4, 1)) == "icb-2026"
    assert maps.boundary_set_key("sub-icb", date(2026, 4, 1)) == "sub-icb-2023"


def test_the_svg_is_well_formed_and_names_itself_and_every_area():
    svg = maps.render("icb-2026", title="ICBs & their areas")
    root = svg_tree(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "ICBs & their areas"
    assert "Office for National Statistics" in desc.text
    paths = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    names = {p.find(f"{SVG}title").text for p in paths}
    assert len(paths) == 36 and "NHS West Yorkshire Integrated Care Board" in names


def test_a_linked_map_is_a_group_of_named_links():
    """Links inside role=img would be hidden from screen readers."""
    svg = maps.render("icb-2026", link="/icb/{code}?on=2026-06-01&reform=x")
    root = svg_tree(svg)
    links = list(root.iter(f"{SVG}a"))
    assert root.get("role") == "group" and len(links) == 36
    leeds = next(a for a in links if WEST_YORKSHIRE in a.get("href"))
    assert leeds.get("href") == f"/icb/{WEST_YORKSHIRE}?on=2026-06-01&reform=x"
    assert leeds.get("aria-label") == "NHS West Yorkshire Integrated Care Board"


def test_the_2026_icb_map_weighs_at_most_40_kb_gzipped():
    values = {code: i * 1234.5 for i, code in enumerate(maps.boundary_set("icb-2026").areas)}
    svg = maps.render(
        "icb-2026", values=values, highlight=[WEST_YORKSHIRE], link="/icb/{code}?on=2026-06-01"
    )
    assert len(gzip.compress(svg.encode())) <= 40_000


@pytest.mark.parametrize("key", ["icb-2026", "icb-2023"])
def test_neighbours_share_their_border_vertex_for_vertex(key):
    found = maps.boundary_set(key)
    west = vertices(found.path(WEST_YORKSHIRE))
    humber = vertices(found.path(HUMBER))
    west_edges = {(a, b) for ring in west for a, b in itertools.pairwise(ring)}
    shared = [
        (a, b) for ring in humber for a, b in itertools.pairwise(ring) if (b, a) in west_edges
    ]
    assert len(shared) >= 20  # the same border walked the other way, edge by edge


def test_a_what_if_merger_is_drawn_as_the_union_of_the_icbs_it_joins(ws):
    drawn = maps.geography_layer(ws.with_reforms(MERGER_2027).geography("2027-06-01"))
    merged = next(s for s in drawn.shapes if s.code == "E54999999")
    found = drawn.boundaries
    assert len(drawn.shapes) == 35 and len(vertices(merged.path)) == 1  # one outline
    outline = set(vertices(merged.path)[0])
    parts = {p for c in (WEST_YORKSHIRE, HUMBER) for ring in vertices(found.path(c)) for p in ring}
    assert outline < parts  # their outer points only: the border between them has gone
    assert any("union of" in n and "West Yorkshire" in n for n in drawn.notes)


def test_an_icb_whose_sub_icb_locations_moved_is_redrawn_from_them():
    on = date(2026, 6, 1)
    found = maps.boundary_set("icb-2026")
    west = sorted(found.areas[WEST_YORKSHIRE].members)
    drawn = maps.layer("icb", on, {WEST_YORKSHIRE: "West Yorkshire"}, {WEST_YORKSHIRE: west[1:]})
    assert drawn.shapes[0].path != found.path(WEST_YORKSHIRE)
    assert "union of its 4 sub-ICB locations" in drawn.notes[0]


def test_an_area_with_no_boundary_is_listed_never_silently_left_out(ws):
    drawn = maps.geography_layer(ws.geography("2026-06-01"), "sub-icb")
    # the sub-ICB locations recoded in the Frimley split (sicbl_aug2026) have no 2023 boundary
    assert {code for code, _ in drawn.missing} == {"E38000266", "E38000267", "E38000268"}
    assert len(drawn.shapes) == 103
    assert all("no boundary shipped" in n for n in drawn.notes)
    assert "no boundary shipped" in svg_tree(maps.render(drawn)).find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("level", "code", "drawn_as"),
    [
        ("lower-tier", "E08000038", "E08000016"),  # Barnsley
        ("upper-tier", "E08000039", "E08000019"),  # Sheffield
        ("region", "E40000007", "E40000013"),  # East of England
        ("icb", "E54000052", "E54000063"),  # Surrey Heartlands, July 2022 code
    ],
)
def test_register_codes_the_boundary_files_spell_differently(level, code, drawn_as):
    on = date(2022, 10, 1) if level == "icb" else date(2026, 6, 1)
    drawn = maps.layer(level, on, {code: "an area"})
    assert drawn.shapes[0].path == drawn.boundaries.path(drawn_as)
    assert drawn_as in drawn.notes[0]


def test_the_map_aliases_agree_with_the_register_councils_other_codes():
    from icsatlas.register.council_records import LAD_2024_CODES

    for code, (other,) in LAD_2024_CODES.items():
        assert maps.boundary_code(code) == other


def test_values_fall_in_five_bands_with_a_legend():
    codes = list(maps.boundary_set("region-2024").areas)
    values = dict(zip(codes, [1, 2, 3, 4, 5, 6, None], strict=True))
    root = svg_tree(maps.render("region-2024", values=values))
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text][:6]
    assert legend == ["1", "2", "3", "4", "5 to 6", "No data"]
    fills = {
        p.find(f"{SVG}title").text: p.get("fill")
        for p in root.iter(f"{SVG}path")
        if p.find(f"{SVG}title") is not None
    }
    assert len(set(fills.values())) == 6


def test_categories_get_a_colour_each_and_highlights_an_outline():
    codes = list(maps.boundary_set("region-2024").areas)
    values = {c: ("ICB" if i % 2 else "NHS England") for i, c in enumerate(codes)}
    root = svg_tree(maps.render("region-2024", values=values, highlight=codes[:1]))
    assert [t.text for t in root.iter(f"{SVG}text")][:2] == ["ICB", "NHS England"]
    outlined = [g for g in root.iter(f"{SVG}g") if g.get("fill") == "none"]
    assert len(outlined) == 1 and len(outlined[0]) == 1


def test_shipped_map_data_is_whole_and_cited():
    for key, count in AREAS.items():
        found = maps.boundary_set(key)
        assert len(found.areas) == count
        for code in found.areas:
            for ring in found.rings(code):
                points = found.points(ring)
                assert points[0] == points[-1] and len(points) >= 4  # closed
        assert data.source(f"map_{key.replace('-', '_')}").licence.startswith("OGL v3")


def test_the_renderer_needs_neither_shapely_nor_pandas():
    code = (
        "import sys, icsatlas.web.maps as m; m.render('lower-tier-2024');"
        "print(sorted({'shapely', 'topojson', 'pandas', 'numpy'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def shared_boundaries() -> Path | None:
    for folder in (ROOT.parent, ROOT.parent.parent):
        if (folder / "shared" / "data" / "boundaries").is_dir():
            return folder / "shared" / "data" / "boundaries"
    return None


@pytest.mark.slow
def test_the_derivation_reproduces_the_shipped_files(tmp_path):
    """Rerun scripts/derive-maps where the ONS files are beside the repository; elsewhere
    check what can be checked without them: the shipped files parse and are whole."""
    source = shared_boundaries()
    if source is None:
        test_shipped_map_data_is_whole_and_cited()
        return
    script = ROOT / "scripts" / "derive-maps"
    for run in ("first", "second"):
        subprocess.run(
            [sys.executable, script, "--source", source, "--out", tmp_path / run],
            check=True,
            capture_output=True,
        )
    for shipped in sorted(SHIPPED.glob("*.json")):
        first = (tmp_path / "first" / shipped.name).read_bytes()
        assert first == (tmp_path / "second" / shipped.name).read_bytes()
        assert first == shipped.read_bytes(), f"{shipped.name} differs: rerun scripts/derive-maps"
