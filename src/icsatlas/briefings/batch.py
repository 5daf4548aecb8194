"""Every ICB's (or every upper-tier council's) briefing into one folder, with an index page:
an area that fails is listed with its error on the index and the rest go on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from icsatlas.briefings import Format, briefing, figures, render
from icsatlas.briefings.release import release
from icsatlas.errors import IcsatlasError
from icsatlas.exports.files import check_targets, output_folder, write_atomic

if TYPE_CHECKING:
    from datetime import date

    from icsatlas.workspace import Workspace

KINDS = ("icb", "council")
LOWER_TIER = "E07"  # ONS codes of district (lower-tier) councils


@dataclass(frozen=True)
class Outcome:
    """One area's briefing: the file written, or why it was not."""

    code: str
    name: str
    file: Path | None
    error: str = ""


def areas(ws: Workspace, kind: str, on: date) -> list[tuple[str, str]]:
    """(code, name) of every ICB, or every upper-tier council, in force on ``on``."""
    if kind == "icb":
        geography = ws.geography(on)
        return sorted(zip(geography.icbs.icb_ods, geography.icbs.icb_name, strict=True))
    if kind == "council":
        return [
            (c.org_id, c.name)
            for c, _ in ws.resolver.councils(on)
            if not c.org_id.startswith(LOWER_TIER)
        ]
    raise IcsatlasError(f"--type must be one of {', '.join(KINDS)}, not {kind!r}")


def check_folder(
    folder: Path, chosen: list[tuple[str, str]], fmt: Format, force: bool = False
) -> None:
    """Make ``folder`` if missing (its parent must exist); refuse it if any briefing or the
    index is already there, unless ``force``, before any briefing is built."""
    output_folder(folder, "--out")
    check_targets(_files(folder, chosen, fmt), force, "--out")


def _files(folder: Path, chosen: list[tuple[str, str]], fmt: Format) -> list[Path]:
    return [*(folder / f"{code}.{fmt}" for code, _ in chosen), folder / "index.html"]


def write_all(
    ws: Workspace,
    chosen: list[tuple[str, str]],
    folder: Path,
    *,
    on: date,
    reform: str | None,
    fmt: Format,
    force: bool = False,
    step: Callable[[str], None] = lambda name: None,
) -> list[Outcome]:
    """Each area's briefing as ``folder/<code>.<fmt>``, then ``folder/index.html``; the
    folder is checked first (:func:`check_folder`)."""
    check_folder(folder, chosen, fmt, force)
    named = release(ws)
    outcomes = []
    for code, name in chosen:
        step(name)
        path = folder / f"{code}.{fmt}"
        try:
            content = render(briefing(ws, code, on, reform, named), fmt)
            outcomes.append(Outcome(code, name, write_atomic(path, content, force, "--out")))
        except Exception as error:  # one area's failure is reported; the others go on
            outcomes.append(Outcome(code, name, None, f"{type(error).__name__}: {error}"))
    page = index(outcomes, on, reform, named).encode()
    write_atomic(folder / "index.html", page, force, "--out")
    return outcomes


def index(outcomes: list[Outcome], on: date, reform: str | None, named: str) -> str:
    """The folder's index page: a link to each briefing, each failure with its reason."""
    rows = "".join(
        f"<tr><td>{escape(o.code)}</td><td>"
        + (
            f'<a href="{escape(o.file.name)}">{escape(o.name)}</a></td><td>written'
            if o.file
            else f"{escape(o.name)}</td><td>failed: {escape(o.error)}"
        )
        + "</td></tr>"
        for o in outcomes
    )
    title = f"Briefings on {figures.day(on)}"
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:Arial,sans-serif;margin:1rem}td,th{padding:.2rem .6rem;"
        "text-align:left}</style></head><body>"
        f"<h1>{title}</h1><p>Reform: {escape(reform or 'none')}; data release "
        f'{escape(named)}.</p><table><thead><tr><th scope="col">code</th>'
        f'<th scope="col">area</th><th scope="col">briefing</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></body></html>\n"
    )
