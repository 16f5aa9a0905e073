"""What the policy role may see: every figure of a snapshot, protected together against small cells.

Policy staff see counts and shares per neighbourhood and for the whole municipality, and can
compare views. A count from 1 to k−1 is a *small cell*: it is shown as ``"<k"`` (primary
suppression). That alone is not enough, because published figures add up: the municipality's
count minus the other neighbourhoods' counts would give the hidden one back. So wherever an
addition (a total and its parts) has exactly one hidden figure, one more is hidden (secondary
suppression, shown as None), until every addition has none or at least two (the usual rule of
statistical offices). A share is shown only when it rests on at least k items and its base
count is shown.

All figures of a snapshot that any policy view shows — the summaries, the coverage
distribution, "finding each other", the helper network with its brokers, for the municipality and
for each neighbourhood, and "the rest of the municipality" beside each neighbourhood — are
protected in one go, so that no two views can be subtracted. The additions are those a reader
can make: the municipality is its neighbourhoods together (for helpers, who may work in several
neighbourhoods, and for the network, this is the cautious side); the coverage bands add up to the
residents with a circle; helpers by kind add up to the network's helpers, and each kind's helpers
are its brokers and the others; the rest of the municipality is the municipality less the
neighbourhood, and the other neighbourhoods together.

Brokers are counted, never listed: per scope, the helpers in a broker position (two of the helpers
they know do not know each other) by kind.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.analysis.metrics import combine_summaries

if TYPE_CHECKING:
    from graph.analysis.metrics import Summary
    from graph.analysis.report import Analysis

__all__ = ["COVERAGE_BANDS", "Publication", "coverage_bands", "protect", "protect_report", "publish"]

COVERAGE_BANDS = 10
_SUMMARY_COUNTS = ("residents", "residents_with_circle", "residents_with_gaps")
_NETWORK_COUNTS = ("helpers", "links", "components", "isolated_count")
_SHARES = ("mean_awareness_coverage", "caregiver_visibility")

Cell = Hashable
Addition = tuple[Cell, list[Cell]]
#: None for the municipality, else a neighbourhood's name
Scope = str | None


def protect(
    cells: dict[Cell, int], additions: Iterable[Addition], k: int = 5
) -> dict[Cell, int | str | None]:
    """Small-cell protection of counts that are tied by additions (total = sum of parts).

    Counts from 1 to k−1 become ``"<k"``; then, while some addition has exactly one hidden
    figure, its smallest other non-zero part (else its total, else any published member) is
    hidden too and becomes None.

    Examples
    --------
    >>> cells = {"all": 23, "north": 3, "south": 12, "west": 8}
    >>> protect(cells, [("all", ["north", "south", "west"])])
    {'all': 23, 'north': '<5', 'south': 12, 'west': None}
    """
    additions = [(total, list(parts)) for total, parts in additions]
    primary = {cell for cell, value in cells.items() if 0 < value < k}
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for total, parts in additions:
            partner = _partner(cells, hidden, total, parts)
            if partner is not None:
                hidden.add(partner)
                changed = True
    return {
        cell: (f"<{k}" if cell in primary else None if cell in hidden else value)
        for cell, value in cells.items()
    }


def _partner(cells: dict[Cell, int], hidden: set[Cell], total: Cell, parts: list[Cell]) -> Cell | None:
    """The figure to hide beside the one hidden figure of an addition; None when the addition
    does not have exactly one hidden figure (or has nothing left to hide)."""
    members = [total, *parts]
    if sum(member in hidden for member in members) != 1:
        return None
    shown = [part for part in parts if part not in hidden and cells[part] > 0]
    if shown:
        return min(shown, key=lambda part: (cells[part], repr(part)))
    if total not in hidden and cells[total] > 0:
        return total
    return next((member for member in members if member not in hidden), None)


def coverage_bands(coverages: Iterable[float]) -> list[int]:
    """Residents per tenth of awareness coverage (0–10%, …, 90–100%; 100% in the last band).

    Examples
    --------
    >>> coverage_bands([0.0, 0.05, 0.5, 1.0])
    [2, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    """
    counts = [0] * COVERAGE_BANDS
    for value in coverages:
        counts[min(int(value * COVERAGE_BANDS), COVERAGE_BANDS - 1)] += 1
    return counts


@dataclass(frozen=True)
class Publication:
    """Everything the policy role may see of one snapshot, per scope (None: the municipality;
    otherwise a neighbourhood's name).

    ``networks`` hold the helper network's counts, with ``brokers``: the helpers in a broker
    position by kind (never who they are). ``rests`` hold, for each neighbourhood, the summary of
    all the other neighbourhoods together: what the trends page compares a pilot with.
    """

    k: int
    summaries: dict[Scope, dict]
    coverage: dict[Scope, list[int | str | None]]
    organisations: dict[Scope, list[dict]]
    networks: dict[Scope, dict]
    rests: dict[str, dict] = field(default_factory=dict)


def publish(analysis: "Analysis", k: int = 5) -> Publication:
    """Protect every policy figure of ``analysis`` together (see the module's description)."""
    figures = _Figures.of(analysis)
    cells = figures.cells()
    return figures.publication(protect(cells, figures.additions(cells), k), k)


@dataclass(frozen=True)
class _Figures:
    """The exact figures behind a publication, per scope."""

    areas: list[str]
    summaries: dict[Scope, "Summary"]
    rests: dict[str, "Summary"]
    coverage: dict[Scope, list[int]]
    organisations: dict[Scope, list[dict]]
    networks: dict[Scope, dict]
    brokers: dict[Scope, dict[str, int]]

    @classmethod
    def of(cls, analysis: "Analysis") -> "_Figures":
        """The figures of ``analysis``, with the rest of the municipality beside each neighbourhood."""
        areas = [area.neighbourhood for area in analysis.neighbourhoods]
        summaries = {area.neighbourhood: area for area in analysis.neighbourhoods}
        return cls(
            areas=areas,
            summaries={None: analysis.overall, **summaries},
            rests={area: combine_summaries([summaries[o] for o in areas if o != area]) for area in areas},
            coverage={scope: _coverage(analysis, scope) for scope in [None, *areas]},
            organisations={
                scope: [row.as_dict() for row in rows]
                for scope, rows in {
                    None: analysis.organisations,
                    **{area: analysis.area_organisations.get(area, []) for area in areas},
                }.items()
            },
            networks={
                scope: network.as_dict()
                for scope, network in {None: analysis.helper_network, **analysis.area_networks}.items()
            },
            brokers=analysis.broker_kinds,
        )

    @property
    def scopes(self) -> list[Scope]:
        """The municipality, then every neighbourhood."""
        return [None, *self.areas]

    def cells(self) -> dict[Cell, int]:
        """Every count a policy view shows, and the helpers who are no broker (shown nowhere, but
        a reader could subtract them), as (family, scope, name…) -> count."""
        cells: dict[Cell, int] = {}
        for scope in self.scopes:
            cells.update(_summary_cells(scope, self.summaries[scope]))
            cells.update({("coverage", scope, band): n for band, n in enumerate(self.coverage[scope])})
            cells.update(
                {
                    ("pairs", scope, row["a"], row["b"]): row["cross_pairs"]
                    for row in self.organisations[scope]
                }
            )
            cells.update(
                {
                    ("network", scope, name): _network_count(self.networks[scope], name)
                    for name in _NETWORK_COUNTS
                }
            )
        for scope in self.scopes:
            for kind, helpers in self.summaries[scope].helpers.items():
                cells["brokers", scope, kind] = self.brokers[scope][kind]
                cells["others", scope, kind] = helpers - self.brokers[scope][kind]
            network = self.networks[scope]
            cells[_linked(scope)] = network["helpers"] - _network_count(network, "isolated_count")
        for area, rest in self.rests.items():
            cells.update(_summary_cells(_rest_of(area), rest))
        return cells

    def additions(self, cells: dict[Cell, int]) -> list[Addition]:
        """How the ``cells`` add up (see the module's description)."""
        additions: list[Addition] = []
        for cell in [cell for cell in cells if cell[1] is None]:
            family, _, *name = cell
            parts = [(family, area, *name) for area in self.areas if (family, area, *name) in cells]
            additions.append((cell, parts))
        for scope in self.scopes:
            bands = [("coverage", scope, band) for band in range(COVERAGE_BANDS)]
            additions.append((("summary", scope, "residents_with_circle"), bands))
        for scope in self.scopes:
            additions += self._helper_additions(scope)
        for area in self.areas:
            additions += self._rest_additions(area)
        return additions

    def _helper_additions(self, scope: Scope) -> list[Addition]:
        """Helpers by kind add up to the network's helpers, and so do the isolated ones and those with
        a link; a kind's helpers are brokers or others."""
        kinds = list(self.summaries[scope].helpers)
        additions: list[Addition] = [
            (("network", scope, "helpers"), [("summary", scope, f"helpers.{kind}") for kind in kinds]),
            (
                ("network", scope, "helpers"),
                [("network", scope, "isolated_count"), ("linked", scope, "helpers")],
            ),
        ]
        for kind in kinds:
            parts: list[Cell] = [("brokers", scope, kind), ("others", scope, kind)]
            additions.append((("summary", scope, f"helpers.{kind}"), parts))
        return additions

    def _rest_additions(self, area: str) -> list[Addition]:
        """The municipality is ``area`` and the rest; the rest is the other neighbourhoods together."""
        additions: list[Addition] = []
        for cell in _summary_cells(_rest_of(area), self.rests[area]):
            name = cell[2]
            additions.append((("summary", None, name), [("summary", area, name), cell]))
            additions.append((cell, [("summary", other, name) for other in self.areas if other != area]))
        return additions

    def publication(self, shown: dict[Cell, int | str | None], k: int) -> Publication:
        """What the policy role sees, given the protected ``shown`` cells."""
        summaries = {scope: _summary(self.summaries[scope], scope, shown, k) for scope in self.scopes}
        return Publication(
            k=k,
            summaries=summaries,
            coverage={
                scope: [shown["coverage", scope, b] for b in range(COVERAGE_BANDS)] for scope in self.scopes
            },
            organisations={
                scope: [_pairs(row, scope, shown, k) for row in self.organisations[scope]]
                for scope in self.scopes
            },
            networks={
                scope: _network(self.networks[scope], scope, shown, list(self.brokers[scope]))
                for scope in self.scopes
            },
            rests={
                area: _rest(self.rests[area], summaries[area], self.summaries[area], area, shown, k)
                for area in self.areas
            },
        )


def _coverage(analysis: "Analysis", scope: Scope) -> list[int]:
    return coverage_bands(
        row["awareness_coverage"]
        for row in analysis.residents
        if row["awareness_coverage"] is not None and scope in (None, row["neighbourhood"])
    )


def _linked(scope: Scope) -> Cell:
    """The helpers of a network with at least one link (shown nowhere, but the helpers less the
    isolated ones would give it)."""
    return ("linked", scope, "helpers")


def _rest_of(area: str) -> tuple[str, str]:
    """The scope of all neighbourhoods but ``area``."""
    return ("rest", area)


def _summary_cells(scope: Scope | tuple[str, str], summary: "Summary") -> dict[Cell, int]:
    figures = summary.as_dict()
    cells: dict[Cell, int] = {("summary", scope, metric): figures[metric] for metric in _SUMMARY_COUNTS}
    for group in ("helpers", "gaps_by_type"):
        for name, count in figures.get(group, {}).items():
            cells["summary", scope, f"{group}.{name}"] = count
    return cells


def _network_count(network: dict, metric: str) -> int:
    return network[metric] if metric in network else len(network["isolated"])


def _share_base(summary: "Summary", share: str) -> int:
    """How many items a share of ``summary`` was computed over."""
    return getattr(summary.share_bases, share)


def _summary(summary: "Summary", scope: Scope | tuple[str, str], shown: dict, k: int) -> dict:
    out = summary.as_dict()
    for metric in _SUMMARY_COUNTS:
        out[metric] = shown["summary", scope, metric]
    for group in ("helpers", "gaps_by_type"):
        if group in out:
            out[group] = {name: shown["summary", scope, f"{group}.{name}"] for name in out[group]}
    coverage_base = out["residents_with_circle"]
    if not (isinstance(coverage_base, int) and _share_base(summary, "mean_awareness_coverage") >= k):
        out["mean_awareness_coverage"] = None
    if _share_base(summary, "caregiver_visibility") < k:
        out["caregiver_visibility"] = None
    return out


def _rest(rest: "Summary", pilot: dict, exact: "Summary", area: str, shown: dict, k: int) -> dict:
    """The other neighbourhoods together beside ``area``; a share of theirs is left out where the
    neighbourhood's own (``pilot``, as published; ``exact`` as computed) is left out, as the
    municipality's share would give it back: unless the neighbourhood has no items for that share,
    when the rest's share is the municipality's and gives nothing away."""
    out = _summary(rest, _rest_of(area), shown, k)
    for share in _SHARES:
        if pilot[share] is None and _share_base(exact, share):
            out[share] = None
    return out


def _pairs(row: dict, scope: Scope, shown: dict, k: int) -> dict:
    pairs = shown["pairs", scope, row["a"], row["b"]]
    if isinstance(pairs, int) and pairs >= k:
        return dict(row)
    return {**row, "cross_pairs": pairs, "aware_share": None, "mutual_share": None}


def _network(network: dict, scope: Scope, shown: dict, kinds: list[str]) -> dict:
    """The network's counts as shown, in the order of the team's summary; brokers counted by kind.

    The density is shown only with both counts it comes from (it would give a hidden one back).
    """
    helpers, links = shown["network", scope, "helpers"], shown["network", scope, "links"]
    exact = isinstance(helpers, int) and isinstance(links, int)
    return {
        "helpers": helpers,
        "links": links,
        "density": network.get("density", _density(helpers, links)) if exact else None,
        "components": shown["network", scope, "components"],
        "brokers": {kind: shown["brokers", scope, kind] for kind in kinds},
        "isolated": [],
        "isolated_count": shown["network", scope, "isolated_count"],
    }


def _density(helpers: int, links: int) -> float:
    """The density of a network of ``helpers`` and ``links``, as :func:`networkx.density` gives it.

    Examples
    --------
    >>> _density(4, 3), _density(1, 0)
    (0.5, 0.0)
    """
    return links / (helpers * (helpers - 1)) * 2 if links and helpers > 1 else 0.0


def protect_report(report: dict, k: int = 5) -> dict:
    """An ingest report as the policy role may see it: counts per file and per (file, code),
    protected together; no rows, no messages (they name residents and helpers).

    The counts come from the report's ``problem_counts`` when it has them (its lists then
    hold only the first examples of each code), else from its lists of problems.
    """
    cells: dict[Cell, int] = {}
    additions: list[Addition] = []
    for name, counts in report["files"].items():
        for measure in ("read", "accepted", "rejected"):
            cells["file", name, measure] = counts[measure]
        additions.append((("file", name, "read"), [("file", name, "accepted"), ("file", name, "rejected")]))
    for kind in ("rejected", "warnings"):
        codes = _problem_counts(report, kind)
        for (file, code), count in codes.items():
            cells[kind, file, code] = count
        cells[kind, "(all)", "(all)"] = sum(codes.values())
        additions.append(((kind, "(all)", "(all)"), [(kind, f, c) for f, c in codes]))
        if kind == "rejected":
            for name in report["files"]:
                parts = [(kind, f, c) for f, c in codes if f == name]
                if parts:
                    additions.append((("file", name, "rejected"), parts))
    shown = protect(cells, additions, k)
    return {
        "dataset": report.get("dataset"),
        "as_of": report.get("as_of"),
        "files": {
            name: {measure: shown["file", name, measure] for measure in ("read", "accepted", "rejected")}
            for name in report["files"]
        },
        **{
            kind: {
                "total": shown[kind, "(all)", "(all)"],
                "by_code": [
                    {"file": file, "code": code, "count": shown[kind, file, code]}
                    for (cell_kind, file, code) in sorted(
                        c for c in cells if c[0] == kind and c[1] != "(all)"
                    )
                    if cell_kind == kind
                ],
            }
            for kind in ("rejected", "warnings")
        },
        "ignored_columns": report.get("ignored_columns", {}),
    }


def _problem_counts(report: dict, kind: str) -> dict[tuple[str, str], int]:
    """Problems of ``kind`` ("rejected" or "warnings") per (file, code): from ``problem_counts``
    when the report has them, else counted in its list."""
    counted = (report.get("problem_counts") or {}).get(kind)
    if counted is not None:
        return {(file, code): n for file, codes in counted.items() for code, n in codes.items() if n}
    codes: dict[tuple[str, str], int] = {}
    for problem in report[kind]:
        codes[problem["file"], problem["code"]] = codes.get((problem["file"], problem["code"]), 0) + 1
    return codes
