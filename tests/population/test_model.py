"""The calibrated model: age gradients, co-occurrence, frailty and admission levels.

The fit-quality thresholds below (age gradients, R squared, Core20 log odds, the
co-occurrence loading) are regression snapshots: floors under what the shipped calibration
gives, so a change to the data or the fit that weakens it fails here."""

from __future__ import annotations

import numpy as np
import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population import gradients, model

PARAMS = ParameterSet.shipped()


def test_latent_factor_is_a_standard_normal_in_equal_slices():
    values = model.latent_values(8)
    assert values.mean() == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(values) > 0)
    assert (values**2).mean() == pytest.approx(1.0, abs=0.06)  # slices lose a little variance


@pytest.mark.parametrize("code", ["AF", "CHD", "DEM", "HF", "STIA", "CAN", "PC"])
def test_conditions_of_old_age_rise_with_age(code):
    gradient = gradients.gradients()[code]
    assert gradient.offset[0, 80] - gradient.offset[0, 40] > 2.0


def test_ecological_fits_explain_most_of_the_variation_between_areas():
    fits = gradients.fits().set_index("qof_code")
    assert (fits.r_squared > 0.8).sum() >= 10
    assert fits.loc[["AF", "CAN", "HYP", "STIA"], "r_squared"].min() > 0.9


def test_copd_and_diabetes_are_commoner_in_core20():
    fits = gradients.fits().set_index("qof_code")
    assert fits.loc["COPD", "core20_log_odds"] > 0.5
    assert fits.loc["DM", "core20_log_odds"] > 0.5


def test_published_bands_keep_their_sex_difference():
    # HSE 2019: diabetes 21% of men v 15% of women at 65-74
    offset = gradients.gradients()["DM"].offset
    assert offset[1, 70] > offset[0, 70]


def test_co_occurrence_loading_moves_pairs_towards_caliber():
    independent = model.co_occurrence(0.0)
    fitted = model.co_occurrence(model.fit_loading())
    error = [np.mean(np.log(t.ratio) ** 2) for t in (independent, fitted)]
    assert error[1] < error[0] / 2
    assert 0.5 <= model.fit_loading() <= 2.0


def test_hazard_ratios_average_one_over_the_national_frailty_mix():
    # eFI shares of over-65s (Frailty toolkit) and hospitalisation hazard ratios (Clegg et
    # al., Age Ageing 2016, abstract): population/frailty and population/risk parameters
    shares = {"fit": 0.5, "mild": 0.35, "moderate": 0.12, "severe": 0.03}
    hazard = {"fit": 1.0, "mild": 1.93, "moderate": 3.04, "severe": 4.73}
    ratios = model.normalised_hazard_ratios(hazard, shares)
    assert sum(r * s for r, s in zip(ratios, shares.values(), strict=True)) == pytest.approx(1)
    assert ratios[3] / ratios[0] == pytest.approx(4.73)


def test_practice_levels_reproduce_their_targets():
    built = model.build_model(PARAMS)
    weights = model.cell_weights(built, model.england_counts(), model.core20_by_age())
    targets = np.tile(model.england_prevalence(), (3, 1)) * np.array([[0.5], [1.0], [1.5]])
    levels = built.levels(weights, targets)
    table = built.probability_table(levels).reshape(len(built.codes), 3, -1)
    eligible = np.isfinite(built.cell_logits())
    for c in range(len(built.codes)):
        w = np.where(eligible[c], weights, 0.0)
        reached = table[c] @ w / w.sum()
        assert reached == pytest.approx(targets[:, c], rel=0.01)
