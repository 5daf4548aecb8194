"""The patient-level population schema: one row per registered person.

The same schema is written by the generator and required of an imported extract
(docs/reference/population-schema.md is generated from :data:`COLUMNS`). Data files are
partitioned by ``icb_code`` (a directory per ICB), so that column is not stored inside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from icsatlas.population.conditions import CONDITIONS

SEXES = ("F", "M")
ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    required: bool = True  # must be present in an import file (values may still be null
    nullable: bool = False  # where ``nullable``)
    low: int | None = None
    high: int | None = None
    allowed: tuple[str, ...] = ()


_STRING = pa.string()

IDENTITY: tuple[Column, ...] = (
    Column(
        "person_id",
        pa.int64(),
        "Pseudonymous person id: a whole number, 0 or more, unique in the file.",
        low=0,
    ),
    Column("practice_code", _STRING, "ODS code of the GP practice the person is registered with."),
    Column(
        "sub_icb_code",
        _STRING,
        "ODS code of the practice's sub-ICB location when the extract was taken "
        "(filled from the practice if absent).",
        required=False,
        nullable=True,
    ),
    Column(
        "lsoa_code",
        _STRING,
        "LSOA (2011) of residence; gives IMD decile and local authority.",
        required=False,
        nullable=True,
    ),
    Column("age", pa.int16(), "Age in whole years (95 means 95 or over).", low=0, high=120),
    Column("sex", _STRING, "F or M.", allowed=SEXES),
    Column(
        "imd_decile",
        pa.int8(),
        "National IMD 2019 decile of the LSOA (1 = most deprived); filled from lsoa_code if "
        "absent.",
        required=False,
        nullable=True,
        low=1,
        high=10,
    ),
    Column(
        "ethnicity",
        _STRING,
        "ONS 5-group ethnicity (Asian, Black, Mixed, White, Other); null if not recorded. "
        "Null throughout the synthetic population (no local source).",
        required=False,
        nullable=True,
        allowed=ETHNIC_GROUPS,
    ),
)

CONDITION_COLUMNS: tuple[Column, ...] = tuple(
    Column(
        c.column,
        pa.bool_(),
        f"{c.label}" + (f" (QOF register {c.qof_code})" if c.qof_code else " (no QOF register)"),
        required=c.from_qof,
        nullable=True,
    )
    for c in CONDITIONS
)

EVENTS: tuple[Column, ...] = (
    Column("pregnant", pa.bool_(), "Currently pregnant.", nullable=True),
    Column(
        "frailty_deficits",
        pa.int8(),
        "Electronic Frailty Index deficits present (0-36); null under 65.",
        nullable=True,
        low=0,
        high=36,
    ),
    Column(
        "unplanned_admissions_12m",
        pa.int16(),
        "Emergency hospital admissions in the last 12 months.",
        low=0,
        high=366,
    ),
)

COLUMNS: tuple[Column, ...] = IDENTITY + CONDITION_COLUMNS + EVENTS
BY_NAME = {c.name: c for c in COLUMNS}
PARTITION_COLUMN = "icb_code"


def arrow_schema() -> pa.Schema:
    """The schema of every stored data file (the partition column is not in the files)."""
    return pa.schema([pa.field(c.name, c.type, nullable=True) for c in COLUMNS])


def names() -> list[str]:
    return [c.name for c in COLUMNS]
