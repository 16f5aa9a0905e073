"""The analysis of a snapshot read in parts (one neighbourhood at a time), merged exactly.

Every gap but ``caregiver_overload`` depends on one circle only, the summaries and "finding
each other" add up over groups of residents, and the helper network is the union of the
links seen in each circle. So a snapshot can be analysed part by part, holding one part's
rows at a time plus the results, and give exactly what the whole snapshot gives.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, itemgetter

import numpy as np

from graph.analysis.circles import CircleTables, circle_tables
from graph.analysis.gaps import (
    GAP_TYPES,
    SORT_KEY,
    Gap,
    active_hours,
    caregiver_overload,
    caregiver_rows,
    circle_gaps,
)
from graph.analysis.metrics import GroupTally, ResidentRow, resident_metrics, summary_of, tally_groups
from graph.analysis.network import NetworkPieces, broker_positions, network_pieces
from graph.analysis.organisations import helper_groups, merge_tallies, organisation_rows, organisation_tallies
from graph.model import Snapshot

__all__ = ["PartialAnalysis", "analyse_in_parts"]


@dataclass
class PartialAnalysis:
    """Results gathered part by part; :meth:`finish` turns them into the whole analysis."""

    as_of: date
    rows: list[ResidentRow] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    #: per neighbourhood: helpers by kind and caregivers seen; (group a, group b) tallies; network
    areas: dict[str, GroupTally] = field(default_factory=dict)
    area_organisations: dict[str, dict[tuple, list[int]]] = field(default_factory=dict)
    area_networks: dict[str, NetworkPieces] = field(default_factory=dict)
    #: helper id -> active hours summed so far; (resident, caregiver, role) of each caregiver
    hours: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    caregivers: list[tuple[str, str, str]] = field(default_factory=list)
    #: helper id -> group, of the helpers in a circle
    groups: dict[str, str] = field(default_factory=dict)
    #: resident id -> its caregivers with a formal helper in the circle, and how many of them one sees
    caregivers_seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: organisation id -> its name (None without one)
    organisation_names: dict[str, str | None] = field(default_factory=dict)

    def add(self, part: Snapshot) -> CircleTables:
        """Analyse one part (any set of residents with all their support and awareness rows, and
        the helpers those rows name); return its tables."""
        tables = circle_tables(part, self.as_of)
        self.rows += resident_metrics(tables)
        self.gaps += circle_gaps(tables)
        for area, tally in tally_groups(tables).items():
            self.areas.setdefault(area, GroupTally()).merge(tally)
        for area, tallies in organisation_tallies(tables).items():
            merge_tallies(self.area_organisations.setdefault(area, {}), tallies)
        for area, pieces in network_pieces(tables).items():
            self.area_networks.setdefault(area, NetworkPieces()).merge(pieces)
        for helper, hours in active_hours(tables).items():
            self.hours[helper] += hours
        self.caregivers += caregiver_rows(tables)
        self.caregivers_seen.update(_caregivers_seen(tables))
        organisations = part.organisations
        for organisation, name in zip(
            organisations["organisation_id"].tolist(), organisations["name"].tolist(), strict=True
        ):
            self.organisation_names[organisation] = name if isinstance(name, str) and name else None
        helpers = tables.helpers
        in_circles = np.unique(tables.members.helper)
        groups = helper_groups(helpers)
        self.groups.update(zip(helpers.id[in_circles].tolist(), groups[in_circles].tolist(), strict=True))
        return tables

    def finish(self) -> dict:
        """The fields of :class:`~graph.analysis.report.Analysis` but its date and circles."""
        gaps = sorted(self.gaps + caregiver_overload(self.caregivers, self.hours), key=SORT_KEY)
        residents, types = list(map(attrgetter("resident_id"), gaps)), list(map(attrgetter("type"), gaps))
        gap_count = Counter(residents)
        rows = sorted(self.rows, key=itemgetter("resident_id"))
        rows_by_area: dict[str, list[ResidentRow]] = defaultdict(list)
        for row in rows:
            row["gap_count"] = gap_count[row["resident_id"]]
            rows_by_area[row["neighbourhood"]].append(row)
        area_of = {row["resident_id"]: row["neighbourhood"] for row in rows}
        types_by_area = Counter(zip(map(area_of.__getitem__, residents), types, strict=True))
        overall, organisations, network = GroupTally(), {}, NetworkPieces()
        for area in sorted(rows_by_area):
            overall.merge(self.areas[area])
            merge_tallies(organisations, self.area_organisations[area])
            network.merge(self.area_networks[area])
        return {
            "residents": rows,
            "gaps": gaps,
            "neighbourhoods": [
                summary_of(
                    rows_by_area[area],
                    {gap_type: types_by_area[area, gap_type] for gap_type in GAP_TYPES},
                    self.areas[area],
                    area,
                )
                for area in sorted(rows_by_area)
            ],
            "overall": summary_of(rows, Counter(types), overall),
            "organisations": organisation_rows(organisations),
            "helper_network": network.summary(self.groups),
            "area_organisations": {
                area: organisation_rows(self.area_organisations[area]) for area in sorted(rows_by_area)
            },
            "area_networks": {area: self.area_networks[area].counts() for area in sorted(rows_by_area)},
            "caregivers_seen": self.caregivers_seen,
            "organisation_names": dict(sorted(self.organisation_names.items())),
            "broker_kinds": {
                None: _broker_kinds(network, overall),
                **{
                    area: _broker_kinds(self.area_networks[area], self.areas[area])
                    for area in sorted(rows_by_area)
                },
            },
        }


def _caregivers_seen(tables: CircleTables) -> dict[str, tuple[int, int]]:
    """Per resident with a caregiver and a formal helper: its caregivers, and how many of them a
    formal helper knows (what caregiver visibility counts, resident by resident)."""
    caregivers = tables.caregivers.take(tables.caregivers.with_formal)
    residents, which = np.unique(caregivers.resident, return_inverse=True)
    pairs = np.bincount(which, minlength=len(residents))
    seen = np.bincount(which, weights=caregivers.seen, minlength=len(residents)).astype(np.int64)
    return dict(
        zip(
            tables.residents.id[residents].tolist(),
            zip(pairs.tolist(), seen.tolist(), strict=True),
            strict=True,
        )
    )


def _broker_kinds(pieces: NetworkPieces, tally: GroupTally) -> dict[str, int]:
    """The helpers of a network in a broker position, by kind (formal, informal, caregiver)."""
    brokers = broker_positions(pieces.links)
    return {kind: len(helpers & brokers) for kind, helpers in tally.helpers.items()}


def analyse_in_parts(parts: Iterable[Snapshot], as_of: date) -> PartialAnalysis:
    """Add every part to a new :class:`PartialAnalysis` at ``as_of``."""
    partial = PartialAnalysis(as_of)
    for part in parts:
        partial.add(part)
    return partial
