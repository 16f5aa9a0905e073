"""Circles of support at a snapshot date, as tables: who is active for whom, and who knows whom (SPEC §5).

SPEC §5 is written over a few tables, and :func:`circle_tables` builds exactly those from a
snapshot: the active support rows, Circle(R) as one row per member, knows(A, B, R) as the
awareness rows that count, and the unordered pairs {A, B} of each circle — the members joined
with themselves on the resident — with whether each knows the other (the awareness rows joined
on the pair). Every gap, metric and summary is an operation over these tables.

The tables hold numpy columns. Residents, helpers and domains are numbered in the order of
their ids (a *code*: row r of :attr:`CircleTables.residents` is resident r), so joins are
lookups of integers and ``a < b`` compares ids. A whole table costs microseconds per operation,
where pandas takes milliseconds: the analysis of one small circle stays as quick as a lookup.
"""

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from itertools import chain, repeat
from typing import Self

import numpy as np
import pandas as pd

from graph.model import Snapshot
from graph.vocabulary import UNRECORDED

__all__ = [
    "KNOWING_LEVELS",
    "Caregivers",
    "CircleTables",
    "Circles",
    "Columns",
    "Domains",
    "HelperInfo",
    "Helpers",
    "Knows",
    "Members",
    "Pairs",
    "Residents",
    "Support",
    "circle_tables",
    "is_active",
    "pairs_within",
    "tables_of",
]

#: the awareness levels at which A knows B: knows(A, B, R)
KNOWING_LEVELS = ("aware", "coordinating")


def is_active(start, end, as_of: date):
    """Whether a support row is active on ``as_of`` (the date T of SPEC §5): its start_date is
    empty or ≤ T, and its end_date is empty or ≥ T.

    ``start`` and ``end`` are one row's dates (None when empty), or two whole columns of them;
    the answer is then a column too.

    Examples
    --------
    >>> T = date(2017, 6, 1)
    >>> is_active(T, None, T), is_active(None, date(2017, 5, 31), T)
    (True, False)
    >>> is_active(pd.Series([None, T]), pd.Series([T, None]), date(2017, 5, 1)).tolist()
    [True, False]
    """
    if not isinstance(start, pd.Series):
        one_row = is_active(pd.Series([start], dtype=object), pd.Series([end], dtype=object), as_of)
        return bool(one_row.iloc[0])
    # a comparison with an empty date is False: the empty ones are asked for separately
    return (start.isna() | (start <= as_of)) & (end.isna() | (end >= as_of))


class Columns:
    """A table as numpy columns of one length (the dataclass fields); a row is a position."""

    def take(self, rows: np.ndarray) -> Self:
        """The table of some rows: a boolean mask, or positions."""
        return type(self)(**{column.name: getattr(self, column.name)[rows] for column in fields(self)})

    def __len__(self) -> int:
        return len(getattr(self, fields(self)[0].name))


@dataclass(frozen=True)
class Residents(Columns):
    """Every resident, in id order: row r is resident code r."""

    id: np.ndarray
    neighbourhood: np.ndarray
    #: tuples of domain codes (``needs(R)``; see :attr:`CircleTables.domain_names`)
    needs: np.ndarray


@dataclass(frozen=True)
class Helpers(Columns):
    """Every helper, in id order: row h is helper code h."""

    id: np.ndarray
    role: np.ndarray
    kind: np.ndarray
    #: organisation id, None without one
    organisation: np.ndarray


@dataclass(frozen=True)
class Support(Columns):
    """The active support rows (resident and helper codes)."""

    resident: np.ndarray
    helper: np.ndarray
    #: hours_per_week, NaN when empty
    hours: np.ndarray
    #: the code of the helper in delegated_by, -1 when empty
    delegator: np.ndarray


@dataclass(frozen=True)
class Members(Columns):
    """Circle(R): one row per member, sorted by resident, then helper (so by id)."""

    resident: np.ndarray
    helper: np.ndarray
    #: how many other members of the circle the member knows
    others_known: np.ndarray


@dataclass(frozen=True)
class Domains(Columns):
    """Each domain of a member's active rows for the resident, once (domain codes)."""

    resident: np.ndarray
    helper: np.ndarray
    domain: np.ndarray


@dataclass(frozen=True)
class Knows(Columns):
    """knows(A, B, R): the awareness rows of level aware or coordinating, A ≠ B, both in Circle(R)."""

    resident: np.ndarray
    helper: np.ndarray
    about: np.ndarray
    #: level coordinating: coordinating(A, B, R)
    coordinating: np.ndarray
    #: dates as day numbers (:meth:`datetime.date.toordinal`), -1 when empty
    last_contact: np.ndarray
    #: contact_every_days, NaN when empty
    contact_every_days: np.ndarray


@dataclass(frozen=True)
class Pairs(Columns):
    """The unordered pairs {A, B} of each circle, A < B, with whether each knows the other."""

    resident: np.ndarray
    a: np.ndarray
    b: np.ndarray
    a_knows_b: np.ndarray
    b_knows_a: np.ndarray
    #: coordinating(A, B, R) or coordinating(B, A, R)
    coordinating: np.ndarray


@dataclass(frozen=True)
class Caregivers(Columns):
    """Each caregiver C in a circle (a member of kind caregiver)."""

    resident: np.ndarray
    helper: np.ndarray
    #: Circle(R) has a formal helper
    with_formal: np.ndarray
    #: a formal F in Circle(R) has knows(F, C, R)
    seen: np.ndarray


@dataclass(frozen=True)
class CircleTables:
    """A snapshot at the date T as the tables SPEC §5 is defined over (see the module)."""

    as_of: date
    residents: Residents
    helpers: Helpers
    #: the domains in code order (sorted)
    domain_names: np.ndarray
    active: Support
    members: Members
    domains: Domains
    knows: Knows
    pairs: Pairs

    def key(self, resident: np.ndarray, *helpers: np.ndarray) -> np.ndarray:
        """One integer per row for a resident and one or more helpers (or domains), equal for
        equal rows: what joins and :func:`numpy.isin` compare."""
        return _key(self.width, resident, *helpers)

    @property
    def width(self) -> int:
        """What :meth:`key` multiplies by: ``divmod(key(x, code), width)`` gives (x, code) back."""
        return _width(self.helpers, self.domain_names)

    @cached_property
    def areas(self) -> tuple[np.ndarray, np.ndarray]:
        """The neighbourhoods (sorted names), and each resident's as a code among them."""
        return np.unique(self.residents.neighbourhood, return_inverse=True)

    @cached_property
    def member_keys(self) -> np.ndarray:
        """The keys of (R, H) for every H in Circle(R)."""
        return self.key(self.members.resident, self.members.helper)

    @cached_property
    def caregivers(self) -> Caregivers:
        """Each caregiver in a circle, whether the circle has a formal helper, and whether one
        of its formal helpers knows the caregiver."""
        members, knows, kind = self.members, self.knows, self.helpers.kind
        formal = (kind == "formal")[members.helper]
        caregivers = members.take((kind == "caregiver")[members.helper])
        with_formal = np.bincount(members.resident[formal], minlength=len(self.residents)) > 0
        by_formal = (kind == "formal")[knows.helper]
        known = self.key(knows.resident[by_formal], knows.about[by_formal])
        return Caregivers(
            resident=caregivers.resident,
            helper=caregivers.helper,
            with_formal=with_formal[caregivers.resident],
            seen=np.isin(self.key(caregivers.resident, caregivers.helper), known),
        )


def circle_tables(snapshot: Snapshot, as_of: date | None = None) -> CircleTables:
    """The tables of ``snapshot`` at ``as_of`` (default: the snapshot's own date).

    Awareness rows about helpers outside Circle(R) are left out, as SPEC §5 says; so are rows
    naming a resident or helper the snapshot does not hold.
    """
    as_of = as_of or snapshot.as_of
    support = snapshot.support[is_active(snapshot.support["start_date"], snapshot.support["end_date"], as_of)]
    domain_names = np.array(
        sorted(set(chain.from_iterable(_lists(support["domains"]) + _lists(snapshot.residents["needs"])))),
        dtype=object,
    )
    residents = _residents(snapshot.residents, domain_names)
    helpers = _helpers(snapshot.helpers)
    width = _width(helpers, domain_names)
    resident_codes, helper_codes = _coder(residents.id), _coder(helpers.id)
    active = Support(
        resident=resident_codes(support["resident_id"]),
        helper=helper_codes(support["helper_id"]),
        hours=np.array(support["hours_per_week"].tolist(), dtype=float),
        delegator=helper_codes(support["delegated_by"]),
    )
    known = (active.resident >= 0) & (active.helper >= 0)
    active = active.take(known)
    domains = _domains(active, support["domains"][known], domain_names, width)
    knows = _knows(snapshot.awareness, resident_codes, helper_codes)
    return tables_of(as_of, residents, helpers, domain_names, active, domains, knows)


def tables_of(
    as_of: date,
    residents: Residents,
    helpers: Helpers,
    domain_names: np.ndarray,
    active: Support,
    domains: Domains,
    knows: Knows,
) -> CircleTables:
    """The tables of SPEC §5 from the active support rows, their domains and the knowing
    awareness rows (in codes of ``residents`` and ``helpers``): Circle(R), knows(A, B, R) within
    it and the pairs of each circle.

    :func:`circle_tables` reads these from a snapshot; the agenda builds them for circles it
    changes (:mod:`graph.analysis.introductions`).
    """
    width = _width(helpers, domain_names)
    # Circle(R): the helpers with an active row for R, one row each, in (resident, helper) order
    resident, helper = np.divmod(np.unique(_key(width, active.resident, active.helper)), width)
    member_keys = _key(width, resident, helper)
    knows = knows.take(
        np.isin(_key(width, knows.resident, knows.helper), member_keys)
        & np.isin(_key(width, knows.resident, knows.about), member_keys)
    )
    # the pairs: the members joined with themselves on the resident
    first, second = pairs_within(resident)
    pairs = _pairs(width, resident[first], helper[first], helper[second], knows)
    others_known = np.bincount(first, weights=pairs.a_knows_b, minlength=len(resident)) + np.bincount(
        second, weights=pairs.b_knows_a, minlength=len(resident)
    )
    return CircleTables(
        as_of=as_of,
        residents=residents,
        helpers=helpers,
        domain_names=domain_names,
        active=active,
        members=Members(resident, helper, others_known.astype(np.int64)),
        domains=domains,
        knows=knows,
        pairs=pairs,
    )


def pairs_within(runs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions (i, j), i < j, of every two rows in the same run of equal values of
    ``runs`` (sorted): the table joined with itself on that value.

    Examples
    --------
    >>> first, second = pairs_within(np.array([7, 7, 7, 8, 9, 9]))
    >>> list(zip(first.tolist(), second.tolist()))
    [(0, 1), (0, 2), (1, 2), (4, 5)]
    """
    rows = np.arange(len(runs))
    later = np.searchsorted(runs, runs, side="right") - rows - 1  # rows after each in its run
    first = np.repeat(rows, later)
    # the k-th pair of row i is (i, i + 1 + k)
    kth = np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later)
    return first, first + 1 + kth


def _pairs(width: int, resident: np.ndarray, a: np.ndarray, b: np.ndarray, knows: Knows) -> Pairs:
    """The pairs {a, b} of ``resident`` joined with the awareness rows on the pair, both ways."""
    forth, back = _key(width, resident, a, b), _key(width, resident, b, a)
    knowing = _key(width, knows.resident, knows.helper, knows.about)
    coordinating = knowing[knows.coordinating]
    return Pairs(
        resident=resident,
        a=a,
        b=b,
        a_knows_b=np.isin(forth, knowing),
        b_knows_a=np.isin(back, knowing),
        coordinating=np.isin(forth, coordinating) | np.isin(back, coordinating),
    )


def _knows(awareness: pd.DataFrame, resident_codes, helper_codes) -> Knows:
    """The awareness rows of a knowing level, between two different helpers the snapshot holds."""
    knowing = awareness[awareness["level"].isin(KNOWING_LEVELS)]
    knows = Knows(
        resident=resident_codes(knowing["resident_id"]),
        helper=helper_codes(knowing["helper_id"]),
        about=helper_codes(knowing["about_helper_id"]),
        coordinating=knowing["level"].eq("coordinating").to_numpy(dtype=bool),
        last_contact=np.array([_day(value) for value in knowing["last_contact"].tolist()], dtype=np.int64),
        contact_every_days=np.array(knowing["contact_every_days"].tolist(), dtype=float),
    )
    return knows.take(
        (knows.resident >= 0) & (knows.helper >= 0) & (knows.about >= 0) & (knows.helper != knows.about)
    )


def _key(width: int, resident: np.ndarray, *codes: np.ndarray) -> np.ndarray:
    key = resident.astype(np.int64)
    for code in codes:
        key = key * width + code
    return key


def _width(helpers: Helpers, domain_names: np.ndarray) -> int:
    return max(len(helpers), len(domain_names), 1)


def _domains(active: Support, domains: pd.Series, domain_names: np.ndarray, width: int) -> Domains:
    """The domains of the active rows, one row per (resident, helper, domain)."""
    lists = _lists(domains)
    lengths = np.array([len(row) for row in lists], dtype=np.int64)
    domain_code = {name: code for code, name in enumerate(domain_names.tolist())}
    codes = np.array([domain_code[name] for name in chain.from_iterable(lists)], dtype=np.int64)
    exploded = Domains(np.repeat(active.resident, lengths), np.repeat(active.helper, lengths), codes)
    _, rows = np.unique(_key(width, exploded.resident, exploded.helper, exploded.domain), return_index=True)
    exploded = exploded.take(rows)
    if UNRECORDED in domain_code:  # support without a recorded task shares none and covers no need
        exploded = exploded.take(exploded.domain != domain_code[UNRECORDED])
    return exploded


def _residents(frame: pd.DataFrame, domain_names: np.ndarray) -> Residents:
    ids = frame["resident_id"].to_numpy(dtype=object)
    order = np.argsort(ids, kind="stable")
    domain_code = {name: code for code, name in enumerate(domain_names.tolist())}
    needs = np.empty(len(ids), dtype=object)
    # "tasks not recorded" is no need: nothing could ever cover it
    needs[:] = [
        tuple(domain_code[need] for need in row if need != UNRECORDED) for row in _lists(frame["needs"])
    ]
    return Residents(ids[order], frame["neighbourhood"].to_numpy(dtype=object)[order], needs[order])


def _helpers(frame: pd.DataFrame) -> Helpers:
    ids = frame["helper_id"].to_numpy(dtype=object)
    order = np.argsort(ids, kind="stable")
    return Helpers(
        ids[order],
        frame["role"].to_numpy(dtype=object)[order],
        frame["kind"].to_numpy(dtype=object)[order],
        np.array([_or_none(value) for value in frame["organisation_id"].tolist()], dtype=object)[order],
    )


def _coder(ids: np.ndarray):
    """A function from a column of ids to their codes among ``ids`` (sorted; -1 when absent)."""
    code = {identifier: position for position, identifier in enumerate(ids.tolist())}

    def codes(column: pd.Series) -> np.ndarray:
        return np.fromiter(map(code.get, column.tolist(), repeat(-1)), dtype=np.int64, count=len(column))

    return codes


def _lists(column: pd.Series) -> list[tuple]:
    return [tuple(row) if isinstance(row, (tuple, list)) else () for row in column.tolist()]


def _day(value) -> int:
    return value.toordinal() if isinstance(value, date) else -1


def _or_none(value):
    return None if value is None or value != value else value


@dataclass(frozen=True)
class HelperInfo:
    """What the dashboard needs of a helper."""

    helper_id: str
    role: str
    kind: str
    organisation_id: str | None


@dataclass
class Circles:
    """Each resident's circle and who knows whom in it, indexed for looking up one resident at a
    time (the dashboard's pages); built from :class:`CircleTables` by :meth:`of`."""

    as_of: date
    helpers: dict[str, HelperInfo]
    #: resident id -> sorted helper ids with an active support row
    circle: dict[str, list[str]] = field(default_factory=dict)
    #: resident id -> ordered pairs (A, B) in Circle(R) with knows(A, B, R)
    knows: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, tables: CircleTables) -> "Circles":
        """The index of ``tables``."""
        helpers, ids = tables.helpers, tables.helpers.id
        circles = cls(
            tables.as_of,
            {
                helper: HelperInfo(helper, role, kind, organisation)
                for helper, role, kind, organisation in zip(
                    ids.tolist(), helpers.role.tolist(), helpers.kind.tolist(), helpers.organisation.tolist(),
                    strict=True,
                )
            },
        )  # fmt: skip
        residents = tables.residents.id
        members, knows = tables.members, tables.knows
        for resident, helper in zip(
            residents[members.resident].tolist(), ids[members.helper].tolist(), strict=True
        ):
            circles.circle.setdefault(resident, []).append(helper)
        for resident, helper, about in zip(
            residents[knows.resident].tolist(),
            ids[knows.helper].tolist(),
            ids[knows.about].tolist(),
            strict=True,
        ):
            circles.knows.setdefault(resident, set()).add((helper, about))
        return circles

    def members(self, resident: str) -> list[str]:
        """Circle(R), sorted."""
        return self.circle.get(resident, [])
