"""How a cell of a Workspace answer is shown on a page (web/pages/view.py)."""

from __future__ import annotations

import pytest

from icsatlas.web.pages.view import _cell


def test_a_web_address_is_a_link_named_by_its_site():
    cell = _cell("https://hertsandwestessex.icb.nhs.uk/us/constitution/2?a=1&b=<2>", "source")
    assert cell == {
        "html": '<a href="https://hertsandwestessex.icb.nhs.uk/us/constitution/2?a=1&amp;b=&lt;2&gt;">'
        "hertsandwestessex.icb.nhs.uk</a>"
    }


@pytest.mark.parametrize(
    "text",
    [
        "http://[oops",  # urlsplit raises: a typo in a source must not break the page
        "https://evil.example\\@www.nhs.uk/",  # a browser opens evil.example
        "https://someone@evil.example/",
        "https://www.nhs.uk/a page",
        "https://",
        "javascript:alert(1)",
    ],
)
def test_an_address_that_could_mislead_or_is_malformed_is_text(text):
    assert _cell(text, "source") == text
