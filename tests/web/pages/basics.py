"""Accessibility basics every civic page is checked for, without a browser: headings that
start at one h1 and never skip a level, a caption on every table, a label for every field."""

from __future__ import annotations

import itertools

from tests.web.dom import Element


def assert_accessible_basics(page: Element) -> None:
    levels = [int(e.tag[1]) for e in page.iter() if e.tag in {"h1", "h2", "h3", "h4", "h5"}]
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    for table in page.find_all("table"):
        assert table.find("caption").text
    for form in page.find_all("form"):
        for field in form.find_all("input"):
            if field.attrs.get("type") not in {"hidden", "submit"}:
                assert form.find("label", **{"for": field.attrs["id"]})
