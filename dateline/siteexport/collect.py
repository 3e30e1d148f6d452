"""Which URLs make the public site, and which file each one is in the mirror.

The layout lets nginx answer the live site's own URLs from files (deploy/nginx.conf):
`/2007/07/slug.html` is that file; `/`, `/search/label/Iran` and `/2007/07/` are
`index.html` in their folder, and `?page=N` is `page/N/index.html` below it; a feed is
`index.atom` (or `index.rss` for `?alt=rss`) in its folder. A URL with no file (search
with `?q=`, the comment form, label combinations, redirects) falls through to the live site.

`SiteState` is what the site is made of, read in a few queries without rendering
anything; the mirror keeps the state it was built from, so an update can diff the two.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.db.models import Count, Max, Q

from dateline.core.sidebar import sidebar_html
from dateline.posts.models import Post

FEED_URL = "/feeds/posts/default"
FIXED_URLS = ("/sitemap.xml", "/robots.txt", "/feeds/comments/default")
SEARCH_PAGE = "/search.html"
SEARCH_INDEX = "/search-index.json"
_PLAIN_FILE_SUFFIXES = (".html", ".xml", ".txt", ".json")


@dataclass(frozen=True)
class PostState:
    """One visible post or page as the mirror needs it: where it shows and a fingerprint
    of everything its renderings show."""

    id: int
    path: str
    kind: str
    year: int
    month: int
    labels: tuple[str, ...]
    fingerprint: str


@dataclass
class SiteState:
    posts: list[PostState]  # published posts, newest first (the listing order)
    pages: list[PostState]
    comments: str  # fingerprint of the approved comments (the comments feed)
    sidebar: str  # hash of the sidebar every page shows
    settings_key: str
    comment_count: int = 0

    def to_json(self) -> dict:
        """What asdict gives, built directly: asdict deep-copies every field of 10,000 posts
        (a fifth of a mirror update)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["posts"] = [vars(post).copy() for post in self.posts]
        data["pages"] = [vars(post).copy() for post in self.pages]
        return data

    @classmethod
    def from_json(cls, data: dict) -> SiteState:
        def rows(key: str) -> list[PostState]:
            return [PostState(**{**row, "labels": tuple(row["labels"])}) for row in data[key]]

        return cls(posts=rows("posts"), pages=rows("pages"), comments=data["comments"],
                   sidebar=data["sidebar"], settings_key=data["settings_key"],
                   comment_count=data.get("comment_count", 0))  # fmt: skip


def _digest(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:20]


def _labels_by_post(posts) -> dict[int, tuple[str, ...]]:
    through = Post.labels.through.objects.filter(post__in=posts)
    found: dict[int, list[str]] = {}
    for post_id, name in through.values_list("post_id", "label__name").order_by("label__name"):
        found.setdefault(post_id, []).append(name)
    return {post_id: tuple(names) for post_id, names in found.items()}


_FIELDS = ("id", "path", "kind", "title", "published_at", "updated_at", "lead_image",
           "lead_image_caption", "source__url", "source__publisher", "source__original_date",
           "source__fetched_at", "author__username")  # fmt: skip


def load_state(base_url: str) -> SiteState:
    """The visible site in four queries (plus the sidebar, cached per content version).

    A post's digest covers its row's values in the fixed order of `_FIELDS` and the
    annotations (sorting them as text cost a third of an incremental update)."""
    approved = Q(comments__status="approved")
    visible = Post.objects.visible()
    rows = (
        visible.values(*_FIELDS)
        .annotate(n=Count("comments", filter=approved), last=Max("comments__id", filter=approved))
        .order_by("-published_at", "-id")
    )
    labels = _labels_by_post(visible)
    posts, pages = [], []
    for row in rows:
        names = labels.get(row["id"], ())
        when = row["published_at"]
        state = PostState(row["id"], row["path"], row["kind"], when.year, when.month, names,
                          _digest(tuple(row.values()), names))  # fmt: skip
        (posts if row["kind"] == Post.Kind.POST else pages).append(state)
    comments = _comment_summary()
    return SiteState(
        posts=posts,
        pages=pages,
        comments=_digest(*comments),
        comment_count=comments[0],
        sidebar=_digest(str(sidebar_html())),
        settings_key=_settings_key(base_url),
    )


def _comment_summary() -> tuple:
    from dateline.comments.models import Comment

    found = Comment.objects.filter(status="approved").aggregate(n=Count("id"), last=Max("id"))
    return found["n"], found["last"]


def _settings_key(base_url: str) -> str:
    """Anything that changes every page at once: a change means a full build."""
    from django.templatetags.static import static

    return _digest(base_url, settings.DATELINE_SITE_TITLE, settings.DATELINE_SITE_DESCRIPTION,
                   settings.DATELINE_PAGE_SIZE, settings.DATELINE_FEED_SIZE,
                   static("dateline/site.css"), settings.LANGUAGE_CODE)  # fmt: skip


def mirrorable_label(name: str) -> bool:
    """A label whose name cannot be a folder name stays on the live site."""
    return "/" not in name and not name.startswith(".") and name.strip() == name and name != ""


@lru_cache(maxsize=4096)
def label_url(name: str) -> str:
    return "/search/label/" + quote(name, safe="")


def label_feed_url(name: str) -> str:
    return f"{FEED_URL}/-/" + quote(name, safe="")


def listing_urls(base: str, count: int) -> list[str]:
    """A listing's first page and `?page=N` for the rest (the pager links that way)."""
    pages = max(1, -(-count // settings.DATELINE_PAGE_SIZE))
    return [base] + [f"{base}?page={number}" for number in range(2, pages + 1)]


def page_of(position: int) -> int:
    return position // settings.DATELINE_PAGE_SIZE + 1


def listing_page_url(base: str, position: int) -> str:
    number = page_of(position)
    return base if number == 1 else f"{base}?page={number}"


def archive_urls(year: int, month: int) -> tuple[str, str]:
    return f"/{year:04d}/", f"/{year:04d}/{month:02d}/"


def groups(state: SiteState) -> dict[str, list[PostState]]:
    """Every listing (home, label, archive) with its posts in listing order (worked out
    once per state: an update asks for both states' listings several times)."""
    found = state.__dict__.get("_groups")
    if found is None:
        found = state.__dict__["_groups"] = _groups(state)
    return found


def _groups(state: SiteState) -> dict[str, list[PostState]]:
    found: dict[str, list[PostState]] = {"/": list(state.posts)}
    for post in state.posts:
        for base in archive_urls(post.year, post.month):
            found.setdefault(base, []).append(post)
        for name in post.labels:
            if mirrorable_label(name):
                found.setdefault(label_url(name), []).append(post)
    return found


def feed_urls(base: str) -> list[str]:
    return [base, f"{base}?alt=rss"]


def all_urls(state: SiteState) -> list[str]:
    """Every URL of the mirror, listings first (they are the slowest to render)."""
    urls: list[str] = []
    for base, posts in groups(state).items():
        urls += listing_urls(base, len(posts))
    urls += [post.path for post in state.posts + state.pages]
    # An empty feed's <updated> is the time it is fetched: such a feed stays live.
    urls += feed_urls(FEED_URL) if state.posts else []
    urls += feed_urls("/feeds/comments/default") if state.comment_count else []
    names = {name for post in state.posts for name in post.labels if mirrorable_label(name)}
    for name in sorted(names):
        urls += feed_urls(label_feed_url(name))
    return [*urls, "/sitemap.xml", "/robots.txt"]


@lru_cache(maxsize=1 << 17)  # every URL of a big mirror, asked for twice per update
def file_for(url: str) -> str:
    """The mirror file (relative) that answers a URL; must agree with deploy/nginx.conf."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    query = parts.query
    if path.startswith("/feeds/"):
        return f"{path.strip('/')}/index.{'rss' if query == 'alt=rss' else 'atom'}"
    if path.endswith(_PLAIN_FILE_SUFFIXES) and not query:
        return path.lstrip("/")
    folder = path.strip("/")
    if query.startswith("page="):
        folder = f"{folder}/page/{query.removeprefix('page=')}".strip("/")
    return f"{folder}/index.html".lstrip("/")
