"""import → export → import → export is a fixed point, in Blogger and in WXR.

Re-importing our own export changes nothing stored (no excerpt wiped, no comment's
whitespace rewritten) and exporting again gives the same bytes. Into an empty site, the
export gives back everything its format can carry.
"""

from collections import Counter
from datetime import UTC, datetime

import pytest

from dateline.comments.models import Comment
from dateline.interchange.exporting import export_to
from dateline.interchange.importing import import_records
from dateline.interchange.sources import open_records
from dateline.posts.models import Post
from tests.interchange.dbstate import _post as post_state
from tests.interchange.dbstate import empty_database, row_counts, snapshot

pytestmark = pytest.mark.django_db
GENERATED = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
FORMATS = ["wxr", "blogger"]


def posts_by_pk() -> dict:
    """Every post's stored fields (posts written here have no import ref to key them)."""
    posts = Post.objects.select_related("author", "source").prefetch_related("labels")
    return {post.pk: post_state(post) for post in posts}


def run(path):
    skipped = Counter()
    return import_records(open_records(path, skipped=skipped), reader_skipped=skipped)


def export(fmt, path):
    export_to(fmt, path, base_url="https://mine.example", generated=GENERATED)
    return path.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["roundtrip.xml", "wordpress.xml", "blogger-legacy.xml",
                                  "blogger-takeout.atom"])  # fmt: skip
def test_re_importing_our_own_export_changes_nothing(fixture_file, tmp_path, fmt, name):
    run(fixture_file(name))
    before, counts = snapshot(), row_counts()
    first = export(fmt, tmp_path / "first.xml")
    summary = run(tmp_path / "first.xml")
    assert snapshot() == before and row_counts() == counts
    assert not +summary.changes
    assert export(fmt, tmp_path / "second.xml") == first


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_imported_into_an_empty_site_gives_back_the_blog(fixture_file, tmp_path, fmt):
    run(fixture_file("roundtrip.xml"))
    before = snapshot()
    first = export(fmt, tmp_path / "first.xml")
    empty_database()
    run(tmp_path / "first.xml")
    if fmt == "blogger":  # Blogger cannot mark a comment unapproved: those stay home
        approved = {k: c for k, c in before["comments"].items() if c["status"] == "approved"}
        before["comments"] = approved
    assert snapshot() == before
    assert export(fmt, tmp_path / "second.xml") == first


def test_what_the_round_trip_fixture_holds(fixture_file):
    """The fixture really has what the tests above claim to carry."""
    run(fixture_file("roundtrip.xml"))
    state = snapshot()
    posts = state["posts"]
    assert posts["wxr:harbour.example/31"]["excerpt"] == "No ferry left Valletta."
    assert posts["wxr:harbour.example/32"]["published_at"] is None
    assert posts["wxr:harbour.example/32"]["excerpt"] == "A draft's excerpt."
    assert {c["status"] for c in state["comments"].values()} == {"approved", "pending"}
    assert ("/2022/06/03/ferries-stop/", "/2022/06/ferries-stop.html") in state["redirects"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_posts_written_here_are_not_duplicated_by_re_importing_their_export(
    make_post, tmp_path, fmt
):
    post = make_post(title="Written here", labels=("Malta",), source_url="https://n.example/a")
    make_post(title="Draft here", status="draft", published_at=None)
    Comment.objects.create(
        post=post,
        author_name="Ana",
        body="Hi there",
        status="approved",
        created_at=post.published_at,
    )
    before, counts = posts_by_pk(), row_counts()
    first = export(fmt, tmp_path / "first.xml")
    summary = run(tmp_path / "first.xml")
    assert row_counts() == counts
    assert not summary.changes["posts created"] and not summary.changes["comments created"]
    assert posts_by_pk() == before  # the Markdown source too, not the HTML it became
    assert export(fmt, tmp_path / "second.xml") == first
