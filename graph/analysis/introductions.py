"""The introduction that helps a resident most: which pair of helpers to bring together (SPEC §10).

SPEC §10 simulates, for each unordered pair {A, B} of Circle(R), two added awareness rows A→B
and B→A for R (level coordinating, last_contact = observed_on = T, contact_every_days the
smallest over the pair's rows for R), recomputes R's gaps, and weighs the gaps that close.
Running the analysis once per pair would cost hours at 60,000 residents; this module gets the
same answer in two steps.

**Pruning.** The two rows change knows, coordinating and the contact of the pair {A, B} for R,
and nothing else: not the support rows, not Circle(R), not any other pair, not another resident.
So, gap type by gap type (SPEC §5), the gaps of R that can close are:

- unaware_pair, one_sided_awareness, uncoordinated_overlap of {A, B}: the pair now knows and
  coordinates both ways;
- stale_contact of {A, B}: the latest last_contact is now T (or later), so T − last_contact ≤ 0;
- delegation_without_contact of (P, D) with {P, D} = {A, B}: D is in Circle(R) (it is A or B),
  the pair now has a coordinating row and is not stale;
- caregiver_unseen of C when C is A or B and the other is formal: that formal helper now
  knows C (no other formal helper's knowing changes);
- no_overview of R when A knew every other member but B (or B every one but A): no other
  member's knowing changes;
- never unmet_need (it reads only support rows and needs) nor caregiver_overload (hours of
  support rows, over all residents): neither table changes.

Every pair that closes anything therefore carries a gap of the first three lines (a pair gap):
caregiver_unseen of C means the formal helper does not know C, so {F, C} is unaware or one-sided,
and "A knows all but B" means {A, B} is too. The candidates are the pairs of Circle(R) with a pair
gap (a delegation names two helpers of the circle only when the delegator is in it and is not
the performer), and their *bound* — the gaps listed above for them — holds every gap that can close.

**Verification.** The candidate with the best bound (weight, then high gaps, then sorted ids)
of each resident is simulated exactly, all residents at once: one table set in which each
candidate is a virtual resident carrying R's support rows and R's knowing awareness rows plus
the two added rows, run through the very functions of the analysis
(:func:`~graph.analysis.circles.tables_of`, :func:`~graph.analysis.gaps.circle_gaps`). When the
gaps that really close are the bound, no other pair can beat it (its closed gaps are within its
bound, which ranks no higher). Should they ever differ, every candidate of that resident is
simulated the same way and the best exact one is taken, so the answer never rests on the
argument above alone.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from graph.analysis.circles import CircleTables, Domains, Knows, Residents, Support, tables_of
from graph.analysis.gaps import SORT_KEY, Gap, circle_gaps

__all__ = [
    "NEVER_CLOSED",
    "PAIR_GAPS",
    "WEIGHTS",
    "Introduction",
    "contact_intervals",
    "introductions",
]

#: the gaps about one pair of helpers, which an introduction of that pair closes
PAIR_GAPS = frozenset(
    {
        "unaware_pair",
        "one_sided_awareness",
        "uncoordinated_overlap",
        "stale_contact",
        "delegation_without_contact",
    }
)
#: the gaps an introduction never closes: it adds no support row (see the module)
NEVER_CLOSED = frozenset({"unmet_need", "caregiver_overload"})
#: what a closed gap weighs, by severity
WEIGHTS = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True)
class Introduction:
    """The recommended introduction of a resident: two helpers and the gaps it closes."""

    #: the two helper ids, sorted
    helpers: tuple[str, str]
    #: the gaps of the resident that close, sorted as the analysis sorts gaps
    closes: tuple[Gap, ...]

    @property
    def weight(self) -> int:
        """3 per high, 2 per medium, 1 per low gap closed."""
        return _weight(self.closes)

    @property
    def high(self) -> int:
        """How many high gaps close."""
        return sum(gap.severity == "high" for gap in self.closes)

    def rank_key(self) -> tuple:
        """Smaller is better: greatest weight, then most high gaps, then the first sorted ids."""
        return (-self.weight, -self.high, self.helpers)


def contact_intervals(awareness: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    """The smallest contact_every_days over each pair's awareness rows for a resident, either
    direction and any level: (resident, helper, helper) with the helpers sorted -> days.

    Pairs without an interval are left out. The rows are those in effect (an ingest keeps one per
    helper, about and resident, SPEC §3).

    Examples
    --------
    >>> rows = pd.DataFrame({"resident_id": ["R1", "R1"], "helper_id": ["H2", "H1"],
    ...                      "about_helper_id": ["H1", "H2"], "contact_every_days": [14, 7]})
    >>> contact_intervals(rows)
    {('R1', 'H1', 'H2'): 7.0}
    """
    rows = awareness[awareness["contact_every_days"].notna()]
    helper, about = rows["helper_id"].to_numpy(dtype=object), rows["about_helper_id"].to_numpy(dtype=object)
    first = np.where(helper < about, helper, about)
    second = np.where(helper < about, about, helper)
    intervals: dict[tuple[str, str, str], float] = {}
    keys = zip(rows["resident_id"].tolist(), first.tolist(), second.tolist(), strict=True)
    for key, days in zip(keys, rows["contact_every_days"].tolist(), strict=True):
        intervals[key] = min(intervals.get(key, np.inf), float(days))
    return intervals


def introductions(
    tables: CircleTables,
    gaps: Mapping[str, Sequence[Gap]],
    intervals: Mapping[tuple[str, str, str], float],
) -> dict[str, Introduction]:
    """The recommended introduction of each resident in ``gaps`` that has one.

    Parameters
    ----------
    tables : CircleTables
        The snapshot T.
    gaps : mapping
        Resident id -> the resident's gaps in T (every type, as the analysis finds them).
    intervals : mapping
        :func:`contact_intervals` of T's awareness rows.
    """
    candidates = _candidates(tables, gaps)
    if not len(candidates.resident):
        return {}
    best = _best_bounds(candidates)
    present = _simulate(tables, candidates, best, intervals)
    chosen, short = {}, []
    for index, found in zip(best, present, strict=True):
        exact = _closed(candidates.gaps_of[index], found)
        if set(exact) == set(candidates.bound[index]):
            chosen[candidates.resident_ids[index]] = Introduction(candidates.pair[index], exact)
        else:
            short.append(candidates.resident[index])
    if short:
        chosen.update(_exactly(tables, candidates, short, intervals))
    return chosen


@dataclass
class _Candidates:
    """The candidate pairs, one entry each: codes, ids, the resident's gaps and the pair's bound."""

    resident: np.ndarray
    a: np.ndarray
    b: np.ndarray
    resident_ids: list[str]
    pair: list[tuple[str, str]]
    gaps_of: list[Sequence[Gap]]
    bound: list[tuple[Gap, ...]]


def _candidates(tables: CircleTables, gaps: Mapping[str, Sequence[Gap]]) -> _Candidates:
    """The pairs of each circle with a pair gap, and the gaps each could close (see the module)."""
    resident_code = dict(zip(tables.residents.id.tolist(), range(len(tables.residents)), strict=True))
    helper_code = dict(zip(tables.helpers.id.tolist(), range(len(tables.helpers)), strict=True))
    entries = []  # (resident id, pair, the pair's gaps)
    for resident, own in gaps.items():
        by_pair: dict[tuple[str, str], list[Gap]] = defaultdict(list)
        for gap in own:
            if gap.type in PAIR_GAPS:
                by_pair[gap.helpers].append(gap)
        entries += [(resident, pair, pair_gaps) for pair, pair_gaps in by_pair.items()]
    resident = np.array([resident_code[entry[0]] for entry in entries], dtype=np.int64)
    a = np.array([helper_code[entry[1][0]] for entry in entries], dtype=np.int64)
    b = np.array([helper_code[entry[1][1]] for entry in entries], dtype=np.int64)
    # a delegation gap may name a delegator outside the circle, or the performer itself: no pair
    # of Circle(R) to introduce
    inside = (
        (a != b)
        & np.isin(tables.key(resident, a), tables.member_keys)
        & np.isin(tables.key(resident, b), tables.member_keys)
    )
    overview = _knows_all_but_other(tables, resident, a, b) | _knows_all_but_other(tables, resident, b, a)
    kind = tables.helpers.kind
    kept = np.flatnonzero(inside)
    closable = {resident: _closable(own) for resident, own in gaps.items()}
    bound = []
    for index in kept.tolist():
        resident_id, pair, pair_gaps = entries[index]
        unseen, no_overview = closable[resident_id]
        closing = list(pair_gaps)
        # caregiver_unseen of one of the pair, when the other is formal
        for caregiver, other in ((pair[0], b[index]), (pair[1], a[index])):
            if caregiver in unseen and kind[other] == "formal":
                closing.append(unseen[caregiver])
        if no_overview is not None and overview[index]:
            closing.append(no_overview)
        bound.append(tuple(sorted(closing, key=SORT_KEY)))
    return _Candidates(
        resident=resident[kept],
        a=a[kept],
        b=b[kept],
        resident_ids=[entries[index][0] for index in kept.tolist()],
        pair=[entries[index][1] for index in kept.tolist()],
        gaps_of=[gaps[entries[index][0]] for index in kept.tolist()],
        bound=bound,
    )


def _closable(own: Sequence[Gap]) -> tuple[dict[str, Gap], Gap | None]:
    """A resident's caregiver_unseen gaps by caregiver, and its no_overview gap (or None)."""
    unseen = {gap.helpers[0]: gap for gap in own if gap.type == "caregiver_unseen"}
    no_overview = next((gap for gap in own if gap.type == "no_overview"), None)
    return unseen, no_overview


def _knows_all_but_other(
    tables: CircleTables, resident: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Whether A knows every other member of Circle(R) but B (and not B)."""
    members = tables.members
    if not len(members):
        return np.zeros(len(resident), dtype=bool)
    position = np.minimum(np.searchsorted(tables.member_keys, tables.key(resident, a)), len(members) - 1)
    size = np.bincount(members.resident, minlength=len(tables.residents))
    knows = tables.knows
    knowing = tables.key(knows.resident, knows.helper, knows.about)
    return (members.others_known[position] == size[resident] - 2) & ~np.isin(
        tables.key(resident, a, b), knowing
    )


def _best_bounds(candidates: _Candidates) -> list[int]:
    """Per resident, the candidate whose bound ranks first (positions in ``candidates``)."""
    best: dict[str, tuple[tuple, int]] = {}
    for index, (resident, pair, bound) in enumerate(
        zip(candidates.resident_ids, candidates.pair, candidates.bound, strict=True)
    ):
        key = (-_weight(bound), -sum(gap.severity == "high" for gap in bound), pair)
        if resident not in best or key < best[resident][0]:
            best[resident] = (key, index)
    return [index for _, index in best.values()]


def _exactly(
    tables: CircleTables, candidates: _Candidates, residents: list[int], intervals: Mapping
) -> dict[str, Introduction]:
    """The best introduction of some residents, every candidate simulated."""
    every = np.flatnonzero(np.isin(candidates.resident, residents)).tolist()
    present = _simulate(tables, candidates, every, intervals)
    chosen: dict[str, Introduction] = {}
    for index, found in zip(every, present, strict=True):
        exact = _closed(candidates.gaps_of[index], found)
        introduction = Introduction(candidates.pair[index], exact)
        resident = candidates.resident_ids[index]
        if exact and (resident not in chosen or introduction.rank_key() < chosen[resident].rank_key()):
            chosen[resident] = introduction
    return chosen


def _closed(own: Sequence[Gap], present: set[tuple]) -> tuple[Gap, ...]:
    """The resident's gaps whose identity no longer occurs after the introduction."""
    return tuple(
        gap
        for gap in own
        if gap.type not in NEVER_CLOSED and (gap.type, gap.helpers, gap.domains) not in present
    )


def _simulate(
    tables: CircleTables, candidates: _Candidates, chosen: Iterable[int], intervals: Mapping
) -> list[set[tuple]]:
    """For each chosen candidate, the (type, helpers, domains) of the resident's circle gaps
    after the introduction: all candidates in one table set, each a virtual resident."""
    chosen = np.array(list(chosen), dtype=np.int64)
    resident, a, b = candidates.resident[chosen], candidates.a[chosen], candidates.b[chosen]
    residents = tables.residents
    days = np.array(
        [
            intervals.get((candidates.resident_ids[index], *candidates.pair[index]), np.nan)
            for index in chosen.tolist()
        ],
        dtype=float,
    )
    virtual = Residents(
        id=np.arange(len(chosen)),
        neighbourhood=residents.neighbourhood[resident],
        # unmet_need never closes (see the module): the virtual residents need nothing
        needs=_nothing(len(chosen)),
    )
    active = _copied(tables.active, resident)
    domains = _copied(tables.domains, resident)
    knows = _with_introductions(_copied(tables.knows, resident), a, b, days, tables.as_of.toordinal())
    simulated = tables_of(tables.as_of, virtual, tables.helpers, tables.domain_names, active, domains, knows)
    present: list[set[tuple]] = [set() for _ in range(len(chosen))]
    for gap in circle_gaps(simulated):
        present[gap.resident_id].add((gap.type, gap.helpers, gap.domains))
    return present


def _copied(table: Support | Domains | Knows, residents: np.ndarray):
    """The rows of ``table`` of each of ``residents`` (codes, repeats allowed), the k-th
    resident's rows renumbered as virtual resident k."""
    order = np.argsort(table.resident, kind="stable")
    sorted_residents = table.resident[order]
    start = np.searchsorted(sorted_residents, residents, side="left")
    count = np.searchsorted(sorted_residents, residents, side="right") - start
    offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    rows = order[np.repeat(start, count) + offsets]
    return replace(table.take(rows), resident=np.repeat(np.arange(len(residents)), count))


def _with_introductions(knows: Knows, a: np.ndarray, b: np.ndarray, days: np.ndarray, today: int) -> Knows:
    """``knows`` plus, for each virtual resident k, the rows a[k]→b[k] and b[k]→a[k]: level
    coordinating, last contact today, the pair's smallest interval.

    Added beside the pair's earlier rows rather than in their place: knowing, coordinating and
    the pair's contact (the latest last_contact, the smallest interval over coordinating rows)
    come out the same either way, as the added interval is already the pair's smallest.
    """
    virtual = np.arange(len(a))
    added = Knows(
        resident=np.concatenate([virtual, virtual]),
        helper=np.concatenate([a, b]),
        about=np.concatenate([b, a]),
        coordinating=np.ones(2 * len(a), dtype=bool),
        last_contact=np.full(2 * len(a), today, dtype=np.int64),
        contact_every_days=np.concatenate([days, days]),
    )
    return Knows(
        **{
            name: np.concatenate([getattr(knows, name), getattr(added, name)])
            for name in ("resident", "helper", "about", "coordinating", "last_contact", "contact_every_days")
        }
    )


def _nothing(count: int) -> np.ndarray:
    """``count`` empty needs."""
    needs = np.empty(count, dtype=object)
    needs.fill(())
    return needs


def _weight(gaps: Iterable[Gap]) -> int:
    return sum(WEIGHTS[gap.severity] for gap in gaps)
