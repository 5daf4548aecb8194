"""One short-name function for every table and heading.

Expected names follow the rule by hand: an ICB loses "NHS" and "Integrated Care Board" (or
"ICB"); a sub-ICB location keeps its ICB's short name and its code; other bodies are whole."""

import pytest

from icsatlas.names import short_name


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("NHS Frimley Integrated Care Board", "Frimley"),
        ("NHS Cheshire and Merseyside ICB", "Cheshire and Merseyside"),
        ("NHS West Yorkshire ICB - 15F", "West Yorkshire 15F"),
        ("NHS England", "NHS England"),
        ("Leeds Teaching Hospitals NHS Trust", "Leeds Teaching Hospitals NHS Trust"),
    ],
)
def test_short_name(name, short):
    assert short_name(name) == short
