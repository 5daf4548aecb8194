"""Finance: the healthcare payer and the price of the Blueprint.

Modules (each importable on its own; ``Workspace.finance`` in ``icsatlas.workspace.finance``
asks them every question, and the CLI in ``icsatlas.cli.finance`` is a thin shell over it):

* allocation - fair-share targets (ICB, region), place splits with explanations, the
  target waterfall, and the check against NHS England's published distances from target;
  built on ``weighted_population`` (practice-level weighted populations placed in the
  register's areas on a date, any grouping) and ``weights`` (the formula's estimated
  component weights);
* need - targets from need indices of any source (e.g. the population layer) beside
  NHS England's; convergence - paths towards fair shares under a pace-of-change rule;
* running_costs - allowances against the £18.76 a head envelope;
* redundancy - the exit rules, each once and on arrays: Agenda for Change Section 16
  (England), the 2025 voluntary redundancy clawback, MARS, early retirement; exit_pay
  explains them for one person; service - expected values over length of service;
* scenario, uncertainty, blueprint, sensitivity, bill - the seeded Monte Carlo of the
  reorganisation bill (run 0 = central case), priced with the same exit rules, and its tables;
* bcf - Better Care Fund minimums, user imports, county vs other councils, and the county
  per-resident figures quoted for 2017-18 and 2025/26 as a labelled scenario;
* shift - shares of ICB money by setting and the acute-to-community shift;
* export, charts, outputs - CSV/Parquet/Excel with provenance; PNG/SVG charts; writing a
  result's tables and charts; views - the readable table of each answer.

The NHS geography is the register's on the date asked (:class:`~icsatlas.geography.on_date.
Geography`, what-if reforms included): which area each practice, and so its weighted
population, allocation and running-cost allowance, counts towards.

Every assumption is a parameter under ``parameters/finance`` with its label, unit, dates,
sources and certainty. Functions that need parameters are given them - a
:class:`~icsatlas.parameters.ParameterSet` (``params``), never a global - and every result
carries a :class:`~icsatlas.provenance.Provenance` with ``params.fingerprint``.
"""
