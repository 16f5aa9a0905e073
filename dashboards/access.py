"""Who may see what in the request at hand: the app's gatekeeper, the session and role of the
current request, the account a login form names, and the audit log.

Without accounts the dashboard only listens on 127.0.0.1 and the local user has the team
role. With accounts (:mod:`dashboards.accounts`) every request needs a login, and the role
comes with the account. The session lives on the server (:mod:`dashboards.sessions`), so a
logout, or any change to the account in the users file, ends it at once; logins are throttled
(:mod:`dashboards.throttle`), and forms carry Flask-WTF's token. A policy session never gets a
resident-level page or callback: the server refuses it before any callback runs.
"""

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from dashboards.accounts import ROLES, Account, AccountBook
from dashboards.sessions import Login, SessionStore
from dashboards.throttle import LoginThrottle

__all__ = [
    "AUDIT_LOGGER",
    "GATEKEEPER_KEY",
    "Gatekeeper",
    "attempted_account",
    "audit",
    "audit_to_file",
    "current_login",
    "current_role",
    "current_user",
    "end_session",
    "start_session",
]

#: where create_app() keeps the app's Gatekeeper in the Flask config
GATEKEEPER_KEY = "CARECIRCLE_GATEKEEPER"
AUDIT_LOGGER = "carecircle.audit"
_audit = logging.getLogger(AUDIT_LOGGER)


@dataclass
class Gatekeeper:
    """One dashboard's accounts, sessions and login throttle (kept in its Flask config)."""

    book: AccountBook
    sessions: SessionStore = field(default_factory=SessionStore)
    throttle: LoginThrottle = field(default_factory=lambda: LoginThrottle(_attempted_name, _address))

    @property
    def required(self) -> bool:
        """Whether every request needs a login."""
        return self.book.required

    def accounts(self) -> dict[str, Account]:
        """The accounts now; when the users file changed, the sessions of changed accounts end."""
        accounts, changed = self.book.current()
        if changed:
            for user in self.sessions.retain(accounts):
                _write_audit({"event": "session ended", "user": user, "reason": "account changed"})
        return accounts


_LOGIN = "carecircle_login"
_ATTEMPT = "carecircle_attempt"


def _gatekeeper() -> Gatekeeper | None:
    from flask import current_app

    return current_app.config.get(GATEKEEPER_KEY)


def current_login() -> Login | None:
    """The session of the current request; None outside a request, without accounts, and when not
    (or no longer) logged in."""
    from flask import g, has_request_context, session

    if not has_request_context():
        return None
    if _LOGIN not in g:
        keeper = _gatekeeper()
        live = keeper is not None and keeper.required
        setattr(g, _LOGIN, keeper.sessions.find(session.get("sid"), keeper.accounts()) if live else None)
    return getattr(g, _LOGIN)


def attempted_account() -> Account | None:
    """The account the current login form names; None for a name that is no account.

    The name is looked up once per request (the throttle asks for it once per allowance).
    """
    from flask import g, request

    if _ATTEMPT not in g:
        name = (request.form.get("user") or "").strip().lower()
        setattr(g, _ATTEMPT, _gatekeeper().accounts().get(name))
    return getattr(g, _ATTEMPT)


def _attempted_name() -> str | None:
    account = attempted_account()
    return account.name if account else None


def _address() -> str:
    from flask import request

    return request.remote_addr or "-"


def current_user() -> str | None:
    """The logged-in user's name, or None (no accounts, or not logged in)."""
    login = current_login()
    return login.user if login else None


def current_role() -> str:
    """The role of the current request: the session's role, or team without accounts.

    Outside a request, and for a request that is not logged in while accounts exist, the
    answer is ``policy``: the role that sees least.
    """
    from flask import has_request_context

    if not has_request_context():
        return "policy"
    keeper = _gatekeeper()
    if keeper is None:
        return "policy"
    if not keeper.required:
        return "team"
    login = current_login()
    return login.role if login and login.role in ROLES else "policy"


def start_session(account: Account) -> None:
    """Log ``account`` in: a new session id in the cookie (and a new form token with the next form),
    the session on the server."""
    from flask import current_app, g, session

    session.clear()
    session["sid"] = _gatekeeper().sessions.open(account)
    g.pop(_LOGIN, None)
    # Flask-WTF keeps this request's token in g: it belonged to the session just cleared
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)


def end_session() -> None:
    """Log out: the server forgets the session, so a copy of the cookie gets nothing any more."""
    from flask import g, session

    _gatekeeper().sessions.close(session.get("sid"))
    session.clear()
    setattr(g, _LOGIN, None)


def audit(event: str, **fields: object) -> None:
    """Record who did what (logins, opened circles, exports) as one JSON line on the audit logger.

    Residents appear by their resident id only, never by name; the user is the account name
    (``(local)`` without accounts).
    """
    from flask import has_request_context, request

    record = {"event": event, "user": current_user() or "(local)", "role": current_role(), **fields}
    if has_request_context():
        record["address"] = request.remote_addr
    _write_audit(record)


def _write_audit(record: dict) -> None:
    _audit.info(json.dumps(record, ensure_ascii=False, default=str))


def audit_to_file(path: Path) -> logging.Handler:
    """Append the audit log to ``path`` (created with mode 0600), one JSON line per event with its time."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter('{"time": "%(asctime)s", "entry": %(message)s}'))
    _audit.addHandler(handler)
    _audit.setLevel(logging.INFO)
    return handler
