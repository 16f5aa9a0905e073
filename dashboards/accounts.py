"""Dashboard accounts: Argon2id hashes in a users file or the environment, read again when it changes.

Without accounts the dashboard only listens on 127.0.0.1 and the local user has the team
role; with accounts every request needs a login (:mod:`dashboards.access`).
"""

import contextlib
import logging
import math
import os
import re
import secrets
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph.errors import CarecircleError
from graph.language import N_

__all__ = [
    "PARALLEL_VERIFICATIONS",
    "ROLES",
    "USERS_FILE_RECHECK",
    "USER_ENV_PREFIX",
    "AccessError",
    "Account",
    "AccountBook",
    "add_account",
    "hash_password",
    "load_accounts",
    "verify_password",
]

ROLES = ("team", "policy")
USER_ENV_PREFIX = "CARECIRCLE_USER_"
#: password checks running at once: each Argon2 check takes 64 MiB, so a burst cannot grow memory
PARALLEL_VERIFICATIONS = 2
#: the users file is looked at (its size and time stamp) at most this often (seconds)
USERS_FILE_RECHECK = 1.0

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_HASHER = PasswordHasher()
_VERIFYING = threading.BoundedSemaphore(PARALLEL_VERIFICATIONS)
log = logging.getLogger("carecircle.access")


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
            raise AccessError(
                N_("{path}: cannot read the users file ({reason})"), path=users_file, reason=error.strerror
            ) from error
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise AccessError(
                N_("{path}: not a valid users file ({detail})"), path=users_file, detail=error
            ) from error
        for name, entry in (document.get("users") or {}).items():
            if not isinstance(entry, dict):
                raise AccessError(
                    N_("{path}: [users.{name}] must be a table with role and password_hash"),
                    path=users_file,
                    name=name,
                )
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
        raise AccessError(N_("role must be team or policy, not {role!r}"), role=role)
    accounts = load_accounts(users_file, environ={}) if Path(users_file).exists() else {}
    accounts[name] = Account(name, role, hash_password(password))
    users = {
        account.name: {"role": account.role, "password_hash": account.password_hash}
        for account in sorted(accounts.values(), key=lambda a: a.name)
    }
    path = Path(users_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp makes the file with mode 0600
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            tomli_w.dump({"users": users}, handle)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _account(name: str, role: object, password_hash: object, source: str) -> Account:
    _check_name(name, source)
    if role not in ROLES:
        raise AccessError(
            N_("{source}: user {name!r} needs role team or policy, not {role!r}"),
            source=source,
            name=name,
            role=role,
        )
    if not isinstance(password_hash, str) or not password_hash.startswith("$argon2"):
        raise AccessError(
            N_("{source}: user {name!r} needs an Argon2 password_hash; create one with carecircle users add"),
            source=source,
            name=name,
        )
    return Account(name, role, password_hash)


def _check_name(name: str, source: str) -> None:
    if not _NAME.match(name):
        raise AccessError(
            N_("{source}: user name {name!r} may hold only lower-case letters, digits, '.', '_' and '-'"),
            source=source,
            name=name,
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
