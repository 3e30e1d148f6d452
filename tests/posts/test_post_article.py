"""The article macro (posts/_post.html): every part shown, every value escaped, in any zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import timezone

from dateline.posts import selectors
from dateline.posts.models import Post, Source

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted' {{ not a tag }} ü"
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39; {{ not a tag }} ü"


def article(post: Post, heading: str = "h2") -> str:
    source = '{% from "posts/_post.html" import article %}{{ article(post, heading) }}'
    return engines["jinja2"].from_string(source).render({"post": post, "heading": heading})


def listed(pk: int) -> Post:
    """A post as listings load it: comment count, source, `label_list`."""
    post = next(post for post in selectors.listing() if post.pk == pk)
    return selectors.with_labels([post])[0]


def test_listing_article_escapes_every_value(make_post):
    post = make_post(
        title=HOSTILE, labels=(HOSTILE, "a+b/c?d"), source_url="https://n.example/a?x=1&y=<2>"
    )
    Source.objects.filter(pk=post.source_id).update(publisher=HOSTILE)
    html = article(listed(post.pk))
    assert "<script>" not in html
    assert (
        f'<h2 class="post-title"><a class="p-name u-url" href="{post.path}">{ESCAPED}</a></h2>'
        in html
    )
    assert (
        f'<a class="u-citation" href="https://n.example/a?x=1&amp;y=&lt;2&gt;" rel="noopener">'
        f"{ESCAPED}</a>" in html
    )
    assert '<a class="p-category" href="/search/label/a%2Bb%2Fc%3Fd" rel="tag">a+b/c?d</a>' in html
    assert f'rel="tag">{ESCAPED}</a>' in html
    assert f'<a href="{post.path}#comments">0 comments</a>' in html


def test_own_page_heading_has_no_link_and_no_comment_footer(make_post):
    post = make_post(title="Plain")
    html = article(listed(post.pk), "h1")
    assert '<h1 class="post-title"><span class="p-name">Plain</span></h1>' in html
    assert "post-footer" not in html and "<h2" not in html


def test_unlinkable_source_is_text_and_dates_follow_the_zone(make_post):
    post = make_post(source_url="javascript:alert(1)",
                     published_at=datetime(2024, 10, 27, 0, 30, tzinfo=UTC))  # fmt: skip
    Source.objects.filter(pk=post.source_id).update(
        publisher="", original_date=datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
        fetched_at=datetime(2024, 4, 1, tzinfo=UTC),
    )  # fmt: skip
    with timezone.override(ZoneInfo("Europe/Malta")):
        html = article(listed(post.pk))
    assert 'href="javascript' not in html and "Source: javascript:alert(1), <time" in html
    assert (
        '<time class="dt-published" datetime="2024-10-27T02:30:00+02:00">Sunday, 27 October 2024'
        "</time>" in html
    )
    assert '<time datetime="2024-03-31T03:30:00+02:00">31 March 2024</time>' in html
    assert f'(<a href="/sources/{post.source_id}/">archived copy</a>)' in html


def test_pages_have_no_comment_footer_and_lead_image_alt_falls_back_to_title(make_post):
    page = make_post(kind=Post.Kind.PAGE, title='About "us"')
    page.lead_image.name = 'images/2024/05/a "b" <c>.jpg'
    page.approved_comment_count = 0
    html = article(selectors.with_labels([page])[0])
    assert "post-footer" not in html
    assert 'alt="About &#34;us&#34;"' in html and "<figcaption>" not in html
    assert 'src="/media/images/2024/05/a%20%22b%22%20%3Cc%3E.jpg"' in html


def test_without_label_list_the_labels_relation_is_read(make_post):
    post = make_post(labels=("One", "Two"))
    post = Post.objects.select_related("source").get(pk=post.pk)
    post.approved_comment_count = 2
    html = article(post)
    assert 'rel="tag">One</a>, <a' in html and "2 comments" in html


def _change_title(post):
    Post.objects.filter(pk=post.pk).update(title="Another title")


def _change_body(post):
    post.body_source = "A corrected paragraph."
    post.save()


def _change_image(post):
    Post.objects.filter(pk=post.pk).update(lead_image="images/2024/05/quay.jpg")


def _change_caption(post):
    Post.objects.filter(pk=post.pk).update(lead_image="images/q.jpg", lead_image_caption="Quay")


def _change_date(post):
    Post.objects.filter(pk=post.pk).update(published_at=datetime(2020, 1, 2, tzinfo=UTC))


def _change_path(post):
    Post.objects.filter(pk=post.pk).update(path="/2020/01/moved.html")


def _change_kind(post):
    Post.objects.filter(pk=post.pk).update(kind=Post.Kind.PAGE)


def _change_source_name(post):
    Source.objects.filter(pk=post.source_id).update(publisher="Another Desk")


def _change_source_url(post):
    Source.objects.filter(pk=post.source_id).update(url="https://other.example/b")


def _change_source_dates(post):
    Source.objects.filter(pk=post.source_id).update(fetched_at=datetime(2024, 4, 1, tzinfo=UTC))


def _change_label(post):
    post.labels.first().__class__.objects.filter(name="Malta").update(name="Gozo")


def _add_comment(post):
    from dateline.comments.models import Comment

    Comment.objects.create(post=post, author_name="R", body="Yes.", status="approved",
                           created_at=timezone.now())  # fmt: skip


@pytest.mark.parametrize("change", [
    _change_title, _change_body, _change_image, _change_caption, _change_date, _change_path,
    _change_kind, _change_source_name, _change_source_url, _change_source_dates,
    _change_label, _add_comment,
])  # fmt: skip
def test_memo_key_changes_with_everything_the_listing_article_shows(make_post, change):
    """A build keeps one rendering per memo_key (serving/fragments.py): a change the article
    shows must give another key, or a build would show the old article."""
    post = make_post(labels=("Malta",), source_url="https://n.example/a")
    before = listed(post.pk)
    change(Post.objects.get(pk=post.pk))
    after = listed(post.pk) if change is not _change_kind else _as_listed_page(post.pk)
    assert article(after) != article(before)
    assert after.memo_key != before.memo_key


def test_memo_key_reads_the_labels_relation_without_label_list(make_post):
    post = make_post(labels=("Malta", "Gozo"))
    plain = Post.objects.select_related("source").get(pk=post.pk)
    assert plain.memo_key[-2] == ("Gozo", "Malta") == listed(post.pk).memo_key[-2]


def _as_listed_page(pk: int) -> Post:
    page = Post.objects.select_related("source").get(pk=pk)
    page.approved_comment_count = 0
    return selectors.with_labels([page])[0]


def test_under_a_build_memo_listings_show_a_changed_post(client, make_post):
    from dateline.serving.fragments import remembering

    post = make_post(title="Harbour strike", labels=("Malta",))
    with remembering():
        first = client.get("/").content.decode()
        assert client.get("/search/label/Malta").content.decode().count("Harbour strike") == 1
        post.title = "Harbour strike ends"
        post.save()
        again = client.get("/").content.decode()
    assert "Harbour strike</a>" in first and "Harbour strike ends</a>" in again
