"""The evaluation over time (SPEC §11): figures per group, the difference in differences, its
cluster bootstrap interval, organisation pairs over time, and what the policy role may see."""

import random
import re
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import analyse
from graph.analysis.disclosure import publish
from graph.analysis.evaluation import RESAMPLES, Contributions, evaluate
from graph.analysis.evaluation_words import evaluation_json
from tests.analysis_helpers import make_snapshot
from tests.strategies import snapshots

F, M, L = date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)
#: how a resident's nurse and household help know each other -> the resident's coverage
COVERAGE = {"both": 1.0, "one": 0.5, "none": 0.0}


def village(as_of: date, areas: dict[str, list[str]], caregivers: dict[str, list[bool]] | None = None):
    """A snapshot of residents each with a nurse (ORG1) and a household help (ORG2) who know each
    other both ways, one way or not ("both", "one", "none"), per neighbourhood; ``caregivers``
    gives, per neighbourhood, residents (the first ones) a caregiver the nurse knows (True) or not."""
    residents, helpers, support, awareness = {}, {}, [], []
    for area, codes in areas.items():
        seen = (caregivers or {}).get(area, [])
        for number, code in enumerate(codes):
            resident = f"{area[:2]}{number}"
            nurse, help_, carer = f"N-{resident}", f"W-{resident}", f"C-{resident}"
            residents[resident] = (area, ())
            helpers |= {nurse: ("district_nurse", "ORG1"), help_: ("household_help", "ORG2")}
            support += [(nurse, resident, "nursing"), (help_, resident, "household")]
            if code in ("both", "one"):
                awareness.append((nurse, help_, resident))
            if code == "both":
                awareness.append((help_, nurse, resident))
            if number < len(seen):
                helpers[carer] = ("informal_caregiver", None)
                support.append((carer, resident, "social_contact"))
                if seen[number]:
                    awareness.append((nurse, carer, resident))
    return analyse(make_snapshot(residents, helpers, support, awareness, as_of=as_of))


def coverage_did(first: dict, last: dict, **options):
    evaluation = evaluate([village(F, first), village(L, last)], "Pilot", **options)
    return evaluation, evaluation.differences["mean_awareness_coverage"]


# --- figures and the difference in differences ------------------------------------------------------


def test_a_known_effect_is_estimated_and_its_interval_excludes_zero():
    before = {"Pilot": ["none", "both"] * 100, "Rest": ["none", "both"] * 100}
    after = {"Pilot": ["both"] * 150 + ["none"] * 50, "Rest": ["none", "both"] * 100}
    evaluation, difference = coverage_did(before, after)
    assert difference.estimate == pytest.approx(0.25)  # pilot 0.5 -> 0.75, rest 0.5 -> 0.5
    assert 0 < difference.low < 0.25 < difference.high
    assert difference.finding == "higher"
    rows = {(row.as_of, row.group): row for row in evaluation.snapshots}
    assert rows[L, "pilot"].mean_awareness_coverage == pytest.approx(0.75)
    assert rows[F, "rest"].residents_with_circle == 200


def test_no_effect_gives_no_clear_difference():
    both = {"Pilot": ["none", "one", "both"] * 10, "Rest": ["none", "one", "both"] * 12}
    _, difference = coverage_did(both, both)
    assert difference.estimate == pytest.approx(0.0)
    assert difference.low < 0 < difference.high
    assert difference.finding == "unclear"


def test_a_fall_in_the_pilot_is_lower():
    before = {"Pilot": ["both"] * 30, "Rest": ["one"] * 30}
    after = {"Pilot": ["none"] * 20 + ["both"] * 10, "Rest": ["one"] * 30}
    _, difference = coverage_did(before, after)
    assert difference.estimate == pytest.approx(-2 / 3)
    assert difference.high < 0 and difference.finding == "lower"


def test_fewer_residents_give_a_wider_interval():
    def width(n: int) -> float:
        before = {"Pilot": ["none", "both"] * n, "Rest": ["none", "both"] * n}
        after = {"Pilot": ["one", "both"] * n, "Rest": ["none", "both"] * n}
        _, difference = coverage_did(before, after)
        return difference.high - difference.low

    assert width(4) > 2 * width(60)


def test_a_small_pilot_is_called_small_however_narrow_its_interval():
    before = {"Pilot": ["both"] * 6, "Rest": ["one"] * 60}
    after = {"Pilot": ["both"] * 6, "Rest": ["one"] * 60}
    evaluation, difference = coverage_did(before, after)
    assert difference.few and not difference.wide
    words = evaluation_json(evaluation)["did"]["mean_awareness_coverage"]["verdict"]
    assert "Pilot has only 6 residents to compare, so the interval says little" in words
    _, larger = coverage_did({**before, "Pilot": ["both"] * 40}, {**after, "Pilot": ["both"] * 40})
    assert not larger.few


def test_the_bootstrap_is_reproducible_with_its_seed():
    before = {"Pilot": ["none", "one", "both"] * 5, "Rest": ["none", "both"] * 9}
    after = {"Pilot": ["one", "both", "both"] * 5, "Rest": ["one", "both"] * 9}
    _, one = coverage_did(before, after)
    _, again = coverage_did(before, after)
    _, other = coverage_did(before, after, seed=12)
    assert (one.low, one.high) == (again.low, again.high)
    assert (one.low, one.high) != (other.low, other.high)
    assert other.estimate == one.estimate


def test_the_interval_is_a_cluster_bootstrap_of_residents():
    """Caregiver visibility resamples residents, each with all its caregivers: compared with an
    independent, plain cluster bootstrap (another random generator) of the same four cells."""
    pilot_first = [(3, 0)] * 6 + [(1, 1)] * 6  # (caregivers, seen) per resident
    pilot_last = [(3, 3)] * 6 + [(1, 0)] * 6
    rest = [(1, 1), (1, 0)] * 10
    cells = {
        ("pilot", "from"): pilot_first,
        ("pilot", "to"): pilot_last,
        ("rest", "from"): rest,
        ("rest", "to"): rest,
    }
    generator = random.Random(5)

    def ratio(residents):
        drawn = [generator.choice(residents) for _ in residents]
        return sum(s for _, s in drawn) / sum(c for c, _ in drawn)

    plain = sorted(
        (ratio(cells["pilot", "to"]) - ratio(cells["pilot", "from"]))
        - (ratio(cells["rest", "to"]) - ratio(cells["rest", "from"]))
        for _ in range(4000)
    )
    analyses = [_caregiver_village(F, pilot_first, rest), _caregiver_village(L, pilot_last, rest)]
    difference = evaluate(analyses, "Pilot").differences["caregiver_visibility"]
    assert difference.estimate == pytest.approx(18 / 24 - 6 / 24)
    assert difference.low == pytest.approx(plain[100], abs=0.04)
    assert difference.high == pytest.approx(plain[3899], abs=0.04)
    # resampling caregivers one by one instead would give a much narrower interval
    assert difference.high - difference.low > 0.45


def _caregiver_village(as_of: date, pilot: list[tuple[int, int]], rest: list[tuple[int, int]]):
    residents, helpers, support, awareness = {}, {}, [], []
    for area, counts in (("Pilot", pilot), ("Rest", rest)):
        for number, (caregivers, seen) in enumerate(counts):
            resident, nurse = f"{area}{number}", f"N-{area}{number}"
            residents[resident] = (area, ())
            helpers[nurse] = ("district_nurse", "ORG1")
            support.append((nurse, resident, "nursing"))
            for c in range(caregivers):
                carer = f"C{c}-{resident}"
                helpers[carer] = ("informal_caregiver", None)
                support.append((carer, resident, "social_contact"))
                if c < seen:
                    awareness.append((nurse, carer, resident))
    return analyse(make_snapshot(residents, helpers, support, awareness, as_of=as_of))


def test_resampling_a_cell_draws_whole_residents():
    cell = Contributions(np.array([0.0, 3.0]), np.array([1, 3]))
    ratios = cell.resampled(np.random.default_rng(1), 400)
    # two residents: both the first (0/2), both the second (6/6), or one of each (3/4)
    assert set(np.round(ratios, 6)) == {0.0, 0.75, 1.0}
    assert len(ratios) == 400 == len(cell.resampled(np.random.default_rng(1), 400))


def test_the_middle_snapshots_are_listed_but_the_difference_is_first_to_last():
    first = {"Pilot": ["none"] * 10, "Rest": ["none"] * 10}
    middle = {"Pilot": ["both"] * 10, "Rest": ["none"] * 10}
    last = {"Pilot": ["one"] * 10, "Rest": ["none"] * 10}
    evaluation = evaluate([village(F, first), village(M, middle), village(L, last)], "Pilot")
    assert [(row.as_of, row.group) for row in evaluation.snapshots] == [
        (day, group) for day in (F, M, L) for group in ("pilot", "rest")
    ]
    assert evaluation.differences["mean_awareness_coverage"].estimate == pytest.approx(0.5)


def test_a_pilot_missing_from_a_snapshot_has_no_difference():
    evaluation = evaluate(
        [village(F, {"Rest": ["both"] * 10}), village(L, {"Pilot": ["both"] * 10, "Rest": ["none"] * 10})],
        "Pilot",
    )
    first_pilot = evaluation.snapshots[0]
    assert (first_pilot.group, first_pilot.residents_with_circle, first_pilot.mean_awareness_coverage) == (
        "pilot",
        0,
        None,
    )
    assert evaluation.differences["mean_awareness_coverage"].estimate is None
    assert "no figure" in evaluation_json(evaluation)["did"]["mean_awareness_coverage"]["verdict"]


# --- the policy role ---------------------------------------------------------------------------------


def test_a_group_under_k_is_hidden_and_its_difference_is_null_for_policy():
    before = {"Pilot": ["none"] * 3, "Rest": ["none", "both"] * 20}
    after = {"Pilot": ["both"] * 3, "Rest": ["none", "both"] * 20}
    analyses = [village(F, before), village(L, after)]
    team = evaluation_json(evaluate(analyses, "Pilot"))
    policy = evaluation_json(evaluate(analyses, "Pilot", role="policy"))
    assert team["did"]["mean_awareness_coverage"]["estimate"] == 1.0
    assert policy["did"]["mean_awareness_coverage"] == {
        "estimate": None,
        "ci95": [None, None],
        "verdict": policy["did"]["mean_awareness_coverage"]["verdict"],
    }
    assert "fewer than 5" in policy["did"]["mean_awareness_coverage"]["verdict"]
    pilot_rows = [row for row in policy["snapshots"] if row["group"] == "pilot"]
    assert [row["residents_with_circle"] for row in pilot_rows] == ["<5", "<5"]
    assert all(row["mean_awareness_coverage"] is None for row in pilot_rows)


def test_policy_sees_team_figures_where_every_cell_is_large_enough():
    before = {"Pilot": ["none", "both"] * 6, "Rest": ["none", "both"] * 8}
    after = {"Pilot": ["both"] * 12, "Rest": ["one"] * 16}
    analyses = [village(F, before), village(L, after)]
    team = evaluation_json(evaluate(analyses, "Pilot"))
    policy = evaluation_json(evaluate(analyses, "Pilot", role="policy"))
    assert policy["did"] == team["did"]
    assert policy["snapshots"] == team["snapshots"]


@settings(max_examples=60, deadline=None)
@given(first=snapshots(), last=snapshots(), k=st.integers(2, 6))
def test_every_policy_figure_is_one_the_snapshots_publication_already_shows(first, last, k):
    """The attacker's view: the evaluation adds no figure of its own but the differences, and those
    only where all four figures behind one are shown (so nothing new can be subtracted)."""
    analyses = [analyse(first, F), analyse(last, L)]
    publications = [publish(analysis, k) for analysis in analyses]
    pilot = analyses[-1].neighbourhoods[0].neighbourhood
    result = evaluation_json(evaluate(analyses, pilot, role="policy", k=k, resamples=50), "en")
    for position, publication in enumerate(publications):
        day = analyses[position].as_of.isoformat()
        inside = pilot in publication.summaries
        expected = {
            "pilot": publication.summaries[pilot] if inside else None,
            "rest": publication.rests[pilot] if inside else publication.summaries[None],
        }
        for row in (r for r in result["snapshots"] if r["as_of"] == day):
            published = expected[row["group"]]
            for figure in ("residents_with_circle", "mean_awareness_coverage", "caregiver_visibility"):
                if published is None:
                    assert row[figure] in (0, None)
                else:
                    assert row[figure] == _rounded(published[figure]), (row["group"], figure)
        published_pairs = [{**r, "as_of": day} for r in publication.organisations[None]]
        assert [r for r in result["organisation_pairs"] if r["as_of"] == day] == [
            {key: _rounded(value) for key, value in r.items()}
            for r in sorted(published_pairs, key=lambda r: (r["a"], r["b"]))
        ]
    shown = {(row["as_of"], row["group"]): row for row in result["snapshots"]}
    for metric, difference in result["did"].items():
        if difference["estimate"] is not None:
            assert all(row[metric] is not None for row in shown.values())
    assert not [value for value in _counts(result) if isinstance(value, int) and 0 < value < k]
    people = {*first.residents["resident_id"], *first.helpers["helper_id"]}
    people |= {*last.residents["resident_id"], *last.helpers["helper_id"]}
    people -= {*first.organisations["organisation_id"], *last.organisations["organisation_id"]}
    people -= {pilot, *(a.neighbourhood for a in analyses[0].neighbourhoods)}
    words = set(re.findall(r"[^\s\"',:\[\]{}]+", repr(result)))
    assert not (words & {p for p in people if len(p) > 2})


def _rounded(value):
    return round(value, 3) if isinstance(value, float) else value


def _counts(result: dict):
    for row in result["snapshots"]:
        yield row["residents_with_circle"]
    for row in result["organisation_pairs"]:
        yield row["cross_pairs"]


# --- organisation pairs over time -------------------------------------------------------------------


def test_organisations_that_started_finding_each_other_and_those_that_drifted_apart():
    before = {"Pilot": ["none"] * 6, "Rest": ["both"] * 6}
    after = {"Pilot": ["both"] * 6, "Rest": ["both"] * 6}
    rising = evaluate([village(F, before), village(L, after)], "Pilot")
    assert [(s.a, s.b, s.from_share, s.to_share) for s in rising.started] == [("ORG1", "ORG2", 0.5, 1.0)]
    assert rising.drifted == []
    falling = evaluate([village(F, after), village(L, before)], "Pilot")
    assert [(s.a, s.b, s.from_share, s.to_share) for s in falling.drifted] == [("ORG1", "ORG2", 1.0, 0.5)]
    rows = [(row["as_of"], row["cross_pairs"]) for row in evaluation_json(rising)["organisation_pairs"]]
    assert rows == [("2024-01-01", 12), ("2024-07-01", 12)]


def test_a_pair_with_fewer_than_k_cross_pairs_neither_started_nor_drifted():
    before = {"Pilot": ["none"] * 2, "Rest": ["none"] * 2}
    after = {"Pilot": ["both"] * 2, "Rest": ["both"] * 2}
    evaluation = evaluate([village(F, before), village(L, after)], "Pilot", k=5)
    assert evaluation.started == []
    assert evaluate([village(F, before), village(L, after)], "Pilot", k=4).started


# --- the JSON ------------------------------------------------------------------------------------


def test_the_json_has_the_keys_of_spec_11_rounded_to_three_decimals():
    before = {"Pilot": ["none", "one", "both"] * 4, "Rest": ["one"] * 7}
    after = {"Pilot": ["both"] * 9, "Rest": ["none", "both", "both"] * 3}
    result = evaluation_json(evaluate([village(F, before), village(L, after)], "Pilot"), "nl")
    assert {"pilot", "from", "to", "snapshots", "did", "organisation_pairs", "started", "drifted"} <= set(
        result
    )
    assert result["schema"] == "carecircle.evaluation/1"
    assert (result["pilot"], result["from"], result["to"]) == ("Pilot", "2024-01-01", "2024-07-01")
    difference = result["did"]["mean_awareness_coverage"]
    assert set(difference) == {"estimate", "ci95", "verdict"}
    for value in [difference["estimate"], *difference["ci95"]]:
        assert value == round(value, 3)
    assert difference["estimate"] == round(0.5 - (2 / 3 - 0.5), 3)
    assert "procentpunt" in difference["verdict"] and "geen gerandomiseerde" in difference["verdict"]


def test_the_default_number_of_resamples_is_the_specs():
    assert RESAMPLES == 2000
