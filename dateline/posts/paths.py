"""Blogger's URL scheme: post paths, page paths, label paths and slugs."""

from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from django.utils import timezone
from django.utils.text import slugify

if TYPE_CHECKING:
    from dateline.posts.models import Post

MAX_SLUG_LENGTH = 80


def slug_for(title: str) -> str:
    """A readable slug cut at a word boundary, as Blogger does; never empty."""
    slug = slugify(title, allow_unicode=True)
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0]
    return slug or "post"


@lru_cache(maxsize=4096)  # a listing page asks for sixty; a blog has hundreds of names
def label_path(name: str) -> str:
    return "/search/label/" + quote(name, safe="")


def host_of(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def post_path_for(post: "Post", slug: str) -> str:
    if post.kind == "page":
        return f"/p/{slug}.html"
    when = timezone.localtime(post.published_at or timezone.now())
    return f"/{when.year:04d}/{when.month:02d}/{slug}.html"


def unique_post_path(post: "Post") -> str:
    """The post's path, with -2, -3… appended when another post already holds it."""
    from dateline.posts.models import Post

    slug = post.slug or slug_for(post.title)
    candidate = post_path_for(post, slug)
    suffix = 2
    while Post.objects.filter(path=candidate).exclude(pk=post.pk).exists():
        candidate = post_path_for(post, f"{slug}-{suffix}")
        suffix += 1
    return candidate
