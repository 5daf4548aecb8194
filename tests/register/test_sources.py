"""Shipped register data cites the right source for each kind of record and reads as
neutral sourced statements (issue 9 §6: the Liverpool CCG page was cited for every 2022 ICB
assignment; internal notes and first-person authoring text were shipped)."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

ESTABLISHED = date(2022, 7, 1)
# NHS Act 2006 ss14Z25-14Z28 (establishment of ICBs by NHS England order; s14Z27 abolition
# of CCGs), inserted by the Health and Care Act 2022 s19.
ESTABLISHMENT = (
    "https://legislation.gov.uk/ukpga/2006/41/part/2/chapter/A3/crossheading/"
    "establishment-of-integrated-care-boards-including-by-repurposing-clinical-commissioning-groups"
)
# Local Government and Public Involvement in Health Act 2007 s116ZA (ICPs).
ICP_STATUTE = "https://legislation.gov.uk/ukpga/2007/28/section/116ZA/2022-07-01"

PACKAGE = Path(str(resources.files("icsatlas")))
REGISTER_DATA = sorted(
    {
        *(PACKAGE / "reforms").glob("*.yaml"),
        *(PACKAGE / "register").glob("*.yaml"),
        *(PACKAGE / "data" / "examples").iterdir(),
        *(PACKAGE / "data" / "templates").iterdir(),
        PACKAGE / "data" / "sources.yaml",
        *(PACKAGE / "data").rglob("*.md"),
    }
)
AUTHORING = re.compile(
    r"\bI (?:could|did|read|have|think|am|was|saw)\b|\b[Ww]e (?:found|took|use|could|did|have|"
    r"read|think|assume)\b|\b[Oo]ur (?:own|script|lookups|assumption)\b|\bnot read\b|corpus|"
    r"search tool|stored cop|retrievable|ICS-REFERENCE|TODO|FIXME|note to self|liverpoolccg",
)


def created_by_establishment(register):
    for kind in ("organisation", "area", "assignment", "relationship"):
        for record in register.records[kind].values():
            ccg = getattr(record, "org_type", "") == "ccg"
            if getattr(record, "valid_from", None) == ESTABLISHED or ccg:
                yield record


def test_no_2022_record_cites_the_liverpool_ccg_page(register):
    sources = {r.source for r in created_by_establishment(register)}
    assert not any("liverpoolccg" in s for s in sources)


def test_icbs_and_ccgs_cite_the_establishment_sections(register):
    icbs = [o for o in register.organisations.values() if o.org_type == "icb"]
    assert {o.source for o in icbs if o.valid_from == ESTABLISHED} == {ESTABLISHMENT}
    ccgs = [o for o in register.organisations.values() if o.org_type == "ccg"]
    # 106 sub-ICB locations (former CCGs) in the ONS April 2023 lookup (sicbl_icb_region_2023)
    assert len(ccgs) == 106 and {o.source for o in ccgs} == {ESTABLISHMENT}


def test_icps_cite_section_116za(register):
    icps = [o for o in register.organisations.values() if o.org_type == "icp"]
    assert icps and {o.source for o in icps} == {ICP_STATUTE}


@pytest.mark.parametrize(
    ("function", "statute"),
    [
        # Health and Care Act 2022 s21 substitutes NHS Act 2006 s3 (ICBs arrange services)
        ("arrange-health-services", "https://legislation.gov.uk/ukpga/2022/31/section/21"),
        # NHS Act 2006 Sch 1B (ICB constitution and board transparency)
        ("board-transparency", "https://legislation.gov.uk/ukpga/2006/41/schedule/1B/part/1"),
        # NHS Act 2006 s7A (public health functions: vaccination and screening)
        ("vaccination-and-screening", "http://legislation.gov.uk/ukpga/2006/41/section/7A"),
    ],
)
def test_a_statutory_holding_cites_its_statute(register, function, statute):
    area = register.governed_area("QYG", ESTABLISHED)
    [holding] = register.assignments_at(function, area.area_id, ESTABLISHED)
    assert holding.source.startswith(statute)


@pytest.mark.parametrize("path", REGISTER_DATA, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_shipped_register_data_has_no_authoring_notes(path):
    found = [
        f"{path.name}:{n}: {m[0]}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for m in [AUTHORING.search(line)]
        if m
    ]
    assert found == []
