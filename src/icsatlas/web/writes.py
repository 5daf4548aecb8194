"""Writes through the web: the same importers as the command line, behind a scope check.

Every write route (``POST /api/v1/areas/{area}/...`` and ``POST /api/v1/reforms``) and the
portal's board-member form end in the importer the command line uses (``icsatlas board
import``, ``contracts import``, ``contracts remove``, ``finance bcf import``, ``population
import``, ``reform apply``): the file is checked whole (every bad row reported with its row,
field and value, placed in the "request body"), written in one transaction or not at all,
and recorded in the audit log with the signed-in account as its actor and the route as its
source. :func:`_done` ends every write that succeeded; once it has committed,
:func:`icsatlas.notify.after_write` emails the subscribers of what it changed.

The scope is checked twice: on the area in the address before the body is read, and on
where every row lands (a board, a buyer's ICB, a council, a practice's ICB, and every stored
item the file would replace) before anything is written, so an editor of QWO cannot change
S9B9J by editing the address or a cell: a row outside the account's scopes is refused (403,
naming the row), and rows for another area than the address are listed (422).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from icsatlas import notify
from icsatlas.accounts.scopes import Forbidden, Principal
from icsatlas.errors import IcsatlasError, InputError, InputErrors, NotFoundError
from icsatlas.inputs.rows import Allow, Placing
from icsatlas.register.governance import COLUMNS
from icsatlas.results import Result
from icsatlas.web import auth, state
from icsatlas.workspace import Workspace

BODY = "request body"
KB = 1024
MB = 1024 * KB
MAX_BODY = 1 * MB  # a board CSV
CSV = "text/csv"
JSON = "application/json"
NDJSON = "application/x-ndjson"
YAML = "application/yaml"


@dataclass(frozen=True)
class Written:
    """A write that was kept: its change in the audit log, how many items, by whom, where."""

    change_id: int
    count: int
    actor: str
    area: str
    summary: str


Write = Callable[[Workspace, Path, Allow], tuple[int, int, str]]
"""Runs one importer on the body saved as a file: (change id, items written, summary)."""


# -- the area an address names ---------------------------------------------------------------------
def board_code(text: str) -> str:
    """The ICB an address names (its ODS code), or 404."""
    return icb_code(text, "board members are added to an ICB's board")


def icb_code(text: str, why: str = "this change is made to an ICB") -> str:
    """The ODS code of the ICB an address names, or 404."""
    organisation = state.workspace().data.organisation(text)
    if organisation.org_type != "icb" or not organisation.ods_code:
        raise NotFoundError(f"{text!r} is not an ICB: {why}")
    return organisation.ods_code


def bcf_area(text: str) -> str:
    """An upper-tier council (its ONS code, whose Better Care Fund this is) or an ICB (ODS
    code, the councils mostly in it), or 404."""
    from icsatlas.finance import bcf

    code = text.strip().upper()
    if code in set(bcf.areas().area_code):
        return code
    return icb_code(text, "the Better Care Fund is imported for a council (ONS code) or an ICB")


# -- the scope check every importer runs -----------------------------------------------------------
def only(who: Principal, domain: str, code: str) -> Allow:
    """Refuse rows outside the account's scopes (403, naming the first), then rows that are
    not for the area ``code`` the address names (422, every such row listed)."""

    def check(placings: Sequence[Placing]) -> None:
        elsewhere = []
        for placing in placings:
            if placing.areas and not any(who.may(domain, a) for a in placing.areas):
                held = " ".join(map(str, who.scopes)) or "none"
                raise Forbidden(
                    f"{_where(placing)}: {who.name} may not change {domain} of "
                    f"{' or '.join(placing.areas)} (scopes: {held})"
                )
            if code not in placing.areas:
                elsewhere.append(_elsewhere(placing, code))
        if elsewhere:
            raise InputErrors(elsewhere)

    return check


def _where(placing: Placing) -> str:
    return f"row {placing.row}" if isinstance(placing.row, int) else str(placing.row)


def _elsewhere(placing: Placing, code: str) -> InputError:
    found = " or ".join(placing.areas) or "no area that can be told"
    message = f"is in {found}, not {code} this request changes"
    if isinstance(placing.row, int):
        return InputError(message, file=BODY, row=placing.row, field=placing.field)
    return InputError(f"{placing.row} {message}", file=BODY, field=placing.field)


# -- running a write -------------------------------------------------------------------------------
def run(
    who: Principal, domain: str, code: str, content: bytes, filename: str, write: Write
) -> Written:
    """Save the body as ``filename`` and import it with ``write`` in a writable workspace,
    every row checked by :func:`only`; errors are placed in the request body."""
    who.require(domain, code)
    with tempfile.TemporaryDirectory(prefix="icsatlas-web-") as folder:
        path = Path(folder) / filename
        path.write_bytes(content)
        try:
            with auth.writable() as ws:
                change_id, count, summary = write(ws, path, only(who, domain, code))
                notify.after_write(ws)
        except InputErrors as error:
            raise InputErrors(_located(e, path) for e in error.errors) from None
        except InputError as error:
            raise _located(error, path) from None
    return _done(who, code, change_id, count, summary.replace(path.name, BODY))


def _done(who: Principal, area: str, change_id: int, count: int, summary: str) -> Written:
    """Every write that was kept ends here, after its transaction committed."""
    return Written(change_id, count, who.name, area, summary)


def _located(error: InputError, path: Path) -> InputError:
    """The error with the request body, not a temporary file, as its place."""
    message = error.message.replace(str(path), BODY).replace(path.name, BODY)
    return InputError(message, file=BODY, row=error.row, field=error.field)


def confirmed(result: Result) -> tuple[int, int, str]:
    """(change, count, summary) from a workspace write's confirmation row."""
    record = result.table.records()[0]
    return int(record["change"]), int(record["count"]), result.title


def _counted(allow: Allow, seen: list[Placing]) -> Allow:
    """``allow``, keeping the placings it passed (an importer's rows) in ``seen``."""

    def check(placings: Sequence[Placing]) -> None:
        allow(placings)
        seen.extend(placings)

    return check


def _latest(ws: Workspace) -> int:
    """The change a write just made (the workspace's write is the latest in its store)."""
    return int(ws.store.scalar("SELECT max(change_id) FROM change_log") or 0)


def _many(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def source(via: str, who: Principal) -> str:
    """The audit log's source of a web write: the route, and who used it."""
    return f"{via} by {who.name}"


# -- board members (icsatlas board import) ---------------------------------------------------------
def add_board_members(who: Principal, code: str, content: bytes, reason: str, via: str) -> Written:
    """Import board members (a CSV in the board template, in any encoding the command line
    reads) to the board of ICB ``code``."""

    def write(ws: Workspace, path: Path, allow: Allow) -> tuple[int, int, str]:
        saved = ws.register.import_board(
            str(path),
            reason,
            actor=who.name,
            source=source(via, who),
            allow=lambda members: allow(
                [
                    Placing(row, (m.board_id.removeprefix("icp:"),), "board_ods")
                    for row, m in enumerate(members, start=2)
                ]
            ),
        )
        return saved.change.change_id, saved.added, f"{_many(saved.added, 'board member')} added"

    return run(who, "board", code, content, f"board-{code}.csv", write)


def csv_from_json(body: bytes) -> str:
    """JSON rows (a list of objects, or ``{"rows": [...]}``) as CSV in the board template,
    so they are checked by the same code as a file."""
    rows = _json_rows(body)
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


def _json_rows(body: bytes) -> list[dict[str, Any]]:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise InputError(f"not JSON: {error}", file=BODY) from None
    rows = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError('give a list of rows (objects), or {"rows": [...]}', file=BODY)
    return rows


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


# -- contracts (icsatlas contracts import / remove) ------------------------------------------------
def import_contracts(
    who: Principal, area: str, content: bytes, media: str, kind: str, via: str, **meta: Any
) -> Written:
    """Import a contract register CSV, OCDS JSON or JSON Lines, a PSR decision log or a KPI
    series for ICB ``area``: every row's buyer (or authority, or what a series monitors)
    must be in ``area``, and so must every stored item the file replaces."""
    suffix = {JSON: ".json", NDJSON: ".jsonl"}.get(media, ".csv")

    def write(ws: Workspace, path: Path, allow: Allow) -> tuple[int, int, str]:
        result = ws.contracts.import_file(
            path, kind, actor=who.name, source=source(via, who), allow=allow, **meta
        )
        return confirmed(result)

    return run(who, "contracts", area, content, f"{kind}-{area}{suffix}", write)


def remove_contracts(
    who: Principal, code: str, content: bytes, media: str, reason: str, via: str
) -> Written:
    """Remove contracts of ICB ``code`` (a new change in the audit log keeping each as it
    was; never a delete of history): a JSON list of contract keys, ``{"contracts": [...]}``,
    or a CSV with a ``contract_key`` column."""

    def write(ws: Workspace, path: Path, allow: Allow) -> tuple[int, int, str]:
        keys = _keys(path, media)
        result = ws.contracts.remove(keys, reason, who.name, source(via, who), allow)
        return confirmed(result)

    suffix = ".json" if media == JSON else ".csv"
    return run(who, "contracts", code, content, f"removals-{code}{suffix}", write)


def _keys(path: Path, media: str) -> list[str]:
    """The contract keys a removal names: JSON, or a CSV read as every CSV is."""
    if media == JSON:
        try:
            document = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as error:
            raise InputError(f"not JSON: {error}", file=BODY) from None
        keys = document.get("contracts") if isinstance(document, dict) else document
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise InputError('give a list of contract keys, or {"contracts": [...]}', file=BODY)
        return keys
    from icsatlas.inputs.columns import Column
    from icsatlas.inputs.rows import read_rows

    return [r["contract_key"] for r in read_rows(path, (Column("contract_key", required=True),))]


# -- the Better Care Fund (icsatlas finance bcf import) --------------------------------------------
def import_bcf(
    who: Principal, area: str, content: bytes, description: str, kind: str, via: str
) -> Written:
    """Import BCF contributions for a council or the councils of an ICB (``area``)."""

    def write(ws: Workspace, path: Path, allow: Allow) -> tuple[int, int, str]:
        rows: list[Placing] = []
        import_id = ws.finance.bcf_import(
            path, description, kind, who.name, source(via, who), _counted(allow, rows)
        )
        summary = f"{_many(len(rows), 'BCF row')} imported (import {import_id})"
        return _latest(ws), len(rows), summary

    return run(who, "finance", area, content, f"bcf-{area}.csv", write)


# -- populations (icsatlas population import) ------------------------------------------------------
def import_population(
    who: Principal,
    code: str,
    name: str,
    content: bytes,
    extract_date: str,
    replace: bool,
    via: str,
) -> Written:
    """Import an ICB's extract as population ``name``: every row's practice must be in ICB
    ``code``, and so must a population it replaces (the folder is written aside and renamed
    into place with the audit entry, or not at all)."""

    def write(ws: Workspace, path: Path, allow: Allow) -> tuple[int, int, str]:
        rows: list[Placing] = []
        result = ws.population.import_extract(
            path,
            name,
            extract_date=extract_date,
            replace=replace,
            actor=who.name,
            source=source(via, who),
            allow=_counted(allow, rows),
        )
        people = sum(isinstance(p.row, int) for p in rows)
        return _latest(ws), people, result.title

    return run(who, "population", code, content, f"population-{code}.csv", write)


# -- reforms (icsatlas reform check, then apply) ---------------------------------------------------
def apply_reform(who: Principal, content: bytes, reason: str, via: str) -> Written:
    """Check a reform file with the code of ``icsatlas reform check`` and apply it to the
    register (one change in the audit log). Reforms are national: admin or ``reforms:*``."""

    def write(ws: Workspace, path: Path, allow: Allow) -> tuple[int, int, str]:
        operations = ws.register.check_reform(str(path))
        saved = ws.register.apply_reform(str(path), reason, who.name, source(via, who))
        summary = f"reform applied: {_many(operations, 'operation')}"
        return saved.change.change_id, operations, summary

    return run(who, "reforms", "*", content, "reform.yaml", write)


# -- bodies ----------------------------------------------------------------------------------------
def media_type(request: Any, accepted: Sequence[str]) -> str:
    """The body's media type, if the route reads it (else 415)."""
    given = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if given not in accepted:
        raise Unsupported(
            f"send the body as {' or '.join(accepted)}, not {given or 'no content type'}"
        )
    return given


async def body(request: Any, limit: int = MAX_BODY) -> bytes:
    """The request body, refused (413) as soon as it is longer than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(_too_large(limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(_too_large(limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit // KB} KB"


class TooLarge(InputError):
    http_status = 413


class Unsupported(IcsatlasError):
    http_status = 415
