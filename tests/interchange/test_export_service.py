"""Import → export → import into an empty site gives the same blog, field by field."""

from collections import Counter
from pathlib import Path

import frontmatter
import pytest

from dateline.interchange.exporting import export_records, export_to
from dateline.interchange.importing import import_records
from dateline.interchange.local_files import LocalFiles
from dateline.interchange.records import CommentRecord, PostRecord
from dateline.interchange.sources import open_records
from dateline.posts.models import Post
from tests.interchange.dbstate import empty_database, snapshot

pytestmark = pytest.mark.django_db
FIXTURES = ["blogger-legacy.xml", "blogger-takeout.atom", "wordpress.xml"]


def run(path):
    skipped = Counter()
    records = open_records(path, skipped=skipped)
    return import_records(records, reader_skipped=skipped, local_files=LocalFiles.of(path))


def round_trip(source: Path, fmt: str, target: Path) -> tuple[dict, dict]:
    """Import, snapshot, export, empty the site, import the export, snapshot again."""
    run(source)
    before = snapshot()
    export_to(fmt, target)
    empty_database()
    run(target)
    return before, snapshot()


def what_blogger_carries(state: dict) -> dict:
    """Blogger has no way to mark a comment unapproved: only approved ones are exported; nor
    a place for the old addresses of a label's page (WordPress's /?cat=, /category/)."""
    state["comments"] = {k: c for k, c in state["comments"].items() if c["status"] == "approved"}
    state["redirects"] = [r for r in state["redirects"] if not r[1].startswith("/search/label/")]
    return state


def without_comments(state: dict) -> dict:
    """Markdown files carry posts: no comments, nor the old addresses of a label's page."""
    state["comments"] = {}
    state["redirects"] = [r for r in state["redirects"] if not r[1].startswith("/search/label/")]
    return state


@pytest.mark.parametrize("name", FIXTURES)
def test_wxr_round_trip_is_exact(fixture_file, tmp_path, name):
    before, after = round_trip(fixture_file(name), "wxr", tmp_path / "out.xml")
    assert after == before


@pytest.mark.parametrize("name", FIXTURES)
def test_blogger_round_trip_keeps_everything_blogger_can_carry(fixture_file, tmp_path, name):
    before, after = round_trip(fixture_file(name), "blogger", tmp_path / "out.xml")
    assert after == what_blogger_carries(before)


@pytest.mark.parametrize("name", FIXTURES)
def test_markdown_round_trip_keeps_every_post_field(fixture_file, tmp_path, name):
    before, after = round_trip(fixture_file(name), "markdown", tmp_path / "out")
    assert after == without_comments(before)


def test_a_markdown_blog_round_trips_through_each_format(harbour_post_file, tmp_path_factory):
    blog = harbour_post_file.parent
    (blog / "draft.md").write_text(
        "---\ntitle: Not yet\nstatus: draft\nlabels: [Malta]\n---\nSome *draft*.\n"
    )
    (blog / "about.md").write_text(
        "---\ntitle: About\nkind: page\nslug: about\npublished: 2020-01-02 03:04:05\n"
        "---\nWho we are.\n"
    )
    out = tmp_path_factory.mktemp("exports")
    for fmt, target in [("markdown", "md"), ("wxr", "out.xml"), ("blogger", "b.xml")]:
        before, after = round_trip(blog, fmt, out / target)
        if fmt == "blogger":
            before = what_blogger_carries(before)
        assert after == before, fmt
        image = Post.objects.get(title__startswith="Harbour").lead_image.name
        assert image.endswith("-harbour.png") or fmt == "blogger"
        empty_database()


def test_markdown_posts_are_written_as_html_for_the_xml_formats(harbour_post_file, tmp_path):
    """Other systems read the HTML; the Markdown source travels beside it for us."""
    run(harbour_post_file)
    post = next(r for r in export_records("blogger") if isinstance(r, PostRecord))
    assert post.body_format == "markdown" and "## Passengers stranded" in post.body
    assert "<h2>Passengers stranded</h2>" in post.body_html
    post = next(r for r in export_records("markdown") if isinstance(r, PostRecord))
    assert post.body_format == "markdown" and "## Passengers stranded" in post.body
    assert post.body_html == ""
    for fmt in ("blogger", "wxr"):
        export_to(fmt, tmp_path / f"{fmt}.xml")
        assert "&lt;h2&gt;Passengers stranded" in (tmp_path / f"{fmt}.xml").read_text() or (
            "<h2>Passengers stranded</h2>" in (tmp_path / f"{fmt}.xml").read_text()
        )


def test_exported_comments_follow_their_post_and_parent(fixture_file):
    run(fixture_file("wordpress.xml"))
    seen: set[str] = set()
    for record in export_records("wxr"):
        if isinstance(record, CommentRecord):
            assert record.post_import_id in seen
            assert not record.parent_import_id or record.parent_import_id in seen
        seen.add(getattr(record, "import_id", ""))


def test_the_markdown_folder_names_files_by_path_and_copies_images(harbour_post_file, tmp_path):
    run(harbour_post_file)
    counts = export_to("markdown", tmp_path / "out")
    assert counts == Counter(posts=1)
    name = "2024-03-harbour-strike-halts-ferries-between-malta-and-sicily"
    post = frontmatter.load(tmp_path / "out" / f"{name}.md")
    assert post["path"] == f"/{name.replace('-', '/', 2)}.html"
    assert (tmp_path / "out" / post["image"]).read_bytes() == harbour_post_file.with_name(
        "harbour.png"
    ).read_bytes()
    assert post["image"] == f"images/{name}/harbour.png"


def test_exporting_into_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        export_to("markdown", tmp_path / "out")
