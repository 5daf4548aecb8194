"""The long-term conditions the population carries, and where each one's figures come from.

Each condition is one boolean column of the population schema. Twenty-one come from QOF
registers (calibrated per practice in the synthetic population); five more are used by the
Cambridge Multimorbidity Score but have no register, so they are null in the synthetic
population and filled only by an imported extract.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    """One long-term condition flag."""

    column: str
    label: str
    qof_code: str | None = None
    min_age: int = 0  # QOF register denominator (e.g. diabetes counts patients aged 17+)

    @property
    def from_qof(self) -> bool:
        return self.qof_code is not None


_QOF_MIN_AGE = {"TOTAL": 0, "06OV": 6, "16OV": 16, "17OV": 17, "18OV": 18, "50OV": 50}

CONDITIONS: tuple[Condition, ...] = (
    Condition("atrial_fibrillation", "Atrial fibrillation", "AF"),
    Condition("asthma", "Asthma", "AST", 6),
    Condition("cancer", "Cancer", "CAN"),
    Condition("coronary_heart_disease", "Coronary heart disease", "CHD"),
    Condition("chronic_kidney_disease", "Chronic kidney disease (stages 3-5)", "CKD", 18),
    Condition("copd", "COPD", "COPD"),
    Condition("dementia", "Dementia", "DEM"),
    Condition("depression", "Depression", "DEP", 18),
    Condition("diabetes", "Diabetes", "DM", 17),
    Condition("epilepsy", "Epilepsy", "EP", 18),
    Condition("heart_failure", "Heart failure", "HF"),
    Condition("hypertension", "Hypertension", "HYP"),
    Condition("learning_disability", "Learning disability", "LD"),
    Condition("severe_mental_illness", "Schizophrenia, bipolar disorder, other psychoses", "MH"),
    Condition("non_diabetic_hyperglycaemia", "Non-diabetic hyperglycaemia", "NDH", 18),
    Condition("obesity", "Obesity (BMI 30+)", "OB", 18),
    Condition("osteoporosis", "Osteoporosis with fragility fracture", "OST", 50),
    Condition("peripheral_arterial_disease", "Peripheral arterial disease", "PAD"),
    Condition("rheumatoid_arthritis", "Rheumatoid arthritis", "RA", 16),
    Condition("stroke_tia", "Stroke or transient ischaemic attack", "STIA"),
    Condition("end_of_life", "End of life (palliative care register)", "PC"),
    Condition("alcohol_problems", "Alcohol problems"),
    Condition("hearing_loss", "Hearing loss"),
    Condition("irritable_bowel_syndrome", "Irritable bowel syndrome"),
    Condition("constipation", "Constipation (treated)"),
    Condition("painful_condition", "Painful condition (treated)"),
)

BY_COLUMN = {c.column: c for c in CONDITIONS}
BY_QOF = {c.qof_code: c for c in CONDITIONS if c.qof_code}
QOF_CONDITIONS = tuple(c for c in CONDITIONS if c.from_qof)


def qof_min_age(list_type: str) -> int:
    """The youngest age in a QOF denominator type such as '17OV'."""
    return _QOF_MIN_AGE[list_type]


def get(column: str) -> Condition:
    return BY_COLUMN[column]
