"""What a workspace holds: each stored population and its people per ICB, published."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from icsatlas.names import short_name
from icsatlas.parameters import ParameterSet
from icsatlas.population import dataset, generate, publish
from icsatlas.provenance import Provenance
from icsatlas.results import Result

COLUMNS = ["name", "kind", "coverage", "people", "as_at", "fraction", "seed", "source", "created"]


def describe(population: dataset.Dataset, *, params: ParameterSet) -> Result:
    """People per ICB of a stored population (published: rounded to 5)."""
    from icsatlas.register import geography

    names = geography.icbs(date.fromisoformat(population.extract_date)).set_index("icb_ods")
    by_icb = population.manifest.get("rows_by_icb", {})
    labels = pd.DataFrame(
        {
            "ods_code": list(by_icb),
            "area_name": [short_name(names.icb_name.get(icb, icb)) for icb in by_icb],
        }
    )
    rule = publish.Rule.of(params)
    table = publish.Table(labels, rule).count("people", list(by_icb.values()))
    return Result(
        table.frame,
        generate.provenance_of(population, params).merged(
            Provenance(parameters=params.fingerprint)
        ),
        title=f"Population {population.label}, {population.kind}, as at {population.extract_date}",
        notes=(
            f"Stored in {population.path}",
            "Check it: icsatlas population validate",
            rule.describe(),
        ),
    )


def catalogue(*, params: ParameterSet, folder: Path | None = None) -> Result:
    """The populations stored in this workspace (people published: rounded to 5)."""
    stored = dataset.list_datasets(folder)
    labels = pd.DataFrame(
        [
            {
                "name": d.name,
                "kind": d.kind,
                "coverage": d.coverage,
                "as_at": d.extract_date,
                "fraction": d.manifest.get("fraction"),
                "seed": d.manifest.get("seed"),
                "source": d.manifest.get("source"),
                "created": d.manifest.get("created"),
            }
            for d in stored
        ],
        columns=[c for c in COLUMNS if c != "people"],
    )
    rule = publish.Rule.of(params)
    table = publish.Table(labels, rule).count("people", [d.rows for d in stored])
    frame = table.frame
    ordered = frame[COLUMNS]
    ordered.attrs = frame.attrs
    return Result(
        ordered,
        Provenance(parameters=params.fingerprint),
        title="Stored populations",
        notes=(rule.describe(),),
    )
