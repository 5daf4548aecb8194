"""A bounded soak: mixed reads and writes against `icsatlas serve --workers N` on PostgreSQL.

The register is built in a schema of its own in the PostgreSQL database
``ICSATLAS_TEST_POSTGRES_URL`` names (dropped afterwards, as bench/serve.py --postgres and
the web tests do), an editor of QWO's board is given an API token, and the real server is
started as a user starts it. Then, from this process, over loopback:

1. a read-only phase: every connection reads (pages, API answers, a search) for a sixth of
   the run (at least 10 s): the baseline, measured in the same run on the same machine;
2. the mixed phase (``--seconds``, default 600): ``--writers`` of the connections each add
   a board member to QWO (``POST /api/v1/areas/QWO/board`` with the token) every
   ``--write-every`` seconds (default 30: with two writers, four changes a minute, more
   than a register kept by people sees), while the others keep reading. Every write changes the
   audit log, so every worker reopens its workspace and re-renders the pages it had
   cached: the reads of this phase pay for the writes.

Afterwards the store is read directly: every write the server acknowledged (201) must have
its board member in the register and its change, by the editor, in the audit log. Reported:
requests, errors (anything but 200 for a read, 201 for a write, or a connection failing;
the target is 0), writes acknowledged against present (0 lost), and the reads' p50 and p99
in the mixed phase beside the read-only phase's p99 (their ratio). The server's rate limits
are set far above what the soak sends (``LIMITS``) but still counted on every request.
Exits 1 if there was an error or a lost write.

    python bench/soak.py [--seconds 600] [--connections 32] [--workers 2] [--writers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

import icsatlas
from icsatlas.accounts import keys, users
from icsatlas.accounts.scopes import Scope
from icsatlas.store.audit import changes
from serve import Run, connect, database, start_server, timed

READS = [
    "/icb/QWO",
    "/api/v1/areas/QWO",
    "/api/v1/where?q=Leeds",
    "/api/v1/reforms",
    "/icb/QWO?on=2026-06-01",
    "/",
]
BOARD = "QWO"
EDITOR = "soak-editor"
LIMITS = "write=1000000/60,search=1000000/60,login=1000000/300"
HEADER = "board_ods,board_name,person,role,nominated_by,is_councillor,valid_from,valid_to,source"
ON = "2026-06-01"  # the members are added from 2026-05-01


@dataclass
class Writes:
    """What the writers sent and what the server acknowledged."""

    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # person -> change id
    errors: list[str] = field(default_factory=list)


def editor_token(url: str, home: Path) -> str:
    """An editor of QWO's board, and an API token of theirs."""
    with icsatlas.open(url, home=home) as ws:
        scopes = [Scope("board", BOARD)]
        users.add(ws.store, EDITOR, "editor", scopes, "a long soak password", actor="soak")
        token, _ = users.create_token(ws.store, keys.server_key(home), EDITOR, days=1)
    return token


async def writer(base: str, token: str, number: int, every: float, stop: float, w: Writes):
    """Add a board member every ``every`` seconds until ``stop``."""
    headers = {"authorization": f"Bearer {token}", "content-type": "text/csv"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        for n in itertools.count():
            started = time.perf_counter()
            if started >= stop:
                return
            person = f"Soak Writer {number} Member {n}"
            row = f"{BOARD},,{person},non-executive,,false,2026-05-01,,https://example.org/soak"
            try:
                answer = await client.post(
                    f"/api/v1/areas/{BOARD}/board",
                    params={"reason": "soak"},
                    content=f"{HEADER}\n{row}\n".encode(),
                )
            except httpx.HTTPError as error:
                w.errors.append(f"{person}: {error!r}")
            else:
                w.latencies.append(time.perf_counter() - started)
                if answer.status_code == 201:
                    w.acknowledged[person] = answer.json()["change"]
                else:
                    w.errors.append(f"{person}: {answer.status_code} {answer.text[:200]}")
            await asyncio.sleep(max(0.0, every - (time.perf_counter() - started)))


async def reads(port: int, connections: int, seconds: float, pid: int) -> Run:
    run, stop, turn = Run(), time.perf_counter() + seconds, itertools.cycle(READS)

    def next_path() -> str | None:
        return next(turn) if time.perf_counter() < stop else None

    return await timed(run, pid, *(connect(port, next_path, run) for _ in range(connections)))


async def mixed(args: argparse.Namespace, port: int, token: str, pid: int) -> tuple[Run, Writes]:
    base, w = f"http://127.0.0.1:{port}", Writes()
    stop = time.perf_counter() + args.seconds
    writers = [writer(base, token, n, args.write_every, stop, w) for n in range(args.writers)]
    run, *_ = await asyncio.gather(
        reads(port, args.connections - args.writers, args.seconds, pid), *writers
    )
    return run, w


def lost_writes(url: str, home: Path, w: Writes) -> list[str]:
    """Acknowledged writes whose member is not on the board or whose change, by the editor,
    is not in the audit log."""
    with icsatlas.open(url, home=home, read_only=True) as ws:
        board = {str(r[0]) for r in ws.register.board(BOARD, ON).table.rows}
        logged = {c.change_id: c.actor for c in changes(ws.store)}
    return [
        person
        for person, change in w.acknowledged.items()
        if person not in board or logged.get(change) != EDITOR
    ]


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000 if ordered else 0.0


def report(args: argparse.Namespace, baseline: Run, run: Run, w: Writes, lost: list[str]) -> bool:
    reading = args.connections - args.writers
    print(
        f"\nicsatlas soak: serve --workers {args.workers} on PostgreSQL, loopback; "
        f"{args.connections} connections ({args.writers} writing, one write each "
        f"{args.write_every:g} s); {baseline.seconds:.0f} s read-only, then "
        f"{run.seconds:.0f} s mixed"
    )
    print(f"{'':36} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for label, phase in (
        (f"reads, read-only phase ({args.connections} conn.)", baseline),
        (f"reads, mixed phase ({reading} conn.)", run),
    ):
        print(
            f"{label:36} {len(phase.latencies):8,} {phase.rate:7,.0f} "
            f"{phase.percentile(0.5):7.1f} {phase.percentile(0.99):7.1f} {phase.errors:6}"
        )
    print(
        f"{'writes, mixed phase':36} {len(w.latencies):8,} "
        f"{len(w.latencies) / run.seconds:7,.1f} {ms(w.latencies, 0.5):7.1f} "
        f"{ms(w.latencies, 0.99):7.1f} {len(w.errors):6}"
    )
    ratio = run.percentile(0.99) / baseline.percentile(0.99)
    errors = baseline.errors + run.errors + len(w.errors)
    total = len(baseline.latencies) + len(run.latencies) + len(w.latencies)
    print(f"\nrequests                      {total:8,}")
    print(f"errors                        {errors:8}   target 0 {verdict(errors == 0)}")
    print(f"writes acknowledged (201)     {len(w.acknowledged):8}")
    present = len(w.acknowledged) - len(lost)
    print(f"  present afterwards          {present:8}   (on the board and in the audit log)")
    print(f"  lost                        {len(lost):8}   target 0 {verdict(not lost)}")
    print(f"read p99 mixed / read-only    {ratio:8.2f}")
    for problem in (w.errors + [f"lost: {p}" for p in lost])[:10]:
        print(f"  {problem}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{os.cpu_count()} CPUs, load average {load}; Python {sys.version.split()[0]}")
    return errors == 0 and not lost


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


async def phases(args: argparse.Namespace, port: int, token: str, pid: int):
    await reads(port, args.connections, 2.0, pid)  # warm-up: every page rendered once
    baseline = await reads(port, args.connections, args.read_only_seconds, pid)
    run, w = await mixed(args, port, token, pid)
    return baseline, run, w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="the mixed phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--writers", type=int, default=2, help="connections that write")
    parser.add_argument("--write-every", type=float, default=30.0, help="seconds, per writer")
    args = parser.parse_args()
    args.read_only_seconds = max(10.0, args.seconds / 6)
    with tempfile.TemporaryDirectory() as folder, database(True, Path(folder)) as url:
        home = Path(folder)
        token = editor_token(url, home)
        settings = {"ICSATLAS_RATE_LIMITS": LIMITS}
        process, port = start_server(home, home / "serve.log", url, args.workers, settings)
        try:
            baseline, run, w = asyncio.run(phases(args, port, token, process.pid))
        finally:
            process.terminate()
            process.wait(timeout=30)
        ok = report(args, baseline, run, w, lost_writes(url, home, w))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
