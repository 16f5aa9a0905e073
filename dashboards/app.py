"""The carecircle dashboard: ``create_app()`` builds it, ``serve()`` runs it (SPEC §8)."""

import html as html_text
import json
import logging
import secrets
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

import dash
from dash import Input, Output
from flask import Flask, abort, has_request_context, make_response, redirect, request, session

from dashboards import access, ids
from dashboards.access import AccessError, Account, LoginThrottle, is_loopback
from dashboards.components.shell import shell
from dashboards.context import SETTINGS_KEY, Settings, selected_view
from dashboards.data import DataSource
from dashboards.i18n import COOKIE, LANGUAGES, current_language, t
from dashboards.pages import PAGES

__all__ = ["create_app", "serve"]

ASSETS = Path(__file__).parent / "assets"
log = logging.getLogger("carecircle.dashboard")


def create_app(
    store: str = "carecircle.db",
    *,
    database: str | None = None,
    accounts: dict[str, Account] | None = None,
    pilot: str | None = None,
    k: int = 5,
    session_key: str | None = None,
    secure_cookies: bool = False,
) -> dash.Dash:
    """Build the dashboard for the store ``store``.

    Nothing is read here: every page reads the store when it is requested, and each
    snapshot's analysis is cached until that snapshot changes.

    Parameters
    ----------
    store : str
        Store URI (a file path, ``sqlite:///PATH``, or a Neo4j server's ``bolt://`` address).
    database : str, optional
        The Neo4j database, for a server store.
    accounts : dict, optional
        Accounts by name; with accounts every request needs a login, without them the
        local user has the team role.
    pilot : str, optional
        The pilot neighbourhood the trends page compares with the rest by default.
    k : int
        Small-cell threshold of the policy role.
    session_key : str, optional
        Key that signs session cookies; random per start when not given (logins then end
        with a restart).
    secure_cookies : bool
        Send the session cookie over HTTPS only (set this behind a TLS proxy).
    """
    server = Flask("carecircle")
    server.config.update(
        SECRET_KEY=session_key or secrets.token_urlsafe(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="carecircle_session",
        CARECIRCLE_ACCOUNTS=dict(accounts or {}),
    )
    data = DataSource(store, database=database, k=k)
    server.config[SETTINGS_KEY] = Settings(data=data, store=store, pilot=pilot, k=k)
    app = dash.Dash(
        "carecircle",
        server=server,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title="carecircle",
        update_title=None,
        # layouts depend on the role (a policy session gets no resident-level components), so
        # not every callback's components are in every layout
        suppress_callback_exceptions=True,
        serve_locally=True,
        # no social-media meta tags: they echo the address (a resident id) into every page
        include_pages_meta=False,
    )
    for page in PAGES:
        page.register()
    # a function, so that each page load sees the store as it is now (Dash also calls it once
    # at start-up, outside any request: then it reads nothing)
    app.layout = lambda: shell(
        data.catalogue() if has_request_context() else [],
        lang=current_language(),
        role=access.current_role(),
        user=access.current_user(),
        accounts=bool(server.config["CARECIRCLE_ACCOUNTS"]),
    )
    for page in PAGES:
        page.register_callbacks(app)
    _register_shell_callbacks(app)
    _register_access(server)
    return app


def _register_shell_callbacks(app: dash.Dash) -> None:
    @app.callback(Output(ids.AREA, "data"), Input(ids.SNAPSHOT, "value"))
    def neighbourhood_options(as_of: str | None) -> list[str]:
        view = selected_view(as_of)
        return view.neighbourhoods if view else []

    # the language lives in a cookie, so that every page (and the login form) speaks it
    app.clientside_callback(
        f"""
        function(lang) {{
            if (!lang) {{ return window.dash_clientside.no_update; }}
            var current = (document.cookie.match(/(?:^|; ){COOKIE}=([a-z]+)/) || [])[1] || "nl";
            if (lang !== current) {{
                document.cookie = "{COOKIE}=" + lang + "; path=/; max-age=31536000; SameSite=Lax";
                window.location.reload();
            }}
            return lang;
        }}
        """,
        Output(ids.LANGUAGE_SINK, "children"),
        Input(ids.LANGUAGE, "value"),
    )


def _register_access(server: Flask) -> None:
    throttle = LoginThrottle()
    public = (
        "/login",
        "/logout",
        "/language/nl",
        "/language/en",
        "/assets/carecircle.css",
        "/assets/logo.svg",
    )

    @server.before_request
    def guard():
        accounts = server.config["CARECIRCLE_ACCOUNTS"]
        if accounts and request.path not in public and session.get("user") not in accounts:
            if request.path.startswith("/_dash"):
                abort(401)
            return redirect(f"/login?next={_safe_next(request.full_path)}")
        if request.path == "/_dash-update-component" and access.current_role() != "team":
            outputs = _callback_outputs(request.get_data(cache=True))
            if outputs & ids.RESIDENT_LEVEL:
                access.audit("refused", outputs=sorted(outputs & ids.RESIDENT_LEVEL))
                abort(403)
        return None

    @server.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @server.route("/login", methods=["GET", "POST"])
    def login():
        lang = current_language()
        accounts = server.config["CARECIRCLE_ACCOUNTS"]
        target = _safe_next(request.values.get("next", "/"))
        if not accounts:
            return redirect(target)
        if request.method == "GET":
            return _login_page(lang, target, None)
        name = (request.form.get("user") or "").strip().lower()
        keys = (f"user:{name}", f"address:{request.remote_addr}")
        if not access.csrf_valid(request.form.get("csrf")):
            return _login_page(lang, target, t("login.expired", lang), status=400)
        wait = throttle.wait(*keys)
        if wait:
            return _login_page(lang, target, t("login.throttled", lang, seconds=wait), status=429)
        account = accounts.get(name)
        if not access.verify_password(account, request.form.get("password") or ""):
            throttle.failed(*keys)
            # a name that is no account may be a password typed in the wrong field: never log it
            access.audit("login failed", attempted=name if name in accounts else "(unknown)")
            # 200, not 401: the form is shown again with the message (a browser logs 4xx as errors)
            return _login_page(lang, target, t("login.failed", lang))
        throttle.succeeded(*keys)
        session.clear()
        session["user"], session["role"] = account.name, account.role
        access.audit("login")
        return redirect(target)

    @server.route("/language/<lang>")
    def language(lang: str):
        response = redirect(_safe_next(request.args.get("next", "/")))
        if lang in LANGUAGES:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", path="/")
        return response

    @server.route("/logout")
    def logout():
        if session.get("user"):
            access.audit("logout")
        session.clear()
        return redirect("/login" if server.config["CARECIRCLE_ACCOUNTS"] else "/")


def _callback_outputs(body: bytes) -> set[str]:
    """The component ids a Dash callback request asks to update."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        abort(400)
    outputs = payload.get("outputs", [])
    found = set()
    for output in outputs if isinstance(outputs, list) else [outputs]:
        if isinstance(output, dict):
            component = output.get("id")
            found.add(
                json.dumps(component, sort_keys=True) if isinstance(component, dict) else str(component)
            )
    text = str(payload.get("output", ""))
    found |= {part.split(".")[0] for part in text.strip(".").split("...") if part}
    return found


def _safe_next(target: str) -> str:
    """Only a path on this server is a place to go after logging in."""
    parts = urlsplit(target or "/")
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return "/" if path.startswith("/login") else path


def _login_page(lang: str, target: str, error: str | None, status: int = 200):
    token = access.csrf_token()
    other = "en" if lang == "nl" else "nl"
    escape = html_text.escape
    switch = f"/language/{other}?next={quote('/login?next=' + quote(target))}"
    page = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("login.title", lang))}</title><link rel="stylesheet" href="/assets/carecircle.css"></head>
<body class="login-body"><main class="login-card">
<img src="/assets/logo.svg" alt="" width="48" height="48">
<h1>{escape(t("login.title", lang))}</h1>
{f'<p class="login-error" role="alert">{escape(error)}</p>' if error else ""}
<form method="post" action="/login" autocomplete="on">
<input type="hidden" name="csrf" value="{escape(token)}">
<input type="hidden" name="next" value="{escape(target)}">
<label for="user">{escape(t("login.user", lang))}</label>
<input id="user" name="user" autocomplete="username" required autofocus>
<label for="password">{escape(t("login.password", lang))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{escape(t("login.submit", lang))}</button>
</form>
<p class="login-language"><a href="{escape(switch)}">{other.upper()}</a></p>
</main></body></html>"""
    response = make_response(page, status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


def serve(
    store: str,
    *,
    database: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8050,
    accounts: dict[str, Account] | None = None,
    pilot: str | None = None,
    k: int = 5,
    session_key: str | None = None,
    secure_cookies: bool = False,
    threads: int = 8,
    ready=None,
) -> None:
    """Run the dashboard with waitress until interrupted.

    Raises
    ------
    AccessError
        When ``host`` is not a loopback address and no accounts are configured.
    """
    if not is_loopback(host) and not accounts:
        raise AccessError(
            f"refusing to listen on {host} without accounts: anyone on the network would see residents."
            " Add users with 'carecircle users add', or keep --host 127.0.0.1"
        )
    if session_key is None and accounts:
        log.warning("no CARECIRCLE_SESSION_KEY set: logins end when the server restarts")
    from waitress import create_server

    app = create_app(
        store,
        database=database,
        accounts=accounts,
        pilot=pilot,
        k=k,
        session_key=session_key,
        secure_cookies=secure_cookies,
    )
    server = create_server(app.server, host=host, port=port, threads=threads, ident="carecircle")
    stop_warming = threading.Event()
    warming = threading.Thread(
        target=app.server.config[SETTINGS_KEY].data.keep_warm,
        args=(stop_warming,),
        name="carecircle-warm",
        daemon=True,
    )
    warming.start()
    if ready is not None:
        ready(f"http://{host}:{server.effective_port}/")
    try:
        server.run()
    finally:
        stop_warming.set()
        server.close()
