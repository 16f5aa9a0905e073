"""Coordination gaps, exactly as SPEC §5 defines them."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from graph.analysis.circles import Circles
from graph.analysis.messages import gap_text

__all__ = [
    "GAP_TYPES",
    "SEVERITY",
    "Gap",
    "caregivers_in_circles",
    "circle_gaps",
    "find_gaps",
    "gap_counts",
    "overload_gaps",
]

SEVERITY = {
    "unaware_pair": "medium",
    "one_sided_awareness": "low",
    "caregiver_unseen": "high",
    "no_overview": "medium",
    "uncoordinated_overlap": "high",
    "unmet_need": "high",
    "stale_contact": "medium",
    "delegation_without_contact": "high",
    "caregiver_overload": "medium",
}
GAP_TYPES = tuple(SEVERITY)
#: SCP: informal care of more than 8 hours a week is intensive
OVERLOAD_HOURS = 8.0


@dataclass(frozen=True, slots=True)
class Gap:
    """One coordination gap of one resident."""

    type: str
    resident_id: str
    helpers: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    #: what the message needs: roles of the helpers in message order, and type-specific details
    named: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    details: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    @property
    def severity(self) -> str:
        """low, medium or high."""
        return SEVERITY[self.type]

    def sort_key(self) -> tuple:
        """Gaps sort by resident, type, helpers (then domains)."""
        return (self.resident_id, self.type, self.helpers, self.domains)

    def text(self, lang: str = "en", names: Mapping[str, str] | None = None) -> tuple[str, str]:
        """(message, suggested action) in ``lang``; ``names`` shows helpers by name instead of id."""
        named = [(role, (names or {}).get(helper) or helper) for role, helper in self.named]
        return gap_text(self.type, lang, named, domains=self.domains, **dict(self.details))


def find_gaps(circles: Circles) -> list[Gap]:
    """Return every gap of every resident, sorted by resident, type and helpers.

    The work is linear in the number of residents: each resident's circle is examined on
    its own (pairs within one circle only); caregiver hours are summed once beforehand.
    """
    gaps = circle_gaps(circles) + overload_gaps(caregivers_in_circles(circles), circles.hours)
    return sorted(gaps, key=Gap.sort_key)


def circle_gaps(circles: Circles) -> list[Gap]:
    """Every gap that depends only on a resident's own circle: all types but caregiver_overload."""
    gaps: list[Gap] = []
    for resident in circles.residents:
        gaps.extend(_resident_gaps(circles, resident))
    return gaps


def caregivers_in_circles(circles: Circles) -> list[tuple[str, str, str]]:
    """(resident, caregiver, role) for every caregiver in a circle."""
    return [
        (resident, helper, circles.helpers[helper].role)
        for resident, members in circles.circle.items()
        for helper in members
        if circles.helpers[helper].kind == "caregiver"
    ]


def overload_gaps(caregivers: Iterable[tuple[str, str, str]], hours: Mapping[str, float]) -> list[Gap]:
    """caregiver_overload for each (resident, caregiver, role) whose caregiver gives more than 8
    active hours a week over all residents (``hours``: helper id -> active hours, summed)."""
    return [
        Gap(
            "caregiver_overload",
            resident,
            (caregiver,),
            named=((role, caregiver),),
            details=(("hours", round(hours[caregiver], 1)),),
        )
        for resident, caregiver, role in caregivers
        if hours.get(caregiver, 0.0) > OVERLOAD_HOURS
    ]


def _resident_gaps(circles: Circles, resident: str) -> list[Gap]:
    members = circles.members(resident)
    helpers = circles.helpers
    role = {h: helpers[h].role for h in members}
    found: list[Gap] = []

    def gap(gap_type: str, ids=(), domains=(), named=None, **details) -> None:
        named_ids = named if named is not None else ids
        found.append(
            Gap(
                gap_type,
                resident,
                tuple(sorted(ids)),
                tuple(sorted(domains)),
                tuple((role.get(h, helpers[h].role if h in helpers else ""), h) for h in named_ids),
                tuple(sorted(details.items())),
            )
        )

    knows = circles.knows.get(resident, set())
    coordinating = circles.coordinating.get(resident, set())
    domains = circles.domains
    # members are sorted, so each pair (a, b) comes with a < b: no sorting per gap
    for a, b in combinations(members, 2):
        ab, ba = (a, b) in knows, (b, a) in knows
        pair = ((role[a], a), (role[b], b))
        if not ab and not ba:
            found.append(Gap("unaware_pair", resident, (a, b), (), pair))
        elif ab != ba:
            found.append(Gap("one_sided_awareness", resident, (a, b), (), pair if ab else pair[::-1]))
        shared = domains[resident, a] & domains[resident, b]
        coordinated = (a, b) in coordinating or (b, a) in coordinating
        if shared and not coordinated and not _same_organisation(circles, a, b):
            found.append(Gap("uncoordinated_overlap", resident, (a, b), tuple(sorted(shared)), pair))
    formal = [h for h in members if helpers[h].kind == "formal"]
    for caregiver in (h for h in members if helpers[h].kind == "caregiver"):
        if formal and not any((f, caregiver) in knows for f in formal):
            gap("caregiver_unseen", (caregiver,))
    if len(members) >= 3 and not any(
        all((h, other) in knows for other in members if other != h) for h in members
    ):
        gap("no_overview", n=len(members))
    _need, covered = circles.residents[resident][1], set()
    for h in members:
        covered |= circles.domains[resident, h]
    for need in _need:
        if need not in covered:
            gap("unmet_need", domains=(need,))
    stale = {}
    for pair, rows in sorted(circles.contacts.get(resident, {}).items()):
        state = _staleness(rows, circles.as_of)
        if state is not None:
            stale[pair] = state
            if state[0]:
                gap("stale_contact", pair, k=state[1], days_since=state[2])
    for performer, delegator in sorted(circles.delegations.get(resident, ())):
        reason = _delegation_problem(circles, resident, performer, delegator, stale)
        if reason:
            gap(
                "delegation_without_contact",
                (performer, delegator),
                named=(performer, delegator),
                reason=reason,
            )
    return found


def _same_organisation(circles: Circles, a: str, b: str) -> bool:
    organisation = circles.helpers[a].organisation_id
    return organisation is not None and organisation == circles.helpers[b].organisation_id


def _staleness(rows: list[tuple], as_of) -> tuple[bool, int, int | None] | None:
    """(stale, k, days since last contact) for a pair's coordinating rows; None without an interval."""
    intervals = [every for _, every in rows if every is not None]
    if not intervals:
        return None
    k = min(intervals)
    contacts = [last for last, _ in rows if last is not None]
    if not contacts:
        return True, k, None
    days = (as_of - max(contacts)).days
    return days > 2 * k, k, days


def _delegation_problem(circles: Circles, resident: str, performer: str, delegator: str, stale: dict) -> str:
    if delegator not in circles.members(resident):
        return "outside"
    pair = (min(performer, delegator), max(performer, delegator))
    if pair not in circles.contacts.get(resident, {}):
        return "none"
    if pair in stale and stale[pair][0]:
        return "stale"
    return ""


def gap_counts(gaps: list[Gap]) -> dict[str, int]:
    """Number of gaps per type, every type present."""
    counts = defaultdict(int)
    for item in gaps:
        counts[item.type] += 1
    return {gap_type: counts[gap_type] for gap_type in GAP_TYPES}
