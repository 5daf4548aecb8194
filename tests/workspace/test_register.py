"""The Python API notebook users call: typed results with DataFrames and provenance."""

from __future__ import annotations

import pandas as pd
import pytest

from icsatlas.workspace.register import Atlas
from icsatlas.errors import IcsatlasError


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.in_memory()


def test_areas_come_back_as_a_dataframe_with_provenance(atlas):
    result = atlas.areas("icb", "2026-04-01")
    assert isinstance(result.frame, pd.DataFrame) and len(result.frame) == 36
    assert result.frame.registered_patients_2026_08.sum() == 63_237_908
    assert "registered_patients_2026_08" in result.provenance.data


def test_what_if_reforms_stack_and_are_named_in_provenance(atlas):
    after = atlas.with_reform("blueprint-2025")
    result = after.who("workforce planning", area="Cheshire and Merseyside", on="2026-06-01")
    assert result.frame.holder_type.tolist() == ["nhs-region"]
    assert result.provenance.reform == "blueprint-2025"
    assert atlas.who("workforce planning", "QYG", "2026-06-01").frame.holder_type[0] == "icb"


def test_a_place_can_be_added_and_inherits_its_icbs_holders(atlas, tmp_path):
    reform = tmp_path / "places.yaml"
    reform.write_text(
        "name: wirral-place\ntitle: Wirral place\nsource: local constitution\n"
        "effective: 2026-04-01\noperations:\n"
        "  - establish: {type: place, id: place:wirral, name: Wirral place, parent: QYG}\n"
        "  - assign: {function: neighbourhood-health-commissioning, areas: [place:wirral],\n"
        "             holder: QYG, basis: delegation}\n"
    )
    with_place = atlas.with_reform(str(reform))
    eprr = with_place.who("EPRR", area="Wirral place", on="2026-06-01").frame
    assert eprr.held_at[0] == "NHS Cheshire and Merseyside Integrated Care Board"
    own = with_place.who("neighbourhood health", area="Wirral place", on="2026-06-01").frame
    assert own.held_at[0] == "Wirral place" and own.basis[0] == "delegation"


def test_writes_are_refused_on_top_of_a_what_if(atlas):
    with pytest.raises(IcsatlasError, match="what-ifs"):
        atlas.with_reform("blueprint-2025").apply_reform("blueprint-2025", reason="no")
