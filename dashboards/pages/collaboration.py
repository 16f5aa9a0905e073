"""``/collaboration``: do helpers of different organisations, and informal helpers, find each other?"""

from dataclasses import replace
from datetime import date

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.figures import organisation_heatmap
from dashboards.components.heatmap import (
    HIDDEN_FILL,
    HIDDEN_HATCH,
    NO_ROW_MARK,
    NONE_FILL,
    share_colour,
)
from dashboards.components.network import helper_network_picture, network_elements
from dashboards.components.since import register_since, since_select
from dashboards.components.widgets import (
    data_grid,
    empty_state,
    loading,
    page_title,
    picture,
    policy_note,
    section,
)
from dashboards.context import current, selected_day, selected_view, team_only
from dashboards.data import DataSource, SnapshotView
from dashboards.drilldown import OPEN_ADDRESS, pair_address
from dashboards.i18n import NOT_SHOWN, count_text, current_language, share_text, tab_title
from graph.analysis.circles import Circles
from graph.analysis.disclosure import Publication
from graph.analysis.evaluation import SHIFT, PairShift, pair_shifts
from graph.analysis.evaluation_words import points
from graph.analysis.network import betweenness, helper_network, helper_network_summary
from graph.analysis.organisations import group_names as names_of_groups
from graph.analysis.organisations import group_of
from graph.labels import ROLES, label
from graph.language import N_, day, decimal, number, translate, translate_plural

__all__ = [
    "DRAWABLE_HELPERS",
    "cell_list",
    "collaboration_content",
    "comparison_content",
    "comparison_rows",
    "earlier_view",
    "group_names",
    "heatmap_legend",
    "helper_person",
    "layout",
    "network_content",
    "pair_rows",
    "register",
    "register_callbacks",
]

#: above this many helpers the network is not drawn (a browser would stall on the layout)
DRAWABLE_HELPERS = 700
#: the rows of the policy role's brokers table: a kind of helper and its column title
KIND_COLUMNS = (("formal", N_("Formal")), ("informal", N_("Informal")), ("caregiver", N_("Caregivers")))
BROKER_KIND = N_("Kind of helper")
#: the columns of the team's brokers table
TEAM_BROKER_COLUMNS = (N_("Helper"), N_("Role"), N_("Organisation"), N_("Betweenness"))
#: the heat map's title, and its name for a screen reader
HEATMAP_TITLE = N_("Share of pairs in a shared circle who know each other, between organisations")
#: what the network picture shows
NETWORK_HELP = N_(
    "Helpers are linked when one knows the other for any resident; "
    "brokers, who connect most others, are larger."
)
POLICY_BROKERS_HELP = N_(
    "A broker links two helpers who do not know each other. Counted here by kind of helper;"
    " the district team sees who they are."
)
#: the heat map's legend: each state of a cell in words
LEGEND_SHARE = N_(
    "0% to 100%: of the pairs of helpers of the two groups in a shared circle, the share who know"
    " each other (one way or both), printed in the cell"
)
LEGEND_NONE = N_("No shared residents: no helper of the one group is in a circle with a helper of the other")
LEGEND_HIDDEN = N_(
    "Hidden: fewer than {k} pairs in a shared circle (<{k}), or hidden so that totals cannot give"
    " a small count away (–)"
)
LEGEND_HOVER = N_(
    "Point at a cell for the number of pairs and the share who know each other both ways."
    " The diagonal (a group with itself) is left white."
)
#: the heading of the team's heat map cells as a list of links, and the text of each link
CELL_LIST_TITLE = N_("The cells as a list: each opens the shared residents")
CELL_TEXT = N_("{a} – {b}: {share} know each other")
#: what the snapshot comparison says without an earlier snapshot
NO_EARLIER = N_("There is no stored snapshot before this one: nothing to compare with.")
#: how the comparison picks out pairs that started finding each other or drifted apart
SHIFT_HELP = N_(
    "Pairs with at least {k} pairs of helpers in a shared circle at both dates whose share who know"
    " each other rose (started finding each other) or fell (drifted apart) by {points} percentage"
    " points or more."
)
COMPARISON_HELP = N_(
    "Per pair of groups, the share of helpers in a shared circle who know each other at both dates"
    " and its change in percentage points; the largest change first, of the pairs with at least {k}"
    " pairs of helpers in a shared circle at both dates first. –: no change can be given, because"
    " the pair shares no residents or its share is hidden at one of the dates."
)


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/collaboration",
        name="Collaboration",
        title=tab_title(N_("carecircle – finding each other")),
        layout=layout,
        order=4,
    )


def layout(**_query) -> html.Div:
    """The page frame: figures and the comparison with an earlier snapshot for every role, the
    network picture for the team only."""
    lang = current_language()
    comparison = section(
        translate("Change since an earlier snapshot", lang),
        since_select(ids.COLLAB_SINCE, lang, mb="sm"),
        loading(html.Div(id=ids.COLLAB_COMPARISON)),
        mt="md",
        id="collaboration-comparison",
    )
    return html.Div(
        [
            dcc.Location(id=ids.COLLAB_GO, refresh="callback-nav"),
            loading(html.Div(id=ids.COLLAB_CONTENT)),
            comparison,
            *([loading(html.Div(id=ids.COLLAB_NETWORK))] if current_role() == "team" else []),
        ],
        className="page",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Fill the figures, and (team) the network picture, for the selected snapshot and neighbourhood;
    open what a clicked cell of the heat map counts."""
    # in the browser, as the overview's bars: a clicked cell's customdata is its address; only the
    # team's cells with a share carry one (_heatmap), so that any other click goes nowhere and a
    # policy click asks the server nothing
    app.clientside_callback(
        OPEN_ADDRESS,
        Output(ids.COLLAB_GO, "href", allow_duplicate=True),
        Input(ids.COLLAB_HEATMAP, "clickData"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.COLLAB_CONTENT, "children"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.AREA, "value"),
    )
    def fill(as_of, neighbourhood):
        return collaboration_content(
            selected_view(as_of), neighbourhood, current_role(), current().k, current_language()
        )

    register_since(app, ids.COLLAB_SINCE)

    @app.callback(
        Output(ids.COLLAB_COMPARISON, "children"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.COLLAB_SINCE, "value"),
        Input(ids.AREA, "value"),
    )
    def compare(as_of, since, neighbourhood):
        settings = current()
        view = selected_view(as_of)
        earlier = earlier_view(settings.data, view, selected_day(since))
        return comparison_content(
            view, earlier, neighbourhood, current_role(), settings.k, current_language()
        )

    @app.callback(
        Output(ids.COLLAB_NETWORK, "children"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.AREA, "value"),
    )
    @team_only
    def network(as_of, neighbourhood):
        return network_content(selected_view(as_of), neighbourhood, current_language())


def group_names(view: SnapshotView, lang: str) -> dict[str, str]:
    """What a reader sees for each group of ``view``: organisation names, and the informal groups in words."""
    return names_of_groups(view.organisations, lang)


def _restricted(circles: Circles, residents: list[str]) -> Circles:
    """The circles of some residents only (one neighbourhood)."""
    keep = set(residents)
    return replace(
        circles,
        circle={r: m for r, m in circles.circle.items() if r in keep},
        knows={r: p for r, p in circles.knows.items() if r in keep},
    )


def _area_residents(view: SnapshotView, neighbourhood: str | None) -> list[str] | None:
    if neighbourhood is None or neighbourhood not in view.neighbourhoods:
        return None
    return [row["resident_id"] for row in view.resident_rows(neighbourhood)]


def collaboration_content(
    view: SnapshotView | None, neighbourhood: str | None, role: str, k: int, lang: str
) -> list:
    """Heat map of finding each other, network figures, brokers and isolated helpers, for the role.

    The team sees the brokers and isolated helpers as people (name, role, organisation); policy
    sees the figures of the snapshot's protected publication only: brokers counted by kind,
    isolated helpers counted.
    """
    if view is None:
        return [empty_state(translate("Nothing to show for this selection.", lang))]
    residents = _area_residents(view, neighbourhood)
    scope = None if residents is None else neighbourhood
    names = group_names(view, lang)
    if role == "policy":
        rows, network, brokers, isolated = _policy_figures(view.publication(k), scope, lang)
    else:
        rows, network, brokers, isolated = _team_figures(view, residents, scope, names, lang)
    area = neighbourhood if residents is not None else translate("All neighbourhoods", lang)
    body = [
        page_title(translate("Finding each other", lang), f"{area} · {view.as_of.isoformat()}"),
        section(
            translate(HEATMAP_TITLE, lang),
            _heatmap(rows, names, role, lang),
            *([heatmap_legend(role, k, lang)] if rows else []),
            *([cell_list(rows, names, lang)] if rows and role == "team" else []),
        ),
        dmc.SimpleGrid(
            [
                section(
                    translate("Brokers", lang),
                    dmc.Text(_stats(network, lang), size="sm", c="dimmed", mb="xs"),
                    brokers,
                    help_text=translate(POLICY_BROKERS_HELP, lang) if role == "policy" else None,
                ),
                section(
                    translate("Isolated helpers", lang),
                    isolated,
                    help_text=translate("In a circle of two or more, but linked to nobody.", lang),
                ),
            ],
            cols={"base": 1, "lg": 2},
            spacing="md",
            mt="md",
        ),
    ]
    if role == "policy":
        body.append(policy_note(lang, k))
    return body


def _policy_figures(publication: Publication, scope: str | None, lang: str) -> tuple:
    """Organisation pairs, network counts, brokers by kind and the number of isolated helpers,
    all as the protected publication has them."""
    network = publication.networks[scope]
    helpers = publication.summaries[scope]["helpers"]
    head = [translate(BROKER_KIND, lang), translate("Helpers", lang), translate("Brokers", lang)]
    body = [
        [translate(text, lang), count_text(helpers[kind], lang), count_text(network["brokers"][kind], lang)]
        for kind, text in KIND_COLUMNS
    ]
    brokers = dmc.Table(data={"head": head, "body": body}, striped=True, id="brokers")
    isolated = dmc.Text(count_text(network["isolated_count"], lang), fz=28, fw=700, id="isolated")
    return publication.organisations.get(scope, []), network, brokers, isolated


def _team_figures(
    view: SnapshotView, residents: list[str] | None, scope: str | None, names: dict[str, str], lang: str
) -> tuple:
    """Organisation pairs, the network's summary, and its brokers and isolated helpers as people:
    by name (by id where they have none), role and organisation."""
    circles = view.analysis.circles
    rows = pair_rows(view, scope, "team", 0)
    if residents is None:
        network = view.analysis.helper_network.as_dict()
    else:
        network = helper_network_summary(_restricted(circles, residents)).as_dict()
    head = [translate(text, lang) for text in TEAM_BROKER_COLUMNS]
    body = [
        [
            view.helper_names.get(broker["helper_id"]) or broker["helper_id"],
            label(ROLES, circles.helpers[broker["helper_id"]].role, lang),
            names.get(broker["group"], broker["group"]),
            decimal(broker["betweenness"], lang, 3),
        ]
        for broker in network["brokers"]
    ]
    brokers = (
        dmc.Table(data={"head": head, "body": body}, striped=True, id="brokers")
        if body
        else empty_state(translate("Nothing to show for this selection.", lang))
    )
    return rows, network, brokers, _isolated_badges(network["isolated"], view, lang)


def helper_person(view: SnapshotView, helper_id: str, lang: str) -> str:
    """A helper as a person: name (the id where there is none), role and organisation, if any.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> view = SimpleNamespace(
    ...     helpers={"H1": {"name": "Linda", "role": "district_nurse", "organisation_id": "O1"},
    ...              "H2": {"name": None, "role": "neighbour", "organisation_id": None}},
    ...     organisation_name=lambda org: {"O1": "Zorggroep"}.get(org))
    >>> helper_person(view, "H1", "en"), helper_person(view, "H2", "en")
    ('Linda · district nurse · Zorggroep', 'H2 · neighbour')
    """
    helper = view.helpers[helper_id]
    organisation = view.organisation_name(helper["organisation_id"])
    parts = [helper["name"] or helper_id, label(ROLES, helper["role"], lang), organisation]
    return " · ".join(part for part in parts if part)


def _isolated_badges(isolated: list[str], view: SnapshotView, lang: str):
    """The isolated helpers as people (:func:`helper_person`; the first 60, and how many more)."""
    if not isolated:
        return empty_state(translate("Nothing to show for this selection.", lang))
    badges = [dmc.Badge(helper_person(view, h, lang), variant="outline", color="gray") for h in isolated[:60]]
    more = [dmc.Text(f"+ {number(len(isolated) - 60, lang)}", size="sm")] if len(isolated) > 60 else []
    return dmc.Group(badges + more, gap=6, id="isolated")


def _heatmap(rows: list[dict], names: dict[str, str], role: str, lang: str):
    """The heat map of the role's rows; the team's cells with a share open the residents they
    count (:func:`~dashboards.drilldown.pair_address`)."""
    if not rows:
        return empty_state(translate("Nothing to show for this selection.", lang))
    team = role == "team"
    return picture(
        dcc.Graph(
            figure=organisation_heatmap(rows, names, lang, pair_address if team else None),
            config={"displayModeBar": False},
            id=ids.COLLAB_HEATMAP,
            className="chart-clickable" if team else None,
        ),
        translate(HEATMAP_TITLE, lang),
    )


def cell_list(rows: list[dict], names: dict[str, str], lang: str) -> html.Details:
    """The team's heat map cells as a list of links, folded away under its title: each pair of
    groups and its share who know each other, opening the residents whose circles it counts in
    (:func:`~dashboards.drilldown.pair_address`); the weakest share first, the pairs a team would
    act on."""
    shown = [row for row in rows if row["aware_share"] is not None]
    entries = sorted(
        (
            row["aware_share"],
            translate(
                CELL_TEXT,
                lang,
                a=names.get(row["a"], row["a"]),
                b=names.get(row["b"], row["b"]),
                share=_pair_share_text(row, lang),
            ),
            pair_address(row["a"], row["b"]),
        )
        for row in shown
    )
    return html.Details(
        [
            html.Summary(translate(CELL_LIST_TITLE, lang), className="bar-list-title"),
            html.Ul(
                [html.Li(dcc.Link(text, href=address)) for _, text, address in entries],
                className="bar-list",
                id="heatmap-cell-list",
            ),
        ],
        id="heatmap-cells",
    )


def heatmap_legend(role: str, k: int, lang: str) -> html.Div:
    """The heat map's cell states in words, each beside a swatch drawn as the map draws it: a
    share, no shared residents, and (for the policy role, who alone meets it) hidden."""
    scale = ", ".join(share_colour(share / 10) for share in range(11))
    items = [
        (
            {"background": f"linear-gradient(to right, {scale})"},
            "",
            translate(LEGEND_SHARE, lang),
            "legend-share",
        ),
        (
            {"background": NONE_FILL, "color": "#495057"},
            NO_ROW_MARK,
            translate(LEGEND_NONE, lang),
            "legend-none",
        ),
    ]
    if role == "policy":
        hatch = f"repeating-linear-gradient(135deg, {HIDDEN_HATCH} 0 1px, {HIDDEN_FILL} 1px 6px)"
        items.append(
            (
                {"background": hatch, "color": "#000000"},
                f"<{k}",
                translate(LEGEND_HIDDEN, lang, k=number(k, lang)),
                "legend-hidden",
            )
        )
    entries = [
        html.Li(
            [
                html.Span(mark, className="heatmap-swatch", style=swatch, **{"aria-hidden": "true"}),
                html.Span(text),
            ],
            className=f"heatmap-legend-item {name}",
        )
        for swatch, mark, text, name in items
    ]
    return html.Div(
        [
            html.Ul(entries, className="heatmap-legend", id="heatmap-legend"),
            dmc.Text(translate(LEGEND_HOVER, lang), size="xs", c="#495057", mt=4),
        ]
    )


def pair_rows(view: SnapshotView, scope: str | None, role: str, k: int) -> list[dict]:
    """The "finding each other" rows of one neighbourhood (or of all, ``scope`` None) as ``role``
    may see them: exact for the team; for policy, the protected publication's. A neighbourhood the
    snapshot does not have gives none."""
    if role == "policy":
        return [dict(row) for row in view.publication(k).organisations.get(scope, [])]
    rows = view.analysis.organisations if scope is None else view.analysis.area_organisations.get(scope, [])
    return [row.as_dict() for row in rows]


def earlier_view(data: DataSource, view: SnapshotView | None, since: date | None) -> SnapshotView | None:
    """The stored snapshot to compare ``view`` with: ``since`` when that is an earlier stored snapshot,
    else the one just before ``view``; None when there is none."""
    if view is None:
        return None
    before = data.earlier(view.as_of)
    chosen = next((info for info in before if info.as_of == since), before[0] if before else None)
    return None if chosen is None else data.view(chosen.as_of)


def comparison_rows(
    then: list[dict], now: list[dict], names: dict[str, str], k: int, lang: str
) -> list[dict]:
    """One row per pair of groups in either snapshot: its share who know each other then and now (a
    number to sort by, and its text), and the change in percentage points (None when either share
    is missing or hidden). The largest change first: of the pairs with at least ``k`` pairs of
    helpers in a shared circle at both dates, then of the others (a share of one or two pairs
    jumps by 50 or 100 points at the least change), then the pairs without a change, by name.

    Examples
    --------
    >>> then = [{"a": "A", "b": "B", "cross_pairs": 10, "aware_share": 0.4},
    ...         {"a": "A", "b": "C", "cross_pairs": 8, "aware_share": 0.5}]
    >>> now = [{"a": "A", "b": "B", "cross_pairs": 12, "aware_share": 0.5},
    ...        {"a": "A", "b": "C", "cross_pairs": "<5", "aware_share": None}]
    >>> for row in comparison_rows(then, now, {}, 5, "en"):
    ...     print(row["pair"], "|", row["then_text"], "|", row["now_text"], "|", row["change_text"])
    A – B | 40% of 10 pairs | 50% of 12 pairs | +10.0
    A – C | 50% of 8 pairs | hidden (<5 pairs) | –
    >>> [row["change_text"] for row in comparison_rows(then, now, {}, 11, "en")]  # A – B: under k
    ['+10.0', '–']
    """
    before = {(row["a"], row["b"]): row for row in then}
    after = {(row["a"], row["b"]): row for row in now}
    rows = []
    for a, b in before.keys() | after.keys():
        first, last = before.get((a, b)), after.get((a, b))
        share_then, share_now = (None if row is None else row["aware_share"] for row in (first, last))
        change = None if share_then is None or share_now is None else share_now - share_then
        countable = change is not None and min(first["cross_pairs"], last["cross_pairs"]) >= k
        rows.append(
            {
                "pair": f"{names.get(a, a)} – {names.get(b, b)}",
                "then": share_then,
                "then_text": _pair_share_text(first, lang),
                "now": share_now,
                "now_text": _pair_share_text(last, lang),
                "change": None if change is None else round(change * 100, 1),
                "change_text": NOT_SHOWN if change is None else points(change, lang),
                "countable": countable,
            }
        )
    return sorted(
        rows,
        key=lambda row: (row["change"] is None, not row["countable"], -abs(row["change"] or 0), row["pair"]),
    )


def _pair_share_text(row: dict | None, lang: str) -> str:
    """A pair's share who know each other in words: with its pairs, hidden, or no shared residents."""
    if row is None:
        return translate("no shared residents", lang)
    pairs = row["cross_pairs"]
    if row["aware_share"] is not None:
        share = share_text(row["aware_share"], lang)
        return translate_plural(
            "{share} of {count} pair", "{share} of {count} pairs", pairs, lang, share=share
        )
    if isinstance(pairs, str):
        return translate("hidden ({pairs} pairs)", lang, pairs=pairs)
    return translate("hidden", lang)


def comparison_content(
    view: SnapshotView | None,
    earlier: SnapshotView | None,
    neighbourhood: str | None,
    role: str,
    k: int,
    lang: str,
) -> list:
    """The change per pair of groups from ``earlier`` to ``view`` in one neighbourhood (or all), and
    the pairs that started finding each other or drifted apart (SPEC §11), as the role may see
    them; in words when there is no earlier snapshot."""
    if view is None:
        return [empty_state(translate("Nothing to show for this selection.", lang))]
    if earlier is None:
        return [empty_state(translate(NO_EARLIER, lang))]
    scope = neighbourhood if neighbourhood in view.neighbourhoods else None
    then, now = pair_rows(earlier, scope, role, k), pair_rows(view, scope, role, k)
    names = {**group_names(earlier, lang), **group_names(view, lang)}
    started, drifted = pair_shifts(then, now, k)
    area = scope or translate("All neighbourhoods", lang)
    dates = translate(
        "{area}: from {start} to {end}",
        lang,
        area=area,
        start=day(earlier.as_of, lang),
        end=day(view.as_of, lang),
    )
    shifts = dmc.SimpleGrid(
        [
            _shift_list(translate("Started finding each other", lang), started, names, "pairs-started", lang),
            _shift_list(translate("Drifted apart", lang), drifted, names, "pairs-drifted", lang),
        ],
        cols={"base": 1, "md": 2},
        spacing="md",
        mb="sm",
    )
    rows = comparison_rows(then, now, names, k, lang)
    table = (
        _comparison_grid(rows, earlier.as_of, view.as_of, lang)
        if rows
        else empty_state(translate("Nothing to show for this selection.", lang))
    )
    help_text = translate(SHIFT_HELP, lang, k=number(k, lang), points=decimal(SHIFT * 100, lang, 0))
    return [
        dmc.Text(dates, fw=600, size="sm", id="comparison-dates"),
        dmc.Text(help_text, size="xs", c="#495057", mb="xs"),
        shifts,
        dmc.Text(translate(COMPARISON_HELP, lang, k=number(k, lang)), size="xs", c="#495057", mb="xs"),
        table,
    ]


def _shift_list(
    title: str, shifts: list[PairShift], names: dict[str, str], list_id: str, lang: str
) -> html.Div:
    """A titled list of pairs whose share moved: names, share then → now, and the change."""
    items = [
        html.Li(
            translate(
                "{a} and {b}: {start} → {end} ({change} percentage points)",
                lang,
                a=names.get(shift.a, shift.a),
                b=names.get(shift.b, shift.b),
                start=share_text(shift.from_share, lang),
                end=share_text(shift.to_share, lang),
                change=points(shift.to_share - shift.from_share, lang),
            )
        )
        for shift in shifts
    ]
    body = (
        html.Ul(items, className="pair-shifts") if items else dmc.Text(translate("No pair", lang), size="sm")
    )
    return html.Div(
        [html.H3(title, className="pair-shifts-title"), body], id=list_id, className="pair-shifts-box"
    )


def _comparison_grid(rows: list[dict], then: date, now: date, lang: str):
    """The comparison as a sortable table: numbers to sort by, the words of each row shown."""

    def shown(field: str) -> dict:
        return {"function": f"params.data.{field}"}

    columns = [
        {
            "field": "pair",
            "headerName": translate("Groups", lang),
            "minWidth": 260,
            "flex": 2,
            # long organisation names wrap rather than end in "…"
            "wrapText": True,
            "autoHeight": True,
        },
        {
            "field": "then",
            "headerName": translate("Know each other, {day}", lang, day=day(then, lang)),
            "type": "numericColumn",
            "valueFormatter": shown("then_text"),
        },
        {
            "field": "now",
            "headerName": translate("Know each other, {day}", lang, day=day(now, lang)),
            "type": "numericColumn",
            "valueFormatter": shown("now_text"),
        },
        {
            "field": "change",
            "headerName": translate("Change (percentage points)", lang),
            "type": "numericColumn",
            "valueFormatter": shown("change_text"),
        },
    ]
    return data_grid("comparison-grid", columns, lang, height=420, rows=rows)


def _stats(network: dict, lang: str) -> str:
    """Helpers, links, density and components in a line."""
    density = network["density"]
    return translate(
        "{helpers} helpers · {links} links · density {density} · {components} components",
        lang,
        helpers=count_text(network["helpers"], lang),
        links=count_text(network["links"], lang),
        density=NOT_SHOWN if density is None else decimal(density, lang, 3),
        components=count_text(network["components"], lang),
    )


def network_content(view: SnapshotView | None, neighbourhood: str | None, lang: str) -> list:
    """The helper network picture of one neighbourhood (team role only)."""
    if view is None:
        return []
    residents = _area_residents(view, neighbourhood)
    circles = view.analysis.circles if residents is None else _restricted(view.analysis.circles, residents)
    graph = helper_network(circles)
    if graph.number_of_nodes() > DRAWABLE_HELPERS:
        body = empty_state(
            translate("The network of all neighbourhoods is too large to draw; pick a neighbourhood.", lang)
        )
    elif graph.number_of_nodes() == 0:
        body = empty_state(translate("Nothing to show for this selection.", lang))
    else:
        scores = betweenness(graph)
        top = {h for _, h in sorted((-v, h) for h, v in scores.items() if v > 0)[:10]}
        helpers = [
            {
                "helper_id": h,
                "role": circles.helpers[h].role,
                "kind": circles.helpers[h].kind,
                "betweenness": scores[h],
                "group": group_of(circles.helpers[h]),
            }
            for h in graph.nodes
        ]
        body = picture(
            helper_network_picture(
                "helper-network-picture", network_elements(helpers, list(graph.edges), top, lang)
            ),
            translate("The helper network", lang),
        )
    return [
        section(translate("The helper network", lang), body, help_text=translate(NETWORK_HELP, lang), mt="md")
    ]
