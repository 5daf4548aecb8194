"""Finance questions, asked of a Workspace: ``ws.finance.targets(...)``.

    >>> import icsatlas
    >>> ws = icsatlas.open()
    >>> ws.finance.targets(on="2026-06-01")                        # the 36 ICBs' fair shares
    >>> ws.finance.places("Leeds", by="pcn", on="2026-06-01")       # a place's budget by PCN
    >>> ws.with_reforms("merger-2027.yaml").finance.targets(on="2027-06-01")   # a what-if

Every method returns a :class:`~icsatlas.results.Result` (answers with several tables have
``sections``), whose provenance starts from the workspace's: store, reforms, parameters.
The geography is the register's on the date asked, reforms included: which ICB, sub-ICB
location, place and region each GP practice (and so its need-weighted population, its
allocation and its ICB's running-cost allowance) counts towards. Without ``on``, a question
about a given allocation ``year`` uses the areas in force on the first day of that year, and
one without a year uses today's. Every "where" goes through the workspace's one resolver.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from icsatlas.errors import InputError
from icsatlas.names import short_name
from icsatlas.results import Result
from icsatlas.workspace import DateLike, as_date

if TYPE_CHECKING:
    import pandas as pd

    from icsatlas.finance.weighted_population import Basis
    from icsatlas.geography import Resolution
    from icsatlas.inputs.rows import Allow
    from icsatlas.register.model import Area
    from icsatlas.workspace import Workspace

PathLike = str | Path
Money = str | float


class FinanceQuestions:
    """Allocation, running costs, exit pay, the Blueprint's bill, BCF and the shift."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    # -- the geography and year of a question -------------------------------------------------
    def basis(self, year: str | None = None, on: DateLike = None) -> tuple[Basis, tuple[str, ...]]:
        """The allocation year and the register's areas a question uses, with notes saying
        what was assumed."""
        from icsatlas.finance import weighted_population as wp

        day = as_date(on) if on is not None else None
        chosen, notes = wp.choose_year(year, day or date.today())
        return wp.Basis(chosen, self.ws.geography(wp.geography_day(year, day))), notes

    def icb(self, text: str, on: DateLike = None) -> str:
        """The ODS code of the ICB in force on ``on`` that ``text`` names."""
        day = as_date(on)
        where = self.ws.resolve(text, day)
        if where.kind == "icb" and where.area is not None:
            return where.area.ods_code or where.code
        icbs = {self._icb_of(cover.area, day) for cover in where.covers} - {None}
        hint = f"; it lies in {icbs.pop()}" if len(icbs) == 1 else ""
        raise InputError(f"{where.describe()}: not an ICB in force on {day}{hint}", field="icb")

    def _icb_of(self, area: Area, on: date) -> str | None:
        """'NHS West Yorkshire Integrated Care Board (QWO)' for an area within one ICB."""
        register = self.ws.data
        found = [a for a in (area, *register.ancestors(area.area_id, on)) if a.area_type == "icb"]
        return f"{found[0].name} ({found[0].ods_code})" if found else None

    # -- allocation ---------------------------------------------------------------------------
    def targets(
        self,
        year: str | None = None,
        on: DateLike = None,
        level: str = "icb",
        control: Money = "target",
    ) -> Result:
        """Fair-share core targets for every ICB (or region) and the distances from them."""
        from icsatlas.finance import allocation

        basis, notes = self.basis(year, on)
        kind = control if control in allocation.CONTROL_KINDS else _money(control, "control")
        return self._answer(allocation.targets(self.ws.params, basis, kind, level, notes))

    def check(self, year: str | None = None) -> Result:
        """NHS England's published distances from target, reproduced in the register's
        areas on the first day of each allocation year."""
        import pandas as pd

        from icsatlas import data
        from icsatlas.finance import allocation, sourcing, years
        from icsatlas.finance import weighted_population as wp

        frames = []
        for label in [years.normalise(year)] if year else wp.available_years():
            basis = wp.Basis(label, self.ws.geography(years.first_day(label)))
            check = allocation.check_published(self.ws.params, basis)
            frames.append(check.assign(financial_year=label))
        frame = pd.concat(frames, ignore_index=True)
        worst = frame.difference.abs().max()
        notes = (
            f"Largest difference from the published figure: {worst:.2e}. Published to 6 "
            "decimal places from allocations rounded to £ thousand: within 1e-6 is exact to "
            "publication.",
        )
        sources = {
            "weighted_population": data.source(wp.SOURCE).cite(),
            "allocations": data.source(allocation.ALLOCATIONS).cite(),
        }
        provenance = sourcing.provenance(self.ws.params, data=sources)
        title = "Distance from target: computed vs published"
        return self._answer(Result(frame, provenance, title, notes))

    def places(
        self,
        area: str,
        by: str = "lad",
        places: PathLike | pd.DataFrame | None = None,
        budget: Money | None = None,
        year: str | None = None,
        on: DateLike = None,
    ) -> Result:
        """Split an area's budget between its places by need, each share explained.

        ``area`` is anything the resolver knows (an ICB, a place, a council, a former ICB, a
        PCN...): its practices are those it names, else those in the areas covering it.
        ``places`` maps practice_code -> place (a CSV file or a DataFrame) instead of ``by``.
        """
        import pandas as pd

        from icsatlas.finance import allocation
        from icsatlas.finance import weighted_population as wp

        basis, notes = self.basis(year, on)
        where = self.ws.resolve(area, basis.on)
        rows = wp.rows_in(basis, where)
        grouping = places
        if places is not None and not isinstance(places, pd.DataFrame):
            grouping = wp.read_grouping(places)
        amount = None if budget is None else _money(budget, "budget")
        notes = (*notes, where.describe(), *where.notes)
        result = allocation.places(
            self.ws.params, basis, rows, _name(where), by, grouping, amount, notes
        )
        return self._answer(result)

    def waterfall(self, icb: str, year: str | None = None, on: DateLike = None) -> Result:
        """From an equal share per head to the ICB's target and actual allocation."""
        from icsatlas.finance import allocation

        basis, notes = self.basis(year, on)
        result = allocation.waterfall(self.ws.params, basis, self.icb(icb, basis.on))
        return self._answer(result, *notes)

    def converge(
        self,
        years: int = 5,
        gap_closed: float | None = None,
        minimum_growth: float | None = None,
        growth: float | None = None,
        year: str | None = None,
        on: DateLike = None,
    ) -> Result:
        """Allocations converging on fair shares under a pace-of-change rule."""
        from icsatlas.finance import convergence

        basis, notes = self.basis(year, on)
        rule = convergence.PaceOfChange.from_parameters(
            self.ws.params, basis.year, years,
            gap_closed=gap_closed, minimum_growth=minimum_growth, growth=growth,
        )  # fmt: skip
        return self._answer(convergence.paths(self.ws.params, basis, years, rule), *notes)

    def need(
        self,
        file: PathLike | pd.DataFrame | None = None,
        population: str | None = None,
        year: str | None = None,
        on: DateLike = None,
    ) -> Result:
        """Targets from need indices (a CSV, a DataFrame, or a population's own indices)
        beside NHS England's for the same areas."""
        from icsatlas.finance import need

        if (file is None) == (population is None):
            raise InputError("give a CSV of need indices or a population's name (one of them)")
        basis, notes = self.basis(year, on)
        if population is not None:
            from icsatlas.population.need import need_indices

            indices = need_indices(
                population, "icb", params=self.ws.params, geography=basis.geography
            )
            source = f"population {population!r} (icsatlas population need)"
            result = need.compare(self.ws.params, need.from_population(indices), basis, source)
            result.provenance = indices.provenance.merged(result.provenance)
        else:
            frame = file if not isinstance(file, str | Path) else need.read_indices(file)
            source = str(file) if isinstance(file, str | Path) else "need indices"
            result = need.compare(self.ws.params, frame, basis, source=source)
        return self._answer(result, *notes)

    def weights(self, year: str | None = None) -> Result:
        """The formula weights shipped as parameters beside the ones re-fitted from data."""
        import pandas as pd

        from icsatlas import data
        from icsatlas.finance import sourcing, weights
        from icsatlas.finance import weighted_population as wp

        rows = []
        for label in [year] if year else wp.available_years():
            fitted = weights.implied(label)
            shipped = weights.for_year(self.ws.params, label)
            rows += [
                {
                    "financial_year": fitted.year,
                    "component": name,
                    "shipped": shipped[name],
                    "refitted": fitted.weights[name],
                }
                for name in wp.COMPONENTS
            ]
        notes = (
            "Weights are estimates (certainty: estimate): NHS England does not publish them; "
            "see finance.allocation.core_weights.",
        )
        sources = {"weighted_population": data.source(wp.SOURCE).cite()}
        provenance = sourcing.provenance(self.ws.params, data=sources, notes=notes)
        title = "Core formula weights: shipped vs re-fitted"
        return self._answer(Result(pd.DataFrame(rows), provenance, title, notes))

    # -- running costs and exit pay -------------------------------------------------------------
    def running_costs(
        self,
        year: str = "2025/26",
        on: DateLike = None,
        programme_pay_per_head: float | None = None,
    ) -> Result:
        """Each ICB's running costs against the envelope a head, and the cut it implies:
        the allowances of ``year`` in the ICBs in force on ``on`` (default: that year's)."""
        from icsatlas.finance import running_costs, years
        from icsatlas.finance import weighted_population as wp

        label = years.normalise(year)
        day = as_date(on) if on is not None else years.first_day(label)
        basis = wp.Basis(label, self.ws.geography(day))
        result = running_costs.running_costs(self.ws.params, basis, programme_pay_per_head)
        return self._answer(result)

    def running_cost_history(self, on: DateLike = None) -> Result:
        """The allowance per head in every shipped year, in the ICBs in force on ``on``
        (default: the first day of the latest year shipped)."""
        from icsatlas.finance import running_costs, years

        day = as_date(on) if on else years.first_day(running_costs.rca_years()[-1])
        return self._answer(running_costs.history(self.ws.geography(day)))

    def redundancy(
        self,
        salary: float,
        service: float,
        reckonable: float | None = None,
        fte: float = 1.0,
        weekly_pay: float | None = None,
        age: float | None = None,
        capitalisation_cost: float | None = None,
        membership: float = 0.0,
        reemployed_after: float | None = None,
        senior: bool = False,
    ) -> Result:
        """One person's Section 16 redundancy payment, every step explained (with
        retirement on grounds of redundancy given an age and a capitalisation cost)."""
        from icsatlas.finance import exit_pay

        person = exit_pay.Employee(salary, service, reckonable, fte, weekly_pay)
        retirement = None
        if age is not None and capitalisation_cost is not None:
            retirement = exit_pay.Retirement(age, capitalisation_cost, membership)
        result = exit_pay.explain(self.ws.params, person, retirement, reemployed_after, senior)
        return self._answer(result)

    # -- the Blueprint's bill --------------------------------------------------------------------
    def blueprint_bill(
        self,
        view: str = "national",
        icb: str | None = None,
        scenario: PathLike | None = None,
        seed: int | None = None,
        draws: int | None = None,
        years: int | None = None,
        on: DateLike = None,
    ) -> Result:
        """Does the Blueprint's saving beat its redundancy bill, and when? A seeded Monte
        Carlo over the ICBs in force on ``on`` (default: the first day of its first year).

        ``view`` is national (the roll-up, with payback, claims, sensitivity, inputs and
        ICBs as sections) or icbs (every ICB's central case and range); ``icb`` gives one
        ICB's years and sensitivity ranking instead.
        """
        from icsatlas.finance import bill, blueprint
        from icsatlas.finance import scenario as scenarios

        if view not in ("national", "icbs"):
            raise InputError(f"view must be national or icbs, got {view!r}", field="view")
        if icb is not None and view != "national":
            raise InputError("choose one view: an ICB or every ICB, not both", field="view")
        params = self.ws.params
        plan = scenarios.load(scenario, params) if scenario else scenarios.default(params)
        day = as_date(on) if on is not None else None
        plan = plan.with_options(seed=seed, draws=draws, years=years, geography_on=day)
        code = self.icb(icb, plan.geography_day) if icb is not None else None
        run = blueprint.run(plan, self.ws.geography(plan.geography_day))
        report = bill.report(run)
        if code is not None:
            return self._answer(bill.icb_view(report, run, code))
        return self._answer(report.icbs if view == "icbs" else bill.national_view(report))

    # -- the Better Care Fund -----------------------------------------------------------------
    def bcf_minimums(self, year: str = "2025/26") -> Result:
        """The national mandatory minimum by funding stream, in total and per resident."""
        from icsatlas.finance import bcf

        return self._answer(bcf.national_minimums(self.ws.params, year))

    def bcf_import(
        self,
        file: PathLike,
        description: str,
        kind: str = "data",
        actor: str | None = None,
        source: str | None = None,
        allow: Allow | None = None,
    ) -> int:
        """Load BCF contributions into the store (all rows or none), audited; the import id.
        ``allow`` sees where every row is before anything is written."""
        from icsatlas.finance import bcf

        import_id = bcf.import_contributions(
            self.ws.writable_store(), file, description, kind, actor, source=source, allow=allow
        )
        self.ws.recorded()
        return import_id

    def bcf_contributions(self, year: str | None = None) -> Result:
        """Pooled contributions per area and year, per head, with the change on the year
        before (from imported figures)."""
        from icsatlas.finance import bcf

        return self._answer(bcf.contributions(self.ws.store, self.ws.params, year))

    def bcf_counties(self, year: str | None = None) -> Result:
        """County councils vs other councils: pooled per head, from imported figures."""
        from icsatlas.finance import bcf

        return self._answer(bcf.county_split(self.ws.store, self.ws.params, year))

    def bcf_scenario(
        self,
        from_year: str | None = None,
        year: str | None = None,
        from_per_head: float | None = None,
        per_head: float | None = None,
    ) -> Result:
        """What county councils' pooled BCF per resident at two dates means in pounds."""
        from icsatlas.finance import bcf

        result = bcf.county_pooling_scenario(
            self.ws.params, from_year, year, from_per_head, per_head
        )
        return self._answer(result)

    # -- the shift from acute to community ----------------------------------------------------
    def shift(
        self,
        points: float = 2.0,
        years: int = 5,
        mode: str = "uniform",
        spend: PathLike | None = None,
        icb: str | None = None,
        year: str | None = None,
        on: DateLike = None,
    ) -> Result:
        """Shares of ICB money by setting, and ``points`` of budget moved from acute to
        community over ``years`` (``uniform`` or shared by community ``need``)."""
        from icsatlas.finance import shift

        basis, notes = self.basis(year, on)
        spending = shift.read_spend(spend, basis) if spend is not None else None
        result = shift.scenario(self.ws.params, basis, points, years, mode, spending)
        if icb is not None:
            code = self.icb(icb, basis.on)
            rows = result.frame[result.frame.ods_code == code].reset_index(drop=True)
            result = Result(rows, result.provenance, result.title, result.notes)
        return self._answer(result, *notes)

    def streams(self) -> Result:
        """Allocations by stream and the primary care share, per ICB and year (data)."""
        from icsatlas.finance import shift

        return self._answer(shift.streams())

    # -- files --------------------------------------------------------------------------------
    def write(
        self,
        result: Result,
        export: PathLike | None = None,
        chart: PathLike | None = None,
        tornado: PathLike | None = None,
        force: bool = False,
    ) -> str:
        """Write a result's tables (.csv, .parquet or .xlsx, with provenance) and its charts
        (.png or .svg); one line saying what was written. An existing file is refused
        unless ``force``; the folder must exist."""
        from icsatlas.finance import outputs

        return outputs.write(result, export, chart, tornado, force)

    # -- helpers ------------------------------------------------------------------------------
    def _answer(self, result: Result, *notes: str) -> Result:
        """``result`` with the workspace's provenance underneath its own."""
        base = self.ws.provenance()
        sections: Sequence[Result] = [
            Result(s.frame, base.merged(s.provenance), s.title, s.notes) for s in result.sections
        ]
        merged = tuple(dict.fromkeys((*notes, *result.notes)))
        return Result(result.frame, base.merged(result.provenance), result.title, merged, sections)


def _money(value: Money, field: str) -> float:
    if isinstance(value, int | float):
        return float(value)
    from icsatlas.finance.tables import parse_money

    return parse_money(value, f"--{field}")


def _name(where: Resolution) -> str:
    """How a result names the area asked about: 'Leeds', 'West Yorkshire', 'Surrey'."""
    area = where.area
    if where.kind in ("sub-icb", "place") and area is not None and area.place_name:
        return area.place_name
    return short_name(where.name)
