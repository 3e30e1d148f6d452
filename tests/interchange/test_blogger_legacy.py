from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

from dateline.interchange.blogger import read_blogger
from dateline.interchange.blogger_legacy import read_blogger_legacy
from dateline.interchange.records import CommentRecord, SiteRecord
from tests.interchange.blogs import blogger_comment, blogger_entry, blogger_file

from .conftest import read_all, split

PACIFIC = timezone(timedelta(hours=-7))


def read(fixture_file, skipped=None):
    return list(read_blogger_legacy(fixture_file("blogger-legacy.xml"), skipped=skipped))


def test_settings_entries_become_the_site_record_which_comes_first(fixture_file):
    records = read(fixture_file)
    assert records[0] == SiteRecord(
        title="Middle East Clippings",
        description="News from Iran, Iraq & the Gulf",
        comments_allowed=True,
    )


def test_a_published_post_keeps_path_labels_dates_author_and_html_body(fixture_file):
    _, posts, _ = split(read(fixture_file))
    post = posts["blogger:1234.post-1001"]
    assert post.title == "US and Iran clash"
    assert post.path == "/2007/07/us-and-iran-clash.html"
    assert post.slug == "us-and-iran-clash"
    assert post.labels == ("Iran", "United States", "Irak – العراق")  # noqa: RUF001 - the en dash is the point
    assert post.status == "published" and post.kind == "post"
    assert post.published == datetime(2007, 7, 28, 10, 21, tzinfo=PACIFIC)
    assert post.published.tzinfo is not None
    assert post.updated == datetime(2007, 7, 29, 8, 0, tzinfo=PACIFIC)
    assert post.author_name == "Editor"
    assert post.body_format == "html"
    assert '<a href="https://news.example.com/2007/07/28/iran">' in post.body


def test_drafts_scheduled_posts_and_pages_are_told_apart(fixture_file):
    _, posts, _ = split(read(fixture_file))
    assert posts["blogger:1234.post-1002"].status == "draft"
    assert posts["blogger:1234.post-1002"].path == ""
    scheduled = posts["blogger:1234.post-1003"]
    assert scheduled.status == "published"
    assert scheduled.published == datetime(2099, 1, 1, 9, tzinfo=UTC)
    assert posts["blogger:1234.page-2001"].kind == "page"
    assert posts["blogger:1234.page-2001"].path == "/p/about.html"


def test_comments_follow_their_post_and_parent_even_when_the_file_lists_them_first(fixture_file):
    records = read(fixture_file)
    order = [r.import_id for r in records if not isinstance(r, SiteRecord)]
    post, comment, reply = (f"blogger:1234.post-{n}" for n in (1001, 9001, 9002))
    assert order.index(post) < order.index(comment) < order.index(reply)
    _, _, comments = split(records)
    reply = next(c for c in comments if c.import_id == "blogger:1234.post-9002")
    assert reply == CommentRecord(
        import_id="blogger:1234.post-9002",
        post_import_id="blogger:1234.post-1001",
        author_name="Reza",
        body="Thanks for the link &amp; the summary.",
        published=datetime(2007, 7, 28, 12, tzinfo=PACIFIC),
        parent_import_id="blogger:1234.post-9001",
        author_email="",
        author_url="http://reza.example.org/",
        status="approved",
    )


def test_templates_are_skipped_and_counted(fixture_file):
    skipped = Counter()
    records = read(fixture_file, skipped)
    assert skipped == Counter({"template": 1})
    assert len(records) == 1 + 4 + 2


def test_read_blogger_detects_the_legacy_format(fixture_file):
    assert list(read_blogger(fixture_file("blogger-legacy.xml"))) == read(fixture_file)


def test_a_kind_category_without_a_scheme_still_says_what_the_entry_is(tmp_path):
    entry = blogger_entry("7", "post-1", "post", "No scheme", "/2016/05/no-scheme.html")
    entry = entry.replace("scheme='http://schemas.google.com/g/2005#kind' ", "")
    path = blogger_file(tmp_path / "b.xml", "7", entry)
    skipped = Counter()
    _, posts, _ = split(read_all(read_blogger_legacy, path, skipped))
    assert [p.title for p in posts.values()] == ["No scheme"] and not skipped


def test_the_mobile_switch_is_not_part_of_a_path(tmp_path):
    entry = blogger_entry("7", "post-1", "post", "Mobile", "/2016/05/mobile.html?m=1")
    path = blogger_file(tmp_path / "b.xml", "7", entry)
    _, posts, _ = split(read_all(read_blogger_legacy, path))
    assert posts["blogger:7.post-1"].path == "/2016/05/mobile.html"
    assert posts["blogger:7.post-1"].slug == "mobile"


def test_a_comment_naming_its_page_as_a_post_lands_on_the_page(tmp_path):
    page = blogger_entry("7", "page-3", "page", "About", "/p/about.html")
    comment = blogger_comment("7", 9, "post-3", "On the page")
    for entries in [(page, comment), (comment, page)]:
        path = blogger_file(tmp_path / "b.xml", "7", *entries)
        _, _, comments = split(read_all(read_blogger_legacy, path))
        assert [c.post_import_id for c in comments] == ["blogger:7.page-3"]
