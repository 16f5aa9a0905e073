"""``/residents/<resident_id>``: one resident's circle, its gaps with suggested actions, and who does what."""

from collections.abc import Collection, Mapping
from datetime import date
from urllib.parse import unquote

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import audit, current_role
from dashboards.components.network import (
    circle_description,
    circle_elements,
    circle_legend,
    circle_picture,
    contact_problems,
)
from dashboards.components.widgets import (
    SEVERITY_COLOURS,
    empty_state,
    loading,
    picture,
    section,
    unavailable,
)
from dashboards.context import current, selected_view, team_only
from dashboards.data import SnapshotView
from dashboards.i18n import NOT_SHOWN, current_language, share_text, tab_title
from graph.analysis.circles import is_active
from graph.analysis.gaps import Delegation, Gap
from graph.labels import DOMAINS, GAP_TYPES, LEVELS, ROLES, SEVERITIES, label
from graph.language import N_, day, decimal, translate, translate_plural

__all__ = [
    "AWARENESS_COLUMNS",
    "BACK",
    "DELEGATION_COLUMNS",
    "LOW_GAPS_SHOWN",
    "SUPPORT_COLUMNS",
    "awareness_rows",
    "back_link",
    "circle_content",
    "delegation_rows",
    "gap_cards",
    "gap_groups",
    "gap_statuses",
    "helper_anchor",
    "layout",
    "recommendation",
    "register",
    "register_callbacks",
    "resolved_list",
    "shows_print",
]

#: the column titles of the table of who does what
SUPPORT_COLUMNS = (
    N_("Helper"),
    N_("Role"),
    N_("Organisation"),
    N_("Domain"),
    N_("Hours a week"),
    N_("Since"),
    N_("Until"),
)
#: the column titles of the table of delegated tasks
DELEGATION_COLUMNS = (
    N_("Performer"),
    N_("Delegated by"),
    N_("Task"),
    N_("Agreed contact"),
    N_("Last contact"),
    N_("Overdue"),
)
#: the column titles of the table of who knows whom (the circle picture in words)
AWARENESS_COLUMNS = (N_("Helper"), N_("Knows about"), N_("Level"), N_("Last contact"))
#: the pages a circle is opened from, by the key of its ``from`` parameter: (address, the way back's
#: words); without one (or with another) the way back is the residents table
BACK = {
    "residents": ("/residents", N_("All residents")),
    "agenda": ("/agenda", N_("Team agenda")),
    "overlaps": ("/overlaps", N_("Overlaps and needs")),
}
#: a resident's low-severity gaps are folded away (a <details> to open) when there are more
LOW_GAPS_SHOWN = 5
_SEVERITY_ORDER = ("high", "medium", "low")
#: a gap's mark against the earlier snapshot, in words (never colour alone)
_STATUSES = {"new": N_("new"), "persisting": N_("persisting")}
#: the anchor of the section of who does what, where a gap about no helper in particular leads
SUPPORT_ANCHOR = "who-does-what"


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path_template="/residents/<resident_id>",
        name="Resident",
        title=tab_title(N_("carecircle – circle")),
        layout=layout,
        order=2,
    )


def layout(resident_id: str | None = None, **query):
    """The page frame for one resident, its way back to the page named by the ``from`` parameter
    (:data:`BACK`); the policy role gets a notice instead."""
    lang = current_language()
    if current_role() != "team":
        return unavailable(lang)
    return html.Div(
        [
            dcc.Store(id=ids.CIRCLE_RESIDENT, data=unquote(resident_id or "")),
            dmc.Group(
                [
                    back_link(query.get("from"), lang),
                    dmc.Button(
                        translate("Print for the team meeting", lang),
                        id=ids.CIRCLE_PRINT,
                        variant="light",
                        size="xs",
                        n_clicks=0,
                        # shown once the resident is found in the snapshot (shows_print)
                        style={"display": "none"},
                    ),
                ],
                justify="space-between",
                className="no-print",
                mb="sm",
            ),
            html.Div(id=ids.CIRCLE_PRINT_SINK, hidden=True),
            loading(html.Div(id=ids.CIRCLE_CONTENT, className="page")),
        ]
    )


def back_link(origin: str | None, lang: str) -> dmc.Anchor:
    """The way back to the page a circle was opened from (its key in :data:`BACK`), the residents
    table for any other.

    Examples
    --------
    >>> link = back_link("agenda", "nl")
    >>> link.children, link.href
    ('← Teamagenda', '/agenda')
    >>> back_link("https://elsewhere.example", "en").href
    '/residents'
    """
    address, text = BACK.get(origin or "", BACK["residents"])
    return dmc.Anchor("← " + translate(text, lang), href=address, size="sm", id="circle-back")


def register_callbacks(app: dash.Dash) -> None:
    """Fill the circle for the selected snapshot; print it on request."""

    @app.callback(
        Output(ids.CIRCLE_CONTENT, "children"),
        Input(ids.CIRCLE_RESIDENT, "data"),
        Input(ids.SNAPSHOT, "value"),
    )
    @team_only
    def fill(resident_id: str, as_of: str | None):
        view = selected_view(as_of)
        lang = current_language()
        if view is None or resident_id not in view.residents:
            return circle_content(view, resident_id, lang)
        audit("opened circle", resident_id=resident_id, as_of=view.as_of)
        agenda = current().data.agenda(view.as_of)
        item = agenda.item(resident_id, lang) if agenda is not None else None
        return circle_content(view, resident_id, lang, item, agenda.since if agenda is not None else None)

    @app.callback(
        Output(ids.CIRCLE_PRINT, "style"),
        Input(ids.CIRCLE_RESIDENT, "data"),
        Input(ids.SNAPSHOT, "value"),
    )
    @team_only
    def print_button(resident_id: str, as_of: str | None):
        return {} if shows_print(selected_view(as_of), resident_id) else {"display": "none"}

    app.clientside_callback(
        "function(n) { if (n) { window.print(); } return ''; }",
        Output(ids.CIRCLE_PRINT_SINK, "children"),
        Input(ids.CIRCLE_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )


def shows_print(view: SnapshotView | None, resident_id: str) -> bool:
    """Whether a circle's page offers to print: only for a resident of the snapshot (an unknown one
    has nothing to print)."""
    return view is not None and resident_id in view.residents


def circle_content(
    view: SnapshotView | None,
    resident_id: str,
    lang: str,
    agenda_item: dict | None = None,
    since: date | None = None,
) -> list:
    """The circle picture, the gaps and the support table of one resident (team role only).

    With the resident's ``agenda_item`` (the agenda against the earlier snapshot ``since``): the
    recommended next steps on top, each gap marked new or persisting, and the resolved gaps."""
    if view is None or resident_id not in view.residents:
        as_of = view.as_of.isoformat() if view else NOT_SHOWN
        unknown = translate(
            "No resident {resident} in the snapshot of {as_of}.", lang, resident=resident_id, as_of=as_of
        )
        return [empty_state(unknown)]
    active = [
        row
        for row in view.support.get(resident_id, [])
        if is_active(row["start_date"], row["end_date"], view.as_of)
    ]
    gaps = view.gaps.get(resident_id, [])
    statuses = gap_statuses(agenda_item)
    return [
        _header(view, resident_id, active, lang),
        recommendation(agenda_item, view.helper_names, lang),
        dmc.Grid(
            [
                dmc.GridCol(
                    section(translate("Circle of support", lang), _picture(view, resident_id, lang)),
                    span={"base": 12, "lg": 7},
                ),
                dmc.GridCol(
                    section(
                        translate("Gaps and suggested actions", lang),
                        gap_cards(
                            gaps, lang, view.helper_names, statuses, {row["helper_id"] for row in active}
                        )
                        if gaps
                        else empty_state(translate("No gaps: the helpers know of each other.", lang)),
                        resolved_list(agenda_item, since, view.helper_names, lang),
                    ),
                    span={"base": 12, "lg": 5},
                ),
            ],
            gutter="md",
        ),
        _delegation_section(view, resident_id, active, lang),
        section(
            translate("Who does what", lang), _support_table(view, active, lang), mt="md", id=SUPPORT_ANCHOR
        ),
    ]


def _header(view: SnapshotView, resident_id: str, active: list[dict], lang: str) -> html.Div:
    """Name, facts, metrics and needs (red where no active support row covers them)."""
    resident = view.residents[resident_id]
    metric = view.metrics[resident_id]
    covered = {domain for row in active for domain in (row["domains"] or ())}
    facts = [resident["neighbourhood"]]
    if resident["birth_year"]:
        facts.append(translate("born {year}", lang, year=resident["birth_year"]))
    if resident["lives_alone"]:
        facts.append(translate("lives alone", lang))
    needs = [
        dmc.Badge(
            label(DOMAINS, need, lang),
            color="teal" if need in covered else "red",
            variant="light" if need in covered else "filled",
        )
        for need in resident["needs"] or ()
    ]
    return html.Div(
        [
            dmc.Title(f"{resident['name'] or resident_id}", order=1, size="h2", id="circle-title"),
            dmc.Text(
                " · ".join(
                    [resident_id, *facts, translate("snapshot {as_of}", lang, as_of=view.as_of.isoformat())]
                ),
                c="dimmed",
                size="sm",
            ),
            dmc.Text(
                translate_plural(
                    "{count} helper · coverage {coverage} · both ways {mutual}",
                    "{count} helpers · coverage {coverage} · both ways {mutual}",
                    metric["circle_size"],
                    lang,
                    coverage=share_text(metric["awareness_coverage"], lang),
                    mutual=share_text(metric["mutual_share"], lang),
                ),
                size="sm",
                mt=4,
            ),
            dmc.Group([dmc.Text(translate("Needs:", lang), size="sm"), *needs], gap=6, mt=6)
            if needs
            else None,
        ],
        className="page-title",
    )


def _picture(view: SnapshotView, resident_id: str, lang: str):
    """The circle as a picture: the resident in the middle, the helpers around by name."""
    members = view.analysis.circles.members(resident_id)
    if not members:
        return empty_state(translate("No helper supports this resident on this date.", lang))
    display = [
        {
            "helper_id": helper,
            "role": view.helpers[helper]["role"],
            "kind": view.helpers[helper]["kind"],
            "display": view.helpers[helper]["name"] or helper,
        }
        for helper in members
    ]
    title = view.residents[resident_id]["name"] or resident_id
    problems = contact_problems(view.gaps.get(resident_id, []))
    elements = circle_elements(title, display, view.awareness.get(resident_id, []), lang, problems)
    return html.Figure(
        [
            picture(
                circle_picture("circle-picture", elements),
                translate("The circle of {name}", lang, name=title),
                described_by="circle-picture-text",
            ),
            html.Figcaption(
                circle_description(title, display, problems, lang),
                id="circle-picture-text",
                className="circle-picture-text",
            ),
            _awareness_table(display, view.awareness.get(resident_id, []), lang),
            _printed_awareness(display, view.awareness.get(resident_id, []), lang),
            html.Div(circle_legend(lang), className="circle-legend"),
        ],
        className="circle-figure",
        **{"aria-describedby": "circle-picture-text circle-knows-summary"},
    )


def awareness_rows(members: list[dict], awareness: list[dict], lang: str) -> list[list[str]]:
    """Who knows whom in a circle, the arrows of its picture in words: one row per awareness
    record between two of its ``members`` (:data:`AWARENESS_COLUMNS`: helper, whom they know
    about, the level and the last contact), each helper by role and name, sorted by them.

    ``members`` as :func:`~dashboards.components.network.circle_elements` takes them.

    Examples
    --------
    >>> from datetime import date
    >>> members = [{"helper_id": "A", "role": "gp", "kind": "formal", "display": "Dr Jansen"},
    ...            {"helper_id": "B", "role": "neighbour", "kind": "informal", "display": "Kees"}]
    >>> rows = [{"helper_id": "B", "about_helper_id": "A", "level": "aware", "last_contact": None},
    ...         {"helper_id": "A", "about_helper_id": "B", "level": "coordinating",
    ...          "last_contact": date(2024, 5, 3)},
    ...         {"helper_id": "A", "about_helper_id": "X", "level": "aware", "last_contact": None}]
    >>> for row in awareness_rows(members, rows, "en"):
    ...     print(" | ".join(row))
    GP practice Dr Jansen | neighbour Kees | coordinating | 3 May 2024
    neighbour Kees | GP practice Dr Jansen | aware | –
    """
    by_id = {member["helper_id"]: member for member in members}
    rows = [
        [
            _role_and_name(by_id[row["helper_id"]], lang),
            _role_and_name(by_id[row["about_helper_id"]], lang),
            label(LEVELS, row["level"], lang),
            NOT_SHOWN if row["last_contact"] is None else day(row["last_contact"], lang),
        ]
        for row in awareness
        if row["helper_id"] in by_id and row["about_helper_id"] in by_id
    ]
    return sorted(rows, key=lambda row: (row[0], row[1]))


def _role_and_name(member: dict, lang: str) -> str:
    return f"{label(ROLES, member['role'], lang)} {member['display']}"


def _awareness_table(members: list[dict], awareness: list[dict], lang: str) -> html.Details:
    """The picture's arrows as a table under it, folded away: its summary (a tab stop) names the
    table and counts its rows; the picture's container refers to it (aria-describedby)."""
    rows = awareness_rows(members, awareness, lang)
    summary = translate_plural(
        "Who knows whom: {count} record, as a table",
        "Who knows whom: {count} records, as a table",
        len(rows),
        lang,
    )
    return html.Details(
        [
            html.Summary(summary, id="circle-knows-summary", className="circle-knows-summary"),
            dmc.Table(
                data={
                    "caption": translate("Who knows whom", lang),
                    "head": [translate(text, lang) for text in AWARENESS_COLUMNS],
                    "body": rows,
                },
                striped=True,
                withTableBorder=False,
                captionSide="top",
                id="circle-knows",
            )
            if rows
            else dmc.Text(
                translate("No helper of this circle has recorded whom they know.", lang), size="sm"
            ),
        ],
        className="circle-knows",
    )


def _printed_awareness(members: list[dict], awareness: list[dict], lang: str) -> html.Div:
    """Who knows whom for paper: the table of :func:`_awareness_table`, not folded away, in place
    of the picture (a canvas, which prints as an empty box); shown in print only."""
    rows = awareness_rows(members, awareness, lang)
    return html.Div(
        dmc.Table(
            data={
                "caption": translate("Who knows whom", lang),
                "head": [translate(text, lang) for text in AWARENESS_COLUMNS],
                "body": rows,
            },
            withTableBorder=True,
            captionSide="top",
        )
        if rows
        else dmc.Text(translate("No helper of this circle has recorded whom they know.", lang), size="sm"),
        className="print-only circle-knows-print",
        id="circle-knows-print",
        **{"aria-hidden": "true"},  # a copy of the table above, for paper: read once
    )


def helper_anchor(helper_id: str) -> str:
    """The id of a helper's row in the table of who does what: the helper id with every character
    but ASCII letters, digits and ``-`` written as ``_hex_`` (an id, and a link's ``#`` target, of
    any helper id).

    Examples
    --------
    >>> helper_anchor("H-12"), helper_anchor("H 1.2")
    ('helper-H-12', 'helper-H_20_1_2e_2')
    """
    return "helper-" + "".join(
        c if (c.isascii() and c.isalnum()) or c == "-" else f"_{ord(c):x}_" for c in helper_id
    )


def gap_groups(gaps: list) -> list[tuple[str, list, bool]]:
    """The gaps by severity, high first, each group sorted as the analysis sorts gaps: (severity,
    gaps, whether the group is folded away). Only the low group folds, when it holds more than
    :data:`LOW_GAPS_SHOWN` gaps; empty groups are left out.

    Examples
    --------
    >>> from graph.analysis import Gap
    >>> low = [Gap("one_sided_awareness", "R1", (f"H{i}", "H9")) for i in range(6)]
    >>> [(severity, len(group), folded) for severity, group, folded in
    ...  gap_groups([*low, Gap("unmet_need", "R1", domains=("meals",))])]
    [('high', 1, False), ('low', 6, True)]
    """
    groups = []
    for severity in _SEVERITY_ORDER:
        group = sorted((gap for gap in gaps if gap.severity == severity), key=Gap.sort_key)
        if group:
            groups.append((severity, group, severity == "low" and len(group) > LOW_GAPS_SHOWN))
    return groups


def gap_cards(
    gaps: list,
    lang: str,
    names: dict[str, str] | None = None,
    statuses: Mapping[tuple, str | None] | None = None,
    listed: Collection[str] = (),
) -> dmc.Stack:
    """The gaps by severity (high, medium, low), each group under a heading that names its
    severity in words; one card per gap with its type, the message and the suggested action
    (helpers by ``names`` where given), and its mark "new" or "persisting" where ``statuses``
    (by :func:`gap_statuses`' identity) has one. Many low gaps are folded away (:func:`gap_groups`).

    Each card links to the helpers it names in the table of who does what (those of them
    ``listed`` there, by :func:`helper_anchor`); a gap about no helper in particular (nobody has
    the overview, an unmet need) links to that table."""
    blocks = []
    for severity, group, folded in gap_groups(gaps):
        heading = html.H3(
            translate("Severity: {severity}", lang, severity=label(SEVERITIES, severity, lang))
            + " · "
            + translate_plural("{count} gap", "{count} gaps", len(group), lang),
            className="gap-group-title",
        )
        cards = [_gap_card(gap, lang, names, (statuses or {}).get(_identity(gap)), listed) for gap in group]
        if folded:
            blocks.append(
                html.Details(
                    [
                        html.Summary(heading, className="gap-group-summary"),
                        dmc.Stack(cards, gap="xs", mt="xs"),
                    ],
                    className=f"gap-group gap-group-{severity} gap-group-folded",
                )
            )
        else:
            blocks.append(html.Div([heading, *cards], className=f"gap-group gap-group-{severity}"))
    return dmc.Stack(blocks, gap="sm", id="circle-gaps")


def _gap_card(
    gap: Gap, lang: str, names: dict[str, str] | None, status: str | None = None, listed: Collection[str] = ()
) -> dmc.Paper:
    message, action = gap.text(lang, names)
    mark = (
        [html.Span(translate(_STATUSES[status], lang), className=f"gap-status gap-status-{status}")]
        if status
        else []
    )
    return dmc.Paper(
        [
            dmc.Group(
                [
                    dmc.Text(label(GAP_TYPES, gap.type, lang), fw=600, size="sm"),
                    dmc.Group(
                        [
                            *mark,
                            dmc.Badge(
                                label(SEVERITIES, gap.severity, lang), color=SEVERITY_COLOURS[gap.severity]
                            ),
                        ],
                        gap=6,
                        wrap="nowrap",
                        style={"flexShrink": 0},  # the marks keep their words; the title wraps
                    ),
                ],
                justify="space-between",
                wrap="nowrap",
                align="flex-start",
            ),
            dmc.Text(message, size="sm", mt=4, className="gap-message"),
            dmc.Text(f"→ {action}", size="sm", c="indigo.8", mt=4, fw=500, className="gap-action"),
            _gap_links(gap, names or {}, listed, lang),
        ],
        withBorder=True,
        p="sm",
        radius="md",
        className=f"gap-card gap-{gap.severity}",
    )


def _gap_links(gap: Gap, names: Mapping[str, str], listed: Collection[str], lang: str) -> dmc.Text:
    """Where a gap card leads: the rows of the helpers it names in the table of who does what, or
    its section for a gap about no helper in particular (or about none who is in that table)."""
    if not set(gap.helpers) & set(listed):
        return dmc.Text(
            html.A(translate("See who does what", lang), href=f"#{SUPPORT_ANCHOR}"),
            size="xs",
            mt=4,
            className="gap-links",
        )
    links = [
        html.A(names.get(helper) or helper, href=f"#{helper_anchor(helper)}")
        if helper in listed
        else names.get(helper) or helper
        for helper in gap.helpers
    ]
    parts = [translate("In who does what:", lang), " ", *[p for link in links for p in (", ", link)][1:]]
    return dmc.Text(parts, size="xs", mt=4, className="gap-links")


def _identity(gap: Gap) -> tuple:
    """A gap's identity within one resident: (type, helpers, domains)."""
    return (gap.type, tuple(gap.helpers), tuple(gap.domains))


def gap_statuses(agenda_item: dict | None) -> dict[tuple, str | None]:
    """The mark of each of a resident's gaps in its agenda item, by (type, helpers, domains).

    Examples
    --------
    >>> gap_statuses({"gaps": [{"type": "unmet_need", "helpers": [], "domains": ["meals"],
    ...                         "status": "new"}]})
    {('unmet_need', (), ('meals',)): 'new'}
    >>> gap_statuses(None)
    {}
    """
    return {
        (gap["type"], tuple(gap["helpers"]), tuple(gap["domains"])): gap["status"]
        for gap in (agenda_item or {}).get("gaps", [])
    }


def recommendation(agenda_item: dict | None, names: Mapping[str, str], lang: str):
    """The agenda's next steps for one resident, on top of the page: the introduction that closes
    the most gaps and who should hold the overview (their messages), and who joined or left the
    circle; nothing when the agenda has none of these."""
    item = agenda_item or {}
    steps = [
        html.Li([html.Strong(translate(title, lang) + ": "), part["message"]])
        for title, part in (
            (N_("Introduction"), item.get("introduction")),
            (N_("Who holds the overview"), item.get("overview_holder")),
        )
        if part
    ]
    circle = item.get("circle") or {}
    steps += [
        html.Li(translate(text, lang, helpers=_people(circle[change], names)))
        for change, text in (
            ("joined", N_("Joined the circle: {helpers}")),
            ("left", N_("Left the circle: {helpers}")),
        )
        if circle.get(change)
    ]
    if not steps:
        return None
    return section(
        translate("Next steps", lang),
        html.Ul(steps, className="agenda-steps"),
        id="circle-recommendation",
        mb="md",
    )


def _people(helpers: list[str], names: Mapping[str, str]) -> str:
    """Helpers by name where they have one, else by id."""
    return ", ".join(names.get(helper, helper) for helper in helpers)


def resolved_list(agenda_item: dict | None, since: date | None, names: Mapping[str, str], lang: str):
    """The gaps of the earlier snapshot ``since`` that are gone now, under a heading that names its
    date; nothing when there are none (or nothing to compare with)."""
    resolved = (agenda_item or {}).get("resolved") or []
    if since is None or not resolved:
        return None
    rows = [
        html.Li(
            [
                html.Span(translate("resolved", lang), className="gap-status gap-status-resolved"),
                " ",
                f"{label(GAP_TYPES, gap['type'], lang)} ({label(SEVERITIES, gap['severity'], lang)})",
                f": {_people(gap['helpers'], names)}" if gap["helpers"] else "",
                f" · {', '.join(label(DOMAINS, domain, lang) for domain in gap['domains'])}"
                if gap["domains"]
                else "",
            ]
        )
        for gap in resolved
    ]
    return html.Div(
        [
            html.H3(
                translate("Resolved since {since}", lang, since=day(since, lang)), className="gap-group-title"
            ),
            html.Ul(rows, className="resolved-gaps"),
        ],
        id="circle-resolved",
        className="gap-group",
    )


def delegation_rows(
    delegations: list[Delegation], active: list[dict], names: dict[str, str], lang: str
) -> list[list[str]]:
    """One row per delegated task (:data:`DELEGATION_COLUMNS`): performer, delegator (by name where
    ``names`` has one), the domains of the delegated rows in ``active``, the agreed interval, the
    last contact and the days overdue, or why there is no such count.

    Examples
    --------
    >>> from datetime import date
    >>> late = Delegation("R1", "P", "D", "stale", 14, date(2024, 5, 3), 1)
    >>> rows = [{"helper_id": "P", "delegated_by": "D", "domains": ("administration",)}]
    >>> delegation_rows([late], rows, {"P": "Linda"}, "en")
    [['Linda', 'D', 'administration', 'every 14 days', '3 May 2024', '1 day']]
    """
    table = []
    for delegation in delegations:
        domains = sorted(
            {
                domain
                for row in active
                if (row["helper_id"], row["delegated_by"]) == (delegation.performer, delegation.delegator)
                for domain in row["domains"] or ()
            }
        )
        table.append(
            [
                names.get(delegation.performer) or delegation.performer,
                names.get(delegation.delegator) or delegation.delegator,
                ", ".join(label(DOMAINS, domain, lang) for domain in domains) or NOT_SHOWN,
                NOT_SHOWN
                if delegation.every is None
                else translate_plural("every {count} day", "every {count} days", delegation.every, lang),
                NOT_SHOWN if delegation.last is None else day(delegation.last, lang),
                _overdue(delegation, lang),
            ]
        )
    return table


def _overdue(delegation: Delegation, lang: str) -> str:
    """How late the agreed contact is, in words, as the delegation's gap reason says."""
    if delegation.reason == "outside":
        return translate("delegator no longer in the circle", lang)
    if delegation.reason == "none":
        return translate("no agreed contact", lang)
    if delegation.reason == "stale" and delegation.last is None:
        return translate("no contact recorded", lang)
    if delegation.overdue > 0:
        return translate_plural("{count} day", "{count} days", delegation.overdue, lang)
    return translate("on time", lang)


def _delegation_section(view: SnapshotView, resident_id: str, active: list[dict], lang: str):
    """The table of delegated tasks, for a resident who has any (nothing otherwise)."""
    delegations = view.delegations.get(resident_id, [])
    if not delegations:
        return None
    rows = delegation_rows(delegations, active, view.helper_names, lang)
    return section(
        translate("Delegated tasks", lang),
        dmc.Text(
            translate(
                "A delegated task needs the agreed contact between performer and delegator: it is overdue "
                "once the last contact is more than twice the agreed interval ago.",
                lang,
            ),
            size="xs",
            c="gray.7",  # 8:1 on white; the "dimmed" of section help texts is below WCAG AA (axe)
            className="delegation-help",
        ),
        dmc.Table(
            data={"head": [translate(text, lang) for text in DELEGATION_COLUMNS], "body": rows},
            striped=True,
            withTableBorder=False,
            id="circle-delegations",
        ),
        mt="md",
    )


def _support_table(view: SnapshotView, active: list[dict], lang: str):
    if not active:
        return empty_state(translate("No helper supports this resident on this date.", lang))
    head = [translate(text, lang) for text in SUPPORT_COLUMNS]
    rows, anchored = [], set()
    for row in sorted(active, key=lambda r: (view.helpers[r["helper_id"]]["role"], r["helper_id"])):
        helper = view.helpers[row["helper_id"]]
        hours = row["hours_per_week"]
        # a helper's first row is the target of the gap cards' links to them
        anchor = helper_anchor(row["helper_id"]) if row["helper_id"] not in anchored else None
        anchored.add(row["helper_id"])
        rows.append(
            (
                anchor,
                [
                    helper["name"] or row["helper_id"],
                    label(ROLES, helper["role"], lang),
                    view.organisation_name(helper["organisation_id"]) or NOT_SHOWN,
                    ", ".join(label(DOMAINS, d, lang) for d in row["domains"] or ()),
                    NOT_SHOWN if hours is None else decimal(hours, lang),
                    row["start_date"].isoformat() if row["start_date"] else NOT_SHOWN,
                    row["end_date"].isoformat() if row["end_date"] else NOT_SHOWN,
                ],
            )
        )
    return dmc.Table(
        [
            dmc.TableThead(dmc.TableTr([dmc.TableTh(text) for text in head])),
            dmc.TableTbody(
                [
                    dmc.TableTr([dmc.TableTd(cell) for cell in cells], **({"id": anchor} if anchor else {}))
                    for anchor, cells in rows
                ]
            ),
        ],
        striped=True,
        highlightOnHover=True,
        withTableBorder=False,
        id="circle-support",
    )
