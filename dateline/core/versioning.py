"""Read and bump the content version (see core.models.ContentVersion)."""

from datetime import UTC, datetime
from functools import cache

from django.db import connection
from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dateline.core.models import ContentVersion

_ROW = 1


# Any fixed instant: the compiled query's parameter with this value is swapped for "now".
_PLACEHOLDER_NOW = datetime(2000, 1, 1, tzinfo=UTC)


def _visibility_horizon(now: datetime) -> Subquery:
    """The newest publish time that has come: it moves, with no write at all, when a
    scheduled post's time arrives, so it is part of the version."""
    from dateline.posts.models import Post

    return Subquery(
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__lte=now)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


@cache
def _compiled_query(vendor: str) -> tuple[str, tuple, int]:
    """The version query as SQL, built once by the ORM (quoting and types stay Django's).

    Every cached page asks this question, and building it through the ORM each time cost
    three quarters of a cache hit; only the "now" parameter changes between calls.
    """
    query = (
        ContentVersion.objects.filter(pk=_ROW)
        .annotate(horizon=_visibility_horizon(_PLACEHOLDER_NOW))
        .values_list("version", "changed_at", "horizon")
    ).query
    sql, params = query.sql_with_params()
    placeholder = connection.ops.adapt_datetimefield_value(_PLACEHOLDER_NOW)
    return sql, tuple(params), list(params).index(placeholder)


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """SQLite hands back text for a raw query; PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    return timezone.make_aware(parsed, UTC) if timezone.is_naive(parsed) else parsed


def current_version_and_time() -> tuple[str, datetime | None]:
    """The version token and when content last changed (for Last-Modified), in one query."""
    sql, params, now_at = _compiled_query(connection.vendor)
    params = list(params)
    params[now_at] = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return "0", None
    version, changed_at, horizon = row[0], _as_datetime(row[1]), _as_datetime(row[2])
    last_change = max(filter(None, (changed_at, horizon)))
    horizon_stamp = horizon.timestamp() if horizon else 0
    return f"{version}-{changed_at.timestamp():.6f}-{horizon_stamp:.6f}", last_change


def current_version() -> str:
    """A token naming the content readers see now: the counter and the time it moved.

    The time makes the token unique even when a counter value comes back (a restored
    backup, a rolled-back test), so a cache never serves what another state built.
    """
    return current_version_and_time()[0]


def bump_version() -> None:
    """Called by signals inside the writing transaction, so it commits with the change."""
    updated = ContentVersion.objects.filter(pk=_ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=_ROW, defaults={"version": 1})
