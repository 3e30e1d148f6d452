"""The settings in force: the stored row over the environment's defaults, read once per
content version.

Saving the row bumps the content version (serving.signals watches it), so every process
reads it again on its next request, cached pages and feeds are rebuilt with the new
values, and the static mirror sees a new settings key (a full build). Between changes a
request that renders reads the content version (no query on SQLite with the change bell)
and one cache entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from dateline.core import memo
from dateline.site_settings.models import BlogSettings, CommentPolicy


@dataclass(frozen=True)
class Effective:
    """Each value as the blog uses it; `stored` says which ones the row sets."""

    title: str
    description: str
    time_zone: str
    language: str
    comment_policy: str
    stored: frozenset[str] = frozenset()


def defaults() -> Effective:
    """The environment's values: DATELINE_SITE_TITLE, DATELINE_SITE_DESCRIPTION,
    DATELINE_TIME_ZONE, DATELINE_LANGUAGE, DATELINE_COMMENTS_AUTO_APPROVE_KNOWN."""
    known = settings.DATELINE_COMMENTS_AUTO_APPROVE_KNOWN
    return Effective(
        title=settings.DATELINE_SITE_TITLE,
        description=settings.DATELINE_SITE_DESCRIPTION,
        time_zone=settings.TIME_ZONE,
        language=settings.LANGUAGE_CODE,
        comment_policy=CommentPolicy.FIRST_TIME if known else CommentPolicy.MODERATE_ALL,
    )


FIELDS = ("title", "description", "time_zone", "language", "comment_policy")


def resolve(stored: dict[str, str]) -> Effective:
    """The stored values (a row's non-empty fields) over the environment's."""
    base = defaults()
    kept = {name: value for name, value in stored.items() if name in FIELDS and value}
    values = {name: kept.get(name, getattr(base, name)) for name in FIELDS}
    return Effective(**values, stored=frozenset(kept))


# The settings a request (BlogSettingsMiddleware) or a mirror build (`applied`) runs
# under: read once at its start, so a page naming many authors asks nothing more.
_in_force: ContextVar[Effective | None] = ContextVar("dateline_blog_settings", default=None)


def current() -> Effective:
    """The settings in force. Inside `applied()`, what it read; elsewhere the row is read
    once per content version (as the sidebar is: kept in the cache, so every process, and
    every server with a shared cache, reads it once per change). The environment's
    defaults are applied on every read, so a changed environment needs no invalidation."""
    held = _in_force.get()
    return held if held is not None else _read()


def _read() -> Effective:
    return resolve(memo.shared("blog-settings", _stored))


def _stored() -> dict:
    return BlogSettings.objects.filter(pk=1).values(*FIELDS).first() or {}


def stored_row() -> BlogSettings:
    """The row to edit (unsaved when the blog never changed a setting)."""
    return BlogSettings.objects.filter(pk=1).first() or BlogSettings(pk=1)


@contextmanager
def applied() -> Iterator[Effective]:
    """Run the block in the blog's settings, time zone and language (a request, a mirror
    build). A change saved inside the block shows from the next one on; a block inside
    another reads the settings again (each update of a watched mirror is one)."""
    effective = _read()
    token = _in_force.set(effective)
    try:
        with timezone.override(effective.time_zone), translation.override(effective.language):
            yield effective
    finally:
        _in_force.reset(token)
