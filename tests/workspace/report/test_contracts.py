"""Contracts in SPC concern: the stored KPI series of the area's bodies whose latest point is
special-cause concern, exactly as ``ws.contracts.kpi`` answers."""

from __future__ import annotations

import pytest

import icsatlas
from icsatlas.workspace import Workspace
from tests.workspace.report.conftest import ON


@pytest.fixture(scope="module")
def with_kpis(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    home = tmp_path_factory.mktemp("report-kpis")
    ws = icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)
    ws.contracts.load_kpi("ae-4h")  # NHS England A&E attendances and emergency admissions
    return ws


def test_the_section_is_the_kpi_answer_in_concern(with_kpis):
    section = with_kpis.report("QWO", ON).sections["contracts"]
    expected = with_kpis.contracts.kpi(area="QWO", on=ON, concern_only=True, brief=True)
    assert section.table == expected.table
    assert len(section) > 0
    assert set(section.table.column("variation")) <= {"concern_low", "concern_high"}
