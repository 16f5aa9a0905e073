"""Who may see what: accounts, server-side sessions, the login throttle, the roles and the hosts served.

Without accounts the dashboard only listens on 127.0.0.1 and the local user has the team
role. With accounts (a users file, or ``CARECIRCLE_USER_<NAME>`` environment variables)
every request needs a login, and the role comes with the account. The cookie holds only a
random session id and the form token; the session itself lives on the server, so a logout,
or any change to the account in the users file, ends it at once. A policy session never gets
a resident-level page or callback: the server refuses it before any callback runs.

The limits below are declared once here; docs/SECURITY.md states them for users.
"""

import contextlib
import hashlib
import hmac
import json
import logging
import math
import os
import re
import secrets
import tempfile
import threading
import time
import tomllib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from carecircle.errors import CarecircleError

__all__ = [
    "ALLOWED_HOSTS_ENV",
    "FIRST_WAIT",
    "FORGET_FAILURES_AFTER",
    "FREE_ATTEMPTS_PER_ACCOUNT",
    "FREE_ATTEMPTS_PER_ADDRESS",
    "GATEKEEPER_KEY",
    "LONGEST_WAIT",
    "LOOPBACK_HOSTS",
    "MAX_SESSIONS",
    "PARALLEL_VERIFICATIONS",
    "ROLES",
    "SESSION_IDLE_TIMEOUT",
    "SESSION_MAX_AGE",
    "THROTTLE_CAPACITY",
    "USERS_FILE_RECHECK",
    "AccessError",
    "Account",
    "AccountBook",
    "Gatekeeper",
    "Login",
    "LoginThrottle",
    "SessionStore",
    "account_fingerprint",
    "add_account",
    "audit",
    "audit_to_file",
    "csrf_token",
    "csrf_valid",
    "current_login",
    "current_role",
    "current_user",
    "end_session",
    "hash_password",
    "host_allowed",
    "host_name",
    "host_names",
    "hosts_to_serve",
    "is_loopback",
    "load_accounts",
    "start_session",
    "verify_password",
]

ROLES = ("team", "policy")
USER_ENV_PREFIX = "CARECIRCLE_USER_"
#: comma-separated host names the dashboard answers to besides the address it listens on
ALLOWED_HOSTS_ENV = "CARECIRCLE_ALLOWED_HOSTS"
#: where create_app() keeps the app's Gatekeeper in the Flask config
GATEKEEPER_KEY = "CARECIRCLE_GATEKEEPER"

# --- limits (seconds, counts) ---------------------------------------------------------------------
#: failed logins for one account from one address before each further attempt must wait; names
#: that are no account share one such allowance per address
FREE_ATTEMPTS_PER_ADDRESS = 3
#: failed logins for one account from all addresses together before each further attempt must wait
FREE_ATTEMPTS_PER_ACCOUNT = 10
#: the first wait after the free attempts; every further failure doubles it, up to LONGEST_WAIT
FIRST_WAIT = 2.0
LONGEST_WAIT = 300.0
#: failures are forgotten this long after their wait ran out (or after the last free attempt)
FORGET_FAILURES_AFTER = 1800.0
#: the throttle holds at most this many (account, address) entries, and as many account entries
THROTTLE_CAPACITY = 10_000
#: password checks running at once: each Argon2 check takes 64 MiB, so a burst cannot grow memory
PARALLEL_VERIFICATIONS = 2
#: a session ends after this long without a request, and this long after its login at the latest
SESSION_IDLE_TIMEOUT = 2 * 3600.0
SESSION_MAX_AGE = 12 * 3600.0
#: sessions held at most; beyond it the least recently used one ends
MAX_SESSIONS = 10_000
#: the users file is looked at (its size and time stamp) at most this often
USERS_FILE_RECHECK = 1.0

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_HASHER = PasswordHasher()
_VERIFYING = threading.BoundedSemaphore(PARALLEL_VERIFICATIONS)
AUDIT_LOGGER = "carecircle.audit"
_audit = logging.getLogger(AUDIT_LOGGER)
log = logging.getLogger("carecircle.access")


class AccessError(CarecircleError):
    """Accounts cannot be read, or the server may not start as asked."""


# --- accounts ----------------------------------------------------------------------------------------


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
    """Whether ``password`` is the account's; spends the same time for an unknown account.

    At most ``PARALLEL_VERIFICATIONS`` checks run at once in the process (the others wait
    their turn), so that a burst of logins cannot make memory grow.
    """
    with _VERIFYING:
        if account is None:
            with contextlib.suppress(VerificationError):
                _HASHER.verify(_DUMMY_HASH, password)
            return False
        try:
            return _HASHER.verify(account.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


def load_accounts(users_file: Path | None = None, environ: Mapping | None = None) -> dict[str, Account]:
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
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
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
    """Add or replace ``name`` in ``users_file`` (mode 0600) with a hashed password.

    The file is replaced in one step (written beside it, then renamed), so that a running
    server never reads it half written.
    """
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
    # mkstemp makes the file with mode 0600
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


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


_NOT_LOOKED = object()


class AccountBook:
    """The accounts a server knows: given at start, and read again whenever the users file changes.

    Whether accounts are required is decided at start and never changes while the server
    runs. A users file that becomes unreadable or invalid leaves nobody able to log in (an
    error in the log says why) until it is fixed: it never opens the dashboard.

    Parameters
    ----------
    accounts : mapping, optional
        The accounts at start; read from ``users_file`` (and the environment) when not given.
    users_file : Path, optional
        The users file to watch: looked at no more than once every ``USERS_FILE_RECHECK``
        seconds, and read again (with the ``CARECIRCLE_USER_*`` variables) when its size,
        time stamp or identity changed.
    clock : callable
        Seconds, monotonic (tests pass their own).
    """

    def __init__(
        self,
        accounts: Mapping[str, Account] | None = None,
        users_file: Path | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.users_file = Path(users_file) if users_file is not None else None
        if accounts is None:
            accounts = load_accounts(self.users_file) if self.users_file is not None else {}
        self._accounts = dict(accounts)
        self.required = bool(self._accounts)
        self._clock = clock
        self._looked_at = -math.inf
        # not looked at yet: the first look reads the file again (it may have changed since start)
        self._identity: object = _NOT_LOOKED
        self._lock = threading.Lock()

    def current(self) -> tuple[dict[str, Account], bool]:
        """The accounts now, and whether they differ from the last answer (the users file changed)."""
        if self.users_file is None or not self.required:
            return self._accounts, False
        with self._lock:
            now = self._clock()
            if now - self._looked_at < USERS_FILE_RECHECK:
                return self._accounts, False
            self._looked_at = now
            identity = _file_identity(self.users_file)
            if identity == self._identity:
                return self._accounts, False
            self._identity = identity
            try:
                accounts = load_accounts(self.users_file)
            except AccessError as error:
                log.error("%s; nobody can log in until it is fixed", error)
                accounts = {}
            changed, self._accounts = accounts != self._accounts, accounts
            return accounts, changed


def _file_identity(path: Path) -> tuple:
    try:
        status = os.stat(path)
    except OSError as error:
        return ("unreadable", error.errno)
    return (status.st_ino, status.st_size, status.st_mtime_ns)


# --- sessions ----------------------------------------------------------------------------------------


@dataclass
class Login:
    """One logged-in session as the server holds it (the cookie holds only its random id)."""

    user: str
    role: str
    fingerprint: str
    started: float
    seen: float


def account_fingerprint(account: Account) -> str:
    """A digest of what a session rests on: the account's name, role and password hash.

    Examples
    --------
    >>> team = Account("anna", "team", "$argon2id$abc")
    >>> account_fingerprint(team) == account_fingerprint(Account("anna", "team", "$argon2id$abc"))
    True
    >>> account_fingerprint(team) == account_fingerprint(Account("anna", "policy", "$argon2id$abc"))
    False
    """
    text = f"{account.name}\n{account.role}\n{account.password_hash}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SessionStore:
    """Logged-in sessions, in memory and bounded.

    A session ends at logout, when its account changes (role or password) or disappears, after
    ``idle`` seconds without a request, ``max_age`` seconds after its login, when more than
    ``capacity`` sessions are open (the least recently used one), and when the server restarts.
    """

    def __init__(
        self,
        *,
        idle: float = SESSION_IDLE_TIMEOUT,
        max_age: float = SESSION_MAX_AGE,
        capacity: int = MAX_SESSIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle, self.max_age, self.capacity = idle, max_age, capacity
        self._clock = clock
        self._sessions: OrderedDict[str, Login] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def open(self, account: Account) -> str:
        """Start a session for ``account``; its new random id."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            fingerprint = account_fingerprint(account)
            self._sessions[session_id] = Login(account.name, account.role, fingerprint, now, now)
            # least recently used first: drop the ones gone idle, and any beyond the capacity
            while self._sessions and (
                len(self._sessions) > self.capacity or self._expired(next(iter(self._sessions.values())), now)
            ):
                self._sessions.popitem(last=False)
        return session_id

    def find(self, session_id: str | None, accounts: Mapping[str, Account]) -> Login | None:
        """The live session ``session_id`` of an unchanged account in ``accounts``, or None.

        A session found expired, or whose account changed, ends here.
        """
        if not session_id:
            return None
        now = self._clock()
        with self._lock:
            login = self._sessions.get(session_id)
            if login is None:
                return None
            if self._expired(login, now) or not _unchanged(login, accounts):
                del self._sessions[session_id]
                return None
            login.seen = now
            self._sessions.move_to_end(session_id)
            return login

    def close(self, session_id: str | None) -> None:
        """End the session ``session_id`` (logout); nothing happens for an unknown id."""
        with self._lock:
            self._sessions.pop(session_id or "", None)

    def retain(self, accounts: Mapping[str, Account]) -> list[str]:
        """End every session whose account changed or is gone; the names of their users."""
        with self._lock:
            ended = [sid for sid, login in self._sessions.items() if not _unchanged(login, accounts)]
            users = sorted({self._sessions.pop(session_id).user for session_id in ended})
        return users

    def _expired(self, login: Login, now: float) -> bool:
        return now - login.seen > self.idle or now - login.started > self.max_age


def _unchanged(login: Login, accounts: Mapping[str, Account]) -> bool:
    """Whether the account ``login`` rests on is still in ``accounts``, with the same role and password."""
    account = accounts.get(login.user)
    return account is not None and account_fingerprint(account) == login.fingerprint


# --- the login throttle -----------------------------------------------------------------------------


class LoginThrottle:
    """Slows down password guessing, per account and address, in bounded memory.

    Every attempt counts against two allowances: the account's from this address
    (``FREE_ATTEMPTS_PER_ADDRESS``; a colleague behind the same address with an account of
    their own is never slowed by guesses at another account) and the account's from all
    addresses together (``FREE_ATTEMPTS_PER_ACCOUNT``, against guessing one account from
    many addresses). Names that are no account share one allowance per address. Beyond an
    allowance each further attempt must wait ``FIRST_WAIT`` seconds, twice as long after each
    further failure, up to ``LONGEST_WAIT``.

    An attempt is checked and counted in one step, before the password is checked, and is
    forgotten again only when it succeeds: a burst of parallel guesses gets exactly the free
    attempts. Entries are forgotten ``FORGET_FAILURES_AFTER`` seconds after their wait ran
    out, and at most ``capacity`` entries of each kind are held (the least recently used go).

    Examples
    --------
    >>> now = [0.0]
    >>> throttle = LoginThrottle(clock=lambda: now[0])
    >>> [throttle.attempt("anna", "10.0.0.1") for _ in range(5)]
    [0, 0, 0, 2, 2]
    >>> throttle.attempt("piet", "10.0.0.1")  # a colleague at the same address
    0
    >>> now[0] = 2.0
    >>> throttle.attempt("anna", "10.0.0.1"), throttle.attempt("anna", "10.0.0.1")
    (0, 4)
    """

    def __init__(self, *, capacity: int = THROTTLE_CAPACITY, clock: Callable[[], float] = time.monotonic):
        self.capacity = capacity
        self._clock = clock
        # (account, or None for a name that is no account; address) -> [failures, wait until]
        self._by_address: OrderedDict[tuple[str | None, str], list[float]] = OrderedDict()
        # account -> [failures, wait until], over all addresses
        self._by_account: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._by_address) + len(self._by_account)

    def attempt(self, account: str | None, address: str) -> int:
        """Ask to try a password for ``account`` (None: a name that is no account) from ``address``.

        Returns 0 when the attempt may go ahead: it is then counted as failed until
        ``succeeded()`` says otherwise. Otherwise the whole seconds to wait; a refused attempt
        is not counted.
        """
        now = self._clock()
        with self._lock:
            allowances = self._allowances(account, address)
            wait = max(self._wait(table, key, now) for table, key, _ in allowances)
            if wait > 0:
                return math.ceil(wait)
            for table, key, free in allowances:
                failures = table.pop(key, [0, now])[0] + 1
                table[key] = [failures, now + _delay(failures, free)]
                self._forget_old(table, now)
            return 0

    def succeeded(self, account: str, address: str) -> None:
        """Forget the failures of ``account`` from ``address`` and over all addresses."""
        with self._lock:
            for table, key, _ in self._allowances(account, address):
                table.pop(key, None)

    def _allowances(self, account: str | None, address: str) -> list[tuple[OrderedDict, object, int]]:
        by_address = (self._by_address, (account, address), FREE_ATTEMPTS_PER_ADDRESS)
        if account is None:
            return [by_address]
        return [by_address, (self._by_account, account, FREE_ATTEMPTS_PER_ACCOUNT)]

    def _wait(self, table: OrderedDict, key: object, now: float) -> float:
        entry = table.get(key)
        if entry is None:
            return 0.0
        if now >= entry[1] + FORGET_FAILURES_AFTER:
            del table[key]
            return 0.0
        return max(0.0, entry[1] - now)

    def _forget_old(self, table: OrderedDict, now: float) -> None:
        while table and (
            len(table) > self.capacity or now >= next(iter(table.values()))[1] + FORGET_FAILURES_AFTER
        ):
            table.popitem(last=False)


def _delay(failures: int, free: int) -> float:
    """Seconds to wait after ``failures`` failed attempts, ``free`` of them without a wait.

    Examples
    --------
    >>> [_delay(n, 3) for n in range(1, 7)], _delay(10_000, 3)
    ([0.0, 0.0, 2.0, 4.0, 8.0, 16.0], 300.0)
    """
    if failures < free:
        return 0.0
    return min(FIRST_WAIT * 2.0 ** min(failures - free, 30), LONGEST_WAIT)


# --- hosts ---------------------------------------------------------------------------------------------

#: host names that only reach this machine: the dashboard answers to them by default, on any port
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
_EVERY_ADDRESS = frozenset({"0.0.0.0", "[::]"})
_HOST = re.compile(r"(?P<name>[a-z0-9.-]*[a-z0-9-]|\[[0-9a-f:.]+\])\.?(?::(?P<port>[0-9]{1,5}))?")


def host_name(value: str) -> str | None:
    """The host name in a ``Host`` header or an address: lower case, without port or final dot,
    an IPv6 address in brackets; None when ``value`` is no host name.

    Examples
    --------
    >>> host_name("LocalHost:8050"), host_name("[::1]:8050"), host_name("::1"), host_name("a.nl.")
    ('localhost', '[::1]', '[::1]', 'a.nl')
    >>> host_name("evil.example/x"), host_name("")
    (None, None)
    """
    text = value.strip().lower()
    if text.count(":") > 1 and not text.startswith("["):
        text = f"[{text}]"  # an IPv6 address as --host takes it
    match = _HOST.fullmatch(text)
    return match["name"] if match else None


def is_loopback(host: str) -> bool:
    """Whether ``host`` only reaches this machine.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    name = host_name(host) or ""
    return name in LOOPBACK_HOSTS or name.startswith("127.")


def hosts_to_serve(host: str, names: str = "") -> frozenset[str] | None:
    """The host names a server listening on ``host`` answers to.

    They are the loopback names, ``host`` itself and the comma-separated ``names`` (a reverse
    proxy's public name, from ``CARECIRCLE_ALLOWED_HOSTS``); ports are not compared. None
    (any name) when it listens on every address and no names are given.

    Raises
    ------
    AccessError
        When one of ``names`` is no host name.

    Examples
    --------
    >>> sorted(hosts_to_serve("127.0.0.1"))
    ['127.0.0.1', '[::1]', 'localhost']
    >>> sorted(hosts_to_serve("0.0.0.0", "Dashboard.example.nl, dashboard.example.nl:443"))
    ['0.0.0.0', '127.0.0.1', '[::1]', 'dashboard.example.nl', 'localhost']
    >>> print(hosts_to_serve("::"))
    None
    """
    extra = host_names(names.split(","), ALLOWED_HOSTS_ENV)
    own = host_name(host) or "0.0.0.0"
    if own in _EVERY_ADDRESS and not extra:
        return None
    return LOOPBACK_HOSTS | {own} | extra


def host_names(values: Iterable[str], source: str) -> frozenset[str]:
    """The host names in ``values`` (blanks skipped), as :func:`host_name` writes them.

    Raises
    ------
    AccessError
        When a value is no host name; the message names ``source``.

    Examples
    --------
    >>> sorted(host_names(["LOCALHOST", " ", "[::1]:8050"], "test"))
    ['[::1]', 'localhost']
    """
    names = set()
    for value in values:
        if value.strip():
            name = host_name(value)
            if name is None:
                raise AccessError(
                    f"{source}: {value.strip()!r} is no host name;"
                    " give names such as dashboard.example.nl, separated by commas"
                )
            names.add(name)
    return frozenset(names)


def host_allowed(header: str | None, allowed: frozenset[str] | None) -> bool:
    """Whether a request whose ``Host`` header is ``header`` is for a name in ``allowed`` (None: any).

    Examples
    --------
    >>> host_allowed("127.0.0.1:8050", LOOPBACK_HOSTS), host_allowed("attacker.example", LOOPBACK_HOSTS)
    (True, False)
    >>> host_allowed(None, LOOPBACK_HOSTS), host_allowed("attacker.example", None)
    (False, True)
    """
    return allowed is None or host_name(header or "") in allowed


# --- one app's accounts, sessions and throttle, and the current request ----------------------------


@dataclass
class Gatekeeper:
    """One dashboard's accounts, sessions and login throttle (kept in its Flask config)."""

    book: AccountBook
    sessions: SessionStore = field(default_factory=SessionStore)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)

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
    """Log ``account`` in: a new session id and form token in the cookie, the session on the server."""
    from flask import g, session

    session.clear()
    session["sid"] = _gatekeeper().sessions.open(account)
    csrf_token()
    g.pop(_LOGIN, None)


def end_session() -> None:
    """Log out: the server forgets the session, so a copy of the cookie gets nothing any more."""
    from flask import g, session

    _gatekeeper().sessions.close(session.get("sid"))
    session.clear()
    setattr(g, _LOGIN, None)


def csrf_token() -> str:
    """The session's token for its forms (made on first use, renewed at each login)."""
    from flask import session

    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_valid(token: str | None) -> bool:
    """Whether ``token`` is the one this session's forms carry."""
    from flask import session

    expected = session.get("csrf")
    return bool(token and expected and hmac.compare_digest(token, expected))


# --- the audit log ---------------------------------------------------------------------------------


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
