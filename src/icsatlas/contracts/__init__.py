"""Contract monitoring: a contract register in OCDS, KPIs with NHS Making Data Count SPC,
Provider Selection Regime decisions, and the outsourcing picture.

    >>> from icsatlas import store
    >>> from icsatlas.contracts import import_ocds, analyse, rule_set, standstill, outsourcing
    >>> from icsatlas.parameters import ParameterSet
    >>> s, params = store.connect(), ParameterSet.shipped()
    >>> import_ocds(s, "releases.jsonl")                 # validate, compile, link, classify
    >>> analyse(frame, rule_set(params), improvement="decrease", target=18).summary
    >>> standstill(date(2024, 12, 20), params=params).award_from     # 2025-01-07
    >>> outsourcing.picture(s, "shares", icb="QNQ", params=params)    # value by year
    >>> removal.remove(s, ["csv:C-1"], reason="entered twice")       # audited

Modules: :mod:`~icsatlas.contracts.ocds` (import), :mod:`~icsatlas.contracts.register_csv`,
:mod:`~icsatlas.contracts.parties` (register links and supplier classes),
:mod:`~icsatlas.contracts.spc` (engine, rule sets, charts), :mod:`~icsatlas.contracts.kpi`,
:mod:`~icsatlas.contracts.psr` and :mod:`~icsatlas.contracts.calendar`,
:mod:`~icsatlas.contracts.outsourcing`, :mod:`~icsatlas.contracts.removal`.
"""

from icsatlas.contracts import outsourcing, removal
from icsatlas.contracts.ocds.load import import_file as import_ocds
from icsatlas.contracts.psr import standstill
from icsatlas.contracts.register_csv import import_register
from icsatlas.contracts.spc import analyse, rule_set

__all__ = [
    "analyse",
    "import_ocds",
    "import_register",
    "outsourcing",
    "removal",
    "rule_set",
    "standstill",
]
