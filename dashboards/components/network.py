"""Network pictures (dash-cytoscape): one resident's circle, and the helper network."""

import math

import dash_cytoscape as cyto
import dash_mantine_components as dmc
from dash import html

from dashboards.components.figures import KIND_COLOURS
from graph.labels import KINDS, ROLES, label
from graph.language import translate

__all__ = ["circle_elements", "circle_legend", "circle_picture", "helper_network_picture", "network_elements"]

_KIND_ORDER = {"formal": 0, "informal": 1, "caregiver": 2}
LEVEL_COLOURS = {"none": "#e03131", "aware": "#5c7cfa", "coordinating": "#2f9e44"}

_BASE_STYLE = [
    {
        "selector": "node",
        "style": {
            "label": "data(label)",
            "text-wrap": "wrap",
            "text-max-width": "130px",
            "font-size": "11px",
            "text-valign": "bottom",
            "text-margin-y": "6px",
            "color": "#212529",
            "width": 44,
            "height": 44,
            "border-width": 2,
            "border-color": "#ffffff",
        },
    },
    *(
        {"selector": f".{kind}", "style": {"background-color": colour}}
        for kind, colour in KIND_COLOURS.items()
    ),
]

_CIRCLE_STYLE = [
    *_BASE_STYLE,
    {
        "selector": ".resident",
        "style": {
            "background-color": "#343a40",
            "shape": "round-rectangle",
            "width": 70,
            "height": 40,
            "font-weight": "bold",
            "font-size": "12px",
        },
    },
    {"selector": "edge", "style": {"width": 2, "curve-style": "bezier", "arrow-scale": 1.1}},
    {"selector": ".support", "style": {"line-color": "#ced4da", "width": 1.5, "curve-style": "straight"}},
    *(
        {
            "selector": f".{level}",
            "style": {
                "line-color": colour,
                "target-arrow-color": colour,
                "target-arrow-shape": "tee" if level == "none" else "triangle",
                "line-style": "dashed" if level == "none" else "solid",
                "width": 4 if level == "coordinating" else 2,
            },
        }
        for level, colour in LEVEL_COLOURS.items()
    ),
]

_NETWORK_STYLE = [
    *_BASE_STYLE,
    {"selector": "node", "style": {"width": "data(size)", "height": "data(size)", "font-size": "9px"}},
    {"selector": ".broker", "style": {"border-color": "#212529", "border-width": 3}},
    {"selector": "edge", "style": {"line-color": "#adb5bd", "width": 1, "curve-style": "haystack"}},
]


def circle_elements(resident_label: str, members: list[dict], awareness: list[dict], lang: str) -> list[dict]:
    """Cytoscape elements of one circle: the resident in the centre, helpers around it.

    Parameters
    ----------
    resident_label : str
        What the centre node says (the resident's name or id).
    members : list of dict
        Helpers in the circle, each with ``helper_id``, ``role``, ``kind`` and ``display``
        (the name or id to show under the role).
    awareness : list of dict
        Awareness rows between members: ``helper_id``, ``about_helper_id``, ``level``.

    Examples
    --------
    >>> elements = circle_elements("R1", [{"helper_id": "H1", "role": "gp", "kind": "formal",
    ...     "display": "H1"}], [], "en")
    >>> [e["data"]["id"] for e in elements]
    ['resident', 'helper:H1', 'support:H1']
    """
    ordered = sorted(members, key=lambda m: (_KIND_ORDER.get(m["kind"], 3), m["role"], m["helper_id"]))
    radius = 170 + 12 * max(0, len(ordered) - 6)
    elements = [
        {
            "data": {"id": "resident", "label": resident_label},
            "position": {"x": 0, "y": 0},
            "classes": "resident",
        }
    ]
    for index, member in enumerate(ordered):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(ordered), 1)
        node = f"helper:{member['helper_id']}"
        elements.append(
            {
                "data": {
                    "id": node,
                    "label": f"{label(ROLES, member['role'], lang)}\n{member['display']}",
                    "kind": member["kind"],
                },
                "position": {
                    "x": round(radius * math.cos(angle), 1),
                    "y": round(radius * math.sin(angle), 1),
                },
                "classes": member["kind"],
            }
        )
        elements.append(
            {
                "data": {"id": f"support:{member['helper_id']}", "source": node, "target": "resident"},
                "classes": "support",
            }
        )
    present = {m["helper_id"] for m in members}
    for row in awareness:
        if row["helper_id"] in present and row["about_helper_id"] in present:
            elements.append(
                {
                    "data": {
                        "id": f"knows:{row['helper_id']}:{row['about_helper_id']}",
                        "source": f"helper:{row['helper_id']}",
                        "target": f"helper:{row['about_helper_id']}",
                        "level": row["level"],
                    },
                    "classes": row["level"],
                }
            )
    return elements


def circle_picture(component_id: str, elements: list[dict]) -> cyto.Cytoscape:
    """The circle as a fixed picture (no zooming by the mouse wheel while scrolling the page)."""
    return cyto.Cytoscape(
        id=component_id,
        elements=elements,
        layout={"name": "preset", "fit": True, "padding": 40},
        stylesheet=_CIRCLE_STYLE,
        style={"width": "100%", "height": "480px"},
        userZoomingEnabled=False,
        userPanningEnabled=False,
        autoungrabify=False,
        className="circle-picture",
    )


def circle_legend(lang: str) -> html.Div:
    """What the colours and lines of the circle picture mean."""

    def dot(colour: str, text: str, square: bool = False) -> dmc.Group:
        shape = {"borderRadius": "3px" if square else "50%", "width": 14, "height": 14, "background": colour}
        return dmc.Group([html.Span(style=shape), dmc.Text(text, size="xs")], gap=6)

    def line(colour: str, text: str, *, dashed: bool = False, width: int = 2) -> dmc.Group:
        sample = {"width": 30, "borderTop": f"{width}px {'dashed' if dashed else 'solid'} {colour}"}
        return dmc.Group([html.Span(style=sample), dmc.Text(text, size="xs")], gap=6)

    return html.Div(
        [
            dmc.Text(translate("Legend", lang), size="xs", fw=600),
            dmc.Group(
                [
                    dot("#343a40", translate("resident", lang), square=True),
                    *(dot(colour, label(KINDS, kind, lang)) for kind, colour in KIND_COLOURS.items()),
                ],
                gap="md",
            ),
            dmc.Group(
                [
                    line("#ced4da", translate("supports", lang)),
                    line(LEVEL_COLOURS["aware"], translate("knows of", lang)),
                    line(LEVEL_COLOURS["coordinating"], translate("coordinates with", lang), width=4),
                    line(LEVEL_COLOURS["none"], translate("does not know (recorded)", lang), dashed=True),
                ],
                gap="md",
            ),
            dmc.Text(
                translate("An arrow points from the helper who knows to the helper known.", lang),
                size="xs",
                c="dimmed",
            ),
        ],
        className="legend",
    )


def network_elements(
    helpers: list[dict], links: list[tuple[str, str]], brokers: set[str], lang: str
) -> list[dict]:
    """Cytoscape elements of a helper network: ``helpers`` with ``helper_id``, ``role``, ``kind``
    and ``betweenness``; brokers drawn larger and outlined."""
    elements = []
    for helper in helpers:
        size = 14 + 40 * min(helper["betweenness"] * 20, 1.0)
        classes = helper["kind"] + (" broker" if helper["helper_id"] in brokers else "")
        elements.append(
            {
                "data": {
                    "id": helper["helper_id"],
                    "label": helper["helper_id"] if helper["helper_id"] in brokers else "",
                    "title": f"{helper['helper_id']} · {label(ROLES, helper['role'], lang)}",
                    "size": round(size, 1),
                },
                "classes": classes,
            }
        )
    elements += [{"data": {"source": a, "target": b}} for a, b in links]
    return elements


def helper_network_picture(component_id: str, elements: list[dict]) -> cyto.Cytoscape:
    """The helper network of a neighbourhood, laid out by force (fixed seed, no animation)."""
    return cyto.Cytoscape(
        id=component_id,
        elements=elements,
        layout={
            "name": "cose",
            "animate": False,
            "randomize": False,
            "nodeRepulsion": 9000,
            "idealEdgeLength": 40,
        },
        stylesheet=_NETWORK_STYLE,
        style={"width": "100%", "height": "560px"},
        minZoom=0.2,
        maxZoom=3,
    )
