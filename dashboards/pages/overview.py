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
from dashboards.i18n import current_language, fmt_count, fmt_share, t
from graph.analysis.disclosure import COVERAGE_BANDS, coverage_bands

__all__ = ["coverage_bins", "layout", "overview_content", "register", "register_callbacks"]


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
        return overview_content(
            selected_view(as_of),
            neighbourhood,
            current_role(),
            settings.k,
            current_language(),
            settings.store,
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


def overview_content(
    view: SnapshotView | None, neighbourhood: str | None, role: str, k: int, lang: str, store: str = ""
) -> list:
    """Everything the overview shows for one neighbourhood (or all), as the role may see it."""
    if view is None:
        return [empty_state(t("empty.no_store.text", lang, store=store), t("empty.no_store.title", lang))]
    if neighbourhood is not None and neighbourhood not in view.neighbourhoods:
        neighbourhood = None
    summary = view.summary(neighbourhood, role, k)
    area = neighbourhood or t("shell.all_neighbourhoods", lang)
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
        f"{fmt_count(helpers[kind], lang)} {t(key, lang).lower()}"
        for kind, key in (
            ("formal", "col.formal"),
            ("informal", "col.informal"),
            ("caregiver", "col.caregivers"),
        )
    )
    figures = dmc.SimpleGrid(
        [
            key_figure(t("kpi.residents", lang), fmt_count(residents, lang)),
            key_figure(
                t("kpi.residents_with_circle", lang), fmt_count(summary["residents_with_circle"], lang)
            ),
            key_figure(
                t("kpi.coverage", lang),
                fmt_share(summary["mean_awareness_coverage"], lang),
                help_text=t("kpi.coverage.help", lang),
            ),
            key_figure(t("kpi.visibility", lang), fmt_share(summary["caregiver_visibility"], lang)),
            key_figure(
                t("kpi.with_gaps", lang),
                fmt_count(with_gaps, lang),
                fmt_share(gap_share, lang) if gap_share is not None else None,
            ),
            key_figure(
                t("kpi.helpers", lang),
                fmt_count(_total(helpers.values()), lang),
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
                t("overview.gaps_by_type", lang),
                dcc.Graph(
                    figure=gaps_by_type_bar(summary["gaps_by_type"], lang),
                    config={"displayModeBar": False},
                    id="gaps-by-type",
                ),
            ),
            section(
                t("overview.coverage_distribution", lang),
                dcc.Graph(
                    figure=coverage_histogram(bins, lang),
                    config={"displayModeBar": False},
                    id="coverage-distribution",
                )
                if summary["residents_with_circle"] != 0
                else empty_state(t("empty.no_rows", lang)),
                help_text=t("kpi.coverage.help", lang),
            ),
        ],
        cols={"base": 1, "lg": 2},
        spacing="md",
    )
    body = [figures, charts]
    if role == "policy":
        body.append(policy_note(lang, k))
    return [
        page_title(t("overview.title", lang), f"{area} · {view.as_of.isoformat()}"),
        dmc.Stack(body, gap="md"),
    ]


def _total(counts) -> int | str:
    """The sum of counts, unless one of them is suppressed (then the total would reveal it)."""
    values = list(counts)
    return sum(values) if all(isinstance(v, int) for v in values) else "–"
