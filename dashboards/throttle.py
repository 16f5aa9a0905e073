"""Slowing down password guessing with Flask-Limiter: per account and address, and per account.

Flask-Limiter counts the attempts and refuses those beyond the limits; two parts are our own.
:func:`escalating_limit` writes the doubling waits as Flask-Limiter limits. And
:class:`BoundedMemoryStorage` keeps the counters: Flask-Limiter's in-memory storage keeps one for
every name until its window ends, however many names come, can count two parallel first hits
as one, and runs on the wall clock; this one holds a fixed number, counts under one lock, and
runs on a clock tests can set.
"""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from itertools import count
from typing import ClassVar

import flask
from flask_limiter import Limiter
from limits.storage import Storage

__all__ = [
    "FIRST_WAIT",
    "FORGET_FAILURES_AFTER",
    "FREE_ATTEMPTS_PER_ACCOUNT",
    "FREE_ATTEMPTS_PER_ADDRESS",
    "LONGEST_WAIT",
    "THROTTLE_CAPACITY",
    "BoundedMemoryStorage",
    "LoginThrottle",
    "escalating_limit",
]

#: failed logins for one account from one address before each further attempt must wait; names
#: that are no account share one such allowance per address
FREE_ATTEMPTS_PER_ADDRESS = 3
#: failed logins for one account from all addresses together before each further attempt must wait
FREE_ATTEMPTS_PER_ACCOUNT = 10
#: the first wait (seconds) after the free attempts; every further failure doubles it, up to LONGEST_WAIT
FIRST_WAIT = 2
LONGEST_WAIT = 300
#: the failures of an allowance are forgotten this long (seconds) after the first of them; only the
#: daily cap (as many attempts as the waits allow in a day) lasts a day
FORGET_FAILURES_AFTER = 1800
#: each of the throttle's two stores holds at most this many counters (least recently used go first)
THROTTLE_CAPACITY = 20_000
_DAY = 24 * 3600


def escalating_limit(free: int) -> str:
    """Flask-Limiter's rate limit for ``free`` attempts, then waits that double from ``FIRST_WAIT``.

    One limit per wait, each a fixed window from the allowance's first attempt: after ``free``
    attempts the next may come ``FIRST_WAIT`` seconds after the first, the one after that
    twice as long later, and so on up to ``LONGEST_WAIT``. For a guesser who tries again the
    moment each wait runs out, that is a wait doubling after each failure; nobody gets more
    attempts in the first t seconds. (Flask-Limiter's windows start at their first hit: a
    wait counted from the failure before it cannot be written in them.) Windows longer than
    ``FORGET_FAILURES_AFTER`` are left out; the last limit caps a day at the attempts these
    waits allow in one.

    Examples
    --------
    >>> escalating_limit(3).split("; ")[:4]
    ['3 per 2 seconds', '4 per 6 seconds', '5 per 14 seconds', '6 per 30 seconds']
    >>> escalating_limit(3).split("; ")[-2:]
    ['14 per 1710 seconds', '297 per 1 day']
    """
    parts, elapsed, wait = [], 0, FIRST_WAIT
    for extra in count():
        elapsed += wait
        if elapsed > _DAY:
            parts.append(f"{free + extra} per 1 day")
            return "; ".join(parts)
        if elapsed <= FORGET_FAILURES_AFTER:
            parts.append(f"{free + extra} per {elapsed} seconds")
        wait = min(2 * wait, LONGEST_WAIT)


class BoundedMemoryStorage(Storage):
    """Flask-Limiter's counters (fixed windows) in memory: atomic, and at most ``capacity`` of them.

    The counter that was used least recently goes first when a new one would exceed
    ``capacity``; counters whose window ran out go as soon as they are met. One lock makes
    each count atomic, also when its counter is made. Windows run on ``clock`` (monotonic
    seconds; tests pass their own). Flask-Limiter makes it from the URI ``carecircle-memory://``.

    Examples
    --------
    >>> now = [0.0]
    >>> storage = BoundedMemoryStorage(capacity=2, clock=lambda: now[0])
    >>> [storage.incr(key, 10) for key in ("a", "a", "b", "c")], storage.held, storage.get("a")
    ([1, 2, 1, 1], 2, 0)
    >>> now[0] = 10.0
    >>> storage.get("c"), storage.held
    (0, 1)
    """

    STORAGE_SCHEME: ClassVar[list[str]] = ["carecircle-memory"]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        *,
        capacity: int = THROTTLE_CAPACITY,
        clock: Callable[[], float] = time.monotonic,
        **options: float | str | bool,
    ) -> None:
        super().__init__(uri, wrap_exceptions, **options)
        self.capacity, self.clock = capacity, clock
        # key -> [count, end of its window], least recently used first
        self._counters: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def held(self) -> int:
        """How many counters it holds (no ``__len__``: Flask-Limiter takes an empty storage for none)."""
        return len(self._counters)

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` on ``key``; a new window of ``expiry`` seconds starts when there is none."""
        now = self.clock()
        with self._lock:
            counter = self._live(key, now)
            if counter is None:
                counter = self._counters[key] = [0, now + expiry]
                while len(self._counters) > self.capacity or self._ended(next(iter(self._counters)), now):
                    self._counters.popitem(last=False)
            else:
                self._counters.move_to_end(key)
            counter[0] += amount
            return int(counter[0])

    def get(self, key: str) -> int:
        """The count of ``key`` in its current window (0 when it has none)."""
        with self._lock:
            counter = self._live(key, self.clock())
        return int(counter[0]) if counter else 0

    def get_expiry(self, key: str) -> float:
        """When the window of ``key`` ends, on ``clock`` (now when it has none)."""
        now = self.clock()
        with self._lock:
            counter = self._live(key, now)
        return counter[1] if counter else now

    def check(self) -> bool:
        """Always healthy: it lives in this process."""
        return True

    def reset(self) -> int:
        """Forget every counter; how many there were."""
        with self._lock:
            held = len(self._counters)
            self._counters.clear()
        return held

    def clear(self, key: str) -> None:
        """Forget the counter of ``key``."""
        with self._lock:
            self._counters.pop(key, None)

    def _live(self, key: str, now: float) -> list[float] | None:
        if self._ended(key, now):
            del self._counters[key]
        return self._counters.get(key)

    def _ended(self, key: str, now: float) -> bool:
        counter = self._counters.get(key)
        return counter is not None and now >= counter[1]


class LoginThrottle:
    """Flask-Limiter's limits on the login form: per account and address, and per account.

    Every attempt counts against two allowances, each an :func:`escalating_limit`: the
    account's from this address (``FREE_ATTEMPTS_PER_ADDRESS``; a colleague behind the same
    address with an account of their own is never slowed by guesses at another account) and
    the account's from all addresses together (``FREE_ATTEMPTS_PER_ACCOUNT``, against guessing
    one account from many addresses). Names that are no account share one allowance per
    address, and have none over all addresses.

    Flask-Limiter counts an attempt before the view runs, so before the password is checked:
    a burst of parallel guesses gets exactly the free attempts. An attempt the allowance per
    address refuses is not counted over all addresses, so guesses from one address cannot
    lock the account out elsewhere. Each allowance keeps its counters in its own
    :class:`BoundedMemoryStorage`: a flood of addresses can push out counters per address, never
    those of the accounts.

    Parameters
    ----------
    attempted : callable
        The account the current request tries to log in to, None for a name that is no account.
    address : callable
        The address the current request comes from.
    capacity : int
        Counters each of the two stores holds at most.
    clock : callable
        Monotonic seconds the windows run on (tests pass their own, or set :attr:`clock`).
    """

    def __init__(
        self,
        attempted: Callable[[], str | None],
        address: Callable[[], str],
        *,
        capacity: int = THROTTLE_CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._attempted, self._address, self.clock = attempted, address, clock
        self._limiters = [
            Limiter(
                key_func=address,
                strategy="fixed-window",
                storage_uri="carecircle-memory://",
                storage_options={"capacity": capacity, "clock": lambda: self.clock()},
            )
            for _ in range(2)
        ]
        # the limits apply to logins only: every other request skips them at once
        self._guarded: set[str] = set()
        for limiter in self._limiters:
            limiter.request_filter(lambda: flask.request.endpoint not in self._guarded)

    def __len__(self) -> int:
        """How many counters the two stores hold."""
        return sum(limiter.storage.held for limiter in self._limiters)

    def init_app(self, app: flask.Flask) -> None:
        """Count the attempts of ``app``'s views decorated with :meth:`guard`."""
        for limiter in self._limiters:
            limiter.init_app(app)

    def guard(self, endpoint: str) -> Callable:
        """Decorate the view of ``endpoint`` so that its POST requests count as login attempts.

        An attempt beyond an allowance raises Flask-Limiter's ``RateLimitExceeded`` (429)
        before the view runs; :meth:`wait` then says how long.
        """
        self._guarded.add(endpoint)
        by_address, by_account = self._limiters
        per_address = by_address.limit(
            escalating_limit(FREE_ATTEMPTS_PER_ADDRESS),
            key_func=lambda: f"{self._attempted() or '?'} {self._address()}",
            methods=["POST"],
        )
        per_account = by_account.limit(
            escalating_limit(FREE_ATTEMPTS_PER_ACCOUNT),
            key_func=lambda: self._attempted() or "?",
            exempt_when=lambda: self._attempted() is None,
            methods=["POST"],
        )
        return lambda view: per_address(per_account(view))

    def succeeded(self) -> None:
        """Forget the failures of the current request's account, from its address and over all."""
        for limiter in self._limiters:
            for applied in limiter.current_limits:
                limiter.limiter.clear(applied.limit, *applied.request_args)

    def wait(self) -> int:
        """The whole seconds the current request's refused attempt must wait (0 when it was not refused)."""
        now = self.clock()
        ends = [
            limiter.limiter.get_window_stats(applied.limit, *applied.request_args).reset_time
            for limiter in self._limiters
            for applied in limiter.current_limits
            if applied.breached
        ]
        return max((math.ceil(end - now) for end in ends), default=0)
