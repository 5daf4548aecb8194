"""Issue 11, done means: a PDF and HTML briefing for every ICB and every upper-tier council
builds; each PDF passes the pikepdf checks, has 2-4 pages, and its headline figures are the
Workspace's answer for the same area and date."""

from __future__ import annotations

import io
import re
from datetime import date

import pikepdf
import pytest
from pypdf import PdfReader

from icsatlas import briefings
from icsatlas.briefings import batch, build, figures
from icsatlas.briefings.release import release

ON = date(2026, 6, 1)


def _check(ws, code: str) -> None:
    report = ws.report(code, ON)
    doc = build.document(ws, report, release(ws))
    page = briefings.render(doc, "html").decode()
    pdf = briefings.render(doc, "pdf")
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert 2 <= len(opened.pages) <= 4, f"{code}: {len(opened.pages)} pages"
        assert "/StructTreeRoot" in opened.Root and str(opened.Root.Lang) == "en-GB"
        assert str(opened.docinfo.Title) == doc.title
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for money in report.section("money").table.records():
        for shown in (
            figures.millions(money["allocation_gbp"]),
            figures.pounds(money["allocation_per_head"]),
        ):
            assert shown in text, f"{code}: {shown}"
            assert shown in page, f"{code}: {shown}"


@pytest.mark.slow
def test_every_icb(ws):
    for code, _ in batch.areas(ws, "icb", ON):
        _check(ws, code)


@pytest.mark.slow
def test_every_upper_tier_council(ws):
    for code, _ in batch.areas(ws, "council", ON):
        _check(ws, code)
