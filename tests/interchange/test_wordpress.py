from collections import Counter
from datetime import UTC, datetime

import pytest

from dateline.interchange.detect import read_export
from dateline.interchange.errors import ImportFileError
from dateline.interchange.records import CommentRecord, SiteRecord
from dateline.interchange.wordpress import read_wxr
from tests.interchange.blogs import wxr_comment, wxr_file, wxr_item

from .conftest import split


def read(fixture_file, skipped=None):
    return list(read_wxr(fixture_file("wordpress.xml"), skipped=skipped))


def test_the_channel_becomes_the_site_record(fixture_file):
    assert read(fixture_file)[0] == SiteRecord(
        title="Levant Desk",
        description="Clippings from the Levant",
        labels=("Politics",),
        label_paths=(("/?cat=3", "Politics"), ("/category/politics/", "Politics")),
    )


def test_a_published_post_keeps_slug_gmt_date_excerpt_author_and_old_permalink(fixture_file):
    _, posts, _ = split(read(fixture_file))
    post = posts["wxr:10"]
    assert post.title == "Beirut port inquiry resumes"
    assert post.slug == "beirut-port-inquiry"
    assert post.published == datetime(2023, 5, 12, 8, 30, tzinfo=UTC)
    assert post.excerpt == "The judge resumed work."
    assert post.author_name == "Hana Q."
    assert post.old_paths == ("/2023/05/12/beirut-port-inquiry/",)
    assert post.path == ""
    assert 'href="https://news.example.com/beirut"' in post.body


def test_categories_and_tags_become_labels_by_display_name_without_case_duplicates(fixture_file):
    _, posts, _ = split(read(fixture_file))
    assert posts["wxr:10"].labels == ("Politics", "لبنان", "Port of Beirut")


def test_statuses_map_to_published_or_draft(fixture_file):
    _, posts, _ = split(read(fixture_file))
    assert posts["wxr:11"].status == "draft"
    assert posts["wxr:11"].published == datetime(2023, 6, 1, 10, tzinfo=UTC)
    assert posts["wxr:11"].old_paths == ()
    assert posts["wxr:12"].status == "published"
    assert posts["wxr:12"].published == datetime(2099, 1, 1, 7, tzinfo=UTC)
    assert posts["wxr:13"].status == "draft"
    assert posts["wxr:2"].kind == "page"
    assert posts["wxr:2"].old_paths == ("/about/",)


def test_attachments_and_menu_items_are_skipped_and_counted(fixture_file):
    skipped = Counter()
    _, posts, _ = split(read(fixture_file, skipped))
    assert set(posts) == {"wxr:10", "wxr:11", "wxr:12", "wxr:13", "wxr:2"}
    assert skipped == Counter({"attachment item": 1, "nav_menu_item item": 1})


def test_comments_keep_state_threading_and_author_fields(fixture_file):
    _, _, comments = split(read(fixture_file))
    by_id = {c.import_id: c for c in comments}
    assert by_id["wxr:10:c5"] == CommentRecord(
        import_id="wxr:10:c5",
        post_import_id="wxr:10",
        author_name="Nadim",
        body="Replying to Rima.",
        published=datetime(2023, 5, 12, 9, tzinfo=UTC),
        parent_import_id="wxr:10:c4",
        author_email="nadim@example.net",
        author_url="https://nadim.example.net",
        status="pending",
    )
    assert by_id["wxr:10:c4"].status == "approved"
    assert by_id["wxr:10:c6"].status == "spam"
    assert by_id["wxr:10:c7"].status == "removed"
    ids = [c.import_id for c in comments]
    assert ids.index("wxr:10:c4") < ids.index("wxr:10:c5")


def test_pingbacks_are_kept_as_comments_from_the_linking_site(fixture_file):
    _, _, comments = split(read(fixture_file))
    pingback = next(c for c in comments if c.import_id == "wxr:10:c8")
    assert pingback.author_url == "https://other.example/linking-post/"
    assert pingback.status == "approved"


def test_a_file_declaring_the_wordpress_namespace_over_https_reads_like_http(tmp_path):
    """WordPress's own theme unit test data says xmlns:wp="https://wordpress.org/…"."""
    item = wxr_item(7, "Secure", "https://s.example/secure/", comment=wxr_comment(3, "ok"))
    path = wxr_file(tmp_path / "https.xml", "s.example", item, ns="https://")
    text = path.read_text().replace("<wp:post_type>", "<excerpt:encoded>Short</excerpt:encoded>"
                                    "<wp:post_type>")  # fmt: skip
    path.write_text(text)
    records = list(read_export(path))
    _, posts, comments = split(records)
    post = posts["wxr:s.example/7"]
    assert (post.title, post.excerpt, post.old_paths) == ("Secure", "Short", ("/secure/",))
    assert [c.import_id for c in comments] == ["wxr:s.example/7:c3"]


def test_an_unknown_wordpress_namespace_is_named_in_the_error(tmp_path):
    path = wxr_file(
        tmp_path / "future.xml", "f.example", wxr_item(1, "Post", "https://f.example/p/")
    )
    path.write_text(path.read_text().replace("export/1.2/", "export/9.9/"))
    with pytest.raises(ImportFileError) as error:
        list(read_export(path))
    assert "http://wordpress.org/export/9.9/" in str(error.value)
    assert "post_id" not in str(error.value)
