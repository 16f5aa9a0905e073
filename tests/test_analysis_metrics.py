"""Per-resident metrics, summaries, finding each other and the helper network, by hand (SPEC §5)."""

import pytest

from graph.analysis import analyse, to_json
from graph.analysis.metrics import ShareBases
from graph.analysis.network import Broker
from tests.analysis_helpers import days, make_snapshot, resident_row

NURSE = ("district_nurse", "ORG1")
NURSE2 = ("district_nurse", "ORG1")
HOUSEHOLD = ("household_help", "ORG2")
VOLUNTEER = ("volunteer", None)
CAREGIVER = ("informal_caregiver", None)


@pytest.mark.parametrize(
    ("members", "awareness", "coverage", "mutual"),
    [
        ([], [], None, None),
        (["A"], [], None, None),
        (["A", "B"], [], 0.0, 0.0),
        (["A", "B"], [("A", "B")], 0.5, 0.0),
        (["A", "B"], [("A", "B"), ("B", "A")], 1.0, 1.0),
        (["A", "B", "C"], [("A", "B"), ("B", "A"), ("A", "C")], 0.5, 1 / 3),
        (["A", "B", "C"], [("A", "B"), ("B", "A"), ("A", "C"), ("C", "A"), ("B", "C"), ("C", "B")], 1.0, 1.0),
    ],
    ids=["0 helpers", "1 helper", "2 unaware", "2 one-sided", "2 mutual", "3 partial", "3 complete"],
)
def test_awareness_coverage_and_mutual_share(members, awareness, coverage, mutual):
    helpers = {"A": NURSE, "B": HOUSEHOLD, "C": CAREGIVER}
    snapshot = make_snapshot(
        helpers=helpers,
        support=[(h, "R1", "meals") for h in members],
        awareness=[(a, b, "R1") for a, b in awareness],
    )
    row = resident_row(snapshot)
    assert row["circle_size"] == len(members)
    assert (
        row["awareness_coverage"] == pytest.approx(coverage)
        if coverage is not None
        else row["awareness_coverage"] is None
    )
    assert row["mutual_share"] == pytest.approx(mutual) if mutual is not None else row["mutual_share"] is None


def test_counts_per_kind_organisations_and_gap_count():
    snapshot = make_snapshot(
        residents={"R1": ("Stedenwijk", ("meals",)), "R2": ("Filmwijk", ())},
        helpers={"A": NURSE, "A2": NURSE2, "B": HOUSEHOLD, "V": VOLUNTEER, "C": CAREGIVER, "OLD": HOUSEHOLD},
        support=[
            ("A", "R1", "nursing"),
            ("A2", "R1", "personal_care"),
            ("B", "R1", "household"),
            ("V", "R1", "chores"),
            ("C", "R1", "social_contact"),
            ("OLD", "R1", "household", 2.0, None, days(-1)),
        ],
        awareness=[
            (a, b, "R1") for a in ("A", "A2", "B", "V", "C") for b in ("A", "A2", "B", "V", "C") if a != b
        ],
    )
    analysis = analyse(snapshot)
    rows = {r["resident_id"]: r for r in analysis.residents}
    assert rows["R1"] == {
        "resident_id": "R1",
        "neighbourhood": "Stedenwijk",
        "circle_size": 5,
        "formal": 3,
        "informal": 1,
        "caregivers": 1,
        "organisations": 2,
        "awareness_coverage": 1.0,
        "mutual_share": 1.0,
        "gap_count": 1,  # meals is not covered
    }
    assert rows["R2"]["circle_size"] == 0 and rows["R2"]["gap_count"] == 0
    assert [r["resident_id"] for r in analysis.residents] == ["R1", "R2"]


def _neighbourhood():
    return make_snapshot(
        residents={
            "R1": ("Stedenwijk", ()),
            "R2": ("Stedenwijk", ("meals",)),
            "R3": ("Stedenwijk", ()),
            "R4": ("Filmwijk", ()),
        },
        helpers={"A": NURSE, "B": HOUSEHOLD, "C": CAREGIVER, "D": CAREGIVER, "V": VOLUNTEER},
        support=[
            ("A", "R1", "nursing"),
            ("C", "R1", "meals"),
            ("A", "R2", "nursing"),
            ("B", "R2", "household"),
            ("D", "R2", "social_contact"),
            ("V", "R3", "chores"),
            ("C", "R4", "meals"),
            ("V", "R4", "chores"),
        ],
        awareness=[
            ("A", "C", "R1"),
            ("C", "A", "R1"),  # R1: coverage 1, caregiver seen
            ("A", "B", "R2"),  # R2: 1 of 6 ordered pairs, caregiver D unseen
            ("C", "V", "R4"),
            ("V", "C", "R4"),  # R4: no formal helper: not part of caregiver visibility
        ],
    )


def test_neighbourhood_summaries_and_overall():
    analysis = analyse(_neighbourhood())
    areas = {a.neighbourhood: a for a in analysis.neighbourhoods}
    stedenwijk = areas["Stedenwijk"]
    assert stedenwijk.residents == 3
    assert stedenwijk.residents_with_circle == 2
    assert stedenwijk.helpers == {"formal": 2, "informal": 1, "caregiver": 2}
    assert stedenwijk.mean_awareness_coverage == pytest.approx((1.0 + 1 / 6) / 2)
    # R2: unaware A-D, B-D, one-sided A-B, caregiver D unseen, no overview, meals unmet
    assert stedenwijk.gaps_by_type == {
        "unaware_pair": 2,
        "one_sided_awareness": 1,
        "caregiver_unseen": 1,
        "no_overview": 1,
        "uncoordinated_overlap": 0,
        "unmet_need": 1,
        "stale_contact": 0,
        "delegation_without_contact": 0,
        "caregiver_overload": 0,
    }
    assert stedenwijk.residents_with_gaps == 1
    assert stedenwijk.caregiver_visibility == pytest.approx(0.5)  # C seen at R1, D unseen at R2
    # the shares' bases: 2 residents with a circle of 2 or more; (C, R1) and (D, R2) with a formal helper
    assert stedenwijk.share_bases == ShareBases(mean_awareness_coverage=2, caregiver_visibility=2)
    assert areas["Filmwijk"].caregiver_visibility is None  # no formal helper there
    assert areas["Filmwijk"].share_bases == ShareBases(mean_awareness_coverage=1, caregiver_visibility=0)
    assert areas["Filmwijk"].mean_awareness_coverage == 1.0
    overall = analysis.overall
    assert (overall.residents, overall.residents_with_circle, overall.neighbourhood) == (4, 3, None)
    assert overall.helpers == {"formal": 2, "informal": 1, "caregiver": 2}
    assert overall.mean_awareness_coverage == pytest.approx((1.0 + 1 / 6 + 1.0) / 3)
    assert overall.share_bases == ShareBases(mean_awareness_coverage=3, caregiver_visibility=2)
    assert [a.neighbourhood for a in analysis.neighbourhoods] == ["Filmwijk", "Stedenwijk"]


def test_finding_each_other_across_organisations_and_informal_groups():
    analysis = analyse(_neighbourhood())
    pairs = {(o.a, o.b): o.as_dict() for o in analysis.organisations}
    assert set(pairs) == {
        ("(caregivers)", "ORG1"),
        ("(caregivers)", "ORG2"),
        ("(caregivers)", "(informal)"),
        ("ORG1", "ORG2"),
    }
    assert pairs["(caregivers)", "ORG1"] == {
        "a": "(caregivers)",
        "b": "ORG1",
        "cross_pairs": 2,  # (A, C) at R1 and (A, D) at R2
        "aware_share": 0.5,
        "mutual_share": 0.5,
    }
    assert (pairs["ORG1", "ORG2"]["aware_share"], pairs["ORG1", "ORG2"]["mutual_share"]) == (1.0, 0.0)
    assert pairs["(caregivers)", "(informal)"]["mutual_share"] == 1.0


def test_helper_network_density_components_brokers_and_isolated():
    snapshot = make_snapshot(
        residents={"R1": ("S", ()), "R2": ("S", ()), "R3": ("S", ())},
        helpers={"A": NURSE, "B": HOUSEHOLD, "C": CAREGIVER, "D": CAREGIVER, "E": VOLUNTEER},
        support=[
            ("A", "R1", "nursing"),
            ("B", "R1", "household"),
            ("A", "R2", "nursing"),
            ("C", "R2", "meals"),
            ("D", "R3", "meals"),
            ("E", "R3", "chores"),
        ],
        awareness=[("A", "B", "R1"), ("C", "A", "R2")],
    )
    network = analyse(snapshot).helper_network
    assert (network.helpers, network.links) == (5, 2)
    assert network.density == pytest.approx(2 / 10)
    assert network.components == 3  # {A, B, C}, {D}, {E}
    assert network.brokers == [Broker("A", "ORG1", pytest.approx(1 / 6))]
    assert network.isolated == ["D", "E"] and network.isolated_count == 2


def test_json_shape_sorting_and_rounding():
    result = to_json(analyse(_neighbourhood()))
    assert list(result) == [
        "schema", "as_of", "role", "residents", "gaps",
        "neighbourhoods", "overall", "organisations", "helper_network",
    ]  # fmt: skip
    assert (result["schema"], result["as_of"], result["role"]) == (
        "carecircle.analysis/1",
        "2017-06-01",
        "team",
    )
    assert [r["resident_id"] for r in result["residents"]] == ["R1", "R2", "R3", "R4"]
    r2 = result["residents"][1]
    assert r2["awareness_coverage"] == 0.167 and r2["mutual_share"] == 0.0
    keys = [(g["resident_id"], g["type"], g["helpers"]) for g in result["gaps"]]
    assert keys == sorted(keys)
    gap = result["gaps"][0]
    assert list(gap) == ["type", "severity", "resident_id", "helpers", "domains", "message", "action"]
    assert result["neighbourhoods"][1]["mean_awareness_coverage"] == 0.583
    assert "_share_bases" not in result["overall"]
    # the helper network is the path B - A - C - V: A and C each lie on 2 of the 6 other shortest paths
    assert result["helper_network"]["brokers"] == [
        {"helper_id": "A", "group": "ORG1", "betweenness": 0.333},
        {"helper_id": "C", "group": "(caregivers)", "betweenness": 0.333},
    ]


def test_policy_role_suppresses_small_cells_and_names_nobody():
    result = to_json(analyse(_neighbourhood()), role="policy")
    assert "residents" not in result and "gaps" not in result
    stedenwijk = result["neighbourhoods"][1]
    assert stedenwijk["residents"] == "<5"
    assert stedenwijk["helpers"] == {"formal": "<5", "informal": "<5", "caregiver": "<5"}
    assert stedenwijk["gaps_by_type"]["unaware_pair"] == "<5"
    assert stedenwijk["gaps_by_type"]["stale_contact"] == 0
    assert stedenwijk["mean_awareness_coverage"] is None and stedenwijk["caregiver_visibility"] is None
    assert all(o["cross_pairs"] == "<5" and o["aware_share"] is None for o in result["organisations"])
    network = result["helper_network"]
    # brokers A (formal) and C (caregiver) are counted by kind, never listed
    assert network["brokers"] == {"formal": "<5", "informal": 0, "caregiver": "<5"}
    assert network["isolated"] == [] and network["isolated_count"] == "<5"
    # 3 links among 5 helpers: a density would give the hidden count of links back
    assert network["links"] == "<5" and network["density"] is None
    relaxed = to_json(analyse(_neighbourhood()), role="policy", k=2)
    assert relaxed["overall"]["residents"] == 4
    assert relaxed["overall"]["mean_awareness_coverage"] == pytest.approx(0.722)


def test_gap_messages_follow_the_language():
    dutch = to_json(analyse(_neighbourhood()), lang="nl")
    unmet = next(g for g in dutch["gaps"] if g["type"] == "unmet_need")
    assert unmet["message"] == "Niemand dekt de behoefte aan maaltijden"
    assert unmet["action"] == "Zoek een hulpverlener voor maaltijden"
