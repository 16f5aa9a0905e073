"""``/overlaps``: uncoordinated overlaps and unmet needs, filterable, exportable as safe CSV."""

import csv
import io

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.access import audit, current_role
from dashboards.components.widgets import data_grid, page_title, unavailable
from dashboards.context import selected_view, team_only
from dashboards.data import SnapshotView
from dashboards.drilldown import OVERLAP_TYPES, overlaps_type
from dashboards.i18n import current_language, tab_title
from dashboards.pages.residents import resident_link
from dashboards.paging import Columns, matching_rows, refresh_rows, requested_rows, sort_model_of
from graph.export import safe_cells
from graph.labels import DOMAINS, GAP_TYPES, SEVERITIES, label
from graph.language import N_, translate, translate_plural

__all__ = [
    "COLUMNS",
    "EXPORT_COLUMNS",
    "layout",
    "overlap_csv",
    "overlap_rows",
    "register",
    "register_callbacks",
]

TYPES = OVERLAP_TYPES
#: the columns of the CSV export (the team's: with the names the table shows)
EXPORT_COLUMNS = (
    "resident_id",
    "name",
    "neighbourhood",
    "type",
    "severity",
    "domains",
    "helpers",
    "helper_names",
    "message",
    "action",
)

#: the overlaps grid on the server: the link column sorts and filters by the resident's id; the
#: severity column is filtered by its words and sorted by how severe (descending: high first)
COLUMNS = Columns(
    searched=(),
    stand_ins={"link": "resident_id"},
    sorted_by={"severity_label": "severity"},
    ranks={"severity_label": lambda severity: -list(SEVERITIES).index(severity)},
)


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/overlaps",
        name="Overlaps",
        title=tab_title(N_("carecircle – overlaps")),
        layout=layout,
        order=3,
    )


def layout(**query):
    """Filters, the table and the export button; the address's ``type`` (a bar of the overview's
    gaps chart) chooses the type filter. The policy role gets a notice instead."""
    lang = current_language()
    if current_role() != "team":
        return unavailable(lang)
    # each column's filter named: the server reads its model
    wrap = {"wrapText": True, "autoHeight": True, "filter": "agTextColumnFilter"}
    columns = [
        {
            "field": "link",
            "headerName": translate("Resident", lang),
            "cellRenderer": "markdown",
            "width": 120,
            "filter": "agTextColumnFilter",
        },
        {
            "field": "neighbourhood",
            "headerName": translate("Neighbourhood", lang),
            "width": 140,
            "filter": "agTextColumnFilter",
        },
        {"field": "name", "headerName": translate("Name", lang), "width": 170, **wrap},
        {"field": "type_label", "headerName": translate("Gap", lang), "width": 170, **wrap},
        {
            "field": "severity_label",
            "headerName": translate("Severity", lang),
            "width": 100,
            "filter": "agTextColumnFilter",
        },
        {"field": "domains_label", "headerName": translate("Domain", lang), "width": 150, **wrap},
        {"field": "helper_names", "headerName": translate("Helpers", lang), "width": 200, **wrap},
        {
            "field": "message",
            "headerName": translate("What is wrong", lang),
            "flex": 3,
            "minWidth": 260,
            **wrap,
        },
        {
            "field": "action",
            "headerName": translate("Suggested action", lang),
            "flex": 2,
            "minWidth": 200,
            **wrap,
        },
    ]
    type_choices = [
        {"value": "both", "label": translate("Both", lang)},
        *({"value": gap_type, "label": label(GAP_TYPES, gap_type, lang)} for gap_type in TYPES),
    ]
    domain_choices = [{"value": code, "label": label(DOMAINS, code, lang)} for code in DOMAINS]
    return html.Div(
        [
            page_title(translate("Overlaps and unmet needs", lang)),
            dmc.Group(
                [
                    dmc.SegmentedControl(id=ids.OVERLAPS_TYPE, data=type_choices, value=overlaps_type(query)),
                    dmc.Select(
                        id=ids.OVERLAPS_DOMAIN,
                        data=domain_choices,
                        placeholder=translate("All domains", lang),
                        clearable=True,
                        w=220,
                        **{"aria-label": translate("Domain", lang)},
                    ),
                    dmc.Text(id=ids.OVERLAPS_COUNT, size="sm", c="dimmed"),
                    dmc.Button(
                        translate("Export CSV", lang), id=ids.OVERLAPS_EXPORT, variant="light", n_clicks=0
                    ),
                    dcc.Download(id=ids.OVERLAPS_DOWNLOAD),
                ],
                mb="sm",
            ),
            data_grid(ids.OVERLAPS_GRID, columns, lang, height=640, fit=False, paged=True),
        ],
        className="page",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Answer the grid's requests for rows (sorted and filtered on the server) from the filters,
    with the count of the gaps that match; export every row that matches as CSV."""
    filters = [
        State(ids.SNAPSHOT, "value"),
        State(ids.AREA, "value"),
        State(ids.OVERLAPS_TYPE, "value"),
        State(ids.OVERLAPS_DOMAIN, "value"),
    ]

    @app.callback(
        Output(ids.OVERLAPS_GRID, "getRowsResponse"),
        Output(ids.OVERLAPS_COUNT, "children"),
        Input(ids.OVERLAPS_GRID, "getRowsRequest"),
        *filters,
        prevent_initial_call=True,
    )
    @team_only
    def fill(request, as_of, neighbourhood, gap_type, domain):
        lang = current_language()
        rows = overlap_rows(selected_view(as_of), neighbourhood, gap_type, domain, lang)
        page = requested_rows(rows, request, None, COLUMNS)
        count = translate_plural("{count} gap", "{count} gaps", page["rowCount"], lang)
        return (page if request is not None else dash.no_update), count

    # the grid asks for its rows again when a filter outside it changes
    app.clientside_callback(
        refresh_rows(ids.OVERLAPS_GRID),
        Output(ids.OVERLAPS_GRID, "paginationGoTo"),
        *(Input(state.component_id, state.component_property) for state in filters),
    )

    @app.callback(
        Output(ids.OVERLAPS_DOWNLOAD, "data"),
        Input(ids.OVERLAPS_EXPORT, "n_clicks"),
        *filters,
        State(ids.OVERLAPS_GRID, "filterModel"),
        State(ids.OVERLAPS_GRID, "columnState"),
        prevent_initial_call=True,
    )
    @team_only
    def export(_clicks, as_of, neighbourhood, gap_type, domain, filter_model, column_state):
        view = selected_view(as_of)
        rows = overlap_rows(view, neighbourhood, gap_type, domain, current_language())
        # the rows the grid shows, every page of them, in its order
        rows = matching_rows(rows, filter_model, sort_model_of(column_state), None, COLUMNS)
        audit(
            "exported overlaps",
            rows=len(rows),
            neighbourhood=neighbourhood,
            as_of=view.as_of if view else None,
        )
        day = view.as_of.isoformat() if view else "empty"
        return dcc.send_string(overlap_csv(rows), f"carecircle-overlaps-{day}.csv", type="text/csv")


def overlap_rows(
    view: SnapshotView | None, neighbourhood: str | None, gap_type: str | None, domain: str | None, lang: str
) -> list[dict]:
    """Overlap and unmet-need gaps of a neighbourhood (or all), of one type or both, of one domain or
    all, worded in ``lang``, each with the resident's name and the helpers by name (by id where
    they have none); built once per snapshot and language."""
    if view is None:
        return []
    types = TYPES if gap_type not in TYPES else (gap_type,)
    return [
        row
        for row in view.grid_rows(("overlaps", lang), lambda: _every_overlap_row(view, lang))
        if row["type"] in types
        and (not domain or domain in row["domains"].split("|"))
        and (not neighbourhood or row["neighbourhood"] == neighbourhood)
    ]


def _every_overlap_row(view: SnapshotView, lang: str) -> list[dict]:
    """The rows of :func:`overlap_rows` of every overlap and unmet need of the snapshot."""
    rows = []
    for gap in view.analysis.gaps:
        if gap.type not in TYPES:
            continue
        area = view.residents[gap.resident_id]["neighbourhood"]
        message, action = gap.text(lang, view.helper_names)
        rows.append(
            {
                "resident_id": gap.resident_id,
                "link": resident_link(gap.resident_id, "overlaps"),
                "name": view.residents[gap.resident_id]["name"] or "",
                "neighbourhood": area,
                "type": gap.type,
                "type_label": label(GAP_TYPES, gap.type, lang),
                "severity": gap.severity,
                "severity_label": label(SEVERITIES, gap.severity, lang),
                "domains": "|".join(gap.domains),
                "domains_label": ", ".join(label(DOMAINS, d, lang) for d in gap.domains),
                "helpers": "|".join(gap.helpers),
                "helper_names": ", ".join(view.helper_names.get(h) or h for h in gap.helpers),
                "message": message,
                "action": action,
            }
        )
    return rows


def overlap_csv(rows: list[dict]) -> str:
    """The rows as CSV for a spreadsheet; a cell starting with = + - @ is neutralised with a '.

    Examples
    --------
    >>> overlap_csv([dict.fromkeys(EXPORT_COLUMNS, "=1+1")]).splitlines()[1].split(",")[0]
    "'=1+1"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(safe_cells([row[column] for column in EXPORT_COLUMNS]))
    return buffer.getvalue()
