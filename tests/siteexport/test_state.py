"""The site state is read raw, past the ORM's converters: it must say what the ORM says.

The month a post is listed under is its publish time's month in the site's time zone (as
the archive pages count), and a post's fingerprint must move whenever anything its pages
show does, on SQLite and on PostgreSQL alike.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.people.models import Profile
from dateline.posts.models import Label, Post, Source
from dateline.siteexport import collect
from dateline.siteexport.build import build_site
from dateline.siteexport.incremental import update_site
from tests.siteexport.conftest import BASE_URL
from tests.siteexport.test_incremental import assert_mirror_matches_live

ZONES = ["UTC", "America/New_York", "Pacific/Auckland", "Asia/Kathmandu"]  # +05:45
INSTANTS = [
    datetime(2024, 2, 29, 23, 30, tzinfo=UTC),  # already 1 March east of UTC
    datetime(2024, 3, 1, 2, 0, tzinfo=UTC),  # still 29 February in New York
    datetime(2023, 12, 31, 18, 20, 0, 1, tzinfo=UTC),  # 2024 in Kathmandu; microseconds
    datetime(2024, 3, 10, 7, 30, tzinfo=UTC),  # New York's clocks go forward at 7:00
    datetime(2024, 4, 6, 13, 59, 59, 999999, tzinfo=UTC),  # Auckland's go back at 14:00
]


def make_posts() -> list[Post]:
    posts = []
    for number, when in enumerate(INSTANTS):
        post = Post.objects.create(title=f"Tide report {number}", body_source="Low at noon.",
                                   status=Post.Status.PUBLISHED, published_at=when)  # fmt: skip
        for name in ("Zürich", "Harbours", "Éire")[: number % 3 + 1]:
            label = Label.objects.filter(name=name).first() or Label.objects.create(name=name)
            post.labels.add(label)
        posts.append(post)
    posts.append(Post.objects.create(title="About", kind=Post.Kind.PAGE, published_at=INSTANTS[1],
                                     status=Post.Status.PUBLISHED, body_source="Us."))  # fmt: skip
    Post.objects.create(title="Draft", body_source="Later.", published_at=INSTANTS[0])
    Post.objects.create(title="Scheduled", body_source="Soon.", status=Post.Status.PUBLISHED,
                        published_at=timezone.now() + timedelta(days=2))  # fmt: skip
    return posts


def orm_rows() -> list[tuple]:
    """The reference: the ORM's converted values, months taken in the site's zone."""
    visible = Post.objects.visible().order_by("-published_at", "-id")
    rows = []
    for pk, path, kind, published in visible.values_list("id", "path", "kind", "published_at"):
        names = Label.objects.filter(posts=pk).values_list("name", flat=True)
        local = timezone.localtime(published)
        rows.append((pk, path, kind, local.year, local.month, tuple(sorted(names))))
    return rows


@pytest.mark.parametrize("zone", ZONES)
def test_the_raw_state_read_gives_what_the_orm_gives_in_any_time_zone(db, settings, zone):
    make_posts()
    collect.load_state(BASE_URL)  # remembered in the zone before
    settings.TIME_ZONE = zone
    state = collect.load_state(BASE_URL)
    ours = [(p.id, p.path, p.kind, p.year, p.month, p.labels) for p in state.posts + state.pages]
    theirs = orm_rows()
    assert sorted(ours) == sorted(theirs)
    assert [row[0] for row in ours[: len(state.posts)]] == [
        row[0] for row in theirs if row[2] == Post.Kind.POST
    ]  # newest first, as the listings show them
    assert {"Draft", "Scheduled"}.isdisjoint(p.path for p in state.posts)


def test_the_month_is_the_site_s_month_not_utc_s(db, settings):
    settings.TIME_ZONE = "America/New_York"
    late = make_posts()[1]  # 02:00 UTC on 1 March
    state = collect.load_state(BASE_URL)
    assert next((p.year, p.month) for p in state.posts if p.id == late.id) == (2024, 2)


def fingerprints() -> dict[int, str]:
    """The state's fingerprints; those a process remembers from its last read are the
    ones a fresh process works out."""
    state = collect.load_state(BASE_URL)
    collect._last_read = ((), {})
    assert collect.load_state(BASE_URL) == state
    return {post.id: post.fingerprint for post in state.posts + state.pages}


CHANGES = {
    "title": lambda post: Post.objects.filter(pk=post.pk).update(title="Tide report, revised"),
    "publish time": lambda post: Post.objects.filter(pk=post.pk).update(
        published_at=post.published_at + timedelta(microseconds=1)),
    "update time": lambda post: Post.objects.filter(pk=post.pk).update(
        updated_at=post.updated_at + timedelta(seconds=1)),
    "lead image": lambda post: Post.objects.filter(pk=post.pk).update(lead_image="images/t.png"),
    "caption": lambda post: Post.objects.filter(pk=post.pk).update(lead_image_caption="Low tide"),
    "source link": lambda post: Source.objects.filter(pk=post.source_id).update(
        url="https://news.example/tides-2"),
    "publisher": lambda post: Source.objects.filter(pk=post.source_id).update(publisher="Other"),
    "original date": lambda post: Source.objects.filter(pk=post.source_id).update(
        original_date=datetime(2024, 1, 1, tzinfo=UTC)),
    "fetch time": lambda post: Source.objects.filter(pk=post.source_id).update(
        fetched_at=datetime(2024, 1, 2, tzinfo=UTC)),
    "author's display name": lambda post: Profile.objects.update_or_create(
        user_id=post.author_id, defaults={"display_name": "Tide Watcher"}),
    "author's full name": lambda post: get_user_model().objects.filter(pk=post.author_id).update(
        first_name="Tide", last_name="Watcher"),
    "label": lambda post: post.labels.add(Label.objects.create(name="Weather")),
    "approved comment": lambda post: Comment.objects.create(
        post=post, author_name="Ola", body="Noted.", status=Comment.Status.APPROVED,
        created_at=timezone.now()),
}  # fmt: skip


@pytest.mark.parametrize("change", list(CHANGES))
def test_anything_a_post_shows_changes_its_fingerprint_and_only_its(db, settings, change):
    settings.TIME_ZONE = "Asia/Kathmandu"
    posts = make_posts()
    post = posts[2]
    author = get_user_model().objects.create_user("tides")
    source = Source.objects.create(url="https://news.example/tides", publisher="Tides Daily")
    Post.objects.filter(pk=post.pk).update(author=author, source=source)
    post.refresh_from_db()
    before = fingerprints()
    CHANGES[change](post)
    after = fingerprints()
    assert {pk for pk in before if before[pk] != after[pk]} == {post.id}


def test_an_authors_login_name_changes_no_fingerprint(db):
    """Pages and feeds never show the login name, so renaming the login rebuilds nothing."""
    post = make_posts()[0]
    author = get_user_model().objects.create_user("tides")
    Post.objects.filter(pk=post.pk).update(author=author)
    before = fingerprints()
    get_user_model().objects.filter(pk=author.pk).update(username="tidewatcher")
    assert fingerprints() == before


def test_a_pending_comment_changes_no_fingerprint(db):
    post = make_posts()[0]
    before = fingerprints()
    Comment.objects.create(post=post, author_name="Ola", body="Spam?", created_at=timezone.now(),
                           status=Comment.Status.PENDING)  # fmt: skip
    assert fingerprints() == before


def test_an_edit_across_a_month_boundary_in_local_time_updates_the_right_archive(
    db, settings, tmp_path
):
    """Archive pages count months in the site's zone; so must the mirror's updates."""
    settings.TIME_ZONE = "America/New_York"
    late = make_posts()[1]  # on /2024/02/ in New York, though March in UTC
    root = tmp_path / "mirror"
    build_site(root, BASE_URL)
    assert (root / "2024/02/index.html").is_file()
    late.title = "Tide report, corrected"
    late.save()
    report = update_site(root, BASE_URL)
    assert not report.full and "2024/02/index.html" in report.changed
    assert "Tide report, corrected" in (root / "2024/02/index.html").read_text()
    assert_mirror_matches_live(root)


def _one(query, **values) -> set[int]:
    ids = set(query.values_list("pk", flat=True))
    query.update(**values)
    return ids


def _deleted(post: Post) -> set[int]:
    pk = post.pk
    post.delete()
    return {pk}


# Each change, and the posts it touched (what the ledger hears).
NARROW_CHANGES = {
    "edit": lambda p: _one(Post.objects.filter(pk=p[2].pk), title="Tide report, revised"),
    "newer": lambda p: _one(Post.objects.filter(pk=p[0].pk),
                            published_at=INSTANTS[4] + timedelta(days=1)),
    "older": lambda p: _one(Post.objects.filter(pk=p[4].pk),
                            published_at=INSTANTS[2] - timedelta(days=1)),
    "same time, lower id": lambda p: _one(Post.objects.filter(pk=p[3].pk),
                                          published_at=INSTANTS[1]),
    "unpublish": lambda p: _one(Post.objects.filter(pk=p[1].pk), status="draft"),
    "publish": lambda p: _one(Post.objects.filter(title="Draft"), status="published"),
    "new post": lambda p: {Post.objects.create(title="Spring tide", body_source="High.",
                                               status=Post.Status.PUBLISHED).pk},
    "delete": lambda p: _deleted(p[3]),
    "page to post": lambda p: _one(Post.objects.filter(title="About"), kind="post"),
    "page edit": lambda p: _one(Post.objects.filter(title="About"), title="About us"),
    "label": lambda p: {p[1].pk} if p[1].labels.add(Label.objects.create(name="Weather"))
    is None else set(),
    "label off": lambda p: {p[2].pk} if p[2].labels.clear() is None else set(),
    "comment": lambda p: {Comment.objects.create(
        post=p[0], author_name="Ola", body="Noted.", status=Comment.Status.APPROVED,
        created_at=timezone.now()).post_id},
}  # fmt: skip


@pytest.mark.parametrize("fresh", [False, True], ids=["same process", "fresh process"])
@pytest.mark.parametrize("change", list(NARROW_CHANGES))
def test_reading_only_the_changed_posts_gives_the_state_a_whole_read_gives(
    db, settings, change, fresh
):
    settings.TIME_ZONE = "America/New_York"
    posts = make_posts()
    before = collect.load_state(BASE_URL)
    touched = NARROW_CHANGES[change](posts)
    if fresh:  # `before` came from the manifest: this process remembers no post's row
        collect._last_read = ((), {})
    # With one post more than the change touched: a post read again unchanged stays put.
    narrow = collect.load_state_narrow(before, touched | {posts[4].pk}, BASE_URL, fresh=fresh)
    collect._last_read = ((), {})
    assert narrow == collect.load_state(BASE_URL)
    assert narrow != before


@pytest.mark.django_db(transaction=True)
def test_the_ledger_keeps_only_its_newest_notes(monkeypatch):
    """A process that writes and never updates a mirror keeps a bounded ledger; a note let
    go reads as a change not heard here (the whole state is read)."""
    from dateline.siteexport import ledger

    monkeypatch.setattr(ledger, "KEPT", 3)
    ledger.take()
    posts = [Post.objects.create(title=f"Tide {n}", body_source="High.") for n in range(5)]
    heard = ledger.take()
    assert len(heard) == 3
    assert sorted(post for found in heard.values() for post in found) == [
        post.pk for post in posts[2:]
    ]
    first = min(heard)
    assert ledger.posts_between(heard, first - 1, max(heard)) == {p.pk for p in posts[2:]}
    assert ledger.posts_between(heard, first - 2, max(heard)) is None
