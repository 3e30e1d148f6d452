"""Updates after a change rewrite only the files that show it, and stay exact."""

import gc
import hashlib
import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils.encoding import iri_to_uri

from dateline.comments.models import Comment
from dateline.core.versioning import bump_version
from dateline.siteexport import collect, hooks, incremental, searchindex, shared
from dateline.siteexport.build import MANIFEST_VERSION, build_site
from dateline.siteexport.incremental import update_site
from dateline.siteexport.render import for_mirror
from dateline.siteexport.write import MANIFEST
from tests.siteexport.conftest import BASE_URL, mirrored_urls, stored_state


def fingerprints(root: Path) -> dict[str, tuple[int, str]]:
    return {path.relative_to(root).as_posix(): (path.stat().st_mtime_ns,
            hashlib.sha256(path.read_bytes()).hexdigest())
            for path in root.rglob("*") if path.is_file() and path.name != MANIFEST}  # fmt: skip


def changed_files(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


ASSETS = ("static/", "media/", "search.html", "search-index", shared.SIDEBAR_FILE)


def assert_mirror_matches_live(root: Path) -> None:
    """The manifest records the site as it is now, every URL's file holds the live bytes,
    and no other page file is left behind."""
    assert stored_state(root) == collect.load_state(BASE_URL)
    client = Client()
    urls = mirrored_urls(root)
    for url, name in urls.items():
        live = client.get(iri_to_uri(url))
        expected = live.content
        if live["Content-Type"].startswith("text/html"):
            expected = for_mirror(expected, url.split("?")[0])
        assert shared.served(root, name) == expected, url
    on_disk = {path.relative_to(root).as_posix() for path in root.rglob("*")
               if path.is_file() and path.name != MANIFEST}  # fmt: skip
    pages = {name for name in on_disk if not name.startswith(ASSETS)}
    assert pages == set(urls.values())


def test_editing_one_post_rewrites_only_the_pages_that_show_it(mirror, blog):
    before = fingerprints(mirror)
    storm = blog["storm"]  # third newest: home page 2, labels Harbours and Weather
    storm.body_source = "Waves topped five metres on Tuesday; the wall still held."
    storm.save()
    report = update_site(mirror, BASE_URL)
    assert not report.full
    changed = changed_files(before, fingerprints(mirror))
    assert {storm.path.lstrip("/"), "page/2/index.html", "search/label/Weather/index.html",
            "feeds/posts/default/index.atom",
            searchindex.shard_file(searchindex.shard_of(storm.pk))} <= changed  # fmt: skip
    untouched = {"index.html", "page/3/index.html", "p/about-this-blog.html", "robots.txt",
                 "search/label/Rail/index.html", "search/label/North Sea/index.html",
                 "feeds/posts/default/-/Rail/index.atom", "search.html",
                 "static/dateline/site.css"}  # fmt: skip
    untouched |= {blog[key].path.lstrip("/") for key in ("ferry", "night", "lighthouse", "café")}
    assert changed & untouched == set()
    assert len(changed) <= 16
    assert "five metres" in (mirror / storm.path.lstrip("/")).read_text()
    assert_mirror_matches_live(mirror)


def test_an_approved_comment_updates_its_post_and_the_comments_feed(mirror, blog):
    from django.utils import timezone

    before = fingerprints(mirror)
    Comment.objects.create(post=blog["night"], author_name="Ola", body="Booked already.",
                           created_at=timezone.now(), status=Comment.Status.APPROVED)  # fmt: skip
    update_site(mirror, BASE_URL)
    changed = changed_files(before, fingerprints(mirror))
    assert blog["night"].path.lstrip("/") in changed
    assert "feeds/comments/default/index.atom" in changed
    assert "index.html" in changed  # the home page shows "1 comment" under the post
    assert "p/about-this-blog.html" not in changed
    assert_mirror_matches_live(mirror)


def test_unpublishing_a_post_deletes_its_file_and_relinks_its_neighbours(mirror, blog):
    lighthouse = blog["lighthouse"]
    lighthouse.status = lighthouse.Status.DRAFT
    lighthouse.save()
    update_site(mirror, BASE_URL)
    assert not (mirror / lighthouse.path.lstrip("/")).exists()
    assert lighthouse.path not in (mirror / blog["storm"].path.lstrip("/")).read_text()
    assert_mirror_matches_live(mirror)


def test_a_new_label_rewrites_the_shared_sidebar_not_every_page(mirror, blog):
    from dateline.posts.models import Label

    before = fingerprints(mirror)
    blog["ferry"].labels.add(Label.objects.create(name="Islands"))
    report = update_site(mirror, BASE_URL)
    assert not report.full
    changed = changed_files(before, fingerprints(mirror))
    assert {shared.SIDEBAR_FILE, "search/label/Islands/index.html"} <= changed
    assert {"p/about-this-blog.html", "page/3/index.html", "search/label/Rail/index.html",
            blog["café"].path.lstrip("/")} & changed == set()  # fmt: skip
    assert ">Islands</a> (1)" in (mirror / shared.SIDEBAR_FILE).read_text()
    assert_mirror_matches_live(mirror)


def test_nothing_changed_means_nothing_rewritten(mirror):
    before = fingerprints(mirror)
    report = update_site(mirror, BASE_URL)
    assert report.changed == [] and fingerprints(mirror) == before


@pytest.mark.django_db(transaction=True)
def test_with_the_setting_every_committed_change_updates_the_mirror(tmp_path, settings,
                                                                     monkeypatch):  # fmt: skip
    from dateline.posts.models import Post

    root = tmp_path / "live-mirror"
    settings.DATELINE_STATIC_MIRROR = str(root)
    settings.DATELINE_STATIC_MIRROR_URL = BASE_URL
    monkeypatch.setattr(hooks, "RUN_IN_THREAD", True)
    post = Post.objects.create(title="Tide tables printed again", body_source="Paper returns.",
                               status=Post.Status.PUBLISHED)  # fmt: skip
    hooks.updater.wait()
    assert "Paper returns." in (root / post.path.lstrip("/")).read_text()
    post.body_source = "Paper returns, in large print."
    post.save()
    hooks.updater.wait()
    assert "large print" in (root / post.path.lstrip("/")).read_text()
    assert_mirror_matches_live(root)


def test_the_site_state_survives_its_trip_through_the_manifest(mirror):
    """Posts are stored as arrays; reading them back gives the same state."""
    state = collect.load_state(BASE_URL)
    assert state.posts and state.pages
    stored = json.loads(json.dumps(state.to_json()))
    assert collect.SiteState.from_json(stored) == state
    assert stored_state(mirror) == state


def test_a_mirror_with_an_older_manifest_is_rebuilt_in_full(mirror, blog):
    """Version 1 kept posts as objects, fingerprints of converted values and a URL map."""
    manifest = json.loads((mirror / MANIFEST).read_text())
    state = manifest["state"]
    keys = ("id", "path", "kind", "year", "month", "labels", "fingerprint")
    state["posts"] = [dict(zip(keys, row, strict=True)) for row in state["posts"]]
    state["pages"] = [dict(zip(keys, row, strict=True)) for row in state["pages"]]
    manifest.update(version=1, urls=mirrored_urls(mirror))
    (mirror / MANIFEST).write_text(json.dumps(manifest))
    before = fingerprints(mirror)
    blog["night"].title = "Night trains return, twice a week"
    blog["night"].save()
    report = update_site(mirror, BASE_URL)
    assert report.full
    assert blog["night"].path.lstrip("/") in changed_files(before, fingerprints(mirror))
    assert json.loads((mirror / MANIFEST).read_text())["version"] == MANIFEST_VERSION
    assert_mirror_matches_live(mirror)


DAMAGED = ["{not json", "[2]", '{"version": 2}', '{"version": 2, "state": 7}',
           '{"version": 2, "files": 7}', b"\xff\xfe"]  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGED)
def test_an_unreadable_manifest_means_a_full_build(mirror, damage):
    (mirror / MANIFEST).write_bytes(damage if isinstance(damage, bytes) else damage.encode())
    assert update_site(mirror, BASE_URL).full
    assert_mirror_matches_live(mirror)


def test_a_page_that_fails_is_skipped_reported_and_retried(mirror, blog, monkeypatch):
    """A failing page stops nothing else: the unpublished post still leaves the mirror,
    the failing page's old file goes (nginx then asks the live server), and the next
    update tries it again."""
    from dateline.siteexport import render

    blog["storm"].title = "Storm surge tests the harbour wall again"
    blog["storm"].save()
    blog["lighthouse"].status = "draft"
    blog["lighthouse"].save()
    real_page = render.Renderer.page

    def failing(self, url: str) -> bytes:
        if url == "/sitemap.xml":
            raise render.RenderError(f"{url} answered 500")
        return real_page(self, url)

    monkeypatch.setattr(render.Renderer, "page", failing)
    report = update_site(mirror, BASE_URL)
    assert report.failed == {"/sitemap.xml": "/sitemap.xml answered 500"}
    assert not (mirror / "sitemap.xml").exists()
    assert not (mirror / blog["lighthouse"].path.lstrip("/")).exists()
    assert "harbour wall again" in (mirror / blog["storm"].path.lstrip("/")).read_text()
    assert gc.isenabled()
    monkeypatch.setattr(render.Renderer, "page", real_page)
    report = update_site(mirror, BASE_URL)  # nothing changed since: only the retry
    assert not report.full and report.failed == {} and report.urls == 1
    assert_mirror_matches_live(mirror)


def test_a_page_that_cannot_be_written_is_skipped_not_fatal(mirror, blog):
    """A folder where a post's file must go (or any unwritable name) skips that page."""
    blocked = mirror / blog["storm"].path.lstrip("/")
    blocked.unlink()
    blocked.mkdir()
    (blocked / "keep").write_text("x")
    blog["storm"].title = "Storm surge tests the harbour wall again"
    blog["storm"].save()
    report = update_site(mirror, BASE_URL)
    assert not report.full and set(report.failed) == {blog["storm"].path}
    assert "harbour wall again" in (mirror / "search/label/Weather/index.html").read_text()
    assert (blocked / "keep").exists()


def test_the_mirror_writer_never_writes_outside_its_folder(tmp_path):
    from dateline.siteexport.write import MirrorWriter

    writer = MirrorWriter(tmp_path / "mirror", {})
    for name in ("../escape.html", "/etc/escape.html", "a/../../escape.html", ""):
        with pytest.raises(ValueError, match="not a file name inside the mirror"):
            writer.put(name, b"x")
    assert not (tmp_path / "escape.html").exists()


def test_a_manifest_another_process_wrote_is_read_not_the_one_remembered(mirror, blog):
    """An update remembers the manifest it wrote; another process's write must win."""
    from dateline.posts.models import Post
    from dateline.siteexport import incremental

    blog["ferry"].title = "Ferry timetable shrinks again"
    blog["ferry"].save()
    update_site(mirror, BASE_URL)
    remembered = incremental._written[mirror.resolve()]
    # Meanwhile another process publishes a post and updates the mirror...
    extra = Post.objects.create(title="Harbour master retires", body_source="After forty years.",
                                status=Post.Status.PUBLISHED)  # fmt: skip
    update_site(mirror, BASE_URL)
    assert (mirror / extra.path.lstrip("/")).is_file()
    incremental._written[mirror.resolve()] = remembered  # ...so this process knows only its own
    extra.status = Post.Status.DRAFT
    extra.save()
    update_site(mirror, BASE_URL)
    assert not (mirror / extra.path.lstrip("/")).exists()
    assert_mirror_matches_live(mirror)


def test_the_garbage_collector_is_paused_for_an_update_only(mirror, blog, monkeypatch):
    """A full build renders every page: the cycles renders leave must be collected."""
    from dateline.site_settings.models import BlogSettings
    from dateline.siteexport import incremental

    during_build = []
    real_build = incremental.build_unlocked

    def build_and_note(*args, **kwargs):
        during_build.append(gc.isenabled())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(incremental, "build_unlocked", build_and_note)
    blog["night"].body_source = "Sleeper carriages run again, now nightly."
    blog["night"].save()
    assert not update_site(mirror, BASE_URL).full and gc.isenabled()
    BlogSettings.objects.create(title="Tide Tables")  # on every page: a full build
    assert update_site(mirror, BASE_URL).full
    assert during_build == [True] and gc.isenabled()
    assert_mirror_matches_live(mirror)


def test_deleting_a_post_removes_its_file_and_every_listing_page_it_emptied(mirror, blog):
    café = blog["café"]  # the oldest post, alone on home page 3
    path = café.path.lstrip("/")
    café.delete()
    update_site(mirror, BASE_URL)
    assert not (mirror / path).exists() and not (mirror / "page/3/index.html").exists()
    assert_mirror_matches_live(mirror)  # and no other page file is left behind


def test_a_scheduled_post_is_mirrored_once_its_time_has_come(mirror, blog):
    from datetime import timedelta

    from django.utils import timezone

    from dateline.posts.models import Post

    soon = Post.objects.create(title="Lifeboat day on the quay", body_source="Stalls and a parade.",
                               status=Post.Status.PUBLISHED,
                               published_at=timezone.now() + timedelta(days=1))  # fmt: skip
    update_site(mirror, BASE_URL)
    assert not (mirror / soon.path.lstrip("/")).exists()
    assert "Lifeboat day" not in (mirror / "index.html").read_text()
    # The day passes: no save, no signal, only the clock (moved here by the row's time).
    Post.objects.filter(pk=soon.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    update_site(mirror, BASE_URL)
    assert "Stalls and a parade." in (mirror / soon.path.lstrip("/")).read_text()
    assert "Lifeboat day" in (mirror / "index.html").read_text()
    assert_mirror_matches_live(mirror)


def test_the_last_approved_comment_going_takes_the_comments_feed_file_with_it(mirror, blog):
    """The comments feed stays live while there are no comments (an empty feed's date is
    the time it is fetched): an update deletes its files, with no full build."""
    assert (mirror / "feeds/comments/default/index.atom").is_file()
    Comment.objects.update(status=Comment.Status.SPAM)
    bump_version()  # as another process's write does: a bump this one did not hear
    report = update_site(mirror, BASE_URL)
    assert not report.full
    assert "feeds/comments/default/index.atom" in report.changed
    assert not (mirror / "feeds/comments/default/index.atom").exists()
    assert not (mirror / "feeds/comments/default/index.rss").exists()
    assert_mirror_matches_live(mirror)


def files_of(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in root.rglob("*") if path.is_file() and path.name != MANIFEST}  # fmt: skip


@pytest.mark.parametrize("shard_ids", [searchindex.SHARD_IDS, 2])
def test_publish_edit_and_unpublish_by_updates_give_the_files_a_full_build_gives(
    blog, tmp_path, monkeypatch, shard_ids
):
    from dateline.posts.models import Label, Post

    monkeypatch.setattr(searchindex, "SHARD_IDS", shard_ids)
    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)

    post = Post.objects.create(title="Pilot boat gets a new engine", body_source="Quieter now.",
                               status=Post.Status.PUBLISHED)  # fmt: skip
    post.labels.add(Label.objects.get(name="Rail"), Label.objects.create(name="Boats"))
    update_site(mirror, BASE_URL)
    blog["night"].title = "Night trains return to the coast line for good"
    blog["night"].save()
    update_site(mirror, BASE_URL)
    blog["lighthouse"].status = Post.Status.DRAFT
    blog["lighthouse"].save()
    assert not update_site(mirror, BASE_URL).full
    fresh = tmp_path / "fresh"
    build_site(fresh, BASE_URL)
    assert files_of(mirror) == files_of(fresh)
    assert ">Boats</a> (1)" in (mirror / shared.SIDEBAR_FILE).read_text()
    assert ">Harbours</a> (3)" in (mirror / shared.SIDEBAR_FILE).read_text()


def test_a_change_low_in_a_listing_rewrites_its_pages_from_there_on_only(mirror, blog):
    before = fingerprints(mirror)
    blog["lighthouse"].status = blog["lighthouse"].Status.DRAFT  # fourth: home page 2
    blog["lighthouse"].save()
    update_site(mirror, BASE_URL)
    changed = changed_files(before, fingerprints(mirror))
    assert {"page/2/index.html", "page/3/index.html", shared.SIDEBAR_FILE} <= changed
    assert "index.html" not in changed  # page 1 shows what it showed; its sidebar is shared
    assert_mirror_matches_live(mirror)


def test_only_the_first_pages_of_a_listing_are_mirrored_and_a_publish_rewrites_those(
    tmp_path, blog, settings
):
    from dateline.posts.models import Post

    settings.DATELINE_STATIC_MIRROR_PAGES = 2
    root = tmp_path / "mirror"
    build_site(root, BASE_URL)
    assert (root / "page/2/index.html").is_file() and not (root / "page/3").exists()
    Post.objects.create(title="Harbour crane returns", body_source="Lifting again.",
                        status=Post.Status.PUBLISHED)  # fmt: skip
    report = update_site(root, BASE_URL)
    assert not report.full and not (root / "page/3").exists()
    assert {"index.html", "page/2/index.html"} <= set(report.changed)
    assert_mirror_matches_live(root)


def test_without_ssi_every_page_embeds_the_sidebar_and_a_change_to_it_rebuilds(
    tmp_path, blog, settings
):
    from dateline.posts.models import Label

    settings.DATELINE_STATIC_MIRROR_SSI = False
    root = tmp_path / "mirror"
    build_site(root, BASE_URL)
    assert not (root / shared.SIDEBAR_FILE).exists()
    home = (root / "index.html").read_text()
    assert "<!--#" not in home and ">Harbours</a> (4)" in home
    blog["ferry"].labels.add(Label.objects.create(name="Islands"))
    assert update_site(root, BASE_URL).full
    assert ">Islands</a> (1)" in (root / blog["about"].path.lstrip("/")).read_text()
    assert_mirror_matches_live(root)


def test_a_page_holding_an_ssi_command_of_its_own_stays_on_the_live_site(mirror, blog):
    """Stored HTML loses its comments; one written around that must not reach nginx's SSI."""
    from dateline.posts.models import Post

    ferry = blog["ferry"]
    Post.objects.filter(pk=ferry.pk).update(
        body_html='<p>Hi</p><!--# include virtual="/desk/" -->', title="Ferry timetable, again"
    )
    bump_version()  # as another process's write does: a bump this one did not hear
    report = update_site(mirror, BASE_URL)
    assert ferry.path in report.failed
    assert not (mirror / ferry.path.lstrip("/")).exists()
    for path in mirror.rglob("*.html"):
        assert not shared.foreign_directive(path.read_bytes()), path


def test_a_change_rewrites_the_search_index_shard_of_its_post_only(tmp_path, blog, monkeypatch):
    monkeypatch.setattr(searchindex, "SHARD_IDS", 2)
    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)
    before = fingerprints(mirror)
    storm = blog["storm"]
    storm.title = "Storm surge tests the new harbour wall twice"
    storm.save()
    update_site(mirror, BASE_URL)
    changed = {name for name in changed_files(before, fingerprints(mirror))
               if name.startswith("search-index")}  # fmt: skip
    assert changed == {f"search-index/{storm.pk // 2}.json"}  # the head's order held still
    assert "twice" in (mirror / f"search-index/{storm.pk // 2}.json").read_text()
    # A shard whose posts all went is removed, and the head no longer names it.
    for post in blog.values():
        if post.pk // 2 == storm.pk // 2:
            post.status = post.Status.DRAFT
            post.save()
    update_site(mirror, BASE_URL)
    assert not (mirror / f"search-index/{storm.pk // 2}.json").exists()
    head = json.loads((mirror / "search-index.json").read_text())
    assert f"/search-index/{storm.pk // 2}.json" not in head["shards"]
    assert storm.pk not in head["order"] and len(head["order"]) >= 3
    assert_mirror_matches_live(mirror)


def count_whole_reads(monkeypatch) -> list[int]:
    """From here on, a 1 for each whole read of the site's state (each still done)."""
    found: list[int] = []
    read_whole = collect.load_state
    monkeypatch.setattr(collect, "load_state", lambda base: found.append(1) or
                        read_whole(base))  # fmt: skip
    return found


def test_an_update_after_this_process_s_own_writes_reads_only_their_posts(
    blog, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db.models import F
    from django.utils import timezone

    from dateline.core.models import ContentVersion
    from dateline.posts.models import Label, Post

    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)
    update_site(mirror, BASE_URL)  # the state this process read, with the version's counter
    whole_reads = count_whole_reads(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        post = Post.objects.create(title="Pilot boat gets a new engine", status="published",
                                   body_source="Quieter now.")  # fmt: skip
        post.labels.add(Label.objects.get(name="Rail"))
        blog["lighthouse"].status = Post.Status.DRAFT
        blog["lighthouse"].save()
        Comment.objects.create(post=blog["night"], author_name="Ola", body="Booked.",
                               created_at=timezone.now(),
                               status=Comment.Status.APPROVED)  # fmt: skip
    assert not update_site(mirror, BASE_URL).full
    assert whole_reads == []
    build_site(tmp_path / "fresh", BASE_URL)
    assert files_of(mirror) == files_of(tmp_path / "fresh")
    whole_reads.clear()
    with django_capture_on_commit_callbacks(execute=True):
        blog["night"].title = "Night trains return for good"
        blog["night"].save()
    bump_version()  # a write this process did not hear: another process's
    update_site(mirror, BASE_URL)
    assert whole_reads == [1]
    assert_mirror_matches_live(mirror)
    # A restored backup brings the counter back: everything is read again.
    whole_reads.clear()  # (the check above read the whole state too)
    with django_capture_on_commit_callbacks(execute=True):
        blog["storm"].title = "Storm surge tests the wall"
        blog["storm"].save()
    ContentVersion.objects.update(version=F("version") - 3)
    update_site(mirror, BASE_URL)
    assert whole_reads == [1]
    assert_mirror_matches_live(mirror)


def forget_this_process() -> None:
    """What a fresh process (a `post add` command) starts with: no manifest, state, post
    rows or search entries remembered from earlier reads and writes."""
    incremental._written.clear()
    incremental._reads.clear()
    collect._last_read = ((), {})
    searchindex._kept.clear()


def test_a_fresh_process_reads_only_the_posts_it_changed_since_the_mirror_was_read(
    blog, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from dateline.posts.models import Label, Post

    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)  # the manifest records the version its state was read at
    whole_reads = count_whole_reads(monkeypatch)
    forget_this_process()
    with django_capture_on_commit_callbacks(execute=True):
        post = Post.objects.create(title="Pilot boat gets a new engine", status="published",
                                   body_source="Quieter now.")  # fmt: skip
        post.labels.add(Label.objects.get(name="Rail"))
    assert not update_site(mirror, BASE_URL).full
    forget_this_process()  # and another command, after the first one's update
    with django_capture_on_commit_callbacks(execute=True):
        blog["ferry"].published_at = blog["storm"].published_at  # same time, another id
        blog["ferry"].save()
        blog["lighthouse"].status = Post.Status.DRAFT
        blog["lighthouse"].save()
    assert not update_site(mirror, BASE_URL).full
    assert whole_reads == []
    build_site(tmp_path / "fresh", BASE_URL)
    assert files_of(mirror) == files_of(tmp_path / "fresh")
    monkeypatch.undo()
    assert_mirror_matches_live(mirror)


def test_an_import_reads_only_its_posts_and_those_sharing_their_sources(
    blog, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from dateline.interchange.import_file import import_file
    from dateline.posts.models import Post

    story = tmp_path / "export" / "pilot-boat.md"
    story.parent.mkdir()

    def imported(publisher: str) -> Post:
        story.write_text("---\ntitle: Pilot boat gets a new engine\nstatus: published\n"
                         "source_url: https://gazette.example/pilot\n"
                         f"source_name: {publisher}\n---\nQuieter now.\n")  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            import_file(story)
        return Post.objects.get(title="Pilot boat gets a new engine")

    pilot = imported("Harbour Gazette")
    # Another post shares the imported post's source (a shared Source is allowed).
    Post.objects.filter(pk=blog["ferry"].pk).update(source=pilot.source)
    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)
    whole_reads = count_whole_reads(monkeypatch)
    imported("Harbour Gazette, evening")  # the re-import updates the shared source
    assert not update_site(mirror, BASE_URL).full
    assert whole_reads == []
    assert "Harbour Gazette, evening" in (mirror / blog["ferry"].path.lstrip("/")).read_text()
    build_site(tmp_path / "fresh", BASE_URL)
    assert files_of(mirror) == files_of(tmp_path / "fresh")


@pytest.mark.parametrize("damage", ["zones", "version", "none"])
def test_a_stored_reading_from_other_zones_or_unreadable_means_a_whole_read(
    blog, tmp_path, monkeypatch, django_capture_on_commit_callbacks, damage
):
    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)
    manifest = json.loads((mirror / MANIFEST).read_text())
    if damage == "zones":  # the archive months were worked out in another zone
        manifest["read_at"]["zones"] = "UTC Pacific/Kiritimati"
    elif damage == "version":
        manifest["read_at"]["version"] = ["seven", None, None]
    else:  # a manifest written before readings were stored
        del manifest["read_at"]
    (mirror / MANIFEST).write_text(json.dumps(manifest))
    forget_this_process()
    whole_reads = count_whole_reads(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        blog["night"].title = "Night trains return for good"
        blog["night"].save()
    assert not update_site(mirror, BASE_URL).full
    assert whole_reads == [1]
    assert "read_at" in json.loads((mirror / MANIFEST).read_text())  # stored again


def test_a_post_whose_time_came_is_read_on_the_narrow_path_too(
    blog, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from dateline.posts.models import Post

    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)
    with django_capture_on_commit_callbacks(execute=True):
        soon = Post.objects.create(title="Lifeboat day on the quay", status="published",
                                   body_source="Stalls and a parade.",
                                   published_at=timezone.now() + timedelta(days=1))  # fmt: skip
    update_site(mirror, BASE_URL)
    monkeypatch.setattr(collect, "load_state", None)  # from here on, narrow reads only
    with django_capture_on_commit_callbacks(execute=True):
        blog["night"].title = "Night trains return for good"
        blog["night"].save()
    update_site(mirror, BASE_URL)
    assert not (mirror / soon.path.lstrip("/")).exists()
    # The day passes: no save, no signal, only the clock (moved here by the row's time).
    Post.objects.filter(pk=soon.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    update_site(mirror, BASE_URL)
    assert "Stalls and a parade." in (mirror / soon.path.lstrip("/")).read_text()
    monkeypatch.undo()
    assert_mirror_matches_live(mirror)


def test_a_search_entry_another_process_changed_is_read_again(tmp_path, blog, monkeypatch):
    from dateline.posts.models import Post

    # One shard for every post, whatever ids the database gave (PostgreSQL's run on).
    monkeypatch.setattr(searchindex, "SHARD_IDS", 10**9)
    mirror = tmp_path / "mirror"
    build_site(mirror, BASE_URL)
    kept_here = dict(searchindex._kept)  # this process's entries, as of the build
    # Another process edits a post and updates the mirror (its own memory, not ours).
    Post.objects.filter(pk=blog["night"].pk).update(title="Night trains return for good")
    update_site(mirror, BASE_URL)
    searchindex._kept.clear()
    searchindex._kept.update(kept_here)
    # Here, a change to another post of the same shard: the edited entry is read again.
    blog["storm"].title = "Storm surge tests the wall"
    blog["storm"].save()
    update_site(mirror, BASE_URL)
    assert "Night trains return for good" in (mirror / "search-index/0.json").read_text()
    build_site(tmp_path / "fresh", BASE_URL)
    assert files_of(mirror) == files_of(tmp_path / "fresh")
