"""What a build preloads answers the selectors exactly as the database does."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.comments.selectors import comment_threads
from dateline.posts import preload, selectors
from dateline.posts.feeds import _post_content
from dateline.posts.feedwriter import Channel
from dateline.posts.models import Label, Post


def _threads(post: Post) -> list:
    def shape(thread) -> tuple:
        return (thread.comment.pk, thread.comment.body, [shape(r) for r in thread.replies])

    roots, count = comment_threads(post)
    return [count, [shape(root) for root in roots]]


def _reads(posts: list[Post], labels: list[Label]) -> dict:
    """Everything the build's pages read through the selectors, as comparable values."""
    found: dict = {}
    for post in posts:
        at = selectors.visible_post_at(post.path)
        if at is None:
            found[post.path] = None
            continue
        newer, older = selectors.neighbours(at)
        # The whole article but the comment count, which only a listing reads.
        found[post.path] = (at.memo_key[:-1], [label.name for label in at.label_list],
                            newer and newer.pk, older and older.pk, _threads(at))  # fmt: skip
    now = timezone.now()
    lists = {"all": selectors.PostList(), "before": selectors.PostList("before", end=now),
             "period": selectors.posts_in_period(now.year)}  # fmt: skip
    lists.update({label.name: selectors.PostList("labels", [label]) for label in labels})
    for name, posts_list in lists.items():
        for start in (0, 2, 5):
            page = posts_list[start : start + 3]
            found[name, start] = [post.memo_key for post in page]
    channel = Channel("Dateline", "/", "News", "News")
    found["feed"] = _post_content(channel)
    for label in labels:
        found["feed", label.name] = _post_content(channel, [label])
        found["label", label.name] = selectors.labels_for_expression(label.name.lower())
    return found


@pytest.fixture
def varied_blog(make_post) -> tuple[list[Post], list[Label]]:
    now = timezone.now()
    posts = [make_post(labels=("Rail", "Harbours") if n % 2 else ("Weather",),
                       published_at=now - timedelta(hours=5 * n)) for n in range(7)]  # fmt: skip
    twin = make_post(labels=("Harbours",), published_at=posts[3].published_at)  # same time
    posts[0].author = get_user_model().objects.create_user("editor")
    posts[0].save()
    posts.append(twin)
    posts.append(make_post(labels=("Rail",), published_at=now + timedelta(days=2)))  # due later
    posts.append(make_post(status=Post.Status.DRAFT))
    posts.append(make_post(kind=Post.Kind.PAGE, title="About us"))
    ferry, approved, pending = posts[1], Comment.Status.APPROVED, Comment.Status.PENDING

    def comment(post: Post, body: str, status: str, parent: Comment | None = None) -> Comment:
        written = now - timedelta(minutes=50 - len(body))  # longer bodies written later
        return Comment.objects.create(post=post, parent=parent, author_name="Reader",
                                      body=body, status=status, created_at=written)  # fmt: skip

    root = comment(ferry, "First of all.", approved)
    comment(ferry, "A reply.", approved, parent=root)
    comment(ferry, "An orphan!", approved, parent=comment(ferry, "Buy now", pending))
    comment(posts[2], "The only one here.", approved)
    return posts, list(Label.objects.all())


def test_every_read_from_what_a_build_preloaded_is_the_databases_answer(varied_blog):
    posts, labels = varied_blog
    from_database = _reads(posts, labels)
    with preload.holding(preload.read()):
        from_preloaded = _reads(posts, labels)
    assert from_preloaded == from_database
    assert sum(1 for value in from_database.values() if value) > 10  # the reads found things
    assert from_database[posts[-3].path] is None  # not yet due: no page, either way


def test_reads_from_some_posts_preloaded_are_the_databases_answer(varied_blog):
    """A build's chunk reads only the posts its pages show: the rest, and a neighbour not
    read, come from the database as on a live page."""
    posts, labels = varied_blog
    from_database = _reads(posts, labels)
    some = [post.pk for post in posts[1:4]]
    with preload.holding(preload.read(some)) as held:
        assert set(held.by_id) == set(some)
        assert from_database == _reads(posts, labels)


def test_a_post_page_read_asks_the_database_nothing_while_posts_are_preloaded(varied_blog):
    posts, _ = varied_blog
    with preload.holding(preload.read()), CaptureQueriesContext(connection) as queries:
        post = selectors.visible_post_at(posts[1].path)
        selectors.neighbours(post)
        _threads(post)
        selectors.with_labels([post])
    assert len(queries) == 0
    assert preload.current() is None  # released with the block


def test_a_post_published_after_the_preload_is_read_from_the_database(make_post, varied_blog):
    with preload.holding(preload.read()):
        late = make_post(labels=("Weather",), title="Late news", published_at=timezone.now())
        assert selectors.visible_post_at(late.path).title == "Late news"
        newest = selectors.PostList()[0:1]
        assert [post.title for post in newest] == ["Late news"]
        assert [label.name for label in newest[0].label_list] == ["Weather"]
