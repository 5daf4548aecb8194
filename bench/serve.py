"""The portal and API under load: `icsatlas serve` (granian, one worker) on loopback.

A workspace is built in a temporary ICSATLAS_HOME, the real server is started as a user
starts it (`python -m icsatlas serve --port P --workers 1`), and this process generates
the load: asyncio with raw HTTP/1.1 keep-alive connections (an asyncio protocol, the cheapest
client Python has, so that the one server worker rather than the client is the bottleneck;
the server's CPU use is printed to show how busy it was). Every figure is set beside the
trivial endpoint of the same app, `/api/v1/health`, measured in the same run, because this
machine is shared and noisy.
Targets (issue 10, "Speed"):

* a cached page (`/icb/QWO` repeated) serves at >= 0.5 of the trivial endpoint's rate;
* an uncached ICB page (every ICB on several dates, each address asked once) renders in
  <= 20 ms at the median, one request at a time;
* p99 latency <= 50 ms at 32 concurrent connections (cached pages);
* no errors (anything but 200, or a connection failing).

    python bench/serve.py [--seconds 5] [--connections 32] [--quick] [--postgres] [--workers N]

With ``--postgres`` the register is built in a schema of its own in the PostgreSQL database
``ICSATLAS_TEST_POSTGRES_URL`` names (dropped afterwards), as the web tests do; every answer
then asks PostgreSQL for the audit log's latest change.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

DATES = ["2023-06-01", "2024-06-01", "2025-06-01", "2026-06-01", "2026-12-01", "2027-06-01"]
CACHED_PAGE = "/icb/QWO"
BASELINE = "/api/v1/health"
STARTUP_S = 180
LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)")
HEADERS = "Host: 127.0.0.1\r\nAccept-Encoding: gzip\r\nUser-Agent: icsatlas-bench\r\n"


@dataclass
class Run:
    """What one load phase saw."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    server_cpu: float = 0.0  # server CPU seconds per wall-clock second

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection asking for ``next_path()`` until it says None,
    timing each answer. A protocol, not streams: its callbacks read an answer and send the
    next request without a coroutine switch, so the client costs little per request."""

    def __init__(self, next_path: Callable[[], str | None], run: Run) -> None:
        self.next_path, self.run = next_path, run
        self.buffer, self.body, self.started = bytearray(), -1, 0.0
        self.done = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._ask()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while not self.transport.is_closing():
            if self.body < 0 and not self._read_head():
                return
            if len(self.buffer) < self.body:
                return
            del self.buffer[: self.body]
            self.body = -1
            self.run.latencies.append(time.perf_counter() - self.started)
            self.run.errors += self.status != 200
            self._ask()

    def connection_lost(self, exc: Exception | None) -> None:
        self.run.errors += exc is not None
        if not self.done.done():
            self.done.set_result(None)

    def _read_head(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.buffer[:end]).lower()
        del self.buffer[: end + 4]
        self.status = int(head[9:12])
        length = LENGTH.search(head)
        if length is None:  # every answer of icsatlas says its length
            self.run.errors += 1
            self.transport.close()
            return False
        self.body = int(length[1])
        return True

    def _ask(self) -> None:
        path = self.next_path()
        if path is None:
            self.transport.close()
            return
        self.started = time.perf_counter()
        self.transport.write(f"GET {path} HTTP/1.1\r\n{HEADERS}\r\n".encode())


async def connect(port: int, next_path: Callable[[], str | None], run: Run) -> None:
    loop = asyncio.get_running_loop()
    try:
        _, connection = await loop.create_connection(
            lambda: Connection(next_path, run), "127.0.0.1", port
        )
    except OSError:
        run.errors += 1
        return
    await connection.done


async def load(port: int, paths: list[str], connections: int, seconds: float, pid: int) -> Run:
    """``connections`` clients asking for ``paths`` in turn for ``seconds``."""
    run, stop, turn = Run(), time.perf_counter() + seconds, itertools.cycle(paths)

    def next_path() -> str | None:
        return next(turn) if time.perf_counter() < stop else None

    return await timed(run, pid, *(connect(port, next_path, run) for _ in range(connections)))


async def one_by_one(port: int, paths: list[str], pid: int) -> Run:
    """Each path once, one request at a time (so each is a cache miss, rendered alone)."""
    run, remaining = Run(), iter(paths)
    return await timed(run, pid, connect(port, lambda: next(remaining, None), run))


async def timed(run: Run, pid: int, *clients: Awaitable[None]) -> Run:
    """``run`` with the wall-clock time the clients took and the server's CPU use."""
    cpu, started = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*clients)
    run.seconds = time.perf_counter() - started
    run.server_cpu = (cpu_seconds(pid) - cpu) / run.seconds
    return run


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process ``pid`` and its descendants (from /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier += children
    return sum(times.get(p, 0.0) for p in tree)


def uncached_pages(base: str, dates: list[str]) -> list[str]:
    """Every ICB's page on each date, at the ICB's own (canonical) address."""
    paths = []
    for day in dates:
        areas = httpx.get(f"{base}/api/v1/areas", params={"on": day, "limit": 5000}, timeout=60)
        areas.raise_for_status()
        paths += [f"/icb/{row['ods_code']}?on={day}" for row in areas.json()["data"]]
    return paths


@contextmanager
def database(postgres: bool, home: Path) -> Iterator[str]:
    """A DuckDB file in ``home``, or a fresh schema in the test PostgreSQL database (its URL
    setting the search path to it), dropped afterwards."""
    if not postgres:
        yield f"duckdb:///{home / 'icsatlas.duckdb'}"
        return
    from icsatlas import store

    base = os.environ.get("ICSATLAS_TEST_POSTGRES_URL")
    if not base:
        raise SystemExit("--postgres needs ICSATLAS_TEST_POSTGRES_URL (a database to use)")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    store.connect(base, schema=schema).close()
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with store.connect(base, upgrade=False) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def start_server(
    home: Path, log: Path, url: str, workers: int = 1, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """``icsatlas serve`` over the store at ``url`` (built first), once it answers."""
    env = {**os.environ, **(env or {}), "ICSATLAS_HOME": str(home), "ICSATLAS_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "icsatlas", "build"], env=env, check=True, capture_output=True
    )
    port = free_port()
    command = [
        *(sys.executable, "-m", "icsatlas", "serve", "--port", str(port)),
        *("--workers", str(workers)),
    ]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"icsatlas serve exited:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{BASELINE}", timeout=2).status_code == 200:
                return process, port
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"icsatlas serve did not answer within {STARTUP_S} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(args: argparse.Namespace, base: Run, cached: Run, uncached: Run, pages: int) -> None:
    c = args.connections
    engine, workers = "PostgreSQL" if args.postgres else "DuckDB", args.workers
    print(
        f"\nicsatlas serve (granian, {workers} worker{'s' if workers > 1 else ''}, {engine}) "
        f"on loopback, {c} connections, {args.seconds} s"
    )
    print(
        f"{'':38} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'server CPU':>10} "
        f"{'ms/req':>6} {'ratio':>6}  target"
    )
    ratio = cached.rate / base.rate
    row(f"{BASELINE} (baseline)", base, f"{1:6.2f}")
    row(f"{CACHED_PAGE} (cached page)", cached, f"{ratio:6.2f}", f">= 0.50 {verdict(ratio >= 0.5)}")
    p50 = uncached.percentile(0.5)
    row(
        f"uncached ICB pages ({pages}, 1 at a time)",
        uncached,
        "",
        f"p50 <= 20 ms {verdict(p50 <= 20)}",
    )
    p99, errors = cached.percentile(0.99), base.errors + cached.errors + uncached.errors
    tail = f"target <= 50 ms {verdict(p99 <= 50)}"
    print(f"\np99 at {c} connections (cached page)  {p99:6.1f} ms  {tail}")
    print(f"errors in all phases                  {errors:6}     target 0 {verdict(errors == 0)}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{os.cpu_count()} CPUs, load average {load}; Python {sys.version.split()[0]}")
    print("server CPU: its share of one core in the phase; ms/req: server CPU time per answer")


def row(label: str, run: Run, ratio: str, target: str = "") -> None:
    print(
        f"{label:38} {run.rate:7,.0f} {run.percentile(0.5):7.1f} {run.percentile(0.99):7.1f} "
        f"{run.errors:6} {run.server_cpu:10.0%} {run.server_cpu / run.rate * 1000:6.2f} "
        f"{ratio:>6}  {target}"
    )


async def measure(args: argparse.Namespace, port: int, pid: int) -> None:
    base_url = f"http://127.0.0.1:{port}"
    dates = DATES[2:4] if args.quick else DATES
    pages = uncached_pages(base_url, dates)
    await load(port, [BASELINE, CACHED_PAGE], args.connections, 1.0, pid)  # warm-up
    base = await load(port, [BASELINE], args.connections, args.seconds, pid)
    cached = await load(port, [CACHED_PAGE], args.connections, args.seconds, pid)
    uncached = await one_by_one(port, pages, pid)
    report(args, base, cached, uncached, len(pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="each load phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--quick", action="store_true", help="1.5 s phases, two dates")
    parser.add_argument("--postgres", action="store_true", help="ICSATLAS_TEST_POSTGRES_URL")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.quick:
        args.seconds = min(args.seconds, 1.5)
    with tempfile.TemporaryDirectory() as folder, database(args.postgres, Path(folder)) as url:
        home = Path(folder)
        process, port = start_server(home, home / "serve.log", url, args.workers)
        try:
            asyncio.run(measure(args, port, process.pid))
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
