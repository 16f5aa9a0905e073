"""The evaluations of SPEC §11 the trends page shows, computed once and kept.

An evaluation runs a bootstrap of 2,000 resamples over four groups of residents: 0.1 s at 2,000
residents, seconds at 60,000. :class:`KeptEvaluations` keeps the last few (by the stored
snapshots they rest on, the pilot, the role and k), so that a page load or a change of a
control that asks again does not compute again. The :class:`~dashboards.data.DataSource`
holds one, and forgets an evaluation when a snapshot it rests on is replaced.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from graph.analysis.evaluation import Evaluation

__all__ = ["EVALUATIONS_KEPT", "EvaluationKey", "KeptEvaluations", "PilotEvaluation", "within"]

#: the evaluations kept at once: one takes some 150 kB (its organisation pairs) at 2,000
#: residents, so this bounds them to a few megabytes
EVALUATIONS_KEPT = 24


class EvaluationKey(NamedTuple):
    """What an evaluation depends on: the stored snapshots it covers ((date, ingest time), oldest
    first: a new ingest of a date is another snapshot), the pilot, the role and k."""

    snapshots: tuple[tuple[date, str], ...]
    pilot: str
    role: str
    k: int


@dataclass(frozen=True)
class PilotEvaluation:
    """An evaluation with what the page needs besides: the organisation names, and the snapshots
    in which the pilot neighbourhood exists at all."""

    evaluation: Evaluation
    #: organisation id -> its name (None when it has none), as the last snapshot names them
    organisations: dict[str, str | None]
    #: the evaluated snapshots, oldest first
    dates: tuple[date, ...]
    #: the evaluated snapshots that have the pilot neighbourhood
    pilot_present: tuple[date, ...]

    @property
    def pilot_missing(self) -> tuple[date, ...]:
        """The evaluated snapshots without the pilot neighbourhood.

        Examples
        --------
        >>> from datetime import date
        >>> days = (date(2024, 1, 1), date(2024, 6, 1))
        >>> PilotEvaluation(None, {}, days, days[1:]).pilot_missing
        (datetime.date(2024, 1, 1),)
        """
        return tuple(day for day in self.dates if day not in self.pilot_present)


def within(day: date, first: date | None, last: date | None) -> bool:
    """Whether ``day`` is from ``first`` to ``last``, both included (None: no bound).

    Examples
    --------
    >>> from datetime import date
    >>> within(date(2024, 3, 1), date(2024, 3, 1), None), within(date(2024, 3, 1), None, date(2024, 2, 1))
    (True, False)
    """
    return (first is None or day >= first) and (last is None or day <= last)


class KeptEvaluations:
    """The last ``size`` evaluations, the least recently used dropped first; each computed once
    at a time (a second request for one being computed waits for it)."""

    def __init__(self, size: int = EVALUATIONS_KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[EvaluationKey, PilotEvaluation] = OrderedDict()
        self._computing: dict[EvaluationKey, Future] = {}
        self._lock = threading.Lock()

    def keys(self) -> list[EvaluationKey]:
        """The keys of the evaluations kept now, least recently used first."""
        with self._lock:
            return list(self._kept)

    def get(self, key: EvaluationKey, compute: Callable[[], PilotEvaluation]) -> PilotEvaluation:
        """The evaluation of ``key``: kept, or being computed by another request (then wait for
        it), or computed here by ``compute`` and kept."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
            future = self._computing.get(key)
            mine = future is None
            if mine:
                future = self._computing[key] = Future()
        if not mine:
            return future.result()
        try:
            value = compute()
        except BaseException as error:
            with self._lock:
                del self._computing[key]
            future.set_exception(error)
            raise
        with self._lock:
            del self._computing[key]
            self._kept[key] = value
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        future.set_result(value)
        return value

    def forget_all_but(self, stored: set[tuple[date, str]]) -> None:
        """Drop the evaluations that rest on a snapshot no longer stored (replaced by a new
        ingest of its date)."""
        with self._lock:
            for key in [key for key in self._kept if not set(key.snapshots) <= stored]:
                del self._kept[key]
