"""The fuzzing property itself catches what it says it does: a traceback, a refused file
that changed the store or named no file, an unaudited write, a stored infinity."""

from __future__ import annotations

import pytest

from icsatlas import store as store_module
from icsatlas.errors import InputError
from icsatlas.store.audit import record_change
from tests.fuzz.conftest import Fingerprint, holds


@pytest.fixture
def fingerprint(tmp_path):
    with store_module.connect(f"duckdb:///{tmp_path / 'p.duckdb'}") as store:
        yield Fingerprint(store)


def _write(store, value: float = 1.0) -> None:
    with store.transaction():
        record_change(store, kind="import", reason="test")
        store.execute(
            "INSERT INTO finance_bcf_contribution (import_id, area_code, area_name,"
            " financial_year, funding_stream, amount_gbp)"
            " VALUES (1, 'E1', 'Kent', '2025/26', 'nhs_minimum', ?)",
            (value,),
        )


def test_a_clean_refusal_and_an_audited_write_hold(fingerprint, tmp_path):
    path = tmp_path / "bcf.csv"

    def refuse():
        raise InputError("bad", file=path, row=2)

    holds(fingerprint, path, refuse)
    holds(fingerprint, path, lambda: _write(fingerprint.store))


@pytest.mark.parametrize(
    ("run", "failure"),
    [
        (lambda store, path: int("x"), ValueError),
        (lambda store, path: (_write(store), _refuse(path)), AssertionError),
        (lambda store, path: _refuse(None), AssertionError),
        (lambda store, path: store.execute("SELECT 1"), AssertionError),
        (lambda store, path: _write(store, float("inf")), AssertionError),
    ],
    ids=["traceback", "partial write", "no file named", "unaudited", "infinity stored"],
)
def test_each_failure_is_caught(fingerprint, tmp_path, run, failure):
    path = tmp_path / "bcf.csv"
    with pytest.raises(failure):
        holds(fingerprint, path, lambda: run(fingerprint.store, path))


def _refuse(path):
    raise InputError("bad", file=path)
