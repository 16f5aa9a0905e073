"""``/residents``: every resident with circle size, coverage and gaps; each row opens the circle."""

from collections import Counter
from urllib.parse import quote

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.widgets import data_grid, page_title, unavailable
from dashboards.context import selected_view, team_only
from dashboards.data import SnapshotView
from dashboards.drilldown import filter_text, filtered_rows, residents_filter, view_groups
from dashboards.i18n import current_language, tab_title
from dashboards.paging import Columns, refresh_rows, requested_rows
from graph.errors import StoreError
from graph.language import N_, translate, translate_plural

__all__ = [
    "COLUMNS",
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

#: the residents grid on the server: the search box looks in the id, the name and the neighbourhood;
#: the link column sorts and filters by the id; coverage (a share) is filtered in percent, as shown
COLUMNS = Columns(
    searched=("resident_id", "name", "neighbourhood"),
    stand_ins={"link": "resident_id"},
    scales={"coverage": 100},
)


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
    # each column's filter named: the server reads its model (the grid cannot infer a type from rows
    # it does not have)
    text, number = (
        {"filter": "agTextColumnFilter"},
        {"type": "numericColumn", "filter": "agNumberColumnFilter"},
    )
    columns = [
        {
            "field": "link",
            "headerName": translate("Resident", lang),
            "cellRenderer": "markdown",
            "filter": "agTextColumnFilter",
            "pinned": "left",
            "minWidth": 130,
        },
        {"field": "name", "headerName": translate("Name", lang), "minWidth": 170, **text},
        {"field": "neighbourhood", "headerName": translate("Neighbourhood", lang), "minWidth": 150, **text},
        # the gaps the table is sorted by, their severity and the coverage beside the names: in sight
        # without scrolling sideways
        {
            "field": "gap_count",
            "headerName": translate("Gaps", lang),
            **number,
            "sort": "desc",
        },
        {"field": "high", "headerName": translate("High severity", lang), **number},
        {
            "field": "coverage",
            "headerName": translate("Coverage", lang),
            **number,
            "valueFormatter": {
                "function": "params.value == null ? '–' : Math.round(params.value * 100) + '%'"
            },
        },
        {"field": "circle_size", "headerName": translate("Helpers", lang), **number},
        {"field": "formal", "headerName": translate("Formal", lang), **number},
        {"field": "informal", "headerName": translate("Informal", lang), **number},
        {"field": "caregivers", "headerName": translate("Caregivers", lang), **number},
    ]
    groups = _groups(query, lang)
    chosen = residents_filter(query, groups)
    return html.Div(
        [
            page_title(translate("Residents", lang)),
            dcc.Store(id=ids.RESIDENTS_FILTER, data=chosen),
            _filter_note(chosen, lang, groups),
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
            data_grid(
                ids.RESIDENTS_GRID, columns, lang, height=640, paged=True, eventListeners=OPEN_ON_ENTER
            ),
        ],
        className="page",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Answer the grid's requests for rows (sorted, filtered and searched on the server) for the
    selected snapshot and neighbourhood, with the count of the residents that match; open a
    resident on Enter."""

    @app.callback(
        Output(ids.RESIDENTS_GRID, "getRowsResponse"),
        Output(ids.RESIDENTS_COUNT, "children"),
        Input(ids.RESIDENTS_GRID, "getRowsRequest"),
        State(ids.SNAPSHOT, "value"),
        State(ids.AREA, "value"),
        State(ids.RESIDENTS_SEARCH, "value"),
        State(ids.RESIDENTS_FILTER, "data"),
        prevent_initial_call=True,
    )
    @team_only
    def fill(
        request: dict | None,
        as_of: str | None,
        neighbourhood: str | None,
        search: str | None,
        chosen: dict | None = None,
    ):
        lang = current_language()
        view = selected_view(as_of)
        rows = filtered_rows(resident_rows(view, neighbourhood), view, chosen)
        page = requested_rows(rows, request, search, COLUMNS)
        count = translate_plural("{count} resident", "{count} residents", page["rowCount"], lang)
        return (page if request is not None else dash.no_update), count

    # the grid asks for its rows again when the snapshot, the neighbourhood or the search changes
    app.clientside_callback(
        refresh_rows(ids.RESIDENTS_GRID),
        Output(ids.RESIDENTS_GRID, "paginationGoTo"),
        Input(ids.RESIDENTS_SEARCH, "value"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.AREA, "value"),
        Input(ids.RESIDENTS_FILTER, "data"),
    )

    @app.callback(
        Output(ids.RESIDENTS_OPEN, "href"), Input(ids.RESIDENTS_GRID, "eventData"), prevent_initial_call=True
    )
    @team_only
    def open_circle(event: dict | None):
        address = opened_resident(event)
        if address is None:
            raise dash.exceptions.PreventUpdate
        return address


def _groups(query: dict, lang: str) -> dict[str, str]:
    """The groups of the newest snapshot by their names, where the address filters by a pair of
    them (:func:`~dashboards.drilldown.pair_address`); none otherwise, or when the store cannot
    be read (then the page shows every resident, and its callbacks say what is wrong)."""
    if "pair" not in query:
        return {}
    try:
        view = selected_view(None)
    except StoreError:
        return {}
    return {} if view is None else view_groups(view, lang)


def _filter_note(chosen: dict | None, lang: str, names: dict[str, str]):
    """What the table is filtered to, with the way to all residents; nothing without a filter."""
    if not chosen:
        return None
    return dmc.Group(
        [
            dmc.Text(filter_text(chosen, lang, names), size="sm", fw=600, id="residents-filter-text"),
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
    """One table row per resident (of ``neighbourhood``, or all): the SPEC §5 metrics, the name, and
    the count of high gaps; built once per snapshot."""
    if view is None:
        return []
    rows = view.grid_rows(("residents",), lambda: _every_resident_row(view))
    if neighbourhood in view.neighbourhoods:
        return [row for row in rows if row["neighbourhood"] == neighbourhood]
    return rows


def _every_resident_row(view: SnapshotView) -> list[dict]:
    """The rows of :func:`resident_rows` of every resident of the snapshot."""
    rows = []
    for metric in view.resident_rows():
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
