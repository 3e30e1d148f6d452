"""The only module that talks HTTP: fetch a page (or an image) for a clip, safely.

Built on requests + requests-hardened. requests-hardened pins a connection to
the address it resolved and refuses private ones, but it resolves on its own
(no seam for tests), takes only the first DNS answer, and lets through a few
ranges we refuse (reserved, IPv4-compatible IPv6, metadata services), so the
vetting lives in `_addresses` and the adapter here connects to exactly the IP
that was vetted, with requests-hardened's filter checking that IP once more.
On top: our own redirect loop (every hop re-vetted), a total deadline, a body
cap enforced while streaming, and a content-type check.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import InvalidIPAddress, filter_host
from requests_hardened.ip_filter_adapter import IPFilterAdapter
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ReadTimeoutError

from dateline.clipping._addresses import (
    NO_ALLOW,
    PRIVATE,
    FetchAllow,
    Resolver,
    Target,
    system_resolver,
    vet_url,
)
from dateline.clipping.errors import (
    AddressNotAllowed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    SiteUnreachable,
    TooLarge,
    TooManyRedirects,
    WrongContentType,
)

USER_AGENT = "Dateline/0.1 (+self-hosted news-clipping blog)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/svg+xml"}
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """What one fetch may do. Tests set `allow_loopback=True` to reach their own server."""

    allowed_schemes: frozenset[str] = frozenset({"http", "https"})
    allowed_ports: frozenset[int] = frozenset({80, 443, 8080})
    allowed_content_types: frozenset[str] = HTML_TYPES
    max_bytes: int = 10_000_000
    total_timeout: float = 20.0
    connect_timeout: float = 5.0
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
    noun: str = "page"  # how messages name what we fetch: "The page is larger than 10 MB."
    kind: str = "a web page"  # "That address is not a web page (content type image/png)."
    allow_loopback: bool = False
    allow: FetchAllow = NO_ALLOW  # DATELINE_FETCH_ALLOW: hosts let through the SSRF rules
    method: str = "GET"  # "HEAD" for a link check
    any_content_type: bool = False  # a link check: any page, PDF or image is an answer
    cut_at_max: bool = False  # keep the first max_bytes instead of refusing a larger body
    any_status: bool = False  # a link check reads a 404's or a 503's page too
    resolver: Resolver = field(default=system_resolver, compare=False, repr=False)

    def for_images(self) -> FetchPolicy:
        """The same limits on addresses, with image types and a smaller size cap."""
        return replace(
            self,
            allowed_content_types=IMAGE_TYPES,
            max_bytes=min(self.max_bytes, 5_000_000),
            accept="image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9",
            noun="image",
            kind="an image",
        )


PAGE_POLICY = FetchPolicy()
IMAGE_POLICY = PAGE_POLICY.for_images()


@dataclass(frozen=True)
class FetchedPage:
    """A fetched response body and what we know about it."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    redirects: tuple[str, ...] = ()


def fetch(url: str, policy: FetchPolicy = PAGE_POLICY) -> FetchedPage:
    """Fetch `url` under `policy`; raise a FetchError with a plain-words `.message`."""
    deadline = time.monotonic() + policy.total_timeout
    pins: dict[str, Target] = {}
    chain: list[str] = []
    with _session(policy, pins) as session:
        current = url
        for _ in range(policy.max_redirects + 1):
            target = _vet(current, policy)
            pins[target.host] = target
            response = _send(session, target, policy, deadline)
            with response:
                location = _redirect_location(response)
                if location is None:
                    return _read(response, target, tuple(chain), policy, deadline)
            chain.append(target.url)
            current = urljoin(target.url, location)
    raise TooManyRedirects()


def _vet(url: str, policy: FetchPolicy) -> Target:
    return vet_url(
        url,
        schemes=policy.allowed_schemes,
        ports=policy.allowed_ports,
        allow_loopback=policy.allow_loopback,
        resolver=policy.resolver,
        allow=policy.allow,
    )


@contextmanager
def _session(policy: FetchPolicy, pins: dict[str, Target]) -> Iterator[requests.Session]:
    """A requests-hardened session that never redirects, never proxies, and pins addresses."""
    config = Config(
        ip_filter_enable=False,  # replaced below by the pinning adapter
        ip_filter_allow_loopback_ips=policy.allow_loopback,
        never_redirect=True,
        default_timeout=(policy.connect_timeout, policy.total_timeout),
        user_agent_override=policy.user_agent,
    )
    session = HTTPSession(config)
    session.trust_env = False  # no proxies or .netrc from the environment: they bypass pinning
    for prefix, https in (("http://", False), ("https://", True)):
        session.mount(
            prefix, _PinnedAdapter(pins, https=https, allow_loopback=policy.allow_loopback)
        )
    try:
        yield session
    finally:
        session.close()


class _PinnedAdapter(IPFilterAdapter):
    """Connect to the vetted IP for the request's host, keeping Host and TLS SNI."""

    def __init__(self, pins: dict[str, Target], *, https: bool, allow_loopback: bool) -> None:
        super().__init__(is_https_proto=https, allow_loopback=allow_loopback)
        self._pins = pins

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        params, pool_kwargs = HTTPAdapter.build_connection_pool_key_attributes(
            self, request, verify, cert
        )
        host, port = params["host"], params["port"]
        pinned = self._pins.get(host)
        if pinned is None:  # a host nobody vetted: never connect
            raise AddressNotAllowed(PRIVATE)
        request.headers = CaseInsensitiveDict(request.headers or {})
        request.headers["Host"] = (f"[{host}]" if ":" in host else host) + (
            f":{port}" if port else ""
        )
        if self._is_https_proto:
            pool_kwargs["assert_hostname"] = host
            pool_kwargs["server_hostname"] = host
        # requests-hardened checks the very address we are about to connect to (unless
        # DATELINE_FETCH_ALLOW let this one through).
        ip = str(pinned.ip)
        exempt = pinned.exempt
        params["host"] = (
            ip if exempt else filter_host(ip, port or 0, allow_loopback=self._allow_loopback)
        )
        return params, pool_kwargs


def _send(
    session: requests.Session, target: Target, policy: FetchPolicy, deadline: float
) -> requests.Response:
    remaining = _remaining(deadline)
    try:
        return session.request(
            policy.method,
            target.url,
            stream=True,
            allow_redirects=False,
            timeout=(min(policy.connect_timeout, remaining), remaining),
            headers={"Accept": policy.accept, "Accept-Encoding": "gzip, deflate"},
        )
    except InvalidIPAddress as exc:
        raise AddressNotAllowed(PRIVATE) from exc
    except requests.Timeout as exc:
        raise FetchTimeout() from exc
    except requests.ConnectionError as exc:
        if time.monotonic() >= deadline:
            raise FetchTimeout() from exc
        raise SiteUnreachable() from exc
    except requests.RequestException as exc:
        raise FetchError() from exc


def _redirect_location(response: requests.Response) -> str | None:
    if response.status_code in REDIRECT_STATUSES:
        location = response.headers.get("Location", "").strip()
        return location or None
    return None


def _read(
    response: requests.Response,
    target: Target,
    chain: tuple[str, ...],
    policy: FetchPolicy,
    deadline: float,
) -> FetchedPage:
    """Check status, type and size before the body, then stream it under both caps."""
    success = 200 <= response.status_code < 300
    if not success and not policy.any_status:
        raise HTTPStatusError(response.status_code)
    content_type, charset = _content_type(response.headers.get("Content-Type", ""))
    any_type = policy.any_content_type or not success
    if content_type not in policy.allowed_content_types and not any_type:
        shown = content_type or "unknown"
        raise WrongContentType(f"That address is not {policy.kind} (content type {shown}).")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > policy.max_bytes and not policy.cut_at_max:
        raise _too_large(policy)
    body = _stream_body(response, policy, deadline)
    return FetchedPage(target.url, response.status_code, content_type, charset, body, chain)


def _stream_body(response: requests.Response, policy: FetchPolicy, deadline: float) -> bytes:
    """Read (and decompress) chunk by chunk, stopping at the size cap or the deadline."""
    raw = response.raw
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            _limit_socket(raw, deadline)
            chunk = raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > policy.max_bytes:
                if policy.cut_at_max:
                    chunks.append(chunk)
                    return b"".join(chunks)[: policy.max_bytes]
                raise _too_large(policy)
            chunks.append(chunk)
    except (ReadTimeoutError, TimeoutError) as exc:
        raise FetchTimeout() from exc
    except (OSError, Urllib3Error) as exc:  # reset, truncated body, bad compression
        if time.monotonic() >= deadline:
            raise FetchTimeout() from exc
        raise FetchError() from exc


def _limit_socket(raw: Any, deadline: float) -> None:
    """Give the next socket read only the time left, so a trickling server hits the deadline."""
    remaining = _remaining(deadline)
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if sock is not None:
        sock.settimeout(remaining)


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeout()
    return remaining


def _content_type(header: str) -> tuple[str, str | None]:
    """("text/html", "utf-8") from "text/html; charset=UTF-8"."""
    mime, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return mime.strip().lower(), charset


def _too_large(policy: FetchPolicy) -> TooLarge:
    size = policy.max_bytes / 1_000_000
    shown = f"{size:g} MB" if size >= 1 else f"{policy.max_bytes // 1000} kB"
    return TooLarge(f"The {policy.noun} is larger than {shown}.")
