"""The content version moves with every change readers could see, and the sidebar follows it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dateline.comments.models import Comment
from dateline.core.versioning import current_version
from dateline.posts.models import Label
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db


def test_every_kind_of_change_bumps_the_version(make_post):
    seen = [current_version()]

    def changed() -> bool:
        seen.append(current_version())
        return seen[-1] != seen[-2]

    post = make_post(labels=("Malta",))
    assert changed()
    post.title = "Edited"
    post.save()
    assert changed()
    post.labels.add(Label.objects.create(name="Italy"))
    assert changed()
    comment = Comment.objects.create(post=post, author_name="R", body="x",
                                     created_at=post.published_at)  # fmt: skip
    assert changed()
    comment.status = "approved"
    comment.save()
    assert changed()
    Label.objects.filter(name="Italy").get().delete()
    assert changed()
    post.delete()
    assert changed()


def test_sidebar_is_reused_until_content_changes(client, make_post):
    make_post(labels=("Malta",))
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    make_post(labels=("Malta",))
    with CaptureQueriesContext(connection) as after_change:
        response = client.get("/")
    assert len(after_change) > len(warm)
    assert "Malta (2)" in visible_lines(response.content)


def test_version_moves_when_a_scheduled_post_comes_due(make_post):
    from datetime import timedelta

    from django.utils import timezone

    from dateline.posts.models import Post

    post = make_post(published_at=timezone.now() + timedelta(hours=1))
    before = current_version()
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert current_version() != before


def test_an_accounts_name_moves_the_version_and_a_login_does_not(client):
    """A byline falls back to the account's name (people.names); a login saves the account
    too (its last_login), and must not empty every cache."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("edith")
    seen = current_version()
    client.force_login(user)
    assert get_user_model().objects.get(pk=user.pk).last_login is not None
    assert current_version() == seen
    user.first_name = "Edith"
    user.save(update_fields=["first_name"])
    assert current_version() != seen
    seen = current_version()
    user.last_name = "Wharton"
    user.save()  # as the admin's form saves it: every field
    assert current_version() != seen
