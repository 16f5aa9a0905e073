"""Circles of support at a snapshot date: who is active for whom, and who knows whom (SPEC §5)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from graph.model import Snapshot

__all__ = ["Circles", "HelperInfo", "build_circles", "is_active"]

KNOWING_LEVELS = ("aware", "coordinating")


def is_active(start: date | None, end: date | None, as_of: date) -> bool:
    """Whether a support period is active on ``as_of``: started (or no start) and not ended.

    Examples
    --------
    >>> T = date(2017, 6, 1)
    >>> is_active(T, None, T), is_active(None, date(2017, 5, 31), T)
    (True, False)
    """
    return (start is None or start <= as_of) and (end is None or end >= as_of)


@dataclass(frozen=True)
class HelperInfo:
    """What the analysis needs of a helper."""

    helper_id: str
    role: str
    kind: str
    organisation_id: str | None


@dataclass
class Circles:
    """Everything SPEC §5 needs, indexed per resident, built once in linear time."""

    as_of: date
    helpers: dict[str, HelperInfo]
    #: resident id -> (neighbourhood, needs), in resident-id order
    residents: dict[str, tuple[str, tuple[str, ...]]]
    #: resident id -> sorted helper ids with an active support row
    circle: dict[str, list[str]] = field(default_factory=dict)
    #: (resident, helper) -> domains of the helper's active rows for the resident
    domains: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    #: resident id -> [(performer, delegator)] of active delegated rows
    delegations: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: resident id -> ordered pairs (A, B) in Circle(R) with knows(A, B, R)
    knows: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: resident id -> ordered pairs with coordinating(A, B, R)
    coordinating: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: resident id -> {unordered pair: [(last_contact, contact_every_days)]} of coordinating rows
    contacts: dict[str, dict[tuple[str, str], list[tuple]]] = field(default_factory=dict)
    #: helper id -> active hours per week summed over all residents
    hours: dict[str, float] = field(default_factory=dict)

    def members(self, resident: str) -> list[str]:
        """Circle(R), sorted."""
        return self.circle.get(resident, [])

    def knows_pair(self, resident: str, a: str, b: str) -> bool:
        """knows(a, b, resident)."""
        return (a, b) in self.knows.get(resident, ())

    def coordinating_pair(self, resident: str, a: str, b: str) -> bool:
        """coordinating(a, b, resident)."""
        return (a, b) in self.coordinating.get(resident, ())


def build_circles(snapshot: Snapshot, as_of: date | None = None) -> Circles:
    """Index ``snapshot`` at ``as_of`` (default: the snapshot's own date).

    Awareness rows about helpers outside Circle(R) are left out, as SPEC §5 says.
    """
    as_of = as_of or snapshot.as_of
    helpers = {
        helper: HelperInfo(helper, role, kind, organisation)
        for helper, role, kind, organisation in _columns(
            snapshot.helpers, ("helper_id", "role", "kind", "organisation_id")
        )
    }
    residents = {
        resident: (area, tuple(needs) if needs else ())
        for resident, area, needs in sorted(
            _columns(snapshot.residents, ("resident_id", "neighbourhood", "needs"))
        )
    }
    circles = Circles(as_of, helpers, residents)
    members: dict[str, set[str]] = defaultdict(set)
    hours: dict[str, float] = defaultdict(float)
    domains, delegations = circles.domains, circles.delegations
    support = _columns(
        snapshot.support,
        ("helper_id", "resident_id", "domains", "hours_per_week", "start_date", "end_date", "delegated_by"),
    )
    for helper, resident, row_domains, hours_per_week, start, end, delegator in support:
        if (start is not None and start > as_of) or (end is not None and end < as_of):
            continue  # not active on the snapshot date
        members[resident].add(helper)
        key = (resident, helper)
        if key in domains:
            domains[key].update(row_domains or ())
        else:
            domains[key] = set(row_domains or ())
        if hours_per_week:
            hours[helper] += hours_per_week
        if delegator is not None:
            delegations.setdefault(resident, set()).add((helper, delegator))
    circles.circle = {resident: sorted(helper_ids) for resident, helper_ids in members.items()}
    circles.hours = dict(hours)
    awareness = _columns(
        snapshot.awareness,
        ("helper_id", "about_helper_id", "resident_id", "level", "last_contact", "contact_every_days"),
    )
    knows, coordinating, contacts = circles.knows, circles.coordinating, circles.contacts
    for helper, about, resident, level, last_contact, every in awareness:
        if level not in KNOWING_LEVELS:
            continue
        circle = members.get(resident)
        if not circle or helper not in circle or about not in circle:
            continue
        knows.setdefault(resident, set()).add((helper, about))
        if level == "coordinating":
            coordinating.setdefault(resident, set()).add((helper, about))
            pair = (helper, about) if helper < about else (about, helper)
            contacts.setdefault(resident, {}).setdefault(pair, []).append((last_contact, every))
    return circles


def _columns(frame, columns: tuple[str, ...]):
    """The rows of some columns as tuples (much faster than ``itertuples`` on object columns)."""
    return zip(*(frame[column].tolist() for column in columns), strict=True)
