"""``icsatlas notify send`` and ``notify list``: a write from the command line reaches its
subscriber on the next ``send``; an SMTP server that is down leaves it pending (exit code
1, no password printed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import icsatlas
from icsatlas.cli import app
from tests.notify.mailserver import body, free_port, mail_server, settings
from tests.notify.test_delivery import subscribed
from tests.web.auth_helpers import CSV_HEADER, member_row

ADDRESS = "cli@example.org"


@pytest.fixture
def run(built: tuple[str, Path]):
    url, home = built
    runner = CliRunner()

    def invoke(*args: str, port: int, **extra: str) -> tuple[int, str]:
        env = {"ICSATLAS_HOME": str(home), "ICSATLAS_DATABASE_URL": url, **settings(port)}
        result = runner.invoke(app, list(args), env={**env, **extra})
        return result.exit_code, result.output

    return invoke


def test_a_command_line_write_is_sent_by_notify_send(built, run, tmp_path, monkeypatch):
    url, home = built
    with mail_server() as (received, port):
        for name, value in settings(port).items():
            monkeypatch.setenv(name, value)
        with icsatlas.open(url, home=home) as ws:
            ws.store.execute("DELETE FROM subscription")
            subscribed(ws, received, ADDRESS, area="QWO")
        code, listed = run("notify", "list", "--format", "csv", port=port)
        assert code == 0 and f"{ADDRESS},area,QWO" in listed and ",confirmed," in listed
        board = tmp_path / "board.csv"
        board.write_text(f"{CSV_HEADER}\n{member_row('Cli Example')}\n")
        code, output = run("board", "import", str(board), "--reason", "from a file", port=port)
        assert code == 0, output
        assert received.messages == []  # a command-line write waits for `notify send`
        down, output = run(
            "notify",
            "send",
            port=free_port(),
            ICSATLAS_SMTP_USER="mailer",
            ICSATLAS_SMTP_PASSWORD="hunter2-secret",
        )
        assert down == 1 and "1 subscriptions left pending" in output
        assert "hunter2-secret" not in output
        assert run("notify", "send", port=port) == (0, "1 message sent\n")
        assert run("notify", "send", port=port) == (0, "0 messages sent\n")
    (message,) = received.to(ADDRESS)
    assert "Why: from a file" in body(message) and "1 board_member added" in body(message)
