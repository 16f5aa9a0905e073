"""The dashboard's parts of issue 14: the /agenda page (by hand-built agendas), its cache (one
agenda per pair of stored snapshots), its print view, the refusal of the policy role, the
resident page's marks and next steps, and the overview's change figures."""

import json
import logging
import re
import threading
from collections import Counter
from datetime import date

import plotly.io
import pytest

from benchmarks.dash_client import callback_body
from dashboards import data
from dashboards.accounts import Account, hash_password
from dashboards.app import create_app
from dashboards.data import DataSource, agenda_for
from dashboards.pages.agenda import PAGE_SIZE, agenda_content, count_line, print_url
from dashboards.pages.overview import gap_changes, overview_content
from dashboards.pages.resident import circle_content, gap_statuses
from graph.analysis import Gap, agenda_json, build_agenda
from graph.stores import SqliteStore
from tests.dashboard_support import build_store, post_callback, response_text

OLDEST, MIDDLE, NEWEST = date(2023, 12, 1), date(2024, 3, 1), date(2024, 6, 1)
PASSWORDS = {"anna": "anna-team-password", "piet": "piet-policy-password"}


def as_text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def item(rank: int, resident: str, **changes) -> dict:
    """One hand-built agenda item: a new high gap of two helpers, a resolved low gap."""
    return {
        "rank": rank,
        "resident_id": resident,
        "neighbourhood": "Oost",
        "counts": {"high": 1, "medium": 0, "low": 0, "new": 1, "resolved": 1},
        "gaps": [
            {
                "type": "unaware_pair",
                "severity": "high",
                "helpers": ["H1", "H2"],
                "domains": [],
                "status": "new",
                "message": f"Kees and Samira do not know each other ({resident})",
                "action": "Introduce them",
            }
        ],
        "resolved": [
            {"type": "one_sided_awareness", "severity": "low", "helpers": ["H1", "H3"], "domains": []}
        ],
        "introduction": {
            "helpers": ["H1", "H2"],
            "weight": 3,
            "closes": [],
            "message": "Introduce Kees Bakker (volunteer) to Samira (household help): closes a gap",
        },
        "overview_holder": None,
        "circle": {"joined": ["H2"], "left": []},
        **changes,
    }


def agenda(items: list[dict], since: str | None = "2024-03-01") -> dict:
    return {
        "schema": "carecircle.agenda/1",
        "as_of": "2024-06-01",
        "since": since,
        "neighbourhood": None,
        "items": items,
        "meetings": [
            {
                "neighbourhood": "Oost",
                "a": "O1",
                "b": "O2",
                "unaware_pairs": 4,
                "shared_residents": 2,
                "message": "Invite Thuiszorg and Buurtteam to the same neighbourhood meeting",
            }
        ],
    }


# --- the page's content, by hand -----------------------------------------------------------------


def test_a_resident_on_the_agenda_shows_counts_next_steps_marks_and_a_link():
    shown = as_text(agenda_content(agenda([item(1, "R1")]), {"H2": "Samira"}, {"R1": "Mevrouw Piqué"}, "en"))
    assert "1 resident to discuss" in shown
    assert "changes since 1 March 2024" in shown
    assert "high 1 · medium 0 · low 0 · new 1 · resolved 1" in shown
    assert "Introduce Kees Bakker (volunteer) to Samira (household help): closes a gap" in shown
    assert '"href": "/residents/R1?from=agenda"' in shown and "Mevrouw Piqué (R1)" in shown
    assert "Joined the circle: Samira" in shown  # by name where the helper has one
    assert "NEW · " in shown and "RESOLVED · " in shown  # marks in words, not colour alone
    assert "Invite Thuiszorg and Buurtteam to the same neighbourhood meeting" in shown
    assert "nothing to compare with" not in shown


def test_without_an_earlier_snapshot_the_page_says_there_is_nothing_to_compare_with():
    first = item(1, "R1", counts={"high": 1, "medium": 0, "low": 0, "new": 0, "resolved": 0}, resolved=[])
    first["gaps"][0]["status"] = None
    shown = as_text(agenda_content(agenda([first], since=None), {}, {}, "nl"))
    assert "er valt niets te vergelijken" in shown and "geen eerdere peildatum" in shown
    assert (
        "hoog 1 · middel 0 · laag 0" in shown and "nieuw" not in shown.split("Peildatum")[1].split("niets")[0]
    )
    assert "NIEUW" not in shown and "opgelost 0" not in shown


def test_a_large_agenda_shows_the_first_page_of_residents():
    many = agenda([item(rank, f"R{rank:03d}") for rank in range(1, 121)])
    shown = as_text(agenda_content(many, {}, {}, "en", shown=PAGE_SIZE))
    assert "120 residents to discuss · the first 50 shown" in shown
    assert "agenda-item-50" in shown and "agenda-item-51" not in shown
    assert "agenda-item-100" in as_text(agenda_content(many, {}, {}, "en", shown=2 * PAGE_SIZE))


def test_an_empty_agenda_says_there_is_nothing_to_discuss():
    shown = as_text(agenda_content(agenda([]), {}, {}, "en"))
    assert "Nothing to discuss" in shown and "0 residents to discuss" in shown


def test_the_counts_and_the_print_address():
    assert (
        count_line(item(1, "R1")["counts"], True, "nl") == "hoog 1 · middel 0 · laag 0 · nieuw 1 · opgelost 1"
    )
    assert print_url(NEWEST, None, "Wijk & Zo") == "/agenda/print?as_of=2024-06-01&neighbourhood=Wijk+%26+Zo"


def test_the_resident_pages_marks_come_from_the_agenda_item():
    statuses = gap_statuses(item(1, "R1"))
    assert statuses == {("unaware_pair", ("H1", "H2"), ()): "new"}
    assert gap_statuses({"gaps": []}) == {}


# --- a real store: the cache, the cut to a neighbourhood, the print view, the policy role -------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return str(build_store(tmp_path_factory.mktemp("agenda-page")))


@pytest.fixture(scope="module")
def snapshots(store):
    with SqliteStore(store) as source:
        return {info.as_of: source.load(info.as_of) for info in source.snapshots()}


@pytest.fixture
def computed(monkeypatch) -> Counter:
    """How often the dashboard computed the agenda of each (T, S)."""
    counts, build = Counter(), data.build_agenda

    def counting(current, earlier, **options):
        counts[current.as_of, earlier.as_of if earlier is not None else None] += 1
        return build(current, earlier, **options)

    monkeypatch.setattr(data, "build_agenda", counting)
    return counts


def test_each_pair_of_snapshots_gets_one_agenda_however_often_and_however_many_ask(store, computed):
    source = DataSource(store, cache_bytes=10**12)
    threads = [threading.Thread(target=source.agenda) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for _ in range(3):
        assert (source.agenda().as_of, source.agenda().since) == (NEWEST, MIDDLE)  # the one before
        assert source.agenda(NEWEST, OLDEST).since == OLDEST
        assert source.agenda(NEWEST, NEWEST).since == MIDDLE  # no earlier snapshot: the one before
        assert source.agenda(OLDEST).since is None
    assert computed == {(NEWEST, MIDDLE): 1, (NEWEST, OLDEST): 1, (OLDEST, None): 1}
    assert set(source.cached_agendas()) == {(NEWEST, MIDDLE), (NEWEST, OLDEST), (OLDEST, None)}
    # the snapshot T loaded for an agenda gave its view: no second analysis needed for it
    assert {day for day, _ in source.cached()} == {NEWEST, OLDEST}


def test_agendas_are_evicted_with_the_views_within_the_budget(store, computed):
    tiny = DataSource(store, cache_bytes=1)
    tiny.agenda(NEWEST)
    tiny.agenda(MIDDLE)
    assert tiny.cached_agendas() == [] and len(tiny.cached()) == 1  # the view just built stays
    tiny.agenda(NEWEST)
    assert computed[NEWEST, MIDDLE] == 2


def test_warming_computes_the_newest_agenda_once(store, computed):
    source = DataSource(store, cache_bytes=10**12)
    source.warm()
    source.warm()
    assert computed == {(NEWEST, MIDDLE): 1}


def test_an_earlier_snapshot_analysed_already_is_not_read_again_for_the_agenda(store, snapshots, monkeypatch):
    source = DataSource(store, cache_bytes=10**12)
    source.view(MIDDLE)  # S is kept analysed
    read, load = [], SqliteStore.load

    def counting(self, as_of=None, neighbourhood=None):
        read.append(as_of)
        return load(self, as_of, neighbourhood)

    monkeypatch.setattr(SqliteStore, "load", counting)
    entry = source.agenda(NEWEST, MIDDLE)
    assert read == [NEWEST]
    assert entry.words("en") == agenda_json(build_agenda(snapshots[NEWEST], snapshots[MIDDLE]))


def test_the_agenda_of_a_neighbourhood_is_what_the_command_gives(store, snapshots):
    entry = DataSource(store).agenda(NEWEST)
    for area in ("Stedenwijk", "Emmen-Centrum"):
        expected = agenda_json(build_agenda(snapshots[NEWEST], snapshots[MIDDLE], neighbourhood=area), "nl")
        assert entry.of(area, "nl") == expected
    assert agenda_for(entry.words("en"), None) == agenda_json(
        build_agenda(snapshots[NEWEST], snapshots[MIDDLE])
    )


def test_the_overviews_change_figures_count_what_the_agenda_counts(store):
    source = DataSource(store)
    now, before = source.view(NEWEST), source.view(MIDDLE)
    whole = source.agenda(NEWEST).words("en")
    for area in (None, "Stedenwijk"):
        items = agenda_for(whole, area)["items"]
        expected = {
            "new": sum(i["counts"]["new"] for i in items),
            "resolved": sum(i["counts"]["resolved"] for i in items),
        }
        assert gap_changes(now, before, area) == expected
    assert expected["new"] + expected["resolved"] > 0
    team = as_text(overview_content(now, None, "team", 5, "en", earlier=before))
    assert "New gaps since 1 March 2024" in team and "key-changes" in team
    assert "The team agenda: what changed, and what to do next" in team and '"href": "/agenda"' in team
    policy = as_text(overview_content(now, None, "policy", 5, "en", earlier=before))
    assert "New gaps since" not in policy


def test_the_resident_page_puts_the_next_steps_on_top_and_marks_each_gap(store):
    source = DataSource(store)
    entry, view = source.agenda(NEWEST), source.view(NEWEST)
    chosen = next(i for i in entry.words("en")["items"] if i["introduction"] and i["resolved"] and i["gaps"])
    shown = as_text(circle_content(view, chosen["resident_id"], "en", chosen, entry.since))
    assert shown.index("circle-recommendation") < shown.index("circle-gaps")
    assert chosen["introduction"]["message"] in shown
    marks = Counter(gap["status"] for gap in chosen["gaps"])
    assert shown.count("gap-status gap-status-new") == marks["new"]
    assert shown.count("gap-status gap-status-persisting") == marks["persisting"]
    assert "Resolved since 1 March 2024" in shown
    assert shown.count("gap-status gap-status-resolved") == len(chosen["resolved"])
    # without the agenda the page is as before
    plain = as_text(circle_content(view, chosen["resident_id"], "en"))
    assert "gap-status" not in plain and "circle-recommendation" not in plain


@pytest.fixture(scope="module")
def app(store):
    accounts = {
        "anna": Account("anna", "team", hash_password(PASSWORDS["anna"])),
        "piet": Account("piet", "policy", hash_password(PASSWORDS["piet"])),
    }
    return create_app(store, accounts=accounts, session_key="agenda-page")


def logged_in(app, user: str):
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    client.post("/login", data={"user": user, "password": PASSWORDS[user], "csrf": token, "next": "/"})
    client.get("/")
    return client


def audit_events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "carecircle.audit"]


def test_the_print_view_is_the_self_contained_page_for_the_team_and_audited(app, caplog):
    caplog.set_level(logging.INFO, logger="carecircle.audit")
    team = logged_in(app, "anna")
    response = team.get("/agenda/print?as_of=2024-06-01&since=2023-12-01&neighbourhood=Stedenwijk")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<script" not in page and "http" not in page.split("</title>")[1]
    assert "Agenda voor het casusoverleg, 1 juni 2024 — veranderingen sinds 1 december 2023" in page
    assert "Wijk: Stedenwijk" in page
    printed = [e for e in audit_events(caplog) if e["event"] == "printed agenda"]
    assert printed == [
        {
            "event": "printed agenda",
            "user": "anna",
            "role": "team",
            "as_of": "2024-06-01",
            "since": "2023-12-01",
            "neighbourhood": "Stedenwijk",
            "address": printed[0]["address"],
        }
    ]
    # the residents the page shows (top), else the first page of them: never a whole municipality
    residents = len(re.findall(r"Bewoner R", page))
    shortened = team.get("/agenda/print?as_of=2024-06-01&since=2023-12-01&neighbourhood=Stedenwijk&top=2")
    assert residents > 2 and len(re.findall(r"Bewoner R", shortened.get_data(as_text=True))) == 2


def test_a_policy_session_gets_nothing_from_the_agenda(app, caplog):
    caplog.set_level(logging.INFO, logger="carecircle.audit")
    policy = logged_in(app, "piet")
    response = policy.get("/agenda/print?as_of=2024-06-01")
    assert response.status_code == 403 and "R0" not in response.get_data(as_text=True)
    assert [e for e in audit_events(caplog) if e["event"] == "refused"][-1]["path"] == "/agenda/print"
    inputs = {
        "snapshot-select.value": "2024-06-01",
        "agenda-since.value": "2024-03-01",
        "neighbourhood-select.value": None,
        "agenda-more.n_clicks": 1,
        "agenda-shown.data": 50,
    }
    for output in ("agenda-content", "agenda-since"):
        assert post_callback(policy, app, output, inputs).status_code == 403
    team = logged_in(app, "anna")
    assert "agenda-item-1" in response_text(post_callback(team, app, "agenda-content", inputs))
    # not logged in: the login page
    assert app.server.test_client().get("/agenda/print").status_code == 302


def test_show_more_adds_a_page_and_a_new_choice_starts_again(app):
    team = logged_in(app, "anna")
    inputs = {
        "snapshot-select.value": "2024-06-01",
        "agenda-since.value": "2024-03-01",
        "neighbourhood-select.value": None,
        "agenda-more.n_clicks": 0,
        "agenda-shown.data": 50,
    }
    first = json.loads(response_text(post_callback(team, app, "agenda-content", inputs)))["response"]
    assert first["agenda-shown"]["data"] == PAGE_SIZE
    assert first["agenda-print"]["href"] == "/agenda/print?as_of=2024-06-01&since=2024-03-01&top=50"
    assert "agenda-item-50" in json.dumps(first) and "agenda-item-51" not in json.dumps(first)
    assert first["agenda-more"]["style"] == {}
    clicked = callback_body(app, "agenda-content", {**inputs, "agenda-more.n_clicks": 1})
    more = team.post("/_dash-update-component", json={**clicked, "changedPropIds": ["agenda-more.n_clicks"]})
    second = more.get_json()["response"]
    assert second["agenda-shown"]["data"] == 2 * PAGE_SIZE
    assert "agenda-item-51" in json.dumps(second)
    # any other change (here: another snapshot to compare with) starts again at the first page
    again = callback_body(app, "agenda-content", {**inputs, "agenda-shown.data": 100})
    third = team.post("/_dash-update-component", json={**again, "changedPropIds": ["agenda-since.value"]})
    assert third.get_json()["response"]["agenda-shown"]["data"] == PAGE_SIZE


def test_gap_identity_of_the_resident_page_is_the_agendas():
    gap = Gap("unmet_need", "R1", domains=("meals",))
    assert gap_statuses(
        {"gaps": [{"type": gap.type, "helpers": [], "domains": ["meals"], "status": "new"}]}
    ) == {(gap.type, gap.helpers, gap.domains): "new"}
