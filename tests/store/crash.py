"""The machinery of the crash tests: a workspace (a store and its folder), the writers (the
real command line on large generated files) and the state a write may change.

A state is every table's row count plus each stored population's checksum: a write that is
all or nothing leaves the state exactly as it was before, or exactly as an uninterrupted
import leaves it (all tables and the folder together), never anything in between.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import icsatlas
from icsatlas.population import dataset
from icsatlas.store import audit

OCDS_FIXTURE = Path(__file__).parents[1] / "contracts" / "fixtures" / "nhs_releases.jsonl"
EXTRACT_DATE = "2026-08-01"
REGISTER_ROWS = 400  # contracts in each register CSV: long enough to kill mid-write
OCDS_PROCESSES = 100  # contracting processes (x releases each) in each OCDS JSON Lines file


@dataclass
class Site:
    """A built workspace: its store's URL and its folder (for populations and caches)."""

    url: str
    home: Path

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "ICSATLAS_HOME": str(self.home), "ICSATLAS_DATABASE_URL": self.url}

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``icsatlas ARGS`` in a process of its own, to the end."""
        return subprocess.run(
            [sys.executable, "-m", "icsatlas", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "icsatlas", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


@dataclass(frozen=True)
class State:
    counts: dict[str, int]
    populations: dict[str, str]
    chain_problems: tuple[str, ...]

    def key(self) -> tuple:
        return (tuple(sorted(self.counts.items())), tuple(sorted(self.populations.items())))

    def plus(self, before: State, after: State, populations: dict[str, str]) -> State:
        """This state moved on by as many rows as one uninterrupted write added (``before`` to
        ``after``), with ``populations`` stored."""
        counts = {t: n + after.counts[t] - before.counts[t] for t, n in self.counts.items()}
        return State(counts, {**self.populations, **populations}, ())


def state(site: Site) -> State:
    """Open the workspace as a user would (``icsatlas.open``), count every table's rows,
    verify the audit chain, and read each stored population's checksum."""
    with icsatlas.open(site.url, home=site.home) as ws:
        store = ws.store
        tables = [
            row[0]
            for row in store.fetchall(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        ]
        counts = {t: int(store.scalar(f'SELECT count(*) FROM "{t}"')) for t in sorted(tables)}
        chain = audit.verify(store)
    found = dataset.list_datasets(site.home / "population")
    return State(counts, {d.name: str(d.manifest.get("sha256")) for d in found}, chain.problems)


def orphans(site: Site) -> list[str]:
    """Half-built population folders a killed writer left (``.NAME.*.tmp``)."""
    base = site.home / "population"
    return sorted(p.name for p in base.glob(".*.tmp")) if base.exists() else []


# -- the writers: each makes the arguments of one import, new data each time ------------------
Made = tuple[list[str], dict[str, str]]  # the arguments, and the populations the import stores


@dataclass
class Writer:
    name: str
    arguments: Callable[[int], Made]
    warm_up: bool = False  # its first run adds more than later ones (parties, the population)
    seconds: float = 0.0  # an uninterrupted run, measured
    before: State | None = None  # around that run
    after: State | None = None


@dataclass
class Inputs:
    folder: Path
    extracts: tuple[Path, Path]  # two different population extracts (CSV)

    def register(self, trial: int, rows: int = REGISTER_ROWS) -> Made:
        path = self.folder / f"register-{trial}.csv"
        with path.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(
                ["contract_id", "title", "buyer_name", "buyer_code", "supplier_name", "value",
                 "start_date", "end_date", "procurement_route", "as_of"]
            )  # fmt: skip
            for row in range(rows):
                writer.writerow(
                    [f"crash-{trial}-{row:05d}", f"Community service {row}",
                     "NHS Frimley Integrated Care Board", "QNQ", f"Supplier {row % 97} Ltd",
                     1000 + row, "2024-04-01", "2026-03-31", "open", "2024-04-01"]
                )  # fmt: skip
        return ["contracts", "import", str(path)], {}

    def ocds(self, trial: int) -> Made:
        """The fixture's releases, repeated under new ocids (as bench/contracts_ocds.py)."""
        path = self.folder / f"releases-{trial}.jsonl"
        releases = [json.loads(line) for line in OCDS_FIXTURE.read_text().splitlines() if line]
        with path.open("w") as out:
            for process in range(OCDS_PROCESSES):
                for release in releases:
                    ocid = release["ocid"]
                    text = json.dumps(release).replace(ocid, f"{ocid}-c{trial}x{process}")
                    out.write(text + "\n")
        return ["contracts", "import", str(path)], {}

    def population(self, trial: int) -> Made:
        extract = self.extracts[trial % 2]
        name = f"crash-{trial}"
        args = ["population", "import", str(extract), "--name", name,
                "--extract-date", EXTRACT_DATE]  # fmt: skip
        return args, {name: _sha256(extract)}

    def replace(self, trial: int) -> Made:
        """Replace one population, with each extract in turn (so before and after differ)."""
        extract = self.extracts[trial % 2]
        args = ["population", "import", str(extract), "--name", "replaced",
                "--extract-date", EXTRACT_DATE, "--replace"]  # fmt: skip
        return args, {"replaced": _sha256(extract)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def writers(inputs: Inputs) -> list[Writer]:
    return [
        Writer("register CSV", inputs.register),
        Writer("OCDS JSON Lines", inputs.ocds, warm_up=True),
        Writer("population import", inputs.population),
        Writer("population --replace", inputs.replace, warm_up=True),
    ]


# -- a trial ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trial:
    writer: str
    delay: float
    outcome: str  # before | after | finished (the writer ended before the kill)
    wal_left: bool


def kill_after(site: Site, args: list[str], delay: float) -> tuple[bool, subprocess.Popen[str]]:
    """Start ``icsatlas ARGS``, SIGKILL it after ``delay`` seconds; whether it was still
    running then."""
    process = site.start(*args)
    try:
        process.wait(timeout=delay)
        return False, process
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return True, process
    finally:
        process.communicate()


def timed(site: Site, args: list[str]) -> float:
    start = time.perf_counter()
    done = site.run(*args)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - start
