"""The team's agenda (SPEC §10): changes, introductions, overview holders, meetings, ranking.

Expected values are worked out by hand from the data and the SPEC."""

from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from carecircle.synthetic import generate_dataset
from graph.analysis import AGENDA_SCHEMA, agenda_json, analyse, build_agenda
from graph.analysis.introductions import contact_intervals
from graph.analysis.meetings import MEETINGS_PER_NEIGHBOURHOOD
from tests.analysis_helpers import T, days, make_snapshot
from tests.datasets import ingest
from tests.strategies import snapshots


def _item(agenda, resident):
    (item,) = [item for item in agenda.items if item.resident_id == resident]
    return item


def _types(gaps):
    return [(gap.type, gap.helpers) for gap in gaps]


# --- the seed vignettes --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vignettes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vignettes")
    generate_dataset(folder, residents=60, seed=3, as_of=date(2024, 6, 1))
    return ingest(folder).snapshot


def test_mrs_piqué(vignettes):
    agenda = agenda_json(build_agenda(vignettes, None))
    (item,) = [item for item in agenda["items"] if item["resident_id"] == "R-PIQUE"]
    assert item["counts"] == {"high": 1, "medium": 2, "low": 1, "new": 0, "resolved": 0}
    assert [gap["status"] for gap in item["gaps"]] == [None] * 4
    assert item["resolved"] == [] and item["circle"] is None
    # daughter and household help: one-sided (1) and the overlap on household (3); the
    # unaware pairs of the volunteer weigh 2 each
    assert item["introduction"] == {
        "helpers": ["H-PIQUE-DAUGHTER", "H-PIQUE-HOUSEHOLD"],
        "weight": 4,
        "closes": [
            {"type": "one_sided_awareness", "helpers": ["H-PIQUE-DAUGHTER", "H-PIQUE-HOUSEHOLD"],
             "domains": []},
            {"type": "uncoordinated_overlap", "helpers": ["H-PIQUE-DAUGHTER", "H-PIQUE-HOUSEHOLD"],
             "domains": ["household"]},
        ],
        "message": "Introduce Marie Piqué (informal caregiver) to Samira El Idrissi (household help): "
        "closes 2 gaps, one of them high",
    }  # fmt: skip
    # the daughter knows every other member: no no_overview gap, no holder
    assert item["overview_holder"] is None
    assert item["gaps"][1]["message"] == (
        "The household help (Samira El Idrissi) and the volunteer (Kees Bakker) "
        "do not know of each other's involvement"
    )


def test_emmen_clients(vignettes):
    agenda = build_agenda(vignettes, None, neighbourhood="Emmen-Centrum")
    # clients 1-3 have no gap; 4 and 5 a delegation and a stale contact, 6 a delegation only
    assert [item.resident_id for item in agenda.items] == ["R-EMMEN-4", "R-EMMEN-5", "R-EMMEN-6"]
    words = agenda_json(agenda)
    four, _, six = words["items"]
    assert four["introduction"]["helpers"] == ["H-EMMEN-AB-2", "H-EMMEN-PO-1"]
    assert four["introduction"]["weight"] == 5
    assert four["introduction"]["message"] == (
        "Introduce Sanne Oosting (ambulant support worker) to Linda Veenstra (practical supporter): "
        "closes 2 gaps, one of them high"
    )
    assert six["introduction"]["weight"] == 3
    assert six["introduction"]["message"].endswith(": closes 1 high gap")
    # everybody of Dokter Schoonmaak and Icare knows the other: nobody to invite
    assert words["meetings"] == []
    dutch = agenda_json(agenda, "nl")["items"][2]["introduction"]["message"]
    assert dutch == (
        "Stel Sanne Oosting (ambulant begeleider) voor aan Monique Wolters (praktisch ondersteuner): "
        "dat sluit 1 hoog knelpunt"
    )


# --- introductions -------------------------------------------------------------------------------


def test_introduction_ties_go_to_more_high_gaps():
    # {H1,H2}: unaware (2) + no_overview (H1 knows all but H2; 2) = 4, no high gap
    # {H2,H3}: one-sided (1) + overlap on household (3) = 4, one high gap: chosen
    # {H1,H3}: one-sided (1) + no_overview (H3 knows all but H1; 2) = 3
    snapshot = make_snapshot(
        helpers={"H1": ("volunteer", None), "H2": ("volunteer", None), "H3": ("volunteer", None)},
        support=[("H1", "R1", "chores"), ("H2", "R1", "household"), ("H3", "R1", "household")],
        awareness=[("H1", "H3", "R1"), ("H3", "H2", "R1")],
    )
    introduction = build_agenda(snapshot, None).items[0].introduction
    assert introduction.helpers == ("H2", "H3")
    assert (introduction.weight, introduction.high) == (4, 1)
    assert _types(introduction.closes) == [
        ("one_sided_awareness", ("H2", "H3")),
        ("uncoordinated_overlap", ("H2", "H3")),
    ]


def test_introduction_ties_then_go_to_the_first_ids():
    # three strangers: every pair closes one unaware pair (2); nobody would know all
    snapshot = make_snapshot(
        helpers={"H3": ("volunteer", None), "H1": ("neighbour", None), "H2": ("volunteer", None)},
        support=[("H1", "R1", "chores"), ("H2", "R1", "meals"), ("H3", "R1", "household")],
    )
    item = build_agenda(snapshot, None).items[0]
    assert item.introduction.helpers == ("H1", "H2")
    assert _types(item.introduction.closes) == [("unaware_pair", ("H1", "H2"))]
    assert item.overview_holder is None  # a no_overview gap, but no formal helper


def test_no_overview_closes_when_one_would_know_everyone():
    # H1 knows H2 and H3, not H4: introducing H1 and H4 gives H1 the overview
    helpers = {h: ("volunteer", None) for h in ("H1", "H2", "H3", "H4")}
    snapshot = make_snapshot(
        helpers=helpers,
        support=[
            (h, "R1", d) for h, d in zip(helpers, ("chores", "meals", "household", "mobility"), strict=True)
        ],
        awareness=[("H1", "H2", "R1"), ("H2", "H1", "R1"), ("H1", "H3", "R1"), ("H3", "H1", "R1")],
    )
    introduction = build_agenda(snapshot, None).items[0].introduction
    assert introduction.helpers == ("H1", "H4")
    assert _types(introduction.closes) == [("no_overview", ()), ("unaware_pair", ("H1", "H4"))]


def test_caregiver_unseen_closes_only_with_a_formal_helper():
    snapshot = make_snapshot(
        helpers={
            "H1": ("informal_caregiver", None),
            "H2": ("district_nurse", "ORG1"),
            "H3": ("volunteer", None),
        },
        support=[("H1", "R1", "meals"), ("H2", "R1", "nursing"), ("H3", "R1", "chores")],
        awareness=[("H1", "H3", "R1"), ("H3", "H1", "R1"), ("H3", "H2", "R1"), ("H2", "H3", "R1")],
    )
    introduction = build_agenda(snapshot, None).items[0].introduction
    # {H1,H2}: caregiver_unseen (3) + unaware (2) + no_overview (H3 knows all already: none)
    assert introduction.helpers == ("H1", "H2")
    assert _types(introduction.closes) == [("caregiver_unseen", ("H1",)), ("unaware_pair", ("H1", "H2"))]


def test_a_pair_that_closes_nothing_and_a_circle_of_one():
    snapshot = make_snapshot(
        residents={"R1": ("Oost", ("meals",)), "R2": ("Oost", ("meals",))},
        helpers={"H1": ("district_nurse", "ORG1"), "H2": ("household_help", "ORG1")},
        support=[("H1", "R1", "nursing"), ("H2", "R1", "household"), ("H1", "R2", "nursing")],
        awareness=[("H1", "H2", "R1", "coordinating"), ("H2", "H1", "R1", "aware")],
    )
    agenda = build_agenda(snapshot, None)
    for resident in ("R1", "R2"):
        item = _item(agenda, resident)
        assert _types(item.gaps) == [("unmet_need", ())]
        assert item.introduction is None and item.overview_holder is None


def test_the_added_rows_take_the_pairs_smallest_interval():
    # a stale coordinating pair closes; the interval comes from either direction's row
    snapshot = make_snapshot(
        helpers={"H1": ("district_nurse", "ORG1"), "H2": ("household_help", "ORG2")},
        support=[("H1", "R1", "nursing"), ("H2", "R1", "household")],
        awareness=[("H1", "H2", "R1", "coordinating", days(-100), 30), ("H2", "H1", "R1", "none", None, 7)],
    )
    assert contact_intervals(snapshot.awareness) == {("R1", "H1", "H2"): 7.0}
    introduction = build_agenda(snapshot, None).items[0].introduction
    assert _types(introduction.closes) == [
        ("one_sided_awareness", ("H1", "H2")),
        ("stale_contact", ("H1", "H2")),
    ]


# --- overview holder -----------------------------------------------------------------------------


def test_overview_holder_ties():
    helpers = {
        "H1": ("gp", "ORG1"), "H2": ("case_manager", "ORG2"), "H3": ("volunteer", None),
        "H4": ("case_manager", "ORG2"), "H5": ("case_manager", "ORG2"), "H6": ("district_nurse", "ORG1"),
    }  # fmt: skip
    residents = {r: ("Oost", ()) for r in ("R1", "R2", "R3", "R4")}
    snapshot = make_snapshot(
        residents=residents,
        helpers=helpers,
        support=[
            # R1: equal knowing and hours: the role order puts the case manager first
            ("H1", "R1", "medication"), ("H2", "R1", "administration"), ("H3", "R1", "chores"),
            # R2: more hours for R2 beat the role order (4 + 1 against 2)
            ("H1", "R2", "medication", 4.0), ("H1", "R2", "nursing", 1.0),
            ("H2", "R2", "administration", 2.0), ("H3", "R2", "chores"),
            # R3: two case managers alike: the first id
            ("H5", "R3", "administration"), ("H4", "R3", "daily_structure"), ("H3", "R3", "chores"),
            # R4: who knows more wins
            ("H2", "R4", "administration", 9.0), ("H6", "R4", "nursing"), ("H3", "R4", "chores"),
            ("H1", "R4", "medication"),
        ],
        awareness=[("H6", "H3", "R4"), ("H6", "H1", "R4")],
    )  # fmt: skip
    agenda = build_agenda(snapshot, None)
    holders = {item.resident_id: item.overview_holder for item in agenda.items}
    assert holders["R1"].helper_id == "H2" and holders["R1"].to_introduce == ("H1", "H3")
    assert (holders["R1"].knows, holders["R1"].of) == (0, 2)
    assert holders["R2"].helper_id == "H1"
    assert holders["R3"].helper_id == "H4"
    assert (holders["R4"].helper_id, holders["R4"].knows, holders["R4"].of) == ("H6", 2, 3)
    assert holders["R4"].to_introduce == ("H2",)
    message = agenda_json(agenda)["items"]
    (r4,) = [item for item in message if item["resident_id"] == "R4"]
    assert r4["overview_holder"]["message"] == (
        "Ask H6 (district nurse) to keep the overview; still to meet: H2 (case manager)"
    )
    (r4,) = [item for item in agenda_json(agenda, "nl")["items"] if item["resident_id"] == "R4"]
    assert r4["overview_holder"]["message"] == (
        "Vraag H6 (wijkverpleegkundige) het overzicht te houden; nog kennis te maken met: H2 (casemanager)"
    )


# --- changes -------------------------------------------------------------------------------------


def _two_snapshots():
    helpers = {h: ("volunteer", None) for h in ("H1", "H2", "H3", "H4")}
    residents = {"R1": ("Oost", ()), "R2": ("West", ()), "R3": ("West", ())}
    earlier = make_snapshot(
        residents=residents,
        helpers=helpers,
        support=[("H1", "R1", "chores"), ("H2", "R1", "meals"), ("H3", "R1", "household"),
                 ("H1", "R2", "chores"), ("H2", "R2", "meals")],
        awareness=[("H1", "H3", "R1"), ("H3", "H1", "R1"), ("H2", "H3", "R1"), ("H3", "H2", "R1")],
        as_of=days(-90),
    )  # fmt: skip
    current = make_snapshot(
        residents=residents,
        helpers=helpers,
        support=[("H1", "R1", "chores"), ("H2", "R1", "meals"), ("H4", "R1", "household"),
                 ("H1", "R2", "chores"), ("H2", "R2", "meals")],
        awareness=[("H1", "H2", "R2"), ("H2", "H1", "R2")],
    )  # fmt: skip
    return current, earlier


def test_new_persisting_resolved_joined_left():
    current, earlier = _two_snapshots()
    agenda = build_agenda(current, earlier)
    assert (agenda.as_of, agenda.since) == (T, days(-90))
    r1 = _item(agenda, "R1")
    # S: unaware H1-H2 (H3 knew both: no no_overview); T: H4 replaced H3, nobody knows anybody
    assert list(zip(_types(r1.gaps), r1.statuses, strict=True)) == [
        (("no_overview", ()), "new"),
        (("unaware_pair", ("H1", "H2")), "persisting"),
        (("unaware_pair", ("H1", "H4")), "new"),
        (("unaware_pair", ("H2", "H4")), "new"),
    ]
    assert r1.resolved == []
    assert (r1.circle.joined, r1.circle.left) == (("H4",), ("H3",))
    assert r1.counts == {"high": 0, "medium": 4, "low": 0, "new": 3, "resolved": 0}
    # R2: its unaware pair is resolved, and it has no gap left: still on the agenda
    r2 = _item(agenda, "R2")
    assert r2.gaps == [] and _types(r2.resolved) == [("unaware_pair", ("H1", "H2"))]
    assert r2.counts["resolved"] == 1 and r2.introduction is None
    assert (r2.circle.joined, r2.circle.left) == ((), ())
    # R3 never had a gap
    assert [item.resident_id for item in agenda.items] == ["R1", "R2"]
    words = agenda_json(agenda)
    assert words["since"] == "2017-03-03"
    assert words["items"][1]["resolved"] == [
        {"type": "unaware_pair", "severity": "medium", "helpers": ["H1", "H2"], "domains": []}
    ]
    assert words["items"][0]["circle"] == {"joined": ["H4"], "left": ["H3"]}


def test_without_an_earlier_snapshot():
    current, _ = _two_snapshots()
    words = agenda_json(build_agenda(current, None))
    assert words["since"] is None
    assert [item["resident_id"] for item in words["items"]] == ["R1"]
    (item,) = words["items"]
    assert {gap["status"] for gap in item["gaps"]} == {None}
    assert item["circle"] is None and item["counts"]["new"] == 0 and item["counts"]["resolved"] == 0


# --- ranking, top, neighbourhood -----------------------------------------------------------------


def test_ranking_top_and_neighbourhood():
    helpers = {"H1": ("volunteer", None), "H2": ("volunteer", None)}
    residents = {
        "R1": ("Oost", ()),  # one medium (unaware pair)
        "R2": ("Oost", ("meals",)),  # one high (unmet need)
        "R3": ("West", ("meals",)),  # one high, new (not in S)
        "R4": ("West", ()),  # one low
        "R5": ("Oost", ("meals", "chores")),  # two high
        "R6": ("West", ("meals",)),  # one high, like R2
    }
    earlier = make_snapshot(residents={r: (a, n if r != "R3" else ()) for r, (a, n) in residents.items()},
                            helpers=helpers, as_of=days(-30),
                            support=[("H1", "R1", "chores"), ("H2", "R1", "meals")])  # fmt: skip
    current = make_snapshot(
        residents=residents,
        helpers=helpers,
        support=[
            ("H1", "R1", "chores"),
            ("H2", "R1", "meals"),
            ("H1", "R4", "chores"),
            ("H2", "R4", "meals"),
        ],
        awareness=[("H1", "H2", "R4")],
    )
    order = [item.resident_id for item in build_agenda(current, earlier).items]
    # R3's high gap is new; R2, R5, R6 had theirs in S already
    assert order == ["R3", "R5", "R2", "R6", "R1", "R4"]
    assert [item.rank for item in build_agenda(current, earlier).items] == [1, 2, 3, 4, 5, 6]
    assert [item.resident_id for item in build_agenda(current, None).items] == [
        "R5",
        "R2",
        "R3",
        "R6",
        "R1",
        "R4",
    ]
    assert [item.resident_id for item in build_agenda(current, earlier, top=2).items] == ["R3", "R5"]
    oost = build_agenda(current, earlier, neighbourhood="Oost")
    assert [item.resident_id for item in oost.items] == ["R5", "R2", "R1"]
    assert build_agenda(current, earlier, neighbourhood="Nergens").items == []


# --- meetings ------------------------------------------------------------------------------------


def test_meetings():
    helpers = {
        "H1": ("district_nurse", "O1"), "H2": ("household_help", "O2"), "H3": ("social_worker", "O3"),
        "H4": ("household_help", "O2"), "H5": ("practical_supporter", "O2"), "H6": ("volunteer", None),
        "H7": ("gp", "O3"),
    }  # fmt: skip
    residents = {"R1": ("Oost", ()), "R2": ("Oost", ()), "R3": ("West", ())}
    snapshot = make_snapshot(
        residents=residents,
        helpers=helpers,
        support=[
            # R1: one unaware pair each of O1-O2, O1-O3, O2-O3 (the volunteer has no organisation)
            ("H1", "R1", "nursing"), ("H2", "R1", "household"), ("H3", "R1", "daily_structure"),
            ("H6", "R1", "chores"),
            # R2: O1-O2 twice (H1-H4, H1-H5; H4-H5 are one organisation); O3's gp knows H1
            ("H1", "R2", "nursing"), ("H4", "R2", "household"), ("H5", "R2", "chores"),
            ("H7", "R2", "medication"),
            # West: known both ways, nothing to meet about
            ("H1", "R3", "nursing"), ("H2", "R3", "household"),
        ],
        awareness=[("H7", "H1", "R2"), ("H7", "H4", "R2"), ("H4", "H7", "R2"), ("H5", "H7", "R2"),
                   ("H1", "H2", "R3"), ("H2", "H1", "R3")],
    )  # fmt: skip
    agenda = build_agenda(snapshot, None)
    assert [(m.neighbourhood, m.a, m.b, m.unaware_pairs, m.shared_residents) for m in agenda.meetings] == [
        ("Oost", "O1", "O2", 3, 2),
        ("Oost", "O1", "O3", 1, 2),
        ("Oost", "O2", "O3", 1, 2),
    ]
    assert (
        agenda_json(agenda)["meetings"][0]["message"] == "Invite O1 and O2 to the same neighbourhood meeting"
    )
    assert build_agenda(snapshot, None, neighbourhood="West").meetings == []
    assert build_agenda(snapshot, None, top=0).meetings == agenda.meetings


def test_at_most_ten_meetings_per_neighbourhood():
    organisations = [f"O{n:02d}" for n in range(6)]  # 15 pairs in one circle
    helpers = {f"H{n}": ("district_nurse", organisation) for n, organisation in enumerate(organisations)}
    snapshot = make_snapshot(helpers=helpers, support=[(helper, "R1", "nursing") for helper in helpers])
    meetings = build_agenda(snapshot, None).meetings
    assert len(meetings) == MEETINGS_PER_NEIGHBOURHOOD
    assert [(m.a, m.b) for m in meetings][:3] == [("O00", "O01"), ("O00", "O02"), ("O00", "O03")]


# --- the json object -----------------------------------------------------------------------------


def test_json_shape_and_language(vignettes):
    english, dutch = (
        agenda_json(build_agenda(vignettes, None), "en"),
        agenda_json(build_agenda(vignettes, None), "nl"),
    )
    assert list(english) == ["schema", "as_of", "since", "neighbourhood", "items", "meetings"]
    assert english["schema"] == AGENDA_SCHEMA and english["as_of"] == "2024-06-01"
    item = english["items"][0]
    assert list(item) == ["rank", "resident_id", "neighbourhood", "counts", "gaps", "resolved",
                          "introduction", "overview_holder", "circle"]  # fmt: skip
    assert list(item["gaps"][0]) == ["type", "severity", "helpers", "domains", "status", "message", "action"]
    assert [i["resident_id"] for i in english["items"]] == [i["resident_id"] for i in dutch["items"]]
    assert english["items"][0]["gaps"][0]["message"] != dutch["items"][0]["gaps"][0]["message"]
    for meeting in english["meetings"]:
        assert meeting["message"].startswith("Invite ")


# --- the property --------------------------------------------------------------------------------


def _introduced(snapshot, resident, pair):
    """The snapshot with the pair's two coordinating rows for the resident (replacing theirs)."""
    a, b = pair
    awareness = snapshot.awareness
    every = contact_intervals(awareness).get((resident, a, b))
    theirs = (awareness["resident_id"] == resident) & (
        ((awareness["helper_id"] == a) & (awareness["about_helper_id"] == b))
        | ((awareness["helper_id"] == b) & (awareness["about_helper_id"] == a))
    )
    added = pd.DataFrame(
        [{"helper_id": x, "about_helper_id": y, "resident_id": resident, "level": "coordinating",
          "last_contact": snapshot.as_of, "contact_every_days": every, "observed_on": snapshot.as_of}
         for x, y in ((a, b), (b, a))],
        dtype=object,
    )  # fmt: skip
    changed = type(snapshot)(**{**snapshot.__dict__})
    changed.awareness = pd.concat([awareness[~theirs], added[list(awareness.columns)]], ignore_index=True)
    return changed


def _gaps_of(snapshot, resident):
    return [gap for gap in analyse(snapshot).gaps if gap.resident_id == resident]


def _key(gap):
    return (gap.type, gap.helpers, gap.domains)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots())
def test_the_introduction_closes_exactly_what_it_says_and_no_pair_does_better(snapshot):
    """Re-analysing with the pair's rows added removes exactly the gaps the introduction closes,
    and no pair of the circle closes more (brute force, the whole analysis per pair). Two gaps
    may share an identity (P delegated to D and D to P): both close, both count."""
    agenda = build_agenda(snapshot, None)
    members = analyse(snapshot).circles
    for item in agenda.items:
        before = _gaps_of(snapshot, item.resident_id)
        circle = members.members(item.resident_id)
        best = None
        for i, a in enumerate(circle):
            for b in circle[i + 1 :]:
                after = {
                    _key(gap)
                    for gap in _gaps_of(_introduced(snapshot, item.resident_id, (a, b)), item.resident_id)
                }
                closed = [gap for gap in before if _key(gap) not in after]
                weight = sum({"high": 3, "medium": 2, "low": 1}[g.severity] for g in closed)
                key = (-weight, -sum(g.severity == "high" for g in closed), (a, b))
                if weight and (best is None or key < best[0]):
                    best = (key, (a, b), sorted(map(_key, closed)))
        introduction = item.introduction
        if best is None:
            assert introduction is None
            continue
        assert introduction is not None
        assert introduction.helpers == best[1]
        assert sorted(map(_key, introduction.closes)) == best[2]


def test_an_analysed_snapshot_gives_the_same_earlier_gaps_as_the_snapshot(vignettes):
    from graph.analysis.agenda import analysed_gaps, earlier_gaps

    assert analysed_gaps(analyse(vignettes)) == earlier_gaps(vignettes)
    assert earlier_gaps(vignettes).gaps  # the vignettes have gaps to compare
