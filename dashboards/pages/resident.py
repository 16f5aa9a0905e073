"""``/residents/<resident_id>``: one resident's circle, its gaps with suggested actions, and who does what."""

from urllib.parse import unquote

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import audit, current_role
from dashboards.components.network import circle_elements, circle_legend, circle_picture
from dashboards.components.widgets import SEVERITY_COLOURS, empty_state, loading, section, unavailable
from dashboards.context import selected_view, team_only
from dashboards.data import SnapshotView
from dashboards.i18n import NOT_SHOWN, current_language, share_text, tab_title
from graph.analysis.circles import is_active
from graph.labels import DOMAINS, GAP_TYPES, ROLES, SEVERITIES, label
from graph.language import N_, decimal, translate, translate_plural

__all__ = ["SUPPORT_COLUMNS", "circle_content", "gap_cards", "layout", "register", "register_callbacks"]

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


def layout(resident_id: str | None = None, **_query):
    """The page frame for one resident; the policy role gets a notice instead."""
    lang = current_language()
    if current_role() != "team":
        return unavailable(lang)
    return html.Div(
        [
            dcc.Store(id=ids.CIRCLE_RESIDENT, data=unquote(resident_id or "")),
            dmc.Group(
                [
                    dmc.Anchor("← " + translate("All residents", lang), href="/residents", size="sm"),
                    dmc.Button(
                        translate("Print for the team meeting", lang),
                        id=ids.CIRCLE_PRINT,
                        variant="light",
                        size="xs",
                        n_clicks=0,
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
        if view is not None and resident_id in view.residents:
            audit("opened circle", resident_id=resident_id, as_of=view.as_of)
        return circle_content(view, resident_id, current_language())

    app.clientside_callback(
        "function(n) { if (n) { window.print(); } return ''; }",
        Output(ids.CIRCLE_PRINT_SINK, "children"),
        Input(ids.CIRCLE_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )


def circle_content(view: SnapshotView | None, resident_id: str, lang: str) -> list:
    """The circle picture, the gaps and the support table of one resident (team role only)."""
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
    return [
        _header(view, resident_id, active, lang),
        dmc.Grid(
            [
                dmc.GridCol(
                    section(translate("Circle of support", lang), _picture(view, resident_id, lang)),
                    span={"base": 12, "lg": 7},
                ),
                dmc.GridCol(
                    section(
                        translate("Gaps and suggested actions", lang),
                        gap_cards(gaps, lang, view.helper_names)
                        if gaps
                        else empty_state(translate("No gaps: the helpers know of each other.", lang)),
                    ),
                    span={"base": 12, "lg": 5},
                ),
            ],
            gutter="md",
        ),
        section(translate("Who does what", lang), _support_table(view, active, lang), mt="md"),
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
            dmc.Title(f"{resident['name'] or resident_id}", order=2, id="circle-title"),
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
    elements = circle_elements(title, display, view.awareness.get(resident_id, []), lang)
    return html.Div([circle_picture("circle-picture", elements), circle_legend(lang)])


def gap_cards(gaps: list, lang: str, names: dict[str, str] | None = None) -> dmc.Stack:
    """One card per gap: type and severity, the message, and the suggested action (helpers by
    ``names`` where given)."""
    cards = []
    for gap in sorted(gaps, key=lambda g: ({"high": 0, "medium": 1, "low": 2}[g.severity], g.sort_key())):
        message, action = gap.text(lang, names)
        cards.append(
            dmc.Paper(
                [
                    dmc.Group(
                        [
                            dmc.Text(label(GAP_TYPES, gap.type, lang), fw=600, size="sm"),
                            dmc.Badge(
                                label(SEVERITIES, gap.severity, lang), color=SEVERITY_COLOURS[gap.severity]
                            ),
                        ],
                        justify="space-between",
                        wrap="nowrap",
                    ),
                    dmc.Text(message, size="sm", mt=4, className="gap-message"),
                    dmc.Text(f"→ {action}", size="sm", c="indigo.8", mt=4, fw=500, className="gap-action"),
                ],
                withBorder=True,
                p="sm",
                radius="md",
                className=f"gap-card gap-{gap.severity}",
            )
        )
    return dmc.Stack(cards, gap="xs", id="circle-gaps")


def _support_table(view: SnapshotView, active: list[dict], lang: str):
    if not active:
        return empty_state(translate("No helper supports this resident on this date.", lang))
    head = [translate(text, lang) for text in SUPPORT_COLUMNS]
    rows = []
    for row in sorted(active, key=lambda r: (view.helpers[r["helper_id"]]["role"], r["helper_id"])):
        helper = view.helpers[row["helper_id"]]
        hours = row["hours_per_week"]
        rows.append(
            [
                helper["name"] or row["helper_id"],
                label(ROLES, helper["role"], lang),
                view.organisation_name(helper["organisation_id"]) or NOT_SHOWN,
                ", ".join(label(DOMAINS, d, lang) for d in row["domains"] or ()),
                NOT_SHOWN if hours is None else decimal(hours, lang),
                row["start_date"].isoformat() if row["start_date"] else NOT_SHOWN,
                row["end_date"].isoformat() if row["end_date"] else NOT_SHOWN,
            ]
        )
    return dmc.Table(
        data={"head": head, "body": rows},
        striped=True,
        highlightOnHover=True,
        withTableBorder=False,
        id="circle-support",
    )
