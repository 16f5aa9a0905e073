"""``/trends``: the pilot neighbourhood against the rest, across the stored snapshots."""

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.figures import trend_lines
from dashboards.components.widgets import empty_state, loading, page_title, policy_note, section
from dashboards.context import current
from dashboards.data import TrendPoint
from dashboards.i18n import current_language, t
from graph.analysis.metrics import combine_summaries
from graph.analysis.report import role_summary

__all__ = ["default_pilot", "layout", "register", "register_callbacks", "trend_series", "trends_content"]


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__, path="/trends", name="Trends", title="carecircle – trends", layout=layout, order=5
    )


def layout(**_query) -> html.Div:
    """A choice of pilot neighbourhood above the charts."""
    lang = current_language()
    settings = current()
    newest = settings.data.view()
    areas = newest.neighbourhoods if newest else []
    return html.Div(
        [
            page_title(t("trends.title", lang)),
            dmc.Select(
                id=ids.TRENDS_PILOT,
                label=t("trends.pilot", lang),
                data=areas,
                value=default_pilot(areas, settings.pilot),
                allowDeselect=False,
                searchable=True,
                w=260,
                mb="md",
            ),
            loading(html.Div(id=ids.TRENDS_CONTENT)),
        ],
        className="page",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Draw the trends for the chosen pilot neighbourhood."""

    @app.callback(Output(ids.TRENDS_CONTENT, "children"), Input(ids.TRENDS_PILOT, "value"))
    def fill(pilot: str | None):
        settings = current()
        return trends_content(settings.data.trends(), pilot, current_role(), settings.k, current_language())


def default_pilot(areas: list[str], configured: str | None) -> str | None:
    """The configured pilot neighbourhood when it exists, else the first.

    Examples
    --------
    >>> default_pilot(["Filmwijk", "Stedenwijk"], "Stedenwijk"), default_pilot(["Filmwijk"], "Stedenwijk")
    ('Stedenwijk', 'Filmwijk')
    """
    if configured in areas:
        return configured
    return areas[0] if areas else None


def trend_series(points: list[TrendPoint], pilot: str, role: str, k: int) -> dict[str, list[tuple]]:
    """Per measure and group (pilot, rest): (snapshot date, value) per snapshot, as the role may see them.

    Measures: ``coverage`` (mean awareness coverage), ``visibility`` (caregivers seen by a
    professional) and ``gaps_per_resident``.
    """
    series: dict[str, dict[str, list[tuple]]] = {
        "coverage": {"pilot": [], "rest": []},
        "visibility": {"pilot": [], "rest": []},
        "gaps_per_resident": {"pilot": [], "rest": []},
    }
    for point in points:
        day = point.as_of.isoformat()
        groups = {
            "pilot": [s for area, s in point.neighbourhoods.items() if area == pilot],
            "rest": [s for area, s in point.neighbourhoods.items() if area != pilot],
        }
        for group, summaries in groups.items():
            summary = role_summary(combine_summaries(summaries), role, k) if summaries else None
            residents = summary["residents"] if summary else None
            gaps = sum(v for v in summary["gaps_by_type"].values() if isinstance(v, int)) if summary else None
            exact = summary is not None and all(isinstance(v, int) for v in summary["gaps_by_type"].values())
            per_resident = gaps / residents if exact and isinstance(residents, int) and residents else None
            series["coverage"][group].append((day, summary["mean_awareness_coverage"] if summary else None))
            series["visibility"][group].append((day, summary["caregiver_visibility"] if summary else None))
            series["gaps_per_resident"][group].append((day, per_resident))
    return series


def trends_content(points: list[TrendPoint], pilot: str | None, role: str, k: int, lang: str) -> list:
    """Three charts: helpers who know each other, caregivers seen, gaps per resident."""
    if not points or pilot is None:
        return [empty_state(t("empty.no_rows", lang))]
    series = trend_series(points, pilot, role, k)
    names = {"pilot": pilot, "rest": t("trends.rest", lang)}
    charts = []
    for measure, key, percent in (
        ("coverage", "trends.coverage", True),
        ("visibility", "trends.visibility", True),
        ("gaps_per_resident", "trends.gaps_per_resident", False),
    ):
        lines = {names[group]: values for group, values in series[measure].items()}
        charts.append(
            section(
                t(key, lang),
                dcc.Graph(
                    figure=trend_lines(lines, percent=percent, title=t(key, lang)),
                    config={"displayModeBar": False},
                    id=f"trend-{measure}",
                ),
            )
        )
    body = []
    if len(points) < 2:
        body.append(empty_state(t("trends.one_snapshot", lang)))
    body.append(dmc.SimpleGrid(charts, cols={"base": 1, "lg": 3}, spacing="md"))
    if role == "policy":
        body.append(policy_note(lang, k))
    return body
