"""Import ids name the source blog: a second blog never overwrites the first.

Posts stored before that (under `wxr:<id>` / `blogger:<n>`) are still found by a
re-import of their own blog, and only of their own blog.
"""

from collections import Counter

import pytest

from dateline.comments.models import Comment
from dateline.interchange.importing import import_records
from dateline.interchange.sources import open_records
from dateline.posts.models import Post
from tests.interchange.blogs import (
    blogger_comment,
    blogger_entry,
    blogger_file,
    wxr_comment,
    wxr_file,
    wxr_item,
)
from tests.interchange.dbstate import row_counts, snapshot

pytestmark = pytest.mark.django_db


def run(path):
    skipped = Counter()
    return import_records(open_records(path, skipped=skipped), reader_skipped=skipped)


def blog_a(tmp_path, title="Hello world!"):
    item = wxr_item(1, title, "https://a.example/2015/03/01/hello-world/",
                    comment=wxr_comment(1, "Nice start"))  # fmt: skip
    draft = wxr_item(2, "Half written", "https://a.example/?p=2", status="draft")
    return wxr_file(tmp_path / "a.xml", "a.example", item, draft)


def blog_b(tmp_path):
    page = wxr_item(1, "About", "https://b.example/about/", kind="page",
                    comment=wxr_comment(1, "Who are you?"))  # fmt: skip
    return wxr_file(tmp_path / "b.xml", "b.example", page)


def titles() -> list[str]:
    return sorted(Post.objects.values_list("title", flat=True))


def forget_blogs() -> None:
    """Store every id as imports did before ids named their blog."""
    for model in (Post, Comment):
        for row in model.objects.all():
            old = row.import_ref.replace("a.example/", "").replace("b.example/", "")
            old = old.replace("blogger:11.", "blogger:").replace("blogger:22.", "blogger:")
            model.objects.filter(pk=row.pk).update(
                import_ref=old.replace("post-", "").replace("page-", "")
            )


def test_a_second_wordpress_blog_does_not_overwrite_the_first(tmp_path):
    run(blog_a(tmp_path))
    hello = Post.objects.get(title="Hello world!")
    run(blog_b(tmp_path))
    assert titles() == ["About", "Half written", "Hello world!"]
    assert Post.objects.get(pk=hello.pk).path == hello.path
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Nice start", "Who are you?"]
    assert Post.objects.get(title="About").import_ref == "wxr:b.example/1"


def test_the_same_blog_over_http_and_https_is_one_blog(tmp_path):
    run(blog_a(tmp_path))
    counts = row_counts()
    path = blog_a(tmp_path)
    path.write_text(path.read_text().replace("https://a.example", "http://www.a.example"))
    assert not +run(path).changes
    assert row_counts() == counts


def test_posts_stored_under_old_ids_are_found_by_their_own_blog_only(tmp_path):
    run(blog_a(tmp_path))
    forget_blogs()
    assert Post.objects.get(title="Hello world!").import_ref == "wxr:1"
    summary = run(blog_b(tmp_path))  # B's post 1 is not A's post 1
    assert summary.notes["post under an old id from another blog left alone"] == 1
    assert titles() == ["About", "Half written", "Hello world!"]
    assert Comment.objects.get(body="Nice start").import_ref == "wxr:1:c1"
    counts = row_counts()
    summary = run(blog_a(tmp_path, title="Hello again"))  # A's own re-import finds them
    assert row_counts() == counts
    assert titles() == ["About", "Half written", "Hello again"]
    assert summary.changes["posts given their blog's id"] == 2
    assert summary.changes["comments given their blog's id"] == 1
    assert Post.objects.get(title="Hello again").import_ref == "wxr:a.example/1"
    assert Comment.objects.get(body="Nice start").import_ref == "wxr:a.example/1:c1"
    before = snapshot()
    assert not +run(blog_a(tmp_path, title="Hello again")).changes
    assert snapshot() == before


def blogger_a(tmp_path, title="Tankers"):
    return blogger_file(
        tmp_path / "a.atom", "11",
        blogger_entry("11", "post-1", "post", title, "/2016/05/tankers.html"),
        blogger_entry("11", "page-1", "page", "Contact", "/p/contact.html"),
        blogger_comment("11", 5, "post-1", "First"),
    )  # fmt: skip


def blogger_b(tmp_path):
    return blogger_file(
        tmp_path / "b.atom", "22",
        blogger_entry("22", "post-1", "post", "Other blog", "/2016/05/other.html"),
        blogger_comment("22", 5, "post-1", "Elsewhere"),
    )  # fmt: skip


def test_a_second_blogger_blog_and_a_page_numbered_like_a_post_overwrite_nothing(tmp_path):
    run(blogger_a(tmp_path))
    run(blogger_b(tmp_path))
    assert titles() == ["Contact", "Other blog", "Tankers"]
    bodies = sorted(Comment.objects.values_list("body", flat=True))
    assert bodies == ["Elsewhere body", "First body"]
    assert Post.objects.get(title="Contact").import_ref == "blogger:11.page-1"


def test_blogger_posts_under_old_ids_are_found_by_their_own_blog_only(tmp_path):
    a = blogger_a(tmp_path)
    run(a)
    Post.objects.get(title="Contact").delete()  # before, page-1 and post-1 were one post
    forget_blogs()
    run(blogger_b(tmp_path))
    assert titles() == ["Other blog", "Tankers"]
    counts = row_counts()
    run(blogger_a(tmp_path, title="Tankers again"))
    assert titles() == ["Contact", "Other blog", "Tankers again"]
    assert row_counts()["Comment"] == counts["Comment"]
    assert Post.objects.get(title="Tankers again").import_ref == "blogger:11.post-1"
    assert Comment.objects.get(body="First body").import_ref == "blogger:11.post-5"
