"""Pausing Python's cycle collector while carecircle makes millions of small objects."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["without_cycle_collection"]


@contextmanager
def without_cycle_collection(*, freeze_after: bool = False) -> Iterator[None]:
    """Pause the cycle collector inside the block; it runs as usual again afterwards.

    Ingest and analysis make millions of small objects without cycles (tuples, sets, gaps,
    rows); the collector would walk all of them again and again as they pile up, which took a
    third of the analysis time at 60,000 residents.

    For command-line processes only (``carecircle.cli`` wraps each batch command in it): the
    collector is one per process, so a library function that paused it inside the dashboard's
    threaded server would pause it for every other request too, and one request's end would
    switch it back on in the middle of another's.

    Parameters
    ----------
    freeze_after : bool
        Move every object alive at the end of the block out of the collector's sight
        (:func:`gc.freeze`). Only for a process that ends after the block: its last
        collection at exit would otherwise walk everything once more (1.3 s at 60,000
        residents), while the operating system frees the memory anyway.

    Examples
    --------
    >>> with without_cycle_collection():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        if enabled:
            gc.enable()
