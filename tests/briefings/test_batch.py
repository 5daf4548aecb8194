"""Every area's briefing into one folder: the list of areas, the index, failures reported."""

from __future__ import annotations

from datetime import date

from icsatlas.briefings import batch
from tests.web.dom import parse

ON = date(2026, 6, 1)


def test_the_areas_of_each_kind(ws):
    # NHS England: 42 ICBs until 1 April 2026, 36 after the mergers (icb_crosswalk_2023_to_2026)
    assert len(batch.areas(ws, "icb", date(2025, 6, 1))) == 42
    assert len(batch.areas(ws, "icb", ON)) == 36
    # ONS: 153 upper-tier local authorities in England (counties, unitaries, metropolitan
    # districts, London boroughs and the City of London) since April 2023
    councils = batch.areas(ws, "council", ON)
    assert len(councils) == 153
    assert not any(code.startswith("E07") for code, _ in councils)


def test_a_failure_is_reported_and_the_rest_are_written(ws, tmp_path):
    chosen = [("QWO", "West Yorkshire"), ("ZZZZZ", "Nowhere"), ("M2L0M", "Shropshire")]
    seen: list[str] = []
    outcomes = batch.write_all(ws, chosen, tmp_path, on=ON, reform=None, fmt="md", step=seen.append)
    assert seen == ["West Yorkshire", "Nowhere", "Shropshire"]
    assert [o.file is not None for o in outcomes] == [True, False, True]
    assert "ZZZZZ" in outcomes[1].error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["M2L0M.md", "QWO.md", "index.html"]
    index = parse((tmp_path / "index.html").read_text())
    assert [a.attrs["href"] for a in index.find_all("a")] == ["QWO.md", "M2L0M.md"]
    assert "failed: " in index.text
