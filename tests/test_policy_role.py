"""The policy role as an attacker who calls the dashboard's callbacks directly.

Every server-side callback the app registers is called as a logged-in policy session would call
it (``POST /_dash-update-component`` with the callback's inputs). The callbacks are read from
``app.callback_map``, so a callback added later is attacked without a change here. Each is called
twice: behind the server's request guard, and without it, as if a resident-level output were
missing from :data:`dashboards.ids.RESIDENT_LEVEL`. Nothing that comes back may hold a resident
id, a helper id, a name or a number that looks like a BSN; a resident-level callback refuses by
itself, and the refusal is audited.
"""

import csv
import itertools
import json
import logging
import re

import pytest

from benchmarks.dash_client import callback_request
from dashboards import ids
from dashboards.accounts import Account, hash_password
from dashboards.app import create_app
from graph.stores import SqliteStore
from tests.dashboard_support import build_store, response_text

PASSWORDS = {"anna": "anna-team-password", "piet": "piet-policy-password"}
NEWEST = "2024-06-01"
PAGES = (
    "/",
    "/residents",
    "/agenda",
    "/residents/R-PIQUE",
    "/overlaps",
    "/collaboration",
    "/trends",
    "/data-quality",
)
#: what a browser could send for each input or state: a list is tried value by value
VALUES = {
    "snapshot-select.value": NEWEST,
    "neighbourhood-select.value": [None, "Stedenwijk", "Emmen-Centrum"],
    "circle-resident-id.data": "R-PIQUE",
    "circle-print.n_clicks": 1,
    "overlaps-type.value": "both",
    "overlaps-export.n_clicks": 1,
    "trends-pilot.value": ["Stedenwijk", "Emmen-Centrum"],
    "trends-from.value": [None, "2024-03-01"],
    "residents-search.value": "Piqué",
    "residents-filter.data": [None, {"gap": "caregiver_unseen"}, {"coverage": 3}],
    # a grid paged on the server asks for a block of rows: the first, or Mrs Piqué's row by a filter
    "residents-grid.getRowsRequest": [
        {
            "startRow": 0,
            "endRow": 100,
            "sortModel": [{"colId": "gap_count", "sort": "desc"}],
            "filterModel": {},
        },
        {
            "startRow": 0,
            "endRow": 100,
            "filterModel": {"name": {"filterType": "text", "type": "contains", "filter": "Piqué"}},
        },
    ],
    "overlaps-grid.getRowsRequest": {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}},
    "overlaps-grid.filterModel": {"link": {"filterType": "text", "type": "equals", "filter": "R-PIQUE"}},
    "agenda-since.value": [None, "2023-12-01"],
    "collaboration-since.value": [None, "2023-12-01"],
    "agenda-more.n_clicks": 1,
    "agenda-shown.data": 50,
    "_pages_location.pathname": list(PAGES),
    "_pages_location.search": "",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("policy-role"))


@pytest.fixture(scope="module")
def secrets_of(store) -> dict[str, set[str]]:
    """What must never reach the policy role: every resident and helper id and name in the store,
    and the BSNs of the datasets it was loaded from."""
    people = {"ids": set(), "names": set(), "bsns": set()}
    with SqliteStore(store) as source:
        for info in source.snapshots():
            snapshot = source.load(info.as_of)
            for table, key in (("residents", "resident_id"), ("helpers", "helper_id")):
                for row in snapshot.records(table):
                    people["ids"].add(row[key])
                    if row["name"]:
                        people["names"].add(row["name"])
    for residents in (store.parent / "datasets").rglob("residents.csv"):
        with residents.open(encoding="utf-8") as handle:
            people["bsns"] |= {row["bsn"] for row in csv.DictReader(handle) if row.get("bsn")}
    assert len(people["ids"]) > 500 and len(people["names"]) > 300 and people["bsns"]
    return people


@pytest.fixture(scope="module")
def app(store):
    accounts = {
        "anna": Account("anna", "team", hash_password(PASSWORDS["anna"])),
        "piet": Account("piet", "policy", hash_password(PASSWORDS["piet"])),
    }
    return create_app(str(store), accounts=accounts, pilot="Stedenwijk", session_key="policy-role")


def logged_in(app, user: str):
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"user": user, "password": PASSWORDS[user], "csrf": token, "next": "/"}
    )
    assert response.status_code == 302
    client.get("/")  # the first page sets up Dash's pages router (a callback of its own)
    return client


def server_callbacks(app) -> list[str]:
    """Every callback that runs on the server (clientside callbacks run in the browser only)."""
    callbacks = [key for key, callback in app.callback_map.items() if "callback" in callback]
    assert len(callbacks) >= 11
    return callbacks


def requests_for(app, key: str) -> list[dict]:
    """The requests of a callback: one per combination of the values its inputs and states may take."""
    callback = app.callback_map[key]
    names = [f"{spec['id']}.{spec['property']}" for spec in callback["inputs"] + callback["state"]]
    choices = [value if isinstance(value, list) else [value] for value in (VALUES.get(n) for n in names)]
    return [
        callback_request(app, key, dict(zip(names, chosen, strict=True)))
        for chosen in itertools.product(*choices)
    ]


def outputs_of(key: str) -> set[str]:
    return {part.rsplit(".", 1)[0] for part in key.strip(".").split("...") if part}


def elfproef(number: str) -> bool:
    """Whether nine digits pass the BSN's 11-check.

    >>> elfproef("111222333"), elfproef("111222334")
    (True, False)
    """
    digits = [int(d) for d in number]
    return (sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]) % 11 == 0


def personal(text: str, people: dict) -> list[str]:
    """The ids, names and BSN-like numbers in ``text`` (a markdown escape does not hide an id)."""
    plain = text.replace("\\", "")
    tokens = set(re.findall(r"[\w-]+", plain)) | set(re.findall(r"[\w:-]+", plain))
    found = sorted(tokens & people["ids"])
    found += [name for name in people["names"] if name in plain]
    found += [n for n in re.findall(r"(?<![\d.])\d{9}(?!\d)", plain) if n in people["bsns"] or elfproef(n)]
    return found


def audited_refusals(caplog) -> list[dict]:
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "carecircle.audit"]
    return [record for record in records if record["event"] == "refused"]


def test_the_detector_finds_what_the_team_may_see(app, secrets_of):
    team = logged_in(app, "anna")
    found = []
    for key in server_callbacks(app):
        for body in requests_for(app, key):
            found += personal(response_text(team.post("/_dash-update-component", json=body)), secrets_of)
    assert "R-PIQUE" in found and "Mevrouw Piqué" in found and "H-PIQUE-NURSE" in found


@pytest.mark.parametrize("request_guard", [True, False], ids=["behind the request guard", "callbacks alone"])
def test_no_callback_gives_a_policy_session_anything_personal(
    app, secrets_of, request_guard, monkeypatch, caplog
):
    caplog.set_level(logging.INFO, logger="carecircle.audit")
    resident_level = ids.RESIDENT_LEVEL
    if not request_guard:
        monkeypatch.setattr(ids, "RESIDENT_LEVEL", frozenset())
    policy = logged_in(app, "piet")
    calls = 0
    for key in server_callbacks(app):
        for body in requests_for(app, key):
            caplog.clear()
            response = policy.post("/_dash-update-component", json=body)
            leaked = personal(response_text(response), secrets_of)
            assert not leaked, f"{key} gave policy {leaked[:3]}"
            calls += 1
            if not outputs_of(key) & resident_level:
                assert response.status_code == 200, key
                continue
            # refused: by the server before the callback runs, or by the callback itself
            assert response.status_code == (403 if request_guard else 204), key
            refusals = audited_refusals(caplog)
            assert len(refusals) == 1 and refusals[0]["role"] == "policy", key
            assert refusals[0]["outputs"] and set(refusals[0]["outputs"]) <= outputs_of(key), key
            assert request_guard or refusals[0]["callback"], key
    assert calls >= 30
