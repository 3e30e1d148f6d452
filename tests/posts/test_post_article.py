"""{% post_article %} writes exactly what posts/_post.html renders, for any post."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dateline.posts import selectors
from dateline.posts.models import Post, Source
from dateline.posts.templatetags.post_article import post_article

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted' {{ not a tag }} ü"


@pytest.fixture
def odd_posts(make_post):
    """Posts covering every branch of the article: sources, images, labels, kinds, counts."""
    posts = [
        make_post(title=HOSTILE, labels=(HOSTILE, "Malta", "a+b/c?d")),
        make_post(source_url="https://news.example/a?x=1&y=<2>"),
        make_post(source_url="javascript:alert(1)"),  # not linkable: shown as text
        make_post(kind=Post.Kind.PAGE, title="About"),
        make_post(published_at=datetime(2024, 10, 27, 0, 30, tzinfo=UTC), labels=("One",)),
    ]
    dated = posts[1].source
    dated.original_date = datetime(2024, 3, 31, 1, 30, tzinfo=UTC)
    dated.fetched_at = datetime(2024, 4, 1, tzinfo=UTC)
    dated.publisher = HOSTILE
    dated.save()
    Source.objects.filter(pk=posts[2].source_id).update(publisher="")
    from dateline.comments.models import Comment

    for _ in range(2):
        Comment.objects.create(post=posts[0], author_name="R", body="x", status="approved",
                               created_at=timezone.now())  # fmt: skip
    Comment.objects.create(post=posts[1], author_name="R", body="x", status="approved",
                           created_at=timezone.now())  # fmt: skip
    return posts


def _listed() -> list[Post]:
    """The posts as listings load them (comment counts, sources, label_list)."""
    posts = list(selectors.listing())
    selectors.with_labels(posts)
    pages = list(Post.objects.pages().select_related("source"))
    for page in pages:
        page.approved_comment_count = 0
    return posts + selectors.with_labels(pages)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Malta"])
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("grouping", [False, True])
def test_same_bytes_as_the_template(odd_posts, zone, language, grouping, settings):
    settings.USE_THOUSAND_SEPARATOR = grouping
    posts = _listed()
    posts[0].lead_image.name = 'images/2024/05/a "b" <c>.jpg'
    posts[0].lead_image_caption = "Caption: " + HOSTILE
    posts[1].lead_image.name = "images/2024/05/plain.jpg"  # no caption: alt is the title
    posts.append(Post(title="Never published", path="/draft.html", kind="post", pk=12345))
    posts[-1].approved_comment_count, posts[-1].label_list = 1234, []
    with timezone.override(ZoneInfo(zone)), translation.override(language):
        for post in posts:
            for heading in ("h1", "h2"):
                expected = render_to_string("posts/_post.html", {"post": post, "heading": heading})
                assert post_article(post, heading) == expected, (post.title, heading)


def test_escapes_and_falls_back_to_the_labels_relation(odd_posts):
    post = Post.objects.select_related("source").get(pk=odd_posts[0].pk)
    post.approved_comment_count = 2
    html = post_article(post)  # no label_list: reads the relation
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "2 comments" in html and 'rel="tag"' in html
