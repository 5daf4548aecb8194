"""Trends from real data: each a question returning a :class:`~icsatlas.results.Result` whose
provenance names the dataset releases it used, and whose notes flag any stale dataset.

* :mod:`~icsatlas.trends.outsourcing` - CCG spend going to for-profit providers, 2013-2020
  (Goodair & Reeves' replication data), by CCG, ICB, region and England;
* :mod:`~icsatlas.trends.population` - ONS mid-year estimates 1991-2024 for any council, and
  aggregated to ICBs with the shipped council-to-ICB shares;
* :mod:`~icsatlas.trends.money` - ICB allocations per head (registered and resident);
* :mod:`~icsatlas.trends.bcf` - Better Care Fund intermediate care 2022-23 per head and per
  resident aged 65+.

The Workspace asks them (``ws.trends``); the CLI (``icsatlas trends ...``) prints them and
:mod:`~icsatlas.trends.charts` draws them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from icsatlas.provenance import Provenance

if TYPE_CHECKING:
    import pandas as pd

    from icsatlas.results import Result


def sourced(
    frame: pd.DataFrame,
    keys: Iterable[str],
    title: str,
    notes: Iterable[str] = (),
    on: date | None = None,
) -> Result:
    """A result citing the releases of the shipped datasets ``keys``, with a note for each
    one that is stale on ``on`` (today)."""
    from icsatlas.data import releases
    from icsatlas.results import Result

    used = tuple(dict.fromkeys(keys))
    provenance = Provenance(data={k: releases.cite(k) for k in used})
    return Result(frame, provenance, title, (*notes, *releases.notes(used, on)))
