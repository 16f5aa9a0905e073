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
from graph.analysis.metrics import ShareBases, combine_summaries

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
    professional) and ``gaps_per_resident``. The rest is the other neighbourhoods together.
    For policy the pilot's values come from the snapshot's protected publication, and the
    rest's value is left out wherever the pilot's is (the municipality's figure minus the rest
    would give the pilot's back).
    """
    series: dict[str, dict[str, list[tuple]]] = {
        measure: {"pilot": [], "rest": []} for measure in ("coverage", "visibility", "gaps_per_resident")
    }
    for point in points:
        day = point.as_of.isoformat()
        if pilot not in point.neighbourhoods:
            pilot_values = dict.fromkeys(series)
        elif role == "policy":
            pilot_values = _measures(point.publication.summaries[pilot])
        else:
            pilot_values = _measures(point.neighbourhoods[pilot].as_dict())
        others = [s for area, s in point.neighbourhoods.items() if area != pilot]
        rest = combine_summaries(others) if others else None
        small = rest is None or (role == "policy" and rest.residents < k)
        rest_values = (
            dict.fromkeys(series)
            if small
            else _measures(rest.as_dict(), k if role == "policy" else 0, rest.share_bases)
        )
        for measure in series:
            hidden = role == "policy" and pilot_values[measure] is None
            series[measure]["pilot"].append((day, pilot_values[measure]))
            series[measure]["rest"].append((day, None if hidden else rest_values[measure]))
    return series


def _measures(summary: dict, k: int = 0, bases: ShareBases | None = None) -> dict[str, float | None]:
    """The three measures of a summary; None where a figure they need is not shown, or (with
    ``k`` and the summary's share ``bases``) where a share rests on fewer than k items."""
    counts = [summary["residents"], *summary["gaps_by_type"].values()]
    exact = all(isinstance(count, int) for count in counts) and summary["residents"]
    return {
        "coverage": None
        if bases is not None and bases.mean_awareness_coverage < k
        else summary["mean_awareness_coverage"],
        "visibility": None
        if bases is not None and bases.caregiver_visibility < k
        else summary["caregiver_visibility"],
        "gaps_per_resident": sum(counts[1:]) / counts[0] if exact else None,
    }


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
