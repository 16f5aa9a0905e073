"""Reading the snapshots a command compares with a second process working beside this one (for
the command line only: it forks): the agenda's T here while the second works out the gaps of the
earlier snapshot S, and the evaluation's snapshots half here, half there."""

import multiprocessing
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from graph.analysis import Analysis, analyse_stored
from graph.analysis.agenda import EarlierGaps, earlier_gaps
from graph.errors import CarecircleError
from graph.model import Snapshot
from graph.stores import open_store

__all__ = ["stored_analyses", "stored_pair"]


@contextmanager
def stored_pair(
    store: str, database: str | None, as_of: date, since: date | None
) -> Iterator[tuple[Snapshot, Callable[[], EarlierGaps | None]]]:
    """The stored snapshot of ``as_of`` (T), and a function that gives the
    :class:`~graph.analysis.agenda.EarlierGaps` of the one of ``since`` (S; None without one),
    for :func:`~graph.analysis.agenda.build_agenda`, which calls it once T's gaps are known.

    On Linux a forked second process reads and analyses S meanwhile: on two cores the agenda at
    60,000 residents takes some 2.5 s less. Without ``fork``, or when the second process fails,
    S is read here when asked for; a store error is then raised here, as every command raises it.
    """
    with open_store(store, database=database) as source:
        current = source.load(as_of)
    if since is None:
        yield current, lambda: None
        return
    if not sys.platform.startswith("linux"):
        yield current, lambda: _read(store, database, since)
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(_beside, store, database, since)
        yield current, lambda: _waited(future) or _read(store, database, since)


def _read(store: str, database: str | None, since: date) -> EarlierGaps:
    with open_store(store, database=database) as source:
        return earlier_gaps(source.load(since))


def _beside(store: str, database: str | None, since: date) -> EarlierGaps | None:
    """In the second process: the gaps of S, or None when S cannot be read there (the first
    process then reads it and reports the store's error as usual)."""
    try:
        return _read(store, database, since)
    except CarecircleError:
        return None


def _waited(future: Future) -> EarlierGaps | None:
    try:
        return future.result()
    except BrokenProcessPool:  # the second process died (out of memory, say): read S here
        return None


def stored_analyses(store: str, database: str | None, days: list[date]) -> list[Analysis]:
    """The analyses of the stored snapshots of ``days``, in that order, as the evaluation needs them:
    without their gap rows and circle index (their figures, residents and pairs are all there).

    On Linux the older half is analysed in a forked second process while this one analyses the
    newer half: on two cores an evaluation of two snapshots of 60,000 residents takes some 3 s
    less. Without ``fork``, or when the second process fails, all are analysed here; a store error
    is then raised here, as every command raises it.
    """
    beside = days[: len(days) // 2] if sys.platform.startswith("linux") else []
    if not beside:
        return [_analysed_here(store, database, day) for day in days]
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(_analysed_beside, store, database, beside)
        here = [_analysed_here(store, database, day) for day in days[len(beside) :]]
        there = _waited(future) or [_analysed_here(store, database, day) for day in beside]
    return there + here


def _analysed_here(store: str, database: str | None, day: date) -> Analysis:
    with open_store(store, database=database) as source:
        return _without_rows(analyse_stored(source, day))


def _analysed_beside(store: str, database: str | None, days: list[date]) -> list[Analysis] | None:
    """In the second process: the analyses of ``days``, or None when one cannot be read there."""
    try:
        return [_analysed_here(store, database, day) for day in days]
    except CarecircleError:
        return None


def _without_rows(analysis: Analysis) -> Analysis:
    """What the evaluation takes of an analysis, small enough to hand between processes."""
    return replace(analysis, gaps=[], circles=None)
