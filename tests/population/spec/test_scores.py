"""Cambridge Multimorbidity Score, eFI categories, age bands, Core20 and the risk score.

Sources: Payne et al., CMAJ 2020, Table 3 (CMS general-outcome weights of the 20-condition
model; the same weights in public OpenSAFELY ehrQL study code, e.g. anxiety or depression
0.50); Clegg et al., Age Ageing 2016, and the Frailty toolkit (eFI: fit 0-4 deficits of 36,
mild 5-8, moderate 9-13, severe 14+); NHS England, Core20PLUS5 (Core20: the most deprived 20%
nationally, IMD deciles 1 and 2); the risk score's documented formula (population/risk/*.yaml,
whose bands are assumptions)."""

from __future__ import annotations

import math

import pytest

from icsatlas.parameters import ParameterSet
from icsatlas.population import pipeline
from icsatlas.population.model import FRAILTY_CATEGORIES

from .conftest import ON, person

PARAMS = ParameterSet.shipped()


def test_cambridge_score_sums_payne_general_outcome_weights(people):
    # dementia 2.50 + COPD 1.46 + hypertension 0.08 (Payne et al. 2020, 20-condition model)
    frame = people([person(dementia=True, copd=True, hypertension=True), person()])
    assert frame.cms_x100.tolist() == [404, 0]


def test_anxiety_or_depression_is_one_condition_weighted_050(people):
    frame = people([person(depression=True)])
    assert frame.cms_x100.tolist() == [50]


@pytest.mark.parametrize(
    ("deficits", "category"),
    [
        (0, "fit"),
        (4, "fit"),
        (5, "mild"),
        (8, "mild"),
        (9, "moderate"),
        (13, "moderate"),
        (14, "severe"),
    ],
)
def test_efi_categories_by_deficits(people, deficits, category):
    frame = people([person(age=70, frailty_deficits=deficits)])
    assert FRAILTY_CATEGORIES[int(frame.frailty.iloc[0])] == category


def test_age_bands_and_life_stages(people):
    frame = people([person(age=a) for a in (0, 4, 5, 17, 18, 64, 65, 89, 90, 104)])
    labels = [pipeline.age_band_label(int(i)) for i in frame.age_band]
    assert labels == [
        "0-4",
        "0-4",
        "5-9",
        "15-19",
        "15-19",
        "60-64",
        "65-69",
        "85-89",
        "90+",
        "90+",
    ]
    assert [pipeline.LIFE_STAGES[int(i)] for i in frame.life_stage] == [
        "0-17", "0-17", "0-17", "0-17", "18-64", "18-64", "65+", "65+", "65+", "65+",
    ]  # fmt: skip


def test_core20_is_imd_deciles_one_and_two(people):
    frame = people([person(imd_decile=2), person(imd_decile=3), person(imd_decile=None)])
    assert frame.core20.tolist()[:2] == [1, 0] and frame.core20.isna().tolist()[2]


def test_risk_follows_its_documented_formula(people):
    settings = pipeline.Settings.load(ON, PARAMS)
    r = settings.risk
    frame = people(
        [
            person(
                age=80, dementia=True, imd_decile=1, unplanned_admissions_12m=5, frailty_deficits=14
            )
        ]
    )
    rate = (
        math.exp(
            r["intercept"]
            + r["cms"] * 2.50
            + r["prior_admission"] * r["prior_admission_cap"]
            + r["core20"]
        )
        * settings.hazard_ratios[3]
    )
    assert frame.admission_rate.iloc[0] == pytest.approx(rate, rel=1e-12)
    assert frame.risk.iloc[0] == pytest.approx(1 - math.exp(-rate), rel=1e-12)
    assert pipeline.RISK_BANDS[int(frame.risk_band.iloc[0])] == "very_high"


def test_risk_bands_by_probability(people):
    frame = people(
        [
            person(),
            person(
                age=90,
                heart_failure=True,
                copd=True,
                dementia=True,
                frailty_deficits=20,
                unplanned_admissions_12m=3,
            ),
        ]
    )
    bands = [pipeline.RISK_BANDS[int(b)] for b in frame.risk_band]
    assert bands == ["low", "very_high"]
