"""Removing contracts (issue 9, section 5: "there is no way to remove a contract"): one
audited change, all or nothing, on DuckDB and PostgreSQL.

Counts and values are those of the constructed fixture nhs_release_package.json (4
contracts; MSK's compiled value £5.1m)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icsatlas.contracts import removal
from icsatlas.contracts.ocds import load
from icsatlas.errors import InputError, NotFoundError
from icsatlas.store.audit import changes

FIXTURES = Path(__file__).parent / "fixtures"
PACKAGE = FIXTURES / "nhs_release_package.json"
MSK = "ocds-h6vhtk-0a1b2c/006001-2024-1"
CDC = "ocds-h6vhtk-0d4e5f/007777-2024-1"


def _keys(store) -> list[str]:
    return [k for (k,) in store.fetchall("SELECT contract_key FROM contract ORDER BY 1")]


def test_a_removed_contract_is_gone_and_the_audit_log_keeps_it(store):
    load.import_file(store, PACKAGE)
    done = removal.remove(store, [MSK], reason="duplicate of the CSV register entry", actor="ann")
    assert MSK not in _keys(store) and len(_keys(store)) == 3
    assert (
        store.scalar("SELECT count(*) FROM contract_amendment WHERE contract_key = ?", (MSK,)) == 0
    )
    change = changes(store)[-1]
    assert (change.change_id, change.kind, change.actor) == (done.change_id, "remove", "ann")
    assert change.reason == "duplicate of the CSV register entry"
    kept = change.detail["contracts"][0]
    assert (kept["contract_key"], kept["value_amount"]) == (MSK, 5_100_000)
    with pytest.raises(NotFoundError, match=f"{MSK!r} was already removed \\(change"):
        removal.remove(store, [MSK], reason="again")


def test_removal_is_all_or_nothing(store):
    load.import_file(store, PACKAGE)
    before = len(changes(store))
    with pytest.raises(NotFoundError, match="no contract 'nonsense'"):
        removal.remove(store, [MSK, CDC, "nonsense"], reason="tidy up")
    assert MSK in _keys(store) and CDC in _keys(store)
    assert len(changes(store)) == before
    assert store.scalar("SELECT count(*) FROM contract_removal") == 0


def test_a_removal_needs_a_reason_and_suggests_the_key(store):
    load.import_file(store, PACKAGE)
    with pytest.raises(InputError, match="reason: say why"):
        removal.remove(store, [MSK], reason="  ")
    with pytest.raises(NotFoundError, match=f"did you mean {MSK!r}"):
        removal.remove(store, ["006001-2024-1"], reason="typo")


def test_a_removed_ocds_contract_stays_removed_when_its_process_gets_new_releases(store, tmp_path):
    package = json.loads(PACKAGE.read_text())
    releases = package["releases"]
    later = [r for r in releases if r["id"] == "002233-2025"]  # amends the MSK contract
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps({**package, "releases": [r for r in releases if r not in later]}))
    second.write_text(json.dumps({**package, "releases": later}))
    load.import_file(store, first)
    removal.remove(store, [MSK], reason="not a health contract")
    imported = load.import_file(store, second)
    assert imported.new_releases == 1 and imported.records == 1
    assert MSK not in _keys(store)
    assert (
        store.scalar("SELECT count(*) FROM contract_amendment WHERE contract_key = ?", (MSK,)) == 0
    )


def test_allow_sees_where_each_contract_is_before_anything_is_removed(store):
    load.import_file(store, PACKAGE)
    before, seen = len(changes(store)), []

    def refuse(placings):
        seen.extend(placings)
        raise PermissionError("not this one")

    with pytest.raises(PermissionError):
        removal.remove(store, [MSK], reason="tidy up", allow=refuse)
    # MSK's buyer is NHS Frimley ICB (QNQ), as the fixture's buyer party says
    assert [(p.row, p.areas, p.field) for p in seen] == [(1, ("QNQ",), "contract_key")]
    assert MSK in _keys(store) and len(changes(store)) == before
