"""The Jinja2 templates' `date` filter gives exactly what Django's `date` filter gives."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, engines
from django.utils import timezone, translation

FORMATS = ["c", "l, j F Y", "j F Y", r"j F Y \a\t H:i", "F Y", "Y", "Y-m-d", "DATE_FORMAT",
           "aAbcdDEfFgGhHijlLmMnNoPsStuUwWyYz", "r", "e O T Z I", r"\Y\e\s Y",
           "N jS, P"]  # fmt: skip
MOMENTS = [
    datetime(2024, 5, 1, 9, 5, 7, 123, tzinfo=UTC),
    datetime(2024, 3, 31, 1, 30, tzinfo=UTC),  # around Europe's spring change
    datetime(2024, 10, 27, 0, 30, tzinfo=UTC),  # Europe's ambiguous autumn hour
    datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2024, 11, 3, 8, 30, tzinfo=UTC),  # America's ambiguous hour
]


def django(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def jinja(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Malta", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("language", ["en", "de", "fr", "mt"])
def test_same_as_django_date(zone, language):
    with timezone.override(ZoneInfo(zone)), translation.override(language):
        for moment in MOMENTS + [moment + timedelta(hours=h) for h in range(0, 48, 5)
                                 for moment in MOMENTS[:1]]:  # fmt: skip
            for fmt in FORMATS:
                # One deliberate difference: `c` (for <time datetime>) is written to the
                # second, as HTML allows at most three digits of a fraction.
                shown = moment.replace(microsecond=0) if fmt == "c" else moment
                expected = django("{{ when|date:fmt }}", when=shown, fmt=fmt)
                found = jinja("{{ when|date(fmt) }}", when=moment, fmt=fmt)
                assert found == expected, (zone, language, moment, fmt)


def test_other_values_go_to_django():
    for value in (None, "", date(2024, 5, 1), "not a date", datetime(2024, 5, 1, 9)):
        expected = django("{{ v|date:'j F Y' }}|{{ v|date }}", v=value)
        assert jinja("{{ v|date('j F Y') }}|{{ v|date }}", v=value) == expected
