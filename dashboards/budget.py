"""How much memory the dashboard's analysed snapshots may take, and what one takes."""

import os
from collections.abc import Mapping

from graph.errors import CarecircleError
from graph.language import N_
from graph.stores import SnapshotInfo

__all__ = ["BYTES_PER_ROW", "CACHE_VARIABLE", "NOT_MEGABYTES", "SettingError", "cache_budget", "view_bytes"]

#: Memory an analysed snapshot (its :class:`SnapshotView`, policy figures included) takes per
#: stored row (residents, helpers, organisations, support and awareness rows together).
#: Measured on the demo's data by the growth of the process's resident memory (VmRSS) from
#: loading a stored snapshot to its finished view: 1,568 bytes a row at 2,000 residents
#: (16,684 rows, 25 MiB, with the first analysis' one-off allocations), 1,157 at 30,000
#: (246,849 rows, 272 MiB) and 1,118 at 60,000 (492,866 rows, 525 MiB); tracemalloc counts
#: 912-942 bytes a row at all three sizes. Rounded up from the larger sizes.
BYTES_PER_ROW = 1_200
#: The environment variable that sets the memory budget of analysed snapshots, in MB.
CACHE_VARIABLE = "CARECIRCLE_CACHE_MB"
#: What a cache setting that is no number of megabytes gets told
NOT_MEGABYTES = N_("{variable} must be a number of megabytes above 0, found {found!r}")
#: Without a way to know the physical memory: the budget of a small machine.
_FALLBACK_BUDGET = 1024**3


class SettingError(CarecircleError):
    """A setting of the dashboard (an environment variable) that it cannot use.

    Examples
    --------
    >>> SettingError(NOT_MEGABYTES, variable="CARECIRCLE_CACHE_MB", found="lots").message("nl")
    "CARECIRCLE_CACHE_MB moet een aantal megabytes boven 0 zijn, gevonden 'lots'"
    """


def cache_budget(environ: Mapping[str, str] | None = None) -> int:
    """The bytes analysed snapshots may take together: ``CARECIRCLE_CACHE_MB`` megabytes when
    set, else a quarter of the machine's physical memory.

    Raises
    ------
    SettingError
        When ``CARECIRCLE_CACHE_MB`` is not a number above 0.

    Examples
    --------
    >>> cache_budget({"CARECIRCLE_CACHE_MB": "512"})
    536870912
    >>> cache_budget({}) > 0
    True
    """
    text = (os.environ if environ is None else environ).get(CACHE_VARIABLE, "").strip()
    if text:
        try:
            megabytes = float(text)
        except ValueError:
            megabytes = 0.0
        if not 0 < megabytes < float("inf"):
            raise SettingError(NOT_MEGABYTES, variable=CACHE_VARIABLE, found=text)
        return int(megabytes * 1024**2)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4
    except (AttributeError, OSError, ValueError):  # no sysconf (Windows), or no such name
        return _FALLBACK_BUDGET


def view_bytes(info: SnapshotInfo) -> int:
    """The estimated memory of a snapshot's analysed view, from its stored row counts.

    Examples
    --------
    >>> from datetime import date
    >>> view_bytes(SnapshotInfo(date(2024, 6, 1), "demo", "", {"residents": 2000, "support": 5000}))
    8400000
    """
    return BYTES_PER_ROW * sum(info.counts.values())
