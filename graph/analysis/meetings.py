"""Which organisations of a neighbourhood should sit at the same table (SPEC §10)."""

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from graph.analysis.circles import CircleTables

__all__ = ["MEETINGS_PER_NEIGHBOURHOOD", "Meeting", "meetings"]

#: at most this many organisation pairs per neighbourhood
MEETINGS_PER_NEIGHBOURHOOD = 10


@dataclass(frozen=True)
class Meeting:
    """Two organisations of a neighbourhood whose helpers share residents without knowing each other."""

    neighbourhood: str
    #: organisation ids, a < b
    a: str
    b: str
    #: cross pairs {A in a, B in b} of a circle where neither knows the other, once per resident
    unaware_pairs: int
    #: residents of the neighbourhood whose circle has helpers of both
    shared_residents: int


def meetings(tables: CircleTables, neighbourhood: str | None = None) -> list[Meeting]:
    """The meetings of every neighbourhood (or of one), grouped by neighbourhood name.

    For each unordered pair of organisations {X, Y} (helpers without one take no part): the
    pairs with unaware_pairs > 0, sorted by unaware_pairs and then shared_residents (both
    descending), then a, b; at most :data:`MEETINGS_PER_NEIGHBOURHOOD` per neighbourhood.
    """
    unaware = _unaware_pairs(tables, neighbourhood)
    shared = _shared_residents(tables, neighbourhood)
    grouped: dict[str, list[Meeting]] = {}
    for (where, a, b), count in unaware.items():
        grouped.setdefault(where, []).append(Meeting(where, a, b, count, shared[where, a, b]))
    return [
        meeting
        for where in sorted(grouped)
        for meeting in sorted(
            grouped[where], key=lambda m: (-m.unaware_pairs, -m.shared_residents, m.a, m.b)
        )[:MEETINGS_PER_NEIGHBOURHOOD]
    ]


def _unaware_pairs(tables: CircleTables, neighbourhood: str | None) -> Counter:
    """(neighbourhood, a, b) -> the unaware cross pairs of organisations a < b."""
    pairs = tables.pairs
    organisation = tables.helpers.organisation
    first, second = organisation[pairs.a], organisation[pairs.b]
    area = tables.residents.neighbourhood[pairs.resident]
    cross = (
        ~pairs.a_knows_b
        & ~pairs.b_knows_a
        & ~np.equal(first, None)
        & ~np.equal(second, None)
        & _in_area(area, neighbourhood)
    )
    cross[cross] = first[cross] != second[cross]
    return Counter(
        (where, min(x, y), max(x, y))
        for where, x, y in zip(
            area[cross].tolist(), first[cross].tolist(), second[cross].tolist(), strict=True
        )
    )


def _shared_residents(tables: CircleTables, neighbourhood: str | None) -> Counter:
    """(neighbourhood, a, b) -> residents whose circle has helpers of both organisations a < b."""
    members = tables.members
    organisation = tables.helpers.organisation[members.helper]
    area = tables.residents.neighbourhood[members.resident]
    kept = ~np.equal(organisation, None) & _in_area(area, neighbourhood)
    organisations: dict[int, set[str]] = {}
    for resident, name in zip(members.resident[kept].tolist(), organisation[kept].tolist(), strict=True):
        organisations.setdefault(resident, set()).add(name)
    residents_area = tables.residents.neighbourhood
    return Counter(
        (residents_area[resident], a, b)
        for resident, names in organisations.items()
        for a, b in combinations(sorted(names), 2)
    )


def _in_area(area: np.ndarray, neighbourhood: str | None) -> np.ndarray:
    return np.ones(len(area), dtype=bool) if neighbourhood is None else area == neighbourhood
