"""Population health: a patient-level population (synthetic, calibrated to published figures,
or an ICB's own de-identified extract), segmented, scored and aggregated by one portable SQL
pipeline on DuckDB or Spark, with disclosure control on everything that leaves.

Ask it through the workspace (docs/reference/population-api.md), whose areas are the
register's on the date asked and whose resolver reads every area a user names::

    import icsatlas
    ws = icsatlas.open()
    ws.population.profile("Cheshire and Merseyside", on="2026-08-01")
    ws.population.need("icb", on="2025-09-30")

The functions here are what ``ws.population`` calls; they take the register's geography of
the date (``ws.geography(on)``), one area as a :class:`~icsatlas.population.areas.Focus` and
``params``. Every function in :data:`PUBLISHED` returns a :class:`~icsatlas.results.Result`
(a DataFrame with provenance) that has passed :mod:`icsatlas.population.publish`.
"""

from __future__ import annotations

from icsatlas.population.aggregate import aggregate
from icsatlas.population.catalogue import catalogue, describe
from icsatlas.population.dataset import Dataset, list_datasets, open_dataset
from icsatlas.population.importer import import_population
from icsatlas.population.inequalities import core20plus5, inequalities
from icsatlas.population.need import compare_with_official, need_indices
from icsatlas.population.profile import profile
from icsatlas.population.summary import Options
from icsatlas.population.validate import validate

# Every public function whose output holds figures about people; each is covered by the
# disclosure property test (tests/population/test_published_outputs.py).
PUBLISHED = (
    aggregate,
    catalogue,
    compare_with_official,
    core20plus5,
    describe,
    inequalities,
    need_indices,
    profile,
    validate,
)

__all__ = [
    "PUBLISHED",
    "Dataset",
    "Options",
    "aggregate",
    "catalogue",
    "compare_with_official",
    "core20plus5",
    "describe",
    "import_population",
    "inequalities",
    "list_datasets",
    "need_indices",
    "open_dataset",
    "profile",
    "validate",
]
