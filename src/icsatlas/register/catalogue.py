"""The function catalogue (``functions.yaml``) and looking functions up by name or synonym."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache
from importlib import resources

from icsatlas import yamlio
from icsatlas.errors import NotFoundError, Suggestion
from icsatlas.names import normalise
from icsatlas.register.model import Function

BLUEPRINT_VERDICTS = {
    "grow": "Grow: invest over time",
    "retain": "Retain (and adapt)",
    "review": "Review for transfer",
    "transfer-out": "Transfer out of ICBs",
    "transfer-in": "Transfer into ICBs",
}


@cache
def shipped_functions() -> tuple[Function, ...]:
    """The catalogue shipped with the package, sources resolved to addresses."""
    located = yamlio.load(str(resources.files("icsatlas.register") / "functions.yaml"))
    sources = located.data["sources"]
    functions = []
    for function_id, spec in located.data["functions"].items():
        unknown = [s for s in spec.get("sources", []) if s not in sources]
        if unknown:
            raise located.error(("functions", function_id, "sources"), f"unknown source {unknown}")
        verdict = spec.get("blueprint")
        if verdict is not None and verdict not in BLUEPRINT_VERDICTS:
            raise located.error(("functions", function_id, "blueprint"), f"unknown {verdict!r}")
        functions.append(
            Function(
                function_id=function_id,
                label=spec["label"],
                description=spec["description"],
                category=spec["category"],
                blueprint=verdict,
                statutory=spec.get("statutory"),
                default_holder=spec.get("default_holder"),
                default_basis=spec.get("default_basis"),
                synonyms=tuple(spec.get("synonyms", [])),
                sources=tuple(sources[s] for s in spec.get("sources", [])),
            )
        )
    return tuple(functions)


def find_function(query: str, functions: Iterable[Function]) -> Function:
    """The function ``query`` names: its id, label or a synonym (forgiving of case,
    punctuation and 'and'); a near miss gets suggestions."""
    functions = list(functions)
    wanted = normalise(query)
    for function in functions:
        names = (function.function_id.replace("-", " "), function.label, *function.synonyms)
        if wanted in {normalise(n) for n in names}:
            return function
    partial = [f for f in functions if wanted and wanted in normalise(f.label)]
    if len(partial) == 1:
        return partial[0]
    every_name = {n: f for f in functions for n in (f.function_id, f.label, *f.synonyms)}
    close = difflib.get_close_matches(query, list(every_name), n=3, cutoff=0.6)
    if partial:
        close = [f.label for f in partial[:5]]
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    meant = dict.fromkeys(every_name[c] for c in close)
    suggestions = [Suggestion(f.label, "function", f.function_id) for f in meant]
    raise NotFoundError(f"no function matches {query!r}{hint}", suggestions)


LEGISLATION = ("legislation.gov.uk/", "legislation.data.gov.uk/")


def statutory_source(function: Function) -> str | None:
    """The first of a function's sources that is legislation (legislation.gov.uk), if any:
    what a holding conferred by statute cites."""
    return next((s for s in function.sources if any(site in s for site in LEGISLATION)), None)
