"""What the dashboard reads: stored snapshots, analysed once and cached per snapshot.

Pages never parse a dataset or talk to a database driver: they ask a :class:`DataSource`,
which opens the store for each request, and reuses the analysis of a snapshot for as long
as that snapshot is unchanged (same date, same ingest time). A new ingest therefore shows
on the next page load, without a restart.
"""

import logging
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date

from carecircle.collector import without_cycle_collection
from graph.analysis import Analysis, Gap, analyse
from graph.analysis.disclosure import Publication, publish
from graph.analysis.report import team_summary
from graph.model import Snapshot
from graph.stores import SnapshotInfo, open_store

__all__ = ["DataSource", "SnapshotView", "TrendPoint"]

log = logging.getLogger("carecircle.dashboard")


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
    _publications: dict[int, Publication] = field(default_factory=dict, repr=False)

    @property
    def as_of(self) -> date:
        """The snapshot date."""
        return self.info.as_of

    @property
    def neighbourhoods(self) -> list[str]:
        """Neighbourhood names, sorted."""
        return [area["neighbourhood"] for area in self.analysis.neighbourhoods]

    def publication(self, k: int) -> Publication:
        """Every policy figure of the snapshot, protected together (computed once per k)."""
        if k not in self._publications:
            self._publications[k] = publish(self.analysis, k)
        return self._publications[k]

    def summary(self, neighbourhood: str | None, role: str, k: int) -> dict:
        """The SPEC §5 summary of one neighbourhood (or overall for None) as ``role`` may see it."""
        if neighbourhood is not None and neighbourhood not in self.neighbourhoods:
            raise KeyError(neighbourhood)
        if role == "policy":
            return self.publication(k).summaries[neighbourhood]
        if neighbourhood is None:
            return team_summary(self.analysis.overall)
        return team_summary(
            next(a for a in self.analysis.neighbourhoods if a["neighbourhood"] == neighbourhood)
        )

    def resident_rows(self, neighbourhood: str | None = None) -> list[dict]:
        """The per-resident metric rows, of one neighbourhood or all."""
        return [
            row
            for row in self.analysis.residents
            if neighbourhood is None or row["neighbourhood"] == neighbourhood
        ]

    def organisation_name(self, organisation_id: str | None) -> str | None:
        """An organisation's name, or its id when it has none."""
        if organisation_id is None:
            return None
        return self.organisations.get(organisation_id) or organisation_id


@dataclass(frozen=True)
class TrendPoint:
    """The summaries of one snapshot that the trends page draws: per neighbourhood and overall,
    and what of them the policy role may see."""

    as_of: date
    neighbourhoods: dict[str, dict]
    overall: dict
    publication: Publication | None = None


def build_view(info: SnapshotInfo, snapshot: Snapshot) -> SnapshotView:
    """Analyse ``snapshot`` and index it per resident."""
    with without_cycle_collection():
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
    return view


class DataSource:
    """The store behind a dashboard, with analysed snapshots cached per (date, ingest time).

    Parameters
    ----------
    store : str
        A store URI as ``carecircle serve --store`` takes it.
    database : str, optional
        The Neo4j database, for a server store.
    k : int
        The small-cell threshold of the policy role.
    cache_size : int
        How many analysed snapshots to keep in memory.
    """

    def __init__(self, store: str, *, database: str | None = None, k: int = 5, cache_size: int = 2) -> None:
        self.store = store
        self.database = database
        self.k = k
        self._cache_size = cache_size
        self._views: OrderedDict[tuple, SnapshotView] = OrderedDict()
        self._trends: dict[tuple, TrendPoint] = {}
        self._lock = threading.Lock()

    def catalogue(self) -> list[SnapshotInfo]:
        """The stored snapshots, oldest first; empty when there is no store yet."""
        from carecircle.errors import StoreError

        try:
            with open_store(self.store, database=self.database) as source:
                return source.snapshots()
        except StoreError:
            return []

    def view(self, as_of: date | None = None) -> SnapshotView | None:
        """The analysed snapshot of ``as_of`` (the newest when None or unknown), or None."""
        catalogue = self.catalogue()
        if not catalogue:
            return None
        info = next((i for i in catalogue if i.as_of == as_of), catalogue[-1])
        key = (info.as_of, info.ingested_at)
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
            with open_store(self.store, database=self.database) as source:
                view = build_view(info, source.load(info.as_of))
            self._views[key] = view
            while len(self._views) > self._cache_size:
                self._views.popitem(last=False)
            self._trends[key] = _trend_point(view, self.k)
            return view

    def warm(self) -> None:
        """Analyse the newest snapshot now (unless it is cached), so that no visitor waits for it.

        At 60,000 residents the analysis takes seconds. A request that comes during it waits
        for it and then finds it cached. A store that cannot be read is only logged here: the
        pages say what is wrong.
        """
        from carecircle.errors import CarecircleError

        try:
            self.view()
        except CarecircleError as error:
            log.warning("could not analyse the newest snapshot in advance: %s", error)

    def keep_warm(self, stop: threading.Event, every: float = 30.0) -> None:
        """:meth:`warm` now and then every ``every`` seconds until ``stop`` is set: a snapshot
        ingested while the server runs is analysed before the next visitor asks for it.

        ``serve`` runs this in a background thread. Between ingests each round only reads the
        list of snapshots.
        """
        self.warm()
        while not stop.wait(every):
            self.warm()

    def report(self, as_of: date | None = None) -> dict | None:
        """The ingest report stored with a snapshot, or None without a store."""
        catalogue = self.catalogue()
        if not catalogue:
            return None
        info = next((i for i in catalogue if i.as_of == as_of), catalogue[-1])
        with open_store(self.store, database=self.database) as source:
            return source.report(info.as_of)

    def trends(self) -> list[TrendPoint]:
        """One :class:`TrendPoint` per stored snapshot, oldest first (analysing what is not cached)."""
        points = []
        for info in self.catalogue():
            key = (info.as_of, info.ingested_at)
            point = self._trends.get(key)
            if point is None:
                point = _trend_point(self.view(info.as_of), self.k)
            points.append(point)
        return points


def _trend_point(view: SnapshotView, k: int) -> TrendPoint:
    analysis = view.analysis
    return TrendPoint(
        view.as_of,
        {area["neighbourhood"]: area for area in analysis.neighbourhoods},
        analysis.overall,
        view.publication(k),
    )
