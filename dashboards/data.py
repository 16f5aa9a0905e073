"""What the dashboard reads: stored snapshots, analysed once and cached per snapshot.

Pages never parse a dataset or talk to a database driver: they ask a :class:`DataSource`,
which opens the store for each request, and reuses the analysis of a snapshot for as long
as that snapshot is unchanged (same date, same ingest time) and the analyses kept fit in
their memory budget. A new ingest therefore shows on the next page load, without a restart.
"""

import logging
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date

from dashboards.budget import cache_budget, view_bytes
from dashboards.evaluations import EvaluationKey, KeptEvaluations, PilotEvaluation, within
from graph.analysis import Agenda, Analysis, Gap, agenda_json, analyse, build_agenda
from graph.analysis.agenda import analysed_gaps, gap_identity
from graph.analysis.circles import circle_tables
from graph.analysis.disclosure import Publication, publish
from graph.analysis.evaluation import evaluate
from graph.analysis.gaps import Delegation, delegations
from graph.errors import CarecircleError, StoreError
from graph.model import Snapshot
from graph.stores import SnapshotInfo, open_store
from ingest.report import EXAMPLES_PER_CODE, bounded_problems

__all__ = [
    "AGENDA_BYTES_PER_GAP",
    "ANALYSES_AT_ONCE",
    "NO_DATA_YET",
    "AgendaView",
    "DataSource",
    "SnapshotView",
    "agenda_for",
    "bounded_report",
    "build_view",
]

log = logging.getLogger("carecircle.dashboard")

#: Analyses that run at the same time. An analysis is Python work that holds the interpreter
#: lock: two at once finish no sooner than one after the other, and take twice the memory.
ANALYSES_AT_ONCE = 1
#: The store troubles that only mean "no data yet": no store file, or a store without snapshots.
NO_DATA_YET = frozenset({"missing", "empty"})
#: Memory an agenda takes per gap it holds (open gaps of T and resolved gaps of S), its words in
#: both languages included: tracemalloc counts 2,959 bytes a gap at 2,000 residents (6,385 gaps,
#: 18.9 MB) and 4,781 at 300 (907 gaps, with the catalogues' one-off allocations).
AGENDA_BYTES_PER_GAP = 3_000


def bounded_report(report: dict) -> dict:
    """An ingest report with at most :data:`~ingest.report.EXAMPLES_PER_CODE` example rows per
    file and code, and the number of all of them in ``problem_counts``.

    Reports stored by earlier versions hold every problem (500,000 rejected rows are 90 MB):
    they are cut here. Newer reports are bounded already and keep their counts.

    Examples
    --------
    >>> old = {"rejected": [{"file": "support.csv", "line": n, "code": "unknown_reference"}
    ...                     for n in range(2, 502)], "warnings": []}
    >>> bounded = bounded_report(old)
    >>> len(bounded["rejected"]), bounded["problem_counts"]["rejected"], bounded["truncated"]
    (100, {'support.csv': {'unknown_reference': 500}}, True)
    """
    stored_counts = report.get("problem_counts") or {}
    bounded = dict(report)
    counts = {}
    for kind in ("rejected", "warnings"):
        bounded[kind], counted = bounded_problems(report.get(kind) or [], EXAMPLES_PER_CODE)
        counts[kind] = stored_counts.get(kind, counted)
    shown = sum(len(bounded[kind]) for kind in counts)
    every = sum(n for kind in counts for codes in counts[kind].values() for n in codes.values())
    return bounded | {"problem_counts": counts, "truncated": shown < every}


@dataclass
class SnapshotView:
    """One analysed snapshot with per-resident indexes, so a resident's circle is a lookup."""

    info: SnapshotInfo
    analysis: Analysis
    residents: dict[str, dict]
    helpers: dict[str, dict]
    organisations: dict[str, str]
    metrics: dict[str, dict]
    support: dict[str, list[dict]] = field(default_factory=dict)
    awareness: dict[str, list[dict]] = field(default_factory=dict)
    gaps: dict[str, list[Gap]] = field(default_factory=dict)
    #: helper id -> name, for the team's gap messages
    helper_names: dict[str, str] = field(default_factory=dict)
    #: resident id -> its delegated tasks and their agreed contact (residents with one only)
    delegations: dict[str, list[Delegation]] = field(default_factory=dict)
    _publications: dict[int, Publication] = field(default_factory=dict, repr=False)
    #: (as_of, ingested_at) of an earlier snapshot -> :meth:`changes_since` it
    _changes: dict[tuple, dict] = field(default_factory=dict, repr=False)
    #: the rows of the grids paged on the server, by :meth:`grid_rows`'s key
    _grid_rows: dict[tuple, list[dict]] = field(default_factory=dict, repr=False)

    @property
    def as_of(self) -> date:
        """The snapshot date."""
        return self.info.as_of

    @property
    def neighbourhoods(self) -> list[str]:
        """Neighbourhood names, sorted."""
        return [area.neighbourhood for area in self.analysis.neighbourhoods]

    def publication(self, k: int) -> Publication:
        """Every policy figure of the snapshot, protected together (computed once per k)."""
        if k not in self._publications:
            self._publications[k] = publish(self.analysis, k)
        return self._publications[k]

    def changes_since(self, earlier: "SnapshotView") -> dict[str | None, dict[str, int]]:
        """The gaps of this snapshot that ``earlier`` did not have (new) and the gaps of ``earlier``
        that are gone (resolved), by the agenda's gap identity (SPEC §10), per neighbourhood and
        for all (None): the residents of this snapshot only, each in its neighbourhood here, as the
        agenda counts them. Computed once per earlier snapshot (the overview asks on every page)."""
        key = _key(earlier.info)
        if key not in self._changes:
            area = {resident: row["neighbourhood"] for resident, row in self.residents.items()}
            now, before = defaultdict(set), defaultdict(set)
            for gaps, found in ((self.analysis.gaps, now), (earlier.analysis.gaps, before)):
                for gap in gaps:
                    if gap.resident_id in area:
                        found[area[gap.resident_id]].add(gap_identity(gap))
            changes = {
                name: {"new": len(now[name] - before[name]), "resolved": len(before[name] - now[name])}
                for name in self.neighbourhoods
            }
            changes[None] = {which: sum(c[which] for c in changes.values()) for which in ("new", "resolved")}
            self._changes[key] = changes
        return self._changes[key]

    def summary(self, neighbourhood: str | None, role: str, k: int) -> dict:
        """The SPEC §5 summary of one neighbourhood (or overall for None) as ``role`` may see it."""
        if neighbourhood is not None and neighbourhood not in self.neighbourhoods:
            raise KeyError(neighbourhood)
        if role == "policy":
            return self.publication(k).summaries[neighbourhood]
        if neighbourhood is None:
            return self.analysis.overall.as_dict()
        return next(a for a in self.analysis.neighbourhoods if a.neighbourhood == neighbourhood).as_dict()

    def resident_rows(self, neighbourhood: str | None = None) -> list[dict]:
        """The per-resident metric rows, of one neighbourhood or all."""
        return [
            row
            for row in self.analysis.residents
            if neighbourhood is None or row["neighbourhood"] == neighbourhood
        ]

    def grid_rows(self, key: tuple, build: Callable[[], list[dict]]) -> list[dict]:
        """Every row of a grid that pages on the server, built by ``build`` once per snapshot and
        ``key`` (the grid, and the language its rows are worded in): each request for a page of
        rows sorts and filters these (60,000 residents' rows take a quarter of a second to build)."""
        if key not in self._grid_rows:
            self._grid_rows[key] = build()
        return self._grid_rows[key]

    def organisation_name(self, organisation_id: str | None) -> str | None:
        """An organisation's name, or its id when it has none."""
        if organisation_id is None:
            return None
        return self.organisations.get(organisation_id) or organisation_id


@dataclass
class AgendaView:
    """The team's agenda of a stored snapshot T (``as_of``) against an earlier one S (``since``,
    None when T is the first), for the whole municipality, with its words per language."""

    as_of: date
    since: date | None
    agenda: Agenda
    _words: dict[str, dict] = field(default_factory=dict, repr=False)
    _items: dict[str, dict[str, dict]] = field(default_factory=dict, repr=False)

    @property
    def estimated_bytes(self) -> int:
        """The estimated memory of the agenda and its words (:data:`AGENDA_BYTES_PER_GAP`)."""
        gaps = sum(len(item.gaps) + len(item.resolved) for item in self.agenda.items)
        return AGENDA_BYTES_PER_GAP * max(gaps, 1)

    def words(self, lang: str) -> dict:
        """The agenda object (``carecircle.agenda/1``) in ``lang``; worded once per language."""
        if lang not in self._words:
            self._words[lang] = agenda_json(self.agenda, lang)
        return self._words[lang]

    def item(self, resident_id: str, lang: str) -> dict | None:
        """The agenda item of one resident in ``lang``, or None when the resident has no open and no
        resolved gap (found through an index built once per language)."""
        if lang not in self._items:
            self._items[lang] = {item["resident_id"]: item for item in self.words(lang)["items"]}
        return self._items[lang].get(resident_id)

    def of(self, neighbourhood: str | None, lang: str) -> dict:
        """The agenda object of one neighbourhood (or of all for None), in ``lang``."""
        return agenda_for(self.words(lang), neighbourhood)


def agenda_for(agenda: dict, neighbourhood: str | None) -> dict:
    """The agenda object of the whole municipality cut to one neighbourhood: its residents ranked
    1, 2, … in their order, and its meetings; what ``carecircle agenda --neighbourhood`` gives.

    Examples
    --------
    >>> whole = {"neighbourhood": None, "items": [{"rank": 1, "neighbourhood": "Oost"},
    ...          {"rank": 2, "neighbourhood": "West"}], "meetings": [{"neighbourhood": "Oost"}]}
    >>> cut = agenda_for(whole, "West")
    >>> cut["neighbourhood"], cut["items"], cut["meetings"]
    ('West', [{'rank': 1, 'neighbourhood': 'West'}], [])
    >>> agenda_for(whole, None) is whole
    True
    """
    if neighbourhood is None:
        return agenda
    items = [item for item in agenda["items"] if item["neighbourhood"] == neighbourhood]
    return {
        **agenda,
        "neighbourhood": neighbourhood,
        "items": [{**item, "rank": rank} for rank, item in enumerate(items, start=1)],
        "meetings": [meeting for meeting in agenda["meetings"] if meeting["neighbourhood"] == neighbourhood],
    }


@dataclass(frozen=True)
class _AgendaKey:
    """What identifies a kept agenda: the keys of its two stored snapshots (S None without one)."""

    current: tuple
    earlier: tuple | None

    def stored(self, keys: set[tuple]) -> bool:
        """Whether both snapshots are among the stored ``keys``."""
        return self.current in keys and (self.earlier is None or self.earlier in keys)


def build_view(info: SnapshotInfo, snapshot: Snapshot) -> SnapshotView:
    """Analyse ``snapshot`` and index it per resident."""
    return _indexed(info, snapshot, analyse(snapshot))


def _indexed(info: SnapshotInfo, snapshot: Snapshot, analysis: Analysis) -> SnapshotView:
    view = SnapshotView(
        info=info,
        analysis=analysis,
        residents={row["resident_id"]: row for row in snapshot.records("residents")},
        helpers={row["helper_id"]: row for row in snapshot.records("helpers")},
        organisations={row["organisation_id"]: row["name"] for row in snapshot.records("organisations")},
        metrics={row["resident_id"]: row for row in analysis.residents},
    )
    support: dict[str, list[dict]] = defaultdict(list)
    for row in snapshot.records("support"):
        support[row["resident_id"]].append(row)
    awareness: dict[str, list[dict]] = defaultdict(list)
    for row in snapshot.records("awareness"):
        awareness[row["resident_id"]].append(row)
    gaps: dict[str, list[Gap]] = defaultdict(list)
    for gap in analysis.gaps:
        gaps[gap.resident_id].append(gap)
    view.support, view.awareness, view.gaps = dict(support), dict(awareness), dict(gaps)
    view.helper_names = {helper: row["name"] for helper, row in view.helpers.items() if row["name"]}
    view.delegations = _delegations(snapshot, analysis.as_of)
    return view


def _delegations(snapshot: Snapshot, as_of: date) -> dict[str, list[Delegation]]:
    """Each resident's delegated tasks at ``as_of``: the circles of the residents with a delegated
    support row only, so a snapshot without delegation costs nothing."""
    delegating = set(snapshot.support["resident_id"][snapshot.support["delegated_by"].notna()])
    if not delegating:
        return {}
    by_resident: dict[str, list[Delegation]] = defaultdict(list)
    for delegation in delegations(circle_tables(snapshot.part(delegating), as_of)):
        by_resident[delegation.resident_id].append(delegation)
    return dict(by_resident)


class DataSource:
    """The store behind a dashboard, with analysed snapshots cached per (date, ingest time).

    Every snapshot is analysed once, however many requests ask for it at the same time, and
    its view is kept while the estimated memory of all kept views stays within ``cache_bytes``
    (the least recently used goes first; the one just used always stays). Requests for a kept
    snapshot never wait for the analysis of another. The trends page's evaluations are kept
    apart (:class:`~dashboards.evaluations.KeptEvaluations`), until a snapshot they rest on is
    ingested again.

    Parameters
    ----------
    store : str
        A store URI as ``carecircle serve --store`` takes it.
    database : str, optional
        The Neo4j database, for a server store.
    k : int
        The small-cell threshold of the policy role.
    cache_bytes : int, optional
        The memory the analysed snapshots may take together (by :func:`view_bytes`); by
        default :func:`cache_budget`.
    """

    def __init__(
        self, store: str, *, database: str | None = None, k: int = 5, cache_bytes: int | None = None
    ) -> None:
        self.store = store
        self.database = database
        self.k = k
        self.cache_bytes = cache_budget() if cache_bytes is None else cache_bytes
        #: the analysed views (by snapshot key) and the agendas (by :class:`_AgendaKey`), in one
        #: order of use and one budget
        self._views: OrderedDict[tuple | _AgendaKey, SnapshotView | AgendaView] = OrderedDict()
        #: the snapshots analysed once (warming analyses each at most once; then visitors do)
        self._analysed: set[tuple] = set()
        self._building: dict[tuple | _AgendaKey, Future] = {}
        #: the agendas warming computed once: one evicted since is left to the visitors
        self._warmed_agendas: set[_AgendaKey] = set()
        self._lock = threading.Lock()  # guards the dictionaries above, never held while analysing
        self._analysing = threading.Semaphore(ANALYSES_AT_ONCE)
        self._reports: dict[tuple, dict] = {}
        #: the store's trouble last logged, and the last failure of warming logged: one line each
        self._trouble: str | None = None
        self._warm_failure: str | None = None
        #: the trends page's evaluations (SPEC §11), the last few
        self._evaluations = KeptEvaluations()

    def catalogue(self) -> list[SnapshotInfo]:
        """The stored snapshots, oldest first, for the header's select: empty when there is no
        store yet, when it holds no snapshot, and when it cannot be read (the pages say why)."""
        try:
            return self.snapshots()
        except StoreError:
            return []

    def snapshots(self) -> list[SnapshotInfo]:
        """The stored snapshots, oldest first; empty when there is no store yet or it holds none.

        Raises
        ------
        StoreError
            When the store is there but cannot be read (damaged, locked, another format…);
            logged in one line (the store's message) when it starts, and in one more when the
            store can be read again.
        """
        try:
            with open_store(self.store, database=self.database) as source:
                infos = source.snapshots()
        except StoreError as error:
            if error.code in NO_DATA_YET:
                return []
            if self._changed("_trouble", str(error)):
                log.warning("the dashboard cannot read the store: %s", error)
            raise
        if self._changed("_trouble", None):
            log.info("the dashboard can read the store again: %s", self.store)
        self._forget_all_but({_key(info) for info in infos})
        return infos

    def view(self, as_of: date | None = None) -> SnapshotView | None:
        """The analysed snapshot of ``as_of`` (the newest when None or unknown), or None when the
        store holds none yet.

        Raises
        ------
        StoreError
            When the store cannot be read (see :meth:`snapshots`).
        """
        chosen = self._chosen(as_of)
        return None if chosen is None else self._view(chosen[1])

    def cached(self) -> list[tuple[date, str]]:
        """The (date, ingest time) of every analysed snapshot kept now, least recently used first."""
        with self._lock:
            return [key for key in self._views if not isinstance(key, _AgendaKey)]

    def cached_agendas(self) -> list[tuple[date, date | None]]:
        """The (T, S) dates of every agenda kept now, least recently used first."""
        with self._lock:
            return [
                (key.current[0], key.earlier[0] if key.earlier else None)
                for key in self._views
                if isinstance(key, _AgendaKey)
            ]

    def earlier(self, as_of: date | None = None) -> list[SnapshotInfo]:
        """The stored snapshots before ``as_of`` (the newest when None or unknown), newest first:
        what the agenda may compare with.

        Raises
        ------
        StoreError
            When the store cannot be read (see :meth:`snapshots`).
        """
        chosen = self._chosen(as_of)
        if chosen is None:
            return []
        catalogue, current = chosen
        return [info for info in reversed(catalogue) if info.as_of < current.as_of]

    def _chosen(self, as_of: date | None) -> tuple[list[SnapshotInfo], SnapshotInfo] | None:
        """The stored snapshots and the one of ``as_of`` (the newest when None or unknown); None
        when the store holds none yet."""
        catalogue = self.snapshots()
        if not catalogue:
            return None
        return catalogue, next((i for i in catalogue if i.as_of == as_of), catalogue[-1])

    def agenda(self, as_of: date | None = None, since: date | None = None) -> AgendaView | None:
        """The agenda of the snapshot ``as_of`` (the newest when None or unknown) against the
        stored snapshot ``since`` (the one before ``as_of`` when None or not an earlier stored
        snapshot; None when there is none), or None when the store holds no snapshot yet.

        Computed once per pair of stored snapshots, kept with the analysed snapshots (in their
        memory budget, least recently used first), and computed one at a time with them: a
        request for a kept view or agenda never waits for it. The snapshot T it loads also
        gives T's analysed view, when that is not kept yet.

        Raises
        ------
        StoreError
            When the store cannot be read (see :meth:`snapshots`).
        """
        chosen = self._chosen(as_of)
        if chosen is None:
            return None
        catalogue, current = chosen
        before = [info for info in catalogue if info.as_of < current.as_of]
        earlier = next((i for i in before if i.as_of == since), before[-1] if before else None)
        key = _AgendaKey(_key(current), _key(earlier) if earlier else None)
        loaded: dict[str, Snapshot] = {}
        entry = self._kept(key, lambda: self._build_agenda(current, earlier, loaded))
        if "current" in loaded:
            # the snapshot T was loaded for the agenda: its view costs no second load
            self._view(current, loaded.pop("current"))
        return entry

    def _build_agenda(
        self, current: SnapshotInfo, earlier: SnapshotInfo | None, loaded: dict[str, Snapshot]
    ) -> AgendaView:
        with self._lock:  # S analysed already: its gaps and circles need no second load
            kept = self._views.get(_key(earlier)) if earlier else None
        with self._analysing, open_store(self.store, database=self.database) as source:
            now = source.load(current.as_of)
            if kept is not None:
                before = analysed_gaps(kept.analysis)
            else:
                before = source.load(earlier.as_of) if earlier else None
            agenda = build_agenda(now, before)
        with self._lock:
            if _key(current) not in self._views and _key(current) not in self._building:
                loaded["current"] = now
        return AgendaView(current.as_of, earlier.as_of if earlier else None, agenda)

    def _view(self, info: SnapshotInfo, snapshot: Snapshot | None = None) -> SnapshotView:
        """The view of ``info``: kept, or being analysed by another request (then wait for that
        one), or analysed here (from ``snapshot`` when given, else loaded)."""
        return self._kept(_key(info), lambda: self._build_view(info, snapshot))

    def _build_view(self, info: SnapshotInfo, snapshot: Snapshot | None) -> SnapshotView:
        with self._analysing:
            if snapshot is None:
                with open_store(self.store, database=self.database) as source:
                    snapshot = source.load(info.as_of)
            view = build_view(info, snapshot)
        with self._lock:
            self._analysed.add(_key(info))
        return view

    def _kept(self, key, build: Callable[[], object]):
        """What is kept under ``key``: kept already, or being built by another request (then wait
        for that one), or built here by ``build`` and kept."""
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
            future = self._building.get(key)
            if future is None:
                future = self._building[key] = Future()
                mine = True
            else:
                mine = False
        if not mine:
            return future.result()
        try:
            value = build()
        except BaseException as error:
            with self._lock:
                del self._building[key]
            future.set_exception(error)
            raise
        with self._lock:
            self._views[key] = value
            del self._building[key]
            self._evict()
        future.set_result(value)
        return value

    def _evict(self) -> None:
        """Drop the least recently used views and agendas while all of them together exceed the
        budget, but keep the last one (called with the lock held)."""
        total = sum(_kept_bytes(kept) for kept in self._views.values())
        while total > self.cache_bytes and len(self._views) > 1:
            _, dropped = self._views.popitem(last=False)
            total -= _kept_bytes(dropped)

    def _forget_all_but(self, keys: set[tuple]) -> None:
        """Drop what is kept of snapshots no longer stored (replaced by a new ingest of their date)."""
        with self._lock:
            for kept in (self._views, self._reports):
                for key in [key for key in kept if not _stored(key, keys)]:
                    del kept[key]
            self._analysed &= keys
            self._warmed_agendas = {key for key in self._warmed_agendas if key.stored(keys)}
        self._evaluations.forget_all_but(keys)

    def warm(self, stop: threading.Event | None = None) -> None:
        """Analyse ahead of any visitor the newest snapshot (again, if it was evicted) and, once,
        its agenda against the snapshot before, then the other snapshots that were never
        analysed, newest first, as long as the views of all these fit the budget together;
        when ``stop`` is set, no further analysis is started.

        At 60,000 residents an analysis takes seconds. A request for a snapshot being analysed
        waits for that analysis and then finds it cached; requests for other, cached snapshots
        do not wait. A snapshot analysed once and evicted since is left to the visitors (else
        warming and visitors would evict each other's views in turn). A store that cannot be
        read is only logged here (once): the pages say what is wrong.
        """
        try:
            catalogue = self.snapshots()
            planned = 0
            for info in reversed(catalogue):
                if stop is not None and stop.is_set():
                    return
                planned += view_bytes(info)
                if info is not catalogue[-1] and planned > self.cache_bytes:
                    break
                with self._lock:
                    analysed = _key(info) in self._analysed
                if info is catalogue[-1] or not analysed:
                    self._view(info)
                if info is catalogue[-1] and not (stop is not None and stop.is_set()):
                    self._warm_agenda(catalogue)
        except CarecircleError as error:
            # the store's own trouble is logged by snapshots(); a failure is logged once, not every round
            if self._changed("_warm_failure", str(error)) and str(error) != self._trouble:
                log.warning("could not analyse the stored snapshots in advance: %s", error)
        else:
            self._changed("_warm_failure", None)

    def _warm_agenda(self, catalogue: list[SnapshotInfo]) -> None:
        """The agenda of the newest snapshot against the one before, once (the agenda page's and
        the resident page's default)."""
        key = _AgendaKey(_key(catalogue[-1]), _key(catalogue[-2]) if len(catalogue) > 1 else None)
        with self._lock:
            done = key in self._warmed_agendas
            self._warmed_agendas.add(key)
        if not done:
            self.agenda(catalogue[-1].as_of)

    def keep_warm(self, stop: threading.Event, every: float = 30.0) -> None:
        """:meth:`warm` now and then every ``every`` seconds until ``stop`` is set: a snapshot
        ingested while the server runs is analysed before the next visitor asks for it.

        ``serve`` runs this in a background thread. Between ingests each round only reads the
        list of snapshots.
        """
        self.warm(stop)
        while not stop.wait(every):
            self.warm(stop)

    def report(self, as_of: date | None = None) -> dict | None:
        """The ingest report stored with a snapshot, bounded (see :func:`bounded_report`), or
        None when the store holds no snapshot yet. Read and bounded once per snapshot.

        Raises
        ------
        StoreError
            When the store cannot be read (see :meth:`snapshots`).
        """
        chosen = self._chosen(as_of)
        if chosen is None:
            return None
        info = chosen[1]
        key = _key(info)
        with self._lock:
            kept = self._reports.get(key)
        if kept is None:
            with open_store(self.store, database=self.database) as source:
                kept = bounded_report(source.report(info.as_of))
            with self._lock:
                self._reports[key] = kept
        return kept

    # --- the evaluation over time of SPEC §11, for the trends page ---------------------------------

    def evaluation(
        self, pilot: str, first: date | None = None, last: date | None = None, role: str = "policy"
    ) -> PilotEvaluation | None:
        """The evaluation of SPEC §11 of ``pilot`` over the stored snapshots from ``first`` to
        ``last`` (both included; None: from the first, to the last stored), as ``role`` may see it
        (anything but ``team`` sees what policy sees); None when no stored snapshot is in that range.

        Computed once per stored snapshots, pilot, role and k and kept (the last
        :data:`~dashboards.evaluations.EVALUATIONS_KEPT`) until a snapshot it rests on is replaced;
        the bootstrap runs one at a time with the analyses.

        Raises
        ------
        StoreError
            When the store cannot be read (see :meth:`snapshots`).
        """
        role = "team" if role == "team" else "policy"
        chosen = [info for info in self.snapshots() if within(info.as_of, first, last)]
        if not chosen:
            return None
        key = EvaluationKey(tuple(_key(info) for info in chosen), pilot, role, self.k)
        return self._evaluations.get(key, lambda: self._evaluate(chosen, pilot, role))

    def cached_evaluations(self) -> list[EvaluationKey]:
        """The keys of the evaluations kept now, least recently used first."""
        return self._evaluations.keys()

    def _evaluate(self, chosen: list[SnapshotInfo], pilot: str, role: str) -> PilotEvaluation:
        views = [self._view(info) for info in chosen]
        publications = [view.publication(self.k) for view in views] if role == "policy" else None
        with self._analysing:
            evaluation = evaluate(
                [view.analysis for view in views], pilot, role=role, k=self.k, publications=publications
            )
        return PilotEvaluation(
            evaluation,
            dict(views[-1].analysis.organisation_names),
            tuple(view.as_of for view in views),
            tuple(view.as_of for view in views if pilot in view.neighbourhoods),
        )

    # --- end of the evaluation ---------------------------------------------------------------------

    def _changed(self, attribute: str, text: str | None) -> bool:
        """Set ``attribute`` (what was last logged) to ``text``; whether that changed it."""
        with self._lock:
            changed = getattr(self, attribute) != text
            setattr(self, attribute, text)
        return changed


def _stored(key, keys: set[tuple]) -> bool:
    """Whether what is kept under ``key`` (a view's or an agenda's) belongs to the stored ``keys``."""
    return key.stored(keys) if isinstance(key, _AgendaKey) else key in keys


def _kept_bytes(kept: "SnapshotView | AgendaView") -> int:
    """The estimated memory of a kept view or agenda."""
    return kept.estimated_bytes if isinstance(kept, AgendaView) else view_bytes(kept.info)


def _key(info: SnapshotInfo) -> tuple[date, str]:
    """What identifies a stored snapshot: a new ingest of the same date has a new ingest time."""
    return (info.as_of, info.ingested_at)
