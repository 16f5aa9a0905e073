"""``/``: a neighbourhood at a glance: key figures, gaps by type, how well helpers know each other."""

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.figures import coverage_histogram, gaps_by_type_bar
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
from dashboards.i18n import NOT_SHOWN, count_text, current_language, share_text
from graph.analysis.disclosure import COVERAGE_BANDS, coverage_bands
from graph.analysis.evaluation_words import points
from graph.language import N_, day, number, translate

__all__ = [
    "CHANGED_FIGURES",
    "change_text",
    "coverage_bins",
    "figure_changes",
    "gap_changes",
    "layout",
    "overview_content",
    "register",
    "register_callbacks",
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


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(__name__, path="/", name="Overview", title="carecircle", layout=layout, order=0)


def layout(**_query) -> html.Div:
    """The page frame; the content follows the header's snapshot and neighbourhood."""
    return html.Div(loading(html.Div(id=ids.OVERVIEW_CONTENT, className="page")))


def register_callbacks(app: dash.Dash) -> None:
    """The callback that fills the page."""

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
    return [
        (f"{100 * band // COVERAGE_BANDS}–{100 * (band + 1) // COVERAGE_BANDS}%", count)
        for band, count in enumerate(counts)
    ]


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
    bins = coverage_bins(view, neighbourhood, role, k)
    charts = dmc.SimpleGrid(
        [
            section(
                translate("Gaps by type", lang),
                picture(
                    dcc.Graph(
                        figure=gaps_by_type_bar(summary["gaps_by_type"], lang),
                        config={"displayModeBar": False},
                        id="gaps-by-type",
                    ),
                    translate("Gaps by type", lang),
                ),
            ),
            section(
                translate("How well the helpers of a resident know each other", lang),
                picture(
                    dcc.Graph(
                        figure=coverage_histogram(bins, lang),
                        config={"displayModeBar": False},
                        id="coverage-distribution",
                    ),
                    translate("How well the helpers of a resident know each other", lang),
                )
                if summary["residents_with_circle"] != 0
                else empty_state(translate("Nothing to show for this selection.", lang)),
                help_text=translate(COVERAGE_HELP, lang),
            ),
        ],
        cols={"base": 1, "lg": 2},
        spacing="md",
    )
    body = [figures, *_change_note(changes, earlier, role, k, lang), charts]
    if role == "team" and earlier is not None:
        body.insert(-1, _changes(gap_changes(view, earlier, neighbourhood), earlier, lang))
    if role == "policy":
        body.append(policy_note(lang, k))
    return [
        page_title(translate("Overview", lang), f"{area} · {view.as_of.isoformat()}"),
        dmc.Stack(body, gap="md"),
    ]


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
