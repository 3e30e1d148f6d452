"""One bad entry no longer refuses the file: the rest imports and each one left out is listed
with file, line and entry; `--strict` keeps all-or-nothing; broken XML still refuses."""

import json

import pytest
from django.core.management import CommandError, call_command

from dateline.comments.models import Comment
from dateline.interchange.import_file import import_file
from dateline.interchange.models import ImportJob
from dateline.posts.models import Post
from tests.interchange.blogs import wxr_comment, wxr_file, wxr_item
from tests.interchange.dbstate import row_counts
from tests.interchange.test_admin_import import data_dir, upload  # noqa: F401 - fixture
from tests.interchange.test_cli_import_export import blogger_file, entry
from tests.interchange.test_read_ahead import every_file_is_big  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
SITE = "dale.example"
UNDATED = """<wp:comment><wp:comment_id>7</wp:comment_id>
<wp:comment_author>Nobody</wp:comment_author>
<wp:comment_content>No date</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment>"""
HIJACKED = """<item xmlns:wp="http://malicious.example.com/hijack/"><title>Hijacked</title>
<wp:post_id>5</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
</item>
"""


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def mixed_file(tmp_path):
    """Good posts around a comment without a date, a repeated post id and a hijacked item."""
    return wxr_file(
        tmp_path / "dale.xml",
        SITE,
        wxr_item(
            1, "Harbour", f"https://{SITE}/harbour/", comment=wxr_comment(3, "Fine") + UNDATED
        ),
        wxr_item(2, "Ferry", f"https://{SITE}/ferry/"),
        wxr_item(2, "Ferry again", f"https://{SITE}/ferry-again/", comment=wxr_comment(9, "Lost")),
        HIJACKED,
        wxr_item(4, "Quay", f"https://{SITE}/quay/"),
    )


def test_every_good_entry_imports_and_each_bad_one_is_listed_where_it_is(tmp_path):
    path = mixed_file(tmp_path)
    summary = import_file(path)
    assert sorted(Post.objects.values_list("title", flat=True)) == ["Ferry", "Harbour", "Quay"]
    assert list(Comment.objects.values_list("body", flat=True)) == ["Fine"]
    listed = [str(problem) for problem in summary.problems]
    assert listed == [
        f"{path}, line {line_of(path, 'No date') - 2}, entry wxr:{SITE}/1:c7: comment has no date",
        f"{path}, line {line_of(path, 'Ferry again')}, entry wxr:{SITE}/2: "
        "the same id appears twice",
        f"{path}, line {line_of(path, 'hijack')}, entry Hijacked: the item binds the wp prefix "
        "to 'http://malicious.example.com/hijack/', not to a WordPress export namespace",
    ]
    assert summary.skipped["entry with a problem (each is listed with its line)"] == 3
    assert summary.skipped["comment on a skipped post or comment"] == 1  # the repeat's comment
    assert summary.counts()["skipped"] == 4


def test_strict_refuses_the_file_at_the_first_bad_entry_and_changes_nothing(tmp_path):
    path = mixed_file(tmp_path)
    with pytest.raises(CommandError) as error:
        call_command("import", str(path), "--strict")
    assert f"{path}, line {line_of(path, 'No date') - 2}, entry wxr:{SITE}/1:c7" in str(error.value)
    assert "comment has no date\nNothing was changed." in str(error.value)
    assert set(row_counts().values()) == {0}


def test_json_keeps_the_seven_counts_and_lists_entries_left_out_on_stderr(tmp_path, capsys):
    path = mixed_file(tmp_path)
    call_command("import", str(path), "--json")
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "posts": 3, "drafts": 0, "pages": 0, "labels": 0, "comments": 1, "redirects": 3,
        "skipped": 4,
    }  # fmt: skip
    assert f"  left out: {path}, line {line_of(path, 'Ferry again')}, entry wxr:{SITE}/2: " in err
    assert "  skipped: 3 entry with a problem (each is listed with its line)" in err


def test_the_summary_lists_entries_left_out(tmp_path, capsys):
    call_command("import", str(mixed_file(tmp_path)))
    out = capsys.readouterr().out
    assert out.count("  left out: ") == 3 and "comment has no date" in out


def test_a_file_read_ahead_lists_the_same_entries(tmp_path, every_file_is_big):  # noqa: F811
    path = mixed_file(tmp_path)
    ahead = import_file(path)
    assert [p.reason for p in ahead.problems] == [
        "comment has no date",
        "the same id appears twice",
        "the item binds the wp prefix to 'http://malicious.example.com/hijack/', not to a "
        "WordPress export namespace",
    ]
    assert Post.objects.count() == 3


def test_a_blogger_comment_on_a_post_not_in_the_file_is_left_out(tmp_path):
    orphan = entry(9, "comment", "<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-404'/>")
    undated = entry(8, "post").replace("<published>2020-01-01T00:00:00Z</published>", "")
    bad_date = entry(7, "post").replace("2020-01-01T00:00:00Z", "yesterday")
    path = blogger_file(tmp_path, entry(1, "post"), orphan, bad_date, undated)
    summary = import_file(path)
    assert [(p.line, p.entry) for p in summary.problems] == [
        (6, "blogger:1.post-7"),
        (5, "blogger:1.post-9"),
    ]
    assert "'yesterday' is not a date and time" in summary.problems[0].reason
    assert Post.objects.count() == 2  # an undated post is a post without a date, not an error


def test_xml_that_cannot_be_parsed_still_refuses_the_file_with_its_line(tmp_path):
    broken = "<item><title>Cut</title><wp:post_id>3</wp:post_id></channel>\n"
    path = wxr_file(tmp_path / "dale.xml", SITE, wxr_item(1, "Harbour", "/h/"), broken)
    with pytest.raises(CommandError) as error:
        call_command("import", str(path))
    assert f"{path}, line {line_of(path, 'Cut')}: broken XML: " in str(error.value)
    assert set(row_counts().values()) == {0}


def test_a_markdown_folder_imports_its_good_files_and_lists_the_bad_one(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Good\n---\nBody.\n")
    (folder / "b.md").write_text("---\ntitle: Bad\ndate: not a date\n---\nBody.\n")
    summary = import_file(folder)
    assert list(Post.objects.values_list("title", flat=True)) == ["Good"]
    assert [p.file for p in summary.problems] == [str(folder / "b.md")]


def test_the_admin_offers_strict_and_lists_entries_left_out(
    admin_client, tmp_path, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    content = mixed_file(tmp_path).read_bytes()
    page, job = upload(admin_client, "dale.xml", content, capture)
    text = page.content.decode()
    assert job.state == ImportJob.State.DONE and not job.strict
    assert "Entries left out" in text and "dale.xml, line" in text
    assert str(tmp_path) not in text  # named as uploaded, not by where it was kept
    assert (
        "Strict: refuse the whole file"
        in admin_client.get("/admin/interchange/importjob/add/").content.decode()
    )
    Post.objects.all().delete()
    page, job = upload(admin_client, "dale.xml", content, capture, strict=True)
    assert job.state == ImportJob.State.FAILED and job.strict
    assert "comment has no date" in job.error and not Post.objects.exists()


def test_a_well_known_prefix_used_undeclared_is_read_as_it_means_and_noted(tmp_path):
    draft = entry(2, "post", "<app:control><app:draft>yes</app:draft></app:control>")
    path = blogger_file(tmp_path, entry(1, "post"), draft)
    summary = import_file(path)
    assert dict(Post.objects.values_list("title", "status")) == {
        "Post 1": "published",
        "Post 2": "draft",  # not published by mistake
    }
    note = "elements with the undeclared prefix app: kept as the http://purl.org/atom/app# "
    assert summary.notes[note + "namespace"] == 1


def test_an_unknown_prefix_used_undeclared_still_refuses_the_file_with_its_line(tmp_path):
    odd = entry(2, "post", "<odd:thing>x</odd:thing>")
    path = blogger_file(tmp_path, entry(1, "post"), odd)
    with pytest.raises(CommandError, match=rf"{path}, line \d+: broken XML: .*odd"):
        call_command("import", str(path))
    assert set(row_counts().values()) == {0}


def test_a_namespace_name_the_parser_doubts_is_kept_and_noted(tmp_path):
    odd = wxr_item(3, "Unicode", "/u/").replace(
        "<item>", '<item xmlns:u="http://\u00ebx\u00e4mpl\u00eb.com/\u00fcn\u00efc\u00f6d\u00eb/">'
    )
    path = wxr_file(tmp_path / "dale.xml", SITE, wxr_item(1, "Harbour", "/h/"), odd)
    summary = import_file(path)
    assert Post.objects.count() == 2
    line = line_of(path, "<item xmlns:u=")
    assert summary.notes[f"namespace name doubted by the parser kept as written (line {line})"]
