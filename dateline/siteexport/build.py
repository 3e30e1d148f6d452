"""A full build: collect every URL, render it (on every core), write a new directory, swap.

A page that cannot be rendered (it does not answer 200) or written (its name cannot be
a file there) is skipped and reported, never stopping the rest: one bad page once
stopped every build, leaving an unpublished post public on the mirror. Any other
failure (a full disk) removes the new directory and leaves the previous mirror as it was.
"""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from django.utils import timezone

from dateline.core.batching import in_batches
from dateline.core.versioning import Reading, read_version
from dateline.posts import preload
from dateline.serving.fragments import remembering
from dateline.site_settings.current import applied
from dateline.siteexport import collect, shared, shown
from dateline.siteexport.render import Renderer, RenderError, default_base_url
from dateline.siteexport.searchindex import all_index_files
from dateline.siteexport.write import (
    MANIFEST,
    MirrorWriter,
    copy_tree,
    locked,
    new_build_dir,
    read_manifest,
    swap_in,
    write_manifest,
)

# 2: posts stored as arrays with fingerprints of raw values, no URL map (all_urls derives
# it). 3: pages include the sidebar from one shared file (siteexport.shared).
# 4: the search index in shards (siteexport.searchindex). A mirror with an older manifest
# is rebuilt in full on its next update.
MANIFEST_VERSION = 4
CHUNK = 250  # URLs per job at most
CHUNKS_PER_WORKER = 8  # at least, so that no worker idles long while the last job runs
MIN_CHUNK = 25
PARALLEL_FROM = 400  # below this many URLs, forking costs more than it saves


@dataclass
class BuildReport:
    full: bool
    urls: int = 0
    files: int = 0
    changed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failed: dict[str, str] = field(default_factory=dict)  # URL → why it was skipped


# What one page may fail with and be skipped for: it did not answer 200, or its name
# cannot be a file in the mirror (outside it, or where a folder is).
PAGE_ERRORS = (RenderError, ValueError, IsADirectoryError, NotADirectoryError)


def manifest_for(state: collect.SiteState, hashes: dict[str, str],
                 failed: dict[str, str] | None = None,
                 read_at: Reading | None = None) -> dict:  # fmt: skip
    """What the mirror records: the state it shows (an update diffs against it), the
    content version it was read at, under which zones (so that an update in another
    process can tell its own changes since from others': siteexport.ledger), the hash of
    every file (unchanged files are not rewritten) and the pages skipped (the next update
    tries them again)."""
    manifest = {"version": MANIFEST_VERSION, "state": state.to_json(), "files": hashes,
                "retry": sorted(failed or ())}  # fmt: skip
    if read_at is not None:
        manifest["read_at"] = {"version": read_at.to_json(), "zones": collect.zones_key()}
    return manifest


# The state a build renders and the frame its chunks read their posts in (posts.preload):
# set around the rendering, inherited by the forked workers.
_building: ContextVar[tuple[collect.SiteState, preload.Frame] | None] = ContextVar(
    "dateline_building", default=None
)


@contextmanager
def building(state: collect.SiteState, framed: preload.Frame) -> Iterator[None]:
    token = _building.set((state, framed))
    try:
        yield
    finally:
        _building.reset(token)


def render_into(writer: MirrorWriter, urls: list[str], base_url: str) -> None:
    """Render and write one chunk of URLs, the posts they show read first (those only:
    siteexport.shown), so no process of the build holds every post at once."""
    renderer = Renderer(base_url)
    state, framed = _building.get()
    with preload.holding(preload.read(shown.shown_ids(state, urls), framed)):
        for url in urls:
            try:
                writer.put(collect.file_for(url), renderer.page(url))
            except PAGE_ERRORS as error:
                writer.skip(url, error)


def _render_chunk(
    job: tuple[Path, dict, Path | None, list[str], str],
) -> tuple[dict, list, dict]:
    """In a worker process (forked, Django already set up): render and write one chunk."""
    root, known, previous, urls, base_url = job
    writer = MirrorWriter(root, known, previous, fresh=True)
    render_into(writer, urls, base_url)
    return writer.hashes, writer.changed, writer.failed


def _chunks(urls: list[str], workers: int) -> list[list[str]]:
    """Jobs of at most CHUNK URLs, at least CHUNKS_PER_WORKER per worker."""
    size = max(MIN_CHUNK, min(CHUNK, -(-len(urls) // (max(workers, 1) * CHUNKS_PER_WORKER))))
    return list(in_batches(urls, size))


def render_all(
    writer: MirrorWriter,
    urls: list[str],
    base_url: str,
    workers: int,
    meanwhile: Callable[[], None] = lambda: None,
) -> None:
    """Render on `workers` processes; each writes its own files, the parent merges hashes.

    The parent runs `meanwhile` (the static files and search index) while the workers
    render: done after them, it was a tenth of a 1,000-post build with one core idle. Jobs
    are small enough that the last one keeps no core waiting long. (Rendering one page of
    each kind in the parent before forking, so the workers would inherit compiled
    templates, saved CPU but lost wall time: that part ran on one core.)
    """
    if workers <= 1 or len(urls) < PARALLEL_FROM:
        for chunk in _chunks(urls, 1):
            render_into(writer, chunk, base_url)
        meanwhile()
        return
    jobs = [(writer.root, _known_for(writer, chunk), writer.previous, chunk, base_url)
            for chunk in _chunks(urls, workers)]  # fmt: skip
    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    # What the children inherit (Django, the site's state) is never garbage: frozen, their
    # collections skip it, and do not touch (and so copy) its memory pages.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            # Submits every job; with fork, every worker starts here too, before the
            # parent opens a connection again in `meanwhile`.
            rendered = pool.map(_render_chunk, jobs)
            meanwhile()
            for hashes, changed, failed in rendered:
                writer.hashes.update(hashes)
                writer.changed.extend(changed)
                writer.failed.update(failed)
    finally:
        gc.unfreeze()


def _known_for(writer: MirrorWriter, urls: list[str]) -> dict[str, str]:
    files = (collect.file_for(url) for url in urls)
    return {name: writer.known[name] for name in files if name in writer.known}


def static_source() -> list[tuple[str, Path]]:
    """Collected static files when there are any (hashed names), else the apps' own."""
    root = Path(settings.STATIC_ROOT) if settings.STATIC_ROOT else None
    if root and root.is_dir() and any(root.iterdir()):
        return [(path.relative_to(root).as_posix(), path) for path in root.rglob("*")
                if path.is_file()]  # fmt: skip
    found: dict[str, Path] = {}
    for finder in finders.get_finders():
        for relative, storage in finder.list(["CVS", ".*", "*~"]):
            found.setdefault(relative.replace("\\", "/"), Path(storage.path(relative)))
    return sorted(found.items())


def write_assets(writer: MirrorWriter, state: collect.SiteState, base_url: str) -> None:
    """The shared sidebar, search page and index, static files and media."""
    if shared.enabled():
        writer.put(shared.SIDEBAR_FILE, shared.sidebar_bytes())
    writer.put(collect.SEARCH_PAGE.lstrip("/"), Renderer(base_url).search_page())
    for name, body in all_index_files(state):
        writer.put(name, body)
    prefix = settings.STATIC_URL.strip("/")
    for relative, path in static_source():
        name = f"{prefix}/{relative}"
        if not writer.same_copy(name, path):
            writer.put(name, path.read_bytes())
    copy_tree(Path(settings.MEDIA_ROOT), writer, settings.MEDIA_URL.strip("/"))


def build_unlocked(root: Path, base_url: str, workers: int) -> BuildReport:
    started = time.monotonic()
    known = (read_manifest(root) or {}).get("files", {})  # its state is not held: unused
    read_at = read_version(timezone.now())  # before the state: a change between is read again
    state = collect.load_state(base_url)
    # Listing pages that show the same posts side by side; each post's place worked out
    # once, before the workers fork.
    urls = shown.in_reading_order(state, collect.all_urls(state))
    build = new_build_dir(root)
    previous = root if root.is_dir() else None
    try:
        writer = MirrorWriter(build, known, previous, fresh=True)
        # Each chunk's posts read once, by the process that renders it, and each listing
        # article rendered once per process; the workers inherit the frame and the state.
        with remembering(), building(state, preload.frame()):
            render_all(writer, urls, base_url, workers,
                       meanwhile=lambda: write_assets(writer, state, base_url))  # fmt: skip
        write_manifest(build, manifest_for(state, writer.hashes, writer.failed, read_at))
        swap_in(build, root)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return BuildReport(full=True, urls=len(urls), files=len(writer.hashes),
                       changed=writer.changed, seconds=time.monotonic() - started,
                       failed=writer.failed)  # fmt: skip


def build_site(root: Path, base_url: str | None = None, workers: int = 1) -> BuildReport:
    """`dateline export --format site DIR`: the whole public site as files."""
    root = Path(root).resolve()
    with locked(root), applied():  # the blog's stored zone and language, as a request has
        return build_unlocked(root, base_url or default_base_url(), workers)


__all__ = ["MANIFEST", "BuildReport", "build_site", "build_unlocked"]
