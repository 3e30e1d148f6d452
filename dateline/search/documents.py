"""What gets indexed for a post: title, body text, labels (with aliases), publisher."""

import html
import re
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from dateline.core.text import strip_control_chars
from dateline.posts.models import Post
from dateline.search.models import SearchDocument

# Inline tags join the text around them ("Bagh<b>dad</b>"); any other tag separates words.
_INLINE_NAMES = (
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup"
)
_INLINE = "|".join([*_INLINE_NAMES.split(), "time", "u", "var"])
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def strip_html(body_html: str) -> str:
    """Plain text from sanitized HTML, words kept apart where blocks end."""
    text = _HIDDEN.sub(" ", body_html)
    text = _ANY_TAG.sub(" ", _INLINE_TAG.sub("", text))
    return " ".join(strip_control_chars(html.unescape(text)).split())


def indexable_posts() -> QuerySet:
    """Posts `Post.objects.published()` shows now or will show when their time comes.

    Scheduled posts are indexed ahead of time; every search filters
    `published_at <= now`, so the index never needs a timer to publish them.
    A test keeps this rule and `published()` in step.
    """
    return Post.objects.filter(status=Post.Status.PUBLISHED, kind=Post.Kind.POST).exclude(
        published_at=None
    )


def _labels_text(post: Post) -> str:
    parts = []
    for label in post.labels.all():
        parts.append(label.name)
        parts.extend(label.alias_list)
    return " · ".join(parts)


def document_for(post: Post) -> SearchDocument:
    """The search document of one post (labels and source already loaded)."""
    published = timezone.localtime(post.published_at)
    return SearchDocument(
        post_id=post.pk,
        published_at=post.published_at,
        month=published.strftime("%Y-%m"),
        title=strip_control_chars(post.title),
        labels=strip_control_chars(_labels_text(post)),
        publisher=strip_control_chars(post.source.display_name if post.source else ""),
        body=strip_html(post.body_html),
    )


def documents(
    post_ids: Iterable[int] | None = None, batch_size: int = 500
) -> Iterator[list[SearchDocument]]:
    """Documents for the indexable posts (all, or those among `post_ids`), in batches of
    three queries each, so a rebuild of 100,000 posts never holds them all in memory."""
    posts = indexable_posts()
    if post_ids is not None:
        posts = posts.filter(pk__in=list(post_ids))
    ids = list(posts.order_by("pk").values_list("pk", flat=True))
    # Each batch names its own ids; filtering by all of `post_ids` again would send every
    # id with every batch (10,000 ids, 20 times over, for an imported blog).
    loaded = (
        indexable_posts()
        .select_related("source")
        .prefetch_related("labels")
        .only("pk", "title", "body_html", "published_at", "source__url", "source__publisher")
        .order_by("pk")
    )
    for start in range(0, len(ids), batch_size):
        yield [document_for(post) for post in loaded.filter(pk__in=ids[start : start + batch_size])]
