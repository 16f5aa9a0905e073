"""Slowing down password guessing, per account and address, atomically and in bounded memory."""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = [
    "FIRST_WAIT",
    "FORGET_FAILURES_AFTER",
    "FREE_ATTEMPTS_PER_ACCOUNT",
    "FREE_ATTEMPTS_PER_ADDRESS",
    "LONGEST_WAIT",
    "THROTTLE_CAPACITY",
    "LoginThrottle",
]

#: failed logins for one account from one address before each further attempt must wait; names
#: that are no account share one such allowance per address
FREE_ATTEMPTS_PER_ADDRESS = 3
#: failed logins for one account from all addresses together before each further attempt must wait
FREE_ATTEMPTS_PER_ACCOUNT = 10
#: the first wait (seconds) after the free attempts; every further failure doubles it, up to LONGEST_WAIT
FIRST_WAIT = 2.0
LONGEST_WAIT = 300.0
#: failures are forgotten this long (seconds) after their wait ran out (or after the last free attempt)
FORGET_FAILURES_AFTER = 1800.0
#: the throttle holds at most this many (account, address) entries, and as many account entries
THROTTLE_CAPACITY = 10_000


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
