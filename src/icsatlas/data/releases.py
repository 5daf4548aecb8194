"""Data releases: which edition of each shipped dataset this icsatlas carries, checked.

``releases.csv`` beside this module records, for every key in ``sources.yaml``, the shipped
file, its row count, its SHA-256 and ``period_end`` - the last date its figures describe
(blank for a standard or a schema, which does not age). ``scripts/data-manifest`` writes the
counts and checksums from the files; :func:`check` recomputes them, so a file changed or
truncated after release is caught. A dataset whose ``period_end`` is more than
:data:`STALE_AFTER_MONTHS` months before the day asked about is *stale*: every result that
uses it says so in a note (:func:`notes`), and its provenance names the release
(:func:`cite`).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from icsatlas.data import source, sources
from icsatlas.errors import NotFoundError
from icsatlas.provenance import Provenance
from icsatlas.results import Result, Table

STALE_AFTER_MONTHS = 18
MANIFEST = "releases.csv"
COLUMNS = ("key", "file", "rows", "sha256", "period_end")


@dataclass(frozen=True)
class Release:
    """One shipped dataset as released: file, rows, checksum and the last date it covers."""

    key: str
    file: str
    rows: int | None
    sha256: str
    period_end: date | None

    @property
    def path(self) -> Path:
        return _package() / self.file

    def stale(self, on: date | None = None) -> bool:
        """True if the newest figure is more than 18 months older than ``on`` (today)."""
        if self.period_end is None:
            return False
        return (on or date.today()) > _add_months(self.period_end, STALE_AFTER_MONTHS)

    def label(self) -> str:
        """``release 2025-09 (11,628 rows, sha256 1a2b3c4d5e6f)`` - what provenance names."""
        end = f"to {self.period_end:%Y-%m}, " if self.period_end else ""
        rows = f"{self.rows:,} rows, " if self.rows is not None else ""
        return f"release {end}{rows}sha256 {self.sha256[:12]}"


def _package() -> Path:
    return Path(__file__).resolve().parent.parent


@cache
def releases() -> dict[str, Release]:
    """Every shipped dataset's release record, by key (``releases.csv``)."""
    text = (Path(__file__).parent / MANIFEST).read_text(encoding="utf-8")
    found = {}
    for row in csv.DictReader(io.StringIO(text)):
        found[row["key"]] = Release(
            key=row["key"],
            file=row["file"],
            rows=int(row["rows"]) if row["rows"] else None,
            sha256=row["sha256"],
            period_end=date.fromisoformat(row["period_end"]) if row["period_end"] else None,
        )
    return found


def release(key: str) -> Release:
    source(key)  # an unknown key is a NotFoundError naming it
    try:
        return releases()[key]
    except KeyError:
        raise NotFoundError(f"no release record for {key!r} in {MANIFEST}") from None


def cite(key: str) -> str:
    """The citation a result's provenance carries: the source and the release used."""
    return f"{source(key).cite()}; {release(key).label()}"


def notes(keys: tuple[str, ...] | list[str], on: date | None = None) -> tuple[str, ...]:
    """A note for each stale dataset among ``keys`` (none when all are current)."""
    day = on or date.today()
    return tuple(
        f"Stale data: {source(k).title} runs to {release(k).period_end:%B %Y}, more than "
        f"{STALE_AFTER_MONTHS} months before {day:%d %B %Y} (newer figures may exist)."
        for k in dict.fromkeys(keys)
        if release(k).stale(day)
    )


def measure(path: Path) -> tuple[int | None, str]:
    """A file's data rows (CSV, gzip or not; None for other files) and SHA-256."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    name = path.name
    if not (name.endswith(".csv") or name.endswith(".csv.gz")):
        return None, digest
    text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1, digest


def check() -> list[tuple[str, str]]:
    """Every dataset against its release record: ``(key, problem)`` pairs, empty if all match.

    Problems: a key in ``sources.yaml`` without a record (or the reverse), a missing file,
    a row count or a checksum that differs from the record."""
    problems: list[tuple[str, str]] = []
    records = releases()
    for key in sorted(set(sources()) - set(records)):
        problems.append((key, f"in sources.yaml but not in {MANIFEST}"))
    for key in sorted(set(records) - set(sources())):
        problems.append((key, f"in {MANIFEST} but not in sources.yaml"))
    for key, record in sorted(records.items()):
        if not record.path.exists():
            problems.append((key, f"file {record.file} is missing"))
            continue
        rows, digest = measure(record.path)
        if rows != record.rows:
            problems.append((key, f"{rows} rows, release has {record.rows}"))
        if digest != record.sha256:
            problems.append((key, f"sha256 {digest[:12]}, release has {record.sha256[:12]}"))
    return problems


def listing(on: date | None = None) -> Result:
    """Every shipped dataset: source, date, licence, rows, checksum, and whether it is stale."""
    day = on or date.today()
    records = releases()
    rows = [
        {
            "key": key,
            "title": meta.title,
            "publisher": meta.publisher,
            "date": meta.date,
            "licence": meta.licence,
            "rows": records[key].rows if key in records else None,
            "sha256": records[key].sha256[:12] if key in records else None,
            "period_end": records[key].period_end if key in records else None,
            "stale": records[key].stale(day) if key in records else None,
        }
        for key, meta in sources().items()
    ]
    stale = sum(1 for r in rows if r["stale"])
    notes = (
        f"{stale} of {len(rows)} datasets are stale: their newest figures are more than "
        f"{STALE_AFTER_MONTHS} months before {day} (period_end).",
        "Verify the files against this list with `icsatlas data check`; where each came "
        "from: `icsatlas sources KEY` and src/icsatlas/data/PROVENANCE.md.",
    )
    provenance = Provenance(data={"manifest": f"icsatlas/data/{MANIFEST}"})
    table = Table.from_records(rows, tuple(rows[0]))
    return Result(table, provenance, f"{len(rows)} shipped datasets on {day}", notes)


def check_result() -> Result:
    """:func:`check` as a result: one row per dataset, ``ok`` or the problem."""
    problems: dict[str, list[str]] = {}
    for key, problem in check():
        problems.setdefault(key, []).append(problem)
    keys = sorted(set(sources()) | set(releases()))
    rows = [
        {
            "key": k,
            "status": "FAILED" if k in problems else "ok",
            "problem": "; ".join(problems[k]) if k in problems else None,
        }
        for k in keys
    ]
    failed = len(problems)
    title = f"{len(keys) - failed} of {len(keys)} shipped datasets match their release"
    provenance = Provenance(data={"manifest": f"icsatlas/data/{MANIFEST}"})
    return Result(Table.from_records(rows, ("key", "status", "problem")), provenance, title)


def _add_months(day: date, months: int) -> date:
    """``day`` plus whole months (the 31st of a shorter month becomes its last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - date.resolution).day
    return date(year, month, min(day.day, last))


__all__ = ["STALE_AFTER_MONTHS", "Release", "check", "cite", "measure", "notes", "release"]
