"""Invariants of the analysis on random valid snapshots (hypothesis)."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import GAP_TYPES, analyse, analyse_parts, to_json
from tests.strategies import snapshots


@settings(max_examples=150)
@given(snapshot=snapshots())
def test_shares_lie_between_0_and_1_and_counts_add_up(snapshot):
    analysis = analyse(snapshot)
    for row in analysis.residents:
        if row["circle_size"] < 2:
            assert row["awareness_coverage"] is None and row["mutual_share"] is None
        else:
            assert 0 <= row["mutual_share"] <= row["awareness_coverage"] <= 1
        assert row["formal"] + row["informal"] + row["caregivers"] == row["circle_size"]
    assert sum(r["gap_count"] for r in analysis.residents) == len(analysis.gaps)
    assert sum(analysis.overall.gaps_by_type.values()) == len(analysis.gaps)
    for gap_type in GAP_TYPES:
        per_area = sum(a.gaps_by_type[gap_type] for a in analysis.neighbourhoods)
        assert per_area == analysis.overall.gaps_by_type[gap_type]
    for share in (analysis.overall.mean_awareness_coverage, analysis.overall.caregiver_visibility):
        assert share is None or 0 <= share <= 1
    for row in analysis.organisations:
        assert 0 <= row.mutual_share <= row.aware_share <= 1 and row.a < row.b
    keys = [g.sort_key() for g in analysis.gaps]
    assert keys == sorted(keys)


@settings(max_examples=150)
@given(snapshot=snapshots(), data=st.data())
def test_adding_an_awareness_row_never_adds_an_unaware_pair(snapshot, data):
    helpers = snapshot.helpers["helper_id"].tolist()
    residents = snapshot.residents["resident_id"].tolist()
    if len(helpers) < 2:
        return
    helper, about = data.draw(st.lists(st.sampled_from(helpers), min_size=2, max_size=2, unique=True))
    resident = data.draw(st.sampled_from(residents))
    level = data.draw(st.sampled_from(["none", "aware", "coordinating"]))
    before = {(g.resident_id, g.helpers) for g in analyse(snapshot).gaps if g.type == "unaware_pair"}
    awareness = snapshot.awareness
    duplicate = (
        awareness["helper_id"].eq(helper)
        & awareness["about_helper_id"].eq(about)
        & awareness["resident_id"].eq(resident)
    )
    if duplicate.any():
        return
    row = {"helper_id": helper, "about_helper_id": about, "resident_id": resident, "level": level,
           "last_contact": None, "contact_every_days": None, "observed_on": None}  # fmt: skip
    snapshot.awareness = pd.concat([awareness, pd.DataFrame([row], dtype=object)], ignore_index=True)
    after = {(g.resident_id, g.helpers) for g in analyse(snapshot).gaps if g.type == "unaware_pair"}
    assert after <= before


@settings(max_examples=150)
@given(snapshot=snapshots(), data=st.data())
def test_a_residents_gaps_depend_only_on_its_own_circle_except_overload(snapshot, data):
    residents = snapshot.residents["resident_id"].tolist()
    if len(residents) < 2:
        return
    kept, removed = data.draw(st.lists(st.sampled_from(residents), min_size=2, max_size=2, unique=True))

    def gaps_of_kept(s):
        return [g for g in analyse(s).gaps if g.resident_id == kept and g.type != "caregiver_overload"]

    before = gaps_of_kept(snapshot)
    for table in ("residents", "support", "awareness"):
        frame = snapshot.table(table)
        setattr(snapshot, table, frame[frame["resident_id"].ne(removed)].reset_index(drop=True))
    assert gaps_of_kept(snapshot) == before


@settings(max_examples=150)
@given(snapshot=snapshots())
def test_analysing_one_neighbourhood_at_a_time_gives_exactly_the_whole_analysis(snapshot):
    whole = to_json(analyse(snapshot))
    parts = to_json(analyse_parts(snapshot.neighbourhood_parts(), snapshot.as_of))
    assert parts == whole
    # in any other split too (caregiver hours add up across parts)
    residents = sorted(snapshot.residents["resident_id"])
    halves = [snapshot.part(set(residents[::2])), snapshot.part(set(residents[1::2]))]
    assert to_json(analyse_parts(halves, snapshot.as_of)) == whole
