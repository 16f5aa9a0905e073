"""Sign-in and sessions under attack: the login throttle, revocable sessions, logout, security
headers and the host names served (issue 12)."""

import base64
import hashlib
import json
import logging
import random
import re
import threading
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask, request
from flask_limiter import RateLimitExceeded
from limits import parse_many
from limits.strategies import FixedWindowRateLimiter

from benchmarks.dash_client import callback_body
from dashboards import access, ids
from dashboards import accounts as account_module
from dashboards import hosts as host_module
from dashboards.accounts import PARALLEL_VERIFICATIONS, Account, AccountBook, add_account, hash_password
from dashboards.app import _hosts_to_serve, create_app, serve
from dashboards.sessions import SessionStore
from dashboards.throttle import (
    FIRST_WAIT,
    FORGET_FAILURES_AFTER,
    FREE_ATTEMPTS_PER_ACCOUNT,
    FREE_ATTEMPTS_PER_ADDRESS,
    LONGEST_WAIT,
    THROTTLE_CAPACITY,
    BoundedMemoryStorage,
    LoginThrottle,
    escalating_limit,
)
from tests.dashboard_support import build_store, post_callback, response_text

PASSWORDS = {"anna": "anna-team-password", "piet": "piet-policy-password", "kees": "kees-team-password"}
CIRCLE_INPUTS = {
    "snapshot-select.value": "2024-06-01",
    "neighbourhood-select.value": "Stedenwijk",
    "circle-resident-id.data": "R-PIQUE",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def accounts():
    roles = {"anna": "team", "piet": "policy", "kees": "team"}
    return {name: Account(name, role, hash_password(PASSWORDS[name])) for name, role in roles.items()}


@pytest.fixture
def secured(store, accounts):
    """A fresh app per test: every test starts with an empty throttle and no sessions."""
    return frozen(create_app(str(store), accounts=accounts, session_key="security-test"))


def frozen(app):
    """``app`` with its login throttle's clock stopped: every attempt counts as made at one moment,
    however long its password check takes (the throttle's waits run from the first failure)."""
    app.server.config[access.GATEKEEPER_KEY].throttle.clock = lambda: 0.0
    return app


def form_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def login(client, name: str, password: str | None = None, address: str = "127.0.0.1"):
    token = form_token(client)
    return client.post(
        "/login",
        data={"user": name, "password": password or PASSWORDS[name], "csrf": token, "next": "/"},
        environ_base={"REMOTE_ADDR": address},
    )


def logout(client):
    return client.post("/logout", data={"csrf": form_token(client, "/logout")})


def circle(client, app):
    return post_callback(client, app, ids.CIRCLE_CONTENT, CIRCLE_INPUTS)


# --- the login throttle ---------------------------------------------------------------------------


def test_a_colleague_at_the_same_address_logs_in_after_guesses_at_another_account(secured):
    attacker, colleague = secured.server.test_client(), secured.server.test_client()
    statuses = [login(attacker, "anna", f"guess-{n}").status_code for n in range(12)]
    assert statuses[:FREE_ATTEMPTS_PER_ADDRESS] == [200] * FREE_ATTEMPTS_PER_ADDRESS
    assert set(statuses[FREE_ATTEMPTS_PER_ADDRESS:]) == {429}
    assert login(colleague, "kees").status_code == 302
    assert circle(colleague, secured).status_code == 200
    # a name that is no account does not count against the colleague's account either
    assert login(colleague, "nobody", "whatever").status_code == 200


def test_names_that_are_no_account_share_one_allowance_per_address(secured):
    client = secured.server.test_client()
    names = [f"nobody-{n}" for n in range(FREE_ATTEMPTS_PER_ADDRESS + 1)]
    statuses = [login(client, name, "whatever-password").status_code for name in names]
    assert statuses == [200] * FREE_ATTEMPTS_PER_ADDRESS + [429]
    assert login(client, "nobody-x", "whatever", address="10.1.1.1").status_code == 200
    assert login(client, "anna").status_code == 302


def test_one_account_guessed_from_many_addresses_is_slowed(secured):
    client = secured.server.test_client()
    addresses = [f"10.0.{n // 250}.{n % 250 + 1}" for n in range(FREE_ATTEMPTS_PER_ACCOUNT + 5)]
    statuses = [login(client, "anna", "a wrong guess", address=a).status_code for a in addresses]
    assert statuses[:FREE_ATTEMPTS_PER_ACCOUNT] == [200] * FREE_ATTEMPTS_PER_ACCOUNT
    assert set(statuses[FREE_ATTEMPTS_PER_ACCOUNT:]) == {429}
    # another account is not slowed by it
    assert login(client, "kees", address=addresses[-1]).status_code == 302


class CountingHasher:
    """Wraps the password hasher: counts checks, and how many ran at the same time.

    Each check waits (up to half a second) for one more check to join it, so that checks that
    may overlap do overlap.
    """

    def __init__(self, hasher) -> None:
        self.hasher, self.calls, self.running, self.most = hasher, 0, 0, 0
        self.changed = threading.Condition()

    def verify(self, hashed: str, password: str) -> bool:
        with self.changed:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.running > PARALLEL_VERIFICATIONS, timeout=0.5)
        try:
            return self.hasher.verify(hashed, password)
        finally:
            with self.changed:
                self.running -= 1
                self.changed.notify_all()


def burst(app, name: str, addresses: list[str]) -> list[int]:
    """Wrong guesses at ``name``, all at once, one from each address; their statuses."""
    clients = [app.server.test_client() for _ in addresses]
    tokens = [form_token(client) for client in clients]
    start = threading.Barrier(len(addresses))

    def guess(number: int) -> int:
        start.wait()
        return (
            clients[number]
            .post(
                "/login",
                data={"user": name, "password": f"guess-{number}", "csrf": tokens[number], "next": "/"},
                environ_base={"REMOTE_ADDR": addresses[number]},
            )
            .status_code
        )

    with ThreadPoolExecutor(len(addresses)) as pool:
        return list(pool.map(guess, range(len(addresses))))


def test_a_parallel_burst_gets_exactly_the_free_attempts(secured, monkeypatch):
    hasher = CountingHasher(account_module._HASHER)
    monkeypatch.setattr(account_module, "_HASHER", hasher)
    statuses = burst(secured, "anna", ["192.0.2.7"] * 20)
    assert sorted(statuses) == [200] * FREE_ATTEMPTS_PER_ADDRESS + [429] * (20 - FREE_ATTEMPTS_PER_ADDRESS)
    assert hasher.calls == FREE_ATTEMPTS_PER_ADDRESS
    assert hasher.most <= PARALLEL_VERIFICATIONS


@pytest.mark.slow
def test_no_more_than_two_passwords_are_checked_at_once(secured, monkeypatch):
    hasher = CountingHasher(account_module._HASHER)
    monkeypatch.setattr(account_module, "_HASHER", hasher)
    # from 20 addresses: the account's allowance over all addresses lets 10 through, at once
    statuses = burst(secured, "anna", [f"198.51.100.{n}" for n in range(1, 21)])
    assert statuses.count(200) == FREE_ATTEMPTS_PER_ACCOUNT and hasher.calls == FREE_ATTEMPTS_PER_ACCOUNT
    assert hasher.most == PARALLEL_VERIFICATIONS
    # names that are no account are checked against a dummy hash, under the same limit
    hasher.most = 0
    unknown = burst(secured, "nobody", [f"203.0.113.{n}" for n in range(1, 9)])
    assert unknown == [200] * 8 and hasher.most == PARALLEL_VERIFICATIONS


def throttled_app(accounts: tuple[str, ...] = ("anna", "kees"), **options):
    """A Flask app whose POST /login only counts attempts (the password "right" succeeds), and its
    throttle; a refused attempt's body is the seconds to wait."""
    server = Flask("throttle-test")
    throttle = LoginThrottle(
        lambda: request.form["user"] if request.form["user"] in accounts else None,
        lambda: request.remote_addr,
        **options,
    )
    throttle.init_app(server)

    @server.post("/login")
    @throttle.guard("login")
    def login():
        if request.form["password"] == "right":
            throttle.succeeded()
            return "", 302
        return "", 200

    @server.errorhandler(RateLimitExceeded)
    def refused(_):
        return str(throttle.wait()), 429

    return server, throttle


def attempt(client, name: str = "anna", address: str = "10.0.0.1", password: str = "wrong") -> int:
    """A login attempt: 0 when it went ahead, else the seconds it must wait."""
    response = client.post(
        "/login", data={"user": name, "password": password}, environ_base={"REMOTE_ADDR": address}
    )
    return int(response.get_data(as_text=True)) if response.status_code == 429 else 0


def test_throttle_waits_double_up_to_the_longest_and_are_forgotten_after_a_while():
    now = [0.0]
    server, throttle = throttled_app(clock=lambda: now[0])
    client = server.test_client()
    # a guesser who tries again the moment a wait runs out: the times its attempts go ahead
    accepted, waits = [], []
    while len(accepted) < 16:
        wait = attempt(client)
        if wait:
            waits.append(wait)
            now[0] += wait
        else:
            accepted.append(now[0])
    expected, clock = [0.0] * FREE_ATTEMPTS_PER_ADDRESS, 0.0
    for doubling in range(16 - FREE_ATTEMPTS_PER_ADDRESS):
        clock += min(FIRST_WAIT * 2**doubling, LONGEST_WAIT)
        expected.append(clock)
    # up to half an hour after the first failure: each wait twice the one before, up to the longest
    within = [t for t in expected if t <= FORGET_FAILURES_AFTER]
    assert accepted[: len(within)] == within
    assert waits[:4] == [FIRST_WAIT, 2 * FIRST_WAIT, 4 * FIRST_WAIT, 8 * FIRST_WAIT]
    assert max(waits) == LONGEST_WAIT
    # the right password forgets every failure of the account, from this address and over all
    now[0] += 1.0
    assert attempt(client, password="right") == 0 and len(throttle) == 0
    assert [attempt(client) for _ in range(FREE_ATTEMPTS_PER_ADDRESS + 1)] == [0, 0, 0, FIRST_WAIT]
    # and failures are forgotten half an hour after the first of them
    now[0] += FORGET_FAILURES_AFTER
    assert [attempt(client) for _ in range(FREE_ATTEMPTS_PER_ADDRESS)] == [0, 0, 0]


def test_guesses_refused_at_one_address_do_not_count_over_all_addresses():
    client = throttled_app()[0].test_client()
    assert [attempt(client) for _ in range(12)] == [0] * 3 + [FIRST_WAIT] * 9
    elsewhere = [attempt(client, address=f"10.0.1.{n}") for n in range(FREE_ATTEMPTS_PER_ACCOUNT)]
    assert elsewhere == [0] * (FREE_ATTEMPTS_PER_ACCOUNT - 3) + [FIRST_WAIT] * 3


def test_a_flood_of_addresses_never_pushes_out_the_accounts_allowance():
    server, throttle = throttled_app(capacity=40)
    client = server.test_client()
    guesses = [attempt(client, address=f"10.0.2.{n}") for n in range(FREE_ATTEMPTS_PER_ACCOUNT + 1)]
    assert guesses == [0] * FREE_ATTEMPTS_PER_ACCOUNT + [FIRST_WAIT]
    # names that are no account, from 200 addresses: the counters per address are full ...
    assert {attempt(client, f"nobody-{n}", f"10.0.3.{n}") for n in range(200)} == {0}
    assert len(throttle) <= 2 * 40
    # ... and the account is still slowed from a new address, a colleague is not
    assert attempt(client, address="10.0.4.1") == FIRST_WAIT
    assert attempt(client, "kees", address="10.0.4.1") == 0


@pytest.mark.slow
def test_the_throttle_stays_bounded_under_100000_random_names():
    names = random.Random(12)
    guesses = [(f"{names.getrandbits(48):x}", f"2001:db8::{names.getrandbits(32):x}") for _ in range(100_000)]
    # the shortest and the longest window, as Flask-Limiter counts them for the login form
    shortest, *_, longest = parse_many(escalating_limit(FREE_ATTEMPTS_PER_ADDRESS))
    tracemalloc.start()
    try:
        storage = BoundedMemoryStorage()
        counter = FixedWindowRateLimiter(storage)
        held = {}
        for number, (name, address) in enumerate(guesses, start=1):
            counter.hit(shortest, f"{name} {address}", "login")
            counter.hit(longest, f"? {address}", "login")
            if number in (25_000, 100_000):
                held[number] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert storage.held == THROTTLE_CAPACITY
    # full after 10,000 names: the next 75,000 add nothing, and the whole stays small
    assert held[100_000] < 1.05 * held[25_000]
    assert held[100_000] < 8 * 2**20
    # a fresh (account, address) still gets its free attempts after the flood
    assert all(counter.hit(shortest, "anna 10.0.0.1", "login") for _ in range(FREE_ATTEMPTS_PER_ADDRESS))


def test_the_throttle_drops_the_least_recently_used_counters_beyond_its_capacity():
    storage = BoundedMemoryStorage(capacity=3)
    for key in ("a", "b", "c", "a", "d"):
        storage.incr(key, 60)
    assert storage.held == 3 and storage.get("b") == 0
    assert (storage.get("a"), storage.get("c"), storage.get("d")) == (2, 1, 1)


# --- revocable sessions ---------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_gets_nothing_after_it(secured):
    user = secured.server.test_client()
    assert login(user, "anna").status_code == 302
    copied = user.get_cookie("carecircle_session").value
    thief = secured.server.test_client()
    thief.set_cookie("carecircle_session", copied)
    assert circle(thief, secured).status_code == 200
    assert logout(user).status_code == 302
    refused = circle(thief, secured)
    assert refused.status_code == 401 and "Piqué" not in response_text(refused)
    page = thief.get("/residents/R-PIQUE")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")


def test_logout_is_audited(secured, caplog):
    client = secured.server.test_client()
    login(client, "anna")
    with caplog.at_level("INFO", logger=access.AUDIT_LOGGER):
        logout(client)
    assert [
        r.getMessage() for r in caplog.records if '"logout"' in r.getMessage() and '"anna"' in r.getMessage()
    ]


@pytest.fixture
def watched(store, tmp_path, monkeypatch):
    """An app reading its accounts from a users file it looks at on every request, with the
    users file and two team members logged in: (app, users file, anna's client, kees's client)."""
    monkeypatch.setattr(account_module, "USERS_FILE_RECHECK", 0.0)
    users = tmp_path / "users.toml"
    add_account(users, "anna", "team", PASSWORDS["anna"])
    add_account(users, "kees", "team", PASSWORDS["kees"])
    app = create_app(str(store), users_file=users, session_key="watched")
    anna, kees = app.server.test_client(), app.server.test_client()
    assert login(anna, "anna").status_code == 302 and login(kees, "kees").status_code == 302
    return app, users, anna, kees


def test_a_demotion_in_the_users_file_ends_the_session_and_the_next_login_has_policy(watched, caplog):
    app, users, anna, kees = watched
    assert circle(anna, app).status_code == 200
    add_account(users, "anna", "policy", PASSWORDS["anna"])
    with caplog.at_level("INFO", logger=access.AUDIT_LOGGER):
        ended = circle(anna, app)
    assert ended.status_code == 401 and "Piqué" not in response_text(ended)
    assert any('"session ended"' in r.getMessage() and '"anna"' in r.getMessage() for r in caplog.records)
    # her colleague's account did not change: his session goes on
    assert circle(kees, app).status_code == 200
    # the login page says why
    page = anna.get("/")
    assert page.status_code == 302
    assert "Log opnieuw in" in anna.get(page.headers["Location"]).get_data(as_text=True)
    assert login(anna, "anna").status_code == 302
    assert circle(anna, app).status_code == 403


def test_a_new_password_or_a_removed_account_ends_the_session(watched):
    app, users, anna, kees = watched
    add_account(users, "anna", "team", "a brand new password")
    assert circle(anna, app).status_code == 401
    assert login(anna, "anna").status_code == 200  # the old password no longer works
    users.write_text(users.read_text().split("[users.kees]")[0])
    assert circle(kees, app).status_code == 401
    assert login(kees, "kees").status_code == 200


def test_a_broken_users_file_lets_nobody_in_and_never_opens_the_dashboard(store, tmp_path, monkeypatch):
    monkeypatch.setattr(account_module, "USERS_FILE_RECHECK", 0.0)
    users = tmp_path / "users.toml"
    add_account(users, "anna", "team", PASSWORDS["anna"])
    app = create_app(str(store), users_file=users, session_key="broken")
    client = app.server.test_client()
    login(client, "anna")
    users.write_text("[users.anna\nrole = 'team'")
    assert circle(client, app).status_code == 401
    assert login(client, "anna").status_code == 200
    assert circle(app.server.test_client(), app).status_code == 401


def test_sessions_end_when_idle_too_long_or_too_old():
    now = [0.0]
    sessions = SessionStore(idle=60, max_age=300, clock=lambda: now[0])
    anna = Account("anna", "team", "$argon2id$x")
    accounts = {"anna": anna}
    idle = sessions.open(anna)
    now[0] = 61
    assert sessions.find(idle, accounts) is None and len(sessions) == 0
    busy = sessions.open(anna)
    for minute in range(2, 7):
        now[0] = 60 * minute
        assert (sessions.find(busy, accounts) is not None) == (now[0] - 60 <= 300)
    assert sessions.find("made-up", accounts) is None and sessions.find(None, accounts) is None


def test_the_session_store_is_bounded():
    sessions = SessionStore(capacity=5)
    anna = Account("anna", "team", "$argon2id$x")
    opened = [sessions.open(anna) for _ in range(8)]
    assert len(sessions) == 5
    assert sessions.find(opened[0], {"anna": anna}) is None
    assert sessions.find(opened[-1], {"anna": anna}) is not None


def test_the_users_file_is_looked_at_once_a_second_at_most(tmp_path, monkeypatch):
    now = [0.0]
    users = tmp_path / "users.toml"
    add_account(users, "anna", "team", PASSWORDS["anna"])
    looks = []
    real_identity = account_module._file_identity
    monkeypatch.setattr(
        account_module, "_file_identity", lambda path: looks.append(path) or real_identity(path)
    )
    book = AccountBook(users_file=users, clock=lambda: now[0])
    for tenth in range(25):
        now[0] = tenth / 10
        book.current()
    assert len(looks) == 3  # at 0, 1 and 2 seconds
    add_account(users, "anna", "policy", PASSWORDS["anna"])
    assert book.current()[0]["anna"].role == "team"  # not looked at again within the second
    now[0] = 3.0
    accounts, changed = book.current()
    assert changed and accounts["anna"].role == "policy"


# --- logout is a POST with the form token ----------------------------------------------------------


def test_get_logout_does_not_log_out(secured):
    client = secured.server.test_client()
    login(client, "anna")
    page = client.get("/logout")
    assert page.status_code == 200 and 'method="post" action="/logout"' in page.get_data(as_text=True)
    assert circle(client, secured).status_code == 200


def test_post_logout_without_a_valid_token_is_refused(secured):
    client = secured.server.test_client()
    login(client, "anna")
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 400
    assert circle(client, secured).status_code == 200
    assert logout(client).status_code == 302
    assert circle(client, secured).status_code == 401


def test_the_header_carries_the_logout_form_with_the_session_token(secured):
    client = secured.server.test_client()
    login(client, "anna")
    layout = json.loads(client.get("/_dash-layout").get_data())
    [form] = [props for props in components(layout) if props.get("action") == "/logout"]
    assert form["method"] == "post"
    [token] = [props["value"] for props in components({"props": form}) if props.get("name") == "csrf"]
    # Flask-WTF signs each token with the time: the header's token is not the page's string, but it
    # is the session's, so it logs out
    assert circle(client, secured).status_code == 200
    assert client.post("/logout", data={"csrf": token}).status_code == 302
    assert circle(client, secured).status_code == 401


def components(tree):
    """The props of every component in a Dash layout (JSON), depth first."""
    if isinstance(tree, list):
        for item in tree:
            yield from components(item)
    elif isinstance(tree, dict):
        props = tree.get("props", {})
        yield props
        yield from components(props.get("children"))


# --- forms: Flask-WTF's token, the templates, and what protects Dash's callbacks ---------------------


def test_the_login_page_is_a_template_in_both_languages_that_escapes_what_it_shows(secured):
    client = secured.server.test_client()
    target = '/residents?q="><script>alert(1)</script>'
    dutch = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert "<script>" not in dutch
    assert 'name="next" value="/residents?q=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in dutch
    for text in ("<title>Inloggen bij carecircle</title>", ">Gebruikersnaam</label>", ">Wachtwoord</label>"):
        assert text in dutch
    assert '<button type="submit">Inloggen</button>' in dutch and ">EN</a>" in dutch
    client.set_cookie("carecircle_lang", "en")
    english = client.get("/login").get_data(as_text=True)
    for text in ("<title>Log in to carecircle</title>", ">User name</label>", ">Password</label>"):
        assert text in english
    assert '<button type="submit">Log in</button>' in english and ">NL</a>" in english
    wrong = login(client, "anna", "not the password").get_data(as_text=True)
    assert '<p class="login-error" role="alert">User name or password is wrong.</p>' in wrong


def test_the_logout_page_in_both_languages(secured):
    client = secured.server.test_client()
    login(client, "anna")
    dutch = client.get("/logout").get_data(as_text=True)
    assert "<p>U bent ingelogd als anna.</p>" in dutch and '<button type="submit">Uitloggen</button>' in dutch
    client.set_cookie("carecircle_lang", "en")
    expired = client.post("/logout", data={"csrf": "forged"})
    english = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "The form expired; please try again." in english
    assert "<p>You are logged in as anna.</p>" in english and ">Back to the dashboard</a>" in english


def test_the_form_token_is_renewed_at_login_and_belongs_to_its_session(secured):
    client, colleague = secured.server.test_client(), secured.server.test_client()
    before = form_token(client)
    login(client, "anna")
    login(colleague, "kees")
    # the token of the form before the login, and another session's token, log nobody out
    for token in (before, form_token(colleague, "/logout")):
        assert client.post("/logout", data={"csrf": token}).status_code == 400
    assert circle(client, secured).status_code == 200
    assert logout(client).status_code == 302 and circle(colleague, secured).status_code == 200


def test_another_site_can_neither_log_in_nor_out(secured):
    client = secured.server.test_client()
    fields = {"user": "anna", "password": PASSWORDS["anna"], "csrf": form_token(client), "next": "/"}
    forged = client.post("/login", data=fields, headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403 and client.get("/").status_code == 302
    login(client, "anna")
    token = form_token(client, "/logout")
    for site in ("cross-site", "same-site"):
        refused = client.post("/logout", data={"csrf": token}, headers={"Sec-Fetch-Site": site})
        assert refused.status_code == 403
    assert circle(client, secured).status_code == 200


def test_dash_callbacks_carry_no_form_token_and_another_site_cannot_send_them(secured):
    client = secured.server.test_client()
    login(client, "anna")
    body = callback_body(secured, ids.CIRCLE_CONTENT, CIRCLE_INPUTS)

    def call(**options):
        return client.post("/_dash-update-component", **options)

    # Dash's own scripts send JSON without a form token: exempt from Flask-WTF
    ours = call(json=body, headers={"Sec-Fetch-Site": "same-origin"})
    assert ours.status_code == 200 and "Piqué" in response_text(ours)
    # a browser says when another site started the request
    for site in ("cross-site", "same-site"):
        refused = call(json=body, headers={"Sec-Fetch-Site": site})
        assert refused.status_code == 403 and "Piqué" not in response_text(refused)
    # what a page elsewhere can send without asking the server first is no JSON, and Dash refuses it
    for simple in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        refused = call(data=json.dumps(body), content_type=simple)
        assert refused.status_code == 415 and "Piqué" not in response_text(refused)
    # another site's POST carries no session cookie (SameSite=Lax): not logged in
    assert circle(secured.server.test_client(), secured).status_code == 401


# --- security headers --------------------------------------------------------------------------------


def csp_of(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_content_security_policy_and_security_headers_on_pages_login_and_callbacks(secured):
    client = secured.server.test_client()
    responses = {"login page": client.get("/login")}
    login(client, "anna")
    responses["page"] = client.get("/residents")
    responses["callback"] = circle(client, secured)
    for what, response in responses.items():
        policy = csp_of(response)
        assert policy["default-src"] == ["'self'"], what
        assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"], what
        assert all(source.startswith("'sha256-") for source in policy["script-src"][1:]), what
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], what
        assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"], what
        assert response.headers["X-Content-Type-Options"] == "nosniff", what
        assert response.headers["X-Frame-Options"] == "DENY", what
        assert "Strict-Transport-Security" not in response.headers, what
    # every inline script of the page is allowed by its hash, and only those
    page = re.sub(r"<!--.*?-->", "", responses["page"].get_data(as_text=True), flags=re.S)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S)
    assert inline and {script_hash(s) for s in inline} <= set(csp_of(responses["page"])["script-src"][1:])


def script_hash(script: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


def test_strict_transport_security_only_with_secure_cookies(store, accounts):
    app = create_app(str(store), accounts=accounts, session_key="tls", secure_cookies=True)
    response = app.server.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


# --- host names ------------------------------------------------------------------------------------


def test_another_host_name_gets_400_and_no_resident_data(store):
    app = create_app(str(store))
    client = app.server.test_client()
    for path in ("/", "/residents/R-PIQUE", "/_dash-layout", "/login"):
        refused = client.get(path, headers={"Host": "attacker.example"})
        assert refused.status_code == 400, path
        assert refused.mimetype == "text/plain"
        assert "CARECIRCLE_ALLOWED_HOSTS" in refused.get_data(as_text=True)
        assert "attacker.example" in refused.get_data(as_text=True)
    stolen = circle_on(client, app, "attacker.example:8050")
    assert stolen.status_code == 400 and "Piqué" not in response_text(stolen)
    for host in ("127.0.0.1:8050", "localhost", "LOCALHOST:1234", "[::1]:8050"):
        allowed = circle_on(client, app, host)
        assert allowed.status_code == 200 and "Piqué" in response_text(allowed), host


def circle_on(client, app, host: str):
    body = callback_body(app, ids.CIRCLE_CONTENT, CIRCLE_INPUTS)
    return client.post("/_dash-update-component", json=body, headers={"Host": host})


def test_loopback_is_read_as_an_ip_address_not_as_text(store):
    assert all(map(host_module.is_loopback, ("127.0.0.2", "::1", "[::ffff:127.0.0.1]", "LOCALHOST")))
    # names that only look like a loopback address: serving there without accounts is refused
    for host in ("127.evil.example", "0177.0.0.1", "::2"):
        assert not host_module.is_loopback(host)
        with pytest.raises(account_module.AccessError, match="refusing to listen"):
            serve(str(store), host=host, port=0)
    # the loopback address written out in full is the same host
    app = create_app(str(store))
    assert circle_on(app.server.test_client(), app, "[0:0:0:0:0:0:0:1]:8050").status_code == 200


def test_the_host_check_comes_before_the_login_redirect(secured):
    refused = secured.server.test_client().get("/", headers={"Host": "attacker.example"})
    assert refused.status_code == 400 and "Location" not in refused.headers


def test_allowed_host_names_from_the_environment(store, accounts):
    hosts = host_module.hosts_to_serve("0.0.0.0", "dashboard.gemeente.example")
    app = create_app(str(store), accounts=accounts, allowed_hosts=hosts, session_key="k")
    client = app.server.test_client()
    assert client.get("/login", headers={"Host": "dashboard.gemeente.example"}).status_code == 200
    assert client.get("/login", headers={"Host": "attacker.example"}).status_code == 400
    anywhere = create_app(str(store), accounts=accounts, allowed_hosts=None, session_key="k")
    assert anywhere.server.test_client().get("/login", headers={"Host": "any.example"}).status_code == 200
    with pytest.raises(
        account_module.AccessError, match="CARECIRCLE_ALLOWED_HOSTS: 'not a host' is no host name"
    ):
        host_module.hosts_to_serve("0.0.0.0", "not a host")


def test_serve_on_every_address_without_names_warns_and_with_a_bad_name_refuses(monkeypatch, caplog):
    monkeypatch.delenv(host_module.ALLOWED_HOSTS_ENV, raising=False)
    with caplog.at_level(logging.WARNING, logger="carecircle.dashboard"):
        assert _hosts_to_serve("0.0.0.0") is None
    assert any(host_module.ALLOWED_HOSTS_ENV in record.getMessage() for record in caplog.records)
    monkeypatch.setenv(host_module.ALLOWED_HOSTS_ENV, "dashboard.example.nl")
    assert "dashboard.example.nl" in _hosts_to_serve("::")
    assert "attacker.example" not in _hosts_to_serve("::")
    monkeypatch.setenv(host_module.ALLOWED_HOSTS_ENV, "dashboard.example.nl, not a host")
    with pytest.raises(account_module.AccessError, match="'not a host' is no host name"):
        serve("unused.db", host="0.0.0.0", port=0, accounts={"anna": Account("anna", "team", "$argon2id$x")})
