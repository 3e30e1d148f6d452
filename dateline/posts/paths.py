"""Blogger's URL scheme: post paths, page paths, label paths and slugs.

A stored path is a promise that the page answers there, and every writer (admin, CLI,
import, API) stores paths through `post_path_problem` and `local_path_problem`: a path
from an export once made an open redirect (`//evil.example/phish`), and one such as
`/admin/` or `/feeds/posts/default` shadowed our own routes and broke the mirror.
"""

import re
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify


class Placed(Protocol):
    """What a post's path is made of: a post, or a migration's historical one (this module
    sits below the models, so it names no model)."""

    pk: Any
    kind: str
    slug: str
    title: str
    published_at: datetime | None


MAX_SLUG_LENGTH = 80
MAX_PATH_LENGTH = 255

# One path segment: no separators, query, fragment, escapes, spaces or control characters.
_NAME = r"[^/\\?#%\s\x00-\x1f\x7f]+"
# Exactly what dateline/urls.py routes to a post or page, and nothing else does.
_POST_PATH = re.compile(rf"/\d{{4}}/(?:0[1-9]|1[0-2])/{_NAME}\.html")
_PAGE_PATH = re.compile(rf"/p/{_NAME}\.html")
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\\]")


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


def post_path_problem(path: str) -> str | None:
    """Why `path` cannot be a post's or page's address; None when it can.

    Only Blogger's two shapes are addresses: `/YYYY/MM/name.html` and `/p/name.html`.
    """
    if len(path) > MAX_PATH_LENGTH:
        return f"longer than {MAX_PATH_LENGTH} characters"
    if _POST_PATH.fullmatch(path) or _PAGE_PATH.fullmatch(path):
        return None
    return "not an address of the form /YYYY/MM/name.html or /p/name.html"


def local_path_problem(path: str) -> str | None:
    """Why `path` cannot be either end of a redirect; None when it is a path on this site.

    `//host/x` and `/\\host/x` are other sites to a browser, so a redirect there would be
    an open redirect.
    """
    if not path.startswith("/") or path.startswith(("//", "/\\")):
        return "not a path on this site (it must start with a single /)"
    if _UNSAFE.search(path):
        return "a path with spaces, backslashes or control characters"
    return None


def validate_post_path(path: str | None) -> None:
    """Model-field validator: the admin shows the problem next to the field."""
    if path and (problem := post_path_problem(path)):
        raise ValidationError(f"{path!r} is {problem}.")


def validate_local_path(path: str) -> None:
    """Model-field validator for a redirect's ends."""
    if problem := local_path_problem(path):
        raise ValidationError(f"{path!r} is {problem}.")


def post_path_for(post: Placed, slug: str) -> str:
    if post.kind == "page":
        return f"/p/{slug}.html"
    when = timezone.localtime(post.published_at or timezone.now())
    return f"/{when.year:04d}/{when.month:02d}/{slug}.html"


def unique_post_path(post: Placed) -> str:
    """The post's path, with -2, -3… appended when another post already holds it."""
    slug = post.slug or slug_for(post.title)
    candidate = post_path_for(post, slug)
    suffix = 2
    while type(post)._default_manager.filter(path=candidate).exclude(pk=post.pk).exists():
        candidate = post_path_for(post, f"{slug}-{suffix}")
        suffix += 1
    return candidate
