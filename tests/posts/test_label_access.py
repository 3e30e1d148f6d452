"""A label is public once a published post carries it; an expression names a few labels."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.posts.models import Post
from dateline.posts.selectors import MAX_LABELS_IN_EXPRESSION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/search/label/{}", "/feeds/posts/default/-/{}"])
def test_a_label_only_drafts_or_scheduled_posts_carry_is_unknown(client, make_post, url):
    make_post(labels=("Public",))
    make_post(labels=("Embargoed", "Public"), status=Post.Status.DRAFT)
    make_post(labels=("Tomorrow",), published_at=timezone.now() + timedelta(days=1))
    make_post(labels=("OnlyOnAPage",), kind=Post.Kind.PAGE)
    for name in ["Embargoed", "Tomorrow", "OnlyOnAPage", "Public+Embargoed", "Nonexistent"]:
        assert client.get(url.format(name)).status_code == 404, name
    assert client.get(url.format("Public")).status_code == 200


def test_a_label_turns_public_when_its_post_is_published(client, make_post):
    draft = make_post(labels=("Soon",), status=Post.Status.DRAFT)
    assert client.get("/search/label/Soon").status_code == 404
    draft.status = Post.Status.PUBLISHED
    draft.save()
    assert client.get("/search/label/Soon").status_code == 200


@pytest.mark.parametrize("url", ["/search/label/{}", "/feeds/posts/default/-/{}"])
def test_an_expression_of_too_many_labels_is_refused_with_a_reason(client, make_post, url):
    names = [f"Place {n}" for n in range(70)]
    make_post(labels=tuple(names))
    allowed = "+".join(names[:MAX_LABELS_IN_EXPRESSION])
    assert client.get(url.format(allowed)).status_code == 200
    for count in (MAX_LABELS_IN_EXPRESSION + 1, 62, 70):
        response = client.get(url.format("+".join(names[:count])))
        assert response.status_code == 400
        text = response.content.decode()
        assert f"at most {MAX_LABELS_IN_EXPRESSION} labels" in text and f"{count}" in text
