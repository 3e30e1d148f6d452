"""Read and bump the content version (see core.models.ContentVersion)."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.db import connection, transaction
from django.db.models import DateTimeField, F, Subquery, Value
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dateline.core.changebell import current_bell
from dateline.core.models import ContentVersion

_ROW = 1


# Any fixed instant: the compiled query's parameter with this value is swapped for "now".
_PLACEHOLDER_NOW = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Schedule:
    """How a scheduled item's time enters the version, given a moment: `horizon`, the
    newest publish time that has come (it moves with no write at all when a scheduled
    post's time arrives, so it is part of the version), and `next_due`, the next one to
    come (a remembered version expires then). Each is a one-value subquery."""

    horizon: Callable[[datetime], Subquery]
    next_due: Callable[[datetime], Subquery]


_schedule: Schedule | None = None


def follow_schedule(schedule: Schedule) -> None:
    """Called once by the app that schedules posts (posts' AppConfig.ready), so this
    module, below every app, never imports one."""
    global _schedule
    _schedule = schedule
    _compiled_query.cache_clear()


@cache
def _compiled_query(vendor: str) -> tuple[str, tuple, tuple[int, ...]]:
    """The version query as SQL, built once by the ORM (quoting and types stay Django's).

    Every cached page asks this question, and building it through the ORM each time was
    most of a cache hit; only the "now" parameter changes between calls.
    """
    if _schedule is None:
        times = {"horizon": Value(None, DateTimeField()), "next_due": Value(None, DateTimeField())}
    else:
        times = {"horizon": _schedule.horizon(_PLACEHOLDER_NOW),
                 "next_due": _schedule.next_due(_PLACEHOLDER_NOW)}  # fmt: skip
    query = (
        ContentVersion.objects.filter(pk=_ROW)
        .annotate(**times)
        .values_list("version", "changed_at", "horizon", "next_due")
    ).query
    sql, params = query.sql_with_params()
    placeholder = connection.ops.adapt_datetimefield_value(_PLACEHOLDER_NOW)
    now_at = tuple(i for i, value in enumerate(params) if value == placeholder)
    return sql, tuple(params), now_at


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """SQLite hands back text for a raw query; PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    return timezone.make_aware(parsed, UTC) if timezone.is_naive(parsed) else parsed


# Even with the change bell, read the database at least this often: a writer killed between
# its commit and its second ring, or a write from outside Dateline, is seen within this time.
REMEMBER_SECONDS = 0.5


@dataclass(frozen=True)
class _Remembered:
    mark: bytes
    version: str
    changed_at: datetime | None
    expires: float  # time.time(): the next scheduled post's time, or the upper bound above


_remembered: _Remembered | None = None


def remembered_version() -> tuple[str, datetime | None] | None:
    """The version read last, while the change bell says nothing has committed since and
    no scheduled post has come due; None when the database must be asked."""
    memo = _remembered
    if memo is None or time.time() >= memo.expires:
        return None
    bell = current_bell()
    if bell is None or bell.mark() != memo.mark:
        return None
    return memo.version, memo.changed_at


def current_version_and_time() -> tuple[str, datetime | None]:
    """The version token and when content last changed (for Last-Modified), in one query."""
    global _remembered
    found = remembered_version()
    if found is not None:
        return found
    bell = current_bell()
    mark = bell.mark() if bell is not None else b""  # read before the query, never after
    now = timezone.now()
    row = _read_row(now)
    if row is None:
        return "0", None
    version, changed_at, horizon = row[0], _as_datetime(row[1]), _as_datetime(row[2])
    last_change = max(filter(None, (changed_at, horizon)))
    horizon_stamp = horizon.timestamp() if horizon else 0
    token = f"{version}-{changed_at.timestamp():.6f}-{horizon_stamp:.6f}"
    # Inside a transaction the read may include this transaction's own uncommitted writes.
    if bell is not None and not connection.in_atomic_block:
        expires = now.timestamp() + REMEMBER_SECONDS
        next_due = _as_datetime(row[3])
        if next_due is not None:
            expires = min(expires, next_due.timestamp())
        _remembered = _Remembered(mark, token, last_change, expires)
    return token, last_change


def _read_row(now: datetime) -> tuple | None:
    """(counter, changed_at, horizon, next_due) as stored, at `now`."""
    sql, params, now_at = _compiled_query(connection.vendor)
    params = list(params)
    for index in now_at:
        params[index] = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@dataclass(frozen=True)
class Reading:
    """The version as stored at a moment: its counter, when it last moved (a counter
    value can come back, from a restored backup), and its horizon (the newest publish
    time that had come)."""

    counter: int
    changed_at: datetime | None
    horizon: datetime | None

    def to_json(self) -> list:
        """As stored beside what was read at it (the static mirror's manifest), so that
        another process can tell what moved since."""
        return [self.counter, *(value and value.isoformat() for value in
                                (self.changed_at, self.horizon))]  # fmt: skip

    @classmethod
    def from_json(cls, data: list) -> "Reading":
        """The reading `to_json` stored; ValueError or TypeError when it is not one."""
        counter, changed_at, horizon = data
        if not isinstance(counter, int):
            raise TypeError("a version counter is an integer")
        return cls(counter, *(value and _aware(datetime.fromisoformat(value))
                              for value in (changed_at, horizon)))  # fmt: skip


def read_version(now: datetime) -> Reading:
    """The version at `now`, from the database (no memo): what moved since a reading, by
    writes and by the clock."""
    row = _read_row(now)
    if row is None:
        return Reading(0, None, None)
    return Reading(row[0], *(_aware(_as_datetime(value)) for value in (row[1], row[2])))


def _aware(value: datetime | None) -> datetime | None:
    """SQLite's converter gives some columns naive, in UTC."""
    return timezone.make_aware(value, UTC) if value and timezone.is_naive(value) else value


def current_version() -> str:
    """A token naming the content readers see now: the counter and the time it moved.

    The time makes the token unique even when a counter value comes back (a restored
    backup, a rolled-back test), so a cache never serves what another state built.
    """
    return current_version_and_time()[0]


def bump_version() -> int:
    """Called by signals inside the writing transaction, so it commits with the change.

    Returns the counter this bump set: read in the same atomic block, while the bump holds
    the row (PostgreSQL) or the database (SQLite) against every other writer, so the number
    is this write's own (the static mirror tells its own writes from others' by it)."""
    with transaction.atomic():
        updated = ContentVersion.objects.filter(pk=_ROW).update(
            version=F("version") + 1, changed_at=timezone.now()
        )
        if not updated:
            ContentVersion.objects.get_or_create(pk=_ROW, defaults={"version": 1})
        counter = ContentVersion.objects.filter(pk=_ROW).values_list("version", flat=True)[0]
    bell = current_bell()
    if bell is not None:
        bell.ring()  # a reader that reads the old version from now on will look again...
        transaction.on_commit(bell.ring)  # ...once this commits
    return counter
