"""Per-resident metrics and per-neighbourhood summaries (SPEC §5)."""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np

from graph.analysis.circles import CircleTables
from graph.analysis.gaps import GAP_TYPES

__all__ = [
    "GroupTally",
    "ResidentRow",
    "ShareBases",
    "Summary",
    "combine_summaries",
    "resident_metrics",
    "summary_of",
    "tally_groups",
]

from graph.vocabulary import KINDS


class ResidentRow(TypedDict):
    """The metrics of one resident, as ``analyze`` lists them."""

    resident_id: str
    neighbourhood: str
    circle_size: int
    formal: int
    informal: int
    caregivers: int
    organisations: int
    #: share of ordered pairs (A, B), A ≠ B in Circle(R), with knows(A, B, R); None below 2 helpers
    awareness_coverage: float | None
    #: share of unordered pairs aware both ways; None below 2 helpers
    mutual_share: float | None
    gap_count: int


@dataclass(frozen=True)
class ShareBases:
    """How many items each share of a :class:`Summary` was computed over (for small-cell
    protection: a share over fewer than k items is not shown to policy staff)."""

    #: residents with circle_size ≥ 2
    mean_awareness_coverage: int
    #: (caregiver, resident) pairs among residents with a formal helper
    caregiver_visibility: int


@dataclass(frozen=True)
class Summary:
    """The summary of SPEC §5 over a neighbourhood, or over all residents (``neighbourhood``
    None)."""

    residents: int
    residents_with_circle: int
    #: helpers by kind; None for a combination of neighbourhoods (a helper may work in several)
    helpers: dict[str, int] | None
    mean_awareness_coverage: float | None
    residents_with_gaps: int
    gaps_by_type: dict[str, int]
    caregiver_visibility: float | None
    share_bases: ShareBases
    neighbourhood: str | None = None

    def as_dict(self) -> dict:
        """The summary as ``analyze`` shows it to the team: its figures (the neighbourhood first),
        without the share bases.

        Examples
        --------
        >>> summary = Summary(3, 2, None, 0.5, 1, {"unmet_need": 1}, None, ShareBases(2, 0), "Haven")
        >>> summary.as_dict()["neighbourhood"], "share_bases" in summary.as_dict()
        ('Haven', False)
        """
        figures: dict = {} if self.neighbourhood is None else {"neighbourhood": self.neighbourhood}
        figures |= {"residents": self.residents, "residents_with_circle": self.residents_with_circle}
        if self.helpers is not None:
            figures["helpers"] = self.helpers
        return figures | {
            "mean_awareness_coverage": self.mean_awareness_coverage,
            "residents_with_gaps": self.residents_with_gaps,
            "gaps_by_type": self.gaps_by_type,
            "caregiver_visibility": self.caregiver_visibility,
        }


def resident_metrics(tables: CircleTables) -> list[ResidentRow]:
    """One row per resident (every resident, also with an empty circle), sorted by resident id;
    ``gap_count`` is 0 until the gaps are counted.

    ``awareness_coverage`` is the share of ordered pairs (A, B), A ≠ B, with knows(A, B, R);
    ``mutual_share`` the share of unordered pairs aware both ways; both None below 2 helpers.
    """
    members, pairs, helpers = tables.members, tables.pairs, tables.helpers
    count = len(tables.residents)

    def per_resident(residents: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(residents, weights=weights, minlength=count).astype(np.int64)

    size = per_resident(members.resident)
    kind = helpers.kind[members.helper]
    organisation = helpers.organisation[members.helper]
    with_organisation = ~np.equal(organisation, None)
    # each (resident, organisation) once: a resident's organisations
    _, organisation_code = np.unique(organisation[with_organisation].astype(str), return_inverse=True)
    resident_organisations = np.unique(tables.key(members.resident[with_organisation], organisation_code))
    knowing = per_resident(pairs.resident, pairs.a_knows_b.astype(np.int64) + pairs.b_knows_a)
    mutual = per_resident(pairs.resident, pairs.a_knows_b & pairs.b_knows_a)
    with_pairs = size >= 2
    ordered_pairs = np.where(with_pairs, size * (size - 1), 1)
    columns = {
        "resident_id": tables.residents.id,
        "neighbourhood": tables.residents.neighbourhood,
        "circle_size": size,
        "formal": per_resident(members.resident[kind == "formal"]),
        "informal": per_resident(members.resident[kind == "informal"]),
        "caregivers": per_resident(members.resident[kind == "caregiver"]),
        "organisations": per_resident(resident_organisations // tables.width),
        "awareness_coverage": np.where(with_pairs, knowing / ordered_pairs, None),
        "mutual_share": np.where(with_pairs, mutual / (ordered_pairs / 2), None),
    }
    return [
        {**dict(zip(columns, values, strict=True)), "gap_count": 0}
        for values in zip(*(column.tolist() for column in columns.values()), strict=True)
    ]


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


def tally_groups(tables: CircleTables) -> dict[str, GroupTally]:
    """Per neighbourhood of ``tables`` (every one, also without circles): its helpers by kind,
    its (caregiver, resident) pairs where the resident has a formal helper, and how many of
    those caregivers a formal helper knows."""
    names, area = tables.areas
    tallies = {name: GroupTally() for name in names.tolist()}
    members = tables.members
    # each helper once per neighbourhood
    in_area = np.unique(tables.key(area[members.resident], members.helper))
    area_of, helper = np.divmod(in_area, tables.width)
    helpers = tables.helpers
    for name, kind, helper_id in zip(
        names[area_of].tolist(), helpers.kind[helper].tolist(), helpers.id[helper].tolist(), strict=True
    ):
        tallies[name].helpers[kind].add(helper_id)
    caregivers = tables.caregivers.take(tables.caregivers.with_formal)
    pairs = np.bincount(area[caregivers.resident], minlength=len(names))
    seen = np.bincount(area[caregivers.resident], weights=caregivers.seen, minlength=len(names))
    for name, area_pairs, area_seen in zip(
        names.tolist(), pairs.tolist(), seen.astype(np.int64).tolist(), strict=True
    ):
        tallies[name].caregiver_pairs += area_pairs
        tallies[name].caregivers_seen += area_seen
    return tallies


def summary_of(
    rows: list[ResidentRow],
    gaps_by_type: Mapping[str, int],
    tally: GroupTally,
    neighbourhood: str | None = None,
) -> Summary:
    """The summary of SPEC §5 over the residents ``rows`` (their metric rows, gaps counted), the
    number of their gaps by type, and the :class:`GroupTally` of their circles."""
    coverages = [row["awareness_coverage"] for row in rows if row["circle_size"] >= 2]
    pairs = tally.caregiver_pairs
    return Summary(
        residents=len(rows),
        residents_with_circle=len(coverages),
        helpers={kind: len(ids) for kind, ids in tally.helpers.items()},
        # fsum: the same mean whatever the order the residents come in (one snapshot or in parts)
        mean_awareness_coverage=math.fsum(coverages) / len(coverages) if coverages else None,
        residents_with_gaps=sum(1 for row in rows if row["gap_count"]),
        gaps_by_type={gap_type: gaps_by_type.get(gap_type, 0) for gap_type in GAP_TYPES},
        caregiver_visibility=tally.caregivers_seen / pairs if pairs else None,
        share_bases=ShareBases(len(coverages), pairs),
        neighbourhood=neighbourhood,
    )


def combine_summaries(summaries: Iterable[Summary]) -> Summary:
    """The summary of several neighbourhoods together, from their summaries alone.

    Counts add up; shares are weighted by the number of items each was computed over.
    Helpers by kind are left out (None): a helper may work in several neighbourhoods.

    Examples
    --------
    >>> a = Summary(4, 2, None, 0.5, 1, {"unmet_need": 2}, None, ShareBases(2, 0))
    >>> b = Summary(6, 6, None, 0.9, 3, {"unmet_need": 1}, 1.0, ShareBases(6, 2))
    >>> combined = combine_summaries([a, b])
    >>> combined.residents, combined.mean_awareness_coverage, combined.caregiver_visibility
    (10, 0.8, 1.0)
    >>> combined.share_bases
    ShareBases(mean_awareness_coverage=8, caregiver_visibility=2)
    """
    summaries = list(summaries)
    gaps_by_type = dict.fromkeys(GAP_TYPES, 0)
    for summary in summaries:
        for gap_type, count in summary.gaps_by_type.items():
            gaps_by_type[gap_type] = gaps_by_type.get(gap_type, 0) + count
    shares = {}
    for share in ("mean_awareness_coverage", "caregiver_visibility"):
        weighted = [
            (getattr(s, share), getattr(s.share_bases, share))
            for s in summaries
            if getattr(s.share_bases, share)
        ]
        base = sum(items for _, items in weighted)
        shares[share] = (sum(value * items for value, items in weighted) / base if base else None, base)
    return Summary(
        residents=sum(s.residents for s in summaries),
        residents_with_circle=sum(s.residents_with_circle for s in summaries),
        helpers=None,
        mean_awareness_coverage=shares["mean_awareness_coverage"][0],
        residents_with_gaps=sum(s.residents_with_gaps for s in summaries),
        gaps_by_type=gaps_by_type,
        caregiver_visibility=shares["caregiver_visibility"][0],
        share_bases=ShareBases(shares["mean_awareness_coverage"][1], shares["caregiver_visibility"][1]),
    )
