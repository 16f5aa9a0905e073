"""SIGTERM stops the dashboard commands as Ctrl+C does.

A service manager, ``kill``, a CI runner and a shell's background job (which ignores SIGINT)
stop a server with SIGTERM. Python's default for it ends the process on the spot: no message,
the waitress server never closed. Inside :func:`sigterm_interrupts` it raises :class:`Terminated`
in the main thread instead, a :class:`KeyboardInterrupt`, so that everything that cleans up after
Ctrl+C cleans up after SIGTERM too.
"""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Terminated", "sigterm_interrupts"]


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: raised in the main thread where Ctrl+C raises :class:`KeyboardInterrupt`."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Within the block SIGTERM raises :class:`Terminated`; the handler before it is restored after.

    Examples
    --------
    >>> import os
    >>> try:
    ...     with sigterm_interrupts():
    ...         os.kill(os.getpid(), signal.SIGTERM)
    ... except Terminated:
    ...     print("stopped")
    stopped
    >>> signal.getsignal(signal.SIGTERM) is _raise_terminated
    False
    """
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        # None: the handler was set outside Python; the default is the nearest to it
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
