"""Options every command shares, and the one way a command opens the workspace.

Kept light: importing this module imports typer only, so ``icsatlas --help`` stays fast;
a command imports what it computes with inside its body.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from icsatlas.workspace import Workspace

OnOption = Annotated[
    str | None,
    typer.Option("--on", help="Date to ask about (YYYY-MM-DD); default today."),
]
ReformOption = Annotated[
    list[str] | None,
    typer.Option(
        "--reform", "-r", help="Apply a reform on top first (what-if, nothing saved); repeatable."
    ),
]
ReformSetOption = Annotated[
    str | None,
    typer.Option(
        "--reforms",
        help="law: the register as the law stands (no reform that is not law); announced: "
        "with every shipped bill and policy on top, in date order.",
    ),
]
AsOfOption = Annotated[
    int | None,
    typer.Option("--as-of-change", help="Use the register as recorded after this change."),
]
ParametersOption = Annotated[
    Path | None,
    typer.Option(
        "--parameters",
        help="YAML of parameter overrides (name: value); see docs/reference/parameters.md.",
        exists=True,
        dir_okay=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace output files that already exist (without it, an existing file is "
        "refused and left as it was).",
    ),
]
AreaArgument = Annotated[
    str,
    typer.Argument(
        help="An ICB, place, council, GP practice or PCN (name or code), or a postcode."
    ),
]
AreaOption = Annotated[
    str,
    typer.Option(
        "--area",
        "-a",
        help="An ICB, place, council, GP practice or PCN (name or code), or a postcode.",
    ),
]


def workspace(
    reforms: list[str] | None = None,
    as_of_change: int | None = None,
    parameters: Path | None = None,
    reform_set: str | None = None,
) -> Workspace:
    """The user's workspace (built from shipped data on first use, with a progress line),
    with any what-if reforms (or ``--reforms law|announced``) and parameter overrides."""
    from icsatlas import workspace as workspace_module

    opened = workspace_module.open(
        parameters=parameters,
        reforms=reforms or (),
        as_of_change=as_of_change,
        on_build=_BuildProgress(),
        reform_set=reform_set,
    )
    _opened.append(opened)
    return opened


_opened: list[Workspace] = []


def close_opened() -> None:
    """When a command ends: let go of the stores its workspaces opened (a DuckDB file stays
    locked until then; in one process, such as a test's, that would be until garbage
    collection)."""
    while _opened:
        _opened.pop().close()


class _BuildProgress:
    """Shows the register build's steps on stderr, the first time a workspace is used."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, step: str | None) -> None:
        if step is None:  # the build has finished
            if self.progress is not None:
                self.progress.stop()
            return
        if self.progress is None:
            from rich.progress import Progress

            from icsatlas.cli.render import errors

            self.progress = Progress(console=errors, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("building the register", total=None)
        if self.task is not None:
            self.progress.update(self.task, description=f"building the register: {step}")
