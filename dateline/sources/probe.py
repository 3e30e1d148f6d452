"""One check of one address: what answered, read as an Outcome (states.py).

HEAD first (cheap for the site); GET when HEAD fails with any 4xx/5xx, and when the
page's words are needed: to see a parked domain, a bot wall, or a soft 404, which is a
page that answers 200 but reads like what its host answers for a path that cannot exist
(fetched once a week per host and kept in SourceHost).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from dateline.clipping.allow import configured_allow
from dateline.clipping.errors import (
    AddressNotAllowed,
    FetchError,
    FetchTimeout,
    NotAWebAddress,
    SiteUnreachable,
    TooManyRedirects,
)
from dateline.clipping.fetch import PAGE_POLICY, FetchedPage, FetchPolicy
from dateline.sources import signs
from dateline.sources.models import SourceHost
from dateline.sources.politeness import USER_AGENT, Sleep, host_key, polite_fetch, robots_allow
from dateline.sources.states import Outcome

PROBE_MAX_AGE = timedelta(days=7)
BLOCKING_STATUSES = frozenset({401, 402, 403, 407, 429, 451})
GONE_STATUSES = frozenset({404, 410})


@dataclass(frozen=True)
class Finding:
    """The outcome of one check, with what a person reading the history needs."""

    outcome: Outcome
    detail: str
    status: int | None = None
    final_url: str = ""


def check_policy() -> FetchPolicy:
    """The fetcher's rules for a link check: any status and type, a short read."""
    policy = replace(
        PAGE_POLICY,
        user_agent=USER_AGENT,
        accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
        total_timeout=float(settings.DATELINE_SOURCE_CHECK_TIMEOUT),
        connect_timeout=min(5.0, float(settings.DATELINE_SOURCE_CHECK_TIMEOUT)),
        max_bytes=512_000,
        max_redirects=8,
        cut_at_max=True,
        any_content_type=True,
        any_status=True,
        allow=configured_allow(),
    )
    if getattr(settings, "DATELINE_CLIP_ALLOW_LOOPBACK", False):  # settings/test.py only
        ports = frozenset({*policy.allowed_ports, *settings.DATELINE_CLIP_TEST_PORTS})
        policy = replace(policy, allow_loopback=True, allowed_ports=ports)
    return policy


def check_url(url: str, policy: FetchPolicy, sleep: Sleep = time.sleep) -> Finding:
    """Check `url` politely; never raises for anything the site does."""
    try:
        if not robots_allow(url, policy, sleep):
            return Finding(Outcome.BLOCKED, "The site's robots.txt asks us not to fetch it.")
        page = polite_fetch(url, replace(policy, method="HEAD"), sleep)
        if page.status >= 400:
            page = polite_fetch(url, policy, sleep)
        return _judge(url, page, policy, sleep)
    except FetchError as exc:
        return _failure(exc)


def _failure(exc: FetchError) -> Finding:
    if isinstance(exc, FetchTimeout | TooManyRedirects):
        return Finding(Outcome.UNREACHABLE, exc.message)
    if isinstance(exc, SiteUnreachable | AddressNotAllowed | NotAWebAddress):
        return Finding(Outcome.GONE, exc.message)  # no such host, refused, now private
    return Finding(Outcome.UNREACHABLE, exc.message)


def _judge(url: str, page: FetchedPage, policy: FetchPolicy, sleep: Sleep) -> Finding:
    status, final = page.status, page.url
    if status in BLOCKING_STATUSES:
        return Finding(Outcome.BLOCKED, f"The site refused us (HTTP {status}).", status, final)
    if status in GONE_STATUSES:
        return Finding(Outcome.GONE, f"The page is gone (HTTP {status}).", status, final)
    if status >= 500:
        if signs.is_bot_wall(page.body):
            return Finding(Outcome.BLOCKED, f"A bot wall (HTTP {status}).", status, final)
        return Finding(
            Outcome.UNREACHABLE, f"The site had an error (HTTP {status}).", status, final
        )
    if status >= 400:
        return Finding(Outcome.UNREACHABLE, f"The site answered HTTP {status}.", status, final)
    return _judge_answer(url, page, policy, sleep)


def _judge_answer(url: str, page: FetchedPage, policy: FetchPolicy, sleep: Sleep) -> Finding:
    """A 2xx answer: gone in disguise, behind a wall, moved, or fine."""
    status, final = page.status, page.url
    moved = bool(page.redirects)
    if moved and signs.is_home(url, final):
        return Finding(
            Outcome.GONE, "It now sends readers to the site's front page.", status, final
        )
    if moved and signs.looks_not_found_url(final) and not signs.looks_not_found_url(url):
        return Finding(Outcome.GONE, "It now sends readers to a not-found page.", status, final)
    if signs.is_parking_host(final):
        return Finding(Outcome.GONE, "The domain is parked.", status, final)
    probe = _host_probe(final, policy, sleep)
    if not page.body and (probe is None or probe.probe_status != 200 or page.status != 200):
        pass  # the host answers a missing path with an error: this 200 is a real page
    else:
        if not page.body:
            page = polite_fetch(url, policy, sleep)
            final = page.url
        verdict = _judge_words(page, probe)
        if verdict is not None:
            return verdict
    if moved and not _same_address(url, final):
        return Finding(Outcome.MOVED, "The page moved.", status, final)
    return Finding(Outcome.OK, f"The page answers (HTTP {status}).", status, final)


def _judge_words(page: FetchedPage, probe: SourceHost | None) -> Finding | None:
    status, final, body = page.status, page.url, page.body
    if signs.is_parked(body):
        return Finding(Outcome.GONE, "The domain is parked.", status, final)
    if signs.is_bot_wall(body):
        return Finding(Outcome.BLOCKED, "A bot wall answered instead of the page.", status, final)
    if signs.says_not_found(body):
        return Finding(Outcome.GONE, "The page says it was not found (soft 404).", status, final)
    if probe is not None and probe.probe_status == 200:
        text = signs.text_of(body).replace(urlsplit(final).path, "")
        junk = probe.probe_text.replace(urlsplit(probe.probe_url).path, "")
        if _same_address(probe.probe_url, final) or signs.same_page(text, junk):
            detail = "It reads like the site's page for a missing address (soft 404)."
            return Finding(Outcome.GONE, detail, status, final)
    return None


def _host_probe(url: str, policy: FetchPolicy, sleep: Sleep) -> SourceHost | None:
    """What the host answers for a path that cannot exist (kept a week); None if unknown."""
    host = host_key(url)
    row = SourceHost.objects.filter(host=host).first()
    now = timezone.now()
    if row is not None and row.probed_at is not None and now - row.probed_at < PROBE_MAX_AGE:
        return row
    parts = urlsplit(url)
    junk = f"{parts.scheme}://{parts.netloc}/dateline-check-{secrets.token_hex(8)}/missing"
    try:
        answer = polite_fetch(junk, policy, sleep)
    except FetchError:
        return None
    values = {
        "probe_status": answer.status,
        "probe_url": answer.url,
        "probe_text": signs.text_of(answer.body).replace(urlsplit(junk).path, ""),
        "probed_at": now,
    }
    row, _ = SourceHost.objects.update_or_create(host=host, defaults=values)
    return row


def _same_address(one: str, other: str) -> bool:
    """Equal but for scheme, "www.", default port and a trailing slash (not a move)."""
    return _plain(one) == _plain(other)


def _plain(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else None
    return f"{host}:{port}", parts.path.rstrip("/") or "/", parts.query
