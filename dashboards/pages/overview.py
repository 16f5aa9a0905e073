"""``/``: a neighbourhood at a glance: key figures, gaps by type, how well helpers know each other."""

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.figures import coverage_histogram, gaps_by_type_bar
from dashboards.components.widgets import empty_state, key_figure, loading, page_title, policy_note, section
from dashboards.context import current, selected_view
from dashboards.data import SnapshotView
from dashboards.i18n import count_text, current_language, share_text
from graph.analysis.disclosure import COVERAGE_BANDS, coverage_bands
from graph.language import N_, day, translate

__all__ = ["coverage_bins", "gap_changes", "layout", "overview_content", "register", "register_callbacks"]

#: the kinds of helper the key figure of helpers counts, in words
HELPER_KINDS = (("formal", N_("formal")), ("informal", N_("informal")), ("caregiver", N_("caregivers")))
#: what the overview says while the store holds no snapshot
NO_STORE = N_("This store holds no snapshot. Load a dataset with: carecircle ingest DATASET --store {store}")
#: the explanation of awareness coverage, beside its figure and its chart
COVERAGE_HELP = N_("Mean awareness coverage: share of helper pairs in a circle where one knows the other")


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
        # the change against the previous snapshot is resident-level counting: team role only
        earlier = settings.data.earlier(view.as_of) if view is not None and role == "team" else []
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
    """Everything the overview shows for one neighbourhood (or all), as the role may see it; for
    the team role with the ``earlier`` snapshot, also the new and resolved gaps since then."""
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
    helpers = summary["helpers"]
    helper_detail = " · ".join(
        f"{count_text(helpers[kind], lang)} {translate(text, lang)}" for kind, text in HELPER_KINDS
    )
    figures = dmc.SimpleGrid(
        [
            key_figure(translate("Residents", lang), count_text(residents, lang)),
            key_figure(
                translate("With 2 or more helpers", lang), count_text(summary["residents_with_circle"], lang)
            ),
            key_figure(
                translate("Helpers who know each other", lang),
                share_text(summary["mean_awareness_coverage"], lang),
                help_text=translate(COVERAGE_HELP, lang),
            ),
            key_figure(
                translate("Caregivers seen by a professional", lang),
                share_text(summary["caregiver_visibility"], lang),
            ),
            key_figure(
                translate("Residents with a gap", lang),
                count_text(with_gaps, lang),
                share_text(gap_share, lang) if gap_share is not None else None,
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
                dcc.Graph(
                    figure=gaps_by_type_bar(summary["gaps_by_type"], lang),
                    config={"displayModeBar": False},
                    id="gaps-by-type",
                ),
            ),
            section(
                translate("How well the helpers of a resident know each other", lang),
                dcc.Graph(
                    figure=coverage_histogram(bins, lang),
                    config={"displayModeBar": False},
                    id="coverage-distribution",
                )
                if summary["residents_with_circle"] != 0
                else empty_state(translate("Nothing to show for this selection.", lang)),
                help_text=translate(COVERAGE_HELP, lang),
            ),
        ],
        cols={"base": 1, "lg": 2},
        spacing="md",
    )
    body = [figures, charts]
    if role == "team" and earlier is not None:
        body.insert(1, _changes(gap_changes(view, earlier, neighbourhood), earlier, lang))
    if role == "policy":
        body.append(policy_note(lang, k))
    return [
        page_title(translate("Overview", lang), f"{area} · {view.as_of.isoformat()}"),
        dmc.Stack(body, gap="md"),
    ]


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
