"""What gets indexed for a post: title, body text, labels (with aliases), publisher."""

import html
import re
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from dateline.core.batching import in_batches
from dateline.core.text import strip_control_chars
from dateline.posts.labels import split_aliases
from dateline.posts.models import Post, Source
from dateline.posts.selectors import labels_of_posts
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


def _labels_text(post_ids: list[int]) -> dict[int, str]:
    """Each post's labels and their aliases as one text, in the labels' own order."""
    return {
        post_id: " · ".join(text for name, aliases in labels
                            for text in (name, *split_aliases(aliases)))
        for post_id, labels in labels_of_posts(post_ids).items()
    }  # fmt: skip


def _publisher(url: str | None, publisher: str | None) -> str:
    """Source.display_name, from the two columns it reads."""
    if url is None:
        return ""
    return Source(url=url, publisher=publisher or "").display_name


def documents(
    post_ids: Iterable[int] | None = None, batch_size: int = 500
) -> Iterator[list[SearchDocument]]:
    """Documents for the indexable posts (all, or those among `post_ids`), in batches of
    two queries each, so a rebuild of 100,000 posts never holds them all in memory.

    Rows are read as plain values: model instances with prefetched labels cost more than
    everything else in indexing an imported blog."""
    posts = indexable_posts()
    if post_ids is not None:
        posts = posts.filter(pk__in=list(post_ids))
    ids = list(posts.order_by("pk").values_list("pk", flat=True))
    columns = ("pk", "title", "body_html", "published_at", "source__url", "source__publisher")
    for chunk in in_batches(ids, batch_size):
        # Each batch names its own ids; filtering by all of `post_ids` again would send
        # every id with every batch.
        rows = indexable_posts().filter(pk__in=chunk).order_by("pk").values_list(*columns)
        labels = _labels_text(chunk)
        yield [
            SearchDocument(
                post_id=pk,
                published_at=published_at,
                month=timezone.localtime(published_at).strftime("%Y-%m"),
                title=strip_control_chars(title),
                labels=strip_control_chars(labels.get(pk, "")),
                publisher=strip_control_chars(_publisher(source_url, source_publisher)),
                body=strip_html(body_html),
            )
            for pk, title, body_html, published_at, source_url, source_publisher in rows
        ]
