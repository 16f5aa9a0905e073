"""The host names the dashboard answers to (against DNS rebinding): the loopback names, the
address it listens on, and the names in ``CARECIRCLE_ALLOWED_HOSTS``."""

import ipaddress
import re
from collections.abc import Iterable

from dashboards.accounts import AccessError
from graph.language import N_

__all__ = [
    "ALLOWED_HOSTS_ENV",
    "LOOPBACK_HOSTS",
    "host_allowed",
    "host_name",
    "host_names",
    "hosts_to_serve",
    "is_loopback",
]

#: comma-separated host names the dashboard answers to besides the address it listens on
ALLOWED_HOSTS_ENV = "CARECIRCLE_ALLOWED_HOSTS"
#: host names that only reach this machine: the dashboard answers to them by default, on any port
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
_HOST = re.compile(r"(?P<name>[a-z0-9.-]*[a-z0-9-]|\[[0-9a-f:.]+\])\.?(?::(?P<port>[0-9]{1,5}))?")


def host_name(value: str) -> str | None:
    """The host name in a ``Host`` header or an address: lower case, without port or final dot,
    an IP address in its standard form (IPv6 in brackets); None when ``value`` is no host name.

    Examples
    --------
    >>> host_name("LocalHost:8050"), host_name("[::1]:8050"), host_name("::1"), host_name("a.nl.")
    ('localhost', '[::1]', '[::1]', 'a.nl')
    >>> host_name("[0:0:0:0:0:0:0:1]:8050"), host_name("[::1::2]"), host_name("evil.example/x"), host_name("")
    ('[::1]', None, None, None)
    """
    text = value.strip().lower()
    if text.count(":") > 1 and not text.startswith("["):
        text = f"[{text}]"  # an IPv6 address as --host takes it
    match = _HOST.fullmatch(text)
    if match is None:
        return None
    name = match["name"]
    if name.startswith("["):
        try:
            return f"[{ipaddress.IPv6Address(name[1:-1]).compressed}]"
        except ValueError:
            return None
    address = _ip_address(name)
    return str(address) if address is not None else name


def _ip_address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address ``name`` (IPv6 in brackets) stands for; None for a name."""
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether ``host`` only reaches this machine: ``localhost``, or a loopback address.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("127.0.0.2")
    (True, True, True, True)
    >>> is_loopback("::ffff:127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("127.evil.example")
    (True, False, False)
    """
    name = host_name(host)
    if name == "localhost":
        return True
    address = _ip_address(name or "")
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address is not None and address.is_loopback


def hosts_to_serve(host: str, names: str = "") -> frozenset[str] | None:
    """The host names a server listening on ``host`` answers to.

    They are the loopback names, ``host`` itself and the comma-separated ``names`` (a reverse
    proxy's public name, from ``CARECIRCLE_ALLOWED_HOSTS``); ports are not compared. None
    (any name) when it listens on every address and no names are given.

    Raises
    ------
    AccessError
        When one of ``names`` is no host name.

    Examples
    --------
    >>> sorted(hosts_to_serve("127.0.0.1"))
    ['127.0.0.1', '[::1]', 'localhost']
    >>> sorted(hosts_to_serve("0.0.0.0", "Dashboard.example.nl, dashboard.example.nl:443"))
    ['0.0.0.0', '127.0.0.1', '[::1]', 'dashboard.example.nl', 'localhost']
    >>> print(hosts_to_serve("::"))
    None
    """
    extra = host_names(names.split(","), ALLOWED_HOSTS_ENV)
    own = host_name(host) or "0.0.0.0"
    address = _ip_address(own)
    if address is not None and address.is_unspecified and not extra:
        return None
    return LOOPBACK_HOSTS | {own} | extra


def host_names(values: Iterable[str], source: str) -> frozenset[str]:
    """The host names in ``values`` (blanks skipped), as :func:`host_name` writes them.

    Raises
    ------
    AccessError
        When a value is no host name; the message names ``source``.

    Examples
    --------
    >>> sorted(host_names(["LOCALHOST", " ", "[::1]:8050"], "test"))
    ['[::1]', 'localhost']
    """
    names = set()
    for value in values:
        if value.strip():
            name = host_name(value)
            if name is None:
                raise AccessError(
                    N_(
                        "{source}: {value!r} is no host name;"
                        " give names such as dashboard.example.nl, separated by commas"
                    ),
                    source=source,
                    value=value.strip(),
                )
            names.add(name)
    return frozenset(names)


def host_allowed(header: str | None, allowed: frozenset[str] | None) -> bool:
    """Whether a request whose ``Host`` header is ``header`` is for a name in ``allowed`` (None: any).

    Examples
    --------
    >>> host_allowed("127.0.0.1:8050", LOOPBACK_HOSTS), host_allowed("attacker.example", LOOPBACK_HOSTS)
    (True, False)
    >>> host_allowed(None, LOOPBACK_HOSTS), host_allowed("attacker.example", None)
    (False, True)
    """
    return allowed is None or host_name(header or "") in allowed
