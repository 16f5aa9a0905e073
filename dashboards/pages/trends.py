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
from dashboards.i18n import current_language, tab_title
from graph.analysis.metrics import combine_summaries
from graph.language import N_, translate

__all__ = [
    "MEASURES",
    "default_pilot",
    "layout",
    "register",
    "register_callbacks",
    "trend_series",
    "trends_content",
]

#: the charts: (measure, title, drawn as a percentage)
MEASURES = (
    ("coverage", N_("Helpers who know each other"), True),
    ("visibility", N_("Caregivers seen by a professional"), True),
    ("gaps_per_resident", N_("Gaps per resident"), False),
)


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/trends",
        name="Trends",
        title=tab_title(N_("carecircle – trends")),
        layout=layout,
        order=5,
    )


def layout(**_query) -> html.Div:
    """A choice of pilot neighbourhood above the charts."""
    lang = current_language()
    settings = current()
    newest = settings.data.view()
    areas = newest.neighbourhoods if newest else []
    return html.Div(
        [
            page_title(translate("Trends across snapshots", lang)),
            dmc.Select(
                id=ids.TRENDS_PILOT,
                label=translate("Pilot neighbourhood", lang),
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


def trend_series(points: list[TrendPoint], pilot: str, role: str) -> dict[str, list[tuple]]:
    """Per measure and group (pilot, rest): (snapshot date, value) per snapshot, as the role may see them.

    Measures: ``coverage`` (mean awareness coverage), ``visibility`` (caregivers seen by a
    professional) and ``gaps_per_resident``. The rest is the other neighbourhoods together.
    For policy both come from the snapshot's protected publication, which hides the rest's
    figures wherever the pilot's are hidden (the municipality's figure minus the rest would give
    the pilot's back).
    """
    series: dict[str, dict[str, list[tuple]]] = {
        measure: {"pilot": [], "rest": []} for measure, _, _ in MEASURES
    }
    for point in points:
        day = point.as_of.isoformat()
        pilot_values, rest_values = _pilot_and_rest(point, pilot, role)
        for measure in series:
            series[measure]["pilot"].append((day, pilot_values[measure]))
            series[measure]["rest"].append((day, rest_values[measure]))
    return series


def _pilot_and_rest(point: TrendPoint, pilot: str, role: str) -> tuple[dict, dict]:
    """The measures of the pilot and of the other neighbourhoods in one snapshot, as ``role`` sees them."""
    nothing = dict.fromkeys(measure for measure, _, _ in MEASURES)
    if role == "policy":
        publication = point.publication
        if pilot not in point.neighbourhoods:  # the rest is the whole municipality
            return nothing, _measures(publication.summaries[None])
        return _measures(publication.summaries[pilot]), _measures(publication.rests[pilot])
    others = [summary for area, summary in point.neighbourhoods.items() if area != pilot]
    rest = _measures(combine_summaries(others).as_dict()) if others else nothing
    if pilot not in point.neighbourhoods:
        return nothing, rest
    return _measures(point.neighbourhoods[pilot].as_dict()), rest


def _measures(summary: dict) -> dict[str, float | None]:
    """The three measures of a summary; None where a figure they need is not shown."""
    counts = [summary["residents"], *summary["gaps_by_type"].values()]
    exact = all(isinstance(count, int) for count in counts) and summary["residents"]
    return {
        "coverage": summary["mean_awareness_coverage"],
        "visibility": summary["caregiver_visibility"],
        "gaps_per_resident": sum(counts[1:]) / counts[0] if exact else None,
    }


def trends_content(points: list[TrendPoint], pilot: str | None, role: str, k: int, lang: str) -> list:
    """Three charts: helpers who know each other, caregivers seen, gaps per resident."""
    if not points or pilot is None:
        return [empty_state(translate("Nothing to show for this selection.", lang))]
    series = trend_series(points, pilot, role)
    names = {"pilot": pilot, "rest": translate("Other neighbourhoods", lang)}
    charts = []
    for measure, text, percent in MEASURES:
        title = translate(text, lang)
        lines = {names[group]: values for group, values in series[measure].items()}
        charts.append(
            section(
                title,
                dcc.Graph(
                    figure=trend_lines(lines, percent=percent, title=title, lang=lang),
                    config={"displayModeBar": False},
                    id=f"trend-{measure}",
                ),
            )
        )
    body = []
    if len(points) < 2:
        body.append(
            empty_state(
                translate("Only one snapshot is stored; ingest another date to see change over time.", lang)
            )
        )
    body.append(dmc.SimpleGrid(charts, cols={"base": 1, "lg": 3}, spacing="md"))
    if role == "policy":
        body.append(policy_note(lang, k))
    return body
