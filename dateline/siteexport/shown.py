"""Which posts a chunk of the mirror's pages shows, so the process that renders the chunk
reads only those (posts.preload) instead of every post of the blog.

Worked out from the `SiteState` alone: a post page shows its post and its neighbours in
the listing order; a listing page its page of posts and the one after it (which says
whether an older page exists); a feed its first DATELINE_FEED_SIZE entries and the one
after. A post missing here is read from the database by the selectors, as a live page
reads it: a guess that falls short costs queries, never a wrong page.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

from django.conf import settings

from dateline.posts.paths import label_path
from dateline.siteexport.collect import FEED_URL, PostState, SiteState, groups

_LABEL_FEED = f"{FEED_URL}/-/"


def places(state: SiteState) -> dict[str, int]:
    """Each post's and page's path: its place in `state.posts`, or -1 less its place in
    `state.pages`. Worked out once per state (a build's parent does it before forking)."""
    found = state.__dict__.get("_places")
    if found is None:
        found = {post.path: place for place, post in enumerate(state.posts)}
        found.update((page.path, -1 - place) for place, page in enumerate(state.pages))
        state.__dict__["_places"] = found
    return found


def shown_ids(state: SiteState, urls: Iterable[str]) -> set[int]:
    """The ids of the posts and pages the pages at `urls` show."""
    at, listings = places(state), groups(state)
    size, feed = settings.DATELINE_PAGE_SIZE, settings.DATELINE_FEED_SIZE + 1
    found: set[int] = set()
    for url in urls:
        place = at.get(url)
        if place is not None:
            if place < 0:
                found.add(state.pages[-1 - place].id)
            else:
                found.update(post.id for post in state.posts[max(place - 1, 0) : place + 2])
            continue
        listing = _listing_page(url, listings, size)
        if listing is not None:
            posts, start = listing
            found.update(post.id for post in posts[start : start + size + 1])
            continue
        base = url.partition("?")[0]
        if base == FEED_URL:
            found.update(post.id for post in state.posts[:feed])
        elif base.startswith(_LABEL_FEED):
            name = unquote(base.removeprefix(_LABEL_FEED))
            found.update(post.id for post in listings.get(label_path(name), ())[:feed])
    return found


def _listing_page(
    url: str, listings: dict[str, list[PostState]], size: int
) -> tuple[list[PostState], int] | None:
    """The posts of the listing `url` is a page of, and where that page starts in them;
    None when `url` is no listing page."""
    base, _, query = url.partition("?")
    posts = listings.get(base)
    if posts is None:
        return None
    number = query.removeprefix("page=")
    return posts, (int(number) - 1) * size if number.isdigit() else 0


def in_reading_order(state: SiteState, urls: list[str]) -> list[str]:
    """`urls` with the listing pages first, by the place of the newest post each shows,
    then the rest as they come. A post shows on its month's page, its year's, the home
    page and its labels' (their first pages all hold the newest posts): ordered so, the
    pages that show the same posts fall in the same chunk, which reads them once."""
    at, listings = places(state), groups(state)
    size = settings.DATELINE_PAGE_SIZE
    pages: list[tuple[int, str]] = []
    rest = []
    for url in urls:
        listing = _listing_page(url, listings, size)
        if listing is None:
            rest.append(url)
            continue
        posts, start = listing
        pages.append((at[posts[start].path] if start < len(posts) else len(at), url))
    pages.sort(key=lambda page: page[0])
    return [url for _, url in pages] + rest
