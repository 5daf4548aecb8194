"""The Workspace: one way in to the register, population, finance and contracts.

Every interface asks the same object the same question and gets the same answer::

    import icsatlas
    ws = icsatlas.open()                                     # store, register, parameters
    r = ws.register.who("continuing healthcare", area="Leeds", on="2026-06-01")
    r.table, r.provenance, r.notes                           # one Result shape everywhere
    ws.with_reforms("blueprint-2025").register.who(...)      # a what-if, nothing saved

A workspace holds the store (DuckDB by default, PostgreSQL with ``ICSATLAS_DATABASE_URL``),
the register as recorded (read from a persisted snapshot when nothing has changed since),
any reforms applied on top as a what-if, the parameters (shipped values plus overrides) and
the one geography resolver. The CLI, the HTTP API and the briefings are thin shells over it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icsatlas import config
from icsatlas.errors import IcsatlasError
from icsatlas.parameters import ParameterSet
from icsatlas.provenance import Provenance

if TYPE_CHECKING:
    from icsatlas.geography import Resolution, Resolver
    from icsatlas.geography.on_date import Geography
    from icsatlas.register.register import Register
    from icsatlas.register.snapshot import Snapshot
    from icsatlas.results import Result
    from icsatlas.store import Store
    from icsatlas.workspace.contracts import ContractsQuestions
    from icsatlas.workspace.finance import FinanceQuestions
    from icsatlas.workspace.population import PopulationQuestions
    from icsatlas.workspace.register import RegisterQuestions
    from icsatlas.workspace.report import Report
    from icsatlas.workspace.trends import TrendsQuestions

DateLike = date | str | None
log = logging.getLogger(__name__)


def as_date(value: DateLike, what: str = "--on") -> date:
    """A date from a ``date``, text as people type it (``2026-06-01``, ``01/06/2026``, day
    first; see :mod:`icsatlas.inputs.dates`) or ``None`` (today)."""
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    from icsatlas.inputs.dates import parse_date

    return parse_date(str(value), field=what)


class _Shared:
    """What workspaces derived from one another share: the store and the recorded register."""

    def __init__(
        self,
        url: str,
        as_of_change: int | None,
        on_build: Callable[[str | None], None] | None,
        home: Path | None,
        read_only: bool = False,
    ) -> None:
        self.url = url
        self.as_of_change = as_of_change
        self.on_build = on_build
        self.read_only = read_only
        self.home = home or config.home()
        self.snapshots = self.home / "snapshots"

    @cached_property
    def store(self) -> Store:
        """The store; opened to write, once any population swap a killed writer left half
        done is settled (read-only openers, a web server's workers, leave that to writers)."""
        from icsatlas.store import connect, journal

        store = connect(self.url, read_only=self.read_only)
        if not self.read_only:
            try:
                journal.recover_folder(self.home / "population", store)
            except OSError as error:  # a folder this user cannot write: population writers settle
                log.warning("population swaps left unsettled: %s", error)
            except BaseException:
                store.close()
                raise
        return store

    @cached_property
    def latest_change(self) -> int:
        """The audit log's latest change to the register: from the store, or, for a DuckDB
        file untouched since it was last read, from the stamp written then (without opening
        DuckDB)."""
        from icsatlas.workspace import stamp

        known = stamp.read(self.snapshots, self.url)
        if known is not None:
            return known
        from icsatlas.register import persist

        self._ensure_built()
        before = stamp.file_state(self.url)
        latest = persist.latest_change(self.store)
        stamp.write(self.snapshots, self.url, before, latest)
        return latest

    def _ensure_built(self) -> None:
        from icsatlas.register import build, persist

        if not persist.is_built(self.store):
            if self.read_only:
                raise IcsatlasError(
                    "the register has not been built in this store (opened read-only): "
                    "run `icsatlas build` first"
                )
            for step, _ in build.run(self.store):
                if self.on_build:
                    self.on_build(step.name)
            if self.on_build:
                self.on_build(None)
        build.check_build_version(self.store)

    @cached_property
    def snapshot(self) -> Snapshot:
        from icsatlas.register import persist, snapshot

        digest = snapshot.key(
            self.url, self.latest_change, self.as_of_change, persist.BUILD_VERSION, _shapes()
        )
        return snapshot.cached(self.snapshots, digest, self._load, _extras)

    def _load(self) -> Register:
        from icsatlas.register import persist

        self._ensure_built()  # also refuses a register built by an older icsatlas
        return persist.load(self.store, self.as_of_change)


class Workspace:
    """The store, the register (with any what-if reforms), the parameters and the resolver."""

    def __init__(
        self,
        url: str | None = None,
        *,
        parameters: ParameterSet | None = None,
        as_of_change: int | None = None,
        on_build: Callable[[str | None], None] | None = None,
        home: Path | None = None,
        read_only: bool = False,
        _shared: _Shared | None = None,
        _reforms: tuple[str, ...] = (),
    ) -> None:
        self._shared = _shared or _Shared(
            url or config.database_url(home), as_of_change, on_build, home, read_only
        )
        self.params = parameters or ParameterSet.shipped()
        self.reforms = _reforms
        self._geographies: dict[date, Geography] = {}

    # -- derived workspaces -------------------------------------------------------------
    def with_reforms(self, *names: str | Path) -> Workspace:
        """This workspace with reforms applied on top, in memory (a what-if); a stack of
        reforms is applied in date order (``register.stack``), whatever order it is given in."""
        if not names:
            return self
        from icsatlas.register.stack import in_date_order

        added = tuple(str(n) for n in names)
        return Workspace(
            parameters=self.params,
            _shared=self._shared,
            _reforms=in_date_order((*self.reforms, *added)),
        )

    def with_reform_set(self, which: str | None) -> Workspace:
        """The register 'as the law stands' (``law``: refuses reforms that are not law) or
        'with everything announced' (``announced``: every shipped bill and policy on top,
        in date order); ``None`` leaves the workspace as it is."""
        from icsatlas.register import stack

        if which is None:
            return self
        if which == "law":
            pending = stack.not_law(self.reforms)
            if pending:
                names = ", ".join(f"{r.name} ({r.status.text})" for r in pending)
                raise IcsatlasError(
                    f"--reforms law asks for the register as the law stands; these reforms "
                    f"are not law: {names}"
                )
            return self
        if which == "announced":
            recorded = set(self._shared.snapshot.register.reforms)
            return self.with_reforms(*(n for n in stack.announced() if n not in recorded))
        raise IcsatlasError(f"--reforms takes law or announced, not {which!r}")

    def reform_notes(self, conflicts: bool = True) -> tuple[str, ...]:
        """One line per what-if reform with its legal status, then (unless ``conflicts`` is
        false) every conflict between the reforms of the stack: what every answer from this
        workspace says about them."""
        from icsatlas.register import stack

        chosen = stack.loaded(self.reforms)
        lines = [f"reform {r.name}: {r.under}" for r in chosen]
        if not conflicts:
            return tuple(lines)
        functions = self.data.functions
        for conflict in stack.conflicts(chosen):
            found = functions.get(conflict.function)
            lines.append(conflict.text(found.label if found else None))
        return tuple(lines)

    def with_parameters(self, source: str | Path | ParameterSet | None) -> Workspace:
        """This workspace with parameters overridden from a YAML file (or a given set)."""
        if source is None:
            return self
        params = source if isinstance(source, ParameterSet) else self.params.override(source)
        return Workspace(parameters=params, _shared=self._shared, _reforms=self.reforms)

    # -- state --------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self._shared.store

    @property
    def url(self) -> str:
        """The store's URL (``duckdb:///...`` or ``postgresql://...``)."""
        return self._shared.url

    @property
    def home(self) -> Path:
        """The workspace folder: its DuckDB file (by default), populations and caches."""
        return self._shared.home

    @property
    def as_of_change(self) -> int | None:
        return self._shared.as_of_change

    @property
    def latest_change(self) -> int:
        """The audit log's latest recorded change to the register (what answers are from)."""
        return self._shared.latest_change

    @cached_property
    def snapshot(self) -> Snapshot:
        """The register as recorded with this workspace's what-if reforms on top, and its
        resolver index."""
        found = self._shared.snapshot
        for name in self.reforms:
            found = _with_reform(found.register, name, self._shared)
        return found

    @property
    def data(self) -> Register:
        """The register: as recorded, with this workspace's what-if reforms on top."""
        return self.snapshot.register

    @cached_property
    def resolver(self) -> Resolver:
        from icsatlas.geography import Resolver
        from icsatlas.geography.index import NameIndex

        return Resolver(self.data, NameIndex(self.snapshot.extras))

    def resolve(self, text: str, on: DateLike = None) -> Resolution:
        """What ``text`` names on ``on``: an area, council, practice, postcode..."""
        return self.resolver.resolve(text, as_date(on))

    def geography(self, on: DateLike = None) -> Geography:
        """The NHS geography on a date, from this workspace's register (and its what-ifs):
        the practices, sub-ICB locations, ICBs and regions that population and finance
        aggregate by."""
        from icsatlas.geography.on_date import Geography

        day = as_date(on)
        if day not in self._geographies:
            if len(self._geographies) >= 32:
                self._geographies.pop(next(iter(self._geographies)))
            self._geographies[day] = Geography(self.data, self.resolver.index, day, self.reforms)
        return self._geographies[day]

    def provenance(self, **data: str) -> Provenance:
        """The provenance every answer from this workspace starts from."""
        history = ", ".join(self._shared.snapshot.register.reforms) or "none"
        notes = [f"register: shipped reference data + reforms {history}"]
        if self.as_of_change is not None:
            notes.append(f"as recorded after change {self.as_of_change}")
        if self.reforms:
            notes += self.reform_notes()
        return Provenance(
            data={"register": self._shared.url, **data},
            reform=", ".join(self.reforms) or None,
            parameters=self.params.fingerprint,
            notes=tuple(notes),
        )

    def writable_store(self) -> Store:
        """The store, if changes may be saved from here (not on top of what-ifs or history)."""
        if self.reforms or self.as_of_change is not None:
            raise IcsatlasError(
                "changes are saved only to the current register of a workspace "
                "(not on top of --reform what-ifs or --as-of-change)"
            )
        return self.store

    def recorded(self) -> None:
        """Forget cached state after a write, so the next question sees the change."""
        for name in ("latest_change", "snapshot"):
            self._shared.__dict__.pop(name, None)
        for name in ("snapshot", "resolver"):
            self.__dict__.pop(name, None)
        self._geographies.clear()

    def parameters(self, prefix: str = "", on: DateLike = None) -> Result:
        """Every parameter (or those under a dotted ``prefix``): its value on a date, unit,
        certainty, where it comes from, and whether an override replaced it."""
        import json

        from icsatlas.results import Result, Table

        day = as_date(on)
        rows = []
        for name in self.params.names(prefix):
            parameter = self.params.get(name)
            value = parameter.at(day) if min(parameter.values) <= day else None
            rows.append(
                {
                    "name": name,
                    "label": parameter.label,
                    "value": value
                    if not isinstance(value, dict)
                    else json.dumps(value, default=str),
                    "unit": parameter.unit,
                    "since": parameter.version_on(day) if value is not None else None,
                    "certainty": parameter.certainty,
                    "overridden_by": parameter.overridden_by,
                    "source": "; ".join(r.href or r.title for r in parameter.references),
                }
            )
        columns = (
            "name",
            "label",
            "value",
            "unit",
            "since",
            "certainty",
            "overridden_by",
            "source",
        )
        title = f"{len(rows)} parameters on {day}" + (f" under {prefix}" if prefix else "")
        notes = (self.params.describe(),)
        return Result(Table.from_records(rows, columns), self.provenance(), title, notes)

    def sources(self, key: str | None = None) -> Result:
        """Where the shipped data come from: title, publisher, date, licence and the public
        repository each file was taken from (every result names the ones it used)."""
        from icsatlas import data
        from icsatlas.results import Result, Table

        chosen = [data.source(key)] if key else list(data.sources().values())
        columns = ("key", "title", "publisher", "date", "licence", "via")
        table = Table.from_records((vars(s) for s in chosen), columns)
        notes = ("the long form, with the checks done: src/icsatlas/data/PROVENANCE.md",)
        return Result(table, self.provenance(), f"{len(chosen)} shipped data sources", notes)

    def releases(self, on: DateLike = None, check: bool = False) -> Result:
        """Every shipped dataset's release: source, date, licence, rows, checksum and whether
        it is stale on ``on`` (today); ``check=True`` verifies the files against them."""
        from icsatlas.data import releases

        return releases.check_result() if check else releases.listing(as_date(on))

    def report(self, area: str, on: DateLike = None, reform: str | None = None) -> Report:
        """Everything about one area on a date, in sections (identity and notices, functions
        now / with the Blueprint / under ``reform``, accountability, boards, money,
        population, contracts, related and similar areas): see :mod:`icsatlas.workspace.report`."""
        from icsatlas.workspace.report import report

        return report(self, area, on, reform)

    # -- the domains ----------------------------------------------------------------------
    @cached_property
    def register(self) -> RegisterQuestions:
        from icsatlas.workspace.register import RegisterQuestions

        return RegisterQuestions(self)

    @cached_property
    def finance(self) -> FinanceQuestions:
        from icsatlas.workspace.finance import FinanceQuestions

        return FinanceQuestions(self)

    @cached_property
    def population(self) -> PopulationQuestions:
        from icsatlas.workspace.population import PopulationQuestions

        return PopulationQuestions(self)

    @cached_property
    def contracts(self) -> ContractsQuestions:
        from icsatlas.workspace.contracts import ContractsQuestions

        return ContractsQuestions(self)

    @cached_property
    def trends(self) -> TrendsQuestions:
        from icsatlas.workspace.trends import TrendsQuestions

        return TrendsQuestions(self)

    def close(self) -> None:
        """Close the store's connection (it is opened again if a later question needs it)."""
        if "store" in self._shared.__dict__:
            self._shared.__dict__.pop("store").close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        what_if = f" + {', '.join(self.reforms)}" if self.reforms else ""
        return f"<Workspace {self._shared.url}{what_if}; {self.params.fingerprint}>"


def open(
    url: str | None = None,
    *,
    parameters: str | Path | ParameterSet | None = None,
    reforms: Iterable[str | Path] = (),
    as_of_change: int | None = None,
    on_build: Callable[[str | None], None] | None = None,
    home: str | Path | None = None,
    read_only: bool = False,
    reform_set: str | None = None,
) -> Workspace:
    """Open the workspace at ``url`` (default: ``$ICSATLAS_DATABASE_URL``, else a DuckDB file
    in the workspace folder), building the register from shipped data on first use. ``home``
    is the workspace folder, for that file and the caches (default ``$ICSATLAS_HOME``, else the
    per-user data directory). ``read_only`` (for a web server's workers) never writes to the
    store: it must have been built before. ``reform_set`` is ``law`` (the register as the law
    stands: no reform that is not law) or ``announced`` (every shipped bill and policy on
    top)."""
    folder = Path(home) if home else None
    workspace = Workspace(
        url, as_of_change=as_of_change, on_build=on_build, home=folder, read_only=read_only
    )
    chosen = workspace.with_parameters(parameters).with_reforms(*reforms)
    return chosen.with_reform_set(reform_set)


@cache
def _shapes() -> str:
    """A digest of the code that defines what a snapshot pickles (the record classes and the
    resolver's index), so a snapshot from other code is never read."""
    root = Path(__file__).parent.parent
    digest = hashlib.sha256()
    for module in ("register/model.py", "register/register.py", "geography/index.py"):
        digest.update((root / module).read_bytes())
    return digest.hexdigest()[:12]


def _extras(register: Register) -> dict[str, Any]:
    """What a snapshot keeps beside the register: the resolver's index, part by part."""
    from icsatlas.geography.index import NameIndex

    return NameIndex.parts_of(register)


def _with_reform(register: Register, name: str, shared: _Shared) -> Snapshot:
    from icsatlas.register import operations, reforms, snapshot

    path = reforms.locate(name)
    digest = snapshot.key(
        shared.url,
        shared.latest_change,
        shared.as_of_change,
        _shapes(),
        register.reforms,
        reforms.digest(path),
    )
    return snapshot.cached(
        shared.snapshots,
        digest,
        lambda: operations.apply(register, reforms.load(path, set(register.functions))),
        _extras,
    )


__all__ = ["DateLike", "Workspace", "as_date", "open"]
