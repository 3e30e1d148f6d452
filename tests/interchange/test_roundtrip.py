"""read(write(records)) == records, field by field, for what each format carries."""

import dataclasses
import io
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

import pytest

from dateline.interchange.blogger import read_blogger
from dateline.interchange.blogger_legacy import read_blogger_legacy
from dateline.interchange.blogger_takeout import read_blogger_takeout
from dateline.interchange.blogger_writer import write_blogger
from dateline.interchange.records import CommentRecord, PostRecord, SiteRecord
from dateline.interchange.wordpress import read_wxr
from dateline.interchange.wxr_writer import group_comments, write_wxr

GENERATED = datetime(2024, 1, 1, tzinfo=UTC)
TEHRAN = timezone(timedelta(hours=3, minutes=30))


def through_wxr(records):
    out = io.BytesIO()
    write_wxr(records, out, base_url="https://blog.example", generated=GENERATED)
    out.seek(0)
    return list(read_wxr(out))


def through_blogger(records):
    out = io.BytesIO()
    write_blogger(records, out, blog_id="77", base_url="https://blog.example", generated=GENERATED)
    out.seek(0)
    return list(read_blogger(out))


def full_records():
    """Every field set, ids from another system, text that needs escaping."""
    post = PostRecord(
        import_id="markdown:posts/iran.md",
        title='Iran & the "West" <analysis>',
        body="<p>Body with ]]> and\x0b a control char</p>",
        body_format="markdown",
        status="published",
        published=datetime(2023, 3, 1, 10, 0, tzinfo=TEHRAN),
        updated=datetime(2023, 3, 2, 11, 0, tzinfo=UTC),
        path="/2023/03/iran-and-west.html",
        slug="iran-and-west",
        labels=("Iran", "United States", "Émirats arabes unis"),
        author_name="Editor",
        excerpt="Short.",
        lead_image="https://img.example/1.jpg",
        lead_image_caption="A street in Tehran",
        source_url="https://news.example.com/a",
        source_name="Example News",
        old_paths=("/2023/03/01/iran-and-west/", "/?p=5"),
    )
    draft = PostRecord(import_id="wxr:9", title="Draft", body="", status="draft")
    page = PostRecord(
        import_id="blogger:55",
        title="About",
        body="x",
        kind="page",
        path="/p/about.html",
        slug="about",
        published=datetime(2020, 1, 1, tzinfo=UTC),
    )
    top = CommentRecord(
        import_id="c-1",
        post_import_id=post.import_id,
        author_name="Ana",
        body="First",
        published=datetime(2023, 3, 1, 12, tzinfo=UTC),
        author_email="ana@example.net",
        author_url="https://ana.example",
        status="approved",
    )
    reply = dataclasses.replace(
        top, import_id="c-2", parent_import_id="c-1", status="pending", body="Reply"
    )
    spam = dataclasses.replace(top, import_id="wxr:9:c3", post_import_id="wxr:9", status="spam")
    site = SiteRecord(title="Dateline", description="News & clips", comments_allowed=True)
    return [site, post, top, reply, draft, spam, page]


def cleaned(records):
    """What readers return: control characters stripped."""
    return [
        dataclasses.replace(r, body=r.body.replace("\x0b", "")) if hasattr(r, "body") else r
        for r in records
    ]


def test_wxr_carries_every_field_of_every_record():
    assert through_wxr(full_records()) == cleaned(full_records())


@pytest.mark.parametrize("name", ["wordpress.xml"])
def test_a_wxr_fixture_survives_a_round_trip(fixture_file, name):
    records = list(read_wxr(fixture_file(name)))
    assert through_wxr(records) == records


def test_the_wxr_writer_needs_comments_after_their_post_and_group_comments_fixes_that():
    site, post, top, reply, draft, spam, page = full_records()
    disordered = [site, post, draft, page, top, reply, spam]
    with pytest.raises(ValueError, match="group_comments"):
        write_wxr(disordered, io.BytesIO())
    assert through_wxr(list(group_comments(disordered))) == cleaned(full_records())


@pytest.mark.parametrize(
    ("name", "reader"),
    [("blogger-legacy.xml", read_blogger_legacy), ("blogger-takeout.atom", read_blogger_takeout)],
)
def test_blogger_fixtures_survive_a_round_trip(fixture_file, name, reader):
    records = [r for r in reader(fixture_file(name)) if getattr(r, "status", "") != "spam"]
    back = through_blogger(records)
    assert back == records


def test_blogger_carries_what_it_can_and_only_approved_comments():
    site, post, top, _reply, draft, _spam, page = full_records()
    skipped = Counter()
    out = io.BytesIO()
    counts = write_blogger(full_records(), out, generated=GENERATED)
    out.seek(0)
    back = list(read_blogger(out, skipped=skipped))
    assert counts == Counter(
        {
            "posts": 2,
            "pages": 1,
            "comments": 1,
            "skipped pending comment": 1,
            "skipped spam comment": 1,
        }
    )
    expected = [site, post, top, draft, page]
    assert back == cleaned(expected)


def test_writers_escape_markup_and_drop_control_characters():
    out = io.BytesIO()
    write_wxr(full_records(), out, generated=GENERATED)
    xml = out.getvalue()
    assert b"\x0b" not in xml
    assert b"<analysis>" not in xml
    out = io.BytesIO()
    write_blogger(full_records(), out, generated=GENERATED)
    assert b"\x0b" not in out.getvalue()
    assert b"<analysis>" not in out.getvalue()


def test_a_site_record_after_posts_is_a_caller_error():
    site, post, *_ = full_records()
    for writer in (write_wxr, write_blogger):
        with pytest.raises(ValueError, match="SiteRecord"):
            writer([post, site], io.BytesIO())


def test_a_future_post_is_written_as_scheduled_in_wxr():
    post = PostRecord(
        import_id="wxr:1", title="Later", body="", published=datetime(2099, 1, 1, tzinfo=UTC)
    )
    out = io.BytesIO()
    write_wxr([post], out, generated=GENERATED)
    assert b"<wp:status>future</wp:status>" in out.getvalue()
    out.seek(0)
    assert list(read_wxr(out))[1] == post


def test_an_undated_draft_has_a_published_time_in_blogger_and_reads_back_undated():
    """Atom needs <published> (Pelican's Blogger importer fails without it)."""
    draft = PostRecord(import_id="wxr:9", title="Draft", body="", status="draft", updated=GENERATED)
    out = io.BytesIO()
    write_blogger([draft], out, generated=GENERATED)
    assert b"<published>2024-01-01T00:00:00+00:00</published>" in out.getvalue()
    out.seek(0)
    assert list(read_blogger(out)) == [draft]
