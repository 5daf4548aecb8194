"""The population's need indices feed the finance package's needs-based targets, which are
set beside NHS England's for the same ICBs and the same control total."""

from __future__ import annotations

from datetime import date

import pytest

from icsatlas.finance import need
from icsatlas.finance import weighted_population as wp
from icsatlas.parameters import ParameterSet
from icsatlas.population.need import need_indices

PARAMS = ParameterSet.shipped()


def test_population_need_gives_targets_for_every_icb(england, geography):
    day = date(2026, 6, 1)
    basis = wp.Basis("2025/26", geography(day))
    indices = need_indices(england, "icb", params=PARAMS, geography=geography(day))
    shaped = need.from_population(indices)
    assert list(shaped.columns) == ["ons_code", "population", *need.FROM_POPULATION.values()]
    result = need.compare(PARAMS, shaped, basis, source="synthetic population")
    frame = result.frame
    assert len(frame) == 36
    assert frame.target_gbp.sum() == pytest.approx(frame.nhse_target_gbp.sum(), rel=1e-9)
    # The synthetic population tracks NHS England's need index (a loose bound: 0.5% sample;
    # regression snapshot, a floor under what the shipped model gives).
    assert frame.need_index.corr(frame.nhse_need_index) > 0.6
