"""`dateline import` and `dateline export`: summaries, --json, --dry-run, harmless refusals."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dateline.posts.models import Post
from tests.interchange.dbstate import row_counts, snapshot

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
KEYS = {"posts", "drafts", "pages", "labels", "comments", "redirects", "skipped"}
ATOM_KIND = "http://schemas.google.com/blogger/2008/kind#"


def dateline(*args: str, capsys) -> tuple[str, str]:
    call_command(*args)
    captured = capsys.readouterr()
    return captured.out, captured.err


def blogger_file(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "blog.xml"
    path.write_text(
        "<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0'>\n"
        "<id>tag:blogger.com,1999:blog-1</id>\n" + "".join(entries) + "</feed>\n"
    )
    return path


def entry(number: int, kind: str, extra: str = "") -> str:
    return (
        f"<entry><id>tag:blogger.com,1999:blog-1.post-{number}</id>"
        "<published>2020-01-01T00:00:00Z</published>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{ATOM_KIND}{kind}'/>"
        f"<title>Post {number}</title><content type='html'>x</content>"
        f"<link rel='alternate' href='http://b.example/2020/01/p{number}.html'/>{extra}</entry>\n"
    )


def test_json_prints_one_object_with_the_seven_counts(fixture_file, capsys):
    out, _ = dateline("import", str(fixture_file("wordpress.xml")), "--json", capsys=capsys)
    summary = json.loads(out)
    assert set(summary) == KEYS
    assert summary == {
        "posts": 2, "drafts": 2, "pages": 1, "labels": 3, "comments": 5, "redirects": 5,
        "skipped": 2,
    }  # fmt: skip


def test_a_re_run_reports_the_same_counts_and_changes_nothing(fixture_file, capsys):
    path = str(fixture_file("blogger-legacy.xml"))
    first, _ = dateline("import", path, "--json", capsys=capsys)
    before = snapshot()
    second, _ = dateline("import", path, "--json", capsys=capsys)
    assert first == second and snapshot() == before
    out, _ = dateline("import", path, capsys=capsys)
    assert "Imported: 2 posts, 1 drafts, 1 pages, 4 labels, 2 comments" in out
    assert "none (everything was already stored)" in out
    assert "skipped: 1 template" in out


def test_a_dry_run_prints_what_it_would_store_and_stores_nothing(fixture_file, capsys):
    out, _ = dateline(
        "import", str(fixture_file("blogger-takeout.atom")), "--dry-run", capsys=capsys
    )
    assert out.startswith("Would import: 1 posts, 1 drafts, 1 pages")
    assert "Dry run: nothing was stored." in out
    assert set(row_counts().values()) == {0}


def test_a_markdown_file_and_folder_import(harbour_post_file, capsys):
    out, _ = dateline("import", str(harbour_post_file), "--json", capsys=capsys)
    assert json.loads(out)["posts"] == 1
    out, _ = dateline("import", str(harbour_post_file.parent), "--json", capsys=capsys)
    assert json.loads(out)["posts"] == 1 and Post.objects.count() == 1


def test_an_orphan_comment_at_the_end_refuses_a_strict_import_and_changes_nothing(
    tmp_path, fixture_file, capsys
):
    dateline("import", str(fixture_file("wordpress.xml")), capsys=capsys)
    before, counts = snapshot(), row_counts()
    orphan = entry(
        99999, "comment", "<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-40404'/>"
    )
    path = blogger_file(tmp_path, *(entry(n, "post") for n in range(1, 1500)), orphan)
    with pytest.raises(CommandError) as error:
        dateline("import", str(path), "--strict", capsys=capsys)
    message = str(error.value)
    assert f"{path}, line 1503, entry blogger:1.post-99999" in message
    assert "blogger:1.post-40404" in message
    assert "Nothing was changed." in message
    assert row_counts() == counts and snapshot() == before


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<html><body>hi</body></html>", "not a Blogger or WordPress export"),
        ('<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x "y">]>\n<feed/>', "DOCTYPE"),
    ],
)
def test_hostile_or_foreign_files_are_refused(tmp_path, text, reason, capsys):
    path = tmp_path / "export.xml"
    path.write_text(text)
    with pytest.raises(CommandError, match=reason):
        dateline("import", str(path), capsys=capsys)
    assert set(row_counts().values()) == {0}


def test_a_missing_file_is_named(tmp_path, capsys):
    with pytest.raises(CommandError, match="no such file"):
        dateline("import", str(tmp_path / "nope.xml"), capsys=capsys)


@pytest.mark.parametrize(
    ("fmt", "name"), [("blogger", "b.xml"), ("wxr", "w.xml"), ("markdown", "md")]
)
def test_export_then_import_into_an_empty_site(fmt, name, fixture_file, tmp_path, capsys):
    dateline("import", str(fixture_file("wordpress.xml")), capsys=capsys)
    out, _ = dateline("export", "--format", fmt, str(tmp_path / name), capsys=capsys)
    assert out.startswith(f"Wrote {tmp_path / name}: 4 posts, 1 pages")
    assert ("skipped spam comment: 1" in out) == (fmt == "blogger")
    assert (tmp_path / name).exists()
    assert not list(tmp_path.glob(".*.tmp"))  # written beside, then renamed


def test_export_into_a_folder_that_is_not_empty_is_an_error(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        dateline("export", "--format", "markdown", str(tmp_path), capsys=capsys)


def test_the_dateline_command_exits_non_zero_on_a_broken_file(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text(blogger_file(tmp_path, entry(1, "post")).read_text()[:-20])
    env = {**os.environ, "DATELINE_DATA_DIR": str(tmp_path / "data")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # a throwaway SQLite blog, never the suite's database
    command = [sys.executable, "-m", "dateline.cli"]
    subprocess.run([*command, "migrate"], env=env, cwd=ROOT, check=True, capture_output=True)
    result = subprocess.run(
        [*command, "import", str(broken), "--json"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{broken}, line" in result.stderr and "broken XML" in result.stderr
    assert result.stdout == ""
