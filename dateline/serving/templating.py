"""The Jinja2 environment for every page Dateline writes itself (the admin keeps Django's).

Public pages were measured on Django's template language and on Jinja2 (issue 6): with the
same markup, an uncached post page took less CPU on the second, because Jinja2 compiles a
template to Python instead of walking a node tree and resolving each variable through four
lookups; and one macro could replace a hand-written copy of the article markup that
listings had needed for speed. Templates live in each app's `jinja2/` folder; autoescaping
is on, as in Django's backend. The filters and globals here are the few Django ones the
templates use, with Django's own output, so a page says the same thing in either engine.
"""

from collections.abc import Mapping
from datetime import datetime, tzinfo
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.defaultfilters import pluralize, truncatewords, urlencode
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static as django_static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import Environment, Undefined
from markupsafe import Markup

from dateline.core.dates import format_date
from dateline.core.pagequery import canonical_url
from dateline.core.readerfields import csrf_value
from dateline.serving.fragments import remembered


def date(value: object, format_string: str | None = None) -> str:
    """Django's `date` filter: in the current time zone, "" for no value.

    `c` (ISO 8601, for `<time datetime>`) is written to the second: HTML allows at most
    three digits of a fraction, and Django's six made every admin-published post invalid.
    """
    if format_string == "c" and isinstance(value, datetime):
        value = value.replace(microsecond=0)
    if isinstance(value, datetime) and value.tzinfo is not None and settings.USE_TZ:
        zone = timezone.get_current_timezone()
        return _local_date(value, format_string, zone, translation.get_language())
    return format_date(timezone.template_localtime(value), format_string)


@lru_cache(maxsize=8192)
def _local_date(moment: datetime, format_string: str | None, zone: tzinfo, language: str) -> str:
    """A moment written in a zone and language: listings show the same posts' dates on
    every request, and day and month names cost a translation lookup each."""
    return format_date(timezone.localtime(moment, zone), format_string)


@lru_cache(maxsize=256)
def static(path: str) -> str:
    """`{% static %}`: a static file's URL. Remembered, as the answer only changes when
    the storage does (a manifest is read once per process); asking the manifest storage
    each time showed in a post page's profile."""
    return django_static(path)


@receiver(setting_changed)
def _forget_static_urls(*, setting: str, **kwargs: object) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES"}:
        static.cache_clear()


def url(name: str, *args: object, **kwargs: object) -> str:
    """`{% url %}`: the path of a named route."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def csrf_field(request: HttpRequest) -> Markup:
    """`{% csrf_token %}`: the hidden input with the reader's token (core/readertoken.py),
    or the mark the page cache fills it in at (core/readerfields.py)."""
    field = Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">')
    return field.format(csrf_value(request))


def querystring(request: HttpRequest, changes: Mapping[str, object]) -> str:
    """`{% querystring %}`: the request's query with `changes` (None removes a key).

    A mapping, not keywords, because `from` (a search parameter) is a Jinja2 keyword."""
    return django_querystring(SimpleNamespace(request=request), **changes)


def environment(**options: object) -> Environment:
    """Django's Jinja2 backend calls this (settings.TEMPLATES) to build its environment."""
    # A missing value prints as nothing, as in Django's language; Django's backend would
    # print it as `{{ name }}` when DEBUG is on.
    options["undefined"] = Undefined
    env = Environment(**options)  # noqa: S701 - Django's backend passes autoescape=True
    env.globals.update(static=static, url=url, querystring=querystring, csrf_field=csrf_field,
                       remembered=remembered, canonical_url=canonical_url)  # fmt: skip
    env.filters.update(date=date, pluralize=pluralize, truncatewords=truncatewords,
                       urlencode=urlencode)  # fmt: skip
    return env
