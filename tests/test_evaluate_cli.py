"""``carecircle evaluate`` on the command line, as a policy officer runs it for a pilot's evaluation."""

import json
from datetime import date

import pytest

from carecircle.synthetic import PILOT
from graph.analysis import analyse
from graph.analysis.evaluation import evaluate
from graph.analysis.evaluation_words import evaluation_json
from graph.stores import SqliteStore
from tests.datasets import run_cli, stored_series

DATES = ("2023-12-01", "2024-03-01", "2024-06-01")


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """Three snapshots of 400 residents (the pilot improving) in one store."""
    return stored_series(tmp_path_factory.mktemp("evaluate"), residents=400, seed=7)


def _json(*args, cwd):
    result = run_cli("evaluate", "--store", "store.db", "--pilot", PILOT, *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_pilot_is_compared_from_the_first_to_the_last_stored_snapshot(series):
    result = _json(cwd=series)
    assert (result["schema"], result["pilot"], result["from"], result["to"]) == (
        "carecircle.evaluation/1",
        PILOT,
        DATES[0],
        DATES[-1],
    )
    assert [(row["as_of"], row["group"]) for row in result["snapshots"]] == [
        (day, group) for day in DATES for group in ("pilot", "rest")
    ]
    with SqliteStore(series / "store.db") as store:
        analyses = [analyse(store.load(date.fromisoformat(day))) for day in DATES]
    assert result == evaluation_json(evaluate(analyses, PILOT))
    coverage = result["did"]["mean_awareness_coverage"]
    assert coverage["estimate"] > 0  # the generated pilot improves; with ~40 residents, not clearly
    low, high = coverage["ci95"]
    assert low <= coverage["estimate"] <= high
    assert ("this is a change" in coverage["verdict"]) == (low > 0)
    assert "not a randomised comparison" in coverage["verdict"]
    assert _json(cwd=series) == result  # the bootstrap is seeded


def test_from_and_to_choose_the_snapshots_compared(series):
    midway = _json("--to", DATES[1], cwd=series)
    assert (midway["from"], midway["to"]) == (DATES[0], DATES[1])
    assert {row["as_of"] for row in midway["snapshots"]} == set(DATES[:2])
    late = _json("--from", DATES[1], cwd=series)
    assert {row["as_of"] for row in late["organisation_pairs"]} == set(DATES[1:])
    one = _json("--from", DATES[1], "--to", DATES[1], cwd=series)
    assert one["did"]["caregiver_visibility"]["estimate"] is None
    assert "needs two" in one["did"]["caregiver_visibility"]["verdict"]


def test_the_policy_role_sees_protected_figures_in_dutch(series):
    result = run_cli(
        "--lang", "nl", "evaluate", "--store", "store.db", "--pilot", PILOT, "--role", "policy", "--k", "50",
        cwd=series,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    policy = json.loads(result.stdout)
    assert policy["role"] == "policy" and policy["k"] == 50
    small = [row for row in policy["organisation_pairs"] if row["cross_pairs"] == "<50"]
    assert small and all(row["aware_share"] is None for row in small)
    for difference in policy["did"].values():
        assert difference["estimate"] is None or "procentpunt" in difference["verdict"]
        assert difference["estimate"] is not None or "Niet getoond" in difference["verdict"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pilot", "Nergenshuizen"), "no neighbourhood called Nergenshuizen (there are: "),
        (("--pilot", PILOT, "--from", "2024-01-15"), "--from 2024-01-15: no snapshot of that date is stored"),
        (("--pilot", PILOT, "--to", "2025-01-01"), "(stored: " + ", ".join(DATES) + ")"),
        (
            ("--pilot", PILOT, "--from", DATES[2], "--to", DATES[0]),
            "--from 2024-06-01 is after --to 2023-12-01",
        ),
        (("--pilot", PILOT, "--from", "yesterday"), "Invalid value for '--from'"),
        ((), "Missing option '--pilot'"),
    ],
)
def test_a_wrong_choice_stops_with_a_message_and_status_2(series, args, message):
    result = run_cli("evaluate", "--store", "store.db", *args, cwd=series)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_an_empty_store_or_no_store_says_so(tmp_path):
    SqliteStore(tmp_path / "empty.db").close()
    empty = run_cli("evaluate", "--store", "empty.db", "--pilot", PILOT, cwd=tmp_path)
    missing = run_cli("evaluate", "--store", "missing.db", "--pilot", PILOT, cwd=tmp_path)
    for result in (empty, missing):
        assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.strip()
    assert not (tmp_path / "missing.db").exists()


def test_out_writes_the_json_to_a_file(series, tmp_path):
    out = tmp_path / "reports" / "evaluation.json"
    result = run_cli("evaluate", "--store", "store.db", "--pilot", PILOT, "--out", str(out), cwd=series)
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["pilot"] == PILOT
    assert str(out) in result.stderr


def test_the_snapshots_analysed_half_beside_are_those_analysed_here(series, monkeypatch):
    from carecircle import pair

    days = [date.fromisoformat(day) for day in DATES]
    beside = pair.stored_analyses(str(series / "store.db"), None, days)
    monkeypatch.setattr(pair, "_analysed_beside", _fails_beside)
    here = pair.stored_analyses(str(series / "store.db"), None, days)
    assert [analysis.as_of for analysis in beside] == days == [analysis.as_of for analysis in here]
    assert beside == here
    assert all(analysis.gaps == [] and analysis.circles is None for analysis in beside)
    assert evaluation_json(evaluate(beside, PILOT)) == _json(cwd=series)


def _fails_beside(*_) -> None:
    """The second process as when it cannot read the store: nothing."""
