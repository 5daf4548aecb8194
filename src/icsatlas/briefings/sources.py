"""A section's provenance as a footnote: each data source with its date and licence, the
register named by its data release (never the server's file), the reform and parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icsatlas.briefings.document import Sources
    from icsatlas.provenance import Provenance
    from icsatlas.results import Result

REGISTER = (
    "icsatlas register, release {release} (reference data published by NHS England and ONS, "
    "Open Government Licence v3.0; see icsatlas data/PROVENANCE.md); {note}"
)


def footnote(provenance: Provenance, release: str) -> str:
    """One footnote: every source the section's figures came from."""
    parts = []
    for key, text in provenance.data.items():
        if key == "register":
            note = next((n for n in provenance.notes if n.startswith("register:")), "register")
            parts.append(REGISTER.format(release=release, note=note))
        else:
            parts.append(f"{key}: {text}")
    if provenance.reform:
        parts.append(f"reform applied: {provenance.reform}")
    if provenance.parameters:
        parts.append(f"parameters {provenance.parameters}")
    return "; ".join(parts)


def cite(sources: Sources, result: Result, release: str) -> tuple[int, ...]:
    """The footnote number of ``result``'s sources, as a one-element tuple for a block."""
    return (sources.cite(footnote(result.provenance, release)),)
