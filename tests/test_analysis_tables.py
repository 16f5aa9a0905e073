"""The tables SPEC §5 is written over, checked against the SPEC's words; one function per gap type."""

import gc
from datetime import date
from itertools import combinations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import GAP_TYPES, analyse, analyse_parts, to_json
from graph.analysis.circles import circle_tables, is_active
from graph.analysis.gaps import CIRCLE_GAPS, caregiver_overload
from tests.analysis_helpers import T, make_snapshot
from tests.strategies import snapshots

dates = st.none() | st.dates(min_value=date(2017, 5, 1), max_value=date(2017, 7, 1))


def test_one_function_per_row_of_the_spec_table_in_its_order():
    functions = [*CIRCLE_GAPS, caregiver_overload]
    assert [function.__name__ for function in functions] == list(GAP_TYPES)
    for function in functions:
        assert function.__doc__.startswith("One gap per "), function.__name__


@given(rows=st.lists(st.tuples(dates, dates), max_size=20))
def test_active_is_one_rule_for_one_row_and_for_a_whole_column(rows):
    def by_the_spec(start, end):
        return (start is None or start <= T) and (end is None or end >= T)

    starts = pd.Series([start for start, _ in rows], dtype=object)
    ends = pd.Series([end for _, end in rows], dtype=object)
    expected = [by_the_spec(start, end) for start, end in rows]
    assert is_active(starts, ends, T).tolist() == expected
    assert [is_active(start, end, T) for start, end in rows] == expected


@settings(max_examples=150)
@given(snapshot=snapshots())
def test_circles_knows_and_pairs_are_spec_5_by_hand(snapshot):
    as_of = snapshot.as_of
    circle: dict[str, set[str]] = {}
    for row in snapshot.support.to_dict("records"):
        if (row["start_date"] is None or row["start_date"] <= as_of) and (
            row["end_date"] is None or row["end_date"] >= as_of
        ):
            circle.setdefault(row["resident_id"], set()).add(row["helper_id"])
    knows, coordinating = set(), set()
    for row in snapshot.awareness.to_dict("records"):
        members = circle.get(row["resident_id"], set())
        if (
            row["level"] in ("aware", "coordinating")
            and {row["helper_id"], row["about_helper_id"]} <= members
        ):
            knows.add((row["resident_id"], row["helper_id"], row["about_helper_id"]))
            if row["level"] == "coordinating":
                coordinating.add((row["resident_id"], row["helper_id"], row["about_helper_id"]))

    tables = circle_tables(snapshot)
    residents, helpers = tables.residents.id, tables.helpers.id
    members = list(zip(residents[tables.members.resident], helpers[tables.members.helper], strict=True))
    assert members == sorted((r, h) for r, hs in circle.items() for h in hs)
    pairs = tables.pairs
    flags = {
        (r, a, b): (ab, ba, co)
        for r, a, b, ab, ba, co in zip(
            residents[pairs.resident], helpers[pairs.a], helpers[pairs.b],
            pairs.a_knows_b, pairs.b_knows_a, pairs.coordinating, strict=True,
        )
    }  # fmt: skip
    assert sorted(flags) == sorted(
        (r, a, b) for r, hs in circle.items() for a, b in combinations(sorted(hs), 2)
    )
    for (r, a, b), found in flags.items():
        assert found == (
            (r, a, b) in knows,
            (r, b, a) in knows,
            (r, a, b) in coordinating or (r, b, a) in coordinating,
        )
    # each member's count of the others it knows
    known = dict(zip(members, tables.members.others_known.tolist(), strict=True))
    for r, h in members:
        assert known[r, h] == sum((r, h, other) in knows for other in circle[r] if other != h)


def test_the_analysis_leaves_the_cycle_collector_alone(monkeypatch):
    """It runs inside the dashboard's threaded server: pausing the process-wide collector there
    would pause it for every other request too (only the command line pauses it)."""
    from dashboards.data import build_view
    from graph.stores import SnapshotInfo

    calls = []
    for name in ("disable", "enable", "freeze"):
        monkeypatch.setattr(gc, name, lambda name=name: calls.append(name))
    snapshot = make_snapshot(
        helpers={"A": ("district_nurse", "ORG1"), "C": ("informal_caregiver", None)},
        support=[("A", "R1", "nursing"), ("C", "R1", "meals", 9.0)],
    )
    analysis = analyse(snapshot)
    analyse_parts(snapshot.neighbourhood_parts(), snapshot.as_of)
    for role in ("team", "policy"):
        to_json(analysis, role=role)
    build_view(SnapshotInfo(snapshot.as_of, "test", "2017-06-01T00:00:00", {}), snapshot)
    assert calls == []


@pytest.mark.parametrize("level", ["aware", "coordinating"])
def test_awareness_of_oneself_or_outside_the_circle_plays_no_part(level):
    snapshot = make_snapshot(
        helpers={"A": ("district_nurse", "ORG1"), "B": ("household_help", "ORG2"), "X": ("gp", "ORG3")},
        support=[("A", "R1", "nursing"), ("B", "R1", "household")],
        awareness=[("A", "A", "R1", level), ("A", "X", "R1", level), ("X", "B", "R1", level)],
    )
    tables = circle_tables(snapshot)
    assert len(tables.knows) == 0
    assert tables.members.others_known.tolist() == [0, 0]
