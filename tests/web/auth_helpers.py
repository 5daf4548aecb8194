"""Shared by the write tests: a workspace of their own (a copy of the built web workspace,
so the other web tests' register is left as built) with accounts in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import icsatlas
from icsatlas.accounts import keys, users
from icsatlas.accounts.scopes import Scope
from icsatlas.store.audit import changes

PASSWORD = "a long enough password"
CSV_HEADER = (
    "board_ods,board_name,person,role,nominated_by,is_councillor,valid_from,valid_to,source"
)


def copy_home(web_home: Path, folder: Path) -> Path:
    """The built workspace (store and snapshots) copied into ``folder``."""
    shutil.copy2(web_home / "icsatlas.duckdb", folder / "icsatlas.duckdb")
    shutil.copytree(web_home / "snapshots", folder / "snapshots")
    return folder


def add_accounts(url: str, home: Path) -> dict[str, str]:
    """An editor of QWO's board (with a token and a password), an admin; their tokens."""
    with icsatlas.open(url, home=home) as ws:
        key = keys.server_key(home)
        users.add(ws.store, "amira", "editor", [Scope("board", "QWO")], PASSWORD, actor="test")
        users.add(ws.store, "root", "admin", [], PASSWORD, actor="test")
        editor, _ = users.create_token(ws.store, key, "amira", days=1)
        admin, _ = users.create_token(ws.store, key, "root", days=1)
    return {"editor": editor, "admin": admin}


def add_account(url: str, home: Path, name: str, role: str, scopes: list[str]) -> str:
    """An account with ``scopes`` (``board:QWO``...); its token."""
    with icsatlas.open(url, home=home) as ws:
        users.add(ws.store, name, role, [Scope.parse(s) for s in scopes], PASSWORD, actor="test")
        token, _ = users.create_token(ws.store, keys.server_key(home), name, days=1)
    return token


WRITTEN = (  # every table a write route changes (store/migrations)
    "change_log",
    "contract",
    "contract_amendment",
    "contract_import",
    "contract_party",
    "contract_removal",
    "ocds_record",
    "ocds_release",
    "psr_decision",
    "kpi_series",
    "kpi_point",
    "finance_bcf_import",
    "finance_bcf_contribution",
    "population_datasets",
    "register_assignment",
    "register_board_member",
    "register_organisation",
    "register_relationship",
)


def snapshot(url: str, home: Path) -> dict[str, object]:
    """What a refused write must leave as it was: row counts, the audit log's head, the
    population folders."""
    with icsatlas.open(url, home=home, read_only=True) as ws:
        counts = {t: ws.store.scalar(f"SELECT count(*) FROM {t}") for t in WRITTEN}
        log = changes(ws.store)
    folders = sorted(p.name for p in (home / "population").glob("*")) if home.exists() else []
    head = (log[-1].change_id, log[-1].entry_hash) if log else None
    return {"counts": counts, "head": head, "entries": len(log), "folders": folders}


def member_row(person: str, board: str = "QWO", role: str = "non-executive") -> str:
    return f"{board},,{person},{role},,false,2026-05-01,,https://example.org/board-papers"


def log(url: str, home: Path) -> list:
    with icsatlas.open(url, home=home, read_only=True) as ws:
        return changes(ws.store)


def members(url: str, home: Path, icb: str = "QWO") -> list[str]:
    with icsatlas.open(url, home=home, read_only=True) as ws:
        board = ws.register.board(icb, "2026-06-01")
        return [str(r[0]) for r in board.table.rows]
