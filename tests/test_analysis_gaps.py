"""Every gap type of SPEC §5, computed by hand, with its boundaries."""

import pytest

from graph.analysis import analyse
from graph.vocabulary import UNRECORDED
from tests.analysis_helpers import T, days, gaps_of, make_snapshot

NURSE = ("district_nurse", "ORG1")
HOUSEHOLD = ("household_help", "ORG2")
COLLEAGUE = ("district_nurse", "ORG1")
VOLUNTEER = ("volunteer", None)
NEIGHBOUR = ("neighbour", None)
CAREGIVER = ("informal_caregiver", None)
AMBULANT = ("ambulant_supporter", "ORG3")


def three_helpers(awareness=(), **extra):
    return make_snapshot(
        helpers={"A": NURSE, "B": HOUSEHOLD, "C": VOLUNTEER},
        support=[("A", "R1", "nursing"), ("B", "R1", "household"), ("C", "R1", "chores")],
        awareness=awareness,
        **extra,
    )


# --- circles: who counts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "active"),
    [
        (None, None, True),
        (T, None, True),  # starts exactly on T
        (days(1), None, False),  # starts after T
        (None, T, True),  # ends exactly on T
        (None, days(-1), False),  # ended before T
        (days(-10), days(10), True),
    ],
)
def test_support_is_active_from_start_to_end_inclusive(start, end, active):
    snapshot = make_snapshot(
        helpers={"A": NURSE, "B": HOUSEHOLD},
        support=[("A", "R1", "nursing"), ("B", "R1", "household", 2.0, start, end)],
    )
    expected = [("unaware_pair", "R1", ("A", "B"), ())] if active else []
    assert gaps_of(snapshot, "unaware_pair") == expected


def test_empty_and_single_circles_have_no_pair_gaps():
    empty = make_snapshot(residents={"R1": ("Stedenwijk", ())})
    single = make_snapshot(helpers={"A": NURSE}, support=[("A", "R1", "nursing")])
    assert gaps_of(empty) == gaps_of(single) == []


# --- awareness pairs -------------------------------------------------------------------------


def test_unaware_and_one_sided_pairs():
    snapshot = three_helpers(awareness=[("A", "B", "R1"), ("C", "A", "R1", "coordinating"), ("A", "C", "R1")])
    assert gaps_of(snapshot, "unaware_pair", "one_sided_awareness") == [
        ("one_sided_awareness", "R1", ("A", "B"), ()),
        ("unaware_pair", "R1", ("B", "C"), ()),
    ]


def test_level_none_is_not_knowing_and_rows_outside_the_circle_play_no_part():
    snapshot = make_snapshot(
        residents={"R1": ("Stedenwijk", ()), "R2": ("Stedenwijk", ())},
        helpers={"A": NURSE, "B": HOUSEHOLD},
        support=[("A", "R1", "nursing"), ("B", "R1", "household"), ("A", "R2", "nursing")],
        # "none" does not count; A knows B for R2, where B is not in the circle
        awareness=[("A", "B", "R1", "none"), ("B", "A", "R1", "none"), ("A", "B", "R2", "aware")],
    )
    assert gaps_of(snapshot, "unaware_pair", "one_sided_awareness") == [
        ("unaware_pair", "R1", ("A", "B"), ())
    ]


def test_one_sided_message_names_who_knows_whom():
    snapshot = three_helpers(awareness=[("B", "A", "R1")])
    (gap,) = [g for g in analyse(snapshot).gaps if g.type == "one_sided_awareness"]
    assert gap.helpers == ("A", "B")
    assert (
        gap.text("en")[0]
        == "The household help (B) knows of the district nurse (A), but not the other way round"
    )
    assert (
        gap.text("nl")[0]
        == "De huishoudelijke hulp (B) weet van de wijkverpleegkundige (A), maar niet andersom"
    )


# --- caregivers ------------------------------------------------------------------------------


def test_caregiver_unseen_needs_a_formal_helper_in_the_circle():
    only_informal = make_snapshot(
        helpers={"C": CAREGIVER, "V": VOLUNTEER}, support=[("C", "R1", "meals"), ("V", "R1", "chores")]
    )
    assert gaps_of(only_informal, "caregiver_unseen") == []


def test_caregiver_unseen_unless_a_formal_helper_knows_them():
    def snapshot(awareness):
        return make_snapshot(
            helpers={"A": NURSE, "B": HOUSEHOLD, "C": CAREGIVER, "V": VOLUNTEER},
            support=[
                ("A", "R1", "nursing"),
                ("B", "R1", "household"),
                ("C", "R1", "meals"),
                ("V", "R1", "chores"),
            ],
            awareness=awareness,
        )

    unseen = [("caregiver_unseen", "R1", ("C",), ())]
    assert gaps_of(snapshot([]), "caregiver_unseen") == unseen
    # the caregiver knowing the nurse, or a volunteer knowing the caregiver, is not being seen
    assert gaps_of(snapshot([("C", "A", "R1"), ("V", "C", "R1")]), "caregiver_unseen") == unseen
    assert gaps_of(snapshot([("A", "C", "R1", "none")]), "caregiver_unseen") == unseen
    assert gaps_of(snapshot([("B", "C", "R1")]), "caregiver_unseen") == []


@pytest.mark.parametrize(
    ("hours", "overloaded"),
    [((8.0,), False), ((4.0, 4.0), False), ((4.25, 4.25), True), ((8.5,), True), ((6.0, 2.5), True)],
)
def test_caregiver_overload_sums_active_hours_over_all_residents(hours, overloaded):
    residents = {f"R{i}": ("Stedenwijk", ()) for i in range(1, len(hours) + 1)}
    support = [("C", f"R{i}", "meals", h) for i, h in enumerate(hours, start=1)]
    support.append(("C", "R1", "meals", 20.0, days(-300), days(-1)))  # ended: does not count
    snapshot = make_snapshot(residents=residents, helpers={"C": CAREGIVER}, support=support)
    expected = [("caregiver_overload", r, ("C",), ()) for r in residents] if overloaded else []
    assert gaps_of(snapshot, "caregiver_overload") == expected


# --- overview --------------------------------------------------------------------------------


def test_no_overview_only_from_three_helpers_and_only_when_nobody_knows_all():
    everyone = [("A", "B", "R1"), ("A", "C", "R1")]  # A knows everyone
    assert gaps_of(three_helpers(everyone), "no_overview") == []
    partial = [("A", "B", "R1"), ("B", "C", "R1"), ("C", "A", "R1")]
    assert gaps_of(three_helpers(partial), "no_overview") == [("no_overview", "R1", (), ())]
    two = make_snapshot(
        helpers={"A": NURSE, "B": HOUSEHOLD}, support=[("A", "R1", "nursing"), ("B", "R1", "household")]
    )
    assert gaps_of(two, "no_overview") == []


# --- overlaps --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("b", "awareness", "expected"),
    [
        (HOUSEHOLD, [], True),  # different organisations
        (COLLEAGUE, [], False),  # same organisation
        (VOLUNTEER, [], True),  # no organisation is never the same
        (
            HOUSEHOLD,
            [("A", "B", "R1", "aware"), ("B", "A", "R1", "aware")],
            True,
        ),  # aware is not coordinating
        (HOUSEHOLD, [("B", "A", "R1", "coordinating")], False),  # coordinating in one direction is enough
    ],
    ids=["other organisation", "same organisation", "no organisation", "aware only", "coordinating"],
)
def test_uncoordinated_overlap(b, awareness, expected):
    snapshot = make_snapshot(
        helpers={"A": NURSE, "B": b},
        support=[
            ("A", "R1", "nursing|personal_care|medication"),
            ("B", "R1", "personal_care|medication|household"),
        ],
        awareness=awareness,
    )
    gap = [("uncoordinated_overlap", "R1", ("A", "B"), ("medication", "personal_care"))]
    assert gaps_of(snapshot, "uncoordinated_overlap") == (gap if expected else [])


def test_two_volunteers_without_organisation_overlap_and_inactive_domains_do_not():
    snapshot = make_snapshot(
        helpers={"V": VOLUNTEER, "W": NEIGHBOUR},
        support=[
            ("V", "R1", "chores"),
            ("W", "R1", "chores"),
            ("W", "R1", "meals", 1.0, None, days(-1)),
            ("V", "R1", "meals"),
        ],
    )
    assert gaps_of(snapshot, "uncoordinated_overlap") == [
        ("uncoordinated_overlap", "R1", ("V", "W"), ("chores",))
    ]


def test_tasks_not_recorded_overlap_with_no_one_cover_no_need_and_are_no_need():
    snapshot = make_snapshot(
        residents={"R1": ("Stedenwijk", ("household", UNRECORDED))},
        helpers={"V": VOLUNTEER, "W": NEIGHBOUR},
        support=[("V", "R1", UNRECORDED), ("W", "R1", UNRECORDED)],
    )
    # both are in the circle (an unaware pair), yet share no task and cover no need; and a need
    # "tasks not recorded" is none (nothing could cover it)
    assert gaps_of(snapshot) == [
        ("unaware_pair", "R1", ("V", "W"), ()),
        ("unmet_need", "R1", (), ("household",)),
    ]


# --- needs -----------------------------------------------------------------------------------


def test_unmet_need_per_uncovered_domain_and_inactive_rows_do_not_cover():
    snapshot = make_snapshot(
        residents={"R1": ("Stedenwijk", ("household", "nursing", "administration", "tuin"))},
        helpers={"A": NURSE, "B": HOUSEHOLD},
        support=[("A", "R1", "nursing"), ("B", "R1", "household", 3.0, days(1), None)],
    )
    assert gaps_of(snapshot, "unmet_need") == [
        ("unmet_need", "R1", (), ("administration",)),
        ("unmet_need", "R1", (), ("household",)),
        ("unmet_need", "R1", (), ("tuin",)),
    ]
    empty = make_snapshot(residents={"R2": ("Stedenwijk", ("meals",))})
    assert gaps_of(empty) == [("unmet_need", "R2", (), ("meals",))]


# --- contact ---------------------------------------------------------------------------------


def _contact(rows):
    return make_snapshot(
        helpers={"P": ("practical_supporter", "ORG2"), "A": AMBULANT},
        support=[("P", "R1", "household"), ("A", "R1", "daily_structure")],
        awareness=rows,
    )


@pytest.mark.parametrize(
    ("rows", "stale"),
    [
        ([("P", "A", "R1", "coordinating", days(-28), 14)], False),  # exactly 2k
        ([("P", "A", "R1", "coordinating", days(-29), 14)], True),  # 2k + 1
        ([("P", "A", "R1", "coordinating", None, 14)], True),  # never recorded
        # latest contact over both directions; smallest interval over both directions
        (
            [
                ("P", "A", "R1", "coordinating", days(-40), 14),
                ("A", "P", "R1", "coordinating", days(-10), None),
            ],
            False,
        ),
        ([("P", "A", "R1", "coordinating", days(-20), 30), ("A", "P", "R1", "coordinating", None, 7)], True),
        ([("P", "A", "R1", "coordinating", None, None)], False),  # no agreed interval: never stale
        ([("P", "A", "R1", "aware", None, 14)], False),  # an interval on a non-coordinating row
    ],
    ids=["2k", "2k+1", "no contact", "latest of both", "smallest interval", "no interval", "aware only"],
)
def test_stale_contact(rows, stale):
    expected = [("stale_contact", "R1", ("A", "P"), ())] if stale else []
    assert gaps_of(_contact(rows), "stale_contact") == expected


def _delegated(awareness, delegator_active=True):
    end = None if delegator_active else days(-1)
    return make_snapshot(
        helpers={"P": ("practical_supporter", "ORG2"), "A": AMBULANT},
        support=[
            ("P", "R1", "administration", 0.5, None, None, "A"),
            ("A", "R1", "daily_structure", 2.0, None, end),
        ],
        awareness=awareness,
    )


@pytest.mark.parametrize(
    ("awareness", "delegator_active", "reason"),
    [
        ([("P", "A", "R1", "coordinating", days(-5), 14)], True, None),
        ([("P", "A", "R1", "coordinating", days(-5), None)], True, None),  # coordinating, no agreed interval
        ([("P", "A", "R1", "coordinating", days(-5), 14)], False, "outside"),
        ([("P", "A", "R1", "aware"), ("A", "P", "R1", "aware")], True, "none"),
        ([], True, "none"),
        ([("A", "P", "R1", "coordinating", days(-29), 14)], True, "stale"),
    ],
    ids=["fresh", "no interval", "delegator gone", "aware only", "no rows", "stale"],
)
def test_delegation_without_contact(awareness, delegator_active, reason):
    gaps = [
        g
        for g in analyse(_delegated(awareness, delegator_active)).gaps
        if g.type == "delegation_without_contact"
    ]
    if reason is None:
        assert gaps == []
        return
    (gap,) = gaps
    assert (gap.resident_id, gap.helpers, gap.domains, gap.severity) == ("R1", ("A", "P"), (), "high")
    assert dict(gap.details)["reason"] == reason
    assert gap.text("en")[0].startswith(
        "The practical supporter (P) does a task delegated by the ambulant support worker (A)"
    )


def test_severities_and_messages_exist_for_every_type():
    from graph.analysis import GAP_TYPES, SEVERITY

    assert SEVERITY == {
        "unaware_pair": "medium",
        "one_sided_awareness": "low",
        "caregiver_unseen": "high",
        "no_overview": "medium",
        "uncoordinated_overlap": "high",
        "unmet_need": "high",
        "stale_contact": "medium",
        "delegation_without_contact": "high",
        "caregiver_overload": "medium",
    }
    assert len(GAP_TYPES) == 9


def test_gaps_are_sorted_by_resident_type_helpers():
    snapshot = make_snapshot(
        residents={"R2": ("Stedenwijk", ("meals",)), "R1": ("Stedenwijk", ("chores",))},
        helpers={"A": NURSE, "B": HOUSEHOLD, "C": VOLUNTEER},
        support=[
            ("B", "R2", "household"),
            ("A", "R2", "nursing"),
            ("C", "R2", "chores"),
            ("A", "R1", "nursing"),
        ],
    )
    assert gaps_of(snapshot) == [
        ("unmet_need", "R1", (), ("chores",)),
        ("no_overview", "R2", (), ()),
        ("unaware_pair", "R2", ("A", "B"), ()),
        ("unaware_pair", "R2", ("A", "C"), ()),
        ("unaware_pair", "R2", ("B", "C"), ()),
        ("unmet_need", "R2", (), ("meals",)),
    ]
