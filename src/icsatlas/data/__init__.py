"""The reference data shipped with icsatlas, and where each file came from.

Files live in ``data/reference/`` (large ones gzip-compressed, otherwise verbatim
copies of the project's curated sources); ``sources.yaml`` records each file's
title, publisher, date, licence and origin; ``PROVENANCE.md`` is the long form.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from icsatlas.errors import NotFoundError

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DataSource:
    """One shipped reference file and its provenance."""

    key: str
    title: str
    publisher: str
    date: str
    licence: str
    via: str

    def cite(self) -> str:
        return f"{self.publisher}, {self.title} ({self.date}); {self.licence}"


def _root() -> Path:
    return Path(str(resources.files("icsatlas.data")))


@cache
def sources() -> dict[str, DataSource]:
    """Every shipped file's provenance, by key."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load((_root() / "sources.yaml").read_text(), Loader=loader)  # noqa: S506 - the safe loader (libyaml's when present)
    return {
        key: DataSource(key=key, **{k: str(v) for k, v in meta.items()})
        for key, meta in raw.items()
    }


def source(key: str) -> DataSource:
    try:
        return sources()[key]
    except KeyError:
        raise NotFoundError(f"no shipped data source {key!r}") from None


def path(key: str) -> Path:
    """Path of a shipped file (``.csv`` or ``.csv.gz``)."""
    source(key)
    for suffix in (".csv", ".csv.gz"):
        candidate = _root() / "reference" / f"{key}{suffix}"
        if candidate.exists():
            return candidate
    raise NotFoundError(f"shipped data file for {key!r} is missing from the package")


def read(key: str, **kwargs) -> pd.DataFrame:
    """A shipped file as a DataFrame (keyword arguments go to :func:`pandas.read_csv`)."""
    import pandas as pd

    return pd.read_csv(path(key), **kwargs)
