"""Replacing a stored population: the folder changes only if the store commits the change.

The previous dataset is moved aside, not deleted, until the commit; a commit that fails puts
it back, so the folder never holds a population the store (and its audit log) does not."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from icsatlas.population import dataset
from icsatlas.store import connect

pytestmark = pytest.mark.postgres

REFUSE_AT_COMMIT = """
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON population_datasets
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse();
"""


def _write(store, folder, extract_date: str, replace: bool = False) -> None:
    with dataset.writing(
        "sample", replace=replace, store=store, reason="test", folder=folder
    ) as directory:
        dataset.write_manifest(directory, {"extract_date": extract_date, "rows": 1})


def test_a_replace_whose_commit_fails_keeps_the_old_dataset_in_place(postgres_url, tmp_path):
    schema = f"swap_{uuid.uuid4().hex[:10]}"
    store = connect(postgres_url, schema=schema)
    try:
        _write(store, tmp_path, "2026-08-01")
        _write(store, tmp_path, "2026-09-01", replace=True)
        store.execute(REFUSE_AT_COMMIT)  # a real COMMIT that fails (a deferred constraint)
        with pytest.raises(psycopg.errors.RaiseException, match="refused at commit"):
            _write(store, tmp_path, "2026-10-01", replace=True)
        assert dataset.open_dataset("sample", tmp_path).extract_date == "2026-09-01"
        assert store.scalar("SELECT count(*) FROM change_log") == 2
        assert [p.name for p in tmp_path.iterdir() if p.suffix in {".old", ".tmp"}] == []
    finally:
        store.close()
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
