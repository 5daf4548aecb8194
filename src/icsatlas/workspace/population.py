"""Population health asked of a Workspace: ``ws.population.profile("Leeds")``.

    >>> import icsatlas
    >>> ws = icsatlas.open()
    >>> ws.population.generate(fraction=0.01, areas=["Cheshire and Merseyside"])
    >>> ws.population.profile("B86002", on="2026-06-01")         # a GP practice's patients
    >>> ws.population.aggregate("icb", by=["segment"])
    >>> ws.with_reforms("my-2027-merger.yaml").population.need("icb", on="2027-06-01")

The areas are the register's on the date asked, what-if reforms included; every area a user
names is read by the workspace's one resolver, so a council, place, practice, PCN, postcode
district or former ICB means here what it means to ``icsatlas where``. Every figure about
people has passed the population layer's publishing boundary
(:mod:`icsatlas.population.publish`); each method returns a :class:`~icsatlas.results.Result`
whose provenance starts from the workspace's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from icsatlas.errors import InputError, NotFoundError
from icsatlas.provenance import Provenance
from icsatlas.results import Result, Table
from icsatlas.workspace import DateLike, as_date

if TYPE_CHECKING:
    import pandas as pd

    from icsatlas.geography import Resolution
    from icsatlas.geography.on_date import Geography
    from icsatlas.inputs.rows import Allow
    from icsatlas.parameters import ParameterSet
    from icsatlas.population.areas import Focus
    from icsatlas.population.dataset import Dataset
    from icsatlas.population.summary import Options
    from icsatlas.workspace import Workspace

DEFAULT_FRACTION = 0.1  # a 10% sample of England: 6.3 million people, about 40 s on 2 cores
Progress = Callable[[str, int, int], None]  # sub-ICB location, its people, people in all


class PopulationQuestions:
    """A stored population's profile, aggregates, need and inequalities in the register's
    geography; generating, importing, checking and removing populations."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    @property
    def _folder(self) -> Path:
        """The populations folder, with any swap a killed writer left half done settled first
        (opening the store settles it), so no answer reads a population the store did not
        commit."""
        from icsatlas.store import journal

        folder = self.ws.home / "population"
        if folder.is_dir() and journal.pending(folder):
            self.ws.store  # noqa: B018 - opened for what opening does
        return folder

    # -- stored populations ------------------------------------------------------------------
    def list(self) -> Result:
        """The populations stored in this workspace (people published: rounded to 5)."""
        from icsatlas.population.catalogue import catalogue

        return self._answer(catalogue(params=self.ws.params, folder=self._folder))

    def generate(
        self,
        name: str | None = None,
        *,
        fraction: float | None = None,
        areas: Sequence[str] = (),
        seed: int = 42,
        jobs: int | None = None,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> Result:
        """Generate a synthetic population calibrated to published figures: ``fraction`` of
        the people (default a 10% sample) of ``areas`` (any area :meth:`Workspace.resolve`
        reads, as the whole sub-ICB locations covering it; default all of England). An
        existing population of that name is refused (unless ``replace``) before any work."""
        from icsatlas.population import dataset
        from icsatlas.population import generate as generator
        from icsatlas.population.catalogue import describe

        name = name or _default_name(fraction or DEFAULT_FRACTION, areas)
        dataset.check_free(name, replace=replace, folder=self._folder)
        sub_icbs, notes = _covering_sub_icbs(self.ws, areas)
        plan = generator.plan(sub_icbs, fraction or DEFAULT_FRACTION, seed)
        store = self.ws.writable_store()
        done = generator.run(
            plan,
            name,
            params=self.ws.params,
            replace=replace,
            jobs=jobs,
            progress=_counted(plan, progress) if progress else None,
            store=store,
            folder=self._folder,
        )
        self.ws.recorded()
        return self._answer(describe(done.dataset, params=self.ws.params)).with_notes(*notes)

    def import_extract(
        self,
        file: str | Path,
        name: str,
        *,
        extract_date: DateLike,
        replace: bool = False,
        actor: str | None = None,
        source: str | None = None,
        allow: Allow | None = None,
    ) -> Result:
        """Import an ICB's own de-identified extract (CSV or Parquet; columns: :meth:`schema`);
        every row is checked and a file with any error is rejected whole. ``allow`` sees the
        ICB of every row (and of a population replaced) before it is written."""
        from icsatlas.population.catalogue import describe
        from icsatlas.population.importer import import_population

        day = as_date(extract_date, "extract-date")
        store = self.ws.writable_store()
        population = import_population(
            file,
            name,
            extract_date=day,
            replace=replace,
            store=store,
            folder=self._folder,
            actor=actor,
            source=source,
            allow=allow,
        )
        self.ws.recorded()
        return self._answer(describe(population, params=self.ws.params))

    def remove(self, name: str) -> Result:
        """Delete a stored population (recorded in the audit log)."""
        from icsatlas.population import dataset, registry

        population = dataset.open_dataset(name, self._folder)
        registry.forget(self.ws.writable_store(), name, reason=f"removed population {name!r}")
        dataset.remove(name, self._folder)
        self.ws.recorded()
        removed = (name, population.kind, population.extract_date)
        table = Table(("name", "kind", "as_at"), (removed,))
        return Result(table, self.ws.provenance(), f"removed population {name!r}")

    def validate(self, name: str | None = None, *, summary: bool = False) -> Result:
        """Check a population against the published figures it was calibrated to (a check
        whose ``status`` is ``fail`` is outside its tolerance); ``summary``: one row per kind
        of check, failures in the notes."""
        from icsatlas.population.validate import summary as summarised
        from icsatlas.population.validate import validate

        result = validate(self._dataset(name), params=self.ws.params).result
        return self._answer(summarised(result) if summary else result)

    # -- questions ---------------------------------------------------------------------------
    def profile(
        self,
        area: str,
        *,
        name: str | None = None,
        on: DateLike = None,
        engine: str = "duckdb",
        spark_master: str | None = None,
        hierarchy: str | Sequence[str] | None = None,
        by_section: bool = False,
    ) -> Result:
        """An area's people, segments, conditions, frailty, risk and need beside England's
        published figures; ``by_section``: one table per section, for reading."""
        from icsatlas.population.profile import by_section as sectioned
        from icsatlas.population.profile import profile

        geography = self.ws.geography(on)
        result = profile(
            self._dataset(name),
            self._focus(area, geography),
            params=self._params(hierarchy),
            geography=geography,
            options=_options(engine, spark_master),
        )
        answer = self._answer(result)
        return sectioned(answer) if by_section else answer

    def aggregate(
        self,
        level: str = "icb",
        *,
        by: Sequence[str] = (),
        area: str | None = None,
        measures: Sequence[str] = (),
        name: str | None = None,
        on: DateLike = None,
        engine: str = "duckdb",
        spark_master: str | None = None,
        hierarchy: str | Sequence[str] | None = None,
    ) -> Result:
        """People by area of ``level`` (or in one ``area``) and the dimensions ``by``, with
        the default measures and any ``measures`` added (condition columns or
        ``core20_people``, ``pregnant``)."""
        from icsatlas.population.aggregate import DEFAULT_MEASURES, aggregate

        geography = self.ws.geography(on)
        result = aggregate(
            self._dataset(name),
            params=self._params(hierarchy),
            geography=geography,
            level=level,
            by=tuple(by),
            focus=self._focus(area, geography) if area else None,
            measures=(*DEFAULT_MEASURES, *measures),
            options=_options(engine, spark_master),
        )
        return self._answer(result)

    def need(
        self,
        level: str = "icb",
        *,
        name: str | None = None,
        on: DateLike = None,
        engine: str = "duckdb",
        spark_master: str | None = None,
    ) -> Result:
        """Population need index per area of ``level`` (components and overall; comparator
        = 1), and for places, PCNs and practices relative to their ICB."""
        from icsatlas.population import need

        result = need.need_indices(
            self._dataset(name),
            level,
            params=self.ws.params,
            geography=self.ws.geography(on),
            options=_options(engine, spark_master),
        )
        return self._answer(result)

    def compare_with_nhse(
        self,
        allocation_year: str = "2025/26",
        *,
        name: str | None = None,
        engine: str = "duckdb",
        spark_master: str | None = None,
        compact: bool = False,
    ) -> Result:
        """The need index of each ICB NHS England allocated to in ``allocation_year`` beside
        NHS England's own; ``compact``: the overall indices and ranks only."""
        from icsatlas.population import need

        day = need.allocation_day(allocation_year)
        result = need.compare_with_official(
            self._dataset(name),
            allocation_year,
            params=self.ws.params,
            geography=self.ws.geography(day),
            options=_options(engine, spark_master),
        )
        answer = self._answer(result)
        return need.compact(answer) if compact else answer

    def inequalities(
        self,
        area: str | None = None,
        *,
        name: str | None = None,
        on: DateLike = None,
        engine: str = "duckdb",
        spark_master: str | None = None,
        hierarchy: str | Sequence[str] | None = None,
    ) -> Result:
        """Core20 v rest in ``area`` (default: everyone held): crude and age-sex standardised
        rates and gaps per segment and condition."""
        from icsatlas.population.inequalities import inequalities

        return self._core20(inequalities, area, name, on, engine, spark_master, hierarchy)

    def core20plus5(
        self,
        area: str | None = None,
        *,
        name: str | None = None,
        on: DateLike = None,
        engine: str = "duckdb",
        spark_master: str | None = None,
        hierarchy: str | Sequence[str] | None = None,
    ) -> Result:
        """The Core20PLUS5 clinical areas in ``area``: the indicator the population supports
        (Core20 v rest), or why there is none."""
        from icsatlas.population.inequalities import core20plus5

        return self._core20(core20plus5, area, name, on, engine, spark_master, hierarchy)

    # -- what the population is made of ------------------------------------------------------
    def segments(self, on: DateLike = None, hierarchy: str | Sequence[str] | None = None) -> Result:
        """The segments in priority order, with the rule that puts a person in each."""
        import pandas as pd

        from icsatlas.population import pipeline

        params = self._params(hierarchy)
        settings = pipeline.Settings.load(as_date(on), params)
        known = pipeline.segments(settings.frailty_thresholds[1])
        frame = pd.DataFrame(
            [
                {
                    "priority": i + 1,
                    "segment": s,
                    "Bridges to Health": known[s].bridges_to_health,
                    "SNEE": known[s].snee,
                    "rule": known[s].rule,
                }
                for i, s in enumerate(settings.hierarchy)
            ]
        )
        title = "Segment hierarchy (first matching rule wins)"
        return Result(frame, self._provenance(params.fingerprint), title)

    def model(self) -> Result:
        """How the synthetic population is drawn: each condition's age, sex and deprivation
        gradient (and how well it fits), and the nationally fitted levels."""
        from icsatlas.population import gradients
        from icsatlas.population import model as model_module

        built = model_module.build_model(self.ws.params)
        pairs = model_module.co_occurrence(built.loading)
        notes = (
            "Latent health factor loading (co-occurrence, fitted to CALIBER pairs): "
            f"{built.loading}; modelled / CALIBER pair prevalence median "
            f"{pairs.ratio.median():.2f} (range {pairs.ratio.min():.2f}-{pairs.ratio.max():.2f}).",
            f"Other frailty deficits: level {built.frailty_level:.3f}, latent loading "
            f"{built.frailty_loading}, age slope {built.frailty_slope} per decade.",
            f"Unplanned admissions: level {built.admissions_level:.3f} (2024/25 national total).",
        )
        title = "Condition gradients (logit scale)"
        return Result(gradients.fits(), self._provenance(), title, notes)

    def schema(self) -> Result:
        """The columns an imported extract must (or may) have."""
        from icsatlas.population import schema

        table = Table.from_records(
            (
                {
                    "column": c.name,
                    "type": str(c.type),
                    "required": c.required,
                    "may be empty": c.nullable,
                    "description": c.description,
                }
                for c in schema.COLUMNS
            ),
            ("column", "type", "required", "may be empty", "description"),
        )
        title = "Population schema (one row per registered person)"
        return Result(table, self._provenance(), title)

    # -- how every question is asked ---------------------------------------------------------
    def _dataset(self, name: str | None) -> Dataset:
        """The population named, or without a name the one most recently stored (every
        output names the population it used and what it covers)."""
        from icsatlas.population import dataset

        if name:
            return dataset.open_dataset(name, self._folder)
        stored = dataset.list_datasets(self._folder)
        if not stored:
            raise NotFoundError(
                "no population is stored yet: generate one with `icsatlas population generate`"
            )
        return max(stored, key=lambda d: (d.path / dataset.MANIFEST).stat().st_mtime)

    def _focus(self, area: str, geography: Geography) -> Focus:
        """The people of what ``area`` names, read by the workspace's resolver."""
        from icsatlas.population import areas

        return areas.focus(self.ws.resolve(area, geography.on), geography)

    def _params(self, hierarchy: str | Sequence[str] | None) -> ParameterSet:
        """The workspace's parameters, with a segment priority order on top if given."""
        if not hierarchy:
            return self.ws.params
        order = hierarchy.split(",") if isinstance(hierarchy, str) else hierarchy
        chosen = [s.strip() for s in order]
        return self.ws.params.override({"population.segmentation.hierarchy": chosen})

    def _core20(self, function, area, name, on, engine, spark_master, hierarchy) -> Result:
        geography = self.ws.geography(on)
        result = function(
            self._dataset(name),
            self._focus(area, geography) if area else None,
            params=self._params(hierarchy),
            geography=geography,
            options=_options(engine, spark_master),
        )
        return self._answer(result)

    def _provenance(self, parameters: str | None = None) -> Provenance:
        return self.ws.provenance().merged(Provenance(parameters=parameters))

    def _answer(self, result: Result) -> Result:
        """The domain's result with the workspace's provenance underneath its own."""
        provenance = self.ws.provenance().merged(result.provenance)
        return Result(result.frame, provenance, result.title, result.notes, result.sections)


def _options(engine: str, spark_master: str | None) -> Options:
    from icsatlas.population.summary import Options

    return Options(engine=engine, spark_master=spark_master)


def _covering_sub_icbs(ws: Workspace, areas: Sequence[str]) -> tuple[list[str], list[str]]:
    """The sub-ICB locations (calibration geography: 1 August 2026) covering ``areas``, and
    notes on how each was read."""
    from icsatlas.population import sources

    day = sources.EXTRACT_DATE
    tree = ws.geography(day).sub_icbs
    chosen: list[str] = []
    notes: list[str] = []
    for text in areas:
        found = ws.resolve(text, day)
        codes = _sub_icbs_of(found, tree)
        if found.kind not in ("country", "region", "icb", "sub-icb"):
            notes.append(
                f"{found.describe()}: generated the whole sub-ICB locations covering it "
                f"({', '.join(codes)})"
            )
        chosen += [c for c in codes if c not in chosen]
    return chosen, notes


def _sub_icbs_of(found: Resolution, tree: pd.DataFrame) -> list[str]:
    """ODS codes of the sub-ICB locations covering what ``found`` names."""
    codes: list[str] = []
    for cover in found.covers:
        area = cover.area
        if area.area_type == "country":
            rows = tree
        elif area.area_type in ("region", "icb", "sub-icb"):
            rows = tree[tree[f"{area.area_type.replace('-', '_')}_ons"] == area.area_id]
        else:
            raise InputError(
                f"{found.label} is a {area.area_type}: generate its sub-ICB locations or ICB",
                field="area",
            )
        codes += [c for c in rows.sub_icb_ods if c not in codes]
    return codes


def _counted(plan, progress: Progress) -> Callable[[str, int], None]:
    """The generator's progress (sub-ICB location, people) with the run's total."""
    from icsatlas.population import generate

    total = sum(generate.expected_rows(plan).values())
    return lambda code, rows: progress(code, rows, total)


def _default_name(fraction: float, areas: Sequence[str]) -> str:
    """A name that says what a population covers: 'england' for all of it, 'england-10pct'
    for a 10% sample, 'frimley-5pct' for a 5% sample of one area."""
    scope = "england"
    if areas:
        scope = re.sub(r"[^a-z0-9]+", "-", areas[0].lower()).strip("-") or "area"
        scope += "-and-more" if len(areas) > 1 else ""
    percent = f"{fraction * 100:g}".replace(".", "p")  # a name has no dots: 0p5pct is 0.5%
    return scope if fraction == 1 and not areas else f"{scope}-{percent}pct"
