"""Reading the two snapshots an agenda compares: T in this process while a second one works out
the gaps of the earlier snapshot S (for the command line only: it forks)."""

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date

from graph.analysis.agenda import EarlierGaps, earlier_gaps
from graph.errors import CarecircleError
from graph.model import Snapshot
from graph.stores import open_store

__all__ = ["read_pair"]


def read_pair(
    store: str, database: str | None, as_of: date, since: date | None
) -> tuple[Snapshot, EarlierGaps | None]:
    """The stored snapshot of ``as_of`` (T) and the :class:`~graph.analysis.agenda.EarlierGaps`
    of the one of ``since`` (S; None without one).

    On Linux S is read and analysed in a forked second process at the same time as T is read
    here: on two cores the agenda at 60,000 residents takes about 2 s less. A machine without
    ``fork``, or a second process that fails, gets S read here afterwards; a store error is then
    raised here, as every command raises it.
    """
    if since is None:
        with open_store(store, database=database) as source:
            return source.load(as_of), None
    if not sys.platform.startswith("linux"):
        return _serially(store, database, as_of, since)
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            future = pool.submit(_earlier, store, database, since)
            with open_store(store, database=database) as source:
                current = source.load(as_of)
            found = future.result()
    except BrokenProcessPool:
        found = None
        with open_store(store, database=database) as source:
            current = source.load(as_of)
    if found is None:
        with open_store(store, database=database) as source:
            found = earlier_gaps(source.load(since))
    return current, found


def _serially(store: str, database: str | None, as_of: date, since: date) -> tuple[Snapshot, EarlierGaps]:
    with open_store(store, database=database) as source:
        return source.load(as_of), earlier_gaps(source.load(since))


def _earlier(store: str, database: str | None, since: date) -> EarlierGaps | None:
    """In the second process: the gaps of S, or None when S cannot be read there (the first
    process then reads it and reports the store's error as usual)."""
    try:
        with open_store(store, database=database) as source:
            return earlier_gaps(source.load(since))
    except CarecircleError:
        return None
