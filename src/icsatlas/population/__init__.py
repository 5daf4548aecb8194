"""Population health: a patient-level population (synthetic, calibrated to published figures,
or an ICB's own de-identified extract), segmented, scored and aggregated by one portable SQL
pipeline on DuckDB or Spark, with disclosure control on everything that leaves.

The Python API (docs/reference/population-api.md)::

    from icsatlas import population
    england = population.open_dataset("england")
    population.profile(england, "Cheshire and Merseyside")
    population.need_indices(england, level="icb", on=date(2025, 9, 30))

Every function returns a :class:`~icsatlas.results.Result` (a DataFrame with provenance).
"""

from __future__ import annotations

from icsatlas.population.aggregate import aggregate
from icsatlas.population.dataset import Dataset, list_datasets, open_dataset
from icsatlas.population.importer import import_population
from icsatlas.population.inequalities import core20plus5, inequalities
from icsatlas.population.need import compare_with_official, need_indices
from icsatlas.population.profile import profile
from icsatlas.population.summary import Options
from icsatlas.population.validate import validate

__all__ = [
    "Dataset",
    "Options",
    "aggregate",
    "compare_with_official",
    "core20plus5",
    "import_population",
    "inequalities",
    "list_datasets",
    "need_indices",
    "open_dataset",
    "profile",
    "validate",
]
