"""The templates' faster `date` filter gives exactly Django's output."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
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


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Malta", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("language", ["en", "de", "fr", "mt"])
def test_same_as_django_date(zone, language):
    with timezone.override(ZoneInfo(zone)), translation.override(language):
        for moment in MOMENTS + [moment + timedelta(hours=h) for h in range(0, 48, 5)
                                 for moment in MOMENTS[:1]]:  # fmt: skip
            for fmt in FORMATS:
                expected = render("{{ when|date:fmt }}", when=moment, fmt=fmt)
                found = render("{% load dateline_dates %}{{ when|date:fmt }}", when=moment, fmt=fmt)
                assert found == expected, (zone, language, moment, fmt)


def test_other_values_go_to_django():
    for value in (None, "", date(2024, 5, 1), "not a date", datetime(2024, 5, 1, 9)):
        expected = render("{{ v|date:'j F Y' }}|{{ v|date }}", v=value)
        assert render("{% load dateline_dates %}{{ v|date:'j F Y' }}|{{ v|date }}", v=value) == (
            expected
        )
