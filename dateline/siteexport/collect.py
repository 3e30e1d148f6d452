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
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.db.models import Count, Max

from dateline.core.batching import in_batches
from dateline.people.names import AUTHOR_COLUMNS
from dateline.posts.models import Label, Post
from dateline.posts.paths import label_path
from dateline.posts.rawrows import local_times, raw_rows, zones
from dateline.serving.sidebar import sidebar_html
from dateline.site_settings.current import current

FEED_URL = "/feeds/posts/default"
FIXED_URLS = ("/sitemap.xml", "/robots.txt", "/feeds/comments/default")
SEARCH_PAGE = "/search.html"
SEARCH_INDEX = "/search-index.json"
_PLAIN_FILE_SUFFIXES = (".html", ".xml", ".txt", ".json")


class PostState(NamedTuple):
    """One visible post or page as the mirror needs it: where it shows and a fingerprint
    of everything its renderings show. A tuple: two states of 10,000 posts are compared
    and stored on every update."""

    id: int
    path: str
    kind: str
    year: int  # of published_at in the site's time zone, as the archive pages count
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
        """Posts as plain arrays (a row of 10,000 is a tenth of the size as an object)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict) -> SiteState:
        def rows(key: str) -> list[PostState]:
            return [PostState(pk, path, kind, year, month, tuple(labels), fingerprint)
                    for pk, path, kind, year, month, labels, fingerprint in data[key]]  # fmt: skip

        return cls(posts=rows("posts"), pages=rows("pages"), comments=data["comments"],
                   sidebar=data["sidebar"], settings_key=data["settings_key"],
                   comment_count=data.get("comment_count", 0))  # fmt: skip


def _digest(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:20]


def _label_names(post_ids: list[int] | None = None) -> dict[int, tuple[str, ...]]:
    """Every post's (or `post_ids`') label names in code-point order, from the link table
    and the label names: no join, no ORDER BY, no visibility subquery (half the time of a
    join; the links of posts nobody sees are read and left unused). A link to a label
    deleted between the two reads is left out, as a join would leave it."""
    through = Post.labels.through.objects.order_by()
    if post_ids is None:
        links = raw_rows(through.values_list("post_id", "label_id"))
    else:
        pairs = through.values_list("post_id", "label_id")
        links = [row for chunk in in_batches(post_ids)
                 for row in raw_rows(pairs.filter(post_id__in=chunk))]  # fmt: skip
    names = dict(raw_rows(Label.objects.order_by().values_list("id", "name")))
    found: defaultdict[int, list[str]] = defaultdict(list)
    for post_id, label_id in links:
        name = names.get(label_id)
        if name is not None:
            found[post_id].append(name)
    return {post_id: tuple(sorted(labels)) for post_id, labels in found.items()}


# id, path, kind and published_at first (read by position); then what the article shows
# (Post.SHOWN_FIELDS), its body stood for by updated_at, which every edit of it moves.
_PLACED = ("id", "path", "kind", "published_at")
_FIELDS = (*_PLACED, "updated_at",
           *(name for name in Post.SHOWN_FIELDS if name not in {*_PLACED, "body_html"}),
           "source__url", "source__publisher", "source__original_date",
           "source__fetched_at", *AUTHOR_COLUMNS,
           # the Source line's link falls back to a copy when link checks find it dead
           "source__last_check_result", "source__health__archive_url")  # fmt: skip


def _comments_by_post() -> dict[int, tuple[int, int]]:
    """Approved comments per post: how many and the newest id (what a post page shows)."""
    from dateline.comments.models import Comment

    approved = Comment.objects.filter(status=Comment.Status.APPROVED).order_by()
    grouped = approved.values("post_id").annotate(n=Count("id"), last=Max("id"))
    return {pk: (n, last) for pk, n, last in raw_rows(grouped.values_list("post_id", "n", "last"))}


# The posts the last state was read with, by id: (what the post's state was made from,
# the state). Its month depends on the zones, so they are part of it.
_last_read: tuple[tuple, dict[int, tuple[tuple, PostState]]] = ((), {})


def _post_state(row: tuple, labels: dict, comments: dict, local, known: dict) -> tuple:
    """(what the state is made from, the PostState): the last one, if made from the same."""
    pk = row[0]
    made_from = (row, labels.get(pk, ()), comments.get(pk))
    last = known.get(pk)
    if last is None or last[0] != made_from:
        when = local(row[3])
        last = (made_from, PostState(pk, row[1], row[2], when.year, when.month,
                                     made_from[1], _digest(*made_from)))  # fmt: skip
    return last


def _post_states(rows: list[tuple], labels: dict, comments: dict, alias: str) -> list[PostState]:
    """A PostState per row; a row, labels and comments that are exactly those of the last
    read (in this process) give the same PostState without digesting and converting them
    again (two thirds of the Python time of a read, on a mirror kept current by --watch
    or the serve hooks, where one edit leaves every other post as it was)."""
    global _last_read
    key = zones(alias)
    known = _last_read[1] if _last_read[0] == key else {}
    local = local_times(alias)
    found: dict[int, tuple[tuple, PostState]] = {}
    states = []
    for row in rows:
        last = found[row[0]] = _post_state(row, labels, comments, local, known)
        states.append(last[1])
    _last_read = (key, found)
    return states


def _site_state(posts: list[PostState], pages: list[PostState], comments: dict,
                base_url: str) -> SiteState:  # fmt: skip
    count = sum(n for n, _ in comments.values())
    return SiteState(
        posts=posts,
        pages=pages,
        comments=_digest(count, max((last for _, last in comments.values()), default=None)),
        comment_count=count,
        sidebar=_digest(str(sidebar_html())),
        settings_key=_settings_key(base_url),
    )


def _visible_rows():
    return Post.objects.visible().values_list(*_FIELDS)


def load_state(base_url: str) -> SiteState:
    """The visible site in four queries (plus the sidebar, cached per content version).

    Rows are read raw (`raw_rows`): a post's fingerprint is a digest of its stored values
    in the fixed order of `_FIELDS`, its labels and its approved comments, and only the
    publish time is converted, for the archive month it is listed under."""
    query = _visible_rows().order_by("-published_at", "-id")
    comments = _comments_by_post()
    states = _post_states(raw_rows(query), _label_names(), comments, query.db)
    post_kind = Post.Kind.POST.value
    return _site_state([post for post in states if post.kind == post_kind],
                       [post for post in states if post.kind != post_kind],
                       comments, base_url)  # fmt: skip


def load_state_narrow(previous: SiteState, changed: set[int], base_url: str, *,
                      fresh: bool = False) -> SiteState | None:  # fmt: skip
    """What `load_state` reads now, knowing that only the posts `changed` may differ from
    `previous`: those are read, the rest kept, each new row placed in listing order by the
    publish times of the posts around it. `previous` is the last state this process read,
    or (`fresh`) one another process read in the same zones and stored (the mirror's
    manifest): then what this process remembers of posts may be older than `previous`, so
    it is forgotten and the times it lacks are read. None when a post's place cannot be
    told: read the whole state then. A test holds it to `load_state` after every kind of
    change, in a process that remembers the posts and in one that does not."""
    global _last_read
    alias = Post.objects.db
    key = zones(alias)
    if fresh:
        _last_read = (key, {})
    elif _last_read[0] != key:
        return None
    known = _last_read[1]
    ids = sorted(changed)
    rows = [row for chunk in in_batches(ids)
            for row in raw_rows(_visible_rows().filter(pk__in=chunk).order_by())]  # fmt: skip
    labels, comments, local = _label_names(ids), _comments_by_post(), local_times(alias)
    fresh_states = [_post_state(row, labels, comments, local, known) for row in rows]
    posts = [post for post in previous.posts if post.id not in changed]
    pages = [post for post in previous.pages if post.id not in changed]
    for pk in changed:
        known.pop(pk, None)
    looked_up: dict[int, object] = {}

    def published(pk: int) -> object:
        """The publish time as stored of a post kept from `previous`: unchanged since."""
        entry = known.get(pk)
        if entry is not None:
            return entry[0][0][3]
        if pk not in looked_up:
            found = raw_rows(Post.objects.filter(pk=pk).order_by().values_list("published_at"))
            looked_up[pk] = found[0][0] if found else None
        return looked_up[pk]

    post_kind = Post.Kind.POST.value
    for made_from, state in sorted(fresh_states, key=lambda entry: entry[1].id):
        known[state.id] = (made_from, state)
        into = posts if state.kind == post_kind else pages
        place = _place(into, (made_from[0][3], state.id), published)
        if place is None:
            return None
        into.insert(place, state)
    return _site_state(posts, pages, comments, base_url)


def zones_key(alias: str | None = None) -> str:
    """The zones a state's archive months were worked out in (`posts.rawrows.zones`), as
    text: a state stored under other zones cannot be patched, only read again."""
    return " ".join(str(zone) for zone in zones(alias or Post.objects.db))


def _place(listing: list[PostState], key: tuple, published) -> int | None:
    """Where a post with sort key `key` (publish time as stored, id) goes in `listing`,
    newest first as the database orders it; None when a post met has no time."""
    low, high = 0, len(listing)
    while low < high:
        middle = (low + high) // 2
        pk = listing[middle].id
        when = published(pk)
        if when is None:
            return None
        if (when, pk) > key:
            low = middle + 1
        else:
            high = middle
    return low


def _settings_key(base_url: str) -> str:
    """Anything that changes every page at once: a change means a full build."""
    from django.templatetags.static import static

    blog = current()  # title, description, language, zone: on every page
    return _digest(base_url, blog.title, blog.description, blog.language, blog.time_zone,
                   settings.DATELINE_PAGE_SIZE, settings.DATELINE_FEED_SIZE,
                   settings.DATELINE_STATIC_MIRROR_PAGES, settings.DATELINE_STATIC_MIRROR_SSI,
                   static("dateline/site.css"))  # fmt: skip


def mirrorable_label(name: str) -> bool:
    """A label whose name cannot be a folder name stays on the live site."""
    return "/" not in name and not name.startswith(".") and name.strip() == name and name != ""


def label_feed_url(name: str) -> str:
    return f"{FEED_URL}/-/" + quote(name, safe="")


def listing_urls(base: str, count: int) -> list[str]:
    """A listing's first page and `?page=N` for the rest (the pager links that way), up
    to DATELINE_STATIC_MIRROR_PAGES (0: all): nginx sends deeper pages to the live site."""
    pages = max(1, -(-count // settings.DATELINE_PAGE_SIZE))
    if settings.DATELINE_STATIC_MIRROR_PAGES > 0:
        pages = min(pages, settings.DATELINE_STATIC_MIRROR_PAGES)
    return [base] + [f"{base}?page={number}" for number in range(2, pages + 1)]


def page_of(position: int) -> int:
    return position // settings.DATELINE_PAGE_SIZE + 1


def listing_page_url(base: str, position: int) -> str:
    number = page_of(position)
    return base if number == 1 else f"{base}?page={number}"


def archive_urls(year: int, month: int) -> tuple[str, str]:
    return f"/{year:04d}/", f"/{year:04d}/{month:02d}/"


def groups(state: SiteState) -> dict[str, list[PostState]]:
    """Every listing (home, archive, label) with its posts in listing order (worked out
    once per state: an update asks for both states' listings several times)."""
    return _listings(state)[0]


def mirrored_labels(state: SiteState) -> list[str]:
    """The names of the labels whose pages and feeds the mirror holds, sorted."""
    return _listings(state)[1]


def _listings(state: SiteState) -> tuple[dict[str, list[PostState]], list[str]]:
    found = state.__dict__.get("_listings")
    if found is None:
        found = state.__dict__["_listings"] = _group(state.posts)
    return found


def _group(posts: list[PostState]) -> tuple[dict[str, list[PostState]], list[str]]:
    """Posts by year, month and label first, URLs after: one URL per listing, not per post."""
    years: defaultdict[int, list[PostState]] = defaultdict(list)
    months: defaultdict[tuple[int, int], list[PostState]] = defaultdict(list)
    labelled: defaultdict[str, list[PostState]] = defaultdict(list)
    for post in posts:
        years[post.year].append(post)
        months[post.year, post.month].append(post)
        for name in post.labels:
            labelled[name].append(post)
    found: dict[str, list[PostState]] = {"/": list(posts)}
    for (year, month), members in months.items():
        found[f"/{year:04d}/"] = years[year]
        found[archive_urls(year, month)[1]] = members
    names = sorted(name for name in labelled if mirrorable_label(name))
    found.update((label_path(name), labelled[name]) for name in names)
    return found, names


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
    for name in mirrored_labels(state):
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
