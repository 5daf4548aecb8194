"""Population health: a patient-level population (synthetic, calibrated to published figures,
or an ICB's own de-identified extract), segmented, scored and aggregated by one portable SQL
pipeline on DuckDB or Spark, with disclosure control on everything that leaves.

The Python API (docs/reference/population-api.md)::

    from icsatlas import population
    from icsatlas.parameters import ParameterSet
    params = ParameterSet.shipped()
    england = population.open_dataset("england")
    population.profile(england, "Cheshire and Merseyside", params=params)
    population.need_indices(england, level="icb", on=date(2025, 9, 30), params=params)

Every function in :data:`PUBLISHED` returns a :class:`~icsatlas.results.Result` (a
DataFrame with provenance) that has passed :mod:`icsatlas.population.publish`.
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
