"""The trends page (SPEC §11 in the dashboard): its content for the team and the policy role, what
it says when a figure is hidden, the pilot unknown or one snapshot stored, and the evaluations the
dashboard keeps."""

import json
import threading
from dataclasses import replace
from datetime import date
from statistics import fmean

import plotly
import pytest
from dash import dcc, html

from dashboards import data, evaluations
from dashboards.data import DataSource
from dashboards.evaluations import EvaluationKey, KeptEvaluations, PilotEvaluation
from dashboards.pages import trends
from dashboards.pages.trends import trends_content, trends_page
from graph.analysis.evaluation import Difference, Evaluation, GroupFigures, PairShift
from graph.analysis.evaluation_words import verdict
from graph.language import day, share, translate
from graph.stores import SqliteStore
from tests.dashboard_support import build_store
from tests.datasets import ingest

OLDEST, MIDDLE, NEWEST = date(2023, 12, 1), date(2024, 3, 1), date(2024, 6, 1)
METRICS = ("mean_awareness_coverage", "caregiver_visibility")
#: a condition not met within this many seconds means the code under test hangs
PATIENCE = 60
#: the verdict of a difference the policy role may not see (graph.analysis.evaluation_words)
NOT_SHOWN = "Not shown: a figure it needs rests on fewer than {k} residents, or is hidden to protect privacy."


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("trends"))


@pytest.fixture(scope="module")
def source(store):
    return DataSource(str(store))


def as_text(content) -> str:
    """Everything a component tree sends to the browser, as text."""
    return json.dumps(content, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def parts(content) -> list:
    """Every component in a page's content."""
    return list(html.Div(content)._traverse())


def find(content, component_id: str):
    """The component with ``component_id``, or None."""
    return next((c for c in parts(content) if getattr(c, "id", None) == component_id), None)


def graphs(content) -> list[str]:
    """The ids of the charts drawn."""
    return [c.id for c in parts(content) if isinstance(c, dcc.Graph)]


def words(content) -> list[str]:
    """The texts of the components (not of the charts and tables)."""
    return [c for c in parts(content) if isinstance(c, str)] + [
        c.children for c in parts(content) if isinstance(getattr(c, "children", None), str)
    ]


def table(content, table_id: str) -> list[list[str]]:
    return find(content, table_id).data["body"]


# --- what the team sees ----------------------------------------------------------------------------


def by_hand(view, pilot: str) -> dict[str, dict[str, float]]:
    """The pilot's and the rest's mean awareness coverage (over residents with two or more
    helpers), from the analysed residents, and the pilot's caregiver visibility from its summary."""
    rows = view.resident_rows()
    coverage = {
        group: fmean(
            row["awareness_coverage"]
            for row in rows
            if row["circle_size"] >= 2 and (row["neighbourhood"] == pilot) == (group == "pilot")
        )
        for group in ("pilot", "rest")
    }
    summary = view.summary(pilot, "team", 5)
    return {
        "coverage": coverage,
        "visibility": {"pilot": summary["caregiver_visibility"]},
        "residents": {"pilot": summary["residents_with_circle"]},
    }


@pytest.fixture(scope="module")
def team(source) -> dict:
    """The team's page of Stedenwijk over the three snapshots, and its figures by hand."""
    result = source.evaluation("Stedenwijk", role="team")
    figures = {when: by_hand(source.view(when), "Stedenwijk") for when in (OLDEST, MIDDLE, NEWEST)}
    return {
        "result": result,
        "content": trends_content(result, "team", 5, "en", stored=3),
        "figures": figures,
        "coverage": {when: f["coverage"] for when, f in figures.items()},
    }


def test_the_team_sees_the_pilot_and_the_rest_as_the_residents_give_them(team):
    content, figures = team["content"], team["figures"]
    assert table(content, "figures-mean_awareness_coverage") == [
        [day(when, "en"), share(c["pilot"], "en", 1), share(c["rest"], "en", 1)]
        for when, c in team["coverage"].items()
    ]
    assert [row[1] for row in table(content, "figures-caregiver_visibility")] == [
        share(f["visibility"]["pilot"], "en", 1) for f in figures.values()
    ]
    assert [row[1] for row in table(content, "trends-residents")] == [
        str(f["residents"]["pilot"]) for f in figures.values()
    ]
    assert graphs(content) == [
        "trend-mean_awareness_coverage",
        "difference-mean_awareness_coverage",
        "trend-caregiver_visibility",
        "difference-caregiver_visibility",
    ]
    assert not [c for c in parts(content) if getattr(c, "className", None) == "policy-note"]


def test_the_chart_draws_pilot_and_rest_on_a_percentage_axis_apart_without_colour(team):
    coverage = team["coverage"]
    chart = find(team["content"], "trend-mean_awareness_coverage").figure
    pilot, rest = chart.data
    assert (pilot.name, rest.name) == ("Stedenwijk", "Other neighbourhoods")
    assert list(pilot.x) == [day(when, "en") for when in coverage]
    assert list(pilot.y) == pytest.approx([c["pilot"] for c in coverage.values()])
    assert list(rest.y) == pytest.approx([c["rest"] for c in coverage.values()])
    assert list(pilot.text) == [share(c["pilot"], "en", 1) for c in coverage.values()]
    assert pilot.line.dash != rest.line.dash and pilot.marker.symbol != rest.marker.symbol
    axis = chart.layout.yaxis
    assert (
        axis.range[0] == 0 and list(axis.tickvals) == [0, 0.2, 0.4, 0.6, 0.8, 1] and axis.tickformat == ".0%"
    )


def test_the_difference_in_differences_is_drawn_with_its_interval_and_said(team):
    coverage, content, result = team["coverage"], team["content"], team["result"]
    estimate = (coverage[NEWEST]["pilot"] - coverage[OLDEST]["pilot"]) - (
        coverage[NEWEST]["rest"] - coverage[OLDEST]["rest"]
    )
    difference = result.evaluation.differences["mean_awareness_coverage"]
    assert difference.estimate == pytest.approx(estimate)
    dot = find(content, "difference-mean_awareness_coverage").figure.data[0]
    assert list(dot.x) == pytest.approx([estimate * 100])
    assert list(dot.error_x.array) == pytest.approx([(difference.high - estimate) * 100])
    assert list(dot.error_x.arrayminus) == pytest.approx([(estimate - difference.low) * 100])
    said = find(content, "verdict-mean_awareness_coverage").children
    assert said == verdict(difference, result.evaluation, "en")
    assert "percentage points more in Stedenwijk" in said and "this is a change" in said
    assert "not a randomised comparison" in said
    assert find(content, "interval-mean_awareness_coverage").children.startswith(
        "+" + f"{estimate * 100:.1f} (95% interval +"
    )


def test_the_pairs_that_moved_are_named_and_the_page_of_every_pair_is_linked(source):
    result = source.evaluation("Stedenwijk", role="team")
    content = trends_content(result, "team", 5, "en", stored=3)
    names = {**source.view().organisations, "(informal)": "(informal)", "(caregivers)": "(caregivers)"}
    started = result.evaluation.started
    assert started, "the pilot's store has pairs that started finding each other"
    items = find(content, "trends-started").children
    assert [item.children for item in items] == [
        f"{names[s.a]} – {names[s.b]}: {share(s.from_share, 'en')} → {share(s.to_share, 'en')}"
        for s in started
    ]
    assert f"Started finding each other ({len(started)})" in words(content)
    assert f"Drifted apart ({len(result.evaluation.drifted)})" in words(content)
    link = next(c for c in parts(content) if getattr(c, "href", None) == "/collaboration")
    assert link.children == "See every pair of organisations on Finding each other"


# --- what the policy role sees ---------------------------------------------------------------------


def hidden_evaluation() -> PilotEvaluation:
    """A pilot of fewer than 5 residents: its count is "<5", its shares and the rest's caregiver
    visibility hidden, so no difference may be shown."""
    rows = [
        GroupFigures(OLDEST, "pilot", "<5", None, None),
        GroupFigures(OLDEST, "rest", 40, 0.5, None),
        GroupFigures(NEWEST, "pilot", "<5", None, None),
        GroupFigures(NEWEST, "rest", 42, 0.55, None),
    ]
    differences = {metric: Difference(metric, None, None, None, (3, 3), withheld=True) for metric in METRICS}
    evaluation = Evaluation("Klein", OLDEST, NEWEST, "policy", 5, rows, differences, [], [], [])
    return PilotEvaluation(evaluation, {}, (OLDEST, NEWEST), (OLDEST, NEWEST))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_policy_sees_less_than_k_and_dashes_with_what_they_mean(lang):
    content = trends_content(hidden_evaluation(), "policy", 5, lang, stored=2)
    assert table(content, "trends-residents") == [
        [day(OLDEST, lang), "<5", "40"],
        [day(NEWEST, lang), "<5", "42"],
    ]
    assert table(content, "figures-mean_awareness_coverage") == [
        [day(OLDEST, lang), "–", share(0.5, lang, 1)],
        [day(NEWEST, lang), "–", share(0.55, lang, 1)],
    ]
    meaning = translate(trends.MISSING["policy"], lang, k=5)
    assert meaning.startswith("– ") and "5" in meaning
    # every table with a dash says under it what the dash means (the residents' has none: "<5" is
    # in the policy note), and so does the guide
    assert words(content).count(meaning) == 3
    # the rest's coverage is shown: its chart is drawn, the pilot's line has no point
    chart = find(content, "trend-mean_awareness_coverage").figure
    assert list(chart.data[0].y) == [None, None] and list(chart.data[1].y) == [0.5, 0.55]
    # no caregiver visibility at all: no empty chart, but why
    assert graphs(content) == ["trend-mean_awareness_coverage"]
    section = find(content, "evaluation-caregiver_visibility")
    assert translate(trends.NOTHING_TO_DRAW["policy"], lang, k=5) in as_text(section)
    # no difference: no interval drawn, the verdict says why
    for metric in METRICS:
        said = find(content, f"verdict-{metric}").children
        assert said == translate(NOT_SHOWN, lang, k=5)
    assert any(getattr(c, "className", None) == "policy-note" for c in parts(content))


def test_emmen_centrum_has_no_caregivers_so_both_roles_see_the_rest_and_why_there_is_no_difference(source):
    """Emmen-Centrum has no caregivers: it has no visibility, nothing to hide, and the rest's
    visibility is the municipality's, which policy sees as the team does."""
    assert source.view().summary("Emmen-Centrum", "team", 5)["helpers"]["caregiver"] == 0
    rest = by_hand_visibility(source.view(), "Emmen-Centrum")
    for role in ("policy", "team"):
        content = trends_content(source.evaluation("Emmen-Centrum", role=role), role, 5, "nl", stored=3)
        assert "trend-caregiver_visibility" in graphs(content), role
        assert table(content, "figures-caregiver_visibility")[-1][1:] == ["–", share(rest, "nl", 1)]
        assert find(content, "verdict-caregiver_visibility").children.startswith(
            "Er is geen verschil te geven"
        )
        assert translate(trends.MISSING[role], "nl", k=5) in words(content), role


def by_hand_visibility(view, pilot: str) -> float:
    """The other neighbourhoods' caregiver visibility: caregivers a professional knows over the
    caregivers of residents with a professional (SPEC §5), from the neighbourhoods' summaries."""
    seen = caregivers = 0
    for area in view.neighbourhoods:
        if area == pilot:
            continue
        summary = view.summary(area, "team", 5)
        if summary["caregiver_visibility"] is not None:
            pairs = next(a for a in view.analysis.neighbourhoods if a.neighbourhood == area).share_bases
            seen += summary["caregiver_visibility"] * pairs.caregiver_visibility
            caregivers += pairs.caregiver_visibility
    return seen / caregivers


# --- when there is nothing (or little) to compare ---------------------------------------------------


def test_an_unknown_pilot_is_said_in_words_without_charts(source):
    content = trends_page(source, "Atlantis", None, None, "policy", 5, "en")
    assert graphs(content) == []
    assert words(content) == [
        "Atlantis is not a neighbourhood in the snapshots from 1 December 2023 to 1 June 2024: there is"
        " nothing to compare. Choose another pilot neighbourhood."
    ]


def test_one_stored_snapshot_is_said_and_nothing_is_compared(tmp_path):
    dataset = build_one_snapshot(tmp_path)
    one = DataSource(str(dataset))
    content = trends_page(one, "Stedenwijk", None, None, "team", 5, "en")
    said = words(content)
    assert "Only one snapshot is stored; ingest another date to see change over time." in said
    assert "Stedenwijk against the other neighbourhoods together, on 1 June 2024." in said
    for metric in METRICS:
        assert (
            find(content, f"verdict-{metric}").children
            == "Only one snapshot is compared: a change needs two."
        )
    # each chart has one point per group, and no interval is drawn
    assert graphs(content) == ["trend-mean_awareness_coverage", "trend-caregiver_visibility"]
    assert find(content, "trends-pairs") is None


def build_one_snapshot(folder) -> str:
    from carecircle.synthetic import generate_series

    series = generate_series(folder / "datasets", snapshots=1, residents=60, seed=11)
    store = folder / "one.db"
    with SqliteStore(store) as target:
        result = ingest(series[0].path)
        target.save(result.snapshot, result.report.as_dict())
    return store


def test_the_same_snapshot_as_from_and_to_is_said(source):
    said = words(trends_page(source, "Stedenwijk", NEWEST, NEWEST, "team", 5, "en"))
    assert "From and to are the same snapshot: choose two different snapshots to see change." in said


def test_from_after_to_is_said_and_nothing_computed(source):
    kept = source.cached_evaluations()
    content = trends_page(source, "Stedenwijk", NEWEST, OLDEST, "policy", 5, "nl")
    assert words(content) == [
        "De beginpeildatum (1 juni 2024) ligt na de eindpeildatum (1 december 2023): kies een eerdere"
        " beginpeildatum."
    ]
    assert source.cached_evaluations() == kept


def test_no_snapshot_in_the_range_and_no_store_are_said(source, tmp_path):
    later = date(2030, 1, 1)
    assert words(trends_page(source, "Stedenwijk", later, None, "team", 5, "en")) == [
        "No snapshot is stored from 1 January 2030 to 1 June 2024."
    ]
    missing = DataSource(str(tmp_path / "none.db"))
    assert words(trends_page(missing, "Stedenwijk", None, None, "team", 5, "en")) == ["No data yet"]


def test_a_later_from_compares_from_that_snapshot(source):
    content = trends_page(source, "Stedenwijk", MIDDLE, None, "team", 5, "en")
    assert [row[0] for row in table(content, "figures-mean_awareness_coverage")] == [
        "1 March 2024",
        "1 June 2024",
    ]
    assert find(content, "verdict-mean_awareness_coverage").children.startswith(
        "From 1 March 2024 to 1 June 2024, "
    )


def test_a_pilot_missing_from_the_first_snapshot_is_named_as_the_reason(source):
    result = source.evaluation("Stedenwijk", role="policy")
    none = {metric: Difference(metric, None, None, None, (0, 31)) for metric in METRICS}
    absent = replace(
        result, evaluation=replace(result.evaluation, differences=none), pilot_present=result.dates[1:]
    )
    content = trends_content(absent, "policy", 5, "en", stored=3)
    assert "Stedenwijk is not in the snapshot of 1 December 2023: it has no figures there." in words(content)
    for metric in METRICS:
        assert find(content, f"verdict-{metric}").children == (
            "No difference can be given: Stedenwijk is not in the snapshot of 1 December 2023."
        )


# --- the evaluations kept -------------------------------------------------------------------------


@pytest.fixture
def evaluated(monkeypatch) -> list[tuple]:
    """The (pilot, role, dates) of every evaluation the dashboard computes."""
    calls, evaluate = [], data.evaluate

    def counting(analyses, pilot, **options):
        calls.append((pilot, options["role"], tuple(a.as_of for a in analyses)))
        return evaluate(analyses, pilot, **options)

    monkeypatch.setattr(data, "evaluate", counting)
    return calls


def test_an_evaluation_is_computed_once_per_snapshots_pilot_and_role(store, evaluated):
    fresh = DataSource(str(store))
    team = fresh.evaluation("Stedenwijk", role="team")
    assert fresh.evaluation("Stedenwijk", None, None, "team") is team
    policy = fresh.evaluation("Stedenwijk", role="policy")
    assert policy is not team and policy.evaluation.role == "policy"
    # a role the evaluation does not know sees what policy sees
    assert fresh.evaluation("Stedenwijk", role="visitor") is policy
    later = fresh.evaluation("Stedenwijk", MIDDLE, None, "team")
    # another bound around the same stored snapshots is the same evaluation
    assert fresh.evaluation("Stedenwijk", date(2024, 1, 1), date(2024, 12, 31), "team") is later
    everything = (OLDEST, MIDDLE, NEWEST)
    assert evaluated == [
        ("Stedenwijk", "team", everything),
        ("Stedenwijk", "policy", everything),
        ("Stedenwijk", "team", (MIDDLE, NEWEST)),
    ]
    assert [(key.pilot, key.role, key.k, len(key.snapshots)) for key in fresh.cached_evaluations()] == [
        ("Stedenwijk", "team", 5, 3),
        ("Stedenwijk", "policy", 5, 3),
        ("Stedenwijk", "team", 5, 2),
    ]


def key(name: str) -> EvaluationKey:
    return EvaluationKey(((OLDEST, name),), name, "team", 5)


def test_the_kept_evaluations_are_bounded_the_least_recently_used_going_first():
    kept, computed = KeptEvaluations(size=2), []

    def compute(name):
        return lambda: computed.append(name) or name

    for name in ("a", "b", "a", "c", "a", "b"):
        kept.get(key(name), compute(name))
    assert computed == ["a", "b", "c", "b"]  # "b" was dropped for "c", then computed again
    assert kept.keys() == [key("a"), key("b")]


def test_a_new_ingest_of_a_date_forgets_the_evaluations_resting_on_it(tmp_path, evaluated):
    store = build_store(tmp_path, residents=60)
    source = DataSource(str(store))
    older = source.evaluation("Stedenwijk", OLDEST, MIDDLE, "team")
    everything = source.evaluation("Stedenwijk", role="team")
    with SqliteStore(store) as target:  # the newest date ingested again
        target.save(target.load(NEWEST), {})
    source.snapshots()
    assert [k.snapshots[-1][0] for k in source.cached_evaluations()] == [MIDDLE]
    assert source.evaluation("Stedenwijk", OLDEST, MIDDLE, "team") is older
    again = source.evaluation("Stedenwijk", role="team")
    assert again is not everything and again.evaluation.snapshots == everything.evaluation.snapshots
    assert len(evaluated) == 3


def in_thread(call) -> tuple[threading.Thread, dict]:
    """Run ``call`` in a thread; its result (or error) lands in the returned dict."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.fixture
def waits(monkeypatch) -> threading.Semaphore:
    """Released each time a request starts waiting for an evaluation another request computes."""
    waiting, result = threading.Semaphore(0), evaluations.Future.result

    def counted(future, timeout=None):
        waiting.release()
        return result(future, timeout)

    monkeypatch.setattr(evaluations.Future, "result", counted)
    return waiting


@pytest.mark.parametrize("fails", [False, True], ids=["computed", "failed"])
def test_concurrent_requests_for_one_evaluation_compute_it_once(waits, fails):
    kept, started, release, calls = KeptEvaluations(), threading.Event(), threading.Event(), []

    def slow():
        calls.append("computed")
        started.set()
        assert release.wait(PATIENCE), "the test never released the computation"
        if fails:
            raise ValueError("the bootstrap failed")
        return "evaluation"

    requests = [in_thread(lambda: kept.get(key("a"), slow))]
    assert started.wait(PATIENCE)
    requests += [in_thread(lambda: kept.get(key("a"), slow)) for _ in range(3)]
    for _ in range(3):  # every other request is waiting for the one computation
        assert waits.acquire(timeout=PATIENCE)
    release.set()
    for thread, _ in requests:
        thread.join(PATIENCE)
    assert calls == ["computed"]
    if fails:
        assert all(isinstance(outcome["error"], ValueError) for _, outcome in requests)
        assert kept.keys() == [] and kept.get(key("a"), lambda: "again") == "again"  # tried again
    else:
        assert [outcome["value"] for _, outcome in requests] == ["evaluation"] * 4


def test_the_evaluation_keeps_the_pairs_names_and_where_the_pilot_is(source):
    result = source.evaluation("Stedenwijk", role="team")
    assert result.dates == (OLDEST, MIDDLE, NEWEST) == result.pilot_present and result.pilot_missing == ()
    assert result.organisations == source.view().analysis.organisation_names
    assert all(
        isinstance(shift, PairShift) for shift in result.evaluation.started + result.evaluation.drifted
    )
