"""A built workspace for the web tests, served two ways: in this process (for the logic)
and by ``icsatlas serve`` in a real server process over HTTP, on DuckDB and on PostgreSQL.

The register is built once per session; a small synthetic population (Shropshire, Telford
and Wrekin at 1%) is generated into the same workspace so population answers can be asked.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import icsatlas
from icsatlas import store as store_module
from icsatlas.web import limits, state
from icsatlas.web.app import create_app

STARTUP_S = 90
# The hostile-input sweep and the contract test send hundreds of searches from one address
# in a minute: far over the default rate limits, whose own tests (test_limits.py) set them.
GENEROUS_LIMITS = "write=100000/60,search=100000/60,login=100000/300,subscribe=100000/300"


@pytest.fixture(scope="session", autouse=True)
def generous_limits() -> Iterator[None]:
    """Every app and server of the session allows far more than the tests send."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(limits.ENV, GENEROUS_LIMITS)
        yield


@pytest.fixture(scope="session")
def web_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace folder with the register built and a small population generated."""
    home = tmp_path_factory.mktemp("web-home")
    with icsatlas.open(f"duckdb:///{home / 'icsatlas.duckdb'}", home=home) as ws:
        ws.population.generate("small", fraction=0.01, areas=["M2L0M"], seed=7, jobs=1)
    return home


@pytest.fixture(scope="session")
def web_url(web_home: Path) -> str:
    return f"duckdb:///{web_home / 'icsatlas.duckdb'}"


class InProcess:
    """GET requests to the ASGI application in this process (no network)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self._request(method, url, **kwargs))

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.request(method, url, **kwargs)


@pytest.fixture(scope="session")
def app_client(web_url: str, web_home: Path) -> Iterator[InProcess]:
    yield InProcess(create_app(web_url, web_home))
    state.close()


ENGINES = ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=ENGINES)
def server(request: pytest.FixtureRequest, web_url: str, web_home: Path) -> Iterator[str]:
    """The base URL of ``icsatlas serve`` running in its own process, on each engine (the
    PostgreSQL register in a schema of its own; both read populations from ``web_home``)."""
    if request.param == "duckdb":
        yield from _served(web_url, web_home)
        return
    base = request.getfixturevalue("postgres_url")
    schema = f"web_{uuid.uuid4().hex[:10]}"
    store_module.connect(base, schema=schema).close()
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        yield from _served(url, web_home)
    finally:
        with store_module.connect(base, upgrade=False) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def _served(
    url: str, home: Path, workers: int = 1, settings: dict[str, str] | None = None
) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, **(settings or {}), "ICSATLAS_HOME": str(home)}
    env["ICSATLAS_DATABASE_URL"] = url
    command = [sys.executable, "-m", "icsatlas", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    log = home / f"serve-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"icsatlas serve exited ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"icsatlas serve did not answer within {STARTUP_S} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
