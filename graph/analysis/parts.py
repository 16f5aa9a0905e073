"""The analysis of a snapshot read in parts (one neighbourhood at a time), merged exactly.

Every gap but ``caregiver_overload`` depends on one circle only, the summaries and "finding
each other" add up over groups of residents, and the helper network is the union of the
links seen in each circle. So a snapshot can be analysed part by part, holding one part's
rows at a time plus the results, and give exactly what the whole snapshot gives.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from graph.analysis.circles import Circles, build_circles
from graph.analysis.gaps import Gap, caregivers_in_circles, circle_gaps, overload_gaps
from graph.analysis.metrics import GroupTally, group_by_resident, resident_metrics, summary_from, tally_group
from graph.analysis.network import NetworkPieces, broker_positions, network_summary
from graph.analysis.organisations import group_of, merge_tallies, organisation_rows, organisation_tallies
from graph.model import Snapshot

__all__ = ["PartialAnalysis", "analyse_in_parts"]


@dataclass
class PartialAnalysis:
    """Results gathered part by part; :meth:`finish` turns them into the whole analysis."""

    as_of: date
    rows: list[dict] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    areas: dict[str, GroupTally] = field(default_factory=dict)
    overall: GroupTally = field(default_factory=GroupTally)
    hours: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    caregivers: list[tuple[str, str, str]] = field(default_factory=list)
    organisations: dict[tuple, list[int]] = field(default_factory=dict)
    area_organisations: dict[str, dict[tuple, list[int]]] = field(default_factory=dict)
    network: NetworkPieces = field(default_factory=NetworkPieces)
    area_networks: dict[str, NetworkPieces] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)

    def add(self, part: Snapshot) -> Circles:
        """Analyse one part (any set of residents with all their support and awareness rows)."""
        circles = build_circles(part, self.as_of)
        gaps = circle_gaps(circles)
        rows = resident_metrics(circles, gaps)
        self.rows += rows
        self.gaps += gaps
        by_area: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            by_area[row["neighbourhood"]].append(row["resident_id"])
        for area, residents in by_area.items():
            tally = tally_group(circles, residents)
            self.areas.setdefault(area, GroupTally()).merge(tally)
            self.overall.merge(tally)
            tallies = organisation_tallies(circles, residents)
            merge_tallies(self.area_organisations.setdefault(area, {}), tallies)
            merge_tallies(self.organisations, tallies)
            pieces = NetworkPieces()
            pieces.add(circles, residents)
            self.area_networks.setdefault(area, NetworkPieces()).merge(pieces)
            self.network.merge(pieces)
        for helper, hours in circles.hours.items():
            self.hours[helper] += hours
        self.caregivers += caregivers_in_circles(circles)
        for members in circles.circle.values():
            self.groups.update((h, group_of(circles.helpers[h])) for h in members)
        return circles

    def finish(self) -> dict:
        """The fields of :class:`~graph.analysis.report.Analysis` but its date and circles."""
        gaps = sorted(self.gaps + overload_gaps(self.caregivers, self.hours), key=Gap.sort_key)
        by_resident = group_by_resident(gaps)
        rows = sorted(self.rows, key=lambda row: row["resident_id"])
        for row in rows:
            row["gap_count"] = len(by_resident.get(row["resident_id"], ()))
        rows_by_area: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            rows_by_area[row["neighbourhood"]].append(row)
        return {
            "residents": rows,
            "gaps": gaps,
            "neighbourhoods": [
                {"neighbourhood": area, **summary_from(rows_by_area[area], by_resident, self.areas[area])}
                for area in sorted(rows_by_area)
            ],
            "overall": summary_from(rows, by_resident, self.overall),
            "organisations": organisation_rows(self.organisations),
            "helper_network": network_summary(self.network.graph(), self.network.shared, self.groups),
            "area_organisations": {
                area: organisation_rows(tallies) for area, tallies in sorted(self.area_organisations.items())
            },
            "area_networks": {area: pieces.counts() for area, pieces in sorted(self.area_networks.items())},
            "broker_kinds": {
                None: _broker_kinds(self.network, self.overall),
                **{
                    area: _broker_kinds(self.area_networks[area], self.areas[area])
                    for area in sorted(self.areas)
                },
            },
        }


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
