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
distribution, "finding each other" and the helper network, for the municipality and for each
neighbourhood — are protected in one go, so that no two views can be subtracted.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.analysis.metrics import Summary
    from graph.analysis.report import Analysis

__all__ = ["COVERAGE_BANDS", "Publication", "coverage_bands", "protect", "protect_report", "publish"]

COVERAGE_BANDS = 10
_SUMMARY_COUNTS = ("residents", "residents_with_circle", "residents_with_gaps")
_NETWORK_COUNTS = ("helpers", "links", "components", "isolated_count")

Cell = Hashable
Addition = tuple[Cell, list[Cell]]


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
    hidden = {cell for cell, value in cells.items() if 0 < value < k}
    primary = set(hidden)
    changed = True
    while changed:
        changed = False
        for total, parts in additions:
            members = [total, *parts]
            if sum(member in hidden for member in members) != 1:
                continue
            shown = [p for p in parts if p not in hidden]
            choice = min((p for p in shown if cells[p] > 0), key=lambda p: (cells[p], repr(p)), default=None)
            if choice is None and total not in hidden and cells[total] > 0:
                choice = total
            if choice is None:
                choice = next((m for m in members if m not in hidden), None)
            if choice is not None:
                hidden.add(choice)
                changed = True
    return {
        cell: (f"<{k}" if cell in primary else None if cell in hidden else value)
        for cell, value in cells.items()
    }


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
    otherwise a neighbourhood's name)."""

    k: int
    summaries: dict[str | None, dict]
    coverage: dict[str | None, list[int | str | None]]
    organisations: dict[str | None, list[dict]]
    networks: dict[str | None, dict]


def publish(analysis: "Analysis", k: int = 5) -> Publication:
    """Protect every policy figure of ``analysis`` together (see the module's description)."""
    scopes: list[str | None] = [None, *(area.neighbourhood for area in analysis.neighbourhoods)]
    summaries = {None: analysis.overall, **{a.neighbourhood: a for a in analysis.neighbourhoods}}
    organisations = {
        scope: [row.as_dict() for row in rows]
        for scope, rows in {None: analysis.organisations, **analysis.area_organisations}.items()
    }
    networks = {
        scope: network.as_dict()
        for scope, network in {None: analysis.helper_network, **analysis.area_networks}.items()
    }
    coverage = {
        scope: coverage_bands(
            row["awareness_coverage"]
            for row in analysis.residents
            if row["awareness_coverage"] is not None and scope in (None, row["neighbourhood"])
        )
        for scope in scopes
    }
    cells: dict[Cell, int] = {}
    for scope in scopes:
        summary = summaries[scope].as_dict()
        for metric in _SUMMARY_COUNTS:
            cells["summary", scope, metric] = summary[metric]
        for group in ("helpers", "gaps_by_type"):
            for name, count in summary[group].items():
                cells["summary", scope, f"{group}.{name}"] = count
        for band, count in enumerate(coverage[scope]):
            cells["coverage", scope, band] = count
        for row in organisations.get(scope, ()):
            cells["pairs", scope, row["a"], row["b"]] = row["cross_pairs"]
        for metric in _NETWORK_COUNTS:
            cells["network", scope, metric] = _network_count(networks[scope], metric)
    areas = scopes[1:]
    additions: list[Addition] = []
    for cell in [c for c in cells if c[1] is None]:
        kind, _, *name = cell
        parts = [(kind, area, *name) for area in areas if (kind, area, *name) in cells]
        additions.append((cell, parts))
    for scope in scopes:
        bands = [("coverage", scope, band) for band in range(COVERAGE_BANDS)]
        additions.append((("summary", scope, "residents_with_circle"), bands))
    shown = protect(cells, additions, k)
    return Publication(
        k=k,
        summaries={scope: _summary(summaries[scope], scope, shown, k) for scope in scopes},
        coverage={scope: [shown["coverage", scope, b] for b in range(COVERAGE_BANDS)] for scope in scopes},
        organisations={
            scope: [_pairs(row, scope, shown, k) for row in organisations.get(scope, ())] for scope in scopes
        },
        networks={scope: _network(networks[scope], scope, shown) for scope in scopes},
    )


def _network_count(network: dict, metric: str) -> int:
    return network[metric] if metric in network else len(network["isolated"])


def _summary(summary: "Summary", scope: str | None, shown: dict, k: int) -> dict:
    out = summary.as_dict()
    for metric in _SUMMARY_COUNTS:
        out[metric] = shown["summary", scope, metric]
    for group in ("helpers", "gaps_by_type"):
        out[group] = {name: shown["summary", scope, f"{group}.{name}"] for name in out[group]}
    bases = summary.share_bases
    coverage_base = shown["summary", scope, "residents_with_circle"]
    if not (isinstance(coverage_base, int) and bases.mean_awareness_coverage >= k):
        out["mean_awareness_coverage"] = None
    if bases.caregiver_visibility < k:
        out["caregiver_visibility"] = None
    return out


def _pairs(row: dict, scope: str | None, shown: dict, k: int) -> dict:
    pairs = shown["pairs", scope, row["a"], row["b"]]
    if isinstance(pairs, int) and pairs >= k:
        return dict(row)
    return {**row, "cross_pairs": pairs, "aware_share": None, "mutual_share": None}


def _network(network: dict, scope: str | None, shown: dict) -> dict:
    """The network's counts as shown, in the order of the team's summary; no helper ids."""
    out = {"helpers": shown["network", scope, "helpers"], "links": shown["network", scope, "links"]}
    if "density" in network:
        out["density"] = network["density"] if isinstance(out["helpers"], int) else None
    out["components"] = shown["network", scope, "components"]
    if "brokers" in network:
        out["brokers"] = [{key: v for key, v in b.items() if key != "helper_id"} for b in network["brokers"]]
        out["isolated"] = []
    out["isolated_count"] = shown["network", scope, "isolated_count"]
    return out


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
