"""DATELINE_FETCH_ALLOW as the fetcher's FetchAllow, for clipping and link checking alike."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dateline.clipping._addresses import FetchAllow, parse_fetch_allow


def configured_allow() -> FetchAllow:
    """The hosts and networks the operator lets through the private-address rules."""
    return _parsed(str(getattr(settings, "DATELINE_FETCH_ALLOW", "") or ""))


@lru_cache(maxsize=8)
def _parsed(value: str) -> FetchAllow:
    try:
        return parse_fetch_allow(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATELINE_FETCH_ALLOW: {exc}.") from exc
