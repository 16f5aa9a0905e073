"""The resident page of issue 14: gaps by severity, the delegated tasks with their agreed contact,
and an overdue or missing agreed contact drawn as a problem in the circle picture (all by hand)."""

import json
import math
from datetime import date, timedelta

import plotly.io
import pytest
from dash import html

from carecircle.synthetic import generate_dataset
from dashboards.components.network import (
    circle_description,
    circle_elements,
    circle_positions,
    contact_problems,
)
from dashboards.data import SnapshotView, build_view
from dashboards.pages.resident import LOW_GAPS_SHOWN, circle_content, delegation_rows, gap_cards, gap_groups
from graph.analysis import Gap, analyse
from graph.analysis.circles import circle_tables
from graph.analysis.gaps import Delegation, delegations
from graph.stores import SnapshotInfo
from tests.analysis_helpers import days, make_snapshot
from tests.datasets import ingest

T = date(2024, 6, 1)


def as_text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


@pytest.fixture(scope="module")
def vignettes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vignettes")
    generate_dataset(folder, residents=60, seed=3, as_of=T)
    return ingest(folder).snapshot


@pytest.fixture(scope="module")
def view(vignettes) -> SnapshotView:
    return build_view(SnapshotInfo(T, "vignettes", "", {}), vignettes)


# --- the delegated tasks: the SPEC §5 rule of delegation_without_contact, with its numbers ----------


def test_the_delegations_of_the_emmen_clients_by_hand(vignettes):
    found = [d for d in delegations(circle_tables(vignettes)) if d.resident_id.startswith("R-EMMEN")]
    ago = lambda n: T - timedelta(days=n)  # noqa: E731
    assert found == [
        Delegation("R-EMMEN-1", "H-EMMEN-PO-1", "H-EMMEN-AB-1", "", 14, ago(5), 0),
        Delegation("R-EMMEN-2", "H-EMMEN-PO-2", "H-EMMEN-AB-1", "", 14, ago(20), 0),
        Delegation("R-EMMEN-3", "H-EMMEN-PO-3", "H-EMMEN-AB-1", "", 14, ago(28), 0),  # 28 = 2 × 14
        Delegation("R-EMMEN-4", "H-EMMEN-PO-1", "H-EMMEN-AB-2", "stale", 14, ago(29), 1),  # 29 − 28
        Delegation("R-EMMEN-5", "H-EMMEN-PO-2", "H-EMMEN-AB-2", "stale", 14, None, 0),  # never recorded
        Delegation("R-EMMEN-6", "H-EMMEN-PO-3", "H-EMMEN-AB-2", "none", None, None, 0),  # aware only
    ]


def _delegated(awareness, delegator_active=True):
    return make_snapshot(
        helpers={"P": ("practical_supporter", "ORG2"), "A": ("ambulant_supporter", "ORG3")},
        support=[
            ("P", "R1", "administration", 0.5, None, None, "A"),
            ("A", "R1", "daily_structure", 2.0, None, None if delegator_active else days(-1)),
        ],
        awareness=awareness,
    )


@pytest.mark.parametrize(
    ("awareness", "delegator_active", "expected"),
    [
        # the smallest interval and the latest contact over both directions: 7 days, 20 days ago
        (
            [("P", "A", "R1", "coordinating", days(-30), 14), ("A", "P", "R1", "coordinating", days(-20), 7)],
            True,
            ("stale", 7, days(-20), 6),
        ),
        ([("A", "P", "R1", "coordinating", days(-38), 14)], True, ("stale", 14, days(-38), 10)),
        ([("A", "P", "R1", "coordinating", days(-5), 14)], True, ("", 14, days(-5), 0)),
        ([("A", "P", "R1", "coordinating", days(-90), None)], True, ("", None, days(-90), 0)),
        ([("P", "A", "R1", "aware", days(-2), 14)], True, ("none", None, None, 0)),
        ([("P", "A", "R1", "coordinating", days(-5), 14)], False, ("outside", None, None, 0)),
    ],
    ids=["smallest interval latest contact", "ten days over", "fresh", "no interval", "aware", "outside"],
)
def test_a_delegation_carries_its_agreed_contact_and_the_gaps_reason(awareness, delegator_active, expected):
    snapshot = _delegated(awareness, delegator_active)
    (delegation,) = delegations(circle_tables(snapshot))
    assert (delegation.performer, delegation.delegator) == ("P", "A")
    assert (delegation.reason, delegation.every, delegation.last, delegation.overdue) == expected
    gaps = [g for g in analyse(snapshot).gaps if g.type == "delegation_without_contact"]
    assert [dict(g.details)["reason"] for g in gaps] == ([expected[0]] if expected[0] else [])


def test_the_delegation_table_says_how_late_or_why_there_is_no_count():
    rows = [{"helper_id": "P", "delegated_by": "D", "domains": ("meals", "administration")}]
    names = {"P": "Linda Veenstra", "D": "Sanne Oosting"}
    table = delegation_rows(
        [
            Delegation("R1", "P", "D", "stale", 14, date(2024, 5, 3), 1),
            Delegation("R1", "P", "D", "stale", 14, None, 0),
            Delegation("R1", "P", "D", "none", None, None, 0),
            Delegation("R1", "P", "D", "outside", None, None, 0),
            Delegation("R1", "P", "D", "", 7, date(2024, 5, 30), 0),
        ],
        rows,
        names,
        "nl",
    )
    assert table[0] == [
        "Linda Veenstra",
        "Sanne Oosting",
        "administratie, maaltijden",
        "elke 14 dagen",
        "3 mei 2024",
        "1 dag",
    ]
    assert [row[3:] for row in table[1:]] == [
        ["elke 14 dagen", "–", "geen contact vastgelegd"],
        ["–", "–", "geen afgesproken contact"],
        ["–", "–", "delegerende hulpverlener niet meer in de kring"],
        ["elke 7 dagen", "30 mei 2024", "op tijd"],
    ]


# --- gaps by severity; many low ones folded away -------------------------------------------------


def _low(count: int) -> list[Gap]:
    return [
        Gap("one_sided_awareness", "R1", (f"H{i:02}", "H99"), (), (("neighbour", f"H{i:02}"), ("gp", "H99")))
        for i in range(count)
    ]


def test_gaps_come_by_severity_high_first_and_many_low_ones_fold():
    gaps = [
        *_low(LOW_GAPS_SHOWN + 1),
        Gap("unaware_pair", "R1", ("H01", "H02")),
        Gap("unmet_need", "R1", (), ("meals",)),
    ]
    groups = gap_groups(gaps)
    assert [(severity, len(group), folded) for severity, group, folded in groups] == [
        ("high", 1, False),
        ("medium", 1, False),
        ("low", 6, True),
    ]
    assert [g.helpers[0] for g in groups[2][1]] == [f"H{i:02}" for i in range(6)]
    assert [folded for *_, folded in gap_groups(_low(LOW_GAPS_SHOWN))] == [False]


def _find(component, kind) -> list:
    """Every component of type ``kind`` in a component tree."""
    found = [component] if isinstance(component, kind) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        found += _find(child, kind)
    return found


def test_the_gap_cards_name_each_severity_in_words_and_fold_the_low_ones_in_a_details():
    cards = gap_cards([*_low(6), Gap("unmet_need", "R1", (), ("meals",))], "en")
    headings = [h.children for h in _find(cards, html.H3)]
    assert headings == ["Severity: high · 1 gap", "Severity: low · 6 gaps"]
    (details,) = _find(cards, html.Details)
    (summary,) = _find(details, html.Summary)
    assert _find(summary, html.H3)[0].children == "Severity: low · 6 gaps"
    assert as_text(details).count("gap-card gap-low") == 6
    dutch = gap_cards(_low(2), "nl")
    assert [h.children for h in _find(dutch, html.H3)] == ["Ernst: laag · 2 knelpunten"]
    assert _find(dutch, html.Details) == []


# --- the circle picture ----------------------------------------------------------------------------


def test_a_circle_of_twelve_helpers_is_laid_out_by_kind_with_labels_facing_out():
    kinds = ["formal"] * 6 + ["informal"] * 4 + ["caregiver"] * 2
    radius = 170 + 12 * 6
    places = circle_positions(kinds, radius)
    # 12 helpers and one empty place between each two kinds: 15 places of 24°, clockwise from the top
    angles = [round(math.degrees(math.atan2(y, x)) % 360) for x, y, _ in places]
    assert angles == [270, 294, 318, 342, 6, 30, 78, 102, 126, 150, 198, 222]
    assert places[0] == (0.0, -242.0, "top")
    for x, y, side in places:
        assert math.hypot(x, y) == pytest.approx(radius, abs=0.2)
        outward = {"top": -y, "bottom": y, "left": -x, "right": x}[side]
        assert outward > 0.7 * radius * 0.99  # the label's side faces away from the resident
    nearest = min(math.dist(p[:2], q[:2]) for i, p in enumerate(places) for q in places[i + 1 :])
    assert nearest == pytest.approx(2 * radius * math.sin(math.pi / 15), abs=0.5)  # about 100 px


EMMEN_4 = [
    {"helper_id": "H-EMMEN-AB-2", "role": "ambulant_supporter", "kind": "formal", "display": "Sanne Oosting"},
    {
        "helper_id": "H-EMMEN-PO-1",
        "role": "practical_supporter",
        "kind": "formal",
        "display": "Linda Veenstra",
    },
]
EMMEN_4_ROWS = [
    {"helper_id": a, "about_helper_id": b, "level": "coordinating"}
    for a, b in (("H-EMMEN-PO-1", "H-EMMEN-AB-2"), ("H-EMMEN-AB-2", "H-EMMEN-PO-1"))
]


def test_an_overdue_agreed_contact_is_drawn_as_a_problem_not_as_green_arrows():
    healthy = circle_elements("Roelie Smit", EMMEN_4, EMMEN_4_ROWS, "en")
    assert [e["classes"] for e in healthy if e["data"]["id"].startswith("knows:")] == ["coordinating"] * 2
    problems = {("H-EMMEN-AB-2", "H-EMMEN-PO-1"): "overdue"}
    elements = circle_elements("Roelie Smit", EMMEN_4, EMMEN_4_ROWS, "nl", problems)
    assert [e for e in elements if "coordinating" in e.get("classes", "")] == []
    (edge,) = [e for e in elements if e["classes"] == "problem"]
    assert edge["data"]["label"] == "contact achterstallig"
    assert (edge["data"]["source"], edge["data"]["target"]) == ("helper:H-EMMEN-AB-2", "helper:H-EMMEN-PO-1")
    # the two are opposite each other (top, bottom): the edge bends 2 × 110 px round the resident
    assert abs(edge["data"]["bend"]) == 220.0
    missing = circle_elements("R", EMMEN_4, [], "en", {("H-EMMEN-AB-2", "H-EMMEN-PO-1"): "missing"})
    assert [e["data"]["label"] for e in missing if e["classes"] == "problem"] == ["no agreed contact"]


def test_the_contact_problems_of_a_resident_come_from_its_gaps():
    gaps = [
        Gap("delegation_without_contact", "R", ("A", "B"), details=(("reason", "stale"),)),
        Gap("stale_contact", "R", ("A", "B")),
        Gap("delegation_without_contact", "R", ("C", "D"), details=(("reason", "none"),)),
        Gap("delegation_without_contact", "R", ("E", "F"), details=(("reason", "outside"),)),
        Gap("uncoordinated_overlap", "R", ("A", "C")),
    ]
    assert contact_problems(gaps) == {("A", "B"): "overdue", ("C", "D"): "missing"}


def test_the_picture_in_words_names_the_overdue_contact():
    text = circle_description("Roelie Smit", EMMEN_4, {("H-EMMEN-AB-2", "H-EMMEN-PO-1"): "overdue"}, "nl")
    assert text == (
        "De afbeelding toont Roelie Smit in het midden met 2 hulpverleners eromheen (formeel: 2). "
        "Contact achterstallig tussen ambulant begeleider Sanne Oosting en praktisch ondersteuner "
        "Linda Veenstra."
    )
    alone = circle_description("R", EMMEN_4[:1], {}, "en")
    assert alone == "The picture shows R in the middle and 1 helper around (formal: 1)."


# --- the whole page of the Emmen clients -----------------------------------------------------------


def test_the_page_of_emmen_client_4_shows_the_overdue_delegation(view):
    text = as_text(circle_content(view, "R-EMMEN-4", "en"))
    assert "Delegated tasks" in text
    for cell in (
        "Linda Veenstra",
        "Sanne Oosting",
        "administration",
        "every 14 days",
        "3 May 2024",
        '"1 day"',
    ):
        assert cell in text
    assert '"classes": "coordinating"' not in text and '"label": "contact overdue"' in text
    assert "Contact overdue between ambulant support worker Sanne Oosting and practical supporter" in text
    assert "Severity: high · 1 gap" in text and "Severity: medium · 1 gap" in text


def test_the_page_of_emmen_client_6_says_there_is_no_agreed_contact(view):
    text = as_text(circle_content(view, "R-EMMEN-6", "nl"))
    assert '"geen afgesproken contact"' in text and "Geen afgesproken contact tussen" in text
    assert '"classes": "aware"' not in text  # the pair's arrows give way to the problem edge


def test_a_resident_without_delegation_has_no_delegation_table(view):
    assert "circle-delegations" not in as_text(circle_content(view, "R-PIQUE", "en"))
    assert "circle-delegations" in as_text(circle_content(view, "R-EMMEN-1", "en"))
