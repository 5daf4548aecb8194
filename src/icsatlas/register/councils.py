"""Councils: their tiers and the forms of their names (the records are made at build time by
:mod:`icsatlas.register.council_records`).

Tiers follow the ONS code of the authority: ``E06`` unitary authority, ``E07`` district
(non-metropolitan) council, ``E08`` metropolitan borough, ``E09`` London borough (and the City
of London), ``E10`` county council. Unitary authorities, metropolitan and London boroughs are
both tiers at once; a district lies within a county.
"""

from __future__ import annotations

import re

from icsatlas.names import normalise

TIERS = {
    "E06": "unitary authority",
    "E07": "district council",
    "E08": "metropolitan borough",
    "E09": "London borough",
    "E10": "county council",
}
_NOISE = re.compile(
    r"\b(council|county|city|metropolitan|borough|district|royal|london|of|corporation|"
    r"unitary|authority)\b"
)


def tier(code: str) -> str:
    """'county council', 'district council', 'unitary authority', ... from the ONS code."""
    return TIERS.get(code[:3], "local authority")


def is_upper_tier(code: str) -> bool:
    """Whether the council holds upper-tier duties (social care, public health, BCF)."""
    return code[:3] != "E07"


def council_key(name: str) -> str:
    """A council's name without the words councils vary in: 'Surrey County Council',
    'Surrey' and 'County of Surrey' all give 'surrey'."""
    return " ".join(_NOISE.sub(" ", normalise(name)).split())
