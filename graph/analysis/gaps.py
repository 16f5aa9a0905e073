"""Coordination gaps, exactly as SPEC §5 defines them: one function per row of its table.

Each function's docstring is its row's condition, and its body that condition as an operation
over the tables of :class:`~graph.analysis.circles.CircleTables` (Circle(R), knows(A, B, R)
and the pairs of each circle), so the SPEC can be read beside the code. All but
:func:`caregiver_overload` depend on one resident's circle only (:data:`CIRCLE_GAPS`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import attrgetter

import numpy as np

from graph.analysis.circles import CircleTables, Columns, pairs_within
from graph.analysis.messages import gap_text

__all__ = [
    "CIRCLE_GAPS",
    "GAP_TYPES",
    "OVERLOAD_HOURS",
    "SEVERITY",
    "SORT_KEY",
    "Delegation",
    "Gap",
    "active_hours",
    "caregiver_overload",
    "caregiver_rows",
    "caregiver_unseen",
    "circle_gaps",
    "delegation_without_contact",
    "delegations",
    "no_overview",
    "one_sided_awareness",
    "stale_contact",
    "unaware_pair",
    "uncoordinated_overlap",
    "unmet_need",
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
#: how gaps are sorted: by resident, type, helpers (then domains); see :meth:`Gap.sort_key`
SORT_KEY = attrgetter("resident_id", "type", "helpers", "domains")
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
        return SORT_KEY(self)

    def text(self, lang: str = "en", names: Mapping[str, str] | None = None) -> tuple[str, str]:
        """(message, suggested action) in ``lang``; ``names`` shows helpers by name instead of id."""
        named = [(role, names.get(helper) or helper) for role, helper in self.named] if names else self.named
        return gap_text(self.type, lang, named, (("domains", self.domains), *self.details))


def unaware_pair(tables: CircleTables) -> list[Gap]:
    """One gap per unordered pair {A, B} in Circle(R): neither knows(A, B, R) nor knows(B, A, R)."""
    pairs = tables.pairs
    unaware = pairs.take(~pairs.a_knows_b & ~pairs.b_knows_a)
    return [
        Gap("unaware_pair", resident, (a, b), (), ((role_a, a), (role_b, b)))
        for resident, a, b, role_a, role_b in _rows(tables, unaware.resident, unaware.a, unaware.b)
    ]


def one_sided_awareness(tables: CircleTables) -> list[Gap]:
    """One gap per unordered pair {A, B} in Circle(R): exactly one of the two knows the other.

    The message names the one who knows first.
    """
    pairs = tables.pairs
    one_sided = pairs.take(pairs.a_knows_b != pairs.b_knows_a)
    rows = zip(
        _rows(tables, one_sided.resident, one_sided.a, one_sided.b), one_sided.a_knows_b.tolist(), strict=True
    )
    return [
        Gap("one_sided_awareness", resident, (a, b), (),
            ((role_a, a), (role_b, b)) if a_knows_b else ((role_b, b), (role_a, a)))
        for (resident, a, b, role_a, role_b), a_knows_b in rows
    ]  # fmt: skip


def caregiver_unseen(tables: CircleTables) -> list[Gap]:
    """One gap per caregiver C in Circle(R): Circle(R) has a formal helper, and no formal F in
    Circle(R) has knows(F, C, R)."""
    caregivers = tables.caregivers
    unseen = caregivers.take(caregivers.with_formal & ~caregivers.seen)
    return [
        Gap("caregiver_unseen", resident, (caregiver,), named=((role, caregiver),))
        for resident, caregiver, role in _rows(tables, unseen.resident, unseen.helper)
    ]


def no_overview(tables: CircleTables) -> list[Gap]:
    """One gap per resident: |Circle(R)| ≥ 3 and no H in Circle(R) knows every other member."""
    members = tables.members
    size = np.bincount(members.resident, minlength=len(tables.residents))
    knows_everyone = members.others_known == size[members.resident] - 1
    overview = np.bincount(members.resident, weights=knows_everyone, minlength=len(tables.residents)) > 0
    lacking = np.flatnonzero((size >= 3) & ~overview)
    return [
        Gap("no_overview", resident, details=(("n", n),))
        for resident, n in zip(tables.residents.id[lacking].tolist(), size[lacking].tolist(), strict=True)
    ]


def uncoordinated_overlap(tables: CircleTables) -> list[Gap]:
    """One gap per unordered pair {A, B}: A and B share an active domain for R, are not in the
    same organisation (helpers without one never are), and neither coordinating(A, B, R) nor
    coordinating(B, A, R).

    The gap's domains are the shared ones.
    """
    pairs, organisation = tables.pairs, tables.helpers.organisation
    apart = np.equal(organisation, None)[pairs.a] | (organisation[pairs.a] != organisation[pairs.b])
    uncoordinated = pairs.take(apart & ~pairs.coordinating)
    shared = _shared_domains(tables)
    rows = zip(
        _rows(tables, uncoordinated.resident, uncoordinated.a, uncoordinated.b),
        tables.key(uncoordinated.resident, uncoordinated.a, uncoordinated.b).tolist(),
        strict=True,
    )
    return [
        Gap("uncoordinated_overlap", resident, (a, b), shared[pair], ((role_a, a), (role_b, b)))
        for (resident, a, b, role_a, role_b), pair in rows
        if pair in shared
    ]


def unmet_need(tables: CircleTables) -> list[Gap]:
    """One gap per domain d of needs(R): no active support row of R covers d."""
    needs = tables.residents.needs
    lengths = np.array([len(row) for row in needs.tolist()], dtype=np.int64)
    resident = np.repeat(np.arange(len(needs)), lengths)
    need = np.fromiter(chain.from_iterable(needs.tolist()), dtype=np.int64, count=int(lengths.sum()))
    domains = tables.domains
    unmet = ~np.isin(tables.key(resident, need), tables.key(domains.resident, domains.domain))
    return [
        Gap("unmet_need", resident, domains=(need,))
        for resident, need in zip(
            tables.residents.id[resident[unmet]].tolist(),
            tables.domain_names[need[unmet]].tolist(),
            strict=True,
        )
    ]


def stale_contact(tables: CircleTables) -> list[Gap]:
    """One gap per unordered pair {A, B}: the pair has a coordinating row with contact_every_days;
    over the pair's coordinating rows (both directions), with the latest last_contact and the
    smallest interval k: no last_contact at all, or T − last_contact > 2k days."""
    contacts = _contacts(tables)
    stale = contacts.take(contacts.stale)
    days_since = [None if days != days else int(days) for days in stale.days_since.tolist()]
    rows = zip(_rows(tables, stale.resident, stale.a, stale.b), days_since, stale.k.tolist(), strict=True)
    return [
        Gap("stale_contact", resident, (a, b), named=((role_a, a), (role_b, b)),
            details=(("days_since", days), ("k", int(k))))
        for (resident, a, b, role_a, role_b), days, k in rows
    ]  # fmt: skip


def delegation_without_contact(tables: CircleTables) -> list[Gap]:
    """One gap per (performer P, delegator D, R): P has an active row for R delegated_by D, and D
    is not in Circle(R), or the pair has no coordinating row, or the pair is stale as above.

    The gap's details name the reason: ``outside``, ``none`` or ``stale``.
    """
    delegated = _delegated(tables)
    problem = delegated.reason != ""
    ids, roles = tables.helpers.id, tables.helpers.role
    performer, delegator = delegated.performer[problem], delegated.delegator[problem]
    return [
        Gap("delegation_without_contact", resident, tuple(sorted((p, d))), named=((role_p, p), (role_d, d)),
            details=(("reason", why),))
        for resident, p, d, role_p, role_d, why in zip(
            tables.residents.id[delegated.resident[problem]].tolist(),
            ids[performer].tolist(),
            ids[delegator].tolist(),
            roles[performer].tolist(),
            roles[delegator].tolist(),
            delegated.reason[problem].tolist(),
            strict=True,
        )
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Delegation:
    """One delegated task of a resident, (performer, delegator), and the pair's agreed contact as
    :func:`delegation_without_contact` judges it.

    ``every`` is the smallest contact_every_days over the pair's coordinating rows, ``last`` the
    latest last_contact over them (None when there is none); ``reason`` is the gap's reason
    (``outside``, ``none``, ``stale``) or ``""`` when the delegation has its contact.
    """

    resident_id: str
    performer: str
    delegator: str
    reason: str
    every: int | None
    last: date | None
    #: days past the agreed interval's allowance: T − last − 2 × every when that is > 0, else 0
    overdue: int


def delegations(tables: CircleTables) -> list[Delegation]:
    """Every (performer P, delegator D, R) with an active row of P for R delegated_by D, sorted by
    resident, performer and delegator, with the pair's agreed contact (see :class:`Delegation`)."""
    delegated = _delegated(tables)
    ids = tables.helpers.id
    overdue = np.where(np.isnan(delegated.days_since), 0, delegated.days_since - 2 * delegated.k)
    rows = zip(
        tables.residents.id[delegated.resident].tolist(),
        ids[delegated.performer].tolist(),
        ids[delegated.delegator].tolist(),
        delegated.reason.tolist(),
        delegated.k.tolist(),
        delegated.last.tolist(),
        overdue.tolist(),
        strict=True,
    )
    return [
        Delegation(resident, performer, delegator, reason, None if every != every else int(every),
                   None if last < 0 else date.fromordinal(last), max(0, int(late)) if late == late else 0)
        for resident, performer, delegator, reason, every, last, late in rows
    ]  # fmt: skip


#: the gaps of SPEC §5 that depend on one resident's circle only, in the order of its table
CIRCLE_GAPS = (
    unaware_pair,
    one_sided_awareness,
    caregiver_unseen,
    no_overview,
    uncoordinated_overlap,
    unmet_need,
    stale_contact,
    delegation_without_contact,
)


def circle_gaps(tables: CircleTables) -> list[Gap]:
    """Every gap that depends only on a resident's own circle: all types but caregiver_overload."""
    return [gap for find in CIRCLE_GAPS for gap in find(tables)]


def caregiver_overload(caregivers: Iterable[tuple[str, str, str]], hours: Mapping[str, float]) -> list[Gap]:
    """One gap per (R, caregiver C in Circle(R)): C's active hours_per_week summed over all
    residents > 8 (the SCP threshold for intensive informal care).

    ``caregivers``: (resident, caregiver, role) of each caregiver in a circle; ``hours``: helper
    id -> active hours per week summed over all residents (see :func:`active_hours`).
    """
    return [
        Gap("caregiver_overload", resident, (caregiver,), named=((role, caregiver),),
            details=(("hours", round(hours[caregiver], 1)),))
        for resident, caregiver, role in caregivers
        if hours.get(caregiver, 0.0) > OVERLOAD_HOURS
    ]  # fmt: skip


def caregiver_rows(tables: CircleTables) -> list[tuple[str, str, str]]:
    """(resident, caregiver, role) of each caregiver in a circle of ``tables``: what
    :func:`caregiver_overload` takes."""
    caregivers, helpers = tables.caregivers, tables.helpers
    return list(
        zip(
            tables.residents.id[caregivers.resident].tolist(),
            helpers.id[caregivers.helper].tolist(),
            helpers.role[caregivers.helper].tolist(),
            strict=True,
        )
    )


def active_hours(tables: CircleTables) -> dict[str, float]:
    """Each helper's active hours_per_week, summed over the residents of ``tables`` (helpers
    without hours are left out).

    The hours are added up row after row, in the rows' order (``numpy.bincount``), as earlier
    versions did: the totals, and so the messages, stay the same to the last digit.
    """
    active = tables.active
    given = ~np.isnan(active.hours) & (active.hours != 0)
    totals = np.bincount(active.helper[given], weights=active.hours[given], minlength=len(tables.helpers))
    helpers = np.unique(active.helper[given])
    return dict(zip(tables.helpers.id[helpers].tolist(), totals[helpers].tolist(), strict=True))


@dataclass(frozen=True)
class _Contacts(Columns):
    """Each unordered pair {a, b} (a < b) of a circle with a coordinating row, over those rows
    in both directions: the smallest interval ``k`` (NaN without one), the days since the
    latest last_contact (NaN without one), and whether the pair is stale."""

    key: np.ndarray
    resident: np.ndarray
    a: np.ndarray
    b: np.ndarray
    k: np.ndarray
    #: the latest last_contact as a day number, -1 without one
    last: np.ndarray
    days_since: np.ndarray
    stale: np.ndarray


@dataclass(frozen=True)
class _Delegated(Columns):
    """Each (resident, performer, delegator) of the active delegated rows, once, in code order,
    with the pair's contact (:class:`_Contacts`; NaN and -1 without coordinating rows) and the
    reason of its gap (``""`` when there is none)."""

    resident: np.ndarray
    performer: np.ndarray
    delegator: np.ndarray
    reason: np.ndarray
    k: np.ndarray
    last: np.ndarray
    days_since: np.ndarray


def _delegated(tables: CircleTables) -> _Delegated:
    active = tables.active
    delegated = active.take(active.delegator >= 0)
    _, rows = np.unique(
        tables.key(delegated.resident, delegated.helper, delegated.delegator), return_index=True
    )
    delegated = delegated.take(rows)
    resident, performer, delegator = delegated.resident, delegated.helper, delegated.delegator
    pair = tables.key(resident, np.minimum(performer, delegator), np.maximum(performer, delegator))
    contacts = _contacts(tables)
    found = np.isin(pair, contacts.key)
    at = np.minimum(np.searchsorted(contacts.key, pair), max(len(contacts) - 1, 0))
    reason = np.select(
        [
            ~np.isin(tables.key(resident, delegator), tables.member_keys),
            ~found,
            np.isin(pair, contacts.key[contacts.stale]),
        ],
        ["outside", "none", "stale"],
        default="",
    )
    return _Delegated(
        resident=resident,
        performer=performer,
        delegator=delegator,
        reason=reason,
        k=np.where(found, contacts.k[at] if len(contacts) else np.nan, np.nan),
        last=np.where(found, contacts.last[at] if len(contacts) else -1, -1),
        days_since=np.where(found, contacts.days_since[at] if len(contacts) else np.nan, np.nan),
    )


def _contacts(tables: CircleTables) -> _Contacts:
    knows = tables.knows.take(tables.knows.coordinating)
    a, b = np.minimum(knows.helper, knows.about), np.maximum(knows.helper, knows.about)
    keys, first, group = np.unique(tables.key(knows.resident, a, b), return_index=True, return_inverse=True)
    k = np.full(len(keys), np.nan)
    np.fmin.at(k, group, knows.contact_every_days)
    last = np.full(len(keys), -1, dtype=np.int64)
    np.maximum.at(last, group, knows.last_contact)
    days_since = np.where(last < 0, np.nan, tables.as_of.toordinal() - last)
    return _Contacts(
        key=keys,
        resident=knows.resident[first],
        a=a[first],
        b=b[first],
        k=k,
        last=last,
        days_since=days_since,
        stale=~np.isnan(k) & ((last < 0) | (days_since > 2 * k)),  # NaN > 2k is False
    )


def _shared_domains(tables: CircleTables) -> dict[int, tuple[str, ...]]:
    """The pairs {A, B} of a circle that share an active domain for R (by the pair's key), and the
    domains they share, sorted: the domains joined with themselves on (resident, domain)."""
    domains = tables.domains
    domains = domains.take(np.lexsort((domains.helper, domains.domain, domains.resident)))
    first, second = pairs_within(tables.key(domains.resident, domains.domain))
    pair, domain = (
        tables.key(domains.resident[first], domains.helper[first], domains.helper[second]),
        domains.domain[first],
    )
    order = np.lexsort((domain, pair))
    shared: dict[int, list[str]] = {}
    for key, name in zip(pair[order].tolist(), tables.domain_names[domain[order]].tolist(), strict=True):
        shared.setdefault(key, []).append(name)
    return {key: tuple(names) for key, names in shared.items()}


def _rows(tables: CircleTables, resident: np.ndarray, *helpers: np.ndarray):
    """(resident id, helper ids…, their roles…) of each row, as plain Python values."""
    ids, roles = tables.helpers.id, tables.helpers.role
    return zip(
        tables.residents.id[resident].tolist(),
        *(ids[helper].tolist() for helper in helpers),
        *(roles[helper].tolist() for helper in helpers),
        strict=True,
    )
