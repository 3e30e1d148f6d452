"""A blog holding every shape a feed item takes, with hostile text wherever text goes:
the feed tests (test_feed_output, test_feed_rules) read it."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.posts.models import Label, Post

HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single' Zoë 😀 «\u00a0nbsp\u00a0» \uff0c"
LABELS = ("Malta & Gozo", "Ünïcode", "a/b", "with space", '"quoted"', "it's", "<b>", "C++",
          "apple", "Banana", "émigré", "中文", "Zebra")  # fmt: skip


def feed_url(label: str) -> str:
    return "/feeds/posts/default/-/" + quote(label, safe="/+")


def write_past_save(model, pk: int, **values) -> None:
    """Store values as an import or an old row may hold them, which save() would clean."""
    model.objects.filter(pk=pk).update(**values)


@pytest.fixture
def hostile_blog(make_post, django_user_model):
    """Every shape a feed item takes, with hostile text wherever text goes."""
    now = timezone.now().replace(microsecond=0)
    zoe = django_user_model.objects.create_user('zoë&"<x>')
    body = f"{HOSTILE}\n\n## Next & last\n\n> quote\n\n[link](https://a.example/?a=1&b=2)"
    first = make_post(title=HOSTILE, labels=LABELS, author=zoe, body_source=body,
                      published_at=now - timedelta(days=1, microseconds=-123456))  # fmt: skip
    tie = make_post(title="Same moment", labels=("Zebra", "apple"), published_at=first.published_at)
    # Control characters that are single bytes in UTF-8, and wider ones, apart.
    dirty = make_post(title="Dirty", labels=("Malta & Gozo",))
    write_past_save(Post, dirty.pk, title="Tab\there\x01 bell\x07 del\x7f",
                    body_html="<p>vertical\x0btab, esc\x1b</p>\n<p>two</p>")  # fmt: skip
    wide = make_post(title="Wide", labels=("Ünïcode",))
    write_past_save(Post, wide.pk, title="C1\x85 nonchar\ufffe é", body_html="<p>\x80 \uffff</p>")
    empty = make_post(title="Empty", labels=("Banana",))
    write_past_save(Post, empty.pk, title="", body_html="")
    odd = [make_post(title=f"Odd path {n}", labels=("with space",)) for n in range(4)]
    paths = ["/2020/01/ça va & co?.html", "//elsewhere.example/x.html",
             "https://elsewhere.example/ü x.html", None]  # fmt: skip
    for post, path in zip(odd, paths, strict=True):
        write_past_save(Post, post.pk, path=path)
    older = make_post(title="Edited before it was published", labels=("a/b",))
    write_past_save(Post, older.pk, updated_at=older.published_at - timedelta(days=30))
    edited = make_post(title="Edited later", labels=("中文",), published_at=now - timedelta(days=9))
    write_past_save(Post, edited.pk, updated_at=now - timedelta(seconds=5))
    draft = make_post(title="Draft", status=Post.Status.DRAFT, labels=("Malta & Gozo", "Zebra"))
    scheduled = make_post(title="Scheduled", labels=("Malta & Gozo",),
                          published_at=now + timedelta(days=1))  # fmt: skip
    page = make_post(title="About us", kind=Post.Kind.PAGE, labels=("Malta & Gozo",))
    Label.objects.create(name="Nothing yet")  # a label no visible post carries
    comments = [
        (first, '<b>Ann</b> & "co"', "approved"), (first, "Zoë", "approved"),
        (first, "Pending", "pending"), (first, "Spam", "spam"), (tie, "Bob", "approved"),
        (page, "Page reader", "approved"), (scheduled, "Too early", "approved"),
        (draft, "Drafty", "approved"), (odd[0], "Odd", "approved"),
        (odd[3], "No path", "approved"), (dirty, "Dirty", "approved"),
        (wide, "Wide", "approved"), (empty, "Nameless", "approved"),
    ]  # fmt: skip
    for n, (post, name, status) in enumerate(comments):
        when = now - timedelta(hours=n, microseconds=n)
        Comment.objects.create(post=post, author_name=name, body=f"{HOSTILE}\n\nline {n}",
                               status=status, created_at=when)  # fmt: skip
    Comment.objects.filter(author_name="Dirty").update(author_name="Dirty\x01reader")
    Comment.objects.filter(author_name="Wide").update(author_name="Wide\x85reader")
    Comment.objects.filter(author_name="Nameless").update(author_name="")
    return {"first": first, "dirty": dirty, "wide": wide, "page": page, "empty": empty,
            "scheduled": scheduled, "odd": odd, "draft": draft}  # fmt: skip


def urls_of(blog: dict) -> list[str]:
    return [
        "/feeds/posts/default",
        *(feed_url(name) for name in LABELS),
        feed_url("malta & gozo"),  # any case
        feed_url("Malta & Gozo+Zebra"),
        feed_url("apple+Zebra+中文"),
        "/feeds/comments/default",
        *(
            f"/feeds/{blog[name].pk}/comments/default"
            for name in ("first", "page", "dirty", "wide", "empty")
        ),
        f"/feeds/{blog['odd'][0].pk}/comments/default",
    ]
