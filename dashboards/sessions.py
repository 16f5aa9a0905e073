"""Logged-in sessions, held by the server: the cookie carries only a random id, so a logout or a
change to the account ends every copy of it at once."""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dashboards.accounts import Account

__all__ = [
    "MAX_SESSIONS",
    "SESSION_IDLE_TIMEOUT",
    "SESSION_MAX_AGE",
    "Login",
    "SessionStore",
    "account_fingerprint",
]

#: a session ends after this long without a request, and this long after its login at the latest
SESSION_IDLE_TIMEOUT = 2 * 3600.0
SESSION_MAX_AGE = 12 * 3600.0
#: sessions held at most; beyond it the least recently used one ends
MAX_SESSIONS = 10_000


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
