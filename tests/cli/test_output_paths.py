"""Issue 12, defect 11: `--export`/`--chart` wrote anywhere, made folders and replaced files
silently. Every command that writes a file where the user says now follows one rule
(:mod:`icsatlas.exports.files`): an existing file is refused (exit code 2, naming the option
and the path) and left byte for byte unless ``--force``; a missing folder is refused and not
made; a folder given as the file is refused; no temporary file is left behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "contracts" / "fixtures"
ON = "2026-06-01"
MINE = b"a file of mine\n"


def _series(folder: Path) -> Path:
    path = folder / "waits.csv"
    rows = [f"2024-{m:02d}-01,{v}" for m, v in zip(range(1, 13), [12, 10] * 6, strict=True)]
    path.write_text("date,value\n" + "\n".join(rows) + "\n")
    return path


# (command family, the option, a file name, the command line writing to a path)
COMMANDS: list[tuple[str, str, str, Callable[[Path, Path], list[str]]]] = [
    ("finance --export", "--export", "w.xlsx",
     lambda out, _: ["finance", "allocate", "waterfall", "QHM", "--year", "2025/26",
                     "--export", str(out)]),
    ("finance --chart", "--chart", "w.svg",
     lambda out, _: ["finance", "allocate", "waterfall", "QHM", "--year", "2025/26",
                     "--chart", str(out)]),
    ("contracts spc --chart", "--chart", "spc.html",
     lambda out, work: ["contracts", "spc", str(_series(work)), "--chart", str(out)]),
    ("trends --chart", "--chart", "population.png",
     lambda out, _: ["trends", "population", "E08000035", "--chart", str(out)]),
    ("briefing --out", "--out", "qwo.md",
     lambda out, _: ["briefing", "QWO", "--on", ON, "--out", str(out)]),
    ("motion --out", "--out", "motion.md",
     lambda out, _: ["motion", "QWO", "--on", ON, "--out", str(out)]),
    ("export register --out", "--out", "register.json",
     lambda out, _: ["export", "register", "--on", ON, "--out", str(out)]),
]  # fmt: skip


def _left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def out(tmp_path) -> Path:
    """An empty folder for output (the workspace copy is in ``tmp_path`` too)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    ("option", "name", "command"), [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS]
)
def test_an_output_file_follows_the_rule(cli, tmp_path, option, name, command):
    folder, work = tmp_path / "out", tmp_path / "work"
    folder.mkdir()
    work.mkdir()
    target = folder / name
    target.write_bytes(MINE)

    code, output = cli(*command(target, work))
    assert code == 2, output
    assert f"error: {option}: {target}: already exists (add --force to replace it)" in output
    assert target.read_bytes() == MINE and _left_in(folder) == [name]

    code, output = cli(*command(target, work), "--force")
    assert code == 0, output
    assert target.read_bytes() != MINE and not [n for n in _left_in(folder) if n.endswith(".tmp")]

    missing = tmp_path / "missing" / name
    code, output = cli(*command(missing, work))
    assert code == 2 and f"{option}: {missing.parent}: no such folder" in output
    assert not missing.parent.exists()

    target.unlink()
    target.mkdir()  # a folder where the file would go
    code, output = cli(*command(target, work), "--force")
    assert code == 2 and f"{option}: {target}: is a folder; give a file name" in output


def test_finance_checks_every_file_before_writing_any(cli, out):
    """`--export w.csv --chart w.svg` with only the chart's file there: nothing is written."""
    (out / "w.svg").write_bytes(MINE)
    args = ["finance", "allocate", "waterfall", "QHM", "--year", "2025/26"]
    code, output = cli(*args, "--export", str(out / "w.csv"), "--chart", str(out / "w.svg"))
    assert code == 2 and "--chart: " in output
    assert _left_in(out) == ["w.svg"] and (out / "w.svg").read_bytes() == MINE


def test_blueprint_chart_and_tornado_may_not_share_a_file(cli, out):
    same = out / "x.png"
    code, output = cli(
        "finance", "blueprint-bill", "--draws", "10", "--chart", str(same), "--tornado", str(same)
    )
    assert code == 2 and f"--tornado: {same}: named twice" in output
    assert _left_in(out) == []


def test_contracts_record_export_follows_the_rule(cli, out):
    assert cli("contracts", "import", str(FIXTURES / "nhs_release_package.json"))[0] == 0
    target = out / "record.json"
    target.write_bytes(MINE)
    code, output = cli("contracts", "record", "ocds-h6vhtk-0a1b2c", "--export", str(target))
    assert code == 2 and f"--export: {target}: already exists" in output
    assert target.read_bytes() == MINE and _left_in(out) == ["record.json"]
    code, _ = cli("contracts", "record", "ocds-h6vhtk-0a1b2c", "--export", str(target), "--force")
    assert code == 0 and b'"compiled"' in target.read_bytes()
    missing = out / "missing" / "record.json"
    code, output = cli("contracts", "record", "ocds-h6vhtk-0a1b2c", "--export", str(missing))
    assert code == 2 and "no such folder" in output and not missing.parent.exists()


def test_kpi_charts_fill_one_folder_and_replace_a_chart_only_when_forced(cli, tmp_path):
    folder = tmp_path / "charts"
    args = ["contracts", "kpi", "rtt-18w/*", "--load", "rtt-18w", "--charts", str(folder)]
    code, output = cli(*args)
    assert code == 0, output  # the folder itself is made: filling it is the command's job
    [chart] = _left_in(folder)
    (folder / chart).write_bytes(MINE)
    code, output = cli(*args[:3], "--charts", str(folder))
    assert code == 2 and f"--charts: {folder / chart}: already exists" in output
    assert (folder / chart).read_bytes() == MINE
    code, output = cli(*args[:3], "--charts", str(folder), "--force")
    assert code == 0 and (folder / chart).read_bytes() != MINE
    code, output = cli(*args[:3], "--charts", str(tmp_path / "a" / "b"))
    assert code == 2 and "no such folder" in output and not (tmp_path / "a").exists()


def test_briefing_all_refuses_a_folder_with_briefings_in_it_before_building_any(cli, tmp_path):
    folder = tmp_path / "briefings"
    folder.mkdir()
    (folder / "QWO.md").write_bytes(MINE)
    args = ["briefing", "--all", "--type", "icb", "--on", ON, "--format", "md", "--out"]
    code, output = cli(*args, str(folder))
    assert code == 2 and f"--out: {folder / 'QWO.md'}: already exists" in output
    assert _left_in(folder) == ["QWO.md"] and (folder / "QWO.md").read_bytes() == MINE
    code, output = cli(*args, str(tmp_path / "a" / "b"))
    assert code == 2 and "no such folder" in output and not (tmp_path / "a").exists()
    code, output = cli(*args, str(folder / "QWO.md"))
    assert code == 2 and "is a file, not a folder" in output
