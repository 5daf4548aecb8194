"""Contract monitoring: a contract register in OCDS, KPIs with NHS Making Data Count SPC,
Provider Selection Regime decisions, and the outsourcing picture.

The questions a user asks are methods of the workspace (``ws.contracts``, in
:mod:`icsatlas.workspace.contracts`); these are the functions underneath them:

    >>> from icsatlas import store
    >>> from icsatlas.contracts import import_ocds, analyse, rule_set, standstill, outsourcing
    >>> from icsatlas.parameters import ParameterSet
    >>> s, params = store.connect(), ParameterSet.shipped()
    >>> import_ocds(s, "releases.jsonl")                 # validate, compile, link, classify
    >>> analyse(frame, rule_set(params), improvement="decrease", target=18).summary
    >>> standstill(date(2024, 12, 20), params=params).award_from     # 2025-01-07
    >>> outsourcing.picture(s, "shares", params=params)              # value by year, England
    >>> removal.remove(s, ["csv:C-1"], reason="entered twice")       # audited

Modules: :mod:`~icsatlas.contracts.ocds` (import), :mod:`~icsatlas.contracts.register_csv`,
:mod:`~icsatlas.contracts.parties` (register links and supplier classes),
:mod:`~icsatlas.contracts.spc` (engine, rule sets, charts), :mod:`~icsatlas.contracts.kpi`,
:mod:`~icsatlas.contracts.psr` and :mod:`~icsatlas.contracts.calendar`,
:mod:`~icsatlas.contracts.outsourcing`, :mod:`~icsatlas.contracts.removal`,
:mod:`~icsatlas.contracts.areas` (where buyers and KPI series are, on a date).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {  # imported on first use, so `from icsatlas.contracts import kpi` stays light
    "analyse": ("icsatlas.contracts.spc", "analyse"),
    "import_ocds": ("icsatlas.contracts.ocds.load", "import_file"),
    "import_register": ("icsatlas.contracts.register_csv", "import_register"),
    "outsourcing": ("icsatlas.contracts.outsourcing", None),
    "removal": ("icsatlas.contracts.removal", None),
    "rule_set": ("icsatlas.contracts.spc", "rule_set"),
    "standstill": ("icsatlas.contracts.psr", "standstill"),
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    found = importlib.import_module(module)
    return getattr(found, attribute) if attribute else found


__all__ = sorted(_EXPORTS)
