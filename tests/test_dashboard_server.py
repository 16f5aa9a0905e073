"""The dashboard server: roles enforced on the server, login, accounts, and fresh data per request."""

import json
import os
import re
import stat
import subprocess
import sys

import pytest

from dashboards import ids
from dashboards.access import GATEKEEPER_KEY
from dashboards.accounts import AccessError, add_account, hash_password, load_accounts
from dashboards.app import _callback_outputs, _safe_next, create_app, serve
from graph.stores import SqliteStore
from tests.dashboard_support import build_store, post_callback, response_text
from tests.datasets import ingest, write_dataset

NEWEST = "2024-06-01"
PASSWORDS = {"anna": "anna-team-password", "piet": "piet-policy-password"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="module")
def accounts():
    from dashboards.accounts import Account

    return {
        "anna": Account("anna", "team", hash_password(PASSWORDS["anna"])),
        "piet": Account("piet", "policy", hash_password(PASSWORDS["piet"])),
    }


@pytest.fixture(scope="module")
def secured(store, accounts):
    return create_app(str(store), accounts=accounts, pilot="Stedenwijk", session_key="test-key")


def login(client, name: str, password: str | None = None):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return client.post(
        "/login", data={"user": name, "password": password or PASSWORDS[name], "csrf": token, "next": "/"}
    )


def logout(client):
    """Log out as the header's button does: POST /logout with the session's form token."""
    page = client.get("/logout").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return client.post("/logout", data={"csrf": token})


def resident_level_inputs() -> dict[str, object]:
    return {
        "snapshot-select.value": NEWEST,
        "neighbourhood-select.value": "Stedenwijk",
        "circle-resident-id.data": "R-PIQUE",
        "overlaps-type.value": "both",
        "overlaps-export.n_clicks": 1,
    }


# --- roles enforced on the server ---------------------------------------------------------------


def test_policy_session_gets_nothing_from_any_resident_level_callback(secured):
    policy, team = secured.server.test_client(), secured.server.test_client()
    assert login(policy, "piet").status_code == 302
    assert login(team, "anna").status_code == 302
    refused = 0
    for output in sorted(ids.RESIDENT_LEVEL):
        response = post_callback(policy, secured, output, resident_level_inputs())
        assert response.status_code == 403, output
        body = response_text(response)
        assert "R-PIQUE" not in body and "Piqué" not in body and "H-PIQUE" not in body
        refused += 1
    assert refused == len(ids.RESIDENT_LEVEL)
    # the same calls work for the team, so the refusal is about the role, not the request
    circle = post_callback(team, secured, ids.CIRCLE_CONTENT, resident_level_inputs())
    assert circle.status_code == 200 and "Mevrouw Piqué" in response_text(circle)
    request = {"startRow": 0, "endRow": 50, "filterModel": {"name": {"type": "contains", "filter": "Piqué"}}}
    inputs = resident_level_inputs() | {"residents-grid.getRowsRequest": request}
    grid = post_callback(team, secured, ids.RESIDENTS_GRID, inputs)
    assert grid.status_code == 200 and "R-PIQUE" in response_text(grid)


def test_policy_gets_aggregates_with_small_cells_suppressed(secured):
    policy = secured.server.test_client()
    login(policy, "piet")
    inputs = {"snapshot-select.value": NEWEST, "neighbourhood-select.value": "Emmen-Centrum"}
    response = post_callback(policy, secured, ids.OVERVIEW_CONTENT, inputs)
    assert response.status_code == 200
    body = response_text(response)
    # Emmen-Centrum: 6 residents; 3 of them with a gap: a small cell
    assert '"6"' in body and '"<5"' in body
    assert "R-EMMEN" not in body and "H-EMMEN" not in body
    quality = post_callback(policy, secured, ids.QUALITY_CONTENT, {"snapshot-select.value": NEWEST})
    text = response_text(quality)
    assert quality.status_code == 200 and "R-FORMULA" not in text and "unknown_code" in text


def test_the_pages_router_gives_a_policy_session_no_resident_page(secured):
    policy = secured.server.test_client()
    login(policy, "piet")
    policy.get("/")  # the first request sets up Dash's pages router
    for path in ("/residents", "/residents/R-PIQUE", "/overlaps"):
        inputs = {"_pages_location.pathname": path, "_pages_location.search": ""}
        response = post_callback(policy, secured, "_pages_content", inputs)
        text = response_text(response)
        assert response.status_code == 200 and "policy-unavailable" in text, path
        assert "R-PIQUE" not in text.replace(path, "")


def test_callback_outputs_are_read_from_single_and_multi_output_requests():
    single = {
        "output": "circle-content.children",
        "outputs": {"id": "circle-content", "property": "children"},
    }
    multi = {
        "output": "..residents-grid.rowData...residents-count.children..",
        "outputs": [
            {"id": "residents-grid", "property": "rowData"},
            {"id": "residents-count", "property": "x"},
        ],
    }
    assert _callback_outputs(json.dumps(single).encode()) == {"circle-content"}
    assert _callback_outputs(json.dumps(multi).encode()) == {"residents-grid", "residents-count"}


# --- login --------------------------------------------------------------------------------------


def test_every_address_needs_a_login_when_accounts_exist(secured):
    client = secured.server.test_client()
    page = client.get("/residents/R-PIQUE")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=/residents/R-PIQUE")
    assert post_callback(client, secured, ids.OVERVIEW_CONTENT, {}).status_code == 401
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/login").status_code == 200


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(secured):
    client = secured.server.test_client()
    response = login(client, "anna")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").status_code == 200
    ended = logout(client)
    assert ended.status_code == 302 and ended.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_wrong_password_unknown_user_and_missing_form_token_are_refused(secured):
    client = secured.server.test_client()
    wrong = login(client, "anna", "not the password")
    assert wrong.status_code == 200 and "klopt niet" in response_text(wrong)
    assert "klopt niet" in response_text(login(client, "nobody", "whatever-password"))
    forged = client.post("/login", data={"user": "anna", "password": PASSWORDS["anna"], "next": "/"})
    assert forged.status_code == 400
    assert client.get("/").status_code == 302


def test_repeated_failed_logins_are_slowed_down(store, accounts):
    app = create_app(str(store), accounts=accounts, session_key="k")
    # the throttle's clock stopped: the attempts count as made at one moment, however slow the machine
    app.server.config[GATEKEEPER_KEY].throttle.clock = lambda: 0.0
    client = app.server.test_client()
    statuses = [login(client, "anna", f"guess-number-{i}").status_code for i in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert 429 in statuses[3:]
    # even the right password waits its turn
    assert login(client, "anna").status_code == 429


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/residents?x=1", "/residents?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/login?next=/", "/"),
    ],
)
def test_after_login_only_local_paths_are_followed(target, safe):
    assert _safe_next(target) == safe


# --- accounts -----------------------------------------------------------------------------------


def test_users_add_writes_a_private_file_with_argon2_hashes(tmp_path):
    users = tmp_path / "users.toml"
    add_account(users, "anna", "team", "a long enough password")
    add_account(users, "piet", "policy", "another long password")
    assert stat.S_IMODE(os.stat(users).st_mode) == 0o600
    text = users.read_text()
    assert "a long enough password" not in text and text.count("$argon2id$") == 2
    accounts = load_accounts(users, environ={})
    assert {name: a.role for name, a in accounts.items()} == {"anna": "team", "piet": "policy"}


def test_accounts_from_environment_variables_and_bad_entries(tmp_path):
    hashed = hash_password("from the environment")
    accounts = load_accounts(None, environ={"CARECIRCLE_USER_KEES": f"policy:{hashed}", "OTHER": "x"})
    assert list(accounts) == ["kees"] and accounts["kees"].role == "policy"
    with pytest.raises(AccessError, match="needs role team or policy"):
        load_accounts(None, environ={"CARECIRCLE_USER_KEES": f"admin:{hashed}"})
    with pytest.raises(AccessError, match="needs an Argon2 password_hash"):
        load_accounts(None, environ={"CARECIRCLE_USER_KEES": "team:plaintext"})
    broken = tmp_path / "users.toml"
    broken.write_text("[users.anna\nrole = 'team'")
    with pytest.raises(AccessError, match="not a valid users file"):
        load_accounts(broken, environ={})


def test_serve_refuses_other_addresses_without_accounts(store):
    with pytest.raises(AccessError, match=r"refusing to listen on 0\.0\.0\.0 without accounts"):
        serve(str(store), host="0.0.0.0", port=0)
    result = subprocess.run(
        [sys.executable, "-m", "carecircle", "serve", "--store", str(store), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            k: v for k, v in os.environ.items() if not k.startswith(("CARECIRCLE_USER", "CARECIRCLE_USERS"))
        },
    )
    assert result.returncode == 2
    assert "refusing to listen on 0.0.0.0 without accounts" in result.stderr
    assert "Traceback" not in result.stderr


# --- data per request ---------------------------------------------------------------------------


def test_nothing_is_read_until_asked_and_a_new_ingest_shows_without_restart(tmp_path):
    path = tmp_path / "later.db"
    app = create_app(str(path))
    assert not path.exists()
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    empty = post_callback(client, app, ids.OVERVIEW_CONTENT, {})
    assert "carecircle ingest" in response_text(empty)
    assert not path.exists()
    dataset = write_dataset(tmp_path / "data")
    with SqliteStore(path) as store:
        store.save(ingest(dataset).snapshot, {"files": {}})
    shown = post_callback(client, app, ids.OVERVIEW_CONTENT, {})
    assert "2017-06-01" in response_text(shown)
    options = post_callback(client, app, ids.AREA, {"snapshot-select.value": "2017-06-01"})
    assert json.loads(options.get_data())["response"][ids.AREA]["data"] == ["Filmwijk", "Stedenwijk"]
    # re-ingesting the same date with other data replaces what the dashboard shows
    changed = write_dataset(
        tmp_path / "data2",
        {"residents.csv": "resident_id,neighbourhood\nR1,Stedenwijk\nR2,Filmwijk\nR3,Haven\n"},
    )
    with SqliteStore(path) as store:
        store.save(ingest(changed).snapshot, {"files": {}})
    options = post_callback(client, app, ids.AREA, {"snapshot-select.value": "2017-06-01"})
    assert json.loads(options.get_data())["response"][ids.AREA]["data"] == ["Filmwijk", "Haven", "Stedenwijk"]


def test_local_use_without_accounts_is_the_team_role(store):
    app = create_app(str(store))
    client = app.server.test_client()
    circle = post_callback(client, app, ids.CIRCLE_CONTENT, resident_level_inputs())
    assert circle.status_code == 200 and "Mevrouw Piqué" in response_text(circle)
    assert client.get("/login").status_code == 302
