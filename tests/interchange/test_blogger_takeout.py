from collections import Counter
from datetime import UTC, datetime

from dateline.interchange.blogger import read_blogger
from dateline.interchange.blogger_takeout import read_blogger_takeout
from dateline.interchange.records import SiteRecord

from .conftest import split


def read(fixture_file, skipped=None):
    return list(read_blogger_takeout(fixture_file("blogger-takeout.atom"), skipped=skipped))


def test_the_feed_title_becomes_the_site_record(fixture_file):
    assert read(fixture_file)[0] == SiteRecord(title="Gulf Watch")


def test_a_live_post_uses_its_filename_as_path_and_categories_as_labels(fixture_file):
    _, posts, _ = split(read(fixture_file))
    post = posts["blogger:5678.post-100"]
    assert post.path == "/2020/03/tankers-seized-in-strait.html"
    assert post.slug == "tankers-seized-in-strait"
    assert post.labels == ("Strait of Hormuz", "Émirats")
    assert post.published == datetime(2020, 3, 1, 9, tzinfo=UTC)
    assert post.updated == datetime(2020, 3, 1, 12, 30, 0, 997000, tzinfo=UTC)
    assert post.author_name == "Sam"


def test_drafts_fall_back_to_the_created_time_and_pages_are_pages(fixture_file):
    _, posts, _ = split(read(fixture_file))
    assert posts["blogger:5678.post-101"].status == "draft"
    assert posts["blogger:5678.post-101"].published == datetime(2020, 3, 5, 8, tzinfo=UTC)
    assert posts["blogger:5678.page-200"].kind == "page"
    assert posts["blogger:5678.page-200"].path == "/p/contact.html"


def test_parents_given_as_bare_or_full_ids_resolve_to_post_or_comment(fixture_file):
    _, _, comments = split(read(fixture_file))
    by_id = {c.import_id: c for c in comments}
    assert by_id["blogger:5678.post-3000"].post_import_id == "blogger:5678.post-100"
    assert by_id["blogger:5678.post-3000"].parent_import_id == ""
    assert by_id["blogger:5678.post-3001"].post_import_id == "blogger:5678.post-100"
    assert by_id["blogger:5678.post-3001"].parent_import_id == "blogger:5678.post-3000"
    assert by_id["blogger:5678.post-3001"].author_url == "https://leila.example.net/"
    assert by_id["blogger:5678.post-3002"].status == "spam"
    ids = [c.import_id for c in comments]
    assert ids.index("blogger:5678.post-3000") < ids.index("blogger:5678.post-3001")


def test_trashed_posts_and_their_comments_are_skipped_and_counted(fixture_file):
    skipped = Counter()
    _, posts, comments = split(read(fixture_file, skipped))
    assert "blogger:5678.post-102" not in posts
    assert "blogger:5678.post-3003" not in {c.import_id for c in comments}
    assert skipped == Counter({"post soft_trashed": 1, "comment on a skipped post or comment": 1})


def test_read_blogger_detects_the_takeout_format(fixture_file):
    assert list(read_blogger(fixture_file("blogger-takeout.atom"))) == read(fixture_file)


TRASHED_BUT_LIVE = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
  <id>tag:blogger.com,1999:blog-42</id>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-1</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <blogger:trashed>2015-02-01T10:00:00.000Z</blogger:trashed>
    <title>Binned</title>
    <content type='html'>never public</content>
    <published>2015-01-01T10:00:00Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-2</id>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <blogger:trashed>2015-02-02T10:00:00Z</blogger:trashed>
    <title></title>
    <content type='html'>binned too</content>
    <published>2015-01-02T10:00:00Z</published>
    <blogger:parent>3</blogger:parent>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-3</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <blogger:trashed></blogger:trashed>
    <title>Kept</title>
    <content type='html'>public</content>
    <published>2015-01-01T10:00:00Z</published>
  </entry>
</feed>
"""


def test_an_entry_with_a_trashed_time_is_skipped_whatever_its_status(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(TRASHED_BUT_LIVE)
    skipped = Counter()
    _, posts, comments = split(list(read_blogger_takeout(path, skipped=skipped)))
    assert [p.title for p in posts.values()] == ["Kept"]
    assert comments == []
    assert skipped == Counter({"post trashed": 1, "comment trashed": 1})


def test_a_comment_naming_a_page_by_its_bare_number_lands_on_the_page(tmp_path):
    """Takeout writes `blogger:parent` as a bare number; a page's is no post's."""
    feed = TRASHED_BUT_LIVE.replace(
        "<blogger:trashed>2015-02-01T10:00:00.000Z</blogger:trashed>", ""
    )
    feed = feed.replace(
        "blog-42.post-1</id>\n    <blogger:type>POST", "blog-42.page-1</id>\n    <blogger:type>PAGE"
    )
    feed = feed.replace("<blogger:trashed>2015-02-02T10:00:00Z</blogger:trashed>", "")
    feed = feed.replace("<blogger:parent>3</blogger:parent>", "<blogger:parent>1</blogger:parent>")
    path = tmp_path / "feed.atom"
    path.write_text(feed)
    _, posts, comments = split(list(read_blogger_takeout(path)))
    assert posts["blogger:42.page-1"].kind == "page"
    assert [(c.import_id, c.post_import_id) for c in comments] == [
        ("blogger:42.post-2", "blogger:42.page-1")
    ]
