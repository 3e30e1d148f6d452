"""Keeping the mirror current: re-render only what a change touched.

The mirror records the `SiteState` it was built from. An update reads the state again
(a few queries, no rendering), compares the two and re-renders the URLs that show a
changed post: the post, its old and new neighbours, the listing pages (home, label,
archive) that hold it (in a listing whose membership or order moved, every mirrored page
from the first that differs), the feeds, the sitemap and the search index. The sidebar
(a new label, a month's count, a page title) is one shared file every page includes
(siteexport.shared): it is rewritten when it differs, and no page with it. Only a change
of what every page shows otherwise (the blog's title, zone, base URL) is a full build.

Files that vanished (an unpublished or deleted post's) are removed first; then every
affected page is rendered and written, each file replaced atomically. A page that
cannot be rendered or written is skipped and reported (`BuildReport.failed`), and the
next update tries it again; it never stops the rest. The manifest takes the new state
only once all are written, so an interrupted update is redone by the next.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from dateline.core.versioning import Reading, read_version
from dateline.posts.models import Post
from dateline.posts.paths import label_path
from dateline.serving.fragments import remembering
from dateline.site_settings.current import applied
from dateline.siteexport import collect, ledger, shared
from dateline.siteexport.build import (
    MANIFEST_VERSION,
    PAGE_ERRORS,
    BuildReport,
    build_unlocked,
    manifest_for,
)
from dateline.siteexport.render import Renderer, default_base_url
from dateline.siteexport.searchindex import index_files
from dateline.siteexport.write import (
    MirrorWriter,
    copy_tree,
    locked,
    manifest_bytes,
    parse_manifest,
)
from dateline.siteexport.write import write_manifest as save_manifest


def _changed_ids(old: collect.SiteState, new: collect.SiteState) -> set[int]:
    before = {post.id: post for post in old.posts + old.pages}
    after = {post.id: post for post in new.posts + new.pages}
    return {pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}


def _post_urls(state: collect.SiteState, changed: set[int]) -> set[str]:
    """Changed posts and pages, and the posts next to a changed post."""
    urls = {post.path for post in state.pages if post.id in changed}
    for index, post in enumerate(state.posts):
        if post.id in changed:
            neighbours = state.posts[max(index - 1, 0) : index + 2]
            urls |= {other.path for other in neighbours}
    return urls


def _touched_listings(old: collect.SiteState, new: collect.SiteState,
                      changed: set[int]) -> set[str]:  # fmt: skip
    """The listings (home, year, month, label) a changed post is in, before or after: no
    other listing's members or order can have moved, so no other is compared (460 of
    them, 100,000 posts long in all, on a big blog)."""
    bases: set[str] = set()
    for state in (old, new):
        for post in state.posts:
            if post.id in changed:
                bases.update(("/", *collect.archive_urls(post.year, post.month)))
                bases.update(label_path(name) for name in post.labels
                             if collect.mirrorable_label(name))  # fmt: skip
    return bases


def _listing_urls(old: collect.SiteState, new: collect.SiteState, changed: set[int]) -> set[str]:
    before, after = collect.groups(old), collect.groups(new)
    urls: set[str] = set()
    for base in _touched_listings(old, new, changed):
        old_ids = [post.id for post in before.get(base, [])]
        new_ids = [post.id for post in after.get(base, [])]
        if old_ids != new_ids:
            urls.update(_shifted_pages(base, old_ids, new_ids))
            continue
        urls.update(collect.listing_page_url(base, index)
                    for index, pk in enumerate(new_ids) if pk in changed)  # fmt: skip
    return urls


def _shifted_pages(base: str, old_ids: list[int], new_ids: list[int]) -> list[str]:
    """The mirrored pages of a listing whose membership or order moved: from the page
    before the first position that differs (its "Older Posts" link may come or go) to the
    last. Publishing at the top shifts every page; the mirror keeps only the first
    DATELINE_STATIC_MIRROR_PAGES of each listing, which bounds this."""
    first = next((i for i, (a, b) in enumerate(zip(old_ids, new_ids, strict=False)) if a != b),
                 min(len(old_ids), len(new_ids)))  # fmt: skip
    start = collect.page_of(max(first - 1, 0))
    return collect.listing_urls(base, len(new_ids))[start - 1 :]


def _feed_urls(old: collect.SiteState, new: collect.SiteState, changed: set[int]) -> set[str]:
    urls: set[str] = set()
    # The comments feed names each comment's post (its title and address) and shows only
    # visible posts' comments: any changed post may change it, when there are comments.
    if old.comments != new.comments or (changed and (old.comment_count or new.comment_count)):
        urls.update(collect.feed_urls("/feeds/comments/default"))
    size = settings.DATELINE_FEED_SIZE
    old_groups, new_groups = collect.groups(old), collect.groups(new)
    touched = _touched_listings(old, new, changed)
    for state in (old, new):
        if any(post.id in changed for post in state.posts[:size]) or (
            _archives(len(old.posts)) != _archives(len(new.posts))
        ):
            urls.update(collect.feed_urls(collect.FEED_URL))
        groups = collect.groups(state)
        for base in touched:
            posts = groups.get(base, ())
            # A feed names its newest archive page (posts.feedarchive): a count's change moves it.
            counts = (len(old_groups.get(base, ())), len(new_groups.get(base, ())))
            if base.startswith("/search/label/") and (
                any(p.id in changed for p in posts[:size])
                or _archives(counts[0]) != _archives(counts[1])
            ):
                name = base.removeprefix("/search/label/")
                urls.update(collect.feed_urls(f"{collect.FEED_URL}/-/{name}"))
    return urls


def _archives(count: int) -> tuple[bool, int]:
    """What a feed of `count` entries says of its archive pages (posts.feedarchive)."""
    size = settings.DATELINE_FEED_SIZE
    return count > size, count // size


def _affected(old: collect.SiteState, new: collect.SiteState, changed: set[int]) -> set[str] | None:
    """The URLs whose pages may differ between two states (`changed`: the posts that
    differ); None means every page."""
    if old.settings_key != new.settings_key:
        return None
    if old.sidebar != new.sidebar and not shared.enabled():  # embedded in every page
        return None
    urls = _feed_urls(old, new, changed)
    if not changed:
        return urls
    urls |= _post_urls(old, changed) | _post_urls(new, changed)
    urls |= _listing_urls(old, new, changed)
    return urls | {"/sitemap.xml"}


# What this process last wrote to each mirror's manifest: the bytes, and the manifest
# and state they hold. The next update finds the same bytes (unless another process
# wrote since) and parses nothing, not even the old state's listings.
_written: dict[Path, tuple[bytes, dict, collect.SiteState]] = {}


def _stored(root: Path) -> tuple[dict | None, collect.SiteState | None]:
    data = manifest_bytes(root)
    last = _written.get(root)
    if data is not None and last is not None and last[0] == data:
        return last[1], last[2]
    manifest = parse_manifest(data)
    return manifest, stored_state(manifest)


def stored_state(manifest: dict | None) -> collect.SiteState | None:
    """The state a mirror was built from, or None when its manifest is missing, from
    another version or unreadable: then the update is a full build."""
    if not manifest or manifest.get("version") != MANIFEST_VERSION:
        return None
    try:
        return collect.SiteState.from_json(manifest["state"])
    except (KeyError, TypeError, ValueError):
        return None


@dataclass
class _Change:
    """What an update does: the mirror's manifest and state, the site's state now, the
    posts that differ and the URLs to render again."""

    manifest: dict
    old: collect.SiteState
    state: collect.SiteState
    read_at: Reading
    changed: set[int]
    urls: set[str]


def _apply(root: Path, change: _Change, base_url: str) -> MirrorWriter:
    """Delete vanished files, then render the change's URLs and write them in place,
    refresh the index and media. A page that fails is skipped, recorded to retry."""
    manifest, old, state, changed = change.manifest, change.old, change.state, change.changed
    wanted = collect.all_urls(state)
    gone = set(collect.all_urls(old)).difference(wanted)
    stale = {collect.file_for(url) for url in gone}
    if stale:  # unless another URL's file is the same (only then map every URL to its file)
        stale -= {collect.file_for(url) for url in wanted}
    writer = MirrorWriter(root, manifest["files"])
    renderer = Renderer(base_url)
    pages = []
    unwritten = []  # skipped pages' files: removed, so nginx asks the live server
    with remembering():
        for url in sorted(change.urls & set(wanted)):
            try:
                pages.append((url, collect.file_for(url), renderer.page(url)))
            except PAGE_ERRORS as error:
                writer.skip(url, error)
                with contextlib.suppress(ValueError):
                    unwritten.append(collect.file_for(url))
    if changed:  # the index's head and the shards of the changed posts
        for name, body in index_files(state, changed).items():
            if body is None:
                stale.add(name)
            else:
                pages.append((f"/{name}", name, body))
    if shared.enabled():
        pages.append((shared.SIDEBAR_URL, shared.SIDEBAR_FILE, shared.sidebar_bytes()))
    files = dict(manifest["files"])
    try:
        for name in sorted(stale):  # first: a post taken down leaves whatever else fails
            writer.delete(name)
            files.pop(name, None)
        for url, name, body in pages:
            try:
                writer.put(name, body)
            except PAGE_ERRORS as error:
                writer.skip(url, error)
                unwritten.append(name)
        for name in unwritten:
            writer.delete(name)
            files.pop(name, None)
        copy_tree(Path(settings.MEDIA_ROOT), writer, settings.MEDIA_URL.strip("/"))
    except BaseException:
        # Keep the old state (the next update retries) but record what is on disk now.
        save_manifest(root, {**manifest, "files": {**files, **writer.hashes}})
        raise
    manifest = manifest_for(state, {**files, **writer.hashes}, writer.failed, change.read_at)
    _written[root] = (save_manifest(root, manifest), manifest, state)
    _reads[root] = manifest
    return writer


PAUSED_UP_TO = 100  # pages: a bigger update is mostly rendering, which leaves cycles


@contextlib.contextmanager
def _collector_paused(pause: bool = True) -> Iterator[None]:
    """No cyclic garbage collection while an update works out and writes a small change:
    the containers of two 10,000-post states are what its collections would scan, again
    and again, to free nothing (a seventh of an update). Reference counting frees the
    states; the few cycles a page render leaves wait for the collector, which resumes
    after. Never around a full build, and left alone if something else turned it off."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# The manifest each mirror had when this process last read the state for it: an update
# that finds the same one knows its posts as this process remembers them (collect).
_reads: dict[Path, dict] = {}


def _read_at(manifest: dict) -> Reading | None:
    """The content version the manifest's state was read at, if it was read in the zones
    of this process (its archive months depend on them); None for a manifest without one."""
    try:
        stored = manifest["read_at"]
        if stored["zones"] != collect.zones_key():
            return None
        return Reading.from_json(stored["version"])
    except (KeyError, TypeError, ValueError):
        return None


def _read_state(root: Path, manifest: dict, old: collect.SiteState,
                base_url: str) -> tuple[collect.SiteState, Reading]:  # fmt: skip
    """The site's state now, and the version it was read at. When every change since the
    version the mirror's state was read at (whichever process read it) was this process's
    own (siteexport.ledger: each bump's number heard, with the posts it changed), only
    those posts are read, and any whose publish time came since (newer than the version's
    old horizon); else the whole state. So a command that adds one post (`post add`,
    `clip`) updates a big mirror without reading every post."""
    heard = ledger.take()
    now = timezone.now()
    version = read_version(now)
    last = _read_at(manifest)
    state = None
    if last is not None and _moved_on(last, version):
        changed = ledger.posts_between(heard, last.counter, version.counter)
        if changed is not None and version.horizon != last.horizon:
            # Posts whose time came since, by the clock alone: newer than the old horizon.
            due = Post.objects.visible(now)
            if last.horizon is not None:
                due = due.filter(published_at__gt=last.horizon)
            changed.update(due.values_list("id", flat=True))
        if changed is not None:
            fresh = _reads.get(root) is not manifest  # another process's read, or none here
            state = collect.load_state_narrow(old, changed, base_url, fresh=fresh)
    if state is None:
        state = collect.load_state(base_url)
    return state, version


def _moved_on(last: Reading, now: Reading) -> bool:
    """Whether the version only went forward since `last` (a restored backup may bring
    the counter back, or the same counter with another time)."""
    if now.counter == last.counter:
        return now.changed_at == last.changed_at
    return now.counter > last.counter


def _change(root: Path, base_url: str) -> _Change | None:
    """What an update has to do, or None when it must be a full build."""
    manifest, old = _stored(root)
    if manifest is None or old is None:
        return None
    state, read_at = _read_state(root, manifest, old, base_url)
    changed = _changed_ids(old, state)
    urls = _affected(old, state, changed)
    if urls is None:
        return None
    urls |= set(manifest.get("retry") or ())  # pages skipped last time
    return _Change(manifest, old, state, read_at, changed, urls)


@functools.cache
def static_collected() -> None:
    """Pages name static files by the collected manifest's hashed names. `dateline export`
    and `serve` collect them first; an update that must build the whole mirror may be the
    first thing a command does on a fresh data folder (`post add` with the mirror set), so
    it collects them too, once per process (siteexport.hooks asks before the update runs:
    collecting uses threads, which an interpreter that is exiting refuses)."""
    call_command("collectstatic", interactive=False, verbosity=0)


def update_site(root: Path, base_url: str | None = None, workers: int = 1) -> BuildReport:
    """Bring the mirror up to date: incrementally when possible, else a full build."""
    root = Path(root).resolve()
    base_url = base_url or default_base_url()
    started = time.monotonic()
    with locked(root), applied():  # the blog's stored zone and language, as a request has
        with _collector_paused():
            change = _change(root, base_url)
        if change is None:
            static_collected()
            return build_unlocked(root, base_url, workers)
        with _collector_paused(len(change.urls) <= PAUSED_UP_TO):
            writer = _apply(root, change, base_url)
    return BuildReport(full=False, urls=len(change.urls), files=len(writer.hashes),
                       changed=writer.changed, seconds=time.monotonic() - started,
                       failed=writer.failed)  # fmt: skip


def describe(report: BuildReport) -> str:
    kind = "full build" if report.full else "update"
    return json.dumps({"kind": kind, "urls": report.urls, "changed": len(report.changed),
                       "failed": len(report.failed),
                       "seconds": round(report.seconds, 3)})  # fmt: skip
