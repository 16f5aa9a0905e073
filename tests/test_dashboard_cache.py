"""The dashboard under load: every snapshot analysed once, kept within a memory budget, no
request waiting for another snapshot's analysis, store troubles on the page, and a data-quality
page that stays small however many rows were rejected."""

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from datetime import date

import dash
import pytest
from flask import Flask

from dashboards import access, data, ids
from dashboards.accounts import AccountBook
from dashboards.app import create_app
from dashboards.budget import SettingError, cache_budget, view_bytes
from dashboards.context import SETTINGS_KEY, Settings, on_callback_error
from dashboards.data import DataSource, bounded_report
from dashboards.pages import overview, residents
from graph.analysis.disclosure import protect_report
from graph.errors import StoreError
from graph.language import translate
from graph.model import Snapshot
from graph.stores import SqliteStore
from ingest.report import bounded_problems
from tests.dashboard_support import build_store, post_callback, response_text

OLDEST, MIDDLE, NEWEST = date(2023, 12, 1), date(2024, 3, 1), date(2024, 6, 1)
#: a condition not met within this many seconds means the code under test hangs
PATIENCE = 60
#: far more than the data-quality page needs with bounded examples (18 kB), far less
#: than the 65 MB it sent for 500,000 rejected rows before
PAGE_BYTES = 100_000


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return str(build_store(tmp_path_factory.mktemp("cache"), residents=60))


@pytest.fixture
def analysed(monkeypatch) -> Counter:
    """How often the dashboard analysed each snapshot date."""
    counts, build_view = Counter(), data.build_view

    def counting(info, snapshot):
        counts[info.as_of] += 1
        return build_view(info, snapshot)

    monkeypatch.setattr(data, "build_view", counting)
    return counts


@pytest.fixture
def held(monkeypatch):
    """Analyses of OLDEST wait for ``release``; ``started`` is set when one begins."""
    started, release, build_view = threading.Event(), threading.Event(), data.build_view

    def holding(info, snapshot):
        if info.as_of == OLDEST:
            started.set()
            assert release.wait(PATIENCE), "the test never released the analysis"
        return build_view(info, snapshot)

    monkeypatch.setattr(data, "build_view", holding)
    yield started, release
    release.set()


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


# --- what is kept ---------------------------------------------------------------------------------


def test_three_snapshots_stay_cached_under_a_generous_budget_each_analysed_once(store, analysed):
    source = DataSource(store, cache_bytes=10**12)
    for _ in range(5):
        for day in (OLDEST, MIDDLE, NEWEST, None):
            assert source.view(day).as_of == (day or NEWEST)
        assert source.report(MIDDLE)["as_of"] == MIDDLE.isoformat()
    assert analysed == {OLDEST: 1, MIDDLE: 1, NEWEST: 1}
    assert [day for day, _ in source.cached()] == [OLDEST, MIDDLE, NEWEST]


def test_a_tiny_budget_evicts_the_least_recently_used_but_keeps_one(store, analysed):
    tiny = DataSource(store, cache_bytes=1)
    tiny.view(OLDEST)
    tiny.view(NEWEST)
    assert [day for day, _ in tiny.cached()] == [NEWEST]  # the one just used stays, even over budget
    tiny.view(OLDEST)
    assert analysed[OLDEST] == 2  # evicted, so analysed again

    sizes = {info.as_of: view_bytes(info) for info in tiny.snapshots()}
    two = DataSource(store, cache_bytes=sizes[OLDEST] + sizes[MIDDLE] + sizes[NEWEST] - 1)
    two.view(OLDEST)
    two.view(MIDDLE)
    two.view(OLDEST)  # now MIDDLE is the least recently used
    two.view(NEWEST)
    assert [day for day, _ in two.cached()] == [OLDEST, NEWEST]


def test_the_budget_comes_from_the_environment_or_the_machine():
    assert cache_budget({"CARECIRCLE_CACHE_MB": " 64 "}) == 64 * 1024**2
    quarter = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4
    assert cache_budget({}) == quarter
    for wrong in ("lots", "0", "-5", "nan", "inf"):
        with pytest.raises(SettingError) as caught:
            cache_budget({"CARECIRCLE_CACHE_MB": wrong})
        assert (
            caught.value.message("en")
            == f"CARECIRCLE_CACHE_MB must be a number of megabytes above 0, found {wrong!r}"
        )
        assert caught.value.message("nl").startswith("CARECIRCLE_CACHE_MB moet een aantal megabytes boven 0")


def test_the_command_refuses_a_cache_setting_it_cannot_use(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "carecircle", "--lang", "nl", "serve", "--store", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CARECIRCLE_CACHE_MB": "veel"},
    )
    assert result.returncode == 2
    assert "CARECIRCLE_CACHE_MB moet een aantal megabytes boven 0 zijn, gevonden 'veel'" in result.stderr
    assert "Traceback" not in result.stderr


# --- who waits for what ------------------------------------------------------------------------------


def test_a_cached_snapshot_is_served_while_another_snapshot_is_being_analysed(store, held):
    started, release = held
    source = DataSource(store)
    newest = source.view(NEWEST)
    slow, slow_outcome = in_thread(lambda: source.view(OLDEST))
    assert started.wait(PATIENCE)
    quick, outcome = in_thread(lambda: (source.view(NEWEST), source.report(NEWEST), source.catalogue()))
    quick.join(PATIENCE)
    assert not quick.is_alive(), "a request for a cached snapshot waited for another snapshot's analysis"
    assert outcome["value"][0] is newest and outcome["value"][1]["as_of"] == NEWEST.isoformat()
    assert slow.is_alive()  # the other analysis was held all along
    release.set()
    slow.join(PATIENCE)
    assert slow_outcome["value"].as_of == OLDEST


def test_concurrent_requests_for_one_uncached_snapshot_analyse_it_once(store, held, analysed, monkeypatch):
    started, release = held
    waiting, result = threading.Semaphore(0), data.Future.result

    def counted_wait(build, timeout=None):
        waiting.release()
        return result(build, timeout)

    monkeypatch.setattr(data.Future, "result", counted_wait)
    source = DataSource(store)
    requests = [in_thread(lambda: source.view(OLDEST)) for _ in range(6)]
    assert started.wait(PATIENCE)
    for _ in range(5):  # every other request is waiting for the one analysis
        assert waiting.acquire(timeout=PATIENCE)
    release.set()
    for thread, _ in requests:
        thread.join(PATIENCE)
    views = [outcome["value"] for _, outcome in requests]
    assert analysed == {OLDEST: 1}
    assert all(view is views[0] for view in views) and views[0].as_of == OLDEST


def test_a_failed_analysis_fails_every_request_waiting_for_it_and_is_tried_again(store, monkeypatch):
    build_view, calls = data.build_view, []

    def failing_once(info, snapshot):
        calls.append(info.as_of)
        if len(calls) == 1:
            raise StoreError("the disk went away")
        return build_view(info, snapshot)

    monkeypatch.setattr(data, "build_view", failing_once)
    source = DataSource(store)
    with pytest.raises(StoreError, match="the disk went away"):
        source.view(OLDEST)
    assert source.view(OLDEST).as_of == OLDEST and calls == [OLDEST, OLDEST]


# --- the store's troubles ----------------------------------------------------------------------------


@pytest.fixture
def damaged(store, tmp_path):
    """A copy of the store with 8 KiB of its middle overwritten: a real damaged SQLite file."""
    path = tmp_path / "damaged.db"
    shutil.copyfile(store, path)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xff" * 8192)
    return path


def test_no_store_and_an_empty_store_are_no_data_yet(tmp_path):
    missing = DataSource(str(tmp_path / "nothing.db"))
    assert missing.catalogue() == [] and missing.view() is None and missing.report() is None
    assert missing.snapshots() == []
    with SqliteStore(tmp_path / "empty.db") as empty:
        empty._connect(create=True)  # a store file with its tables and no snapshot
    assert DataSource(str(tmp_path / "empty.db")).view() is None


def test_a_damaged_store_shows_its_message_on_the_page_and_logs_one_line(store, damaged, caplog):
    caplog.set_level(logging.INFO)
    app = create_app(str(damaged))
    client = app.server.test_client()
    assert client.get("/").status_code == 200  # the page frame, with no snapshot to choose
    for lang in ("nl", "en", "nl"):
        client.set_cookie("carecircle_lang", lang)
        response = post_callback(client, app, ids.QUALITY_CONTENT, {})
        assert response.status_code == 200
        text = response_text(response)
        message = StoreError(code="damaged", path=damaged, detail="x").message(lang).split(" (")[0]
        assert message in text and translate("The store cannot be read", lang) in text
    # every page's content says the same, through the app's error handler, never a 500
    for output in (ids.OVERVIEW_CONTENT, ids.COLLAB_CONTENT, ids.TRENDS_CONTENT, ids.CIRCLE_CONTENT):
        inputs = {"circle-resident-id.data": "R-PIQUE"}
        response = post_callback(client, app, output, inputs)
        assert response.status_code == 200, output
        assert translate("The store cannot be read", "nl") in response_text(response), output
    assert "Traceback" not in caplog.text and "Exception on" not in caplog.text
    lines = [r for r in caplog.records if str(damaged) in r.getMessage()]
    assert len(lines) == 1 and "damaged" in lines[0].getMessage()
    shutil.copyfile(store, damaged)  # restored from a backup
    assert "2024-06-01" in response_text(post_callback(client, app, ids.QUALITY_CONTENT, {}))
    assert caplog.text.count(f"the dashboard can read the store again: {damaged}") == 1


def test_every_page_callback_shows_the_store_trouble_through_the_apps_error_handler(damaged, caplog):
    """The handler ``create_app`` gives Dash (``on_error``): content outputs get the alert, others
    stay; an error that is not the store's is raised as before."""
    server = Flask("trouble")
    server.config[SETTINGS_KEY] = Settings(data=DataSource(str(damaged)), store=str(damaged))
    # no accounts: the local user has the team role (resident-level callbacks refuse any other)
    server.config[access.GATEKEEPER_KEY] = access.Gatekeeper(AccountBook(None, None))
    app = dash.Dash("trouble", server=server, on_error=on_callback_error, suppress_callback_exceptions=True)
    app.layout = dash.html.Div()
    overview.register_callbacks(app)
    residents.register_callbacks(app)
    client = server.test_client()
    shown = response_text(post_callback(client, app, ids.OVERVIEW_CONTENT, {}))
    assert "beschadigd" in shown and "zet een reservekopie terug" in shown
    both = json.loads(post_callback(client, app, ids.RESIDENTS_GRID, {}).get_data())["response"]
    assert "rowData" not in both.get(ids.RESIDENTS_GRID, {})  # left as it was
    trouble = translate("The store cannot be read", "nl")
    assert trouble in json.dumps(both[ids.RESIDENTS_COUNT], ensure_ascii=False)
    assert "Traceback" not in caplog.text
    with pytest.raises(ZeroDivisionError):
        on_callback_error(ZeroDivisionError("a bug"))


# --- a data-quality page that stays small ------------------------------------------------------------


def huge_report(as_of: date) -> dict:
    """A report as versions before issue 12 stored it: every one of 500,007 rejected rows listed."""
    rejected = [
        {
            "file": "support.csv",
            "line": line,
            "column": "helper_id",
            "code": "unknown_reference",
            "message": f"unknown helper_id 'H{line}'",
        }
        for line in range(2, 500_002)
    ] + [
        {"file": "residents.csv", "line": line, "column": "bsn", "code": "invalid_bsn", "message": "…"}
        for line in range(2, 9)
    ]
    return {
        "dataset": "groot",
        "as_of": as_of.isoformat(),
        "files": {
            "support.csv": {"read": 500_010, "accepted": 10, "rejected": 500_000},
            "residents.csv": {"read": 20, "accepted": 13, "rejected": 7},
        },
        "rejected": rejected,
        "warnings": [],
        "ignored_columns": {},
    }


def bounded_form(report: dict) -> dict:
    """The same report as issue 12's ingest stores it: 100 examples per code, every row counted."""
    rejected, counts = bounded_problems(report["rejected"])
    return {**report, "rejected": rejected, "problem_counts": {"rejected": counts, "warnings": {}}}


@pytest.mark.slow
def test_the_data_quality_page_of_500000_rejected_rows_stays_small(tmp_path):
    path = tmp_path / "large.db"
    old, new = date(2024, 1, 1), date(2024, 2, 1)
    with SqliteStore(path) as target:
        target.save(Snapshot("groot", old), huge_report(old))
        target.save(Snapshot("groot", new), bounded_form(huge_report(new)))
    app = create_app(str(path))
    client = app.server.test_client()
    for day in (old, new):
        response = post_callback(client, app, ids.QUALITY_CONTENT, {"snapshot-select.value": day.isoformat()})
        assert response.status_code == 200
        assert len(response.get_data()) < PAGE_BYTES
        text = response_text(response)
        assert "Afgewezen rijen (500.007)" in text
        # the Dutch page names the code in Dutch (the code itself stays beside it, in its column)
        assert "support.csv, Onbekende verwijzing: de eerste 100 van 500.000 rijen staan hieronder" in text
        assert "invalid_bsn" in text and "Ongeldig BSN" in text
        assert "residents.csv, Ongeldig BSN: de eerste" not in text
        rows = json.loads(response.get_data())["response"][ids.QUALITY_CONTENT]["children"]
        grid = _find(rows, "quality-rejected")
        assert len(grid["rowData"]) == 107 and grid["dashGridOptions"]["paginationPageSize"] == 50


def _find(tree, component_id: str) -> dict:
    """The props of the component ``component_id`` in a Dash component tree (as JSON)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == component_id:
                return node["props"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise KeyError(component_id)


def test_an_old_report_is_bounded_once_and_keeps_its_counts(tmp_path):
    report = huge_report(date(2024, 1, 1))
    report["rejected"] = report["rejected"][:250] + report["rejected"][-7:]  # small enough for a unit test
    bounded = bounded_report(report)
    assert len(bounded["rejected"]) == 107 and bounded["truncated"]
    assert bounded["problem_counts"]["rejected"] == {
        "support.csv": {"unknown_reference": 250},
        "residents.csv": {"invalid_bsn": 7},
    }
    assert bounded_report(bounded) == bounded  # a bounded report stays as it is
    new = bounded_form(huge_report(date(2024, 2, 1)))
    assert bounded_report(new)["problem_counts"]["rejected"]["support.csv"]["unknown_reference"] == 500_000


def test_policy_counts_come_from_problem_counts_not_from_the_cut_lists():
    report = bounded_form(huge_report(date(2024, 2, 1)))
    assert len(report["rejected"]) == 107  # only examples are listed
    protected = protect_report(report, 5)
    counts = {(row["file"], row["code"]): row["count"] for row in protected["rejected"]["by_code"]}
    assert counts == {("support.csv", "unknown_reference"): 500_000, ("residents.csv", "invalid_bsn"): 7}
    assert protected["rejected"]["total"] == 500_007
    # a small count is still protected, and so is the figure that would give it away
    report["problem_counts"]["rejected"]["residents.csv"]["invalid_bsn"] = 3
    small = protect_report(report, 5)["rejected"]
    assert {row["code"]: row["count"] for row in small["by_code"]}["invalid_bsn"] == "<5"
    assert small["total"] is None or None in [row["count"] for row in small["by_code"]]
    # a report without counts (stored by an older version) is counted from its full lists
    old = huge_report(date(2024, 1, 1))
    assert {row["code"]: row["count"] for row in protect_report(old, 5)["rejected"]["by_code"]} == {
        "invalid_bsn": 7,
        "unknown_reference": 500_000,
    }
