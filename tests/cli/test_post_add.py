"""`dateline post add`: Markdown files in, posts out; a bad file stores nothing."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dateline.posts.models import Label, Post, Source

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def add(*paths: Path, capsys=None) -> str:
    call_command("post", "add", *map(str, paths))
    return capsys.readouterr().out if capsys else ""


def test_adds_a_seed_shaped_post_and_prints_its_path(harbour_post_file, capsys):
    out = add(harbour_post_file, capsys=capsys)
    post = Post.objects.get()
    assert out.strip() == "/2024/03/harbour-strike-halts-ferries-between-malta-and-sicily.html"
    assert post.path == out.strip()
    assert post.is_visible
    assert post.lead_image.name.startswith("images/") and post.lead_image.name.endswith(".png")
    assert post.lead_image_caption == "Idle ferries tied up at the Grand Harbour in Valletta"
    assert post.source.url == "https://news.example/2024/03/12/harbour-strike"
    assert post.source.publisher == "news.example"
    assert sorted(label.name for label in post.labels.all()) == ["European Union", "Italy", "Malta"]
    assert "<h2>Passengers stranded</h2>" in post.body_html


def test_re_adding_the_same_file_updates_never_duplicates(harbour_post_file, capsys):
    first = add(harbour_post_file, capsys=capsys)
    text = harbour_post_file.read_text().replace("[Malta, Italy, European Union]", "[Malta]")
    harbour_post_file.write_text(text.replace("Dock workers", "Harbour workers"))
    second = add(harbour_post_file, capsys=capsys)
    assert first == second
    post = Post.objects.get()
    assert "Harbour workers" in post.body_html
    assert [label.name for label in post.labels.all()] == ["Malta"]
    assert Source.objects.count() == 1


def test_existing_labels_are_reused_ignoring_case(harbour_post_file):
    Label.objects.create(name="MALTA")
    add(harbour_post_file)
    assert Label.objects.filter(key="malta").count() == 1


def test_draft_and_explicit_path(tmp_path, capsys):
    draft = tmp_path / "draft.md"
    draft.write_text("---\ntitle: Not yet\nstatus: draft\n---\nBody.\n")
    page = tmp_path / "about.md"
    page.write_text("---\ntitle: About\nkind: page\nslug: about\n---\nWho we are.\n")
    moved = tmp_path / "moved.md"
    moved.write_text(
        "---\ntitle: Old\npublished: 2009-02-03\npath: /2009/02/old-name.html\n---\nX\n"
    )
    out = add(draft, page, moved, capsys=capsys).splitlines()
    draft_post = Post.objects.get(title="Not yet")
    assert out[0] == f"(draft) /desk/posts/{draft_post.pk}/"  # where the author finishes it
    assert out[1:] == ["/p/about.html", "/2009/02/old-name.html"]
    assert draft_post.status == "draft"


BAD_FILES = {
    "no title": ("---\npublished: 2024-01-01\n---\nBody\n", "title"),
    "bad source": ("---\ntitle: T\nsource_url: javascript:alert(1)\n---\nB\n", "source_url"),
    "ftp source": ("---\ntitle: T\nsource_url: ftp://files.example/x\n---\nB\n", "source_url"),
    "missing image": ("---\ntitle: T\nimage: nowhere.png\n---\nB\n", "image"),
    "broken yaml": ("---\ntitle: [unclosed\n---\nB\n", "front matter"),
    "no front matter": ("Just text, no front matter.\n", "front matter"),
    "bad date": ("---\ntitle: T\npublished: someday\n---\nB\n", "published"),
    "bad status": ("---\ntitle: T\nstatus: maybe\n---\nB\n", "status"),
    "bad labels": ("---\ntitle: T\nlabels: {a: 1}\n---\nB\n", "labels"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_names_file_and_field_and_stores_nothing(case, tmp_path, harbour_post_file):
    text, field = BAD_FILES[case]
    bad = tmp_path / "bad.md"
    bad.write_text(text)
    with pytest.raises(CommandError) as error:
        add(harbour_post_file, bad)
    assert str(bad) in str(error.value)
    assert f": {field}:" in str(error.value)
    assert "Nothing was stored" in str(error.value)
    assert Post.objects.count() == 0 and Label.objects.count() == 0


def test_dateline_cli_exits_non_zero_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\npublished: 2024-01-01\n---\nBody\n")
    result = subprocess.run(
        [sys.executable, "-m", "dateline.cli", "post", "add", str(bad)],
        env={"DATELINE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"{bad}: title: missing" in result.stderr


def test_dateline_help_lists_the_commands():
    result = subprocess.run(
        [sys.executable, "-m", "dateline.cli", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0
    for command in ("serve", "createuser", "post", "demo"):
        assert f"\n  {command} " in result.stdout


def test_a_title_of_only_blanks_and_control_characters_is_no_title(tmp_path):
    """Found by fuzzing: such a title used to pass the check, then clean to nothing."""
    bad = tmp_path / "blank.md"
    bad.write_text('---\ntitle: "\\u0001 \\u0002"\n---\nBody\n')
    with pytest.raises(CommandError, match=r": title: missing"):
        add(bad)
    assert Post.objects.count() == 0


def test_a_front_matter_key_named_self_is_just_an_unknown_field(tmp_path, capsys):
    """Found by fuzzing: python-frontmatter's loads() crashed on it (TypeError)."""
    odd = tmp_path / "odd.md"
    odd.write_text("---\ntitle: Odd keys\nself: 1\n---\nBody\n")
    assert add(odd, capsys=capsys).strip().endswith("/odd-keys.html")
