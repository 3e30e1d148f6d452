"""Big files are read and rendered in a second process: the same rows, errors and re-runs."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from dateline.interchange import read_ahead
from dateline.interchange.detect import read_export
from dateline.interchange.errors import ImportFileError
from dateline.interchange.import_file import import_file
from dateline.interchange.importing import import_records
from dateline.interchange.prepare import prepare
from dateline.interchange.read_ahead import ReadAhead
from tests.interchange.dbstate import empty_database, row_counts, snapshot

pytestmark = pytest.mark.django_db
EXPORTS = ["blogger-legacy.xml", "blogger-takeout.atom", "wordpress.xml"]


@pytest.fixture
def every_file_is_big(monkeypatch):
    monkeypatch.setattr(read_ahead, "BIG_FILE", 0)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Posts without an updated time are stamped "now": the same now for both imports."""
    monkeypatch.setattr(timezone, "now", lambda: datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC))


@pytest.mark.parametrize("name", EXPORTS)
def test_prepared_records_store_exactly_what_plain_records_store(fixture_file, name):
    records = list(read_export(fixture_file(name)))
    plain = import_records(records)
    stored = snapshot()
    empty_database()
    prepared = import_records([prepare(record) for record in records])
    assert snapshot() == stored
    assert prepared.counts() == plain.counts() and prepared.changes == plain.changes


@pytest.mark.parametrize("name", EXPORTS)
def test_a_file_read_ahead_imports_as_a_file_read_here(fixture_file, every_file_is_big, name):
    ahead = import_file(fixture_file(name))
    stored = snapshot()
    empty_database()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read_ahead, "BIG_FILE", float("inf"))
        here = import_file(fixture_file(name))
    assert snapshot() == stored
    assert (ahead.counts(), ahead.skipped, ahead.notes) == (here.counts(), here.skipped, here.notes)


def test_a_re_run_read_ahead_changes_nothing(fixture_file, every_file_is_big):
    import_file(fixture_file("wordpress.xml"))
    before = snapshot()
    again = import_file(fixture_file("wordpress.xml"))
    assert snapshot() == before
    assert not +again.changes


def test_a_broken_file_read_ahead_gives_the_same_error_and_changes_nothing(
    tmp_path, fixture_file, every_file_is_big
):
    text = fixture_file("blogger-legacy.xml").read_text(encoding="utf-8")
    broken = tmp_path / "blog-broken.xml"
    broken.write_text(text[: int(len(text) * 0.8)], encoding="utf-8")
    with pytest.raises(ImportFileError) as here:
        list(read_export(broken))
    before = row_counts()
    with pytest.raises(ImportFileError) as ahead:
        import_file(broken)
    assert str(ahead.value) == str(here.value)
    assert (ahead.value.file, ahead.value.line) == (here.value.file, here.value.line)
    assert row_counts() == before


def test_a_writer_that_stops_early_leaves_no_reader_running(fixture_file):
    reader = ReadAhead(fixture_file("wordpress.xml"), Counter())
    with reader as records:
        next(iter(records))
    assert reader.process is not None and reader.process.returncode is not None


def test_skipped_reasons_arrive_once_every_record_is_out(fixture_file):
    skipped: Counter[str] = Counter()
    with ReadAhead(fixture_file("blogger-legacy.xml"), skipped) as records:
        count = sum(1 for _ in records)
    expected: Counter[str] = Counter()
    assert count == len(list(read_export(fixture_file("blogger-legacy.xml"), skipped=expected)))
    assert skipped == expected and skipped
