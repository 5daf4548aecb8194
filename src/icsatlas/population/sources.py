"""The published figures the synthetic population is calibrated to, read from shipped data.

Every function returns a tidy DataFrame in the geography of the August 2026 extract
(36 ICBs, 106 sub-ICB locations), the date the generated population describes.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from icsatlas import data
from icsatlas.population.conditions import QOF_CONDITIONS, qof_min_age
from icsatlas.register import geography

EXTRACT_DATE = geography.EXTRACT_2026
MAX_AGE = 95  # the extract's top age group is "95+"
AGES = np.arange(MAX_AGE + 1)
SEXES = ("F", "M")

REGISTERED = "gp_registered_patients_age_sex_aug2026"
PRACTICE_MAP = "gp_practice_map_aug2026"
ALLOCATION = "allocation_weighted_population_practice_2023_24_to_2025_26"
QOF = "qof_prevalence_practice_2024_25"
QOF_ICB = "qof_prevalence_icb_2024_25"
IMD = "imd2019_lsoa11"
LSOA_LOOKUP = "lsoa11_sicbl_icb_region"
GRADIENTS = "condition_prevalence_by_age_sex_england"
AE = "ae_monthly_provider_2023_04_to_2025_04"
NEED = "icb_allocation_need_indices_2023_24_to_2025_26"

ALL_SOURCES = (REGISTERED, PRACTICE_MAP, ALLOCATION, QOF, IMD, LSOA_LOOKUP, GRADIENTS, AE)


def cited(keys: tuple[str, ...] = ALL_SOURCES) -> dict[str, str]:
    """Citation of each shipped source and the release used, for provenance."""
    from icsatlas.data import releases

    return {key: releases.cite(key) for key in keys}


@cache
def registered_counts(level: str = "SUB_ICB_LOCATION") -> pd.DataFrame:
    """Registered patients by organisation, sex ('F'/'M') and single year of age (95 = 95+)."""
    raw = data.read(REGISTERED, dtype={"AGE": str, "ORG_CODE": str})
    rows = raw[(level == raw.ORG_TYPE) & (raw.SEX != "ALL") & (raw.AGE != "ALL")]
    return pd.DataFrame(
        {
            "org_code": rows.ORG_CODE.to_numpy(),
            "sex": rows.SEX.map({"FEMALE": "F", "MALE": "M"}).to_numpy(),
            "age": rows.AGE.str.replace("+", "", regex=False).astype(int).to_numpy(),
            "patients": rows.NUMBER_OF_PATIENTS.astype(np.int64).to_numpy(),
        }
    )


def count_matrix(counts: pd.DataFrame) -> dict[str, np.ndarray]:
    """Organisation -> array (2 sexes x 96 ages) of registered patients."""
    out: dict[str, np.ndarray] = {}
    for code, rows in counts.groupby("org_code"):
        matrix = np.zeros((2, MAX_AGE + 1), dtype=np.int64)
        sex = (rows.sex == "M").to_numpy().astype(int)
        np.add.at(matrix, (sex, rows.age.to_numpy()), rows.patients.to_numpy())
        out[str(code)] = matrix
    return out


@cache
def practices() -> pd.DataFrame:
    """Practices of the August 2026 map with their sub-ICB, ICB, list-size weight (2025/26
    allocation population) and maternity need-weighted population."""
    lookup = geography.practice_lookup(EXTRACT_DATE)[["practice_code", "sub_icb_ods", "icb_ods"]]
    allocation = data.read(
        ALLOCATION,
        usecols=["allocation_year", "practice_code", "population", "mat_wp"],
        dtype={"practice_code": str},
    )
    latest = allocation[allocation.allocation_year == "2025/26"].drop(columns="allocation_year")
    merged = lookup.merge(latest, on="practice_code", how="left", validate="one_to_one")
    if merged.population.isna().any():
        missing = merged.practice_code[merged.population.isna()].tolist()[:5]
        raise ValueError(f"practices with no 2025/26 allocation population: {missing}")
    return merged.rename(columns={"population": "weight", "mat_wp": "maternity_weight"})


@cache
def qof_prevalence() -> pd.DataFrame:
    """QOF 2024/25 prevalence (fraction of the register's eligible ages) for every practice of
    the 2026 map and every QOF condition; practices with no QOF return get their sub-ICB's
    pooled prevalence (flagged in ``imputed``)."""
    raw = data.read(QOF, dtype={"practice_code": str})
    raw = raw[raw.group_code.isin([c.qof_code for c in QOF_CONDITIONS])]
    practice = practices()[["practice_code", "sub_icb_ods"]]
    joined = raw.merge(practice, on="practice_code", how="inner")
    pooled = joined.groupby(["sub_icb_ods", "group_code"], as_index=False)[
        ["register", "practice_list_size"]
    ].sum()
    pooled["prevalence"] = pooled.register / pooled.practice_list_size
    found = joined.assign(prevalence=joined.register / joined.practice_list_size.clip(lower=1))
    grid = practice.merge(pd.DataFrame({"group_code": list(_qof_codes())}), how="cross")
    full = grid.merge(
        found[["practice_code", "group_code", "prevalence"]],
        on=["practice_code", "group_code"],
        how="left",
    ).merge(
        pooled[["sub_icb_ods", "group_code", "prevalence"]].rename(
            columns={"prevalence": "pooled"}
        ),
        on=["sub_icb_ods", "group_code"],
        how="left",
    )
    full["imputed"] = full.prevalence.isna()
    full["prevalence"] = full.prevalence.fillna(full.pooled).clip(0.0, 1.0)
    return full[["practice_code", "sub_icb_ods", "group_code", "prevalence", "imputed"]]


@cache
def qof_sub_icb_prevalence() -> pd.DataFrame:
    """QOF 2024/25 prevalence pooled over each sub-ICB location's practices (registers summed
    over list sizes): sub-ICB x QOF code."""
    raw = data.read(QOF, dtype={"practice_code": str})
    practice = practices()[["practice_code", "sub_icb_ods"]]
    joined = raw.merge(practice, on="practice_code", how="inner")
    pooled = joined.groupby(["sub_icb_ods", "group_code"])[["register", "practice_list_size"]].sum()
    return (pooled.register / pooled.practice_list_size).unstack("group_code")


def _qof_codes() -> tuple[str, ...]:
    return tuple(str(c.qof_code) for c in QOF_CONDITIONS)


@cache
def qof_min_ages() -> dict[str, int]:
    """QOF condition code -> youngest age in its register's denominator (from the data)."""
    raw = data.read(QOF, usecols=["group_code", "patient_list_type"]).drop_duplicates()
    return {r.group_code: qof_min_age(r.patient_list_type) for r in raw.itertuples()}


@cache
def lsoas() -> pd.DataFrame:
    """LSOAs (2011) with their August 2026 sub-ICB, IMD 2019 decile and mid-2015 population
    in three age groups (0-15, 16-59, 60+), the weights used to place people."""
    lookup = geography.lsoa_lookup(EXTRACT_DATE)[["lsoa11", "sub_icb_ods", "imd_decile"]]
    ages = data.read(
        IMD, usecols=["LSOA11CD", "POP_MID2015_0_15", "POP_MID2015_16_59", "POP_MID2015_60_PLUS"]
    ).rename(
        columns={
            "LSOA11CD": "lsoa11",
            "POP_MID2015_0_15": "pop_0_15",
            "POP_MID2015_16_59": "pop_16_59",
            "POP_MID2015_60_PLUS": "pop_60_plus",
        }
    )
    return lookup.merge(ages, on="lsoa11", how="inner", validate="one_to_one")


AGE_GROUPS = ("pop_0_15", "pop_16_59", "pop_60_plus")


def age_group_of(age: np.ndarray) -> np.ndarray:
    """Index into :data:`AGE_GROUPS` for each age."""
    return (age >= 16).astype(np.int8) + (age >= 60).astype(np.int8)


@cache
def national_emergency_admissions() -> int:
    """Emergency admissions in England in 2024/25 (April-March), summed over providers from
    NHS England's monthly A&E attendances and emergency admissions collection."""
    raw = data.read(AE, dtype={"month": str})
    year = raw[(raw.month >= "2024-04") & (raw.month <= "2025-03")]
    columns = [c for c in raw.columns if "emergency_admissions" in c]
    return int(year[columns].to_numpy().sum())


@cache
def registered_total() -> int:
    return int(registered_counts("ICB").patients.sum())


@cache
def published_icb_prevalence() -> pd.DataFrame:
    """QOF 2024/25 prevalence per ICB in the 36-ICB geography, as published (by our source)."""
    raw = data.read(QOF_ICB, dtype=str)
    icb = raw[raw.geography == "ICB 2026 (36)"]
    return pd.DataFrame(
        {
            "icb_ods": icb.icb_ods.to_numpy(),
            "group_code": icb.group_code.to_numpy(),
            "register": icb.register.astype(float).to_numpy(),
            "list_size": icb.list_size.astype(float).to_numpy(),
        }
    )


@cache
def condition_bands() -> pd.DataFrame:
    """Published prevalence by age band and sex for single conditions (dm, hyp, copd)."""
    raw = data.read(GRADIENTS)
    single = raw[
        raw.condition.isin(["dm", "hyp", "copd"]) & (raw.source != "bsol_hse2022_blood_pressure")
    ]
    return single.assign(age_to=single.age_to.fillna(MAX_AGE).astype(int))


@cache
def condition_pairs() -> pd.DataFrame:
    """CALIBER prevalence of pairs of conditions by age band (same for both sexes)."""
    raw = data.read(GRADIENTS)
    pairs = raw[raw.condition.str.contains("+", regex=False) & (raw.sex == "female")]
    return pairs.assign(age_to=pairs.age_to.fillna(MAX_AGE).astype(int))
