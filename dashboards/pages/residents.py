"""``/residents``: every resident with circle size, coverage and gaps; each row opens the circle."""

from collections import Counter
from urllib.parse import quote

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.widgets import data_grid, page_title, unavailable
from dashboards.context import selected_view, team_only
from dashboards.data import SnapshotView
from dashboards.drilldown import filter_text, filtered_rows, residents_filter
from dashboards.i18n import current_language, tab_title
from graph.language import N_, translate, translate_plural

__all__ = [
    "OPEN_ON_ENTER",
    "layout",
    "opened_resident",
    "register",
    "register_callbacks",
    "resident_link",
    "resident_rows",
    "resident_url",
]

#: the grid's keyboard way into a resident: Enter on any cell of a row hands the row's resident to
#: the grid's ``eventData`` (a callback then opens the circle), as a click on the id's link does
OPEN_ON_ENTER = {
    "cellKeyDown": ["params.event.key === 'Enter' ? setEventData(params.data.resident_id) : null"]
}


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/residents",
        name="Residents",
        title=tab_title(N_("carecircle – residents")),
        layout=layout,
        order=1,
    )


def layout(**query):
    """A search box above the table, filtered as the address says (a chart's bar on the overview:
    :func:`~dashboards.drilldown.residents_filter`); the policy role gets a notice instead."""
    lang = current_language()
    if current_role() != "team":
        return unavailable(lang)
    columns = [
        {
            "field": "link",
            "headerName": translate("Resident", lang),
            "cellRenderer": "markdown",
            "filter": "agTextColumnFilter",
            "pinned": "left",
            "minWidth": 130,
        },
        {"field": "name", "headerName": translate("Name", lang), "minWidth": 170},
        {"field": "neighbourhood", "headerName": translate("Neighbourhood", lang), "minWidth": 150},
        {"field": "circle_size", "headerName": translate("Helpers", lang), "type": "numericColumn"},
        {"field": "formal", "headerName": translate("Formal", lang), "type": "numericColumn"},
        {"field": "informal", "headerName": translate("Informal", lang), "type": "numericColumn"},
        {"field": "caregivers", "headerName": translate("Caregivers", lang), "type": "numericColumn"},
        {
            "field": "coverage",
            "headerName": translate("Coverage", lang),
            "type": "numericColumn",
            "valueFormatter": {
                "function": "params.value == null ? '–' : Math.round(params.value * 100) + '%'"
            },
        },
        {
            "field": "gap_count",
            "headerName": translate("Gaps", lang),
            "type": "numericColumn",
            "sort": "desc",
        },
        {"field": "high", "headerName": translate("High severity", lang), "type": "numericColumn"},
    ]
    chosen = residents_filter(query)
    return html.Div(
        [
            page_title(translate("Residents", lang)),
            dcc.Store(id=ids.RESIDENTS_FILTER, data=chosen),
            _filter_note(chosen, lang),
            dmc.Group(
                [
                    dmc.TextInput(
                        id=ids.RESIDENTS_SEARCH,
                        placeholder=translate("Search by id, name or neighbourhood", lang),
                        w=360,
                        debounce=250,
                        # kept for the session: back from a circle, the table is searched as before
                        persistence=True,
                        persistence_type="session",
                        **{"aria-label": translate("Search by id, name or neighbourhood", lang)},
                    ),
                    dmc.Text(id=ids.RESIDENTS_COUNT, size="sm", c="dimmed"),
                ],
                mb="sm",
            ),
            dcc.Location(id=ids.RESIDENTS_OPEN, refresh="callback-nav"),
            data_grid(ids.RESIDENTS_GRID, columns, lang, height=640, eventListeners=OPEN_ON_ENTER),
        ],
        className="page",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Fill the table for the selected snapshot and neighbourhood; the search filters it in the browser."""

    @app.callback(
        Output(ids.RESIDENTS_GRID, "rowData"),
        Output(ids.RESIDENTS_COUNT, "children"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.AREA, "value"),
        Input(ids.RESIDENTS_FILTER, "data"),
    )
    @team_only
    def fill(as_of: str | None, neighbourhood: str | None, chosen: dict | None = None):
        lang = current_language()
        view = selected_view(as_of)
        rows = filtered_rows(resident_rows(view, neighbourhood), view, chosen)
        return rows, translate_plural("{count} resident", "{count} residents", len(rows), lang)

    @app.callback(
        Output(ids.RESIDENTS_OPEN, "href"), Input(ids.RESIDENTS_GRID, "eventData"), prevent_initial_call=True
    )
    @team_only
    def open_circle(event: dict | None):
        address = opened_resident(event)
        if address is None:
            raise dash.exceptions.PreventUpdate
        return address

    @app.callback(Output(ids.RESIDENTS_GRID, "dashGridOptions"), Input(ids.RESIDENTS_SEARCH, "value"))
    @team_only
    def search(text: str | None):
        patch = dash.Patch()
        patch["quickFilterText"] = text or ""
        return patch


def _filter_note(chosen: dict | None, lang: str):
    """What the table is filtered to, with the way to all residents; nothing without a filter."""
    if not chosen:
        return None
    return dmc.Group(
        [
            dmc.Text(filter_text(chosen, lang), size="sm", fw=600, id="residents-filter-text"),
            dcc.Link(translate("Show all residents", lang), href="/residents", id="residents-filter-clear"),
        ],
        mb="xs",
    )


def resident_url(resident_id: str, origin: str | None = None) -> str:
    """The address of a resident's circle; with the ``origin`` page's key (``agenda``,
    ``overlaps``) the circle's way back leads there.

    Examples
    --------
    >>> resident_url("R 1/2")
    '/residents/R%201%2F2'
    >>> resident_url("R-1", "agenda")
    '/residents/R-1?from=agenda'
    """
    address = f"/residents/{quote(resident_id, safe='')}"
    return f"{address}?from={quote(origin, safe='')}" if origin else address


def resident_link(resident_id: str, origin: str | None = None) -> str:
    r"""A markdown link to a resident's circle, for a table cell (``origin`` as :func:`resident_url`).

    Examples
    --------
    >>> resident_link("R-1")
    '[R\\-1](/residents/R-1)'
    """
    escaped = "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!<>|" else c for c in resident_id)
    return f"[{escaped}]({resident_url(resident_id, origin)})"


def opened_resident(event: dict | None, origin: str | None = None) -> str | None:
    """The circle's address for the grid's ``eventData`` of :data:`OPEN_ON_ENTER` (``None`` when it
    names no resident).

    Examples
    --------
    >>> opened_resident({"data": "R 1", "timestamp": 1}), opened_resident({"data": "R 1"}, "overlaps")
    ('/residents/R%201', '/residents/R%201?from=overlaps')
    >>> opened_resident({"data": None}), opened_resident(None)
    (None, None)
    """
    resident = (event or {}).get("data")
    return resident_url(resident, origin) if isinstance(resident, str) and resident else None


def resident_rows(view: SnapshotView | None, neighbourhood: str | None) -> list[dict]:
    """One table row per resident: the SPEC §5 metrics, the name, and the count of high gaps."""
    if view is None:
        return []
    rows = []
    for metric in view.resident_rows(neighbourhood if neighbourhood in view.neighbourhoods else None):
        resident = metric["resident_id"]
        severities = Counter(gap.severity for gap in view.gaps.get(resident, ()))
        rows.append(
            {
                "resident_id": resident,
                "link": resident_link(resident),
                "name": view.residents[resident]["name"] or "",
                "neighbourhood": metric["neighbourhood"],
                "circle_size": metric["circle_size"],
                "formal": metric["formal"],
                "informal": metric["informal"],
                "caregivers": metric["caregivers"],
                "coverage": metric["awareness_coverage"],
                "gap_count": metric["gap_count"],
                "high": severities["high"],
            }
        )
    return rows
