"""The accounts commands: wiring, secrets shown once and never stored, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import icsatlas
from icsatlas.accounts import keys, users
from icsatlas.cli import USER_ERROR, app
from icsatlas.store.audit import changes

PASSWORD = "a long enough password"


@pytest.fixture
def run(workspace):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        result = runner.invoke(app, list(args), input=input, env={"ICSATLAS_ACTOR": "ops"})
        return result.exit_code, result.output

    return invoke


def test_adding_an_editor_reads_the_password_from_stdin_and_lists_them(run):
    code, output = run(
        "user", "add", "amira", "--scope", "board:QWO", "--password-stdin", input=PASSWORD + "\n"
    )
    assert (code, output.strip()) == (0, "account amira added: editor board:QWO")
    code, output = run("user", "list", "--format", "json")
    (row,) = json.loads(output)["data"]
    assert (row["name"], row["role"], row["scopes"], row["disabled"]) == (
        "amira",
        "editor",
        "board:QWO",
        False,
    )
    with icsatlas.open() as ws:
        assert users.sign_in(ws.store, "amira", PASSWORD).name == "amira"


def test_a_token_is_printed_once_and_works_until_revoked(run, workspace):
    run("user", "add", "bot", "--scope", "contracts:S9B9J", "--no-password")
    code, output = run("token", "create", "--user", "bot", "--expires", "7")
    assert code == 0
    text = output.strip().splitlines()[-1]
    token_id = re.match(r"icsa_([0-9a-f]{12})_", text)[1]
    with icsatlas.open() as ws:
        assert users.authenticate(ws.store, keys.server_key(workspace), text).name == "bot"
        assert text not in json.dumps(
            [str(r) for r in ws.store.fetchall("SELECT * FROM account_token")]
        )
    code, listed = run("token", "list", "--format", "json")
    assert json.loads(listed)["data"][0]["token"] == token_id
    assert text not in listed
    assert run("token", "revoke", token_id)[0] == 0
    code, output = run("token", "revoke", token_id)
    assert code == USER_ERROR and "already revoked" in output


def test_mistakes_are_plain_errors(run):
    code, output = run("user", "add", "x1", "--scope", "boards:QWO", "--no-password")
    assert code == USER_ERROR and "unknown domain 'boards'" in output
    code, output = run("user", "add", "x1", "--password-stdin", input="short\n")
    assert code == USER_ERROR and "at least one scope" in output
    code, output = run("user", "disable", "nobody")
    assert code == USER_ERROR and "no account 'nobody'" in output


def test_account_changes_are_in_the_log_with_the_person_who_ran_them(run):
    run("user", "add", "root", "--role", "admin", "--no-password")
    run("user", "disable", "root")
    with icsatlas.open() as ws:
        entries = [(c.actor, c.reason) for c in changes(ws.store) if c.kind == "accounts"]
    assert entries == [
        ("ops", "account root added (admin)"),
        ("ops", "account root disabled (its tokens revoked)"),
    ]


@pytest.mark.parametrize("group", ["user", "token"])
def test_the_accounts_help_starts_fast(group):
    """`icsatlas user --help` loads the command line only: no argon2, database or pandas."""
    script = (
        "import sys\nfrom icsatlas.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
        "    print(*sorted(sys.modules), file=sys.stderr)"
    )
    found = subprocess.run(
        [sys.executable, "-c", script, group, "--help"], capture_output=True, text=True, check=False
    )
    assert "create" in found.stdout or "disable" in found.stdout
    loaded = set(found.stderr.split())
    assert "icsatlas.cli.accounts" in loaded
    assert not loaded & {"argon2", "duckdb", "psycopg", "pandas", "icsatlas.accounts.users"}
