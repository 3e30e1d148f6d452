"""A search page's posts are read through the listings' compiled query
(selectors.posts_with_ids), held here to the plain queryset it replaced, on the database
in use: the same posts in the same order, each showing the same (its `memo_key`: every
field, its source, its labels by name and its comment count), the labels read with them."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.posts import selectors
from dateline.posts.models import Post
from dateline.search import service

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog(make_post, index):
    """Posts a search finds, with labels out of name order, a source, comments, and a
    draft and a scheduled post with the same words, which no page may show."""
    now = timezone.now()
    for n in range(12):
        labels = [("Weather", "Malta"), ("Zebra", "Alpha", "Malta"), ()][n % 3]
        post = make_post(title=f"Harbour news {n}", body_source=f"The harbour ferry {n}.",
                         labels=labels, published_at=now - timedelta(hours=n),
                         source_url="https://news.example/a" if n % 4 == 0 else "")  # fmt: skip
        for state in [Comment.Status.APPROVED] * (n % 3) + [Comment.Status.PENDING]:
            Comment.objects.create(
                post=post, author_name="Reader", body="Yes.", status=state, created_at=now
            )
    make_post(title="Harbour draft", body_source="The harbour.", status=Post.Status.DRAFT)
    make_post(title="Harbour later", body_source="The harbour.",
              published_at=now + timedelta(days=2))  # fmt: skip
    index()


QUERIES = ["q=harbour", "q=harbour&max-results=5&page=2", "q=ferry&label=Malta",
           "q=harbour&max-results=7"]  # fmt: skip


@pytest.mark.parametrize("query_string", QUERIES)
def test_results_show_the_posts_the_plain_queryset_reads(blog, query_string):
    data = QueryDict(query_string)
    page = service.search(service.params_from(data), int(data.get("max-results", 10)))
    ids = [result.post.pk for result in page.results]
    assert ids
    plain = selectors.listing().filter(pk__in=ids).in_bulk()
    for result in page.results:
        expected = plain[result.post.pk]
        assert result.post.memo_key == expected.memo_key
        assert [label.pk for label in result.post.label_list] == [
            label.pk for label in expected.labels.all()
        ]


def test_posts_with_ids_leaves_out_what_no_listing_shows(blog):
    hidden = list(Post.objects.filter(title__in=["Harbour draft", "Harbour later"]))
    shown = list(Post.objects.filter(title__startswith="Harbour news").order_by("pk"))
    asked = [hidden[0].pk, *(post.pk for post in shown), hidden[1].pk]
    found = selectors.posts_with_ids(asked)
    assert [post.pk for post in found] == list(
        selectors.listing().filter(pk__in=asked).values_list("pk", flat=True)
    )
    assert selectors.posts_with_ids([]) == []
