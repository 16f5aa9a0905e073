"""Finding each other: how well helpers of different organisations know each other (SPEC §5)."""

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from graph.analysis.circles import Circles, HelperInfo

__all__ = [
    "CAREGIVER_GROUP",
    "INFORMAL_GROUP",
    "NO_ORGANISATION_GROUP",
    "finding_each_other",
    "group_of",
    "merge_tallies",
    "organisation_rows",
    "organisation_tallies",
]

INFORMAL_GROUP = "(informal)"
CAREGIVER_GROUP = "(caregivers)"
NO_ORGANISATION_GROUP = "(no organisation)"


def group_of(helper: HelperInfo) -> str:
    """A helper's group: its organisation, else (informal), (caregivers) or (no organisation).

    Examples
    --------
    >>> group_of(HelperInfo("H1", "volunteer", "informal", None))
    '(informal)'
    >>> group_of(HelperInfo("H2", "gp", "formal", "ORG1"))
    'ORG1'
    """
    if helper.organisation_id is not None:
        return helper.organisation_id
    return {"informal": INFORMAL_GROUP, "caregiver": CAREGIVER_GROUP}.get(helper.kind, NO_ORGANISATION_GROUP)


def finding_each_other(circles: Circles, residents: Iterable[str] | None = None) -> list[dict]:
    """For each unordered pair of groups, the cross pairs and how often they know each other.

    A cross pair is two helpers of the two groups in the same circle, counted once per
    resident they share. ``aware_share``: known in at least one direction;
    ``mutual_share``: both ways. Sorted by (a, b); pairs of groups that never meet are left out.
    ``residents`` limits the count to their circles (one neighbourhood, say); all by default.
    """
    return organisation_rows(organisation_tallies(circles, residents))


def organisation_tallies(circles: Circles, residents: Iterable[str] | None = None) -> dict[tuple, list[int]]:
    """(group a, group b) -> [cross pairs, known one way or both, known both ways]; tallies of
    different residents add up (see :func:`merge_tallies`)."""
    tallies: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for resident in circles.residents if residents is None else residents:
        knows = circles.knows.get(resident, set())
        for a, b in combinations(circles.members(resident), 2):
            group_a, group_b = group_of(circles.helpers[a]), group_of(circles.helpers[b])
            if group_a == group_b:
                continue
            tally = tallies[min(group_a, group_b), max(group_a, group_b)]
            ab, ba = (a, b) in knows, (b, a) in knows
            tally[0] += 1
            tally[1] += ab or ba
            tally[2] += ab and ba
    return dict(tallies)


def merge_tallies(into: dict[tuple, list[int]], tallies: dict[tuple, list[int]]) -> None:
    """Add ``tallies`` to ``into``."""
    for pair, (total, aware, mutual) in tallies.items():
        tally = into.setdefault(pair, [0, 0, 0])
        tally[0] += total
        tally[1] += aware
        tally[2] += mutual


def organisation_rows(tallies: dict[tuple, list[int]]) -> list[dict]:
    """The "finding each other" rows of some tallies, sorted by (a, b)."""
    return [
        {"a": a, "b": b, "cross_pairs": total, "aware_share": aware / total, "mutual_share": mutual / total}
        for (a, b), (total, aware, mutual) in sorted(tallies.items())
    ]
