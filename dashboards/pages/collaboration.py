"""``/collaboration``: do helpers of different organisations, and informal helpers, find each other?"""

from dataclasses import replace

import dash
import dash_mantine_components as dmc
from dash import Input, Output, dcc, html

from dashboards import ids
from dashboards.access import current_role
from dashboards.components.figures import organisation_heatmap
from dashboards.components.network import helper_network_picture, network_elements
from dashboards.components.widgets import empty_state, loading, page_title, policy_note, section
from dashboards.context import current, selected_view, team_only
from dashboards.data import SnapshotView
from dashboards.i18n import NOT_SHOWN, count_text, current_language, tab_title
from graph.analysis.circles import Circles
from graph.analysis.disclosure import Publication
from graph.analysis.network import betweenness, helper_network, helper_network_summary
from graph.analysis.organisations import group_names as names_of_groups
from graph.analysis.organisations import group_of
from graph.labels import ROLES, label
from graph.language import N_, decimal, number, translate

__all__ = [
    "DRAWABLE_HELPERS",
    "collaboration_content",
    "group_names",
    "layout",
    "network_content",
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
#: what the network picture shows
NETWORK_HELP = N_(
    "Helpers are linked when one knows the other for any resident; "
    "brokers, who connect most others, are larger."
)
POLICY_BROKERS_HELP = N_(
    "A broker links two helpers who do not know each other. Counted here by kind of helper;"
    " the district team sees who they are."
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
    """The page frame: figures for every role, the network picture for the team only."""
    return html.Div(
        [
            loading(html.Div(id=ids.COLLAB_CONTENT)),
            *([loading(html.Div(id=ids.COLLAB_NETWORK))] if current_role() == "team" else []),
        ],
        className="page",
    )


def register_callbacks(app: dash.Dash) -> None:
    """Fill the figures, and (team) the network picture, for the selected snapshot and neighbourhood."""

    @app.callback(
        Output(ids.COLLAB_CONTENT, "children"),
        Input(ids.SNAPSHOT, "value"),
        Input(ids.AREA, "value"),
    )
    def fill(as_of, neighbourhood):
        return collaboration_content(
            selected_view(as_of), neighbourhood, current_role(), current().k, current_language()
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

    The team sees the brokers and isolated helpers by id; policy sees the figures of the
    snapshot's protected publication only: brokers counted by kind, isolated helpers counted.
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
            translate("Share of pairs in a shared circle who know each other, between organisations", lang),
            _heatmap(rows, names, lang),
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
    return publication.organisations[scope], network, brokers, isolated


def _team_figures(
    view: SnapshotView, residents: list[str] | None, scope: str | None, names: dict[str, str], lang: str
) -> tuple:
    """Organisation pairs, the network's summary, and its brokers and isolated helpers by id."""
    circles = view.analysis.circles
    if residents is None:
        network = view.analysis.helper_network.as_dict()
        rows = [row.as_dict() for row in view.analysis.organisations]
    else:
        network = helper_network_summary(_restricted(circles, residents)).as_dict()
        rows = [row.as_dict() for row in view.analysis.area_organisations[scope]]
    head = [translate(text, lang) for text in TEAM_BROKER_COLUMNS]
    body = [
        [
            broker["helper_id"],
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
    return rows, network, brokers, _isolated_badges(network["isolated"], circles, lang)


def _isolated_badges(isolated: list[str], circles: Circles, lang: str):
    """The isolated helpers by id and role (the first 60, and how many more)."""
    if not isolated:
        return empty_state(translate("Nothing to show for this selection.", lang))
    badges = [
        dmc.Badge(f"{h} · {label(ROLES, circles.helpers[h].role, lang)}", variant="outline", color="gray")
        for h in isolated[:60]
    ]
    more = [dmc.Text(f"+ {number(len(isolated) - 60, lang)}", size="sm")] if len(isolated) > 60 else []
    return dmc.Group(badges + more, gap=6, id="isolated")


def _heatmap(rows: list[dict], names: dict[str, str], lang: str):
    if not rows:
        return empty_state(translate("Nothing to show for this selection.", lang))
    return dcc.Graph(
        figure=organisation_heatmap(rows, names, lang),
        config={"displayModeBar": False},
        id="organisation-heatmap",
    )


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
        body = helper_network_picture(
            "helper-network-picture", network_elements(helpers, list(graph.edges), top, lang)
        )
    return [
        section(translate("The helper network", lang), body, help_text=translate(NETWORK_HELP, lang), mt="md")
    ]
