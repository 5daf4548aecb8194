"""A population write killed between putting its dataset in place and the store's commit is
settled by the next process that opens the store: undone if the commit did not happen,
finished if it did (CI's crash test, seed 531660, caught the folder and the store apart)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

import icsatlas
from icsatlas.errors import InputError, StoreUnavailable
from icsatlas.population import dataset, registry
from icsatlas.store import connect, journal

DATASET = "icsatlas.population.dataset"
PAUSE = """
import importlib, sys, time
module, name, when, nth = sys.argv[1:5]
owner = importlib.import_module(module)
original = getattr(owner, name)
calls = []
def pausing(*args, **kwargs):
    calls.append(1)
    if when == "before" and len(calls) == int(nth):
        print("paused", flush=True)
        time.sleep(600)
    result = original(*args, **kwargs)
    if when == "after" and len(calls) == int(nth):
        print("paused", flush=True)
        time.sleep(600)
    return result
setattr(owner, name, pausing)
sys.argv = sys.argv[4:]
"""
WRITER = (
    PAUSE
    + """
from pathlib import Path
from icsatlas.population import dataset
from icsatlas.store import connect
url, folder = sys.argv[1:]
store = connect(url)
with dataset.writing("england", replace=True, store=store, reason="new", folder=Path(folder)) as d:
    dataset.write_manifest(d, {"extract_date": "2026-08-01", "rows": 2, "made": "new"})
"""
)
SETTLER = (
    PAUSE
    + """
import icsatlas
url, home = sys.argv[1:]
icsatlas.open(url, home=home).store
"""
)


@pytest.fixture
def url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A store's URL: a DuckDB file, or a schema of its own on the test server."""
    if engine == "duckdb":
        yield f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
        return
    server = request.getfixturevalue("postgres_url")
    schema = f"journal_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def _stored_old_england(url: str, folder: Path) -> None:
    with connect(url) as store, dataset.writing("england", store=store, folder=folder) as d:
        dataset.write_manifest(d, {"extract_date": "2026-08-01", "rows": 1, "made": "old"})


def _killed(script: str, pause: str, *args: str) -> None:
    """``script`` in another process, killed with SIGKILL at ``pause``: "MODULE NAME before N"
    or "... after N", before or after the Nth call of that function."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *pause.split(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "paused", child.stderr.read() if child.stderr else ""
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()


def _after_opening(url: str, home: Path) -> tuple[str, list[str], list[str]]:
    """Open the workspace as a user would, then: which dataset is ``england``, what the store
    recorded, and the folder's hidden entries."""
    with icsatlas.open(url, home=home) as ws:
        recorded = [c.reason for c in _population_changes(ws.store)]
        assert list(registry.recorded(ws.store).name) == ["england"]
    folder = home / "population"
    made = dataset.open_dataset("england", folder).manifest["made"]
    return made, recorded, sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _population_changes(store):
    from icsatlas.store.audit import changes

    return [c for c in changes(store) if c.kind.startswith("population.")]


def test_a_writer_killed_before_the_commit_is_undone(url, tmp_path):
    folder = tmp_path / "population"
    _stored_old_england(url, folder)
    _killed(WRITER, f"{DATASET} _swap after 1", url, str(folder))  # in place, not committed
    assert dataset.open_dataset("england", folder).manifest["made"] == "new"  # folder ≠ store
    made, recorded, hidden = _after_opening(url, tmp_path)
    assert (made, recorded, hidden) == ("old", [""], [".lock"])


def test_asking_about_populations_settles_a_swap_first(tmp_path):
    """`icsatlas population list` after a killed replace showed the uncommitted population."""
    url = f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
    folder = tmp_path / "population"
    _stored_old_england(url, folder)
    _killed(WRITER, f"{DATASET} _swap after 1", url, str(folder))
    with icsatlas.open(url, home=tmp_path) as ws:
        ws.population.list()
        assert dataset.open_dataset("england", folder).manifest["made"] == "old"


def test_a_writer_killed_after_the_commit_is_finished(url, tmp_path):
    folder = tmp_path / "population"
    _stored_old_england(url, folder)
    _killed(WRITER, f"{DATASET} _discard_replaced before 1", url, str(folder))  # committed
    assert {p.suffix for p in folder.iterdir()} >= {journal.SUFFIX, ".old"}
    made, recorded, hidden = _after_opening(url, tmp_path)
    assert (made, recorded, hidden) == ("new", ["", "new"], [".lock"])


def test_a_settler_killed_while_deleting_is_settled_again(tmp_path):
    """Killed after putting the old dataset back and deleting the new one: the note was
    deleted first, so the next opener never takes the restored dataset for the new one."""
    url = f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
    folder = tmp_path / "population"
    _stored_old_england(url, folder)
    _killed(WRITER, f"{DATASET} _swap after 1", url, str(folder))
    _killed(SETTLER, "shutil rmtree after 2", url, str(tmp_path))  # the old, then the new
    assert dataset.open_dataset("england", folder).manifest["made"] == "old"
    assert _after_opening(url, tmp_path) == ("old", [""], [".lock"])


def test_the_next_population_write_settles_a_killed_writers_swap(url, tmp_path):
    folder = tmp_path / "population"
    _stored_old_england(url, folder)
    _killed(WRITER, f"{DATASET} _swap after 1", url, str(folder))
    with connect(url) as store, dataset.writing("sample", store=store, folder=folder) as d:
        dataset.write_manifest(d, {"extract_date": "2026-08-01", "rows": 1})
    assert dataset.open_dataset("england", folder).manifest["made"] == "old"
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "england", "sample"]


@pytest.mark.parametrize(
    "unreachable", [StoreUnavailable("cannot connect"), RuntimeError("database invalidated")]
)
def test_a_commit_whose_outcome_is_unknown_is_decided_by_the_store_later(
    tmp_path, monkeypatch, unreachable
):
    """A lost COMMIT ("the write may or may not have been stored"): here it did commit, and
    the store could not be asked at once; the note stays and the next opener finishes it."""
    url = f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
    folder = tmp_path / "population"
    _stored_old_england(url, folder)
    store = connect(url)
    committing = store._commit

    def lost_after_committing() -> None:
        committing()
        raise StoreUnavailable("the connection was lost while committing")

    monkeypatch.setattr(store, "_commit", lost_after_committing)
    monkeypatch.setattr(journal, "_committed", lambda *_: (_ for _ in ()).throw(unreachable))
    with (
        pytest.raises(StoreUnavailable),
        dataset.writing("england", replace=True, store=store, reason="new", folder=folder) as d,
    ):
        dataset.write_manifest(d, {"extract_date": "2026-08-01", "rows": 2, "made": "new"})
    store.close()
    monkeypatch.undo()
    assert {p.suffix for p in folder.iterdir()} >= {journal.SUFFIX, ".old"}
    made, recorded, hidden = _after_opening(url, tmp_path)
    assert (made, recorded, hidden) == ("new", ["", "new"], [".lock"])


@pytest.mark.parametrize("moved", [1, 2])
def test_a_write_interrupted_inside_the_swap_puts_the_folder_back(tmp_path, monkeypatch, moved):
    """Ctrl-C after the swap moved the old dataset aside (1) or both (2), before the commit."""
    url = f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
    folder = tmp_path / "population"
    _stored_old_england(url, folder)

    def interrupted(temporary: Path, final: Path) -> None:
        final.rename(temporary.with_suffix(".old"))
        if moved == 2:
            temporary.rename(final)
        raise KeyboardInterrupt

    monkeypatch.setattr(dataset, "_swap", interrupted)
    with (
        connect(url) as store,
        pytest.raises(KeyboardInterrupt),
        dataset.writing("england", replace=True, store=store, folder=folder) as d,
    ):
        dataset.write_manifest(d, {"extract_date": "2026-08-01", "rows": 2, "made": "new"})
    assert dataset.open_dataset("england", folder).manifest["made"] == "old"
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "england"]


def test_a_population_is_not_recorded_inside_another_transaction(tmp_path):
    """Its commit would be the outer transaction's, after the old dataset was deleted."""
    folder = tmp_path / "population"
    with (
        connect(f"duckdb:///{tmp_path / 'a.duckdb'}") as store,
        store.transaction(),
        pytest.raises(RuntimeError, match="transaction of its own"),
        dataset.writing("england", store=store, folder=folder) as d,
    ):
        dataset.write_manifest(d, {"extract_date": "2026-08-01", "rows": 1})
    assert dataset.list_datasets(folder) == []


def test_a_name_put_back_by_settling_is_not_overwritten_without_replace(tmp_path):
    """A writer killed between the swap's two renames leaves NAME missing, so the write
    after it passed the name check; settling puts NAME back, and the write is refused."""
    url = f"duckdb:///{tmp_path / 'icsatlas.duckdb'}"
    folder = tmp_path / "population"
    _stored_old_england(url, folder)
    with connect(url) as store:
        building = folder / ".england.cafebabe.tmp"
        building.mkdir()
        os.close(journal.Journal(building, store, "0" * 64)._handle)  # killed: never committed
        (folder / "england").rename(building.with_suffix(".old"))
        with (
            pytest.raises(InputError, match="already exists"),
            dataset.writing("england", store=store, folder=folder) as d,
        ):
            dataset.write_manifest(d, {"extract_date": "2026-08-01", "rows": 2})
    assert dataset.open_dataset("england", folder).manifest["made"] == "old"


def test_a_swap_in_progress_or_of_another_store_is_left_alone(tmp_path):
    folder = tmp_path / "population"
    folder.mkdir()
    building = folder / ".england.cafebabe.tmp"
    building.mkdir()
    ours, theirs = (f"duckdb:///{tmp_path / name}" for name in ("a.duckdb", "b.duckdb"))
    with connect(ours) as store:
        note = journal.Journal(building, store, "0" * 64)  # its writer (this process) lives
        journal.recover_folder(folder, store)
        assert note.path.exists() and building.exists()
    os.close(note._handle)  # the writer dies: its lock goes, its note stays
    with connect(theirs) as other:
        journal.recover_folder(folder, other)  # not this store's swap: only ours can settle it
    with dataset.writing("sample", folder=folder) as d:  # nor does a write without a store
        dataset.write_manifest(d, {"extract_date": "2026-08-01"})
    assert note.path.exists() and building.exists()
    with connect(ours) as store:
        journal.recover_folder(folder, store)  # never committed: the building dataset goes
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "sample"]


def test_a_note_cut_short_before_anything_moved_is_removed(tmp_path):
    folder = tmp_path / "population"
    folder.mkdir()
    (folder / ".england.cafebabe.swap").write_text('{"entry_ha')
    with connect(f"duckdb:///{tmp_path / 'a.duckdb'}") as store:
        journal.recover_folder(folder, store)
    assert sorted(p.name for p in folder.iterdir()) == [".lock"]


def test_a_note_names_its_store_without_its_password(tmp_path):
    building = tmp_path / ".england.cafebabe.tmp"
    with connect(f"duckdb:///{tmp_path / 'secret-pw.duckdb'}") as store:
        note = journal.Journal(building, store, "0" * 64)
        written = json.loads(note.path.read_text())
        note.close()
    assert "secret-pw" not in json.dumps(written)
