"""`icsatlas serve`: its options, and `--reload` (uvicorn, for development) serving the
portal from a process of its own. The production server (granian) is tested over HTTP in
tests/web (the `server` fixture)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest
from typer.testing import CliRunner

from icsatlas.cli import app
from icsatlas.cli.serve import PACKAGE
from tests.web.conftest import _free_port, _wait_until_up


def serve(home, *args: str):
    return CliRunner().invoke(
        app, ["serve", *args], env={"ICSATLAS_HOME": str(home), "COLUMNS": "160"}
    )


def test_reload_runs_one_process(built_home):
    result = serve(built_home, "--reload", "--workers", "2")
    assert result.exit_code == 2
    assert "--reload runs one process: leave out --workers" in result.output


def test_reload_without_uvicorn_says_how_to_install_it(built_home, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` fails
    result = serve(built_home, "--reload")
    assert result.exit_code == 2
    assert "pip install 'icsatlas[dev]'" in result.output


def test_a_proxy_setting_it_cannot_read_is_refused(built_home):
    result = serve(built_home, "--forwarded-allow-ips", "10.0.0.300")
    assert result.exit_code == 2
    assert "'10.0.0.300' is not an IP address or network" in result.output


@pytest.mark.slow
def test_reload_serves_the_portal_with_uvicorn(built_home, tmp_path):
    port = _free_port()
    env = {**os.environ, "ICSATLAS_HOME": str(built_home)}
    env.pop("ICSATLAS_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "icsatlas", "serve", "--reload", "--port", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process, log)
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health").json() == {"status": "ok"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the reloader and the server it started
        process.wait(timeout=30)
    printed = log.read_text()
    assert f"restarting on changes to {PACKAGE}" in printed
    assert "Started reloader process" in printed  # uvicorn's own line
