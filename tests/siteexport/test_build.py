"""A full build: every public URL as a file, the same bytes the live site answers."""

import json

from django.test import Client
from django.utils.encoding import iri_to_uri

from dateline.posts import preload, selectors
from dateline.siteexport import build, collect, render, searchindex, shared, shown
from dateline.siteexport.build import build_site
from dateline.siteexport.render import RenderError, for_mirror
from dateline.siteexport.write import MANIFEST
from tests.siteexport.conftest import BASE_URL, mirrored_urls


def test_the_mirror_holds_every_public_page_in_the_layout_nginx_serves(mirror, blog):
    files = set(mirrored_urls(mirror).values())
    ferry = blog["ferry"].path.lstrip("/")
    assert {"index.html", "page/2/index.html", "page/3/index.html", ferry,
            "p/about-this-blog.html", "search/label/North Sea/index.html",
            "search/label/Harbours/page/2/index.html", "feeds/posts/default/index.atom",
            "feeds/posts/default/index.rss", "feeds/posts/default/-/Rail/index.atom",
            "feeds/comments/default/index.atom", "sitemap.xml", "robots.txt"} <= files  # fmt: skip
    year, month = blog["ferry"].published_at.year, blog["ferry"].published_at.month
    assert f"{year}/{month:02d}/index.html" in files
    for name in files:
        assert (mirror / name).is_file(), name
    assert (mirror / "search.html").is_file() and (mirror / "static/dateline/site.css").is_file()
    assert "Unfinished draft" not in (mirror / "index.html").read_text()


def test_mirrored_files_are_byte_for_byte_the_live_responses(mirror, blog):
    client = Client()
    for url, name in mirrored_urls(mirror).items():
        live = client.get(iri_to_uri(url))
        assert live.status_code == 200, url
        expected = live.content
        if live["Content-Type"].startswith("text/html"):
            expected = for_mirror(expected, url.split("?")[0])
        assert shared.served(mirror, name) == expected, url


def test_the_comment_form_carries_no_token_but_the_script_that_fetches_one(mirror, blog):
    page = (mirror / blog["ferry"].path.lstrip("/")).read_text()
    assert 'name="csrfmiddlewaretoken" value=""' in page
    assert 'name="started" value=""' in page
    assert (
        '<script src="/static/siteexport/comment-form.js" '
        'data-reader-fields="csrfmiddlewaretoken started" defer></script>'
    ) in page
    assert f'href="{blog["ferry"].path}?comment-form#comment-form"' in page
    assert "<script>" not in page  # CSP: script-src 'self', files only


def index_entries(root) -> list[dict]:
    """The search index's entries in its order, gathered from its shards as search.js does."""
    head = json.loads((root / "search-index.json").read_text())
    by_id = {entry["i"]: entry for url in head["shards"]
             for entry in json.loads((root / url.lstrip("/")).read_text())}  # fmt: skip
    assert set(by_id) == set(head["order"])
    return [by_id[pk] for pk in head["order"]]


def test_the_search_index_lists_every_visible_post_and_page(mirror, blog):
    entries = index_entries(mirror)
    titles = {entry["t"] for entry in entries}
    assert len(entries) == 6 and "About this blog" in titles
    assert entries[0]["u"] == blog["ferry"].path and entries[-1]["u"] == blog["about"].path
    assert "Unfinished draft about tides" not in titles
    ferry = next(entry for entry in entries if entry["u"] == blog["ferry"].path)
    assert ferry["l"] == ["Harbours", "North Sea"] and "two sailings" in ferry["x"]
    search_page = (mirror / "search.html").read_text()
    assert '<script src="/static/siteexport/search.js" defer></script>' in search_page


def test_a_second_build_rewrites_nothing_and_keeps_modification_times(mirror):
    before = {path: path.stat().st_mtime_ns for path in mirror.rglob("*") if path.is_file()}
    report = build_site(mirror, BASE_URL)
    assert report.changed == []
    after = {path: path.stat().st_mtime_ns for path in mirror.rglob("*") if path.is_file()}
    del before[mirror / MANIFEST], after[mirror / MANIFEST]
    assert after == before


def test_a_failing_page_is_skipped_and_reported_and_the_rest_is_built(mirror, blog, monkeypatch):
    """One bad page once stopped every build, so an unpublished post stayed public."""
    blog["ferry"].title = "Ferry timetable grows again"
    blog["ferry"].save()
    blog["lighthouse"].status = "draft"
    blog["lighthouse"].save()
    night = blog["night"].path
    real_page = render.Renderer.page

    def failing(self, url: str) -> bytes:
        if url == night:
            raise RenderError(f"{url} answered 500")
        return real_page(self, url)

    monkeypatch.setattr(render.Renderer, "page", failing)
    report = build_site(mirror, BASE_URL)
    assert report.failed == {night: f"{night} answered 500"}
    assert not (mirror / night.lstrip("/")).exists()  # nginx asks the live server
    assert not (mirror / blog["lighthouse"].path.lstrip("/")).exists()
    assert "Ferry timetable grows again" in (mirror / "index.html").read_text()
    assert json.loads((mirror / MANIFEST).read_text())["retry"] == [night]
    assert not [p for p in mirror.parent.iterdir() if ".build-" in p.name]


def test_labels_that_cannot_be_folders_stay_on_the_live_site():
    assert collect.mirrorable_label("North Sea") and collect.mirrorable_label("Zürich")
    assert not collect.mirrorable_label("AC/DC") and not collect.mirrorable_label("..")


def test_urls_map_to_the_files_nginx_looks_for():
    assert collect.file_for("/") == "index.html"
    assert collect.file_for("/?page=3") == "page/3/index.html"
    assert collect.file_for("/2007/07/slug.html") == "2007/07/slug.html"
    assert collect.file_for("/2007/") == "2007/index.html"
    assert collect.file_for("/search/label/North%20Sea?page=2") == (
        "search/label/North Sea/page/2/index.html"
    )
    assert collect.file_for("/feeds/posts/default?alt=rss") == "feeds/posts/default/index.rss"
    label_feed = "feeds/posts/default/-/Iran/index.atom"
    assert collect.file_for("/feeds/posts/default/-/Iran") == label_feed


def test_every_file_is_readable_by_the_web_server_whatever_the_umask(tmp_path, blog):
    import os

    previous = os.umask(0o077)
    try:
        build_site(tmp_path / "site", BASE_URL)
    finally:
        os.umask(previous)
    files = [path for path in (tmp_path / "site").rglob("*") if path.is_file()]
    assert len(files) > 20
    for path in files:
        assert path.stat().st_mode & 0o444 == 0o444, path


def _files(root) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}  # fmt: skip


def test_a_build_on_two_workers_writes_what_one_process_writes(
    transactional_db, blog, tmp_path, monkeypatch
):
    """Forked workers (committed data: each opens its own connection), small jobs, the
    parent writing static files meanwhile, listing articles kept per build: same files."""
    from dateline.siteexport import build

    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "MIN_CHUNK", 2)  # a dozen jobs or more
    single = build_site(tmp_path / "one", BASE_URL, workers=1)
    double = build_site(tmp_path / "two", BASE_URL, workers=2)
    assert double.urls == single.urls >= 30
    assert sorted(double.changed) == sorted(single.changed)
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    # The manifest lists the same files (in the order the workers finished).
    assert json.loads(two.pop(MANIFEST)) == json.loads(one.pop(MANIFEST))
    assert two == one


def test_the_search_index_is_split_by_id_range_into_shards(tmp_path, blog, monkeypatch):
    monkeypatch.setattr(searchindex, "SHARD_IDS", 2)
    root = tmp_path / "mirror"
    build_site(root, BASE_URL)
    head = json.loads((root / "search-index.json").read_text())
    visible = sorted(post.pk for post in blog.values())
    shards = sorted({pk // 2 for pk in visible})
    assert len(shards) > 1 and head["shards"] == [f"/search-index/{n}.json" for n in shards]
    for number in shards:
        shard = json.loads((root / f"search-index/{number}.json").read_text())
        assert [entry["i"] for entry in shard] == [pk for pk in visible if pk // 2 == number]
    assert [entry["u"] for entry in index_entries(root)] == [
        post.path for post in sorted(blog.values(), key=lambda post: (
            post.kind != "post", -post.published_at.timestamp(), -post.pk))]  # fmt: skip


def test_a_full_build_writes_the_search_index_shard_by_shard_and_keeps_no_entry(tmp_path, blog):
    """On a big blog the entries are tens of megabytes: a full build writes each shard as
    it comes and keeps none (an update reads the few it needs)."""
    searchindex._kept.clear()
    build_site(tmp_path / "site", BASE_URL)
    assert len(index_entries(tmp_path / "site")) == 6
    assert searchindex._kept == {}


def test_each_chunk_reads_only_the_posts_its_pages_show_and_its_pages_read_no_other(
    tmp_path, blog, monkeypatch
):
    """No process of a build holds every post (at 100,000 posts they were most of its
    memory): each chunk of pages reads the posts they show (siteexport.shown), and every
    page finds its posts there, never reading one of its own."""
    monkeypatch.setattr(build, "CHUNK", 3)
    monkeypatch.setattr(build, "MIN_CHUNK", 3)
    chunks: list[set[int] | None] = []
    real_read = preload.read

    def noting(ids=None, framed=None):
        chunks.append(None if ids is None else set(ids))
        return real_read(ids, framed)

    monkeypatch.setattr(preload, "read", noting)
    own_reads = []
    for name in ("_listing_rows_query", "_post_at_query", "_neighbours_query"):
        real = getattr(selectors, name)

        def reading(*args, real=real, name=name):
            own_reads.append(name)
            return real(*args)

        monkeypatch.setattr(selectors, name, reading)
    build_site(tmp_path / "site", BASE_URL)
    visible = {post.pk for post in blog.values()}
    assert len(chunks) > 5 and None not in chunks
    assert all(ids < visible for ids in chunks)
    assert set().union(*chunks) == visible
    assert own_reads == []


def test_listing_pages_are_rendered_by_the_newest_post_they_show_so_a_chunk_reads_each_once(
    blog,
):
    """The pages that show the same posts (a post's month, year, home and label pages)
    fall side by side, so the chunk that holds them reads those posts once."""
    state = collect.load_state(BASE_URL)
    urls = collect.all_urls(state)
    ordered = shown.in_reading_order(state, urls)
    assert sorted(ordered) == sorted(urls)
    listings = collect.groups(state)
    pages = [url for url in ordered if url.partition("?")[0] in listings]
    assert ordered[: len(pages)] == pages  # listings first, the rest as they came
    assert ordered[len(pages) :] == [url for url in urls if url not in pages]
    newest = [
        shown.places(state)[listings[url.partition("?")[0]][
            (int(url.partition("=")[2] or 1) - 1) * 2].path]
        for url in pages
    ]  # fmt: skip
    assert newest == sorted(newest) and newest != [newest[0]] * len(newest)

    def reads(order: list[str]) -> int:
        return sum(len(shown.shown_ids(state, order[at : at + 4])) for at in range(0, 40, 4))

    assert reads(ordered) < reads(urls)
