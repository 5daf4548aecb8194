"""The docs' examples run, and print what the docs say they print.

Every fenced ```` ```console ```` block in README.md and docs/ is a session: lines starting
``$ icsatlas`` are commands, the lines under each are its output. Each command runs through the
real CLI on a workspace built once for the session, 100 columns wide; what varies from run to
run (the workspace's path, the parameters' fingerprint, timings) is normalised on both sides.
A block whose output is wrong fails with a diff. After a deliberate change, refresh the docs
with ``ICSATLAS_UPDATE_DOCS=1 scripts/test tests/docs`` and read the diff before committing.
The outputs in the docs are therefore regression snapshots: written from the code's own
output, they pin what the docs show; the figures in them are checked against their sources
by the tests of each domain.

Python examples are ```` ```python ```` blocks with ``>>>`` prompts, run by doctest.
"""

from __future__ import annotations

import difflib
import doctest
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from icsatlas.cli import app

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
PYTHON = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
UPDATE = os.environ.get("ICSATLAS_UPDATE_DOCS") == "1"
VOLATILE = [
    (re.compile(r"parameters@[0-9a-f]+(\+overrides@[0-9a-f]+)?"), "parameters@..."),
    (re.compile(r"elapsed_s=[0-9.]+"), "elapsed_s=..."),
    (re.compile(r"duckdb:///+\S*?icsatlas\.duckdb"), "duckdb:///WORKSPACE/icsatlas.duckdb"),
    (re.compile(r"(?<=Stored in )\S+(?=/population/)"), "WORKSPACE"),
    (re.compile(r"\(change \d+\)"), "(change N)"),  # depends on what earlier pages wrote
]


@dataclass(frozen=True)
class Command:
    page: Path
    line: int
    text: str
    expected: str

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _commands() -> list[Command]:
    found = []
    for page in PAGES:
        text = page.read_text()
        for block in CONSOLE.finditer(text):
            first_line = text.count("\n", 0, block.start(1)) + 1
            found += _session(page, first_line, block[1])
    return found


def _session(page: Path, first_line: int, body: str) -> list[Command]:
    commands: list[Command] = []
    current: tuple[int, str] | None = None
    output: list[str] = []
    for number, line in enumerate(body.splitlines(), first_line):
        if line.startswith("$ "):
            if current:
                commands.append(Command(page, current[0], current[1], "\n".join(output)))
            current, output = (number, line[2:]), []
        else:
            output.append(line)
    if current:
        commands.append(Command(page, current[0], current[1], "\n".join(output)))
    return commands


COMMANDS = _commands()


def normalise(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    lines = text.strip("\n").splitlines()
    # a stale-data note depends on the day the docs are run (icsatlas.data.releases)
    return "\n".join(line.rstrip() for line in lines if not line.startswith("! Stale data:"))


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("docs-home")
    _run(home, "icsatlas build")
    return home


def _run(home: Path, command: str) -> tuple[int, str]:
    args = shlex.split(command)
    assert args[0] == "icsatlas", f"docs run only icsatlas commands, not {args[0]!r}"
    env = {"ICSATLAS_HOME": str(home), "COLUMNS": "100", "ICSATLAS_DATABASE_URL": ""}
    result = CliRunner().invoke(app, args[1:], env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_console_example(command: Command, home: Path) -> None:
    code, output = _run(home, command.text)
    actual = normalise(output)
    assert code == 0, f"{command}: `{command.text}` failed:\n{output}"
    if UPDATE and actual != normalise(command.expected):
        _replace_output(command, actual)
        return
    expected = normalise(command.expected)  # regression snapshot: the output the docs show
    diff = "\n".join(
        difflib.unified_diff(expected.splitlines(), actual.splitlines(), "docs", "actual", n=1)
    )
    assert actual == expected, f"{command}: `{command.text}` prints something else:\n{diff}"


@pytest.mark.parametrize("page", [p for p in PAGES if PYTHON.search(p.read_text())], ids=str)
def test_python_examples(page: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICSATLAS_HOME", str(home))
    monkeypatch.delenv("ICSATLAS_DATABASE_URL", raising=False)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=_FLAGS)
    globs: dict = {}
    for block in PYTHON.finditer(page.read_text()):
        if ">>>" in block[1]:
            runner.run(parser.get_doctest(block[1], globs, str(page), str(page), 0))
    assert not runner.failures, f"{runner.failures} failing Python examples in {page}"


_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _replace_output(command: Command, actual: str) -> None:
    """Rewrite the output under ``command`` in its page (ICSATLAS_UPDATE_DOCS=1). The page may
    have changed since collection, so the command is found again by its text and rank."""
    rank = [c for c in COMMANDS if c.page == command.page and c.text == command.text].index(command)
    lines = command.page.read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if line == f"$ {command.text}"]
    start = starts[rank] + 1
    end = start
    while end < len(lines) and not lines[end].startswith(("$ ", "```")):
        end += 1
    lines[start:end] = actual.splitlines()
    command.page.write_text("\n".join(lines) + "\n")
