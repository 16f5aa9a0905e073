"""Finding each other: how well helpers of different organisations know each other (SPEC §5)."""

from dataclasses import asdict, dataclass

import numpy as np

from graph.analysis.circles import CircleTables, HelperInfo, Helpers
from graph.language import N_, translate

__all__ = [
    "CAREGIVER_GROUP",
    "GROUP_NAMES",
    "INFORMAL_GROUP",
    "NO_ORGANISATION_GROUP",
    "GroupPair",
    "group_names",
    "group_of",
    "helper_groups",
    "merge_tallies",
    "organisation_rows",
    "organisation_tallies",
]

INFORMAL_GROUP = "(informal)"
CAREGIVER_GROUP = "(caregivers)"
NO_ORGANISATION_GROUP = "(no organisation)"
#: what a reader sees for the groups of helpers who belong to no organisation
GROUP_NAMES = {
    INFORMAL_GROUP: N_("(informal)"),
    CAREGIVER_GROUP: N_("(caregivers)"),
    NO_ORGANISATION_GROUP: N_("(no organisation)"),
}
#: the group of a helper without an organisation, by kind
_KIND_GROUPS = {"informal": INFORMAL_GROUP, "caregiver": CAREGIVER_GROUP}


@dataclass(frozen=True)
class GroupPair:
    """Finding each other for one unordered pair of groups a < b: the cross pairs (two helpers of
    the two groups in the same circle, counted once per resident they share), and the shares of
    them known in at least one direction and both ways."""

    a: str
    b: str
    cross_pairs: int
    aware_share: float
    mutual_share: float

    def as_dict(self) -> dict:
        """The row as ``analyze`` shows it."""
        return asdict(self)


def group_names(organisations: dict[str, str | None], lang: str = "en") -> dict[str, str]:
    """What a reader sees for each group: an organisation's name (its id when it has none), and
    the groups of helpers without an organisation in words of ``lang``.

    Examples
    --------
    >>> names = group_names({"ORG1": "Zorggroep", "ORG2": None}, "nl")
    >>> names["ORG1"], names["ORG2"], names["(informal)"]
    ('Zorggroep', 'ORG2', '(informeel)')
    """
    names = {organisation: name or organisation for organisation, name in organisations.items()}
    names.update((group, translate(text, lang)) for group, text in GROUP_NAMES.items())
    return names


def group_of(helper: HelperInfo) -> str:
    """A helper's group: its organisation, else (informal), (caregivers) or (no organisation).

    Examples
    --------
    >>> group_of(HelperInfo("H1", "volunteer", "informal", None))
    '(informal)'
    >>> group_of(HelperInfo("H2", "gp", "formal", "ORG1"))
    'ORG1'
    """
    return _group(helper.organisation_id, helper.kind)


def helper_groups(helpers: Helpers) -> np.ndarray:
    """The group of every helper of ``helpers`` (in code order), as :func:`group_of` gives it."""
    groups = np.empty(len(helpers), dtype=object)
    groups[:] = [
        _group(*helper) for helper in zip(helpers.organisation.tolist(), helpers.kind.tolist(), strict=True)
    ]
    return groups


def organisation_tallies(tables: CircleTables) -> dict[str, dict[tuple[str, str], list[int]]]:
    """Per neighbourhood of ``tables`` (every one): (group a, group b) -> [cross pairs, known one
    way or both, known both ways]. Tallies of different residents add up (:func:`merge_tallies`).

    The cross pairs are the pairs of a circle whose helpers are in different groups.
    """
    names, area = tables.areas
    groups, group = np.unique(helper_groups(tables.helpers).astype(str), return_inverse=True)
    pairs = tables.pairs
    group_a, group_b = group[pairs.a], group[pairs.b]
    cross = pairs.take(group_a != group_b)
    group_a, group_b = group[cross.a], group[cross.b]
    width = len(groups)
    keys, which = np.unique(
        (area[cross.resident] * width + np.minimum(group_a, group_b)) * width + np.maximum(group_a, group_b),
        return_inverse=True,
    )
    counts = [
        np.bincount(which, minlength=len(keys)),
        np.bincount(which, weights=cross.a_knows_b | cross.b_knows_a, minlength=len(keys)),
        np.bincount(which, weights=cross.a_knows_b & cross.b_knows_a, minlength=len(keys)),
    ]
    by_area: dict[str, dict[tuple[str, str], list[int]]] = {name: {} for name in names.tolist()}
    area_of, pair = np.divmod(keys, width * width)
    for name, a, b, total, aware, mutual in zip(
        names[area_of].tolist(),
        groups[pair // width].tolist(),
        groups[pair % width].tolist(),
        *(count.astype(np.int64).tolist() for count in counts),
        strict=True,
    ):
        by_area[name][a, b] = [total, aware, mutual]
    return by_area


def merge_tallies(into: dict[tuple, list[int]], tallies: dict[tuple, list[int]]) -> None:
    """Add ``tallies`` to ``into``."""
    for pair, (total, aware, mutual) in tallies.items():
        tally = into.setdefault(pair, [0, 0, 0])
        tally[0] += total
        tally[1] += aware
        tally[2] += mutual


def organisation_rows(tallies: dict[tuple, list[int]]) -> list[GroupPair]:
    """The "finding each other" rows of some tallies, sorted by (a, b).

    Examples
    --------
    >>> organisation_rows({("ORG1", "ORG2"): [4, 3, 1]})
    [GroupPair(a='ORG1', b='ORG2', cross_pairs=4, aware_share=0.75, mutual_share=0.25)]
    """
    return [
        GroupPair(a, b, total, aware / total, mutual / total)
        for (a, b), (total, aware, mutual) in sorted(tallies.items())
    ]


def _group(organisation: str | None, kind: str) -> str:
    """The group of a helper with ``organisation`` (None without) and ``kind``."""
    if organisation is not None:
        return organisation
    return _KIND_GROUPS.get(kind, NO_ORGANISATION_GROUP)
