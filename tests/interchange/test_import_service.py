"""import_records: every record stored once, exactly as Post.save() would, or nothing at all."""

import dataclasses
from collections import Counter
from datetime import UTC, datetime

import pytest

from dateline.comments.models import Comment
from dateline.comments.rendering import render_comment
from dateline.interchange.comment_text import (
    html_to_text,
    render_imported_comment,
    text_to_html,
)
from dateline.interchange.detect import read_export
from dateline.interchange.errors import ImportFileError
from dateline.interchange.importing import import_records
from dateline.interchange.local_files import LocalFiles
from dateline.interchange.records import CommentRecord, PostRecord
from dateline.interchange.sources import open_records
from dateline.posts.models import Label, Post, Redirect
from tests.interchange.dbstate import row_counts, snapshot

pytestmark = pytest.mark.django_db
WHEN = datetime(2021, 4, 5, 6, 7, 8, tzinfo=UTC)


def run(path, **kwargs):
    skipped = Counter()
    records = open_records(path, skipped=skipped)
    return import_records(
        records, reader_skipped=skipped, local_files=LocalFiles.of(path), **kwargs
    )


def test_a_blogger_legacy_export_keeps_paths_labels_drafts_pages_and_threads(fixture_file):
    summary = run(fixture_file("blogger-legacy.xml"))
    assert summary.counts() == {
        "posts": 2, "drafts": 1, "pages": 1, "labels": 4, "comments": 2, "redirects": 0,
        "skipped": 1,
    }  # fmt: skip
    assert summary.skipped == Counter({"template": 1})
    assert summary.site.title == "Middle East Clippings"
    post = Post.objects.get(import_ref="blogger:1234.post-1001")
    assert post.path == "/2007/07/us-and-iran-clash.html" and post.is_visible
    assert sorted(label.name for label in post.labels.all()) == [
        "Irak \u2013 العراق", "Iran", "United States",
    ]  # fmt: skip
    assert post.published_at == datetime(2007, 7, 28, 17, 21, tzinfo=UTC)
    assert post.updated_at == datetime(2007, 7, 29, 15, 0, tzinfo=UTC)
    assert Post.objects.get(import_ref="blogger:1234.post-1002").state == "draft"
    assert Post.objects.get(import_ref="blogger:1234.post-1002").path is None
    assert Post.objects.get(import_ref="blogger:1234.post-1003").state == "scheduled"
    assert Post.objects.get(import_ref="blogger:1234.page-2001").path == "/p/about.html"
    reply = Comment.objects.get(import_ref="blogger:1234.post-9002")
    assert reply.parent.import_ref == "blogger:1234.post-9001" and reply.post == post
    assert reply.author_name == "Reza" and reply.author_url == "http://reza.example.org/"
    assert reply.author_email == ""  # Blogger's noreply address is nobody's
    assert reply.body == "Thanks for the link & the summary."


def test_a_takeout_feed_skips_trashed_posts_and_keeps_comment_states(fixture_file):
    summary = run(fixture_file("blogger-takeout.atom"))
    assert (summary.posts, summary.drafts, summary.pages, summary.comments) == (1, 1, 1, 3)
    assert summary.skipped == Counter(
        {"post soft_trashed": 1, "comment on a skipped post or comment": 1}
    )
    assert Comment.objects.get(import_ref="blogger:5678.post-3002").status == "spam"
    reply = Comment.objects.get(import_ref="blogger:5678.post-3001")
    assert reply.parent.import_ref == "blogger:5678.post-3000"
    assert not Post.objects.filter(import_ref="blogger:5678.post-102").exists()


def test_wordpress_posts_get_blogger_paths_and_redirects_from_their_permalinks(fixture_file):
    summary = run(fixture_file("wordpress.xml"))
    assert summary.redirects == 5
    post = Post.objects.get(import_ref="wxr:10")
    assert post.path == "/2023/05/beirut-port-inquiry.html"
    assert sorted(Redirect.objects.values_list("old_path", "new_path")) == [
        ("/2023/05/12/beirut-port-inquiry/", "/2023/05/beirut-port-inquiry.html"),
        ("/2099/01/01/election-day/", "/2099/01/election-day.html"),
        ("/?cat=3", "/search/label/Politics"),  # the category's pages lead to its label
        ("/about/", "/p/about.html"),
        ("/category/politics/", "/search/label/Politics"),
    ]
    statuses = dict(Comment.objects.values_list("import_ref", "status"))
    assert statuses == {
        "wxr:10:c4": "approved", "wxr:10:c5": "pending", "wxr:10:c6": "spam",
        "wxr:10:c7": "removed", "wxr:10:c8": "approved",
    }  # fmt: skip
    assert Comment.objects.get(import_ref="wxr:10:c5").parent.import_ref == "wxr:10:c4"
    # Categories and tags are both labels; "Politics" and "politics" are one label.
    assert sorted(Label.objects.values_list("name", flat=True)) == [
        "Politics", "Port of Beirut", "لبنان",
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["blogger-legacy.xml", "blogger-takeout.atom", "wordpress.xml"])
def test_bulk_writes_store_exactly_what_save_would_store(fixture_file, name):
    run(fixture_file(name))
    before = snapshot()
    for post in Post.objects.all():
        post.save()
    for comment in Comment.objects.all():
        comment.save()
    after = snapshot()
    for row in [*before["posts"].values(), *after["posts"].values()]:
        row.pop("updated_at")  # save() stamps the time; nothing else may move
    assert after == before


@pytest.mark.parametrize("name", ["blogger-legacy.xml", "blogger-takeout.atom", "wordpress.xml"])
def test_re_running_the_same_file_changes_nothing_and_reports_what_it_found(fixture_file, name):
    first = run(fixture_file(name))
    before, counts = snapshot(), row_counts()
    again = run(fixture_file(name))
    assert again.counts() == first.counts()
    assert snapshot() == before and row_counts() == counts
    assert not +again.changes  # nothing created, nothing updated


def test_a_changed_record_updates_its_post_labels_and_comment(fixture_file):
    records = list(read_export(fixture_file("blogger-legacy.xml")))
    import_records(records)
    changed = []
    for record in records:
        if getattr(record, "import_id", "") == "blogger:1234.post-1001":
            record = dataclasses.replace(record, title="New title", labels=("Iran", "Oil"))
        if getattr(record, "import_id", "") == "blogger:1234.post-9001":
            record = dataclasses.replace(record, status="removed")
        changed.append(record)
    summary = import_records(changed)
    assert summary.changes["posts updated"] == 1 and summary.changes["comments updated"] == 1
    post = Post.objects.get(import_ref="blogger:1234.post-1001")
    assert post.title == "New title" and post.path == "/2007/07/us-and-iran-clash.html"
    assert sorted(label.name for label in post.labels.all()) == ["Iran", "Oil"]
    assert Comment.objects.get(import_ref="blogger:1234.post-9001").status == "removed"
    assert Post.objects.count() == 4


def test_a_dry_run_reports_the_counts_and_stores_nothing(fixture_file):
    summary = run(fixture_file("wordpress.xml"), dry_run=True)
    assert summary.dry_run and summary.posts == 2 and summary.comments == 5
    assert set(row_counts().values()) == {0}


def test_an_error_late_in_the_stream_leaves_the_database_as_it_was(fixture_file, make_post):
    make_post(title="Already here", labels=("Iran",))
    counts = row_counts()

    def records():
        yield from read_export(fixture_file("wordpress.xml"))
        raise ImportFileError("comment answers 'x', which is not in the file", line=999)

    with pytest.raises(ImportFileError):
        import_records(records())
    assert row_counts() == counts


def test_a_comment_on_a_post_not_in_the_records_is_refused():
    comment = CommentRecord(
        import_id="c1", post_import_id="nowhere", author_name="A", body="x", published=WHEN
    )
    with pytest.raises(ImportFileError, match="nowhere"):
        import_records([comment])
    assert Comment.objects.count() == 0


def test_the_same_id_twice_is_refused():
    post = PostRecord(import_id="wxr:1", title="T", body="b", published=WHEN)
    with pytest.raises(ImportFileError, match="twice"):
        import_records([post, post])
    assert Post.objects.count() == 0


def test_a_path_held_by_another_post_is_not_taken_from_it(make_post):
    other = make_post(title="Mine", path="/2021/04/taken.html")
    record = PostRecord(
        import_id="blogger:1", title="Taken", body="b", published=WHEN, path=other.path
    )
    summary = import_records([record])
    assert Post.objects.get(import_ref="blogger:1").path == "/2021/04/taken-2.html"
    assert Post.objects.get(pk=other.pk).path == "/2021/04/taken.html"
    assert summary.notes == Counter({"path already used by another post; stored at a new path": 1})


def test_existing_labels_are_reused_ignoring_case(make_post):
    make_post(labels=("IRAN",))
    import_records([PostRecord(import_id="x:1", title="T", body="", labels=("iran", "Oil"))])
    assert sorted(Label.objects.values_list("name", flat=True)) == ["IRAN", "Oil"]


def test_a_markdown_folder_imports_with_its_image_and_source(harbour_post_file):
    summary = run(harbour_post_file.parent)
    assert summary.posts == 1
    post = Post.objects.get()
    assert post.import_ref == f"markdown:{harbour_post_file.resolve()}"
    assert post.lead_image.name.endswith("-harbour.png")
    assert post.source.url == "https://news.example/2024/03/12/harbour-strike"
    assert "<h2>Passengers stranded</h2>" in post.body_html


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Good summary, <b>thanks</b>.", "Good summary, thanks."),
        ("<p>One</p><p>Two<br />lines</p>", "One\n\nTwo\nlines"),
        (
            "Plain\nWordPress text\n\nin two paragraphs",
            "Plain\nWordPress text\n\nin two paragraphs",
        ),
        ('see <a href="https://x.example/a">this</a>', "see this (https://x.example/a)"),
        ('<a href="http://x.example/">x.example</a>', "x.example"),
        ("a &amp; b &lt;script&gt;", "a & b <script>"),
        ("<script>alert(1)</script>Hi", "Hi"),
        ("a<!-- hidden --> b", "a b"),
        ('<a href="https://x.example/">x <!-- y --></a>', "x (https://x.example/)"),
        ("", ""),
    ],
)
def test_comment_html_becomes_text_with_paragraphs_and_links(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    "text",
    [
        "Plain words only",
        "See http://example.com/ü?q=1&b=2, or www.example.org. Mail me@example.net!",
        "Two\n\nparagraphs and a\nline <b>not bold</b> & \"quoted\" 'text'",
        "trailing punctuation (https://x.example/a).",
    ],
)
def test_comment_rendering_on_import_equals_the_models_and_exports_round_trip(text):
    assert render_imported_comment(text) == render_comment(text)
    assert html_to_text(text_to_html(text)) == text


@pytest.mark.django_db
def test_an_import_refreshes_cached_pages(client, tmp_path):
    """Bulk writes send no post_save; the import's own signal moves the content version."""
    from dateline.core.versioning import current_version
    from dateline.interchange.markdown import read_markdown_post

    client.get("/")
    before = current_version()
    post = tmp_path / "imported.md"
    post.write_text("---\ntitle: Imported in bulk\npublished: 2020-05-06\n---\nBody.\n")
    import_records([read_markdown_post(post)])
    assert current_version() != before
    assert "Imported in bulk" in client.get("/").content.decode()
