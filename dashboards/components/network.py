"""Network pictures (dash-cytoscape): one resident's circle, and the helper network."""

import math

import dash_cytoscape as cyto
import dash_mantine_components as dmc
from dash import html

from dashboards.components.figures import KIND_COLOURS
from graph.labels import KINDS, ROLES, label
from graph.language import N_, translate, translate_plural

__all__ = [
    "CONTACT_PROBLEMS",
    "PROBLEM_COLOUR",
    "circle_description",
    "circle_elements",
    "circle_legend",
    "circle_picture",
    "circle_positions",
    "contact_problems",
    "helper_network_picture",
    "network_elements",
]

_KIND_ORDER = {"formal": 0, "informal": 1, "caregiver": 2}
LEVEL_COLOURS = {"none": "#e03131", "aware": "#5c7cfa", "coordinating": "#2f9e44"}
#: the colour of an agreed contact that is overdue or missing (Mantine's orange 9)
PROBLEM_COLOUR = "#d9480f"
#: what the picture says on the edge of a pair whose agreed contact fails (see :func:`contact_problems`)
CONTACT_PROBLEMS = {"overdue": N_("contact overdue"), "missing": N_("no agreed contact")}
#: the empty part of the circle between two kinds of helper, as a share of one helper's place
_KIND_SPACING = 1.0

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
    {
        "selector": ".problem",
        "style": {
            "line-color": PROBLEM_COLOUR,
            "line-style": "dashed",
            "line-dash-pattern": [8, 4],
            "width": 4,
            # bent away from the resident, so that neither the line nor its words hide behind it
            "curve-style": "unbundled-bezier",
            "control-point-distances": "data(bend)",
            "control-point-weights": 0.5,
            "target-arrow-shape": "none",
            "label": "data(label)",
            "font-size": "11px",
            "font-weight": "bold",
            "color": "#862e09",
            "text-background-color": "#ffffff",
            "text-background-opacity": 1,
            "text-background-padding": "2px",
            "text-border-color": PROBLEM_COLOUR,
            "text-border-width": 1,
            "text-border-opacity": 1,
        },
    },
    # a helper's label sits on the side away from the resident, where no line runs
    *(
        {"selector": f".label-{side}", "style": style}
        for side, style in {
            "top": {"text-valign": "top", "text-halign": "center", "text-margin-y": "-6px"},
            "bottom": {"text-valign": "bottom", "text-halign": "center", "text-margin-y": "6px"},
            "left": {"text-valign": "center", "text-halign": "left", "text-margin-x": "-6px",
                     "text-margin-y": "0px", "text-justification": "right"},
            "right": {"text-valign": "center", "text-halign": "right", "text-margin-x": "6px",
                      "text-margin-y": "0px", "text-justification": "left"},
        }.items()
    ),
]  # fmt: skip

_NETWORK_STYLE = [
    *_BASE_STYLE,
    {"selector": "node", "style": {"width": "data(size)", "height": "data(size)", "font-size": "9px"}},
    {"selector": ".broker", "style": {"border-color": "#212529", "border-width": 3}},
    {"selector": "edge", "style": {"line-color": "#adb5bd", "width": 1, "curve-style": "haystack"}},
]


def contact_problems(gaps) -> dict[tuple[str, str], str]:
    """The pairs of a circle whose agreed contact fails, by their sorted helper ids: ``overdue``
    for a stale_contact gap or a delegation_without_contact gap of reason stale, ``missing`` for
    one of reason none (a delegator outside the circle has no edge to draw).

    Examples
    --------
    >>> from graph.analysis import Gap
    >>> contact_problems([Gap("delegation_without_contact", "R1", ("A", "B"), details=(("reason", "none"),)),
    ...                   Gap("stale_contact", "R1", ("C", "D")), Gap("unaware_pair", "R1", ("A", "C"))])
    {('A', 'B'): 'missing', ('C', 'D'): 'overdue'}
    """
    problems = {}
    for gap in gaps:
        reason = dict(gap.details).get("reason")
        if gap.type == "stale_contact" or (gap.type == "delegation_without_contact" and reason == "stale"):
            problems[gap.helpers] = "overdue"
        elif gap.type == "delegation_without_contact" and reason == "none":
            problems.setdefault(gap.helpers, "missing")
    return problems


def circle_positions(kinds: list[str], radius: float) -> list[tuple[float, float, str]]:
    """Where each helper of a circle goes, ``kinds`` in drawing order (grouped by kind): (x, y,
    the side of its label).

    The helpers go round the resident from the top, clockwise, each kind in its own arc with an
    empty place between two kinds; a label goes on the side away from the resident (top, bottom,
    left or right), so that it never runs under a line to the resident or another helper.

    Examples
    --------
    >>> circle_positions(["formal", "formal", "caregiver"], 100)
    [(0.0, -100.0, 'top'), (95.1, -30.9, 'right'), (-58.8, 80.9, 'bottom')]
    """
    groups = len(dict.fromkeys(kinds))
    places = len(kinds) + (_KIND_SPACING * groups if groups > 1 else 0)
    positions, step = [], 0.0
    for index, kind in enumerate(kinds):
        if index and kind != kinds[index - 1]:
            step += _KIND_SPACING
        angle = -math.pi / 2 + 2 * math.pi * step / max(places, 1)
        x, y = round(radius * math.cos(angle), 1) + 0.0, round(radius * math.sin(angle), 1) + 0.0
        positions.append((x, y, _label_side(math.cos(angle), math.sin(angle))))
        step += 1
    return positions


def _label_side(cos: float, sin: float) -> str:
    """The side of a node at direction (cos, sin) from the centre that faces away from it."""
    if abs(sin) >= 0.7:
        return "top" if sin < 0 else "bottom"
    return "right" if cos > 0 else "left"


def circle_elements(
    resident_label: str,
    members: list[dict],
    awareness: list[dict],
    lang: str,
    problems: dict[tuple[str, str], str] | None = None,
) -> list[dict]:
    """Cytoscape elements of one circle: the resident in the centre, helpers around it by kind.

    Parameters
    ----------
    resident_label : str
        What the centre node says (the resident's name or id).
    members : list of dict
        Helpers in the circle, each with ``helper_id``, ``role``, ``kind`` and ``display``
        (the name or id to show under the role).
    awareness : list of dict
        Awareness rows between members: ``helper_id``, ``about_helper_id``, ``level``.
    lang : str
        The language of the labels.
    problems : dict, optional
        Pairs (sorted helper ids) whose agreed contact fails (:func:`contact_problems`): drawn
        as one dashed edge in :data:`PROBLEM_COLOUR` that says so, instead of their arrows.

    Returns
    -------
    list of dict
        The resident, then per helper its node and its line to the resident, then the arrows
        of ``awareness`` and the edges of ``problems``.

    Examples
    --------
    >>> elements = circle_elements("R1", [{"helper_id": "H1", "role": "gp", "kind": "formal",
    ...     "display": "H1"}], [], "en")
    >>> [e["data"]["id"] for e in elements]
    ['resident', 'helper:H1', 'support:H1']
    """
    problems = problems or {}
    ordered = sorted(members, key=lambda m: (_KIND_ORDER.get(m["kind"], 3), m["role"], m["helper_id"]))
    radius = 170 + 12 * max(0, len(ordered) - 6)
    elements = [
        {
            "data": {"id": "resident", "label": resident_label},
            "position": {"x": 0, "y": 0},
            "classes": "resident",
        }
    ]
    for member, (x, y, side) in zip(
        ordered, circle_positions([m["kind"] for m in ordered], radius), strict=True
    ):
        node = f"helper:{member['helper_id']}"
        elements.append(
            {
                "data": {
                    "id": node,
                    "label": f"{label(ROLES, member['role'], lang)}\n{member['display']}",
                    "kind": member["kind"],
                },
                "position": {"x": x, "y": y},
                "classes": f"{member['kind']} label-{side}",
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
        pair = tuple(sorted((row["helper_id"], row["about_helper_id"])))
        if row["helper_id"] in present and row["about_helper_id"] in present and pair not in problems:
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
    places = {element["data"]["id"]: element["position"] for element in elements if "position" in element}
    for (a, b), problem in sorted(problems.items()):
        if a in present and b in present:
            source, target = f"helper:{a}", f"helper:{b}"
            elements.append(
                {
                    "data": {
                        "id": f"problem:{a}:{b}",
                        "source": source,
                        "target": target,
                        "label": translate(CONTACT_PROBLEMS[problem], lang),
                        "problem": problem,
                        "bend": _outward_bend(places[source], places[target]),
                    },
                    "classes": "problem",
                }
            )
    return elements


def _outward_bend(source: dict, target: dict, clearance: float = 110.0) -> float:
    """The control-point distance that bends the edge source → target away from the centre (0, 0),
    far enough that the middle of the curve, where its words go, is ``clearance`` from the centre
    (at least 20 px of bend). Cytoscape measures the distance along the source → target direction
    turned a quarter clockwise on screen, and the curve's middle moves half of it.

    Examples
    --------
    >>> _outward_bend({"x": 0, "y": -100}, {"x": 0, "y": 100})  # through the resident
    220.0
    >>> _outward_bend({"x": 0, "y": -170}, {"x": 170, "y": 0})  # a chord, bent outward
    -40.0
    """
    dx, dy = target["x"] - source["x"], target["y"] - source["y"]
    middle_x, middle_y = (source["x"] + target["x"]) / 2, (source["y"] + target["y"]) / 2
    depth = max(20.0, clearance - math.hypot(middle_x, middle_y)) * 2
    return depth if (-dy * middle_x + dx * middle_y) >= 0 else -depth


def circle_description(resident_label: str, members: list[dict], problems: dict, lang: str) -> str:
    """The circle picture in words (its text alternative): who supports the resident, by kind,
    and each pair whose agreed contact is overdue or missing, by name.

    ``members`` and ``problems`` as :func:`circle_elements` takes them.

    Examples
    --------
    >>> members = [{"helper_id": "A", "role": "gp", "kind": "formal", "display": "Dr Jansen"},
    ...            {"helper_id": "B", "role": "neighbour", "kind": "informal", "display": "Kees"}]
    >>> circle_description("Mrs P", members, {("A", "B"): "missing"}, "en")
    'The picture shows Mrs P in the middle and 2 helpers around (formal: 1, informal: 1). \
No agreed contact between GP practice Dr Jansen and neighbour Kees.'
    """
    by_id = {member["helper_id"]: member for member in members}
    kinds = [member["kind"] for member in members]
    sentences = [
        translate_plural(
            "The picture shows {resident} in the middle and {count} helper around ({kinds}).",
            "The picture shows {resident} in the middle and {count} helpers around ({kinds}).",
            len(members),
            lang,
            resident=resident_label,
            kinds=", ".join(
                f"{label(KINDS, kind, lang)}: {kinds.count(kind)}" for kind in _KIND_ORDER if kind in kinds
            ),
        )
    ]
    for (a, b), problem in sorted(problems.items()):
        if a in by_id and b in by_id:
            first, second = (_named(by_id[helper], lang) for helper in (a, b))
            text = (
                translate("Contact overdue between {first} and {second}.", lang, first=first, second=second)
                if problem == "overdue"
                else translate(
                    "No agreed contact between {first} and {second}.", lang, first=first, second=second
                )
            )
            sentences.append(text)
    return " ".join(sentences)


def _named(member: dict, lang: str) -> str:
    return f"{label(ROLES, member['role'], lang)} {member['display']}"


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
                    line(
                        PROBLEM_COLOUR,
                        translate("agreed contact overdue or missing", lang),
                        dashed=True,
                        width=4,
                    ),
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
