"""A workspace answers from its snapshot while nothing has changed, and sees every change."""

from __future__ import annotations

import json

import pytest

import icsatlas
from icsatlas.errors import IcsatlasError


@pytest.fixture
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


def _open(home):
    return icsatlas.open(f"duckdb:///{home / 'atlas.duckdb'}", home=home)


def test_a_write_is_seen_by_the_next_workspace(home, tmp_path):
    first = _open(home)
    before = first.register.who("EPRR", "QWO", "2027-06-01").table.column("holder_type")
    assert before == ["icb"]
    reform = tmp_path / "eprr.yaml"
    reform.write_text(
        "name: eprr-to-regions\ntitle: EPRR to regions\nsource: https://example.org\n"
        "effective: 2027-04-01\noperations:\n"
        "  - transfer: {function: eprr, from: icb, to: nhs-region}\n"
    )
    first.register.apply_reform(str(reform), reason="test")
    assert first.register.who("EPRR", "QWO", "2027-06-01").table.column("holder_type") == [
        "nhs-region"
    ]
    first.close()
    again = _open(home)
    assert again.register.who("EPRR", "QWO", "2027-06-01").table.column("holder_type") == [
        "nhs-region"
    ]


def test_a_register_built_by_older_icsatlas_asks_for_a_rebuild(home):
    ws = _open(home)
    ws.register.areas("icb")
    store = ws.store
    store.execute(
        "UPDATE change_log SET detail = ? WHERE detail LIKE '%build_version%'",
        (json.dumps({"build_version": 1}),),
    )
    ws.close()
    with pytest.raises(IcsatlasError, match="icsatlas build --rebuild"):
        _open(home).register.areas("icb")


def test_a_contracts_import_leaves_the_register_snapshot_as_it_was(home):
    from pathlib import Path

    first = _open(home)
    first.register.areas("icb")
    before = sorted(p.name for p in (home / "snapshots").glob("register-*.pickle"))
    fixture = Path(__file__).parents[1] / "contracts" / "fixtures" / "nhs_release_package.json"
    first.contracts.import_file(fixture)
    first.close()
    again = _open(home)
    again.register.areas("icb")
    after = sorted(p.name for p in (home / "snapshots").glob("register-*.pickle"))
    assert after == before
