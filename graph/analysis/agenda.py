"""The team's agenda: what changed since an earlier snapshot, and what to do next (SPEC §10).

:func:`build_agenda` compares the gaps of a snapshot T with those of an earlier snapshot S (new,
persisting, resolved; by gap identity), ranks the residents, and recommends for each the
introduction that closes the most (:mod:`graph.analysis.introductions`) and who should hold the
overview (:mod:`graph.analysis.overview`); it lists which organisations of a neighbourhood
should meet (:mod:`graph.analysis.meetings`). :func:`graph.analysis.agenda_words.agenda_json`
words it. Everything here is resident level: for the team role only.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import attrgetter

from graph.analysis.circles import CircleTables, circle_tables
from graph.analysis.gaps import (
    SEVERITY,
    SORT_KEY,
    Gap,
    active_hours,
    caregiver_overload,
    caregiver_rows,
    circle_gaps,
)
from graph.analysis.introductions import Introduction, contact_intervals, introductions
from graph.analysis.meetings import Meeting, meetings
from graph.analysis.overview import OverviewHolder, overview_holders
from graph.analysis.report import Analysis
from graph.model import Snapshot

__all__ = [
    "AGENDA_SCHEMA",
    "Agenda",
    "AgendaItem",
    "CircleChange",
    "EarlierGaps",
    "analysed_gaps",
    "build_agenda",
    "earlier_gaps",
    "gap_identity",
    "snapshot_gaps",
]

AGENDA_SCHEMA = "carecircle.agenda/1"


def gap_identity(gap: Gap) -> tuple:
    """What makes two gaps of two snapshots the same gap: (resident_id, type, helpers, domains)."""
    return (gap.resident_id, gap.type, gap.helpers, gap.domains)


@dataclass(frozen=True)
class CircleChange:
    """The helpers who joined or left a resident's circle since the earlier snapshot (sorted ids)."""

    joined: tuple[str, ...]
    left: tuple[str, ...]


@dataclass
class AgendaItem:
    """One resident on the agenda."""

    rank: int
    resident_id: str
    neighbourhood: str
    #: the resident's gaps in T, sorted as the analysis sorts them
    gaps: list[Gap]
    #: per gap: "new", "persisting", or None without an earlier snapshot
    statuses: list[str | None]
    #: the gaps of S whose identity no longer occurs in T, sorted
    resolved: list[Gap]
    introduction: Introduction | None = None
    overview_holder: OverviewHolder | None = None
    #: None without an earlier snapshot
    circle: CircleChange | None = None

    @property
    def counts(self) -> dict[str, int]:
        """Gaps by severity, new gaps and resolved gaps."""
        severities = [SEVERITY[gap.type] for gap in self.gaps]
        return {
            "high": severities.count("high"),
            "medium": severities.count("medium"),
            "low": severities.count("low"),
            "new": self.statuses.count("new"),
            "resolved": len(self.resolved),
        }

    def rank_key(self) -> tuple:
        """Smaller ranks first: new high gaps, high gaps, new medium gaps, medium gaps, low gaps
        (all descending), then resident_id."""
        return _rank_key(self.resident_id, self.gaps, self.statuses)


@dataclass
class Agenda:
    """The agenda of snapshot T (``as_of``) against S (``since``, None without one)."""

    as_of: date
    since: date | None
    neighbourhood: str | None
    items: list[AgendaItem]
    meetings: list[Meeting]
    #: helper id -> (role, name or None): how messages name helpers
    helpers: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: organisation id -> name, where the organisations table has one
    organisations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EarlierGaps:
    """What the agenda needs of the earlier snapshot S: its date, each resident's gaps as
    (type, helpers, domains) in the analysis's order, and each resident's circle (helper ids).
    Plain values, so that another process can hand them over quickly (0.1 s at 60,000 residents)."""

    as_of: date
    gaps: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]]
    circles: dict[str, set[str]]


def earlier_gaps(snapshot: Snapshot) -> EarlierGaps:
    """The :class:`EarlierGaps` of ``snapshot``, to compare a later snapshot with."""
    tables, gaps = snapshot_gaps(snapshot)
    return _earlier(snapshot.as_of, gaps, _circles(tables))


def analysed_gaps(analysis: Analysis) -> EarlierGaps:
    """The :class:`EarlierGaps` of a snapshot analysed whole (:func:`~graph.analysis.analyse`, which
    keeps its circles), without reading or analysing it again (the dashboard keeps such analyses)."""
    circles = {resident: set(members) for resident, members in analysis.circles.circle.items()}
    return _earlier(analysis.as_of, analysis.gaps, circles)


def _earlier(as_of: date, gaps: list[Gap], circles: dict[str, set[str]]) -> EarlierGaps:
    by_resident = {resident: [_within(gap) for gap in own] for resident, own in _by_resident(gaps).items()}
    return EarlierGaps(as_of, by_resident, circles)


def snapshot_gaps(snapshot: Snapshot) -> tuple[CircleTables, list[Gap]]:
    """The tables of a snapshot at its date and every gap of SPEC §5, as :func:`~graph.analysis.analyse`
    finds them (caregiver_overload over the hours of all residents), sorted."""
    tables = circle_tables(snapshot)
    gaps = circle_gaps(tables) + caregiver_overload(caregiver_rows(tables), active_hours(tables))
    return tables, sorted(gaps, key=SORT_KEY)


def build_agenda(
    current: Snapshot,
    earlier: Snapshot | EarlierGaps | Callable[[], EarlierGaps] | None,
    *,
    neighbourhood: str | None = None,
    top: int | None = None,
) -> Agenda:
    """The agenda of ``current`` (T) against ``earlier`` (S; None: no earlier snapshot).

    Parameters
    ----------
    earlier : Snapshot, EarlierGaps or callable, optional
        S itself, its :func:`earlier_gaps`, or a function that gives them when they are needed
        (after T's gaps: a command works them out in another process meanwhile).
    neighbourhood : str, optional
        Keep only this neighbourhood's residents and meetings (an unknown name keeps none).
    top : int, optional
        Keep the first ``top`` residents of the ranking (meetings are not cut).
    """
    tables, gaps = snapshot_gaps(current)
    by_resident = _by_resident(gaps)
    # what T alone decides is worked out before S is asked for (a command works S out meanwhile);
    # with ``top`` only the residents kept get advice, so that waits for the ranking
    advice = (
        None if top is not None else _advice(current, tables, _in_area(tables, by_resident, neighbourhood))
    )
    circles, found = _circles(tables), meetings(tables, neighbourhood)
    if isinstance(earlier, Snapshot):
        earlier = earlier_gaps(earlier)
    elif callable(earlier):
        earlier = earlier()
    before = earlier.gaps if earlier is not None else {}
    items = _ranked_items(tables, by_resident, before, earlier is not None, neighbourhood)
    if top is not None:
        items = items[: max(top, 0)]
        advice = _advice(current, tables, {item.resident_id: item.gaps for item in items if item.gaps})
    _recommend(items, *advice)
    if earlier is not None:
        _circle_changes(items, circles, earlier.circles)
    return Agenda(
        as_of=current.as_of,
        since=earlier.as_of if earlier is not None else None,
        neighbourhood=neighbourhood,
        items=items,
        meetings=found,
        helpers=_helper_words(current),
        organisations=_organisation_names(current),
    )


def _in_area(tables: CircleTables, by_resident: dict[str, list[Gap]], neighbourhood: str | None) -> dict:
    """The gaps of the residents of ``neighbourhood`` (all residents for None)."""
    if neighbourhood is None:
        return by_resident
    inside = set(tables.residents.id[tables.residents.neighbourhood == neighbourhood].tolist())
    return {resident: gaps for resident, gaps in by_resident.items() if resident in inside}


def _by_resident(gaps: list[Gap]) -> dict[str, list[Gap]]:
    """Resident id -> its gaps (``gaps`` sorted by resident)."""
    return {resident: list(own) for resident, own in groupby(gaps, key=attrgetter("resident_id"))}


def _ranked_items(
    tables: CircleTables,
    now: dict[str, list[Gap]],
    before: dict[str, list[tuple]],
    compared: bool,
    neighbourhood: str | None,
) -> list[AgendaItem]:
    """The residents of T with a gap in T or a resolved gap, ranked.

    A gap's identity holds its resident, so gaps are compared within each resident only.
    """
    items = []
    for resident, area in zip(
        tables.residents.id.tolist(), tables.residents.neighbourhood.tolist(), strict=True
    ):
        if neighbourhood is not None and area != neighbourhood:
            continue
        gaps, earlier = now.get(resident, []), before.get(resident, [])
        if not gaps and not earlier:
            continue
        if compared:
            kept = set(earlier)
            statuses = ["persisting" if _within(gap) in kept else "new" for gap in gaps]
            present = {_within(gap) for gap in gaps}
            resolved = [
                Gap(kind, resident, helpers, domains)
                for kind, helpers, domains in earlier
                if (kind, helpers, domains) not in present
            ]
        else:
            statuses, resolved = [None] * len(gaps), []
        if gaps or resolved:
            items.append(AgendaItem(0, resident, area, gaps, statuses, resolved))
    items.sort(key=AgendaItem.rank_key)
    for rank, item in enumerate(items, start=1):
        item.rank = rank
    return items


def _within(gap: Gap) -> tuple:
    """A gap's identity among its resident's gaps: (type, helpers, domains)."""
    return (gap.type, gap.helpers, gap.domains)


def _rank_key(resident: str, gaps: Sequence[Gap], statuses: Sequence[str | None]) -> tuple:
    severities = [SEVERITY[gap.type] for gap in gaps]
    new = [severity for severity, status in zip(severities, statuses, strict=True) if status == "new"]
    return (
        -new.count("high"),
        -severities.count("high"),
        -new.count("medium"),
        -severities.count("medium"),
        -severities.count("low"),
        resident,
    )


def _advice(current: Snapshot, tables: CircleTables, gaps: dict[str, list[Gap]]) -> tuple[dict, dict]:
    """For the residents with ``gaps`` (resident id -> its gaps in T): the introduction that closes
    the most, and (where nobody holds the overview) who should hold it."""
    chosen = introductions(tables, gaps, contact_intervals(current.awareness))
    lacking = [resident for resident, own in gaps.items() if any(gap.type == "no_overview" for gap in own)]
    return chosen, overview_holders(tables, lacking)


def _recommend(items: list[AgendaItem], chosen: dict, holders: dict) -> None:
    """Add each item's introduction and overview holder."""
    for item in items:
        item.introduction = chosen.get(item.resident_id)
        item.overview_holder = holders.get(item.resident_id)


def _circles(tables: CircleTables) -> dict[str, set[str]]:
    """Resident id -> the helper ids of Circle(R)."""
    members = tables.members
    circles: dict[str, set[str]] = defaultdict(set)
    for resident, helper in zip(
        tables.residents.id[members.resident].tolist(),
        tables.helpers.id[members.helper].tolist(),
        strict=True,
    ):
        circles[resident].add(helper)
    return circles


def _circle_changes(items: list[AgendaItem], now: dict[str, set[str]], before: dict[str, set[str]]) -> None:
    for item in items:
        current, earlier = now.get(item.resident_id, set()), before.get(item.resident_id, set())
        item.circle = CircleChange(tuple(sorted(current - earlier)), tuple(sorted(earlier - current)))


def _helper_words(snapshot: Snapshot) -> dict[str, tuple[str, str | None]]:
    helpers = snapshot.helpers
    return {
        helper: (role, name if isinstance(name, str) and name else None)
        for helper, role, name in zip(
            helpers["helper_id"].tolist(), helpers["role"].tolist(), helpers["name"].tolist(), strict=True
        )
    }


def _organisation_names(snapshot: Snapshot) -> dict[str, str]:
    organisations = snapshot.organisations
    return {
        organisation: name
        for organisation, name in zip(
            organisations["organisation_id"].tolist(), organisations["name"].tolist(), strict=True
        )
        if isinstance(name, str) and name
    }
