"""``/``: a neighbourhood at a glance: key figures, gaps by type, how well helpers know each other."""

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.figures import SEVERITY_HEX, coverage_histogram, gaps_by_type_bar
from dashboards.components.widgets import (
    empty_state,
    key_figure,
    loading,
    page_title,
    picture,
    policy_note,
    section,
)
from dashboards.context import current, selected_view
from dashboards.data import SnapshotView
from dashboards.drilldown import OPEN_ADDRESS, band_address, band_label, gap_address
from dashboards.i18n import NOT_SHOWN, count_text, current_language, share_text
from graph.analysis.disclosure import coverage_bands
from graph.analysis.evaluation_words import points
from graph.analysis.gaps import SEVERITY
from graph.labels import GAP_TYPES, SEVERITIES, label
from graph.language import N_, day, number, translate

__all__ = [
    "CHANGED_FIGURES",
    "band_list",
    "change_text",
    "coverage_bins",
    "figure_changes",
    "gap_changes",
    "gap_list",
    "layout",
    "overview_content",
    "register",
    "register_callbacks",
    "severity_legend",
]

#: the kinds of helper the key figure of helpers counts, in words
HELPER_KINDS = (("formal", N_("formal")), ("informal", N_("informal")), ("caregiver", N_("caregivers")))
#: what the overview says while the store holds no snapshot
NO_STORE = N_("This store holds no snapshot. Load a dataset with: carecircle ingest DATASET --store {store}")
#: the explanation of awareness coverage, beside its figure and its chart
COVERAGE_HELP = N_("Mean awareness coverage: share of helper pairs in a circle where one knows the other")
#: the key figures shown with their change since the snapshot before, and whether each is a share
CHANGED_FIGURES = {
    "residents_with_circle": False,
    "mean_awareness_coverage": True,
    "caregiver_visibility": True,
    "residents_with_gaps": False,
}
#: what a change of "–" means, per role
NO_CHANGE_HELP = {
    "team": N_("–: no change can be given, because the figure is missing at one of the two dates."),
    "policy": N_(
        "–: a change is shown only when the figure is shown at both dates; at one of them it rests on"
        " fewer than {k} residents or is hidden to protect privacy."
    ),
}
NO_EARLIER = N_("There is no stored snapshot before this one: no change to show.")
#: the severity legend of the gaps chart: each colour's severity in words
SEVERITY_LEGEND = N_("Severity {severity}")
#: the headings of the charts' bars as lists (the team's lists link each bar to what it counts)
GAP_LIST_TITLE = N_("The bars as a list")
GAP_LIST_LINKS = N_("The bars as a list: each opens what it counts")
#: the order of the gaps chart, most severe first (as it draws them from the top)
_SEVERITY_ORDER = ("high", "medium", "low")


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(__name__, path="/", name="Overview", title="carecircle", layout=layout, order=0)


def layout(**_query) -> html.Div:
    """The page frame; the content follows the header's snapshot and neighbourhood."""
    return html.Div(
        [
            dcc.Location(id=ids.OVERVIEW_GO, refresh="callback-nav"),
            loading(html.Div(id=ids.OVERVIEW_CONTENT, className="page")),
        ]
    )


def register_callbacks(app: dash.Dash) -> None:
    """The callback that fills the page, and those that open what a clicked bar counts."""
    for chart in (ids.OVERVIEW_GAPS, ids.OVERVIEW_COVERAGE):
        # in the browser: a clicked bar's customdata is its address; only the team's bars carry one
        # (_charts), so that a policy click goes nowhere and asks the server nothing
        app.clientside_callback(
            OPEN_ADDRESS,
            Output(ids.OVERVIEW_GO, "href", allow_duplicate=True),
            Input(chart, "clickData"),
            prevent_initial_call=True,
        )

    @app.callback(
        Output(ids.OVERVIEW_CONTENT, "children"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.AREA, "value"),
    )
    def fill(as_of: str | None, neighbourhood: str | None):
        settings = current()
        view, role = selected_view(as_of), current_role()
        earlier = settings.data.earlier(view.as_of) if view is not None else []
        return overview_content(
            view,
            neighbourhood,
            role,
            settings.k,
            current_language(),
            settings.store,
            settings.data.view(earlier[0].as_of) if earlier else None,
        )


def coverage_bins(
    view: SnapshotView, neighbourhood: str | None, role: str, k: int
) -> list[tuple[str, object]]:
    """Residents per tenth of awareness coverage (0–10%, …, 90–100%) as the role may see them:
    exact for the team; for policy, protected together with every other policy figure."""
    if role == "policy":
        counts = view.publication(k).coverage[neighbourhood]
    else:
        counts = coverage_bands(
            row["awareness_coverage"]
            for row in view.resident_rows(neighbourhood)
            if row["awareness_coverage"] is not None
        )
    return [(band_label(band), count) for band, count in enumerate(counts)]


def gap_changes(view: SnapshotView, earlier: SnapshotView, neighbourhood: str | None) -> dict[str, int]:
    """The new and resolved gaps of one neighbourhood (or all) since ``earlier``
    (:meth:`~dashboards.data.SnapshotView.changes_since`)."""
    changes = view.changes_since(earlier)
    return changes.get(neighbourhood, changes[None])


def overview_content(
    view: SnapshotView | None,
    neighbourhood: str | None,
    role: str,
    k: int,
    lang: str,
    store: str = "",
    earlier: SnapshotView | None = None,
) -> list:
    """Everything the overview shows for one neighbourhood (or all), as the role may see it, with the
    change of its key figures since the ``earlier`` snapshot (None: there is none); for the team
    role also the new and resolved gaps since then."""
    if view is None:
        return [
            empty_state(
                translate(NO_STORE, lang, store=store),
                translate("No data yet", lang),
            )
        ]
    if neighbourhood is not None and neighbourhood not in view.neighbourhoods:
        neighbourhood = None
    summary = view.summary(neighbourhood, role, k)
    area = neighbourhood or translate("All neighbourhoods", lang)
    residents = summary["residents"]
    with_gaps = summary["residents_with_gaps"]
    gap_share = (
        with_gaps / residents
        if isinstance(with_gaps, int)
        and isinstance(residents, int)
        and residents >= (k if role == "policy" else 1)
        else None
    )
    changes = figure_changes(summary, _earlier_summary(earlier, neighbourhood, role, k))
    change_lines = _change_lines(changes, earlier, lang)
    helpers = summary["helpers"]
    helper_detail = " · ".join(
        f"{count_text(helpers[kind], lang)} {translate(text, lang)}" for kind, text in HELPER_KINDS
    )
    figures = dmc.SimpleGrid(
        [
            key_figure(translate("Residents", lang), count_text(residents, lang)),
            key_figure(
                translate("With 2 or more helpers", lang),
                count_text(summary["residents_with_circle"], lang),
                change=change_lines.get("residents_with_circle"),
            ),
            key_figure(
                translate("Helpers who know each other", lang),
                share_text(summary["mean_awareness_coverage"], lang),
                help_text=translate(COVERAGE_HELP, lang),
                change=change_lines.get("mean_awareness_coverage"),
            ),
            key_figure(
                translate("Caregivers seen by a professional", lang),
                share_text(summary["caregiver_visibility"], lang),
                change=change_lines.get("caregiver_visibility"),
            ),
            key_figure(
                translate("Residents with a gap", lang),
                count_text(with_gaps, lang),
                share_text(gap_share, lang) if gap_share is not None else None,
                change=change_lines.get("residents_with_gaps"),
            ),
            key_figure(
                translate("Helpers", lang),
                count_text(_total(helpers.values()), lang),
                helper_detail,
            ),
        ],
        cols={"base": 2, "md": 3, "xl": 6},
        spacing="md",
        id="key-figures",
    )
    charts = _charts(view, summary, neighbourhood, role, k, lang)
    body = [figures, *_change_note(changes, earlier, role, k, lang), charts]
    if role == "team" and earlier is not None:
        body.insert(-1, _changes(gap_changes(view, earlier, neighbourhood), earlier, lang))
    if role == "policy":
        body.append(policy_note(lang, k))
    return [
        page_title(translate("Overview", lang), f"{area} · {view.as_of.isoformat()}"),
        dmc.Stack(body, gap="md"),
    ]


def _charts(view: SnapshotView, summary: dict, neighbourhood: str | None, role: str, k: int, lang: str):
    """The gaps by type and the coverage of circles, each chart with its bars as a list; the team's
    bars (and their list) open what they count."""
    bins = coverage_bins(view, neighbourhood, role, k)
    team = role == "team"
    gap_addresses = (
        {gap_type: gap_address(gap_type) for gap_type in summary["gaps_by_type"]} if team else None
    )
    band_addresses = [band_address(band) for band in range(len(bins))] if team else None
    charts = dmc.SimpleGrid(
        [
            section(
                translate("Gaps by type", lang),
                picture(
                    dcc.Graph(
                        figure=gaps_by_type_bar(summary["gaps_by_type"], lang, gap_addresses),
                        config={"displayModeBar": False},
                        id=ids.OVERVIEW_GAPS,
                        className="chart-clickable" if team else None,
                    ),
                    translate("Gaps by type", lang),
                ),
                severity_legend(lang),
                gap_list(summary["gaps_by_type"], role, lang),
            ),
            section(
                translate("How well the helpers of a resident know each other", lang),
                *(
                    [
                        picture(
                            dcc.Graph(
                                figure=coverage_histogram(bins, lang, band_addresses),
                                config={"displayModeBar": False},
                                id=ids.OVERVIEW_COVERAGE,
                                className="chart-clickable" if team else None,
                            ),
                            translate("How well the helpers of a resident know each other", lang),
                        ),
                        band_list(bins, role, lang),
                    ]
                    if summary["residents_with_circle"] != 0
                    else [empty_state(translate("Nothing to show for this selection.", lang))]
                ),
                help_text=translate(COVERAGE_HELP, lang),
            ),
        ],
        cols={"base": 1, "lg": 2},
        spacing="md",
    )
    return charts


def severity_legend(lang: str) -> html.Ul:
    """The gaps chart's colours in words: a swatch of each severity's colour beside its name."""
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        className="severity-swatch",
                        style={"background": SEVERITY_HEX[severity]},
                        **{"aria-hidden": "true"},
                    ),
                    translate(SEVERITY_LEGEND, lang, severity=label(SEVERITIES, severity, lang)),
                ],
                className=f"severity-legend-item severity-legend-{severity}",
            )
            for severity in _SEVERITY_ORDER
        ],
        className="severity-legend",
        id="gaps-by-type-legend",
    )


def gap_list(gaps_by_type: dict[str, int | str], role: str, lang: str) -> html.Div:
    """The gaps chart's bars as a list, most severe first: each type, its severity in words and
    its count; for the team each counted type links to what it counts (:func:`gap_address`), for
    the policy role the list is text only (there is no resident-level page to go to)."""
    types = sorted(gaps_by_type, key=lambda g: (_SEVERITY_ORDER.index(SEVERITY[g]), list(GAP_TYPES).index(g)))
    entries = [
        (
            f"{label(GAP_TYPES, gap_type, lang)} ({label(SEVERITIES, SEVERITY[gap_type], lang)}):"
            f" {count_text(gaps_by_type[gap_type], lang)}",
            gap_address(gap_type) if role == "team" and gaps_by_type[gap_type] else None,
        )
        for gap_type in types
    ]
    return _bar_list(entries, role, lang, "gaps-by-type-list")


def band_list(bins: list[tuple[str, object]], role: str, lang: str) -> html.Div:
    """The coverage chart's bars as a list: each band and its residents; for the team each band
    with residents links to them (:func:`band_address`), for the policy role text only."""
    entries = [
        (
            f"{band}: {count_text(count, lang)}",
            band_address(index) if role == "team" and count else None,
        )
        for index, (band, count) in enumerate(bins)
    ]
    return _bar_list(entries, role, lang, "coverage-distribution-list")


def _bar_list(entries: list[tuple[str, str | None]], role: str, lang: str, list_id: str) -> html.Div:
    """A chart's bars as a titled list of texts, each a link where it has an address."""
    title = GAP_LIST_LINKS if role == "team" else GAP_LIST_TITLE
    return html.Div(
        [
            html.H3(translate(title, lang), className="bar-list-title"),
            html.Ul(
                [html.Li(dcc.Link(text, href=address) if address else text) for text, address in entries],
                className="bar-list",
                id=list_id,
            ),
        ]
    )


def figure_changes(now: dict, then: dict | None) -> dict[str, int | float | None]:
    """The change of each of :data:`CHANGED_FIGURES` from the summary ``then`` to ``now`` (as the
    role sees them): None when the figure is not shown at either date (a cut count ``"<5"``, a
    hidden count or share None) or there is no ``then``.

    Examples
    --------
    >>> now = {"residents_with_circle": 40, "mean_awareness_coverage": 0.62,
    ...        "caregiver_visibility": 0.5, "residents_with_gaps": "<5"}
    >>> then = {"residents_with_circle": 43, "mean_awareness_coverage": 0.5,
    ...         "caregiver_visibility": None, "residents_with_gaps": 7}
    >>> changes = figure_changes(now, then)
    >>> changes["residents_with_circle"], round(changes["mean_awareness_coverage"], 2)
    (-3, 0.12)
    >>> changes["caregiver_visibility"], changes["residents_with_gaps"]
    (None, None)
    """
    return {
        name: now[name] - then[name]
        if then is not None and _shown(now[name], share) and _shown(then[name], share)
        else None
        for name, share in CHANGED_FIGURES.items()
    }


def change_text(name: str, change: int | float | None, lang: str) -> str:
    """A change of one of :data:`CHANGED_FIGURES` in words: a signed count, percentage points for
    a share, a dash when there is none.

    Examples
    --------
    >>> change_text("residents_with_circle", 12, "en"), change_text("residents_with_gaps", -3, "nl")
    ('+12', '−3')
    >>> change_text("caregiver_visibility", 0.053, "nl"), change_text("caregiver_visibility", None, "en")
    ('+5,3 procentpunt', '–')
    """
    if change is None:
        return NOT_SHOWN
    if CHANGED_FIGURES[name]:
        return translate("{points} percentage points", lang, points=points(change, lang))
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return sign + number(abs(change), lang)


def _shown(value: object, share: bool) -> bool:
    """Whether a summary's figure is shown as a number (not cut to ``"<5"``, not hidden)."""
    if share:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, int) and not isinstance(value, bool)


def _earlier_summary(
    earlier: SnapshotView | None, neighbourhood: str | None, role: str, k: int
) -> dict | None:
    """The summary of the earlier snapshot as the role sees it (policy: its protected
    publication), of the same neighbourhood; None when there is none."""
    if earlier is None or neighbourhood not in (None, *earlier.neighbourhoods):
        return None
    return earlier.summary(neighbourhood, role, k)


def _change_lines(changes: dict, earlier: SnapshotView | None, lang: str) -> dict[str, str]:
    """The line under each key figure with a change: "Since 1 March 2024: +12"; none without an
    earlier snapshot."""
    if earlier is None:
        return {}
    since = day(earlier.as_of, lang)
    return {
        name: translate("Since {since}: {change}", lang, since=since, change=change_text(name, change, lang))
        for name, change in changes.items()
    }


def _change_note(changes: dict, earlier: SnapshotView | None, role: str, k: int, lang: str) -> list:
    """What the change lines leave unsaid: that there is no earlier snapshot, or what a dash means."""
    if earlier is None:
        text = translate(NO_EARLIER, lang)
    elif None in changes.values():
        text = translate(NO_CHANGE_HELP[role], lang, k=number(k, lang))
    else:
        return []
    return [dmc.Text(text, size="xs", c="#495057", id="key-figures-change-note")]


def _changes(changes: dict[str, int], earlier: SnapshotView, lang: str) -> dmc.SimpleGrid:
    """The key figures of change: new and resolved gaps since the earlier snapshot."""
    since = day(earlier.as_of, lang)
    return dmc.SimpleGrid(
        [
            key_figure(
                translate("New gaps since {since}", lang, since=since), count_text(changes["new"], lang)
            ),
            key_figure(
                translate("Resolved gaps since {since}", lang, since=since),
                count_text(changes["resolved"], lang),
            ),
            dcc.Link(
                translate(N_("The team agenda: what changed, and what to do next"), lang),
                href="/agenda",
                className="key-changes-link",
            ),
        ],
        cols={"base": 2, "md": 3, "xl": 6},
        spacing="md",
        id="key-changes",
    )


def _total(counts) -> int | str:
    """The sum of counts, unless one of them is suppressed (then the total would reveal it)."""
    values = list(counts)
    return sum(values) if all(isinstance(v, int) for v in values) else "–"
