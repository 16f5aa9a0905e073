"""Who may see what: accounts with hashed passwords, the login, and the team and policy roles.

Without accounts the dashboard only listens on 127.0.0.1 and the local user has the team
role. With accounts (a users file, or ``CARECIRCLE_USER_<NAME>`` environment variables)
every request needs a login, and the role comes with the account. A policy session never
gets a resident-level page or callback: the server refuses it before any callback runs.
"""

import contextlib
import hmac
import json
import logging
import os
import re
import secrets
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from carecircle.errors import CarecircleError

__all__ = [
    "ROLES",
    "AccessError",
    "Account",
    "LoginThrottle",
    "add_account",
    "audit",
    "audit_to_file",
    "current_role",
    "current_user",
    "hash_password",
    "is_loopback",
    "load_accounts",
    "verify_password",
]

ROLES = ("team", "policy")
USER_ENV_PREFIX = "CARECIRCLE_USER_"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_HASHER = PasswordHasher()
AUDIT_LOGGER = "carecircle.audit"
_audit = logging.getLogger(AUDIT_LOGGER)


def audit(event: str, **fields: object) -> None:
    """Record who did what (logins, opened circles, exports) as one JSON line on the audit logger.

    Residents appear by their resident id only, never by name; the user is the account name
    (``(local)`` without accounts).
    """
    from flask import has_request_context, request

    record = {"event": event, "user": current_user() or "(local)", "role": current_role(), **fields}
    if has_request_context():
        record["address"] = request.remote_addr
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


class AccessError(CarecircleError):
    """Accounts cannot be read, or the server may not start as asked."""


@dataclass(frozen=True)
class Account:
    """A dashboard user: a login name, a role and an Argon2 password hash."""

    name: str
    role: str
    password_hash: str


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (argon2-cffi's recommended parameters)."""
    return _HASHER.hash(password)


def verify_password(account: Account | None, password: str) -> bool:
    """Whether ``password`` is the account's; spends the same time for an unknown account."""
    if account is None:
        with contextlib.suppress(VerificationError):
            _HASHER.verify(_DUMMY_HASH, password)
        return False
    try:
        return _HASHER.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


def load_accounts(users_file: Path | None = None, environ: dict | None = None) -> dict[str, Account]:
    """The configured accounts: from ``users_file`` (TOML) and ``CARECIRCLE_USER_<NAME>`` variables.

    The users file holds one table per user::

        [users.anna]
        role = "team"
        password_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."

    An environment variable ``CARECIRCLE_USER_ANNA="team:$argon2id$..."`` adds or replaces
    user ``anna``.

    Raises
    ------
    AccessError
        When the file cannot be read, or an entry has no valid role or hash.
    """
    accounts: dict[str, Account] = {}
    if users_file is not None:
        try:
            document = tomllib.loads(Path(users_file).read_text(encoding="utf-8"))
        except OSError as error:
            raise AccessError(f"{users_file}: cannot read the users file ({error.strerror})") from error
        except tomllib.TOMLDecodeError as error:
            raise AccessError(f"{users_file}: not a valid users file ({error})") from error
        for name, entry in (document.get("users") or {}).items():
            if not isinstance(entry, dict):
                raise AccessError(f"{users_file}: [users.{name}] must be a table with role and password_hash")
            accounts[name] = _account(name, entry.get("role"), entry.get("password_hash"), str(users_file))
    for variable, value in (os.environ if environ is None else environ).items():
        if variable.startswith(USER_ENV_PREFIX) and len(variable) > len(USER_ENV_PREFIX):
            name = variable.removeprefix(USER_ENV_PREFIX).lower()
            role, _, password_hash = value.partition(":")
            accounts[name] = _account(name, role, password_hash, variable)
    return accounts


def add_account(users_file: Path, name: str, role: str, password: str) -> None:
    """Add or replace ``name`` in ``users_file`` (created with mode 0600) with a hashed password."""
    _check_name(name, str(users_file))
    if role not in ROLES:
        raise AccessError(f"role must be team or policy, not {role!r}")
    accounts = load_accounts(users_file, environ={}) if Path(users_file).exists() else {}
    accounts[name] = Account(name, role, hash_password(password))
    lines = []
    for account in sorted(accounts.values(), key=lambda a: a.name):
        lines += [
            f"[users.{account.name}]",
            f'role = "{account.role}"',
            f'password_hash = "{account.password_hash}"',
            "",
        ]
    path = Path(users_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


def _account(name: str, role: object, password_hash: object, source: str) -> Account:
    _check_name(name, source)
    if role not in ROLES:
        raise AccessError(f"{source}: user {name!r} needs role team or policy, not {role!r}")
    if not isinstance(password_hash, str) or not password_hash.startswith("$argon2"):
        raise AccessError(
            f"{source}: user {name!r} needs an Argon2 password_hash; create one with carecircle users add"
        )
    return Account(name, role, password_hash)


def _check_name(name: str, source: str) -> None:
    if not _NAME.match(name):
        raise AccessError(
            f"{source}: user name {name!r} may hold only lower-case letters, digits, '.', '_' and '-'"
        )


def is_loopback(host: str) -> bool:
    """Whether ``host`` only reaches this machine.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def current_user() -> str | None:
    """The logged-in user's name, or None (no accounts, or not logged in)."""
    from flask import has_request_context, session

    return session.get("user") if has_request_context() else None


def current_role() -> str:
    """The role of the current request: the account's role, or team without accounts.

    Outside a request, and for a session that is not logged in while accounts exist, the
    answer is ``policy``: the role that sees least.
    """
    from flask import current_app, has_request_context, session

    if not has_request_context():
        return "policy"
    if not current_app.config.get("CARECIRCLE_ACCOUNTS"):
        return "team"
    role = session.get("role")
    return role if role in ROLES else "policy"


class LoginThrottle:
    """Slows down guessing: after ``free`` failures for a user name or an address, each further
    attempt must wait twice as long as the one before (up to ``longest`` seconds)."""

    def __init__(self, free: int = 3, first: float = 2.0, longest: float = 300.0) -> None:
        self.free, self.first, self.longest = free, first, longest
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> int:
        """Seconds to wait before another attempt for any of ``keys`` (0: go ahead)."""
        now = time.monotonic()
        with self._lock:
            waits = [until - now for count, until in (self._failures.get(k, (0, 0.0)) for k in keys)]
        return max(0, int(max(waits, default=0) + 0.999))

    def failed(self, *keys: str) -> None:
        """Record a failed attempt for each of ``keys``."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                count, _ = self._failures.get(key, (0, 0.0))
                count += 1
                delay = (
                    0.0
                    if count <= self.free
                    else min(self.first * 2 ** (count - self.free - 1), self.longest)
                )
                self._failures[key] = (count, now + delay)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of ``keys``."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def csrf_token() -> str:
    """The session's token for the login form (made on first use, renewed at each login)."""
    from flask import session

    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_valid(token: str | None) -> bool:
    """Whether ``token`` is the one this session's login form carries."""
    from flask import session

    expected = session.get("csrf")
    return bool(token and expected and hmac.compare_digest(token, expected))
