"""Whether the dashboard can listen on an address, found out before anything slow is done."""

import socket

__all__ = ["check_port"]


def check_port(host: str, port: int) -> None:
    """Bind ``host:port`` for a moment as waitress does (every address ``host`` resolves to,
    ``SO_REUSEADDR`` set) and let it go again.

    Raises
    ------
    OSError
        When waitress could not listen there: another server listens on the port
        (``EADDRINUSE``), the address is not one of this machine's, or ``host`` is unknown.

    Examples
    --------
    >>> with socket.socket() as taken:
    ...     taken.bind(("127.0.0.1", 0))
    ...     taken.listen()
    ...     check_port("127.0.0.1", taken.getsockname()[1])
    Traceback (most recent call last):
    OSError: [Errno 98] Address already in use
    """
    for family, kind, protocol, _, address in socket.getaddrinfo(
        host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, socket.IPPROTO_TCP, socket.AI_PASSIVE
    ):
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
