"""The fuzzing property, shared by every importer's test (issue 12): a generated file is
either imported (it was still valid: then the write is in the audit log, and no number
stored is infinite or NaN) or refused with an
:class:`~icsatlas.errors.IcsatlasError` naming the file; any other exception is a traceback,
and a refused file leaves the store - every table's row count, the audit log's head and the
population folder - exactly as it was.

``ICSATLAS_FUZZ_EXAMPLES`` sets how many files each importer gets: 1,000 by default, issue
12's measurement, which the test command (and so CI) runs; ``ICSATLAS_FUZZ_EXAMPLES=100``
for a quicker look while working (docs/explanation/security.md). The runs are
derandomized, so CI sees the same files every time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import icsatlas
from icsatlas.errors import IcsatlasError
from icsatlas.store import Store
from icsatlas.workspace import Workspace

EXAMPLES = int(os.environ.get("ICSATLAS_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Path:
    """A workspace folder with the register built (once for the whole fuzz suite)."""
    home = tmp_path_factory.mktemp("fuzz-home")
    icsatlas.open(_url(home), home=home).register.areas("icb")
    return home


@pytest.fixture
def ws(built_home: Path, tmp_path: Path) -> Workspace:
    """A workspace of the test's own (a copy of the built one), on a DuckDB file."""
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    return icsatlas.open(_url(home), home=home)


def _url(home: Path) -> str:
    return f"duckdb:///{home / 'atlas.duckdb'}"


class Fingerprint:
    """What a refused import must leave as it was, read in one query: the row count of every
    table, the audit log's head (its latest id and hash), and the population folder."""

    def __init__(self, store: Store, population: Path | None = None) -> None:
        self.store, self.population = store, population
        tables = [
            name
            for (name,) in store.fetchall(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                " ORDER BY table_name"
            )
        ]
        counts = ", ".join(f'(SELECT count(*) FROM "{name}")' for name in tables)
        head = (
            "(SELECT max(change_id) FROM change_log),"
            " (SELECT entry_hash FROM change_log ORDER BY change_id DESC LIMIT 1)"
        )
        self.sql = f"SELECT {head}, {counts}"  # names from the catalogue, not from input
        self.tables = ["change_id", "entry_hash", *tables]
        self.last: dict[str, Any] | None = None
        floats = store.fetchall(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND data_type IN ('DOUBLE', 'FLOAT', 'REAL')"
        )
        non_finite = [
            f'(SELECT count(*) FROM "{t}" WHERE isinf("{c}") OR isnan("{c}"))' for t, c in floats
        ]
        self.garbage_sql = f"SELECT {' + '.join(non_finite) or '0'}"

    def non_finite(self) -> int:
        """How many stored numbers are infinite or NaN (garbage accepted as a figure)."""
        return int(self.store.scalar(self.garbage_sql))

    def take(self) -> dict[str, Any]:
        row = self.store.fetchone(self.sql) or ()
        taken: dict[str, Any] = dict(zip(self.tables, row, strict=True))
        if self.population is not None:
            root = self.population
            taken["population"] = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
        self.last = taken
        return taken

    def before(self) -> dict[str, Any]:
        """As the last :meth:`take` left it (nothing else writes to the store meanwhile)."""
        return self.last if self.last is not None else self.take()


def holds(
    fingerprint: Fingerprint, path: Path, run: Callable[[], Any], *, writes: bool = True
) -> None:
    """The property for one generated file at ``path``: ``run`` imports it."""
    before = fingerprint.before()
    try:
        run()
    except IcsatlasError as error:
        after = fingerprint.take()
        assert after == before, f"a refused file changed the store: {error}"
        assert path.name in str(error), f"the error does not name the file: {error}"
    else:
        after = fingerprint.take()
        if writes:
            assert after["change_id"] != before["change_id"], "an import went unaudited"
            assert fingerprint.non_finite() == 0, "infinity or NaN stored as a number"
        else:
            assert after == before, "a read changed the store"
    leftovers = [p for p in (fingerprint.population or path.parent).glob(".*.tmp")]
    assert not leftovers, f"left behind: {leftovers}"
