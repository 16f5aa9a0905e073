"""``/agenda``: the district team's agenda (SPEC §10): the residents to discuss, ranked, with what
changed since an earlier snapshot and the one step that helps each most; which organisations of a
neighbourhood should meet; a print view for the meeting. Team role only."""

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, dcc, html
from flask import Flask, Response, abort, request

from dashboards import ids
from dashboards.access import audit, current_role
from dashboards.components.since import register_since, since_select
from dashboards.components.widgets import empty_state, loading, page_title, section, unavailable
from dashboards.context import current, selected_day, team_only
from dashboards.i18n import current_language, tab_title
from dashboards.pages.residents import resident_url
from graph.analysis.agenda_formats import agenda_html
from graph.labels import GAP_TYPES, SEVERITIES, label
from graph.language import N_, day, number, translate, translate_plural

__all__ = [
    "PAGE_SIZE",
    "PRINT_PATH",
    "agenda_content",
    "count_line",
    "layout",
    "meeting_rows",
    "print_url",
    "printed_count",
    "register",
    "register_callbacks",
    "register_print",
]

#: the residents shown at first, and how many more each "show more" adds
PAGE_SIZE = 50
#: the address of the print view
PRINT_PATH = "/agenda/print"
#: the labels of a resident's counts; new and resolved only with an earlier snapshot
_COUNTS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
_CHANGE_COUNTS = {"new": N_("new"), "resolved": N_("resolved")}
_STATUSES = {"new": N_("new"), "persisting": N_("persisting")}
#: what the page says without an earlier snapshot
NOTHING_TO_COMPARE = N_(
    "There is no stored snapshot before this one: nothing to compare with. Gaps carry no new or "
    "persisting mark and none are listed as resolved."
)
#: the column titles of the meetings table
MEETING_COLUMNS = (
    N_("Neighbourhood"),
    N_("Invite"),
    N_("Helpers who do not know each other"),
    N_("Shared residents"),
)


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/agenda",
        name="Agenda",
        title=tab_title(N_("carecircle – team agenda")),
        layout=layout,
        order=2,
    )


def layout(**_query):
    """The page frame: the snapshot to compare with, the print view, the agenda; the policy role
    gets a notice instead."""
    lang = current_language()
    if current_role() != "team":
        return unavailable(lang)
    return html.Div(
        [
            page_title(translate("Team agenda", lang)),
            dmc.Group(
                [
                    since_select(ids.AGENDA_SINCE, lang),
                    html.A(
                        translate("Print view", lang),
                        id=ids.AGENDA_PRINT,
                        href=PRINT_PATH,
                        target="_blank",
                        rel="noopener",
                        className="agenda-print-link",
                    ),
                ],
                align="flex-end",
                className="no-print",
                mb="sm",
            ),
            dcc.Store(id=ids.AGENDA_SHOWN, data=PAGE_SIZE),
            loading(html.Div(id=ids.AGENDA_CONTENT, className="page")),
            dmc.Button(
                translate("Show more residents", lang),
                id=ids.AGENDA_MORE,
                variant="light",
                n_clicks=0,
                mt="sm",
                style={"display": "none"},
                className="no-print",
            ),
        ]
    )


def register_callbacks(app: dash.Dash) -> None:
    """The snapshots to compare with, the agenda with its print link, and "show more"; and the
    print view's route on the server."""

    register_since(app, ids.AGENDA_SINCE, team_only)

    @app.callback(
        Output(ids.AGENDA_CONTENT, "children"),
        Output(ids.AGENDA_SHOWN, "data"),
        Output(ids.AGENDA_PRINT, "href"),
        Output(ids.AGENDA_MORE, "style"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.AGENDA_SINCE, "value"),
        Input(ids.AREA, "value"),
        Input(ids.AGENDA_MORE, "n_clicks"),
        State(ids.AGENDA_SHOWN, "data"),
    )
    @team_only
    def fill(as_of: str | None, since: str | None, neighbourhood: str | None, _more, shown: int | None):
        lang = current_language()
        more = dash.ctx.triggered_id == ids.AGENDA_MORE
        shown = (shown or PAGE_SIZE) + PAGE_SIZE if more else PAGE_SIZE
        data = current().data
        entry = data.agenda(selected_day(as_of), selected_day(since))
        if entry is None:
            return [empty_state(translate("No data yet", lang))], shown, PRINT_PATH, {"display": "none"}
        view = data.view(entry.as_of)
        area = neighbourhood if neighbourhood in view.neighbourhoods else None
        agenda = entry.of(area, lang)
        audit("opened agenda", as_of=entry.as_of, since=entry.since, neighbourhood=area)
        hidden = {"display": "none"} if shown >= len(agenda["items"]) else {}
        names = {
            item["resident_id"]: view.residents[item["resident_id"]]["name"]
            for item in agenda["items"][:shown]
            if view.residents[item["resident_id"]]["name"]
        }
        return (
            agenda_content(agenda, view.helper_names, names, lang, shown),
            shown,
            print_url(entry.as_of, entry.since, area, min(shown, len(agenda["items"]))),
            hidden,
        )

    register_print(app.server)


def register_print(server: Flask) -> None:
    """``GET /agenda/print?as_of=…&since=…&neighbourhood=…&top=N``: the agenda as one self-contained
    page to print (:func:`~graph.analysis.agenda_formats.agenda_html`, no scripts) with its first
    ``top`` residents (the ones the page shows; :data:`PAGE_SIZE` without a valid ``top``), for the
    team role only: any other role gets 403 and the refusal is audited, as is every page given."""

    @server.route(PRINT_PATH)
    def agenda_print():
        if current_role() != "team":
            audit("refused", path=PRINT_PATH)
            abort(403)
        lang = current_language()
        data = current().data
        entry = data.agenda(selected_day(request.args.get("as_of")), selected_day(request.args.get("since")))
        if entry is None:
            abort(404)
        neighbourhood = request.args.get("neighbourhood") or None
        area = neighbourhood if neighbourhood in data.view(entry.as_of).neighbourhoods else None
        audit("printed agenda", as_of=entry.as_of, since=entry.since, neighbourhood=area)
        agenda = entry.of(area, lang)
        shown = {**agenda, "items": agenda["items"][: printed_count(request.args.get("top"))]}
        return Response(agenda_html(shown, lang), mimetype="text/html")


def printed_count(top: str | None) -> int:
    """How many residents the print view holds: ``top`` when it is a whole number from 1, else
    :data:`PAGE_SIZE` (a municipality of 60,000 residents whole would be a page of some 100 MB).

    Examples
    --------
    >>> printed_count("120"), printed_count(None), printed_count("0"), printed_count("x")
    (120, 50, 50, 50)
    """
    return int(top) if top is not None and top.isdigit() and int(top) > 0 else PAGE_SIZE


def print_url(as_of: date, since: date | None, neighbourhood: str | None, top: int | None = None) -> str:
    """The address of the print view of one agenda (its first ``top`` residents).

    Examples
    --------
    >>> print_url(date(2024, 6, 1), date(2024, 3, 1), "Emmen-Centrum", 50)
    '/agenda/print?as_of=2024-06-01&since=2024-03-01&neighbourhood=Emmen-Centrum&top=50'
    >>> print_url(date(2024, 6, 1), None, None)
    '/agenda/print?as_of=2024-06-01'
    """
    query = {"as_of": as_of.isoformat()}
    if since is not None:
        query["since"] = since.isoformat()
    if neighbourhood is not None:
        query["neighbourhood"] = neighbourhood
    if top is not None:
        query["top"] = str(top)
    return f"{PRINT_PATH}?{urlencode(query)}"


def count_line(counts: Mapping[str, int], with_changes: bool, lang: str) -> str:
    """A resident's counts in words: the severities, and new and resolved gaps when compared.

    Examples
    --------
    >>> count_line({"high": 1, "medium": 2, "low": 0, "new": 1, "resolved": 2}, True, "en")
    'high 1 · medium 2 · low 0 · new 1 · resolved 2'
    >>> count_line({"high": 1, "medium": 2, "low": 0, "new": 0, "resolved": 0}, False, "nl")
    'hoog 1 · middel 2 · laag 0'
    """
    shown = {**_COUNTS, **_CHANGE_COUNTS} if with_changes else _COUNTS
    return " · ".join(f"{translate(text, lang)} {number(counts[name], lang)}" for name, text in shown.items())


def agenda_content(
    agenda: dict,
    helper_names: Mapping[str, str],
    resident_names: Mapping[str, str],
    lang: str,
    shown: int = PAGE_SIZE,
) -> list:
    """Everything the page shows of one agenda object (``carecircle.agenda/1``, its messages in
    ``lang``): a summary line, the first ``shown`` residents (each with its counts, the recommended
    introduction and overview holder, who joined or left the circle, the gaps with their mark and
    the resolved gaps, and a link to the resident's page), then the meetings per neighbourhood."""
    since, items = agenda["since"], agenda["items"]
    summary = translate_plural(
        "{count} resident to discuss", "{count} residents to discuss", len(items), lang
    )
    if items and len(items) > shown:
        summary += " · " + translate("the first {shown} shown", lang, shown=number(shown, lang))
    head = [
        dmc.Text(
            translate("Snapshot {as_of}", lang, as_of=day(date.fromisoformat(agenda["as_of"]), lang))
            + " · "
            + (
                translate("changes since {since}", lang, since=day(date.fromisoformat(since), lang))
                if since
                else translate("no earlier snapshot", lang)
            ),
            size="sm",
            id="agenda-dates",
        ),
        # the heading of the residents below (h2, so that their h3 titles follow the page's h1 in order)
        dmc.Title(summary, order=2, fz="sm", fw=600, id="agenda-summary"),
    ]
    if since is None:
        head.append(empty_state(translate(NOTHING_TO_COMPARE, lang)))
    residents = (
        [_item(item, since is not None, helper_names, resident_names, lang) for item in items[:shown]]
        if items
        else [empty_state(translate("Nothing to discuss: no resident has an open or a resolved gap.", lang))]
    )
    return [
        dmc.Stack(head, gap=4, mb="sm"),
        html.Ol(residents, id="agenda-items", className="agenda-items"),
        _meetings(agenda["meetings"], lang),
    ]


def _item(
    item: dict,
    with_changes: bool,
    helper_names: Mapping[str, str],
    resident_names: Mapping[str, str],
    lang: str,
) -> html.Li:
    """One resident on the agenda, as a list item."""
    resident = item["resident_id"]
    name = resident_names.get(resident)
    steps = [
        _step(translate("Introduction", lang), (item["introduction"] or {}).get("message")),
        _step(translate("Who holds the overview", lang), (item["overview_holder"] or {}).get("message")),
        *_circle_changes(item.get("circle"), helper_names, lang),
    ]
    return html.Li(
        [
            html.H3(
                [
                    f"{number(item['rank'], lang)}. ",
                    dcc.Link(
                        f"{name} ({resident})" if name else resident, href=resident_url(resident, "agenda")
                    ),
                    f" · {item['neighbourhood']}",
                ],
                className="agenda-item-title",
            ),
            dmc.Text(count_line(item["counts"], with_changes, lang), size="sm", className="agenda-counts"),
            html.Ul([step for step in steps if step is not None], className="agenda-steps"),
            _gap_details(item, with_changes, helper_names, lang),
        ],
        className="agenda-item",
        id=f"agenda-item-{item['rank']}",
    )


def _step(title: str, message: str | None) -> html.Li | None:
    if not message:
        return None
    return html.Li([html.Strong(f"{title}: "), message])


def _circle_changes(circle: dict | None, helper_names: Mapping[str, str], lang: str) -> list[html.Li]:
    texts = {"joined": N_("Joined the circle: {helpers}"), "left": N_("Left the circle: {helpers}")}
    circle = circle or {}
    return [
        html.Li(
            translate(
                text, lang, helpers=", ".join(helper_names.get(helper, helper) for helper in circle[change])
            )
        )
        for change, text in texts.items()
        if circle.get(change)
    ]


def _gap_details(item: dict, with_changes: bool, helper_names: Mapping[str, str], lang: str) -> html.Details:
    """The resident's open gaps (with their new/persisting mark) and resolved gaps, folded away."""
    rows = [
        html.Li(
            [
                html.Strong(
                    f"{translate(_STATUSES[gap['status']], lang).upper()} · " if gap.get("status") else ""
                ),
                f"{label(GAP_TYPES, gap['type'], lang)} ({label(SEVERITIES, gap['severity'], lang)}): ",
                gap["message"],
            ]
        )
        for gap in item["gaps"]
    ]
    rows += [
        html.Li(
            [
                html.Strong(translate("resolved", lang).upper() + " · "),
                f"{label(GAP_TYPES, gap['type'], lang)} ({label(SEVERITIES, gap['severity'], lang)})",
                f": {', '.join(helper_names.get(h, h) for h in gap['helpers'])}" if gap["helpers"] else "",
            ]
        )
        for gap in item["resolved"]
    ]
    summary = translate_plural("{count} gap", "{count} gaps", len(item["gaps"]), lang)
    if with_changes and item["resolved"]:
        summary += " · " + translate_plural(
            "{count} resolved", "{count} resolved", len(item["resolved"]), lang
        )
    return html.Details(
        [html.Summary(summary, className="agenda-gaps-summary"), html.Ul(rows, className="agenda-gaps")],
        className="agenda-gaps-details",
    )


def meeting_rows(meetings: list[dict], lang: str) -> list[list[str]]:
    """One table row per pair of organisations to invite (:data:`MEETING_COLUMNS`).

    Examples
    --------
    >>> meeting_rows([{"neighbourhood": "Oost", "a": "O1", "b": "O2", "unaware_pairs": 1200,
    ...                "shared_residents": 3, "message": "Invite O1 and O2"}], "nl")
    [['Oost', 'Invite O1 and O2', '1.200', '3']]
    """
    return [
        [
            meeting["neighbourhood"],
            meeting["message"],
            number(meeting["unaware_pairs"], lang),
            number(meeting["shared_residents"], lang),
        ]
        for meeting in meetings
    ]


def _meetings(meetings: list[dict], lang: str) -> dmc.Card:
    body = (
        dmc.Table(
            data={
                "head": [translate(text, lang) for text in MEETING_COLUMNS],
                "body": meeting_rows(meetings, lang),
            },
            striped=True,
            withTableBorder=False,
            id="agenda-meetings",
        )
        if meetings
        else empty_state(
            translate(
                "No pair of organisations has helpers who share a resident without knowing each other.", lang
            )
        )
    )
    return section(translate("Who to invite to a neighbourhood meeting", lang), body, mt="md")
