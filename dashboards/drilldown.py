"""Where a bar or a cell of a chart leads: the page, filtered, that lists what it counts.

A gap type that ``/overlaps`` shows leads there, filtered by its type; any other gap type, a
band of awareness coverage, and a cell of the organisation heat map (a pair of groups) lead to
``/residents`` filtered by a query parameter (``gap``, ``coverage``, or ``pair`` twice) that the
residents page reads back with :func:`residents_filter`.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from urllib.parse import urlencode

from dashboards.data import SnapshotView
from graph.analysis.disclosure import COVERAGE_BANDS
from graph.analysis.gaps import GAP_TYPES
from graph.analysis.organisations import group_names, group_of
from graph.labels import GAP_TYPES as GAP_LABELS
from graph.labels import label
from graph.language import N_, translate

__all__ = [
    "OPEN_ADDRESS",
    "OVERLAP_TYPES",
    "band_address",
    "band_label",
    "coverage_band",
    "filter_text",
    "filtered_rows",
    "gap_address",
    "overlaps_type",
    "pair_address",
    "residents_filter",
    "shared_residents",
    "view_groups",
]

#: the gap types ``/overlaps`` lists (its type filter's choices)
OVERLAP_TYPES = ("uncoordinated_overlap", "unmet_need")
#: where a click on a chart leads (a clientside callback of a ``dcc.Graph``'s ``clickData``): the
#: address in the clicked point's customdata, else nowhere
OPEN_ADDRESS = """function(click) {
    const point = click && click.points && click.points[0];
    const address = point && point.customdata;
    const shown = typeof address === "string" && address.startsWith("/");
    return shown ? address : window.dash_clientside.no_update;
}"""
#: what the residents page says above a filtered table
FILTER_TEXTS = {
    "gap": N_("Residents with a gap of the type “{what}”"),
    "coverage": N_("Residents with an awareness coverage of {what}"),
    "pair": N_("Residents with helpers of {a} and of {b} in their circle"),
}


def gap_address(gap_type: str) -> str:
    """The page that lists the gaps of one type: ``/overlaps`` filtered by it where that page shows
    the type, else ``/residents`` filtered to the residents with such a gap.

    Examples
    --------
    >>> gap_address("unmet_need"), gap_address("caregiver_unseen")
    ('/overlaps?type=unmet_need', '/residents?gap=caregiver_unseen')
    """
    if gap_type in OVERLAP_TYPES:
        return "/overlaps?" + urlencode({"type": gap_type})
    return "/residents?" + urlencode({"gap": gap_type})


def band_address(band: int) -> str:
    """``/residents`` filtered to the residents in one band of awareness coverage (0 to 9).

    Examples
    --------
    >>> band_address(3)
    '/residents?coverage=3'
    """
    return "/residents?" + urlencode({"coverage": band})


def band_label(band: int) -> str:
    """A band of awareness coverage as people write it.

    Examples
    --------
    >>> band_label(0), band_label(9)
    ('0–10%', '90–100%')
    """
    return f"{100 * band // COVERAGE_BANDS}–{100 * (band + 1) // COVERAGE_BANDS}%"


def coverage_band(coverage: float) -> int:
    """The band of one resident's awareness coverage, as
    :func:`~graph.analysis.disclosure.coverage_bands` counts it (100% in the last band).

    Examples
    --------
    >>> coverage_band(0.0), coverage_band(0.35), coverage_band(1.0)
    (0, 3, 9)
    """
    return min(int(coverage * COVERAGE_BANDS), COVERAGE_BANDS - 1)


def pair_address(a: str, b: str) -> str:
    """``/residents`` filtered to the residents in whose circle both groups ``a`` and ``b`` (keys
    of :func:`~graph.analysis.organisations.group_of`, any characters) have a helper: the circles
    a cell of the organisation heat map counts pairs in. Each group is a ``pair`` parameter of its
    own, so that no character of a group's key can run the two together.

    Examples
    --------
    >>> pair_address("ORG1", "(informal)")
    '/residents?pair=ORG1&pair=%28informal%29'
    >>> pair_address("A&B=~", "C D")
    '/residents?pair=A%26B%3D~&pair=C+D'
    """
    return "/residents?" + urlencode([("pair", a), ("pair", b)])


def view_groups(view: SnapshotView, lang: str) -> dict[str, str]:
    """Every group of ``view``'s helpers and organisations, by what a reader sees for it (as the
    heat map names them): an organisation's name, the informal groups in words of ``lang``, the
    key itself for an organisation the snapshot has no row of."""
    names = group_names(view.organisations, lang)
    for helper in view.analysis.circles.helpers.values():
        group = group_of(helper)
        names.setdefault(group, group)
    return names


def residents_filter(query: Mapping[str, object], groups: Collection[str] = ()) -> dict | None:
    """The filter of the residents page from its query parameters: ``{"gap": type}`` for a known
    gap type, ``{"coverage": band}`` for a band from 0 to 9, ``{"pair": [a, b]}`` for ``pair``
    given twice (:func:`pair_address`) with two different ``groups``; None for none (or a value not
    known, or malformed).

    Examples
    --------
    >>> residents_filter({"gap": "no_overview"}), residents_filter({"coverage": "9"})
    ({'gap': 'no_overview'}, {'coverage': 9})
    >>> residents_filter({"gap": "<script>"}), residents_filter({"coverage": "10"}), residents_filter({})
    (None, None, None)
    >>> groups = {"ORG2", "(informal)"}
    >>> residents_filter({"pair": ["ORG2", "(informal)"]}, groups)
    {'pair': ['(informal)', 'ORG2']}
    >>> [residents_filter({"pair": pair}, groups) for pair in (["ORG2", "ORG9"], ["ORG2", "ORG2"], "ORG2")]
    [None, None, None]
    """
    if query.get("gap") in GAP_TYPES:
        return {"gap": query["gap"]}
    band = query.get("coverage", "")
    if isinstance(band, str) and band.isdigit() and int(band) < COVERAGE_BANDS:
        return {"coverage": int(band)}
    pair = query.get("pair")
    if _is_pair(pair) and set(pair) <= set(groups):
        return {"pair": sorted(pair)}
    return None


def _is_pair(value: object) -> bool:
    """Whether ``value`` is a list of two different texts."""
    return (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(part, str) for part in value)
        and value[0] != value[1]
    )


def shared_residents(view: SnapshotView, pair: Sequence[str]) -> set[str]:
    """The residents of ``view`` in whose circle both groups of ``pair`` have a helper (the
    circles a cell of the organisation heat map counts pairs in); none for a malformed pair."""
    if not _is_pair(pair):
        return set()
    circles = view.analysis.circles
    group = {helper: group_of(info) for helper, info in circles.helpers.items()}
    wanted = set(pair)
    return {
        resident
        for resident, helpers in circles.circle.items()
        if wanted <= {group[helper] for helper in helpers}
    }


def filtered_rows(rows: Iterable[dict], view: SnapshotView | None, chosen: Mapping | None) -> list[dict]:
    """The rows of the residents table (each with ``resident_id`` and ``coverage``) that the filter
    ``chosen`` (:func:`residents_filter`) keeps: residents with a gap of its type, whose awareness
    coverage is in its band, or with helpers of both groups of its pair in their circle; all rows
    without a filter."""
    rows = list(rows)
    if not chosen or view is None:
        return rows
    if "pair" in chosen:
        shared = shared_residents(view, chosen["pair"])
        return [row for row in rows if row["resident_id"] in shared]
    if "gap" in chosen:
        return [
            row
            for row in rows
            if any(gap.type == chosen["gap"] for gap in view.gaps.get(row["resident_id"], ()))
        ]
    return [
        row
        for row in rows
        if row["coverage"] is not None and coverage_band(row["coverage"]) == chosen["coverage"]
    ]


def filter_text(chosen: Mapping | None, lang: str, names: Mapping[str, str] | None = None) -> str:
    """What a filter of the residents page keeps, in words; empty without one. A pair's groups are
    given by their ``names`` (:func:`view_groups`; the key where it has none).

    Examples
    --------
    >>> filter_text({"coverage": 3}, "en")
    'Residents with an awareness coverage of 30–40%'
    >>> filter_text({"pair": ["(informal)", "ORG2"]}, "nl", {"(informal)": "(informeel)"})
    'Bewoners met hulpverleners van (informeel) en van ORG2 in hun kring'
    >>> filter_text(None, "en")
    ''
    """
    if not chosen:
        return ""
    if "pair" in chosen:
        a, b = ((names or {}).get(group, group) for group in chosen["pair"])
        return translate(FILTER_TEXTS["pair"], lang, a=a, b=b)
    what = label(GAP_LABELS, chosen["gap"], lang) if "gap" in chosen else band_label(chosen["coverage"])
    kind = "gap" if "gap" in chosen else "coverage"
    return translate(FILTER_TEXTS[kind], lang, what=what)


def overlaps_type(query: Mapping[str, str]) -> str:
    """The type filter of ``/overlaps`` from its query parameter ``type``: one of
    :data:`OVERLAP_TYPES`, else ``"both"``.

    Examples
    --------
    >>> overlaps_type({"type": "unmet_need"}), overlaps_type({"type": "no_overview"}), overlaps_type({})
    ('unmet_need', 'both', 'both')
    """
    chosen = query.get("type")
    return chosen if chosen in OVERLAP_TYPES else "both"
