"""The PDF (tagged, titled, fonts embedded, key figures in its text) and the printable HTML."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from icsatlas import briefings
from icsatlas.briefings import figures
from tests.briefings.conftest import ON


@pytest.fixture(scope="module")
def qwo_pdf(ws) -> bytes:
    return briefings.render(briefings.briefing(ws, "QWO", ON), "pdf")


def test_pdf_opens_with_two_to_four_pages(qwo_pdf):
    with pikepdf.open(io.BytesIO(qwo_pdf)) as pdf:
        assert 2 <= len(pdf.pages) <= 4  # the issue: 2-4 pages for an ICB


def test_pdf_is_tagged_with_title_and_language(qwo_pdf):
    with pikepdf.open(io.BytesIO(qwo_pdf)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo.Title) == "Briefing: NHS West Yorkshire Integrated Care Board"
        with pdf.open_metadata() as meta:
            assert "ua" in str(meta).lower()  # pdfuaid part declared (PDF/UA-1)


def test_pdf_embeds_every_font(qwo_pdf):
    with pikepdf.open(io.BytesIO(qwo_pdf)) as pdf:
        fonts = [
            font for page in pdf.pages for font in (page.Resources.get("/Font") or {}).values()
        ]
        assert fonts
        for font in fonts:
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert "SourceSansPro" in str(descriptor.FontName)


def test_pdf_text_carries_the_reports_key_figures(ws, qwo_pdf):
    money = ws.report("QWO", ON).section("money").table.records()[0]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(qwo_pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    for shown in (
        figures.millions(money["allocation_gbp"]),
        figures.pounds(money["allocation_per_head"]),
        figures.percent(money["distance_from_target"], signed=True, fraction=True),
        figures.millions(money["blueprint_cut_gbp"]),
    ):
        assert shown in text


def test_html_is_self_contained_and_printable(ws):
    page = briefings.render(briefings.briefing(ws, "QWO", ON), "html").decode()
    assert '<html lang="en-GB">' in page
    assert "@media print" in page and "@page" in page
    assert not re.search(r"<(link|script|img)\b", page)  # no external assets
    assert "<svg" in page and "<table>" in page  # a chart with a table beside it
