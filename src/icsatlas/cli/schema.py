"""`icsatlas schema [NAME] [FILE]...`: the JSON Schemas of the YAML inputs, and a check of
your own files against them (and against what only code can check)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from icsatlas.cli.options import workspace
from icsatlas.cli.render import Format, FormatOption, console, render


def schema(
    name: Annotated[
        str | None,
        typer.Argument(
            help="reform, parameter, parameter-overrides, scenario or uncertainty; none: list them."
        ),
    ] = None,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="YAML files to check as NAME files (nothing is saved).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the JSON Schemas of the YAML inputs, print one, or check files against one."""
    from icsatlas import schemas

    if name is None:
        render(schemas.listing(), fmt)
    elif not files:
        typer.echo(schemas.text(name), nl=False)
    else:
        schemas.known(name)
        for path in files:
            console.print(f"{path}: {_check(name, path)}", highlight=False)


def _check(name: str, path: Path) -> str:
    """Read ``path`` as the commands that use a ``name`` file read it; what was found."""
    from icsatlas import yamlio

    if name == "reform":
        count = workspace().register.check_reform(str(path))
        return f"a valid reform: {count} operations, applies cleanly"
    if name == "parameter":
        from icsatlas import parameters

        parameter = parameters.parse(yamlio.load(path), path.stem)
        count = len(parameter.values)
        return f"a valid parameter file: {count} dated value{'s' * (count != 1)}"
    if name == "parameter-overrides":
        from icsatlas.parameters import ParameterSet

        overridden = ParameterSet.shipped().override(path)
        return f"valid parameter overrides: {', '.join(sorted(overridden.overrides))}"
    if name == "scenario":
        from icsatlas.finance import scenario
        from icsatlas.parameters import ParameterSet

        plan = scenario.load(path, ParameterSet.shipped())
        changed = [n for n, spec in plan.inputs.items() if spec.from_scenario]
        return f"a valid scenario: inputs changed: {', '.join(changed) or 'none'}"
    from icsatlas.finance import uncertainty

    return f"a valid uncertain input: {uncertainty.parse(yamlio.load(path), ()).describe()}"


def add_commands(app: typer.Typer) -> None:
    app.command()(schema)
