"""Numbers and times read from a URL's path or query: only values the site can hold.

Every public view reads its numbers here, so a year no date can have, a page past any
offset the database takes, a digit that is not ASCII ("²", "٣") or an id of 5,000 digits
is a 404 (or, for an optional value, ignored), never a 500 from deep inside a query.
"""

from datetime import UTC, datetime

from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

MAX_ID = 2**63 - 1  # the largest id SQLite's INTEGER and PostgreSQL's bigint hold
MAX_PAGE = 1_000_000  # a million pages of posts: more than any blog has
# Years whose first and last instant are datetimes in every time zone (the database
# compares in UTC, up to a day away from the site's zone).
FIRST_YEAR, LAST_YEAR = 2, 9998


def bounded_digits(raw: str, maximum: int) -> int | None:
    """`raw` as a number when it is ASCII digits naming at most `maximum`, else None.

    No int() of thousands of digits, and no Unicode digits: int() reads "٣" as 3 and
    str.isdigit() calls "²" a digit that int() refuses."""
    if not raw.isascii() or not raw.isdigit():
        return None
    significant = raw.lstrip("0") or "0"
    if len(significant) > len(str(maximum)):
        return None
    number = int(significant)
    return number if number <= maximum else None


def page_number(raw: str | None) -> int:
    """`?page=N`: absent or empty is page 1; anything but 1 to MAX_PAGE is a 404."""
    if not raw:
        return 1
    number = bounded_digits(raw, MAX_PAGE)
    if number is None or number < 1:
        raise Http404(f"No such page: page is a number from 1 to {MAX_PAGE}.")
    return number


def object_id(raw: str | None) -> int | None:
    """An id from the query (`?reply=ID`), or None when it cannot be one."""
    number = bounded_digits(raw or "", MAX_ID)
    return number if number else None


def whole_number(raw: str, name: str, maximum: int) -> int:
    """A required count (`max-results`): ASCII digits up to `maximum`, else a 404."""
    number = bounded_digits(raw, maximum)
    if number is None:
        raise Http404(f"{name} is not a number from 0 to {maximum}.")
    return number


def moment(raw: str, name: str) -> datetime:
    """An ISO 8601 date and time (`updated-max`), aware, that the database can compare."""
    try:
        when = parse_datetime(raw)
    except ValueError:  # well formed, but no such date: 2024-13-45
        when = None
    if when is None:
        raise Http404(f"{name} is not a date and time.")
    try:
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        when.astimezone(UTC)
    except (OverflowError, ValueError):
        raise Http404(f"{name} is out of range.") from None
    return when


class IdConverter:
    """`<id:name>`: a database id. Django's `int` takes any run of digits, and an id past
    64 bits overflowed the database driver (a 500); here it matches no route (a 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = bounded_digits(value, MAX_ID)
        if not number:
            raise ValueError(f"{value} is not an id")  # no match: the resolver's 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class YearConverter:
    """`<year:name>`: four ASCII digits naming a year from FIRST_YEAR to LAST_YEAR."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"no archive for the year {value}")
        return year

    def to_url(self, value: int | str) -> str:
        return f"{int(value):04d}"


class MonthConverter:
    """`<month:name>`: two ASCII digits, 01 to 12."""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        month = int(value)
        if not 1 <= month <= 12:
            raise ValueError(f"{value} is not a month")
        return month

    def to_url(self, value: int | str) -> str:
        return f"{int(value):02d}"
