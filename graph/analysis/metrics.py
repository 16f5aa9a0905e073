"""Per-resident metrics and per-neighbourhood summaries (SPEC §5)."""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from graph.analysis.circles import Circles
from graph.analysis.gaps import GAP_TYPES, Gap

__all__ = [
    "GroupTally",
    "combine_summaries",
    "group_by_resident",
    "resident_metrics",
    "summarise",
    "summary_from",
    "tally_group",
]

from graph.vocabulary import KINDS


def resident_metrics(circles: Circles, gaps: list[Gap]) -> list[dict]:
    """One row per resident (every resident, also with an empty circle), sorted by resident id.

    ``awareness_coverage`` is the share of ordered pairs (A, B), A ≠ B, with knows(A, B, R);
    ``mutual_share`` the share of unordered pairs aware both ways; both None below 2 helpers.
    """
    gap_count = defaultdict(int)
    for gap in gaps:
        gap_count[gap.resident_id] += 1
    rows = []
    for resident, (neighbourhood, _) in circles.residents.items():
        members = circles.members(resident)
        kinds = [circles.helpers[h].kind for h in members]
        organisations = {circles.helpers[h].organisation_id for h in members} - {None}
        knows = circles.knows.get(resident, set())
        size = len(members)
        coverage = mutual = None
        if size >= 2:
            coverage = len(knows) / (size * (size - 1))
            both = sum((a, b) in knows and (b, a) in knows for a, b in combinations(members, 2))
            mutual = both / (size * (size - 1) / 2)
        rows.append(
            {
                "resident_id": resident,
                "neighbourhood": neighbourhood,
                "circle_size": size,
                "formal": kinds.count("formal"),
                "informal": kinds.count("informal"),
                "caregivers": kinds.count("caregiver"),
                "organisations": len(organisations),
                "awareness_coverage": coverage,
                "mutual_share": mutual,
                "gap_count": gap_count[resident],
            }
        )
    return rows


@dataclass
class GroupTally:
    """What a summary needs from the circles of a group of residents (and can be merged across parts)."""

    helpers: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    caregiver_pairs: int = 0
    caregivers_seen: int = 0

    def merge(self, other: "GroupTally") -> None:
        """Add ``other`` (another group of residents) to this tally."""
        for kind, helpers in other.helpers.items():
            self.helpers[kind] |= helpers
        self.caregiver_pairs += other.caregiver_pairs
        self.caregivers_seen += other.caregivers_seen


def tally_group(circles: Circles, residents: Iterable[str]) -> GroupTally:
    """Helpers by kind, and (caregiver, resident) pairs where the resident has a professional
    and how many of those caregivers a professional knows, over ``residents``."""
    tally = GroupTally()
    for resident in residents:
        members = circles.members(resident)
        for helper in members:
            tally.helpers[circles.helpers[helper].kind].add(helper)
        formal = [h for h in members if circles.helpers[h].kind == "formal"]
        if formal:
            for caregiver in (h for h in members if circles.helpers[h].kind == "caregiver"):
                tally.caregiver_pairs += 1
                tally.caregivers_seen += any(circles.knows_pair(resident, f, caregiver) for f in formal)
    return tally


def summary_from(rows: list[dict], gaps_by_resident: Mapping[str, list[Gap]], tally: GroupTally) -> dict:
    """The summary of SPEC §5 over the residents ``rows`` (their metric rows), their gaps, and the
    :class:`GroupTally` of their circles.

    It also carries ``_share_bases``: how many items each share was computed over, for
    small-cell suppression.
    """
    coverages = [row["awareness_coverage"] for row in rows if row["circle_size"] >= 2]
    gaps_by_type = dict.fromkeys(GAP_TYPES, 0)
    with_gaps = 0
    for row in rows:
        resident_gaps = gaps_by_resident.get(row["resident_id"], ())
        with_gaps += bool(resident_gaps)
        for gap in resident_gaps:
            gaps_by_type[gap.type] += 1
    pairs = tally.caregiver_pairs
    return {
        "residents": len(rows),
        "residents_with_circle": len(coverages),
        "helpers": {kind: len(ids) for kind, ids in tally.helpers.items()},
        # fsum: the same mean whatever the order the residents come in (one snapshot or in parts)
        "mean_awareness_coverage": math.fsum(coverages) / len(coverages) if coverages else None,
        "residents_with_gaps": with_gaps,
        "gaps_by_type": gaps_by_type,
        "caregiver_visibility": tally.caregivers_seen / pairs if pairs else None,
        "_share_bases": {"mean_awareness_coverage": len(coverages), "caregiver_visibility": pairs},
    }


def group_by_resident(gaps: Iterable[Gap]) -> dict[str, list[Gap]]:
    """Gaps per resident id."""
    grouped: dict[str, list[Gap]] = defaultdict(list)
    for gap in gaps:
        grouped[gap.resident_id].append(gap)
    return grouped


def summarise(circles: Circles, residents: list[dict], gaps: list[Gap]) -> tuple[list[dict], dict]:
    """Return (one summary per neighbourhood sorted by name, the overall summary)."""
    by_area: dict[str, list[dict]] = defaultdict(list)
    for row in residents:
        by_area[row["neighbourhood"]].append(row)
    gaps_by_resident = group_by_resident(gaps)
    areas = [
        {"neighbourhood": area, **summary_from(rows, gaps_by_resident, tally_group(circles, _ids(rows)))}
        for area, rows in sorted(by_area.items())
    ]
    return areas, summary_from(residents, gaps_by_resident, tally_group(circles, _ids(residents)))


def _ids(rows: list[dict]) -> list[str]:
    return [row["resident_id"] for row in rows]


def combine_summaries(summaries: list[dict]) -> dict:
    """The summary of several neighbourhoods together, from their summaries alone.

    Counts add up; shares are weighted by the number of items each was computed over.
    Helpers by kind are left out: a helper may work in several neighbourhoods.

    Examples
    --------
    >>> a = {"residents": 4, "residents_with_circle": 2, "mean_awareness_coverage": 0.5,
    ...      "residents_with_gaps": 1, "gaps_by_type": {"unmet_need": 2}, "caregiver_visibility": None,
    ...      "_share_bases": {"mean_awareness_coverage": 2, "caregiver_visibility": 0}}
    >>> b = {"residents": 6, "residents_with_circle": 6, "mean_awareness_coverage": 0.9,
    ...      "residents_with_gaps": 3, "gaps_by_type": {"unmet_need": 1}, "caregiver_visibility": 1.0,
    ...      "_share_bases": {"mean_awareness_coverage": 6, "caregiver_visibility": 2}}
    >>> combined = combine_summaries([a, b])
    >>> combined["residents"], combined["mean_awareness_coverage"], combined["caregiver_visibility"]
    (10, 0.8, 1.0)
    """
    combined: dict = {"residents": 0, "residents_with_circle": 0, "residents_with_gaps": 0}
    gaps_by_type = dict.fromkeys(GAP_TYPES, 0)
    shares = {"mean_awareness_coverage": [0.0, 0], "caregiver_visibility": [0.0, 0]}
    for summary in summaries:
        for key in ("residents", "residents_with_circle", "residents_with_gaps"):
            combined[key] += summary[key]
        for gap_type, count in summary["gaps_by_type"].items():
            gaps_by_type[gap_type] = gaps_by_type.get(gap_type, 0) + count
        for key, tally in shares.items():
            base = summary["_share_bases"][key]
            if base:
                tally[0] += summary[key] * base
                tally[1] += base
    combined["gaps_by_type"] = gaps_by_type
    for key, (weighted, base) in shares.items():
        combined[key] = weighted / base if base else None
    combined["_share_bases"] = {key: base for key, (_, base) in shares.items()}
    return combined
