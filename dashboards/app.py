"""The carecircle dashboard: ``create_app()`` builds it, ``serve()`` runs it (SPEC §8)."""

import json
import logging
import os
import secrets
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

import dash
import jinja2
import plotly.io
from dash import Input, Output
from flask import Flask, abort, has_request_context, redirect, render_template, request, session
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.wrappers import Response

from dashboards import access, accounts, compression, hosts, ids
from dashboards.access import Gatekeeper
from dashboards.accounts import AccessError, Account, AccountBook
from dashboards.components import figures
from dashboards.components.shell import OWN_CONTROLS, shell
from dashboards.context import SETTINGS_KEY, Settings, on_callback_error, selected_view
from dashboards.data import DataSource
from dashboards.hosts import is_loopback
from dashboards.i18n import COOKIE, LANGUAGES, current_language
from dashboards.pages import PAGES
from graph.language import N_, translate, translate_plural

__all__ = ["create_app", "serve"]

ASSETS = Path(__file__).parent / "assets"
#: the plain pages (login, logout) are Jinja templates, rendered by Flask with autoescaping
TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger("carecircle.dashboard")

#: The Content-Security-Policy of every response; ``script-src`` also gets the hashes of Dash's
#: inline scripts. Mantine, Plotly and AG Grid set inline styles, hence ``'unsafe-inline'`` for
#: styles only; Plotly draws with data: and blob: images.
CONTENT_SECURITY_POLICY = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:", "blob:"),
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}
#: Headers on every response (the policy above comes with them)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
#: The policy of the plain-text refusal of an unknown host name: it may load nothing
REFUSAL_POLICY = "default-src 'none'; frame-ancestors 'none'"
#: With secure cookies (behind TLS): browsers keep to HTTPS for a year
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
#: What the login page may say about why it is shown (the key is kept in the cookie for one page)
LOGIN_NOTICES = {
    "login.ended": N_(
        "Your session has ended (logged out, not used for too long, the server restarted, or your"
        " account was changed). Please log in again."
    ),
    "logout.done": N_("You are logged out."),
}
#: The texts of the login and logout pages
PAGE_TEXTS = {
    "login": N_("Log in"),
    "login_title": N_("Log in to carecircle"),
    "user": N_("User name"),
    "password": N_("Password"),
    "failed": N_("User name or password is wrong."),
    "expired": N_("The form expired; please try again."),
    "logout": N_("Log out"),
    "logout_title": N_("Log out of carecircle"),
    "signed_in": N_("You are logged in as {user}."),
    "back": N_("Back to the dashboard"),
}
#: What a request for a host name the dashboard does not serve is told
HOST_REFUSED = N_(
    "carecircle does not answer to the host name {host}. If this is the address of the dashboard,"
    " an administrator adds it to CARECIRCLE_ALLOWED_HOSTS and restarts carecircle serve."
)
#: What a browser says (Fetch Metadata, ``Sec-Fetch-Site``) of a request another site started
FOREIGN_SITES = frozenset({"cross-site", "same-site"})


def create_app(
    store: str = "carecircle.db",
    *,
    database: str | None = None,
    accounts: Mapping[str, Account] | None = None,
    users_file: Path | None = None,
    pilot: str | None = None,
    k: int = 5,
    session_key: str | None = None,
    secure_cookies: bool = False,
    allowed_hosts: Iterable[str] | None = hosts.LOOPBACK_HOSTS,
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
    accounts : mapping, optional
        Accounts by name; with accounts every request needs a login, without them the
        local user has the team role. Read from ``users_file`` when not given.
    users_file : Path, optional
        The users file the accounts come from: looked at once a second at most, and read
        again when it changed; the sessions of an account that changed or disappeared end.
    pilot : str, optional
        The pilot neighbourhood the trends page compares with the rest by default.
    k : int
        Small-cell threshold of the policy role.
    session_key : str, optional
        Key that signs the session cookie (it holds the session id and the form token) and the
        form tokens;
        random per start when not given. Logins end with a restart either way: sessions live
        in the server's memory.
    secure_cookies : bool
        Send the session cookie over HTTPS only (set this behind a TLS proxy); responses then
        also carry ``Strict-Transport-Security``.
    allowed_hosts : iterable of str, optional
        The host names (``Host`` header, any port) the dashboard answers to; any other gets
        ``400`` before anything else runs (against DNS rebinding). The loopback names by
        default; None answers to any name.
    """
    plotly.io.templates.default = figures.TEMPLATE
    server = Flask("carecircle", template_folder=str(TEMPLATES))
    # a template that names a value it was not given fails loudly instead of showing nothing
    server.jinja_env.undefined = jinja2.StrictUndefined
    server.config.update(
        SECRET_KEY=session_key or secrets.token_urlsafe(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="carecircle_session",
        # Flask-WTF's form token: in the field "csrf"; valid as long as the session it belongs to
        # (sessions end on the server), renewed at each login
        WTF_CSRF_FIELD_NAME="csrf",
        WTF_CSRF_TIME_LIMIT=None,
    )
    compression.compress_responses(server)
    keeper = Gatekeeper(AccountBook(accounts, users_file))
    server.config[access.GATEKEEPER_KEY] = keeper
    data = DataSource(store, database=database, k=k)
    server.config[SETTINGS_KEY] = Settings(data=data, store=store, pilot=pilot, k=k)
    app = _LanguageDash(
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
        # a store that cannot be read (damaged, locked, …) is said on the page, not a 500
        on_error=on_callback_error,
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
        accounts=keeper.required,
        csrf=generate_csrf() if access.current_user() else None,
    )
    for page in PAGES:
        page.register_callbacks(app)
    _register_shell_callbacks(app)
    _register_access(server)
    _register_headers(app, secure_cookies)
    if allowed_hosts is not None:
        names = allowed_hosts.split(",") if isinstance(allowed_hosts, str) else allowed_hosts
        served = hosts.host_names(names, "allowed_hosts")
        server.wsgi_app = _HostFilter(server.wsgi_app, served)
    return app


class _LanguageDash(dash.Dash):
    """Dash whose pages say their language: ``<html lang>`` is the session's (a screen reader reads
    the page in it; a browser hyphenates and translates by it)."""

    def interpolate_index(self, **kwargs) -> str:
        """The page Dash serves, its ``<html>`` with the language of the request."""
        page = super().interpolate_index(**kwargs)
        return page.replace("<html>", f'<html lang="{current_language()}">', 1)


def _register_shell_callbacks(app: dash.Dash) -> None:
    @app.callback(Output(ids.AREA, "data"), Input(ids.SNAPSHOT, "value"))
    def neighbourhood_options(as_of: str | None) -> list[str]:
        view = selected_view(as_of)
        return view.neighbourhoods if view else []

    # a page with controls of its own hides the header's snapshot and neighbourhood, which would
    # do nothing there (Dash's pages move between pages without loading the frame again)
    app.clientside_callback(
        f"""
        function(path) {{
            var own = {json.dumps(list(OWN_CONTROLS))};
            var page = (path || "/").replace(/\\/+$/, "") || "/";
            return own.indexOf(page) >= 0 ? {{"display": "none"}} : {{}};
        }}
        """,
        Output(ids.HEADER_PICKERS, "style"),
        Input("_pages_location", "pathname"),
    )

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
    keeper: Gatekeeper = server.config[access.GATEKEEPER_KEY]
    public = (
        "/login",
        "/logout",
        "/language/nl",
        "/language/en",
        "/assets/carecircle.css",
        "/assets/logo.svg",
    )

    @server.before_request
    def same_origin():
        # a browser marks a request another site started; such a POST is refused, whatever it
        # carries (Dash's callbacks included, which carry no form token: see below)
        if request.method != "GET" and request.headers.get("Sec-Fetch-Site") in FOREIGN_SITES:
            abort(403)

    # Flask-WTF checks the form token of every POST but Dash's callbacks: those are JSON that
    # only Dash's own scripts send (Dash reads no other content type, and another site cannot
    # send JSON without a CORS preflight this server never allows); the check above and the
    # session cookie's SameSite=Lax keep other sites out of them
    CSRFProtect(server).exempt(server.view_functions["/_dash-update-component"])
    keeper.throttle.init_app(server)

    @server.before_request
    def guard():
        if keeper.required and request.path not in public and access.current_login() is None:
            if session.pop("sid", None):  # logged out elsewhere, expired, or the account changed
                session["notice"] = "login.ended"
            if request.path.startswith("/_dash"):
                abort(401)
            return redirect(f"/login?next={_safe_next(request.full_path)}")
        if request.path == "/_dash-update-component" and access.current_role() != "team":
            outputs = _callback_outputs(request.get_data(cache=True))
            if outputs & ids.RESIDENT_LEVEL:
                access.audit("refused", outputs=sorted(outputs & ids.RESIDENT_LEVEL))
                abort(403)
        return None

    @server.route("/login", methods=["GET", "POST"])
    # checked and counted before the password is: a parallel burst gets only the free attempts
    @keeper.throttle.guard("login")
    def login():
        lang = current_language()
        target = _safe_next(request.values.get("next", "/"))
        if not keeper.required:
            return redirect(target)
        if request.method == "GET":
            notice = LOGIN_NOTICES.get(session.pop("notice", None))
            return _login_page(lang, target, notice=translate(notice, lang) if notice else None)
        account = access.attempted_account()
        if not accounts.verify_password(account, request.form.get("password") or ""):
            # a name that is no account may be a password typed in the wrong field: never log it
            name = account.name if account else "(unknown)"
            access.audit("login failed", attempted=name)
            # 200, not 401: the form is shown again with the message (a browser logs 4xx as errors)
            return _login_page(lang, target, error=translate(PAGE_TEXTS["failed"], lang))
        keeper.throttle.succeeded()
        access.start_session(account)
        access.audit("login")
        return redirect(target)

    @server.errorhandler(RateLimitExceeded)
    def throttled(_: RateLimitExceeded):
        lang, wait = current_language(), keeper.throttle.wait()
        message = translate_plural(
            "Too many failed attempts. Try again in {count} second.",
            "Too many failed attempts. Try again in {count} seconds.",
            wait,
            lang,
        )
        response = _login_page(lang, _safe_next(request.values.get("next", "/")), error=message, status=429)
        response.headers["Retry-After"] = str(wait)
        return response

    @server.errorhandler(CSRFError)
    def form_expired(error: CSRFError):
        lang = current_language()
        expired = translate(PAGE_TEXTS["expired"], lang)
        if request.path == "/login":
            return _login_page(lang, _safe_next(request.values.get("next", "/")), error=expired, status=400)
        if request.path == "/logout":
            return _logout_page(lang, error=expired, status=400)
        return error

    @server.route("/language/<lang>")
    def language(lang: str):
        response = redirect(_safe_next(request.args.get("next", "/")))
        if lang in LANGUAGES:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", path="/")
        return response

    # a POST with the form token: another site can neither log a user out nor in
    @server.route("/logout", methods=["GET", "POST"])
    def logout():
        lang = current_language()
        if request.method == "GET":
            if access.current_user() is None:
                return redirect("/login" if keeper.required else "/")
            return _logout_page(lang)
        if access.current_user():
            access.audit("logout")
        access.end_session()
        if not keeper.required:
            return redirect("/")
        session["notice"] = "logout.done"
        return redirect("/login")


def _register_headers(app: dash.Dash, secure_cookies: bool) -> None:
    """Security headers and the Content-Security-Policy on every response."""

    @app.server.after_request
    def headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        # Dash adds its pages router's inline script at the first request: hashing the scripts
        # again for every response (5 µs) keeps the policy right whenever a script is added
        response.headers["Content-Security-Policy"] = _content_security_policy(app.csp_hashes())
        if secure_cookies:
            response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        return response


def _content_security_policy(script_hashes: Iterable[str]) -> str:
    """The header value of :data:`CONTENT_SECURITY_POLICY` with ``script_hashes`` allowed.

    Examples
    --------
    >>> policy = _content_security_policy(["'sha256-abc='"])
    >>> policy.split("; ")[:2]
    ["default-src 'self'", "script-src 'self' 'sha256-abc='"]
    """
    directives = {**CONTENT_SECURITY_POLICY}
    directives["script-src"] = (*directives["script-src"], *script_hashes)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class _HostFilter:
    """WSGI middleware: a request for a host name the dashboard does not serve gets ``400`` and a
    plain message, before any other code runs (a DNS-rebinding page never reaches the data)."""

    def __init__(self, wsgi_app, allowed: frozenset[str]) -> None:
        self.wsgi_app, self.allowed = wsgi_app, allowed

    def __call__(self, environ, start_response):
        header = environ.get("HTTP_HOST")
        if hosts.host_allowed(header, self.allowed):
            return self.wsgi_app(environ, start_response)
        # the page of another host name never saw the language cookie: say it in both languages
        host = hosts.host_name(header or "") or "-"
        text = "\n".join(translate(HOST_REFUSED, lang, host=host) for lang in LANGUAGES) + "\n"
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": REFUSAL_POLICY}
        response = Response(text, status=400, mimetype="text/plain", headers=headers)
        return response(environ, start_response)


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


def _login_page(
    lang: str, target: str, *, error: str | None = None, notice: str | None = None, status: int = 200
):
    """The login form (templates/login.html), with an ``error`` or a ``notice`` above it."""
    other = "en" if lang == "nl" else "nl"
    switch = f"/language/{other}?next={quote('/login?next=' + quote(target))}"
    texts = _texts(lang)
    page = render_template(
        "login.html",
        lang=lang,
        title=texts["login_title"],
        texts=texts,
        target=target,
        other=other,
        switch=switch,
        error=error,
        notice=notice,
    )
    return _html(page, status)


def _logout_page(lang: str, *, error: str | None = None, status: int = 200):
    """The page at GET /logout (a link or bookmark): it asks, the button logs out (templates/logout.html)."""
    user = access.current_user()
    texts = _texts(lang, user=user)
    page = render_template(
        "logout.html",
        lang=lang,
        title=texts["logout_title"],
        texts=texts,
        user=user,
        error=error,
        notice=None,
    )
    return _html(page, status)


def _texts(lang: str, **params: object) -> dict[str, str]:
    """:data:`PAGE_TEXTS` in ``lang``, with ``params`` filled in."""
    return {key: translate(text, lang, **params) for key, text in PAGE_TEXTS.items()}


def _html(page: str, status: int) -> Response:
    """``page`` as an HTML response with ``status``."""
    return Response(page, status=status, mimetype="text/html")


def serve(
    store: str,
    *,
    database: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8050,
    accounts: dict[str, Account] | None = None,
    users_file: Path | None = None,
    pilot: str | None = None,
    k: int = 5,
    session_key: str | None = None,
    secure_cookies: bool = False,
    threads: int = 8,
    ready=None,
) -> None:
    """Run the dashboard with waitress until interrupted (a ``KeyboardInterrupt`` in the main thread:
    Ctrl+C, or SIGTERM where the caller turns it into one), then close the server (its socket, and
    its threads once their requests are answered, 5 seconds at most), wait for an analysis in
    advance that is under way (a thread still in compiled code when Python exits can abort the
    process), and return. Interrupted again meanwhile, it stops waiting.

    It answers to the host names of :func:`dashboards.hosts.hosts_to_serve`: the loopback
    names, ``host`` and the names in ``$CARECIRCLE_ALLOWED_HOSTS``; on every address
    (0.0.0.0, ::) without such names, to any name, with a warning in the log. The accounts
    are read again from ``users_file`` whenever it changes.

    Raises
    ------
    AccessError
        When ``host`` is not a loopback address and no accounts are configured, or
        ``$CARECIRCLE_ALLOWED_HOSTS`` holds something that is no host name.
    """
    if not is_loopback(host) and not accounts:
        raise AccessError(
            N_(
                "refusing to listen on {host} without accounts: anyone on the network would see residents."
                " Add users with 'carecircle users add', or keep --host 127.0.0.1"
            ),
            host=host,
        )
    allowed_hosts = _hosts_to_serve(host)
    from waitress import create_server

    app = create_app(
        store,
        database=database,
        accounts=accounts,
        users_file=users_file,
        pilot=pilot,
        k=k,
        session_key=session_key,
        secure_cookies=secure_cookies,
        allowed_hosts=allowed_hosts,
    )
    server = create_server(app.server, host=host, port=port, threads=threads, ident="carecircle")
    # more visitors than threads only wait their turn: not worth a warning for every request
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
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
        server.task_dispatcher.shutdown()
        warming.join()


def _hosts_to_serve(host: str) -> frozenset[str] | None:
    """The host names to answer to when listening on ``host`` (with ``$CARECIRCLE_ALLOWED_HOSTS``);
    a warning in the log when that is any name."""
    allowed = hosts.hosts_to_serve(host, os.environ.get(hosts.ALLOWED_HOSTS_ENV, ""))
    if allowed is None:
        log.warning(
            "listening on every address and answering to any host name: set %s to the names users"
            " type (for example dashboard.example.nl) so that other names are refused",
            hosts.ALLOWED_HOSTS_ENV,
        )
    return allowed
