"""Decide whether an address may be fetched, before any connection exists.

A server that fetches URLs for its users can be steered at its own network
(SSRF). This module turns a URL into a `Target`: a normalized URL plus the one
IP address that was vetted for it, which is the address the fetcher then
connects to (no second DNS lookup, so no DNS-rebinding gap).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES

from dateline.clipping.errors import (
    AddressNotAllowed,
    FetchError,
    NotAWebAddress,
    SiteUnreachable,
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

DEFAULT_PORTS = {"http": 80, "https": 443}
PRIVATE = "That address is not allowed: it points inside a private network."
METADATA = "That address is not allowed: it points at a cloud metadata service."
NUMERIC = "That address is not allowed: it writes an IP address in an unusual form."
CREDENTIALS = "That address is not allowed: it contains a user name or password."

_METADATA_IPS = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_MAX_URL = 4096
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_NUMERIC_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)")
_DOTTED_QUAD = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
)
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True)
class Target:
    """A vetted request: the URL to send and the address to send it to."""

    url: str
    scheme: str
    host: str
    port: int
    ip: IPAddress
    exempt: bool = False  # let through by DATELINE_FETCH_ALLOW: no private-address filter


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FetchAllow:
    """Hosts and networks an operator lets through the private-address and port rules
    (DATELINE_FETCH_ALLOW): an intranet's sites, or the tests' own servers. It weakens
    the SSRF rules on purpose, so it is empty unless configured; metadata services stay
    refused whatever it says."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.hosts or self.networks)

    def names(self, host: str) -> bool:
        return host in self.hosts

    def covers(self, ip: IPAddress) -> bool:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return ip not in _METADATA_IPS and any(ip in network for network in self.networks)


NO_ALLOW = FetchAllow()


def parse_fetch_allow(value: str) -> FetchAllow:
    """FetchAllow from "intranet.example, 10.1.0.0/16, 127.0.0.1"; ValueError naming the
    entry that is neither a host name nor a network."""
    hosts: set[str] = set()
    networks: list[Network] = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
            continue
        except ValueError:
            pass
        try:
            hosts.add(_ascii_host(entry))
        except FetchError as exc:
            raise ValueError(f"{entry!r} is neither a host name nor a network") from exc
    return FetchAllow(frozenset(hosts), tuple(networks))


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (all are vetted, one is used)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def vet_url(
    url: str,
    *,
    schemes: frozenset[str],
    ports: frozenset[int],
    allow_loopback: bool,
    resolver: Resolver,
    allow: FetchAllow = NO_ALLOW,
) -> Target:
    """Parse, normalize and vet `url`; raise a FetchError subclass when it may not be fetched.

    A host named in `allow`, or an address in one of its networks, may be private and
    may use any port."""
    scheme, host, port, explicit_port, rest = _split(url, schemes)
    literal = _literal_ip(host)
    exempt = allow.names(host) or (literal is not None and allow.covers(literal))
    if port not in ports and not exempt and not allow.networks:
        raise _port_refused(port)  # before any DNS lookup
    if literal is None:
        ip = _resolve(host, port, resolver, allow_loopback, allow, named=exempt)
        exempt = exempt or allow.covers(ip)
    else:
        ip = literal
        _check(ip, allow_loopback=allow_loopback, allow=allow, named=exempt)
    if port not in ports and not exempt:
        raise _port_refused(port)
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if explicit_port else "")
    normalized = urlunsplit((scheme, netloc, rest[0] or "/", rest[1], ""))
    return Target(normalized, scheme, host, port, ip, exempt)


def _port_refused(port: int) -> AddressNotAllowed:
    return AddressNotAllowed(
        f"That address is not allowed: port {port} is not a web port we fetch from."
    )


def _check(ip: IPAddress, *, allow_loopback: bool, allow: FetchAllow, named: bool) -> None:
    """check_ip, except for what `allow` lets through (never a metadata service)."""
    if named or allow.covers(ip):
        if ip in _METADATA_IPS:
            raise AddressNotAllowed(METADATA)
        return
    check_ip(ip, allow_loopback=allow_loopback)


def _split(url: str, schemes: frozenset[str]) -> tuple[str, str, int, bool, tuple[str, str]]:
    """Scheme, ASCII host, port, whether the port was explicit, and (path, query)."""
    if not isinstance(url, str) or len(url) > _MAX_URL:
        raise NotAWebAddress()
    url = url.strip()
    if _UNSAFE_CHARS.search(url):
        raise NotAWebAddress()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise NotAWebAddress() from exc
    scheme = parts.scheme.lower()
    if scheme not in schemes or not parts.netloc:
        raise NotAWebAddress()
    if "@" in parts.netloc:
        raise AddressNotAllowed(CREDENTIALS)
    host = _ascii_host(parts.hostname or "")
    default = DEFAULT_PORTS.get(scheme, 80)
    actual = default if port is None else port
    return scheme, host, actual, port is not None, (parts.path, parts.query)


def _ascii_host(host: str) -> str:
    """Lower-case ASCII (IDNA) host, refusing forms that only exist to confuse parsers."""
    host = host.lower().rstrip(".")
    if not host:
        raise NotAWebAddress()
    if ":" in host:  # an IPv6 literal; zone ids ("%eth0") are local by definition
        return host
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise NotAWebAddress() from exc
    labels = ascii_host.split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # Browsers and resolvers read "2130706433", "0x7f.1", "0177.0.0.1" and
        # "127.1" as IPv4; only the plain dotted quad is accepted (and vetted).
        if not _DOTTED_QUAD.fullmatch(ascii_host):
            raise AddressNotAllowed(NUMERIC)
        return ascii_host
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise NotAWebAddress()
    return ascii_host


def _literal_ip(host: str) -> IPAddress | None:
    if ":" not in host and not _DOTTED_QUAD.fullmatch(host):
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError as exc:
        raise NotAWebAddress() from exc


def _resolve(
    host: str,
    port: int,
    resolver: Resolver,
    allow_loopback: bool,
    allow: FetchAllow = NO_ALLOW,
    *,
    named: bool = False,
) -> IPAddress:
    """Resolve once and vet every answer: one bad answer condemns the name."""
    local_name = host == "localhost" or host.endswith(".localhost")
    if local_name and not allow_loopback and not named:
        raise AddressNotAllowed(PRIVATE)
    try:
        answers = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise SiteUnreachable(f"The site {host} could not be found.") from exc
    if not answers:
        raise SiteUnreachable(f"The site {host} could not be found.")
    for answer in answers:
        _check(answer, allow_loopback=allow_loopback, allow=allow, named=named)
    return answers[0]


def check_ip(ip: IPAddress, *, allow_loopback: bool) -> None:
    """Refuse every address that is not plainly on the public internet."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return
    if ip in _METADATA_IPS:
        raise AddressNotAllowed(METADATA)
    for embedded in _embedded_ipv4(ip):
        check_ip(embedded, allow_loopback=False)
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        raise AddressNotAllowed(PRIVATE)
    # requests-hardened's list covers ranges older Pythons call global (192.0.0.0/24, ...).
    if any(ip in network for network in EXTRA_BLOCKED_NET_RANGES):
        raise AddressNotAllowed(PRIVATE)


def _embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses hidden in IPv6 forms (6to4, NAT64, Teredo, IPv4-compatible)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found = []
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in net for net in _NAT64) or int(ip) >> 32 == 0:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found
