"""The whole analysis of a snapshot, and its JSON form for the team and policy roles (SPEC §5-6)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from graph.analysis.circles import Circles
from graph.analysis.gaps import Gap
from graph.analysis.parts import PartialAnalysis, analyse_in_parts
from graph.model import Snapshot

__all__ = [
    "SCHEMA",
    "Analysis",
    "analyse",
    "analyse_parts",
    "role_network",
    "role_organisations",
    "role_summary",
    "small_count",
    "to_json",
]

SCHEMA = "carecircle.analysis/1"
ROLES = ("team", "policy")


@dataclass
class Analysis:
    """Everything SPEC §5 computes for one snapshot at one date.

    ``circles`` is the index of the whole snapshot when it was analysed at once (the
    dashboard looks up circles in it), and None when it was analysed in parts.
    """

    as_of: date
    circles: Circles | None
    residents: list[dict]
    gaps: list[Gap]
    neighbourhoods: list[dict]
    overall: dict
    organisations: list[dict]
    helper_network: dict


def analyse(snapshot: Snapshot, as_of: date | None = None) -> Analysis:
    """Compute gaps, metrics, summaries, finding each other and the helper network.

    Parameters
    ----------
    snapshot : Snapshot
        A validated snapshot.
    as_of : date, optional
        The date T of SPEC §5; the snapshot's own date by default.
    """
    partial = PartialAnalysis(as_of or snapshot.as_of)
    circles = partial.add(snapshot)
    return Analysis(partial.as_of, circles, *partial.finish())


def analyse_parts(parts: Iterable[Snapshot], as_of: date) -> Analysis:
    """The same analysis as :func:`analyse`, reading the snapshot in ``parts`` (one neighbourhood
    at a time, say): only one part's rows are held at once. Each part holds some residents with
    all their support and awareness rows, and the helpers and organisations those rows name."""
    partial = analyse_in_parts(parts, as_of)
    return Analysis(as_of, None, *partial.finish())


def to_json(analysis: Analysis, *, role: str = "team", k: int = 5, lang: str = "en") -> dict:
    """Return the ``analyze --format json`` object.

    With ``role="policy"`` there are no resident or gap rows, every count from 1 to k-1
    becomes ``"<k"``, shares over fewer than k items are null, and the helper network names
    no helper. Floats are rounded to 3 decimals.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected team or policy")
    policy = role == "policy"
    result = {
        "schema": SCHEMA,
        "as_of": analysis.as_of.isoformat(),
        "role": role,
    }
    if not policy:
        result["residents"] = analysis.residents
        result["gaps"] = [_gap_json(gap, lang) for gap in analysis.gaps]
    result["neighbourhoods"] = [role_summary(s, role, k) for s in analysis.neighbourhoods]
    result["overall"] = role_summary(analysis.overall, role, k)
    result["organisations"] = [role_organisations(o, role, k) for o in analysis.organisations]
    result["helper_network"] = role_network(analysis.helper_network, role, k)
    return _rounded(result)


def role_network(summary: dict, role: str = "team", k: int = 5) -> dict:
    """A helper network summary (:func:`helper_network_summary`) as the role may see it: for
    policy, brokers without helper ids, no isolated helpers listed and small counts suppressed."""
    policy = role == "policy"
    network = dict(summary)
    if policy:
        network["brokers"] = [
            {key: v for key, v in b.items() if key != "helper_id"} for b in network["brokers"]
        ]
    network["isolated_count"] = len(network["isolated"])
    if policy:
        network["isolated"] = []
        for key in ("helpers", "links", "components", "isolated_count"):
            network[key] = small_count(network[key], k)
    return network


def _gap_json(gap: Gap, lang: str) -> dict:
    message, action = gap.text(lang)
    return {
        "type": gap.type,
        "severity": gap.severity,
        "resident_id": gap.resident_id,
        "helpers": list(gap.helpers),
        "domains": list(gap.domains),
        "message": message,
        "action": action,
    }


def role_summary(summary: dict, role: str = "team", k: int = 5) -> dict:
    """A neighbourhood (or any group's) summary as the role may see it.

    For the team it is the summary as computed; for policy, every count from 1 to k-1
    becomes ``"<k"`` and every share computed over fewer than k items is None.

    Examples
    --------
    >>> summary = {"residents": 3, "mean_awareness_coverage": 0.5, "gaps_by_type": {"unmet_need": 7},
    ...            "_share_bases": {"mean_awareness_coverage": 3}}
    >>> role_summary(summary, "policy")
    {'residents': '<5', 'mean_awareness_coverage': None, 'gaps_by_type': {'unmet_need': 7}}
    """
    bases = summary["_share_bases"]
    out = {key: value for key, value in summary.items() if key != "_share_bases"}
    if role != "policy":
        return out
    for key, value in out.items():
        if isinstance(value, dict):
            out[key] = {name: small_count(count, k) for name, count in value.items()}
        elif key in bases:
            out[key] = value if bases[key] >= k else None
        elif isinstance(value, int):
            out[key] = small_count(value, k)
    return out


def role_organisations(row: dict, role: str = "team", k: int = 5) -> dict:
    """One "finding each other" row as the role may see it: for policy, fewer than k cross
    pairs give ``"<k"`` and no shares."""
    if role != "policy" or row["cross_pairs"] >= k:
        return dict(row)
    return {
        **row,
        "cross_pairs": small_count(row["cross_pairs"], k),
        "aware_share": None,
        "mutual_share": None,
    }


def small_count(count: int, k: int = 5) -> int | str:
    """Small-cell suppression: counts from 1 to k-1 become ``"<k"``.

    Examples
    --------
    >>> small_count(0), small_count(3), small_count(5)
    (0, '<5', 5)
    """
    return f"<{k}" if 0 < count < k else count


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value
