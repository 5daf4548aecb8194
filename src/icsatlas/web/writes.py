"""Writes through the web: the same importers as the command line, behind a scope check.

``POST /api/v1/areas/{icb}/board`` and the portal's board-member form both end in
:meth:`RegisterQuestions.import_board`, exactly as ``icsatlas board import`` does: the file is
checked whole (every bad row reported with its row, field and value), written in one
transaction or not at all, and recorded in the audit log with the signed-in account as its
actor. The scope is checked twice: on the ICB in the address before anything is read, and
on every row's board before anything is written, so an editor of QWO cannot change S9B9J's
board by editing the address or a ``board_ods`` cell. Once the write has committed,
:func:`icsatlas.notify.after_write` emails its subscribers (every write route calls it).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from icsatlas import notify
from icsatlas.accounts.scopes import Forbidden, Principal
from icsatlas.errors import InputError, InputErrors, NotFoundError
from icsatlas.register.governance import COLUMNS
from icsatlas.register.model import BoardMember
from icsatlas.web import auth, state

MAX_BODY = 1024 * 1024
BODY = "request body"


@dataclass(frozen=True)
class Written:
    change_id: int
    added: int
    actor: str
    board: str


def board_code(text: str) -> str:
    """The ICB an address names (its ODS code), or 404."""
    organisation = state.workspace().data.organisation(text)
    if organisation.org_type != "icb":
        raise NotFoundError(f"{text!r} is not an ICB: board members are added to an ICB's board")
    return organisation.org_id


def add_board_members(who: Principal, code: str, content: bytes, reason: str, via: str) -> Written:
    """Import board members (a CSV in the board template, in any encoding the command line
    reads) to the board of ICB ``code``."""
    who.require("board", code)
    with tempfile.TemporaryDirectory(prefix="icsatlas-web-") as folder:
        path = Path(folder) / f"board-{code}.csv"
        path.write_bytes(content)
        try:
            with auth.writable() as ws:
                saved = ws.register.import_board(
                    str(path),
                    reason,
                    actor=who.name,
                    source=f"{via} by {who.name}",
                    allow=_only_board(who, code),
                )
                notify.after_write(ws)
        except InputErrors as error:
            raise InputErrors(_located(e) for e in error.errors) from None
        except InputError as error:
            raise _located(error) from None
    return Written(saved.change.change_id, saved.added, who.name, code)


def _only_board(who: Principal, code: str) -> Callable[[list[BoardMember]], None]:
    """Refuse rows for a board outside the account's scopes (403), or for another board
    than the address names (422, every such row listed)."""

    def check(members: list[BoardMember]) -> None:
        elsewhere = []
        for row, member in enumerate(members, start=2):
            area = member.board_id.removeprefix("icp:")
            if not who.may("board", area):
                raise Forbidden(
                    f"row {row}: {who.name} may not change the board of {area} "
                    f"(scopes: {' '.join(map(str, who.scopes)) or 'none'})"
                )
            if area != code:
                message = f"{member.board_id!r} is not the board of {code} this request changes"
                elsewhere.append(InputError(message, row=row, field="board_ods"))
        if elsewhere:
            raise InputErrors(elsewhere)

    return check


def _located(error: InputError) -> InputError:
    """The error with the request body, not a temporary file, as its place."""
    return InputError(error.message, file=BODY, row=error.row, field=error.field)


def csv_from_json(body: bytes) -> str:
    """JSON rows (a list of objects, or ``{"rows": [...]}``) as CSV in the board template,
    so they are checked by the same code as a file."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise InputError(f"not JSON: {error}", file=BODY) from None
    rows = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError('give a list of rows (objects), or {"rows": [...]}', file=BODY)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for number, row in enumerate(rows, start=1):
        unknown = sorted(set(row) - set(COLUMNS))
        if unknown:
            raise InputError(
                f"unknown field {unknown[0]!r} (the board template's: {', '.join(COLUMNS)})",
                file=BODY,
                row=number,
            )
        writer.writerow([_cell(row.get(c), number, c) for c in COLUMNS])
    return out.getvalue()


def _cell(value: Any, row: int, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    raise InputError(f"must be text, not {type(value).__name__}", file=BODY, row=row, field=field)


def csv_from_form(code: str, fields: dict[str, str]) -> str:
    """One board member from the portal's form, as a row of the board template."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    values = {**{c: fields.get(c, "").strip() for c in COLUMNS}, "board_ods": code}
    writer.writerow([values[c] for c in COLUMNS])
    return out.getvalue()


async def body(request: Any) -> bytes:
    data = await request.body()
    if len(data) > MAX_BODY:
        raise TooLarge(f"the request body is larger than {MAX_BODY // 1024} KB")
    return data


class TooLarge(InputError):
    http_status = 413
