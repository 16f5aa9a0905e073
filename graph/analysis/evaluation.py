"""Evaluation over time (SPEC §11): do helpers find each other more in the pilot neighbourhood?

Policy staff compare the pilot neighbourhood P with the rest of the municipality across stored
snapshots F … L, for two metrics of SPEC §5: the mean awareness coverage (over the residents
with two or more helpers) and caregiver visibility. The *difference in differences* is
(P at L − P at F) − (rest at L − rest at F): how much more (or less) the pilot changed than the
rest did.

Both metrics are a ratio of sums over residents: coverage is the sum of the residents' coverages
over their number; visibility is the caregivers a professional knows over all caregivers of
residents with a professional. So a resident is a *cluster* that brings its own numerator and
denominator (all its pairs, all its caregivers). The 95% interval comes from a cluster
bootstrap: each of the four cells (group × snapshot) draws its contributing residents with
replacement, B times, and the difference is recomputed from the four resampled ratios. Every
cell has its own random stream, derived from the seed and the cell alone, so the interval is
the same on every run and does not depend on the order the cells are computed in.

Under the policy role every figure comes from the snapshot's protected publication
(:mod:`graph.analysis.disclosure`), and a difference is left out (None) when any of its four
figures is: a cell under k items, or a figure hidden so that additions cannot reveal it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from graph.analysis.metrics import Summary, combine_summaries

if TYPE_CHECKING:
    from graph.analysis.disclosure import Publication
    from graph.analysis.report import Analysis

__all__ = [
    "EVALUATION_SCHEMA",
    "FEW",
    "GROUPS",
    "METRICS",
    "RESAMPLES",
    "SEED",
    "SHIFT",
    "WIDE",
    "Contributions",
    "Difference",
    "Evaluation",
    "GroupFigures",
    "PairShift",
    "contributions",
    "evaluate",
    "pair_shifts",
]

EVALUATION_SCHEMA = "carecircle.evaluation/1"
#: the two metrics compared, as the summaries of SPEC §5 name them
METRICS = ("mean_awareness_coverage", "caregiver_visibility")
#: the two groups: the pilot neighbourhood, and all the others together
GROUPS = ("pilot", "rest")
#: bootstrap resamples, and the seed every evaluation starts from (SPEC §11)
RESAMPLES = 2000
SEED = 11
#: a change in aware_share of at least this much is "started finding each other" / "drifted apart"
SHIFT = 0.2
#: an interval at least this wide is called wide in the verdict (20 percentage points)
WIDE = 0.2
#: a pilot with fewer contributing residents than this, at F or at L, is called small in the verdict:
#: however narrow its interval, a few residents more or less could change the result
FEW = 30
#: indices drawn per block of resamples (memory: 8 bytes each)
_BLOCK = 4_000_000


@dataclass(frozen=True)
class Contributions:
    """What one metric of one group in one snapshot rests on: per contributing resident a
    numerator and a denominator; the metric is the sum of the one over the sum of the other."""

    numerator: np.ndarray
    denominator: np.ndarray

    def __len__(self) -> int:
        return len(self.numerator)

    @property
    def items(self) -> int:
        """The items the metric is a share of (residents for coverage, caregivers for visibility)."""
        return int(self.denominator.sum())

    def resampled(self, rng: np.random.Generator, resamples: int) -> np.ndarray:
        """The metric over ``resamples`` draws of the residents with replacement.

        Examples
        --------
        >>> cell = Contributions(np.array([1.0, 1.0]), np.array([1, 1]))
        >>> cell.resampled(np.random.default_rng(0), 3).tolist()
        [1.0, 1.0, 1.0]
        """
        count = len(self)
        ratios = np.empty(resamples)
        block = max(1, _BLOCK // count)
        # a mean (every denominator 1) divides by the residents drawn: no second gather
        per_resident = bool((self.denominator == 1).all())
        for start in range(0, resamples, block):
            drawn = rng.integers(0, count, size=(min(block, resamples - start), count), dtype=np.int32)
            denominators = count if per_resident else self.denominator[drawn].sum(axis=1)
            ratios[start : start + len(drawn)] = self.numerator[drawn].sum(axis=1) / denominators
        return ratios


@dataclass(frozen=True)
class GroupFigures:
    """One group in one snapshot, as the role may see it (a count may be ``"<k"`` or None for
    policy; a share None)."""

    as_of: date
    group: str
    residents_with_circle: int | str | None
    mean_awareness_coverage: float | None
    caregiver_visibility: float | None

    def as_dict(self) -> dict:
        """The row of ``snapshots`` in the evaluation's JSON."""
        return {
            "as_of": self.as_of.isoformat(),
            "group": self.group,
            "residents_with_circle": self.residents_with_circle,
            "mean_awareness_coverage": self.mean_awareness_coverage,
            "caregiver_visibility": self.caregiver_visibility,
        }


@dataclass(frozen=True)
class Difference:
    """The difference in differences of one metric, and its 95% interval (all None when it
    cannot be computed, or may not be shown)."""

    metric: str
    estimate: float | None
    low: float | None
    high: float | None
    #: the pilot's contributing residents at F and at L (what makes an interval wide)
    pilot_residents: tuple[int, int]
    #: there is a difference, but the role may not see it (a figure behind it is not shown)
    withheld: bool = False

    @property
    def finding(self) -> str:
        """``higher`` or ``lower`` when the interval excludes 0 (a change), ``unclear`` when it
        includes 0, ``none`` when there is no difference to speak of.

        Examples
        --------
        >>> Difference("caregiver_visibility", 0.1, 0.02, 0.2, (40, 41)).finding
        'higher'
        >>> Difference("caregiver_visibility", 0.1, -0.02, 0.2, (40, 41)).finding
        'unclear'
        """
        if self.estimate is None:
            return "none"
        if self.low > 0:
            return "higher"
        if self.high < 0:
            return "lower"
        return "unclear"

    @property
    def wide(self) -> bool:
        """Whether the interval is at least :data:`WIDE` wide."""
        return self.estimate is not None and self.high - self.low >= WIDE - 1e-12

    @property
    def few(self) -> bool:
        """Whether the pilot has fewer than :data:`FEW` contributing residents at F or at L.

        Examples
        --------
        >>> Difference("caregiver_visibility", 0.0, -0.01, 0.01, (6, 40)).few
        True
        """
        return min(self.pilot_residents) < FEW


@dataclass(frozen=True)
class PairShift:
    """An organisation pair whose aware share moved by at least :data:`SHIFT` from F to L."""

    a: str
    b: str
    from_share: float
    to_share: float

    def as_dict(self) -> dict:
        """The row of ``started`` or ``drifted`` in the evaluation's JSON."""
        return {"a": self.a, "b": self.b, "from_share": self.from_share, "to_share": self.to_share}


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of SPEC §11 of one pilot neighbourhood across snapshots F … L."""

    pilot: str
    first: date
    last: date
    role: str
    k: int
    #: per snapshot (oldest first), the pilot and then the rest
    snapshots: list[GroupFigures]
    differences: dict[str, Difference]
    #: per snapshot, the pairs of groups (organisations, informal helpers) as the role may see them
    organisation_pairs: list[dict]
    started: list[PairShift]
    drifted: list[PairShift]


def evaluate(
    analyses: Sequence["Analysis"],
    pilot: str,
    *,
    role: str = "team",
    k: int = 5,
    publications: Sequence["Publication"] | None = None,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Evaluation:
    """Evaluate ``pilot`` over ``analyses`` (the snapshots F … L, oldest first; at least one).

    Parameters
    ----------
    analyses : sequence of Analysis
        The analysed snapshots, oldest first; the first is F, the last L.
    pilot : str
        The pilot neighbourhood; a snapshot without it has no pilot figures (and no difference).
    role : {"team", "policy"}
        Policy sees the figures of each snapshot's protected publication only.
    k : int
        The small-cell threshold; also the least cross pairs for "started" and "drifted".
    publications : sequence of Publication, optional
        The snapshots' publications at ``k`` (policy), when already computed.
    resamples, seed : int
        The bootstrap's resamples and seed.
    """
    if not analyses:
        raise ValueError("nothing to evaluate: no snapshots")
    if role == "policy" and publications is None:
        from graph.analysis.disclosure import publish

        publications = [publish(analysis, k) for analysis in analyses]
    first, last = analyses[0], analyses[-1]
    figures = [
        row
        for position, analysis in enumerate(analyses)
        for row in _group_figures(analysis, pilot, publications[position] if role == "policy" else None)
    ]
    shown = {(row.as_of, row.group): row for row in figures}
    cells = {
        (group, when): contributions(analysis, pilot, group)
        for when, analysis in (("from", first), ("to", last))
        for group in GROUPS
    }
    differences = {
        metric: _difference(metric, cells, shown, first.as_of, last.as_of, resamples, seed)
        for metric in METRICS
    }
    pairs = [
        _organisation_pairs(analysis, publications[position] if role == "policy" else None)
        for position, analysis in enumerate(analyses)
    ]
    started, drifted = pair_shifts(pairs[0], pairs[-1], k)
    return Evaluation(
        pilot=pilot,
        first=first.as_of,
        last=last.as_of,
        role=role,
        k=k,
        snapshots=figures,
        differences=differences,
        organisation_pairs=_over_time(analyses, pairs),
        started=started,
        drifted=drifted,
    )


def contributions(analysis: "Analysis", pilot: str, group: str) -> dict[str, Contributions]:
    """Per metric, the contributing residents of ``group`` (``pilot`` or ``rest``) in ``analysis``.

    Coverage: each resident with two or more helpers brings its coverage over 1; visibility:
    each resident with a caregiver and a formal helper brings its caregivers a formal helper
    knows over its caregivers.
    """
    inside = {"pilot": True, "rest": False}[group]
    in_group = {
        row["resident_id"]: row for row in analysis.residents if (row["neighbourhood"] == pilot) == inside
    }
    coverages = [row["awareness_coverage"] for row in in_group.values() if row["circle_size"] >= 2]
    seen = [counts for resident, counts in analysis.caregivers_seen.items() if resident in in_group]
    return {
        "mean_awareness_coverage": Contributions(
            np.array(coverages, dtype=float), np.ones(len(coverages), dtype=np.int64)
        ),
        "caregiver_visibility": Contributions(
            np.array([s for _, s in seen], dtype=float), np.array([p for p, _ in seen], dtype=np.int64)
        ),
    }


def _group_figures(analysis: "Analysis", pilot: str, publication: "Publication | None") -> list[GroupFigures]:
    """The pilot's and the rest's figures in one snapshot; for policy as ``publication`` has them."""
    areas = {summary.neighbourhood: summary for summary in analysis.neighbourhoods}
    if publication is not None:
        absent = {"residents_with_circle": 0, **dict.fromkeys(METRICS)}
        if pilot in areas:
            pilot_figures, rest = publication.summaries[pilot], publication.rests[pilot]
        else:
            pilot_figures, rest = absent, publication.summaries[None]
        return [_figures(analysis.as_of, "pilot", pilot_figures), _figures(analysis.as_of, "rest", rest)]
    others = [summary for name, summary in areas.items() if name != pilot]
    return [
        _figures(analysis.as_of, "pilot", _summary_figures(areas.get(pilot))),
        _figures(analysis.as_of, "rest", _summary_figures(combine_summaries(others) if others else None)),
    ]


def _summary_figures(summary: Summary | None) -> dict:
    if summary is None:
        return {"residents_with_circle": 0, **dict.fromkeys(METRICS)}
    return summary.as_dict()


def _figures(as_of: date, group: str, figures: dict) -> GroupFigures:
    return GroupFigures(
        as_of, group, figures["residents_with_circle"], *(figures[metric] for metric in METRICS)
    )


def _difference(
    metric: str,
    cells: dict[tuple[str, str], dict[str, Contributions]],
    shown: dict[tuple[date, str], GroupFigures],
    first: date,
    last: date,
    resamples: int,
    seed: int,
) -> Difference:
    """The difference in differences of ``metric`` with its bootstrap interval; None when a
    figure it needs is not there (or not shown)."""
    pilot_residents = (len(cells["pilot", "from"][metric]), len(cells["pilot", "to"][metric]))
    values = {
        (group, when): getattr(shown[day, group], metric)
        for group in GROUPS
        for when, day in (("from", first), ("to", last))
    }
    if first == last or not all(len(cell[metric]) for cell in cells.values()):
        return Difference(metric, None, None, None, pilot_residents)
    if any(value is None for value in values.values()):
        return Difference(metric, None, None, None, pilot_residents, withheld=True)
    estimate = _did(values)
    draws = {
        cell: contribution[metric].resampled(_stream(seed, metric, cell), resamples)
        for cell, contribution in cells.items()
    }
    low, high = np.percentile(_did(draws), [2.5, 97.5]).tolist()
    return Difference(metric, estimate, low, high, pilot_residents)


def _did(values: dict):
    """(pilot at L − pilot at F) − (rest at L − rest at F), of numbers or of arrays of them."""
    return (values["pilot", "to"] - values["pilot", "from"]) - (values["rest", "to"] - values["rest", "from"])


def _stream(seed: int, metric: str, cell: tuple[str, str]) -> np.random.Generator:
    """The random stream of one cell of one metric: from the seed and the cell alone."""
    return np.random.default_rng(
        [seed, METRICS.index(metric), GROUPS.index(cell[0]), ("from", "to").index(cell[1])]
    )


def _over_time(analyses: Sequence["Analysis"], pairs: list[list[dict]]) -> list[dict]:
    """Every snapshot's pair rows with its date, sorted by pair and then date."""
    rows = [
        {"a": row["a"], "b": row["b"], "as_of": analysis.as_of.isoformat(), **row}
        for analysis, snapshot_rows in zip(analyses, pairs, strict=True)
        for row in snapshot_rows
    ]
    return sorted(rows, key=lambda row: (row["a"], row["b"], row["as_of"]))


def _organisation_pairs(analysis: "Analysis", publication: "Publication | None") -> list[dict]:
    """The "finding each other" rows of the whole municipality, as the role may see them."""
    if publication is not None:
        return [dict(row) for row in publication.organisations[None]]
    return [row.as_dict() for row in analysis.organisations]


def pair_shifts(first: list[dict], last: list[dict], k: int) -> tuple[list[PairShift], list[PairShift]]:
    """The pairs that started finding each other (aware share up by at least :data:`SHIFT`) and
    drifted apart (down by at least as much) from ``first`` to ``last``, of those with at least
    ``k`` cross pairs (shown) at both; the largest change first.

    Examples
    --------
    >>> f = [{"a": "A", "b": "B", "cross_pairs": 9, "aware_share": 0.2}]
    >>> t = [{"a": "A", "b": "B", "cross_pairs": 8, "aware_share": 0.5}]
    >>> pair_shifts(f, t, 5)
    ([PairShift(a='A', b='B', from_share=0.2, to_share=0.5)], [])
    >>> pair_shifts(f, t, 9)
    ([], [])
    """
    before = {(row["a"], row["b"]): row for row in first if _countable(row, k)}
    moved = [
        PairShift(row["a"], row["b"], before[row["a"], row["b"]]["aware_share"], row["aware_share"])
        for row in last
        if _countable(row, k) and (row["a"], row["b"]) in before
    ]
    started = [shift for shift in moved if shift.to_share - shift.from_share >= SHIFT - 1e-9]
    drifted = [shift for shift in moved if shift.from_share - shift.to_share >= SHIFT - 1e-9]
    return sorted(started, key=_by_change), sorted(drifted, key=_by_change)


def _by_change(shift: PairShift) -> tuple:
    """The largest change first, then by pair."""
    return (-abs(shift.to_share - shift.from_share), shift.a, shift.b)


def _countable(row: dict, k: int) -> bool:
    """Whether a pair has at least ``k`` cross pairs, shown, and a shown aware share."""
    pairs = row["cross_pairs"]
    return isinstance(pairs, int) and pairs >= k and row["aware_share"] is not None
