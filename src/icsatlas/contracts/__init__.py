"""Contract monitoring: a contract register in OCDS, KPIs with NHS Making Data Count SPC,
Provider Selection Regime decisions, and the outsourcing picture.

    >>> from icsatlas import store
    >>> from icsatlas.contracts import import_ocds, analyse, standstill, outsourcing
    >>> s = store.connect()
    >>> import_ocds(s, "releases.jsonl")                 # validate, compile, link, classify
    >>> analyse(frame, improvement="decrease", target=18).summary   # icons per series
    >>> standstill(date(2024, 12, 20)).award_from        # 2025-01-07
    >>> outsourcing.supplier_shares(outsourcing.contracts(s, icb="QNQ"))

Modules: :mod:`~icsatlas.contracts.ocds` (import), :mod:`~icsatlas.contracts.register_csv`,
:mod:`~icsatlas.contracts.parties` (register links and supplier classes),
:mod:`~icsatlas.contracts.spc` (engine, rule sets, charts), :mod:`~icsatlas.contracts.kpi`,
:mod:`~icsatlas.contracts.psr` and :mod:`~icsatlas.contracts.calendar`,
:mod:`~icsatlas.contracts.outsourcing`.
"""

from icsatlas.contracts import outsourcing
from icsatlas.contracts.ocds.load import import_file as import_ocds
from icsatlas.contracts.psr import standstill
from icsatlas.contracts.register_csv import import_register
from icsatlas.contracts.spc import analyse, rule_set

__all__ = ["analyse", "import_ocds", "import_register", "outsourcing", "rule_set", "standstill"]
