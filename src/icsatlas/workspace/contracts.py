"""The contracts questions, asked of a Workspace: ``ws.contracts.outsourcing(...)``.

    >>> import icsatlas
    >>> ws = icsatlas.open()
    >>> ws.contracts.import_file("releases.jsonl")              # OCDS, or a CSV (detected)
    >>> ws.contracts.list(area="Frimley", on="2026-06-01")      # any place a user types
    >>> ws.contracts.outsourcing("routes", area="Surrey County Council")
    >>> ws.contracts.spc("waits.csv", improvement="decrease", target=18).sections
    >>> ws.contracts.kpi("ae-4h/*", area="Leeds", concern_only=True)
    >>> ws.contracts.standstill("2024-12-20").table

Every method returns a :class:`~icsatlas.results.Result` whose provenance starts from the
workspace's (register, reforms, parameters) merged with the contracts' own sources. Areas
go through the workspace's one resolver, and buyers and providers are placed in NHS areas
from the workspace's geography on the date asked, so a what-if reform moves them too.
Writes go to the workspace's store (refused on top of what-ifs), each one change in the
audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from icsatlas.contracts import kpi, outsourcing, parties, psr, removal
from icsatlas.contracts.areas import Placed, Placer
from icsatlas.contracts.spc import SpcResult, analyse, names, rule_set
from icsatlas.errors import InputError, NotFoundError
from icsatlas.inputs.rows import Allow, Placing
from icsatlas.names import short_name
from icsatlas.provenance import Provenance
from icsatlas.results import Result, Table
from icsatlas.workspace import DateLike, as_date

if TYPE_CHECKING:
    from icsatlas.geography import Resolution
    from icsatlas.store import Store
    from icsatlas.workspace import Workspace

KINDS = ("ocds", "register", "classification", "psr", "kpi")
OCDS_SUFFIXES = (".json", ".jsonl", ".jsonlines", ".ndjson")
HEADERS = (  # column names as icsatlas.inputs.columns.key compares them
    ("register", {"contract id"}),
    ("psr", {"reference", "process"}),
    ("classification", {"identifier", "party class"}),
    ("kpi", {"date", "value"}),
)
LIST_COLUMNS = (
    "contract_key",
    "title",
    "buyer_name",
    "buyer_icb",
    "supplier_name",
    "supplier_class",
    "value_amount",
    "start_date",
    "end_date",
    "procurement_route",
    "status",
)
KPI_COLUMNS = (
    "series",
    "name",
    "icb",
    "latest_value",
    "target",
    "variation",
    "assurance",
)
SUMMARY_COLUMNS = (
    "series",
    "n",
    "latest_value",
    "mean",
    "lpl",
    "upl",
    "target",
    "variation",
    "assurance",
)
RULE_COLUMNS = ("outside_limits", "trend", "two_of_three", "shift")
PLACING = (
    "a contract is in an area if its buyer serves part of it on the date: an ICB (or the "
    "ICBs now covering a former one), a council's sub-ICB locations, an NHS trust's partner "
    "ICBs, else the ICB recorded at import"
)
KPI_PLACING = (
    "a KPI series is in an area if what it monitors serves part of it on the date: its "
    "contract's buyer, else its provider (an NHS trust's partner ICBs), else its ICB"
)
SOURCES_SHOWN = 3


class ContractsQuestions:
    """The contract register, KPIs with SPC, PSR decisions and the outsourcing picture."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    @property
    def store(self) -> Store:
        return self.ws.store

    # -- writes (each one change in the audit log) -------------------------------------------
    def import_file(
        self,
        path: str | Path,
        kind: str | None = None,
        *,
        code: str | None = None,
        name: str | None = None,
        unit: str = "",
        improvement: str = "increase",
        target: float | None = None,
        contract: str | None = None,
        provider: str | None = None,
        icb: str | None = None,
        actor: str | None = None,
        progress: Callable[[int], None] | None = None,
        source: str | None = None,
        allow: Allow | None = None,
    ) -> Result:
        """Import a file (one transaction: a bad file changes nothing): OCDS JSON or JSON
        Lines, or a CSV contract register, supplier classification, PSR decision log or KPI
        series (``kind`` detected from the suffix or header unless given). A KPI needs
        ``code`` and ``name``; ``icb`` (any area the resolver knows) names the ICB it
        monitors. ``allow`` sees where every row, and every stored item it replaces, is
        before the import is kept (the web's scope check; not for a classification, which
        is for all of England); ``source`` names where the file came from (its path)."""
        store = self.ws.writable_store()
        path = Path(path)
        chosen = kind or detect(path)
        if chosen not in KINDS:
            raise InputError(f"unknown kind {chosen!r}; choose from {', '.join(KINDS)}")
        named = source or str(path)
        if chosen == "ocds":
            return self._import_ocds(store, path, actor, progress, named, allow)
        if chosen == "register":
            from icsatlas.contracts import register_csv

            count = register_csv.import_register(
                store, path, register=self.ws.data, actor=actor, source=named, allow=allow
            )
            what = f"{_many(count, 'contract')} imported from {path.name}"
        elif chosen == "classification":
            if allow is not None:
                raise InputError("a supplier classification is for all of England", field="kind")
            count = parties.import_classification(store, path, actor=actor)
            again = parties.reclassify(store, self.ws.data)
            what = f"{_many(count, 'supplier')} classified; {_many(again, 'contract')} reclassified"
        elif chosen == "psr":
            count = psr.import_decisions(
                store, path, actor, source=named, allow=allow, register=self.ws.data
            )
            what = f"{_many(count, 'decision')} imported from {path.name}"
        else:
            if not code or not name:
                raise InputError("a KPI import needs a code and a name (--code and --name)")
            where = self._icb_code(icb) if icb else None
            meta = kpi.SeriesMeta(code, name, unit, improvement, target, contract, provider, where)
            check = self._series_allow(allow) if allow is not None else None
            count = kpi.import_csv(store, path, meta, actor, source=named, allow=check)
            what = f"{count:,} KPI series imported from {path.name}"
        return self._written(what, chosen, count, source=named)

    def _series_allow(self, allow: Allow) -> Callable[[list[kpi.SeriesMeta]], None]:
        """``allow`` over where KPI series are: those imported and those they replace."""

        def check(metas: list[kpi.SeriesMeta]) -> None:
            replaced = kpi.stored(self.store, [m.code for m in metas])
            allow([p for meta in [*metas, *replaced] for p in self._series_placings(meta)])

        return check

    def _series_placings(self, meta: kpi.SeriesMeta) -> list[Placing]:
        """Where a KPI series is: the ICB it names, its contract's buyer's, its provider's
        (each that it names; unplaced if none)."""
        row = f"series {meta.code}"
        placings = []
        if meta.icb_ods_code:
            placings.append(Placing(row, (meta.icb_ods_code,), "icb"))
        if meta.contract_key:
            icb = self.store.scalar(
                "SELECT icb_ods_code FROM contract WHERE contract_key = ?", (meta.contract_key,)
            )
            placings.append(Placing(row, (icb,) if icb else (), "contract"))
        if meta.provider_code:
            icb = parties.icb_of(self.ws.data, self._org_id(meta.provider_code))
            placings.append(Placing(row, (icb,) if icb else (), "provider"))
        return placings or [Placing(row, (), "icb")]

    def _org_id(self, code: str) -> str | None:
        try:
            return self.ws.data.organisation(code).org_id
        except NotFoundError:
            return None

    def _import_ocds(
        self,
        store: Store,
        path: Path,
        actor: str | None,
        progress: Callable[[int], None] | None,
        source: str,
        allow: Allow | None,
    ) -> Result:
        from icsatlas.contracts.ocds import load

        done = load.import_file(
            store,
            path,
            register=self.ws.data,
            actor=actor,
            progress=progress,
            source_name=source,
            allow=allow,
        )
        what = (
            f"{done.releases:,} releases read ({done.new_releases:,} new) from {done.format}; "
            f"{done.records:,} records compiled; {done.contracts:,} contracts"
        )
        return self._written(what, "ocds", done.contracts, source, done.change_id)

    def load_kpi(self, name: str, actor: str | None = None) -> Result:
        """Store a shipped family of KPI series (NHS England statistics): ``ae-4h``,
        ``rtt-18w``, ``cancer-62d``, ``cancer-31d``, ``cancer-fds``."""
        count = kpi.load_shipped(self.ws.writable_store(), name, actor=actor)
        return self._written(f"loaded {count:,} shipped series ({name})", "kpi", count)

    def remove(
        self,
        contract_keys: Sequence[str],
        reason: str,
        actor: str | None = None,
        source: str | None = None,
        allow: Allow | None = None,
    ) -> Result:
        """Remove contracts, recorded in the audit log with the reason (all or nothing);
        ``allow`` sees where each is before anything is written."""
        done = removal.remove(
            self.ws.writable_store(), contract_keys, reason, actor, source=source, allow=allow
        )
        what = f"{_many(len(done.keys), 'contract')} removed"
        if done.kpi_series:
            what += f"; KPI series that name them are kept: {done.kpi_series:,}"
        return self._written(what, "remove", len(done.keys), change=done.change_id)

    def _written(
        self, what: str, kind: str, count: int, source: str = "", change: int | None = None
    ) -> Result:
        """The confirmation of a write: one row, its title the line a user sees."""
        self.ws.recorded()
        change = change if change is not None else _latest_change(self.store)
        table = Table(("kind", "count", "change", "source"), ((kind, count, change, source),))
        data = {"file": source} if source else {}
        return Result(table, self.ws.provenance(**data), f"{what} (change {change})")

    # -- the contract register -----------------------------------------------------------
    def list(
        self,
        area: str | None = None,
        supplier_class: str | None = None,
        on: DateLike = None,
        brief: bool = False,
    ) -> Result:
        """Contracts with buyer (and the buyer's ICB on ``on``), supplier and class, value,
        period, route and status; in an ``area`` if given; ``brief``: the columns that fit
        a terminal."""
        if supplier_class and supplier_class not in parties.CLASSES:
            raise NotFoundError(
                f"no supplier class {supplier_class!r}; choose from {', '.join(parties.CLASSES)}"
            )
        frame, scope, notes = self._contracts_in(area, on)
        if supplier_class:
            frame = frame[frame.supplier_class == supplier_class]
        columns = list(LIST_COLUMNS) if brief else _first(frame, LIST_COLUMNS)
        title = f"Contracts: {scope}" + (f", {supplier_class}" if supplier_class else "")
        return Result(
            frame[columns].reset_index(drop=True), self._contract_provenance(), title, notes
        )

    def amendments(self, contract_key: str) -> Result:
        """How a contract's value and end date changed over time."""
        frame = self.store.fetch_df(
            "SELECT amendment_id, amendment_date, description, value_amount, end_date"
            " FROM contract_amendment WHERE contract_key = ? ORDER BY amendment_date",
            (contract_key,),
        )
        if frame.empty:
            raise NotFoundError(f"no contract {contract_key!r} (see `icsatlas contracts list`)")
        for column in ("amendment_date", "end_date"):
            frame[column] = pd.to_datetime(frame[column]).dt.date
        title = f"Amendments of {contract_key}"
        return Result(frame, self._contract_provenance(), title)

    def record(self, ocid: str) -> Result:
        """The compiled OCDS release of one contracting process, one field a row
        (``parties[0].name``); :meth:`compiled_release` gives the document itself."""
        compiled = self.compiled_release(ocid)
        rows = tuple(_flatten(compiled))
        provenance = self._contract_provenance()
        title = f"Compiled release of {ocid} (ocdsmerge)"
        return Result(Table(("field", "value"), rows), provenance, title)

    def compiled_release(self, ocid: str) -> dict[str, Any]:
        """The compiled release (an OCDS document, for OCDS tools such as ocdskit)."""
        import json

        compiled = self.store.scalar("SELECT compiled FROM ocds_record WHERE ocid = ?", (ocid,))
        if compiled is None:
            raise NotFoundError(f"no compiled record for {ocid!r}")
        return json.loads(compiled)

    def export_record(self, ocid: str, path: str | Path, force: bool = False) -> Result:
        """Write the compiled release of ``ocid`` to ``path`` as JSON (an export), by the rule
        for output files: an existing file is refused unless ``force``."""
        import json

        from icsatlas.exports.files import check_target, write_atomic

        path = Path(path)
        check_target(path, force, "--export")
        document = json.dumps(self.compiled_release(ocid), indent=2) + "\n"
        write_atomic(path, document.encode(), force, "--export")
        table = Table(("ocid", "file"), ((ocid, str(path)),))
        title = f"compiled release of {ocid} written to {path}"
        return Result(table, self._contract_provenance(), title)

    def outsourcing(
        self,
        view: str = "shares",
        area: str | None = None,
        on: DateLike = None,
        rules: str | None = None,
    ) -> Result:
        """The outsourcing picture by financial year, in England or an ``area`` (contracts
        whose buyer serves it on ``on``): value by supplier class (``shares``), direct awards
        against competition (``routes``), trust ``subsidiaries``, KPI ``concerns``. Values are
        spread over each contract's period pro rata by days; cancelled contracts are left
        out."""
        frame, scope, notes = self._contracts_in(area, on)
        if area and frame.empty:
            raise NotFoundError(f"no contracts recorded in {scope} ({notes[0]})")
        found = outsourcing.picture(self.store, view, frame, scope, rules, params=self.ws.params)
        provenance = self._contract_provenance().merged(found.provenance)
        return Result(found.frame, provenance, found.title, (*notes, *found.notes))

    def _contracts_in(
        self, area: str | None, on: DateLike
    ) -> tuple[pd.DataFrame, str, tuple[str, ...]]:
        """Every contract with its buyer's ICB on ``on``, those in ``area`` if given; the
        scope's name and notes on how it was read."""
        day = as_date(on)
        frame = outsourcing.contracts(self.store)
        placer = self._placer(day)
        placed = [
            placer.organisation(_text(org), _text(icb))
            for org, icb in zip(frame.buyer_org_id, frame.icb_ods_code, strict=True)
        ]
        frame = frame.assign(buyer_icb=[p.label for p in placed])
        if not area:
            return frame, "England", ()
        found, where = placer.area(area)
        keep, notes = _inside(placed, where, found, PLACING, "contracts", day)
        return frame.loc[keep].reset_index(drop=True), _scope(found), notes

    # -- KPIs and SPC ----------------------------------------------------------------------
    def spc(
        self,
        source: str | Path | pd.DataFrame,
        *,
        improvement: str = "increase",
        target: float | None = None,
        rules: str | None = None,
        rebase: Iterable[DateLike] = (),
        fix_after: int | None = None,
        screen_outliers: bool | None = None,
        summary: bool = False,
        brief: bool = False,
        chart: str | Path | None = None,
        force: bool = False,
    ) -> Result:
        """SPC (NHSRplotthedots semantics) on a ``date,value`` CSV or DataFrame (with a
        ``series`` column for many series): sections ``points`` (every point with its
        limits, rule hits and point type) and ``summary`` (one row per series with the
        variation and assurance icons), or the summary alone; ``brief``: the columns that fit
        a terminal; ``chart`` writes a PNG, SVG or self-contained HTML chart of the first
        series (an existing file replaced only if ``force``)."""
        if chart is not None:
            from icsatlas.exports.files import check_target

            check_target(Path(chart), force, "--chart")
        frame, label = _series(source)
        days = [as_date(d, "--rebase") for d in rebase]
        found = analyse(
            frame,
            rule_set(self.ws.params, rules),
            improvement=_improvement(improvement),
            target=target,
            rebase=days,
            fix_after=fix_after,
            screen_outliers=screen_outliers,
        )
        if chart is not None:
            from icsatlas.contracts.spc import chart as charts

            charts.save(found, chart, title=Path(label).stem, force=force)
        provenance = self.ws.provenance(series=label)
        return _spc_result(found, "series" in frame, label, provenance, summary, brief)

    def rules(self) -> Result:
        """The SPC rule sets (choose one with ``rules=NAME`` or ``NAME@DATE``)."""
        rows = []
        for name in names(self.ws.params):
            chosen = rule_set(self.ws.params, name)
            rows.append(
                {
                    "name": name,
                    "version": chosen.version,
                    "trend": chosen.trend_points,
                    "shift": chosen.shift_points,
                    "2-of-3 counts beyond limits": chosen.two_of_three_counts_beyond_limits,
                    "screens outliers": chosen.screen_outliers,
                    "certainty": chosen.certainty,
                    "label": chosen.label,
                }
            )
        table = Table.from_records(rows, tuple(rows[0]))
        return Result(table, self.ws.provenance(), "SPC rule sets")

    def kpi(
        self,
        pattern: str = "*",
        *,
        area: str | None = None,
        on: DateLike = None,
        rules: str | None = None,
        concern_only: bool = False,
        brief: bool = False,
        charts: str | Path | None = None,
        force: bool = False,
    ) -> Result:
        """Stored KPI series matching ``pattern`` (``*`` a wildcard) with their SPC summary, each
        with the ICB it is for on ``on`` (its ICB, its provider's partner ICBs, or its
        contract's buyer's); in an ``area`` if given; ``concern_only``: those whose latest
        point is special-cause concern; ``brief``: the headline columns only (what, where,
        latest value, target, icons); ``charts``: an HTML chart per series in that folder (made
        if missing; an existing chart replaced only if ``force``)."""
        series = kpi.series(self.store, pattern)
        if series.empty:
            raise NotFoundError(f"no stored KPI series match {pattern!r}")
        day = as_date(on)
        placer = self._placer(day)
        placed = self._series_places(series, placer)
        notes: tuple[str, ...] = ()
        codes = list(series.code)
        if area:
            found, where = placer.area(area)
            inside = list(placed.values())
            keep, notes = _inside(inside, where, found, KPI_PLACING, "KPI series", day)
            codes = [c for c, k in zip(placed, keep, strict=True) if k]
            if not codes:
                raise NotFoundError(f"no stored KPI series match {pattern!r} in {_scope(found)}")
        found_spc, sources = kpi.spc(self.store, pattern, rules, params=self.ws.params, codes=codes)
        summary = found_spc.summary
        summary.insert(2, "icb", summary.series.map(lambda c: placed[c].label))
        if concern_only:
            summary = summary[summary.latest_point_type == "special_cause_concern"]
        if charts is not None:
            from icsatlas.contracts.spc import chart

            chart.save_each(found_spc, charts, summary.series, force)
        if brief:
            summary = summary[list(KPI_COLUMNS)]
        provenance = self.ws.provenance().merged(sources)
        notes = (*notes, *found_spc.notes)
        return Result(summary.reset_index(drop=True), provenance, "KPI series", notes)

    def _series_places(self, series: pd.DataFrame, placer: Placer) -> dict[str, Placed]:
        """Each series' place: its contract's buyer, else its provider, else its ICB."""
        contracts = outsourcing.contracts(self.store).set_index("contract_key")
        places = {}
        for code, contract, provider, icb in zip(
            series.code,
            series.contract_key,
            series.provider_code,
            series.icb_ods_code,
            strict=True,
        ):
            if _text(contract) in contracts.index:
                buyer = contracts.loc[contract]
                place = placer.organisation(_text(buyer.buyer_org_id), _text(buyer.icb_ods_code))
            else:
                place = placer.organisation(_text(provider), _text(icb))
            places[code] = place
        return places

    # -- Provider Selection Regime -------------------------------------------------------
    def standstill(self, published: DateLike, representations_decided: DateLike = None) -> Result:
        """When the standstill after an intention notice ends and the contract may be
        awarded (England and Wales working days), with the further standstill after a
        decision on representations."""
        day = as_date(published, "published")
        decided = (
            as_date(representations_decided, "--representations-decided")
            if representations_decided
            else None
        )
        period = psr.standstill(day, decided, params=self.ws.params)
        row = {
            "intention notice published": period.published,
            "standstill ends (midnight)": period.ends,
            "representations decided": period.representations_decided,
            "further standstill ends": period.extended_ends,
            "may award from": period.award_from,
        }
        table = Table.from_records([row], tuple(row))
        return Result(table, self.ws.provenance(), "PSR standstill")

    def psr_log(self, on: DateLike = None) -> Result:
        """The decision log with standstill dates and publication obligations checked as on
        ``on`` (default today)."""
        day = as_date(on)
        frame = psr.decisions(self.store, day, params=self.ws.params)
        if frame.empty:
            raise NotFoundError("no PSR decisions recorded: `icsatlas contracts import LOG.csv`")
        files = self.store.fetchall(
            "SELECT DISTINCT c.source FROM psr_decision d JOIN change_log c USING (change_id)"
        )
        provenance = self.ws.provenance(decisions=_joined(f for (f,) in files)).merged(
            Provenance(engine=self.store.dialect)
        )
        return Result(frame, provenance, f"PSR decisions on {day}")

    # -- shared --------------------------------------------------------------------------
    def _placer(self, on: date) -> Placer:
        return Placer(lambda text: self.ws.resolve(text, on), self.ws.geography(on))

    def _icb_code(self, text: str) -> str:
        """The ODS code of the one ICB ``text`` names or lies in (today)."""
        placer = self._placer(as_date(None))
        found, where = placer.area(text)
        tree = placer.geography.sub_icbs
        codes = sorted(set(tree[tree.sub_icb_ons.isin(where.sub_icbs)].icb_ods))
        if len(codes) != 1:
            raise InputError(f"{found.describe()}: not within one ICB", field="icb")
        return codes[0]

    def _contract_provenance(self) -> Provenance:
        files = self.store.fetchall("SELECT source, format FROM contract_import ORDER BY import_id")
        shown = _joined(f"{Path(s).name} ({f})" for s, f in files)
        data = {"contracts": shown} if shown else {}
        return self.ws.provenance(**data).merged(Provenance(engine=self.store.dialect))


# -- helpers ---------------------------------------------------------------------------
def detect(path: Path) -> str:
    """What a file holds: OCDS by its suffix, a CSV by its header (names in any case)."""
    from icsatlas.inputs.columns import key
    from icsatlas.inputs.rows import read_header

    if path.suffix.lower() in OCDS_SUFFIXES:
        return "ocds"
    columns = {key(name) for name in read_header(path)}
    for kind, needed in HEADERS:
        if needed <= columns:
            return kind
    raise InputError("cannot tell what this CSV holds; say which kind it is", file=path, row=1)


def _latest_change(store: Store) -> int:
    return int(store.scalar("SELECT max(change_id) FROM change_log") or 0)


def _many(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _text(value: Any) -> str | None:
    """A cell as text, or None for a blank (NaN, None, '')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value) or None


def _first(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """``columns`` first, then the frame's others."""
    return [*columns, *(c for c in frame.columns if c not in columns)]


def _joined(sources: Iterable[str]) -> str:
    shown = list(dict.fromkeys(sources))
    more = len(shown) - SOURCES_SHOWN
    return "; ".join(shown[:SOURCES_SHOWN]) + (f"; and {more} more" if more > 0 else "")


def _scope(found: Resolution) -> str:
    return short_name(found.name)


def _inside(
    placed: Sequence[Placed], where: Placed, found: Resolution, rule: str, what: str, on: date
) -> tuple[list[bool], tuple[str, ...]]:
    """Which placed items (``what``, plural) lie in ``where``, and notes on how the area
    was read."""
    keep = [bool(p.sub_icbs & where.sub_icbs) for p in placed]
    unplaced = sum(not p.sub_icbs for p in placed)
    left_out = f"{what} that cannot be placed in an NHS area on {on}, left out: {unplaced:,}"
    return keep, (found.describe(), rule, *([left_out] if unplaced else []))


def _series(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The series to analyse and a label for it (the file's name)."""
    if isinstance(source, pd.DataFrame):
        frame, label = source.copy(), "data"
    else:
        frame, label = kpi.read_csv(source), Path(source).name
        if frame["series"].isna().all():
            frame = frame.drop(columns="series")
    return frame, label


def _improvement(text: str) -> Any:
    from icsatlas.contracts.spc.analysis import DIRECTIONS

    if text not in DIRECTIONS:
        raise InputError(f"improvement must be one of {', '.join(DIRECTIONS)}", field="improvement")
    return text


def _spc_result(
    found: SpcResult,
    many: bool,
    label: str,
    provenance: Provenance,
    summary_only: bool,
    brief: bool,
) -> Result:
    """Sections points and summary (or the summary alone), as wide as asked."""
    points, summary = found.points, found.summary
    if brief:
        points, summary = _compact(points), summary[list(SUMMARY_COLUMNS)]
    if not many:
        points, summary = points.drop(columns="series"), summary.drop(columns="series")
    if summary_only:
        return Result(summary, provenance, f"SPC summary: {label}", found.notes)
    sections = (
        Result(points, title=f"SPC points: {label}"),
        Result(summary, title=f"SPC summary: {label}"),
    )
    return Result(Table(()), provenance, f"SPC: {label}", found.notes, sections)


def _compact(points: pd.DataFrame) -> pd.DataFrame:
    """The columns that fit a terminal: rule hits joined, point type shortened."""
    hits = points[list(RULE_COLUMNS)].apply(
        lambda r: ", ".join(c for c in RULE_COLUMNS if r[c]), axis=1
    )
    kind = points.point_type.astype(str).str.replace("special_cause_", "", regex=False)
    keep = ["series", "date", "value", "mean", "lpl", "upl"]
    return points[keep].assign(
        rules_hit=hits, special_cause=points.special_cause_type.astype(str), point_type=kind
    )


def _flatten(value: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    """(``parties[0].name``, value) for every leaf of a JSON document."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
        for index, inner in enumerate(value):
            yield from _flatten(inner, f"{prefix}[{index}]")
    else:
        yield prefix, ", ".join(value) if isinstance(value, list) else value
