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
from dashboards.context import current, selected_view
from dashboards.data import SnapshotView
from dashboards.i18n import current_language, fmt_count, t
from graph.analysis.circles import Circles
from graph.analysis.network import betweenness, helper_network, helper_network_summary
from graph.analysis.organisations import CAREGIVER_GROUP, INFORMAL_GROUP, NO_ORGANISATION_GROUP, group_of
from graph.labels import ROLES, label

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


def register() -> None:
    """Add the page to Dash's page registry."""
    dash.register_page(
        __name__,
        path="/collaboration",
        name="Collaboration",
        title="carecircle – elkaar vinden",
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
    def network(as_of, neighbourhood):
        if current_role() != "team":  # the server refuses this callback to policy before it runs
            raise dash.exceptions.PreventUpdate
        return network_content(selected_view(as_of), neighbourhood, current_language())


def group_names(view: SnapshotView, lang: str) -> dict[str, str]:
    """What a reader sees for each group: organisation names, and the informal groups in words."""
    names = {organisation: name or organisation for organisation, name in view.organisations.items()}
    names[INFORMAL_GROUP] = "(informeel)" if lang == "nl" else "(informal)"
    names[CAREGIVER_GROUP] = "(mantelzorgers)" if lang == "nl" else "(caregivers)"
    names[NO_ORGANISATION_GROUP] = "(zonder organisatie)" if lang == "nl" else "(no organisation)"
    return names


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
    """Heat map of finding each other, network figures, brokers and isolated helpers, for the role."""
    if view is None:
        return [empty_state(t("empty.no_rows", lang))]
    residents = _area_residents(view, neighbourhood)
    scope = None if residents is None else neighbourhood
    circles = view.analysis.circles
    summary = (
        view.analysis.helper_network
        if residents is None
        else helper_network_summary(_restricted(circles, residents))
    ).as_dict()
    if role == "policy":
        publication = view.publication(k)
        rows = publication.organisations[scope]
        network = {
            **summary,
            **publication.networks[scope],
            "brokers": [{key: v for key, v in b.items() if key != "helper_id"} for b in summary["brokers"]],
            "isolated": [],
        }
        if not isinstance(network["helpers"], int):
            network["density"] = None
    else:
        rows = view.analysis.organisations if scope is None else view.analysis.area_organisations[scope]
        rows = [row.as_dict() for row in rows]
        network = {**summary, "isolated_count": len(summary["isolated"])}
    names = group_names(view, lang)
    area = neighbourhood if residents is not None else t("shell.all_neighbourhoods", lang)
    heatmap = (
        dcc.Graph(
            figure=organisation_heatmap(rows, names, lang),
            config={"displayModeBar": False},
            id="organisation-heatmap",
        )
        if rows
        else empty_state(t("empty.no_rows", lang))
    )
    density = network["density"]
    stats = t(
        "collab.stats",
        lang,
        helpers=fmt_count(network["helpers"], lang),
        links=fmt_count(network["links"], lang),
        density="–" if density is None else f"{density:.3f}".replace(".", "," if lang == "nl" else "."),
        components=fmt_count(network["components"], lang),
    )
    broker_head = [
        t("col.helper", lang),
        t("col.role", lang),
        t("col.organisation", lang),
        t("col.betweenness", lang),
    ]
    broker_rows = []
    for broker in network["brokers"]:
        helper = broker.get("helper_id")
        broker_rows.append(
            [
                helper or "–",
                label(ROLES, circles.helpers[helper].role, lang) if helper else "–",
                names.get(broker["group"], broker["group"]),
                f"{broker['betweenness']:.3f}",
            ]
        )
    if role == "policy":
        broker_head, broker_rows = broker_head[2:], [row[2:] for row in broker_rows]
    brokers = (
        dmc.Table(data={"head": broker_head, "body": broker_rows}, striped=True, id="brokers")
        if broker_rows
        else empty_state(t("empty.no_rows", lang))
    )
    if role == "policy":
        isolated = dmc.Text(fmt_count(network["isolated_count"], lang), fz=28, fw=700, id="isolated")
    elif network["isolated"]:
        isolated = dmc.Group(
            [
                dmc.Badge(
                    f"{h} · {label(ROLES, circles.helpers[h].role, lang)}", variant="outline", color="gray"
                )
                for h in network["isolated"][:60]
            ]
            + (
                [dmc.Text(f"+ {len(network['isolated']) - 60}", size="sm")]
                if len(network["isolated"]) > 60
                else []
            ),
            gap=6,
            id="isolated",
        )
    else:
        isolated = empty_state(t("empty.no_rows", lang))
    body = [
        page_title(t("collab.title", lang), f"{area} · {view.as_of.isoformat()}"),
        section(t("collab.heatmap", lang), heatmap),
        dmc.SimpleGrid(
            [
                section(t("collab.brokers", lang), dmc.Text(stats, size="sm", c="dimmed", mb="xs"), brokers),
                section(t("collab.isolated", lang), isolated, help_text=t("collab.isolated.help", lang)),
            ],
            cols={"base": 1, "lg": 2},
            spacing="md",
            mt="md",
        ),
    ]
    if role == "policy":
        body.append(policy_note(lang, k))
    return body


def network_content(view: SnapshotView | None, neighbourhood: str | None, lang: str) -> list:
    """The helper network picture of one neighbourhood (team role only)."""
    if view is None:
        return []
    residents = _area_residents(view, neighbourhood)
    circles = view.analysis.circles if residents is None else _restricted(view.analysis.circles, residents)
    graph = helper_network(circles)
    if graph.number_of_nodes() > DRAWABLE_HELPERS:
        body = empty_state(t("collab.network.too_large", lang))
    elif graph.number_of_nodes() == 0:
        body = empty_state(t("empty.no_rows", lang))
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
    return [section(t("collab.network", lang), body, help_text=t("collab.network.help", lang), mt="md")]
