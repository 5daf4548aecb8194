"""One way to shorten the names of NHS bodies and areas for tables and headings."""

from __future__ import annotations

import re

ENGLAND_ONS = "E92000001"
_WORD_NOISE = re.compile(
    r"\b(nhs|integrated care board|icb|sub[- ]icb location|the|and|&)\b|[^a-z0-9 ]"
)
_ICB = re.compile(r"^(?:NHS )?(.*?) (?:Integrated Care Board|ICB)$")
_SUB_ICB = re.compile(r"^(?:NHS )?(.*?) ICB - (\w+)$")


def short_name(name: str) -> str:
    """'NHS Frimley Integrated Care Board' -> 'Frimley';
    'NHS West Yorkshire ICB - 15F' -> 'West Yorkshire 15F' (a sub-ICB location)."""
    text = str(name).strip()
    sub_icb = _SUB_ICB.match(text)
    if sub_icb:
        return f"{sub_icb[1]} {sub_icb[2]}"
    icb = _ICB.match(text)
    return icb[1] if icb else text


def normalise(text: str) -> str:
    """Lower-case, without 'NHS', 'ICB', 'and' and punctuation, for forgiving matches."""
    return " ".join(_WORD_NOISE.sub(" ", text.lower().replace("&", " and ")).split())
